//! Waiters from `x-waiter`: `wait()` on the get operation's builder, and
//! `wait_for_<name>(ids…, locality, options)` on the client, which takes every path id of the
//! get operation and, optionally, the zone or region (default: the configured one).

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
        let doc = format!(
            " Sends this request every `options.interval` until the state at `{state}` is one of: {}; returns that response. On timeout the error names the last state seen.",
            terminal.join(", ")
        );
        out.push(quote! {
            impl<'a> builder::#builder<'a> {
                #[doc = #doc]
                pub async fn wait(self, options: &WaitOptions) -> ::std::result::Result<#response, WaitError<Error>> {
                    ::scaleway_core::internal::poll_until(options, #state, &[#(#terminal),*], || {
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
        let named: Vec<String> = waiter.ids.iter().map(|id| format!("`{id}`")).collect();
        let doc = format!(
            " Waits until the {} {} {where_} reaches a terminal state ({}); see [`builder::{}::wait`].",
            waiter.name.replace('_', " "),
            if named.is_empty() {
                String::new()
            } else {
                format!("with {}", named.join(" and "))
            },
            waiter.terminal.join(", "),
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
        });
    }
    out
}
