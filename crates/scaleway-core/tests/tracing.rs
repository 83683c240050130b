//! The `scaleway.request` span, seen through a subscriber that records every span, field value
//! and event: what it carries on a retried call, and that the secret key is in none of it.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use scaleway_core::internal::{LocalityKind, Operation, execute};
use scaleway_core::{Config, RetryPolicy, Runtime, RuntimeOptions, SecretKey};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Metadata, Subscriber};
use tracing_core::span::Current;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "6d2a31c8-0b5e-4f7a-9c1d-e4f5a6b7c8d9";
const SERVER_ID: &str = "0d9c4e5a-1f2b-4c3d-8e7f-6a5b4c3d2e1f";

static GET_SERVER: Operation = Operation {
    name: "get_server",
    method: "GET",
    path: "/instance/v1/zones/{zone}/servers/{server_id}",
    locality: Some(LocalityKind::Zone),
};

static CREATE_SERVER: Operation = Operation {
    name: "create_server",
    method: "POST",
    path: "/instance/v1/zones/{zone}/servers",
    locality: Some(LocalityKind::Zone),
};

/// One span: its name, and every value recorded into each field, in order.
#[derive(Debug, Default)]
struct SpanLog {
    name: &'static str,
    fields: BTreeMap<String, Vec<String>>,
}

impl SpanLog {
    fn values(&self, field: &str) -> Vec<&str> {
        self.fields
            .get(field)
            .map(|v| v.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    fn last(&self, field: &str) -> Option<&str> {
        self.values(field).last().copied()
    }
}

/// One event: its target, the span it happened in, and its fields (`message` included).
#[derive(Debug)]
struct EventLog {
    target: String,
    span: Option<u64>,
    fields: BTreeMap<String, String>,
}

#[derive(Debug, Default)]
struct Log {
    spans: BTreeMap<u64, (SpanLog, &'static Metadata<'static>)>,
    events: Vec<EventLog>,
    /// Entered spans, innermost last (the tests run on one thread).
    stack: Vec<u64>,
}

impl Log {
    fn request_spans(&self) -> Vec<&SpanLog> {
        self.spans
            .values()
            .map(|(span, _)| span)
            .filter(|span| span.name == "scaleway.request")
            .collect()
    }

    /// Every recorded text: span names, field names and values, event targets and fields.
    fn all_text(&self) -> String {
        let mut out = String::new();
        for (span, _) in self.spans.values() {
            out.push_str(&format!("{} {:?}\n", span.name, span.fields));
        }
        for event in &self.events {
            out.push_str(&format!("{} {:?}\n", event.target, event.fields));
        }
        out
    }
}

/// A minimal `tracing` subscriber that keeps everything it is given.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Log>>);

struct Fields<'a>(&'a mut dyn FnMut(&str, String));

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        (self.0)(field.name(), value.to_owned());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        (self.0)(field.name(), format!("{value:?}"));
    }
}

impl Subscriber for Recorder {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        Interest::always()
    }
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }
    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let mut log = self.0.lock().unwrap();
        let id = log.spans.len() as u64 + 1;
        let mut span = SpanLog {
            name: attrs.metadata().name(),
            ..SpanLog::default()
        };
        attrs.record(&mut Fields(&mut |name, value| {
            span.fields.entry(name.to_owned()).or_default().push(value)
        }));
        log.spans.insert(id, (span, attrs.metadata()));
        Id::from_u64(id)
    }
    fn record(&self, id: &Id, values: &Record<'_>) {
        let mut log = self.0.lock().unwrap();
        let (span, _) = log.spans.get_mut(&id.into_u64()).expect("a known span");
        values.record(&mut Fields(&mut |name, value| {
            span.fields.entry(name.to_owned()).or_default().push(value)
        }));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut log = self.0.lock().unwrap();
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut |name, value| {
            fields.insert(name.to_owned(), value);
        }));
        let span = log.stack.last().copied();
        log.events.push(EventLog {
            target: event.metadata().target().to_owned(),
            span,
            fields,
        });
    }
    fn enter(&self, id: &Id) {
        self.0.lock().unwrap().stack.push(id.into_u64());
    }
    fn exit(&self, id: &Id) {
        let mut log = self.0.lock().unwrap();
        if let Some(at) = log
            .stack
            .iter()
            .rposition(|entered| *entered == id.into_u64())
        {
            log.stack.remove(at);
        }
    }
    /// Needed for `Span::current()`, through which the runtime records attempts and statuses.
    fn current_span(&self) -> Current {
        let log = self.0.lock().unwrap();
        match log.stack.last() {
            Some(id) => Current::new(Id::from_u64(*id), log.spans[id].1),
            None => Current::none(),
        }
    }
}

