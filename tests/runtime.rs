//! Runtime behaviour through generated clients: concurrent pagination, waiters, listing
//! across zones, helpers, typed errors. Each test counts the requests the server received.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use scaleway_client::{ErrorKind, ImageQuery, PowerAction, WaitError, WaitOptions, Zone};
use scaleway_tests::{client_for, server_json};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const SERVER_ID: &str = "5d8f1b9a-3c2e-4f6a-9b7c-1e2d3f4a5b6c";

/// Serves `total` servers named `srv-<n>`, `per_page` at a time, with `X-Total-Count`, after
/// `delay`; records when each page was asked for.
struct PagedServers {
    total: usize,
    delay: Duration,
    arrivals: Arc<Mutex<Vec<(usize, Instant)>>>,
}

impl Respond for PagedServers {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let param = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| v.parse::<usize>().ok())
        };
        let page = param("page").unwrap_or(1);
        let per_page = param("per_page").unwrap_or(50);
        self.arrivals.lock().unwrap().push((page, Instant::now()));
        let servers: Vec<Value> = ((page - 1) * per_page..(page * per_page).min(self.total))
            .map(|n| server_json(&format!("id-{n}"), &format!("srv-{n}"), "running"))
            .collect();
        ResponseTemplate::new(200)
            .insert_header("x-total-count", self.total.to_string().as_str())
            .set_body_json(json!({ "servers": servers }))
            .set_delay(self.delay)
    }
}

async fn paged_server(
    total: usize,
    delay: Duration,
) -> (MockServer, Arc<Mutex<Vec<(usize, Instant)>>>) {
    let server = MockServer::start().await;
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("GET"))
        .and(path_regex(r"^/instance/v1/zones/[a-z0-9-]+/servers$"))
        .respond_with(PagedServers {
            total,
            delay,
            arrivals: arrivals.clone(),
        })
        .mount(&server)
        .await;
    (server, arrivals)
}

#[tokio::test]
async fn pages_after_the_first_are_fetched_concurrently_in_order_and_no_further() {
    let (server, arrivals) = paged_server(95, Duration::from_millis(150)).await;
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .page_concurrency(4)
        .build()
        .unwrap();

    let servers = client
        .instance_v1()
        .list_servers()
        .per_page(10u32)
        .collect_all()
        .await
        .unwrap();

    let names: Vec<&str> = servers.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        (0..95).map(|n| format!("srv-{n}")).collect::<Vec<_>>(),
        "all items, in page order"
    );
    let arrivals = arrivals.lock().unwrap().clone();
    let mut pages: Vec<usize> = arrivals.iter().map(|(p, _)| *p).collect();
    pages.sort();
    assert_eq!(
        pages,
        (1..=10).collect::<Vec<_>>(),
        "exactly the 10 pages, none beyond the last"
    );
    // Pages 2-5 were asked for before page 2 could have been answered: in flight together.
    let second = arrivals.iter().find(|(p, _)| *p == 2).unwrap().1;
    let in_flight_with_second = arrivals
        .iter()
        .filter(|(p, at)| *p > 2 && at.duration_since(second) < Duration::from_millis(100))
        .count();
    assert!(
        in_flight_with_second >= 3,
        "pages in flight with page 2: {in_flight_with_second}"
    );
}

#[tokio::test]
async fn concurrency_one_fetches_pages_one_after_the_other() {
    let (server, arrivals) = paged_server(30, Duration::from_millis(60)).await;
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .build()
        .unwrap();

    let servers = client
        .instance_v1()
        .list_servers()
        .per_page(10u32)
        .stream_with_concurrency(1);
    let servers: Vec<_> = futures::TryStreamExt::try_collect::<Vec<_>>(servers)
        .await
        .unwrap();

    assert_eq!(servers.len(), 30);
    let arrivals = arrivals.lock().unwrap().clone();
    assert_eq!(
        arrivals.iter().map(|(p, _)| *p).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    for pair in arrivals.windows(2) {
        assert!(
            pair[1].1.duration_since(pair[0].1) >= Duration::from_millis(55),
            "overlapping pages"
        );
    }
}

#[tokio::test]
async fn listing_across_zones_keeps_zone_order_and_reports_each_failure() {
    let (server, _) = paged_server(2, Duration::ZERO).await;
    Mock::given(method("GET"))
        .and(path("/instance/v1/zones/nl-ams-1/servers"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_json(json!({"type": "unknown", "message": "zone down"})),
        )
        .with_priority(1)
        .mount(&server)
        .await;
    let client = client_for(&server).build().unwrap();

    let zones = [Zone::FR_PAR_1, Zone::NL_AMS_1, Zone::IT_MIL_1];
    let outcomes = client
        .instance_v1()
        .list_servers()
        .collect_all_in_zones(&zones)
        .await;

    let seen: Vec<(String, bool)> = outcomes
        .iter()
        .map(|o| (o.locality.to_string(), o.result.is_ok()))
        .collect();
    assert_eq!(
        seen,
        [
            ("fr-par-1".into(), true),
            ("nl-ams-1".into(), false),
            ("it-mil-1".into(), true)
        ]
    );
    let (servers, failures) = scaleway_client::locality::merge(outcomes);
    assert_eq!(servers.len(), 4);
    assert_eq!(failures[0].0, Zone::NL_AMS_1);
    assert_eq!(failures[0].1.status().map(|s| s.as_u16()), Some(503));
}

/// Answers GET server with the given states in turn, the last one forever.
struct States(Mutex<Vec<&'static str>>);

impl Respond for States {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut states = self.0.lock().unwrap();
        let state = if states.len() > 1 {
            states.remove(0)
        } else {
            states[0]
        };
        ResponseTemplate::new(200)
            .set_body_json(json!({"server": server_json(SERVER_ID, "web-1", state)}))
    }
}

async fn server_states(states: Vec<&'static str>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/instance/v1/zones/fr-par-1/servers/{SERVER_ID}"
        )))
        .respond_with(States(Mutex::new(states)))
        .mount(&server)
        .await;
    server
}

