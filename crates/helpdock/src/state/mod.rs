//! The state every proxy instance must agree on — idempotency keys, rate-limit buckets, the owner
//! cache — in this process's memory (`[state] backend = "memory"`, the default) or in a Redis
//! shared by every instance (`"redis"`). With Redis unreachable, creates and replies are refused
//! with `503 state_unavailable` (never risking a duplicate), reads go on, and `/readyz` says not
//! ready. See docs/operations.md, "Several instances".

mod config;
pub(crate) mod redis;

pub(crate) use config::FileState;
pub use config::StateBackend;
pub use redis::SharedRedis;

use std::time::Duration;

/// How long a client is told to wait before retrying when the shared state is unreachable.
pub const RETRY_AFTER: Duration = Duration::from_secs(5);

/// The shared state could not be reached (or answered nonsense) in time; the cause is logged.
#[derive(Debug, thiserror::Error)]
#[error("shared state unavailable: {0}")]
pub struct StateUnavailable(pub String);
