//! Sends each request through the runtime with the operation's static record
//! (`crate::operations::<NAME>`: method, path template, locality), instead of progenitor's
//! hooks, which only know an operation id string: the runtime needs no lookup per request.
//!
//! A request whose body is JSON (or that has none) is built by a closure the runtime calls
//! for each attempt (`execute_built`), instead of being cloned before each attempt in case a
//! retry comes: the clone of its URL and headers was the largest cost the runtime added to a
//! call. Other bodies (streams) are sent once, through `execute`.
//!
//! Anchors: in each operation's `send`, progenitor's `let info = OperationInfo { … };` through
//! `let response = result?;`, which become one call of `scaleway_core::internal::execute`
//! (or `execute_built`), and before them `let mut request = ….build()?;` over `url`.

use quote::format_ident;
use syn::visit_mut::VisitMut;

use super::super::index::{Missing, Progenitor};
use super::{let_binding, send_body};
use crate::model::{ApiModel, Operation};

/// The pass's name, as error messages give it.
pub const NAME: &str = "route_requests";

/// The name of an operation's static record in the generated `operations` module.
pub fn record_ident(op: &Operation) -> syn::Ident {
    format_ident!(
        "{}",
        op.method_name.trim_end_matches('_').to_ascii_uppercase()
    )
}

/// Applies the pass to progenitor's output; fails when an anchor is absent.
pub fn apply(out: &mut Progenitor, model: &ApiModel) -> Result<(), Missing> {
    for op in &model.operations {
        let stmts = send_body(NAME, out, op)?;
        let find = |name: &str| {
            stmts
                .iter()
                .position(|s| let_binding(s).is_some_and(|i| i == name))
        };
        let (Some(info), Some(response)) = (find("info"), find("response")) else {
            return Err(Missing::operation(
                NAME,
                op,
                format!(
                    "`send` of `{}` has no `let info = …` … `let response = …` hook sequence",
                    op.builder_name
                ),
            ));
        };
        if response <= info || find("request").is_none_or(|r| r > info) {
            return Err(Missing::operation(
                NAME,
                op,
                format!(
                    "`send` of `{}` does not build `request` before its hook sequence",
                    op.builder_name
                ),
            ));
        }
        let record = record_ident(op);
        let rebuildable = op.body.as_ref().is_none_or(|body| body.json);
        let request = find("request").expect("checked above");
        let call: syn::Stmt = if rebuildable {
            // Built again for each attempt rather than cloned for a retry that seldom comes.
            let build = rebuild(&mut stmts[request]).ok_or_else(|| {
                Missing::operation(
                    NAME,
                    op,
                    format!(
                        "`let request` of `{}` is not `…build()?` over `url`",
                        op.builder_name
                    ),
                )
            })?;
            stmts[request] = build;
            let method = syn::Ident::new(op.method.as_str(), proc_macro2::Span::call_site());
            syn::parse_quote! {
                let response = ::scaleway_core::internal::execute_built(client.inner(), ::reqwest::Method::#method, &request, &super::super::operations::#record, &call).await?;
            }
        } else {
            syn::parse_quote! {
                let response = ::scaleway_core::internal::execute(client.inner(), request, &super::super::operations::#record, &call).await?;
            }
        };
        stmts.splice(info..=response, [call]);
    }
    Ok(())
}

/// `let mut request = CHAIN.build()?;` as `let request = || CHAIN.build();`, with `url` and
/// the header map borrowed or cloned so that it can be called again.
fn rebuild(stmt: &mut syn::Stmt) -> Option<syn::Stmt> {
    let syn::Stmt::Local(local) = stmt else {
        return None;
    };
    let syn::Expr::Try(tried) = &*local.init.as_ref()?.expr else {
        return None;
    };
    let mut chain = (*tried.expr).clone();
    let mut borrow = Borrow { url: 0 };
    borrow.visit_expr_mut(&mut chain);
    if borrow.url != 1 {
        return None;
    }
    Some(syn::parse_quote! { let request = || #chain; })
}

/// `f(url)` becomes `f(&url)` and `.headers(header_map)` becomes `.headers(header_map.clone())`.
struct Borrow {
    url: usize,
}

impl syn::visit_mut::VisitMut for Borrow {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        for arg in call.args.iter_mut() {
            if let syn::Expr::Path(path) = arg {
                if path.path.is_ident("url") {
                    *arg = syn::parse_quote!(&url);
                    self.url += 1;
                } else if path.path.is_ident("header_map") {
                    *arg = syn::parse_quote!(header_map.clone());
                }
            }
        }
        syn::visit_mut::visit_expr_method_call_mut(self, call);
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{generated, text};
    use super::*;

    #[test]
    fn requests_go_to_the_runtime_with_their_record() {
        let (mut out, model) = generated();
        apply(&mut out, &model).unwrap();
        let text = text(&out);
        assert!(
            text.contains("& super :: super :: operations :: LIST_THINGS"),
            "{text}"
        );
        assert!(!text.contains("OperationInfo {"));
        assert!(!text.contains("client . exec"));
        // JSON bodies and none: built by a closure the runtime calls again for a retry.
        assert!(
            text.contains("let request = | | client . client . get (& url)"),
            "{text}"
        );
        assert!(text.contains(
            "execute_built (client . inner () , :: reqwest :: Method :: POST , & request"
        ));
        assert!(!text.contains(":: scaleway_core :: internal :: execute (client"));
    }

    #[test]
    fn a_send_without_hooks_is_an_error_naming_the_operation() {
        let (mut out, model) = generated();
        apply(&mut out, &model).unwrap();
        let err = apply(&mut out, &model).unwrap_err();
        assert!(err.to_string().contains("operation ListThings"), "{err}");
    }
}
