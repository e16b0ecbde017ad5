//! `/readyz`: is the configuration loaded (it is, or the process would not serve) and does the
//! helpdesk answer our token? Asked at most once per [`PROBE_INTERVAL`], and not at all while
//! visitors' calls prove it: probes every second from every load balancer cost the helpdesk at
//! most one token check per interval, and that check reads no table (see `Upstream::check_token`).

use crate::state::SharedRedis;
use crate::upstream::Upstream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// How long one answer of the helpdesk vouches for it.
pub const PROBE_INTERVAL: Duration = Duration::from_secs(5);
/// How long a probe waits for the helpdesk: load balancers give up after a second or two.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// The readiness verdict, shared by every probe; cheap to clone.
#[derive(Clone, Debug)]
pub struct Readiness {
    upstream: Upstream,
    /// The shared state, when the proxy has one: it must answer too.
    shared: Option<SharedRedis>,
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Set when the proxy starts stopping: load balancers should send nothing new.
    draining: AtomicBool,
    /// The last token check: when, and what it said.
    last_check: Mutex<Option<(Instant, Helpdesk)>>,
}

/// What the last look at the helpdesk found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Helpdesk {
    /// It answered the token.
    Answers,
    /// It did not answer in time.
    TimedOut,
    /// It refused the token or answered nothing usable (the log says why).
    Unusable,
}

/// `/readyz`'s answer.
#[derive(Debug)]
pub struct Verdict {
    /// Whether to send visitors here.
    pub ready: bool,
    /// `ready`, `not_ready` or `draining`.
    pub status: &'static str,
    /// `answers`, `timed_out`, `unusable` (or `unchecked` while draining).
    pub helpdesk: &'static str,
    /// `memory`, or for Redis `answers` / `unavailable` (`unchecked` while draining).
    pub state: &'static str,
}

impl Readiness {
    /// Readiness of a proxy talking to `upstream`.
    pub fn new(upstream: Upstream) -> Readiness {
        Readiness {
            upstream,
            shared: None,
            inner: Arc::default(),
        }
    }

    /// Readiness that also needs `redis` to answer.
    pub fn sharing(self, redis: SharedRedis) -> Readiness {
        Readiness {
            shared: Some(redis),
            ..self
        }
    }

    /// From now on the proxy is stopping: not ready, whatever the helpdesk says.
    pub fn drain(&self) {
        self.inner.draining.store(true, Ordering::Relaxed);
    }

    /// The verdict now: from a visitor's call or a check within the interval if there is one,
    /// else from a new check (one at a time; concurrent probes share it).
    pub async fn check(&self) -> Verdict {
        if self.inner.draining.load(Ordering::Relaxed) {
            return Verdict {
                ready: false,
                status: "draining",
                helpdesk: "unchecked",
                state: "unchecked",
            };
        }
        let helpdesk = self.helpdesk().await;
        // Redis is asked every time: a ping costs it nothing, and an outage must show at once.
        let state = match &self.shared {
            None => "memory",
            Some(redis) => match redis.ping().await {
                Ok(()) => "answers",
                Err(e) => {
                    tracing::warn!(error = %e, "not ready: the shared state does not answer");
                    "unavailable"
                }
            },
        };
        let ready = helpdesk == Helpdesk::Answers && state != "unavailable";
        ::metrics::gauge!("helpdock_ready").set(if ready { 1.0 } else { 0.0 });
        Verdict {
            ready,
            status: if ready { "ready" } else { "not_ready" },
            helpdesk: match helpdesk {
                Helpdesk::Answers => "answers",
                Helpdesk::TimedOut => "timed_out",
                Helpdesk::Unusable => "unusable",
            },
            state,
        }
    }

    async fn helpdesk(&self) -> Helpdesk {
        let recent = |at: Instant| at.elapsed() < PROBE_INTERVAL;
        if self.upstream.last_answer().is_some_and(recent) {
            return Helpdesk::Answers;
        }
        let mut last = self.inner.last_check.lock().await;
        if let Some((at, found)) = *last
            && recent(at)
        {
            return found;
        }
        let found = match tokio::time::timeout(PROBE_TIMEOUT, self.upstream.check_token()).await {
            Ok(Ok(())) => Helpdesk::Answers,
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "not ready: the helpdesk's answer to the token check is unusable");
                Helpdesk::Unusable
            }
            Err(_) => {
                tracing::warn!("not ready: the helpdesk did not answer the token check in time");
                Helpdesk::TimedOut
            }
        };
        *last = Some((Instant::now(), found));
        found
    }
}