fn quick() -> WaitOptions {
    WaitOptions {
        timeout: Duration::from_millis(400),
        min_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(20),
    }
}

#[tokio::test]
async fn waiter_returns_the_resource_in_its_terminal_state() {
    let server = server_states(vec!["starting", "starting", "running"]).await;
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .build()
        .unwrap();

    let response = client
        .instance_v1()
        .wait_for_server(SERVER_ID, None, &quick())
        .await
        .unwrap();
    assert_eq!(response.server.state.to_string(), "running");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn waiter_timeout_names_the_last_state_seen() {
    let server = server_states(vec!["starting"]).await;
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .build()
        .unwrap();

    let err = client
        .instance_v1()
        .wait_for_server(SERVER_ID, None, &quick())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, WaitError::Timeout { last_state: Some(s), .. } if s == "starting"),
        "{err:?}"
    );
    assert!(err.to_string().contains("last state: starting"), "{err}");
    let polls = server.received_requests().await.unwrap().len();
    assert!(
        (5..=21).contains(&polls),
        "polled {polls} times in 400 ms at 20 ms"
    );
}

#[tokio::test]
async fn power_on_sends_the_action_then_waits_for_running() {
    let server = server_states(vec!["stopped", "starting", "running"]).await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/instance/v1/zones/fr-par-1/servers/{SERVER_ID}/action"
        )))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"task": {
            "id": "b4c3d2e1-f0a9-4b8c-9d7e-6f5a4b3c2d1e",
            "description": "server_batch_poweron", "status": "pending",
            "href_from": format!("/servers/{SERVER_ID}/action"),
            "href_result": format!("/servers/{SERVER_ID}"),
            "started_at": "2025-03-14T09:30:00.000000+00:00", "terminated_at": null,
            "progress": 0, "zone": "fr-par-1"
        }})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .build()
        .unwrap();

    let running = client
        .power_and_wait(SERVER_ID, None, PowerAction::PowerOn, &quick())
        .await
        .unwrap();
    assert_eq!(running.state.to_string(), "running");
    let requests = server.received_requests().await.unwrap();
    let action = requests
        .iter()
        .find(|r| r.method.as_str() == "POST")
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<Value>(&action.body).unwrap(),
        json!({"action": "poweron"})
    );
}

async fn marketplace(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/marketplace/v2/local-images"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "local_images": [
                {"id": "11111111-1111-4111-8111-111111111111", "arch": "arm64", "zone": "fr-par-1", "label": "ubuntu_jammy",
                 "compatible_commercial_types": ["COPARM1-2C-8G"], "type": "instance_local"},
                {"id": "22222222-2222-4222-8222-222222222222", "arch": "x86_64", "zone": "fr-par-1", "label": "ubuntu_jammy",
                 "compatible_commercial_types": ["DEV1-S", "PLAY2-NANO"], "type": "instance_sbs"}
            ],
            "total_count": 2
        })))
        .mount(server)
        .await;
}

#[tokio::test]
async fn local_image_is_found_by_label_zone_and_commercial_type() {
    let server = MockServer::start().await;
    marketplace(&server).await;
    let client = client_for(&server).build().unwrap();

    let query = ImageQuery::label("ubuntu_jammy")
        .zone(Zone::FR_PAR_1)
        .commercial_type("DEV1-S");
    let image = client.find_local_image(&query).await.unwrap();
    assert_eq!(image.id, "22222222-2222-4222-8222-222222222222");

    let arm = client
        .find_local_image(
            &ImageQuery::label("ubuntu_jammy")
                .zone(Zone::FR_PAR_1)
                .arch("arm64"),
        )
        .await
        .unwrap();
    assert_eq!(arm.id, "11111111-1111-4111-8111-111111111111");

    let err = client
        .find_local_image(
            &ImageQuery::label("ubuntu_jammy")
                .zone(Zone::FR_PAR_1)
                .commercial_type("GPU-3070-S"),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no local image with label \"ubuntu_jammy\" in zone fr-par-1, compatible with GPU-3070-S"), "{err}");
    let asked = server.received_requests().await.unwrap();
    assert!(asked.iter().all(
        |r| r.url.query().unwrap().contains("image_label=ubuntu_jammy")
            && r.url.query().unwrap().contains("zone=fr-par-1")
    ));
}

