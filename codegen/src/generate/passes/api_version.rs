//! progenitor sends the spec's `info.version` as an `api-version` header on every request;
//! Scaleway never asked for it. The statement that adds it is removed from each `send`, so the
//! header is never built (rather than stripped from every request at run time). An operation
//! without header parameters then has nothing to put in progenitor's header map: the map and
//! its merge into the request go too.
//!
//! Anchors: in each operation's `send`, the `header_map.append("api-version", …)` statement;
//! for an operation without header parameters, `let header_map` and `.headers(header_map)`.

use syn::visit_mut::VisitMut;

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
        let map = stmts
            .iter()
            .position(|stmt| super::let_binding(stmt).is_some_and(|i| i == "header_map"));
        let has_header_params = op
            .parameters
            .iter()
            .any(|p| p.location == crate::model::ParamLocation::Header);
        if has_header_params {
            // The map may now be left unchanged; it stays `mut` for header parameters.
            if let Some(position) = map
                && let syn::Stmt::Local(local) = &mut stmts[position]
            {
                local.attrs.push(syn::parse_quote!(#[allow(unused_mut)]));
            }
            continue;
        }
        // Nothing else goes into the map: neither build it nor merge it into the request
        // (two allocations per call).
        let mut unmerge = Unmerge { removed: 0 };
        for stmt in stmts.iter_mut() {
            unmerge.visit_stmt_mut(stmt);
        }
        let Some(position) = map.filter(|_| unmerge.removed == 1) else {
            return Err(Missing::operation(
                NAME,
                op,
                format!(
                    "`send` of `{}` has no `let header_map` merged once by `.headers(header_map)`",
                    op.builder_name
                ),
            ));
        };
        stmts.remove(position);
    }
    Ok(())
}

/// Replaces `x.headers(header_map)` by `x`.
struct Unmerge {
    removed: usize,
}

impl VisitMut for Unmerge {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::MethodCall(call) = expr
            && call.method == "headers"
            && call.args.len() == 1
            && matches!(&call.args[0], syn::Expr::Path(p) if p.path.is_ident("header_map"))
        {
            let receiver = (*call.receiver).clone();
            *expr = receiver;
            self.removed += 1;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
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
        // No operation of the test spec has header parameters: no map is built or merged.
        assert!(!text(&out).contains("header_map"), "{}", text(&out));
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
