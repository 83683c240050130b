//! What every generated client shares: one HTTP client, the configuration, authentication and
//! the retry policy. Generated crates call [`Runtime::execute`] from their `ClientHooks::exec`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tracing::Instrument;

use crate::internal::{CallOptions, Operation};
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Method, Request, Response, StatusCode};

use crate::config::{Config, ConfigKey, check_api_url};
use crate::dump::{DebugWriter, Dumper, RequestSnapshot};
use crate::rate_limit::{RateLimit, TokenBucket};
use crate::retry_budget::{RetryBudget, RetryCause, RetryTokens};
use crate::zone::{Region, Zone};

/// Sent on every request, followed by [`RuntimeOptions::user_agent_suffix`] when there is one.
pub const USER_AGENT: &str = concat!("scaleway-rust/", env!("CARGO_PKG_VERSION"));

const AUTH_HEADER: HeaderName = HeaderName::from_static("x-auth-token");

/// How failed requests are retried.
///
/// - `429 Too Many Requests` is backpressure: the request was not processed, so it is re-sent
///   whatever its method, after `Retry-After` (seconds) or else the backoff, for as long as the
///   call is within [`throttle_budget`](Self::throttle_budget). These retries do not count
///   towards [`max_attempts`](Self::max_attempts) nor draw on the client's [`RetryBudget`]; a
///   listing that meets them also lowers its pages in flight.
/// - After a 502, 503 or 504 answer, a timeout or a connection reset, only idempotent methods
///   (GET, HEAD, PUT, DELETE) are re-sent, up to `max_attempts` attempts with jittered
///   exponential backoff, each retry drawn from the client's [`RetryBudget`] (when it is spent,
///   the error is returned at once).
/// - POST and PATCH, which may have been processed once they reached the server, are re-sent
///   otherwise only when the connection could not be opened, i.e. when the request was never
///   sent.
///
/// With [`RuntimeOptions::retry_transient_state`], idempotent methods are also re-sent after a
/// `409` whose error `type` is `transient_state`.
///
/// New fields may come: write a policy as `RetryPolicy { max_attempts: 5,
/// ..RetryPolicy::default() }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts including the first, not counting the retries after a `429` (bounded by
    /// [`throttle_budget`](Self::throttle_budget) instead); 1 disables the other retries.
    pub max_attempts: u32,
    /// Delay before the first retry; doubled on each further one, with jitter.
    pub initial_delay: Duration,
    /// Upper bound of one delay, `Retry-After` included.
    pub max_delay: Duration,
    /// Time from a call's first attempt within which a `429` answer is retried (default: 60 s);
    /// a retry whose delay would end later is not made and the `429` is returned. Zero never
    /// retries a `429`.
    pub throttle_budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            initial_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(20),
            throttle_budget: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Never retry, not even after a `429`.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            throttle_budget: Duration::ZERO,
            ..RetryPolicy::default()
        }
    }

    /// Exponential backoff with "full jitter" between half and all of the step.
    fn backoff(&self, retry: u32) -> Duration {
        let step = self
            .initial_delay
            .saturating_mul(1u32 << retry.min(16))
            .min(self.max_delay);
        let half = step / 2;
        half + step.mul_f64(fastrand::f64() * 0.5)
    }
}

