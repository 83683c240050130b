//! The debug dump: every attempt of every request, with its answer, for debugging a call.
//!
//! On when `SCW_DEBUG` is set (read when a client is built, like the official SDKs do) or when
//! asked for in code ([`RuntimeOptions::debug`](crate::RuntimeOptions::debug)): each attempt is
//! written to stderr (or to [`RuntimeOptions::debug_writer`](crate::RuntimeOptions::debug_writer)).
//! Otherwise, when a `tracing` subscriber enables DEBUG for the target `scaleway::dump`, each
//! attempt is a `tracing` event of that target.
//!
//! A dump shows the method, URL, attempt, status, `X-Request-Id`, headers and bodies (each
//! body cut after 4 KiB). The `X-Auth-Token` header is masked, and so is the secret key
//! wherever else it appears (URL, headers, bodies, errors); `tracing` events leave sensitive
//! headers out altogether.

use std::fmt::{self, Write as _};
use std::io::Write;
use std::sync::{Arc, Mutex};

use reqwest::header::HeaderMap;
use reqwest::{Request, Response};

use crate::SecretKey;

/// The environment variable that turns the debug dump on (`SCW_DEBUG=1`).
pub const DEBUG_ENV: &str = "SCW_DEBUG";

/// The `tracing` target of dump events.
const TARGET: &str = "scaleway::dump";

/// Bytes of a body shown; the rest is counted, not shown.
const BODY_LIMIT: usize = 4096;

/// What stands for a masked value.
const MASK: &str = "[REDACTED]";

/// Whether `SCW_DEBUG` asks for the debug dump: `None` when it is not set; `Some(false)` when
/// it is empty, `0`, `false`, `no` or `off` (in any case); `Some(true)` otherwise.
pub fn debug_from_env() -> Option<bool> {
    let value = std::env::var_os(DEBUG_ENV)?;
    let value = value.to_string_lossy();
    let off = ["", "0", "false", "no", "off"]
        .iter()
        .any(|off| value.trim().eq_ignore_ascii_case(off));
    Some(!off)
}

/// Where the debug dump is written when it is on: stderr by default, or any writer (a file,
/// a buffer in a test). Cheap to clone; clones write to the same place, one attempt at a time.
#[derive(Clone)]
pub struct DebugWriter(Arc<Mutex<dyn Write + Send>>);

impl DebugWriter {
    /// Writes the dump to `writer`.
    pub fn new(writer: impl Write + Send + 'static) -> DebugWriter {
        DebugWriter(Arc::new(Mutex::new(writer)))
    }

    /// Writes the dump to the process's stderr.
    pub fn stderr() -> DebugWriter {
        DebugWriter::new(std::io::stderr())
    }

    fn write(&self, text: &str) {
        let mut writer = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // A dump that cannot be written must not fail the request.
        let _ = writer.write_all(text.as_bytes());
        let _ = writer.flush();
    }
}

impl fmt::Debug for DebugWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DebugWriter")
    }
}

/// The dump of one runtime: where it goes and what it masks.
pub(crate) struct Dumper {
    /// Set when the dump is on; else dumps are `tracing` events, when enabled.
    writer: Option<DebugWriter>,
    secret: Option<SecretKey>,
}

impl Dumper {
    /// With `debug` on, dumps go to `writer` (stderr when `None`).
    pub(crate) fn new(
        debug: bool,
        writer: Option<DebugWriter>,
        secret: Option<SecretKey>,
    ) -> Dumper {
        Dumper {
            writer: debug.then(|| writer.unwrap_or_else(DebugWriter::stderr)),
            secret,
        }
    }

    /// Whether this attempt is to be dumped (checked per attempt: the `tracing` subscriber
    /// may change).
    pub(crate) fn active(&self) -> bool {
        self.writer.is_some() || tracing::enabled!(target: TARGET, tracing::Level::DEBUG)
    }

    /// Dumps one attempt: `request` as sent, then its answer and the answer's whole body, or
    /// the error in its place.
    pub(crate) fn emit(
        &self,
        attempt: u32,
        request: &RequestSnapshot,
        answer: Result<(&Response, &[u8]), &reqwest::Error>,
    ) {
        let secret = self.secret.as_ref().map(SecretKey::expose);
        let url = mask(&request.url, secret);
        let request_body = request.body_text(secret);
        let (status, request_id, response_headers, response_body, error) = match answer {
            Ok((response, body)) => (
                Some(response.status()),
                crate::runtime::request_id(response.headers()).map(|id| mask(id, secret)),
                Some(response.headers()),
                Some(body_text(body, secret)),
                None,
            ),
            Err(e) => (None, None, None, None, Some(mask(&e.to_string(), secret))),
        };
        match &self.writer {
            Some(writer) => {
                let mut out = String::new();
                let _ = writeln!(out, "--- scaleway: request (attempt {attempt})");
                let _ = writeln!(out, "{} {url}", request.method);
                write_headers(&mut out, &request.headers, secret, true);
                let _ = writeln!(out, "\n{request_body}");
                match (status, error) {
                    (Some(status), _) => {
                        let id = request_id.as_deref().unwrap_or("none");
                        let _ = writeln!(out, "--- scaleway: response {status}, request id {id}");
                    }
                    (None, error) => {
                        let error = error.unwrap_or_default();
                        let _ = writeln!(out, "--- scaleway: no response: {error}");
                    }
                }
                if let Some(headers) = response_headers {
                    write_headers(&mut out, headers, secret, true);
                }
                if let Some(body) = &response_body {
                    let _ = writeln!(out, "\n{body}");
                }
                writer.write(&out);
            }
            None => {
                let mut request_headers = String::new();
                write_headers(&mut request_headers, &request.headers, secret, false);
                let mut answer_headers = String::new();
                if let Some(headers) = response_headers {
                    write_headers(&mut answer_headers, headers, secret, false);
                }
                tracing::debug!(
                    target: TARGET,
                    attempt,
                    method = %request.method,
                    url = %url,
                    status = status.map(|s| s.as_u16()),
                    request_id = request_id.as_deref(),
                    request_headers = request_headers.trim_end(),
                    request_body = %request_body,
                    response_headers = answer_headers.trim_end(),
                    response_body = response_body.as_deref(),
                    error = error.as_deref(),
                    "scaleway exchange"
                );
            }
        }
    }
}

