//! Scaleway cloud SDK for Rust.
//!
//! One [`Client`] for every Scaleway API this workspace generates. Each API is a module behind
//! a cargo feature of the same name (all on by default) and an accessor on [`Client`]; all of
//! them share one HTTP connection pool, authentication, retries and default zone and region.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! // SCW_* environment variables, then the active profile of ~/.config/scw/config.yaml.
//! let client = scaleway_client::Client::from_env()?;
//! let images = client
//!     .marketplace_v2()
//!     .list_local_images()
//!     .image_label("ubuntu_jammy")
//!     .zone("fr-par-1")
//!     .send()
//!     .await?;
//! for image in &images.local_images {
//!     println!("{} {}", image.id, image.arch);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Configuration follows the official `scw` CLI; precedence is values set on
//! [`ClientBuilder`] > `SCW_*` environment variables > config-file profile > defaults.
//!
//! [`ClientBuilder`] also takes an HTTP client of your own ([`ClientBuilder::http_client`], e.g.
//! behind a proxy), a User-Agent suffix, a client-wide [`ClientBuilder::rate_limit`], and
//! turns on the debug dump ([`ClientBuilder::debug`], or `SCW_DEBUG=1`).
//!
//! # Examples
//!
//! The crate's `examples/` directory holds complete programs; each reads its configuration with
//! [`Client::from_env`], so `SCW_API_URL` can point it at a local server instead of the API:
//!
//! - `launch_instance`: find the local image of a marketplace label with
//!   [`Client::find_local_image`], create a server from it, power it on and wait until it is
//!   running with [`Client::power_and_wait`];
//! - `list_servers`: list every server of every zone of a region at once with the generated
//!   `collect_all_in_zones` and [`locality::merge`];
//! - `private_network`: create a private network (VPC API, regional) and attach a server to it
//!   with a private NIC (Instance API, zonal), then wait for the NIC with [`wait::poll_until`].
//!
//! ```sh
//! SCW_DEFAULT_ZONE=fr-par-1 cargo run -p scaleway-client --example list_servers
//! ```

#![warn(missing_docs, unreachable_pub)]

mod apis;
mod helpers;
pub use apis::*;
pub use helpers::*;

use std::fmt;
use std::time::Duration;

/// Running one call in several zones or regions at once ([`locality::merge`] joins the
/// per-zone results of the generated `collect_all_in_zones` methods).
pub use scaleway_core::locality;
/// Listings: the [`pagination::Stream`] trait they implement and [`pagination::ItemStream`],
/// their boxed form.
pub use scaleway_core::pagination;
/// Polling a resource until its state is terminal ([`wait::poll_until`]).
pub use scaleway_core::wait;
pub use scaleway_core::{
    ApiError, ApiErrorExt, Config, ConfigError, DebugWriter, Error, ErrorKind, RateLimit, Region,
    RetryBudget, RetryPolicy, Runtime, RuntimeError, RuntimeOptions, SecretKey, WaitError,
    WaitOptions, Zone, http_client_builder,
};

/// The HTTP client library the SDK uses, to build a client of your own for
/// [`ClientBuilder::http_client`] with the same version.
pub use reqwest;

/// Entry point to every Scaleway API. Cheap to clone; clones share connections.
#[derive(Clone, Debug)]
pub struct Client {
    runtime: Runtime,
    apis: apis::ApiClients,
}

/// Why a [`Client`] could not be built.
#[derive(Debug)]
pub enum BuildError {
    /// The configuration (explicit values, environment or config file) is invalid.
    Config(ConfigError),
    /// The HTTP client could not be built.
    Runtime(RuntimeError),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Config(e) => e.fmt(f),
            BuildError::Runtime(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Config(e) => Some(e),
            BuildError::Runtime(e) => Some(e),
        }
    }
}

impl From<ConfigError> for BuildError {
    fn from(e: ConfigError) -> Self {
        BuildError::Config(e)
    }
}

impl From<RuntimeError> for BuildError {
    fn from(e: RuntimeError) -> Self {
        BuildError::Runtime(e)
    }
}

