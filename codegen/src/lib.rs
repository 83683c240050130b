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
pub mod naming;
pub mod normalize;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use error::{CodegenError, Location};
pub use naming::{CrateName, SpecName};

/// The files of one generated crate, relative to its directory.
#[derive(Clone, Debug)]
pub struct GeneratedCrate {
    /// The crate's names.
    pub name: CrateName,
    /// The API's title (the first spec's `info.title`).
    pub title: String,
    /// Contents by path relative to the crate directory.
    pub files: BTreeMap<PathBuf, String>,
    /// The generated clients: the crate root, or one module per spec file.
    pub modules: Vec<GeneratedModule>,
}

/// One spec's generated client inside a crate.
#[derive(Clone, Debug)]
pub struct GeneratedModule {
    /// Its module, `None` for the crate root.
    pub module: Option<String>,
    /// The spec it comes from, inside `specs/`.
    pub spec_file: String,
    /// Client method names, in spec order.
    pub operations: Vec<String>,
}

impl GeneratedCrate {
    /// Client method names of every module, in spec order.
    pub fn operations(&self) -> Vec<String> {
        self.modules
            .iter()
            .flat_map(|m| m.operations.clone())
            .collect()
    }
}

/// A spec read, normalized (with its overlay) and parsed.
#[derive(Clone, Debug)]
pub struct LoadedSpec {
    /// Where it was read from.
    pub path: PathBuf,
    /// What its file name says.
    pub name: SpecName,
    /// The normalized document.
    pub spec: openapiv3::OpenAPI,
}

