//! Client controls through generated clients, against wiremock servers: the client-wide rate
//! limit (arrival times at the server), an HTTP client of one's own and the User-Agent suffix,
//! the opt-in retry of `409 transient_state`, per-call timeout and retry policy, and the debug
//! dump (`ClientBuilder::debug`, and `SCW_DEBUG` in a child process).

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use scaleway_client::instance_v1::types;
use scaleway_client::{DebugWriter, ErrorKind, RetryPolicy, Zone, reqwest};
use scaleway_tests::{SECRET_KEY, client_for, server_json};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const SERVER_ID: &str = "5d8f1b9a-3c2e-4f6a-9b7c-1e2d3f4a5b6c";
const SERVER_PATH: &str =
    "/instance/v1/zones/fr-par-1/servers/5d8f1b9a-3c2e-4f6a-9b7c-1e2d3f4a5b6c";

/// A retry policy with short delays, so that retries do not slow the tests down.
fn quick_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        initial_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        ..RetryPolicy::default()
    }
}

/// Serves `total` servers of a zone, one per page, with `X-Total-Count`; records when each
/// request arrived.
struct OnePerPage {
    total: usize,
    arrivals: Arc<Mutex<Vec<Instant>>>,
}

impl Respond for OnePerPage {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.arrivals.lock().unwrap().push(Instant::now());
        let page: usize = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "page")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(1);
        let zone = request.url.path().split('/').nth(4).unwrap_or("fr-par-1");
        let mut server = server_json(&format!("id-{page}"), &format!("srv-{page}"), "running");
        server["zone"] = json!(zone);
        ResponseTemplate::new(200)
            .insert_header("x-total-count", self.total.to_string().as_str())
            .set_body_json(json!({ "servers": [server] }))
    }
}

async fn one_per_page(total: usize) -> (MockServer, Arc<Mutex<Vec<Instant>>>) {
    let server = MockServer::start().await;
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("GET"))
        .and(path_regex(r"^/instance/v1/zones/[a-z0-9-]+/servers$"))
        .respond_with(OnePerPage {
            total,
            arrivals: arrivals.clone(),
        })
        .mount(&server)
        .await;
    (server, arrivals)
}

/// Times of arrival since `started` (taken before the call), in order.
fn offsets(arrivals: &Mutex<Vec<Instant>>, started: Instant) -> Vec<Duration> {
    let mut arrivals = arrivals.lock().unwrap().clone();
    arrivals.sort();
    arrivals.iter().map(|t| t.duration_since(started)).collect()
}

/// The `n`th arrival (from 0) came no sooner than `at_least_ms` after the call started.
///
/// The limiter lets the first request go at once, and the others when their token is due, so
/// this holds however late the scheduler runs anything: a request only ever arrives after its
/// turn (1 ms of leeway for the rounding of float seconds to a deadline).
fn assert_not_before(offsets: &[Duration], n: usize, at_least_ms: u64) {
    assert!(
        offsets[n] + Duration::from_millis(1) >= Duration::from_millis(at_least_ms),
        "request {n} arrived {:?} after the start, expected at least {at_least_ms} ms: {offsets:?}",
        offsets[n]
    );
}

#[tokio::test]
async fn rate_limit_spaces_the_concurrent_pages_of_collect_all() {
    let (server, arrivals) = one_per_page(8).await;
    // 8 pages at once are allowed by the concurrency; the limit lets 2 through at once, then
    // one every 100 ms.
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .page_concurrency(8)
        .rate_limit(10.0, 2)
        .build()
        .unwrap();

    let started = Instant::now();
    let servers = client
        .instance_v1()
        .list_servers()
        .per_page(1u32)
        .collect_all()
        .await
        .unwrap();

    let names: Vec<&str> = servers.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "srv-1", "srv-2", "srv-3", "srv-4", "srv-5", "srv-6", "srv-7", "srv-8"
        ]
    );
    let offsets = offsets(&arrivals, started);
    assert_eq!(offsets.len(), 8);
    // The burst: the first two together (the second waits only for the first page's answer,
    // not for a token).
    assert!(
        offsets[1] - offsets[0] < Duration::from_millis(90),
        "{offsets:?}"
    );
    // The rest one token apart: the third 100 ms after the start, the eighth 600 ms after.
    for n in 2..8 {
        assert_not_before(&offsets, n, (n as u64 - 1) * 100);
    }
}

