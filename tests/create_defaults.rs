//! Defaults the generated create requests fill on their typed body before sending: the owner
//! (`project` / `project_id`) from the configured project or organization, and a readable random
//! name with the operation's `x-name-prefix` when none is given. Checked on the JSON sent.

use scaleway_client::Client;
use scaleway_tests::{json_body, only_request, serve_json};
use serde_json::{Value, json};
use wiremock::MockServer;

const PROJECT: &str = "8f3a6c1e-5b2d-4e7f-9a10-2b3c4d5e6f70";
const ORGANIZATION: &str = "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b";
const CALLER_PROJECT: &str = "6e5d4c3b-2a19-4f08-b7c6-d5e4f3a2b1c0";
const CALLER_ORGANIZATION: &str = "2c3d4e5f-6071-4829-9bac-1d2e3f4a5b6c";
const SERVER_ID: &str = "0d9c4e5a-1f2b-4c3d-8e7f-6a5b4c3d2e1f";
const IMAGE_ID: &str = "3e1b7a52-9c4d-4f60-8a2b-7d5e6f1a2b3c";
const VOLUME_ID: &str = "4d5e6f70-8192-4a3b-9c4d-5e6f708192a3";
const VPC_ID: &str = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
const PN_ID: &str = "9d8c7b6a-5f4e-4d3c-8b2a-190817263544";

const SERVERS: &str = "/instance/v1/zones/fr-par-1/servers";
const PRIVATE_NETWORKS: &str = "/vpc/v2/regions/fr-par/private-networks";
const BLOCK_VOLUMES: &str = "/block/v1alpha1/zones/fr-par-1/volumes";

/// A client of `server` configured only with what is set here (no environment, no config
/// file), in fr-par-1 / fr-par, with the given default owners.
fn client(server: &MockServer, project: Option<&str>, organization: Option<&str>) -> Client {
    let mut builder = Client::builder()
        .ignore_environment()
        .api_url(server.uri())
        .retry(scaleway_client::RetryPolicy::none())
        .default_zone("fr-par-1")
        .default_region("fr-par");
    if let Some(project) = project {
        builder = builder.default_project_id(project);
    }
    if let Some(organization) = organization {
        builder = builder.default_organization_id(organization);
    }
    builder.build().unwrap()
}

/// The JSON body of the one request `server` received.
async fn sent_body(server: &MockServer) -> Value {
    json_body(&only_request(server).await)
}

/// `name` is `<prefix>-<adjective>-<noun>`: three non-empty lower-case words.
fn assert_random_name(name: &Value, prefix: &str) {
    let name = name
        .as_str()
        .unwrap_or_else(|| panic!("no name sent: {name}"));
    let parts: Vec<&str> = name.split('-').collect();
    assert_eq!(
        parts.len(),
        3,
        "{name:?} is not <prefix>-<adjective>-<noun>"
    );
    assert_eq!(parts[0], prefix, "{name:?}");
    assert!(
        parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase())),
        "{name:?}"
    );
}

