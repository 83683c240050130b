//! Renders what we generate beside progenitor's code, from the model: `lib.rs` and
//! `client.rs` (wrapper client, pagination, waiters, operation records, replay table).
//! Rust types are resolved through the index once ([`resolve_types`]); a type the model needs
//! and progenitor did not generate is a [`Missing`] error naming the operation.

mod client;
mod docs;
mod mock;
mod multi;
mod operations;
mod pagination;
mod replay;
mod waiters;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;
use syn::Type;

use super::CrateDocs;
use super::index::{Missing, Progenitor, syntax};
use crate::model::{ApiModel, Operation};

const NAME: &str = "render";

pub(crate) use multi::root as multi_module_root;

/// The Rust types of one operation, as seen from the crate root.
#[derive(Clone, Debug, Default)]
pub struct OperationTypes {
    /// What `send()` decodes a success into, when it is JSON.
    pub response: Option<Type>,
    /// The JSON body type.
    pub body: Option<Type>,
    /// Pages: the item type (`(K, V)` for a map), the items field and the total field.
    pub page: Option<PageTypes>,
}

/// Field names and item type of a paged response.
#[derive(Clone, Debug)]
pub struct PageTypes {
    /// One item; `(K, V)` for a map.
    pub item: Type,
    /// The response field holding the items.
    pub items_field: syn::Ident,
    /// The response field holding the total, when the body carries it.
    pub total_field: Option<syn::Ident>,
}

/// Per operation method name.
pub type Types = BTreeMap<String, OperationTypes>;

/// Resolves every type the renderers need.
pub fn resolve_types(out: &Progenitor, model: &ApiModel) -> Result<Types, Missing> {
    let mut types = Types::new();
    for op in &model.operations {
        let mut resolved = OperationTypes::default();
        if op.json_response {
            let send = out
                .builder_fn(&op.builder_name, "send_with_response")
                .ok_or_else(|| {
                    Missing::operation(
                        NAME,
                        op,
                        format!(
                            "builder `{}` has no `send_with_response` method",
                            op.builder_name
                        ),
                    )
                })?;
            let success = syntax::send_success(&send.sig.output).ok_or_else(|| {
                Missing::operation(
                    NAME,
                    op,
                    format!(
                        "`send` of `{}` returns no `ResponseValue<T>`",
                        op.builder_name
                    ),
                )
            })?;
            resolved.response = Some(syntax::qualify_in_types(success));
        }
        if op.body.as_ref().is_some_and(|b| b.json) {
            resolved.body = Some(body_type(out, op)?);
        }
        if let Some(pagination) = &op.pagination {
            resolved.page = Some(page_types(out, op, pagination, resolved.response.as_ref())?);
        }
        types.insert(op.method_name.clone(), resolved);
    }
    Ok(types)
}