/// Options of the HTTP layer.
#[derive(Clone, Debug)]
pub struct RuntimeOptions {
    /// Time allowed to open a connection. Not applied to an [`http_client`](Self::http_client)
    /// of your own, which keeps its own settings.
    pub connect_timeout: Duration,
    /// Time allowed for a whole request, response body included. Not applied to an
    /// [`http_client`](Self::http_client) of your own; a call's own `with_timeout` always is.
    pub timeout: Duration,
    /// Retry behaviour.
    pub retry: RetryPolicy,
    /// Also retry GET, HEAD, PUT and DELETE answered `409` with an error of type
    /// `transient_state` (a resource busy changing state), with the retry policy's backoff
    /// (default: off; POST and PATCH are never retried on it).
    ///
    /// A runtime option rather than a [`RetryPolicy`] field, so that policies written out
    /// field by field keep compiling; it applies with whatever policy a call uses.
    pub retry_transient_state: bool,
    /// Pages a list stream fetches at once once it knows the total (1: one after the other).
    /// The most: a listing answered `429` halves its pages in flight, and adds one back per
    /// page answered without one.
    pub page_concurrency: usize,
    /// Client-wide limit on requests (every attempt counts); none by default.
    pub rate_limit: Option<RateLimit>,
    /// Retries after failures that every call of the client shares, so that an API that is
    /// down is not flooded with retries (default: [`RetryBudget::default`]); `None` bounds
    /// retries by each call's [`RetryPolicy`] only.
    pub retry_budget: Option<RetryBudget>,
    /// An HTTP client of your own (proxy, root certificates, default headers, …) instead of one
    /// built from the timeouts above. Authentication, the User-Agent, retries, the rate limit,
    /// tracing and the debug dump still apply: they happen per request.
    pub http_client: Option<reqwest::Client>,
    /// Appended to the User-Agent, after a space: `scaleway-rust/0.1.0 myapp/1.2`.
    pub user_agent_suffix: Option<String>,
    /// Dump every attempt (method, URL, status, request id, headers and bodies, the secret key
    /// masked) to [`debug_writer`](Self::debug_writer), stderr by default. Off by default;
    /// `SCW_DEBUG=1` turns it on for clients built from the environment. When off, the same
    /// dump is a `tracing` DEBUG event of target `scaleway::dump`, when that is enabled.
    /// While dumping, each answer is read whole before it is handed on (a download included).
    pub debug: bool,
    /// Where the [`debug`](Self::debug) dump goes instead of stderr.
    pub debug_writer: Option<DebugWriter>,
}

impl Default for RuntimeOptions {
    fn default() -> Self {
        RuntimeOptions {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            retry_transient_state: false,
            page_concurrency: crate::pagination::DEFAULT_PAGE_CONCURRENCY,
            rate_limit: None,
            retry_budget: Some(RetryBudget::default()),
            http_client: None,
            user_agent_suffix: None,
            debug: false,
            debug_writer: None,
        }
    }
}

/// Error building a [`Runtime`].
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// The API URL is not usable.
    #[error("invalid api_url {url:?}: {reason}")]
    InvalidApiUrl {
        /// The URL as configured.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The HTTP client could not be built (TLS backend initialisation).
    #[error("cannot build the HTTP client: {0}")]
    Http(#[from] reqwest::Error),
    /// An option of [`RuntimeOptions`] is not usable.
    #[error("invalid {option}: {reason}")]
    InvalidOption {
        /// The option, e.g. `rate_limit`.
        option: &'static str,
        /// What is wrong with it.
        reason: String,
    },
}

/// Shared state of all clients built from one configuration. Cheap to clone.
#[derive(Clone)]
pub struct Runtime {
    shared: Arc<Shared>,
}

struct Shared {
    http: reqwest::Client,
    config: Config,
    retry: RetryPolicy,
    retry_transient_state: bool,
    page_concurrency: usize,
    rate_limit: Option<(RateLimit, TokenBucket)>,
    retry_tokens: Option<RetryTokens>,
    user_agent: HeaderValue,
    /// The `X-Auth-Token` value, built once: a header value is checked when built, and a clone
    /// only counts a reference.
    auth: Option<HeaderValue>,
    dump: Dumper,
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The secret key redacts itself, but saying only whether there is one is clearer.
        let config = &self.shared.config;
        f.debug_struct("Runtime")
            .field("api_url", &config.api_url)
            .field("authenticated", &config.secret_key.is_some())
            .field("default_zone", &config.default_zone)
            .field("default_region", &config.default_region)
            .field("retry", &self.shared.retry)
            .field("retry_transient_state", &self.shared.retry_transient_state)
            .field("rate_limit", &self.rate_limit())
            .field("retry_budget", &self.retry_budget())
            .field("user_agent", &self.shared.user_agent)
            .finish()
    }
}

impl Runtime {
    /// A runtime with default timeouts and retries.
    pub fn new(config: Config) -> Result<Runtime, RuntimeError> {
        Runtime::with_options(config, RuntimeOptions::default())
    }

