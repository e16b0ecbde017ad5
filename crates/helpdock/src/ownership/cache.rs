//! Who owns which ticket, remembered for a while: `tickets_list.php` answers without emails, and
//! matches names as well as emails, so each listed ticket's owner must be learnt from one
//! `ticket_view.php` — and only once.
//!
//! Only equality is ever asked of an owner, so the cache keeps a digest of the normalised email
//! ([`OwnerDigest`]), never the email: nothing to leak from memory dumps or a shared Redis.
//!
//! Cost: one entry is the ticket id, a 32-byte digest, an `Instant`, and two map slots: about
//! 120 bytes, so the default 10 000 entries take about 1.2 MB. An owner never changes in
//! SupportEngine's customer-facing API; the TTL bounds how long an admin's manual reassignment
//! goes unseen. With `[state] backend = "redis"` every instance also shares what it learnt
//! (`helpdock:_all:owner:<id>`, same TTL); Redis being down only means more lookups.

use crate::state::SharedRedis;
use helpdock_wire::TicketId;
use helpdock_wire::validate::normalize_email;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A ticket owner as the cache knows them: SHA-256 of the normalised email.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OwnerDigest([u8; 32]);

impl OwnerDigest {
    /// The digest of `email`, normalised first (so `" Ann@Example.com"` is Ann's).
    pub fn of(email: &str) -> OwnerDigest {
        OwnerDigest(Sha256::digest(normalize_email(email).as_bytes()).into())
    }

    fn to_hex(self) -> String {
        hex::encode(self.0)
    }

    fn from_hex(text: &str) -> Option<OwnerDigest> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text, &mut bytes).ok()?;
        Some(OwnerDigest(bytes))
    }
}

/// Entries kept at most; the oldest go first.
pub const DEFAULT_CAPACITY: usize = 10_000;
/// How long an owner is believed without asking the helpdesk again.
pub const DEFAULT_TTL: Duration = Duration::from_secs(3600);

/// A bounded, expiring map ticket id → owner; cheap to clone (shared).
#[derive(Clone, Debug)]
pub struct OwnerCache {
    inner: Arc<Mutex<Inner>>,
    capacity: usize,
    ttl: Duration,
    /// The Redis every instance shares, behind this process's map.
    shared: Option<SharedRedis>,
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
    owner: OwnerDigest,
    stored: Instant,
    seq: u64,
}

/// Where instances share ticket `id`'s owner. Ticket ids are the one helpdesk's, whatever the
/// site, so the key is not per site.
fn shared_key(id: TicketId) -> String {
    format!("helpdock:_all:owner:{}", id.0)
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
            shared: None,
        }
    }

    /// This cache sharing what it learns with every instance on `redis`.
    pub fn sharing(self, redis: SharedRedis) -> OwnerCache {
        OwnerCache {
            shared: Some(redis),
            ..self
        }
    }

    /// The owner of ticket `id`, if known and not expired (here, or to another instance).
    pub async fn get(&self, id: TicketId) -> Option<OwnerDigest> {
        let mut owner = self.get_at(id, Instant::now());
        if let (None, Some(redis)) = (owner, &self.shared) {
            match redis.get(&shared_key(id)).await {
                Ok(found) => {
                    owner = found.as_deref().and_then(OwnerDigest::from_hex);
                    if let Some(owner) = owner {
                        self.insert_at(id, owner, Instant::now());
                    }
                }
                // A cache that cannot be read is a miss: one more lookup, nothing worse.
                Err(e) => tracing::debug!(error = %e, "owner cache: Redis not read"),
            }
        }
        let result = if owner.is_some() { "hit" } else { "miss" };
        metrics::counter!("helpdock_owner_cache_total", "result" => result).increment(1);
        owner
    }

    /// Remembers that ticket `id` belongs to `owner_email` (normalised and digested here).
    pub fn insert(&self, id: TicketId, owner_email: &str) {
        let owner = OwnerDigest::of(owner_email);
        self.insert_at(id, owner, Instant::now());
        if let Some(redis) = self.shared.clone() {
            let ttl = self.ttl;
            // Sharing is a saving, not a promise: nobody waits for it.
            tokio::spawn(async move {
                if let Err(e) = redis.set(&shared_key(id), &owner.to_hex(), ttl).await {
                    tracing::debug!(error = %e, "owner cache: Redis not written");
                }
            });
        }
    }

    /// How many owners are remembered (expired ones included until they are swept).
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn get_at(&self, id: TicketId, now: Instant) -> Option<OwnerDigest> {
        let mut inner = self.lock();
        let entry = inner.entries.get(&id)?;
        if now.saturating_duration_since(entry.stored) < self.ttl {
            return Some(entry.owner);
        }
        let seq = entry.seq;
        inner.entries.remove(&id);
        inner.order.remove(&seq);
        None
    }

    fn insert_at(&self, id: TicketId, owner: OwnerDigest, now: Instant) {
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
                owner,
                stored: now,
                seq,
            },
        );
    }

    #[cfg(test)]
    fn insert_email_at(&self, id: TicketId, owner_email: &str, now: Instant) {
        self.insert_at(id, OwnerDigest::of(owner_email), now);
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

    #[tokio::test]
    async fn remembers_normalised_owners() {
        let cache = OwnerCache::default();
        assert!(cache.is_empty());
        cache.insert(TicketId(1), " Ann@Example.com");
        let ann = OwnerDigest::of("ann@example.com");
        assert_eq!(cache.get(TicketId(1)).await, Some(ann));
        assert_eq!(cache.get(TicketId(2)).await, None);
        cache.insert(TicketId(1), "bob@example.com");
        assert_eq!(
            cache.get(TicketId(1)).await,
            Some(OwnerDigest::of("bob@example.com"))
        );
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn digests_round_trip_and_differ_by_owner() {
        let ann = OwnerDigest::of("ann@example.com");
        assert_eq!(OwnerDigest::from_hex(&ann.to_hex()), Some(ann));
        assert_ne!(ann, OwnerDigest::of("bob@example.com"));
        assert_eq!(OwnerDigest::from_hex("not hex"), None);
    }

    #[test]
    fn entries_expire_after_the_ttl() {
        let cache = OwnerCache::new(10, HOUR);
        let t0 = Instant::now();
        cache.insert_email_at(TicketId(1), "ann@example.com", t0);
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
            cache.insert_email_at(
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
        cache.insert_email_at(TicketId(3), "ann@example.com", now);
        cache.insert_email_at(TicketId(6), "ann@example.com", now);
        let kept: Vec<u64> = (1..=6)
            .filter(|id| cache.get_at(TicketId(*id), now).is_some())
            .collect();
        assert_eq!(kept, [3, 5, 6]);
    }

    #[test]
    fn expired_entries_make_room_before_live_ones_go() {
        let cache = OwnerCache::new(2, HOUR);
        let t0 = Instant::now();
        cache.insert_email_at(TicketId(1), "a@example.com", t0);
        cache.insert_email_at(TicketId(2), "b@example.com", t0 + HOUR);
        cache.insert_email_at(
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
