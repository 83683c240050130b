//! Fault injection through the generated Instance client, against a raw loopback HTTP/1.1
//! server (tokio TCP, no mock framework: it can reset a connection, stall, or cut a body).
//!
//! A listing of 10,000 servers completes, every item in order, through 20% of answers being
//! 429 or 503; a listing answered 429 lowers its pages in flight and raises them again; a POST
//! or PATCH reset after being written is reported, not re-sent, while a GET is retried; a reset
//! mid-body, an answer slower than the timeout and a truncated body each give one clear error;
//! a waiter keeps waiting through 503s; the client's retry budget bounds the retries made to an
//! API that is down.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use futures::StreamExt;
use scaleway_client::instance_v1::types;
use scaleway_client::{Client, Error, RetryPolicy, WaitOptions};
use scaleway_tests::server_json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const SERVER_ID: &str = "5d8f1b9a-3c2e-4f6a-9b7c-1e2d3f4a5b6c";
const IMAGE_ID: &str = "3e1b7a52-9c4d-4f60-8a2b-7d5e6f1a2b3c";
const PROJECT: &str = "8f3a6c1e-5b2d-4e7f-9a10-2b3c4d5e6f70";

// --- The fake API ----------------------------------------------------------------------------

/// One request as the fake API read it.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    /// Path and query.
    target: String,
    /// Requests being answered when this one arrived, itself included.
    in_flight: usize,
}

impl Seen {
    /// A numeric query parameter.
    fn query(&self, name: &str) -> Option<u32> {
        let query = self.target.split_once('?')?.1;
        query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            (key == name).then(|| value.parse().ok()).flatten()
        })
    }
}

/// An HTTP answer.
#[derive(Clone, Debug)]
struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn json(status: u16, body: impl Into<Vec<u8>>) -> Answer {
        Answer {
            status,
            headers: vec![("content-type", "application/json".to_owned())],
            body: body.into(),
        }
    }

    fn header(mut self, name: &'static str, value: impl ToString) -> Answer {
        self.headers.push((name, value.to_string()));
        self
    }

    /// The head, with a `Content-Length` of the whole body.
    fn head(&self) -> Vec<u8> {
        let mut head = format!(
            "HTTP/1.1 {} X\r\ncontent-length: {}\r\n",
            self.status,
            self.body.len()
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        head.into_bytes()
    }
}

/// What the fake API does with one request, once it has read it whole.
#[derive(Clone, Debug)]
enum Reply {
    /// Answers, keeping the connection open.
    Answer(Answer),
    /// Answers after a delay.
    After(Duration, Answer),
    /// Resets the connection without answering.
    Reset,
    /// Sends the head and half the body, then resets the connection.
    ResetMidBody(Answer),
    /// Sends the head and half the body, then closes the connection: the body ends before its
    /// `Content-Length`.
    Truncated(Answer),
}

type Handler = dyn Fn(&Seen) -> Reply + Send + Sync;

struct FakeApi {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl FakeApi {
    /// Serves on a loopback port until the test ends, answering each request with `handler`.
    async fn start(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> FakeApi {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let in_flight = Arc::new(AtomicUsize::new(0));
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let _ = socket.set_nodelay(true);
                let connection = Connection {
                    socket,
                    buffer: Vec::new(),
                    seen: log.clone(),
                    in_flight: in_flight.clone(),
                };
                tokio::spawn(connection.serve(handler.clone()));
            }
        });
        FakeApi { addr, seen }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Requests read so far.
    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// A client of this API with short retry delays (the default attempts, throttle budget and
    /// retry budget).
    fn client(&self) -> Client {
        Client::builder()
            .ignore_environment()
            .api_url(self.url())
            .default_zone("fr-par-1")
            .default_project_id(PROJECT)
            .retry(quick_retries())
            .build()
            .unwrap()
    }
}

