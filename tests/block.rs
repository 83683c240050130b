//! The Block Storage crate through the facade, against a wiremock server.

use scaleway_client::block_v1alpha1::types;
use scaleway_tests::{
    client_for, header, json_body, only_request, pairs, query_pairs, received_paths, serve_empty,
    serve_json,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROJECT: &str = "8f3a6c1e-5b2d-4e7f-9a10-2b3c4d5e6f70";
const VOLUME_ID: &str = "4d5e6f70-8192-4a3b-9c4d-5e6f708192a3";
const SNAPSHOT_ID: &str = "b2c3d4e5-f607-4182-93a4-b5c6d7e8f9a0";
const SERVER_ID: &str = "0d9c4e5a-1f2b-4c3d-8e7f-6a5b4c3d2e1f";

const ZONE: &str = "/block/v1alpha1/zones/fr-par-1";

fn volume_json(id: &str, name: &str, status: &str) -> Value {
    json!({
        "id": id, "name": name, "type": "sbs_5k", "size": 20_000_000_000u64,
        "project_id": PROJECT, "created_at": "2025-05-02T10:00:00.000000Z",
        "updated_at": "2025-05-02T10:00:00.000000Z", "references": [],
        "parent_snapshot_id": null, "status": status, "tags": ["db"],
        "specs": {"perf_iops": 5000, "class": "sbs"}, "last_detached_at": null,
        "zone": "fr-par-1"
    })
}

#[tokio::test]
async fn create_volume_from_empty_posts_a_nested_body() {
    let server = MockServer::start().await;
    let volumes = format!("{ZONE}/volumes");
    serve_json(
        &server,
        "POST",
        &volumes,
        200,
        volume_json(VOLUME_ID, "db-data", "creating"),
    )
    .await;
    let client = client_for(&server).build().unwrap();

    let volume = client
        .block_v1alpha1()
        .create_volume()
        .zone("fr-par-1")
        .body(types::CreateVolumeRequest {
            name: Some("db-data".into()),
            project_id: Some(PROJECT.into()),
            perf_iops: Some(5000),
            from_empty: Some(types::CreateVolumeRequestFromEmpty {
                size: 20_000_000_000,
            }),
            tags: Some(vec!["db".into()]),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), volumes);
    assert_eq!(header(&request, "content-type"), "application/json");
    assert_eq!(
        json_body(&request),
        json!({
            "name": "db-data",
            "project_id": PROJECT,
            "perf_iops": 5000,
            "from_empty": {"size": 20_000_000_000u64},
            "tags": ["db"]
        })
    );
    assert_eq!(volume.id, VOLUME_ID);
    assert_eq!(volume.status, types::VolumeStatus::Creating);
    assert_eq!(volume.type_, "sbs_5k");
    assert_eq!(volume.size, 20_000_000_000);
    let specs = volume.specs.unwrap();
    assert_eq!(specs.perf_iops, Some(5000));
    assert_eq!(specs.class, types::StorageClass::Sbs);
    assert!(volume.last_detached_at.is_none());
}

#[tokio::test]
async fn get_volume_parses_its_references() {
    let server = MockServer::start().await;
    let mut attached = volume_json(VOLUME_ID, "db-data", "in_use");
    attached["references"] = json!([{
        "id": "71829304-a5b6-4c7d-8e9f-a0b1c2d3e4f5", "product_resource_type": "instance_server",
        "product_resource_id": SERVER_ID, "created_at": "2025-05-02T10:05:00.000000Z",
        "type": "exclusive", "status": "attached"
    }]);
    serve_json(
        &server,
        "GET",
        &format!("{ZONE}/volumes/{VOLUME_ID}"),
        200,
        attached,
    )
    .await;
    let client = client_for(&server).build().unwrap();

    let volume = client
        .block_v1alpha1()
        .get_volume()
        .zone("fr-par-1")
        .volume_id(VOLUME_ID)
        .send()
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), format!("{ZONE}/volumes/{VOLUME_ID}"));
    assert_eq!(volume.status, types::VolumeStatus::InUse);
    let reference = &volume.references[0];
    assert_eq!(reference.product_resource_type, "instance_server");
    assert_eq!(reference.product_resource_id, SERVER_ID);
    assert_eq!(reference.type_, types::ReferenceType::Exclusive);
    assert_eq!(reference.status, types::ReferenceStatus::Attached);
}

