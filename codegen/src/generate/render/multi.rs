//! The root of a crate whose API is published as several specs: a module per spec, and a
//! `Client` that holds one client per module over one runtime.

use quote::{format_ident, quote};

use crate::naming::CrateName;

/// `src/lib.rs` and `src/clients.rs` of a crate with `modules` (name, the spec's title).
pub(crate) fn root(name: &CrateName, modules: &[(String, String)]) -> (String, String) {
    let idents: Vec<syn::Ident> = modules.iter().map(|(m, _)| format_ident!("{m}")).collect();
    let list: String = modules
        .iter()
        .map(|(m, title)| format!("\n- [`{m}`]: {title}"))
        .collect();
    let doc = format!(
        "Rust client for the Scaleway API `{api}` ({version}), published as several specs: one module each, with its own `Client`.\n{list}\n\n[`Client`] holds one client per module over one [`Runtime`].",
        api = name.api,
        version = name.version,
    );
    let docs = super::docs::inner_line_docs(&doc);
    let lib = quote! {
        #(#docs)*

        #[rustfmt::skip]
        mod clients;
        #(pub mod #idents;)*

        pub use clients::Client;
        #[cfg(feature = "mock")]
        pub use clients::mock;
        pub use scaleway_core::{ApiError, ApiErrorExt, Error, Region, Runtime, Zone};
        pub use scaleway_core::{WaitError, WaitOptions};
    };
    let accessors = modules.iter().map(|(m, title)| {
        let ident = format_ident!("{m}");
        let doc = format!(" Client of the {title}.");
        quote! {
            #[doc = #doc]
            pub fn #ident(&self) -> &super::#ident::Client {
                &self.#ident
            }
        }
    });
    let first = &idents[0];
    let mock_accessors = modules.iter().map(|(m, title)| {
        let ident = format_ident!("{m}");
        let doc = format!(" Mocks of the {title}.");
        quote! {
            #[doc = #doc]
            pub fn #ident(&self) -> super::super::#ident::mock::Mock<'a> {
                super::super::#ident::mock::Mock::new(self.server)
            }
        }
    });
    let clients = quote! {
        //! The crate-level client: one client per module.

        use scaleway_core::Runtime;

        /// One client per part of the API, sharing one runtime.
        #[derive(Clone, Debug)]
        pub struct Client {
            #(#idents: super::#idents::Client,)*
        }

        impl Client {
            /// Clients that send their requests through `runtime`.
            pub fn new(runtime: Runtime) -> Self {
                Client {
                    #(#idents: super::#idents::Client::new(runtime.clone()),)*
                }
            }

            /// The runtime the clients share.
            pub fn runtime(&self) -> &Runtime {
                self.#first.runtime()
            }

            #(#accessors)*
        }

        /// Typed mocks of every part of the API (feature `mock`).
        #[cfg(feature = "mock")]
        pub mod mock {
            /// Mocks of every part of the API, answering on `server`.
            #[derive(Clone, Copy, Debug)]
            pub struct Mock<'a> {
                server: &'a ::scaleway_test::wiremock::MockServer,
            }

            impl<'a> Mock<'a> {
                /// Mocks answering on `server`.
                pub fn new(server: &'a ::scaleway_test::wiremock::MockServer) -> Self {
                    Mock { server }
                }

                #(#mock_accessors)*
            }
        }
    };
    let print = |tokens| {
        prettyplease::unparse(&syn::parse2(tokens).expect("the multi-module root is valid Rust"))
    };
    (print(lib), print(clients))
}
