//! One static record per operation, handed to the runtime with each request: what it needs to
//! know (method, path template for tracing, locality) without a lookup by name.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::passes::route_requests::record_ident;
use crate::model::{ApiModel, Locality};

pub(crate) fn records(model: &ApiModel) -> TokenStream {
    let records = model.operations.iter().map(|op| {
        let ident = record_ident(op);
        let name = &op.method_name;
        let method = op.method.as_str();
        let path = &op.path;
        let locality = match op.locality {
            Some(Locality::Zone) => quote!(Some(::scaleway_core::internal::LocalityKind::Zone)),
            Some(Locality::Region) => quote!(Some(::scaleway_core::internal::LocalityKind::Region)),
            None => quote!(None),
        };
        let doc = format!(" `{method} {path}`");
        quote! {
            #[doc = #doc]
            pub static #ident: Operation = Operation { name: #name, method: #method, path: #path, locality: #locality };
        }
    });
    let all = model.operations.iter().map(record_ident);
    quote! {
        /// What the runtime knows about each operation; for generated code and tools.
        #[doc(hidden)]
        pub mod operations {
            use ::scaleway_core::internal::Operation;

            #(#records)*

            /// Every operation, in spec order.
            pub static ALL: &[&Operation] = &[#(&#all),*];
        }
    }
}
