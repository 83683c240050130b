//! A client-wide limit on the rate of requests: a token bucket shared by every request of a
//! [`Runtime`](crate::Runtime).

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// At most `per_second` requests a second on average, and `burst` at once after a quiet time.
///
/// Every attempt counts, retries included, and every request of a runtime shares the limit:
/// concurrent pages of a list stream, the zones of `collect_all_in_zones`, clones of the client.
/// A request over the limit waits (with `tokio` time) for its turn, in the order requests
/// asked; that wait does not count towards the request's timeout.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateLimit {
    /// Requests a second, on average; positive and finite.
    pub per_second: f64,
    /// Requests sent at once before the rate applies; at least 1.
    pub burst: u32,
}

impl RateLimit {
    /// `per_second` requests a second, `burst` at once.
    pub fn new(per_second: f64, burst: u32) -> RateLimit {
        RateLimit { per_second, burst }
    }

    /// Why the limit cannot be applied, if it cannot.
    pub(crate) fn check(&self) -> Result<(), String> {
        if !(self.per_second.is_finite() && self.per_second > 0.0) {
            return Err(format!(
                "per_second must be positive and finite, not {}",
                self.per_second
            ));
        }
        if self.burst == 0 {
            return Err("burst must be at least 1".to_owned());
        }
        Ok(())
    }
}

/// The token bucket: `burst` tokens at most, refilled at `per_second`; each request takes one.
///
/// A request that finds no token reserves the next one anyway (the count goes below zero) and
/// sleeps until it is due, so waiting requests are served in the order they asked, without
/// polling. A request dropped while it waits keeps its reservation: the limit errs on the
/// side of sending less, never more.
#[derive(Debug)]
pub(crate) struct TokenBucket {
    per_second: f64,
    burst: f64,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// Tokens available at `at`; negative when requests are waiting for tokens to come.
    tokens: f64,
    at: Instant,
}

impl TokenBucket {
    /// A full bucket.
    pub(crate) fn new(limit: RateLimit) -> TokenBucket {
        TokenBucket {
            per_second: limit.per_second,
            burst: f64::from(limit.burst),
            state: Mutex::new(State {
                tokens: f64::from(limit.burst),
                at: Instant::now(),
            }),
        }
    }

    /// Takes a token now, or reserves the next one and returns how long until it is due.
    fn reserve(&self) -> Option<Duration> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let refill = now.saturating_duration_since(state.at).as_secs_f64() * self.per_second;
        state.tokens = (state.tokens + refill).min(self.burst) - 1.0;
        state.at = now;
        (state.tokens < 0.0).then(|| Duration::from_secs_f64(-state.tokens / self.per_second))
    }

    /// Waits until this request may be sent.
    pub(crate) async fn acquire(&self) {
        if let Some(wait) = self.reserve() {
            tracing::trace!(wait_ms = wait.as_millis() as u64, "rate limited");
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_unusable_limits() {
        assert!(RateLimit::new(10.0, 2).check().is_ok());
        assert!(RateLimit::new(0.0, 2).check().is_err());
        assert!(RateLimit::new(-1.0, 2).check().is_err());
        assert!(RateLimit::new(f64::NAN, 2).check().is_err());
        assert!(RateLimit::new(f64::INFINITY, 2).check().is_err());
        assert!(RateLimit::new(10.0, 0).check().is_err());
    }

    #[tokio::test(start_paused = true)]
    async fn burst_then_one_per_interval() {
        let bucket = TokenBucket::new(RateLimit::new(10.0, 2));
        // The burst is free, then each request waits one more interval than the one before.
        assert_eq!(bucket.reserve(), None);
        assert_eq!(bucket.reserve(), None);
        let third = bucket.reserve().unwrap();
        let fourth = bucket.reserve().unwrap();
        assert!((third.as_secs_f64() - 0.1).abs() < 1e-6, "{third:?}");
        assert!((fourth.as_secs_f64() - 0.2).abs() < 1e-6, "{fourth:?}");
        // After a quiet second the bucket is full again, but never fuller than the burst.
        tokio::time::advance(Duration::from_secs(10)).await;
        assert_eq!(bucket.reserve(), None);
        assert_eq!(bucket.reserve(), None);
        assert!(bucket.reserve().is_some());
    }

    #[tokio::test(start_paused = true)]
    async fn acquire_sleeps_in_tokio_time() {
        let bucket = TokenBucket::new(RateLimit::new(4.0, 1));
        let start = Instant::now();
        for _ in 0..5 {
            bucket.acquire().await;
        }
        // One at once, then four at 250 ms intervals (tokio rounds sleeps up to the millisecond).
        let elapsed = start.elapsed();
        assert!(
            elapsed >= Duration::from_millis(999) && elapsed <= Duration::from_millis(1010),
            "{elapsed:?}"
        );
    }
}
