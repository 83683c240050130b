//! Every call fails with `scaleway_core::Error` (one-line messages, status, request id, JSON
//! path of a body that does not decode) instead of progenitor's error, and `send()` returns
//! the decoded answer itself; `send_with_response()` keeps its status and headers.
//!
//! In each operation's `send`: the error type of its signature, every
//! `Error::InvalidRequest` (one per parameter and body), and the final `match` on the status,
//! which becomes the runtime's decoder for the model's response kind. In `mod builder`: the
//! `use super::{…, Error, …}` that names progenitor's error.

use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;

use super::super::index::{Missing, Progenitor, syntax};
use super::send_body;
use crate::model::{ApiModel, ResponseKind};

/// The pass's name, as error messages give it.
pub const NAME: &str = "own_errors";

/// Applies the pass to progenitor's output; fails when an anchor is absent.
pub fn apply(out: &mut Progenitor, model: &ApiModel) -> Result<(), Missing> {
    swap_error_import(out)?;
    out.reindex();
    for op in &model.operations {
        let missing = |anchor: String| Missing::operation(NAME, op, anchor);
        let stmts = send_body(NAME, out, op)?;
        let decode = match op.response {
            ResponseKind::Json => quote!(::scaleway_core::internal::decode_json(response).await),
            ResponseKind::Empty => quote!(::scaleway_core::internal::decode_empty(response).await),
            ResponseKind::Bytes => quote!(::scaleway_core::internal::decode_stream(response).await),
        };
        match stmts.last_mut() {
            Some(syn::Stmt::Expr(syn::Expr::Match(m), None)) if is_status_match(&m.expr) => {
                *stmts.last_mut().expect("matched above") =
                    syn::Stmt::Expr(syn::parse_quote!(#decode), None);
            }
            _ => {
                return Err(missing(format!(
                    "`send` of `{}` does not end with a match on the status",
                    op.builder_name
                )));
            }
        }
        let send = out
            .builder_fn_mut(&op.builder_name, "send")
            .expect("found by send_body");
        let expected = op.parameters.len() + usize::from(op.body.is_some());
        let mut rename = RenameInvalidRequest(0);
        rename.visit_block_mut(&mut send.block);
        if rename.0 != expected {
            return Err(missing(format!(
                "`send` of `{}` rejects {} invalid inputs, expected {expected} (parameters and body)",
                op.builder_name, rename.0
            )));
        }
        let success = syntax::send_success(&send.sig.output)
            .cloned()
            .ok_or_else(|| {
                missing(format!(
                    "`send` of `{}` returns no `ResponseValue<T>`",
                    op.builder_name
                ))
            })?;
        send.sig.output = syn::parse_quote!(-> Result<ResponseValue<#success>, Error>);
        send.sig.ident = format_ident!("send_with_response");
        let doc = format!(
            " Sends `{} {}`; the answer with its HTTP status and headers.",
            op.method.as_str(),
            op.path
        );
        send.attrs.retain(|a| !a.path().is_ident("doc"));
        send.attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
        let doc = format!(
            " Sends `{} {}` and returns the decoded answer; [`Self::send_with_response`] also gives its status and headers.",
            op.method.as_str(),
            op.path
        );
        let plain: syn::ImplItem = syn::parse_quote! {
            #[doc = #doc]
            pub fn send(self) -> impl ::std::future::Future<Output = Result<#success, Error>> + 'a {
                ::scaleway_core::internal::answer(self.send_with_response())
            }
        };
        out.builder_impl_mut(&op.builder_name)
            .ok_or_else(|| missing(format!("builder `{}` has no impl block", op.builder_name)))?
            .items
            .push(plain);
    }
    Ok(())
}

/// `response.status().as_u16()`
fn is_status_match(expr: &syn::Expr) -> bool {
    matches!(expr, syn::Expr::MethodCall(call) if call.method == "as_u16"
        && matches!(&*call.receiver, syn::Expr::MethodCall(inner) if inner.method == "status"))
}

/// `Error::InvalidRequest` → `Error::invalid_request`, counted.
struct RenameInvalidRequest(usize);

impl VisitMut for RenameInvalidRequest {
    fn visit_expr_path_mut(&mut self, path: &mut syn::ExprPath) {
        let segments: Vec<String> = path
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        if segments == ["Error", "InvalidRequest"] {
            *path = syn::parse_quote!(Error::invalid_request);
            self.0 += 1;
        }
    }
}

/// In `mod builder`, `use super::{…, Error, …};` loses `Error`, and `scaleway_core::Error`
/// is imported instead.
fn swap_error_import(out: &mut Progenitor) -> Result<(), Missing> {
    let missing = || Missing {
        pass: NAME,
        subject: "module builder".into(),
        pointer: String::new(),
        anchor: "`use super::{…, Error, …}` not found".into(),
    };
    let items = out.module_mut("builder").ok_or_else(missing)?;
    let mut swapped = false;
    for item in items.iter_mut() {
        let syn::Item::Use(use_item) = item else {
            continue;
        };
        let syn::UseTree::Path(path) = &mut use_item.tree else {
            continue;
        };
        let syn::UseTree::Group(group) = &mut *path.tree else {
            continue;
        };
        if path.ident != "super" {
            continue;
        }
        let before = group.items.len();
        group.items = group
            .items
            .clone()
            .into_iter()
            .filter(|tree| !matches!(tree, syn::UseTree::Name(name) if name.ident == "Error"))
            .collect();
        swapped |= group.items.len() < before;
    }
    if !swapped {
        return Err(missing());
    }
    items.insert(
        0,
        syn::parse_quote!(
            use ::scaleway_core::Error;
        ),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{generated, text};
    use super::*;

    #[test]
    fn calls_fail_with_the_runtime_error_and_send_returns_the_answer() {
        let (mut out, model) = generated();
        apply(&mut out, &model).unwrap();
        let text = text(&out);
        assert!(text.contains("use :: scaleway_core :: Error ;"), "{text}");
        assert!(text.contains("pub fn send (self) -> impl :: std :: future :: Future < Output = Result < types :: Thing , Error > > + 'a { :: scaleway_core :: internal :: answer (self . send_with_response ()) }"), "{text}");
        assert!(text.contains("pub async fn send_with_response (self) -> Result < ResponseValue < types :: Thing > , Error >"));
        assert!(text.contains(":: scaleway_core :: internal :: decode_json (response) . await"));
        assert!(!text.contains("Error :: InvalidRequest"));
        assert!(!text.contains("Error < :: scaleway_core :: ApiError >"));
    }

    #[test]
    fn a_send_without_the_status_match_is_an_error_naming_the_operation() {
        let (mut out, model) = generated();
        out.builder_fn_mut("UpdateThing", "send")
            .unwrap()
            .block
            .stmts
            .pop();
        let err = apply(&mut out, &model).unwrap_err();
        assert!(
            err.to_string().contains("operation UpdateThing")
                && err.to_string().contains("match on the status"),
            "{err}"
        );
    }
}
