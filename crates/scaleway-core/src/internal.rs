//! Plumbing for generated crates. Not part of the public API: hidden from the docs and free to
//! change in any release. What users call lives in the crate root and its public modules.

pub mod de;
pub mod double_option;
pub mod paging;
mod url;

use std::any::Any;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use progenitor_client::{ByteStream, ResponseValue};
use reqwest::header::HeaderMap;

pub use crate::runtime::{DefaultRegion, DefaultZone};
pub use crate::wait::{poll_until, poll_until_gone};
pub use paging::{DEFAULT_PAGE_SIZE, IntoTotal, Page, header_total, paginate};
pub use url::{PathPart, url};

use crate::runtime::Requests;
use crate::{ApiError, Error, Runtime};

/// Whether an operation is addressed to a zone or a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalityKind {
    /// The path has a `{zone}`.
    Zone,
    /// The path has a `{region}`.
    Region,
}

/// What the runtime knows of one operation: a static record per operation, generated from the
/// spec and handed to [`execute`] with each request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// Method name on the client, e.g. `create_server`.
    pub name: &'static str,
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path template, e.g. `/instance/v1/zones/{zone}/servers/{server_id}`.
    pub path: &'static str,
    /// Zone or region the operation is addressed to, if either.
    pub locality: Option<LocalityKind>,
}

/// What one call overrides of the runtime's settings (set on an operation's builder).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallOptions {
    /// Time allowed for this request, response body included, instead of the client's.
    pub timeout: Option<std::time::Duration>,
    /// Retry policy of this call instead of the client's.
    pub retry: Option<crate::RetryPolicy>,
}

/// Sends `request` for `operation` through `runtime`: authentication, retries, tracing, with
/// the call's own overrides.
pub fn execute<'a>(
    runtime: &'a Runtime,
    request: reqwest::Request,
    operation: &'static Operation,
    call: &'a CallOptions,
) -> impl Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a {
    runtime.execute(Requests::One(request), operation, call)
}

/// Like [`execute`], with the request built by `build` for each attempt instead of cloned
/// (a clone of the URL and headers per call, for retries that seldom happen). For requests
/// whose body is JSON or absent: `build` must be callable again.
pub fn execute_built<'a>(
    runtime: &'a Runtime,
    method: reqwest::Method,
    build: &'a (dyn Fn() -> reqwest::Result<reqwest::Request> + Sync),
    operation: &'static Operation,
    call: &'a CallOptions,
) -> impl Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a {
    runtime.execute(Requests::Built { method, build }, operation, call)
}

/// The answer of a sent call without its status and headers: an operation's `send()`.
///
/// Written once here rather than as an `async fn` per operation, each of which the compiler
/// would type-check and lay out as a state machine of its own.
pub async fn answer<T, F>(sent: F) -> Result<T, Error>
where
    F: Future<Output = Result<ResponseValue<T>, Error>>,
{
    sent.await.map(ResponseValue::into_inner)
}

/// The first of a call's invalid inputs (builder setters store why a value did not convert).
pub fn first_invalid(errors: &mut [Option<String>]) -> Error {
    Error::invalid_request(errors.iter_mut().find_map(Option::take).unwrap_or_default())
}

/// The `X-Request-Id` of an answer, owned for the error that carries it.
fn request_id(headers: &HeaderMap) -> Option<String> {
    crate::runtime::request_id(headers).map(str::to_owned)
}

/// A success answer's JSON body as `T`; an error answer as [`Error`]. A body that does not
/// decode names the JSON path of the failure (found only then: see `json_path`).
pub async fn decode_json<T: serde::de::DeserializeOwned + Send + 'static>(
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, Error> {
    let status = response.status();
    if !status.is_success() {
        return Err(Box::pin(error_answer(response)).await);
    }
    // Taken, not cloned: reading the body does not need them.
    let headers = std::mem::take(response.headers_mut());
    let body = match response.bytes().await {
        Ok(body) => body,
        Err(e) => return Err(Error::transport(e, Some(status), request_id(&headers))),
    };
    // A page of a listing: the next request may go out now, and a large page is decoded on
    // another worker than the one polling the listing's requests.
    let decoded = if paging::page_received() && body.len() >= DECODE_ELSEWHERE_FROM {
        decode_on_worker(&body).await
    } else {
        serde_json::from_slice(&body)
    };
    match decoded {
        Ok(value) => Ok(ResponseValue::new(value, status, headers)),
        Err(e) => Err(Error::decode(&body, e, status, request_id(&headers))),
    }
}

