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
/// Polling a resource until its state is terminal ([`wait::poll_until`]).
pub use scaleway_core::wait;
pub use scaleway_core::{
    ApiError, ApiErrorExt, Config, ConfigError, Error, ErrorKind, Region, RetryPolicy, Runtime,
    RuntimeError, RuntimeOptions, SecretKey, WaitError, WaitOptions, Zone,
};

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

    /// Time allowed to open a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.options.connect_timeout = timeout;
        self
    }

    /// Time allowed for a whole request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = timeout;
        self
    }

    /// Retry policy for failed requests.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = policy;
        self
    }

    /// Pages a list stream fetches at once once it knows the total (default 8; 1 = sequential).
    pub fn page_concurrency(mut self, pages: usize) -> Self {
        self.options.page_concurrency = pages;
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
        Ok(Client {
            runtime: Runtime::with_options(config, self.options)?,
            apis: Default::default(),
        })
    }
}
