//! The error body Scaleway APIs answer with on 4xx and 5xx.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An error answered by the API, decoded from its body.
///
/// Every generated operation returns `progenitor_client::Error<ApiError>`; its
/// `ErrorResponse` variant carries this value with the HTTP status and headers. Bodies that are
/// not JSON (an HTML page from a proxy, a truncated reply) still become an `ApiError`, with
/// `error_type` set to [`ApiError::NON_JSON`] and an excerpt of the body as the message.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    /// The `type` field: `not_found`, `invalid_arguments`, `unknown_resource`, …
    pub error_type: String,
    /// Human-readable explanation (`message`).
    pub message: String,
    /// Kind of resource concerned (`resource`), when the API names one.
    pub resource: Option<String>,
    /// Identifier of the resource concerned (`resource_id`), when the API names one.
    pub resource_id: Option<String>,
    /// Structured details (`details`), their shape depends on `error_type`.
    pub details: Option<Value>,
    /// Per-field validation messages of the legacy API (`fields`).
    pub fields: Option<Value>,
    /// The whole body as received, for anything the fields above do not cover.
    pub raw: Value,
}

impl ApiError {
    /// `error_type` of a body that was not JSON.
    pub const NON_JSON: &'static str = "non_json_body";

    /// Longest body excerpt kept in `message` for a non-JSON body.
    pub const EXCERPT_LEN: usize = 200;

    fn from_value(raw: Value) -> ApiError {
        let text = |key: &str| raw.get(key).and_then(Value::as_str).map(str::to_owned);
        let present = |key: &str| raw.get(key).filter(|v| !v.is_null()).cloned();
        match &raw {
            Value::Object(_) => ApiError {
                error_type: text("type").unwrap_or_else(|| "unknown".to_owned()),
                message: text("message")
                    .or_else(|| text("help_message"))
                    .unwrap_or_default(),
                resource: text("resource"),
                resource_id: text("resource_id"),
                details: present("details"),
                fields: present("fields"),
                raw,
            },
            // The runtime turns a non-JSON body into a JSON string before decoding.
            Value::String(body) => ApiError {
                error_type: ApiError::NON_JSON.to_owned(),
                message: excerpt(body),
                resource: None,
                resource_id: None,
                details: None,
                fields: None,
                raw,
            },
            other => ApiError {
                error_type: "unknown".to_owned(),
                message: excerpt(&other.to_string()),
                resource: None,
                resource_id: None,
                details: None,
                fields: None,
                raw,
            },
        }
    }
}

/// The first [`ApiError::EXCERPT_LEN`] characters, on one line.
pub(crate) fn excerpt(body: &str) -> String {
    let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = flat.chars().take(ApiError::EXCERPT_LEN).collect();
    if out.len() < flat.len() {
        out.push('…');
    }
    out
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.error_type)?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        match (&self.resource, &self.resource_id) {
            (Some(kind), Some(id)) => write!(f, " ({kind} {id})"),
            (None, Some(id)) => write!(f, " ({id})"),
            _ => Ok(()),
        }
    }
}

impl std::error::Error for ApiError {}

impl<'de> Deserialize<'de> for ApiError {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(ApiError::from_value)
    }
}

impl Serialize for ApiError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(serializer)
    }
}

/// Access to the decoded [`ApiError`] and status of a generated operation's error.
pub trait ApiErrorExt {
    /// The error the API answered with, if the request got that far.
    fn api_error(&self) -> Option<&ApiError>;
}

impl ApiErrorExt for progenitor_client::Error<ApiError> {
    fn api_error(&self) -> Option<&ApiError> {
        match self {
            progenitor_client::Error::ErrorResponse(response) => Some(response.as_ref()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_current_shape() {
        let err: ApiError = serde_json::from_str(
            r#"{"type":"not_found","message":"resource is not found","resource":"instance_server","resource_id":"42"}"#,
        )
        .unwrap();
        assert_eq!(err.error_type, "not_found");
        assert_eq!(err.resource_id.as_deref(), Some("42"));
        assert_eq!(
            err.to_string(),
            "not_found: resource is not found (instance_server 42)"
        );
    }

    #[test]
    fn decodes_the_legacy_shape_with_fields() {
        let err: ApiError = serde_json::from_str(
            r#"{"fields":{"email":["required key not provided"]},"message":"Validation Error","type":"invalid_request_error"}"#,
        )
        .unwrap();
        assert_eq!(err.error_type, "invalid_request_error");
        assert!(err.fields.unwrap()["email"].is_array());
    }

    #[test]
    fn non_json_body_keeps_a_short_excerpt() {
        let html = format!(
            "<html>\n<body>502 Bad Gateway {}</body></html>",
            "x".repeat(500)
        );
        let err: ApiError = serde_json::from_value(Value::String(html)).unwrap();
        assert_eq!(err.error_type, ApiError::NON_JSON);
        assert!(err.message.starts_with("<html> <body>502 Bad Gateway"));
        assert!(err.message.chars().count() <= ApiError::EXCERPT_LEN + 1);
    }
}
