//! The runtime's request path against a wiremock server: retries. (Create defaults are filled
//! by generated code on the typed body: see the workspace tests `create_defaults`.)

use std::time::{Duration, Instant};

use scaleway_core::internal::{Operation, execute};
use scaleway_core::{Config, RetryPolicy, Runtime, RuntimeOptions};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

static THINGS: Operation = Operation {
    name: "things",
    method: "ANY",
    path: "/things",
    locality: None,
};

fn runtime(server: &MockServer) -> Runtime {
    let config = Config {
        api_url: server.uri(),
        ..Config::default()
    };
    let options = RuntimeOptions {
        retry: RetryPolicy {
            max_attempts: 3,
            initial_delay: Duration::from_millis(10),
            max_delay: Duration::from_secs(3),
        },
        ..RuntimeOptions::default()
    };
    Runtime::with_options(config, options).unwrap()
}

fn request(runtime: &Runtime, verb: reqwest::Method, body: Option<&str>) -> reqwest::Request {
    let url = format!("{}/things", runtime.api_url());
    let mut builder = runtime.http().request(verb, url);
    if let Some(body) = body {
        builder = builder
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    builder.build().unwrap()
}

async fn answer(server: &MockServer, verb: &str, status: u16, times: u64) {
    Mock::given(method(verb))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(status).insert_header("retry-after", "1"))
        .up_to_n_times(times)
        .mount(server)
        .await;
}

#[tokio::test]
async fn get_is_retried_and_retry_after_is_honoured() {
    let server = MockServer::start().await;
    answer(&server, "GET", 429, 1).await;
    answer(&server, "GET", 200, 1).await;
    let runtime = runtime(&server);

    let started = Instant::now();
    let response = execute(
        &runtime,
        request(&runtime, reqwest::Method::GET, None),
        &THINGS,
        &Default::default(),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "Retry-After: 1 was not waited for"
    );
}

#[tokio::test]
async fn put_gives_up_after_the_configured_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let runtime = runtime(&server);

    let response = execute(
        &runtime,
        request(&runtime, reqwest::Method::PUT, Some("{}")),
        &THINGS,
        &Default::default(),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 502);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn post_and_patch_are_never_resent_after_reaching_the_server() {
    for verb in [reqwest::Method::POST, reqwest::Method::PATCH] {
        let server = MockServer::start().await;
        answer(&server, verb.as_str(), 503, 5).await;
        let runtime = runtime(&server);
        let response = execute(
            &runtime,
            request(&runtime, verb.clone(), Some("{}")),
            &THINGS,
            &Default::default(),
        )
        .await
        .unwrap();
        assert_eq!(response.status(), 503);
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            1,
            "{verb} was re-sent"
        );
    }
}
