//! The JSON path of a decode error, found after the fact from the error's position.
//!
//! Answers are decoded with plain `serde_json`: tracking the path while decoding
//! (`serde_path_to_error`) cost 62% more instructions per answer (a `GetServerResponse`:
//! 120k against 74k, callgrind). A failed decode is rare, so the path is
//! recovered only then: `serde_json` reports where it stopped, and [`path_at_offset`] scans the body up
//! to there and names the innermost value that holds that position.
//!
//! The scan is iterative and stops at `serde_json`'s own nesting limit, so a hostile body cannot
//! overflow the stack or make a huge path; it never fails: on a malformed or truncated body it
//! names the values still open where the scan stopped.

/// Nesting at which `serde_json` stops decoding, and so this scan.
const MAX_DEPTH: usize = 128;

/// One step of a path: a member of an object or an element of an array.
#[derive(Debug)]
enum Step {
    /// An object, and the key of the member being read (none before the first key).
    Object(Option<String>),
    /// An array, and the index of the element being read.
    Array(usize),
}

/// The path, written as `servers[3].state` (`.` for the whole body), of the innermost value
/// of `body` that starts at or before and ends at or after byte `target`: the position
/// `serde_json` reports, found with [`offset_of`].
pub(crate) fn path_at_offset(body: &[u8], target: usize) -> String {
    render(&Scanner { body, pos: 0 }.innermost_at(target))
}

/// The byte offset of a `serde_json` position (lines from 1, columns counted in bytes from 0).
pub(crate) fn offset_of(body: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match body[start..].iter().position(|&b| b == b'\n') {
            Some(newline) => start += newline + 1,
            None => break,
        }
    }
    (start + column).min(body.len())
}