    /// A runtime with the given timeouts and retry policy.
    pub fn with_options(config: Config, options: RuntimeOptions) -> Result<Runtime, RuntimeError> {
        if let Err(reason) = check_api_url(&config.api_url) {
            return Err(RuntimeError::InvalidApiUrl {
                url: config.api_url.clone(),
                reason,
            });
        }
        let user_agent = match options.user_agent_suffix.as_deref().map(str::trim) {
            None | Some("") => HeaderValue::from_static(USER_AGENT),
            Some(suffix) => {
                HeaderValue::from_str(&format!("{USER_AGENT} {suffix}")).map_err(|_| {
                    RuntimeError::InvalidOption {
                        option: "user_agent_suffix",
                        reason: format!("{suffix:?} is not a valid header value"),
                    }
                })?
            }
        };
        if let Some(limit) = &options.rate_limit {
            limit
                .check()
                .map_err(|reason| RuntimeError::InvalidOption {
                    option: "rate_limit",
                    reason,
                })?;
        }
        let http = match options.http_client {
            Some(http) => http,
            None => crate::http_client_builder()
                .user_agent(USER_AGENT)
                .connect_timeout(options.connect_timeout)
                .timeout(options.timeout)
                .build()?,
        };
        let auth = config.secret_key.as_ref().and_then(|secret| {
            let mut value = HeaderValue::from_str(secret.expose()).ok()?;
            value.set_sensitive(true);
            Some(value)
        });
        let dump = Dumper::new(
            options.debug,
            options.debug_writer,
            config.secret_key.clone(),
        );
        Ok(Runtime {
            shared: Arc::new(Shared {
                http,
                config,
                retry: options.retry,
                retry_transient_state: options.retry_transient_state,
                page_concurrency: options.page_concurrency.max(1),
                rate_limit: options
                    .rate_limit
                    .map(|limit| (limit, TokenBucket::new(limit))),
                retry_tokens: options.retry_budget.map(RetryTokens::new),
                user_agent,
                auth,
                dump,
            }),
        })
    }

    /// The HTTP client every generated client of this runtime uses.
    pub fn http(&self) -> &reqwest::Client {
        &self.shared.http
    }

    /// The configuration this runtime was built from.
    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// Base URL of the API.
    pub fn api_url(&self) -> &str {
        &self.shared.config.api_url
    }

    /// Pages a list stream fetches at once.
    pub fn page_concurrency(&self) -> usize {
        self.shared.page_concurrency
    }

