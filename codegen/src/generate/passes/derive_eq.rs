//! `Eq` beside the `PartialEq` every generated type derives, where the fields allow it: users
//! compare answers and put ids in sets. A type is `Eq` unless it holds a float, directly or
//! through another generated type (found by a fixed point over the types' fields).
//!
//! Anchor: each struct and enum of `mod types` derives `PartialEq` (progenitor is asked to).

use std::collections::{BTreeMap, BTreeSet};

use syn::{Fields, GenericArgument, PathArguments, Type};

use super::super::index::{Missing, Progenitor};
use crate::model::ApiModel;

/// The pass's name, as error messages give it.
pub const NAME: &str = "derive_eq";

/// Primitive types that are `Eq` (floats are not).
const EQ_PRIMITIVES: &[&str] = &[
    "bool", "char", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128",
    "usize",
];
/// Types of std and dependencies, always written with a path (`::uuid::Uuid`), that are `Eq`.
const EQ_TYPES: &[&str] = &[
    "String",
    "Value",
    "Map",
    "Uuid",
    "DateTime",
    "NaiveDate",
    "NaiveDateTime",
    "Utc",
    "Zone",
    "Region",
];
/// Containers that are `Eq` when their arguments are.
const CONTAINERS: &[&str] = &[
    "Option", "Vec", "Box", "BTreeMap", "HashMap", "BTreeSet", "HashSet",
];

/// Applies the pass to progenitor's output; fails when an anchor is absent.
pub fn apply(out: &mut Progenitor, _model: &ApiModel) -> Result<(), Missing> {
    let names = out.type_definition_names();
    let mut fields: BTreeMap<String, Vec<Type>> = BTreeMap::new();
    for name in &names {
        fields.insert(name.clone(), out.type_field_types(name).unwrap_or_default());
    }
    // Fixed point: start from "all Eq" and drop types holding something that is not.
    let mut eq: BTreeSet<String> = names.iter().cloned().collect();
    loop {
        let before = eq.len();
        let current = eq.clone();
        eq.retain(|name| fields[name].iter().all(|ty| is_eq(ty, &current)));
        if eq.len() == before {
            break;
        }
    }
    for name in &eq {
        let attrs = out.type_attrs_mut(name).expect("listed above");
        let derive = attrs
            .iter_mut()
            .find(|a| {
                a.path().is_ident("derive") && derive_list(a).iter().any(|p| p == "PartialEq")
            })
            .ok_or_else(|| Missing::type_(NAME, name, "no `#[derive(PartialEq)]`"))?;
        let mut paths = derive_list(derive);
        if !paths.iter().any(|p| p == "Eq") {
            paths.push("Eq".into());
            let idents: Vec<syn::Path> = paths
                .iter()
                .map(|p| syn::parse_str(p).expect("a derive path"))
                .collect();
            *derive = syn::parse_quote!(#[derive(#(#idents),*)]);
        }
    }
    Ok(())
}

/// The paths of a `#[derive(…)]`, as written (`::serde::Serialize`, `PartialEq`).
fn derive_list(attr: &syn::Attribute) -> Vec<String> {
    attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        .map(|paths| {
            paths
                .iter()
                .map(|p| {
                    let segments: Vec<String> =
                        p.segments.iter().map(|s| s.ident.to_string()).collect();
                    let joined = segments.join("::");
                    if p.leading_colon.is_some() {
                        format!("::{joined}")
                    } else {
                        joined
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

fn is_eq(ty: &Type, eq_types: &BTreeSet<String>) -> bool {
    match ty {
        Type::Path(path) => {
            let Some(last) = path.path.segments.last() else {
                return false;
            };
            let name = last.ident.to_string();
            let args_eq = match &last.arguments {
                PathArguments::AngleBracketed(args) => args.args.iter().all(|a| match a {
                    GenericArgument::Type(t) => is_eq(t, eq_types),
                    _ => true,
                }),
                _ => true,
            };
            let qualified = path.path.leading_colon.is_some();
            (CONTAINERS.contains(&name.as_str()) && args_eq)
                || (qualified && EQ_TYPES.contains(&name.as_str()) && args_eq)
                || (!qualified && EQ_PRIMITIVES.contains(&name.as_str()))
                || (!qualified && eq_types.contains(&name))
        }
        Type::Tuple(tuple) => tuple.elems.iter().all(|t| is_eq(t, eq_types)),
        _ => false,
    }
}

/// The types of a struct's fields or an enum's variant fields.
pub(crate) fn field_types(fields: &Fields) -> Vec<Type> {
    fields.iter().map(|f| f.ty.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{generated, text};
    use super::*;

    #[test]
    fn types_without_floats_derive_eq() {
        let (mut out, model) = generated();
        apply(&mut out, &model).unwrap();
        let text = text(&out);
        let thing = text.split("pub struct Thing {").next().unwrap();
        let derive = thing.rsplit("# [derive").next().unwrap();
        assert!(derive.contains("PartialEq , Eq"), "{derive}");
    }

    #[test]
    fn a_float_anywhere_inside_keeps_a_type_partial() {
        let floats = BTreeSet::new();
        assert!(!is_eq(
            &syn::parse_quote!(::std::option::Option<f64>),
            &floats
        ));
        assert!(!is_eq(
            &syn::parse_quote!(::std::vec::Vec<Missing>),
            &floats
        ));
        let known: BTreeSet<String> = ["Thing".to_owned()].into();
        assert!(is_eq(&syn::parse_quote!(::std::vec::Vec<Thing>), &known));
        assert!(is_eq(
            &syn::parse_quote!(::std::collections::BTreeMap<::std::string::String, Thing>),
            &known
        ));
        // A generated type that happens to share a dependency's name is judged by its fields.
        assert!(!is_eq(&syn::parse_quote!(Value), &known));
        assert!(is_eq(&syn::parse_quote!(::serde_json::Value), &known));
    }
}
