//! Creates a private network in the region of the configured zone and attaches a server to it
//! through a new private NIC, then waits until the NIC is available.
//!
//! ```sh
//! SCW_DEFAULT_ZONE=fr-par-1 cargo run -p scaleway-client --example private_network -- <server-id>
//! ```
//!
//! Credentials and defaults come from `SCW_*` variables or the `scw` CLI's config file; set
//! `SCW_API_URL` to send everything to another server, e.g. a local fake of the API.

use std::time::Duration;

use scaleway_client::instance_v1::types::CreatePrivateNicRequest;
use scaleway_client::vpc_v2::types::CreatePrivateNetworkRequest;
use scaleway_client::{Client, WaitOptions};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server_id = std::env::args()
        .nth(1)
        .ok_or("usage: private_network <server-id>")?;
    let client = Client::from_env()?;
    // Private networks are regional (VPC API), NICs zonal (Instance API): the network must be
    // in the region of the server's zone.
    let zone = client
        .config()
        .default_zone
        .clone()
        .ok_or("configure the server's zone, e.g. SCW_DEFAULT_ZONE=fr-par-1")?;
    let region = zone.region();

    // 1. The private network, in the project's default VPC of the region (no `vpc_id`), with an
    //    IPv4 and an IPv6 subnet chosen by the API (no `subnets`).
    let network = client
        .vpc_v2()
        .create_private_network()
        .region(region.clone())
        .body(CreatePrivateNetworkRequest {
            name: Some("example-backend".to_owned()),
            // The project to create it in: the configured default project.
            project_id: client.config().default_project_id.clone(),
            tags: Some(vec!["scaleway-rust-example".to_owned()]),
            ..Default::default()
        })
        .send()
        .await?;
    let network_id = network.id;
    let subnets: Vec<&str> = network.subnets.iter().map(|s| s.subnet.as_str()).collect();
    println!("network  {network_id} in {region}: {}", subnets.join(", "));

    // 2. A NIC on the server, in that network; the server gets an address by DHCP (IPAM).
    let instance = client.instance_v1();
    let nic = instance
        .create_private_nic()
        .zone(zone.clone())
        .server_id(server_id.as_str())
        .body(CreatePrivateNicRequest {
            private_network_id: network_id.clone(),
            tags: vec!["scaleway-rust-example".to_owned()],
            ip_ids: vec![],
            ipam_ip_ids: vec![],
        })
        .send()
        .await?
        .private_nic;
    let nic_id = nic.id;
    println!("nic      {nic_id} ({})", nic.state);

    // 3. The NIC is `syncing` until the hypervisor has plugged it: wait for `available`
    //    (`syncing_error` ends the wait at once with an error naming it).
    let options = WaitOptions::timeout(Duration::from_secs(120)).every(Duration::from_secs(2));
    let settled = instance
        .wait_for_private_nic(&server_id, &nic_id, Some(zone.clone()), &options)
        .await?
        .private_nic;
    println!(
        "nic      {nic_id} ({}) on server {server_id}, MAC {}",
        settled.state, settled.mac_address
    );
    Ok(())
}
