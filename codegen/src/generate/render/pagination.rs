//! `stream()`, `stream_with_concurrency()`, `collect_all()` and, per zone or region,
//! `collect_all_in_zones()` / `collect_all_in_regions()` on the builder of each paged list.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::PageTypes;
use crate::model::{Locality, Operation, Pagination};

pub(crate) fn impls(op: &Operation, pagination: &Pagination, page: &PageTypes) -> TokenStream {
    let builder = format_ident!("{}", op.builder_name);
    let PageTypes {
        item,
        items_field,
        total_field,
    } = page;
    let items = if pagination.items_are_map {
        quote!(body.#items_field.into_iter().collect())
    } else {
        quote!(body.#items_field)
    };
    let total = match total_field {
        Some(field) => {
            quote!(::scaleway_core::internal::IntoTotal::into_total(body.#field).or(header_total))
        }
        None => quote!(header_total),
    };
    let with_page_size = match &pagination.page_size {
        Some(setter) => {
            let setter = format_ident!("{setter}");
            quote! {
                // A full page where the caller chose no size: fewer round trips.
                let builder = match &self.#setter {
                    Ok(None) => self.#setter(::scaleway_core::internal::DEFAULT_PAGE_SIZE),
                    _ => self,
                };
            }
        }
        None => quote!(let builder = self;),
    };
    let across = op.locality.map(|locality| {
        let (setter, ty, plural) = match locality {
            Locality::Zone => (quote!(zone), quote!(::scaleway_core::Zone), "zones"),
            Locality::Region => (quote!(region), quote!(::scaleway_core::Region), "regions"),
        };
        let kind = locality.parameter();
        let method = format_ident!("collect_all_in_{plural}");
        let doc = format!(
            " Every item in each of `{plural}`, listed concurrently and kept per {kind} in the order given; a failing {kind} does not hide the others. Merge with [`scaleway_core::locality::merge`]."
        );
        quote! {
            #[doc = #doc]
            pub async fn #method(self, localities: &[#ty]) -> ::std::vec::Vec<::scaleway_core::locality::PerLocality<#ty, ::std::vec::Vec<#item>, Error>> {
                ::scaleway_core::locality::across(localities, |locality| self.clone().#setter(locality).collect_all()).await
            }
        }
    });
    quote! {
        impl<'a> builder::#builder<'a> {
            /// Every item of every page, keeping the filters set on this builder.
            ///
            /// Once the first page gives the total, the other pages are fetched concurrently
            /// (up to [`Runtime::page_concurrency`] at a time, fewer while the API answers 429)
            /// and items arrive in page order.
            pub fn stream(self) -> impl ::scaleway_core::pagination::Stream<Item = ::std::result::Result<#item, Error>> + Send + Unpin + 'a {
                let concurrency = self.client.inner.page_concurrency();
                self.stream_with_concurrency(concurrency)
            }

            /// Like [`Self::stream`], with `concurrency` pages in flight at most (1: sequential).
            pub fn stream_with_concurrency(self, concurrency: usize) -> impl ::scaleway_core::pagination::Stream<Item = ::std::result::Result<#item, Error>> + Send + Unpin + 'a {
                #with_page_size
                ::scaleway_core::internal::paginate(concurrency, move |page| {
                    let request = builder.clone().page(page);
                    async move {
                        let response = request.send_with_response().await?;
                        let header_total = ::scaleway_core::internal::header_total(response.headers());
                        let body = response.into_inner();
                        Ok(::scaleway_core::internal::Page { total: #total, items: #items })
                    }
                })
            }

            /// Every item of every page, collected; the first error stops the listing.
            pub async fn collect_all(self) -> ::std::result::Result<::std::vec::Vec<#item>, Error> {
                ::scaleway_core::pagination::collect_all(self.stream()).await
            }

            #across
        }
    }
}
