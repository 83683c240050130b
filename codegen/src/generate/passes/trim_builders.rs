//! typify writes a builder (`types::builder::X`, with `X::builder()`, `TryFrom` and `From`)
//! for every struct. Users build request bodies and the values inside them; nobody builds an
//! answer field by field (tests write the struct literal). The builders of types that no
//! operation takes, directly or inside another type it takes, are removed: in the Instance API
//! they were half of the generated source, and compile time with it.
//!
//! Kept: every type named in an operation builder's fields (its body and parameters) and,
//! transitively, every type named in the fields of a kept type.
//!
//! Anchors: each operation's builder struct; for each struct of `mod types`, typify's
//! builder and `X::builder()`.

use std::collections::BTreeSet;

use super::super::index::{Missing, Progenitor};
use crate::model::ApiModel;

/// The pass's name, as error messages give it.
pub const NAME: &str = "trim_builders";

/// Applies the pass to progenitor's output; fails when an anchor is absent.
pub fn apply(out: &mut Progenitor, model: &ApiModel) -> Result<(), Missing> {
    let defined: BTreeSet<String> = out.type_definition_names().into_iter().collect();
    let mut kept = BTreeSet::new();
    let mut pending = Vec::new();
    for op in &model.operations {
        let builder = out.builder_struct(&op.builder_name).ok_or_else(|| {
            Missing::operation(
                NAME,
                op,
                format!("builder struct `{}` not found", op.builder_name),
            )
        })?;
        for field in &builder.fields {
            named_types(&field.ty, &mut pending);
        }
    }
    while let Some(name) = pending.pop() {
        if !defined.contains(&name) || !kept.insert(name.clone()) {
            continue;
        }
        for ty in out.type_field_types(&name).unwrap_or_default() {
            named_types(&ty, &mut pending);
        }
    }
    let unused: Vec<String> = out
        .type_struct_names()
        .into_iter()
        .filter(|name| !kept.contains(name))
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
    fn answers_lose_their_builders_and_request_bodies_keep_theirs() {
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
        // Answers only: no builder, no `builder()`; the types themselves stay.
        for name in ["ListThingsResponse", "Thing"] {
            assert!(out.type_builder_struct_mut(name).is_none(), "{name}");
            assert!(out.type_struct(name).is_some(), "{name}");
            assert!(
                !out.remove_type_builder(name),
                "{name}: nothing left to remove"
            );
        }
        // A body keeps its builder, and so does the type inside it.
        assert!(out.type_builder_struct_mut("CreateThingRequest").is_some());
        assert!(out.type_builder_struct_mut("Labels").is_some());
    }

    #[test]
    fn a_struct_without_its_builder_is_an_error_naming_the_type() {
        let (mut out, model) = generated();
        apply(&mut out, &model).unwrap();
        let err = apply(&mut out, &model).unwrap_err();
        assert!(err.to_string().contains("type ListThingsResponse"), "{err}");
    }
}
