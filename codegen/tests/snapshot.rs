//! The crate generated from `tests/fixtures/widgets.v1.yml`, compared file by file with
//! `tests/snapshots/widgets/`. After an intended change, refresh with
//! `UPDATE_SNAPSHOTS=1 cargo test -p scaleway-codegen --test snapshot` and review the diff.

use std::path::Path;

#[test]
fn generated_crate_matches_snapshot() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let generated = scaleway_codegen::generate_crate(
        &root.join("fixtures/widgets.v1.yml"),
        &root.join("fixtures/overlays"),
    )
    .unwrap();
    assert_eq!(generated.name.crate_name, "scaleway-widgets-v1");
    assert_eq!(generated.operations(), ["list_widgets"]);

    let snapshots = root.join("snapshots/widgets");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut mismatched = Vec::new();
    for (path, text) in &generated.files {
        let snapshot = snapshots.join(path);
        if update {
            std::fs::create_dir_all(snapshot.parent().unwrap()).unwrap();
            std::fs::write(&snapshot, text).unwrap();
        } else if std::fs::read_to_string(&snapshot).ok().as_ref() != Some(text) {
            mismatched.push(path.display().to_string());
        }
    }
    assert!(
        mismatched.is_empty(),
        "generated files differ from tests/snapshots/widgets: {mismatched:?}"
    );
}

#[test]
fn snapshot_shows_each_normalization_step() {
    let api = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/widgets/src/api.rs"),
    )
    .unwrap();
    // Zone path parameter uses the runtime type, not a closed per-operation enum.
    assert!(api.contains("zone: Result<::scaleway_core::Zone, String>"));
    // `<widgetKey>` placeholder map became a typed map.
    assert!(
        api.contains("pub widgets: ::std::collections::BTreeMap<::std::string::String, Widget>")
    );
    // Enums are open; the API's own `unknown` value keeps its variant.
    assert!(api.contains("UnknownValue(::std::string::String)"));
    // Int32Value was inlined rather than wrapped in a newtype.
    assert!(api.contains("page: Result<Option<i32>, String>") && !api.contains("GoogleProtobuf"));
    // Calls fail with the runtime's error, whose decoder reads the API's error body.
    assert!(api.contains("use ::scaleway_core::Error;"));
    assert!(api.contains("::scaleway_core::internal::decode_json(response).await"));
}
