//! Streams over every item of a paginated list operation.
//!
//! Generated list builders have `stream()`, `stream_with_concurrency()` and `collect_all()`:
//! once the first page gives the total, the remaining pages are fetched concurrently (bounded)
//! and their items yielded in page order.

pub use crate::internal::paging::{DEFAULT_PAGE_CONCURRENCY, ItemStream, collect_all};
