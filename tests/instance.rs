//! The Instance crate through the facade, against a wiremock server.

use std::collections::BTreeMap;

use futures::{StreamExt, TryStreamExt};
use scaleway_client::instance_v1::types;
use scaleway_tests::{
    client_for, header, json_body, only_request, pairs, query_pairs, received_paths, serve_empty,
    serve_json,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROJECT: &str = "8f3a6c1e-5b2d-4e7f-9a10-2b3c4d5e6f70";
const SERVER_ID: &str = "0d9c4e5a-1f2b-4c3d-8e7f-6a5b4c3d2e1f";
const IMAGE_ID: &str = "3e1b7a52-9c4d-4f60-8a2b-7d5e6f1a2b3c";
const VOLUME_ID: &str = "7a6b5c4d-3e2f-4a1b-9c8d-0e1f2a3b4c5d";
const SG_ID: &str = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f";
const IP_ID: &str = "5f4e3d2c-1b0a-4987-b6c5-d4e3f2a1b0c9";

const SERVERS: &str = "/instance/v1/zones/fr-par-1/servers";

fn server_path(suffix: &str) -> String {
    format!("{SERVERS}/{SERVER_ID}{suffix}")
}

/// A server as the API shows it, in `state`, with one block volume at index "0".
fn server_json(id: &str, state: &str) -> Value {
    json!({
        "id": id,
        "name": "web-1",
        "hostname": "web-1",
        "arch": "x86_64",
        "commercial_type": "DEV1-S",
        "boot_type": "local",
        "organization": PROJECT,
        "project": PROJECT,
        "image": {
            "id": IMAGE_ID,
            "name": "Debian Bookworm",
            "arch": "x86_64",
            "public": true,
            "state": "available",
            "root_volume": {"id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "name": "", "size": 0, "volume_type": "sbs_snapshot"},
            "extra_volumes": {},
            "default_bootscript": null,
            "from_server": "",
            // Public images belong to Scaleway's own organization.
            "organization": "51b656e3-4865-41e8-adbc-0c45bdd780db",
            "project": "51b656e3-4865-41e8-adbc-0c45bdd780db",
            "tags": [],
            "zone": "fr-par-1"
        },
        "volumes": {
            "0": {"id": VOLUME_ID, "boot": false, "volume_type": "sbs_volume", "state": "available", "zone": "fr-par-1"}
        },
        "tags": ["web"],
        "state": state,
        "state_detail": "",
        "protected": false,
        "public_ip": {
            "id": IP_ID, "address": "198.51.100.7", "dynamic": false, "gateway": "62.210.0.1",
            "netmask": "32", "family": "inet", "provisioning_mode": "dhcp", "tags": [],
            "state": "attached", "ipam_id": "aa11bb22-cc33-4d44-8e55-ff6677889900"
        },
        "public_ips": [{
            "id": IP_ID, "address": "198.51.100.7", "dynamic": false, "gateway": "62.210.0.1",
            "netmask": "32", "family": "inet", "provisioning_mode": "dhcp", "tags": [],
            "state": "attached", "ipam_id": "aa11bb22-cc33-4d44-8e55-ff6677889900"
        }],
        "private_ip": null,
        "private_nics": [],
        "mac_address": "de:00:00:12:34:56",
        "ipv6": null,
        "location": null,
        "maintenances": [],
        "allowed_actions": ["poweron", "backup"],
        "security_group": {"id": SG_ID, "name": "Default security group"},
        "placement_group": null,
        "dynamic_ip_required": false,
        "routed_ip_enabled": true,
        "enable_ipv6": false,
        "bootscript": null,
        "extra_networks": [],
        "filesystems": [],
        "end_of_service": false,
        "creation_date": "2025-03-14T09:26:53.589793+00:00",
        "modification_date": "2025-03-14T09:27:10.102030+00:00",
        "zone": "fr-par-1"
    })
}

#[tokio::test]
async fn create_server_posts_its_body_with_string_keyed_volumes() {
    let server = MockServer::start().await;
    serve_json(
        &server,
        "POST",
        SERVERS,
        201,
        json!({"server": server_json(SERVER_ID, "stopped")}),
    )
    .await;
    let client = client_for(&server).build().unwrap();

    let root = types::VolumeServerTemplate {
        size: Some(20_000_000_000),
        volume_type: Some(types::VolumeVolumeType::SbsVolume),
        ..Default::default()
    };
    let response = client
        .instance_v1()
        .create_server()
        .zone("fr-par-1")
        .body_map(|body| {
            body.commercial_type("DEV1-S")
                .name("web-1".to_owned())
                .image(IMAGE_ID.to_owned())
                .project(PROJECT.to_owned())
                .tags(vec!["web".to_owned()])
                .dynamic_ip_required(false)
                .volumes(BTreeMap::from([("0".to_owned(), root)]))
        })
        .send_with_response()
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), SERVERS);
    assert_eq!(request.url.query(), None);
    assert_eq!(header(&request, "content-type"), "application/json");
    assert_eq!(
        json_body(&request),
        json!({
            "commercial_type": "DEV1-S",
            "name": "web-1",
            "image": IMAGE_ID,
            "project": PROJECT,
            "tags": ["web"],
            "dynamic_ip_required": false,
            "volumes": {"0": {"size": 20_000_000_000u64, "volume_type": "sbs_volume"}}
        })
    );

    assert_eq!(response.status().as_u16(), 201);
    let created = response.into_inner().server;
    assert_eq!(created.id, SERVER_ID);
    assert_eq!(created.state, types::ServerState::Stopped);
    assert_eq!(created.commercial_type, "DEV1-S");
    let volume = &created.volumes["0"];
    assert_eq!(volume.id, VOLUME_ID);
    assert_eq!(volume.volume_type, types::VolumeServerVolumeType::SbsVolume);
}

