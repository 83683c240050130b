//! Waiters from `x-waiter`: `wait()` and `wait_deleted()` on the get operation's builder, and
//! on the client `wait_for_<name>(ids…, locality, options)` and
//! `wait_for_<name>_deleted(ids…, locality, options)`, which take every path id of the get
//! operation and, optionally, the zone or region (default: the configured one). A failure
//! state declared in the spec ends the wait at once with an error naming it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Types;
use crate::model::{ApiModel, Locality};

pub(crate) fn on_builders(model: &ApiModel, types: &Types) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for op in &model.operations {
        let (Some(waiter), Some(response)) = (&op.waiter, &types[&op.method_name].response) else {
            continue;
        };
        let builder = format_ident!("{}", op.builder_name);
        let state = &waiter.state;
        let terminal = &waiter.terminal;
        let failure = &waiter.failure;
        let failing = if failure.is_empty() {
            String::new()
        } else {
            format!(
                " A state of {} ends the wait at once with [`WaitError::Failed`].",
                failure.join(", ")
            )
        };
        let doc = format!(
            " Sends this request until the state at `{state}` is one of: {}, and returns that answer.{failing} On timeout the error names the last state seen.",
            terminal.join(", ")
        );
        out.push(quote! {
            impl<'a> builder::#builder<'a> {
                #[doc = #doc]
                pub async fn wait(self, options: &WaitOptions) -> ::std::result::Result<#response, WaitError<Error>> {
                    ::scaleway_core::internal::poll_until(options, #state, &[#(#terminal),*], &[#(#failure),*], || {
                        let request = self.clone();
                        async move { request.send().await }
                    })
                    .await
                }

                /// Sends this request until the API answers that the resource does not exist
                /// (HTTP 404).
                pub async fn wait_deleted(self, options: &WaitOptions) -> ::std::result::Result<(), WaitError<Error>> {
                    ::scaleway_core::internal::poll_until_gone(options, || {
                        let request = self.clone();
                        async move { request.send().await }
                    })
                    .await
                }
            }
        });
    }
    out
}

pub(crate) fn on_client(model: &ApiModel, types: &Types) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for op in &model.operations {
        let (Some(waiter), Some(response)) = (&op.waiter, &types[&op.method_name].response) else {
            continue;
        };
        let method = format_ident!("wait_for_{}", waiter.name);
        let deleted = format_ident!("wait_for_{}_deleted", waiter.name);
        let get = format_ident!("{}", op.method_name);
        let ids: Vec<syn::Ident> = waiter.ids.iter().map(|id| format_ident!("{id}")).collect();
        let (locality_param, locality_set, where_) = match op.locality {
            Some(Locality::Zone) => (
                quote!(zone: ::std::option::Option<::scaleway_core::Zone>,),
                quote!(if let Some(zone) = zone {
                    request = request.zone(zone);
                }),
                "in `zone` (default: the configured zone)",
            ),
            Some(Locality::Region) => (
                quote!(region: ::std::option::Option<::scaleway_core::Region>,),
                quote!(if let Some(region) = region {
                    request = request.region(region);
                }),
                "in `region` (default: the configured region)",
            ),
            None => (quote!(), quote!(), ""),
        };
        let resource = waiter.name.replace('_', " ");
        let named: Vec<String> = waiter.ids.iter().map(|id| format!("`{id}`")).collect();
        let with = if named.is_empty() {
            String::new()
        } else {
            format!(" with {}", named.join(" and "))
        };
        let doc = format!(
            " Waits until the {resource}{with} {where_} reaches a terminal state ({}); see [`builder::{}::wait`].",
            waiter.terminal.join(", "),
            op.builder_name,
        );
        let deleted_doc = format!(
            " Waits until the {resource}{with} {where_} is gone (the API answers 404); see [`builder::{}::wait_deleted`].",
            op.builder_name,
        );
        let mutable = if op.locality.is_some() {
            quote!(mut)
        } else {
            quote!()
        };
        out.push(quote! {
            #[doc = #doc]
            pub async fn #method(&self, #(#ids: &str,)* #locality_param options: &WaitOptions) -> ::std::result::Result<#response, WaitError<Error>> {
                let #mutable request = self.#get()#(.#ids(#ids))*;
                #locality_set
                request.wait(options).await
            }

            #[doc = #deleted_doc]
            pub async fn #deleted(&self, #(#ids: &str,)* #locality_param options: &WaitOptions) -> ::std::result::Result<(), WaitError<Error>> {
                let #mutable request = self.#get()#(.#ids(#ids))*;
                #locality_set
                request.wait_deleted(options).await
            }
        });
    }
    out
}
