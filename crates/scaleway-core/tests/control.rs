//! Runtime controls against a wiremock server: the opt-in retry of `409 transient_state`, and
//! the debug dump (to a writer, and as `tracing` events), which never shows the secret key.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use scaleway_core::internal::{Operation, execute};
use scaleway_core::{Config, DebugWriter, RetryPolicy, Runtime, RuntimeOptions, SecretKey};
use serde_json::{Value, json};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;

/// tracing caches, per callsite, whether any subscriber wants it; a test thread that reaches
/// the dump's callsite first, with no subscriber, can store "never" while another test sets
/// its subscriber. The test that records dump events runs alone (write); the others share.
static CALLSITES: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "3f9e1c27-8a4b-4d6e-9f01-23456789abcd";

static THINGS: Operation = Operation {
    name: "things",
    method: "ANY",
    path: "/things",
    locality: None,
};

fn options(retry_transient_state: bool) -> RuntimeOptions {
    RuntimeOptions {
        retry: RetryPolicy {
            max_attempts: 4,
            initial_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(50),
            ..RetryPolicy::default()
        },
        retry_transient_state,
        ..RuntimeOptions::default()
    }
}

fn runtime_for(server: &MockServer, options: RuntimeOptions) -> Runtime {
    let config = Config {
        api_url: server.uri(),
        secret_key: Some(SecretKey::new(SECRET).unwrap()),
        ..Config::default()
    };
    Runtime::with_options(config, options).unwrap()
}