#[tokio::test]
async fn get_server_parses_nested_fields() {
    let server = MockServer::start().await;
    serve_json(
        &server,
        "GET",
        &server_path(""),
        200,
        json!({"server": server_json(SERVER_ID, "running")}),
    )
    .await;
    let client = client_for(&server).build().unwrap();

    let got = client
        .instance_v1()
        .get_server()
        .zone("fr-par-1")
        .server_id(SERVER_ID)
        .send()
        .await
        .unwrap()
        .server;

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), server_path(""));

    assert_eq!(got.state, types::ServerState::Running);
    assert_eq!(got.arch, types::Arch::X8664);
    assert_eq!(got.boot_type, types::BootType::Local);
    assert_eq!(
        got.allowed_actions,
        [types::ServerAction::Poweron, types::ServerAction::Backup]
    );
    let image = got.image.as_ref().unwrap();
    assert_eq!(image.id, IMAGE_ID);
    assert_eq!(
        image.root_volume.as_ref().unwrap().volume_type,
        types::VolumeVolumeType::SbsSnapshot
    );
    let ip = got.public_ip.as_ref().unwrap();
    assert_eq!(ip.address, "198.51.100.7");
    assert_eq!(ip.family, types::ServerIpIpFamily::Inet);
    assert_eq!(ip.provisioning_mode, types::ServerIpProvisioningMode::Dhcp);
    assert_eq!(got.public_ips.len(), 1);
    assert_eq!(got.security_group.as_ref().unwrap().id, SG_ID);
    assert!(got.ipv6.as_ref().is_none());
    assert!(got.placement_group.is_none());
    assert_eq!(
        got.creation_date.unwrap().to_rfc3339(),
        "2025-03-14T09:26:53.589793+00:00"
    );
    assert_eq!(got.volumes.keys().collect::<Vec<_>>(), ["0"]);
}

#[tokio::test]
async fn list_servers_sends_its_filters_as_query_pairs() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(SERVERS))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-total-count", "1")
                .set_body_json(json!({"servers": [server_json(SERVER_ID, "running")]})),
        )
        .mount(&server)
        .await;
    let client = client_for(&server).build().unwrap();

    let response = client
        .instance_v1()
        .list_servers()
        .zone("fr-par-1")
        .commercial_type("DEV1-S")
        .name("web")
        .state(types::ServerState::Running)
        .tags("web,blue")
        .order(types::ListServersRequestOrder::CreationDateAsc)
        .project(PROJECT)
        .without_ip(false)
        .page(2)
        .per_page(10)
        .send_with_response()
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), SERVERS);
    assert_eq!(
        query_pairs(&request),
        pairs(&[
            ("commercial_type", "DEV1-S"),
            ("name", "web"),
            ("order", "creation_date_asc"),
            ("page", "2"),
            ("per_page", "10"),
            ("project", PROJECT),
            ("state", "running"),
            ("tags", "web,blue"),
            ("without_ip", "false"),
        ])
    );
    assert_eq!(response.headers()["x-total-count"], "1");
    let servers = response.into_inner().servers;
    assert_eq!(servers.len(), 1);
    assert_eq!(servers[0].name, "web-1");
}

#[tokio::test]
async fn update_server_patches_only_the_fields_set() {
    let server = MockServer::start().await;
    serve_json(
        &server,
        "PATCH",
        &server_path(""),
        200,
        json!({"server": server_json(SERVER_ID, "running")}),
    )
    .await;
    let client = client_for(&server).build().unwrap();

    let body = types::UpdateServerRequest {
        name: Some("web-2".into()),
        protected: Some(true),
        tags: Some(vec!["web".into(), "blue".into()]),
        security_group: Some(types::SecurityGroupTemplate {
            id: SG_ID.into(),
            name: None,
        }),
        ..Default::default()
    };
    let updated = client
        .instance_v1()
        .update_server()
        .zone("fr-par-1")
        .server_id(SERVER_ID)
        .body(body)
        .send()
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(request.url.path(), server_path(""));
    assert_eq!(
        json_body(&request),
        json!({
            "name": "web-2",
            "protected": true,
            "tags": ["web", "blue"],
            "security_group": {"id": SG_ID}
        })
    );
    assert_eq!(updated.server.id, SERVER_ID);
}

#[tokio::test]
async fn update_server_can_clear_tags_and_leave_its_placement_group() {
    let server = MockServer::start().await;
    serve_json(
        &server,
        "PATCH",
        &server_path(""),
        200,
        json!({"server": server_json(SERVER_ID, "stopped")}),
    )
    .await;
    let client = client_for(&server).build().unwrap();

    // What the CLI sends to drop every tag and leave the placement group (recorded traffic).
    let wanted = json!({"tags": [], "placement_group": null});
    let body: types::UpdateServerRequest = serde_json::from_value(wanted.clone()).unwrap();
    client
        .instance_v1()
        .update_server()
        .zone("fr-par-1")
        .server_id(SERVER_ID)
        .body(body)
        .send()
        .await
        .unwrap();

    // An empty list and a null must reach the API: they clear and detach.
    assert_eq!(json_body(&only_request(&server).await), wanted);
}

