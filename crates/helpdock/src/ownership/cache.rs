//! Who owns which ticket, remembered for a while: `tickets_list.php` answers without emails, and
//! matches names as well as emails, so each listed ticket's owner must be learnt from one
//! `ticket_view.php` — and only once.
//!
//! Cost: one entry is the ticket id, the owner's email (typically 20–40 bytes, at most 254), an
//! `Instant`, and two map slots: about 150 bytes, so the default 10 000 entries take about
//! 1.5 MB (under 5 MB with only maximal emails). An owner never changes in SupportEngine's
//! customer-facing API; the TTL bounds how long an admin's manual reassignment goes unseen.

use helpdock_wire::TicketId;
use helpdock_wire::validate::normalize_email;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Entries kept at most; the oldest go first.
pub const DEFAULT_CAPACITY: usize = 10_000;
/// How long an owner is believed without asking the helpdesk again.
pub const DEFAULT_TTL: Duration = Duration::from_secs(3600);

/// A bounded, expiring map ticket id → owner email (normalised); cheap to clone (shared).
#[derive(Clone, Debug)]
pub struct OwnerCache {
    inner: Arc<Mutex<Inner>>,
    capacity: usize,
    ttl: Duration,
}

#[derive(Debug, Default)]
struct Inner {
    entries: HashMap<TicketId, Entry>,
    /// Insertion sequence → id: the front is the oldest, so eviction and expiry start there.
    order: BTreeMap<u64, TicketId>,
    next_seq: u64,
}

#[derive(Debug)]
struct Entry {
    owner: String,
    stored: Instant,
    seq: u64,
}

impl Default for OwnerCache {
    fn default() -> OwnerCache {
        OwnerCache::new(DEFAULT_CAPACITY, DEFAULT_TTL)
    }
}

impl OwnerCache {
    /// A cache of at most `capacity` owners (at least one), each believed for `ttl`.
    pub fn new(capacity: usize, ttl: Duration) -> OwnerCache {
        OwnerCache {
            inner: Arc::default(),
            capacity: capacity.max(1),
            ttl,
        }
    }

    /// The owner of ticket `id`, if known and not expired.
    pub fn get(&self, id: TicketId) -> Option<String> {
        let owner = self.get_at(id, Instant::now());
        let result = if owner.is_some() { "hit" } else { "miss" };
        metrics::counter!("helpdock_owner_cache_total", "result" => result).increment(1);
        owner
    }

    /// Remembers that ticket `id` belongs to `owner` (normalised here).
    pub fn insert(&self, id: TicketId, owner: &str) {
        self.insert_at(id, owner, Instant::now());
    }

    /// How many owners are remembered (expired ones included until they are swept).
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn get_at(&self, id: TicketId, now: Instant) -> Option<String> {
        let mut inner = self.lock();
        let entry = inner.entries.get(&id)?;
        if now.saturating_duration_since(entry.stored) < self.ttl {
            return Some(entry.owner.clone());
        }
        let seq = entry.seq;
        inner.entries.remove(&id);
        inner.order.remove(&seq);
        None
    }

    fn insert_at(&self, id: TicketId, owner: &str, now: Instant) {
        let mut inner = self.lock();
        if let Some(old) = inner.entries.remove(&id) {
            inner.order.remove(&old.seq);
        }
        // Expired entries first, then the oldest live ones, until there is room.
        while let Some((&seq, &oldest)) = inner.order.first_key_value() {
            let expired = inner
                .entries
                .get(&oldest)
                .is_none_or(|e| now.saturating_duration_since(e.stored) >= self.ttl);
            if !expired && inner.entries.len() < self.capacity {
                break;
            }
            inner.order.remove(&seq);
            inner.entries.remove(&oldest);
        }
        let seq = inner.next_seq;
        inner.next_seq += 1;
        inner.order.insert(seq, id);
        inner.entries.insert(
            id,
            Entry {
                owner: normalize_email(owner),
                stored: now,
                seq,
            },
        );
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // The map stays consistent between statements, so a panic elsewhere leaves it usable.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);

    #[test]
    fn remembers_normalised_owners() {
        let cache = OwnerCache::default();
        assert!(cache.is_empty());
        cache.insert(TicketId(1), " Ann@Example.com");
        assert_eq!(cache.get(TicketId(1)).as_deref(), Some("ann@example.com"));
        assert_eq!(cache.get(TicketId(2)), None);
        cache.insert(TicketId(1), "bob@example.com");
        assert_eq!(cache.get(TicketId(1)).as_deref(), Some("bob@example.com"));
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn entries_expire_after_the_ttl() {
        let cache = OwnerCache::new(10, HOUR);
        let t0 = Instant::now();
        cache.insert_at(TicketId(1), "ann@example.com", t0);
        let just_before = t0 + HOUR - Duration::from_millis(1);
        assert!(cache.get_at(TicketId(1), just_before).is_some());
        assert_eq!(cache.get_at(TicketId(1), t0 + HOUR), None);
        assert_eq!(cache.len(), 0, "an expired entry is dropped when met");
    }

    #[test]
    fn capacity_is_a_hard_bound_oldest_out_first() {
        let cache = OwnerCache::new(3, HOUR);
        let t0 = Instant::now();
        for id in 1..=5 {
            cache.insert_at(
                TicketId(id),
                "ann@example.com",
                t0 + Duration::from_secs(id),
            );
            assert!(cache.len() <= 3);
        }
        let now = t0 + Duration::from_secs(6);
        let kept: Vec<u64> = (1..=5)
            .filter(|id| cache.get_at(TicketId(*id), now).is_some())
            .collect();
        assert_eq!(kept, [3, 4, 5]);
        // Re-inserting refreshes an entry's place in line.
        cache.insert_at(TicketId(3), "ann@example.com", now);
        cache.insert_at(TicketId(6), "ann@example.com", now);
        let kept: Vec<u64> = (1..=6)
            .filter(|id| cache.get_at(TicketId(*id), now).is_some())
            .collect();
        assert_eq!(kept, [3, 5, 6]);
    }

    #[test]
    fn expired_entries_make_room_before_live_ones_go() {
        let cache = OwnerCache::new(2, HOUR);
        let t0 = Instant::now();
        cache.insert_at(TicketId(1), "a@example.com", t0);
        cache.insert_at(TicketId(2), "b@example.com", t0 + HOUR);
        cache.insert_at(
            TicketId(3),
            "c@example.com",
            t0 + HOUR + Duration::from_secs(1),
        );
        let now = t0 + HOUR + Duration::from_secs(2);
        assert_eq!(cache.get_at(TicketId(1), now), None);
        assert!(cache.get_at(TicketId(2), now).is_some());
        assert!(cache.get_at(TicketId(3), now).is_some());
        assert!(
            cache
                .inner
                .lock()
                .map(|i| i.order.len() == i.entries.len())
                .unwrap_or(false)
        );
    }
}
