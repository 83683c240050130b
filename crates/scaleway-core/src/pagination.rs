//! Streams over every item of a paginated list operation.
//!
//! Generated list builders have `stream()`, `stream_with_concurrency()` and `collect_all()`:
//! once the first page gives the total, the remaining pages are fetched concurrently (bounded)
//! and their items yielded in page order.
//!
//! A listing is an `impl Stream<Item = Result<T, Error>> + Send`; [`ItemStream`] is its boxed
//! form, for a struct field or a `match` whose arms list different things
//! (`Box::pin(builder.stream())`).

pub use crate::internal::paging::{DEFAULT_PAGE_CONCURRENCY, ItemStream, collect_all};
/// The trait of listings, re-exported so generated crates need no `futures` dependency.
pub use futures::Stream;