#[tokio::test]
async fn server_action_posts_the_action_and_returns_the_task() {
    let server = MockServer::start().await;
    let action = server_path("/action");
    serve_json(
        &server,
        "POST",
        &action,
        202,
        json!({"task": {
            "id": "b4c3d2e1-f0a9-4b8c-9d7e-6f5a4b3c2d1e",
            "description": "server_batch_poweron",
            "status": "pending",
            "href_from": format!("/servers/{SERVER_ID}/action"),
            "href_result": format!("/servers/{SERVER_ID}"),
            "started_at": "2025-03-14T09:30:00.000000+00:00",
            "terminated_at": null,
            "progress": 0,
            "zone": "fr-par-1"
        }}),
    )
    .await;
    let client = client_for(&server).build().unwrap();
    let instance = client.instance_v1();

    let response = instance
        .server_action()
        .zone("fr-par-1")
        .server_id(SERVER_ID)
        .body(types::ServerActionRequest {
            action: Some(types::ServerAction::Poweron),
            ..Default::default()
        })
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 202);
    let task = response.into_inner().task.unwrap();
    assert_eq!(task.status, types::TaskStatus::Pending);
    assert_eq!(task.progress, 0);
    assert_eq!(task.description, "server_batch_poweron");
    assert_eq!(task.href_result, format!("/servers/{SERVER_ID}"));
    assert!(task.terminated_at.is_none());

    // A backup names its snapshots and gives per-volume templates keyed by volume index.
    instance
        .server_action()
        .zone("fr-par-1")
        .server_id(SERVER_ID)
        .body(types::ServerActionRequest {
            action: Some(types::ServerAction::Backup),
            name: Some("nightly".into()),
            volumes: BTreeMap::from([(
                "0".to_owned(),
                types::ServerActionRequestVolumeBackupTemplate {
                    volume_type: Some(types::SnapshotVolumeType::SbsSnapshot),
                },
            )]),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.method.as_str() == "POST"));
    assert!(requests.iter().all(|r| r.url.path() == action));
    assert_eq!(json_body(&requests[0]), json!({"action": "poweron"}));
    assert_eq!(
        json_body(&requests[1]),
        json!({
            "action": "backup",
            "name": "nightly",
            "volumes": {"0": {"volume_type": "sbs_snapshot"}}
        })
    );
}

#[tokio::test]
async fn delete_server_and_delete_volume_succeed_on_204_without_a_body() {
    let server = MockServer::start().await;
    serve_empty(&server, "DELETE", &server_path(""), 204).await;
    let volume_path = format!("/instance/v1/zones/fr-par-1/volumes/{VOLUME_ID}");
    serve_empty(&server, "DELETE", &volume_path, 204).await;
    let client = client_for(&server).build().unwrap();

    let deleted = client
        .instance_v1()
        .delete_server()
        .zone("fr-par-1")
        .server_id(SERVER_ID)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(deleted.status().as_u16(), 204);
    let () = deleted.into_inner();

    let deleted = client
        .instance_v1()
        .delete_volume()
        .zone("fr-par-1")
        .volume_id(VOLUME_ID)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(deleted.status().as_u16(), 204);
    let () = deleted.into_inner();

    let requests = server.received_requests().await.unwrap();
    let sent: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.url.path()))
        .collect();
    assert_eq!(
        sent,
        [
            ("DELETE", server_path("").as_str()),
            ("DELETE", volume_path.as_str())
        ]
    );
    assert!(requests.iter().all(|r| r.body.is_empty()));
}