#[tokio::test]
async fn update_volume_patches_size_and_iops() {
    let server = MockServer::start().await;
    let route = format!("{ZONE}/volumes/{VOLUME_ID}");
    let mut resized = volume_json(VOLUME_ID, "db-data", "resizing");
    resized["size"] = json!(50_000_000_000u64);
    resized["specs"]["perf_iops"] = json!(15000);
    serve_json(&server, "PATCH", &route, 200, resized).await;
    let client = client_for(&server).build().unwrap();

    let volume = client
        .block_v1alpha1()
        .update_volume()
        .zone("fr-par-1")
        .volume_id(VOLUME_ID)
        .body(types::UpdateVolumeRequest {
            size: Some(50_000_000_000),
            perf_iops: Some(15000),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(request.url.path(), route);
    assert_eq!(
        json_body(&request),
        json!({"size": 50_000_000_000u64, "perf_iops": 15000})
    );
    assert_eq!(volume.status, types::VolumeStatus::Resizing);
    assert_eq!(volume.size, 50_000_000_000);
    assert_eq!(volume.specs.unwrap().perf_iops, Some(15000));
}

#[tokio::test]
async fn update_volume_can_clear_its_tags() {
    let server = MockServer::start().await;
    let route = format!("{ZONE}/volumes/{VOLUME_ID}");
    serve_json(
        &server,
        "PATCH",
        &route,
        200,
        volume_json(VOLUME_ID, "db-data", "available"),
    )
    .await;
    let client = client_for(&server).build().unwrap();

    client
        .block_v1alpha1()
        .update_volume()
        .zone("fr-par-1")
        .volume_id(VOLUME_ID)
        .body(types::UpdateVolumeRequest {
            tags: Some(vec![]),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();

    // An empty list and a null must reach the API: they clear and detach.
    assert_eq!(json_body(&only_request(&server).await), json!({"tags": []}));
}

#[tokio::test]
async fn snapshot_is_created_and_read_back_with_its_parent_volume() {
    let server = MockServer::start().await;
    let snapshot = json!({
        "id": SNAPSHOT_ID, "name": "db-before-migration",
        "parent_volume": {"id": VOLUME_ID, "name": "db-data", "type": "sbs_5k", "status": "in_use"},
        "size": 20_000_000_000u64, "project_id": PROJECT,
        "created_at": "2025-05-02T11:00:00.000000Z", "updated_at": "2025-05-02T11:00:00.000000Z",
        "references": [], "status": "creating", "tags": [], "class": "sbs", "zone": "fr-par-1"
    });
    serve_json(
        &server,
        "POST",
        &format!("{ZONE}/snapshots"),
        200,
        snapshot.clone(),
    )
    .await;
    let mut available = snapshot;
    available["status"] = json!("available");
    serve_json(
        &server,
        "GET",
        &format!("{ZONE}/snapshots/{SNAPSHOT_ID}"),
        200,
        available,
    )
    .await;
    let client = client_for(&server).build().unwrap();
    let block = client.block_v1alpha1();

    let created = block
        .create_snapshot()
        .zone("fr-par-1")
        .body(types::CreateSnapshotRequest {
            volume_id: VOLUME_ID.into(),
            name: Some("db-before-migration".into()),
            project_id: Some(PROJECT.into()),
            tags: None,
        })
        .send()
        .await
        .unwrap();
    assert_eq!(created.status, types::SnapshotStatus::Creating);

    let got = block
        .get_snapshot()
        .zone("fr-par-1")
        .snapshot_id(SNAPSHOT_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(got.status, types::SnapshotStatus::Available);
    assert_eq!(got.class, types::StorageClass::Sbs);
    let parent = got.parent_volume.unwrap();
    assert_eq!(parent.id, VOLUME_ID);
    assert_eq!(parent.type_, "sbs_5k");
    assert_eq!(parent.status, types::VolumeStatus::InUse);

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method.as_str(), "POST");
    assert_eq!(requests[0].url.path(), format!("{ZONE}/snapshots"));
    assert_eq!(
        json_body(&requests[0]),
        json!({"volume_id": VOLUME_ID, "name": "db-before-migration", "project_id": PROJECT})
    );
    assert_eq!(requests[1].method.as_str(), "GET");
    assert_eq!(
        requests[1].url.path(),
        format!("{ZONE}/snapshots/{SNAPSHOT_ID}")
    );
}

#[tokio::test]
async fn volume_types_are_listed_with_their_pricing() {
    let server = MockServer::start().await;
    serve_json(
        &server,
        "GET",
        &format!("{ZONE}/volume-types"),
        200,
        json!({
            "volume_types": [
                {"type": "sbs_5k", "specs": {"perf_iops": 5000, "class": "sbs"},
                 "pricing": {"currency_code": "EUR", "units": 0, "nanos": 86_000_000},
                 "snapshot_pricing": {"currency_code": "EUR", "units": 0, "nanos": 40_000_000}},
                {"type": "sbs_15k", "specs": {"perf_iops": 15000, "class": "sbs"},
                 "pricing": {"currency_code": "EUR", "units": 0, "nanos": 120_000_000},
                 "snapshot_pricing": {"currency_code": "EUR", "units": 0, "nanos": 40_000_000}}
            ],
            "total_count": 2
        }),
    )
    .await;
    let client = client_for(&server).build().unwrap();

    let listed = client
        .block_v1alpha1()
        .list_volume_types()
        .zone("fr-par-1")
        .page(1)
        .page_size(10)
        .send()
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), format!("{ZONE}/volume-types"));
    assert_eq!(
        query_pairs(&request),
        pairs(&[("page", "1"), ("page_size", "10")])
    );
    assert_eq!(listed.total_count, 2);
    let names: Vec<_> = listed
        .volume_types
        .iter()
        .map(|t| t.type_.as_str())
        .collect();
    assert_eq!(names, ["sbs_5k", "sbs_15k"]);
    let fast = &listed.volume_types[1];
    assert_eq!(fast.specs.as_ref().unwrap().perf_iops, Some(15000));
    let price = fast.pricing.as_ref().unwrap();
    assert_eq!(price.currency_code, "EUR");
    assert_eq!((price.units, price.nanos), (0, 120_000_000));
}

#[tokio::test]
async fn collect_all_follows_total_count_in_the_body() {
    let server = MockServer::start().await;
    let volumes = format!("{ZONE}/volumes");
    let ids = [
        "00000000-0000-4000-8000-0000000000a1",
        "00000000-0000-4000-8000-0000000000a2",
        "00000000-0000-4000-8000-0000000000a3",
    ];
    for (page, items) in [(1, &ids[..2]), (2, &ids[2..])] {
        let listed: Vec<Value> = items
            .iter()
            .map(|id| volume_json(id, "vol", "available"))
            .collect();
        Mock::given(method("GET"))
            .and(path(volumes.as_str()))
            .and(query_param("page", page.to_string()))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"volumes": listed, "total_count": 3})),
            )
            .mount(&server)
            .await;
    }
    let client = client_for(&server).build().unwrap();
    let block = client.block_v1alpha1();

    let all = block
        .list_volumes()
        .zone("fr-par-1")
        .page_size(2)
        .tags(vec!["db".to_owned()])
        .collect_all()
        .await
        .unwrap();

    let got: Vec<_> = all.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(got, ids);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests.len(),
        2,
        "one request per page, none beyond the last"
    );
    let mut asked: Vec<_> = requests.iter().map(query_pairs).collect();
    asked.sort();
    assert_eq!(
        asked,
        [
            pairs(&[("page", "1"), ("page_size", "2"), ("tags", "db")]),
            pairs(&[("page", "2"), ("page_size", "2"), ("tags", "db")]),
        ]
    );
}

