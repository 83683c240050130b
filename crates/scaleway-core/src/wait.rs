//! Waiting for a resource to settle: poll until its state is terminal, fails, or the resource
//! is gone.
//!
//! Generated waiters (`wait_for_<resource>` and `wait_for_<resource>_deleted`) are built on
//! [`poll_until`] and [`poll_until_gone`], with the terminal and failure states their spec
//! declares (`x-waiter`). Polls back off from [`WaitOptions::min_delay`] to
//! [`WaitOptions::max_delay`].

use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};

use serde::Serialize;

/// How long to wait and how often to look.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitOptions {
    /// Give up after this long.
    pub timeout: Duration,
    /// Delay before the second poll; each further delay is 1.5 times the previous one…
    pub min_delay: Duration,
    /// … up to this.
    pub max_delay: Duration,
}

impl Default for WaitOptions {
    /// Ten minutes, polling after 1 s, then less and less often, at most every 15 s.
    fn default() -> Self {
        WaitOptions {
            timeout: Duration::from_secs(600),
            min_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(15),
        }
    }
}

impl WaitOptions {
    /// The default backoff, giving up after `timeout`.
    pub fn timeout(timeout: Duration) -> Self {
        WaitOptions {
            timeout,
            ..WaitOptions::default()
        }
    }

    /// Polls every `delay`, without backoff.
    pub fn every(self, delay: Duration) -> Self {
        WaitOptions {
            min_delay: delay,
            max_delay: delay,
            ..self
        }
    }

    /// Backs off from `min` to `max` between polls.
    pub fn backoff(self, min: Duration, max: Duration) -> Self {
        WaitOptions {
            min_delay: min,
            max_delay: max.max(min),
            ..self
        }
    }

    /// The delay after poll number `poll` (from 0).
    fn delay(&self, poll: u32) -> Duration {
        let factor = 1.5f64.powi(poll.min(64) as i32);
        self.min_delay
            .mul_f64(factor)
            .min(self.max_delay.max(self.min_delay))
    }
}

/// Why waiting stopped without the resource reaching a terminal state (or going away).
#[derive(Debug)]
pub enum WaitError<E> {
    /// A poll failed.
    Api(E),
    /// The resource reached a state that means the operation failed (e.g. `error`).
    Failed {
        /// The state, as the API names it.
        state: String,
    },
    /// The timeout passed first.
    Timeout {
        /// The state seen on the last poll, if any (`exists` when waiting for a deletion).
        last_state: Option<String>,
        /// Time spent waiting.
        waited: Duration,
    },
}

impl<E> WaitError<E> {
    /// The failure state the resource ended in, if that is why the wait stopped.
    pub fn failed_state(&self) -> Option<&str> {
        match self {
            WaitError::Failed { state } => Some(state),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for WaitError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Api(e) => write!(f, "polling failed: {e}"),
            WaitError::Failed { state } => write!(f, "the resource ended in state {state}"),
            WaitError::Timeout { last_state, waited } => write!(
                f,
                "still not in a terminal state after {:.1}s (last state: {})",
                waited.as_secs_f64(),
                last_state.as_deref().unwrap_or("unknown")
            ),
        }
    }
}

impl<E: fmt::Debug + fmt::Display + std::error::Error + 'static> std::error::Error
    for WaitError<E>
{
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaitError::Api(e) => Some(e),
            _ => None,
        }
    }
}

/// Sleeps before the next poll, or says the wait timed out.
async fn pause(options: &WaitOptions, started: Instant, poll: u32) -> Result<(), Duration> {
    let delay = options.delay(poll);
    let waited = started.elapsed();
    if waited + delay > options.timeout {
        return Err(waited);
    }
    tokio::time::sleep(delay).await;
    Ok(())
}

