//! Runs progenitor on a normalized spec, rewrites its output and renders our extras.
//!
//! 1. [`crate::model::ApiModel`] is built from the spec: every fact generation needs.
//! 2. progenitor generates the client, builders and types; [`index::Progenitor`] indexes them.
//! 3. [`passes`] rewrite progenitor's output, each finding its anchors through the index and
//!    failing with the operation or type named when one is absent.
//! 4. [`render`] produces the wrapper client, pagination, waiters, the operation records and
//!    the replay table from the model, with Rust types resolved through the index.
//!
//! All Rust is printed by prettyplease: the output does not depend on the installed rustfmt.

pub mod index;
pub mod passes;
pub mod render;

use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use quote::quote;

use crate::error::SpecProblem;
use crate::model::ApiModel;
use index::Progenitor;

/// Rust type names typify gives the shared components added by normalization.
const REPLACEMENTS: [(&str, &str); 3] = [
    ("ScalewayStdZone", "::scaleway_core::Zone"),
    ("ScalewayStdRegion", "::scaleway_core::Region"),
    ("ScalewayStdError", "::scaleway_core::ApiError"),
];

/// The Rust sources of one API crate.
#[derive(Debug, Clone)]
pub struct GeneratedSources {
    /// `src/api.rs`: progenitor's client, builders and types, rewritten.
    pub api: String,
    /// `src/client.rs`: the wrapper client and the extras rendered from the model.
    pub client: String,
    /// `src/lib.rs`: crate docs, modules and re-exports.
    pub lib: String,
    /// Optional dependencies the generated types need.
    pub uses_chrono: bool,
    /// The types use `uuid`.
    pub uses_uuid: bool,
    /// The types use `regress`.
    pub uses_regress: bool,
    /// Names of the client's operations, in spec order.
    pub operations: Vec<String>,
}

/// What the crate docs say about the API.
pub struct CrateDocs<'a> {
    /// The spec's `info.title`.
    pub title: &'a str,
    /// The spec's `info.description` (Markdown).
    pub description: &'a str,
    /// The spec's path in the workspace, e.g. `specs/instance.v1.yml`.
    pub spec_file: &'a str,
    /// The Rust path of the generated client's module, e.g. `scaleway_instance_v1` or
    /// `scaleway_mnq_v1beta1::nats`, for the docs' example.
    pub module_path: &'a str,
}

/// Optional dependencies typify's types use.
pub(crate) struct TypeDeps {
    chrono: bool,
    uuid: bool,
    regress: bool,
}

/// progenitor's output for `spec`, indexed.
pub(crate) fn run_progenitor(spec: &openapiv3::OpenAPI) -> Result<(Progenitor, TypeDeps), String> {
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote!(::scaleway_core::Runtime))
        // Ordered maps keep serialization and generated code deterministic.
        .with_map_type("::std::collections::BTreeMap")
        // Users compare answers in their tests.
        .with_derive("PartialEq");
    for (typify_name, rust_type) in REPLACEMENTS {
        let impls: Vec<TypeImpl> = if rust_type.ends_with("ApiError") {
            vec![TypeImpl::Display]
        } else {
            vec![TypeImpl::Display, TypeImpl::FromStr]
        };
        settings.with_replacement(typify_name, rust_type, impls.into_iter());
    }
    let mut generator = Generator::new(&settings);
    let tokens = generator.generate_tokens(spec).map_err(|e| e.to_string())?;
    let type_space = generator.get_type_space();
    let deps = TypeDeps {
        chrono: type_space.uses_chrono(),
        uuid: type_space.uses_uuid(),
        regress: type_space.uses_regress(),
    };
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("progenitor produced invalid Rust: {e}"))?;
    Ok((Progenitor::new(file), deps))
}

/// Generates the sources for a normalized spec.
pub fn generate(
    spec: &openapiv3::OpenAPI,
    docs: &CrateDocs<'_>,
) -> Result<GeneratedSources, SpecProblem> {
    let model = ApiModel::from_spec(spec)?;
    let (mut out, deps) = run_progenitor(spec)
        .map_err(|message| SpecProblem::new("", format!("unsupported construct: {message}")))?;
    passes::apply_all(&mut out, &model)?;
    let types = render::resolve_types(&out, &model)?;
    let client = render::client_rs(&model, &types, docs);
    let lib = render::lib_rs(docs);
    Ok(GeneratedSources {
        api: prettyplease::unparse(&out.file),
        client: unparse(client, "client.rs")?,
        lib: unparse(lib, "lib.rs")?,
        uses_chrono: deps.chrono,
        uses_uuid: deps.uuid,
        uses_regress: deps.regress,
        operations: model
            .operations
            .iter()
            .map(|op| op.method_name.clone())
            .collect(),
    })
}

fn unparse(tokens: proc_macro2::TokenStream, what: &str) -> Result<String, SpecProblem> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        SpecProblem::new(
            "",
            format!("the generator rendered invalid Rust for {what}: {e}"),
        )
    })?;
    Ok(prettyplease::unparse(&file))
}
