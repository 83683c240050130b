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
        /// The key, as the config file names it (`default_zone`).
        field: &'static str,
        /// The offending value, quoted, or only its first characters for the secret key.
        shown: String,
        /// Where the value came from: an environment variable, a config file and profile, or
        /// the code that set it (`ClientBuilder`).
        origin: String,
        /// What the value should look like.
        reason: String,
    },
    /// The config file exists but could not be read.
    #[error("cannot read config file {}: {source}", path.display())]
    Read {
        /// The file that could not be read.
        path: PathBuf,
        /// Why reading it failed.
        source: std::io::Error,
    },
    /// The config file is not valid YAML of the expected shape.
    #[error("malformed config file {}{}: {message}", path.display(), line.map(|l| format!(" at line {l}")).unwrap_or_default())]
    Malformed {
        /// The malformed file.
        path: PathBuf,
        /// The line of the problem, when the YAML parser knows it.
        line: Option<usize>,
        /// The parser's explanation, with quoted values removed (they could be secrets).
        message: String,
    },
    /// The requested profile is not in the config file.
    #[error("profile {name:?} (from {origin}) is not defined in {}", path.display())]
    UnknownProfile {
        /// The profile asked for.
        name: String,
        /// Who asked for it: the caller, `SCW_PROFILE` or the file's `active_profile`.
        origin: String,
        /// The config file searched (empty when there is no file location at all).
        path: PathBuf,
    },
}

/// Declares every config key once: [`ConfigKey`], its file name and environment variable, how a
/// value is validated and stored, and the typed public setter on [`Config`] (`set_<key>`).
/// Adding a key is one row here plus its field in [`Config`]; loading from the environment and
/// the file, error messages and `ClientBuilder` all follow from the row.
macro_rules! config_keys {
    ($(
        $variant:ident {
            name: $name:literal,
            env_var: $env_var:literal,
            setter: $setter:ident,
            apply: |$config:ident, $value:ident| $apply:expr $(,)?
        }
    )*) => {
        /// A key of the configuration.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
        pub(crate) enum ConfigKey {
            $($variant,)*
        }

        impl ConfigKey {
            /// Every key, in the order they are loaded.
            pub(crate) const ALL: &'static [ConfigKey] = &[$(ConfigKey::$variant),*];

            /// The key as the `scw` config file names it, also the field named in errors.
            pub(crate) const fn name(self) -> &'static str {
                match self {
                    $(ConfigKey::$variant => $name,)*
                }
            }

            /// The environment variable that sets the key.
            pub(crate) const fn env_var(self) -> &'static str {
                match self {
                    $(ConfigKey::$variant => $env_var,)*
                }
            }

            /// Validates `value` and stores it in `config`; on failure `config` is unchanged.
            fn apply(self, config: &mut Config, value: Sourced) -> Result<(), ConfigError> {
                match self {
                    $(ConfigKey::$variant => {
                        let $config = &mut *config;
                        let $value = value;
                        $apply;
                    })*
                }
                Ok(())
            }
        }

        impl Config {
            $(
                #[doc = concat!(
                    "Validates `value` as `", $name, "` (what `", $env_var, "` sets) and sets it.\n\n",
                    "`origin` says where the value came from (`ClientBuilder`, say); a ",
                    "[`ConfigError::Invalid`] names it with the key and the value.",
                )]
                pub fn $setter(&mut self, value: &str, origin: &str) -> Result<(), ConfigError> {
                    ConfigKey::$variant.apply(self, Sourced::new(ConfigKey::$variant, value, origin))
                }
            )*
        }
    };
}

