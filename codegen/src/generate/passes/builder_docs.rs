//! progenitor documents its builders with links to its own client, which the crate keeps
//! private, and its `send` with a sentence of its own. Both are rewritten from the model: the
//! builder links to the wrapper's method, `send` names the method and path.
//!
//! Anchors: each operation's builder struct and its `send` method.

use super::super::index::{Missing, Progenitor};
use crate::model::ApiModel;

/// The pass's name, as error messages give it.
pub const NAME: &str = "builder_docs";

/// Applies the pass to progenitor's output; fails when an anchor is absent.
pub fn apply(out: &mut Progenitor, model: &ApiModel) -> Result<(), Missing> {
    for op in &model.operations {
        let builder_doc = format!(
            " Request of [`Client::{}`](super::super::Client::{}): set its parameters, then `send()`.",
            op.method_name, op.method_name
        );
        let builder = out.builder_struct_mut(&op.builder_name).ok_or_else(|| {
            Missing::operation(
                NAME,
                op,
                format!("builder struct `{}` not found", op.builder_name),
            )
        })?;
        replace_docs(&mut builder.attrs, &builder_doc);
        let send_doc = format!(" Sends `{} {}`.", op.method.as_str(), op.path);
        let send = out
            .builder_fn_mut(&op.builder_name, "send")
            .ok_or_else(|| {
                Missing::operation(
                    NAME,
                    op,
                    format!("builder `{}` has no `send` method", op.builder_name),
                )
            })?;
        replace_docs(&mut send.attrs, &send_doc);
    }
    Ok(())
}

fn replace_docs(attrs: &mut Vec<syn::Attribute>, doc: &str) {
    attrs.retain(|a| !a.path().is_ident("doc"));
    attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{generated, text};
    use super::*;

    #[test]
    fn builders_link_to_the_wrapper() {
        let (mut out, model) = generated();
        apply(&mut out, &model).unwrap();
        let text = text(&out);
        assert!(
            text.contains("(super::super::Client::list_things)"),
            "{text}"
        );
        assert!(text.contains("Sends `PATCH /t/v1/zones/{zone}/things/{thing_id}`."));
        assert!(
            !text.contains("]: super::Client::"),
            "progenitor's link to its own client is gone"
        );
    }

    #[test]
    fn a_missing_send_is_an_error_naming_the_operation() {
        let (mut out, model) = generated();
        out.builder_fn_mut("CreateThing", "send").unwrap().sig.ident = quote::format_ident!("go");
        let err = apply(&mut out, &model).unwrap_err();
        assert!(err.to_string().contains("operation CreateThing"), "{err}");
    }
}
