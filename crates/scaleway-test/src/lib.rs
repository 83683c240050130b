//! What the generated typed mocks (each API crate's `mock` module) build on. Applications use
//! them through `scaleway_client::mock::MockApi`.

#![warn(missing_docs, unreachable_pub)]

mod replay;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use wiremock::matchers::{method, path_regex, query_param};
use wiremock::{Mock, MockBuilder, MockServer, Request, Respond, ResponseTemplate};

pub use replay::{ReplayError, replay_jsonl};
pub use wiremock;

/// A runtime pointed at `server`: zone `fr-par-1`, region `fr-par`, a made-up project, no
/// retries (a mock answers at once; a retried call would hide what the code under test sends).
pub fn runtime_for(server: &MockServer) -> scaleway_core::Runtime {
    let config = scaleway_core::Config {
        api_url: server.uri(),
        default_zone: Some(scaleway_core::Zone::FR_PAR_1),
        default_region: Some(scaleway_core::Region::FR_PAR),
        default_project_id: Some(PROJECT_ID.to_owned()),
        default_organization_id: Some(PROJECT_ID.to_owned()),
        ..scaleway_core::Config::default()
    };
    let options = scaleway_core::RuntimeOptions {
        retry: scaleway_core::RetryPolicy::none(),
        ..scaleway_core::RuntimeOptions::default()
    };
    scaleway_core::Runtime::with_options(config, options).expect("a loopback URL is valid")
}

/// The default project of [`runtime_for`], which create requests are filled with.
pub const PROJECT_ID: &str = "00000000-0000-4000-8000-000000000001";

/// One operation of a mocked API: which requests it answers.
#[derive(Debug, Clone)]
pub struct Route {
    method: &'static str,
    template: &'static str,
    params: Vec<(&'static str, Option<String>)>,
    query: Vec<(String, String)>,
    times: Option<u64>,
}

impl Route {
    /// Requests with `method` to a path of `template` (`/x/v1/zones/{zone}/things/{id}`).
    pub fn new(method: &'static str, template: &'static str) -> Route {
        Route {
            method,
            template,
            params: Vec::new(),
            query: Vec::new(),
            times: None,
        }
    }

    /// Answers only the next `n` matching requests; later ones go to the answers mounted
    /// after this one (a resource that is `starting` twice, then `running`).
    pub fn times(mut self, n: u64) -> Route {
        self.times = Some(n);
        self
    }

    /// Only requests whose path parameter `name` is `value`; unset, any value matches.
    pub fn param(mut self, name: &'static str, value: impl ToString) -> Route {
        self.params.retain(|(n, _)| *n != name);
        self.params.push((name, Some(value.to_string())));
        self
    }

    /// Only requests whose query has `name=value`.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Route {
        self.query.push((name.into(), value.into()));
        self
    }

    /// The path template as a regular expression, with the set parameters literal.
    pub fn path_pattern(&self) -> String {
        let mut pattern = String::from("^");
        let mut rest = self.template;
        while let Some(start) = rest.find('{') {
            pattern.push_str(&regex::escape(&rest[..start]));
            let end = rest[start..].find('}').map_or(rest.len(), |e| start + e);
            let name = &rest[start + 1..end];
            match self
                .params
                .iter()
                .find(|(n, _)| *n == name)
                .and_then(|(_, v)| v.as_deref())
            {
                Some(value) => pattern.push_str(&regex::escape(value)),
                None => pattern.push_str("[^/]+"),
            }
            rest = rest.get(end + 1..).unwrap_or("");
        }
        pattern.push_str(&regex::escape(rest));
        pattern.push('$');
        pattern
    }

    fn mock(&self) -> MockBuilder {
        let mut mock = Mock::given(method(self.method)).and(path_regex(self.path_pattern()));
        for (name, value) in &self.query {
            mock = mock.and(query_param(name.as_str(), value.as_str()));
        }
        mock
    }

    fn limited(&self, mock: Mock) -> Mock {
        let mock = mock.with_priority(self.priority());
        match self.times {
            Some(n) => mock.up_to_n_times(n),
            None => mock,
        }
    }

    /// More specific routes (more parameters pinned) win over general ones.
    fn priority(&self) -> u8 {
        let pinned = self.params.len() + self.query.len();
        (10usize.saturating_sub(pinned)).max(1) as u8
    }