/// Polls until the string at JSON pointer `state` of the result is one of `terminal` (returns
/// that result) or one of `failure` (a [`WaitError::Failed`] naming it, at once).
pub async fn poll_until<T, E, F, Fut>(
    options: &WaitOptions,
    state: &str,
    terminal: &[&str],
    failure: &[&str],
    mut poll: F,
) -> Result<T, WaitError<E>>
where
    T: Serialize,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let started = Instant::now();
    let mut polls = 0;
    loop {
        let value = poll().await.map_err(WaitError::Api)?;
        let current = serde_json::to_value(&value)
            .ok()
            .and_then(|v| v.pointer(state).and_then(|s| s.as_str()).map(str::to_owned));
        match current.as_deref() {
            Some(s) if failure.contains(&s) => {
                return Err(WaitError::Failed {
                    state: s.to_owned(),
                });
            }
            Some(s) if terminal.contains(&s) => return Ok(value),
            _ => {}
        }
        if let Err(waited) = pause(options, started, polls).await {
            return Err(WaitError::Timeout {
                last_state: current,
                waited,
            });
        }
        polls += 1;
    }
}

/// Polls until the resource is gone: the poll fails with a not-found error (HTTP 404).
pub async fn poll_until_gone<T, F, Fut>(
    options: &WaitOptions,
    mut poll: F,
) -> Result<(), WaitError<crate::Error>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, crate::Error>>,
{
    let started = Instant::now();
    let mut polls = 0;
    loop {
        match poll().await {
            Err(e) if e.is_not_found() => return Ok(()),
            Err(e) => return Err(WaitError::Api(e)),
            Ok(_) => {}
        }
        if let Err(waited) = pause(options, started, polls).await {
            return Err(WaitError::Timeout {
                last_state: Some("exists".to_owned()),
                waited,
            });
        }
        polls += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn quick(timeout_ms: u64) -> WaitOptions {
        WaitOptions::timeout(Duration::from_millis(timeout_ms)).every(Duration::from_millis(1))
    }

    #[tokio::test]
    async fn returns_the_first_terminal_value() {
        let polls = AtomicUsize::new(0);
        let states = ["starting", "starting", "running"];
        let result = poll_until(
            &quick(5000),
            "/server/state",
            &["running", "stopped"],
            &[],
            || {
                let n = polls.fetch_add(1, Ordering::SeqCst);
                async move { Ok::<_, String>(serde_json::json!({"server": {"state": states[n]}})) }
            },
        )
        .await
        .unwrap();
        assert_eq!(result["server"]["state"], "running");
        assert_eq!(polls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_failure_state_ends_the_wait_at_once_naming_it() {
        let polls = AtomicUsize::new(0);
        let slow = WaitOptions::timeout(Duration::from_secs(60)).every(Duration::from_secs(30));
        let started = Instant::now();
        let err = poll_until(&slow, "/status", &["available"], &["error"], || {
            polls.fetch_add(1, Ordering::SeqCst);
            async { Ok::<_, String>(serde_json::json!({"status": "error"})) }
        })
        .await
        .unwrap_err();
        assert_eq!(err.failed_state(), Some("error"));
        assert_eq!(err.to_string(), "the resource ended in state error");
        assert_eq!(polls.load(Ordering::SeqCst), 1);
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[tokio::test]
    async fn timeout_names_the_last_state() {
        let options =
            WaitOptions::timeout(Duration::from_millis(30)).every(Duration::from_millis(10));
        let err = poll_until(&options, "/status", &["available"], &[], || async {
            Ok::<_, String>(serde_json::json!({"status": "creating"}))
        })
        .await
        .unwrap_err();
        assert!(err.to_string().contains("last state: creating"), "{err}");
    }

    #[test]
    fn delays_grow_from_min_to_max() {
        let options =
            WaitOptions::default().backoff(Duration::from_millis(100), Duration::from_millis(400));
        let delays: Vec<u128> = (0..6).map(|n| options.delay(n).as_millis()).collect();
        assert_eq!(delays, [100, 150, 225, 337, 400, 400]);
    }

    #[tokio::test]
    async fn a_deletion_wait_ends_on_not_found() {
        let polls = AtomicUsize::new(0);
        poll_until_gone(&quick(5000), || {
            let n = polls.fetch_add(1, Ordering::SeqCst);
            async move {
                if n < 2 {
                    Ok(())
                } else {
                    Err(crate::Error::api(
                        serde_json::from_str(r#"{"type":"not_found","message":"gone"}"#).unwrap(),
                        None,
                        reqwest::StatusCode::NOT_FOUND,
                        None,
                    ))
                }
            }
        })
        .await
        .unwrap();
        assert_eq!(polls.load(Ordering::SeqCst), 3);
    }
}