    /// The limit on requests shared by every client of this runtime, if any.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.shared.rate_limit.as_ref().map(|(limit, _)| *limit)
    }

    /// The budget of retries shared by every client of this runtime, if any.
    pub fn retry_budget(&self) -> Option<RetryBudget> {
        self.shared.retry_tokens.as_ref().map(RetryTokens::budget)
    }

    /// Tokens left in the [`RetryBudget`] now (`None` without one): the capacity when no retry
    /// was needed lately, 0 when retries after failures are not being made.
    pub fn retry_tokens_left(&self) -> Option<u32> {
        self.shared.retry_tokens.as_ref().map(RetryTokens::left)
    }

    /// The User-Agent sent on every request: [`USER_AGENT`], then the configured suffix.
    pub fn user_agent(&self) -> &str {
        // Built from text in `with_options`, so always text.
        self.shared.user_agent.to_str().unwrap_or(USER_AGENT)
    }

    /// Sends `request` for `operation` with authentication and retries; generated clients
    /// call it through [`crate::internal::execute`].
    ///
    /// Each request gets a `tracing` span `scaleway.request` with the method, the path template,
    /// the operation, the attempt number, the status and the `X-Request-Id` the API answered;
    /// never headers or bodies, so never the secret key. Headers and bodies are in the debug
    /// dump only (see [`RuntimeOptions::debug`]), with the secret key masked.
    ///
    /// Not an `async fn`, nor is [`send_with_retries`](Self::send_with_retries): an `async fn`
    /// keeps its arguments beside its locals, and the request would be held three times in the
    /// future every call moves through the generated builders.
    pub(crate) fn execute<'a>(
        &'a self,
        requests: Requests<'a>,
        operation: &'static Operation,
        call: &'a CallOptions,
    ) -> impl Future<Output = reqwest::Result<Response>> + Send + 'a {
        let method = match &requests {
            Requests::One(request) => request.method(),
            Requests::Built { method, .. } => method,
        };
        let span = tracing::info_span!(
            "scaleway.request",
            method = %method,
            path = operation.path,
            operation = operation.name,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        let policy = call.retry.as_ref().unwrap_or(&self.shared.retry);
        self.send_with_retries(requests, call, policy, span.clone())
            .instrument(span)
    }

    /// What every attempt carries besides the generated request: the call's time limit, the
    /// secret key and the User-Agent.
    fn prepare(&self, request: &mut Request, call: &CallOptions) {
        if let Some(timeout) = call.timeout {
            *request.timeout_mut() = Some(timeout);
        }
        if let Some(auth) = &self.shared.auth {
            request.headers_mut().insert(AUTH_HEADER, auth.clone());
        }
        // Per request rather than as the client's default, so that a client of one's own
        // sends it too.
        request
            .headers_mut()
            .insert(reqwest::header::USER_AGENT, self.shared.user_agent.clone());
    }

    // Written out, not as `async fn`: see `execute`.
    #[allow(clippy::manual_async_fn)]
    fn send_with_retries<'a>(
        &'a self,
        requests: Requests<'a>,
        call: &'a CallOptions,
        policy: &'a RetryPolicy,
        span: tracing::Span,
    ) -> impl Future<Output = reqwest::Result<Response>> + Send + 'a {
        async move {
            let http = &self.shared.http;
            let (mut request, build) = match requests {
                Requests::One(request) => (request, None),
                Requests::Built { build, .. } => (build()?, Some(build)),
            };
            self.prepare(&mut request, call);
            let idempotent = matches!(
                *request.method(),
                Method::GET | Method::HEAD | Method::PUT | Method::DELETE
            );
            let started = tokio::time::Instant::now();
            let mut attempt = 1;
            // Retries other than after a 429, bounded by `max_attempts`.
            let mut retries = 0;
            // Retries after a 429, bounded by `throttle_budget`.
            let mut throttled = 0;
            loop {
                span.record("attempt", attempt);
                let may_retry = retries + 1 < policy.max_attempts;
                let may_throttle = !policy.throttle_budget.is_zero();
                // A request built by the generated code is built again for the next attempt;
                // another is cloned now, and one whose body cannot be cloned (a stream) is
                // sent once only.
                let spare = match build {
                    Some(_) => None,
                    None => (may_retry || may_throttle)
                        .then(|| request.try_clone())
                        .flatten(),
                };
                let resendable = build.is_some() || spare.is_some();
                if let Some((_, bucket)) = &self.shared.rate_limit {
                    // Boxed, as the other rare waits below: the state of this loop is moved on
                    // every call, and an inline timer would make it larger for everyone.
                    Box::pin(bucket.acquire()).await;
                }
                let snapshot = self
                    .shared
                    .dump
                    .active()
                    // Boxed: only the debug dump takes one, and inline it would grow every
                    // call's future.
                    .then(|| Box::new(RequestSnapshot::of(&request)));
                let mut outcome = http.execute(request).await;
                // The body is read here only to dump it or to see whether a 409 is transient, and
                // handed on in a response rebuilt around it.
                let transient_check = self.shared.retry_transient_state
                    && idempotent
                    && may_retry
                    && resendable
                    && matches!(&outcome, Ok(r) if r.status() == StatusCode::CONFLICT);
                let mut body = None;
                if snapshot.is_some() || transient_check {
                    outcome = match outcome {
                        Ok(response) => match Box::pin(buffer(response)).await {
                            Ok((response, bytes)) => {
                                body = Some(bytes);
                                Ok(response)
                            }
                            Err(e) => Err(e),
                        },
                        Err(e) => Err(e),
                    };
                }
                if let Some(snapshot) = &snapshot {
                    let answer = match &outcome {
                        Ok(response) => Ok((response, body.as_deref().unwrap_or_default())),
                        Err(e) => Err(e),
                    };
                    self.shared.dump.emit(attempt, snapshot, answer);
                }
                if let Ok(response) = &outcome {
                    let status = response.status();
                    span.record("status", status.as_u16());
                    if let Some(id) = request_id(response.headers()) {
                        span.record("request_id", id);
                    }
                    if status == StatusCode::TOO_MANY_REQUESTS {
                        // A listing fetching this page lowers its pages in flight.
                        crate::internal::paging::note_throttled();
                    } else if !status.is_server_error()
                        && let Some(tokens) = &self.shared.retry_tokens
                    {
                        // The API is up: retries after failures become affordable again.
                        tokens.refund();
                    }
                }
                if !resendable {
                    return outcome;
                }
                let retry = match &outcome {
                    Ok(response) if response.status() == StatusCode::TOO_MANY_REQUESTS => {
                        let delay = retry_after(response)
                            .unwrap_or_else(|| policy.backoff(throttled))
                            .min(policy.max_delay);
                        (started.elapsed() + delay < policy.throttle_budget)
                            .then_some(Retry::Throttled(delay))
                    }
                    Ok(response)
                        if may_retry && idempotent && is_retryable_status(response.status()) =>
                    {
                        let delay =
                            retry_after(response).unwrap_or_else(|| policy.backoff(retries));
                        Some(Retry::Failed(delay, RetryCause::Failure))
                    }
                    Ok(_) if transient_check && body.as_deref().is_some_and(is_transient_state) => {
                        Some(Retry::Busy(policy.backoff(retries)))
                    }
                    Err(e)
                        if may_retry
                            && (e.is_connect()
                                || (idempotent && (e.is_timeout() || e.is_request()))) =>
                    {
                        let cause = match e.is_timeout() {
                            true => RetryCause::Timeout,
                            false => RetryCause::Failure,
                        };
                        Some(Retry::Failed(policy.backoff(retries), cause))
                    }
                    _ => None,
                };
                let delay = match retry {
                    None => return outcome,
                    Some(Retry::Throttled(delay)) => {
                        throttled += 1;
                        delay
                    }
                    Some(Retry::Failed(delay, cause)) => {
                        if let Some(tokens) = &self.shared.retry_tokens
                            && !tokens.try_spend(cause)
                        {
                            tracing::debug!(attempt, "retry budget spent: not retrying");
                            return outcome;
                        }
                        retries += 1;
                        delay
                    }
                    Some(Retry::Busy(delay)) => {
                        retries += 1;
                        delay
                    }
                };
                let delay = delay.min(policy.max_delay);
                tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, "retrying");
                Box::pin(tokio::time::sleep(delay)).await;
                // Taken only now, so that the future does not hold it twice while sleeping.
                request = match (spare, build) {
                    (Some(next), _) => next,
                    (None, Some(build)) => {
                        let mut next = build()?;
                        self.prepare(&mut next, call);
                        next
                    }
                    (None, None) => return outcome,
                };
                attempt += 1;
            }
        }
    }
}

