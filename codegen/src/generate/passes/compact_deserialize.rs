//! Writes each struct's `Deserialize` impl instead of deriving it.
//!
//! serde's derive writes, for every struct, an enum of its fields with a visitor of three
//! methods, a visitor of the struct as a sequence and one as a map: in the Instance API that
//! was 39,000 lines after expansion (the generated source was 23,000), and most of the
//! crate's build time. A JSON object needs only the map: the impl written here reads each key
//! as `scaleway_core::internal::de::Text` (borrowed from the input when it can be),
//! matches it against the wire names, and builds the struct. Behaviour is the derive's: unknown
//! keys are skipped, a missing `Option` (or `#[serde(default)]`) field is `None` (its default),
//! any other missing field is the error ``missing field `x` ``, including an `Option` that
//! typify marks as required and nullable (`deserialize_with = "…Option::deserialize"`).
//!
//! Structs with any other serde attribute (`transparent`, other `deserialize_with`, …), and
//! tuple structs, keep the derive.
//!
//! Anchor: each struct of `mod types` derives `::serde::Deserialize` (progenitor is asked to).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Fields, ItemStruct};

use super::super::index::{Missing, Progenitor};
use crate::model::ApiModel;

/// The pass's name, as error messages give it.
pub const NAME: &str = "compact_deserialize";

/// Applies the pass to progenitor's output; fails when an anchor is absent.
pub fn apply(out: &mut Progenitor, _model: &ApiModel) -> Result<(), Missing> {
    let mut impls = Vec::new();
    for name in out.type_struct_names() {
        let item = out.type_struct_mut(&name).expect("listed above");
        let Some(fields) = plain_fields(item) else {
            continue;
        };
        if !super::remove_derives(&mut item.attrs, &["Deserialize"]) {
            return Err(Missing::type_(
                NAME,
                &name,
                "no `#[derive(::serde::Deserialize)]`",
            ));
        }
        impls.push(deserialize_impl(&item.ident, &fields));
    }
    out.extend_types_with(impls, "Deserialize impls");
    Ok(())
}

/// A named field as the impl reads it.
struct PlainField {
    ident: syn::Ident,
    ty: syn::Type,
    wire: String,
    /// Missing is `None` / the default rather than an error.
    optional: bool,
}

/// The fields of a struct whose serde attributes are only `rename`, `default` and
/// `skip_serializing_if` on fields; `None` for any other struct.
fn plain_fields(item: &ItemStruct) -> Option<Vec<PlainField>> {
    if item.attrs.iter().any(|a| a.path().is_ident("serde")) || !item.generics.params.is_empty() {
        return None;
    }
    let Fields::Named(named) = &item.fields else {
        return None;
    };
    let mut out = Vec::new();
    for field in &named.named {
        let ident = field.ident.clone()?;
        let mut wire = ident.to_string().trim_start_matches("r#").to_owned();
        let mut default = false;
        // typify's mark of a field that must be present and may be null.
        let mut required_nullable = false;
        for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
            let mut plain = true;
            let parsed = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    wire = meta.value()?.parse::<syn::LitStr>()?.value();
                } else if meta.path.is_ident("default") {
                    default = !meta.input.peek(syn::Token![=]);
                    plain &= default;
                } else if meta.path.is_ident("skip_serializing_if") {
                    meta.value()?.parse::<syn::LitStr>()?;
                } else if meta.path.is_ident("deserialize_with") {
                    let with = meta.value()?.parse::<syn::LitStr>()?.value();
                    required_nullable = with == "::std::option::Option::deserialize";
                    plain &= required_nullable;
                } else {
                    plain = false;
                }
                Ok(())
            });
            if parsed.is_err() || !plain {
                return None;
            }
        }
        let optional = default || (is_option(&field.ty) && !required_nullable);
        out.push(PlainField {
            ident,
            ty: field.ty.clone(),
            wire,
            optional,
        });
    }
    Some(out)
}

/// `Option<T>`, as serde's derive tells it: by the last path segment.
fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.qself.is_none()
        && p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

