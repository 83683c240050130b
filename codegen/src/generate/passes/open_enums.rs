//! Opens every string enum: Scaleway adds values all the time, so each gets a catch-all
//! `Unknown(String)` variant that keeps a value this crate does not know, and typify's
//! conversions (which reject unknown strings) are replaced by total ones.
//!
//! Anchors: each string enum component of the spec is an enum of `mod types`; each enum
//! opened has typify's `FromStr` impl, which is replaced.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Fields, ItemEnum};

use super::super::index::{Missing, Progenitor};
use crate::model::ApiModel;

/// The pass's name, as error messages give it.
pub const NAME: &str = "open_enums";

/// typify's conversions of a string enum, replaced by ours.
const REPLACED_TRAITS: &[&str] = &["Display", "FromStr", "TryFrom"];

/// Applies the pass to progenitor's output; fails when an anchor is absent.
pub fn apply(out: &mut Progenitor, model: &ApiModel) -> Result<(), Missing> {
    let enums = out.type_enum_names();
    for component in &model.string_enums {
        if !enums.contains(component) {
            return Err(Missing::type_(
                NAME,
                component,
                "no enum of that name (a string enum component of the spec)",
            ));
        }
    }
    let mut opened: Vec<(String, &[&str])> = Vec::new();
    let mut added = Vec::new();
    for name in enums {
        let item = out.type_enum_mut(&name).expect("listed above");
        let Some(values) = string_enum_values(item) else {
            continue;
        };
        // A data-carrying variant cannot be `Copy` (typify derives it for some enums only,
        // so its absence is no error).
        super::remove_derives(&mut item.attrs, &["Copy"]);
        // Serialized through `as_str` and read through `From<&str>` (impls below): serde's
        // derive reads an enum with an untagged variant by buffering every value first.
        if !super::remove_derives(&mut item.attrs, &["Serialize", "Deserialize"]) {
            return Err(Missing::type_(
                NAME,
                &name,
                "no `#[derive(::serde::Serialize, ::serde::Deserialize)]`",
            ));
        }
        for variant in &mut item.variants {
            variant.attrs.retain(|a| !a.path().is_ident("serde"));
        }
        // `Unknown` unless the API itself has a value `unknown`.
        let catch_all = if values.iter().any(|(v, _)| v == "Unknown") {
            format_ident!("UnknownValue")
        } else {
            format_ident!("Unknown")
        };
        item.variants.push(syn::parse_quote! {
            /// A value this version of the crate does not know yet, kept as received.
            #catch_all(::std::string::String)
        });
        added.push(open_enum_impls(&item.ident, &values, &catch_all));
        if !out.type_trait_impls(&name).iter().any(|t| t == "FromStr") {
            return Err(Missing::type_(
                NAME,
                &name,
                "typify's `FromStr` impl not found",
            ));
        }
        opened.push((name, REPLACED_TRAITS));
    }
    out.remove_type_trait_impls(&opened);
    out.reindex();
    out.extend_types_with(added, "open enum impls");
    Ok(())
}

/// The wire strings of an enum whose variants all carry no data, or `None` for other enums.
fn string_enum_values(item: &ItemEnum) -> Option<Vec<(syn::Ident, String)>> {
    if item.variants.is_empty()
        || !item
            .variants
            .iter()
            .all(|v| matches!(v.fields, Fields::Unit))
    {
        return None;
    }
    let mut out = Vec::new();
    for variant in &item.variants {
        let mut wire = variant.ident.to_string();
        for attr in variant.attrs.iter().filter(|a| a.path().is_ident("serde")) {
            let _ = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    let lit: syn::LitStr = meta.value()?.parse()?;
                    wire = lit.value();
                }
                Ok(())
            });
        }
        out.push((variant.ident.clone(), wire));
    }
    Some(out)
}

fn open_enum_impls(
    name: &syn::Ident,
    values: &[(syn::Ident, String)],
    catch_all: &syn::Ident,
) -> TokenStream {
    let variants: Vec<_> = values.iter().map(|(v, _)| v).collect();
    let wires: Vec<_> = values.iter().map(|(_, w)| w).collect();
    quote! {
        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::#catch_all(value) => value.as_str(),
                }
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.pad(self.as_str())
            }
        }
        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(match value {
                    #(#wires => Self::#variants,)*
                    other => Self::#catch_all(other.to_owned()),
                })
            }
        }
        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value.parse() {
                    Ok(parsed) => parsed,
                    Err(never) => match never {},
                }
            }
        }
        impl ::std::convert::From<&::std::string::String> for #name {
            fn from(value: &::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let text = ::scaleway_core::internal::de::Text::deserialize(deserializer)?;
                Ok(Self::from(text.as_str()))
            }
        }
        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{generated, text};
    use super::*;

    #[test]
    fn string_enums_get_a_catch_all_and_total_conversions() {
        let (mut out, model) = generated();
        assert_eq!(model.string_enums, ["ThingKind"]);
        apply(&mut out, &model).unwrap();
        let text = text(&out);
        assert!(
            text.contains("Unknown (:: std :: string :: String)"),
            "{text}"
        );
        // The API's own `unknown` value keeps its variant; the catch-all gets another name.
        assert!(text.contains("UnknownValue (:: std :: string :: String)"));
        assert!(text.contains("type Err = :: std :: convert :: Infallible"));
        // typify's failing conversions are gone.
        assert!(!text.contains("impl :: std :: convert :: TryFrom < & str > for ThingState"));
    }

    #[test]
    fn a_missing_enum_is_an_error_naming_the_type() {
        let (mut out, mut model) = generated();
        model.string_enums.push("Vanished".into());
        let err = apply(&mut out, &model).unwrap_err();
        assert!(err.to_string().contains("type Vanished"), "{err}");
    }
}