impl LoadedSpec {
    /// Reads `spec_path` and normalizes it with its overlay from `overlays_dir`, if any.
    pub fn load(spec_path: &Path, overlays_dir: &Path) -> Result<LoadedSpec, CodegenError> {
        let file_name = spec_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut name = SpecName::from_file_name(&file_name).ok_or_else(|| CodegenError::Spec {
            file: spec_path.to_owned(),
            location: Location::File,
            message: "cannot derive an API name: name specs `<api>.<version>.yml` (or the publisher's `scaleway.<api>.<version>.<Service>Api.yml`)".into(),
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
        if name.version.is_empty() {
            name.version = spec.info.version.trim().to_owned();
        }
        Ok(LoadedSpec {
            path: spec_path.to_owned(),
            name,
            spec,
        })
    }
}

/// Generates one crate from a single spec file (and its overlay, when `overlays_dir` has one).
pub fn generate_crate(
    spec_path: &Path,
    overlays_dir: &Path,
) -> Result<GeneratedCrate, CodegenError> {
    generate_api_crate(&[LoadedSpec::load(spec_path, overlays_dir)?], true)
}

/// The sources of one spec's client, generated for the module at `module_path`.
fn generate_sources(
    loaded: &LoadedSpec,
    module_path: &str,
) -> Result<generate::GeneratedSources, CodegenError> {
    let spec = &loaded.spec;
    let title = spec.info.title.trim();
    let description = spec.info.description.clone().unwrap_or_default();
    let spec_file = format!("specs/{}", loaded.name.file_name);
    generate::generate(
        spec,
        &generate::CrateDocs {
            title,
            description: &description,
            spec_file: &spec_file,
            module_path,
        },
    )
    .map_err(|problem| problem.in_file(&loaded.path))
}

/// Generates the crate of one API version from its spec files (all of the same API and
/// version): a single file is the crate root, several are a module each. `publishable: false`
/// marks the manifest `publish = false` (the generator's own test fixtures).
pub fn generate_api_crate(
    specs: &[LoadedSpec],
    publishable: bool,
) -> Result<GeneratedCrate, CodegenError> {
    let first = specs.first().expect("a crate has at least one spec");
    let name = CrateName::of(&first.name.api, &first.name.version);
    let mut files = BTreeMap::new();
    let mut modules = Vec::new();
    let (mut chrono, mut uuid, mut regress) = (false, false, false);
    let mut example = None;
    let header = |text: &str| format!("{}{text}", emit::GENERATED_HEADER);
    for loaded in specs {
        let module = (specs.len() > 1).then(|| naming::service_module(&loaded.name));
        let module_path = match &module {
            Some(m) => format!("{}::{m}", name.ident),
            None => name.ident.clone(),
        };
        let sources = generate_sources(loaded, &module_path)?;
        chrono |= sources.uses_chrono;
        uuid |= sources.uses_uuid;
        regress |= sources.uses_regress;
        if example.is_none()
            && let Some(op) = sources.operations.iter().find(|op| op.starts_with("list_"))
        {
            example = Some(match &module {
                Some(m) => format!("{m}().{op}"),
                None => op.clone(),
            });
        }
        let dir = match &module {
            Some(m) => PathBuf::from("src").join(m),
            None => PathBuf::from("src"),
        };
        let root_file = if module.is_some() { "mod.rs" } else { "lib.rs" };
        files.insert(dir.join(root_file), header(&sources.lib));
        files.insert(dir.join("api.rs"), header(&sources.api));
        files.insert(dir.join("client.rs"), header(&sources.client));
        modules.push(GeneratedModule {
            module,
            spec_file: loaded.name.file_name.clone(),
            operations: sources.operations,
        });
    }
    let title = first.spec.info.title.trim().to_owned();
    if specs.len() > 1 {
        let parts: Vec<(String, String)> = specs
            .iter()
            .zip(&modules)
            .map(|(s, m)| {
                (
                    m.module.clone().expect("several modules"),
                    s.spec.info.title.trim().to_owned(),
                )
            })
            .collect();
        let (lib, clients) = generate::render::multi_module_root(&name, &parts);
        files.insert(PathBuf::from("src/lib.rs"), header(&lib));
        files.insert(PathBuf::from("src/clients.rs"), header(&clients));
    }
    let spec_files: Vec<String> = specs.iter().map(|s| s.name.file_name.clone()).collect();
    let description = first.spec.info.description.clone().unwrap_or_default();
    let summary = description
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    let meta = emit::CrateMeta {
        name: &name,
        spec_files: &spec_files,
        title: &title,
        summary: &summary,
        uses_chrono: chrono,
        uses_uuid: uuid,
        uses_regress: regress,
        example_operation: example,
        publishable,
    };
    files.insert(PathBuf::from("Cargo.toml"), emit::cargo_toml(&meta));
    files.insert(PathBuf::from("README.md"), emit::readme(&meta));
    Ok(GeneratedCrate {
        name,
        title,
        files,
        modules,
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
        let paths = spec_files(&self.specs_dir)?;
        // One crate per API version; its files in file-name order.
        let mut groups: BTreeMap<CrateName, Vec<LoadedSpec>> = BTreeMap::new();
        for path in &paths {
            let loaded = LoadedSpec::load(path, &overlays)?;
            let name = CrateName::of(&loaded.name.api, &loaded.name.version);
            let group = groups.entry(name.clone()).or_default();
            if let Some(other) = group
                .iter()
                .find(|o| naming::service_module(&o.name) == naming::service_module(&loaded.name))
            {
                return Err(CodegenError::Spec {
                    file: path.clone(),
                    location: Location::File,
                    message: format!(
                        "{} would generate {} (module {}) too; keep one of the two",
                        other.path.display(),
                        name.crate_name,
                        naming::service_module(&loaded.name)
                    ),
                });
            }
            group.push(loaded);
        }
        let known: Vec<String> = groups.keys().map(|n| n.module.clone()).collect();
        let mut crates = Vec::new();
        for (name, specs) in &groups {
            if only.is_some_and(|only| only != name.api && only != name.module) {
                continue;
            }
            crates.push(generate_api_crate(specs, self.publishable)?);
        }
        if let Some(only) = only
            && crates.is_empty()
        {
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
                files.insert(Path::new(&krate.name.crate_name).join(path), text.clone());
            }
        }
        if all {
            let all: Vec<&GeneratedCrate> = crates.iter().collect();
            files.insert(
                Path::new(FACADE_CRATE).join("Cargo.toml"),
                emit::facade_cargo_toml(&all, &self.version()?),
            );
            files.insert(
                Path::new(FACADE_CRATE).join("src/apis.rs"),
                emit::facade_apis(&all),
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