#[tokio::test]
async fn rate_limit_is_shared_by_the_zones_of_collect_all_in_zones_and_by_clones() {
    let (server, arrivals) = one_per_page(1).await;
    let client = client_for(&server).rate_limit(10.0, 1).build().unwrap();
    let zones = [Zone::FR_PAR_1, Zone::FR_PAR_2, Zone::FR_PAR_3];

    let started = Instant::now();
    let per_zone = client
        .instance_v1()
        .list_servers()
        .collect_all_in_zones(&zones)
        .await;
    let (servers, failed) = scaleway_client::locality::merge(per_zone);
    assert!(failed.is_empty());
    assert_eq!(servers.len(), 3);

    // A clone shares the bucket: its call waits its turn after the three zones.
    let clone = client.clone();
    clone
        .instance_v1()
        .list_servers()
        .zone("fr-par-1")
        .send()
        .await
        .unwrap();

    let offsets = offsets(&arrivals, started);
    assert_eq!(offsets.len(), 4);
    for n in 1..4 {
        assert_not_before(&offsets, n, n as u64 * 100);
    }
}

#[tokio::test]
async fn rate_limit_counts_every_retry() {
    let server = MockServer::start().await;
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    struct Busy(Arc<Mutex<Vec<Instant>>>);
    impl Respond for Busy {
        fn respond(&self, _: &Request) -> ResponseTemplate {
            self.0.lock().unwrap().push(Instant::now());
            ResponseTemplate::new(503)
        }
    }
    Mock::given(method("GET"))
        .and(path(SERVER_PATH))
        .respond_with(Busy(arrivals.clone()))
        .mount(&server)
        .await;
    // Retries 5 ms apart, were it not for the limit.
    let client = client_for(&server)
        .retry(quick_retries(3))
        .rate_limit(10.0, 1)
        .build()
        .unwrap();

    let started = Instant::now();
    let err = client
        .instance_v1()
        .get_server()
        .zone("fr-par-1")
        .server_id(SERVER_ID)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    let offsets = offsets(&arrivals, started);
    assert_eq!(offsets.len(), 3);
    assert_not_before(&offsets, 1, 100);
    assert_not_before(&offsets, 2, 200);
}

#[tokio::test]
async fn unusable_rate_limit_fails_the_build() {
    let server = MockServer::start().await;
    for (per_second, burst) in [(0.0, 1), (-2.0, 1), (f64::NAN, 1), (10.0, 0)] {
        let err = client_for(&server)
            .rate_limit(per_second, burst)
            .build()
            .unwrap_err();
        assert!(err.to_string().starts_with("invalid rate_limit: "), "{err}");
    }
}

/// Answers the server of [`SERVER_PATH`] after `delay`.
async fn serve_server(server: &MockServer, delay: Duration) {
    Mock::given(method("GET"))
        .and(path(SERVER_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "server": server_json(SERVER_ID, "web", "running") }))
                .set_delay(delay),
        )
        .mount(server)
        .await;
}

async fn get_server(client: &scaleway_client::Client) -> Result<(), scaleway_client::Error> {
    client
        .instance_v1()
        .get_server()
        .zone("fr-par-1")
        .server_id(SERVER_ID)
        .send()
        .await
        .map(|_| ())
}

#[tokio::test]
async fn own_http_client_keeps_its_default_headers_and_gets_auth_and_user_agent() {
    let server = MockServer::start().await;
    serve_server(&server, Duration::ZERO).await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-tenant", "blue".parse().unwrap());
    let http = scaleway_client::http_client_builder()
        .default_headers(headers)
        .user_agent("overridden/0")
        .build()
        .unwrap();
    let client = client_for(&server)
        .secret_key(SECRET_KEY)
        .http_client(http)
        .user_agent_suffix("myapp/1.2")
        .build()
        .unwrap();

    get_server(&client).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let seen = &requests[0].headers;
    assert_eq!(seen["x-tenant"], "blue", "the client's own default header");
    assert_eq!(
        seen["x-auth-token"], SECRET_KEY,
        "the runtime's authentication"
    );
    assert_eq!(
        seen["user-agent"],
        format!("{} myapp/1.2", scaleway_core::USER_AGENT).as_str()
    );
}

