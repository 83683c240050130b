//! [`Error`]: what every generated call fails with.
//!
//! One line when displayed, naming what went wrong and where: the API's error type, message
//! and resource with the HTTP status and request id; the JSON path and a short excerpt of a
//! response that did not decode; the host and cause of a transport failure. `Debug` shows the
//! same facts, never the response headers. [`std::error::Error::source`] chains to the
//! transport or decode cause (`reqwest::Error`, `serde_json::Error`), for `anyhow` and
//! downcasting.

use std::fmt;

use reqwest::StatusCode;

use crate::api_error::{ApiError, ErrorKind, excerpt};

/// A failed call: not sent, not answered, answered with an error, or answered with a body that
/// does not decode.
pub struct Error(Box<Inner>);

struct Inner {
    what: What,
    /// HTTP status, when the API answered.
    status: Option<StatusCode>,
    /// The `X-Request-Id` the API answered with, for Scaleway support.
    request_id: Option<String>,
}

// The whole of it lives in the box of `Error`: a large variant costs nothing elsewhere.
#[allow(clippy::large_enum_variant)]
enum What {
    /// Rejected before sending: a parameter that does not convert, a missing zone.
    InvalidRequest(String),
    /// The request could not be sent or its answer not read.
    Transport(reqwest::Error),
    /// The API answered with an error.
    Api {
        body: ApiError,
        /// The answer's `Content-Type` when it was not JSON (an HTML page from a proxy).
        content_type: Option<String>,
    },
    /// A success answer whose body does not match the generated type.
    Decode {
        /// Where in the body, e.g. `servers[3].state`.
        path: String,
        /// At most [`ApiError::EXCERPT_LEN`] characters of the body around the failure.
        excerpt: String,
        source: serde_json::Error,
    },
}

impl Error {
    /// A request rejected before sending; `message` says which parameter and why.
    pub fn invalid_request(message: impl Into<String>) -> Error {
        Error::new(What::InvalidRequest(message.into()), None, None)
    }

    fn new(what: What, status: Option<StatusCode>, request_id: Option<String>) -> Error {
        Error(Box::new(Inner {
            what,
            status,
            request_id,
        }))
    }

    pub(crate) fn api(
        body: ApiError,
        content_type: Option<String>,
        status: StatusCode,
        request_id: Option<String>,
    ) -> Error {
        Error::new(What::Api { body, content_type }, Some(status), request_id)
    }

    pub(crate) fn decode(
        body: &[u8],
        source: serde_json::Error,
        status: StatusCode,
        request_id: Option<String>,
    ) -> Error {
        // Found once, for both the path and the excerpt.
        let offset = crate::json_path::offset_of(body, source.line(), source.column());
        let path = crate::json_path::path_at_offset(body, offset);
        let excerpt = excerpt_before(body, offset);
        Error::new(
            What::Decode {
                path,
                excerpt,
                source,
            },
            Some(status),
            request_id,
        )
    }

    pub(crate) fn transport(
        error: reqwest::Error,
        status: Option<StatusCode>,
        request_id: Option<String>,
    ) -> Error {
        Error::new(What::Transport(error), status, request_id)
    }

    /// The HTTP status, when the API answered.
    pub fn status(&self) -> Option<StatusCode> {
        self.0.status
    }