fn runtime(api_url: String) -> Runtime {
    let config = Config {
        api_url,
        secret_key: Some(SecretKey::new(SECRET).unwrap()),
        default_project_id: Some("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee".into()),
        ..Config::default()
    };
    let options = RuntimeOptions {
        retry: RetryPolicy {
            max_attempts: 3,
            initial_delay: Duration::from_millis(5),
            max_delay: Duration::from_secs(1),
            ..RetryPolicy::default()
        },
        ..RuntimeOptions::default()
    };
    Runtime::with_options(config, options).unwrap()
}

fn assert_no_secret(log: &Log) {
    let text = log.all_text();
    // The whole key, its last group (a prefix could be shown on purpose, never the rest), and
    // the header that carries it.
    for needle in [SECRET, &SECRET[24..], "x-auth-token", "X-Auth-Token"] {
        assert!(
            !text.contains(needle),
            "{needle:?} was recorded by tracing:\n{text}"
        );
    }
}

#[tokio::test]
async fn request_span_carries_template_status_request_id_and_attempts() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());

    let server = MockServer::start().await;
    let concrete = format!("/instance/v1/zones/fr-par-1/servers/{SERVER_ID}");
    Mock::given(method("GET"))
        .and(path(concrete.as_str()))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("x-request-id", "req-first")
                .set_body_json(serde_json::json!({"type": "unavailable", "message": "busy"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(concrete.as_str()))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req-second")
                .set_body_json(serde_json::json!({"server": {"id": SERVER_ID}})),
        )
        .mount(&server)
        .await;
    let runtime = runtime(server.uri());

    let request = runtime
        .http()
        .get(format!("{}{concrete}", runtime.api_url()))
        .build()
        .unwrap();
    let response = execute(&runtime, request, &GET_SERVER, &Default::default())
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    // The secret was in play: both attempts carried it.
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    for request in &received {
        assert_eq!(request.headers["x-auth-token"], SECRET);
    }

    let log = recorder.0.lock().unwrap();
    let spans = log.request_spans();
    assert_eq!(
        spans.len(),
        1,
        "one span per call, over its attempts: {spans:#?}"
    );
    let span = spans[0];
    assert_eq!(span.last("method"), Some("GET"));
    assert_eq!(
        span.last("path"),
        Some(GET_SERVER.path),
        "the template, not {concrete}"
    );
    assert_eq!(span.last("operation"), Some("get_server"));
    assert_eq!(span.values("attempt"), ["1", "2"]);
    assert_eq!(span.values("status"), ["503", "200"]);
    assert_eq!(span.values("request_id"), ["req-first", "req-second"]);

    // The retry is announced inside the span, with the attempt that failed.
    let span_id = log
        .spans
        .iter()
        .find(|(_, (s, _))| s.name == "scaleway.request")
        .map(|(id, _)| *id);
    let retrying: Vec<&EventLog> = log
        .events
        .iter()
        .filter(|e| e.fields.get("message").map(String::as_str) == Some("retrying"))
        .collect();
    assert_eq!(retrying.len(), 1, "{:#?}", log.events);
    assert_eq!(retrying[0].span, span_id);
    assert_eq!(retrying[0].fields["attempt"], "1");

    assert_no_secret(&log);
}

#[tokio::test]
async fn failed_create_records_attempts_and_no_secret() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());

    // A port nothing listens on: the connection is refused, so even a POST is re-sent.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let api_url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let runtime = runtime(api_url);

    let request = runtime
        .http()
        .post(format!(
            "{}/instance/v1/zones/fr-par-1/servers",
            runtime.api_url()
        ))
        .header("content-type", "application/json")
        .body(r#"{"commercial_type": "DEV1-S"}"#)
        .build()
        .unwrap();
    let error = execute(&runtime, request, &CREATE_SERVER, &Default::default())
        .await
        .unwrap_err();
    assert!(error.is_connect(), "{error}");
    assert!(!format!("{error} {error:?}").contains(SECRET));

    let log = recorder.0.lock().unwrap();
    let spans = log.request_spans();
    assert_eq!(spans.len(), 1);
    let span = spans[0];
    assert_eq!(span.last("method"), Some("POST"));
    assert_eq!(span.last("path"), Some(CREATE_SERVER.path));
    assert_eq!(span.last("operation"), Some("create_server"));
    assert_eq!(span.values("attempt"), ["1", "2", "3"]);
    assert!(span.values("status").is_empty(), "no answer, no status");
    assert!(span.values("request_id").is_empty());
    assert_no_secret(&log);
}