/// The default policy with delays of a few milliseconds.
fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        initial_delay: Duration::from_millis(2),
        max_delay: Duration::from_millis(20),
        ..RetryPolicy::default()
    }
}

struct Connection {
    socket: TcpStream,
    buffer: Vec<u8>,
    seen: Arc<Mutex<Vec<Seen>>>,
    in_flight: Arc<AtomicUsize>,
}

impl Connection {
    async fn serve(mut self, handler: Arc<Handler>) {
        while let Some(seen) = self.read_request().await {
            let reply = handler(&seen);
            let keep_open = self.reply(reply).await;
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            if !keep_open {
                return;
            }
        }
    }

    /// Reads one request, head and `Content-Length` body; `None` when the client is gone.
    async fn read_request(&mut self) -> Option<Seen> {
        let end = loop {
            if let Some(end) = self.buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break end + 4;
            }
            self.fill().await?;
        };
        let head = String::from_utf8_lossy(&self.buffer[..end]).into_owned();
        let length: usize = head
            .lines()
            .find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse().ok())
                    .flatten()
            })
            .unwrap_or(0);
        assert!(
            !head.to_ascii_lowercase().contains("transfer-encoding"),
            "the SDK sends bodies with a length"
        );
        while self.buffer.len() < end + length {
            self.fill().await?;
        }
        self.buffer.drain(..end + length);
        let mut words = head.split_whitespace();
        let method = words.next()?.to_owned();
        let target = words.next()?.to_owned();
        let seen = Seen {
            method,
            target,
            in_flight: self.in_flight.fetch_add(1, Ordering::SeqCst) + 1,
        };
        self.seen.lock().unwrap().push(seen.clone());
        Some(seen)
    }

    async fn fill(&mut self) -> Option<()> {
        let mut chunk = [0u8; 16 * 1024];
        match self.socket.read(&mut chunk).await {
            Ok(0) | Err(_) => None,
            Ok(n) => {
                self.buffer.extend_from_slice(&chunk[..n]);
                Some(())
            }
        }
    }

    /// Sends `reply`; whether the connection stays open.
    async fn reply(&mut self, reply: Reply) -> bool {
        match reply {
            Reply::Answer(answer) => self.send(&answer, answer.body.len()).await,
            Reply::After(delay, answer) => {
                tokio::time::sleep(delay).await;
                self.send(&answer, answer.body.len()).await
            }
            Reply::Reset => {
                self.reset();
                false
            }
            Reply::ResetMidBody(answer) => {
                self.send(&answer, answer.body.len() / 2).await;
                // Let the client take the head and hand the answer on before the reset.
                tokio::time::sleep(Duration::from_millis(50)).await;
                self.reset();
                false
            }
            Reply::Truncated(answer) => {
                self.send(&answer, answer.body.len() / 2).await;
                let _ = self.socket.shutdown().await;
                false
            }
        }
    }

    /// Sends the head of `answer` and the first `body` bytes of its body, in one write.
    async fn send(&mut self, answer: &Answer, body: usize) -> bool {
        let mut bytes = answer.head();
        bytes.extend_from_slice(&answer.body[..body]);
        self.socket.write_all(&bytes).await.is_ok()
    }

    /// Closes with a TCP reset (RST) rather than an orderly close.
    fn reset(&self) {
        self.socket.set_zero_linger().unwrap();
    }
}

// --- Servers to list ---------------------------------------------------------------------------

/// Servers in the big listing.
const SERVERS: usize = 10_000;

/// The id of server number `index`: a UUID that says its number.
fn server_id(index: usize) -> String {
    format!("{index:08x}-0000-4000-8000-{index:012x}")
}

/// Every server of the big listing as JSON, made once for the whole test binary (from one
/// serialized [`server_json`], its id and name replaced).
fn server_bodies() -> &'static [Vec<u8>] {
    static BODIES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    BODIES.get_or_init(|| {
        let template = server_json("@ID@", "@NAME@", "running").to_string();
        (0..SERVERS)
            .map(|index| {
                let server = template
                    .replace("@ID@", &server_id(index))
                    .replace("@NAME@", &format!("srv-{index}"));
                server.into_bytes()
            })
            .collect()
    })
}