    /// The request id the API answered with (`X-Request-Id`), to quote to Scaleway support.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// The error body the API answered with, when it answered one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match &self.0.what {
            What::Api { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The kind of API error and its details, when the API answered one.
    pub fn kind(&self) -> Option<ErrorKind> {
        self.api_error().map(ApiError::kind)
    }

    /// The resource does not exist (HTTP 404, or an error of kind not found).
    pub fn is_not_found(&self) -> bool {
        self.0.status == Some(StatusCode::NOT_FOUND)
            || matches!(self.kind(), Some(ErrorKind::NotFound { .. }))
    }

    /// The request was rejected before anything was sent.
    pub fn is_invalid_request(&self) -> bool {
        matches!(self.0.what, What::InvalidRequest(_))
    }

    /// The request could not be sent, or its answer not read (connection, timeout, I/O).
    pub fn is_transport(&self) -> bool {
        matches!(self.0.what, What::Transport(_))
    }

    /// The time allowed for the request ran out.
    pub fn is_timeout(&self) -> bool {
        matches!(&self.0.what, What::Transport(e) if e.is_timeout())
    }

    /// A success answer's body did not match the generated type.
    pub fn is_decode(&self) -> bool {
        matches!(self.0.what, What::Decode { .. })
    }

    /// Where a body that did not decode went wrong, e.g. `servers[3].state`.
    pub fn decode_path(&self) -> Option<&str> {
        match &self.0.what {
            What::Decode { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The `Content-Type` of an error answer that was not JSON.
    pub fn content_type(&self) -> Option<&str> {
        match &self.0.what {
            What::Api { content_type, .. } => content_type.as_deref(),
            _ => None,
        }
    }

    fn suffix(&self) -> String {
        let mut parts = Vec::new();
        if let Some(status) = self.0.status {
            parts.push(format!("HTTP {}", status.as_u16()));
        }
        if let Some(content_type) = self.content_type() {
            parts.push(content_type.to_owned());
        }
        if let Some(id) = &self.0.request_id {
            parts.push(format!("request {id}"));
        }
        match parts.is_empty() {
            true => String::new(),
            false => format!(" [{}]", parts.join(", ")),
        }
    }
}

/// The host of a failed request and the innermost cause, on one line.
fn transport_message(error: &reqwest::Error) -> String {
    let host = error
        .url()
        .and_then(|url| {
            url.host_str().map(|host| match url.port() {
                Some(port) => format!("{host}:{port}"),
                None => host.to_owned(),
            })
        })
        .unwrap_or_else(|| "the API".to_owned());
    let what = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "cannot connect"
    } else if error.is_body() || error.is_decode() {
        "failed while reading the answer"
    } else {
        "failed"
    };
    // reqwest's own message repeats the URL; the innermost cause says what happened.
    let mut cause: &dyn std::error::Error = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    let cause = cause.to_string();
    let cause = cause.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("request to {host} {what}: {cause}")
}

/// Up to [`ApiError::EXCERPT_LEN`] bytes of `body` ending at byte `offset`, where decoding
/// failed, widened to whole characters.
fn excerpt_before(body: &[u8], offset: usize) -> String {
    // A UTF-8 continuation byte is never the start of a character.
    let continues = |b: u8| b & 0b1100_0000 == 0b1000_0000;
    let mut end = offset.min(body.len());
    let mut start = end.saturating_sub(ApiError::EXCERPT_LEN);
    while start < end && continues(body[start]) {
        start += 1;
    }
    while end < body.len() && continues(body[end]) {
        end += 1;
    }
    let shown = excerpt(&String::from_utf8_lossy(&body[start..end]));
    if start > 0 {
        format!("…{shown}")
    } else {
        shown
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.what {
            What::InvalidRequest(message) => write!(f, "invalid request: {message}")?,
            What::Transport(error) => f.write_str(&transport_message(error))?,
            What::Api { body, .. } => write!(f, "{body}")?,
            What::Decode {
                path,
                excerpt,
                source,
            } => {
                let at = if path == "." {
                    "the body".to_owned()
                } else {
                    format!("`{path}`")
                };
                write!(f, "unexpected response: {at}: {source} (near: {excerpt})")?
            }
        }
        f.write_str(&self.suffix())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Error");
        match &self.0.what {
            What::InvalidRequest(message) => out.field("invalid_request", message),
            What::Transport(error) => out.field("transport", &transport_message(error)),
            What::Api { body, content_type } => out
                .field("error_type", &body.error_type)
                .field("message", &body.message)
                .field("resource", &body.resource)
                .field("resource_id", &body.resource_id)
                .field("content_type", content_type),
            What::Decode { path, excerpt, .. } => {
                out.field("decode_path", path).field("excerpt", excerpt)
            }
        };
        out.field("status", &self.0.status.map(|s| s.as_u16()))
            .field("request_id", &self.0.request_id)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0.what {
            What::Transport(error) => Some(error),
            What::Decode { source, .. } => Some(source),
            // The message already is the API's; `api_error()` gives the body itself.
            What::Api { .. } | What::InvalidRequest(_) => None,
        }
    }
}

impl From<reqwest::Error> for Error {
    fn from(error: reqwest::Error) -> Error {
        let status = error.status();
        Error::transport(error, status, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(body: &str, status: u16, request_id: Option<&str>) -> Error {
        Error::api(
            serde_json::from_str(body).unwrap(),
            None,
            StatusCode::from_u16(status).unwrap(),
            request_id.map(str::to_owned),
        )
    }

    #[test]
    fn api_errors_read_in_one_line_with_status_and_request_id() {
        let err = api(
            r#"{"type":"unknown_resource","message":"\"instance_server\" not found","resource":"instance_server","resource_id":"abc"}"#,
            404,
            Some("req-123"),
        );
        assert_eq!(
            err.to_string(),
            r#"unknown_resource: "instance_server" not found (instance_server abc) [HTTP 404, request req-123]"#
        );
        assert!(err.is_not_found());
        assert_eq!(err.request_id(), Some("req-123"));
        assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    }

    #[test]
    fn decode_errors_give_the_path_and_a_short_excerpt() {
        let body = format!(
            r#"{{"servers":[{}{{"state":7}}]}}"#,
            r#"{"state":"running"},"#.repeat(500)
        );
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Server {
            state: String,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Page {
            servers: Vec<Server>,
        }
        let failure = serde_json::from_str::<Page>(&body).unwrap_err();
        let err = Error::decode(body.as_bytes(), failure, StatusCode::OK, None);
        let text = err.to_string();
        assert!(
            text.starts_with("unexpected response: `servers[500].state`: invalid type"),
            "{text}"
        );
        assert!(text.len() < 400, "{} bytes: {text}", text.len());
        assert!(text.contains(r#"{"state":7"#), "{text}");
        assert!(!text.contains('\n'));
    }
}
