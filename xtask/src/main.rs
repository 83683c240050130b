//! `cargo xtask`: the workspace's command line. Thin on purpose; the work is in `codegen/`.

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
  --root DIR        work on another checkout (a scratch copy) instead of this workspace
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

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_owned()
}

fn generate(args: &[String]) -> ExitCode {
    let mut check = false;
    let mut only = None;
    let mut root = workspace_root();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--root" => match args.next() {
                Some(dir) => root = PathBuf::from(dir),
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
                "generated crates match specs/ ({} files checked)",
                expected.len()
            );
            return ExitCode::SUCCESS;
        }
        eprintln!("generated files differ from what specs/ produce; run `cargo xtask generate`:");
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
                "{} files up to date, {} rewritten, in {:.2}s",
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
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = std::process::Command::new(cargo)
        .current_dir(workspace_root())
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
