//! Checks recorded HTTP interactions against the generated crates.
//!
//! For each JSONL line (`source`, `method`, `path`, `request_body`, `status`,
//! `response_body`, …) it finds the operation by method and path template, decodes the
//! response body into that operation's response type (2xx) or `ApiError` (others) and a JSON
//! request body into its request type, encodes what it decoded and compares: a decode error or
//! a recorded field missing after the round trip is a failure. Ends with `N passed, N failed`.
//!
//! Not counted as failures: a request body equal to the response body (some cassettes store
//! the response in both places), and a request body our type rejects when the API rejected it
//! as well (a 4xx answer).
//!
//! Request bodies are read as the API reads them, following protobuf's JSON mapping (proto3),
//! which reads `null` and, for a string field, `""` as the field's default, the same as leaving
//! the member out. Go clients (the CLI) send unset lists and maps as `null` and an unset zone as
//! `""`. So a member set to `null` counts as left out, and so does a member set to `""` that our
//! type refuses (a `Zone`, an enum): `"tags": null` needs no nullable list, `"zone": ""` no
//! empty zone. A `""` our type accepts stays, as does a required member sent as `null`, which is
//! then reported missing.

#![warn(missing_docs, unreachable_pub)]

use std::process::ExitCode;

mod wire;

use scaleway_client::ReplayApi;
use scaleway_core::ApiError;
use scaleway_core::internal::Operation;
use serde::Deserialize;
use serde_json::Value;
use wire::{WireError, lost_fields, roundtrip};

#[derive(Deserialize)]
struct Interaction {
    #[serde(default)]
    source: String,
    method: String,
    path: String,
    #[serde(default)]
    request_body: Option<String>,
    status: u16,
    #[serde(default)]
    response_body: Option<String>,
}

struct Failure {
    operation: String,
    source: String,
    path: String,
    message: String,
}

/// Literal segments of a template, for preferring `/servers/products` over `/servers/{id}`.
fn matches(template: &str, path: &str) -> Option<usize> {
    let template: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    let path: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    if template.len() != path.len() {
        return None;
    }
    let mut literal = 0;
    for (t, p) in template.iter().zip(&path) {
        if t.starts_with('{') && t.ends_with('}') {
            if p.is_empty() {
                return None;
            }
        } else if t == p {
            literal += 1;
        } else {
            return None;
        }
    }
    Some(literal)
}

fn find<'a>(
    apis: &'a [ReplayApi],
    method: &str,
    path: &str,
) -> Option<(&'a ReplayApi, &'static Operation)> {
    apis.iter()
        .flat_map(|api| api.operations.iter().map(move |op| (api, *op)))
        .filter(|(_, op)| op.method.eq_ignore_ascii_case(method))
        .filter_map(|(api, op)| matches(op.path, path).map(|score| (score, api, op)))
        .max_by_key(|(score, _, _)| *score)
        .map(|(_, api, op)| (api, op))
}

/// Decodes `text` with `check`, then reports decode errors and lost fields.
fn compare(
    text: &str,
    checked: Result<Value, WireError>,
    what: &str,
    fail: &mut dyn FnMut(String, String),
) {
    match checked {
        Err(e) => fail(
            format!(
                "{what}{}",
                if e.path == "." {
                    String::new()
                } else {
                    format!(".{}", e.path)
                }
            ),
            e.message,
        ),
        Ok(reencoded) => {
            let recorded: Value = serde_json::from_str(text).unwrap_or(Value::Null);
            for lost in lost_fields(&recorded, &reencoded) {
                fail(
                    format!("{what}.{lost}"),
                    "field lost in the round trip (not in the generated type)".into(),
                );
            }
        }
    }
}

/// Decodes a request body as the API reads it (see the module docs): members set to `null`
/// are left out, then, one at a time, a member set to `""` that our type refuses. Returns the
/// body as checked, and the check.
fn check_request(
    api: &ReplayApi,
    op: &Operation,
    request: &str,
) -> (String, Option<Result<Value, WireError>>) {
    let check = |body: &str| (api.check)(op.name, true, body).map(|c| c.map_err(WireError::from));
    let Ok(mut body) = serde_json::from_str::<Value>(request) else {
        return (request.to_owned(), check(request));
    };
    without_null_members(&mut body);
    loop {
        let text = body.to_string();
        let checked = check(&text);
        match &checked {
            Some(Err(e)) if remove_empty_string(&mut body, &e.path) => continue,
            _ => return (text, checked),
        }
    }
}