#[tokio::test]
async fn user_data_is_sent_and_read_as_plain_text() {
    let server = MockServer::start().await;
    let key_path = server_path("/user_data/cloud-init");
    let script = "#cloud-config\npackages:\n  - nginx\nruncmd:\n  - echo \"{not json}\" > /tmp/x\n";
    serve_empty(&server, "PATCH", &key_path, 204).await;
    Mock::given(method("GET"))
        .and(path(key_path.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_raw(script, "text/plain"))
        .mount(&server)
        .await;
    serve_json(
        &server,
        "GET",
        &server_path("/user_data"),
        200,
        json!({"user_data": ["cloud-init", "ssh-host-fingerprints"]}),
    )
    .await;
    let client = client_for(&server).build().unwrap();
    let instance = client.instance_v1();

    let set = instance
        .set_server_user_data()
        .zone("fr-par-1")
        .server_id(SERVER_ID)
        .key("cloud-init")
        .body(script)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(set.status().as_u16(), 204);

    let got = instance
        .get_server_user_data()
        .zone("fr-par-1")
        .server_id(SERVER_ID)
        .key("cloud-init")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(got.status().as_u16(), 200);
    let bytes = got
        .into_inner()
        .into_inner()
        .try_fold(Vec::new(), |mut all, chunk| async move {
            all.extend_from_slice(&chunk);
            Ok(all)
        })
        .await
        .unwrap();
    assert_eq!(String::from_utf8(bytes).unwrap(), script);

    let keys = instance
        .list_server_user_data()
        .zone("fr-par-1")
        .server_id(SERVER_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(keys.user_data, ["cloud-init", "ssh-host-fingerprints"]);

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    let set = &requests[0];
    assert_eq!(set.method.as_str(), "PATCH");
    assert_eq!(set.url.path(), key_path);
    assert_eq!(header(set, "content-type"), "text/plain");
    assert_eq!(set.body, script.as_bytes());
    assert_eq!(requests[1].method.as_str(), "GET");
    assert_eq!(requests[1].url.path(), key_path);
    assert!(requests[1].body.is_empty());
}

#[tokio::test]
async fn volumes_are_created_and_updated() {
    let server = MockServer::start().await;
    let volumes = "/instance/v1/zones/fr-par-1/volumes";
    let volume = json!({
        "id": VOLUME_ID, "name": "data", "size": 50_000_000_000u64, "volume_type": "l_ssd",
        "export_uri": null, "organization": PROJECT, "project": PROJECT, "server": null,
        "state": "available", "tags": ["db"], "zone": "fr-par-1",
        "creation_date": "2025-03-14T10:00:00.000000+00:00",
        "modification_date": "2025-03-14T10:00:00.000000+00:00"
    });
    serve_json(&server, "POST", volumes, 201, json!({"volume": volume})).await;
    serve_json(
        &server,
        "PATCH",
        &format!("{volumes}/{VOLUME_ID}"),
        200,
        json!({"volume": volume}),
    )
    .await;
    let client = client_for(&server).build().unwrap();
    let instance = client.instance_v1();

    let created = instance
        .create_volume()
        .zone("fr-par-1")
        .body(types::CreateVolumeRequest {
            name: Some("data".into()),
            project: Some(PROJECT.into()),
            size: Some(50_000_000_000),
            volume_type: Some(types::VolumeVolumeType::LSsd),
            tags: vec!["db".into()],
            ..Default::default()
        })
        .send()
        .await
        .unwrap()
        .volume;
    assert_eq!(created.id, VOLUME_ID);
    assert_eq!(created.size, 50_000_000_000);
    assert_eq!(created.volume_type, types::VolumeVolumeType::LSsd);
    assert_eq!(created.state, Some(types::VolumeState::Available));
    assert!(created.server.as_ref().is_none());

    instance
        .update_volume()
        .zone("fr-par-1")
        .volume_id(VOLUME_ID)
        .body(types::UpdateVolumeRequest {
            size: Some(100_000_000_000),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method.as_str(), "POST");
    assert_eq!(requests[0].url.path(), volumes);
    assert_eq!(
        json_body(&requests[0]),
        json!({
            "name": "data",
            "project": PROJECT,
            "size": 50_000_000_000u64,
            "volume_type": "l_ssd",
            "tags": ["db"]
        })
    );
    assert_eq!(requests[1].method.as_str(), "PATCH");
    assert_eq!(requests[1].url.path(), format!("{volumes}/{VOLUME_ID}"));
    assert_eq!(json_body(&requests[1]), json!({"size": 100_000_000_000u64}));
}

#[tokio::test]
async fn snapshot_creation_returns_the_snapshot_and_its_task() {
    let server = MockServer::start().await;
    let snapshots = "/instance/v1/zones/fr-par-1/snapshots";
    serve_json(
        &server,
        "POST",
        snapshots,
        201,
        json!({
            "snapshot": {
                "id": "e5d4c3b2-a1f0-4e9d-8c7b-6a5f4e3d2c1b", "name": "before-upgrade",
                "volume_type": "l_ssd", "size": 20_000_000_000u64, "state": "snapshotting",
                "base_volume": {"id": VOLUME_ID, "name": "data"},
                "organization": PROJECT, "project": PROJECT, "tags": [],
                "error_reason": null, "error_details": null, "zone": "fr-par-1",
                "creation_date": "2025-03-14T11:00:00.000000+00:00",
                "modification_date": "2025-03-14T11:00:00.000000+00:00"
            },
            "task": {
                "id": "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b", "description": "volume_snapshot",
                "status": "pending", "progress": 0, "zone": "fr-par-1",
                "href_from": "/snapshots", "href_result": "snapshots/e5d4c3b2-a1f0-4e9d-8c7b-6a5f4e3d2c1b",
                "started_at": "2025-03-14T11:00:00.000000+00:00", "terminated_at": null
            }
        }),
    )
    .await;
    let client = client_for(&server).build().unwrap();

    let answer = client
        .instance_v1()
        .create_snapshot()
        .zone("fr-par-1")
        .body(types::CreateSnapshotRequest {
            name: Some("before-upgrade".into()),
            volume_id: Some(VOLUME_ID.into()),
            volume_type: Some(types::SnapshotVolumeType::LSsd),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), snapshots);
    assert_eq!(
        json_body(&request),
        json!({"name": "before-upgrade", "volume_id": VOLUME_ID, "volume_type": "l_ssd"})
    );
    let snapshot = answer.snapshot;
    assert_eq!(snapshot.state, types::SnapshotState::Snapshotting);
    assert_eq!(snapshot.volume_type, types::VolumeVolumeType::LSsd);
    let base = snapshot.base_volume.unwrap();
    assert_eq!(base.id, VOLUME_ID);
    assert_eq!(
        answer.task.unwrap().id,
        "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b"
    );
}

#[tokio::test]
async fn images_are_listed_with_their_filters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/instance/v1/zones/fr-par-1/images"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-total-count", "1")
                .set_body_json(json!({"images": [{
                    "id": IMAGE_ID, "name": "Debian Bookworm", "arch": "arm64", "public": true,
                    "state": "available", "organization": PROJECT, "project": PROJECT,
                    "root_volume": {"id": VOLUME_ID, "name": "debian-root", "size": 10_000_000_000u64, "volume_type": "l_ssd"},
                    "extra_volumes": {"1": {"id": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "name": "extra", "size": 5_000_000_000u64, "volume_type": "l_ssd"}},
                    "default_bootscript": null, "from_server": "", "tags": ["distribution"],
                    "creation_date": "2025-01-02T03:04:05.000000+00:00",
                    "modification_date": "2025-01-02T03:04:05.000000+00:00",
                    "zone": "fr-par-1"
                }]})),
        )
        .mount(&server)
        .await;
    let client = client_for(&server).build().unwrap();

    let images = client
        .instance_v1()
        .list_images()
        .zone("fr-par-1")
        .arch("arm64")
        .public(true)
        .name("debian")
        .send()
        .await
        .unwrap()
        .images;

    let request = only_request(&server).await;
    assert_eq!(
        query_pairs(&request),
        pairs(&[("arch", "arm64"), ("name", "debian"), ("public", "true")])
    );
    assert_eq!(images.len(), 1);
    let image = &images[0];
    assert_eq!(image.arch, types::Arch::Arm64);
    assert_eq!(image.state, types::ImageState::Available);
    assert_eq!(image.root_volume.as_ref().unwrap().size, 10_000_000_000);
    assert_eq!(image.extra_volumes["1"].name, "extra");
}

#[tokio::test]
async fn flexible_ip_creation_sends_and_reads_the_type_field() {
    let server = MockServer::start().await;
    serve_json(
        &server,
        "POST",
        "/instance/v1/zones/fr-par-1/ips",
        201,
        json!({"ip": {
            "id": IP_ID, "address": "198.51.100.9", "prefix": "198.51.100.9/32",
            "reverse": null, "server": null, "organization": PROJECT, "project": PROJECT,
            "zone": "fr-par-1", "type": "routed_ipv4", "state": "detached",
            "tags": ["front"], "ipam_id": "0f1e2d3c-4b5a-4697-8877-665544332211"
        }}),
    )
    .await;
    let client = client_for(&server).build().unwrap();

    let ip = client
        .instance_v1()
        .create_ip()
        .zone("fr-par-1")
        .body(types::CreateIpRequest {
            project: Some(PROJECT.into()),
            type_: Some(types::IpType::RoutedIpv4),
            tags: vec!["front".into()],
            ..Default::default()
        })
        .send()
        .await
        .unwrap()
        .ip;

    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/instance/v1/zones/fr-par-1/ips");
    assert_eq!(
        json_body(&request),
        json!({"project": PROJECT, "type": "routed_ipv4", "tags": ["front"]})
    );
    assert_eq!(ip.type_, types::IpType::RoutedIpv4);
    assert_eq!(ip.state, types::IpState::Detached);
    assert_eq!(ip.prefix.as_deref(), Some("198.51.100.9/32"));
    assert!(ip.server.is_none());
}

