//! How spec files map to crates, modules and facade names.
//!
//! The rule, fixed before the first publish (see the README):
//! - one crate per API **and version**: `scaleway-<api>-<version>` (`scaleway-instance-v1`,
//!   `scaleway-block-v1alpha1` beside `scaleway-block-v1`), as Scaleway's own SDKs put the
//!   version in the import path (`api/instance/v1`, `scaleway.instance.v1`);
//! - an API published as several files (`scaleway.mnq.v1beta1.NatsApi.yml`, `…SnsApi.yml`)
//!   becomes one crate with a module per file (`nats`, `sns`), each with its own `Client`, and a
//!   crate-level `Client` that holds them all; a single file is the crate root;
//! - in the `scaleway-client` facade, the crate's feature is `<api>-<version>` and its module
//!   and accessor `<api>_<version>` (`client.instance_v1()`).

use heck::ToSnakeCase;

/// What a spec's file name says: `instance.v1.yml` or the publisher's
/// `scaleway.mnq.v1beta1.NatsApi.yml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecName {
    /// The file name inside `specs/`.
    pub file_name: String,
    /// API name, e.g. `instance`, `mnq`, `secret_manager`.
    pub api: String,
    /// Version from the file name, e.g. `v1beta1`; empty when the name has none (the spec's
    /// `info.version` then decides).
    pub version: String,
    /// Service of a multi-file API, e.g. `nats` for `NatsApi`; `None` for `Api` and for our
    /// own `<api>.<version>.yml` files.
    pub service: Option<String>,
}

impl SpecName {
    /// Parses `<api>.<version>.yml` or `scaleway.<api>.<version>.<Service>Api.yml`.
    pub fn from_file_name(file_name: &str) -> Option<SpecName> {
        let stem = file_name
            .strip_suffix(".yml")
            .or_else(|| file_name.strip_suffix(".yaml"))?;
        let stem = stem.strip_prefix("scaleway.").unwrap_or(stem);
        let mut parts = stem.split('.');
        let api = identifier(parts.next()?)?;
        let version = parts.next().unwrap_or("").to_owned();
        let service = match parts.next() {
            None => None,
            Some(service) => {
                let service = service.strip_suffix("Api").unwrap_or(service);
                (!service.is_empty()).then(|| service.to_snake_case())
            }
        };
        if parts.next().is_some() || (!version.is_empty() && identifier(&version).is_none()) {
            return None;
        }
        Some(SpecName {
            file_name: file_name.to_owned(),
            api,
            version,
            service,
        })
    }
}

/// `name` as a lower-case identifier (`secret_manager`), or `None` if it cannot be one.
fn identifier(name: &str) -> Option<String> {
    let out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let out = out.trim_matches('_').to_owned();
    (!out.is_empty() && !out.starts_with(|c: char| c.is_ascii_digit())).then_some(out)
}

/// The names of one API version's crate.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CrateName {
    /// API name, e.g. `block`.
    pub api: String,
    /// API version, e.g. `v1alpha1`.
    pub version: String,
    /// `scaleway-block-v1alpha1`.
    pub crate_name: String,
    /// `scaleway_block_v1alpha1`, the crate as a Rust path.
    pub ident: String,
    /// `block_v1alpha1`: the facade's module and accessor.
    pub module: String,
    /// `block-v1alpha1`: the facade's cargo feature.
    pub feature: String,
}

impl CrateName {
    /// The crate of version `version` of `api`.
    pub fn of(api: &str, version: &str) -> CrateName {
        let module = format!("{api}_{}", version.to_ascii_lowercase()).replace('-', "_");
        let feature = module.replace('_', "-");
        CrateName {
            api: api.to_owned(),
            version: version.to_owned(),
            crate_name: format!("scaleway-{feature}"),
            ident: format!("scaleway_{module}"),
            module,
            feature,
        }
    }
}

/// The module of a file in a multi-file crate: its service, else the API's name (a plain `Api`
/// file beside service files, as Domain's `Api` beside `RegistrarApi`).
pub fn service_module(spec: &SpecName) -> String {
    spec.service.clone().unwrap_or_else(|| spec.api.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_and_the_publishers_file_names() {
        let ours = SpecName::from_file_name("marketplace.v2.yml").unwrap();
        assert_eq!(
            (ours.api.as_str(), ours.version.as_str(), ours.service),
            ("marketplace", "v2", None)
        );
        let single = SpecName::from_file_name("scaleway.k8s.v1.Api.yml").unwrap();
        assert_eq!((single.api.as_str(), single.service), ("k8s", None));
        let multi = SpecName::from_file_name("scaleway.mnq.v1beta1.NatsApi.yml").unwrap();
        assert_eq!(
            (multi.version.as_str(), multi.service.as_deref()),
            ("v1beta1", Some("nats"))
        );
        let zoned = SpecName::from_file_name("scaleway.lb.v1.ZonedApi.yml").unwrap();
        assert_eq!(zoned.service.as_deref(), Some("zoned"));
        let dashed = SpecName::from_file_name("scaleway.secret_manager.v1beta1.Api.yml").unwrap();
        assert_eq!(dashed.api, "secret_manager");
        assert_eq!(
            SpecName::from_file_name("block.v1alpha1.yaml")
                .unwrap()
                .version,
            "v1alpha1"
        );
        assert!(SpecName::from_file_name("notes.txt").is_none());
        assert!(SpecName::from_file_name("1password.v1.yml").is_none());
    }

    #[test]
    fn crates_carry_the_version_so_two_versions_coexist() {
        let old = CrateName::of("block", "v1alpha1");
        let new = CrateName::of("block", "v1");
        assert_eq!(old.crate_name, "scaleway-block-v1alpha1");
        assert_eq!(new.crate_name, "scaleway-block-v1");
        assert_eq!(
            (old.module.as_str(), old.feature.as_str()),
            ("block_v1alpha1", "block-v1alpha1")
        );
        assert_eq!(
            CrateName::of("secret_manager", "v1beta1").crate_name,
            "scaleway-secret-manager-v1beta1"
        );
        assert_eq!(old.ident, "scaleway_block_v1alpha1");
    }
}
