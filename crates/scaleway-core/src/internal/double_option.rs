//! Serde helpers for update fields that distinguish "leave unchanged" from "set to null".
//!
//! Used as `#[serde(default, skip_serializing_if = "Option::is_none", with = "...")]` on an
//! `Option<Option<T>>`: `None` is left out of the body, `Some(None)` is sent as `null` (detach,
//! remove), `Some(Some(v))` as `v`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub fn serialize<S: Serializer, T: Serialize>(
    value: &Option<Option<T>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(inner) => inner.serialize(serializer),
        None => serializer.serialize_none(),
    }
}

pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Update {
        #[serde(default, skip_serializing_if = "Option::is_none", with = "super")]
        server: Option<Option<String>>,
    }

    #[test]
    fn three_states_round_trip() {
        for (value, json) in [
            (None, "{}"),
            (Some(None), r#"{"server":null}"#),
            (Some(Some("s1".to_owned())), r#"{"server":"s1"}"#),
        ] {
            let update = Update { server: value };
            assert_eq!(serde_json::to_string(&update).unwrap(), json);
            assert_eq!(serde_json::from_str::<Update>(json).unwrap(), update);
        }
    }
}
