//! The Marketplace crate through the facade, against a wiremock server.

use scaleway_client::marketplace_v2::types::LocalImageType;
use scaleway_client::{RetryPolicy, Zone};
use scaleway_tests::{QUICKSTART_RESPONSE, SECRET_KEY, client_for};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn query_pairs(request: &Request) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    pairs
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

async fn serve_local_images(server: &MockServer, body: &str) {
    Mock::given(method("GET"))
        .and(path("/marketplace/v2/local-images"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.to_owned(), "application/json"))
        .mount(server)
        .await;
}

#[tokio::test]
async fn quickstart_sends_exactly_the_documented_request_and_parses_the_answer() {
    let server = MockServer::start().await;
    serve_local_images(&server, QUICKSTART_RESPONSE).await;
    let client = client_for(&server).build().unwrap();

    let response = client
        .marketplace_v2()
        .list_local_images()
        .image_label("ubuntu_jammy")
        .zone("fr-par-1")
        .send_with_response()
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.url.path(), "/marketplace/v2/local-images");
    assert_eq!(
        query_pairs(request),
        pairs(&[("image_label", "ubuntu_jammy"), ("zone", "fr-par-1")])
    );
    // Only headers the API asked for: no progenitor `api-version`, no token when anonymous.
    assert!(request.headers.get("api-version").is_none());
    assert!(request.headers.get("x-auth-token").is_none());
    let agent = request.headers.get("user-agent").unwrap().to_str().unwrap();
    assert!(agent.starts_with("scaleway-rust/"), "{agent}");

    assert_eq!(response.status().as_u16(), 200);
    let body = response.into_inner();
    assert_eq!(body.total_count, 2);
    assert_eq!(body.local_images.len(), 2);
    let first = &body.local_images[0];
    assert_eq!(first.id, "350a06b2-ecd0-48b9-ba9e-495a51345a68");
    assert_eq!(first.arch, "x86_64");
    assert_eq!(first.zone, "fr-par-1");
    assert_eq!(first.compatible_commercial_types.len(), 4);
    assert_eq!(body.local_images[1].arch, "arm64");
    assert_eq!(first.type_, LocalImageType::InstanceLocal);
}

#[tokio::test]
async fn secret_key_is_sent_as_auth_token_only_when_configured() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/marketplace/v2/categories"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"categories":[],"total_count":0}"#, "application/json"),
        )
        .mount(&server)
        .await;

    let authed = client_for(&server).secret_key(SECRET_KEY).build().unwrap();
    authed
        .marketplace_v2()
        .list_categories()
        .send()
        .await
        .unwrap();
    let anonymous = client_for(&server).build().unwrap();
    anonymous
        .marketplace_v2()
        .list_categories()
        .send()
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers.get("x-auth-token").unwrap(), SECRET_KEY);
    assert!(requests[1].headers.get("x-auth-token").is_none());
}

#[tokio::test]
async fn configured_zone_fills_the_zone_parameter_and_an_explicit_one_wins() {
    let server = MockServer::start().await;
    serve_local_images(&server, QUICKSTART_RESPONSE).await;
    let client = client_for(&server)
        .default_zone("nl-ams-2")
        .build()
        .unwrap();

    client
        .marketplace_v2()
        .list_local_images()
        .image_label("debian_bookworm")
        .send()
        .await
        .unwrap();
    client
        .marketplace_v2()
        .list_local_images()
        .zone(Zone::IT_MIL_1)
        .send()
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        query_pairs(&requests[0]),
        pairs(&[("image_label", "debian_bookworm"), ("zone", "nl-ams-2")])
    );
    assert_eq!(query_pairs(&requests[1]), pairs(&[("zone", "it-mil-1")]));
}

#[tokio::test]
async fn missing_or_malformed_zone_fails_before_any_request() {
    let server = MockServer::start().await;
    serve_local_images(&server, QUICKSTART_RESPONSE).await;
    let client = client_for(&server).build().unwrap();

    let err = client
        .marketplace_v2()
        .list_local_images()
        .send()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("no zone given") && text.contains("SCW_DEFAULT_ZONE"),
        "{text}"
    );

    let err = client
        .marketplace_v2()
        .list_local_images()
        .zone("fr-par-9x")
        .send()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("\"fr-par-9x\" is not a zone"),
        "{err}"
    );

    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn scaleway_error_body_surfaces_type_message_and_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/marketplace/v2/images/0000"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(
            r#"{"type":"not_found","message":"resource is not found","resource":"marketplace_image","resource_id":"0000"}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let client = client_for(&server).secret_key(SECRET_KEY).build().unwrap();

    let err = client
        .marketplace_v2()
        .get_image()
        .image_id("0000")
        .send_with_response()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let api = err.api_error().expect("decoded error body");
    assert_eq!(api.error_type, "not_found");
    assert_eq!(api.message, "resource is not found");
    assert_eq!(api.resource_id.as_deref(), Some("0000"));
    assert!(!format!("{err} {err:?}").contains(SECRET_KEY));
}

#[tokio::test]
async fn html_502_from_a_proxy_keeps_status_and_an_excerpt() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/marketplace/v2/categories"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
            "text/html",
        ))
        .mount(&server)
        .await;
    let client = client_for(&server).build().unwrap();

    let err = client
        .marketplace_v2()
        .list_categories()
        .send_with_response()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    let api = err.api_error().unwrap();
    assert_eq!(api.error_type, scaleway_client::ApiError::NON_JSON);
    assert!(api.message.contains("502 Bad Gateway"), "{}", api.message);
}

#[tokio::test]
async fn idempotent_call_is_retried_after_503() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/marketplace/v2/categories"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/marketplace/v2/categories"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"categories":[{"id":"c1","name":"OS","description":"Operating systems"}],"total_count":1}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let client = client_for(&server)
        .retry(RetryPolicy::default())
        .build()
        .unwrap();

    let response = client
        .marketplace_v2()
        .list_categories()
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.into_inner().categories[0].name, "OS");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn unknown_enum_value_from_the_server_is_kept() {
    let server = MockServer::start().await;
    serve_local_images(
        &server,
        r#"{"local_images":[{"id":"i1","arch":"x86_64","zone":"it-mil-1","compatible_commercial_types":["POP2-2C-8G"],"label":"ubuntu_noble","type":"instance_quantum"}],"total_count":1}"#,
    )
    .await;
    let client = client_for(&server).build().unwrap();

    let body = client
        .marketplace_v2()
        .list_local_images()
        .zone("it-mil-1")
        .send()
        .await
        .unwrap();
    let kind = &body.local_images[0].type_;
    assert_eq!(*kind, LocalImageType::Unknown("instance_quantum".into()));
    assert_eq!(kind.to_string(), "instance_quantum");
    // And it serializes back unchanged.
    let json = serde_json::to_value(&body.local_images[0]).unwrap();
    assert_eq!(json["type"], "instance_quantum");
}

#[tokio::test]
async fn secret_key_never_shows_in_debug_output() {
    let server = MockServer::start().await;
    let builder = client_for(&server).secret_key(SECRET_KEY);
    let client = builder.clone().build().unwrap();
    for shown in [
        format!("{builder:?}"),
        format!("{client:?}"),
        format!("{:?}", client.config()),
        format!("{:?}", client.marketplace_v2()),
    ] {
        assert!(
            !shown.contains(SECRET_KEY) && !shown.contains("5e6b2a41"),
            "{shown}"
        );
    }
    let err = client_for(&server)
        .secret_key("5e6b2a41-not-a-valid-key-at-all")
        .build()
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(
        text.contains("secret_key") && !text.contains("not-a-valid"),
        "{text}"
    );
}
