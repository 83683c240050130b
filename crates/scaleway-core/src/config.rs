//! Configuration compatible with the official Scaleway CLI (`scw`).
//!
//! Sources, highest precedence first: values set explicitly in code, `SCW_*` environment
//! variables, the active profile of the config file (merged over the file's top-level keys),
//! then built-in defaults.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::secret::{SecretKey, is_uuid, redacted_prefix};
use crate::zone::{Region, Zone};

/// Default API endpoint.
pub const DEFAULT_API_URL: &str = "https://api.scaleway.com";

/// Resolved, validated configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Access key (`SCW` + 17 characters); identifies the key pair, is not secret.
    pub access_key: Option<String>,
    /// Secret key; without one, requests are sent anonymously.
    pub secret_key: Option<SecretKey>,
    /// Organization used when a request needs one and none is given.
    pub default_organization_id: Option<String>,
    /// Project used when a request needs one and none is given.
    pub default_project_id: Option<String>,
    /// Region used by regional operations when none is given.
    pub default_region: Option<Region>,
    /// Zone used by zoned operations when none is given.
    pub default_zone: Option<Zone>,
    /// Base URL of the API, without a trailing slash.
    pub api_url: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            access_key: None,
            secret_key: None,
            default_organization_id: None,
            default_project_id: None,
            default_region: None,
            default_zone: None,
            api_url: DEFAULT_API_URL.to_owned(),
        }
    }
}

/// Why a configuration could not be loaded. Never contains more than 8 characters of a secret key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A value has the wrong format.
    #[error("invalid {field} {shown} (from {origin}): {reason}")]
    Invalid {
        field: &'static str,
        /// The offending value, or only its first characters for the secret key.
        shown: String,
        /// Where the value came from: an environment variable or a config file and profile.
        origin: String,
        reason: String,
    },
    /// The config file exists but could not be read.
    #[error("cannot read config file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The config file is not valid YAML of the expected shape.
    #[error("malformed config file {}{}: {message}", path.display(), line.map(|l| format!(" at line {l}")).unwrap_or_default())]
    Malformed {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
    /// The requested profile is not in the config file.
    #[error("profile {name:?} (from {origin}) is not defined in {}", path.display())]
    UnknownProfile {
        name: String,
        origin: String,
        path: PathBuf,
    },
}

/// One profile as written in the file; every key optional, unknown keys ignored.
#[derive(Clone, Debug, Default, Deserialize)]
struct RawProfile {
    access_key: Option<String>,
    secret_key: Option<String>,
    default_organization_id: Option<String>,
    default_project_id: Option<String>,
    default_region: Option<String>,
    default_zone: Option<String>,
    api_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct RawFile {
    #[serde(flatten)]
    top: RawProfile,
    active_profile: Option<String>,
    #[serde(default)]
    profiles: BTreeMap<String, RawProfile>,
}

impl RawProfile {
    /// `self` with every key `over` sets replaced.
    fn merged_with(mut self, over: RawProfile) -> RawProfile {
        macro_rules! take {
            ($($field:ident),*) => { $( if over.$field.is_some() { self.$field = over.$field; } )* };
        }
        take!(
            access_key,
            secret_key,
            default_organization_id,
            default_project_id,
            default_region,
            default_zone,
            api_url
        );
        self
    }
}

/// A value with the place it came from, for error messages.
struct Sourced {
    value: String,
    origin: String,
}

impl Config {
    /// Loads from the process environment and the active profile of the config file.
    pub fn load() -> Result<Config, ConfigError> {
        Config::load_with(&|name| std::env::var(name).ok(), None)
    }

    /// Like [`Config::load`], but with the named profile instead of the active one.
    pub fn load_profile(profile: &str) -> Result<Config, ConfigError> {
        Config::load_with(&|name| std::env::var(name).ok(), Some(profile))
    }