#[tokio::test]
async fn update_ip_detaches_it_with_a_null_server() {
    let server = MockServer::start().await;
    serve_json(
        &server,
        "PATCH",
        &format!("/instance/v1/zones/fr-par-1/ips/{IP_ID}"),
        200,
        json!({"ip": {
            "id": IP_ID, "address": "198.51.100.9", "prefix": "198.51.100.9/32",
            "reverse": null, "server": null, "organization": PROJECT, "project": PROJECT,
            "zone": "fr-par-1", "type": "routed_ipv4", "state": "detached",
            "tags": ["front"], "ipam_id": "0f1e2d3c-4b5a-4697-8877-665544332211"
        }}),
    )
    .await;
    let client = client_for(&server).build().unwrap();

    // What the CLI sends to detach an IP (recorded traffic).
    let wanted = json!({"server": null});
    let body: types::UpdateIpRequest = serde_json::from_value(wanted.clone()).unwrap();
    client
        .instance_v1()
        .update_ip()
        .zone("fr-par-1")
        .ip(IP_ID)
        .body(body)
        .send()
        .await
        .unwrap();

    // The null must reach the API, or the IP stays attached.
    assert_eq!(json_body(&only_request(&server).await), wanted);
}

#[tokio::test]
async fn security_group_and_rule_are_created() {
    let server = MockServer::start().await;
    let groups = "/instance/v1/zones/fr-par-1/security_groups";
    let rules = format!("{groups}/{SG_ID}/rules");
    serve_json(
        &server,
        "POST",
        groups,
        201,
        json!({"security_group": {
            "id": SG_ID, "name": "web", "description": "public web",
            "enable_default_security": true, "inbound_default_policy": "drop",
            "outbound_default_policy": "accept", "organization": PROJECT, "project": PROJECT,
            "organization_default": false, "project_default": false, "servers": [],
            "stateful": true, "state": "available", "tags": [], "zone": "fr-par-1",
            "creation_date": "2025-03-14T12:00:00.000000+00:00",
            "modification_date": "2025-03-14T12:00:00.000000+00:00"
        }}),
    )
    .await;
    serve_json(
        &server,
        "POST",
        &rules,
        201,
        json!({"rule": {
            "id": "6e5d4c3b-2a19-4f08-9e7d-6c5b4a392817", "protocol": "TCP",
            "direction": "inbound", "action": "accept", "ip_range": "203.0.113.0/24",
            "dest_ip_range": null, "dest_port_from": 443, "dest_port_to": null,
            "position": 1, "editable": true, "zone": "fr-par-1"
        }}),
    )
    .await;
    let client = client_for(&server).build().unwrap();
    let instance = client.instance_v1();

    let group = instance
        .create_security_group()
        .zone("fr-par-1")
        .body(types::CreateSecurityGroupRequest {
            name: Some("web".into()),
            description: Some("public web".into()),
            project: Some(PROJECT.into()),
            inbound_default_policy: Some(types::SecurityGroupPolicy::Drop),
            outbound_default_policy: Some(types::SecurityGroupPolicy::Accept),
            stateful: Some(true),
            ..Default::default()
        })
        .send()
        .await
        .unwrap()
        .security_group;
    assert_eq!(group.id, SG_ID);
    assert_eq!(
        group.inbound_default_policy,
        types::SecurityGroupPolicy::Drop
    );
    assert_eq!(group.state, types::SecurityGroupState::Available);

    let rule = instance
        .create_security_group_rule()
        .zone("fr-par-1")
        .security_group_id(SG_ID)
        .body(types::CreateSecurityGroupRuleRequest {
            protocol: types::SecurityGroupRuleProtocol::Tcp,
            direction: types::SecurityGroupRuleDirection::Inbound,
            action: types::SecurityGroupRuleAction::Accept,
            ip_range: "203.0.113.0/24".into(),
            dest_port_from: Some(443),
            dest_port_to: None,
            position: Some(1),
            editable: None,
        })
        .send()
        .await
        .unwrap()
        .rule;
    assert_eq!(rule.protocol, types::SecurityGroupRuleProtocol::Tcp);
    assert_eq!(rule.dest_port_from, Some(443));
    assert_eq!(rule.dest_port_to, None);
    assert!(rule.editable);

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].url.path(), groups);
    assert_eq!(
        json_body(&requests[0]),
        json!({
            "name": "web",
            "description": "public web",
            "project": PROJECT,
            "inbound_default_policy": "drop",
            "outbound_default_policy": "accept",
            "stateful": true
        })
    );
    assert_eq!(requests[1].method.as_str(), "POST");
    assert_eq!(requests[1].url.path(), rules);
    assert_eq!(
        json_body(&requests[1]),
        json!({
            "protocol": "TCP",
            "direction": "inbound",
            "action": "accept",
            "ip_range": "203.0.113.0/24",
            "dest_port_from": 443,
            "position": 1
        })
    );
}

