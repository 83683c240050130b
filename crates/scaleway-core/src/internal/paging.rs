//! The paging engine behind list streams: fetch page 1, learn the total, fetch the rest
//! concurrently in order.
//!
//! Scaleway lists take `page` (from 1) and `page_size` or `per_page`, and give the total item
//! count in the body (`total_count`) or, for the Instance API, in the `X-Total-Count` header.
//! Memory stays bounded by the concurrency.

use std::future::Future;
use std::pin::Pin;

use futures::stream::{self, Stream, StreamExt, TryStreamExt};

/// Items of one page and the total the API reported, if any.
#[derive(Debug)]
pub struct Page<T> {
    /// The page's items.
    pub items: Vec<T>,
    /// Items in the whole list, from the body or the `X-Total-Count` header.
    pub total: Option<u64>,
}

/// A stream of items, or of the first error that stopped it.
pub type ItemStream<'a, T, E> = Pin<Box<dyn Stream<Item = Result<T, E>> + Send + 'a>>;

/// Page size requested when the caller sets none: the largest Scaleway lists accept.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// Pages fetched at once by default.
pub const DEFAULT_PAGE_CONCURRENCY: usize = 8;

/// Conversion of the many integer shapes a spec may give `total_count`.
pub trait IntoTotal {
    /// The total as a count; `None` when absent or negative.
    fn into_total(self) -> Option<u64>;
}

macro_rules! into_total {
    ($($t:ty),*) => {$(
        impl IntoTotal for $t {
            fn into_total(self) -> Option<u64> {
                u64::try_from(self).ok()
            }
        }
        impl IntoTotal for Option<$t> {
            fn into_total(self) -> Option<u64> {
                self.and_then(|n| u64::try_from(n).ok())
            }
        }
    )*};
}
into_total!(u32, u64, i32, i64);

/// The `X-Total-Count` header of a response, for lists that carry the total there.
pub fn header_total(headers: &reqwest::header::HeaderMap) -> Option<u64> {
    headers
        .get("x-total-count")?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Every item of every page. `fetch(n)` sends the request for page `n` (from 1).
///
/// With a total: `ceil(total / items on page 1)` pages, pages 2.. fetched `concurrency` at a
/// time (1 means one after the other), none beyond the last. Without a total: pages one after
/// the other until a page is shorter than the first. An empty first page ends the stream; the
/// first error ends it after being yielded.
pub fn paginate<'a, T, E, F, Fut>(concurrency: usize, fetch: F) -> ItemStream<'a, T, E>
where
    T: Send + 'a,
    E: Send + 'a,
    F: Fn(u32) -> Fut + Clone + Send + Sync + 'a,
    Fut: Future<Output = Result<Page<T>, E>> + Send + 'a,
{
    let concurrency = concurrency.max(1);
    let first_fetch = fetch.clone();
    let items = stream::once(async move { first_fetch(1).await }).flat_map(move |first| {
        let fetch = fetch.clone();
        match first {
            Err(e) => stream::iter(vec![Err(e)]).boxed(),
            Ok(page) => {
                let per_page = page.items.len();
                let rest = match (per_page, page.total) {
                    (0, _) => stream::empty().boxed(),
                    (n, Some(total)) => {
                        let pages = total.div_ceil(n as u64).min(u32::MAX as u64) as u32;
                        stream::iter(2..=pages)
                            .map(fetch)
                            .buffered(concurrency)
                            .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
                            .try_flatten()
                            .boxed()
                    }
                    (n, None) => sequential(n, fetch),
                };
                stream::iter(page.items.into_iter().map(Ok))
                    .chain(rest)
                    .boxed()
            }
        }
    });
    stop_after_error(items)
}

/// Pages 2, 3, … until one is shorter than `per_page`.
fn sequential<'a, T, E, F, Fut>(per_page: usize, fetch: F) -> ItemStream<'a, T, E>
where
    T: Send + 'a,
    E: Send + 'a,
    F: Fn(u32) -> Fut + Send + Sync + 'a,
    Fut: Future<Output = Result<Page<T>, E>> + Send + 'a,
{
    stream::unfold(Some(2u32), move |next| {
        let fetch_page = next.map(&fetch);
        async move {
            let number = next?;
            match fetch_page?.await {
                Err(e) => Some((Err(e), None)),
                Ok(page) => {
                    let more = page.items.len() >= per_page && !page.items.is_empty();
                    Some((Ok(page.items), more.then(|| number + 1)))
                }
            }
        }
    })
    .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
    .try_flatten()
    .boxed()
}

fn stop_after_error<'a, T: Send + 'a, E: Send + 'a>(
    items: impl Stream<Item = Result<T, E>> + Send + 'a,
) -> ItemStream<'a, T, E> {
    items
        .scan(false, |failed, item| {
            let out = (!*failed).then(|| {
                *failed = item.is_err();
                item
            });
            std::future::ready(out)
        })
        .boxed()
}

/// Collects a stream of items, stopping at the first error.
pub async fn collect_all<T, E>(items: ItemStream<'_, T, E>) -> Result<Vec<T>, E> {
    items.try_collect().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::Mutex;

    type PageLog = Arc<Mutex<Vec<u32>>>;
    type Fetched = futures::future::Ready<Result<Page<u64>, String>>;

    /// A fake API of `total` items served `size` per page, recording the pages asked for.
    fn fake(
        total: u64,
        size: u64,
        report_total: bool,
    ) -> (PageLog, impl Fn(u32) -> Fetched + Clone + Send + Sync) {
        let asked = PageLog::default();
        let log = asked.clone();
        let fetch = move |page: u32| {
            log.lock().unwrap().push(page);
            let start = (page as u64 - 1) * size;
            let items = (start..total.min(start + size)).collect();
            futures::future::ready(Ok(Page {
                items,
                total: report_total.then_some(total),
            }))
        };
        (asked, fetch)
    }

    #[tokio::test]
    async fn all_items_in_order_and_no_page_beyond_the_last() {
        for (total, size, report) in [
            (250, 100, true),
            (200, 100, true),
            (5, 100, true),
            (250, 100, false),
            (200, 100, false),
        ] {
            let (asked, fetch) = fake(total, size, report);
            let items = collect_all(paginate(3, fetch)).await.unwrap();
            assert_eq!(
                items,
                (0..total).collect::<Vec<_>>(),
                "total {total}, header {report}"
            );
            let pages = asked.lock().unwrap().clone();
            let expected = total.div_ceil(size) as u32 + u32::from(!report && total % size == 0);
            assert_eq!(
                pages,
                (1..=expected).collect::<Vec<_>>(),
                "total {total}, total reported {report}"
            );
        }
    }

    #[tokio::test]
    async fn empty_first_page_ends_the_stream() {
        let (asked, fetch) = fake(0, 100, true);
        assert!(collect_all(paginate(8, fetch)).await.unwrap().is_empty());
        assert_eq!(*asked.lock().unwrap(), vec![1]);
    }

    #[tokio::test]
    async fn first_error_is_yielded_then_the_stream_ends() {
        let fetch = |page: u32| {
            futures::future::ready(match page {
                2 => Err("page 2 broke".to_owned()),
                _ => Ok(Page {
                    items: vec![page],
                    total: Some(5),
                }),
            })
        };
        let results: Vec<Result<u32, String>> = paginate(1, fetch).collect().await;
        assert_eq!(results, vec![Ok(1), Err("page 2 broke".to_owned())]);
    }
}
