//! Code generator of the Scaleway Rust SDK.
//!
//! Pipeline for each `specs/<api>.<version>.yml`: [`load`] the YAML, [`normalize`] it (with the
//! API's overlay from `specs/overlays/`, if any), run progenitor and post-process its output
//! ([`generate`]), then [`emit`] a crate directory. [`Workspace`] ties it together for xtask:
//! everything is generated in memory first, so a spec that fails leaves `crates/` untouched.

#![warn(missing_docs, unreachable_pub)]

pub mod emit;
pub mod error;
pub mod generate;
pub mod load;
pub mod model;
pub mod normalize;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use error::{CodegenError, Location};

/// How a spec file maps to a crate: `marketplace.v2.yml` → `scaleway-marketplace`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiName {
    /// Short API name, e.g. `marketplace`; also the facade's feature and module name.
    pub name: String,
    /// API version from the file name (`v2`), else from `info.version`.
    pub version: String,
    /// Crate name, e.g. `scaleway-marketplace`.
    pub crate_name: String,
    /// The spec's file name inside `specs/`.
    pub file_name: String,
}

impl ApiName {
    /// Derives names from a spec file name: `<api>.<version>.yml`, also accepting the
    /// publisher's `scaleway.<api>.<version>.Api.yml`.
    pub fn from_file_name(file_name: &str) -> Option<ApiName> {
        let stem = file_name
            .strip_suffix(".yml")
            .or_else(|| file_name.strip_suffix(".yaml"))?;
        let stem = stem.strip_prefix("scaleway.").unwrap_or(stem);
        let stem = stem.strip_suffix(".Api").unwrap_or(stem);
        let mut parts = stem.split('.');
        let raw_name = parts.next()?;
        let version = parts.next().unwrap_or("").to_owned();
        let name: String = raw_name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        let name = name.trim_matches('_').to_owned();
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        Some(ApiName {
            crate_name: format!("scaleway-{}", name.replace('_', "-")),
            name,
            version,
            file_name: file_name.to_owned(),
        })
    }
}

/// The files of one generated crate, relative to its directory.
#[derive(Clone, Debug)]
pub struct GeneratedCrate {
    /// Names derived from the spec file.
    pub api: ApiName,
    /// Contents by path relative to the crate directory.
    pub files: BTreeMap<PathBuf, String>,
    /// Client method names, in spec order.
    pub operations: Vec<String>,
}

/// Generates one crate from a spec file (and its overlay, when `overlays_dir` has one).
pub fn generate_crate(
    spec_path: &Path,
    overlays_dir: &Path,
) -> Result<GeneratedCrate, CodegenError> {
    generate_crate_with(spec_path, overlays_dir, true)
}

/// Like [`generate_crate`]; `publishable: false` marks the manifest `publish = false` (the
/// generator's own test fixtures).
pub fn generate_crate_with(
    spec_path: &Path,
    overlays_dir: &Path,
    publishable: bool,
) -> Result<GeneratedCrate, CodegenError> {
    let file_name = spec_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut api = ApiName::from_file_name(&file_name).ok_or_else(|| CodegenError::Spec {
        file: spec_path.to_owned(),
        location: Location::File,
        message: "cannot derive an API name: name specs `<api>.<version>.yml`".into(),
    })?;
    let mut doc = load::read_yaml(spec_path)?;
    let overlay_path = overlays_dir.join(&file_name);
    let overlay = match overlay_path.exists() {
        true => Some(load::read_yaml(&overlay_path)?),
        false => None,
    };
    normalize::normalize(&mut doc, overlay.as_ref()).map_err(|problem| {
        // Problems found in the overlay point into the overlay file.
        match problem.pointer.strip_prefix("(overlay)") {
            Some(rest) => error::SpecProblem::new(rest, problem.message).in_file(&overlay_path),
            None => problem.in_file(spec_path),
        }
    })?;
    let spec = load::to_openapi(spec_path, doc)?;
    if api.version.is_empty() {
        api.version = spec.info.version.clone();
    }

    let title = spec.info.title.trim().to_owned();
    let description = spec.info.description.clone().unwrap_or_default();
    let crate_ident = api.crate_name.replace('-', "_");
    let spec_file = format!("specs/{file_name}");
    let sources = generate::generate(
        &spec,
        &generate::CrateDocs {
            title: &title,
            description: &description,
            spec_file: &spec_file,
            crate_ident: &crate_ident,
            api_name: &api.name,
        },
    )
    .map_err(|problem| problem.in_file(spec_path))?;

    let summary = description
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    let example = sources
        .operations
        .iter()
        .find(|op| op.starts_with("list_"))
        .map(String::as_str);
    let meta = emit::CrateMeta {
        api: &api,
        title: &title,
        summary: &summary,
        uses_chrono: sources.uses_chrono,
        uses_uuid: sources.uses_uuid,
        uses_regress: sources.uses_regress,
        example_operation: example,
        publishable,
    };
    let mut files = BTreeMap::new();
    files.insert(PathBuf::from("Cargo.toml"), emit::cargo_toml(&meta));
    files.insert(PathBuf::from("README.md"), emit::readme(&meta));
    files.insert(
        PathBuf::from("src/lib.rs"),
        format!("{}{}", emit::GENERATED_HEADER, sources.lib),
    );
    files.insert(
        PathBuf::from("src/api.rs"),
        format!("{}{}", emit::GENERATED_HEADER, sources.api),
    );
    files.insert(
        PathBuf::from("src/client.rs"),
        format!("{}{}", emit::GENERATED_HEADER, sources.client),
    );
    Ok(GeneratedCrate {
        operations: sources.operations,
        api,
        files,
    })
}

