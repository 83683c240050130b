//! Listing 10,000 servers (100 pages, 20 ms per request) with the default client settings
//! against a loopback server that answers 0%, 5% and 20% of requests with `429`
//! (`Retry-After: 0`) or `503`, half and half, in the same run. Prints, per fault rate, how many
//! listings completed with every server in order, their median time, and its ratio to the run
//! without faults.
//!
//! Faults are drawn per (run, page, attempt) from a seeded generator, so a run injects the same
//! faults whatever order concurrent requests arrive in, and every run of the bench the same.
//!
//! `cargo bench -p scaleway-benches --bench faults`

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use scaleway_benches::{query_param, serve, server_json};
use scaleway_client::Client;

const SERVERS: usize = 10_000;
const PER_PAGE: usize = 100;
const LATENCY: Duration = Duration::from_millis(20);
const RUNS: u64 = 20;
const FAULT_RATES: [f64; 3] = [0.0, 0.05, 0.2];

/// A uniform number in [0, 1) for `(seed, page, attempt)` (SplitMix64).
fn roll(seed: u64, page: u64, attempt: u64) -> f64 {
    let mut z = seed
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(page << 32 | attempt);
    for _ in 0..2 {
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
    }
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// The fake API's dials: the fault rate and seed of the current run, and what it answered.
#[derive(Default)]
struct Faults {
    /// The fault rate, in millionths.
    rate: AtomicU64,
    seed: AtomicU64,
    attempts: Mutex<HashMap<(u64, u64), u64>>,
    requests: AtomicUsize,
    throttled: AtomicUsize,
    unavailable: AtomicUsize,
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        // Every page serialized once up front, so that the server costs the same in every run.
        let pages: Arc<Vec<Arc<Vec<u8>>>> = Arc::new(
            (0..SERVERS.div_ceil(PER_PAGE))
                .map(|page| {
                    let servers: Vec<_> = (page * PER_PAGE..((page + 1) * PER_PAGE).min(SERVERS)).map(server_json).collect();
                    Arc::new(serde_json::to_vec(&serde_json::json!({ "servers": servers })).unwrap())
                })
                .collect(),
        );
        let throttled_body = Arc::new(br#"{"type":"too_many_requests","message":"rate limit exceeded"}"#.to_vec());
        let unavailable_body = Arc::new(br#"{"type":"service_unavailable","message":"service unavailable"}"#.to_vec());
        let faults = Arc::new(Faults::default());
        let (served, dials) = (pages.clone(), faults.clone());
        let addr = serve(LATENCY, move |target| {
            let page: u64 = query_param(target, "page").and_then(|p| p.parse().ok()).unwrap_or(1);
            let seed = dials.seed.load(Ordering::SeqCst);
            let rate = dials.rate.load(Ordering::SeqCst) as f64 / 1e6;
            let attempt = {
                let mut attempts = dials.attempts.lock().unwrap();
                let count = attempts.entry((seed, page)).or_default();
                *count += 1;
                *count
            };
            dials.requests.fetch_add(1, Ordering::SeqCst);
            let roll = roll(seed, page, attempt);
            if roll < rate / 2.0 {
                dials.throttled.fetch_add(1, Ordering::SeqCst);
                (429, vec![("retry-after".into(), "0".into())], throttled_body.clone())
            } else if roll < rate {
                dials.unavailable.fetch_add(1, Ordering::SeqCst);
                (503, vec![], unavailable_body.clone())
            } else {
                let body = served.get(page as usize - 1).cloned().unwrap_or_else(|| Arc::new(b"{\"servers\":[]}".to_vec()));
                (200, vec![("x-total-count".into(), SERVERS.to_string())], body)
            }
        })
        .await;
        // The default settings: retry policy, retry budget, 8 pages at a time.
        let client = Client::builder()
            .ignore_environment()
            .api_url(format!("http://{addr}"))
            .default_zone("fr-par-1")
            .build()
            .unwrap();
        let expected: Vec<String> = (0..SERVERS).map(|i| server_json(i)["id"].as_str().unwrap().to_owned()).collect();

        println!(
            "list-all of {SERVERS} servers ({} pages, {} ms a request), default settings, {RUNS} runs per fault rate",
            pages.len(),
            LATENCY.as_millis()
        );
        let mut baseline = None;
        for (level, rate) in FAULT_RATES.into_iter().enumerate() {
            faults.rate.store((rate * 1e6) as u64, Ordering::SeqCst);
            for counter in [&faults.requests, &faults.throttled, &faults.unavailable] {
                counter.store(0, Ordering::SeqCst);
            }
            let (mut times, mut succeeded, mut failures) = (Vec::new(), 0, Vec::new());
            for run in 0..RUNS {
                faults.seed.store(level as u64 * 1000 + run, Ordering::SeqCst);
                let started = Instant::now();
                let listed = client.instance_v1().list_servers().collect_all().await;
                let elapsed = started.elapsed();
                match listed {
                    Ok(servers) if servers.iter().map(|s| s.id.as_str()).eq(expected.iter().map(String::as_str)) => {
                        succeeded += 1;
                        times.push(elapsed);
                    }
                    Ok(servers) => failures.push(format!("{} servers, not the expected ones in order", servers.len())),
                    Err(err) => failures.push(err.to_string()),
                }
            }
            times.sort();
            let median = times.get(times.len() / 2).copied();
            let baseline = *baseline.get_or_insert(median);
            let ratio = match (median, baseline) {
                (Some(m), Some(b)) => format!("{:.2}x the run without faults", m.as_secs_f64() / b.as_secs_f64()),
                _ => "no baseline".to_owned(),
            };
            let requests = faults.requests.load(Ordering::SeqCst);
            println!(
                "faults {:>3.0}%: {succeeded}/{RUNS} succeeded ({:.0}%), median {} ms ({ratio}); {requests} requests, {} answered 429, {} answered 503",
                rate * 100.0,
                succeeded as f64 * 100.0 / RUNS as f64,
                median.map_or("-".to_owned(), |m| format!("{:.0}", m.as_secs_f64() * 1e3)),
                faults.throttled.load(Ordering::SeqCst),
                faults.unavailable.load(Ordering::SeqCst),
            );
            for failure in failures {
                println!("  failed: {failure}");
            }
        }
        println!("retry budget left: {:?} tokens of {:?}", client.runtime().retry_tokens_left(), client.runtime().retry_budget().map(|b| b.capacity));
    });
}
