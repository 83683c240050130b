//! Configuration precedence with a real config file: environment over file over defaults.

use std::collections::HashMap;

use scaleway_client::{Client, Config, ConfigError, Region, SecretKey, Zone};

const FILE_SECRET: &str = "11111111-1111-4111-8111-111111111111";
const ENV_SECRET: &str = "22222222-2222-4222-8222-222222222222";

fn load(file: &str, env: &[(&str, &str)], profile: Option<&str>) -> Result<Config, ConfigError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.yaml");
    std::fs::write(&path, file).unwrap();
    let mut vars: HashMap<String, String> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    vars.insert("SCW_CONFIG_PATH".into(), path.display().to_string());
    Config::load_with(&|name| vars.get(name).cloned(), profile)
}

const FILE: &str = "
access_key: SCWAAAAAAAAAAAAAAAAA
secret_key: 11111111-1111-4111-8111-111111111111
default_zone: fr-par-1
active_profile: staging
profiles:
  staging:
    default_region: nl-ams
    default_zone: nl-ams-1
  milan:
    default_zone: it-mil-1
    api_url: http://127.0.0.1:8080
";

#[test]
fn environment_beats_file_beats_defaults() {
    let config = load(FILE, &[], None).unwrap();
    // Active profile over the file's top level; top-level keys the profile lacks still apply.
    assert_eq!(config.default_zone, Some(Zone::NL_AMS_1));
    assert_eq!(config.default_region, Some(Region::NL_AMS));
    assert_eq!(config.secret_key.as_ref().unwrap().expose(), FILE_SECRET);
    // Nothing sets these: defaults.
    assert_eq!(config.api_url, "https://api.scaleway.com");
    assert_eq!(config.default_project_id, None);

    let config = load(
        FILE,
        &[
            ("SCW_SECRET_KEY", ENV_SECRET),
            ("SCW_DEFAULT_ZONE", "pl-waw-2"),
            ("SCW_PROFILE", "milan"),
        ],
        None,
    )
    .unwrap();
    assert_eq!(config.secret_key.unwrap().expose(), ENV_SECRET);
    assert_eq!(config.default_zone, Some(Zone::PL_WAW_2));
    assert_eq!(
        config.api_url, "http://127.0.0.1:8080",
        "from profile milan, chosen by SCW_PROFILE"
    );
    assert_eq!(
        config.default_region, None,
        "staging is not active when SCW_PROFILE says milan"
    );
}

#[test]
fn missing_file_is_fine_and_malformed_file_is_not() {
    let vars: HashMap<&str, &str> =
        HashMap::from([("SCW_CONFIG_PATH", "/nonexistent/scw/config.yaml")]);
    let config = Config::load_with(&|name| vars.get(name).map(|v| v.to_string()), None).unwrap();
    assert_eq!(config, Config::default());

    let err = load("default_zone: [fr-par-1\n", &[], None).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("config.yaml") && text.contains("line"),
        "{text}"
    );

    let err = load("default_zone: fr-par-1x\n", &[], None).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("invalid default_zone \"fr-par-1x\""),
        "{err}"
    );
}

#[test]
fn a_named_profile_that_does_not_exist_is_reported() {
    let err = load(FILE, &[], Some("prod")).unwrap_err();
    assert!(err.to_string().contains("profile \"prod\""), "{err}");
}

#[test]
fn each_builder_method_sets_its_own_key() {
    const ORGANIZATION: &str = "33333333-3333-4333-8333-333333333333";
    const PROJECT: &str = "44444444-4444-4444-8444-444444444444";
    let client = Client::builder()
        .ignore_environment()
        .access_key("SCWBBBBBBBBBBBBBBBBB")
        .secret_key(ENV_SECRET)
        .default_organization_id(ORGANIZATION)
        .default_project_id(PROJECT)
        .default_region("pl-waw")
        .default_zone("it-mil-1")
        .api_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    // A struct literal: a key added to Config without a builder method fails to compile here.
    let expected = Config {
        access_key: Some("SCWBBBBBBBBBBBBBBBBB".into()),
        secret_key: Some(SecretKey::new(ENV_SECRET).unwrap()),
        default_organization_id: Some(ORGANIZATION.into()),
        default_project_id: Some(PROJECT.into()),
        default_region: Some(Region::PL_WAW),
        default_zone: Some(Zone::IT_MIL_1),
        api_url: "http://127.0.0.1:9".into(),
    };
    assert_eq!(client.config(), &expected);
}

#[test]
fn an_invalid_builder_value_names_key_value_and_builder_but_not_the_secret() {
    let secret = "deadbeef-but-not-a-uuid";
    let builder = Client::builder().ignore_environment().secret_key(secret);
    assert!(!format!("{builder:?}").contains("deadbeef"), "{builder:?}");
    let err = builder.build().unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(
        err.to_string()
            .starts_with("invalid secret_key \"deadbeef…\" (from ClientBuilder)"),
        "{err}"
    );
    assert!(!text.contains("but-not"), "{text}");

    // The last value set for a key wins, as with repeated calls on any builder.
    let client = Client::builder()
        .ignore_environment()
        .default_zone("fr-par-1")
        .default_zone("nl-ams-2")
        .build()
        .unwrap();
    assert_eq!(client.config().default_zone, Some(Zone::NL_AMS_2));
}