/// Size from which a page is decoded on another worker: below it, handing it over costs more
/// than decoding it (a page of 100 servers is about 250 KB and takes about 2.5 ms).
const DECODE_ELSEWHERE_FROM: usize = 32 * 1024;

/// A decoded page, whatever its type: what the worker hands back.
type Decoded = Result<Box<dyn Any + Send>, serde_json::Error>;

/// `body` decoded as `T` on another worker ([`paging::run_on_worker`]). Only
/// [`decode_erased`] is compiled once per answer type; the task and its hand-over are compiled
/// once, in this crate.
async fn decode_on_worker<T: serde::de::DeserializeOwned + Send + 'static>(
    body: &bytes::Bytes,
) -> Result<T, serde_json::Error> {
    match decode_erased_on_worker(body, decode_erased::<T>)
        .await?
        .downcast::<T>()
    {
        Ok(value) => Ok(*value),
        // `decode_erased::<T>` made it: not reached, but decoding here is a correct answer.
        Err(_) => serde_json::from_slice(body),
    }
}

fn decode_erased<T: serde::de::DeserializeOwned + Send + 'static>(body: &[u8]) -> Decoded {
    serde_json::from_slice::<T>(body).map(|value| Box::new(value) as Box<dyn Any + Send>)
}

async fn decode_erased_on_worker(body: &bytes::Bytes, decode: fn(&[u8]) -> Decoded) -> Decoded {
    let slot = Arc::new(Mutex::new(None));
    let (filled, bytes) = (slot.clone(), body.clone());
    paging::run_on_worker(Box::new(move || {
        let decoded = decode(&bytes);
        *filled.lock().unwrap_or_else(|e| e.into_inner()) = Some(decoded);
    }))
    .await;
    let decoded = slot.lock().unwrap_or_else(|e| e.into_inner()).take();
    // Empty only when the runtime cancelled the task (it is shutting down).
    decoded.unwrap_or_else(|| decode(body))
}

/// A success answer without a body; an error answer as [`Error`].
pub async fn decode_empty(mut response: reqwest::Response) -> Result<ResponseValue<()>, Error> {
    let status = response.status();
    if !status.is_success() {
        return Err(Box::pin(error_answer(response)).await);
    }
    let headers = std::mem::take(response.headers_mut());
    Ok(ResponseValue::new((), status, headers))
}

/// A success answer's body as a byte stream; an error answer as [`Error`].
pub async fn decode_stream(
    response: reqwest::Response,
) -> Result<ResponseValue<ByteStream>, Error> {
    if !response.status().is_success() {
        return Err(Box::pin(error_answer(response)).await);
    }
    Ok(ResponseValue::stream(response))
}

/// An error answer: its body decoded as [`ApiError`], also when it is not JSON (an HTML page
/// from a proxy keeps its content type and an excerpt).
///
/// Callers box this future: it is rare, and inline it would double the size of every call's.
async fn error_answer(response: reqwest::Response) -> Error {
    let (status, headers) = (response.status(), response.headers().clone());
    let id = request_id(&headers);
    let body = match response.bytes().await {
        Ok(body) => body,
        Err(e) => return Error::transport(e, Some(status), id),
    };
    match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(value) => Error::api(ApiError::from_value(value), None, status, id),
        Err(_) => {
            let text = String::from_utf8_lossy(&body).into_owned();
            let content_type = headers
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let body = ApiError::from_value(serde_json::Value::String(text));
            Error::api(body, content_type, status, id)
        }
    }
}

/// The configured zone, as a builder's required `zone` field: a call that sets none uses it,
/// and one sent without a zone configured fails before sending, saying how to configure one.
///
/// The wrapper client stores it in the field rather than calling the builder's generic
/// `zone()` setter, which would be compiled once per operation.
pub fn configured_zone(runtime: &Runtime) -> Result<crate::Zone, String> {
    crate::Zone::try_from(DefaultZone(runtime.config().default_zone.clone()))
        .map_err(|e| e.to_string())
}