/// The requests of one call.
// Not boxed: it is moved once, into the call's future, which holds a request either way.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Requests<'a> {
    /// One request, cloned before each attempt that another may follow.
    One(Request),
    /// Built by the generated code for each attempt: nothing is cloned, and the body is
    /// serialized again only when there is a retry.
    Built {
        /// The method, for tracing before the first request is built.
        method: Method,
        /// Builds the request (the runtime adds authentication and the User-Agent).
        build: &'a (dyn Fn() -> reqwest::Result<Request> + Sync),
    },
}

/// Why an attempt is followed by another, after how long.
enum Retry {
    /// A `429`: free, within the policy's `throttle_budget`.
    Throttled(Duration),
    /// A failure: counts towards `max_attempts` and draws on the retry budget.
    Failed(Duration, RetryCause),
    /// A `409 transient_state`: counts towards `max_attempts` only.
    Busy(Duration),
}

/// Answers of a gateway or server in trouble, after which idempotent calls are retried (a 429
/// is handled on its own).
fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 502..=504)
}

/// Whether an error body is Scaleway's `transient_state` error (a resource busy changing state).
fn is_transient_state(body: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct Typed<'a> {
        #[serde(rename = "type", borrow)]
        kind: Option<std::borrow::Cow<'a, str>>,
    }
    serde_json::from_slice::<Typed<'_>>(body)
        .is_ok_and(|typed| typed.kind.as_deref() == Some("transient_state"))
}

