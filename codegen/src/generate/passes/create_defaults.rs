//! Fills what a create request left out, on the typed body before it is serialized: the owner
//! (the configured project, else organization, as the API names the field) and, with
//! `x-name-prefix`, a readable random name.
//!
//! Anchors: in the `send` of each operation with create defaults, the `let body = …;`
//! statement (the statements go right after it), and in the body struct the owner and name
//! fields, which must be optional.

use quote::{format_ident, quote};

use super::super::index::{Missing, Progenitor, syntax};
use super::{let_binding, send_body};
use crate::model::{ApiModel, Operation};

/// The pass's name, as error messages give it.
pub const NAME: &str = "create_defaults";

/// Applies the pass to progenitor's output; fails when an anchor is absent.
pub fn apply(out: &mut Progenitor, model: &ApiModel) -> Result<(), Missing> {
    for op in &model.operations {
        let Some(defaults) = &op.create_defaults else {
            continue;
        };
        let body_struct = body_struct_name(out, op, NAME)?;
        let st = out.type_struct(&body_struct).ok_or_else(|| {
            Missing::operation(NAME, op, format!("body struct `{body_struct}` not found"))
        })?;
        let field = |wire: &str| -> Result<(syn::Ident, syn::Type), Missing> {
            let field = syntax::field_by_wire(st, wire).ok_or_else(|| {
                Missing::operation(
                    NAME,
                    op,
                    format!("body struct `{body_struct}` has no field `{wire}`"),
                )
            })?;
            let inner = syntax::first_arg(&field.ty, "Option")
                .cloned()
                .ok_or_else(|| {
                    Missing::operation(
                        NAME,
                        op,
                        format!("field `{wire}` of `{body_struct}` is not an Option"),
                    )
                })?;
            Ok((field.ident.clone().expect("named field"), inner))
        };
        let mut fills = Vec::new();
        if let Some(owner) = &defaults.owner {
            let all: Vec<syn::Ident> = defaults
                .owner_fields
                .iter()
                .map(|f| field(f).map(|(ident, _)| ident))
                .collect::<Result<_, _>>()?;
            let (target, _) = field(&owner.field)?;
            let source = if owner.from_project {
                quote!(::scaleway_core::internal::Owner::Project)
            } else {
                quote!(::scaleway_core::internal::Owner::Organization)
            };
            fills.push(quote! {
                if #(body.#all.is_none())&&* {
                    body.#target = ::scaleway_core::internal::default_owner(client.inner(), #source);
                }
            });
        }
        if let Some(prefix) = &defaults.name_prefix {
            let (name, inner) = field("name")?;
            if syntax::last_ident(&inner).as_deref() != Some("String") {
                return Err(Missing::operation(
                    NAME,
                    op,
                    format!("field `name` of `{body_struct}` is not an optional String"),
                ));
            }
            fills.push(quote!(::scaleway_core::internal::fill_name(&mut body.#name, #prefix);));
        }
        let stmts = send_body(NAME, out, op)?;
        let Some(position) = stmts
            .iter()
            .position(|s| let_binding(s).is_some_and(|i| i == "body"))
        else {
            return Err(Missing::operation(
                NAME,
                op,
                format!("`send` of `{}` has no `let body = …`", op.builder_name),
            ));
        };
        let body = format_ident!("body");
        let block: syn::Block = syn::parse_quote!({
            let mut #body = #body;
            #(#fills)*
        });
        stmts.splice(position + 1..position + 1, block.stmts);
    }
    Ok(())
}

/// The name of the type of `op`'s JSON body: `X` of the builder's `body: Result<types::builder::X, String>`.
pub fn body_struct_name(
    out: &Progenitor,
    op: &Operation,
    pass: &'static str,
) -> Result<String, Missing> {
    out.builder_body_type(&op.builder_name)
        .and_then(syntax::last_ident)
        .ok_or_else(|| {
            Missing::operation(
                pass,
                op,
                format!("builder `{}` has no typed `body` field", op.builder_name),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{generated, text};
    use super::*;

    #[test]
    fn owner_and_name_are_filled_on_the_typed_body() {
        let (mut out, model) = generated();
        super::super::route_requests::apply(&mut out, &model).unwrap();
        apply(&mut out, &model).unwrap();
        let text = text(&out);
        assert!(text.contains("if body . project . is_none () { body . project = :: scaleway_core :: internal :: default_owner"), "{text}");
        assert!(text.contains("fill_name (& mut body . name , \"thg\")"));
    }

    #[test]
    fn a_missing_body_field_is_an_error_naming_the_operation() {
        let (mut out, mut model) = generated();
        let op = model
            .operations
            .iter_mut()
            .find(|o| o.operation_id == "CreateThing")
            .unwrap();
        op.create_defaults
            .as_mut()
            .unwrap()
            .owner_fields
            .push("organization".into());
        let err = apply(&mut out, &model).unwrap_err();
        assert!(
            err.to_string().contains("operation CreateThing")
                && err.to_string().contains("`organization`"),
            "{err}"
        );
    }
}