config_keys! {
    AccessKey {
        name: "access_key",
        env_var: "SCW_ACCESS_KEY",
        setter: set_access_key,
        apply: |config, value| config.access_key = Some(access_key(value)?),
    }
    SecretKey {
        name: "secret_key",
        env_var: "SCW_SECRET_KEY",
        setter: set_secret_key,
        apply: |config, value| config.secret_key = Some(secret_key(value)?),
    }
    DefaultOrganizationId {
        name: "default_organization_id",
        env_var: "SCW_DEFAULT_ORGANIZATION_ID",
        setter: set_default_organization_id,
        apply: |config, value| config.default_organization_id = Some(uuid(value)?),
    }
    DefaultProjectId {
        name: "default_project_id",
        env_var: "SCW_DEFAULT_PROJECT_ID",
        setter: set_default_project_id,
        apply: |config, value| config.default_project_id = Some(uuid(value)?),
    }
    DefaultRegion {
        name: "default_region",
        env_var: "SCW_DEFAULT_REGION",
        setter: set_default_region,
        apply: |config, value| config.default_region = Some(parsed(value, Region::new)?),
    }
    DefaultZone {
        name: "default_zone",
        env_var: "SCW_DEFAULT_ZONE",
        setter: set_default_zone,
        apply: |config, value| config.default_zone = Some(parsed(value, Zone::new)?),
    }
    ApiUrl {
        name: "api_url",
        env_var: "SCW_API_URL",
        setter: set_api_url,
        apply: |config, value| config.api_url = api_url(value)?,
    }
}

impl ConfigKey {
    /// The key the config file calls `name`, if it is one.
    fn named(name: &str) -> Option<ConfigKey> {
        ConfigKey::ALL
            .iter()
            .copied()
            .find(|key| key.name() == name)
    }
}

/// A value with its key and the place it came from, for error messages.
struct Sourced {
    key: ConfigKey,
    value: String,
    origin: String,
}

impl Sourced {
    fn new(key: ConfigKey, value: &str, origin: &str) -> Sourced {
        Sourced {
            key,
            value: value.to_owned(),
            origin: origin.to_owned(),
        }
    }
}

/// The keys one profile of the file sets; unknown keys (the `scw` CLI writes a few this SDK
/// does not use) are ignored.
#[derive(Clone, Debug, Default)]
struct FileProfile(BTreeMap<ConfigKey, String>);

impl<'de> Deserialize<'de> for FileProfile {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> serde::de::Visitor<'de> for Keys {
            type Value = FileProfile;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of config keys")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<FileProfile, A::Error> {
                let mut values = BTreeMap::new();
                while let Some(name) = map.next_key::<String>()? {
                    match ConfigKey::named(&name) {
                        Some(key) => {
                            if let Some(value) = map.next_value::<Option<String>>()? {
                                values.insert(key, value);
                            }
                        }
                        None => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(FileProfile(values))
            }
        }
        deserializer.deserialize_map(Keys)
    }
}

#[derive(Debug, Default, Deserialize)]
struct RawFile {
    #[serde(flatten)]
    top: FileProfile,
    active_profile: Option<String>,
    #[serde(default)]
    profiles: BTreeMap<String, FileProfile>,
}

impl FileProfile {
    /// `self` with every key `over` sets replaced.
    fn merged_with(mut self, over: FileProfile) -> FileProfile {
        self.0.extend(over.0);
        self
    }
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
                _ => (FileProfile::default(), String::new()),
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

        let mut config = Config::default();
        for &key in ConfigKey::ALL {
            let from_env = env(key.env_var()).map(|value| (value, key.env_var()));
            // An empty value in the file counts as unset (it still hides a top-level value).
            let from_file = || {
                (from_file.0.get(&key))
                    .filter(|value| !value.is_empty())
                    .map(|value| (value.clone(), file_origin.as_str()))
            };
            if let Some((value, origin)) = from_env.or_else(from_file) {
                key.apply(&mut config, Sourced::new(key, &value, origin))?;
            }
        }
        Ok(config)
    }
}

fn invalid(value: &Sourced, reason: impl fmt::Display) -> ConfigError {
    ConfigError::Invalid {
        field: value.key.name(),
        shown: format!("{:?}", value.value),
        origin: value.origin.clone(),
        reason: reason.to_string(),
    }
}

fn access_key(v: Sourced) -> Result<String, ConfigError> {
    let ok = v.value.len() == 20
        && v.value.starts_with("SCW")
        && v.value[3..]
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if ok {
        Ok(v.value)
    } else {
        Err(invalid(
            &v,
            "expected SCW followed by 17 upper-case letters or digits",
        ))
    }
}

/// The secret key; its error shows only a prefix of the value.
fn secret_key(v: Sourced) -> Result<SecretKey, ConfigError> {
    SecretKey::new(v.value.as_str()).map_err(|_| ConfigError::Invalid {
        field: v.key.name(),
        shown: redacted_prefix(&v.value),
        origin: v.origin.clone(),
        reason: "expected a UUID".into(),
    })
}

