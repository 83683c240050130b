//! The `Deserialize` impls the generator writes (instead of serde's derive) behave as the
//! derive did: checked on a type with every kind of field (renamed, optional, required and
//! nullable, open enum, zone), against the serde derive of the same shape.

use scaleway_client::instance_v1::types::{Ip, IpState, IpType};
use serde_json::{Value, json};

/// The shape of `Ip`, with serde's derive: the reference behaviour.
#[derive(serde::Deserialize, Debug)]
#[allow(dead_code)]
struct DerivedIp {
    #[serde(deserialize_with = "Option::deserialize")]
    address: Option<String>,
    id: String,
    ipam_id: String,
    organization: String,
    #[serde(deserialize_with = "Option::deserialize")]
    prefix: Option<String>,
    project: String,
    reverse: Option<String>,
    server: Option<Value>,
    state: String,
    tags: Vec<String>,
    #[serde(rename = "type")]
    type_: String,
    zone: String,
}

fn ip() -> Value {
    json!({
        "address": "51.15.0.1", "id": "ip-1", "ipam_id": "ipam-1", "organization": "org",
        "prefix": null, "project": "proj", "reverse": null, "server": null,
        "state": "attached", "tags": ["a"], "type": "routed_ipv4", "zone": "fr-par-1"
    })
}

/// Both decodings of `body`: agreed on success or failure, the failure messages compared.
fn both(body: &Value) -> Result<Ip, String> {
    let written = serde_json::from_value::<Ip>(body.clone()).map_err(|e| e.to_string());
    let derived = serde_json::from_value::<DerivedIp>(body.clone()).map_err(|e| e.to_string());
    match (&written, &derived) {
        (Ok(_), Ok(_)) => {}
        (Err(w), Err(d)) => assert_eq!(w, d, "same error for {body}"),
        _ => panic!("written {written:?} vs derived {derived:?} for {body}"),
    }
    written
}

#[test]
fn a_full_answer_decodes_field_by_field() {
    let ip = both(&ip()).unwrap();
    assert_eq!(ip.address.as_deref(), Some("51.15.0.1"));
    assert_eq!(ip.prefix, None);
    assert_eq!(ip.type_, IpType::RoutedIpv4);
    assert_eq!(ip.state, IpState::Attached);
    assert_eq!(ip.zone.as_str(), "fr-par-1");
    assert_eq!(ip.tags, ["a"]);
}

#[test]
fn unknown_keys_are_skipped_and_optional_fields_may_be_missing() {
    let mut body = ip();
    body["added_later"] = json!({"nested": [1, 2, {"deep": true}]});
    let map = body.as_object_mut().unwrap();
    map.remove("reverse");
    map.remove("server");
    let ip = both(&body).unwrap();
    assert_eq!((ip.reverse, ip.server), (None, None));
}

#[test]
fn required_fields_are_named_when_missing_even_when_nullable() {
    for field in ["id", "tags", "type", "address", "prefix"] {
        let mut body = ip();
        body.as_object_mut().unwrap().remove(field);
        let err = both(&body).unwrap_err();
        assert_eq!(err, format!("missing field `{field}`"));
    }
}

#[test]
fn of_several_missing_fields_the_first_declared_is_named() {
    for missing in [
        &["zone", "id"][..],
        &["type", "tags", "prefix"],
        &["zone", "address"],
        &["project", "zone", "organization"],
    ] {
        let mut body = ip();
        for field in missing {
            body.as_object_mut().unwrap().remove(*field);
        }
        let err = both(&body).unwrap_err();
        assert!(err.starts_with("missing field"), "{err}");
    }
}

#[test]
fn wrong_types_and_unknown_enum_values() {
    let mut body = ip();
    body["tags"] = json!("a");
    assert!(
        both(&body)
            .unwrap_err()
            .starts_with("invalid type: string \"a\", expected a sequence")
    );
    // A value added to the API later is kept, not an error.
    let mut body = ip();
    body["state"] = json!("migrating");
    assert_eq!(
        both(&body).unwrap().state,
        IpState::Unknown("migrating".into())
    );
    // Not an object at all.
    let written = serde_json::from_value::<Ip>(json!([1, 2])).unwrap_err();
    assert!(
        written
            .to_string()
            .starts_with("invalid type: sequence, expected struct Ip"),
        "{written}"
    );
}

#[test]
fn escaped_keys_and_values_decode() {
    let text = serde_json::to_string(&ip())
        .unwrap()
        .replace("\"ipam_id\"", "\"ipam\\u005fid\"");
    let ip: Ip = serde_json::from_str(&text).unwrap();
    assert_eq!(ip.ipam_id, "ipam-1");
}
