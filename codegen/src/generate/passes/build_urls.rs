//! Builds each request's URL in one buffer, from the operation's path template in the model,
//! instead of progenitor's `format!` over `encode_path(&param.to_string())`, which makes
//! three strings per path parameter on every call.
//!
//! Anchor: in each operation's `send`, `let url = format!(…)` with the base URL and one
//! argument per parameter of the path template, each bound by a `let` before it.

use super::super::index::{Missing, Progenitor};
use super::{let_binding, send_body};
use crate::model::{ApiModel, ParamLocation};

/// The pass's name, as error messages give it.
pub const NAME: &str = "build_urls";

/// Applies the pass to progenitor's output; fails when an anchor is absent.
pub fn apply(out: &mut Progenitor, model: &ApiModel) -> Result<(), Missing> {
    for op in &model.operations {
        let missing = |anchor: String| Missing::operation(NAME, op, anchor);
        let mut parts: Vec<syn::Expr> = Vec::new();
        let mut params = 0;
        let mut rest = op.path.as_str();
        while let Some(open) = rest.find('{') {
            let close = rest[open..]
                .find('}')
                .map(|c| open + c)
                .ok_or_else(|| missing(format!("path `{}` has an unclosed `{{`", op.path)))?;
            push_text(&mut parts, &rest[..open]);
            let name = &rest[open + 1..close];
            let param = op
                .parameters
                .iter()
                .find(|p| p.location == ParamLocation::Path && p.name == name)
                .ok_or_else(|| missing(format!("no path parameter `{name}` in the model")))?;
            let ident = syn::Ident::new(&param.setter, proc_macro2::Span::call_site());
            parts.push(syn::parse_quote!(::scaleway_core::internal::PathPart::Param(&#ident)));
            params += 1;
            rest = &rest[close + 1..];
        }
        push_text(&mut parts, rest);

        let stmts = send_body(NAME, out, op)?;
        let position = stmts
            .iter()
            .position(|s| let_binding(s).is_some_and(|i| i == "url"));
        let Some(position) = position else {
            return Err(missing(format!(
                "`send` of `{}` has no `let url = …`",
                op.builder_name
            )));
        };
        for param in op
            .parameters
            .iter()
            .filter(|p| p.location == ParamLocation::Path)
        {
            if !stmts[..position]
                .iter()
                .any(|s| let_binding(s).is_some_and(|i| i == &param.setter))
            {
                return Err(missing(format!(
                    "`send` of `{}` binds no `{}` before its URL",
                    op.builder_name, param.setter
                )));
            }
        }
        let syn::Stmt::Local(local) = &mut stmts[position] else {
            unreachable!("let_binding matched a `let`");
        };
        let Some(init) = &mut local.init else {
            return Err(missing("`let url` has no value".to_owned()));
        };
        let arguments = match &*init.expr {
            syn::Expr::Macro(m) if m.mac.path.is_ident("format") => m
                .mac
                .parse_body_with(
                    syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
                )
                .map(|args| args.len())
                .unwrap_or(0),
            _ => 0,
        };
        // The template, the base URL, then one argument per path parameter.
        if arguments != params + 2 {
            return Err(missing(format!(
                "`let url` of `{}` is not `format!` with the base URL and {params} path parameters",
                op.builder_name
            )));
        }
        *init.expr = syn::parse_quote! {
            ::scaleway_core::internal::url(&client.baseurl, &[#(#parts),*])
        };
    }
    Ok(())
}

fn push_text(parts: &mut Vec<syn::Expr>, text: &str) {
    if !text.is_empty() {
        parts.push(syn::parse_quote!(::scaleway_core::internal::PathPart::Text(#text)));
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{generated, text};
    use super::*;

    #[test]
    fn urls_are_built_from_the_template_in_one_call() {
        let (mut out, model) = generated();
        apply(&mut out, &model).unwrap();
        let text = text(&out);
        assert!(!text.contains("encode_path ("), "{text}");
        assert!(
            text.contains(
                "PathPart :: Text (\"/t/v1/zones/\") , :: scaleway_core :: internal :: PathPart :: Param (& zone) , :: scaleway_core :: internal :: PathPart :: Text (\"/things/\") , :: scaleway_core :: internal :: PathPart :: Param (& thing_id)"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_send_whose_url_is_not_progenitors_is_an_error_naming_the_operation() {
        let (mut out, model) = generated();
        apply(&mut out, &model).unwrap();
        let err = apply(&mut out, &model).unwrap_err();
        assert!(err.to_string().contains("build_urls: operation"), "{err}");
        assert!(err.to_string().contains("is not `format!`"), "{err}");
    }
}
