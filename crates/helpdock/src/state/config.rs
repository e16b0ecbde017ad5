//! `[state]`: where the promises that need memory live — idempotency keys, rate-limit buckets,
//! the owner cache. `memory` (the default) is one process's; `redis` is shared by every proxy
//! that points at the same Redis.

use crate::secret::Secret;
use serde::Deserialize;

/// The `[state]` table as written in the file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct FileState {
    pub(crate) backend: Option<String>,
    pub(crate) redis_url: Option<Secret>,
    pub(crate) redis_url_file: Option<std::path::PathBuf>,
}

/// Which state backend serves, checked.
#[derive(Clone, Debug, Default)]
pub enum StateBackend {
    /// This process's memory: lost on restart, not shared (docs/operations.md).
    #[default]
    Memory,
    /// A Redis server (`redis://[:password@]host:port/db` or `rediss://`), shared.
    Redis {
        /// The URL; it may hold a password, so it is a secret.
        url: Secret,
    },
}

impl StateBackend {
    /// The backend's name, for logs and metrics.
    pub fn name(&self) -> &'static str {
        match self {
            StateBackend::Memory => "memory",
            StateBackend::Redis { .. } => "redis",
        }
    }
}
