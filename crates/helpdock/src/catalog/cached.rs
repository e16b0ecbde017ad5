//! One cached helpdesk answer: fresh for a while, then served stale while a single refresh runs,
//! and kept for a while longer when refreshes fail. Time is a parameter so tests can move it.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long answers stay usable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Lifetimes {
    /// Served without asking the helpdesk; zero: never cached.
    pub(crate) fresh: Duration,
    /// After `fresh`, still served (and refreshed in the background) for this long.
    pub(crate) stale: Duration,
}

/// What a lookup found.
#[derive(Debug)]
pub(crate) enum Lookup<T> {
    /// A fresh answer: nothing to do.
    Fresh(Arc<T>),
    /// An old answer to serve now; `refresh` says whether this caller should refresh it (only
    /// one caller is told so at a time).
    Stale { value: Arc<T>, refresh: bool },
    /// Nothing usable: ask the helpdesk and wait.
    Missing,
}

struct Slot<T> {
    value: Option<(Arc<T>, Instant)>,
    /// When a background refresh was handed out; a second one waits until it is over (or lost).
    refreshing_since: Option<Instant>,
}

/// A cached answer of type `T`, shared by every request.
pub(crate) struct Cached<T> {
    slot: Mutex<Slot<T>>,
    lifetimes: Lifetimes,
}

impl<T> Cached<T> {
    /// Nothing cached yet.
    pub(crate) fn new(lifetimes: Lifetimes) -> Cached<T> {
        Cached {
            slot: Mutex::new(Slot {
                value: None,
                refreshing_since: None,
            }),
            lifetimes,
        }
    }

    /// Whether answers are cached at all.
    pub(crate) fn enabled(&self) -> bool {
        !self.lifetimes.fresh.is_zero()
    }

    /// What is cached at `now`, and whether the caller should refresh it.
    pub(crate) fn lookup(&self, now: Instant) -> Lookup<T> {
        let mut slot = self.lock();
        let Some((value, at)) = slot.value.clone() else {
            return Lookup::Missing;
        };
        let age = now.saturating_duration_since(at);
        if age < self.lifetimes.fresh {
            return Lookup::Fresh(value);
        }
        if age >= self.lifetimes.fresh + self.lifetimes.stale {
            return Lookup::Missing;
        }
        // A refresh that never reported back (its task was lost) stops blocking after `fresh`.
        let busy = slot
            .refreshing_since
            .is_some_and(|since| now.saturating_duration_since(since) < self.lifetimes.fresh);
        if !busy {
            slot.refreshing_since = Some(now);
        }
        Lookup::Stale {
            value,
            refresh: !busy,
        }
    }

    /// Stores a good answer fetched at `now`.
    pub(crate) fn store(&self, value: Arc<T>, now: Instant) {
        let mut slot = self.lock();
        slot.value = Some((value, now));
        slot.refreshing_since = None;
    }

    /// A refresh failed: the last good answer stays for what is left of its stale time.
    pub(crate) fn refresh_failed(&self) {
        self.lock().refreshing_since = None;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Slot<T>> {
        // No critical section can panic half-way; a poisoned lock holds consistent data.
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    fn cached() -> Cached<&'static str> {
        Cached::new(Lifetimes {
            fresh: MINUTE,
            stale: 10 * MINUTE,
        })
    }

    fn describe(lookup: Lookup<&'static str>) -> String {
        match lookup {
            Lookup::Fresh(v) => format!("fresh {v}"),
            Lookup::Stale { value, refresh } => format!("stale {value} refresh={refresh}"),
            Lookup::Missing => "missing".into(),
        }
    }

    #[test]
    fn fresh_then_stale_with_one_refresh_then_missing() {
        let cache = cached();
        let t0 = Instant::now();
        assert_eq!(describe(cache.lookup(t0)), "missing");
        cache.store(Arc::new("a"), t0);
        assert_eq!(describe(cache.lookup(t0 + MINUTE / 2)), "fresh a");
        let stale = t0 + MINUTE + Duration::from_secs(1);
        assert_eq!(describe(cache.lookup(stale)), "stale a refresh=true");
        // Only the first stale reader refreshes; the others are served without asking.
        assert_eq!(describe(cache.lookup(stale)), "stale a refresh=false");
        cache.store(Arc::new("b"), stale);
        assert_eq!(describe(cache.lookup(stale)), "fresh b");
        assert_eq!(describe(cache.lookup(stale + 11 * MINUTE)), "missing");
    }

    #[test]
    fn a_failed_refresh_keeps_the_last_answer_and_lets_the_next_reader_try() {
        let cache = cached();
        let t0 = Instant::now();
        cache.store(Arc::new("a"), t0);
        let later = t0 + 2 * MINUTE;
        assert_eq!(describe(cache.lookup(later)), "stale a refresh=true");
        cache.refresh_failed();
        assert_eq!(describe(cache.lookup(later)), "stale a refresh=true");
    }

    #[test]
    fn a_lost_refresh_stops_blocking_after_the_fresh_time() {
        let cache = cached();
        let t0 = Instant::now();
        cache.store(Arc::new("a"), t0);
        let later = t0 + 2 * MINUTE;
        assert_eq!(describe(cache.lookup(later)), "stale a refresh=true");
        assert_eq!(
            describe(cache.lookup(later + MINUTE)),
            "stale a refresh=true"
        );
    }

    #[test]
    fn a_zero_fresh_time_disables_the_cache() {
        let cache: Cached<&str> = Cached::new(Lifetimes {
            fresh: Duration::ZERO,
            stale: MINUTE,
        });
        assert!(!cache.enabled());
        assert!(cached().enabled());
    }
}
