//! progenitor sends the spec's `info.version` as an `api-version` header on every request;
//! Scaleway never asked for it. The statement that adds it is removed from each `send`, so the
//! header is never built (rather than stripped from every request at run time).
//!
//! Anchor: in each operation's `send`, the `header_map.append("api-version", …)` statement.

use super::super::index::{Missing, Progenitor};
use super::send_body;
use crate::model::ApiModel;

/// The pass's name, as error messages give it.
pub const NAME: &str = "api_version";

/// Applies the pass to progenitor's output; fails when an anchor is absent.
pub fn apply(out: &mut Progenitor, model: &ApiModel) -> Result<(), Missing> {
    for op in &model.operations {
        let stmts = send_body(NAME, out, op)?;
        let before = stmts.len();
        stmts.retain(|stmt| !appends_api_version(stmt));
        if stmts.len() != before - 1 {
            return Err(Missing::operation(
                NAME,
                op,
                format!(
                    "`send` of `{}` appends no `api-version` header",
                    op.builder_name
                ),
            ));
        }
        // The map may now be left unchanged; it stays `mut` for header parameters.
        let map = stmts
            .iter()
            .position(|stmt| super::let_binding(stmt).is_some_and(|i| i == "header_map"));
        if let Some(position) = map
            && let syn::Stmt::Local(local) = &mut stmts[position]
        {
            local.attrs.push(syn::parse_quote!(#[allow(unused_mut)]));
        }
    }
    Ok(())
}

/// `header_map.append(HeaderName::from_static("api-version"), …);`
fn appends_api_version(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = stmt else {
        return false;
    };
    let receiver_is_map =
        matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident("header_map"));
    let names_api_version = matches!(call.args.first(), Some(syn::Expr::Call(name))
        if matches!(name.args.first(), Some(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. })) if s.value() == "api-version"));
    call.method == "append" && receiver_is_map && names_api_version
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{generated, text};
    use super::*;

    #[test]
    fn no_api_version_header_is_built() {
        let (mut out, model) = generated();
        assert!(text(&out).contains("\"api-version\""));
        apply(&mut out, &model).unwrap();
        assert!(!text(&out).contains("\"api-version\""));
    }

    #[test]
    fn a_send_without_the_header_is_an_error_naming_the_operation() {
        let (mut out, model) = generated();
        apply(&mut out, &model).unwrap();
        let err = apply(&mut out, &model).unwrap_err();
        assert!(
            err.to_string().contains("operation ListThings")
                && err.to_string().contains("api-version"),
            "{err}"
        );
    }
}