fn uuid(v: Sourced) -> Result<String, ConfigError> {
    if is_uuid(&v.value) {
        Ok(v.value)
    } else {
        Err(invalid(&v, "expected a UUID"))
    }
}

fn parsed<T, E: fmt::Display>(
    v: Sourced,
    parse: fn(&str) -> Result<T, E>,
) -> Result<T, ConfigError> {
    parse(&v.value).map_err(|e| invalid(&v, e))
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

fn api_url(v: Sourced) -> Result<String, ConfigError> {
    match check_api_url(&v.value) {
        Ok(()) => Ok(v.value),
        Err(reason) => Err(invalid(&v, reason)),
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

    /// A valid value of every key; the match stops compiling when a key is added without one.
    fn valid_value(key: ConfigKey) -> &'static str {
        match key {
            ConfigKey::AccessKey => "SCWAAAAAAAAAAAAAAAAA",
            ConfigKey::SecretKey => SECRET,
            ConfigKey::DefaultOrganizationId => PROJECT,
            ConfigKey::DefaultProjectId => PROJECT,
            ConfigKey::DefaultRegion => "nl-ams",
            ConfigKey::DefaultZone => "pl-waw-2",
            ConfigKey::ApiUrl => "http://127.0.0.1:8080",
        }
    }

    #[test]
    fn every_key_loads_from_its_env_var_the_file_and_a_profile() {
        let dir = tempfile::tempdir().unwrap();
        for &key in ConfigKey::ALL {
            let value = valid_value(key);
            let mut expected = Config::default();
            key.apply(&mut expected, Sourced::new(key, value, "test"))
                .unwrap();
            assert_ne!(expected, Config::default(), "{} sets nothing", key.name());

            let from_env = load(&[(key.env_var(), value), ("HOME", "/nonexistent")], None);
            assert_eq!(from_env.unwrap(), expected, "from {}", key.env_var());

            // Keys the `scw` CLI writes and this SDK does not use must not get in the way.
            let path = write(
                &dir,
                &format!("send_telemetry: true\n{}: {value}\n", key.name()),
            );
            let from_file = load(&[("SCW_CONFIG_PATH", &path)], None);
            assert_eq!(
                from_file.unwrap(),
                expected,
                "from the file's {}",
                key.name()
            );

            let path = write(
                &dir,
                &format!(
                    "active_profile: p\nprofiles:\n  p:\n    {}: {value}\n",
                    key.name()
                ),
            );
            let from_profile = load(&[("SCW_CONFIG_PATH", &path)], None);
            assert_eq!(
                from_profile.unwrap(),
                expected,
                "from profile p's {}",
                key.name()
            );
        }
    }

    #[test]
    fn every_key_names_itself_its_value_and_its_origin_when_invalid() {
        let dir = tempfile::tempdir().unwrap();
        for &key in ConfigKey::ALL {
            // The secret key shows only its first 8 characters: `"not vali…"`.
            let shown = format!("invalid {} \"not vali", key.name());
            let err = load(&[(key.env_var(), "not valid")], None).unwrap_err();
            let text = err.to_string();
            assert!(text.starts_with(&shown), "{text}");
            assert!(
                text.contains(&format!("(from {})", key.env_var())),
                "{text}"
            );

            let path = write(&dir, &format!("{}: not valid\n", key.name()));
            let err = load(&[("SCW_CONFIG_PATH", &path)], None).unwrap_err();
            let text = err.to_string();
            assert!(text.starts_with(&shown), "{text}");
            assert!(text.contains(&format!("(from {path})")), "{text}");
        }
    }

    #[test]
    fn keys_have_distinct_names_and_scw_env_vars() {
        let mut names: Vec<&str> = ConfigKey::ALL.iter().map(|k| k.name()).collect();
        let mut vars: Vec<&str> = ConfigKey::ALL.iter().map(|k| k.env_var()).collect();
        names.sort();
        names.dedup();
        vars.sort();
        vars.dedup();
        assert_eq!(names.len(), ConfigKey::ALL.len(), "{names:?}");
        assert_eq!(vars.len(), ConfigKey::ALL.len(), "{vars:?}");
        for key in ConfigKey::ALL {
            assert_eq!(
                key.env_var(),
                format!("SCW_{}", key.name().to_uppercase()),
                "the scw CLI derives each variable from its key"
            );
        }
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
