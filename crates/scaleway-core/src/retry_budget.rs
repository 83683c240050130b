//! A client-wide budget of retries: a token bucket shared by every call of a
//! [`Runtime`](crate::Runtime), as the AWS SDKs' standard retry mode has, so that when the API
//! is down a client stops retrying instead of multiplying its load.

use std::sync::atomic::{AtomicU32, Ordering};

/// How many retries a client may spend: a bucket of `capacity` tokens, full at first, that each
/// retry after a failure draws from and each success refills a little.
///
/// A retry after a 502, 503 or 504 answer, or after a connection that failed or was reset,
/// costs [`retry_cost`](Self::retry_cost); one after a timeout costs
/// [`timeout_retry_cost`](Self::timeout_retry_cost). An answer that shows the API up (any
/// status but 429 and 5xx) gives back [`success_refund`](Self::success_refund), up to the
/// capacity. When a retry costs more than what is left, the call is not retried and its error
/// is returned as it is.
///
/// Retries after `429 Too Many Requests` cost nothing: they are the API asking for patience,
/// bounded per call by [`RetryPolicy::throttle_budget`](crate::RetryPolicy::throttle_budget).
/// Nor do retries after `409 transient_state` (see
/// [`RuntimeOptions::retry_transient_state`](crate::RuntimeOptions::retry_transient_state)).
///
/// With the defaults (500 tokens, 5 a retry), an API that fails every request stops being
/// retried after 100 retries, however many calls are in flight; every success then earns back
/// one fifth of a retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryBudget {
    /// Tokens of a full bucket; the bucket starts full.
    pub capacity: u32,
    /// Tokens a retry after a 5xx answer or a failed or reset connection costs.
    pub retry_cost: u32,
    /// Tokens a retry after a timeout costs.
    pub timeout_retry_cost: u32,
    /// Tokens an answer that is neither 429 nor 5xx gives back, up to the capacity.
    pub success_refund: u32,
}

impl Default for RetryBudget {
    fn default() -> Self {
        RetryBudget {
            capacity: 500,
            retry_cost: 5,
            timeout_retry_cost: 10,
            success_refund: 1,
        }
    }
}

/// What made a call worth retrying, for the price of the retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RetryCause {
    /// A 5xx answer, or a connection that failed or was reset.
    Failure,
    /// The time allowed for the request ran out.
    Timeout,
}

/// The tokens left of a [`RetryBudget`], shared by every call of a runtime.
#[derive(Debug)]
pub(crate) struct RetryTokens {
    budget: RetryBudget,
    left: AtomicU32,
}

impl RetryTokens {
    /// A full bucket.
    pub(crate) fn new(budget: RetryBudget) -> RetryTokens {
        RetryTokens {
            budget,
            left: AtomicU32::new(budget.capacity),
        }
    }

    /// The budget this bucket was made from.
    pub(crate) fn budget(&self) -> RetryBudget {
        self.budget
    }

    /// Tokens left now.
    pub(crate) fn left(&self) -> u32 {
        self.left.load(Ordering::Relaxed)
    }

    /// Takes the price of a retry for `cause`; `false`, taking nothing, when too few are left.
    pub(crate) fn try_spend(&self, cause: RetryCause) -> bool {
        let cost = match cause {
            RetryCause::Failure => self.budget.retry_cost,
            RetryCause::Timeout => self.budget.timeout_retry_cost,
        };
        self.left
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |left| {
                left.checked_sub(cost)
            })
            .is_ok()
    }

    /// Gives back the refund of a success, up to the capacity.
    pub(crate) fn refund(&self) {
        let (refund, capacity) = (self.budget.success_refund, self.budget.capacity);
        if refund == 0 {
            return;
        }
        // Only fails when the bucket is already full, which is as good as refunded.
        let _ = self
            .left
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |left| {
                (left < capacity).then(|| left.saturating_add(refund).min(capacity))
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> RetryTokens {
        RetryTokens::new(RetryBudget {
            capacity: 20,
            retry_cost: 5,
            timeout_retry_cost: 10,
            success_refund: 1,
        })
    }

    #[test]
    fn retries_draw_their_price_until_too_few_are_left() {
        let tokens = small();
        assert!(tokens.try_spend(RetryCause::Timeout));
        assert_eq!(tokens.left(), 10);
        assert!(tokens.try_spend(RetryCause::Failure));
        assert!(tokens.try_spend(RetryCause::Failure));
        assert_eq!(tokens.left(), 0);
        assert!(!tokens.try_spend(RetryCause::Failure));
        assert_eq!(tokens.left(), 0, "a refused retry takes nothing");
    }

    #[test]
    fn a_refused_timeout_retry_leaves_cheaper_retries_possible() {
        let tokens = small();
        assert!(tokens.try_spend(RetryCause::Timeout));
        assert!(tokens.try_spend(RetryCause::Failure));
        assert!(!tokens.try_spend(RetryCause::Timeout));
        assert_eq!(tokens.left(), 5);
        assert!(tokens.try_spend(RetryCause::Failure));
    }

    #[test]
    fn successes_refill_up_to_the_capacity() {
        let tokens = small();
        assert!(tokens.try_spend(RetryCause::Failure));
        for _ in 0..3 {
            tokens.refund();
        }
        assert_eq!(tokens.left(), 18);
        for _ in 0..10 {
            tokens.refund();
        }
        assert_eq!(tokens.left(), 20, "never above the capacity");
    }
}