/// The type of `op`'s JSON body as seen from the crate root: `types::X` for the builder's
/// `body: Result<types::builder::X, String>`, or the type itself when it is not generated (a
/// free-form object is a `::serde_json::Map`).
fn body_type(out: &Progenitor, op: &Operation) -> Result<Type, Missing> {
    let missing = || {
        Missing::operation(
            NAME,
            op,
            format!("builder `{}` has no typed `body` field", op.builder_name),
        )
    };
    let ty = out
        .builder_body_type(&op.builder_name)
        .ok_or_else(missing)?;
    if syntax::is_generated(ty) {
        let name = syntax::last_ident(ty).ok_or_else(missing)?;
        let name = quote::format_ident!("{name}");
        Ok(syn::parse_quote!(types::#name))
    } else {
        Ok(ty.clone())
    }
}

fn page_types(
    out: &Progenitor,
    op: &Operation,
    pagination: &crate::model::Pagination,
    response: Option<&Type>,
) -> Result<PageTypes, Missing> {
    let missing = |anchor: String| Missing::operation(NAME, op, anchor);
    let name = response
        .filter(|t| syntax::is_generated(t))
        .and_then(syntax::last_ident)
        .ok_or_else(|| missing("a list response that is not a generated type".into()))?;
    let st = out
        .type_struct(&name)
        .ok_or_else(|| missing(format!("response struct `{name}` not found")))?;
    let field = syntax::field_by_wire(st, &pagination.items).ok_or_else(|| {
        missing(format!(
            "response struct `{name}` has no field `{}`",
            pagination.items
        ))
    })?;
    let item = if pagination.items_are_map {
        let args = syntax::generic_args(&field.ty, "BTreeMap")
            .filter(|a| a.len() == 2)
            .ok_or_else(|| {
                missing(format!(
                    "field `{}` of `{name}` is not a map",
                    pagination.items
                ))
            })?;
        let (key, value) = (
            syntax::qualify_in_types(args[0]),
            syntax::qualify_in_types(args[1]),
        );
        syn::parse_quote!((#key, #value))
    } else {
        syntax::qualify_in_types(syntax::first_arg(&field.ty, "Vec").ok_or_else(|| {
            missing(format!(
                "field `{}` of `{name}` is not a list",
                pagination.items
            ))
        })?)
    };
    let total_field = if pagination.total_in_body {
        let total = syntax::field_by_wire(st, "total_count").ok_or_else(|| {
            missing(format!(
                "response struct `{name}` has no field `total_count`"
            ))
        })?;
        total.ident.clone()
    } else {
        None
    };
    Ok(PageTypes {
        item,
        items_field: field.ident.clone().expect("named field"),
        total_field,
    })
}

/// `src/lib.rs`: docs, modules and re-exports; short and in the layout rustfmt keeps.
pub fn lib_rs(docs: &CrateDocs<'_>) -> TokenStream {
    let crate_doc = docs::inner_line_docs(&docs::crate_docs(docs));
    quote! {
        #(#crate_doc)*
        // Spec descriptions are the API publisher's Markdown: bare URLs and HTML-like
        // placeholders in them are text, not links or tags.
        #![allow(rustdoc::bare_urls, rustdoc::invalid_html_tags)]
        #![allow(rustdoc::broken_intra_doc_links, rustdoc::invalid_rust_codeblocks)]
        #![allow(clippy::doc_overindented_list_items, clippy::doc_lazy_continuation)]
        #![allow(clippy::too_long_first_doc_paragraph, clippy::empty_docs)]

        #[rustfmt::skip]
        mod api;
        #[rustfmt::skip]
        mod client;

        // In rustfmt's order, with lines prettyplease does not wrap: `cargo fmt` keeps the file.
        pub use api::{builder, types};
        #[cfg(feature = "mock")]
        pub use client::mock;
        #[cfg(feature = "replay")]
        #[doc(hidden)]
        pub use client::replay;
        pub use client::{Client, Result, operations};
        pub use progenitor_client::{ByteStream, ResponseValue};
        pub use scaleway_core::{ApiError, ApiErrorExt, Error, Region, Runtime, Zone};
        pub use scaleway_core::{WaitError, WaitOptions};
    }
}

/// `src/client.rs`: everything rendered from the model.
pub fn client_rs(model: &ApiModel, types: &Types, docs: &CrateDocs<'_>) -> TokenStream {
    let wrapper = client::wrapper(model, types, docs);
    let records = operations::records(model);
    let pages = model.operations.iter().filter_map(|op| {
        Some(pagination::impls(
            op,
            op.pagination.as_ref()?,
            types[&op.method_name].page.as_ref()?,
        ))
    });
    let waiters = waiters::on_builders(model, types);
    let replay = replay::module(model, types);
    let mock = mock::module(model, types);
    quote! {
        //! The wrapper client and what is generated from the spec beside progenitor's code.

        use super::{api, builder};
        // Used or not depending on the API: waiters, pages and request bodies.
        #[allow(unused_imports)]
        use super::types;
        #[allow(unused_imports)]
        use scaleway_core::{WaitError, WaitOptions};
        use progenitor_client::ClientHooks;
        use scaleway_core::{Error, Runtime};

        /// Outcome of a call: the decoded answer, or why there is none.
        pub type Result<T> = ::std::result::Result<T, Error>;

        #wrapper

        #records

        #(#pages)*

        #(#waiters)*

        #replay

        #mock

        // Requests go through `scaleway_core::internal::execute` (see `operations`); progenitor's
        // hooks are left at their defaults.
        impl ClientHooks<Runtime> for api::Client {}
    }
}
