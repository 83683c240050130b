//! Nullable scalar properties of PATCH bodies have three states: left out (unchanged), `null`
//! (removed: detach an IP, leave a placement group) and a value. They become
//! `Option<Option<T>>` in the body type, in typify's builder of it and in that builder's setter.
//! The field's serde attributes are replaced, not added to: typify's own (e.g. a
//! `deserialize_with` for a nullable field) would clash with ours.
//!
//! Anchors: the body struct of each PATCH operation with nullable scalars, each such field
//! (found by wire name, and an `Option`), typify's builder struct and setter of the field.

use super::super::index::{Missing, Progenitor, syntax};
use super::create_defaults::body_struct_name;
use crate::model::ApiModel;

/// The pass's name, as error messages give it.
pub const NAME: &str = "tri_state";

/// Applies the pass to progenitor's output; fails when an anchor is absent.
pub fn apply(out: &mut Progenitor, model: &ApiModel) -> Result<(), Missing> {
    let mut done: std::collections::BTreeSet<(String, String)> = Default::default();
    let mut defaults_dropped = false;
    for op in &model.operations {
        if op.nullable_update_fields.is_empty() {
            continue;
        }
        let body = body_struct_name(out, op, NAME)?;
        for wire in &op.nullable_update_fields {
            // Two operations may share a body component: change it once.
            if !done.insert((body.clone(), wire.clone())) {
                continue;
            }
            let missing = |anchor: String| Missing::operation(NAME, op, anchor);
            let st = out
                .type_struct_mut(&body)
                .ok_or_else(|| missing(format!("body struct `{body}` not found")))?;
            let field = syntax::field_by_wire_mut(st, wire)
                .ok_or_else(|| missing(format!("body struct `{body}` has no field `{wire}`")))?;
            let inner = syntax::first_arg(&field.ty, "Option")
                .cloned()
                .ok_or_else(|| missing(format!("field `{wire}` of `{body}` is not an Option")))?;
            let ident = field.ident.clone().expect("named field");
            field.ty = syn::parse_quote!(::std::option::Option<::std::option::Option<#inner>>);
            // typify's `default = "defaults::…"` goes too: an update's default is "unchanged".
            field.attrs.retain(|a| !a.path().is_ident("serde"));
            defaults_dropped = true;
            if ident != wire.as_str() {
                field
                    .attrs
                    .push(syn::parse_quote!(#[serde(rename = #wire)]));
            }
            field.attrs.push(syn::parse_quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none", with = "::scaleway_core::internal::double_option")]));
            field.attrs.push(syn::parse_quote!(#[doc = ""]));
            field.attrs.push(syn::parse_quote!(#[doc = " `None` leaves the value unchanged; `Some(None)` sends `null` to remove it."]));

            let builder = out
                .type_builder_struct_mut(&body)
                .ok_or_else(|| missing(format!("typify builder `{body}` not found")))?;
            let slot = builder
                .fields
                .iter_mut()
                .find(|f| f.ident.as_ref() == Some(&ident))
                .ok_or_else(|| {
                    missing(format!("typify builder `{body}` has no field `{ident}`"))
                })?;
            wrap_first_arg(&mut slot.ty).ok_or_else(|| {
                missing(format!(
                    "field `{ident}` of typify builder `{body}` is not a Result"
                ))
            })?;
            let setter = out
                .type_builder_fn_mut(&body, &ident.to_string())
                .ok_or_else(|| {
                    missing(format!("typify builder `{body}` has no setter `{ident}`"))
                })?;
            let mut wrapped = false;
            if let Some(clause) = setter.sig.generics.where_clause.as_mut() {
                for predicate in clause.predicates.iter_mut() {
                    let syn::WherePredicate::Type(bound) = predicate else {
                        continue;
                    };
                    for b in bound.bounds.iter_mut() {
                        if let syn::TypeParamBound::Trait(t) = b
                            && let Some(last) = t.path.segments.last_mut()
                            && last.ident == "TryInto"
                            && let syn::PathArguments::AngleBracketed(args) = &mut last.arguments
                            && let Some(syn::GenericArgument::Type(target)) = args.args.first_mut()
                        {
                            *target = syn::parse_quote!(::std::option::Option<#target>);
                            wrapped = true;
                        }
                    }
                }
            }
            if !wrapped {
                return Err(missing(format!(
                    "setter `{ident}` of typify builder `{body}` has no `TryInto` bound"
                )));
            }
        }
    }
    // A default function typify wrote for a field changed here may now be unused.
    if defaults_dropped && let Some(defaults) = out.types_submodule_mut("defaults") {
        defaults.attrs.push(syn::parse_quote!(#[allow(dead_code)]));
    }
    Ok(())
}

/// `Result<T, E>` → `Result<Option<T>, E>`.
fn wrap_first_arg(ty: &mut syn::Type) -> Option<()> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last_mut()?;
    let syn::PathArguments::AngleBracketed(args) = &mut last.arguments else {
        return None;
    };
    let Some(syn::GenericArgument::Type(inner)) = args.args.first_mut() else {
        return None;
    };
    *inner = syn::parse_quote!(::std::option::Option<#inner>);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{generated, text};
    use super::*;

    #[test]
    fn nullable_update_fields_get_three_states_and_one_serde_with() {
        let (mut out, model) = generated();
        apply(&mut out, &model).unwrap();
        let text = text(&out);
        assert!(text.contains("pub label : :: std :: option :: Option < :: std :: option :: Option < :: std :: string :: String > >"), "{text}");
        assert!(text.contains(
            "pub size : :: std :: option :: Option < :: std :: option :: Option < i64 > >"
        ));
        // Our serde attribute replaces typify's (a `deserialize_with` for the required
        // nullable `label` would clash with it).
        assert_eq!(
            text.matches("::scaleway_core::internal::double_option")
                .count(),
            2,
            "{text}"
        );
        assert!(!text.contains("deserialize_with"));
    }

    #[test]
    fn a_missing_field_is_an_error_naming_the_operation() {
        let (mut out, mut model) = generated();
        let op = model
            .operations
            .iter_mut()
            .find(|o| o.operation_id == "UpdateThing")
            .unwrap();
        op.nullable_update_fields.push("ghost".into());
        let err = apply(&mut out, &model).unwrap_err();
        assert!(
            err.to_string().contains("operation UpdateThing")
                && err.to_string().contains("`ghost`"),
            "{err}"
        );
    }
}
