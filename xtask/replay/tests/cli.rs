//! The replay binary on small hand-made recordings.

use std::process::Command;

fn run(lines: &[&str]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("recorded.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_replay"))
        .arg(&file)
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn accepts_known_shapes_including_new_enum_values_and_zones() {
    let (ok, out) = run(&[
        r#"{"source":"a","method":"GET","path":"/marketplace/v2/local-images/i1","status":200,"response_body":"{\"id\":\"i1\",\"compatible_commercial_types\":[\"DEV1-S\"],\"arch\":\"x86_64\",\"zone\":\"it-mil-1\",\"label\":\"ubuntu_noble\",\"type\":\"future_kind\"}"}"#,
        r#"{"source":"b","method":"DELETE","path":"/instance/v1/zones/fr-par-1/servers/s1","status":204,"response_body":""}"#,
        r#"{"source":"c","method":"GET","path":"/marketplace/v2/images/i1","status":404,"response_body":"{\"type\":\"not_found\",\"message\":\"gone\"}"}"#,
    ]);
    assert!(ok, "{out}");
    assert!(out.ends_with("3 passed, 0 failed\n"), "{out}");
}

#[test]
fn reports_lost_fields_decode_errors_and_unknown_paths() {
    let (ok, out) = run(&[
        r#"{"source":"lost","method":"GET","path":"/marketplace/v2/local-images/i1","status":200,"response_body":"{\"id\":\"i1\",\"compatible_commercial_types\":[],\"arch\":\"arm64\",\"zone\":\"fr-par-1\",\"label\":\"debian\",\"type\":\"instance_sbs\",\"novelty\":{\"a\":1}}"}"#,
        r#"{"source":"bad","method":"GET","path":"/vpc/v2/regions/fr-par/vpcs/v1","status":200,"response_body":"{\"id\":42}"}"#,
        r#"{"source":"where","method":"GET","path":"/nowhere/v1/things","status":200,"response_body":"{}"}"#,
    ]);
    assert!(!ok);
    assert!(
        out.contains("FAIL marketplace_v2::get_local_image lost response.novelty: field lost"),
        "{out}"
    );
    assert!(
        out.contains("FAIL vpc_v2::get_vpc bad response.id:"),
        "{out}"
    );
    assert!(
        out.contains("FAIL - where /nowhere/v1/things: no operation matches"),
        "{out}"
    );
    assert!(out.ends_with("0 passed, 3 failed\n"), "{out}");
}

#[test]
fn null_request_members_count_as_left_out() {
    let (ok, out) = run(&[
        // `tags` is a plain list in our type: a Go client's `null` means no tags.
        r#"{"source":"nulls","method":"POST","path":"/vpc/v2/regions/fr-par/vpcs","status":200,"request_body":"{\"name\":\"v\",\"tags\":null,\"enable_routing\":null}","response_body":""}"#,
        // A required member sent as null is still missing.
        r#"{"source":"required","method":"POST","path":"/vpc/v2/regions/fr-par/routes","status":200,"request_body":"{\"description\":\"d\",\"destination\":\"10.0.0.0/24\",\"vpc_id\":null,\"tags\":null}","response_body":""}"#,
    ]);
    assert!(!ok);
    assert!(
        out.contains("FAIL vpc_v2::create_route required request: missing field `vpc_id`"),
        "{out}"
    );
    assert!(!out.contains("nulls"), "{out}");
    assert!(out.ends_with("1 passed, 1 failed\n"), "{out}");
}

#[test]
fn empty_strings_our_type_refuses_count_as_left_out() {
    let rule = |zone: &str, ip_range: &str| {
        format!(
            r#"{{"source":"zone{zone}","method":"PUT","path":"/instance/v1/zones/fr-par-1/security_groups/g1/rules","status":200,"request_body":"{{\"rules\":[{{\"action\":\"accept\",\"direction\":\"inbound\",\"protocol\":\"TCP\",\"ip_range\":\"{ip_range}\",\"zone\":\"{zone}\"}}]}}","response_body":""}}"#
        )
    };
    let (ok, out) = run(&[
        // A Go client's unset zone: `""`, which no `Zone` holds, reads as left out.
        &rule("", "0.0.0.0/0"),
        // A `""` our type accepts (a plain string) is kept; a bad zone is still reported.
        &rule("", ""),
        &rule("nowhere", "0.0.0.0/0"),
    ]);
    assert!(!ok);
    assert!(
        out.contains(
            "FAIL instance_v1::set_security_group_rules zonenowhere request.rules[0].zone:"
        ),
        "{out}"
    );
    assert!(out.ends_with("2 passed, 1 failed\n"), "{out}");
}
