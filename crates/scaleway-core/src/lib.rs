//! Shared runtime of the Scaleway Rust SDK.
//!
//! Generated API crates (`scaleway-marketplace-v2`, …) and the `scaleway-client` facade build on
//! this crate for:
//! - [`Zone`] and [`Region`], validated and open to zones opened after this release;
//! - [`Config`], loaded like the official `scw` CLI loads it (environment and profiles);
//! - [`SecretKey`], which never shows itself in `Debug` or `Display`;
//! - [`Runtime`], the HTTP client, authentication and retries every API client shares
//!   ([`RetryPolicy`] per call, [`RetryBudget`] per client);
//! - [`ApiError`], the decoded error body of a failed call.
//!
//! ```
//! use scaleway_core::{Region, Zone};
//!
//! let zone: Zone = "it-mil-1".parse()?;
//! assert_eq!(zone.region(), Region::IT_MIL);
//! assert!("fr-par-9x".parse::<Zone>().is_err());
//! # Ok::<(), scaleway_core::LocalityParseError>(())
//! ```

#![warn(missing_docs, unreachable_pub)]

mod api_error;
mod config;
mod dump;
mod error;
#[doc(hidden)]
pub mod internal;
mod json_path;
pub mod locality;
pub mod pagination;
mod rate_limit;
mod retry_budget;
mod runtime;
mod secret;
mod tls;
pub mod wait;
mod zone;

pub use api_error::{
    ApiError, ApiErrorExt, DeniedPermission, ErrorKind, ExceededQuota, InvalidArgument,
};
pub use config::{Config, ConfigError, DEFAULT_API_URL, check_api_url};
pub use dump::{DEBUG_ENV, DebugWriter, debug_from_env};
pub use error::Error;
pub use rate_limit::RateLimit;
pub use retry_budget::RetryBudget;
pub use runtime::{
    MissingLocality, RetryPolicy, Runtime, RuntimeError, RuntimeOptions, USER_AGENT,
};
pub use secret::{InvalidSecretKey, SecretKey, is_uuid};
pub use tls::http_client_builder;
pub use wait::{WaitError, WaitOptions};
pub use zone::{LocalityParseError, Region, Zone};

/// Re-exported for generated crates and the facade, so that they depend on one version of it.
pub use progenitor_client;
