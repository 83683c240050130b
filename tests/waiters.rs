//! Every generated waiter, through the facade: it asks for the exact path with each of its ids,
//! polls past non-terminal states, stops at the first terminal one and returns that resource.
//! An explicit zone sends the polls there instead of the configured default zone.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use scaleway_client::{WaitOptions, Zone};
use scaleway_tests::{client_for, received_paths};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const PROJECT: &str = "8f3a6c1e-5b2d-4e7f-9a10-2b3c4d5e6f70";
const SERVER_ID: &str = "0d9c4e5a-1f2b-4c3d-8e7f-6a5b4c3d2e1f";
const IMAGE_ID: &str = "3e1b7a52-9c4d-4f60-8a2b-7d5e6f1a2b3c";
const SNAPSHOT_ID: &str = "b2c3d4e5-f607-4182-93a4-b5c6d7e8f9a0";
const VOLUME_ID: &str = "7a6b5c4d-3e2f-4a1b-9c8d-0e1f2a3b4c5d";
const PRIVATE_NIC_ID: &str = "e4f5a6b7-c8d9-4e0f-8a1b-2c3d4e5f6a7b";
const PRIVATE_NETWORK_ID: &str = "9d8c7b6a-5f4e-4d3c-8b2a-190817263544";
const BLOCK_VOLUME_ID: &str = "4d5e6f70-8192-4a3b-9c4d-5e6f708192a3";
const BLOCK_SNAPSHOT_ID: &str = "c3d4e5f6-0718-4293-a4b5-c6d7e8f9a0b1";

/// Answers with `bodies` in turn, the last one forever, and counts the calls.
struct InTurn {
    bodies: Vec<Value>,
    calls: Arc<AtomicUsize>,
}

impl Respond for InTurn {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        ResponseTemplate::new(200).set_body_json(&self.bodies[n.min(self.bodies.len() - 1)])
    }
}

/// Serves GET `route` with `bodies` in turn; returns the call counter. Any other path gets
/// wiremock's 404, which fails the waiter.
async fn serve_in_turn(server: &MockServer, route: &str, bodies: Vec<Value>) -> Arc<AtomicUsize> {
    let calls = Arc::new(AtomicUsize::new(0));
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(InTurn {
            bodies,
            calls: calls.clone(),
        })
        .mount(server)
        .await;
    calls
}

fn quick() -> WaitOptions {
    WaitOptions {
        timeout: Duration::from_secs(5),
        min_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(5),
    }
}

/// Checks the waiter polled exactly `polls` times, each time at `route`, and no other path.
async fn assert_polled(server: &MockServer, calls: &AtomicUsize, route: &str, polls: usize) {
    assert_eq!(
        received_paths(server).await,
        vec![route.to_owned(); polls],
        "every poll asks for the full path with every id"
    );
    assert_eq!(calls.load(Ordering::SeqCst), polls);
}