/// Specs of a workspace: `specs/*.yml` (overlays in `specs/overlays/` are not specs).
pub fn spec_files(specs_dir: &Path) -> Result<Vec<PathBuf>, CodegenError> {
    let entries = std::fs::read_dir(specs_dir).map_err(|source| CodegenError::Io {
        path: specs_dir.to_owned(),
        source,
    })?;
    let mut specs: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.is_file()
                && matches!(
                    path.extension().and_then(|e| e.to_str()),
                    Some("yml" | "yaml")
                )
        })
        .collect();
    specs.sort();
    Ok(specs)
}

/// The layout generation reads and writes.
#[derive(Clone, Debug)]
pub struct Workspace {
    /// Where the specs are (`specs/`), with their overlays in `overlays/` inside it.
    pub specs_dir: PathBuf,
    /// Where the crates go (`crates/`).
    pub crates_dir: PathBuf,
    /// Whether the crates are for crates.io; the generator's fixtures are not.
    pub publishable: bool,
}

/// A generated file that differs from what is on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Drift {
    /// A file generation produces is not on disk.
    Missing(PathBuf),
    /// A file on disk differs from what generation produces.
    Changed(PathBuf),
    /// A generated crate whose spec is gone.
    Orphaned(PathBuf),
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Missing(p) => write!(f, "missing:  {}", p.display()),
            Drift::Changed(p) => write!(f, "changed:  {}", p.display()),
            Drift::Orphaned(p) => write!(f, "orphaned: {} (its spec is gone)", p.display()),
        }
    }
}

/// Name of the facade crate, whose manifest and API list are generated too.
pub const FACADE_CRATE: &str = "scaleway-client";

impl Workspace {
    /// `specs/` and `crates/` under `root`.
    pub fn at(root: &Path) -> Workspace {
        Workspace {
            specs_dir: root.join("specs"),
            crates_dir: root.join("crates"),
            publishable: true,
        }
    }

    /// The generator's feature fixtures: `specs/` and `crates/` under `dir`, not publishable.
    pub fn fixtures(dir: &Path) -> Workspace {
        Workspace {
            publishable: false,
            ..Workspace::at(dir)
        }
    }

    /// Generates every spec, or only the one whose API name is `only`. Nothing is written.
    pub fn generate(&self, only: Option<&str>) -> Result<Vec<GeneratedCrate>, CodegenError> {
        let overlays = self.specs_dir.join("overlays");
        let mut crates: Vec<GeneratedCrate> = Vec::new();
        let specs = spec_files(&self.specs_dir)?;
        let mut all_names = Vec::new();
        for spec in &specs {
            let file_name = spec
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let Some(api) = ApiName::from_file_name(&file_name) else {
                return Err(CodegenError::Spec {
                    file: spec.clone(),
                    location: Location::File,
                    message: "cannot derive an API name: name specs `<api>.<version>.yml`".into(),
                });
            };
            if let Some((_, other)) = all_names
                .iter()
                .find(|(name, _): &&(String, PathBuf)| *name == api.crate_name)
            {
                return Err(CodegenError::Spec {
                    file: spec.clone(),
                    location: Location::File,
                    message: format!(
                        "{} would generate {} too; keep one of the two",
                        Path::new(other).display(),
                        api.crate_name
                    ),
                });
            }
            all_names.push((api.crate_name.clone(), spec.clone()));
            if only.is_some_and(|only| only != api.name) {
                continue;
            }
            crates.push(generate_crate_with(spec, &overlays, self.publishable)?);
        }
        if let Some(only) = only
            && crates.is_empty()
        {
            let known: Vec<String> = specs
                .iter()
                .filter_map(|s| {
                    ApiName::from_file_name(&s.file_name()?.to_string_lossy()).map(|a| a.name)
                })
                .collect();
            return Err(CodegenError::Spec {
                file: self.specs_dir.clone(),
                location: Location::File,
                message: format!("no spec for API {only:?} (known: {})", known.join(", ")),
            });
        }
        Ok(crates)
    }

