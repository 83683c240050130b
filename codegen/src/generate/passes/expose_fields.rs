//! The crate's own extras (pagination reads the page size a caller set; waiters clone the
//! request) need the fields of progenitor's operation builders, which are private.

use super::super::index::{Missing, Progenitor};
use crate::model::ApiModel;

/// The pass's name, as error messages give it.
pub const NAME: &str = "expose_fields";

/// Applies the pass to progenitor's output; fails when an anchor is absent.
pub fn apply(out: &mut Progenitor, model: &ApiModel) -> Result<(), Missing> {
    for op in &model.operations {
        let builder = out.builder_struct_mut(&op.builder_name).ok_or_else(|| {
            Missing::operation(
                NAME,
                op,
                format!("builder struct `{}` not found", op.builder_name),
            )
        })?;
        for field in builder.fields.iter_mut() {
            field.vis = syn::parse_quote!(pub(crate));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::generated;
    use super::*;

    #[test]
    fn builder_fields_become_crate_visible() {
        let (mut out, model) = generated();
        apply(&mut out, &model).unwrap();
        let builder = out.builder_struct("ListThings").unwrap();
        assert!(
            builder
                .fields
                .iter()
                .all(|f| matches!(f.vis, syn::Visibility::Restricted(_)))
        );
    }

    #[test]
    fn a_missing_builder_is_an_error_naming_the_operation() {
        let (mut out, model) = generated();
        out.builder_struct_mut("ListThings").unwrap().ident = quote::format_ident!("Renamed");
        out.reindex();
        let err = apply(&mut out, &model).unwrap_err();
        assert!(err.to_string().contains("operation ListThings"), "{err}");
    }
}