#[tokio::test]
async fn create_server_resolves_an_image_label_to_the_local_image_id() {
    let server = MockServer::start().await;
    marketplace(&server).await;
    Mock::given(method("POST"))
        .and(path("/instance/v1/zones/fr-par-1/servers"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"server": server_json(SERVER_ID, "web", "stopped")})),
        )
        .mount(&server)
        .await;
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .build()
        .unwrap();

    let request: scaleway_client::instance_v1::types::CreateServerRequest = serde_json::from_value(
        json!({"commercial_type": "DEV1-S", "image": "ubuntu_jammy", "name": "web"}),
    )
    .unwrap();
    let created = client
        .create_server_from_label(None, request)
        .await
        .unwrap();
    assert_eq!(created.server.id, SERVER_ID);

    let requests = server.received_requests().await.unwrap();
    let post = requests
        .iter()
        .find(|r| r.method.as_str() == "POST")
        .unwrap();
    let body: Value = serde_json::from_slice(&post.body).unwrap();
    assert_eq!(body["image"], "22222222-2222-4222-8222-222222222222");
    assert_eq!(body["commercial_type"], "DEV1-S");
}

#[tokio::test]
async fn error_bodies_decode_into_kinds_with_their_details() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/instance/v1/zones/fr-par-1/servers/{SERVER_ID}"
        )))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({
            "type": "transient_state", "message": "resource is in a transient state",
            "resource": "instance_server", "resource_id": SERVER_ID, "current_state": "starting"
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/instance/v1/zones/fr-par-1/servers"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "type": "quotas_exceeded", "message": "quota(s) exceeded for this resource",
            "details": [{"resource": "instances_dev1_s", "quota": 2, "current": 2}]
        })))
        .mount(&server)
        .await;
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .build()
        .unwrap();

    let err = client
        .instance_v1()
        .get_server()
        .server_id(SERVER_ID)
        .send_with_response()
        .await
        .unwrap_err();
    assert_eq!(err.status().unwrap().as_u16(), 409);
    assert!(
        matches!(err.api_error().unwrap().kind(), ErrorKind::TransientState { current_state: Some(s), .. } if s == "starting")
    );

    let err = client
        .instance_v1()
        .create_server()
        .body_map(|b| b.commercial_type("DEV1-S").image(Some("x".into())))
        .send()
        .await
        .unwrap_err();
    let ErrorKind::QuotasExceeded(quotas) = err.api_error().unwrap().kind() else {
        panic!("{err:?}")
    };
    assert_eq!(
        (
            quotas[0].resource.as_str(),
            quotas[0].quota,
            quotas[0].current
        ),
        ("instances_dev1_s", Some(2), Some(2))
    );
    // A POST answered with an error is not re-sent.
    assert_eq!(
        server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .filter(|r| r.method.as_str() == "POST")
            .count(),
        1
    );
}

/// Serves the power action in `zone` and the server's states in turn at its GET.
async fn power_server(zone: &str, states: Vec<&'static str>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/instance/v1/zones/{zone}/servers/{SERVER_ID}"
        )))
        .respond_with(States(Mutex::new(states)))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/instance/v1/zones/{zone}/servers/{SERVER_ID}/action"
        )))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"task": {
            "id": "b4c3d2e1-f0a9-4b8c-9d7e-6f5a4b3c2d1e",
            "description": "server_batch_poweron", "status": "pending",
            "href_from": format!("/servers/{SERVER_ID}/action"),
            "href_result": format!("/servers/{SERVER_ID}"),
            "started_at": "2025-03-14T09:30:00.000000+00:00", "terminated_at": null,
            "progress": 0, "zone": zone
        }})))
        .expect(1)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_power_on_that_falls_back_to_stopped_ends_the_wait_at_once() {
    let server = power_server("fr-par-1", vec!["stopped", "starting", "stopped"]).await;
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .build()
        .unwrap();
    let slow = WaitOptions::timeout(Duration::from_secs(60)).every(Duration::from_millis(50));
    let started = std::time::Instant::now();
    let err = client
        .power_and_wait(SERVER_ID, None, PowerAction::PowerOn, &slow)
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(&err, scaleway_client::HelperError::Wait(WaitError::Failed { state }) if state == "stopped"),
        "{err}"
    );
}

#[tokio::test]
async fn power_and_wait_acts_in_the_given_zone() {
    let server = power_server("nl-ams-1", vec!["running", "stopping", "stopped"]).await;
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .build()
        .unwrap();
    let stopped = client
        .power_and_wait(
            SERVER_ID,
            Some(Zone::NL_AMS_1),
            PowerAction::PowerOff,
            &quick(),
        )
        .await
        .unwrap();
    assert_eq!(stopped.state.to_string(), "stopped");
    for request in server.received_requests().await.unwrap() {
        assert!(
            request
                .url
                .path()
                .starts_with("/instance/v1/zones/nl-ams-1/"),
            "{}",
            request.url
        );
    }
}