#[tokio::test]
async fn placement_group_is_created_and_lists_its_servers() {
    let server = MockServer::start().await;
    let groups = "/instance/v1/zones/fr-par-1/placement_groups";
    let pg_id = "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901";
    serve_json(
        &server,
        "POST",
        groups,
        201,
        json!({"placement_group": {
            "id": pg_id, "name": "db-spread", "policy_mode": "enforced",
            "policy_type": "max_availability", "policy_respected": true,
            "organization": PROJECT, "project": PROJECT, "tags": [], "zone": "fr-par-1"
        }}),
    )
    .await;
    serve_json(
        &server,
        "GET",
        &format!("{groups}/{pg_id}/servers"),
        200,
        json!({"servers": [{"id": SERVER_ID, "name": "db-1", "policy_respected": false}]}),
    )
    .await;
    let client = client_for(&server).build().unwrap();
    let instance = client.instance_v1();

    let group = instance
        .create_placement_group()
        .zone("fr-par-1")
        .body(types::CreatePlacementGroupRequest {
            name: Some("db-spread".into()),
            project: Some(PROJECT.into()),
            policy_mode: Some(types::PlacementGroupPolicyMode::Enforced),
            policy_type: Some(types::PlacementGroupPolicyType::MaxAvailability),
            ..Default::default()
        })
        .send()
        .await
        .unwrap()
        .placement_group;
    assert_eq!(
        group.policy_type,
        types::PlacementGroupPolicyType::MaxAvailability
    );
    assert!(group.policy_respected);

    let members = instance
        .get_placement_group_servers()
        .zone("fr-par-1")
        .placement_group_id(pg_id)
        .send()
        .await
        .unwrap()
        .servers;
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].id, SERVER_ID);
    assert!(!members[0].policy_respected);

    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        json_body(&requests[0]),
        json!({
            "name": "db-spread",
            "project": PROJECT,
            "policy_mode": "enforced",
            "policy_type": "max_availability"
        })
    );
    assert_eq!(requests[1].method.as_str(), "GET");
    assert_eq!(requests[1].url.path(), format!("{groups}/{pg_id}/servers"));
}

#[tokio::test]
async fn private_nic_is_created_on_a_server() {
    let server = MockServer::start().await;
    let nics = server_path("/private_nics");
    let pn_id = "9d8c7b6a-5f4e-4d3c-8b2a-190817263544";
    serve_json(
        &server,
        "POST",
        &nics,
        201,
        json!({"private_nic": {
            "id": "4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d", "server_id": SERVER_ID,
            "private_network_id": pn_id, "mac_address": "02:00:00:1a:2b:3c",
            "state": "syncing", "tags": ["backend"], "ipam_ip_ids": [], "zone": "fr-par-1",
            "creation_date": "2025-03-14T13:00:00.000000+00:00",
            "modification_date": "2025-03-14T13:00:00.000000+00:00"
        }}),
    )
    .await;
    let client = client_for(&server).build().unwrap();

    let nic = client
        .instance_v1()
        .create_private_nic()
        .zone("fr-par-1")
        .server_id(SERVER_ID)
        .body(types::CreatePrivateNicRequest {
            private_network_id: pn_id.into(),
            tags: vec!["backend".into()],
            ip_ids: vec![],
            ipam_ip_ids: vec![],
        })
        .send()
        .await
        .unwrap()
        .private_nic;

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), nics);
    assert_eq!(
        json_body(&request),
        json!({"private_network_id": pn_id, "tags": ["backend"]})
    );
    assert_eq!(nic.state, types::PrivateNicState::Syncing);
    assert_eq!(nic.mac_address, "02:00:00:1a:2b:3c");
    assert_eq!(nic.server_id, SERVER_ID);
}

#[tokio::test]
async fn server_types_are_a_map_keyed_by_commercial_type() {
    let server = MockServer::start().await;
    let dev1_s = json!({
        "alt_names": [], "arch": "x86_64", "ncpus": 2, "ram": 2_147_483_648u64, "gpu": 0,
        "gpu_info": null, "mig_profile": null,
        "volumes_constraint": {"min_size": 0, "max_size": 20_000_000_000u64},
        "per_volume_constraint": {"l_ssd": {"min_size": 1_000_000_000u64, "max_size": 20_000_000_000u64}},
        "scratch_storage_max_size": null, "monthly_price": 6.42, "hourly_price": 0.0088,
        "capabilities": {
            "boot_types": ["local", "rescue"], "placement_groups": true, "block_storage": true,
            "hot_snapshots_local_volume": true, "private_network": 8, "max_file_systems": 0
        },
        "network": {
            "ipv6_support": true, "sum_internal_bandwidth": 300_000_000u64,
            "sum_internet_bandwidth": 300_000_000u64,
            "interfaces": [{"internal_bandwidth": 300_000_000u64, "internet_bandwidth": 300_000_000u64}]
        },
        "block_bandwidth": 104_857_600u64, "end_of_service": false
    });
    let mut gpu = dev1_s.clone();
    gpu["arch"] = json!("x86_64");
    gpu["ncpus"] = json!(8);
    gpu["gpu"] = json!(1);
    gpu["gpu_info"] =
        json!({"gpu_manufacturer": "NVIDIA", "gpu_name": "L4", "gpu_memory": 25_769_803_776u64});
    Mock::given(method("GET"))
        .and(path("/instance/v1/zones/fr-par-2/products/servers"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-total-count", "2")
                .set_body_json(json!({"servers": {"DEV1-S": dev1_s, "L4-1-24G": gpu}})),
        )
        .mount(&server)
        .await;
    let client = client_for(&server).build().unwrap();

    let types_by_name = client
        .instance_v1()
        .list_servers_types()
        .zone("fr-par-2")
        .per_page(50)
        .send()
        .await
        .unwrap()
        .servers;

    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        "/instance/v1/zones/fr-par-2/products/servers"
    );
    assert_eq!(query_pairs(&request), pairs(&[("per_page", "50")]));
    assert!(!types_by_name.is_empty(), "the servers map decoded empty");
    assert_eq!(
        types_by_name.keys().collect::<Vec<_>>(),
        ["DEV1-S", "L4-1-24G"]
    );
    let dev = &types_by_name["DEV1-S"];
    assert_eq!(dev.ncpus, 2);
    assert_eq!(dev.ram, 2_147_483_648);
    assert_eq!(dev.arch, types::Arch::X8664);
    assert!((dev.hourly_price - 0.0088).abs() < 1e-6);
    let capabilities = dev.capabilities.as_ref().unwrap();
    assert_eq!(
        capabilities.boot_types,
        [types::BootType::Local, types::BootType::Rescue]
    );
    assert_eq!(capabilities.private_network, Some(8));
    let network = dev.network.as_ref().unwrap();
    assert_eq!(network.interfaces.len(), 1);
    assert_eq!(
        dev.per_volume_constraint
            .as_ref()
            .unwrap()
            .l_ssd
            .as_ref()
            .unwrap()
            .max_size,
        20_000_000_000
    );
    assert!(dev.gpu_info.is_none());
    let l4 = &types_by_name["L4-1-24G"];
    let gpu_info = l4.gpu_info.as_ref().unwrap();
    assert_eq!(gpu_info.gpu_name, "L4");
}