fn request(runtime: &Runtime, verb: &str, query: &str, body: Option<&str>) -> reqwest::Request {
    let url = format!("{}/things{query}", runtime.api_url());
    let mut builder = runtime.http().request(verb.parse().unwrap(), url);
    if let Some(body) = body {
        builder = builder
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    builder.build().unwrap()
}

fn transient_body() -> Value {
    json!({
        "type": "transient_state",
        "message": "resource is in a transient state",
        "resource": "instance_server",
        "resource_id": "5d8f1b9a-3c2e-4f6a-9b7c-1e2d3f4a5b6c",
        "current_state": "starting"
    })
}

/// Answers `verb` with `status` and `body`, `times` times (then the next mock answers).
async fn answer(server: &MockServer, verb: &str, status: u16, body: Value, times: u64) {
    Mock::given(method(verb))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .up_to_n_times(times)
        .mount(server)
        .await;
}

/// 409 `transient_state` twice, then 200 `{"ok": true}`.
async fn busy_twice(verb: &str) -> MockServer {
    let server = MockServer::start().await;
    answer(&server, verb, 409, transient_body(), 2).await;
    answer(&server, verb, 200, json!({"ok": true}), 10).await;
    server
}

async fn received(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn transient_state_is_not_retried_by_default() {
    let _callsites = CALLSITES.read().await;
    let server = busy_twice("GET").await;
    let runtime = runtime_for(&server, options(false));

    let response = execute(
        &runtime,
        request(&runtime, "GET", "", None),
        &THINGS,
        &Default::default(),
    )
    .await
    .unwrap();

    assert_eq!(received(&server).await, 1);
    assert_eq!(response.status(), 409);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["type"], "transient_state");
}

#[tokio::test]
async fn transient_state_is_retried_for_get_put_and_delete_when_asked() {
    let _callsites = CALLSITES.read().await;
    for verb in ["GET", "PUT", "DELETE"] {
        let server = busy_twice(verb).await;
        let runtime = runtime_for(&server, options(true));
        let body = (verb == "PUT").then_some(r#"{"name": "web"}"#);

        let response = execute(
            &runtime,
            request(&runtime, verb, "", body),
            &THINGS,
            &Default::default(),
        )
        .await
        .unwrap();

        assert_eq!(received(&server).await, 3, "{verb}: two 409s, then the 200");
        assert_eq!(response.status(), 200, "{verb}");
        // The answer read for the check is handed on whole.
        assert_eq!(response.json::<Value>().await.unwrap(), json!({"ok": true}));
        if verb == "PUT" {
            for request in server.received_requests().await.unwrap() {
                assert_eq!(request.body, br#"{"name": "web"}"#, "body re-sent as is");
            }
        }
    }
}

#[tokio::test]
async fn transient_state_is_never_retried_for_post_or_patch() {
    let _callsites = CALLSITES.read().await;
    for verb in ["POST", "PATCH"] {
        let server = busy_twice(verb).await;
        let runtime = runtime_for(&server, options(true));

        let response = execute(
            &runtime,
            request(&runtime, verb, "", Some("{}")),
            &THINGS,
            &Default::default(),
        )
        .await
        .unwrap();

        assert_eq!(received(&server).await, 1, "{verb}");
        assert_eq!(response.status(), 409, "{verb}");
        assert_eq!(response.json::<Value>().await.unwrap(), transient_body());
    }
}

#[tokio::test]
async fn other_conflicts_are_not_retried_and_attempts_are_bounded() {
    let _callsites = CALLSITES.read().await;
    // A 409 of another type is a real conflict: answered at once.
    let server = MockServer::start().await;
    let conflict = json!({"type": "conflict", "message": "name already taken"});
    answer(&server, "GET", 409, conflict.clone(), 5).await;
    let runtime = runtime_for(&server, options(true));
    let response = execute(
        &runtime,
        request(&runtime, "GET", "", None),
        &THINGS,
        &Default::default(),
    )
    .await
    .unwrap();
    assert_eq!(received(&server).await, 1);
    assert_eq!(response.json::<Value>().await.unwrap(), conflict);

    // Always busy: the policy's 4 attempts, then the last answer, body intact.
    let server = MockServer::start().await;
    answer(&server, "DELETE", 409, transient_body(), 10).await;
    let runtime = runtime_for(&server, options(true));
    let response = execute(
        &runtime,
        request(&runtime, "DELETE", "", None),
        &THINGS,
        &Default::default(),
    )
    .await
    .unwrap();
    assert_eq!(received(&server).await, 4);
    assert_eq!(response.status(), 409);
    assert_eq!(response.json::<Value>().await.unwrap(), transient_body());
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

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

/// Fails when `text` shows the secret key, or any 8 characters or more of its start, in any
/// case.
fn assert_no_secret(text: &str) {
    let lower = text.to_ascii_lowercase();
    for end in 8..=SECRET.len() {
        assert!(
            !lower.contains(&SECRET[..end]),
            "{:?} is in the dump:\n{text}",
            &SECRET[..end]
        );
    }
}

/// A PUT whose URL, body and answers all carry the secret key: 503 (request id `req-1`), then
/// 200 (`req-2`) with a body of `big` bytes.
async fn leaky_server(big: usize) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/things"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("x-request-id", "req-1")
                .set_body_json(json!({"type": "unavailable", "echo": SECRET})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let answer = json!({
        "id": "thing-1",
        "token": SECRET.to_uppercase(),
        "zz_padding": "p".repeat(big),
    });
    Mock::given(method("PUT"))
        .and(path("/things"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req-2")
                .insert_header("x-echo", SECRET)
                .set_body_json(answer),
        )
        .mount(&server)
        .await;
    server
}

fn leaky_request(runtime: &Runtime) -> reqwest::Request {
    let body = format!(r#"{{"name": "web-1", "note": "key {SECRET}"}}"#);
    request(runtime, "PUT", &format!("?key={SECRET}"), Some(&body))
}

#[tokio::test]
async fn debug_dump_shows_each_attempt_and_masks_the_secret() {
    let _callsites = CALLSITES.read().await;
    let server = leaky_server(10_000).await;
    let captured = Captured::default();
    let runtime = runtime_for(
        &server,
        RuntimeOptions {
            debug: true,
            debug_writer: Some(DebugWriter::new(captured.clone())),
            ..options(false)
        },
    );

    let response = execute(
        &runtime,
        leaky_request(&runtime),
        &THINGS,
        &Default::default(),
    )
    .await
    .unwrap();

    // The caller still gets the whole answer.
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-request-id"], "req-2");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token"], SECRET.to_uppercase());
    assert_eq!(body["zz_padding"].as_str().unwrap().len(), 10_000);

    let dump = captured.text();
    let url = format!("{}/things?key=[REDACTED]", server.uri());
    for expected in [
        "--- scaleway: request (attempt 1)",
        "--- scaleway: request (attempt 2)",
        &format!("PUT {url}"),
        "x-auth-token: [REDACTED]",
        r#"{"name": "web-1", "note": "key [REDACTED]"}"#,
        "--- scaleway: response 503 Service Unavailable, request id req-1",
        r#""echo":"[REDACTED]""#,
        "--- scaleway: response 200 OK, request id req-2",
        r#""id":"thing-1""#,
        "x-echo: [REDACTED]",
        r#""token":"[REDACTED]""#,
    ] {
        assert!(
            dump.contains(expected),
            "{expected:?} not in the dump:\n{dump}"
        );
    }
    // The big body is cut, and says how long it was.
    assert!(dump.contains("bytes in all)"), "{dump}");
    assert!(dump.len() < 10_000, "{} bytes dumped", dump.len());
    assert_no_secret(&dump);
}

#[tokio::test]
async fn no_dump_when_debug_is_off() {
    let _callsites = CALLSITES.read().await;
    let server = leaky_server(10).await;
    let captured = Captured::default();
    let runtime = runtime_for(
        &server,
        RuntimeOptions {
            debug_writer: Some(DebugWriter::new(captured.clone())),
            ..options(false)
        },
    );
    let response = execute(
        &runtime,
        leaky_request(&runtime),
        &THINGS,
        &Default::default(),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(captured.text(), "");
}

/// Events of target `scaleway::dump`, each as its fields; other targets are not enabled.
#[derive(Clone, Default)]
struct DumpEvents(Arc<Mutex<Vec<BTreeMap<String, String>>>>);

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Subscriber for DumpEvents {
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        if self.enabled(metadata) {
            Interest::always()
        } else {
            Interest::never()
        }
    }
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target() == "scaleway::dump" && *metadata.level() <= tracing::Level::DEBUG
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        self.0.lock().unwrap().push(fields);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn dump_is_a_tracing_event_when_that_target_is_enabled() {
    let _callsites = CALLSITES.write().await;
    let events = DumpEvents::default();
    let _guard = tracing::subscriber::set_default(events.clone());
    let server = leaky_server(10).await;
    let runtime = runtime_for(&server, options(false));

    let response = execute(
        &runtime,
        leaky_request(&runtime),
        &THINGS,
        &Default::default(),
    )
    .await
    .unwrap();
    assert_eq!(response.json::<Value>().await.unwrap()["id"], "thing-1");

    let events = events.0.lock().unwrap();
    assert_eq!(events.len(), 2, "one event per attempt: {events:#?}");
    let url = format!("{}/things?key=[REDACTED]", server.uri());
    for (event, (attempt, status, id)) in events
        .iter()
        .zip([("1", "503", "req-1"), ("2", "200", "req-2")])
    {
        assert_eq!(event["attempt"], attempt);
        assert_eq!(event["method"], "PUT");
        assert_eq!(event["url"], url);
        assert_eq!(event["status"], status);
        assert_eq!(event["request_id"], id);
        assert_eq!(
            event["request_body"],
            r#"{"name": "web-1", "note": "key [REDACTED]"}"#
        );
    }
    assert!(events[0]["response_body"].contains(r#""echo":"[REDACTED]""#));
    assert!(events[1]["response_body"].contains(r#""id":"thing-1""#));
    let all = format!("{events:?}");
    // Sensitive headers are left out of events altogether.
    assert!(!all.to_ascii_lowercase().contains("x-auth-token"), "{all}");
    assert_no_secret(&all);
}

#[tokio::test]
async fn a_failed_attempt_is_dumped_with_its_error() {
    let _callsites = CALLSITES.read().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let api_url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let captured = Captured::default();
    let config = Config {
        api_url,
        secret_key: Some(SecretKey::new(SECRET).unwrap()),
        ..Config::default()
    };
    let runtime = Runtime::with_options(
        config,
        RuntimeOptions {
            retry: RetryPolicy::none(),
            debug: true,
            debug_writer: Some(DebugWriter::new(captured.clone())),
            ..RuntimeOptions::default()
        },
    )
    .unwrap();
    let error = execute(
        &runtime,
        leaky_request(&runtime),
        &THINGS,
        &Default::default(),
    )
    .await
    .unwrap_err();
    assert!(error.is_connect(), "{error}");
    let dump = captured.text();
    assert!(
        dump.contains("--- scaleway: no response: error sending request"),
        "{dump}"
    );
    assert_no_secret(&dump);
}
