//! Loopback servers for the benchmarks: plain tokio TCP, so that the server's own cost is small
//! and the same for the SDK and its baseline.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Answers each request with `respond(path_and_query)` → (status, extra headers, body), after
/// `latency`. Keeps connections alive. Returns the address; runs until the runtime ends.
pub async fn serve<F>(latency: Duration, respond: F) -> SocketAddr
where
    F: Fn(&str) -> (u16, Vec<(String, String)>, Arc<Vec<u8>>) + Send + Sync + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let respond = Arc::new(respond);
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            // Answers go out at once: with Nagle's algorithm a small answer could wait for the
            // client's delayed ACK (40 ms on Linux), which would swamp what is measured.
            let _ = socket.set_nodelay(true);
            let respond = respond.clone();
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                let mut chunk = [0u8; 8192];
                loop {
                    // Read one request head (the benchmarks send no bodies).
                    let end = loop {
                        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                            break end + 4;
                        }
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                    };
                    let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
                    buffer.drain(..end);
                    let target = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                    if !latency.is_zero() {
                        wait_precisely(latency).await;
                    }
                    let (status, headers, body) = respond(&target);
                    let mut response = format!(
                        "HTTP/1.1 {status} OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
                        body.len()
                    );
                    for (name, value) in headers {
                        response.push_str(&format!("{name}: {value}\r\n"));
                    }
                    response.push_str("\r\n");
                    // Head and body in one write, as one segment when they fit.
                    let mut bytes = response.into_bytes();
                    bytes.extend_from_slice(&body);
                    if socket.write_all(&bytes).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    addr
}

/// Waits `latency`, to within a fraction of a millisecond. tokio's timer ticks in whole
/// milliseconds and wakes up to 2 ms late; over the 14 round trips of a listing that would add
/// ~20 ms to what the SDK is measured against. The last stretch is a thread sleep instead.
async fn wait_precisely(latency: Duration) {
    let deadline = std::time::Instant::now() + latency;
    tokio::time::sleep(latency.saturating_sub(Duration::from_millis(3))).await;
    let _ = tokio::task::spawn_blocking(move || {
        if let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            std::thread::sleep(left);
        }
    })
    .await;
}

/// The value of query parameter `name` in a request target.
pub fn query_param(target: &str, name: &str) -> Option<String> {
    let query = target.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| value.to_owned())
    })
}

/// A server object shaped like the Instance API's (the fields a real answer carries).
pub fn server_json(index: usize) -> serde_json::Value {
    serde_json::json!({
        "id": format!("{:08x}-0000-4000-8000-{:012x}", index, index),
        "name": format!("srv-bench-{index}"),
        "arch": "x86_64",
        "commercial_type": "DEV1-S",
        "boot_type": "local",
        "organization": "105bdce1-64c0-48ab-899d-868455867ecf",
        "project": "105bdce1-64c0-48ab-899d-868455867ecf",
        "hostname": format!("srv-bench-{index}"),
        "image": {
            "id": "f974feac-abae-4365-b988-8ec7d1cec10d",
            "name": "Ubuntu Jammy",
            "arch": "x86_64",
            "creation_date": "2024-03-05T10:13:15.974944+00:00",
            "modification_date": "2024-03-05T13:32:29.274319+00:00",
            "default_bootscript": null,
            "extra_volumes": {},
            "from_server": "",
            "organization": "51b656e3-4865-41e8-adbc-0c45bdd780db",
            "project": "51b656e3-4865-41e8-adbc-0c45bdd780db",
            "public": true,
            "root_volume": {"id": "dd5f5c10-23b1-4c9c-8445-eb6740957c84", "name": "snap", "volume_type": "l_ssd", "size": 10000000000u64},
            "state": "available",
            "tags": [],
            "zone": "fr-par-1"
        },
        "volumes": {"0": {
            "boot": false,
            "id": "92d7c654-0967-470b-872b-ad195637d5f8",
            "name": "vol-root",
            "volume_type": "l_ssd",
            "export_uri": null,
            "organization": "105bdce1-64c0-48ab-899d-868455867ecf",
            "project": "105bdce1-64c0-48ab-899d-868455867ecf",
            "server": {"id": format!("{:08x}-0000-4000-8000-{:012x}", index, index), "name": format!("srv-bench-{index}")},
            "size": 20000000000u64,
            "state": "available",
            "creation_date": "2024-03-05T10:13:15.974944+00:00",
            "modification_date": "2024-03-05T10:13:15.974944+00:00",
            "tags": [],
            "zone": "fr-par-1"
        }},
        "tags": ["bench"],
        "state": "running",
        "protected": false,
        "state_detail": "booted",
        "public_ip": null,
        "public_ips": [],
        "mac_address": "de:00:00:00:00:01",
        "routed_ip_enabled": true,
        "ipv6": null,
        "extra_networks": [],
        "dynamic_ip_required": false,
        "enable_ipv6": false,
        "private_ip": null,
        "creation_date": "2024-03-05T10:13:15.974944+00:00",
        "modification_date": "2024-03-05T10:14:15.974944+00:00",
        "bootscript": null,
        "security_group": {"id": "a7e2fe8b-1a5d-4c3e-9a4c-1d2e3f4a5b6c", "name": "Default security group"},
        "location": {"cluster_id": "1", "hypervisor_id": "2", "node_id": "3", "platform_id": "14", "zone_id": "fr-par-1"},
        "maintenances": [],
        "allowed_actions": ["poweroff", "terminate", "reboot", "stop_in_place", "backup"],
        "placement_group": null,
        "private_nics": [],
        "zone": "fr-par-1",
        "filesystems": [],
        "end_of_service": false
    })
}
