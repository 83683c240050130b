//! Lists every server in every zone of a region, all zones at once, all pages of each.
//!
//! ```sh
//! cargo run -p scaleway-client --example list_servers            # the configured region, else fr-par
//! cargo run -p scaleway-client --example list_servers -- nl-ams
//! ```
//!
//! Credentials come from `SCW_*` variables or the `scw` CLI's config file; set `SCW_API_URL` to
//! list from another server, e.g. a local fake of the API.

use scaleway_client::{Client, Region, locality};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let region = match std::env::args().nth(1) {
        Some(name) => Region::new(&name)?,
        None => client
            .config()
            .default_region
            .clone()
            .unwrap_or(Region::FR_PAR),
    };
    let zones = region.zones();
    if zones.is_empty() {
        return Err(format!("this SDK knows no zone of region {region}").into());
    }

    // One listing per zone, run concurrently; each one follows the pages of its zone.
    let per_zone = client
        .instance_v1()
        .list_servers()
        .collect_all_in_zones(&zones)
        .await;
    // A zone that fails (an outage, a zone the account cannot use) does not hide the others.
    let (servers, failures) = locality::merge(per_zone);

    for server in &servers {
        println!(
            "{:<9} {:<36} {:<24} {:<8} {}",
            // `as_str`: `Zone`'s `Display` ignores the width.
            server.zone.as_str(),
            server.id,
            server.name,
            server.commercial_type,
            server.state,
        );
    }
    println!(
        "{} servers in {} zones of {region}",
        servers.len(),
        zones.len()
    );
    for (zone, error) in &failures {
        // The decoded Scaleway error when the API answered one (type, message, resource).
        match error.api_error() {
            Some(api) => eprintln!("{zone}: {api}"),
            None => eprintln!("{zone}: {error}"),
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} of {} zones could not be listed",
            failures.len(),
            zones.len()
        )
        .into())
    }
}
