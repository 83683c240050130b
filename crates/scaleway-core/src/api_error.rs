//! The error body Scaleway APIs answer with on 4xx and 5xx.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An error answered by the API, decoded from its body.
///
/// A failed call's [`crate::Error`] carries this value with the HTTP status and request id
/// ([`crate::Error::api_error`]). Bodies that are
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

    pub(crate) fn from_value(raw: Value) -> ApiError {
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

/// One invalid argument of an `invalid_arguments` error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidArgument {
    /// The request field that was refused (`argument_name`), e.g. `commercial_type`.
    pub argument_name: String,
    /// Why it was refused: `required`, `constraint`, `unknown`, …
    pub reason: String,
    /// The API's hint on a valid value (`help_message`), when it gives one.
    pub help_message: Option<String>,
}

/// One exceeded quota of a `quotas_exceeded` error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExceededQuota {
    /// The kind of resource whose quota is reached, e.g. `instances_servers`.
    pub resource: String,
    /// How many the quota allows, when the API says.
    pub quota: Option<u64>,
    /// How many exist now, when the API says.
    pub current: Option<u64>,
}

/// One missing permission of a `permissions_denied` error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeniedPermission {
    /// The kind of resource the permission is about, e.g. `instance_server`.
    pub resource: String,
    /// The action that was refused on it, e.g. `create`.
    pub action: String,
}

/// What went wrong, by the error's `type`, with the details each type carries.
///
/// Covers the current API's types and the Instance API's older ones (`unknown_resource`,
/// `invalid_request_error`, `invalid_auth`, `authorization_required`, `api_error`), mapped to
/// the closest current kind.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `invalid_arguments`, or a legacy `invalid_request_error` with per-field messages.
    InvalidArguments(Vec<InvalidArgument>),
    /// `quotas_exceeded`, or a legacy `invalid_request_error` saying a quota is exceeded.
    QuotasExceeded(Vec<ExceededQuota>),
    /// `not_found`, or a legacy `unknown_resource` (its id is taken from the quoted message).
    NotFound {
        /// The kind of resource looked for, e.g. `instance_server`.
        resource: Option<String>,
        /// The id that matched nothing.
        resource_id: Option<String>,
    },
    /// `transient_state`: the resource is busy changing state.
    TransientState {
        /// The kind of the busy resource.
        resource: Option<String>,
        /// The busy resource's id.
        resource_id: Option<String>,
        /// The state it is in now, e.g. `starting`; retry once it settles.
        current_state: Option<String>,
    },
    /// `locked`.
    Locked {
        /// The kind of the locked resource.
        resource: Option<String>,
        /// The locked resource's id.
        resource_id: Option<String>,
    },
    /// `permissions_denied`, or a legacy `authorization_required`.
    PermissionsDenied(Vec<DeniedPermission>),
    /// `out_of_stock`.
    OutOfStock {
        /// What is out of stock, e.g. a commercial type.
        resource: Option<String>,
    },
    /// `resource_expired`.
    ResourceExpired {
        /// The kind of the expired resource.
        resource: Option<String>,
        /// The expired resource's id.
        resource_id: Option<String>,
        /// When it expired, as the API wrote it (RFC 3339).
        expired_since: Option<String>,
    },
    /// `denied_authentication`, or a legacy `invalid_auth`.
    DeniedAuthentication {
        /// How the request tried to authenticate, e.g. `secret_key`.
        method: Option<String>,
        /// Why it was refused: `invalid_argument`, `not_found`, `expired`, or the legacy
        /// message.
        reason: Option<String>,
    },
    /// `precondition_failed`.
    PreconditionFailed {
        /// The unmet condition, e.g. `resource_still_in_use`.
        precondition: Option<String>,
        /// The API's hint on what to do first.
        help_message: Option<String>,
    },
    /// A legacy `api_error`: the server failed.
    ServerError,
    /// The body was not JSON (an HTML page from a proxy, a truncated reply).
    NonJson,
    /// A `type` this version does not know; see [`ApiError::error_type`].
    Other,
}

