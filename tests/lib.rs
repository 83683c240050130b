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

/// The seed's quickstart response (its `[...]` elisions removed, and each image's `type`, which
/// the API always sends and the seed elides, filled in).
pub const QUICKSTART_RESPONSE: &str = r#"{
  "local_images": [
    {
      "id": "350a06b2-ecd0-48b9-ba9e-495a51345a68",
      "arch": "x86_64",
      "zone": "fr-par-1",
      "compatible_commercial_types": ["STARDUST1-S", "PLAY2-MICRO", "PLAY2-NANO", "PLAY2-PICO"],
      "label": "ubuntu_jammy",
      "type": "instance_local"
    },
    {
      "id": "94299452-12c4-4d79-9c79-ced52967d75f",
      "arch": "arm64",
      "zone": "fr-par-1",
      "compatible_commercial_types": ["COPARM1-2C-8G", "COPARM1-4C-16G"],
      "label": "ubuntu_jammy",
      "type": "instance_local"
    }
  ],
  "total_count": 2
}"#;

/// A server as the Instance API answers it, with every field it always sends: `id`, named
/// `name` (also its hostname), in `state`, in fr-par-1, with one SBS volume.
pub fn server_json(id: &str, name: &str, state: &str) -> serde_json::Value {
    const PROJECT: &str = "8f3a6c1e-5b2d-4e7f-9a10-2b3c4d5e6f70";
    serde_json::json!({
        "id": id, "name": name, "hostname": name, "arch": "x86_64",
        "commercial_type": "DEV1-S", "boot_type": "local",
        "organization": PROJECT, "project": PROJECT,
        "image": {
            "id": "3e1b7a52-9c4d-4f60-8a2b-7d5e6f1a2b3c", "name": "Debian Bookworm",
            "arch": "x86_64", "public": true, "state": "available",
            // Public images belong to Scaleway's own organization.
            "organization": "51b656e3-4865-41e8-adbc-0c45bdd780db",
            "project": "51b656e3-4865-41e8-adbc-0c45bdd780db",
            "root_volume": {"id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "name": "",
                            "size": 0, "volume_type": "sbs_snapshot"},
            "extra_volumes": {}, "default_bootscript": null, "from_server": "", "tags": [],
            "zone": "fr-par-1"
        },
        "volumes": {"0": {"id": "7a6b5c4d-3e2f-4a1b-9c8d-0e1f2a3b4c5d", "boot": false,
                          "volume_type": "sbs_volume", "state": "available", "zone": "fr-par-1"}},
        "tags": [], "state": state, "state_detail": "", "protected": false,
        "public_ip": null, "public_ips": [], "private_ip": null, "private_nics": [],
        "mac_address": "de:00:00:12:34:56", "ipv6": null, "location": null, "maintenances": [],
        "allowed_actions": ["poweron", "backup"],
        "security_group": {"id": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f",
                           "name": "Default security group"},
        "placement_group": null, "dynamic_ip_required": false, "routed_ip_enabled": true,
        "enable_ipv6": false, "bootscript": null, "extra_networks": [], "filesystems": [],
        "end_of_service": false,
        "creation_date": "2025-03-14T09:26:53.589793+00:00",
        "modification_date": "2025-03-14T09:27:10.102030+00:00", "zone": "fr-par-1"
    })
}

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