#[tokio::test]
async fn dashboard_counts_are_parsed() {
    let server = MockServer::start().await;
    serve_json(
        &server,
        "GET",
        "/instance/v1/zones/nl-ams-1/dashboard",
        200,
        json!({"dashboard": {
            "volumes_count": 4, "running_servers_count": 2, "servers_by_types": {"DEV1-S": 1, "PRO2-XXS": 2},
            "images_count": 1, "snapshots_count": 3, "servers_count": 3, "ips_count": 2,
            "security_groups_count": 1, "ips_unused": 1, "volumes_l_ssd_count": 1,
            "volumes_b_ssd_count": 0, "volumes_l_ssd_total_size": 20_000_000_000u64,
            "volumes_b_ssd_total_size": 0, "private_nics_count": 2, "placement_groups_count": 0,
            "volumes_scratch_count": 0
        }}),
    )
    .await;
    let client = client_for(&server).build().unwrap();

    let dashboard = client
        .instance_v1()
        .get_dashboard()
        .zone("nl-ams-1")
        .send()
        .await
        .unwrap()
        .dashboard;

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/instance/v1/zones/nl-ams-1/dashboard");
    assert_eq!(dashboard.servers_count, 3);
    assert_eq!(dashboard.running_servers_count, 2);
    assert_eq!(dashboard.servers_by_types["PRO2-XXS"], 2);
    assert_eq!(dashboard.volumes_l_ssd_total_size, 20_000_000_000);
}

#[tokio::test]
async fn unknown_enum_values_are_kept_and_sent_back_unchanged() {
    let server = MockServer::start().await;
    let mut hibernating = server_json(SERVER_ID, "hibernating");
    hibernating["volumes"]["0"]["volume_type"] = json!("sbs_quantum");
    Mock::given(method("GET"))
        .and(path(SERVERS))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-total-count", "1")
                .set_body_json(json!({"servers": [hibernating]})),
        )
        .mount(&server)
        .await;
    let odd_volume = json!({
        "id": VOLUME_ID, "name": "data", "size": 20_000_000_000u64,
        "volume_type": "sbs_quantum", "state": "defragmenting"
    });
    serve_json(
        &server,
        "GET",
        &format!("/instance/v1/zones/fr-par-1/volumes/{VOLUME_ID}"),
        200,
        json!({ "volume": odd_volume }),
    )
    .await;
    let client = client_for(&server).build().unwrap();
    let instance = client.instance_v1();

    // An unknown value also goes out as given in a query filter.
    let servers = instance
        .list_servers()
        .zone("fr-par-1")
        .state("hibernating")
        .send()
        .await
        .unwrap()
        .servers;
    let first = &servers[0];
    assert_eq!(
        first.state,
        types::ServerState::Unknown("hibernating".into())
    );
    assert_eq!(first.state.to_string(), "hibernating");
    assert_eq!(
        first.volumes["0"].volume_type,
        types::VolumeServerVolumeType::Unknown("sbs_quantum".into())
    );
    let back = serde_json::to_value(first).unwrap();
    assert_eq!(back["state"], "hibernating");
    assert_eq!(back["volumes"]["0"]["volume_type"], "sbs_quantum");

    let volume = instance
        .get_volume()
        .zone("fr-par-1")
        .volume_id(VOLUME_ID)
        .send()
        .await
        .unwrap()
        .volume;
    assert_eq!(
        volume.volume_type,
        types::VolumeVolumeType::Unknown("sbs_quantum".into())
    );
    assert_eq!(
        volume.state,
        Some(types::VolumeState::Unknown("defragmenting".into()))
    );
    assert_eq!(serde_json::to_value(&volume).unwrap(), odd_volume);

    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        query_pairs(&requests[0]),
        pairs(&[("state", "hibernating")])
    );
}

/// Serves `total` servers named `srv-<n>`, `size` per page, with `X-Total-Count: total`.
async fn serve_server_pages(server: &MockServer, total: usize, size: usize) {
    let pages = total.div_ceil(size);
    for page in 1..=pages {
        let items: Vec<Value> = ((page - 1) * size..(page * size).min(total))
            .map(|n| {
                let mut s = server_json(
                    &format!("00000000-0000-4000-8000-00000000000{n}"),
                    "running",
                );
                s["name"] = json!(format!("srv-{n}"));
                s
            })
            .collect();
        Mock::given(method("GET"))
            .and(path(SERVERS))
            .and(query_param("page", page.to_string()))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("x-total-count", total.to_string())
                    .set_body_json(json!({ "servers": items })),
            )
            .mount(server)
            .await;
    }
}

fn pages_asked(requests: &[wiremock::Request]) -> Vec<Vec<(String, String)>> {
    let mut asked: Vec<Vec<(String, String)>> = requests.iter().map(query_pairs).collect();
    asked.sort();
    asked
}

