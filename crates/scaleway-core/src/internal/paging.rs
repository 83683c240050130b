//! The paging engine behind list streams: fetch page 1, learn the total, fetch the rest
//! concurrently in order.
//!
//! Scaleway lists take `page` (from 1) and `page_size` or `per_page`, and give the total item
//! count in the body (`total_count`) or, for the Instance API, in the `X-Total-Count` header.
//!
//! **Latency.** A page stops counting as in flight as soon as its answer is read, before it is
//! decoded (the runtime tells the engine through `page_received`), so the next request goes
//! out at once; decoding a large page runs on another worker of the runtime
//! (`run_on_worker`), not on the task that polls the requests. Listing 10,000 servers then
//! takes close to the latency floor (see `benches/pagination.rs`).
//!
//! **Memory.** At most twice the concurrency pages are held at once (in flight, being decoded
//! or waiting for their turn), however slowly the consumer reads: a stream that is not
//! collected keeps memory flat whatever the length of the list.
//!
//! **Throttling.** Pages in flight adapt to throttling (AIMD, as TCP's congestion window):
//! each page is fetched inside a task-local `Probe`, which the runtime's retry loop tells of
//! every `429` it gets (`note_throttled`). A `429` halves the pages in flight (once per round:
//! the `429`s of pages sent before the last halving do not halve again), and each page that
//! comes back without one adds one, between 1 and the configured concurrency.
//!
//! **Code size.** The engine is not generic: pages travel as [`ErasedPage`], and only the thin
//! [`paginate`] adapter is compiled for each item type, so that each list operation of a
//! generated crate adds little code.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};

use futures::future::BoxFuture;
use futures::stream::{self, BoxStream, FuturesOrdered, Stream, StreamExt};

use crate::Error;

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
    const TOTAL_COUNT: reqwest::header::HeaderName =
        reqwest::header::HeaderName::from_static("x-total-count");
    headers.get(TOTAL_COUNT)?.to_str().ok()?.trim().parse().ok()
}

/// Every item of every page. `fetch(n)` sends the request for page `n` (from 1).
///
/// With a total: `ceil(total / items on page 1)` pages, pages 2.. fetched up to `concurrency`
/// at a time (1 means one after the other; fewer while the API answers `429`, see the module
/// documentation), none beyond the last. Without a total: pages one after the other until a
/// page is shorter than the first. An empty first page ends the stream; the first error ends
/// it after being yielded.
///
/// Nothing is built before the first poll: the engine erases `fetch` behind a `dyn`, which
/// makes the compiler generate the whole chain (request, decoding of every answer type) in
/// the crate that creates it. Deferred to the first poll, that happens in the application,
/// for the listings it uses, instead of in the API crate for every listing it has.
pub fn paginate<'a, T, F, Fut>(concurrency: usize, fetch: F) -> Listing<'a, T, F>
where
    T: Send + 'static,
    F: Fn(u32) -> Fut + Send + Sync + 'a,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'a,
{
    Listing {
        concurrency,
        fetch: Some(fetch),
        items: None,
    }
}

/// The stream [`paginate`] returns: the engine, started on the first poll.
pub struct Listing<'a, T, F> {
    concurrency: usize,
    /// Until the first poll, which hands it to the engine.
    fetch: Option<F>,
    items: Option<ItemStream<'a, T, Error>>,
}

// `fetch` is moved out on the first poll and never pinned: the listing can move whatever `F`
// is, so `stream.next().await` needs no pinning.
impl<T, F> Unpin for Listing<'_, T, F> {}

impl<'a, T, F, Fut> Stream for Listing<'a, T, F>
where
    T: Send + 'static,
    F: Fn(u32) -> Fut + Send + Sync + 'a,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'a,
{
    type Item = Result<T, Error>;

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(fetch) = this.fetch.take() {
            this.items = Some(erased(this.concurrency, fetch));
        }
        match &mut this.items {
            Some(items) => items.as_mut().poll_next(cx),
            None => Poll::Ready(None),
        }
    }
}