/// The configured region, as a builder's required `region` field; see [`configured_zone`].
pub fn configured_region(runtime: &Runtime) -> Result<crate::Region, String> {
    crate::Region::try_from(DefaultRegion(runtime.config().default_region.clone()))
        .map_err(|e| e.to_string())
}

/// Which configured owner fills a create request's owner field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// The default project, else the default organization (whose id is also its default
    /// project's): for `project` / `project_id` fields.
    Project,
    /// The default organization: for `organization` / `organization_id` fields.
    Organization,
}

/// The configured owner of new resources, parsed as the body field's type; `None` when none
/// is configured (the API then answers with its own error).
pub fn default_owner<T: FromStr>(runtime: &Runtime, owner: Owner) -> Option<T> {
    let config = runtime.config();
    let id = match owner {
        Owner::Project => config
            .default_project_id
            .as_ref()
            .or(config.default_organization_id.as_ref()),
        Owner::Organization => config.default_organization_id.as_ref(),
    }?;
    id.parse().ok()
}

/// Gives a create request without a name (or with an empty one) a readable random name.
pub fn fill_name(name: &mut Option<String>, prefix: &str) {
    if name.as_deref().is_none_or(str::is_empty) {
        *name = Some(random_name(prefix));
    }
}

/// Readable random names: `<prefix>-<adjective>-<noun>`, like the `scw` CLI gives.
pub fn random_name(prefix: &str) -> String {
    const ADJECTIVES: [&str; 24] = [
        "brave", "calm", "clever", "eager", "fancy", "gentle", "happy", "jolly", "keen", "lucid",
        "merry", "nimble", "proud", "quiet", "rapid", "sharp", "shiny", "sleek", "smart", "sunny",
        "swift", "tidy", "vivid", "witty",
    ];
    const NOUNS: [&str; 24] = [
        "ampere", "babbage", "curie", "darwin", "euler", "faraday", "gauss", "hopper", "hypatia",
        "kepler", "lamarr", "lovelace", "maxwell", "meitner", "newton", "noether", "pascal",
        "planck", "raman", "shannon", "tesla", "turing", "volta", "wu",
    ];
    let adjective = ADJECTIVES[fastrand::usize(..ADJECTIVES.len())];
    let noun = NOUNS[fastrand::usize(..NOUNS.len())];
    format!("{prefix}-{adjective}-{noun}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;

    fn runtime(project: Option<&str>, organization: Option<&str>) -> Runtime {
        Runtime::new(Config {
            default_project_id: project.map(str::to_owned),
            default_organization_id: organization.map(str::to_owned),
            ..Config::default()
        })
        .unwrap()
    }

    #[test]
    fn project_falls_back_to_the_organization_but_not_the_reverse() {
        let org = "11111111-1111-4111-8111-111111111111";
        let project = "22222222-2222-4222-8222-222222222222";
        let both = runtime(Some(project), Some(org));
        assert_eq!(
            default_owner::<String>(&both, Owner::Project).as_deref(),
            Some(project)
        );
        assert_eq!(
            default_owner::<String>(&both, Owner::Organization).as_deref(),
            Some(org)
        );
        let org_only = runtime(None, Some(org));
        assert_eq!(
            default_owner::<String>(&org_only, Owner::Project).as_deref(),
            Some(org)
        );
        let project_only = runtime(Some(project), None);
        assert_eq!(
            default_owner::<String>(&project_only, Owner::Organization),
            None
        );
    }

    #[test]
    fn names_are_filled_only_when_missing_or_empty() {
        let mut name = None;
        fill_name(&mut name, "srv");
        let parts: Vec<String> = name.unwrap().split('-').map(str::to_owned).collect();
        assert_eq!((parts.len(), parts[0].as_str()), (3, "srv"));
        let mut empty = Some(String::new());
        fill_name(&mut empty, "vol");
        assert!(empty.unwrap().starts_with("vol-"));
        let mut given = Some("mine".to_owned());
        fill_name(&mut given, "vol");
        assert_eq!(given.as_deref(), Some("mine"));
    }
}
