//! `cargo xtask`: the workspace's command line. Thin on purpose; the work is in `codegen/`.
//!
//! It works on the workspace it is run from (the nearest directory up from the current one
//! with a `[workspace]` manifest and a `specs/` directory), not on the checkout it was built
//! in: one binary, e.g. from a shared `CARGO_TARGET_DIR`, serves every checkout.

#![warn(missing_docs, unreachable_pub)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use scaleway_codegen::Workspace;

const USAGE: &str = "\
usage: cargo xtask generate [API] [--check] [--root DIR]
       cargo xtask replay FILE.jsonl...

  generate          regenerate every crate in crates/ from specs/*.yml
  generate API      regenerate only that API's crate (e.g. `marketplace`)
  --check           write nothing; exit 1 and list the files that differ from the specs
  --root DIR        work on that checkout instead of the workspace around the current
                    directory
  replay FILES      decode recorded HTTP interactions with the generated types; prints one
                    line per failure and `N passed, N failed`";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("generate") => generate(&args[1..]),
        Some("replay") => replay(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// The workspace around `start`: the nearest directory, `start` included, whose `Cargo.toml`
/// has a `[workspace]` table and which has a `specs/` directory. The `specs/` condition skips
/// unrelated workspaces this one might be nested in, and package manifests are skipped
/// because they have no `[workspace]` table.
fn find_workspace(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join("specs").is_dir() && declares_workspace(&dir.join("Cargo.toml")))
        .map(Path::to_owned)
}

/// Whether the manifest at `path` has a `[workspace]` table (or a `[workspace.*]` one, which
/// implies it). A line check is enough: cargo itself requires table headers on their own line.
fn declares_workspace(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    text.lines().any(|line| {
        let header = line.split('#').next().unwrap_or_default().trim();
        header == "[workspace]" || header.starts_with("[workspace.")
    })
}

/// The workspace around the current directory, or the one-line reason there is none.
fn current_workspace() -> Result<PathBuf, String> {
    let here = std::env::current_dir()
        .map_err(|e| format!("error: cannot read the current directory: {e}"))?;
    find_workspace(&here).ok_or_else(|| {
        format!(
            "error: no workspace found from {}: looked in it and its parents for a Cargo.toml \
             with a [workspace] table next to a specs/ directory; run inside a checkout or pass \
             --root DIR",
            here.display()
        )
    })
}

/// `generate [API] [--check] [--root DIR]`: writes, or with `--check` compares, the files
/// generation owns under the workspace's `crates/`.
fn generate(args: &[String]) -> ExitCode {
    let mut check = false;
    let mut only = None;
    let mut root = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--root" => match args.next() {
                Some(dir) => root = Some(PathBuf::from(dir)),
                None => {
                    eprintln!("--root needs a directory\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            flag if flag.starts_with('-') => {
                eprintln!("unknown option {flag}\n{USAGE}");
                return ExitCode::from(2);
            }
            api if only.is_none() => only = Some(api.to_owned()),
            extra => {
                eprintln!("unexpected argument {extra}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    // Looked up only once the arguments are valid, so a usage error is reported as one.
    let root = match root.map_or_else(current_workspace, Ok) {
        Ok(root) => root,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let started = Instant::now();
    let workspace = Workspace::at(&root);
    let all = only.is_none();
    let expected = match workspace
        .generate(only.as_deref())
        .and_then(|crates| workspace.expected_files(&crates, all))
    {
        Ok(expected) => expected,
        Err(err) => {
            eprintln!("error: {err}\nnothing was written");
            return ExitCode::FAILURE;
        }
    };
    if check {
        let drift = workspace.drift(&expected, all);
        if drift.is_empty() {
            println!(
                "generated crates of {} match specs/ ({} files checked)",
                root.display(),
                expected.len()
            );
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "generated files of {} differ from what specs/ produce; run `cargo xtask generate`:",
            root.display()
        );
        for d in drift {
            eprintln!("  {d}");
        }
        return ExitCode::FAILURE;
    }
    match workspace.write(&expected) {
        Ok(written) => {
            for path in &written {
                println!("wrote {}", path.display());
            }
            println!(
                "{}: {} files up to date, {} rewritten, in {:.2}s",
                root.display(),
                expected.len(),
                written.len(),
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the `replay` tool, which links every generated crate: kept out of xtask itself so that
/// `generate` works even when the generated crates do not build.
fn replay(files: &[String]) -> ExitCode {
    if files.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    // Relative paths are the caller's, not the workspace's.
    let files: Vec<PathBuf> = files
        .iter()
        .map(|f| {
            std::env::current_dir()
                .map(|d| d.join(f))
                .unwrap_or_else(|_| PathBuf::from(f))
        })
        .collect();
    let root = match current_workspace() {
        Ok(root) => root,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = std::process::Command::new(cargo)
        .current_dir(root)
        .args(["run", "--quiet", "--package", "replay", "--"])
        .args(&files)
        .status();
    match status {
        Ok(status) => ExitCode::from(status.code().unwrap_or(1).clamp(0, 255) as u8),
        Err(e) => {
            eprintln!("cannot run cargo: {e}");
            ExitCode::FAILURE
        }
    }
}