#[tokio::test]
async fn delete_volume_succeeds_on_204_without_a_body() {
    let server = MockServer::start().await;
    let route = format!("{ZONE}/volumes/{VOLUME_ID}");
    serve_empty(&server, "DELETE", &route, 204).await;
    let client = client_for(&server).build().unwrap();

    let deleted = client
        .block_v1alpha1()
        .delete_volume()
        .zone("fr-par-1")
        .volume_id(VOLUME_ID)
        .send_with_response()
        .await
        .unwrap();

    assert_eq!(deleted.status().as_u16(), 204);
    let () = deleted.into_inner();
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(request.url.path(), route);
}

#[tokio::test]
async fn unknown_volume_status_is_kept() {
    let server = MockServer::start().await;
    let mut odd = volume_json(VOLUME_ID, "db-data", "migrating");
    odd["specs"]["class"] = json!("sbs_quantum");
    serve_json(
        &server,
        "GET",
        &format!("{ZONE}/volumes/{VOLUME_ID}"),
        200,
        odd,
    )
    .await;
    let client = client_for(&server).build().unwrap();

    let volume = client
        .block_v1alpha1()
        .get_volume()
        .zone("fr-par-1")
        .volume_id(VOLUME_ID)
        .send()
        .await
        .unwrap();

    assert_eq!(
        volume.status,
        types::VolumeStatus::Unknown("migrating".into())
    );
    let specs = volume.specs.as_ref().unwrap();
    assert_eq!(
        specs.class,
        types::StorageClass::Unknown("sbs_quantum".into())
    );
    let back = serde_json::to_value(&volume).unwrap();
    assert_eq!(back["status"], "migrating");
    assert_eq!(back["specs"]["class"], "sbs_quantum");
}

