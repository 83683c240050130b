//! Running one call in several zones or regions at once.

use std::future::Future;

/// The outcome of a call in one zone or region.
#[derive(Debug)]
pub struct PerLocality<L, T, E> {
    /// The zone or region.
    pub locality: L,
    /// What the call returned there.
    pub result: Result<T, E>,
}

/// Runs `call` for every locality concurrently and returns the outcomes in the order given,
/// one per locality: a failure in one zone does not hide the others' results.
pub async fn across<L, T, E, F, Fut>(localities: &[L], call: F) -> Vec<PerLocality<L, T, E>>
where
    L: Clone,
    F: Fn(L) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let calls = localities.iter().cloned().map(|l| {
        let future = call(l.clone());
        async move {
            PerLocality {
                locality: l,
                result: future.await,
            }
        }
    });
    futures::future::join_all(calls).await
}

/// Items of every successful locality, in locality order, and the failures beside them.
pub fn merge<L, T, E>(outcomes: Vec<PerLocality<L, Vec<T>, E>>) -> (Vec<T>, Vec<(L, E)>) {
    let mut items = Vec::new();
    let mut failures = Vec::new();
    for outcome in outcomes {
        match outcome.result {
            Ok(found) => items.extend(found),
            Err(e) => failures.push((outcome.locality, e)),
        }
    }
    (items, failures)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Zone;

    #[tokio::test]
    async fn keeps_zone_order_and_per_zone_errors() {
        let zones = [Zone::FR_PAR_1, Zone::NL_AMS_1, Zone::PL_WAW_1];
        let outcomes = across(&zones, |zone| async move {
            if zone == Zone::NL_AMS_1 {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                Ok(vec![format!("{zone}-a"), format!("{zone}-b")])
            } else if zone == Zone::PL_WAW_1 {
                Err("unavailable")
            } else {
                Ok(vec![format!("{zone}-a")])
            }
        })
        .await;
        let (items, failures) = merge(outcomes);
        assert_eq!(items, ["fr-par-1-a", "nl-ams-1-a", "nl-ams-1-b"]);
        assert_eq!(failures, [(Zone::PL_WAW_1, "unavailable")]);
    }
}
