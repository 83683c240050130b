//! Documentation text: the crate's, and each client method's, from the model.

use super::super::CrateDocs;
use crate::model::{Operation, ParamLocation};

/// One `#[doc]` per line, which prints as `///` comments. A multi-line `#[doc]` prints as a
/// block comment that rustfmt re-indents, and indented Markdown turns into a code block.
pub(crate) fn line_docs(text: &str) -> Vec<syn::Attribute> {
    doc_lines(text)
        .map(|line| syn::parse_quote!(#[doc = #line]))
        .collect()
}

/// Like [`line_docs`], as inner attributes (`//!`) for a crate or module file.
pub(crate) fn inner_line_docs(text: &str) -> Vec<syn::Attribute> {
    doc_lines(text)
        .map(|line| syn::parse_quote!(#![doc = #line]))
        .collect()
}

/// The lines of `text` as doc strings: a space after `///`, none on an empty line.
fn doc_lines(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    })
}

/// The crate-level docs.
pub(crate) fn crate_docs(docs: &CrateDocs<'_>) -> String {
    let example = format!(
        "```no_run\nlet runtime = scaleway_core::Runtime::new(scaleway_core::Config::load()?)?;\nlet client = {}::Client::new(runtime);\n# Ok::<(), Box<dyn std::error::Error>>(())\n```",
        docs.module_path
    );
    format!(
        "Rust client for the Scaleway {title}, generated from `{spec}`.\n\n\
         Build a [`Client`] from a [`Runtime`] (or use the `scaleway-client` facade), call an \
         operation to get its builder, set parameters and `send()`. Every call returns \
         [`Result`]: the decoded response, or an [`Error`] that carries the decoded [`ApiError`] \
         and status when the API answered one.\n\n{example}\n\n# About this API\n\n{description}",
        title = docs.title,
        spec = docs.spec_file,
        description = docs.description,
    )
}

/// A client method's docs: the spec's summary and description, the request, the parameters.
pub(crate) fn operation_docs(op: &Operation) -> String {
    let mut text = String::new();
    if let Some(summary) = op.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        text.push_str(summary.trim());
        text.push_str("\n\n");
    }
    if let Some(description) = op.description.as_deref().filter(|s| !s.trim().is_empty()) {
        text.push_str(description.trim());
        text.push_str("\n\n");
    }
    text.push_str(&format!("`{} {}`", op.method.as_str(), op.path));
    let params: Vec<String> = op
        .parameters
        .iter()
        .map(|p| {
            let mut line = format!("- `{}`", p.setter);
            if p.location == ParamLocation::Path {
                line.push_str(" (path)");
            }
            if let Some(locality) = op.locality.filter(|l| l.parameter() == p.name) {
                line.push_str(&format!(
                    ": defaults to the configured {}",
                    locality.parameter()
                ));
            } else if let Some(description) =
                p.description.as_deref().filter(|d| !d.trim().is_empty())
            {
                // One line per parameter: the first line of its description.
                line.push_str(": ");
                line.push_str(description.lines().next().unwrap_or_default().trim());
            }
            if p.is_array && p.location == ParamLocation::Query {
                line.push_str(" (repeated once per value)");
            }
            line
        })
        .collect();
    if !params.is_empty() || op.body.is_some() {
        text.push_str("\n\nParameters:\n");
        text.push_str(&params.join("\n"));
        if op.body.is_some() {
            if !params.is_empty() {
                text.push('\n');
            }
            text.push_str("- `body`: the request body");
        }
    }
    text
}
