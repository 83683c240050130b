//! The `mock` module (behind the crate's `mock` feature): a typed mock of every operation on a
//! wiremock server, from the same model as the client. A test declares answers with the
//! generated types (`mock.get_server().server_id(id).returns(answer)`), failures with
//! Scaleway's error body, paged lists with the right total, and reads back the typed bodies
//! the code under test sent.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Types;
use crate::model::{ApiModel, ParamLocation, ResponseKind};

pub(crate) fn module(model: &ApiModel, types: &Types) -> TokenStream {
    let mut accessors = Vec::new();
    let mut mocks = Vec::new();
    for op in &model.operations {
        let name = format_ident!("{}", op.method_name);
        let mock = format_ident!("{}", op.builder_name);
        let method = op.method.as_str();
        let path = &op.path;
        let resolved = &types[&op.method_name];
        let doc = format!(
            " Mock of `{method} {path}` ([`Client::{}`](super::Client::{})).",
            op.method_name, op.method_name
        );
        accessors.push(quote! {
            #[doc = #doc]
            pub fn #name(&self) -> #mock<'a> {
                #mock { server: self.server, route: ::scaleway_test::Route::new(#method, #path) }
            }
        });
        let setters = op
            .parameters
            .iter()
            .filter(|p| p.location == ParamLocation::Path)
            .map(|p| {
                let setter = format_ident!("{}", p.setter);
                let wire = &p.name;
                let doc = format!(" Only requests whose `{wire}` is `value` (unset: any).");
                quote! {
                    #[doc = #doc]
                    pub fn #setter(mut self, value: impl ::std::string::ToString) -> Self {
                        self.route = self.route.param(#wire, value);
                        self
                    }
                }
            });
        let returns = match (op.response, &resolved.response) {
            (ResponseKind::Json, Some(ty)) => quote! {
                /// Answers with `answer` (HTTP 200).
                pub async fn returns(self, answer: #ty) {
                    self.route.answer_json(self.server, 200, &answer).await;
                }
            },
            (ResponseKind::Bytes, _) => quote! {
                /// Answers with `body` (HTTP 200).
                pub async fn returns(self, body: ::std::vec::Vec<u8>) {
                    self.route.mount(self.server, ::scaleway_test::wiremock::ResponseTemplate::new(200).set_body_bytes(body)).await;
                }
            },
            _ => quote! {
                /// Answers with no body (HTTP 204).
                pub async fn returns(self) {
                    self.route.mount(self.server, ::scaleway_test::wiremock::ResponseTemplate::new(204)).await;
                }
            },
        };
        let pages = match (&op.pagination, &resolved.page) {
            (Some(pagination), Some(page)) if !pagination.items_are_map => {
                let item = &page.item;
                let field = &pagination.items;
                let total_in_body = pagination.total_in_body;
                quote! {
                    /// Answers every page of `items`, as many per page as the request asks,
                    /// with their total as the API gives it.
                    pub async fn returns_items(self, items: ::std::vec::Vec<#item>) {
                        let items = items
                            .iter()
                            .map(|item| ::serde_json::to_value(item).expect("generated types serialize"))
                            .collect();
                        self.route.pages(self.server, #field, items, #total_in_body).await;
                    }
                }
            }
            _ => quote!(),
        };
        let received = match &resolved.body {
            Some(body) => quote! {
                /// The bodies this operation received, decoded, in order.
                pub async fn received(&self) -> ::std::vec::Vec<#body> {
                    self.route.received_bodies(self.server).await
                }
            },
            None => quote! {
                /// How many requests this operation received.
                pub async fn received(&self) -> usize {
                    self.route.received(self.server).await.len()
                }
            },
        };
        mocks.push(quote! {
            #[doc = #doc]
            pub struct #mock<'a> {
                server: &'a ::scaleway_test::wiremock::MockServer,
                route: ::scaleway_test::Route,
            }

            impl<'a> #mock<'a> {
                #(#setters)*

                /// Only requests with `name=value` in their query.
                pub fn query(mut self, name: &str, value: &str) -> Self {
                    self.route = self.route.query(name, value);
                    self
                }

                /// Answers only the next `n` matching requests; later ones get the answers
                /// declared after this one (a resource `starting` twice, then `running`).
                pub fn times(mut self, n: u64) -> Self {
                    self.route = self.route.times(n);
                    self
                }

                #returns

                #pages

                /// Fails with `status` and Scaleway's error body of `error_type`
                /// (`not_found`, `unknown_resource`, `invalid_arguments`, …).
                pub async fn fails(self, status: u16, error_type: &str) {
                    self.route.fail(self.server, status, error_type).await;
                }

                #received
            }
        });
    }
    quote! {
        /// Typed mocks of this API for tests (feature `mock`); see `scaleway_client::mock`.
        #[cfg(feature = "mock")]
        pub mod mock {
            #[allow(unused_imports)]
            use super::types;

            /// Mocks of every operation of this API, answering on `server`.
            #[derive(Clone, Copy, Debug)]
            pub struct Mock<'a> {
                server: &'a ::scaleway_test::wiremock::MockServer,
            }

            impl<'a> Mock<'a> {
                /// Mocks answering on `server`.
                pub fn new(server: &'a ::scaleway_test::wiremock::MockServer) -> Self {
                    Mock { server }
                }

                #(#accessors)*
            }

            #(#mocks)*
        }
    }
}