    /// Loads with `env` standing in for the environment; `profile` overrides `SCW_PROFILE`.
    pub fn load_with(
        env: &dyn Fn(&str) -> Option<String>,
        profile: Option<&str>,
    ) -> Result<Config, ConfigError> {
        let env = |name: &str| env(name).filter(|v| !v.is_empty());
        let path = config_path(&env);
        let file = match &path {
            Some(path) => read_file(path)?,
            None => None,
        };
        let (profile_name, profile_origin) = match (profile, env("SCW_PROFILE")) {
            (Some(name), _) => (Some(name.to_owned()), "the caller".to_owned()),
            (None, Some(name)) => (Some(name), "SCW_PROFILE".to_owned()),
            (None, None) => (
                file.as_ref().and_then(|f| f.active_profile.clone()),
                "active_profile".to_owned(),
            ),
        };
        let path_shown = path.clone().unwrap_or_default();
        let (from_file, file_origin) = match file {
            None => match profile_name {
                Some(name) if name != "default" => {
                    return Err(ConfigError::UnknownProfile {
                        name,
                        origin: profile_origin,
                        path: path_shown,
                    });
                }
                _ => (RawProfile::default(), String::new()),
            },
            Some(mut file) => match profile_name {
                Some(name) => match file.profiles.remove(&name) {
                    Some(named) => (
                        file.top.merged_with(named),
                        format!("{}, profile {name}", path_shown.display()),
                    ),
                    None if name == "default" => (file.top, path_shown.display().to_string()),
                    None => {
                        return Err(ConfigError::UnknownProfile {
                            name,
                            origin: profile_origin,
                            path: path_shown,
                        });
                    }
                },
                None => (file.top, path_shown.display().to_string()),
            },
        };

        let pick = |env_name: &str, file_value: Option<String>| -> Option<Sourced> {
            env(env_name)
                .map(|value| Sourced {
                    value,
                    origin: env_name.to_owned(),
                })
                .or_else(|| {
                    file_value.filter(|v| !v.is_empty()).map(|value| Sourced {
                        value,
                        origin: file_origin.clone(),
                    })
                })
        };

        let mut config = Config::default();
        let file_values = [
            from_file.access_key,
            from_file.secret_key,
            from_file.default_organization_id,
            from_file.default_project_id,
            from_file.default_region,
            from_file.default_zone,
            from_file.api_url,
        ];
        for ((key, env_name), file_value) in KEYS.iter().zip(file_values) {
            if let Some(v) = pick(env_name, file_value) {
                config.set(key, &v.value, &v.origin)?;
            }
        }
        Ok(config)
    }
}

/// Config keys as the `scw` config file names them, with their environment variable.
const KEYS: [(&str, &str); 7] = [
    ("access_key", "SCW_ACCESS_KEY"),
    ("secret_key", "SCW_SECRET_KEY"),
    ("default_organization_id", "SCW_DEFAULT_ORGANIZATION_ID"),
    ("default_project_id", "SCW_DEFAULT_PROJECT_ID"),
    ("default_region", "SCW_DEFAULT_REGION"),
    ("default_zone", "SCW_DEFAULT_ZONE"),
    ("api_url", "SCW_API_URL"),
];

impl Config {
    /// Validates `value` and sets the key of that name (`default_zone`, `secret_key`, …, as
    /// in the config file). `origin` says where the value came from, for the error message.
    pub fn set(&mut self, key: &str, value: &str, origin: &str) -> Result<(), ConfigError> {
        let v = Sourced {
            value: value.to_owned(),
            origin: origin.to_owned(),
        };
        match key {
            "access_key" => self.access_key = Some(validate_access_key(v)?),
            "secret_key" => {
                self.secret_key =
                    Some(SecretKey::new(value).map_err(|_| ConfigError::Invalid {
                        field: "secret_key",
                        shown: redacted_prefix(value),
                        origin: v.origin,
                        reason: "expected a UUID".into(),
                    })?);
            }
            "default_organization_id" => {
                self.default_organization_id = Some(validate_id("default_organization_id", v)?)
            }
            "default_project_id" => {
                self.default_project_id = Some(validate_id("default_project_id", v)?)
            }
            "default_region" => {
                self.default_region =
                    Some(Region::new(value).map_err(|e| invalid("default_region", &v, e))?)
            }
            "default_zone" => {
                self.default_zone =
                    Some(Zone::new(value).map_err(|e| invalid("default_zone", &v, e))?)
            }
            "api_url" => self.api_url = validate_api_url(v)?,
            other => {
                return Err(ConfigError::Invalid {
                    field: "key",
                    shown: format!("{other:?}"),
                    origin: v.origin,
                    reason: format!(
                        "not a config key (known: {})",
                        KEYS.map(|(k, _)| k).join(", ")
                    ),
                });
            }
        }
        Ok(())
    }
}

fn invalid(field: &'static str, value: &Sourced, reason: impl fmt::Display) -> ConfigError {
    ConfigError::Invalid {
        field,
        shown: format!("{:?}", value.value),
        origin: value.origin.clone(),
        reason: reason.to_string(),
    }
}

fn validate_access_key(v: Sourced) -> Result<String, ConfigError> {
    let ok = v.value.len() == 20
        && v.value.starts_with("SCW")
        && v.value[3..]
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if ok {
        Ok(v.value)
    } else {
        Err(invalid(
            "access_key",
            &v,
            "expected SCW followed by 17 upper-case letters or digits",
        ))
    }
}

fn validate_id(field: &'static str, v: Sourced) -> Result<String, ConfigError> {
    if is_uuid(&v.value) {
        Ok(v.value)
    } else {
        Err(invalid(field, &v, "expected a UUID"))
    }
}

/// Checks an API base URL: http(s), no trailing slash. Also used for URLs set in code.
pub fn check_api_url(url: &str) -> Result<(), String> {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err("expected an http:// or https:// URL".into());
    }
    if url.ends_with('/') {
        return Err("remove the trailing slash".into());
    }
    reqwest::Url::parse(url).map_err(|e| e.to_string())?;
    Ok(())
}

