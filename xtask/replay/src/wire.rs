//! Wire-format comparison: decode a recorded body, encode it back and report what did not
//! survive. Generated crates decode their own bodies behind their `replay` feature; this module
//! holds what the tool adds: the same round trip for `ApiError`, and the lost-field diff.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A body that did not decode: the serde path of the failing field and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WireError {
    /// Path of the failing field, `.` for the whole body.
    pub(crate) path: String,
    /// Why it failed.
    pub(crate) message: String,
}

impl From<(String, String)> for WireError {
    fn from((path, message): (String, String)) -> WireError {
        WireError { path, message }
    }
}

/// Decodes `text` as `T` and encodes it back to JSON.
pub(crate) fn roundtrip<T: DeserializeOwned + Serialize>(text: &str) -> Result<Value, WireError> {
    let deserializer = &mut serde_json::Deserializer::from_str(text);
    let parsed: T = serde_path_to_error::deserialize(deserializer).map_err(|e| WireError {
        path: e.path().to_string(),
        message: e.inner().to_string(),
    })?;
    serde_json::to_value(&parsed).map_err(|e| WireError {
        path: ".".into(),
        message: format!("cannot encode back: {e}"),
    })
}

/// Paths of values present in `recorded` but missing from `reencoded`. Nulls, empty arrays and
/// empty objects count as absent: the generated types leave them out when encoding.
pub(crate) fn lost_fields(recorded: &Value, reencoded: &Value) -> Vec<String> {
    let mut lost = Vec::new();
    walk(recorded, Some(reencoded), String::new(), &mut lost);
    lost
}

fn is_absent(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

fn walk(recorded: &Value, reencoded: Option<&Value>, path: String, lost: &mut Vec<String>) {
    let Some(reencoded) = reencoded else {
        if !is_absent(recorded) {
            lost.push(if path.is_empty() { ".".into() } else { path });
        }
        return;
    };
    match (recorded, reencoded) {
        (Value::Object(fields), Value::Object(kept)) => {
            for (key, value) in fields {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                walk(value, kept.get(key), child, lost);
            }
        }
        (Value::Array(items), Value::Array(kept)) => {
            for (i, value) in items.iter().enumerate() {
                walk(value, kept.get(i), format!("{path}[{i}]"), lost);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(serde::Deserialize, serde::Serialize)]
    struct Server {
        name: String,
        #[serde(skip_serializing_if = "Vec::is_empty", default)]
        tags: Vec<String>,
    }

    #[test]
    fn dropped_fields_are_reported_but_empty_ones_are_not() {
        let recorded =
            json!({"name": "a", "tags": [], "state": "running", "ip": null, "nested": {"x": 1}});
        let reencoded = roundtrip::<Server>(&recorded.to_string()).unwrap();
        let mut lost = lost_fields(&recorded, &reencoded);
        lost.sort();
        assert_eq!(lost, ["nested", "state"]);
    }

    #[test]
    fn decode_errors_name_the_field() {
        let err = roundtrip::<Vec<Server>>(r#"[{"name": "a"}, {"name": 7}]"#).unwrap_err();
        assert_eq!(err.path, "[1].name");
    }
}
