//! Listing 10,000 servers through `stream()` against a loopback server that adds 20 ms to each
//! request: pages fetched 8 at a time (the default) against the same with concurrency 1, in
//! the same run. Prints both times and their ratio.
//!
//! `cargo bench -p scaleway-benches --bench pagination`

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use scaleway_benches::{query_param, serve, server_json};
use scaleway_client::{Client, RetryPolicy};

const SERVERS: usize = 10_000;
const PER_PAGE: usize = 100;
const LATENCY: Duration = Duration::from_millis(20);
const RUNS: usize = 3;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        // Every page serialized once up front, so that the server costs the same in both runs.
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
        let client = Client::builder()
            .ignore_environment()
            .api_url(format!("http://{addr}"))
            .default_zone("fr-par-1")
            .retry(RetryPolicy::none())
            .build()
            .unwrap();

        let mut results = Vec::new();
        for concurrency in [1usize, 8] {
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
            println!("concurrency {concurrency}: median {:.0} ms over {RUNS} runs ({SERVERS} servers, {} pages, {} ms latency)", median.as_secs_f64() * 1e3, pages.len(), LATENCY.as_millis());
            results.push(median);
        }
        println!("speedup of concurrency 8 over 1: {:.2}x", results[0].as_secs_f64() / results[1].as_secs_f64());
    });
}
