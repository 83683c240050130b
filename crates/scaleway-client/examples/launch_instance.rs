//! Finds the Ubuntu 22.04 image for a DEV1-S, creates a server from it, powers it on and waits
//! until it is running.
//!
//! ```sh
//! SCW_DEFAULT_ZONE=fr-par-1 cargo run -p scaleway-client --example launch_instance
//! ```
//!
//! Credentials and defaults come from `SCW_*` variables or the `scw` CLI's config file; set
//! `SCW_API_URL` to send everything to another server, e.g. a local fake of the API.
//! This creates a billed resource on the real API: delete the server when done.

use scaleway_client::{Client, ImageQuery, PowerAction, WaitOptions};

const COMMERCIAL_TYPE: &str = "DEV1-S";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let zone = client
        .config()
        .default_zone
        .clone()
        .ok_or("configure a zone, e.g. SCW_DEFAULT_ZONE=fr-par-1")?;

    // 1. The marketplace label names an image; the Instance API boots a *local image* id,
    //    which differs per zone, architecture and volume type.
    let image = client
        .find_local_image(
            &ImageQuery::label("ubuntu_jammy")
                .zone(zone.clone())
                .commercial_type(COMMERCIAL_TYPE),
        )
        .await?;
    println!("image    {} ({} in {zone})", image.id, image.arch);

    // 2. Create the server. It starts stopped; the runtime fills in the default project and
    //    a readable random name (`srv-…`) because the body sets neither.
    let created = client
        .instance_v1()
        .create_server()
        .body_map(|body| {
            body.commercial_type(COMMERCIAL_TYPE)
                .image(image.id)
                .tags(vec!["scaleway-rust-example".to_owned()])
        })
        .send()
        .await?
        .server;
    let server_id = created.id;
    println!("created  {server_id} {} ({})", created.name, created.state);

    // 3. Power it on and poll (every 5 s, for up to 10 min) until it is running.
    let server = client
        .power_and_wait(
            &server_id,
            None,
            PowerAction::PowerOn,
            &WaitOptions::default(),
        )
        .await?;
    // The one field here that may really be absent: a server can run without a public IP.
    let address = server
        .public_ip
        .map(|ip| ip.address)
        .unwrap_or_else(|| "no public IP".to_owned());
    println!("running  {server_id} ({})  {address}", server.state);
    Ok(())
}
