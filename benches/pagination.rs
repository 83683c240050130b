//! Listing servers through `stream()` against a loopback server that adds 20 ms to each
//! request.
//!
//! 1. **Latency.** 10,000 servers (100 pages) with the default concurrency, against the latency
//!    floor: page 1, then the 99 others in rounds of `concurrency`, each round one round trip
//!    (14 round trips of 20 ms for 8 pages in flight). Also concurrency 1, measured in the same
//!    run, and the transport alone (plain reqwest, same pages in flight, bodies not decoded).
//!    Prints the medians and the ratio to the floor (target: at most 1.15).
//! 2. **Memory.** A consumer that streams without collecting: peak RSS of a process that
//!    streams 100,000 servers against one that streams 10,000 (each in its own process, started
//!    from this one; the server builds each page when asked). Target: at most 1.2.
//!
//! `cargo bench -p scaleway-benches --bench pagination`

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use scaleway_benches::{query_param, serve, server_json};
use scaleway_client::{Client, RetryPolicy};

const SERVERS: usize = 10_000;
const PER_PAGE: usize = 100;
const LATENCY: Duration = Duration::from_millis(20);
const RUNS: usize = 5;
/// Set in a child process: stream this many servers, print the peak RSS, exit.
const MEMORY_CHILD: &str = "PAGINATION_MEMORY_SERVERS";

fn main() {
    if let Ok(servers) = std::env::var(MEMORY_CHILD) {
        return memory_child(servers.parse().expect("a number of servers"));
    }
    latency();
    memory();
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn client(addr: std::net::SocketAddr) -> Client {
    Client::builder()
        .ignore_environment()
        .api_url(format!("http://{addr}"))
        .default_zone("fr-par-1")
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

fn latency() {
    runtime().block_on(async {
        // Every page serialized once up front, so that the server costs the same in every run.
        let pages: Arc<Vec<Arc<Vec<u8>>>> = Arc::new(
            (0..SERVERS.div_ceil(PER_PAGE))
                .map(|page| {
                    let servers: Vec<_> = (page * PER_PAGE..((page + 1) * PER_PAGE).min(SERVERS)).map(server_json).collect();
                    Arc::new(serde_json::to_vec(&serde_json::json!({ "servers": servers })).unwrap())
                })
                .collect(),
        );
        let served = pages.clone();
        let addr = serve(LATENCY, move |target| {
            let page: usize = query_param(target, "page").and_then(|p| p.parse().ok()).unwrap_or(1);
            let body = served.get(page - 1).cloned().unwrap_or_else(|| Arc::new(b"{\"servers\":[]}".to_vec()));
            (200, vec![("x-total-count".into(), SERVERS.to_string())], body)
        })
        .await;
        let client = client(addr);
        let default = client.runtime().page_concurrency();

        let mut medians = Vec::new();
        for concurrency in [1, default] {
            let mut times = Vec::new();
            for _ in 0..RUNS {
                let started = Instant::now();
                let servers: Vec<_> = client
                    .instance_v1()
                    .list_servers()
                    .stream_with_concurrency(concurrency)
                    .try_collect()
                    .await
                    .unwrap();
                times.push(started.elapsed());
                assert_eq!(servers.len(), SERVERS);
                assert_eq!(servers[SERVERS - 1].name, "srv-bench-9999", "order kept");
            }
            times.sort();
            let median = times[RUNS / 2];
            let round_trips = 1 + (pages.len() - 1).div_ceil(concurrency);
            let floor = LATENCY * round_trips as u32;
            println!(
                "concurrency {concurrency}: median {:.0} ms over {RUNS} runs ({SERVERS} servers, {} pages, {} ms latency); floor {} round trips = {} ms; ratio to the floor {:.2}x",
                median.as_secs_f64() * 1e3,
                pages.len(),
                LATENCY.as_millis(),
                round_trips,
                floor.as_millis(),
                median.as_secs_f64() / floor.as_secs_f64(),
            );
            medians.push(median);
        }
        println!("speedup of concurrency {default} over 1: {:.2}x", medians[0].as_secs_f64() / medians[1].as_secs_f64());

        // The transport alone: plain reqwest on the SDK's HTTP client, page 1 then the others
        // `default` at a time (`buffered`), bodies read and not decoded.
        let http = client.runtime().http().clone();
        let base = format!("http://{addr}/instance/v1/zones/fr-par-1/servers?page_size={PER_PAGE}");
        let mut times = Vec::new();
        for _ in 0..RUNS {
            let started = Instant::now();
            let get = |page: usize| {
                let (http, url) = (http.clone(), format!("{base}&page={page}"));
                async move { http.get(url).send().await.unwrap().bytes().await.unwrap().len() }
            };
            let mut bytes = get(1).await;
            let rest: Vec<usize> = futures::stream::iter(2..=pages.len()).map(get).buffered(default).collect().await;
            bytes += rest.iter().sum::<usize>();
            times.push(started.elapsed());
            assert!(bytes > SERVERS * 1000);
        }
        times.sort();
        let transport = times[RUNS / 2];
        println!(
            "transport alone (plain reqwest, {default} in flight, bodies not decoded): median {:.0} ms; SDK / transport {:.2}x",
            transport.as_secs_f64() * 1e3,
            medians[1].as_secs_f64() / transport.as_secs_f64()
        );
    });
}

/// Streams `servers` servers without keeping them; prints the process's peak RSS in KiB.
fn memory_child(servers: usize) {
    runtime().block_on(async {
        // Pages built when asked, from one template: the server holds nothing per page.
        let template = Arc::new(
            serde_json::to_vec(&serde_json::json!({
                "servers": (0..PER_PAGE).map(server_json).collect::<Vec<_>>()
            }))
            .unwrap(),
        );
        let addr = serve(LATENCY, move |_| {
            (
                200,
                vec![("x-total-count".into(), servers.to_string())],
                template.clone(),
            )
        })
        .await;
        let client = client(addr);
        let mut seen = 0usize;
        let mut stream = client.instance_v1().list_servers().stream();
        while let Some(server) = stream.next().await {
            std::hint::black_box(server.unwrap());
            seen += 1;
        }
        assert_eq!(seen, servers.div_ceil(PER_PAGE) * PER_PAGE);
    });
    println!("{}", peak_rss_kib());
}

/// `VmHWM` of this process (Linux), in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status (Linux)");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/self/status")
}

fn memory() {
    let peak = |servers: usize| -> u64 {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .env(MEMORY_CHILD, servers.to_string())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
    };
    let small = peak(10_000);
    let large = peak(100_000);
    println!(
        "streaming without collecting: peak RSS {:.1} MiB for 10,000 servers, {:.1} MiB for 100,000; ratio {:.2}x",
        small as f64 / 1024.0,
        large as f64 / 1024.0,
        large as f64 / small as f64
    );
}