fn validate_api_url(v: Sourced) -> Result<String, ConfigError> {
    match check_api_url(&v.value) {
        Ok(()) => Ok(v.value),
        Err(reason) => Err(invalid("api_url", &v, reason)),
    }
}

/// `$SCW_CONFIG_PATH`, else `$XDG_CONFIG_HOME/scw/config.yaml`, else `~/.config/scw/config.yaml`.
fn config_path(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    if let Some(path) = env("SCW_CONFIG_PATH") {
        return Some(PathBuf::from(path));
    }
    if let Some(xdg) = env("XDG_CONFIG_HOME") {
        return Some(Path::new(&xdg).join("scw").join("config.yaml"));
    }
    env("HOME").map(|home| {
        Path::new(&home)
            .join(".config")
            .join("scw")
            .join("config.yaml")
    })
}

/// A missing file is no error; an unreadable or malformed one is.
fn read_file(path: &Path) -> Result<Option<RawFile>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.to_owned(),
                source,
            });
        }
    };
    if text.trim().is_empty() {
        return Ok(Some(RawFile::default()));
    }
    serde_yaml::from_str(&text)
        .map(Some)
        .map_err(|e| ConfigError::Malformed {
            path: path.to_owned(),
            line: e.location().map(|l| l.line()),
            // serde_yaml's message may quote the offending value; keep only its first line and
            // never echo a secret: the location is enough to find the problem.
            message: sanitize_yaml_message(&e.to_string()),
        })
}

