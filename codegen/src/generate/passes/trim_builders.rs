//! typify writes a builder (`types::builder::X`, with `X::builder()`, `TryFrom` and `From`)
//! for every struct. The one users call is the request body's, through an operation's
//! `body_map(|body| body.name(..))`; the values inside a body and the answers are written as
//! struct literals (`..Default::default()` where every field is optional). The other builders
//! are removed: in the Instance API they were 16,000 of the 30,000 generated lines, and the
//! largest share of the crate's build time after serde.
//!
//! Kept: the builder of every type named in an operation builder's fields (its body and
//! parameters).
//!
//! Anchors: each operation's builder struct; for each struct of `mod types` with named
//! fields, typify's builder and `X::builder()`.

use std::collections::BTreeSet;

use super::super::index::{Missing, Progenitor};
use crate::model::ApiModel;

/// The pass's name, as error messages give it.
pub const NAME: &str = "trim_builders";

/// Applies the pass to progenitor's output; fails when an anchor is absent.
pub fn apply(out: &mut Progenitor, model: &ApiModel) -> Result<(), Missing> {
    let mut named = Vec::new();
    for op in &model.operations {
        let builder = out.builder_struct(&op.builder_name).ok_or_else(|| {
            Missing::operation(
                NAME,
                op,
                format!("builder struct `{}` not found", op.builder_name),
            )
        })?;
        for field in &builder.fields {
            named_types(&field.ty, &mut named);
        }
    }
    let kept: BTreeSet<String> = named.into_iter().collect();
    // typify gives a builder to structs with named fields only (not to newtypes).
    let unused: Vec<String> = out
        .type_struct_names()
        .into_iter()
        .filter(|name| !kept.contains(name))
        .filter(|name| {
            out.type_struct(name)
                .is_some_and(|s| matches!(s.fields, syn::Fields::Named(_)))
        })
        .collect();
    for name in &unused {
        if !out.remove_type_builder(name) {
            return Err(Missing::type_(
                NAME,
                name,
                "no typify builder (`types::builder`) nor `builder()` constructor",
            ));
        }
    }
    out.remove_empty_type_impls();
    Ok(())
}

/// Every identifier in the paths of `ty`, generic arguments included (`Option<Vec<Volume>>`
/// names `Option`, `Vec` and `Volume`); callers keep those that are generated types.
fn named_types(ty: &syn::Type, into: &mut Vec<String>) {
    match ty {
        syn::Type::Path(path) => {
            for segment in &path.path.segments {
                into.push(segment.ident.to_string());
                if let syn::PathArguments::AngleBracketed(args) = &segment.arguments {
                    for arg in &args.args {
                        if let syn::GenericArgument::Type(inner) = arg {
                            named_types(inner, into);
                        }
                    }
                }
            }
        }
        syn::Type::Reference(reference) => named_types(&reference.elem, into),
        syn::Type::Array(array) => named_types(&array.elem, into),
        syn::Type::Slice(slice) => named_types(&slice.elem, into),
        syn::Type::Tuple(tuple) => tuple.elems.iter().for_each(|t| named_types(t, into)),
        syn::Type::Paren(paren) => named_types(&paren.elem, into),
        syn::Type::Group(group) => named_types(&group.elem, into),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::generated;
    use super::*;

    #[test]
    fn only_request_bodies_keep_their_builders() {
        let (mut out, model) = generated();
        for name in [
            "ListThingsResponse",
            "Thing",
            "CreateThingRequest",
            "Labels",
        ] {
            assert!(out.type_builder_struct_mut(name).is_some(), "{name}");
        }
        apply(&mut out, &model).unwrap();
        // Answers and values inside a body: no builder, no `builder()`; the types stay.
        for name in ["ListThingsResponse", "Thing", "Labels"] {
            assert!(out.type_builder_struct_mut(name).is_none(), "{name}");
            assert!(out.type_struct(name).is_some(), "{name}");
            assert!(
                !out.remove_type_builder(name),
                "{name}: nothing left to remove"
            );
        }
        // A body keeps its builder.
        assert!(out.type_builder_struct_mut("CreateThingRequest").is_some());
    }

    #[test]
    fn a_struct_without_its_builder_is_an_error_naming_the_type() {
        let (mut out, model) = generated();
        apply(&mut out, &model).unwrap();
        let err = apply(&mut out, &model).unwrap_err();
        assert!(
            err.to_string().contains("trim_builders: type Labels"),
            "{err}"
        );
    }
}