#[tokio::test]
async fn zones_beyond_the_seeds_and_the_default_zone_fill_the_path() {
    let server = MockServer::start().await;
    for zone in ["it-mil-1", "nl-ams-3", "es-mad-1"] {
        serve_json(
            &server,
            "GET",
            &format!("/block/v1alpha1/zones/{zone}/volumes/{VOLUME_ID}"),
            200,
            volume_json(VOLUME_ID, "db-data", "available"),
        )
        .await;
    }
    let client = client_for(&server)
        .default_zone("nl-ams-3")
        .build()
        .unwrap();
    let block = client.block_v1alpha1();

    for zone in [Some("it-mil-1"), None, Some("es-mad-1")] {
        let mut call = block.get_volume().volume_id(VOLUME_ID);
        if let Some(zone) = zone {
            call = call.zone(zone);
        }
        call.send().await.unwrap();
    }

    let paths = received_paths(&server).await;
    assert_eq!(
        paths,
        [
            format!("/block/v1alpha1/zones/it-mil-1/volumes/{VOLUME_ID}"),
            format!("/block/v1alpha1/zones/nl-ams-3/volumes/{VOLUME_ID}"),
            format!("/block/v1alpha1/zones/es-mad-1/volumes/{VOLUME_ID}"),
        ]
    );
}

#[tokio::test]
async fn not_found_on_get_snapshot_surfaces_status_and_type() {
    let server = MockServer::start().await;
    serve_json(
        &server,
        "GET",
        &format!("{ZONE}/snapshots/{SNAPSHOT_ID}"),
        404,
        json!({"message": "resource is not found", "resource": "block_snapshot",
               "resource_id": SNAPSHOT_ID, "type": "not_found"}),
    )
    .await;
    let client = client_for(&server).build().unwrap();

    let err = client
        .block_v1alpha1()
        .get_snapshot()
        .zone("fr-par-1")
        .snapshot_id(SNAPSHOT_ID)
        .send_with_response()
        .await
        .unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let api = err.api_error().expect("decoded error body");
    assert_eq!(api.error_type, "not_found");
    assert_eq!(api.resource.as_deref(), Some("block_snapshot"));
    assert_eq!(api.resource_id.as_deref(), Some(SNAPSHOT_ID));
}