fn server_json(state: &str) -> Value {
    json!({"server": {
        "id": SERVER_ID, "name": "web-1", "hostname": "web-1", "arch": "x86_64",
        "commercial_type": "DEV1-S", "boot_type": "local",
        "organization": PROJECT, "project": PROJECT,
        "image": {
            "id": IMAGE_ID, "name": "Debian Bookworm", "arch": "x86_64", "public": true,
            "state": "available", "organization": PROJECT, "project": PROJECT,
            "root_volume": {"id": SNAPSHOT_ID, "name": "", "size": 0, "volume_type": "sbs_snapshot"},
            "extra_volumes": {}, "default_bootscript": null, "from_server": "", "tags": [],
            "creation_date": "2025-03-01T12:00:00.000000+00:00",
            "modification_date": "2025-03-01T12:00:00.000000+00:00", "zone": "fr-par-1"
        },
        "volumes": {"0": {"id": VOLUME_ID, "boot": false, "volume_type": "sbs_volume",
                          "state": "available", "zone": "fr-par-1"}},
        "tags": [], "state": state, "state_detail": "", "protected": false,
        "public_ip": null, "public_ips": [], "private_ip": null, "private_nics": [],
        "mac_address": "de:00:00:12:34:56", "ipv6": null, "location": null, "maintenances": [],
        "allowed_actions": ["poweroff", "terminate", "reboot", "stop_in_place", "backup"],
        "security_group": {"id": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f", "name": "Default security group"},
        "placement_group": null, "dynamic_ip_required": false, "routed_ip_enabled": true,
        "enable_ipv6": false, "bootscript": null, "extra_networks": [], "filesystems": [],
        "end_of_service": false,
        "creation_date": "2025-03-14T09:26:53.589793+00:00",
        "modification_date": "2025-03-14T09:27:10.102030+00:00", "zone": "fr-par-1"
    }})
}

#[tokio::test]
async fn wait_for_server_polls_its_path_until_running() {
    let server = MockServer::start().await;
    let route = format!("/instance/v1/zones/fr-par-1/servers/{SERVER_ID}");
    let calls = serve_in_turn(
        &server,
        &route,
        vec![
            server_json("starting"),
            server_json("starting"),
            server_json("running"),
        ],
    )
    .await;
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .build()
        .unwrap();

    let settled = client
        .instance_v1()
        .wait_for_server(SERVER_ID, None, &quick())
        .await
        .unwrap()
        .server;

    assert_eq!(settled.id, SERVER_ID);
    assert_eq!(
        settled.state,
        scaleway_client::instance_v1::types::ServerState::Running
    );
    assert_eq!(settled.commercial_type, "DEV1-S");
    assert_polled(&server, &calls, &route, 3).await;
}

fn image_json(state: &str) -> Value {
    json!({"image": {
        "id": IMAGE_ID, "name": "web-golden", "organization": PROJECT, "project": PROJECT,
        "root_volume": {"id": SNAPSHOT_ID, "name": "web-root", "size": 20_000_000_000u64,
                        "volume_type": "l_ssd"},
        "extra_volumes": {}, "public": false, "arch": "x86_64",
        "creation_date": "2025-03-14T10:00:00.000000+00:00",
        "modification_date": "2025-03-14T10:00:00.000000+00:00",
        "default_bootscript": null, "from_server": "", "state": state, "tags": ["golden"],
        "zone": "fr-par-1"
    }})
}

#[tokio::test]
async fn wait_for_image_polls_its_path_until_available() {
    let server = MockServer::start().await;
    let route = format!("/instance/v1/zones/fr-par-1/images/{IMAGE_ID}");
    let calls = serve_in_turn(
        &server,
        &route,
        vec![
            image_json("creating"),
            image_json("creating"),
            image_json("available"),
        ],
    )
    .await;
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .build()
        .unwrap();

    let settled = client
        .instance_v1()
        .wait_for_image(IMAGE_ID, None, &quick())
        .await
        .unwrap()
        .image;

    assert_eq!(settled.id, IMAGE_ID);
    assert_eq!(
        settled.state,
        scaleway_client::instance_v1::types::ImageState::Available
    );
    assert_eq!(
        settled.root_volume.map(|v| v.id).as_deref(),
        Some(SNAPSHOT_ID)
    );
    assert_polled(&server, &calls, &route, 3).await;
}

fn instance_snapshot_json(state: &str) -> Value {
    json!({"snapshot": {
        "id": SNAPSHOT_ID, "name": "web-root-backup", "volume_type": "l_ssd",
        "creation_date": "2025-03-14T10:00:00.000000+00:00",
        "modification_date": "2025-03-14T10:00:05.000000+00:00",
        "organization": PROJECT, "project": PROJECT, "size": 20_000_000_000u64,
        "state": state, "base_volume": {"id": VOLUME_ID, "name": "web-root"},
        "tags": [], "zone": "fr-par-1", "error_reason": null, "error_details": null
    }})
}

#[tokio::test]
async fn wait_for_instance_snapshot_polls_its_path_until_available() {
    let server = MockServer::start().await;
    let route = format!("/instance/v1/zones/fr-par-1/snapshots/{SNAPSHOT_ID}");
    let calls = serve_in_turn(
        &server,
        &route,
        vec![
            instance_snapshot_json("snapshotting"),
            instance_snapshot_json("snapshotting"),
            instance_snapshot_json("available"),
        ],
    )
    .await;
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .build()
        .unwrap();

    let settled = client
        .instance_v1()
        .wait_for_snapshot(SNAPSHOT_ID, None, &quick())
        .await
        .unwrap()
        .snapshot;

    assert_eq!(settled.id, SNAPSHOT_ID);
    assert_eq!(
        settled.state,
        scaleway_client::instance_v1::types::SnapshotState::Available
    );
    assert_eq!(settled.size, 20_000_000_000);
    assert_polled(&server, &calls, &route, 3).await;
}

fn instance_volume_json(state: &str) -> Value {
    json!({"volume": {
        "id": VOLUME_ID, "name": "web-data", "volume_type": "l_ssd",
        "organization": PROJECT, "project": PROJECT,
        "server": {"id": SERVER_ID, "name": "web-1"}, "export_uri": null,
        "size": 40_000_000_000u64, "state": state,
        "creation_date": "2025-03-14T09:26:53.589793+00:00",
        "modification_date": "2025-03-14T10:12:00.000000+00:00",
        "tags": [], "zone": "fr-par-1"
    }})
}

#[tokio::test]
async fn wait_for_instance_volume_polls_its_path_until_available() {
    let server = MockServer::start().await;
    let route = format!("/instance/v1/zones/fr-par-1/volumes/{VOLUME_ID}");
    let calls = serve_in_turn(
        &server,
        &route,
        vec![
            instance_volume_json("resizing"),
            instance_volume_json("resizing"),
            instance_volume_json("available"),
        ],
    )
    .await;
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .build()
        .unwrap();

    let settled = client
        .instance_v1()
        .wait_for_volume(VOLUME_ID, None, &quick())
        .await
        .unwrap()
        .volume;

    assert_eq!(settled.id, VOLUME_ID);
    assert_eq!(
        settled.state,
        Some(scaleway_client::instance_v1::types::VolumeState::Available)
    );
    assert_eq!(settled.size, 40_000_000_000);
    assert_polled(&server, &calls, &route, 3).await;
}

fn private_nic_json(zone: &str, state: &str) -> Value {
    json!({"private_nic": {
        "id": PRIVATE_NIC_ID, "private_network_id": PRIVATE_NETWORK_ID,
        "server_id": SERVER_ID, "mac_address": "02:00:00:1a:2b:3c", "state": state,
        "creation_date": "2025-03-14T10:20:00.000000+00:00",
        "modification_date": "2025-03-14T10:20:01.000000+00:00",
        "zone": zone, "tags": [],
        "ipam_ip_ids": ["6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"]
    }})
}

#[tokio::test]
async fn wait_for_private_nic_polls_the_path_with_server_and_nic_ids_in_the_given_zone() {
    let server = MockServer::start().await;
    let route =
        format!("/instance/v1/zones/nl-ams-1/servers/{SERVER_ID}/private_nics/{PRIVATE_NIC_ID}");
    let calls = serve_in_turn(
        &server,
        &route,
        vec![
            private_nic_json("nl-ams-1", "syncing"),
            private_nic_json("nl-ams-1", "syncing"),
            private_nic_json("nl-ams-1", "available"),
        ],
    )
    .await;
    // The configured zone is fr-par-1: the explicit zone must win.
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .build()
        .unwrap();

    let settled = client
        .instance_v1()
        .wait_for_private_nic(SERVER_ID, PRIVATE_NIC_ID, Some(Zone::NL_AMS_1), &quick())
        .await
        .unwrap()
        .private_nic;

    assert_eq!(settled.id, PRIVATE_NIC_ID);
    assert_eq!(settled.server_id, SERVER_ID);
    assert_eq!(
        settled.state,
        scaleway_client::instance_v1::types::PrivateNicState::Available
    );
    assert_eq!(settled.zone, "nl-ams-1");
    assert_polled(&server, &calls, &route, 3).await;
}

fn block_volume_json(status: &str) -> Value {
    json!({
        "id": BLOCK_VOLUME_ID, "name": "db-data", "type": "sbs_5k", "size": 20_000_000_000u64,
        "project_id": PROJECT, "created_at": "2025-05-02T10:00:00.000000Z",
        "updated_at": "2025-05-02T10:00:00.000000Z", "references": [],
        "parent_snapshot_id": null, "status": status, "tags": ["db"],
        "specs": {"perf_iops": 5000, "class": "sbs"}, "last_detached_at": null,
        "zone": "fr-par-1"
    })
}

#[tokio::test]
async fn wait_for_block_volume_polls_its_path_in_the_default_zone_until_available() {
    let server = MockServer::start().await;
    let route = format!("/block/v1alpha1/zones/fr-par-1/volumes/{BLOCK_VOLUME_ID}");
    let calls = serve_in_turn(
        &server,
        &route,
        vec![
            block_volume_json("creating"),
            block_volume_json("creating"),
            block_volume_json("available"),
        ],
    )
    .await;
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .build()
        .unwrap();

    let settled = client
        .block_v1alpha1()
        .wait_for_volume(BLOCK_VOLUME_ID, None, &quick())
        .await
        .unwrap();

    assert_eq!(settled.id, BLOCK_VOLUME_ID);
    assert_eq!(
        settled.status,
        scaleway_client::block_v1alpha1::types::VolumeStatus::Available
    );
    assert_eq!(settled.type_, "sbs_5k");
    assert_polled(&server, &calls, &route, 3).await;
}

fn block_snapshot_json(zone: &str, status: &str) -> Value {
    json!({
        "id": BLOCK_SNAPSHOT_ID, "name": "db-data-nightly",
        "parent_volume": {"id": BLOCK_VOLUME_ID, "name": "db-data", "type": "sbs_5k",
                          "status": "in_use"},
        "size": 20_000_000_000u64, "project_id": PROJECT,
        "created_at": "2025-05-02T11:00:00.000000Z", "updated_at": "2025-05-02T11:00:00.000000Z",
        "references": [], "status": status, "tags": ["nightly"], "class": "sbs", "zone": zone
    })
}

#[tokio::test]
async fn wait_for_block_snapshot_polls_its_path_in_the_given_zone_until_available() {
    let server = MockServer::start().await;
    let route = format!("/block/v1alpha1/zones/pl-waw-2/snapshots/{BLOCK_SNAPSHOT_ID}");
    let calls = serve_in_turn(
        &server,
        &route,
        vec![
            block_snapshot_json("pl-waw-2", "creating"),
            block_snapshot_json("pl-waw-2", "creating"),
            block_snapshot_json("pl-waw-2", "available"),
        ],
    )
    .await;
    // The configured zone is fr-par-1: the explicit zone must win.
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .build()
        .unwrap();

    let settled = client
        .block_v1alpha1()
        .wait_for_snapshot(BLOCK_SNAPSHOT_ID, Some(Zone::PL_WAW_2), &quick())
        .await
        .unwrap();

    assert_eq!(settled.id, BLOCK_SNAPSHOT_ID);
    assert_eq!(
        settled.status,
        scaleway_client::block_v1alpha1::types::SnapshotStatus::Available
    );
    assert_eq!(settled.zone, "pl-waw-2");
    assert_eq!(
        settled.parent_volume.map(|v| v.id).as_deref(),
        Some(BLOCK_VOLUME_ID)
    );
    assert_polled(&server, &calls, &route, 3).await;
}

/// Polls five seconds apart: a wait that ends sooner did not sleep through an interval.
fn slow() -> WaitOptions {
    WaitOptions::timeout(Duration::from_secs(60)).every(Duration::from_secs(5))
}

#[tokio::test]
async fn a_failure_state_ends_the_wait_within_one_interval_naming_it() {
    let server = MockServer::start().await;
    let route =
        format!("/instance/v1/zones/fr-par-1/servers/{SERVER_ID}/private_nics/{PRIVATE_NIC_ID}");
    let calls = serve_in_turn(
        &server,
        &route,
        vec![private_nic_json("fr-par-1", "syncing_error")],
    )
    .await;
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .build()
        .unwrap();

    let started = std::time::Instant::now();
    let err = client
        .instance_v1()
        .wait_for_private_nic(SERVER_ID, PRIVATE_NIC_ID, None, &slow())
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(err.failed_state(), Some("syncing_error"));
    assert_eq!(err.to_string(), "the resource ended in state syncing_error");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn block_volume_error_is_a_failure_not_a_result() {
    let server = MockServer::start().await;
    let route = format!("/block/v1alpha1/zones/fr-par-1/volumes/{BLOCK_VOLUME_ID}");
    let calls = serve_in_turn(
        &server,
        &route,
        vec![block_volume_json("creating"), block_volume_json("error")],
    )
    .await;
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .build()
        .unwrap();
    let err = client
        .block_v1alpha1()
        .wait_for_volume(BLOCK_VOLUME_ID, None, &quick())
        .await
        .unwrap_err();
    assert_eq!(err.failed_state(), Some("error"));
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

/// Answers `present` times with `body`, then 404 with Scaleway's error body; counts calls.
struct UntilGone {
    body: Value,
    present: usize,
    calls: Arc<AtomicUsize>,
}

impl Respond for UntilGone {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        if self.calls.fetch_add(1, Ordering::SeqCst) < self.present {
            ResponseTemplate::new(200).set_body_json(&self.body)
        } else {
            ResponseTemplate::new(404).set_body_json(json!({
                "type": "not_found", "message": "resource is not found",
                "resource": "instance_server", "resource_id": SERVER_ID
            }))
        }
    }
}

#[tokio::test]
async fn a_deletion_wait_ends_on_404_in_the_given_zone() {
    let server = MockServer::start().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let route = format!("/instance/v1/zones/nl-ams-1/servers/{SERVER_ID}");
    Mock::given(method("GET"))
        .and(path(route.as_str()))
        .respond_with(UntilGone {
            body: server_json("stopping"),
            present: 2,
            calls: calls.clone(),
        })
        .mount(&server)
        .await;
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .build()
        .unwrap();
    client
        .instance_v1()
        .wait_for_server_deleted(SERVER_ID, Some(Zone::NL_AMS_1), &quick())
        .await
        .unwrap();
    assert_polled(&server, &calls, &route, 3).await;
}

#[tokio::test]
async fn a_deletion_wait_times_out_while_the_resource_exists() {
    let server = MockServer::start().await;
    let route = format!("/block/v1alpha1/zones/fr-par-1/snapshots/{BLOCK_SNAPSHOT_ID}");
    serve_in_turn(
        &server,
        &route,
        vec![block_snapshot_json("fr-par-1", "deleting")],
    )
    .await;
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .build()
        .unwrap();
    let options = WaitOptions::timeout(Duration::from_millis(40)).every(Duration::from_millis(10));
    let err = client
        .block_v1alpha1()
        .wait_for_snapshot_deleted(BLOCK_SNAPSHOT_ID, None, &options)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("last state: exists"), "{err}");
}

/// Serves GET `route` with `body` twice, then 404; returns the call counter.
async fn serve_until_gone(server: &MockServer, route: &str, body: Value) -> Arc<AtomicUsize> {
    let calls = Arc::new(AtomicUsize::new(0));
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(UntilGone {
            body,
            present: 2,
            calls: calls.clone(),
        })
        .mount(server)
        .await;
    calls
}

#[tokio::test]
async fn every_deletion_waiter_ends_on_404_at_its_full_path() {
    let zone = "/instance/v1/zones/fr-par-1";
    let block = "/block/v1alpha1/zones/fr-par-1";
    let cases: [(&str, String, Value); 7] = [
        (
            "server",
            format!("{zone}/servers/{SERVER_ID}"),
            server_json("stopping"),
        ),
        (
            "image",
            format!("{zone}/images/{IMAGE_ID}"),
            image_json("deleting"),
        ),
        (
            "snapshot",
            format!("{zone}/snapshots/{SNAPSHOT_ID}"),
            instance_snapshot_json("available"),
        ),
        (
            "volume",
            format!("{zone}/volumes/{VOLUME_ID}"),
            instance_volume_json("available"),
        ),
        (
            "private_nic",
            format!("{zone}/servers/{SERVER_ID}/private_nics/{PRIVATE_NIC_ID}"),
            private_nic_json("fr-par-1", "available"),
        ),
        (
            "block_volume",
            format!("{block}/volumes/{BLOCK_VOLUME_ID}"),
            block_volume_json("deleting"),
        ),
        (
            "block_snapshot",
            format!("{block}/snapshots/{BLOCK_SNAPSHOT_ID}"),
            block_snapshot_json("fr-par-1", "deleting"),
        ),
    ];
    for (waiter, route, body) in cases {
        let server = MockServer::start().await;
        let calls = serve_until_gone(&server, &route, body).await;
        let client = client_for(&server)
            .default_zone("fr-par-1")
            .build()
            .unwrap();
        let (instance, storage) = (client.instance_v1(), client.block_v1alpha1());
        let done = match waiter {
            "server" => {
                instance
                    .wait_for_server_deleted(SERVER_ID, None, &quick())
                    .await
            }
            "image" => {
                instance
                    .wait_for_image_deleted(IMAGE_ID, None, &quick())
                    .await
            }
            "snapshot" => {
                instance
                    .wait_for_snapshot_deleted(SNAPSHOT_ID, None, &quick())
                    .await
            }
            "volume" => {
                instance
                    .wait_for_volume_deleted(VOLUME_ID, None, &quick())
                    .await
            }
            "private_nic" => {
                instance
                    .wait_for_private_nic_deleted(SERVER_ID, PRIVATE_NIC_ID, None, &quick())
                    .await
            }
            "block_volume" => {
                storage
                    .wait_for_volume_deleted(BLOCK_VOLUME_ID, None, &quick())
                    .await
            }
            _ => {
                storage
                    .wait_for_snapshot_deleted(BLOCK_SNAPSHOT_ID, None, &quick())
                    .await
            }
        };
        done.unwrap_or_else(|e| panic!("{waiter}: {e}"));
        assert_polled(&server, &calls, &route, 3).await;
    }
}
