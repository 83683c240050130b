//! progenitor's parameter setters drop the reason a conversion failed (`conversion to `Zone`
//! for zone failed`); keep it, so that callers read e.g.
//! `invalid zone: "fr-par-9x" is not a zone: expected <region>-<n> such as fr-par-1`.
//!
//! Anchor: the setter of each parameter of each operation, and in it one `map_err` whose
//! closure ignores its argument.

use syn::visit_mut::VisitMut;

use super::super::index::{Missing, Progenitor};
use crate::model::ApiModel;

/// The pass's name, as error messages give it.
pub const NAME: &str = "conversion_errors";

/// Applies the pass to progenitor's output; fails when an anchor is absent.
pub fn apply(out: &mut Progenitor, model: &ApiModel) -> Result<(), Missing> {
    for op in &model.operations {
        for param in &op.parameters {
            let setter = out
                .builder_fn_mut(&op.builder_name, &param.setter)
                .ok_or_else(|| {
                    Missing::operation(
                        NAME,
                        op,
                        format!(
                            "builder `{}` has no setter `{}`",
                            op.builder_name, param.setter
                        ),
                    )
                })?;
            let message = format!("invalid {}: {{e}}", param.name);
            let mut rewrite = Rewrite {
                message: &message,
                replaced: 0,
            };
            rewrite.visit_block_mut(&mut setter.block);
            if rewrite.replaced != 1 {
                return Err(Missing::operation(
                    NAME,
                    op,
                    format!(
                        "setter `{}::{}` has {} conversion-error closures, expected one",
                        op.builder_name, param.setter, rewrite.replaced
                    ),
                ));
            }
            let generic = setter
                .sig
                .generics
                .type_params()
                .next()
                .map(|p| p.ident.clone());
            let Some(generic) = generic else {
                return Err(Missing::operation(
                    NAME,
                    op,
                    format!(
                        "setter `{}::{}` has no type parameter",
                        op.builder_name, param.setter
                    ),
                ));
            };
            setter
                .sig
                .generics
                .make_where_clause()
                .predicates
                .push(syn::parse_quote!(#generic::Error: ::std::fmt::Display));
        }
    }
    Ok(())
}

/// Replaces `.map_err(|_| …)` by `.map_err(|e| format!(message))`.
struct Rewrite<'a> {
    message: &'a str,
    replaced: usize,
}

impl VisitMut for Rewrite<'_> {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        syn::visit_mut::visit_expr_method_call_mut(self, call);
        if call.method != "map_err" || call.args.len() != 1 {
            return;
        }
        if let Some(syn::Expr::Closure(closure)) = call.args.first_mut()
            && closure.inputs.len() == 1
            && matches!(closure.inputs[0], syn::Pat::Wild(_))
        {
            let message = self.message;
            *closure = syn::parse_quote!(|e| format!(#message));
            self.replaced += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{generated, text};
    use super::*;

    #[test]
    fn setters_keep_the_conversion_error() {
        let (mut out, model) = generated();
        apply(&mut out, &model).unwrap();
        let text = text(&out);
        assert!(text.contains("format ! (\"invalid zone: {e}\")"), "{text}");
        assert!(text.contains("format ! (\"invalid thing_id: {e}\")"));
        assert!(text.contains("V :: Error : :: std :: fmt :: Display"));
    }

    #[test]
    fn a_missing_setter_is_an_error_naming_the_operation() {
        let (mut out, mut model) = generated();
        let op = model
            .operations
            .iter_mut()
            .find(|o| o.operation_id == "ListThings")
            .unwrap();
        op.parameters[1].setter = "pages".into();
        let err = apply(&mut out, &model).unwrap_err();
        assert!(
            err.to_string().contains("operation ListThings") && err.to_string().contains("`pages`"),
            "{err}"
        );
    }
}