    fn matches(&self, pattern: &regex::Regex, request: &Request) -> bool {
        request.method.as_str().eq_ignore_ascii_case(self.method)
            && pattern.is_match(request.url.path())
            && self.query.iter().all(|(n, v)| {
                request
                    .url
                    .query_pairs()
                    .any(|(k, val)| k == n.as_str() && val == v.as_str())
            })
    }

    /// Answers with `status` and `body` as JSON.
    pub async fn answer_json(&self, server: &MockServer, status: u16, body: &impl Serialize) {
        self.mount(server, ResponseTemplate::new(status).set_body_json(body))
            .await;
    }

    /// Answers with `template` as it is.
    pub async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        self.limited(self.mock().respond_with(template))
            .mount(server)
            .await;
    }

    /// Answers with Scaleway's error body of `error_type` and `status`.
    pub async fn fail(&self, server: &MockServer, status: u16, error_type: &str) {
        self.answer_json(server, status, &error_body(error_type))
            .await;
    }

    /// Answers a paged list: `items` served `page_size` (or `per_page`) at a time as the
    /// `items_field` of the body, with the total in the body (`total_count`) or in the
    /// `X-Total-Count` header.
    pub async fn pages(
        &self,
        server: &MockServer,
        items_field: &'static str,
        items: Vec<Value>,
        total_in_body: bool,
    ) {
        let pages = Pages {
            items,
            items_field,
            total_in_body,
        };
        self.limited(self.mock().respond_with(pages))
            .mount(server)
            .await;
    }

    /// The requests this route received, in order.
    pub async fn received(&self, server: &MockServer) -> Vec<Request> {
        // The same expression wiremock matches with, compiled once for every request.
        let pattern = regex::Regex::new(&self.path_pattern()).expect("escaped literals and [^/]+");
        server
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|r| self.matches(&pattern, r))
            .collect()
    }

    /// The JSON bodies this route received, decoded as `T`, in order.
    pub async fn received_bodies<T: DeserializeOwned>(&self, server: &MockServer) -> Vec<T> {
        self.received(server)
            .await
            .iter()
            .map(|r| {
                serde_json::from_slice(&r.body).unwrap_or_else(|e| {
                    panic!(
                        "{} {} received a body that does not decode: {e}",
                        self.method,
                        r.url.path()
                    )
                })
            })
            .collect()
    }
}

/// Scaleway's error body for `error_type` (`not_found`, `unknown_resource`, …).
pub fn error_body(error_type: &str) -> Value {
    json!({"type": error_type, "message": format!("mocked {error_type}")})
}

/// A paged list answer.
struct Pages {
    items: Vec<Value>,
    items_field: &'static str,
    total_in_body: bool,
}

impl Respond for Pages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| v.parse::<usize>().ok())
        };
        let page = query("page").unwrap_or(1).max(1);
        let size = query("page_size")
            .or_else(|| query("per_page"))
            .unwrap_or(50)
            .max(1);
        let slice: Vec<Value> = self
            .items
            .iter()
            .skip((page - 1) * size)
            .take(size)
            .cloned()
            .collect();
        let mut body = json!({ self.items_field: slice });
        let template = ResponseTemplate::new(200);
        if self.total_in_body {
            body["total_count"] = json!(self.items.len());
            template.set_body_json(body)
        } else {
            template
                .insert_header("x-total-count", self.items.len().to_string().as_str())
                .set_body_json(body)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_parameters_are_literal_and_others_match_one_segment() {
        let route =
            Route::new("GET", "/i/v1/zones/{zone}/servers/{server_id}").param("server_id", "a.b");
        assert_eq!(route.path_pattern(), "^/i/v1/zones/[^/]+/servers/a\\.b$");
        let pattern = regex::Regex::new(&route.path_pattern()).unwrap();
        let matches = |path: &str| pattern.is_match(path);
        assert!(matches("/i/v1/zones/fr-par-1/servers/a.b"));
        assert!(!matches("/i/v1/zones/fr-par-1/servers/axb"));
        assert!(!matches("/i/v1/zones/fr/par/servers/a.b"));
        assert!(!matches("/i/v1/zones/fr-par-1/servers/a.b/action"));
    }
}
