//! Per-call overhead of the SDK: `get_server` through the facade against the same GET made with
//! plain reqwest and decoded with serde_json into the same generated type, on a loopback server
//! that answers at once. Whatever differs is the SDK's own cost per call: the builder and its
//! path encoding, the client hooks, the auth header, the retry bookkeeping, the tracing span
//! (no subscriber installed), the error-body check and `ResponseValue`.
//!
//! The ways are measured in the same run, interleaved in rounds (the order reversed every other
//! round) so that drift and warm-up affect them alike. Prints the median time per call of each,
//! the ratio of the medians and the median of the per-round ratios (target: at most 1.05).
//! A third way is plain reqwest through the SDK's own `reqwest::Client` (its user agent and
//! timeouts), which tells the cost of those settings from the cost of the SDK's code.
//!
//! `cargo bench -p scaleway-benches --bench overhead`
//!
//! For a profiler, `OVERHEAD_ONLY=sdk|reqwest|reqwest-sdk-client` makes only that many calls
//! (`OVERHEAD_CALLS`, default 100000) of one way, without warm-up, and prints their mean, e.g.
//! `OVERHEAD_ONLY=sdk OVERHEAD_CALLS=3000 valgrind --tool=callgrind target/release/deps/overhead-*`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use scaleway_benches::{serve, server_json};
use scaleway_client::instance_v1::types::GetServerResponse;
use scaleway_client::{Client, RetryPolicy};

const ZONE: &str = "fr-par-1";
const SERVER_ID: &str = "00000001-0000-4000-8000-000000000001";
const SECRET: &str = "6d2a31c8-0b5e-4f7a-9c1d-e4f5a6b7c8d9";
const WARM_UP_CALLS: usize = 2_000;
const ROUNDS: usize = 300;
const CALLS_PER_ROUND: usize = 50;

/// What a hand-written client does: the URL from the zone and id, the auth header, a GET, the
/// status check, the body decoded with serde_json.
async fn plain_get(http: &reqwest::Client, base: &str, zone: &str, id: &str) -> GetServerResponse {
    let bytes = http
        .get(format!("{base}/instance/v1/zones/{zone}/servers/{id}"))
        .header("x-auth-token", SECRET)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .bytes()
        .await
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

async fn sdk_get(client: &Client, id: &str) -> GetServerResponse {
    client
        .instance_v1()
        .get_server()
        .server_id(id)
        .send()
        .await
        .unwrap()
}

#[derive(Clone, Copy, PartialEq)]
enum Way {
    Sdk,
    Reqwest,
    ReqwestSdkClient,
}

impl Way {
    const ALL: [Way; 3] = [Way::Sdk, Way::Reqwest, Way::ReqwestSdkClient];

    fn label(self) -> &'static str {
        match self {
            Way::Sdk => "SDK get_server().send()",
            Way::Reqwest => "plain reqwest + serde_json",
            Way::ReqwestSdkClient => "plain reqwest, SDK's reqwest::Client",
        }
    }

    fn from_name(name: &str) -> Option<Way> {
        match name {
            "sdk" => Some(Way::Sdk),
            "reqwest" => Some(Way::Reqwest),
            "reqwest-sdk-client" => Some(Way::ReqwestSdkClient),
            _ => None,
        }
    }
}

struct Bench {
    client: Client,
    plain: reqwest::Client,
    base: String,
}

impl Bench {
    /// Mean time per call, in nanoseconds, over `calls` sequential calls.
    async fn run(&self, way: Way, calls: usize) -> f64 {
        let started = Instant::now();
        for _ in 0..calls {
            let response = match way {
                Way::Sdk => sdk_get(&self.client, SERVER_ID).await,
                Way::Reqwest => plain_get(&self.plain, &self.base, ZONE, SERVER_ID).await,
                Way::ReqwestSdkClient => {
                    plain_get(self.client.runtime().http(), &self.base, ZONE, SERVER_ID).await
                }
            };
            std::hint::black_box(response);
        }
        started.elapsed().as_nanos() as f64 / calls.max(1) as f64
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    // One thread for the server and the client: no cross-thread wake-ups in the measurement.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let body = Arc::new(serde_json::to_vec(&serde_json::json!({"server": server_json(1)})).unwrap());
        let expected = format!("/instance/v1/zones/{ZONE}/servers/{SERVER_ID}");
        let addr = serve(Duration::ZERO, move |target| {
            if target == expected {
                (200, vec![("x-request-id".into(), "bench".into())], body.clone())
            } else {
                (404, vec![], Arc::new(br#"{"type":"not_found","message":"no such route"}"#.to_vec()))
            }
        })
        .await;
        let base = format!("http://{addr}");
        let client = Client::builder()
            .ignore_environment()
            .api_url(base.clone())
            .secret_key(SECRET)
            .default_zone(ZONE)
            .retry(RetryPolicy::default())
            .build()
            .unwrap();
        let bench = Bench { client, plain: scaleway_client::http_client_builder().build().unwrap(), base };

        // The same answer every way.
        let sdk = sdk_get(&bench.client, SERVER_ID).await;
        let plain = plain_get(&bench.plain, &bench.base, ZONE, SERVER_ID).await;
        assert_eq!(serde_json::to_value(&sdk).unwrap(), serde_json::to_value(&plain).unwrap());
        assert_eq!(sdk.server.id, SERVER_ID);

        if let Ok(name) = std::env::var("OVERHEAD_ONLY") {
            let way = Way::from_name(&name).expect("OVERHEAD_ONLY: sdk, reqwest or reqwest-sdk-client");
            let calls = std::env::var("OVERHEAD_CALLS").map_or(100_000, |n| n.parse().expect("OVERHEAD_CALLS: a number"));
            let mean = bench.run(way, calls).await;
            println!("{}: mean {:.1} µs over {calls} calls", way.label(), mean / 1e3);
            return;
        }

        // Everything warm: connections, allocator, caches, branch predictors.
        for way in Way::ALL {
            bench.run(way, WARM_UP_CALLS).await;
        }
        let mut per_call: Vec<Vec<f64>> = vec![Vec::with_capacity(ROUNDS); Way::ALL.len()];
        let mut round_ratios = Vec::with_capacity(ROUNDS);
        for round in 0..ROUNDS {
            let mut order = Way::ALL;
            if round % 2 == 1 {
                order.reverse();
            }
            let mut times = [0.0; Way::ALL.len()];
            for way in order {
                let i = Way::ALL.iter().position(|w| *w == way).unwrap();
                times[i] = bench.run(way, CALLS_PER_ROUND).await;
                per_call[i].push(times[i]);
            }
            round_ratios.push(times[0] / times[1]);
        }

        let calls = ROUNDS * CALLS_PER_ROUND;
        println!("time per call, median of {ROUNDS} rounds of {CALLS_PER_ROUND} calls ({calls} calls each way, after {WARM_UP_CALLS} warm-up calls):");
        let medians: Vec<f64> = per_call.iter_mut().map(|times| median(times)).collect();
        for (way, median) in Way::ALL.iter().zip(&medians) {
            println!("  {:<38} {:>8.1} µs", way.label(), median / 1e3);
        }
        println!("SDK overhead per call: {:+.1} µs", (medians[0] - medians[1]) / 1e3);
        println!("ratio SDK / plain reqwest (medians): {:.3}x", medians[0] / medians[1]);
        println!("ratio SDK / plain reqwest (median of per-round ratios): {:.3}x", median(&mut round_ratios));
        println!("ratio SDK / plain reqwest on the SDK's reqwest::Client (medians): {:.3}x", medians[0] / medians[2]);
    });
}