fn render(steps: &[Step]) -> String {
    let mut path = String::new();
    for step in steps {
        match step {
            Step::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Step::Object(None) => {}
            Step::Array(index) => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

/// What the scanner expects next.
enum Expect {
    Value,
    /// After `{` or `,` in an object: a key, or (after `{`) the end.
    Key,
    /// After a value: a separator or the end of its container.
    Next,
}

struct Scanner<'a> {
    body: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    /// The steps to the innermost value whose span `[start, end]` (end: the offset just after
    /// it) contains `target`. Values complete before the containers around them, so the first
    /// completed value that contains `target` is the innermost one.
    fn innermost_at(mut self, target: usize) -> Vec<Step> {
        let mut steps: Vec<Step> = Vec::new();
        // Where each open container starts, parallel to `steps`.
        let mut starts: Vec<usize> = Vec::new();
        let mut expect = Expect::Value;
        loop {
            self.skip_whitespace();
            let Some(&byte) = self.body.get(self.pos) else {
                return steps;
            };
            match expect {
                Expect::Value => {
                    let start = self.pos;
                    if steps.len() >= MAX_DEPTH && matches!(byte, b'{' | b'[') {
                        return steps;
                    }
                    match byte {
                        b'{' => {
                            steps.push(Step::Object(None));
                            starts.push(start);
                            self.pos += 1;
                            expect = Expect::Key;
                            continue;
                        }
                        b'[' => {
                            steps.push(Step::Array(0));
                            starts.push(start);
                            self.pos += 1;
                            self.skip_whitespace();
                            if self.body.get(self.pos) == Some(&b']') {
                                expect = Expect::Next;
                            }
                            continue;
                        }
                        b'"' => {
                            self.skip_string();
                        }
                        _ => {
                            if !self.skip_scalar() {
                                return steps;
                            }
                        }
                    }
                    if (start..=self.pos).contains(&target) {
                        return steps;
                    }
                    expect = Expect::Next;
                }
                Expect::Key => match byte {
                    b'}' => expect = Expect::Next,
                    b'"' => {
                        let key = self.read_key();
                        if let Some(Step::Object(current)) = steps.last_mut() {
                            *current = Some(key);
                        }
                        self.skip_whitespace();
                        if self.body.get(self.pos) != Some(&b':') {
                            return steps;
                        }
                        self.pos += 1;
                        expect = Expect::Value;
                    }
                    _ => return steps,
                },
                Expect::Next => match (byte, steps.last_mut()) {
                    (b',', Some(Step::Object(_))) => {
                        self.pos += 1;
                        expect = Expect::Key;
                    }
                    (b',', Some(Step::Array(index))) => {
                        *index += 1;
                        self.pos += 1;
                        expect = Expect::Value;
                    }
                    (b'}', Some(Step::Object(_))) | (b']', Some(Step::Array(_))) => {
                        self.pos += 1;
                        steps.pop();
                        let start = starts.pop().unwrap_or(0);
                        if (start..=self.pos).contains(&target) {
                            return steps;
                        }
                    }
                    _ => return steps,
                },
            }
        }
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.body.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Past the string that starts at `pos` (its opening quote), escapes included.
    fn skip_string(&mut self) {
        self.pos += 1;
        while let Some(&byte) = self.body.get(self.pos) {
            self.pos += 1;
            match byte {
                b'\\' => self.pos += 1,
                b'"' => return,
                _ => {}
            }
        }
        self.pos = self.pos.min(self.body.len());
    }

    /// The key that starts at `pos`, as written (keys of Scaleway answers have no escapes).
    fn read_key(&mut self) -> String {
        let start = self.pos + 1;
        self.skip_string();
        let end = self.pos.saturating_sub(1).max(start);
        String::from_utf8_lossy(&self.body[start..end]).into_owned()
    }

    /// Past a number, `true`, `false` or `null`; `false` when there is none.
    fn skip_scalar(&mut self) -> bool {
        let start = self.pos;
        while let Some(byte) = self.body.get(self.pos) {
            if matches!(byte, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
                break;
            }
            self.pos += 1;
        }
        self.pos > start
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn path_at(body: &[u8], line: usize, column: usize) -> String {
        path_at_offset(body, offset_of(body, line, column))
    }
    use std::collections::BTreeMap;

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Volume {
        size: u32,
        state: State,
    }

    #[derive(Deserialize, Debug)]
    #[serde(rename_all = "snake_case")]
    enum State {
        Available,
        InUse,
    }

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Server {
        name: String,
        tags: Vec<String>,
        volumes: BTreeMap<String, Volume>,
        ipv6: Option<Vec<u16>>,
    }

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Page {
        servers: Vec<Server>,
        total_count: u32,
    }

    /// The path `serde_path_to_error` gives, and the one found from the position alone.
    fn both(body: &str) -> (String, String) {
        let tracked = serde_path_to_error::deserialize::<_, Page>(
            &mut serde_json::Deserializer::from_str(body),
        )
        .expect_err("the body must not decode");
        let plain = serde_json::from_str::<Page>(body).expect_err("the body must not decode");
        (
            tracked.path().to_string(),
            path_at(body.as_bytes(), plain.line(), plain.column()),
        )
    }

    const GOOD: &str = r#"{"name":"a, [b] {c}","tags":["x","y\"]"],"volumes":{"0":{"size":1,"state":"available"}},"ipv6":null}"#;

    #[test]
    fn finds_the_same_path_as_tracking_while_decoding() {
        let cases = [
            // A scalar of the wrong type, deep in an array of objects.
            format!(r#"{{"servers":[{GOOD},{GOOD},{{"name":7}}],"total_count":3}}"#),
            // A missing field: the path of the object that lacks it.
            format!(r#"{{"servers":[{GOOD},{{"name":"b","tags":[]}}],"total_count":2}}"#),
            // An unknown enum value inside a map.
            format!(
                r#"{{"servers":[{}],"total_count":1}}"#,
                GOOD.replace("available", "melting")
            ),
            // A number out of range.
            r#"{"servers":[],"total_count":-4}"#.to_owned(),
            // An array element of the wrong type.
            format!(
                r#"{{"servers":[{}],"total_count":1}}"#,
                GOOD.replace(r#""ipv6":null"#, r#""ipv6":[1,"2"]"#)
            ),
            // An object where a string belongs.
            format!(
                r#"{{"servers":[{}],"total_count":1}}"#,
                GOOD.replace(r#""name":"a, [b] {c}""#, r#""name":{"first":"a"}"#)
            ),
            // Pretty-printed: positions on other lines.
            serde_json::to_string_pretty(&serde_json::json!({
                "servers": [serde_json::from_str::<serde_json::Value>(GOOD).unwrap(),
                            {"name": "b", "tags": ["t"], "volumes": {"9": {"size": "big"}}}],
                "total_count": 2
            }))
            .unwrap(),
            // The top level itself.
            r#"{"servers":[]}"#.to_owned(),
            r#"[1,2]"#.to_owned(),
        ];
        for body in cases {
            let (tracked, found) = both(&body);
            assert_eq!(found, tracked, "body: {body}");
        }
    }

    #[test]
    fn names_the_values_still_open_when_the_body_is_cut_or_malformed() {
        let body = format!(r#"{{"servers":[{GOOD},{{"name":"b","tags":["#);
        let plain = serde_json::from_str::<Page>(&body).unwrap_err();
        assert_eq!(
            path_at(body.as_bytes(), plain.line(), plain.column()),
            "servers[1].tags[0]"
        );
        assert_eq!(path_at(b"<html>502</html>", 1, 1), ".");
        assert_eq!(path_at(b"", 1, 0), ".");
        assert_eq!(path_at(b"{\"a\":[1,}", 1, 8), "a[1]");
    }

    #[test]
    fn a_body_nested_too_deep_for_serde_json_does_not_overflow_the_stack() {
        let body = "[".repeat(1_000_000);
        assert_eq!(path_at(body.as_bytes(), 1, 200), "[0]".repeat(MAX_DEPTH));
    }
}
