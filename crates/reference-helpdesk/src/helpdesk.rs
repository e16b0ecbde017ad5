//! The `Helpdesk` handle: one database, one token, the call log and the injected fault.

use crate::db::Db;
use crate::error::HelpdeskError;
use crate::quirks::{Fault, Quirks};
use crate::record::{CallLog, RecordedCall};
use crate::routes;
use axum::Router;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// A running SupportEngine emulation; cheap to clone, every clone shares the same state.
#[derive(Clone, Debug)]
pub struct Helpdesk {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) db: Db,
    pub(crate) token: String,
    pub(crate) calls: CallLog,
    fault: Mutex<Option<Fault>>,
    /// The state of the flaky fault's random draws (splitmix64: no dependency, reproducible).
    draws: AtomicU64,
}

impl Inner {
    pub(crate) fn fault(&self) -> Option<Fault> {
        // An Option<Copy> cannot be left half-written, so a poisoned lock still holds a valid value.
        *self
            .fault
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The next random number of the flaky fault.
    pub(crate) fn draw(&self) -> u64 {
        let mut z = self
            .draws
            .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
            .wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl Helpdesk {
    /// Opens the database file (`None` = in memory), creates the schema and seeds the defaults.
    pub fn open(db: Option<&Path>, token: String) -> Result<Helpdesk, HelpdeskError> {
        Self::open_with(db, token, Quirks::default())
    }

    /// Like [`Helpdesk::open`], emulating a PHP host with `quirks`.
    pub fn open_with(
        db: Option<&Path>,
        token: String,
        quirks: Quirks,
    ) -> Result<Helpdesk, HelpdeskError> {
        let db = Db::open(db, quirks)?;
        let inner = Inner {
            db,
            token,
            calls: CallLog::default(),
            fault: Mutex::new(None),
            draws: AtomicU64::new(0),
        };
        Ok(Helpdesk {
            inner: Arc::new(inner),
        })
    }

    /// The API under `/api/<script>.php`; every other path is a 404.
    pub fn router(&self) -> Router {
        routes::router(self.inner.clone())
    }

    /// Every request received so far, oldest first, unknown paths included.
    pub fn calls(&self) -> Vec<RecordedCall> {
        self.inner.calls.snapshot()
    }

    /// Forgets the recorded calls.
    pub fn clear_calls(&self) {
        self.inner.calls.clear();
    }

    /// The bearer token the scripts that check one expect.
    pub fn token(&self) -> &str {
        &self.inner.token
    }

    /// The PHP host being emulated.
    pub fn quirks(&self) -> Quirks {
        self.inner.db.quirks()
    }

    /// Makes every following script request fail (or stall) as `fault` says; `None` heals.
    pub fn set_fault(&self, fault: Option<Fault>) {
        *self
            .inner
            .fault
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = fault;
    }
}