impl Client {
    /// Configured from `SCW_*` variables and the active profile of the config file.
    pub fn from_env() -> Result<Client, BuildError> {
        Client::builder().build()
    }

    /// Configured from the named profile of the config file (`SCW_*` variables still win).
    pub fn from_profile(name: &str) -> Result<Client, BuildError> {
        Client::builder().profile(name).build()
    }

    /// Configured from `config` alone, with default timeouts and retries.
    pub fn from_config(config: Config) -> Result<Client, BuildError> {
        Ok(Client {
            runtime: Runtime::new(config)?,
            apis: Default::default(),
        })
    }

    /// A client over an existing runtime (shared with other clients built from it).
    pub fn from_runtime(runtime: Runtime) -> Client {
        Client {
            runtime,
            apis: Default::default(),
        }
    }

    /// A builder for explicit settings on top of the environment and config file.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The runtime shared by the API clients.
    pub fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    /// The resolved configuration.
    pub fn config(&self) -> &Config {
        self.runtime.config()
    }
}

/// Builds a [`Client`]; explicit values win over the environment and the config file.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    profile: Option<String>,
    ignore_environment: bool,
    /// Values set in code, validated and applied in order by `build` over what was loaded.
    explicit: Vec<ExplicitValue>,
    options: RuntimeOptions,
    /// The debug dump as set in code; else `SCW_DEBUG` decides, unless the environment is
    /// ignored.
    debug: Option<bool>,
}

/// One of [`Config`]'s typed setters (`Config::set_default_zone`, …): validates a value,
/// stores it, and names the key, value and origin when it is invalid.
type Setter = fn(&mut Config, &str, &str) -> Result<(), ConfigError>;

/// A value set on the builder and the setter that validates and stores it.
#[derive(Clone)]
struct ExplicitValue {
    set: Setter,
    value: String,
}

/// How errors name values set on the builder.
const EXPLICIT_ORIGIN: &str = "ClientBuilder";

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values are left out: one of them may be the secret key.
        f.debug_struct("ClientBuilder")
            .field("profile", &self.profile)
            .field("ignore_environment", &self.ignore_environment)
            .field("explicit_values", &self.explicit.len())
            .field("options", &self.options)
            .field("debug", &self.debug)
            .finish()
    }
}

impl ClientBuilder {
    fn set(mut self, set: Setter, value: impl Into<String>) -> Self {
        self.explicit.push(ExplicitValue {
            set,
            value: value.into(),
        });
        self
    }

    /// Use this profile of the config file instead of `SCW_PROFILE` / `active_profile`.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Read neither `SCW_*` variables nor the config file: only explicit values and defaults.
    pub fn ignore_environment(mut self) -> Self {
        self.ignore_environment = true;
        self
    }

    /// Secret key sent as `X-Auth-Token`; validated (a UUID) by [`ClientBuilder::build`].
    pub fn secret_key(self, key: impl Into<String>) -> Self {
        self.set(Config::set_secret_key, key)
    }

    /// Access key (`SCW` + 17 characters).
    pub fn access_key(self, key: impl Into<String>) -> Self {
        self.set(Config::set_access_key, key)
    }

    /// Zone used when a zoned call sets none.
    pub fn default_zone(self, zone: impl AsRef<str>) -> Self {
        self.set(Config::set_default_zone, zone.as_ref())
    }

    /// Region used when a regional call sets none.
    pub fn default_region(self, region: impl AsRef<str>) -> Self {
        self.set(Config::set_default_region, region.as_ref())
    }

    /// Project used when a create call sets none.
    pub fn default_project_id(self, id: impl Into<String>) -> Self {
        self.set(Config::set_default_project_id, id)
    }

    /// Organization used when a call needs one and sets none.
    pub fn default_organization_id(self, id: impl Into<String>) -> Self {
        self.set(Config::set_default_organization_id, id)
    }

    /// Base URL of the API (no trailing slash), e.g. a local test server.
    pub fn api_url(self, url: impl Into<String>) -> Self {
        self.set(Config::set_api_url, url)
    }