/// What is dumped of a request, taken before it is sent (sending consumes it).
pub(crate) struct RequestSnapshot {
    method: String,
    url: String,
    headers: HeaderMap,
    /// `None`: no body; `Some(None)`: a streamed body, which is not shown.
    body: Option<Option<Vec<u8>>>,
}

impl RequestSnapshot {
    pub(crate) fn of(request: &Request) -> RequestSnapshot {
        RequestSnapshot {
            method: request.method().to_string(),
            url: request.url().to_string(),
            headers: request.headers().clone(),
            body: request.body().map(|b| b.as_bytes().map(<[u8]>::to_vec)),
        }
    }

    fn body_text(&self, secret: Option<&str>) -> String {
        match &self.body {
            None => "(no body)".to_owned(),
            Some(None) => "(streamed body, not shown)".to_owned(),
            Some(Some(bytes)) => body_text(bytes, secret),
        }
    }
}

/// `headers`, one `name: value` line each, the secret masked; sensitive headers (the
/// `X-Auth-Token`) are shown masked with `show_sensitive`, else left out.
fn write_headers(
    out: &mut String,
    headers: &HeaderMap,
    secret: Option<&str>,
    show_sensitive: bool,
) {
    for (name, value) in headers {
        let sensitive = value.is_sensitive() || name == "x-auth-token";
        if sensitive && !show_sensitive {
            continue;
        }
        let value = if sensitive {
            MASK.to_owned()
        } else {
            mask(&String::from_utf8_lossy(value.as_bytes()), secret)
        };
        let _ = writeln!(out, "{name}: {value}");
    }
}

/// A body as text, the secret masked, cut after [`BODY_LIMIT`] bytes. Masking comes first, so
/// that a cut cannot leave part of the secret.
fn body_text(body: &[u8], secret: Option<&str>) -> String {
    if body.is_empty() {
        return "(empty body)".to_owned();
    }
    let mut text = mask(&String::from_utf8_lossy(body), secret);
    if text.len() > BODY_LIMIT {
        let mut cut = BODY_LIMIT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        let _ = write!(text, "… ({} bytes in all)", body.len());
    }
    text
}

/// `text` with every occurrence of `secret` (ignoring ASCII case) replaced by [`MASK`].
fn mask(text: &str, secret: Option<&str>) -> String {
    let Some(secret) = secret.filter(|s| !s.is_empty()) else {
        return text.to_owned();
    };
    // ASCII lowercasing keeps byte offsets, so matches in `lower` are offsets in `text`.
    let lower = text.to_ascii_lowercase();
    let needle = secret.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    while let Some(found) = lower[from..].find(&needle) {
        out.push_str(&text[from..from + found]);
        out.push_str(MASK);
        from += found + needle.len();
    }
    out.push_str(&text[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "6d2a31c8-0b5e-4f7a-9c1d-e4f5a6b7c8d9";

    #[test]
    fn masks_every_occurrence_in_any_case() {
        let text = format!("a {SECRET} b {} c{SECRET}", SECRET.to_uppercase());
        assert_eq!(
            mask(&text, Some(SECRET)),
            "a [REDACTED] b [REDACTED] c[REDACTED]"
        );
        assert_eq!(mask("nothing here", Some(SECRET)), "nothing here");
        assert_eq!(mask("kept", None), "kept");
    }

    #[test]
    fn bodies_are_masked_before_they_are_cut() {
        // The secret straddles the cut: masking first leaves none of it.
        let body = format!("{}{SECRET}{}", "x".repeat(BODY_LIMIT - 10), "y".repeat(100));
        let text = body_text(body.as_bytes(), Some(SECRET));
        assert!(!text.contains(&SECRET[..8]), "{text}");
        assert!(text.ends_with(&format!("… ({} bytes in all)", body.len())));
        assert!(text.len() < BODY_LIMIT + 40);
        assert_eq!(body_text(b"", Some(SECRET)), "(empty body)");
    }

    #[test]
    fn cuts_on_a_char_boundary() {
        let body = "é".repeat(BODY_LIMIT);
        let text = body_text(body.as_bytes(), None);
        assert!(text.starts_with("éé"));
        assert!(text.contains("bytes in all"));
    }
}
