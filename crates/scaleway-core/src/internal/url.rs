//! The URL of a request, written once: base, path text and percent-encoded parameters.
//!
//! progenitor formats each path parameter to a `String`, percent-encodes it into another and
//! formats the whole into a third; this writes every piece into one buffer, encoding as it
//! goes. The encode set is progenitor's (`encode_path`), so URLs are byte for byte the same.

use std::fmt::{self, Write};

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// What a path segment may not hold as is.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%');

/// A piece of a path template.
pub enum PathPart<'a> {
    /// Text of the template, as is.
    Text(&'static str),
    /// A parameter, percent-encoded.
    Param(&'a dyn fmt::Display),
}

/// `base` followed by `parts`.
pub fn url(base: &str, parts: &[PathPart<'_>]) -> String {
    let mut out = String::with_capacity(base.len() + 96);
    out.push_str(base);
    for part in parts {
        match part {
            PathPart::Text(text) => out.push_str(text),
            // Writing into a String cannot fail.
            PathPart::Param(value) => {
                let _ = write!(Encoded(&mut out), "{value}");
            }
        }
    }
    out
}

/// Percent-encodes what is written through it.
struct Encoded<'a>(&'a mut String);

impl Write for Encoded<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        // Ids, zones and names need no encoding: copied in one go.
        if text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
        {
            self.0.push_str(text);
            return Ok(());
        }
        for piece in utf8_percent_encode(text, PATH) {
            self.0.push_str(piece);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_encoded_as_progenitor_encodes_them() {
        let id = "a b/c?d%e#f\u{e9}";
        let zone = crate::Zone::FR_PAR_1;
        let page = 7u32;
        let built = url(
            "http://api",
            &[
                PathPart::Text("/instance/v1/zones/"),
                PathPart::Param(&zone),
                PathPart::Text("/servers/"),
                PathPart::Param(&id),
                PathPart::Text("/x/"),
                PathPart::Param(&page),
            ],
        );
        let expected = format!(
            "http://api/instance/v1/zones/{}/servers/{}/x/{}",
            progenitor_client::encode_path(zone.as_ref()),
            progenitor_client::encode_path(id),
            progenitor_client::encode_path(&page.to_string()),
        );
        assert_eq!(built, expected);
        assert_eq!(
            built,
            "http://api/instance/v1/zones/fr-par-1/servers/a%20b%2Fc%3Fd%25e%23f%C3%A9/x/7"
        );
    }
}
