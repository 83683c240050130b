//! A recorded JSONL file (one interaction a line: `method`, `path`, `query`, `status`,
//! `response_body`, as `cargo xtask replay` reads them) replayed as a mock server.

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Deserialize)]
struct Interaction {
    method: String,
    path: String,
    #[serde(default)]
    query: String,
    status: u16,
    #[serde(default)]
    response_body: Option<String>,
}

/// A recorded file that cannot be replayed.
#[derive(Debug)]
pub struct ReplayError {
    /// The file.
    pub file: String,
    /// 1-based line, 0 when the file itself could not be read.
    pub line: usize,
    /// Why.
    pub message: String,
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            0 => write!(f, "{}: {}", self.file, self.message),
            line => write!(f, "{}:{line}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for ReplayError {}

/// Mounts every interaction of `file` on `server`: a request with the recorded method and path
/// gets the recorded status and body. Interactions of the same request answer in recorded
/// order, the last one again after that. Returns how many were mounted.
pub async fn replay_jsonl(
    server: &MockServer,
    file: impl AsRef<Path>,
) -> Result<usize, ReplayError> {
    let shown = file.as_ref().display().to_string();
    let text = std::fs::read_to_string(file.as_ref()).map_err(|e| ReplayError {
        file: shown.clone(),
        line: 0,
        message: e.to_string(),
    })?;
    let mut interactions = Vec::new();
    for (number, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let interaction: Interaction = serde_json::from_str(line).map_err(|e| ReplayError {
            file: shown.clone(),
            line: number + 1,
            message: format!("not a recorded interaction: {e}"),
        })?;
        interactions.push(interaction);
    }
    let count = interactions.len();
    for (i, interaction) in interactions.iter().enumerate() {
        let later_same = interactions[i + 1..].iter().any(|o| {
            o.method == interaction.method
                && o.path == interaction.path
                && o.query == interaction.query
        });
        let body = interaction.response_body.clone().unwrap_or_default();
        let template = ResponseTemplate::new(interaction.status)
            .set_body_raw(body.into_bytes(), "application/json");
        let mut mock =
            Mock::given(method(interaction.method.as_str())).and(path(interaction.path.as_str()));
        for (name, value) in url_pairs(&interaction.query) {
            mock = mock.and(wiremock::matchers::query_param(name, value));
        }
        let mock = mock.respond_with(template);
        // Earlier answers of a repeated request serve once each; the last serves forever.
        let mock = if later_same {
            mock.up_to_n_times(1)
        } else {
            mock
        };
        mock.mount(server).await;
    }
    Ok(count)
}

/// `a=1&b=x%20y` → pairs, percent-decoded.
fn url_pairs(query: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
        .into_owned()
        .collect()
}
