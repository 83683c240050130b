//! What a failed call reads like: the `Display` of each error kind, of a body that does not
//! decode, of a transport failure and of a request rejected before sending, pinned; and the
//! chain `anyhow` prints. Errors come from real HTTP exchanges with a wiremock server.

use scaleway_core::internal::{Operation, decode_json, execute};
use scaleway_core::{Config, Error, ErrorKind, RetryPolicy, Runtime, RuntimeOptions};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

static GET_SERVER: Operation = Operation {
    name: "get_server",
    method: "GET",
    path: "/instance/v1/zones/{zone}/servers/{server_id}",
    locality: None,
};

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Server {
    id: String,
    state: String,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct ListServers {
    servers: Vec<Server>,
}

fn runtime(api_url: String) -> Runtime {
    let options = RuntimeOptions {
        retry: RetryPolicy::none(),
        ..RuntimeOptions::default()
    };
    Runtime::with_options(
        Config {
            api_url,
            ..Config::default()
        },
        options,
    )
    .unwrap()
}

/// The error of a GET answered with `answer`, decoded as `T`.
async fn failure<T: serde::de::DeserializeOwned + std::fmt::Debug + Send + 'static>(
    answer: ResponseTemplate,
) -> Error {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(answer)
        .mount(&server)
        .await;
    let runtime = runtime(server.uri());
    let request = runtime
        .http()
        .get(format!(
            "{}/instance/v1/zones/fr-par-1/servers/abc",
            server.uri()
        ))
        .build()
        .unwrap();
    let response = execute(&runtime, request, &GET_SERVER, &Default::default())
        .await
        .unwrap();
    decode_json::<T>(response).await.unwrap_err()
}

fn api_answer(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("x-request-id", "req-123")
        .insert_header("content-type", "application/json")
        .set_body_raw(body.as_bytes().to_vec(), "application/json")
}

#[tokio::test]
async fn each_api_error_kind_displays_in_one_line_with_status_and_request_id() {
    let cases: [(u16, &str, &str); 12] = [
        (
            404,
            r#"{"type":"unknown_resource","message":"\"instance_server\" not found","resource":"instance_server","resource_id":"abc"}"#,
            r#"unknown_resource: "instance_server" not found (instance_server abc) [HTTP 404, request req-123]"#,
        ),
        (
            404,
            r#"{"type":"not_found","message":"resource is not found","resource":"instance_server","resource_id":"abc"}"#,
            "not_found: resource is not found (instance_server abc) [HTTP 404, request req-123]",
        ),
        (
            400,
            r#"{"type":"invalid_arguments","message":"invalid argument(s)","details":[{"argument_name":"name","reason":"constraint","help_message":"too long"}]}"#,
            "invalid_arguments: invalid argument(s) [HTTP 400, request req-123]",
        ),
        (
            403,
            r#"{"type":"quotas_exceeded","message":"quota(s) exceeded for this resource","details":[{"resource":"instances","quota":10,"current":10}]}"#,
            "quotas_exceeded: quota(s) exceeded for this resource [HTTP 403, request req-123]",
        ),
        (
            409,
            r#"{"type":"transient_state","message":"resource is in a transient state","resource":"instance_server","resource_id":"abc","current_state":"starting"}"#,
            "transient_state: resource is in a transient state (instance_server abc) [HTTP 409, request req-123]",
        ),
        (
            409,
            r#"{"type":"locked","message":"resource is locked","resource":"instance_server","resource_id":"abc"}"#,
            "locked: resource is locked (instance_server abc) [HTTP 409, request req-123]",
        ),
        (
            403,
            r#"{"type":"permissions_denied","message":"insufficient permissions","details":[{"resource":"instance_server","action":"read"}]}"#,
            "permissions_denied: insufficient permissions [HTTP 403, request req-123]",
        ),
        (
            503,
            r#"{"type":"out_of_stock","message":"resource is out of stock","resource":"GP1-XL"}"#,
            "out_of_stock: resource is out of stock [HTTP 503, request req-123]",
        ),
        (
            410,
            r#"{"type":"resource_expired","message":"resource has expired","resource":"token","resource_id":"t1","expired_since":"2026-01-01T00:00:00Z"}"#,
            "resource_expired: resource has expired (token t1) [HTTP 410, request req-123]",
        ),
        (
            401,
            r#"{"type":"denied_authentication","message":"invalid authentication","method":"api_key","reason":"invalid_argument"}"#,
            "denied_authentication: invalid authentication [HTTP 401, request req-123]",
        ),
        (
            412,
            r#"{"type":"precondition_failed","message":"precondition is not respected","precondition":"resource_still_in_use","help_message":"detach it first"}"#,
            "precondition_failed: precondition is not respected [HTTP 412, request req-123]",
        ),
        (
            500,
            r#"{"type":"internal_error","message":"internal error"}"#,
            "internal_error: internal error [HTTP 500, request req-123]",
        ),
    ];
    for (status, body, expected) in cases {
        let err = failure::<Server>(api_answer(status, body)).await;
        assert_eq!(err.to_string(), expected);
        assert!(
            !format!("{err:?}").contains("x-request-id"),
            "no header dump: {err:?}"
        );
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.request_id(), Some("req-123"));
        assert!(err.kind().is_some());
    }
}