/// Drops serde_yaml's own " at line N column M" suffix (the line is reported separately) and
/// anything quoted, since a quoted value could be a secret key.
fn sanitize_yaml_message(message: &str) -> String {
    let first = message.lines().next().unwrap_or_default();
    let first = first.split(" at line ").next().unwrap_or(first);
    let mut out = String::new();
    let mut in_quote = false;
    for c in first.chars() {
        match c {
            '"' | '`' => {
                if !in_quote {
                    out.push_str("<value>");
                }
                in_quote = !in_quote;
            }
            _ if !in_quote => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const SECRET: &str = "11111111-2222-4333-8444-555555555555";
    const PROJECT: &str = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

    fn load(vars: &[(&str, &str)], profile: Option<&str>) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::load_with(&|name| map.get(name).cloned(), profile)
    }

    fn write(dir: &tempfile::TempDir, text: &str) -> String {
        let path = dir.path().join("config.yaml");
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    }

    #[test]
    fn defaults_without_any_source() {
        let config = load(&[("HOME", "/nonexistent")], None).unwrap();
        assert_eq!(config, Config::default());
        assert_eq!(config.api_url, "https://api.scaleway.com");
    }

    #[test]
    fn named_profile_merges_over_top_level_and_env_wins() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            &dir,
            &format!(
                "secret_key: {SECRET}\ndefault_zone: fr-par-1\ndefault_region: fr-par\nactive_profile: prod\n\
                 profiles:\n  prod:\n    default_zone: nl-ams-2\n  dev:\n    default_zone: pl-waw-1\n"
            ),
        );
        let config = load(&[("SCW_CONFIG_PATH", &path)], None).unwrap();
        assert_eq!(config.default_zone, Some(Zone::NL_AMS_2));
        assert_eq!(config.default_region, Some(Region::FR_PAR));
        assert_eq!(config.secret_key.unwrap().expose(), SECRET);

        let config = load(&[("SCW_CONFIG_PATH", &path), ("SCW_PROFILE", "dev")], None).unwrap();
        assert_eq!(config.default_zone, Some(Zone::PL_WAW_1));

        let config = load(
            &[
                ("SCW_CONFIG_PATH", &path),
                ("SCW_PROFILE", "dev"),
                ("SCW_DEFAULT_ZONE", "it-mil-1"),
            ],
            Some("prod"),
        )
        .unwrap();
        assert_eq!(config.default_zone, Some(Zone::IT_MIL_1));
    }

    #[test]
    fn xdg_and_home_locations() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("scw")).unwrap();
        std::fs::write(
            dir.path().join("scw/config.yaml"),
            format!("default_project_id: {PROJECT}\n"),
        )
        .unwrap();
        let xdg = dir.path().display().to_string();
        let config = load(&[("XDG_CONFIG_HOME", &xdg)], None).unwrap();
        assert_eq!(config.default_project_id.as_deref(), Some(PROJECT));

        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(home.path().join(".config/scw")).unwrap();
        std::fs::write(
            home.path().join(".config/scw/config.yaml"),
            "default_zone: fr-par-3\n",
        )
        .unwrap();
        let config = load(&[("HOME", &home.path().display().to_string())], None).unwrap();
        assert_eq!(config.default_zone, Some(Zone::FR_PAR_3));
    }

    #[test]
    fn unknown_profile_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(&dir, "profiles:\n  a: {}\n");
        let err = load(&[("SCW_CONFIG_PATH", &path), ("SCW_PROFILE", "b")], None).unwrap_err();
        assert!(
            err.to_string().contains("profile \"b\" (from SCW_PROFILE)"),
            "{err}"
        );
    }

    #[test]
    fn malformed_file_names_file_and_line_without_echoing_values() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            &dir,
            &format!("secret_key: {SECRET}\nprofiles: [\n  - : :\n"),
        );
        let err = load(&[("SCW_CONFIG_PATH", &path)], None).unwrap_err();
        let text = err.to_string();
        assert!(text.contains(&path) && text.contains("line "), "{text}");
        assert!(!text.contains("2222-4333"), "{text}");
    }

    #[test]
    fn invalid_values_name_field_value_and_origin() {
        let err = load(&[("SCW_DEFAULT_ZONE", "fr-par-9x")], None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid default_zone \"fr-par-9x\" (from SCW_DEFAULT_ZONE): \"fr-par-9x\" is not a zone: expected <region>-<n> such as fr-par-1"
        );
        let err = load(&[("SCW_ACCESS_KEY", "SCWabc")], None).unwrap_err();
        assert!(
            err.to_string().contains("invalid access_key \"SCWabc\""),
            "{err}"
        );
        let err = load(&[("SCW_API_URL", "https://api.scaleway.com/")], None).unwrap_err();
        assert!(err.to_string().contains("trailing slash"), "{err}");
        let err = load(&[("SCW_DEFAULT_PROJECT_ID", "nope")], None).unwrap_err();
        assert!(err.to_string().contains("default_project_id"), "{err}");
    }

    #[test]
    fn bad_secret_key_error_shows_only_eight_characters() {
        let secret = "deadbeef-this-is-not-a-uuid";
        let err = load(&[("SCW_SECRET_KEY", secret)], None).unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(text.contains("deadbeef"), "{text}");
        assert!(!text.contains("this-is"), "{text}");
    }
}
