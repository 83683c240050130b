//! The runtime's request path against a wiremock server: retries, create defaults.

use std::time::{Duration, Instant};

use scaleway_core::{Config, OperationMeta, RetryPolicy, Runtime, RuntimeOptions};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROJECT: &str = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const ORGANIZATION: &str = "11111111-2222-4333-8444-555555555555";

fn runtime(server: &MockServer, configure: impl FnOnce(&mut Config)) -> Runtime {
    let mut config = Config {
        api_url: server.uri(),
        ..Config::default()
    };
    configure(&mut config);
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
    let runtime = runtime(&server, |_| {});

    let started = Instant::now();
    let response = runtime
        .execute(
            runtime.http(),
            request(&runtime, reqwest::Method::GET, None),
            None,
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
    let runtime = runtime(&server, |_| {});

    let response = runtime
        .execute(
            runtime.http(),
            request(&runtime, reqwest::Method::PUT, Some("{}")),
            None,
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
        let runtime = runtime(&server, |_| {});
        let response = runtime
            .execute(
                runtime.http(),
                request(&runtime, verb.clone(), Some("{}")),
                None,
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

static CREATE: OperationMeta = OperationMeta {
    name: "create_thing",
    method: "POST",
    path: "/things",
    owner_fields: &["project", "organization"],
    name_prefix: Some("thg"),
};

async fn sent_body(runtime: &Runtime, server: &MockServer, body: &str) -> serde_json::Value {
    runtime
        .execute(
            runtime.http(),
            request(runtime, reqwest::Method::POST, Some(body)),
            Some(&CREATE),
        )
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    serde_json::from_slice(&requests.last().unwrap().body).unwrap()
}

#[tokio::test]
async fn create_requests_get_the_default_project_and_a_readable_name() {
    let server = MockServer::start().await;
    answer(&server, "POST", 200, 10).await;
    let with_project = runtime(&server, |c| {
        c.default_project_id = Some(PROJECT.into());
        c.default_organization_id = Some(ORGANIZATION.into());
    });

    let body = sent_body(&with_project, &server, r#"{"size": 10}"#).await;
    assert_eq!(body["project"], PROJECT);
    assert_eq!(body["size"], 10);
    let name = body["name"].as_str().unwrap();
    assert!(
        name.starts_with("thg-") && name.split('-').count() == 3,
        "{name}"
    );

    // What the caller set is kept.
    let body = sent_body(
        &with_project,
        &server,
        r#"{"name": "mine", "organization": "x"}"#,
    )
    .await;
    assert_eq!(body["name"], "mine");
    assert!(
        body.get("project").is_none(),
        "an explicit owner is not overridden: {body}"
    );

    // Without a default project, the organization's id (its default project) is used.
    let org_only = runtime(&server, |c| {
        c.default_organization_id = Some(ORGANIZATION.into())
    });
    let body = sent_body(&org_only, &server, r#"{"name": "n"}"#).await;
    assert_eq!(body["project"], ORGANIZATION);
}

static CREATE_REGIONAL: OperationMeta = OperationMeta {
    name: "create_private_network",
    method: "POST",
    path: "/things",
    owner_fields: &["project_id"],
    name_prefix: Some("pn"),
};

#[tokio::test]
async fn newer_apis_get_the_default_project_as_project_id() {
    let server = MockServer::start().await;
    answer(&server, "POST", 200, 10).await;
    let runtime = runtime(&server, |c| c.default_project_id = Some(PROJECT.into()));
    runtime
        .execute(
            runtime.http(),
            request(&runtime, reqwest::Method::POST, Some(r#"{"subnets": []}"#)),
            Some(&CREATE_REGIONAL),
        )
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let body: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(body["project_id"], PROJECT);
    assert!(body.get("project").is_none());
    assert!(body["name"].as_str().unwrap().starts_with("pn-"));
}