#[tokio::test]
async fn user_agent_suffix_is_appended_to_the_sdk_user_agent() {
    let server = MockServer::start().await;
    serve_server(&server, Duration::ZERO).await;
    let plain = client_for(&server).build().unwrap();
    let suffixed = client_for(&server)
        .user_agent_suffix("myapp/1.2")
        .build()
        .unwrap();
    assert_eq!(
        suffixed.runtime().user_agent(),
        format!("scaleway-rust/{} myapp/1.2", env!("CARGO_PKG_VERSION"))
    );

    get_server(&plain).await.unwrap();
    get_server(&suffixed).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let agents: Vec<&str> = requests
        .iter()
        .map(|r| r.headers["user-agent"].to_str().unwrap())
        .collect();
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        agents,
        [
            format!("scaleway-rust/{version}"),
            format!("scaleway-rust/{version} myapp/1.2")
        ]
    );

    let err = client_for(&server)
        .user_agent_suffix("bad\nsuffix")
        .build()
        .unwrap_err();
    assert!(
        err.to_string().starts_with("invalid user_agent_suffix"),
        "{err}"
    );
}

#[tokio::test]
async fn builder_timeout_leaves_an_own_client_alone_but_with_timeout_applies() {
    let server = MockServer::start().await;
    serve_server(&server, Duration::from_millis(300)).await;
    let client = client_for(&server)
        .timeout(Duration::from_millis(50))
        .http_client(scaleway_client::http_client_builder().build().unwrap())
        .build()
        .unwrap();

    // The builder's 50 ms do not reconfigure the client given: the slow answer arrives.
    get_server(&client).await.unwrap();

    let err = client
        .instance_v1()
        .get_server()
        .zone("fr-par-1")
        .server_id(SERVER_ID)
        .with_timeout(Duration::from_millis(50))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
}

#[tokio::test]
async fn with_timeout_beats_a_long_client_timeout() {
    let server = MockServer::start().await;
    serve_server(&server, Duration::from_millis(500)).await;
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();

    let started = Instant::now();
    let err = client
        .instance_v1()
        .get_server()
        .server_id(SERVER_ID)
        .with_timeout(Duration::from_millis(50))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(
        started.elapsed() < Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );

    // Without it, the client's timeout lets the same call through.
    get_server(&client).await.unwrap();
}

#[tokio::test]
async fn with_retry_none_sends_once_where_the_client_would_retry() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(SERVER_PATH))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .retry(quick_retries(3))
        .build()
        .unwrap();
    let received = || async { server.received_requests().await.unwrap().len() };

    let err = client
        .instance_v1()
        .get_server()
        .server_id(SERVER_ID)
        .with_retry(RetryPolicy::none())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(received().await, 1, "sent once");

    // The client's own policy: three attempts.
    get_server(&client).await.unwrap_err();
    assert_eq!(received().await, 4);
}

fn transient_body() -> Value {
    json!({
        "type": "transient_state",
        "message": "resource is in a transient state",
        "resource": "instance_server",
        "resource_id": SERVER_ID,
        "current_state": "starting"
    })
}

/// `verb` to `route` answers 409 `transient_state` twice, then `ok`.
async fn busy_twice(server: &MockServer, verb: &str, route: &str, ok: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(409).set_body_json(transient_body()))
        .up_to_n_times(2)
        .mount(server)
        .await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ok)
        .mount(server)
        .await;
}

#[tokio::test]
async fn transient_state_is_retried_only_when_asked_and_only_for_idempotent_calls() {
    let ok_server = ResponseTemplate::new(200)
        .set_body_json(json!({ "server": server_json(SERVER_ID, "web", "running") }));

    // Off (the default): one request, and the typed error.
    let server = MockServer::start().await;
    busy_twice(&server, "GET", SERVER_PATH, ok_server.clone()).await;
    let client = client_for(&server).retry(quick_retries(5)).build().unwrap();
    let err = get_server(&client).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(409));
    assert!(
        matches!(err.kind(), Some(ErrorKind::TransientState { current_state: Some(s), .. }) if s == "starting"),
        "{err}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    // On: retried until the 200.
    let server = MockServer::start().await;
    busy_twice(&server, "GET", SERVER_PATH, ok_server).await;
    let client = client_for(&server)
        .retry(quick_retries(5))
        .retry_transient_state(true)
        .build()
        .unwrap();
    get_server(&client).await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 3);

    // On, but a POST: never re-sent.
    let server = MockServer::start().await;
    let action = format!("{SERVER_PATH}/action");
    busy_twice(&server, "POST", &action, ResponseTemplate::new(202)).await;
    let client = client_for(&server)
        .retry(quick_retries(5))
        .retry_transient_state(true)
        .build()
        .unwrap();
    let err = client
        .instance_v1()
        .server_action()
        .zone("fr-par-1")
        .server_id(SERVER_ID)
        .body(types::ServerActionRequest {
            action: Some(types::ServerAction::Poweron),
            ..Default::default()
        })
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), Some(ErrorKind::TransientState { .. })),
        "{err}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

