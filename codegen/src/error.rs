//! Errors that point at the spec file and the place inside it.

use std::fmt;
use std::path::PathBuf;

/// Where in a spec something is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A JSON pointer into the document (RFC 6901), e.g. `/paths/~1servers/get`.
    Pointer(String),
    /// A line and column of the YAML text, for documents that do not parse at all.
    Line {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The whole file.
    File,
}

/// A spec that cannot be turned into a crate.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// The spec has a problem at a known place.
    #[error("{}{}: {message}", file.display(), location)]
    Spec {
        /// The spec (or overlay) file.
        file: PathBuf,
        /// Where in it.
        location: Location,
        /// What is wrong, in one line.
        message: String,
    },
    /// Reading or writing files failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Pointer(pointer) if pointer.is_empty() => {
                f.write_str(" at the document root")
            }
            Location::Pointer(pointer) => write!(f, " at {pointer}"),
            Location::Line { line, column } => write!(f, ":{line}:{column}"),
            Location::File => Ok(()),
        }
    }
}

/// A problem found while normalizing a document: the file is added by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecProblem {
    /// JSON pointer into the document.
    pub pointer: String,
    /// What is wrong, in one line.
    pub message: String,
}

impl SpecProblem {
    /// A problem at `pointer`.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        SpecProblem {
            pointer: pointer.into(),
            message: message.into(),
        }
    }

    /// The problem as an error naming `file`.
    pub fn in_file(self, file: impl Into<PathBuf>) -> CodegenError {
        CodegenError::Spec {
            file: file.into(),
            location: Location::Pointer(self.pointer),
            message: self.message,
        }
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/`.
pub fn pointer_push(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(pointer_push("/paths", "/a/{b}~c"), "/paths/~1a~1{b}~0c");
    }
}
