//! The memory behind `Idempotency-Key`: per key, either a request in flight, the answer it
//! got, or an uncertain outcome (the helpdesk may have written it; see `LostAnswer`), for 24
//! hours, at most `capacity` keys. Time is a parameter so tests can move it.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};
use tokio::sync::watch;

/// How long an answer is replayed (docs/protocol.md: keys are remembered for 24 hours).
pub(crate) const TTL: Duration = Duration::from_secs(24 * 3600);
/// Keys remembered at most; the oldest answers go first. Answers are a few hundred bytes.
pub(crate) const CAPACITY: usize = 10_000;
/// Marks an answer as a replay, for the client's and the operator's benefit.
const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// A SHA-256 digest: of the key's scope, or of the request it came with.
pub(crate) type Digest = [u8; 32];

/// A successful answer, kept to be sent again.
#[derive(Debug)]
pub(crate) struct StoredAnswer {
    /// Its status (always 2xx).
    pub(crate) status: StatusCode,
    /// Its headers, as the handler set them.
    pub(crate) headers: HeaderMap,
    /// Its body.
    pub(crate) body: Bytes,
}

impl StoredAnswer {
    /// The answer again, marked as a replay.
    pub(crate) fn replay(&self) -> Response {
        let mut response = Response::new(Body::from(self.body.clone()));
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers.clone();
        response
            .headers_mut()
            .insert(REPLAYED, HeaderValue::from_static("true"));
        response
    }
}

enum Slot {
    /// The first request with this key is running; waiters watch for the sender to drop.
    Pending {
        fingerprint: Digest,
        done: watch::Receiver<()>,
    },
    /// Its answer, and when it was stored.
    Done {
        fingerprint: Digest,
        answer: Arc<StoredAnswer>,
        at: Instant,
    },
    /// Its write reached the helpdesk but no answer came back: it may have been filed.
    Uncertain {
        fingerprint: Digest,
        lost: LostAnswer,
    },
}

/// A write whose answer was lost (a timeout, a broken connection, a 5xx): the helpdesk may have
/// stored it. A retry waits until `settled` (a stalled helpdesk request may still be writing),
/// then looks for what was written `since` before writing again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LostAnswer {
    /// When the first attempt started (the helpdesk's rows carry wall-clock times).
    pub(crate) since: SystemTime,
    /// From when the helpdesk is assumed done with that attempt.
    pub(crate) settled: SystemTime,
}

#[derive(Default)]
struct Slots {
    by_scope: HashMap<Digest, Slot>,
    /// Stored answers in the order they were stored, which is also the order they expire in.
    order: VecDeque<(Digest, Instant)>,
}

/// What to do with a request that carries a key.
pub(crate) enum Claim {
    /// Nobody has this key, or its last attempt's answer was lost and has settled: run the
    /// request, then [`Ticket::finish`].
    Run(Ticket),
    /// The last attempt's answer was lost and the helpdesk may still be writing it: retry after
    /// this long.
    NotYet(Duration),
    /// The same request was answered: send this again.
    Replay(Arc<StoredAnswer>),
    /// The key came with a different request: 409.
    Conflict,
    /// The same request is running: wait for this to change (or close), then claim again.
    Wait(watch::Receiver<()>),
}

/// Remembered answers, shared by every request.
#[derive(Clone)]
pub(crate) struct IdempotencyStore {
    slots: Arc<Mutex<Slots>>,
    ttl: Duration,
    capacity: usize,
}

impl std::fmt::Debug for IdempotencyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdempotencyStore")
            .field("ttl", &self.ttl)
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

impl IdempotencyStore {
    /// An empty store keeping answers for `ttl`, at most `capacity` of them.
    pub(crate) fn new(ttl: Duration, capacity: usize) -> IdempotencyStore {
        IdempotencyStore {
            slots: Arc::default(),
            ttl,
            capacity: capacity.max(1),
        }
    }

    /// Looks up `scope` for a request whose content hashes to `fingerprint`.
    pub(crate) fn claim(&self, scope: Digest, fingerprint: Digest, now: Instant) -> Claim {
        self.claim_at(scope, fingerprint, now, SystemTime::now())
    }