    /// Time allowed to open a connection. Does not reconfigure a client given to
    /// [`ClientBuilder::http_client`], whose own settings apply.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.options.connect_timeout = timeout;
        self
    }

    /// Time allowed for a whole request. Does not reconfigure a client given to
    /// [`ClientBuilder::http_client`], whose own settings apply; a call's own `with_timeout`
    /// applies to either.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = timeout;
        self
    }

    /// Retry policy for failed requests.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = policy;
        self
    }

    /// Retries after failures (5xx, timeouts, resets) that every call of the client and its
    /// clones share ([`RetryBudget::default`]: 500 tokens, 5 a retry, 10 after a timeout, 1 back
    /// per success); `None` bounds retries by each call's [`RetryPolicy`] only.
    pub fn retry_budget(mut self, budget: Option<RetryBudget>) -> Self {
        self.options.retry_budget = budget;
        self
    }

    /// Pages a list stream fetches at once once it knows the total (default 8; 1 = sequential).
    /// A listing answered `429` fetches fewer at once, then more again as pages come back.
    pub fn page_concurrency(mut self, pages: usize) -> Self {
        self.options.page_concurrency = pages;
        self
    }

    /// Also retry GET, HEAD, PUT and DELETE calls answered `409` `transient_state` (a resource
    /// busy changing state), with the retry policy's backoff; POST and PATCH never are.
    /// Off by default.
    pub fn retry_transient_state(mut self, on: bool) -> Self {
        self.options.retry_transient_state = on;
        self
    }

    /// At most `per_second` requests a second, `burst` at once, over every call of the client
    /// and its clones (concurrent pages and zones included; every retry counts). A request
    /// over the limit waits for its turn. `per_second` must be positive and `burst` at least
    /// 1, else [`ClientBuilder::build`] fails.
    pub fn rate_limit(mut self, per_second: f64, burst: u32) -> Self {
        self.options.rate_limit = Some(RateLimit::new(per_second, burst));
        self
    }

    /// Sends requests with `client` (a proxy, extra root certificates, default headers, …).
    ///
    /// Authentication, the User-Agent, retries, the rate limit, tracing and the debug dump
    /// still apply. The client's own timeouts apply too: [`ClientBuilder::timeout`] and
    /// [`ClientBuilder::connect_timeout`] do not reconfigure it, while a call's own
    /// `with_timeout` still applies.
    ///
    /// Build it from [`http_client_builder`]: with the default `rustls` feature, reqwest needs
    /// a TLS crypto provider installed before it builds a client (and panics without one), and
    /// that function installs the SDK's (`ring`) unless the application installed its own.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.options.http_client = Some(client);
        self
    }

    /// Appended to the User-Agent after a space: `user_agent_suffix("myapp/1.2")` sends
    /// `User-Agent: scaleway-rust/<version> myapp/1.2`, with a client of your own too.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.options.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Dump every attempt of every request to stderr: method, URL, status, request id, headers
    /// and bodies (cut after 4 KiB), the secret key masked. Wins over `SCW_DEBUG`, which
    /// otherwise decides (`SCW_DEBUG=1`) unless the environment is ignored.
    pub fn debug(mut self, on: bool) -> Self {
        self.debug = Some(on);
        self
    }

    /// Where the [`ClientBuilder::debug`] dump goes instead of stderr.
    pub fn debug_writer(mut self, writer: DebugWriter) -> Self {
        self.options.debug_writer = Some(writer);
        self
    }

    /// Loads, validates and builds.
    pub fn build(self) -> Result<Client, BuildError> {
        let mut config = if self.ignore_environment {
            Config::default()
        } else {
            match &self.profile {
                Some(name) => Config::load_profile(name)?,
                None => Config::load()?,
            }
        };
        for explicit in &self.explicit {
            (explicit.set)(&mut config, &explicit.value, EXPLICIT_ORIGIN)?;
        }
        let mut options = self.options;
        options.debug = match self.debug {
            Some(on) => on,
            None => !self.ignore_environment && scaleway_core::debug_from_env().unwrap_or(false),
        };
        Ok(Client {
            runtime: Runtime::with_options(config, options)?,
            apis: Default::default(),
        })
    }
}
