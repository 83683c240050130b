//! typify turns a builder into its type with one `?` per field
//! (`Ok(Self { name: value.name?, .. })`). Each `?` is an exit that drops the fields already
//! taken and those still in the builder, so the function grows with the square of the field
//! count: 4,300 lines of LLVM IR for the 30 fields of the Instance API's `SetServerRequest`.
//! This pass rewrites it as one match: every field `Ok`, or the first error in field order
//! (the same answer), in a quarter of the code.
//!
//! Anchors: for each typify builder left (after [`super::trim_builders`]), its struct's named
//! fields and the `try_from` of `TryFrom<builder::X> for X`.

use quote::format_ident;

use super::super::index::{Missing, Progenitor};
use crate::model::ApiModel;

/// The pass's name, as error messages give it.
pub const NAME: &str = "builder_conversions";

/// Applies the pass to progenitor's output; fails when an anchor is absent.
pub fn apply(out: &mut Progenitor, _model: &ApiModel) -> Result<(), Missing> {
    for name in out.type_builder_names() {
        let fields: Vec<syn::Ident> = match out.type_builder_struct_mut(&name).map(|s| &s.fields) {
            Some(syn::Fields::Named(named)) => {
                named.named.iter().filter_map(|f| f.ident.clone()).collect()
            }
            _ => {
                return Err(Missing::type_(
                    NAME,
                    &name,
                    "typify's builder is not a struct with named fields",
                ));
            }
        };
        let builder = format_ident!("{name}");
        let try_from = out
            .type_builder_trait_fn_mut(&name, "TryFrom", "try_from")
            .ok_or_else(|| {
                Missing::type_(
                    NAME,
                    &name,
                    "no `try_from` converting typify's builder into the type",
                )
            })?;
        try_from.block = if fields.is_empty() {
            syn::parse_quote!({
                let #builder {} = value;
                Ok(Self {})
            })
        } else {
            syn::parse_quote!({
                match value {
                    #builder { #(#fields: Ok(#fields)),* } => Ok(Self { #(#fields),* }),
                    value => {
                        #(if let Err(e) = &value.#fields {
                            return Err(e.clone().into());
                        })*
                        // Not reached: the arm above took every builder whose fields are all `Ok`.
                        Err(::std::string::String::new().into())
                    }
                }
            })
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{generated, text};
    use super::*;

    #[test]
    fn a_body_builder_converts_in_one_match_without_a_question_mark_per_field() {
        let (mut out, model) = generated();
        super::super::trim_builders::apply(&mut out, &model).unwrap();
        assert!(text(&out).contains("name : value . name ?"));
        apply(&mut out, &model).unwrap();
        let text = text(&out);
        assert!(!text.contains("value . name ?"), "{text}");
        assert!(
            text.contains("CreateThingRequest { labels : Ok (labels) , name : Ok (name) , project : Ok (project) }"),
            "{text}"
        );
        assert!(text.contains("if let Err (e) = & value . name"), "{text}");
    }

    #[test]
    fn a_builder_without_its_conversion_is_an_error_naming_the_type() {
        let (mut out, model) = generated();
        super::super::trim_builders::apply(&mut out, &model).unwrap();
        out.type_builder_trait_fn_mut("CreateThingRequest", "TryFrom", "try_from")
            .unwrap()
            .sig
            .ident = format_ident!("renamed");
        let err = apply(&mut out, &model).unwrap_err();
        assert!(
            err.to_string()
                .contains("builder_conversions: type CreateThingRequest"),
            "{err}"
        );
    }
}