/// [`paginate`], started: `fetch` erased and handed to the engine.
fn erased<'a, T, F, Fut>(concurrency: usize, fetch: F) -> ItemStream<'a, T, Error>
where
    T: Send + 'static,
    F: Fn(u32) -> Fut + Send + Sync + 'a,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'a,
{
    let erased: ErasedFetch<'a> = Arc::new(move |number| {
        let page = fetch(number);
        Box::pin(async move { page.await.map(ErasedPage::new) })
    });
    pages(concurrency, erased)
        .flat_map(|page| match page {
            Ok(page) => stream::iter(page.into_items::<T>().into_iter().map(Ok)).left_stream(),
            Err(e) => stream::iter(Some(Err(e))).right_stream(),
        })
        .boxed()
}

/// A page whose item type the engine does not know: its length, the total, and its items.
pub struct ErasedPage {
    len: usize,
    total: Option<u64>,
    items: Box<dyn Any + Send>,
}

impl ErasedPage {
    fn new<T: Send + 'static>(page: Page<T>) -> ErasedPage {
        ErasedPage {
            len: page.items.len(),
            total: page.total,
            items: Box::new(page.items),
        }
    }

    fn into_items<T: 'static>(self) -> Vec<T> {
        // Erased and restored by `paginate` with the same `T`: the downcast cannot fail.
        self.items
            .downcast::<Vec<T>>()
            .map(|items| *items)
            .unwrap_or_default()
    }
}

/// `fetch(n)` of [`paginate`], erased.
type ErasedFetch<'a> =
    Arc<dyn Fn(u32) -> BoxFuture<'a, Result<ErasedPage, Error>> + Send + Sync + 'a>;

/// Every page in order, then nothing after the first error.
fn pages<'a>(
    concurrency: usize,
    fetch: ErasedFetch<'a>,
) -> BoxStream<'a, Result<ErasedPage, Error>> {
    let window = Arc::new(Window::new(concurrency));
    let first = probed(window.clone(), fetch(1));
    let pages = stream::once(first).flat_map(move |first| match first {
        Err(e) => stream::iter(Some(Err(e))).boxed(),
        Ok(page) => {
            let rest = match (page.len, page.total) {
                (0, _) => stream::empty().boxed(),
                (n, Some(total)) => {
                    let pages = total.div_ceil(n as u64).min(u32::MAX as u64) as u32;
                    in_order(2..=pages, window.clone(), fetch.clone()).boxed()
                }
                (n, None) => sequential(n, fetch.clone()),
            };
            stream::iter(Some(Ok(page))).chain(rest).boxed()
        }
    });
    stop_after_error(pages)
}

/// The pages `numbers`, at most [`Window::limit`] in flight and twice the maximum held, yielded
/// in order.
fn in_order<'a>(
    numbers: std::ops::RangeInclusive<u32>,
    window: Arc<Window>,
    fetch: ErasedFetch<'a>,
) -> impl Stream<Item = Result<ErasedPage, Error>> + Send + 'a {
    let mut numbers = numbers.peekable();
    let mut queue = FuturesOrdered::new();
    stream::poll_fn(move |cx| {
        // Woken when a page completes (by the queue) and when an answer is read (by the
        // window), which is when another request may go out.
        window.register(cx.waker());
        while numbers.peek().is_some() && window.may_send(queue.len()) {
            let Some(number) = numbers.next() else { break };
            queue.push_back(probed(window.clone(), fetch(number)));
        }
        match queue.poll_next_unpin(cx) {
            Poll::Ready(None) if numbers.peek().is_some() => {
                // Cannot happen: the loop above queues one page at least when the queue is
                // empty (the limit is at least 1). Ask to be polled again rather than end early.
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            other => other,
        }
    })
}

/// Fetches one page inside a fresh `Probe` of `window`: counts it in flight until its answer is
/// read (or it ends), and widens the window when it came back without a `429`.
fn probed<'a>(
    window: Arc<Window>,
    page: BoxFuture<'a, Result<ErasedPage, Error>>,
) -> impl Future<Output = Result<ErasedPage, Error>> + Send + 'a {
    window.sent();
    let probe = Arc::new(Probe {
        seen: AtomicU64::new(window.generation()),
        window,
        throttled: AtomicBool::new(false),
        released: AtomicBool::new(false),
    });
    async move {
        let result = PROBE.scope(probe.clone(), page).await;
        probe.release();
        if result.is_ok() && !probe.throttled.load(Ordering::Relaxed) {
            probe.window.widen();
        }
        result
    }
}