/// Removes the members set to `null` of every object in `value` (array items stay).
fn without_null_members(value: &mut Value) {
    match value {
        Value::Object(members) => {
            members.retain(|_, member| !member.is_null());
            members.values_mut().for_each(without_null_members);
        }
        Value::Array(items) => items.iter_mut().for_each(without_null_members),
        _ => {}
    }
}

/// One step of a serde path: an object member or an array item.
enum Step<'a> {
    Member(&'a str),
    Item(usize),
}

/// The steps of a serde path such as `pools[0].zone`; `None` if it does not read as one.
fn steps(path: &str) -> Option<Vec<Step<'_>>> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (name, mut indices) = part.split_once('[').unwrap_or((part, ""));
        if !name.is_empty() {
            steps.push(Step::Member(name));
        }
        while !indices.is_empty() {
            let (index, rest) = indices.split_once(']')?;
            steps.push(Step::Item(index.parse().ok()?));
            indices = rest.strip_prefix('[').unwrap_or(rest);
        }
    }
    Some(steps)
}

/// Removes the member at a serde path (`pools[0].zone`) if it is an object member set to `""`.
fn remove_empty_string(body: &mut Value, path: &str) -> bool {
    let Some(mut steps) = steps(path) else {
        return false;
    };
    let Some(Step::Member(last)) = steps.pop() else {
        return false;
    };
    let mut node = body;
    for step in steps {
        let next = match step {
            Step::Member(name) => node.get_mut(name),
            Step::Item(index) => node.get_mut(index),
        };
        let Some(next) = next else {
            return false;
        };
        node = next;
    }
    match node.as_object_mut() {
        Some(members) if members.get(last).is_some_and(|v| v == "") => {
            members.remove(last);
            true
        }
        _ => false,
    }
}

fn check(apis: &[ReplayApi], record: &Interaction, failures: &mut Vec<Failure>) -> bool {
    let before = failures.len();
    let Some((api, op)) = find(apis, &record.method, &record.path) else {
        failures.push(Failure {
            operation: "-".into(),
            source: record.source.clone(),
            path: record.path.clone(),
            message: format!("no operation matches {} {}", record.method, record.path),
        });
        return false;
    };
    let mut fail = |path: String, message: String| {
        failures.push(Failure {
            operation: format!("{}::{}", api.name, op.name),
            source: record.source.clone(),
            path,
            message,
        })
    };
    let response = record.response_body.as_deref().unwrap_or("").trim();
    if (200..300).contains(&record.status) {
        // Operations without a typed response (no body, text, bytes) keep the raw body.
        if !response.is_empty()
            && let Some(checked) =
                (api.check)(op.name, false, response).map(|c| c.map_err(WireError::from))
        {
            compare(response, checked, "response", &mut fail);
        }
    } else {
        // The runtime hands non-JSON error bodies to ApiError as a JSON string.
        let json = match serde_json::from_str::<Value>(response) {
            Ok(_) => response.to_owned(),
            Err(_) => Value::String(response.to_owned()).to_string(),
        };
        compare(&json, roundtrip::<ApiError>(&json), "error", &mut fail);
    }
    let request = record.request_body.as_deref().unwrap_or("").trim();
    // Some cassettes store the response as the request body; that is no request to check.
    if !request.is_empty() && request != response {
        let rejected = (400..500).contains(&record.status);
        let (request, checked) = check_request(api, op, request);
        let request = &request;
        match checked {
            // The API refused this body too: our type agrees with it, not against it.
            Some(Err(_)) if rejected => {}
            Some(checked) => compare(request, checked, "request", &mut fail),
            None if serde_json::from_str::<Value>(request).is_ok_and(|v| v.is_object()) => fail(
                "request".into(),
                "JSON body recorded, but the operation takes no JSON body".into(),
            ),
            None => {}
        }
    }
    failures.len() == before
}

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: cargo xtask replay FILE.jsonl...");
        return ExitCode::from(2);
    }
    let apis = scaleway_client::replay_apis();
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut failures = Vec::new();
    for file in &files {
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("cannot read {file}: {e}");
                return ExitCode::from(2);
            }
        };
        for (number, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let ok = match serde_json::from_str::<Interaction>(line) {
                Ok(record) => check(&apis, &record, &mut failures),
                Err(e) => {
                    failures.push(Failure {
                        operation: "-".into(),
                        source: format!("{file}:{}", number + 1),
                        path: "-".into(),
                        message: format!("not a recorded interaction: {e}"),
                    });
                    false
                }
            };
            if ok {
                passed += 1;
            } else {
                failed += 1;
            }
        }
    }
    for f in &failures {
        println!(
            "FAIL {} {} {}: {}",
            f.operation, f.source, f.path, f.message
        );
    }
    println!("{passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
