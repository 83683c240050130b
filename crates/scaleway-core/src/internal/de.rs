//! What the `Deserialize` impls of generated types share.
//!
//! The generator writes those impls itself rather than deriving them (see the codegen passes
//! `compact_deserialize` and `open_enums`): serde's derive writes a field enum, its visitor and
//! a sequence visitor for every struct, about four times the code a JSON object needs, and the
//! generated crates spent most of their build time on it.

use std::fmt;

use serde::de::{Deserialize, Deserializer, Error, Visitor};

/// A string from the input: borrowed when the input allows it (no escapes), else owned. Object
/// keys and enum values are read as this, so that matching them allocates nothing.
#[derive(Debug)]
pub enum Text<'de> {
    /// Borrowed from the input.
    Borrowed(&'de str),
    /// Unescaped, or from an input that lends nothing.
    Owned(String),
}

impl Text<'_> {
    /// The text.
    pub fn as_str(&self) -> &str {
        match self {
            Text::Borrowed(text) => text,
            Text::Owned(text) => text,
        }
    }
}

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: Error>(self, text: &'de str) -> Result<Text<'de>, E> {
        Ok(Text::Borrowed(text))
    }

    fn visit_str<E: Error>(self, text: &str) -> Result<Text<'de>, E> {
        Ok(Text::Owned(text.to_owned()))
    }

    fn visit_string<E: Error>(self, text: String) -> Result<Text<'de>, E> {
        Ok(Text::Owned(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_strings_are_borrowed_and_escaped_ones_owned() {
        let plain: Text<'_> = serde_json::from_str(r#""fr-par-1""#).unwrap();
        assert!(matches!(plain, Text::Borrowed("fr-par-1")));
        let escaped: Text<'_> = serde_json::from_str(r#""a\"b""#).unwrap();
        assert!(matches!(&escaped, Text::Owned(s) if s == "a\"b"));
        let err = serde_json::from_str::<Text<'_>>("7").unwrap_err();
        assert!(err.to_string().contains("expected a string"), "{err}");
    }
}
