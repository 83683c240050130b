//! The wrapper `Client`: shares the runtime's HTTP client, pre-fills each required zone or
//! region with the configured default, and carries the client-level waiters.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::super::CrateDocs;
use super::docs::{line_docs, operation_docs};
use super::{Types, waiters};
use crate::model::{ApiModel, Locality};

pub(crate) fn wrapper(model: &ApiModel, types: &Types, docs: &CrateDocs<'_>) -> TokenStream {
    let client_doc = line_docs(&format!(
        "Client of the {}.\n\nBuilt from a [`scaleway_core::Runtime`], whose HTTP client, authentication, retries and default zone and region it shares. Each method returns a builder: set parameters, then `send()`.",
        docs.title
    ));
    let methods = model.operations.iter().map(|op| {
        let name = format_ident!("{}", op.method_name);
        let builder = format_ident!("{}", op.builder_name);
        let docs = line_docs(&operation_docs(op));
        // The configured default is stored in the field, not through the generic setter: one
        // setter per operation would be compiled for this call alone.
        let locality = match op.locality {
            Some(Locality::Zone) => Some(quote! {
                builder.zone = ::scaleway_core::internal::configured_zone(self.runtime());
            }),
            Some(Locality::Region) => Some(quote! {
                builder.region = ::scaleway_core::internal::configured_region(self.runtime());
            }),
            None => None,
        };
        // An action whose body is an empty object sends `{}` without the caller building one.
        let empty_body = op
            .body
            .as_ref()
            .is_some_and(|b| b.json && b.empty_object)
            .then(|| quote!(.body(::serde_json::Map::new())));
        let body = match &locality {
            None => quote!(self.raw.#name() #empty_body),
            Some(locality) => quote! {
                let mut builder = self.raw.#name();
                #locality
                builder #empty_body
            },
        };
        quote! {
            #(#docs)*
            pub fn #name(&self) -> builder::#builder<'_> {
                #body
            }
        }
    });
    let client_waiters = waiters::on_client(model, types);
    quote! {
        #(#client_doc)*
        #[derive(Clone, Debug)]
        pub struct Client {
            raw: api::Client,
        }

        impl Client {
            /// A client that sends its requests through `runtime`.
            pub fn new(runtime: Runtime) -> Self {
                let baseurl = runtime.api_url().to_owned();
                let raw = api::Client::new_with_client(&baseurl, runtime.http().clone(), runtime);
                Client { raw }
            }

            /// The runtime this client shares with the other API clients.
            pub fn runtime(&self) -> &Runtime {
                &self.raw.inner
            }

            /// The base URL requests go to.
            pub fn baseurl(&self) -> &str {
                &self.raw.baseurl
            }

            #(#methods)*

            #(#client_waiters)*
        }
    }
}