/// A writer the test reads back.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Fails when `text` shows the secret key, or 8 characters or more of its start.
fn assert_no_secret(text: &str) {
    for end in 8..=SECRET_KEY.len() {
        assert!(
            !text.to_ascii_lowercase().contains(&SECRET_KEY[..end]),
            "{:?} shown:\n{text}",
            &SECRET_KEY[..end]
        );
    }
}

#[tokio::test]
async fn debug_dump_through_the_client() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(SERVER_PATH))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-request-id", "7c1d0e2f-req")
                .set_body_json(json!({
                    "type": "unknown_resource",
                    "message": "\"instance_server\" not found",
                    "resource": "instance_server",
                    "resource_id": SERVER_ID
                })),
        )
        .mount(&server)
        .await;
    let captured = Captured::default();
    let client = client_for(&server)
        .secret_key(SECRET_KEY)
        .debug(true)
        .debug_writer(DebugWriter::new(captured.clone()))
        .build()
        .unwrap();

    let err = get_server(&client).await.unwrap_err();
    // The dump did not eat the body the error is decoded from.
    assert!(err.is_not_found(), "{err}");
    assert_eq!(err.request_id(), Some("7c1d0e2f-req"));

    let dump = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for expected in [
        format!("GET {}{SERVER_PATH}", server.uri()),
        "x-auth-token: [REDACTED]".to_owned(),
        "--- scaleway: response 404 Not Found, request id 7c1d0e2f-req".to_owned(),
        r#""type":"unknown_resource""#.to_owned(),
    ] {
        assert!(dump.contains(&expected), "{expected:?} not in:\n{dump}");
    }
    assert_no_secret(&dump);

    // `debug(false)` and no SCW_DEBUG: nothing more.
    let quiet = client_for(&server)
        .debug(false)
        .debug_writer(DebugWriter::new(captured.clone()))
        .build()
        .unwrap();
    let before = captured.0.lock().unwrap().len();
    get_server(&quiet).await.unwrap_err();
    assert_eq!(captured.0.lock().unwrap().len(), before);
}

/// Run by [`scw_debug_turns_the_dump_on_and_writes_to_stderr`] in a child process whose
/// environment has `SCW_DEBUG=1`; does nothing in a normal run.
#[tokio::test]
async fn scw_debug_child() {
    if std::env::var_os("SCALEWAY_TESTS_SCW_DEBUG_CHILD").is_none() {
        return;
    }
    let server = MockServer::start().await;
    serve_server(&server, Duration::ZERO).await;
    // Not ignoring the environment: SCW_DEBUG is read; the dump goes to stderr.
    let client = scaleway_client::Client::builder()
        .api_url(server.uri())
        .secret_key(SECRET_KEY)
        .build()
        .unwrap();
    get_server(&client).await.unwrap();
    eprintln!("child dumped for {}", server.uri());

    // `debug(false)` wins over SCW_DEBUG, and so does ignoring the environment.
    let captured = Captured::default();
    for builder in [
        scaleway_client::Client::builder().debug(false),
        scaleway_client::Client::builder().ignore_environment(),
    ] {
        let client = builder
            .api_url(server.uri())
            .debug_writer(DebugWriter::new(captured.clone()))
            .build()
            .unwrap();
        get_server(&client).await.unwrap();
    }
    assert!(captured.0.lock().unwrap().is_empty());
}

#[test]
fn scw_debug_turns_the_dump_on_and_writes_to_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "scw_debug_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env_clear()
        .env("SCALEWAY_TESTS_SCW_DEBUG_CHILD", "1")
        .env("SCW_DEBUG", "1")
        .env("SCW_CONFIG_PATH", dir.path().join("none.yaml"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "the child test ran: {stdout}");
    assert!(stderr.contains("child dumped for"), "{stderr}");
    for expected in [
        "--- scaleway: request (attempt 1)",
        "GET http://127.0.0.1:",
        SERVER_PATH,
        "x-auth-token: [REDACTED]",
        "--- scaleway: response 200 OK",
        r#""name":"web""#,
    ] {
        assert!(stderr.contains(expected), "{expected:?} not in:\n{stderr}");
    }
    // One dump only: the quiet clients wrote nothing.
    assert_eq!(
        stderr.matches("--- scaleway: request").count(),
        1,
        "{stderr}"
    );
    assert_no_secret(&stderr);
}
