//! The VPC crate through the facade, against a wiremock server.

use scaleway_client::vpc_v2::types;
use scaleway_tests::{
    client_for, header, json_body, only_request, pairs, query_pairs, received_paths, serve_empty,
    serve_json,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROJECT: &str = "8f3a6c1e-5b2d-4e7f-9a10-2b3c4d5e6f70";
const VPC_ID: &str = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
const PN_ID: &str = "9d8c7b6a-5f4e-4d3c-8b2a-190817263544";
const ROUTE_ID: &str = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";

const REGION: &str = "/vpc/v2/regions/fr-par";

fn vpc_json(name: &str) -> Value {
    json!({
        "id": VPC_ID, "name": name, "organization_id": PROJECT, "project_id": PROJECT,
        "region": "fr-par", "tags": ["prod"], "is_default": false,
        "created_at": "2025-04-01T08:00:00.000000Z", "updated_at": "2025-04-01T08:00:00.000000Z",
        "private_network_count": 0, "routing_enabled": true,
        "custom_routes_propagation_enabled": false, "transitivity_enabled": false,
        "object_storage_private_access_enabled": false
    })
}

fn private_network_json(id: &str, name: &str) -> Value {
    json!({
        "id": id, "name": name, "tags": [], "organization_id": PROJECT, "project_id": PROJECT,
        "created_at": "2025-04-01T08:05:00.000000Z", "updated_at": "2025-04-01T08:05:00.000000Z",
        "subnets": [
            {"id": "0a0b0c0d-1e1f-4a2b-8c3d-4e5f6a7b8c9d", "subnet": "172.16.4.0/22",
             "created_at": "2025-04-01T08:05:00.000000Z", "updated_at": "2025-04-01T08:05:00.000000Z",
             "project_id": PROJECT, "private_network_id": id, "vpc_id": VPC_ID},
            {"id": "1a1b1c1d-2e2f-4a3b-8c4d-5e6f7a8b9c0d", "subnet": "fd5f:519c:6d46:2728::/64",
             "created_at": "2025-04-01T08:05:00.000000Z", "updated_at": "2025-04-01T08:05:00.000000Z",
             "project_id": PROJECT, "private_network_id": id, "vpc_id": VPC_ID}
        ],
        "vpc_id": VPC_ID, "dhcp_enabled": true, "default_route_propagation_enabled": false,
        "region": "fr-par"
    })
}

#[tokio::test]
async fn create_vpc_posts_its_body_and_parses_the_vpc() {
    let server = MockServer::start().await;
    let vpcs = format!("{REGION}/vpcs");
    serve_json(&server, "POST", &vpcs, 200, vpc_json("prod")).await;
    let client = client_for(&server).build().unwrap();

    let vpc = client
        .vpc_v2()
        .create_vpc()
        .region("fr-par")
        .body(types::CreateVpcRequest {
            name: Some("prod".into()),
            project_id: Some(PROJECT.into()),
            tags: vec!["prod".into()],
            enable_routing: Some(true),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), vpcs);
    assert_eq!(header(&request, "content-type"), "application/json");
    assert_eq!(
        json_body(&request),
        json!({"name": "prod", "project_id": PROJECT, "tags": ["prod"], "enable_routing": true})
    );
    assert_eq!(vpc.id, VPC_ID);
    assert!(vpc.routing_enabled);
    assert!(!vpc.is_default);
    assert_eq!(vpc.private_network_count, 0);
    assert_eq!(vpc.region, "fr-par");
}

#[tokio::test]
async fn list_private_networks_repeats_array_filters_and_reads_total_count() {
    let server = MockServer::start().await;
    serve_json(
        &server,
        "GET",
        &format!("{REGION}/private-networks"),
        200,
        json!({"private_networks": [private_network_json(PN_ID, "backend")], "total_count": 1}),
    )
    .await;
    let client = client_for(&server).build().unwrap();

    let listed = client
        .vpc_v2()
        .list_private_networks()
        .region("fr-par")
        .vpc_id(VPC_ID)
        .tags(vec!["prod".to_owned(), "eu".to_owned()])
        .private_network_ids(vec![PN_ID.to_owned()])
        .order_by(types::ListPrivateNetworksRequestOrderBy::NameAsc)
        .dhcp_enabled(true)
        .page_size(20)
        .send()
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), format!("{REGION}/private-networks"));
    assert_eq!(
        query_pairs(&request),
        pairs(&[
            ("dhcp_enabled", "true"),
            ("order_by", "name_asc"),
            ("page_size", "20"),
            ("private_network_ids", PN_ID),
            ("tags", "eu"),
            ("tags", "prod"),
            ("vpc_id", VPC_ID),
        ])
    );
    assert_eq!(listed.total_count, 1);
    let network = &listed.private_networks[0];
    assert_eq!(network.name, "backend");
    assert!(network.dhcp_enabled);
    let subnets: Vec<_> = network.subnets.iter().map(|s| s.subnet.as_str()).collect();
    assert_eq!(subnets, ["172.16.4.0/22", "fd5f:519c:6d46:2728::/64"]);
}