fn deserialize_impl(name: &syn::Ident, fields: &[PlainField]) -> TokenStream {
    let expecting = format!("struct {name}");
    let slots: Vec<_> = (0..fields.len())
        .map(|i| format_ident!("field{i}"))
        .collect();
    let positions = (0..fields.len()).map(syn::Index::from);
    let types = fields.iter().map(|f| &f.ty);
    let wires = fields.iter().map(|f| &f.wire);
    let nones = fields.iter().map(|_| quote!(::std::option::Option::None));
    let values = fields.iter().zip(&slots).map(|(field, slot)| {
        let ident = &field.ident;
        if field.optional {
            quote!(#ident: #slot.unwrap_or_default())
        } else {
            quote!(#ident: #slot)
        }
    });
    let required: Vec<(&syn::Ident, &String)> = fields
        .iter()
        .zip(&slots)
        .filter(|(field, _)| !field.optional)
        .map(|(field, slot)| (slot, &field.wire))
        .collect();
    let build = quote!(::std::result::Result::Ok(#name { #(#values,)* }));
    let mutable = (!fields.is_empty()).then(|| quote!(mut));
    // Required fields are checked in one match: a `return` per missing field would drop the
    // fields still held at each one, which grows with the square of the field count.
    let finish = match required.split_last() {
        None => build,
        Some(((_, last_wire), before)) => {
            let names: Vec<_> = required.iter().map(|(slot, _)| *slot).collect();
            let (before_slots, before_wires): (Vec<_>, Vec<_>) = before.iter().copied().unzip();
            // The first missing one is named; when all before the last are there, it is the last.
            let first_missing = if before.is_empty() {
                quote!(#last_wire)
            } else {
                quote!(#(if #before_slots.is_none() { #before_wires } else)* { #last_wire })
            };
            quote! {
                match (#(#names,)*) {
                    (#(::std::option::Option::Some(#names),)*) => #build,
                    (#(#before_slots,)* _,) => ::std::result::Result::Err(
                        <A::Error as ::serde::de::Error>::missing_field(#first_missing),
                    ),
                }
            }
        }
    };
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                struct Fields;
                impl<'de> ::serde::de::Visitor<'de> for Fields {
                    type Value = #name;
                    fn expecting(
                        &self,
                        f: &mut ::std::fmt::Formatter<'_>,
                    ) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::std::result::Result<#name, A::Error> {
                        // One local for all fields: each `?` below drops it with one call
                        // instead of dropping every field read so far in turn.
                        let #mutable slots: (#(::std::option::Option<#types>,)*) = (#(#nones,)*);
                        while let ::std::option::Option::Some(key) =
                            map.next_key::<::scaleway_core::internal::de::Text<'de>>()?
                        {
                            match key.as_str() {
                                #(#wires => slots.#positions = ::std::option::Option::Some(map.next_value()?),)*
                                _ => {
                                    map.next_value::<::serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        let (#(#slots,)*) = slots;
                        #finish
                    }
                }
                // A map, not a struct: serde_json's `deserialize_struct` also reads arrays,
                // and is compiled once per visitor at twice the size.
                deserializer.deserialize_map(Fields)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::generated;
    use super::*;

    fn derives_deserialize(out: &Progenitor, name: &str) -> bool {
        let item = out.type_struct(name).unwrap();
        item.attrs
            .iter()
            .any(|a| quote!(#a).to_string().contains("Deserialize"))
    }

    #[test]
    fn plain_structs_get_a_written_impl_instead_of_the_derive() {
        let (mut out, model) = generated();
        assert!(derives_deserialize(&out, "Thing"));
        apply(&mut out, &model).unwrap();
        assert!(!derives_deserialize(&out, "Thing"));
        let file = &out.file;
        let text = quote!(#file).to_string();
        assert!(
            text.contains("impl < 'de > :: serde :: Deserialize < 'de > for Thing"),
            "{text}"
        );
        // Required fields are named when missing; optional ones are not.
        assert!(text.contains("missing_field (\"id\")"), "{text}");
        assert!(!text.contains("missing_field (\"state\")"));
    }

    #[test]
    fn a_struct_without_the_derive_is_an_error_naming_it() {
        let (mut out, model) = generated();
        apply(&mut out, &model).unwrap();
        let err = apply(&mut out, &model).unwrap_err();
        assert!(err.to_string().contains("compact_deserialize"), "{err}");
        assert!(
            err.to_string()
                .contains("no `#[derive(::serde::Deserialize)]`")
        );
    }
}