impl ApiError {
    /// The error's kind and details.
    pub fn kind(&self) -> ErrorKind {
        let raw = &self.raw;
        let text = |key: &str| raw.get(key).and_then(Value::as_str).map(str::to_owned);
        let details: &[Value] = raw
            .get("details")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let detail_text =
            |d: &Value, key: &str| d.get(key).and_then(Value::as_str).map(str::to_owned);
        match self.error_type.as_str() {
            "invalid_arguments" => ErrorKind::InvalidArguments(
                details
                    .iter()
                    .map(|d| InvalidArgument {
                        argument_name: detail_text(d, "argument_name").unwrap_or_default(),
                        reason: detail_text(d, "reason").unwrap_or_default(),
                        help_message: detail_text(d, "help_message"),
                    })
                    .collect(),
            ),
            "quotas_exceeded" => ErrorKind::QuotasExceeded(
                details
                    .iter()
                    .map(|d| ExceededQuota {
                        resource: detail_text(d, "resource").unwrap_or_default(),
                        quota: d.get("quota").and_then(Value::as_u64),
                        current: d.get("current").and_then(Value::as_u64),
                    })
                    .collect(),
            ),
            "not_found" => ErrorKind::NotFound {
                resource: text("resource"),
                resource_id: text("resource_id"),
            },
            "unknown_resource" => ErrorKind::NotFound {
                resource: text("resource"),
                resource_id: text("resource_id").or_else(|| quoted(&self.message)),
            },
            "transient_state" => ErrorKind::TransientState {
                resource: text("resource"),
                resource_id: text("resource_id"),
                current_state: text("current_state"),
            },
            "locked" => ErrorKind::Locked {
                resource: text("resource"),
                resource_id: text("resource_id"),
            },
            "permissions_denied" => ErrorKind::PermissionsDenied(
                details
                    .iter()
                    .map(|d| DeniedPermission {
                        resource: detail_text(d, "resource").unwrap_or_default(),
                        action: detail_text(d, "action").unwrap_or_default(),
                    })
                    .collect(),
            ),
            "authorization_required" => ErrorKind::PermissionsDenied(Vec::new()),
            "out_of_stock" => ErrorKind::OutOfStock {
                resource: text("resource"),
            },
            "resource_expired" => ErrorKind::ResourceExpired {
                resource: text("resource"),
                resource_id: text("resource_id"),
                expired_since: text("expired_since"),
            },
            "denied_authentication" => ErrorKind::DeniedAuthentication {
                method: text("method"),
                reason: text("reason"),
            },
            "invalid_auth" => ErrorKind::DeniedAuthentication {
                method: None,
                reason: Some(self.message.clone()),
            },
            "precondition_failed" => ErrorKind::PreconditionFailed {
                precondition: text("precondition"),
                help_message: text("help_message"),
            },
            "invalid_request_error"
                if self.message.to_ascii_lowercase().contains("quota exceeded") =>
            {
                ErrorKind::QuotasExceeded(Vec::new())
            }
            "invalid_request_error" => {
                ErrorKind::InvalidArguments(legacy_fields(self.fields.as_ref()))
            }
            "api_error" => ErrorKind::ServerError,
            ApiError::NON_JSON => ErrorKind::NonJson,
            _ => ErrorKind::Other,
        }
    }
}

/// `{"field": ["message", …]}` of the legacy API, one argument per message.
fn legacy_fields(fields: Option<&Value>) -> Vec<InvalidArgument> {
    let Some(Value::Object(fields)) = fields else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, messages) in fields {
        let messages: Vec<String> = match messages {
            Value::Array(items) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Value::String(one) => vec![one.clone()],
            _ => Vec::new(),
        };
        for message in messages {
            out.push(InvalidArgument {
                argument_name: name.clone(),
                reason: "invalid".into(),
                help_message: Some(message),
            });
        }
    }
    out
}

/// The first '…' or "…" quoted part of a message: legacy errors name the resource id so.
fn quoted(message: &str) -> Option<String> {
    for quote in ['\'', '"'] {
        let mut parts = message.split(quote);
        if let (Some(_), Some(inside), Some(_)) = (parts.next(), parts.next(), parts.next())
            && !inside.is_empty()
        {
            return Some(inside.to_owned());
        }
    }
    None
}

/// Access to the decoded [`ApiError`] of a failed call.
pub trait ApiErrorExt {
    /// The error the API answered with, if the request got that far.
    fn api_error(&self) -> Option<&ApiError>;
}