#[tokio::test]
async fn collect_all_follows_total_count_in_the_body() {
    let server = MockServer::start().await;
    let route = format!("{REGION}/private-networks");
    let ids = [
        "00000000-0000-4000-8000-000000000001",
        "00000000-0000-4000-8000-000000000002",
        "00000000-0000-4000-8000-000000000003",
    ];
    for (page, items) in [(1, &ids[..2]), (2, &ids[2..])] {
        let networks: Vec<Value> = items
            .iter()
            .map(|id| private_network_json(id, &format!("pn-{}", &id[35..])))
            .collect();
        Mock::given(method("GET"))
            .and(path(route.as_str()))
            .and(query_param("page", page.to_string()))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"private_networks": networks, "total_count": 3})),
            )
            .mount(&server)
            .await;
    }
    let client = client_for(&server).build().unwrap();
    let vpc = client.vpc_v2();

    let all = vpc
        .list_private_networks()
        .region("fr-par")
        .project_id(PROJECT)
        .page_size(2)
        .collect_all()
        .await
        .unwrap();

    let got: Vec<_> = all.iter().map(|n| n.id.as_str()).collect();
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
            pairs(&[("page", "1"), ("page_size", "2"), ("project_id", PROJECT)]),
            pairs(&[("page", "2"), ("page_size", "2"), ("project_id", PROJECT)]),
        ]
    );
}

#[tokio::test]
async fn create_private_network_sends_its_subnets() {
    let server = MockServer::start().await;
    let route = format!("{REGION}/private-networks");
    serve_json(
        &server,
        "POST",
        &route,
        200,
        private_network_json(PN_ID, "backend"),
    )
    .await;
    let client = client_for(&server).build().unwrap();

    let network = client
        .vpc_v2()
        .create_private_network()
        .region("fr-par")
        .body(types::CreatePrivateNetworkRequest {
            name: Some("backend".into()),
            vpc_id: Some(VPC_ID.into()),
            subnets: Some(vec!["172.16.4.0/22".into()]),
            default_route_propagation_enabled: Some(false),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), route);
    assert_eq!(
        json_body(&request),
        json!({
            "name": "backend",
            "vpc_id": VPC_ID,
            "subnets": ["172.16.4.0/22"],
            "default_route_propagation_enabled": false
        })
    );
    assert_eq!(network.id, PN_ID);
    assert_eq!(network.vpc_id, VPC_ID);
    assert_eq!(network.subnets.len(), 2);
    assert_eq!(
        network.subnets[0].private_network_id.as_deref(),
        Some(PN_ID)
    );
}