/// The page a list request asks for, out of the first `total` servers, as the Instance API
/// answers it: the servers of `page` (from 1) of `per_page` (default 50), and the total in
/// `X-Total-Count`.
fn list_page(seen: &Seen, total: usize) -> Answer {
    let page = seen.query("page").unwrap_or(1) as usize;
    let per_page = seen.query("per_page").unwrap_or(50) as usize;
    let start = ((page - 1) * per_page).min(total);
    let end = (start + per_page).min(total);
    let mut body = b"{\"servers\":[".to_vec();
    for (n, server) in server_bodies()[start..end].iter().enumerate() {
        if n > 0 {
            body.push(b',');
        }
        body.extend_from_slice(server);
    }
    body.extend_from_slice(b"]}");
    Answer::json(200, body).header("x-total-count", total)
}

fn too_many_requests() -> Answer {
    Answer::json(
        429,
        r#"{"type":"too_many_requests","message":"rate limit exceeded"}"#,
    )
    .header("retry-after", 0)
}

fn unavailable() -> Answer {
    Answer::json(
        503,
        r#"{"type":"service_unavailable","message":"service unavailable"}"#,
    )
}

/// A uniform number in [0, 1) for `(seed, page, attempt)` (SplitMix64): the faults of a run do
/// not depend on the order in which concurrent requests arrive.
fn roll(seed: u64, page: u32, attempt: u32) -> f64 {
    let mut z = seed
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(u64::from(page) << 32 | u64::from(attempt));
    for _ in 0..2 {
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
    }
    (z >> 11) as f64 / (1u64 << 53) as f64
}

fn get_server_answer(state: &str) -> Answer {
    let body = serde_json::json!({ "server": server_json(SERVER_ID, "web-1", state) });
    Answer::json(200, serde_json::to_vec(&body).unwrap())
}

/// The error is a transport failure whose message names the fake API's address.
fn assert_transport_error_names_the_host(err: &Error, api: &FakeApi) {
    assert!(err.is_transport(), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains(&api.addr.to_string()),
        "the message names the host: {message}"
    );
    assert!(!message.contains('\n'), "one line: {message}");
}

// --- Listings ----------------------------------------------------------------------------------

/// What one faulty listing gave.
struct Run {
    listed: Result<Vec<types::Server>, Error>,
    requests: Vec<Seen>,
    throttled: usize,
    unavailable: usize,
}

/// Lists the 10,000 servers of a fresh fake API that answers `fault_rate` of requests 429
/// (`Retry-After: 0`) or 503, half and half, as `seed` decides for each attempt at each page.
async fn faulty_listing(seed: u64, fault_rate: f64) -> Run {
    let attempts: Mutex<HashMap<u32, u32>> = Mutex::default();
    let throttled = Arc::new(AtomicUsize::new(0));
    let unavailable_count = Arc::new(AtomicUsize::new(0));
    let (counted_429, counted_503) = (throttled.clone(), unavailable_count.clone());
    let api = FakeApi::start(move |seen| {
        let page = seen.query("page").unwrap_or(1);
        let attempt = {
            let mut attempts = attempts.lock().unwrap();
            let count = attempts.entry(page).or_default();
            *count += 1;
            *count
        };
        let roll = roll(seed, page, attempt);
        Reply::Answer(if roll < fault_rate / 2.0 {
            counted_429.fetch_add(1, Ordering::SeqCst);
            too_many_requests()
        } else if roll < fault_rate {
            counted_503.fetch_add(1, Ordering::SeqCst);
            unavailable()
        } else {
            list_page(seen, SERVERS)
        })
    })
    .await;
    let listed = api
        .client()
        .instance_v1()
        .list_servers()
        .collect_all()
        .await;
    Run {
        listed,
        requests: api.seen(),
        throttled: throttled.load(Ordering::SeqCst),
        unavailable: unavailable_count.load(Ordering::SeqCst),
    }
}

