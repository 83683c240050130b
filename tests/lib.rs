//! Shared helpers of the workspace-level tests, and the README's code as doctests.

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

use scaleway_client::{Client, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A secret key of the right shape; tests check it never leaks.
pub const SECRET_KEY: &str = "5e6b2a41-7c3d-4f8e-9a1b-2c3d4e5f6a7b";

/// A client pointed at `server`, ignoring the developer's own environment and config file.
pub fn client_for(server: &MockServer) -> scaleway_client::ClientBuilder {
    Client::builder()
        .ignore_environment()
        .api_url(server.uri())
        .retry(RetryPolicy::none())
}

/// The seed's quickstart response (its `[...]` elisions removed).
pub const QUICKSTART_RESPONSE: &str = r#"{
  "local_images": [
    {
      "id": "350a06b2-ecd0-48b9-ba9e-495a51345a68",
      "arch": "x86_64",
      "zone": "fr-par-1",
      "compatible_commercial_types": ["STARDUST1-S", "PLAY2-MICRO", "PLAY2-NANO", "PLAY2-PICO"],
      "label": "ubuntu_jammy"
    },
    {
      "id": "94299452-12c4-4d79-9c79-ced52967d75f",
      "arch": "arm64",
      "zone": "fr-par-1",
      "compatible_commercial_types": ["COPARM1-2C-8G", "COPARM1-4C-16G"],
      "label": "ubuntu_jammy"
    }
  ],
  "total_count": 2
}"#;

/// The query of `request` as (name, value) pairs, sorted: the order of the setters is free.
pub fn query_pairs(request: &Request) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    pairs
}

/// `list` as owned and sorted pairs, to compare with [`query_pairs`].
pub fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = list
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    pairs.sort();
    pairs
}

/// The body of `request` as JSON; fails the test, showing the body, when it is not JSON.
pub fn json_body(request: &Request) -> serde_json::Value {
    serde_json::from_slice(&request.body).unwrap_or_else(|e| {
        panic!(
            "request body is not JSON ({e}): {:?}",
            String::from_utf8_lossy(&request.body)
        )
    })
}

/// The value of header `name` of `request`, which must be present and text.
pub fn header<'r>(request: &'r Request, name: &str) -> &'r str {
    request
        .headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

/// Answers every `verb` request to `route` with `status` and the JSON `body`.
pub async fn serve_json(
    server: &MockServer,
    verb: &str,
    route: &str,
    status: u16,
    body: serde_json::Value,
) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(server)
        .await;
}

/// Answers every `verb` request to `route` with `status` and no body (e.g. 204).
pub async fn serve_empty(server: &MockServer, verb: &str, route: &str, status: u16) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(status))
        .mount(server)
        .await;
}

/// The one request `server` received; fails the test if there were none or several.
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.pop().unwrap()
}

/// Paths of the requests `server` received, in order.
pub async fn received_paths(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect()
}