tokio::task_local! {
    /// The probe of the page being fetched, when a listing fetches it.
    static PROBE: Arc<Probe>;
}

/// Tells the listing whose page is being fetched, if any, that the API answered `429`. Called
/// by the runtime's retry loop on every `429`; does nothing outside a listing.
pub(crate) fn note_throttled() {
    let _ = PROBE.try_with(|probe| probe.throttled());
}

/// Tells the listing whose page is being fetched, if any, that its answer is read: the next
/// page may go out while this one is decoded. Returns whether a listing was told.
pub(crate) fn page_received() -> bool {
    PROBE.try_with(|probe| probe.release()).is_ok()
}

/// Runs `job` on another worker thread of the runtime and waits for it, so that the task
/// polling a listing's requests is free meanwhile; runs it in place on a runtime with one
/// thread, or outside tokio. Not generic, so that the task machinery is compiled once.
pub(crate) async fn run_on_worker(job: Box<dyn FnOnce() + Send>) {
    use tokio::runtime::{Handle, RuntimeFlavor};
    let multi_thread =
        Handle::try_current().is_ok_and(|h| h.runtime_flavor() == RuntimeFlavor::MultiThread);
    if !multi_thread {
        return job();
    }
    if let Err(e) = tokio::spawn(async move { job() }).await
        && e.is_panic()
    {
        std::panic::resume_unwind(e.into_panic());
    }
    // Cancelled (the runtime is shutting down): the caller sees no result and does the work
    // itself.
}

/// What the fetch of one page tells its listing's [`Window`].
#[derive(Debug)]
struct Probe {
    window: Arc<Window>,
    /// The window's generation when this page last saw it: a `429` halves the window only if
    /// no other page halved it since.
    seen: AtomicU64,
    /// Whether any attempt of this page was answered `429`.
    throttled: AtomicBool,
    /// Whether this page no longer counts as in flight.
    released: AtomicBool,
}

impl Probe {
    fn throttled(&self) {
        self.throttled.store(true, Ordering::Relaxed);
        let now = self.window.narrow(self.seen.load(Ordering::Relaxed));
        self.seen.store(now, Ordering::Relaxed);
    }

    /// The page's answer is in (or it ended): one fewer in flight, once.
    fn release(&self) {
        if !self.released.swap(true, Ordering::AcqRel) {
            self.window.received();
        }
    }
}

/// Pages in flight of one listing: AIMD between 1 and the configured concurrency.
#[derive(Debug)]
struct Window {
    max: usize,
    state: Mutex<WindowState>,
}

#[derive(Debug)]
struct WindowState {
    limit: usize,
    /// Requests sent whose answer is not read yet.
    in_flight: usize,
    /// Bumped on each halving.
    generation: u64,
    /// The listing's task, to wake when an answer is read.
    waker: Option<Waker>,
}