#[tokio::test]
async fn collect_all_follows_x_total_count_across_pages() {
    let server = MockServer::start().await;
    serve_server_pages(&server, 3, 2).await;
    let client = client_for(&server).build().unwrap();
    let instance = client.instance_v1();

    let all = instance
        .list_servers()
        .zone("fr-par-1")
        .per_page(2)
        .tags("web")
        .collect_all()
        .await
        .unwrap();

    let names: Vec<_> = all.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["srv-0", "srv-1", "srv-2"]);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests.len(),
        2,
        "one request per page, none beyond the last"
    );
    assert!(requests.iter().all(|r| r.url.path() == SERVERS));
    assert_eq!(
        pages_asked(&requests),
        [
            pairs(&[("page", "1"), ("per_page", "2"), ("tags", "web")]),
            pairs(&[("page", "2"), ("per_page", "2"), ("tags", "web")]),
        ]
    );
}

#[tokio::test]
async fn a_listing_sends_nothing_until_polled_and_boxes_into_a_nameable_stream() {
    let server = MockServer::start().await;
    serve_server_pages(&server, 3, 2).await;
    let client = client_for(&server).build().unwrap();
    let instance = client.instance_v1();

    let listing = instance.list_servers().zone("fr-par-1").stream();
    assert!(server.received_requests().await.unwrap().is_empty());
    // The boxed form, for a struct field or `match` arms listing different things.
    struct Listings<'a> {
        servers: scaleway_client::pagination::ItemStream<'a, types::Server, scaleway_client::Error>,
    }
    let mut held = Listings {
        servers: Box::pin(listing),
    };
    let first = held.servers.next().await.unwrap().unwrap();
    assert_eq!(first.name, "srv-0");
    let rest: Vec<_> = held.servers.map(|item| item.unwrap().name).collect().await;
    assert_eq!(rest, ["srv-1", "srv-2"]);
}

#[tokio::test]
async fn stream_yields_every_item_and_asks_the_largest_page_by_default() {
    let server = MockServer::start().await;
    serve_server_pages(&server, 3, 1).await;
    let client = client_for(&server).build().unwrap();
    let instance = client.instance_v1();

    // The server here pages by 1 whatever is asked: the total drives the rest.
    let names: Vec<String> = instance
        .list_servers()
        .zone("fr-par-1")
        .stream()
        .map(|item| item.unwrap().name)
        .collect()
        .await;
    assert_eq!(names, ["srv-0", "srv-1", "srv-2"]);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert_eq!(
        pages_asked(&requests),
        [
            pairs(&[("page", "1"), ("per_page", "100")]),
            pairs(&[("page", "2"), ("per_page", "100")]),
            pairs(&[("page", "3"), ("per_page", "100")]),
        ]
    );

    // Everything on page 1: exactly one request.
    let server = MockServer::start().await;
    serve_server_pages(&server, 3, 100).await;
    let client = client_for(&server).build().unwrap();
    let all = client
        .instance_v1()
        .list_servers()
        .zone("fr-par-1")
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    let request = only_request(&server).await;
    assert_eq!(
        query_pairs(&request),
        pairs(&[("page", "1"), ("per_page", "100")])
    );
}

#[tokio::test]
async fn zones_beyond_the_seeds_and_the_default_zone_fill_the_path() {
    let server = MockServer::start().await;
    for zone in ["it-mil-1", "pl-waw-3", "es-mad-1"] {
        serve_json(
            &server,
            "GET",
            &format!("/instance/v1/zones/{zone}/servers/{SERVER_ID}"),
            200,
            json!({"server": server_json(SERVER_ID, "running")}),
        )
        .await;
    }
    let client = client_for(&server)
        .default_zone("pl-waw-3")
        .build()
        .unwrap();
    let instance = client.instance_v1();

    for zone in [Some("it-mil-1"), None, Some("es-mad-1")] {
        let mut call = instance.get_server().server_id(SERVER_ID);
        if let Some(zone) = zone {
            call = call.zone(zone);
        }
        call.send().await.unwrap();
    }

    let paths = received_paths(&server).await;
    assert_eq!(
        paths,
        [
            format!("/instance/v1/zones/it-mil-1/servers/{SERVER_ID}"),
            format!("/instance/v1/zones/pl-waw-3/servers/{SERVER_ID}"),
            format!("/instance/v1/zones/es-mad-1/servers/{SERVER_ID}"),
        ]
    );

    // Without a configured zone, nothing is sent.
    let bare = client_for(&server).build().unwrap();
    let err = bare
        .instance_v1()
        .get_server()
        .server_id(SERVER_ID)
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no zone given"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn not_found_on_get_server_surfaces_status_and_type() {
    let server = MockServer::start().await;
    serve_json(
        &server,
        "GET",
        &server_path(""),
        404,
        json!({
            "type": "not_found",
            "message": "resource is not found",
            "resource": "instance_server",
            "resource_id": SERVER_ID
        }),
    )
    .await;
    let client = client_for(&server).build().unwrap();

    let err = client
        .instance_v1()
        .get_server()
        .zone("fr-par-1")
        .server_id(SERVER_ID)
        .send_with_response()
        .await
        .unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let api = err.api_error().expect("decoded error body");
    assert_eq!(api.error_type, "not_found");
    assert_eq!(api.message, "resource is not found");
    assert_eq!(api.resource.as_deref(), Some("instance_server"));
    assert_eq!(api.resource_id.as_deref(), Some(SERVER_ID));
}

#[tokio::test]
async fn configured_project_fills_a_create_that_names_none() {
    let server = MockServer::start().await;
    serve_json(
        &server,
        "POST",
        SERVERS,
        201,
        json!({"server": server_json(SERVER_ID, "stopped")}),
    )
    .await;
    let client = client_for(&server)
        .default_zone("fr-par-1")
        .default_project_id(PROJECT)
        .build()
        .unwrap();

    client
        .instance_v1()
        .create_server()
        .body_map(|body| body.commercial_type("DEV1-S").image(IMAGE_ID.to_owned()))
        .send()
        .await
        .unwrap();

    // `ClientBuilder::default_project_id`: "Project used when a create call sets none."
    let body = json_body(&only_request(&server).await);
    assert_eq!(body["project"], PROJECT, "{body}");
}