// Multi-threaded, and runs 4 at a time: decoding 10,000 servers (15 MB of JSON) is most of the
// time of a listing in a debug build.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listing_10000_servers_through_20_percent_429_and_503_completes_in_20_of_20_runs_in_order()
{
    const RUNS: u64 = 20;
    let expected: Vec<String> = (0..SERVERS).map(server_id).collect();
    let started = Instant::now();
    let runs: Vec<(u64, Run)> = futures::stream::iter(0..RUNS)
        .map(|seed| async move {
            // A task each, so that the two worker threads decode at once.
            let run = tokio::spawn(faulty_listing(seed, 0.2)).await.unwrap();
            (seed, run)
        })
        .buffer_unordered(4)
        .collect()
        .await;

    let (mut requests, mut throttled, mut unavailable) = (0, 0, 0);
    for (seed, run) in &runs {
        let servers = run
            .listed
            .as_ref()
            .unwrap_or_else(|err| panic!("run {seed} failed: {err}"));
        let ids: Vec<&str> = servers.iter().map(|s| s.id.as_str()).collect();
        assert!(ids == expected, "run {seed}: every server once, in order");
        assert!(
            run.requests
                .iter()
                .all(|s| s.query("page").is_some_and(|p| (1..=100).contains(&p))
                    && s.query("per_page") == Some(100)),
            "run {seed}: pages 1 to 100 of 100 servers, none beyond the last"
        );
        requests += run.requests.len();
        throttled += run.throttled;
        unavailable += run.unavailable;
    }
    assert_eq!(runs.len() as u64, RUNS, "{RUNS} of {RUNS} runs completed");
    let faults = (throttled + unavailable) as f64 / requests as f64;
    assert!(
        (0.15..0.25).contains(&faults) && throttled > 100 && unavailable > 100,
        "faults were injected: {throttled} 429 and {unavailable} 503 of {requests} requests"
    );
    eprintln!(
        "{RUNS} of {RUNS} listings of {SERVERS} servers completed in {:.2?} ({requests} \
         requests, {throttled} answered 429, {unavailable} answered 503)",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_listing_answered_429_lowers_its_pages_in_flight_and_raises_them_again() {
    // 60 pages of 10, each answered after 30 ms so that the pages in flight overlap. Pages 2 to
    // 9, sent together after page 1, are answered 429 three times each: three rounds of 429.
    let attempts: Mutex<HashMap<u32, u32>> = Mutex::default();
    let api = FakeApi::start(move |seen| {
        let page = seen.query("page").unwrap_or(1);
        let attempt = {
            let mut attempts = attempts.lock().unwrap();
            let count = attempts.entry(page).or_default();
            *count += 1;
            *count
        };
        let answer = match (2..=9).contains(&page) && attempt <= 3 {
            true => too_many_requests(),
            false => list_page(seen, 600),
        };
        Reply::After(Duration::from_millis(30), answer)
    })
    .await;
    let client = api.client();

    let servers = client
        .instance_v1()
        .list_servers()
        .per_page(10)
        .stream_with_concurrency(8)
        .map(Result::unwrap)
        .collect::<Vec<_>>()
        .await;
    let ids: Vec<String> = servers.iter().map(|s| s.id.clone()).collect();
    assert_eq!(ids, (0..600).map(server_id).collect::<Vec<_>>());

    let seen = api.seen();
    let most_in_flight = |pages: std::ops::RangeInclusive<u32>| {
        let in_range = seen
            .iter()
            .filter(|s| pages.contains(&s.query("page").unwrap()));
        in_range.map(|s| s.in_flight).max().unwrap()
    };
    assert_eq!(most_in_flight(2..=9), 8, "8 pages in flight at first");
    // Three rounds of 429 halve 8 to 4, 2, then 1: page 10 goes out alone, and each clean
    // page lets one more go.
    assert_eq!(most_in_flight(10..=10), 1, "lowered to one page in flight");
    assert!(most_in_flight(11..=12) <= 2, "raised one page at a time");
    assert!(
        most_in_flight(40..=60) >= 6,
        "raised again towards 8 once answers came back clean: {}",
        most_in_flight(40..=60)
    );
}

#[tokio::test]
async fn a_reset_mid_body_ends_a_listing_with_one_transport_error_naming_the_host() {
    let api = FakeApi::start(|seen| match seen.query("page") {
        Some(2) => Reply::ResetMidBody(list_page(seen, 30)),
        _ => Reply::Answer(list_page(seen, 30)),
    })
    .await;

    let results: Vec<Result<types::Server, Error>> = api
        .client()
        .instance_v1()
        .list_servers()
        .per_page(10)
        .stream_with_concurrency(1)
        .collect()
        .await;
    assert_eq!(results.len(), 11, "page 1, then one error, then nothing");
    assert!(results[..10].iter().all(Result::is_ok));
    let err = results[10].as_ref().unwrap_err();
    assert_transport_error_names_the_host(err, &api);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200), "{err}");
    assert!(
        err.to_string().contains("reading the answer"),
        "says the answer broke off: {err}"
    );
}

