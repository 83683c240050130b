//! Shared helpers of the workspace-level tests, and the README's code as doctests.

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

use scaleway_client::{Client, RetryPolicy};
use wiremock::MockServer;

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