impl ApiErrorExt for crate::Error {
    fn api_error(&self) -> Option<&ApiError> {
        crate::Error::api_error(self)
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

    fn kind(body: &str) -> ErrorKind {
        serde_json::from_str::<ApiError>(body).unwrap().kind()
    }

    #[test]
    fn kinds_keep_their_details() {
        assert_eq!(
            kind(
                r#"{"type":"invalid_arguments","message":"invalid argument(s)","details":[{"argument_name":"commercial_type","reason":"required","help_message":"required key not provided"}]}"#
            ),
            ErrorKind::InvalidArguments(vec![InvalidArgument {
                argument_name: "commercial_type".into(),
                reason: "required".into(),
                help_message: Some("required key not provided".into()),
            }])
        );
        assert_eq!(
            kind(
                r#"{"type":"quotas_exceeded","message":"quota(s) exceeded for this resource","details":[{"resource":"instances_dev1_s","quota":2,"current":2}]}"#
            ),
            ErrorKind::QuotasExceeded(vec![ExceededQuota {
                resource: "instances_dev1_s".into(),
                quota: Some(2),
                current: Some(2)
            }])
        );
        assert_eq!(
            kind(
                r#"{"type":"transient_state","message":"resource is in a transient state","resource":"instance_server","resource_id":"s1","current_state":"starting"}"#
            ),
            ErrorKind::TransientState {
                resource: Some("instance_server".into()),
                resource_id: Some("s1".into()),
                current_state: Some("starting".into())
            }
        );
        assert_eq!(
            kind(
                r#"{"type":"permissions_denied","message":"insufficient permissions","details":[{"resource":"instance","action":"write"}]}"#
            ),
            ErrorKind::PermissionsDenied(vec![DeniedPermission {
                resource: "instance".into(),
                action: "write".into()
            }])
        );
        assert_eq!(
            kind(
                r#"{"type":"resource_expired","message":"expired","resource":"token","resource_id":"t","expired_since":"2024-01-01T00:00:00Z"}"#
            ),
            ErrorKind::ResourceExpired {
                resource: Some("token".into()),
                resource_id: Some("t".into()),
                expired_since: Some("2024-01-01T00:00:00Z".into())
            }
        );
        assert_eq!(
            kind(
                r#"{"type":"denied_authentication","message":"denied","method":"api_key","reason":"invalid_argument"}"#
            ),
            ErrorKind::DeniedAuthentication {
                method: Some("api_key".into()),
                reason: Some("invalid_argument".into())
            }
        );
        assert_eq!(
            kind(
                r#"{"type":"precondition_failed","message":"precondition failed","precondition":"resource_still_in_use","help_message":"detach it first"}"#
            ),
            ErrorKind::PreconditionFailed {
                precondition: Some("resource_still_in_use".into()),
                help_message: Some("detach it first".into())
            }
        );
        assert_eq!(
            kind(r#"{"type":"out_of_stock","message":"out of stock","resource":"GPU-3070-S"}"#),
            ErrorKind::OutOfStock {
                resource: Some("GPU-3070-S".into())
            }
        );
        assert_eq!(
            kind(
                r#"{"type":"locked","message":"locked","resource":"instance_server","resource_id":"s"}"#
            ),
            ErrorKind::Locked {
                resource: Some("instance_server".into()),
                resource_id: Some("s".into())
            }
        );
        assert_eq!(
            kind(r#"{"type":"brand_new","message":"?"}"#),
            ErrorKind::Other
        );
    }

    #[test]
    fn legacy_instance_errors_map_to_current_kinds() {
        assert_eq!(
            kind(
                r#"{"type":"unknown_resource","message":"\"11111111-2222-3333-4444-555555555555\" not found"}"#
            ),
            ErrorKind::NotFound {
                resource: None,
                resource_id: Some("11111111-2222-3333-4444-555555555555".into())
            }
        );
        assert_eq!(
            kind(
                r#"{"type":"invalid_request_error","message":"Validation Error","fields":{"name":["required key not provided"]}}"#
            ),
            ErrorKind::InvalidArguments(vec![InvalidArgument {
                argument_name: "name".into(),
                reason: "invalid".into(),
                help_message: Some("required key not provided".into())
            }])
        );
        assert_eq!(
            kind(r#"{"type":"invalid_request_error","message":"Quota exceeded for the volumes"}"#),
            ErrorKind::QuotasExceeded(Vec::new())
        );
        assert_eq!(
            kind(r#"{"type":"invalid_auth","message":"The header 'X-Auth-Token' is missing"}"#),
            ErrorKind::DeniedAuthentication {
                method: None,
                reason: Some("The header 'X-Auth-Token' is missing".into())
            }
        );
        assert_eq!(
            kind(r#"{"type":"authorization_required","message":"no"}"#),
            ErrorKind::PermissionsDenied(Vec::new())
        );
        assert_eq!(
            kind(r#"{"type":"api_error","message":"boom"}"#),
            ErrorKind::ServerError
        );
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
