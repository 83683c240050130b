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
use crate::zone::{Region, Zone};

/// Sent on every request.
pub const USER_AGENT: &str = concat!("scaleway-rust/", env!("CARGO_PKG_VERSION"));

const AUTH_HEADER: HeaderName = HeaderName::from_static("x-auth-token");

/// How failed requests are retried.
///
/// Only idempotent methods (GET, HEAD, PUT, DELETE) are re-sent after a 429, 502, 503 or 504
/// answer or a failure mid-request; POST and PATCH are re-sent only when the connection could
/// not be opened, i.e. when the request never reached the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts including the first; 1 disables retries.
    pub max_attempts: u32,
    /// Delay before the first retry; doubled on each further one, with jitter.
    pub initial_delay: Duration,
    /// Upper bound of one delay, `Retry-After` included.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
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
        half + step.mul_f64(rand::random::<f64>() * 0.5)
    }
}

/// Options of the HTTP layer.
#[derive(Clone, Debug)]
pub struct RuntimeOptions {
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed for a whole request, response body included.
    pub timeout: Duration,
    /// Retry behaviour.
    pub retry: RetryPolicy,
    /// Pages a list stream fetches at once once it knows the total (1: one after the other).
    pub page_concurrency: usize,
}

impl Default for RuntimeOptions {
    fn default() -> Self {
        RuntimeOptions {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            page_concurrency: crate::pagination::DEFAULT_PAGE_CONCURRENCY,
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
    page_concurrency: usize,
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
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout)
            .build()?;
        Ok(Runtime {
            shared: Arc::new(Shared {
                http,
                config,
                retry: options.retry,
                page_concurrency: options.page_concurrency.max(1),
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

    /// Sends `request` for `operation` with authentication and retries; generated clients
    /// call it through [`crate::internal::execute`].
    ///
    /// Each request gets a `tracing` span `scaleway.request` with the method, the path template,
    /// the operation, the attempt number, the status and the `X-Request-Id` the API answered;
    /// never headers or bodies, so never the secret key.
    pub(crate) async fn execute(
        &self,
        mut request: Request,
        operation: &'static Operation,
        call: &CallOptions,
    ) -> reqwest::Result<Response> {
        if let Some(timeout) = call.timeout {
            *request.timeout_mut() = Some(timeout);
        }
        if let Some(secret) = &self.shared.config.secret_key
            && let Ok(mut value) = HeaderValue::from_str(secret.expose())
        {
            value.set_sensitive(true);
            request.headers_mut().insert(AUTH_HEADER, value);
        }
        let span = tracing::info_span!(
            "scaleway.request",
            method = %request.method(),
            path = operation.path,
            operation = operation.name,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        let policy = call.retry.as_ref().unwrap_or(&self.shared.retry);
        self.send_with_retries(&self.shared.http, request, policy)
            .instrument(span)
            .await
    }

    async fn send_with_retries(
        &self,
        http: &reqwest::Client,
        mut request: Request,
        policy: &RetryPolicy,
    ) -> reqwest::Result<Response> {
        let idempotent = matches!(
            *request.method(),
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE
        );
        let span = tracing::Span::current();
        let mut attempt = 1;
        loop {
            span.record("attempt", attempt);
            // A body that cannot be cloned (a stream) can be sent once only.
            let spare = (attempt < policy.max_attempts)
                .then(|| request.try_clone())
                .flatten();
            let outcome = http.execute(request).await;
            if let Ok(response) = &outcome {
                span.record("status", response.status().as_u16());
                if let Some(id) = response
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                {
                    span.record("request_id", id);
                }
            }
            let Some(next) = spare else {
                return outcome;
            };
            let delay = match &outcome {
                Ok(response) if idempotent && is_retryable_status(response.status()) => {
                    Some(retry_after(response).unwrap_or_else(|| policy.backoff(attempt - 1)))
                }
                Err(e) if e.is_connect() || (idempotent && (e.is_timeout() || e.is_request())) => {
                    Some(policy.backoff(attempt - 1))
                }
                _ => None,
            };
            match delay {
                None => return outcome,
                Some(delay) => {
                    tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, "retrying");
                    tokio::time::sleep(delay.min(policy.max_delay)).await;
                    request = next;
                    attempt += 1;
                }
            }
        }
    }
}

fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
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