#[tokio::test]
async fn kinds_and_not_found_are_recognised() {
    let err = failure::<Server>(api_answer(
        409,
        r#"{"type":"transient_state","message":"busy","resource":"instance_server","resource_id":"abc","current_state":"starting"}"#,
    ))
    .await;
    assert!(
        matches!(err.kind(), Some(ErrorKind::TransientState { current_state: Some(s), .. }) if s == "starting")
    );
    assert!(!err.is_not_found());
    let gone = failure::<Server>(api_answer(404, r#"{"type":"not_found","message":"gone"}"#)).await;
    assert!(gone.is_not_found());
}

#[tokio::test]
async fn an_html_error_page_keeps_its_content_type_and_an_excerpt() {
    let page = format!(
        "<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
        "<p>upstream unavailable</p>".repeat(50)
    );
    let err = failure::<Server>(
        ResponseTemplate::new(502)
            .insert_header("x-request-id", "req-9")
            .set_body_raw(page.into_bytes(), "text/html; charset=utf-8"),
    )
    .await;
    let text = err.to_string();
    assert!(
        text.starts_with("non_json_body: <html><head><title>502 Bad Gateway</title>"),
        "{text}"
    );
    assert!(
        text.ends_with("… [HTTP 502, text/html; charset=utf-8, request req-9]"),
        "{text}"
    );
    assert!(text.len() < 320, "{} bytes: {text}", text.len());
    assert_eq!(err.content_type(), Some("text/html; charset=utf-8"));
}

#[tokio::test]
async fn a_body_that_does_not_decode_names_the_json_path_and_shows_a_short_excerpt() {
    let servers: Vec<String> = (0..3000)
        .map(|n| format!(r#"{{"id":"s{n}","state":"running"}}"#))
        .chain([r#"{"id":"s-bad","state":7}"#.to_owned()])
        .collect();
    let body = format!(r#"{{"servers":[{}]}}"#, servers.join(","));
    assert!(body.len() > 90_000);
    let err = failure::<ListServers>(
        ResponseTemplate::new(200)
            .insert_header("x-request-id", "req-7")
            .set_body_raw(body.into_bytes(), "application/json"),
    )
    .await;
    assert_eq!(err.decode_path(), Some("servers[3000].state"));
    let text = err.to_string();
    assert!(
        text.starts_with("unexpected response: `servers[3000].state`: invalid type: integer `7`, expected a string"),
        "{text}"
    );
    assert!(
        text.ends_with(r#"{"id":"s-bad","state":7) [HTTP 200, request req-7]"#),
        "{text}"
    );
    assert!(text.len() < 400, "{} bytes: {text}", text.len());
    assert!(err.is_decode());
}

#[tokio::test]
async fn a_missing_required_field_names_it() {
    let err = failure::<Server>(api_answer(200, r#"{"id":"abc"}"#)).await;
    assert_eq!(err.decode_path(), Some("."));
    assert!(err.to_string().contains("missing field `state`"), "{err}");
}

#[tokio::test]
async fn a_transport_failure_names_the_host_and_cause() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let runtime = runtime(format!("http://{address}"));
    let request = runtime
        .http()
        .get(format!(
            "http://{address}/instance/v1/zones/fr-par-1/servers/abc"
        ))
        .build()
        .unwrap();
    let err: Error = execute(&runtime, request, &GET_SERVER, &Default::default())
        .await
        .unwrap_err()
        .into();
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("request to {address} cannot connect: ")),
        "{text}"
    );
    assert!(text.to_lowercase().contains("refused"), "{text}");
    assert!(err.is_transport() && err.status().is_none());

    // anyhow prints the message, then the chain down to the socket error.
    let report = format!("{:?}", anyhow::Error::from(err));
    assert!(report.starts_with(&text), "{report}");
    assert!(report.contains("Caused by:"), "{report}");
    let chain = anyhow::Error::from(Error::from(
        execute(
            &runtime,
            runtime
                .http()
                .get(format!("http://{address}/"))
                .build()
                .unwrap(),
            &GET_SERVER,
            &Default::default(),
        )
        .await
        .unwrap_err(),
    ));
    assert!(
        chain
            .chain()
            .any(|cause| cause.downcast_ref::<reqwest::Error>().is_some())
    );
}

#[test]
fn an_invalid_request_says_which_parameter() {
    let err = Error::invalid_request("invalid zone: \"fr-par-9x\" is not a zone");
    assert_eq!(
        err.to_string(),
        "invalid request: invalid zone: \"fr-par-9x\" is not a zone"
    );
    assert!(err.is_invalid_request() && err.status().is_none());
}