    /// All files generation owns, relative to `crates/`: each API crate, plus the facade's
    /// manifest and API list (which needs every API, so it is only produced from all specs).
    pub fn expected_files(
        &self,
        crates: &[GeneratedCrate],
        all: bool,
    ) -> Result<BTreeMap<PathBuf, String>, CodegenError> {
        let mut files = BTreeMap::new();
        for krate in crates {
            for (path, text) in &krate.files {
                files.insert(Path::new(&krate.api.crate_name).join(path), text.clone());
            }
        }
        if all {
            let apis: Vec<&ApiName> = crates.iter().map(|c| &c.api).collect();
            files.insert(
                Path::new(FACADE_CRATE).join("Cargo.toml"),
                emit::facade_cargo_toml(&apis, &self.version()?),
            );
            files.insert(
                Path::new(FACADE_CRATE).join("src/apis.rs"),
                emit::facade_apis(&apis),
            );
        }
        Ok(files)
    }

    /// `version` of `[workspace.package]` in the root manifest, for the facade's path
    /// dependencies (crates.io needs a version beside each path).
    fn version(&self) -> Result<String, CodegenError> {
        let manifest = self
            .crates_dir
            .parent()
            .unwrap_or(Path::new("."))
            .join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).map_err(|source| CodegenError::Io {
            path: manifest.clone(),
            source,
        })?;
        let section = text.split("[workspace.package]").nth(1).unwrap_or_default();
        section
            .lines()
            .take_while(|line| !line.trim_start().starts_with('['))
            .find_map(|line| {
                let (key, value) = line.split_once('=')?;
                (key.trim() == "version").then(|| value.trim().trim_matches('"').to_owned())
            })
            .ok_or_else(|| CodegenError::Spec {
                file: manifest,
                location: Location::Pointer("/workspace/package/version".into()),
                message: "the workspace manifest sets no version".into(),
            })
    }

    /// Files on disk that differ from `expected`, plus generated crates without a spec.
    pub fn drift(&self, expected: &BTreeMap<PathBuf, String>, all: bool) -> Vec<Drift> {
        let mut drift = Vec::new();
        for (path, text) in expected {
            match std::fs::read_to_string(self.crates_dir.join(path)) {
                Ok(on_disk) if on_disk == *text => {}
                Ok(_) => drift.push(Drift::Changed(Path::new("crates").join(path))),
                Err(_) => drift.push(Drift::Missing(Path::new("crates").join(path))),
            }
        }
        if all {
            for dir in self.generated_crate_dirs() {
                if !expected.keys().any(|p| p.starts_with(&dir)) {
                    drift.push(Drift::Orphaned(Path::new("crates").join(dir)));
                }
            }
        }
        drift
    }

    /// Crate directories whose manifest carries the generated marker.
    fn generated_crate_dirs(&self) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(&self.crates_dir) else {
            return Vec::new();
        };
        let mut dirs: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .filter(|e| {
                std::fs::read_to_string(e.path().join("Cargo.toml")).is_ok_and(|t| {
                    t.starts_with("# @generated")
                        && !e.file_name().to_string_lossy().eq(FACADE_CRATE)
                })
            })
            .map(|e| PathBuf::from(e.file_name()))
            .collect();
        dirs.sort();
        dirs
    }

    /// Writes the files that changed, each through a temporary file and a rename, so that an
    /// interrupted run never leaves a half-written file. Returns the paths written.
    pub fn write(
        &self,
        expected: &BTreeMap<PathBuf, String>,
    ) -> Result<Vec<PathBuf>, CodegenError> {
        let mut written = Vec::new();
        for (path, text) in expected {
            let target = self.crates_dir.join(path);
            if std::fs::read_to_string(&target).is_ok_and(|on_disk| on_disk == *text) {
                continue;
            }
            let io = |source| CodegenError::Io {
                path: target.clone(),
                source,
            };
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(io)?;
            }
            let temp = target.with_extension(format!("tmp{}", std::process::id()));
            std::fs::write(&temp, text).map_err(io)?;
            std::fs::rename(&temp, &target).map_err(io)?;
            written.push(Path::new("crates").join(path));
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_names_from_file_names() {
        let api = ApiName::from_file_name("marketplace.v2.yml").unwrap();
        assert_eq!(
            (
                api.name.as_str(),
                api.version.as_str(),
                api.crate_name.as_str()
            ),
            ("marketplace", "v2", "scaleway-marketplace")
        );
        let api = ApiName::from_file_name("scaleway.k8s.v1.Api.yml").unwrap();
        assert_eq!((api.name.as_str(), api.version.as_str()), ("k8s", "v1"));
        let api = ApiName::from_file_name("block.v1alpha1.yaml").unwrap();
        assert_eq!(api.version, "v1alpha1");
        assert!(ApiName::from_file_name("notes.txt").is_none());
        assert!(ApiName::from_file_name("1password.v1.yml").is_none());
    }
}
