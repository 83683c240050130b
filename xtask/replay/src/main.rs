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
        match (api.check)(op.name, true, request).map(|c| c.map_err(WireError::from)) {
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
