//! The test kit users get with the facade's `mock` feature: typed answers per operation,
//! failures, paged lists with their total, typed requests received, recorded traffic replayed.

use futures::TryStreamExt;
use scaleway_client::marketplace_v2::types::{LocalImage, LocalImageType};
use scaleway_client::mock::{MockApi, PROJECT_ID};
use scaleway_client::{ImageQuery, Zone, instance_v1::types as instance};
use scaleway_tests::server_json;

fn image(id: &str, arch: &str) -> LocalImage {
    LocalImage {
        id: id.into(),
        arch: arch.into(),
        zone: Zone::FR_PAR_1,
        label: "ubuntu_noble".into(),
        compatible_commercial_types: vec!["DEV1-S".into()],
        type_: LocalImageType::InstanceLocal,
    }
}

fn server(id: &str, name: &str) -> instance::Server {
    serde_json::from_value(server_json(id, name, "running")).unwrap()
}

#[tokio::test]
async fn a_typed_answer_reaches_the_code_under_test() {
    let api = MockApi::start().await;
    api.instance_v1()
        .get_server()
        .server_id("s1")
        .returns(instance::GetServerResponse {
            server: server("s1", "web-1"),
        })
        .await;
    let got = api
        .client()
        .instance_v1()
        .get_server()
        .server_id("s1")
        .send()
        .await
        .unwrap();
    assert_eq!(got.server.name, "web-1");
    // Pinned to `s1`: another id is not answered by this mock.
    let other = api
        .client()
        .instance_v1()
        .get_server()
        .server_id("s2")
        .send()
        .await;
    assert!(other.unwrap_err().is_not_found());
}

#[tokio::test]
async fn a_failure_carries_scaleways_error_body() {
    let api = MockApi::start().await;
    api.instance_v1()
        .delete_server()
        .fails(409, "transient_state")
        .await;
    let err = api
        .client()
        .instance_v1()
        .delete_server()
        .server_id("s1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(409));
    assert!(
        matches!(
            err.kind(),
            Some(scaleway_client::ErrorKind::TransientState { .. })
        ),
        "{err}"
    );
}

#[tokio::test]
async fn paged_lists_give_their_total_in_the_header_or_the_body() {
    let api = MockApi::start().await;
    // Instance lists count in X-Total-Count, Marketplace ones in the body.
    let servers: Vec<instance::Server> = (0..250)
        .map(|n| server(&format!("s{n}"), &format!("web-{n}")))
        .collect();
    api.instance_v1()
        .list_servers()
        .returns_items(servers.clone())
        .await;
    let images: Vec<LocalImage> = (0..120)
        .map(|n| image(&format!("i{n}"), "x86_64"))
        .collect();
    api.marketplace_v2()
        .list_local_images()
        .returns_items(images.clone())
        .await;

    let listed: Vec<instance::Server> = api
        .client()
        .instance_v1()
        .list_servers()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed, servers);
    let listed = api
        .client()
        .marketplace_v2()
        .list_local_images()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(listed, images);
    assert_eq!(
        api.instance_v1().list_servers().received().await,
        3,
        "pages of 100"
    );
}

#[tokio::test]
async fn requests_received_read_back_typed() {
    let api = MockApi::start().await;
    api.instance_v1()
        .create_server()
        .returns(instance::CreateServerResponse {
            server: server("s9", "made"),
        })
        .await;
    api.client()
        .instance_v1()
        .create_server()
        .body(instance::CreateServerRequest {
            commercial_type: "DEV1-S".into(),
            image: Some("ubuntu_noble".into()),
            ..serde_json::from_value(serde_json::json!({"commercial_type": "DEV1-S"})).unwrap()
        })
        .send()
        .await
        .unwrap();
    let sent = api.instance_v1().create_server().received().await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].commercial_type, "DEV1-S");
    // The kit's client fills create defaults like any other: its project, a random name.
    assert_eq!(sent[0].project.as_deref(), Some(PROJECT_ID));
    assert!(
        sent[0]
            .name
            .as_deref()
            .is_some_and(|n| n.starts_with("srv-"))
    );
}

#[tokio::test]
async fn helpers_of_the_facade_run_against_the_mocks() {
    let api = MockApi::start().await;
    api.marketplace_v2()
        .list_local_images()
        .returns_items(vec![image("arm", "arm64"), image("x86", "x86_64")])
        .await;
    let found = api
        .client()
        .find_local_image(&ImageQuery::label("ubuntu_noble").arch("x86_64"))
        .await
        .unwrap();
    assert_eq!(found.id, "x86");
}

#[tokio::test]
async fn a_recorded_file_replays_as_a_mock() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("recorded.jsonl");
    let body = serde_json::json!({"server": server_json("s1", "recorded", "running")}).to_string();
    let lines = [
        serde_json::json!({"method": "GET", "path": "/instance/v1/zones/fr-par-1/servers/s1", "query": "", "status": 200, "response_body": body}),
        serde_json::json!({"method": "DELETE", "path": "/instance/v1/zones/fr-par-1/servers/s1", "status": 204, "response_body": ""}),
        serde_json::json!({"method": "GET", "path": "/instance/v1/zones/fr-par-1/servers/s1", "status": 404, "response_body": "{\"type\":\"not_found\",\"message\":\"gone\"}"}),
    ];
    std::fs::write(&file, lines.map(|l| l.to_string()).join("\n")).unwrap();
    let api = MockApi::start().await;
    assert_eq!(api.replay(&file).await.unwrap(), 3);

    let instance = api.client().instance_v1();
    let got = instance.get_server().server_id("s1").send().await.unwrap();
    assert_eq!(got.server.name, "recorded");
    instance
        .delete_server()
        .server_id("s1")
        .send()
        .await
        .unwrap();
    // The same request answers as recorded, in order: now it is gone.
    let err = instance
        .get_server()
        .server_id("s1")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_not_found());
}

#[tokio::test]
async fn a_broken_recording_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.jsonl");
    std::fs::write(
        &file,
        "{\"method\":\"GET\",\"path\":\"/x\",\"status\":200}\nnot json\n",
    )
    .unwrap();
    let api = MockApi::start().await;
    let err = api.replay(&file).await.unwrap_err();
    assert!(
        err.to_string()
            .ends_with(":2: not a recorded interaction: expected ident at line 1 column 2"),
        "{err}"
    );
}

#[tokio::test]
async fn answers_in_turn_drive_a_waiter() {
    let api = MockApi::start().await;
    let mut starting = server("s1", "web-1");
    starting.state = instance::ServerState::Starting;
    let get = || api.instance_v1().get_server().server_id("s1");
    get()
        .times(2)
        .returns(instance::GetServerResponse {
            server: starting.clone(),
        })
        .await;
    get()
        .returns(instance::GetServerResponse {
            server: server("s1", "web-1"),
        })
        .await;

    let options = scaleway_client::WaitOptions::timeout(std::time::Duration::from_secs(5))
        .every(std::time::Duration::from_millis(5));
    let settled = api
        .client()
        .instance_v1()
        .wait_for_server("s1", None, &options)
        .await
        .unwrap();
    assert_eq!(settled.server.state, instance::ServerState::Running);
    assert_eq!(get().received().await, 3);
}
