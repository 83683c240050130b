//! Reading spec files: YAML text to a JSON tree, and a normalized tree to `openapiv3`.

use std::path::Path;

use serde_json::Value;

use crate::error::{CodegenError, Location};

/// Parses YAML text; syntax errors carry the line and column.
pub fn parse_yaml(file: &Path, text: &str) -> Result<Value, CodegenError> {
    serde_yaml::from_str(text).map_err(|e| CodegenError::Spec {
        file: file.to_owned(),
        location: e
            .location()
            .map(|l| Location::Line {
                line: l.line(),
                column: l.column(),
            })
            .unwrap_or(Location::File),
        message: format!("malformed YAML: {}", first_sentence(&e.to_string())),
    })
}

/// Reads and parses a YAML file.
pub fn read_yaml(file: &Path) -> Result<Value, CodegenError> {
    let text = std::fs::read_to_string(file).map_err(|source| CodegenError::Io {
        path: file.to_owned(),
        source,
    })?;
    parse_yaml(file, &text)
}

/// Converts a normalized tree to the `openapiv3` model; a mismatch names its JSON pointer.
pub fn to_openapi(file: &Path, doc: Value) -> Result<openapiv3::OpenAPI, CodegenError> {
    serde_path_to_error::deserialize(doc).map_err(|e| {
        let pointer = e
            .path()
            .iter()
            .filter_map(|segment| match segment {
                serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
                serde_path_to_error::Segment::Map { key } => {
                    Some(key.replace('~', "~0").replace('/', "~1"))
                }
                serde_path_to_error::Segment::Enum { variant } => Some(variant.clone()),
                serde_path_to_error::Segment::Unknown => None,
            })
            .fold(String::new(), |acc, token| format!("{acc}/{token}"));
        CodegenError::Spec {
            file: file.to_owned(),
            location: Location::Pointer(pointer),
            message: format!("not a valid OpenAPI 3.0 document: {}", e.inner()),
        }
    })
}

fn first_sentence(message: &str) -> &str {
    message.split(" at line ").next().unwrap_or(message)
}
