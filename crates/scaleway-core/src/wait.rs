//! Waiting for a resource to settle: poll until its state is terminal.

use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};

use serde::Serialize;

/// How long to wait and how often to look.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitOptions {
    /// Give up after this long.
    pub timeout: Duration,
    /// Time between two polls.
    pub interval: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            timeout: Duration::from_secs(600),
            interval: Duration::from_secs(5),
        }
    }
}

/// Why waiting stopped without reaching a terminal state.
#[derive(Debug)]
pub enum WaitError<E> {
    /// A poll failed.
    Api(E),
    /// The timeout passed first.
    Timeout {
        /// The state seen on the last poll, if any.
        last_state: Option<String>,
        /// Time spent waiting.
        waited: Duration,
    },
}

impl<E: fmt::Display> fmt::Display for WaitError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Api(e) => write!(f, "polling failed: {e}"),
            WaitError::Timeout { last_state, waited } => write!(
                f,
                "still not in a terminal state after {:.1}s (last state: {})",
                waited.as_secs_f64(),
                last_state.as_deref().unwrap_or("unknown")
            ),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for WaitError<E> {}

/// Calls `poll` every `options.interval` until the string at JSON pointer `state` of its result
/// is one of `terminal`, and returns that result.
pub async fn poll_until<T, E, F, Fut>(
    options: &WaitOptions,
    state: &str,
    terminal: &[&str],
    mut poll: F,
) -> Result<T, WaitError<E>>
where
    T: Serialize,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let started = Instant::now();
    loop {
        let value = poll().await.map_err(WaitError::Api)?;
        let current = serde_json::to_value(&value)
            .ok()
            .and_then(|v| v.pointer(state).and_then(|s| s.as_str()).map(str::to_owned));
        if current.as_deref().is_some_and(|s| terminal.contains(&s)) {
            return Ok(value);
        }
        let waited = started.elapsed();
        if waited + options.interval > options.timeout {
            return Err(WaitError::Timeout {
                last_state: current,
                waited,
            });
        }
        tokio::time::sleep(options.interval).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn returns_the_first_terminal_value() {
        let polls = AtomicUsize::new(0);
        let options = WaitOptions {
            timeout: Duration::from_secs(5),
            interval: Duration::from_millis(1),
        };
        let states = ["starting", "starting", "running"];
        let result = poll_until(&options, "/server/state", &["running", "stopped"], || {
            let n = polls.fetch_add(1, Ordering::SeqCst);
            async move { Ok::<_, String>(serde_json::json!({"server": {"state": states[n]}})) }
        })
        .await
        .unwrap();
        assert_eq!(result["server"]["state"], "running");
        assert_eq!(polls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn timeout_names_the_last_state() {
        let options = WaitOptions {
            timeout: Duration::from_millis(30),
            interval: Duration::from_millis(10),
        };
        let err = poll_until(&options, "/status", &["available"], || async {
            Ok::<_, String>(serde_json::json!({"status": "creating"}))
        })
        .await
        .unwrap_err();
        assert!(err.to_string().contains("last state: creating"), "{err}");
    }
}
