//! `cargo xtask generate` on a scratch copy of the workspace's specs and generated crates.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// specs/, crates/ and the root manifest: all that generation reads and writes.
fn scratch_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = workspace_root();
    copy_dir(&root.join("specs"), &dir.path().join("specs"));
    copy_dir(&root.join("crates"), &dir.path().join("crates"));
    std::fs::copy(root.join("Cargo.toml"), dir.path().join("Cargo.toml")).unwrap();
    dir
}

fn xtask(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

/// Runs xtask from `current_dir` without `--root`, as `cargo xtask` does inside a checkout.
fn xtask_from(current_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(current_dir)
        .output()
        .unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Every file under `dir`, with its bytes, to compare before and after a run.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(snapshot(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn check_passes_on_the_committed_crates_and_catches_a_hand_edit() {
    let dir = scratch_workspace();
    let ok = xtask(dir.path(), &["generate", "--check"]);
    assert!(ok.status.success(), "{}", text(&ok));

    let lib = dir.path().join("crates/scaleway-marketplace-v2/src/api.rs");
    let edited =
        std::fs::read_to_string(&lib)
            .unwrap()
            .replacen("pub struct", "pub(crate) struct", 1);
    std::fs::write(&lib, edited).unwrap();
    let drift = xtask(dir.path(), &["generate", "--check"]);
    assert_eq!(drift.status.code(), Some(1), "{}", text(&drift));
    assert!(
        text(&drift).contains("changed:  crates/scaleway-marketplace-v2/src/api.rs"),
        "{}",
        text(&drift)
    );

    // Regenerating repairs the edit, and a second run writes nothing.
    let fixed = xtask(dir.path(), &["generate"]);
    assert!(fixed.status.success(), "{}", text(&fixed));
    assert!(xtask(dir.path(), &["generate", "--check"]).status.success());
    let again = xtask(dir.path(), &["generate"]);
    assert!(text(&again).contains("0 rewritten"), "{}", text(&again));
}

#[test]
fn generation_is_deterministic() {
    let dir = scratch_workspace();
    std::fs::remove_dir_all(dir.path().join("crates/scaleway-marketplace-v2")).unwrap();
    let first = xtask(dir.path(), &["generate", "marketplace"]);
    assert!(first.status.success(), "{}", text(&first));
    let once = snapshot(&dir.path().join("crates/scaleway-marketplace-v2"));
    std::fs::remove_dir_all(dir.path().join("crates/scaleway-marketplace-v2")).unwrap();
    assert!(
        xtask(dir.path(), &["generate", "marketplace"])
            .status
            .success()
    );
    assert_eq!(
        once,
        snapshot(&dir.path().join("crates/scaleway-marketplace-v2"))
    );
}

#[test]
fn a_broken_spec_names_file_and_place_and_leaves_crates_untouched() {
    let cases: [(&str, &str, &str); 3] = [
        (
            "paths: [\n  - : :\n",
            "marketplace.v2.yml:",
            "malformed YAML",
        ),
        (
            "operationId: GetImage\n",
            "at /paths/~1marketplace~1v2~1versions~1{version_id}/get/operationId",
            "duplicate operationId \"GetImage\"",
        ),
        (
            "$ref: '#/components/schemas/scaleway.marketplace.v2.Nowhere'\n",
            "at /paths/~1marketplace~1v2~1categories/get/responses/200/content/application~1json/schema/$ref",
            "undefined schema",
        ),
    ];
    for (breakage, place, message) in cases {
        let dir = scratch_workspace();
        let spec = dir.path().join("specs/marketplace.v2.yml");
        let good = std::fs::read_to_string(&spec).unwrap();
        let broken = match breakage {
            b if b.starts_with("paths") => format!("{good}\n{b}"),
            b if b.starts_with("operationId") => good.replace("operationId: GetVersion\n", b),
            b => good.replacen(
                "$ref: '#/components/schemas/scaleway.marketplace.v2.ListCategoriesResponse'\n",
                b,
                1,
            ),
        };
        assert_ne!(broken, good);
        std::fs::write(&spec, broken).unwrap();
        let before = snapshot(&dir.path().join("crates"));
        let run = xtask(dir.path(), &["generate"]);
        assert_eq!(run.status.code(), Some(1), "{}", text(&run));
        let output = text(&run);
        assert!(
            output.contains(place) && output.contains(message),
            "{output}"
        );
        assert!(output.contains("nothing was written"), "{output}");
        assert_eq!(
            before,
            snapshot(&dir.path().join("crates")),
            "crates/ changed"
        );
    }
}

#[test]
fn unknown_api_and_bad_arguments_are_refused() {
    let dir = scratch_workspace();
    let run = xtask(dir.path(), &["generate", "nope"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        text(&run).contains(
            "no spec for API \"nope\" (known: block_v1alpha1, instance_v1, marketplace_v2, vpc_v2)"
        ),
        "{}",
        text(&run)
    );
    let run = xtask(dir.path(), &["generate", "--frobnicate"]);
    assert_eq!(run.status.code(), Some(2));
}

#[test]
fn without_root_it_works_on_the_checkout_around_the_current_directory() {
    // The binary was built in this checkout; run from a scratch copy it must leave this one
    // alone and check and repair the copy.
    let dir = scratch_workspace();
    let relative = "crates/scaleway-marketplace-v2/src/api.rs";
    let source_before = std::fs::read(workspace_root().join(relative)).unwrap();
    let scratch_file = dir.path().join(relative);
    let mut edited = std::fs::read_to_string(&scratch_file).unwrap();
    edited.push_str("// edited in the scratch copy only\n");
    std::fs::write(&scratch_file, edited).unwrap();
    // Deeper than the package's own manifest, which must not be taken for the workspace.
    let inside = dir.path().join("crates/scaleway-marketplace-v2/src");
    let shown_root = dir.path().canonicalize().unwrap().display().to_string();

    let drift = xtask_from(&inside, &["generate", "--check"]);
    assert_eq!(drift.status.code(), Some(1), "{}", text(&drift));
    assert!(
        text(&drift).contains(&format!("changed:  {relative}")),
        "{}",
        text(&drift)
    );
    assert!(text(&drift).contains(&shown_root), "{}", text(&drift));

    let fixed = xtask_from(&inside, &["generate"]);
    assert!(fixed.status.success(), "{}", text(&fixed));
    assert!(
        text(&fixed).contains(&format!("wrote {relative}")),
        "{}",
        text(&fixed)
    );
    assert!(
        !std::fs::read_to_string(&scratch_file)
            .unwrap()
            .contains("edited in the scratch copy only"),
        "the scratch copy was not repaired"
    );
    assert!(
        xtask_from(&inside, &["generate", "--check"])
            .status
            .success()
    );
    assert_eq!(
        std::fs::read(workspace_root().join(relative)).unwrap(),
        source_before,
        "the checkout xtask was built in changed"
    );
}

#[test]
fn outside_any_workspace_it_names_the_directory_and_writes_nothing() {
    // A workspace manifest without specs/ is not a workspace xtask can work on.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
    let start = dir.path().join("somewhere");
    std::fs::create_dir(&start).unwrap();
    let before = snapshot(dir.path());
    let shown_start = start.canonicalize().unwrap().display().to_string();

    for args in [
        &["generate"][..],
        &["generate", "--check"],
        &["replay", "x.jsonl"],
    ] {
        let run = xtask_from(&start, args);
        assert_eq!(run.status.code(), Some(1), "{args:?}: {}", text(&run));
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!("no workspace found from {shown_start}"))
                && stderr.contains("[workspace]")
                && stderr.contains("specs/"),
            "{args:?}: {stderr}"
        );
        assert!(run.stdout.is_empty(), "{args:?}: {}", text(&run));
    }
    assert_eq!(before, snapshot(dir.path()), "something was written");
}

#[test]
fn root_overrides_the_checkout_around_the_current_directory() {
    let (target, around) = (scratch_workspace(), scratch_workspace());
    let relative = "crates/scaleway-marketplace-v2/src/api.rs";
    for dir in [&target, &around] {
        let file = dir.path().join(relative);
        let mut edited = std::fs::read_to_string(&file).unwrap();
        edited.push_str("// hand edit\n");
        std::fs::write(&file, edited).unwrap();
    }
    let run = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["generate", "--root"])
        .arg(target.path())
        .current_dir(around.path().join("crates"))
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text(&run));
    let edited = |dir: &tempfile::TempDir| {
        std::fs::read_to_string(dir.path().join(relative))
            .unwrap()
            .contains("// hand edit")
    };
    assert!(!edited(&target), "--root's checkout was not regenerated");
    assert!(
        edited(&around),
        "the checkout around the current directory was written"
    );
}