#[tokio::test]
async fn delete_private_network_succeeds_on_204_without_a_body() {
    let server = MockServer::start().await;
    let route = format!("{REGION}/private-networks/{PN_ID}");
    serve_empty(&server, "DELETE", &route, 204).await;
    let client = client_for(&server).build().unwrap();

    let deleted = client
        .vpc_v2()
        .delete_private_network()
        .region("fr-par")
        .private_network_id(PN_ID)
        .send_with_response()
        .await
        .unwrap();

    assert_eq!(deleted.status().as_u16(), 204);
    let () = deleted.into_inner();
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(request.url.path(), route);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn route_is_created_then_read_back() {
    let server = MockServer::start().await;
    let route_json = json!({
        "id": ROUTE_ID, "description": "to the on-prem range", "tags": ["vpn"],
        "vpc_id": VPC_ID, "destination": "10.20.0.0/16",
        "nexthop_resource_id": "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e",
        "nexthop_private_network_id": null, "nexthop_vpc_connector_id": null,
        "created_at": "2025-04-01T09:00:00.000000Z", "updated_at": "2025-04-01T09:00:00.000000Z",
        "is_read_only": false, "region": "fr-par", "type": "custom"
    });
    serve_json(
        &server,
        "POST",
        &format!("{REGION}/routes"),
        200,
        route_json.clone(),
    )
    .await;
    serve_json(
        &server,
        "GET",
        &format!("{REGION}/routes/{ROUTE_ID}"),
        200,
        route_json,
    )
    .await;
    let client = client_for(&server).build().unwrap();
    let vpc = client.vpc_v2();

    let created = vpc
        .create_route()
        .region("fr-par")
        .body(types::CreateRouteRequest {
            description: "to the on-prem range".into(),
            destination: "10.20.0.0/16".into(),
            vpc_id: VPC_ID.into(),
            nexthop_resource_id: Some("6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e".into()),
            nexthop_private_network_id: None,
            nexthop_vpc_connector_id: None,
            tags: vec!["vpn".into()],
        })
        .send()
        .await
        .unwrap();
    assert_eq!(created.id, ROUTE_ID);

    let got = vpc
        .get_route()
        .region("fr-par")
        .route_id(ROUTE_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(got.destination, "10.20.0.0/16");
    assert!(!got.is_read_only);
    assert_eq!(got.type_, Some(types::RouteType::Custom));
    assert!(got.nexthop_private_network_id.is_none());

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method.as_str(), "POST");
    assert_eq!(requests[0].url.path(), format!("{REGION}/routes"));
    assert_eq!(
        json_body(&requests[0]),
        json!({
            "description": "to the on-prem range",
            "destination": "10.20.0.0/16",
            "vpc_id": VPC_ID,
            "nexthop_resource_id": "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e",
            "tags": ["vpn"]
        })
    );
    assert_eq!(requests[1].method.as_str(), "GET");
    assert_eq!(
        requests[1].url.path(),
        format!("{REGION}/routes/{ROUTE_ID}")
    );
}

#[tokio::test]
async fn acl_rules_are_replaced_with_put_and_read_with_is_ipv6() {
    let server = MockServer::start().await;
    let acl = format!("{REGION}/vpcs/{VPC_ID}/acl-rules");
    let rules = json!([{
        "protocol": "TCP", "source": "0.0.0.0/0", "src_port_low": 0, "src_port_high": 0,
        "destination": "172.16.4.0/22", "dst_port_low": 443, "dst_port_high": 443,
        "action": "accept", "description": "https in"
    }]);
    serve_json(
        &server,
        "PUT",
        &acl,
        200,
        json!({"rules": rules, "default_policy": "drop"}),
    )
    .await;
    serve_json(
        &server,
        "GET",
        &acl,
        200,
        json!({"rules": [], "default_policy": "accept"}),
    )
    .await;
    let client = client_for(&server).build().unwrap();
    let vpc = client.vpc_v2();

    let set = vpc
        .set_acl()
        .region("fr-par")
        .vpc_id(VPC_ID)
        .body(types::SetAclRequest {
            default_policy: types::Action::Drop,
            is_ipv6: Some(false),
            rules: Some(vec![types::AclRule {
                protocol: types::AclRuleProtocol::Tcp,
                source: "0.0.0.0/0".into(),
                src_port_low: 0,
                src_port_high: 0,
                destination: "172.16.4.0/22".into(),
                dst_port_low: 443,
                dst_port_high: 443,
                action: types::Action::Accept,
                description: Some("https in".into()),
            }]),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(set.default_policy, types::Action::Drop);
    assert_eq!(set.rules.len(), 1);
    assert_eq!(set.rules[0].dst_port_low, 443);

    // Replacing with no rules must still send the empty list.
    vpc.set_acl()
        .region("fr-par")
        .vpc_id(VPC_ID)
        .body(types::SetAclRequest {
            default_policy: types::Action::Accept,
            is_ipv6: None,
            rules: Some(vec![]),
        })
        .send()
        .await
        .unwrap();

    let got = vpc
        .get_acl()
        .region("fr-par")
        .vpc_id(VPC_ID)
        .is_ipv6(true)
        .send()
        .await
        .unwrap();
    assert_eq!(got.default_policy, types::Action::Accept);
    assert!(got.rules.is_empty());

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].method.as_str(), "PUT");
    assert_eq!(requests[0].url.path(), acl);
    assert_eq!(
        json_body(&requests[0]),
        json!({"default_policy": "drop", "is_ipv6": false, "rules": rules})
    );
    assert_eq!(
        json_body(&requests[1]),
        json!({"default_policy": "accept", "rules": []})
    );
    assert_eq!(requests[2].method.as_str(), "GET");
    assert_eq!(query_pairs(&requests[2]), pairs(&[("is_ipv6", "true")]));
}

#[tokio::test]
async fn update_private_network_can_clear_its_tags() {
    let server = MockServer::start().await;
    let route = format!("{REGION}/private-networks/{PN_ID}");
    serve_json(
        &server,
        "PATCH",
        &route,
        200,
        private_network_json(PN_ID, "backend"),
    )
    .await;
    let client = client_for(&server).build().unwrap();

    client
        .vpc_v2()
        .update_private_network()
        .region("fr-par")
        .private_network_id(PN_ID)
        .body(types::UpdatePrivateNetworkRequest {
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
async fn regions_beyond_the_seeds_and_the_default_region_fill_the_path() {
    let server = MockServer::start().await;
    for region in ["it-mil", "nl-ams", "es-mad"] {
        serve_json(
            &server,
            "GET",
            &format!("/vpc/v2/regions/{region}/vpcs/{VPC_ID}"),
            200,
            vpc_json("prod"),
        )
        .await;
    }
    let client = client_for(&server)
        .default_region("nl-ams")
        .build()
        .unwrap();
    let vpc = client.vpc_v2();

    for region in [Some("it-mil"), None, Some("es-mad")] {
        let mut call = vpc.get_vpc().vpc_id(VPC_ID);
        if let Some(region) = region {
            call = call.region(region);
        }
        call.send().await.unwrap();
    }

    let paths = received_paths(&server).await;
    assert_eq!(
        paths,
        [
            format!("/vpc/v2/regions/it-mil/vpcs/{VPC_ID}"),
            format!("/vpc/v2/regions/nl-ams/vpcs/{VPC_ID}"),
            format!("/vpc/v2/regions/es-mad/vpcs/{VPC_ID}"),
        ]
    );

    // Without a configured region, nothing is sent.
    let bare = client_for(&server).build().unwrap();
    let err = bare
        .vpc_v2()
        .get_vpc()
        .vpc_id(VPC_ID)
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no region given"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn not_found_on_get_private_network_surfaces_status_and_type() {
    let server = MockServer::start().await;
    serve_json(
        &server,
        "GET",
        &format!("{REGION}/private-networks/{PN_ID}"),
        404,
        json!({"message": "resource is not found", "resource": "private_network",
               "resource_id": PN_ID, "type": "not_found"}),
    )
    .await;
    let client = client_for(&server).build().unwrap();

    let err = client
        .vpc_v2()
        .get_private_network()
        .region("fr-par")
        .private_network_id(PN_ID)
        .send_with_response()
        .await
        .unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let api = err.api_error().expect("decoded error body");
    assert_eq!(api.error_type, "not_found");
    assert_eq!(api.resource.as_deref(), Some("private_network"));
    assert_eq!(api.resource_id.as_deref(), Some(PN_ID));
}

fn route_json(id: &str, destination: &str) -> Value {
    json!({
        "id": id, "description": "", "tags": ["edge"], "vpc_id": VPC_ID,
        "destination": destination, "nexthop_resource_id": null,
        "nexthop_private_network_id": PN_ID, "nexthop_vpc_connector_id": null,
        "created_at": "2025-04-01T09:00:00.000000Z", "updated_at": "2025-04-01T09:00:00.000000Z",
        "is_read_only": true, "region": "fr-par", "type": "subnet"
    })
}

#[tokio::test]
async fn vpcs_carry_s3_integration_enabled() {
    let server = MockServer::start().await;
    let mut body = vpc_json("prod");
    body["s3_integration_enabled"] = json!(true);
    serve_json(
        &server,
        "GET",
        &format!("{REGION}/vpcs/{VPC_ID}"),
        200,
        body,
    )
    .await;
    let client = client_for(&server).build().unwrap();
    let vpc = client
        .vpc_v2()
        .get_vpc()
        .region("fr-par")
        .vpc_id(VPC_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(vpc.s3_integration_enabled, Some(true));
    // Sent back unchanged by anyone who round-trips the object.
    assert_eq!(
        serde_json::to_value(&vpc).unwrap()["s3_integration_enabled"],
        true
    );
}

#[tokio::test]
async fn routes_with_nexthop_are_listed_with_filters_across_pages() {
    let server = MockServer::start().await;
    for page in 1..=2u32 {
        let routes: Vec<Value> = (0..if page == 1 { 100 } else { 3 })
            .map(|n| {
                json!({
                    "route": route_json(&format!("00000000-0000-4000-8000-{page:06}{n:06}"), "10.0.0.0/24"),
                    "nexthop_ip": "172.16.4.2",
                    "nexthop_name": format!("gw-{n}"),
                    "nexthop_resource_type": if n == 0 { "a_type_added_later" } else { "vpc_gateway_network" }
                })
            })
            .collect();
        Mock::given(method("GET"))
            .and(path(format!("{REGION}/routes-with-nexthop")))
            .and(query_param("page", page.to_string()))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"routes": routes, "total_count": 103})),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client_for(&server).build().unwrap();
    let routes = client
        .vpc_v2()
        .list_routes_with_nexthop()
        .region("fr-par")
        .vpc_id(VPC_ID)
        .tags(vec!["edge".to_owned(), "prod".to_owned()])
        .nexthop_resource_type(types::RouteWithNexthopResourceType::VpcGatewayNetwork)
        .order_by(types::ListRoutesWithNexthopRequestOrderBy::DestinationAsc)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(routes.len(), 103);
    assert_eq!(
        routes[0].route.nexthop_private_network_id.as_deref(),
        Some(PN_ID)
    );
    assert_eq!(routes[1].nexthop_name.as_deref(), Some("gw-1"));
    assert_eq!(
        routes[0].nexthop_resource_type,
        Some(types::RouteWithNexthopResourceType::Unknown(
            "a_type_added_later".into()
        ))
    );
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        query_pairs(&requests[1]),
        pairs(&[
            ("nexthop_resource_type", "vpc_gateway_network"),
            ("order_by", "destination_asc"),
            ("page", "2"),
            ("page_size", "100"),
            ("tags", "edge"),
            ("tags", "prod"),
            ("vpc_id", VPC_ID),
        ])
    );
}

#[tokio::test]
async fn enabling_custom_routes_propagation_sends_an_empty_object() {
    let server = MockServer::start().await;
    let mut body = vpc_json("prod");
    body["custom_routes_propagation_enabled"] = json!(true);
    let route = format!("{REGION}/vpcs/{VPC_ID}/enable-custom-routes-propagation");
    serve_json(&server, "POST", &route, 200, body).await;
    let client = client_for(&server).build().unwrap();
    let vpc = client
        .vpc_v2()
        .enable_custom_routes_propagation()
        .region("fr-par")
        .vpc_id(VPC_ID)
        .send()
        .await
        .unwrap();
    assert!(vpc.custom_routes_propagation_enabled);
    let request = only_request(&server).await;
    assert_eq!(request.body, b"{}");
    assert_eq!(header(&request, "content-type"), "application/json");
}

#[tokio::test]
async fn set_acl_can_send_null_rules() {
    let server = MockServer::start().await;
    let route = format!("{REGION}/vpcs/{VPC_ID}/acl-rules");
    serve_json(
        &server,
        "PUT",
        &route,
        200,
        json!({"rules": [], "default_policy": "drop"}),
    )
    .await;
    let client = client_for(&server).build().unwrap();
    let set = client
        .vpc_v2()
        .set_acl()
        .region("fr-par")
        .vpc_id(VPC_ID)
        .body(types::SetAclRequest {
            rules: None,
            is_ipv6: Some(false),
            default_policy: types::Action::Drop,
        })
        .send()
        .await
        .unwrap();
    assert!(set.rules.is_empty());
    assert_eq!(
        json_body(&only_request(&server).await),
        json!({"rules": null, "is_ipv6": false, "default_policy": "drop"})
    );
}