// --- Nothing sent twice ------------------------------------------------------------------------

#[tokio::test]
async fn post_and_patch_reset_after_being_written_are_reported_not_resent() {
    let api = FakeApi::start(|_| Reply::Reset).await;
    let client = api.client();
    let instance = client.instance_v1();

    let created = instance
        .create_server()
        .body_map(|b| {
            b.commercial_type("DEV1-S")
                .image(IMAGE_ID.to_owned())
                .name("web-1".to_owned())
        })
        .send()
        .await;
    let err = created.unwrap_err();
    assert_transport_error_names_the_host(&err, &api);
    assert!(!err.is_timeout(), "{err}");
    let seen = api.seen();
    assert_eq!(seen.len(), 1, "the POST was sent once: {seen:?}");
    assert_eq!(seen[0].method, "POST");

    let updated = instance
        .update_server()
        .server_id(SERVER_ID)
        .body(types::UpdateServerRequest {
            name: Some("web-2".into()),
            ..Default::default()
        })
        .send()
        .await;
    assert_transport_error_names_the_host(&updated.unwrap_err(), &api);
    let seen = api.seen();
    assert_eq!(seen.len(), 2, "the PATCH was sent once: {seen:?}");
    assert_eq!(seen[1].method, "PATCH");
}

#[tokio::test]
async fn a_get_reset_after_being_written_is_retried() {
    let requests = AtomicUsize::new(0);
    let api = FakeApi::start(move |_| match requests.fetch_add(1, Ordering::SeqCst) {
        0 => Reply::Reset,
        _ => Reply::Answer(get_server_answer("running")),
    })
    .await;

    let found = api
        .client()
        .instance_v1()
        .get_server()
        .server_id(SERVER_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(found.server.id, SERVER_ID);
    let seen = api.seen();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(seen.iter().all(|s| s.method == "GET"));
}

#[tokio::test]
async fn a_post_answered_429_is_resent_as_it_was_not_processed() {
    let requests = AtomicUsize::new(0);
    let api = FakeApi::start(move |_| match requests.fetch_add(1, Ordering::SeqCst) {
        // More 429s than the policy has attempts: they do not count.
        0..=5 => Reply::Answer(too_many_requests()),
        _ => Reply::Answer(Answer {
            status: 201,
            ..get_server_answer("stopped")
        }),
    })
    .await;

    let created = api
        .client()
        .instance_v1()
        .create_server()
        .body_map(|b| {
            b.commercial_type("DEV1-S")
                .image(IMAGE_ID.to_owned())
                .name("web-1".to_owned())
        })
        .send()
        .await
        .unwrap();
    assert_eq!(created.server.id, SERVER_ID);
    assert_eq!(api.seen().len(), 7);
}

// --- One clear error ---------------------------------------------------------------------------

#[tokio::test]
async fn an_answer_slower_than_with_timeout_gives_one_timeout_error_naming_the_host() {
    let api =
        FakeApi::start(|_| Reply::After(Duration::from_secs(5), get_server_answer("running")))
            .await;

    let started = Instant::now();
    let err = api
        .client()
        .instance_v1()
        .get_server()
        .server_id(SERVER_ID)
        .with_timeout(Duration::from_millis(100))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_transport_error_names_the_host(&err, &api);
    assert!(err.to_string().contains("timed out"), "{err}");
    // A GET that timed out is retried, each attempt within the call's own timeout.
    let attempts = api.seen().len() as u32;
    assert_eq!(attempts, RetryPolicy::default().max_attempts);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "each attempt cut at 100 ms: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_truncated_body_gives_one_transport_error_naming_the_host() {
    let api = FakeApi::start(|_| Reply::Truncated(get_server_answer("running"))).await;

    let err = api
        .client()
        .instance_v1()
        .get_server()
        .server_id(SERVER_ID)
        .send()
        .await
        .unwrap_err();
    assert_transport_error_names_the_host(&err, &api);
    assert!(!err.is_decode(), "not mistaken for a bad body: {err}");
    assert!(
        err.to_string().contains("reading the answer"),
        "says the answer broke off: {err}"
    );
}

// --- Waiters -----------------------------------------------------------------------------------

#[tokio::test]
async fn a_waiter_keeps_waiting_through_503s_and_returns_the_terminal_state() {
    let script = Mutex::new(
        [
            Some("starting"),
            None,
            None,
            Some("starting"),
            None,
            None,
            None,
            Some("running"),
        ]
        .into_iter(),
    );
    let api = FakeApi::start(move |_| {
        Reply::Answer(match script.lock().unwrap().next().flatten() {
            Some(state) => get_server_answer(state),
            None => unavailable(),
        })
    })
    .await;

    let options = WaitOptions::timeout(Duration::from_secs(5)).every(Duration::from_millis(10));
    let settled = api
        .client()
        .instance_v1()
        .wait_for_server(SERVER_ID, None, &options)
        .await
        .unwrap();
    assert_eq!(settled.server.state.to_string(), "running");
    assert_eq!(api.seen().len(), 8, "every 503 was polled through");
}

// --- Retry budget ------------------------------------------------------------------------------

#[tokio::test]
async fn an_api_that_is_down_gets_the_retry_budget_and_no_more() {
    let down = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let api = {
        let down = down.clone();
        FakeApi::start(move |_| {
            Reply::Answer(match down.load(Ordering::SeqCst) {
                true => unavailable(),
                false => get_server_answer("running"),
            })
        })
        .await
    };
    let client = api.client();
    let get = || {
        client
            .instance_v1()
            .get_server()
            .server_id(SERVER_ID)
            .send()
    };

    // 40 calls at once, each allowed 4 retries by its policy: 160 retries wanted, but the
    // default budget (500 tokens, 5 a retry) has 100.
    let calls = futures::future::join_all((0..40).map(|_| get())).await;
    assert!(
        calls
            .iter()
            .all(|c| c.as_ref().unwrap_err().status().map(|s| s.as_u16()) == Some(503))
    );
    assert_eq!(api.seen().len(), 40 + 100);
    assert_eq!(client.runtime().retry_tokens_left(), Some(0));

    // Spent: the next call is sent once, and its error returned at once.
    let err = get().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(api.seen().len(), 141);

    // Back up: each success earns back a token.
    down.store(false, Ordering::SeqCst);
    get().await.unwrap();
    get().await.unwrap();
    assert_eq!(client.runtime().retry_tokens_left(), Some(2));
}
