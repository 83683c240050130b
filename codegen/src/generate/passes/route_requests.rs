//! Sends each request through the runtime with the operation's static record
//! (`crate::operations::<NAME>`: method, path template, locality), instead of progenitor's
//! hooks, which only know an operation id string: the runtime needs no lookup per request.
//!
//! Anchors: in each operation's `send`, progenitor's `let info = OperationInfo { … };` through
//! `let response = result?;`, which become one call of `scaleway_core::internal::execute`.

use quote::format_ident;

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
        let call: syn::Stmt = syn::parse_quote! {
            let response = ::scaleway_core::internal::execute(client.inner(), request, &super::super::operations::#record, &call).await?;
        };
        stmts.splice(info..=response, [call]);
    }
    Ok(())
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
    }

    #[test]
    fn a_send_without_hooks_is_an_error_naming_the_operation() {
        let (mut out, model) = generated();
        apply(&mut out, &model).unwrap();
        let err = apply(&mut out, &model).unwrap_err();
        assert!(err.to_string().contains("operation ListThings"), "{err}");
    }
}