/// Reads `response`'s whole body, and gives back an equivalent response around it: same
/// status, version, headers, URL and extensions, for callers that read it again.
async fn buffer(mut response: Response) -> reqwest::Result<(Response, bytes::Bytes)> {
    use reqwest::ResponseBuilderExt;

    let status = response.status();
    let version = response.version();
    let url = response.url().clone();
    let headers = response.headers().clone();
    let extensions = std::mem::take(response.extensions_mut());
    let bytes = response.bytes().await?;
    let mut rebuilt = http::Response::builder()
        .status(status)
        .version(version)
        .url(url)
        .body(bytes.clone())
        .expect("status and version come from a valid response");
    *rebuilt.headers_mut() = headers;
    rebuilt.extensions_mut().extend(extensions);
    Ok((Response::from(rebuilt), bytes))
}

/// The `X-Request-Id` the API answered with, to quote to Scaleway support.
pub(crate) fn request_id(headers: &reqwest::header::HeaderMap) -> Option<&str> {
    // A `HeaderName` rather than a `&str` key, which would be parsed on every lookup.
    const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
    headers.get(REQUEST_ID).and_then(|v| v.to_str().ok())
}

/// `Retry-After` in seconds (the HTTP-date form is not used by Scaleway).
fn retry_after(response: &Response) -> Option<Duration> {
    let value = response.headers().get(reqwest::header::RETRY_AFTER)?;
    let seconds: f64 = value.to_str().ok()?.trim().parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds))
}

/// The configured zone, or its absence; converts into a [`Zone`] when an operation is sent.
///
/// Generated clients pre-fill every required `zone` parameter with this, so a call that sets
/// no zone uses the configured one, and fails before sending anything when there is none.
#[derive(Clone, Debug)]
pub struct DefaultZone(pub Option<Zone>);

/// The configured region, or its absence; see [`DefaultZone`].
#[derive(Clone, Debug)]
pub struct DefaultRegion(pub Option<Region>);

/// No zone or region was given and none is configured.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "no {what} given: set one on the call, or configure a default with {env} or {key} in the config profile"
)]
pub struct MissingLocality {
    what: &'static str,
    env: &'static str,
    key: &'static str,
}

impl TryFrom<DefaultZone> for Zone {
    type Error = MissingLocality;
    fn try_from(value: DefaultZone) -> Result<Zone, MissingLocality> {
        value.0.ok_or(MissingLocality {
            what: "zone",
            env: ConfigKey::DefaultZone.env_var(),
            key: ConfigKey::DefaultZone.name(),
        })
    }
}

impl TryFrom<DefaultRegion> for Region {
    type Error = MissingLocality;
    fn try_from(value: DefaultRegion) -> Result<Region, MissingLocality> {
        value.0.ok_or(MissingLocality {
            what: "region",
            env: ConfigKey::DefaultRegion.env_var(),
            key: ConfigKey::DefaultRegion.name(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let policy = RetryPolicy {
            max_attempts: 10,
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            ..RetryPolicy::default()
        };
        for _ in 0..50 {
            let first = policy.backoff(0);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let late = policy.backoff(8);
            assert!(late >= Duration::from_millis(500) && late <= Duration::from_secs(1));
        }
    }

    #[test]
    fn missing_zone_message_says_what_to_do() {
        let err = Zone::try_from(DefaultZone(None)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no zone given: set one on the call, or configure a default with SCW_DEFAULT_ZONE or default_zone in the config profile"
        );
        assert_eq!(
            Zone::try_from(DefaultZone(Some(Zone::FR_PAR_2))).unwrap(),
            Zone::FR_PAR_2
        );
    }

    #[test]
    fn rejects_a_bad_api_url() {
        let config = Config {
            api_url: "ftp://example".into(),
            ..Config::default()
        };
        assert!(Runtime::new(config).is_err());
    }
}