/// What the API answers to a server creation.
fn created_server() -> Value {
    json!({"server": {
        "id": SERVER_ID, "name": "web-1", "hostname": "web-1", "arch": "x86_64",
        "commercial_type": "DEV1-S", "boot_type": "local",
        "organization": PROJECT, "project": PROJECT,
        "image": {
            "id": IMAGE_ID, "name": "Debian Bookworm", "arch": "x86_64", "public": true,
            "state": "available", "extra_volumes": {}, "default_bootscript": null,
            // Public images belong to Scaleway's own organization.
            "organization": "51b656e3-4865-41e8-adbc-0c45bdd780db",
            "project": "51b656e3-4865-41e8-adbc-0c45bdd780db",
            "from_server": "", "tags": [], "zone": "fr-par-1"
        },
        "volumes": {"0": {"id": VOLUME_ID, "boot": false, "volume_type": "sbs_volume",
                          "state": "available", "zone": "fr-par-1"}},
        "tags": [], "state": "stopped", "state_detail": "", "protected": false,
        "public_ip": null, "public_ips": [], "private_ip": null, "private_nics": [],
        "mac_address": "de:00:00:12:34:56", "ipv6": null, "location": null, "maintenances": [],
        "allowed_actions": ["poweron", "backup"],
        "security_group": {"id": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f", "name": "Default security group"},
        "placement_group": null, "dynamic_ip_required": false, "routed_ip_enabled": true,
        "enable_ipv6": false, "bootscript": null, "extra_networks": [], "filesystems": [],
        "end_of_service": false,
        "creation_date": "2025-03-14T09:26:53.589793+00:00",
        "modification_date": "2025-03-14T09:26:53.589793+00:00", "zone": "fr-par-1"
    }})
}

async fn server_creation(server: &MockServer) {
    serve_json(server, "POST", SERVERS, 201, created_server()).await;
}

#[tokio::test]
async fn create_server_without_owner_is_sent_with_the_default_project_and_no_organization() {
    let server = MockServer::start().await;
    server_creation(&server).await;
    // Both defaults configured: the project wins, and the organization is not added.
    let client = client(&server, Some(PROJECT), Some(ORGANIZATION));

    client
        .instance_v1()
        .create_server()
        .body_map(|b| {
            b.commercial_type("DEV1-S")
                .image(IMAGE_ID.to_owned())
                .name("web-1".to_owned())
        })
        .send()
        .await
        .unwrap();

    let body = sent_body(&server).await;
    assert_eq!(body["project"], PROJECT, "{body}");
    assert!(body.get("organization").is_none(), "{body}");
}

#[tokio::test]
async fn create_server_without_owner_uses_the_default_organization_as_project() {
    let server = MockServer::start().await;
    server_creation(&server).await;
    let client = client(&server, None, Some(ORGANIZATION));

    client
        .instance_v1()
        .create_server()
        .body_map(|b| {
            b.commercial_type("DEV1-S")
                .image(IMAGE_ID.to_owned())
                .name("web-1".to_owned())
        })
        .send()
        .await
        .unwrap();

    let body = sent_body(&server).await;
    assert_eq!(body["project"], ORGANIZATION, "{body}");
    assert!(body.get("organization").is_none(), "{body}");
}

#[tokio::test]
async fn create_server_with_an_organization_gets_no_default_project() {
    let server = MockServer::start().await;
    server_creation(&server).await;
    let client = client(&server, Some(PROJECT), Some(ORGANIZATION));

    client
        .instance_v1()
        .create_server()
        .body_map(|b| {
            b.commercial_type("DEV1-S")
                .image(IMAGE_ID.to_owned())
                .name("web-1".to_owned())
                .organization(CALLER_ORGANIZATION.to_owned())
        })
        .send()
        .await
        .unwrap();

    let body = sent_body(&server).await;
    assert_eq!(body["organization"], CALLER_ORGANIZATION, "{body}");
    assert!(body.get("project").is_none(), "{body}");
}

#[tokio::test]
async fn create_server_with_a_project_keeps_it() {
    let server = MockServer::start().await;
    server_creation(&server).await;
    let client = client(&server, Some(PROJECT), Some(ORGANIZATION));

    client
        .instance_v1()
        .create_server()
        .body_map(|b| {
            b.commercial_type("DEV1-S")
                .image(IMAGE_ID.to_owned())
                .name("web-1".to_owned())
                .project(CALLER_PROJECT.to_owned())
        })
        .send()
        .await
        .unwrap();

    let body = sent_body(&server).await;
    assert_eq!(body["project"], CALLER_PROJECT, "{body}");
    assert!(body.get("organization").is_none(), "{body}");
}

#[tokio::test]
async fn create_server_with_no_owner_configured_sends_no_owner() {
    let server = MockServer::start().await;
    server_creation(&server).await;
    let client = client(&server, None, None);

    client
        .instance_v1()
        .create_server()
        .body_map(|b| {
            b.commercial_type("DEV1-S")
                .image(IMAGE_ID.to_owned())
                .name("web-1".to_owned())
        })
        .send()
        .await
        .unwrap();

    let body = sent_body(&server).await;
    assert!(body.get("project").is_none(), "{body}");
    assert!(body.get("organization").is_none(), "{body}");
}

#[tokio::test]
async fn create_server_without_a_name_gets_a_random_srv_name() {
    let server = MockServer::start().await;
    server_creation(&server).await;
    let client = client(&server, Some(PROJECT), None);

    client
        .instance_v1()
        .create_server()
        .body_map(|b| b.commercial_type("DEV1-S").image(IMAGE_ID.to_owned()))
        .send()
        .await
        .unwrap();

    let body = sent_body(&server).await;
    assert_random_name(&body["name"], "srv");
    // The rest of the body is what the caller set, plus the owner.
    assert_eq!(body["commercial_type"], "DEV1-S", "{body}");
    assert_eq!(body["image"], IMAGE_ID, "{body}");
    assert_eq!(body["project"], PROJECT, "{body}");
}

#[tokio::test]
async fn create_server_with_an_empty_name_gets_a_random_srv_name() {
    let server = MockServer::start().await;
    server_creation(&server).await;
    let client = client(&server, Some(PROJECT), None);

    client
        .instance_v1()
        .create_server()
        .body_map(|b| {
            b.commercial_type("DEV1-S")
                .image(IMAGE_ID.to_owned())
                .name(String::new())
        })
        .send()
        .await
        .unwrap();

    assert_random_name(&sent_body(&server).await["name"], "srv");
}

#[tokio::test]
async fn create_server_keeps_a_given_name() {
    let server = MockServer::start().await;
    server_creation(&server).await;
    let client = client(&server, Some(PROJECT), None);

    client
        .instance_v1()
        .create_server()
        .body_map(|b| {
            b.commercial_type("DEV1-S")
                .image(IMAGE_ID.to_owned())
                .name("web-1".to_owned())
        })
        .send()
        .await
        .unwrap();

    assert_eq!(sent_body(&server).await["name"], "web-1");
}

fn created_private_network(name: &str) -> Value {
    json!({
        "id": PN_ID, "name": name, "tags": [], "organization_id": PROJECT, "project_id": PROJECT,
        "created_at": "2025-04-01T08:05:00.000000Z", "updated_at": "2025-04-01T08:05:00.000000Z",
        "subnets": [
            {"id": "0a0b0c0d-1e1f-4a2b-8c3d-4e5f6a7b8c9d", "subnet": "172.16.8.0/22",
             "created_at": "2025-04-01T08:05:00.000000Z", "updated_at": "2025-04-01T08:05:00.000000Z",
             "project_id": PROJECT, "private_network_id": PN_ID, "vpc_id": VPC_ID}
        ],
        "vpc_id": VPC_ID, "dhcp_enabled": true, "default_route_propagation_enabled": false,
        "region": "fr-par"
    })
}

#[tokio::test]
async fn create_private_network_is_sent_with_the_default_project_id_and_a_pn_name() {
    let server = MockServer::start().await;
    serve_json(
        &server,
        "POST",
        PRIVATE_NETWORKS,
        200,
        created_private_network("pn-calm-curie"),
    )
    .await;
    let client = client(&server, Some(PROJECT), Some(ORGANIZATION));

    let network = client
        .vpc_v2()
        .create_private_network()
        .body(
            scaleway_client::vpc_v2::types::CreatePrivateNetworkRequest {
                vpc_id: Some(VPC_ID.into()),
                subnets: Some(vec!["172.16.8.0/22".into()]),
                ..Default::default()
            },
        )
        .send()
        .await
        .unwrap();

    let body = sent_body(&server).await;
    // The newer API names its owner field `project_id`: no legacy `project` key.
    assert_eq!(body["project_id"], PROJECT, "{body}");
    assert!(body.get("project").is_none(), "{body}");
    assert!(body.get("organization_id").is_none(), "{body}");
    assert!(body.get("organization").is_none(), "{body}");
    assert_random_name(&body["name"], "pn");
    assert_eq!(body["vpc_id"], VPC_ID, "{body}");
    assert_eq!(body["subnets"], json!(["172.16.8.0/22"]), "{body}");
    assert_eq!(network.id, PN_ID);
}

#[tokio::test]
async fn create_block_volume_is_sent_with_the_default_project_id_and_a_vol_name() {
    let server = MockServer::start().await;
    serve_json(
        &server,
        "POST",
        BLOCK_VOLUMES,
        200,
        json!({
            "id": VOLUME_ID, "name": "vol-keen-volta", "type": "sbs_5k",
            "size": 20_000_000_000u64, "project_id": PROJECT,
            "created_at": "2025-05-02T10:00:00.000000Z", "updated_at": "2025-05-02T10:00:00.000000Z",
            "references": [], "parent_snapshot_id": null, "status": "creating", "tags": [],
            "specs": {"perf_iops": 5000, "class": "sbs"}, "last_detached_at": null,
            "zone": "fr-par-1"
        }),
    )
    .await;
    let client = client(&server, Some(PROJECT), Some(ORGANIZATION));

    let volume = client
        .block_v1alpha1()
        .create_volume()
        .body(
            scaleway_client::block_v1alpha1::types::CreateVolumeRequest {
                perf_iops: Some(5000),
                from_empty: Some(
                    scaleway_client::block_v1alpha1::types::CreateVolumeRequestFromEmpty {
                        size: 20_000_000_000,
                    },
                ),
                ..Default::default()
            },
        )
        .send()
        .await
        .unwrap();

    let body = sent_body(&server).await;
    assert_eq!(body["project_id"], PROJECT, "{body}");
    assert!(body.get("project").is_none(), "{body}");
    assert_random_name(&body["name"], "vol");
    assert_eq!(
        body["from_empty"],
        json!({"size": 20_000_000_000u64}),
        "{body}"
    );
    assert_eq!(body["perf_iops"], 5000, "{body}");
    assert_eq!(volume.id, VOLUME_ID);
}

#[tokio::test]
async fn create_block_volume_with_only_an_organization_uses_it_as_project_id() {
    let server = MockServer::start().await;
    serve_json(
        &server,
        "POST",
        BLOCK_VOLUMES,
        200,
        json!({
            "id": VOLUME_ID, "name": "db-data", "type": "sbs_5k",
            "size": 20_000_000_000u64, "project_id": ORGANIZATION,
            "created_at": "2025-05-02T10:00:00.000000Z", "updated_at": "2025-05-02T10:00:00.000000Z",
            "references": [], "parent_snapshot_id": null, "status": "creating", "tags": [],
            "specs": {"perf_iops": 5000, "class": "sbs"}, "last_detached_at": null,
            "zone": "fr-par-1"
        }),
    )
    .await;
    let client = client(&server, None, Some(ORGANIZATION));

    client
        .block_v1alpha1()
        .create_volume()
        .body(
            scaleway_client::block_v1alpha1::types::CreateVolumeRequest {
                name: Some("db-data".into()),
                perf_iops: Some(5000),
                from_empty: Some(
                    scaleway_client::block_v1alpha1::types::CreateVolumeRequestFromEmpty {
                        size: 20_000_000_000,
                    },
                ),
                ..Default::default()
            },
        )
        .send()
        .await
        .unwrap();

    let body = sent_body(&server).await;
    assert_eq!(body["project_id"], ORGANIZATION, "{body}");
    assert_eq!(body["name"], "db-data", "{body}");
}
