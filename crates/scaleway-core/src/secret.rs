//! The secret key, kept out of every Debug, Display, log line and error message.

use std::fmt;

/// A Scaleway secret key (a UUID), sent as `X-Auth-Token`.
///
/// Its `Debug` and `Display` print a redaction marker; the only way to read the key is
/// [`SecretKey::expose`], which the runtime calls when it builds the auth header.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey(String);

/// A string that is not a valid secret key. Shows at most the first 8 characters of the input.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("secret key {shown} is not a UUID (expected 8-4-4-4-12 hexadecimal digits)")]
pub struct InvalidSecretKey {
    shown: String,
}

impl fmt::Debug for InvalidSecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// At most the first 8 characters of a secret, enough to tell keys apart and not enough to use one.
pub(crate) fn redacted_prefix(secret: &str) -> String {
    let prefix: String = secret.chars().take(8).collect();
    if prefix.len() < secret.len() {
        format!("\"{prefix}…\"")
    } else {
        format!("\"{prefix}\"")
    }
}

/// Whether `s` is a UUID: `8-4-4-4-12` hexadecimal digits.
pub fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
}

impl SecretKey {
    /// Validates the key's format (a UUID) without printing it on failure.
    pub fn new(key: impl Into<String>) -> Result<Self, InvalidSecretKey> {
        let key = key.into();
        if is_uuid(&key) {
            Ok(SecretKey(key))
        } else {
            Err(InvalidSecretKey {
                shown: redacted_prefix(&key),
            })
        }
    }

    /// The key itself. Call this only to put it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl std::str::FromStr for SecretKey {
    type Err = InvalidSecretKey;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SecretKey::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "11111111-2222-4333-8444-555555555555";

    #[test]
    fn debug_and_display_hide_the_key() {
        let key = SecretKey::new(KEY).unwrap();
        for shown in [
            format!("{key:?}"),
            format!("{key}"),
            format!("{:?}", Some(&key)),
        ] {
            assert!(!shown.contains("2222"), "{shown}");
        }
        assert_eq!(key.expose(), KEY);
    }

    #[test]
    fn invalid_key_error_shows_only_a_prefix() {
        let err = SecretKey::new("abcdefgh-not-a-uuid-but-very-secret").unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(text.contains("\"abcdefgh…\""), "{text}");
        assert!(!text.contains("very-secret"), "{text}");
    }
}
