//! The runtime's request path against a wiremock server: retries, 429 within the throttle
//! budget, and the client's retry budget. (Create defaults are filled
//! by generated code on the typed body: see the workspace tests `create_defaults`.)

use std::time::{Duration, Instant};

use scaleway_core::internal::{CallOptions, Operation, execute};
use scaleway_core::{Config, RetryBudget, RetryPolicy, Runtime, RuntimeOptions};
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
            ..RetryPolicy::default()
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

fn runtime_with(server: &MockServer, retry: RetryPolicy, budget: Option<RetryBudget>) -> Runtime {
    let config = Config {
        api_url: server.uri(),
        ..Config::default()
    };
    let options = RuntimeOptions {
        retry,
        retry_budget: budget,
        ..RuntimeOptions::default()
    };
    Runtime::with_options(config, options).unwrap()
}

fn quick(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        initial_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        ..RetryPolicy::default()
    }
}

/// Answers `times` requests of any method to `/things` with `status` and `Retry-After`.
async fn answer_after(server: &MockServer, status: u16, retry_after: &str, times: u64) {
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(status).insert_header("retry-after", retry_after))
        .up_to_n_times(times)
        .mount(server)
        .await;
}

async fn send(runtime: &Runtime, verb: reqwest::Method) -> reqwest::Response {
    let body = (verb == reqwest::Method::POST).then_some("{}");
    execute(
        runtime,
        request(runtime, verb, body),
        &THINGS,
        &Default::default(),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn a_429_is_retried_for_every_method_without_using_up_attempts() {
    for verb in [
        reqwest::Method::POST,
        reqwest::Method::PATCH,
        reqwest::Method::GET,
    ] {
        let server = MockServer::start().await;
        answer_after(&server, 429, "0", 4).await;
        answer_after(&server, 200, "0", 1).await;
        let runtime = runtime_with(&server, quick(2), None);
        assert_eq!(send(&runtime, verb.clone()).await.status(), 200, "{verb}");
        assert_eq!(server.received_requests().await.unwrap().len(), 5, "{verb}");
    }
}

#[tokio::test]
async fn a_429_is_given_up_once_its_retry_would_end_past_the_throttle_budget() {
    let server = MockServer::start().await;
    answer_after(&server, 429, "0.2", 100).await;
    let policy = RetryPolicy {
        throttle_budget: Duration::from_millis(500),
        max_delay: Duration::from_secs(1),
        ..quick(5)
    };
    let runtime = runtime_with(&server, policy, None);
    let started = Instant::now();
    // Sent at 0, 0.2 and 0.4 s; a retry at 0.6 s would be past the budget.
    assert_eq!(send(&runtime, reqwest::Method::GET).await.status(), 429);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(400) && elapsed < Duration::from_millis(550),
        "Retry-After waited for, no sleep past the budget: {elapsed:?}"
    );
}

#[tokio::test]
async fn retry_policy_none_returns_a_429_at_once() {
    let server = MockServer::start().await;
    answer_after(&server, 429, "0", 5).await;
    let runtime = runtime_with(&server, RetryPolicy::none(), None);
    assert_eq!(send(&runtime, reqwest::Method::GET).await.status(), 429);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_retry_budget_is_drawn_by_5xx_retries_not_by_429_ones_and_refilled_by_successes() {
    let server = MockServer::start().await;
    let budget = RetryBudget {
        capacity: 12,
        retry_cost: 5,
        timeout_retry_cost: 10,
        success_refund: 1,
    };
    let runtime = runtime_with(&server, quick(5), Some(budget));
    assert_eq!(runtime.retry_budget(), Some(budget));

    // Two 503s: two retries (10 tokens), then a success gives one back.
    answer_after(&server, 503, "0", 2).await;
    answer_after(&server, 200, "0", 1).await;
    assert_eq!(send(&runtime, reqwest::Method::GET).await.status(), 200);
    assert_eq!(runtime.retry_tokens_left(), Some(3));

    // 429s cost nothing.
    server.reset().await;
    answer_after(&server, 429, "0", 3).await;
    answer_after(&server, 200, "0", 1).await;
    assert_eq!(send(&runtime, reqwest::Method::GET).await.status(), 200);
    assert_eq!(runtime.retry_tokens_left(), Some(4));

    // 4 tokens do not buy a retry: a 503 is returned after one attempt, its policy's other
    // four unused.
    server.reset().await;
    answer_after(&server, 503, "0", 10).await;
    assert_eq!(send(&runtime, reqwest::Method::GET).await.status(), 503);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert_eq!(runtime.retry_tokens_left(), Some(4));
}

#[tokio::test]
async fn a_timeout_retry_costs_more_than_a_5xx_retry() {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    let budget = RetryBudget {
        capacity: 15,
        ..RetryBudget::default()
    };
    let runtime = runtime_with(&server, quick(5), Some(budget));
    let call = CallOptions {
        timeout: Some(Duration::from_millis(50)),
        ..CallOptions::default()
    };
    let err = execute(
        &runtime,
        request(&runtime, reqwest::Method::GET, None),
        &THINGS,
        &call,
    )
    .await
    .unwrap_err();
    assert!(err.is_timeout(), "{err}");
    // One timeout retry (10 tokens); the 5 left do not buy another.
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert_eq!(runtime.retry_tokens_left(), Some(5));
}
