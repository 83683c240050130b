//! progenitor's `prelude` module re-exports its own client; users go through our wrapper
//! `crate::Client` instead, so the module is removed.

use super::super::index::{Missing, Progenitor};
use crate::model::ApiModel;

/// The pass's name, as error messages give it.
pub const NAME: &str = "prelude";

/// Applies the pass to progenitor's output; fails when an anchor is absent.
pub fn apply(out: &mut Progenitor, _model: &ApiModel) -> Result<(), Missing> {
    if out.remove_module("prelude") {
        Ok(())
    } else {
        Err(Missing {
            pass: NAME,
            subject: "the crate".into(),
            pointer: String::new(),
            anchor: "module `prelude` not found".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::generated;
    use super::*;

    #[test]
    fn removes_the_prelude() {
        let (mut out, model) = generated();
        apply(&mut out, &model).unwrap();
        assert!(!out.has_module("prelude"));
    }

    #[test]
    fn a_missing_prelude_is_an_error() {
        let (mut out, model) = generated();
        apply(&mut out, &model).unwrap();
        let err = apply(&mut out, &model).unwrap_err();
        assert!(err.to_string().contains("module `prelude`"), "{err}");
    }
}
