//! progenitor checks a call's parameters one `?` at a time
//! (`let zone = zone.map_err(Error::invalid_request)?;`). Each `?` is an exit that drops the
//! parameters not checked yet, so the checks grow with the square of the parameter count:
//! drop elaboration and borrow checking of `send_with_response`'s state machine, in the API
//! crate and again in the application that polls it. This pass checks them in one `match`
//! that reports the same first invalid parameter.
//!
//! Anchors: in each operation's `send_with_response` (named so by [`super::own_errors`]), one
//! `let p = p.map_err(Error::invalid_request)?;` per parameter of the model, in one run.
//! Operations with fewer than two parameters keep their single check.

use super::super::index::{Missing, Progenitor};
use crate::model::ApiModel;

/// The pass's name, as error messages give it.
pub const NAME: &str = "check_inputs";

/// Applies the pass to progenitor's output; fails when an anchor is absent.
pub fn apply(out: &mut Progenitor, model: &ApiModel) -> Result<(), Missing> {
    for op in model
        .operations
        .iter()
        .filter(|op| op.parameters.len() >= 2)
    {
        let missing = |anchor: String| Missing::operation(NAME, op, anchor);
        let stmts = &mut out
            .builder_fn_mut(&op.builder_name, "send_with_response")
            .ok_or_else(|| {
                missing(format!(
                    "builder `{}` has no `send_with_response` method",
                    op.builder_name
                ))
            })?
            .block
            .stmts;
        let Some(start) = stmts.iter().position(|s| checked_name(s).is_some()) else {
            return Err(missing(
                "no `let p = p.map_err(Error::invalid_request)?;` check of a parameter".into(),
            ));
        };
        // In progenitor's order, which is the order errors are reported in. A body that is
        // not JSON has a check of the same shape, after the parameters: it keeps its own.
        let is_parameter = |name: &syn::Ident| op.parameters.iter().any(|p| name == &p.setter);
        let names: Vec<syn::Ident> = stmts[start..]
            .iter()
            .map_while(|s| checked_name(s).filter(|n| is_parameter(n)).cloned())
            .collect();
        let mut found: Vec<String> = names.iter().map(ToString::to_string).collect();
        let mut expected: Vec<String> = op.parameters.iter().map(|p| p.setter.clone()).collect();
        found.sort();
        expected.sort();
        if found != expected {
            return Err(missing(format!(
                "checks of parameters {found:?} in one run, expected {expected:?}"
            )));
        }
        let check: syn::Stmt = syn::parse_quote! {
            let (#(#names),*) = match (#(#names),*) {
                (#(Ok(#names)),*) => (#(#names),*),
                (#(#names),*) => {
                    return Err(::scaleway_core::internal::first_invalid(&mut [#(#names.err()),*]));
                }
            };
        };
        stmts.splice(start..start + names.len(), [check]);
    }
    Ok(())
}

/// `p` of `let p = p.map_err(Error::invalid_request)?;`.
fn checked_name(stmt: &syn::Stmt) -> Option<&syn::Ident> {
    let name = super::let_binding(stmt)?;
    let syn::Stmt::Local(local) = stmt else {
        return None;
    };
    let syn::Expr::Try(tried) = &*local.init.as_ref()?.expr else {
        return None;
    };
    let syn::Expr::MethodCall(call) = &*tried.expr else {
        return None;
    };
    let receiver_is_name = matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident(name));
    let maps_to_invalid_request = call.method == "map_err"
        && call.args.len() == 1
        && matches!(&call.args[0], syn::Expr::Path(p)
            if p.path.segments.iter().map(|s| s.ident.to_string()).eq(["Error", "invalid_request"]));
    (receiver_is_name && maps_to_invalid_request).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{generated, text};
    use super::*;

    fn after_own_errors() -> (Progenitor, ApiModel) {
        let (mut out, model) = generated();
        super::super::own_errors::apply(&mut out, &model).unwrap();
        (out, model)
    }

    #[test]
    fn the_parameters_of_a_call_are_checked_in_one_match() {
        let (mut out, model) = after_own_errors();
        assert!(text(&out).contains("let page = page . map_err (Error :: invalid_request) ?"));
        apply(&mut out, &model).unwrap();
        let text = text(&out);
        assert!(
            !text.contains("page . map_err (Error :: invalid_request) ?"),
            "{text}"
        );
        assert!(
            text.contains("let (zone , page , page_size) = match (zone , page , page_size) { (Ok (zone) , Ok (page) , Ok (page_size)) => (zone , page , page_size) ,"),
            "{text}"
        );
        assert!(
            text.contains(
                "first_invalid (& mut [zone . err () , page . err () , page_size . err ()])"
            ),
            "{text}"
        );
        // One parameter and a body: the body keeps its own check, the parameter too.
        assert!(text.contains("let zone = zone . map_err (Error :: invalid_request) ?"));
    }

    #[test]
    fn a_missing_check_is_an_error_naming_the_operation() {
        let (mut out, model) = after_own_errors();
        let stmts = &mut out
            .builder_fn_mut("ListThings", "send_with_response")
            .unwrap()
            .block
            .stmts;
        let page = stmts
            .iter()
            .position(|s| checked_name(s).is_some_and(|n| n == "page"))
            .unwrap();
        stmts.remove(page);
        let err = apply(&mut out, &model).unwrap_err().to_string();
        assert!(
            err.contains("check_inputs: operation ListThings") && err.contains("page_size"),
            "{err}"
        );
    }
}