    /// [`IdempotencyStore::claim`] with the wall clock as a parameter too.
    pub(crate) fn claim_at(
        &self,
        scope: Digest,
        fingerprint: Digest,
        now: Instant,
        wall: SystemTime,
    ) -> Claim {
        let mut slots = self.lock();
        let mut lost = None;
        match slots.by_scope.get(&scope) {
            Some(Slot::Done { at, .. }) if now.saturating_duration_since(*at) >= self.ttl => {
                slots.by_scope.remove(&scope);
            }
            Some(Slot::Done {
                fingerprint: stored,
                answer,
                ..
            }) => {
                return if *stored == fingerprint {
                    Claim::Replay(Arc::clone(answer))
                } else {
                    Claim::Conflict
                };
            }
            Some(Slot::Pending {
                fingerprint: running,
                done,
            }) => {
                return if *running == fingerprint {
                    Claim::Wait(done.clone())
                } else {
                    Claim::Conflict
                };
            }
            Some(Slot::Uncertain {
                fingerprint: tried,
                lost: earlier,
            }) => {
                if *tried != fingerprint {
                    return Claim::Conflict;
                }
                if let Ok(wait) = earlier.settled.duration_since(wall)
                    && !wait.is_zero()
                {
                    return Claim::NotYet(wait);
                }
                lost = Some(*earlier);
                slots.by_scope.remove(&scope);
            }
            None => {}
        }
        self.make_room(&mut slots, now);
        let (sender, done) = watch::channel(());
        slots
            .by_scope
            .insert(scope, Slot::Pending { fingerprint, done });
        Claim::Run(Ticket {
            store: self.clone(),
            scope,
            fingerprint,
            lost,
            _running: sender,
            finished: false,
        })
    }

    /// Drops expired answers, then the oldest ones until there is room for one more key.
    fn make_room(&self, slots: &mut Slots, now: Instant) {
        while let Some(&(scope, at)) = slots.order.front() {
            let expired = now.saturating_duration_since(at) >= self.ttl;
            if !expired && slots.by_scope.len() < self.capacity {
                break;
            }
            slots.order.pop_front();
            // The queue may name an answer already replaced or dropped: only remove that one.
            if matches!(slots.by_scope.get(&scope), Some(Slot::Done { at: stored, .. }) if *stored == at)
                || matches!(slots.by_scope.get(&scope), Some(Slot::Uncertain { .. }))
            {
                slots.by_scope.remove(&scope);
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Slots> {
        // The critical sections cannot panic half-way; a poisoned lock holds consistent data.
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Keys held, answered or running (for tests of the bound).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().by_scope.len()
    }
}

/// The right and duty to answer a claimed key. Dropped without [`Ticket::finish`] (a panic), the
/// key is released and waiters retry.
pub(crate) struct Ticket {
    store: IdempotencyStore,
    scope: Digest,
    fingerprint: Digest,
    /// The earlier attempt whose answer was lost, if any.
    lost: Option<LostAnswer>,
    /// Dropped when the ticket is: that wakes every waiter.
    _running: watch::Sender<()>,
    finished: bool,
}

impl Ticket {
    /// The earlier attempt with this key whose answer was lost: look for its result first.
    pub(crate) fn lost(&self) -> Option<LostAnswer> {
        self.lost
    }

    /// Remembers that this attempt's answer was lost (`lost`), so a retry looks before writing.
    pub(crate) fn finish_uncertain(mut self, lost: LostAnswer) {
        self.finished = true;
        // Kept like an answer (and expiring like one) so the bound holds.
        let now = Instant::now();
        let mut slots = self.store.lock();
        slots.by_scope.insert(
            self.scope,
            Slot::Uncertain {
                fingerprint: self.fingerprint,
                lost,
            },
        );
        slots.order.push_back((self.scope, now));
    }

    /// Stores a successful `answer` for replay, or with `None` (a failure) forgets the key, so
    /// the client may retry it.
    pub(crate) fn finish(mut self, answer: Option<Arc<StoredAnswer>>, now: Instant) {
        self.finished = true;
        let mut slots = self.store.lock();
        match answer {
            Some(answer) => {
                slots.by_scope.insert(
                    self.scope,
                    Slot::Done {
                        fingerprint: self.fingerprint,
                        answer,
                        at: now,
                    },
                );
                slots.order.push_back((self.scope, now));
            }
            None => {
                slots.by_scope.remove(&self.scope);
            }
        }
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if !self.finished {
            self.store.lock().by_scope.remove(&self.scope);
        }
    }
}

#[cfg(test)]
#[path = "idempotency_store_tests.rs"]
mod tests;
