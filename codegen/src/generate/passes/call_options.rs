//! Every operation builder can override the client's timeout and retry policy for its call:
//! `with_timeout(..)` and `with_retry(..)` set a `call: CallOptions` field that `send` hands to
//! the runtime with the request.
//!
//! Anchors, per operation: the builder struct; in its `new`, the `Self { … }` it returns; in its
//! `send`, the `let Self { … } = self;` that takes it apart; and no existing method named
//! `with_timeout` or `with_retry` (a parameter of that name would clash).

use syn::visit_mut::VisitMut;

use super::super::index::{Missing, Progenitor};
use super::send_body;
use crate::model::ApiModel;

/// The pass's name, as error messages give it.
pub const NAME: &str = "call_options";

/// Applies the pass to progenitor's output; fails when an anchor is absent.
pub fn apply(out: &mut Progenitor, model: &ApiModel) -> Result<(), Missing> {
    for op in &model.operations {
        let missing = |anchor: String| Missing::operation(NAME, op, anchor);
        for method in ["with_timeout", "with_retry"] {
            if out.builder_fn(&op.builder_name, method).is_some() {
                return Err(missing(format!(
                    "builder `{}` already has a method `{method}`",
                    op.builder_name
                )));
            }
        }
        let builder = out
            .builder_struct_mut(&op.builder_name)
            .ok_or_else(|| missing(format!("builder struct `{}` not found", op.builder_name)))?;
        let syn::Fields::Named(fields) = &mut builder.fields else {
            return Err(missing(format!(
                "builder struct `{}` has no named fields",
                op.builder_name
            )));
        };
        fields
            .named
            .push(syn::parse_quote!(call: ::scaleway_core::internal::CallOptions));

        let new = out
            .builder_fn_mut(&op.builder_name, "new")
            .ok_or_else(|| missing(format!("builder `{}` has no `new`", op.builder_name)))?;
        let mut init = AddToSelfLiteral(0);
        init.visit_block_mut(&mut new.block);
        if init.0 != 1 {
            return Err(missing(format!(
                "`new` of `{}` builds {} `Self {{ … }}`, expected one",
                op.builder_name, init.0
            )));
        }

        let stmts = send_body(NAME, out, op)?;
        let taken = stmts.iter_mut().find_map(|stmt| match stmt {
            syn::Stmt::Local(local) => match &mut local.pat {
                syn::Pat::Struct(pattern) if pattern.path.is_ident("Self") => Some(pattern),
                _ => None,
            },
            _ => None,
        });
        let Some(pattern) = taken else {
            return Err(missing(format!(
                "`send` of `{}` has no `let Self {{ … }} = self;`",
                op.builder_name
            )));
        };
        // A field pattern is not parsable alone: take it from a whole pattern.
        let syn::Pat::Struct(with_call) = syn::parse_quote!(Self { call }) else {
            unreachable!("a struct pattern")
        };
        pattern.fields.extend(with_call.fields);

        let methods: [syn::ImplItem; 2] = [
            syn::parse_quote! {
                /// This call's time limit (response body included) instead of the client's.
                pub fn with_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                    self.call.timeout = Some(timeout);
                    self
                }
            },
            syn::parse_quote! {
                /// This call's retry policy instead of the client's; `RetryPolicy::none()` sends
                /// it once.
                pub fn with_retry(mut self, policy: ::scaleway_core::RetryPolicy) -> Self {
                    self.call.retry = Some(policy);
                    self
                }
            },
        ];
        out.builder_impl_mut(&op.builder_name)
            .ok_or_else(|| missing(format!("builder `{}` has no impl block", op.builder_name)))?
            .items
            .extend(methods);
    }
    Ok(())
}

/// Adds `call: Default::default()` to the `Self { … }` literal, counted.
struct AddToSelfLiteral(usize);

impl VisitMut for AddToSelfLiteral {
    fn visit_expr_struct_mut(&mut self, literal: &mut syn::ExprStruct) {
        if literal.path.is_ident("Self") {
            literal
                .fields
                .push(syn::parse_quote!(call: ::std::default::Default::default()));
            self.0 += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{generated, text};
    use super::*;

    #[test]
    fn builders_take_a_timeout_and_retry_policy_for_their_call() {
        let (mut out, model) = generated();
        super::super::route_requests::apply(&mut out, &model).unwrap();
        apply(&mut out, &model).unwrap();
        let text = text(&out);
        assert!(
            text.contains(
                "pub fn with_timeout (mut self , timeout : :: std :: time :: Duration) -> Self"
            ),
            "{text}"
        );
        assert!(text.contains("call : :: std :: default :: Default :: default ()"));
        assert!(
            text.contains("let Self { client , zone , page , page_size , call } = self ;"),
            "{text}"
        );
        assert!(text.contains(", & call) . await ?"));
    }

    #[test]
    fn a_parameter_named_like_a_call_option_is_an_error_naming_the_operation() {
        let (mut out, model) = generated();
        apply(&mut out, &model).unwrap();
        let err = apply(&mut out, &model).unwrap_err();
        assert!(
            err.to_string().contains("operation ListThings")
                && err.to_string().contains("with_timeout"),
            "{err}"
        );
    }
}
