//! The feature fixtures: each `fixtures/specs/<feature>.v1.yml` is a small spec exercising one
//! generator feature, generated into `fixtures/crates/`, which the workspace compiles and
//! `fixtures/tests` drives with wiremock. This test fails when the committed crates differ
//! from what the specs generate; after an intended change, refresh with
//! `UPDATE_SNAPSHOTS=1 cargo test -p scaleway-codegen --test fixtures` and review the diff.

use std::path::Path;

use scaleway_codegen::Workspace;

#[test]
fn fixture_crates_match_their_specs() {
    let fixtures = Workspace::fixtures(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"));
    let crates = fixtures.generate(None).unwrap();
    assert!(!crates.is_empty(), "no fixture specs found");
    for krate in &crates {
        let manifest = &krate.files[Path::new("Cargo.toml")];
        assert!(
            manifest.contains("\npublish = false\n"),
            "{} would be published",
            krate.name.crate_name
        );
    }
    let expected = fixtures.expected_files(&crates, false).unwrap();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        fixtures.write(&expected).unwrap();
        return;
    }
    let drift = fixtures.drift(&expected, false);
    assert!(
        drift.is_empty(),
        "fixture crates differ from fixtures/specs (refresh with UPDATE_SNAPSHOTS=1): {drift:?}"
    );
}