impl Window {
    fn new(concurrency: usize) -> Window {
        let max = concurrency.max(1);
        Window {
            max,
            state: Mutex::new(WindowState {
                limit: max,
                in_flight: 0,
                generation: 0,
                waker: None,
            }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, WindowState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn register(&self, waker: &Waker) {
        let mut state = self.state();
        match &state.waker {
            Some(current) if current.will_wake(waker) => {}
            _ => state.waker = Some(waker.clone()),
        }
    }

    /// Whether another request may go out, with `held` pages held (in flight or not yet
    /// yielded).
    fn may_send(&self, held: usize) -> bool {
        let state = self.state();
        state.in_flight < state.limit && held < 2 * self.max
    }

    fn sent(&self) {
        self.state().in_flight += 1;
    }

    fn received(&self) {
        let waker = {
            let mut state = self.state();
            state.in_flight = state.in_flight.saturating_sub(1);
            state.waker.clone()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    fn generation(&self) -> u64 {
        self.state().generation
    }

    /// Halves the limit for a `429` seen by a page that saw generation `seen`, unless another
    /// page already halved it since; returns the generation now.
    fn narrow(&self, seen: u64) -> u64 {
        let mut state = self.state();
        if state.generation == seen {
            state.limit = (state.limit / 2).max(1);
            state.generation += 1;
            tracing::debug!(
                pages_in_flight = state.limit,
                "throttled (429): fewer pages in flight"
            );
        }
        state.generation
    }

    /// One more page in flight, after a page came back without a `429`.
    fn widen(&self) {
        let mut state = self.state();
        state.limit = (state.limit + 1).min(self.max);
    }
}

/// Pages 2, 3, … until one is shorter than `per_page`.
fn sequential<'a>(
    per_page: usize,
    fetch: ErasedFetch<'a>,
) -> BoxStream<'a, Result<ErasedPage, Error>> {
    stream::unfold(Some(2u32), move |next| {
        let fetch_page = next.map(|n| fetch(n));
        async move {
            let number = next?;
            match fetch_page?.await {
                Err(e) => Some((Err(e), None)),
                Ok(page) => {
                    let more = page.len >= per_page && page.len > 0;
                    Some((Ok(page), more.then(|| number + 1)))
                }
            }
        }
    })
    .boxed()
}

fn stop_after_error<'a, T: Send + 'a>(
    items: impl Stream<Item = Result<T, Error>> + Send + 'a,
) -> BoxStream<'a, Result<T, Error>> {
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
pub async fn collect_all<T, E>(items: impl Stream<Item = Result<T, E>>) -> Result<Vec<T>, E> {
    futures::TryStreamExt::try_collect(items).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::FutureExt;

    type PageLog = Arc<Mutex<Vec<u32>>>;
    type Fetched = futures::future::Ready<Result<Page<u64>, Error>>;

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
    async fn a_listing_asks_for_nothing_until_it_is_polled_and_reads_without_pinning() {
        let (asked, fetch) = fake(150, 100, true);
        let mut items = paginate(2, fetch);
        assert!(
            asked.lock().unwrap().is_empty(),
            "no page before the first poll"
        );
        // `Listing` is `Unpin`: `next()` takes it as it is.
        assert_eq!(items.next().await.unwrap().unwrap(), 0);
        assert_eq!(asked.lock().unwrap().first(), Some(&1));
        assert_eq!(items.count().await, 149);
        assert_eq!(*asked.lock().unwrap(), vec![1, 2]);
    }

    #[tokio::test]
    async fn empty_first_page_ends_the_stream() {
        let (asked, fetch) = fake(0, 100, true);
        assert!(collect_all(paginate(8, fetch)).await.unwrap().is_empty());
        assert_eq!(*asked.lock().unwrap(), vec![1]);
    }

    type Started = Arc<Mutex<Vec<(u32, usize)>>>;
    type Fetching = futures::future::BoxFuture<'static, Result<Page<u32>, Error>>;

    /// `pages` pages of one item, each taking 10 ms; the pages for which `throttled` says so
    /// report a 429 as the runtime does. Records, per page, how many were in flight as it
    /// started.
    fn timed(
        pages: u32,
        throttled: fn(u32) -> bool,
    ) -> (Started, impl Fn(u32) -> Fetching + Clone + Send + Sync) {
        let started = Started::default();
        let active = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let log = started.clone();
        let fetch = move |page: u32| {
            let (log, active) = (log.clone(), active.clone());
            async move {
                let now = active.fetch_add(1, Ordering::SeqCst) + 1;
                log.lock().unwrap().push((page, now));
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                if throttled(page) {
                    note_throttled();
                }
                active.fetch_sub(1, Ordering::SeqCst);
                Ok(Page {
                    items: vec![page],
                    total: Some(u64::from(pages)),
                })
            }
            .boxed()
        };
        (started, fetch)
    }

    /// Most pages in flight at the start of any of `pages`.
    fn most_in_flight(started: &Started, pages: std::ops::RangeInclusive<u32>) -> usize {
        let started = started.lock().unwrap();
        let in_range = started.iter().filter(|(page, _)| pages.contains(page));
        in_range.map(|&(_, n)| n).max().unwrap()
    }

    #[tokio::test(start_paused = true)]
    async fn a_throttled_round_halves_the_pages_in_flight_and_clean_pages_raise_them_again() {
        // Pages 2..=9 go out together and all meet a 429: one halving (8 to 4), not eight.
        let (started, fetch) = timed(60, |page| (2..=9).contains(&page));
        let items = collect_all(paginate(8, fetch)).await.unwrap();
        assert_eq!(items, (1..=60).collect::<Vec<_>>(), "all items, in order");
        assert_eq!(most_in_flight(&started, 2..=9), 8);
        assert_eq!(most_in_flight(&started, 10..=13), 4, "halved once");
        // Then one more page in flight per clean page, up to the configured 8 again.
        assert_eq!(
            most_in_flight(&started, 40..=60),
            8,
            "raised back to the maximum"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_every_page_goes_down_to_one_in_flight_and_still_lists_everything() {
        let (started, fetch) = timed(40, |_| true);
        let items = collect_all(paginate(8, fetch)).await.unwrap();
        assert_eq!(items, (1..=40).collect::<Vec<_>>());
        assert_eq!(
            most_in_flight(&started, 20..=40),
            1,
            "never zero, never more"
        );
    }

    #[tokio::test]
    async fn a_throttle_outside_a_listing_is_ignored() {
        // The runtime calls it on every 429, listing or not.
        note_throttled();
    }

    #[tokio::test]
    async fn first_error_is_yielded_then_the_stream_ends() {
        let fetch = |page: u32| {
            futures::future::ready(match page {
                2 => Err(Error::invalid_request("page 2 broke")),
                _ => Ok(Page {
                    items: vec![page],
                    total: Some(5),
                }),
            })
        };
        let results: Vec<Result<u32, Error>> = paginate(1, fetch).collect().await;
        assert_eq!(results.len(), 2, "{results:?}");
        assert_eq!(results[0].as_ref().unwrap(), &1);
        assert!(
            results[1]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("page 2 broke")
        );
    }

    /// `pages` pages of one item; each answer takes 10 ms to arrive, then is "decoded" for
    /// 5 ms after telling the listing it was received, as the runtime does.
    fn decoded_slowly(pages: u32) -> (Started, impl Fn(u32) -> Fetching + Clone + Send + Sync) {
        let started = Started::default();
        let in_flight = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let log = started.clone();
        let fetch = move |page: u32| {
            let (log, in_flight) = (log.clone(), in_flight.clone());
            async move {
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                log.lock().unwrap().push((page, now));
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
                assert!(page_received(), "inside a listing");
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                Ok(Page {
                    items: vec![page],
                    total: Some(u64::from(pages)),
                })
            }
            .boxed()
        };
        (started, fetch)
    }

    #[tokio::test(start_paused = true)]
    async fn the_next_request_goes_out_while_a_received_page_is_decoded() {
        let (started, fetch) = decoded_slowly(41);
        let began = tokio::time::Instant::now();
        let items = collect_all(paginate(4, fetch)).await.unwrap();
        assert_eq!(items, (1..=41).collect::<Vec<_>>());
        // Requests never exceed the concurrency...
        assert_eq!(most_in_flight(&started, 2..=41), 4);
        // ...and do not wait for decoding: 10 rounds of 10 ms, plus the first page and the
        // last decode (130 ms), where holding each slot through its decode would take 10
        // rounds of 15 ms (165 ms).
        let took = began.elapsed();
        assert!(
            took <= std::time::Duration::from_millis(135),
            "took {took:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_consumer_that_stops_reading_holds_at_most_twice_the_concurrency() {
        let (started, fetch) = decoded_slowly(1000);
        let mut items = paginate(4, fetch);
        assert_eq!(items.next().await.unwrap().unwrap(), 1);
        // The consumer reads nothing more for a long time.
        let stalled = tokio::time::timeout(
            std::time::Duration::from_secs(60),
            futures::future::pending::<()>(),
        );
        let _ = futures::future::select(Box::pin(stalled), items.next()).await;
        let fetched = started.lock().unwrap().len();
        assert!(fetched <= 1 + 2 * 4 + 1, "{fetched} pages fetched");
    }
}
