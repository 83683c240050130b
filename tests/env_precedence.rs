//! Explicit builder values over `SCW_*` variables over the config file, with the real process
//! environment. Alone in its own test binary: it sets environment variables.

use scaleway_client::{Client, Zone};

#[test]
fn explicit_values_beat_environment_which_beats_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.yaml");
    std::fs::write(&path, "default_zone: fr-par-1\ndefault_region: fr-par\nprofiles:\n  other:\n    default_region: pl-waw\n").unwrap();
    // SAFETY: this binary runs this single test, so no other thread reads the environment.
    unsafe {
        for var in [
            "SCW_ACCESS_KEY",
            "SCW_SECRET_KEY",
            "SCW_DEFAULT_ORGANIZATION_ID",
            "SCW_DEFAULT_PROJECT_ID",
            "SCW_DEFAULT_REGION",
            "SCW_API_URL",
            "SCW_PROFILE",
        ] {
            std::env::remove_var(var);
        }
        std::env::set_var("SCW_CONFIG_PATH", &path);
        std::env::set_var("SCW_DEFAULT_ZONE", "nl-ams-3");
    }

    let from_env = Client::from_env().unwrap();
    assert_eq!(
        from_env.config().default_zone,
        Some(Zone::NL_AMS_3),
        "env over file"
    );
    assert_eq!(
        from_env
            .config()
            .default_region
            .as_ref()
            .map(|r| r.as_str()),
        Some("fr-par"),
        "file over default"
    );

    let explicit = Client::builder().default_zone("it-mil-1").build().unwrap();
    assert_eq!(
        explicit.config().default_zone,
        Some(Zone::IT_MIL_1),
        "explicit over env"
    );

    let profile = Client::from_profile("other").unwrap();
    assert_eq!(
        profile.config().default_region.as_ref().map(|r| r.as_str()),
        Some("pl-waw")
    );

    let err = Client::builder()
        .default_zone("mars-1")
        .build()
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("invalid default_zone \"mars-1\" (from ClientBuilder)"),
        "{err}"
    );
}
