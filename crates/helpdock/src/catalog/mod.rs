//! What the ticket form offers (categories and custom fields), kept in the proxy: every widget
//! open asks for both, and they change when an admin edits the helpdesk, a few times a year.
//! Fresh answers are served without a call; older ones are served while one background refresh
//! runs; a failed refresh keeps the last good answer for `[catalog] keep_on_error_secs`.

mod cached;

use crate::error::ApiError;
use crate::upstream::Upstream;
use cached::{Cached, Lifetimes, Lookup};
use helpdock_wire::{Categories, CustomFields};
use serde::Deserialize;
use std::future::Future;
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// The `[catalog]` table of the config file; every key is optional.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CatalogConfig {
    /// Seconds an answer is served without asking the helpdesk (and browsers may reuse it);
    /// 0 turns the cache off: every request asks the helpdesk.
    pub ttl_secs: u64,
    /// Seconds past `ttl_secs` an answer is still served while it is refreshed, or while the
    /// helpdesk cannot be reached.
    pub keep_on_error_secs: u64,
}

impl Default for CatalogConfig {
    fn default() -> Self {
        CatalogConfig {
            ttl_secs: 60,
            keep_on_error_secs: 600,
        }
    }
}

/// A day: beyond it, an admin's new category would wait too long to show.
const MAX_SECS: u64 = 86_400;

impl CatalogConfig {
    /// Checks both values are within range; the error names the key.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        for (key, value) in [
            ("ttl_secs", self.ttl_secs),
            ("keep_on_error_secs", self.keep_on_error_secs),
        ] {
            if value > MAX_SECS {
                return Err((
                    key,
                    format!("must be a whole number from 0 to {MAX_SECS}, not {value}"),
                ));
            }
        }
        Ok(())
    }

    fn lifetimes(&self) -> Lifetimes {
        Lifetimes {
            fresh: Duration::from_secs(self.ttl_secs),
            stale: Duration::from_secs(self.keep_on_error_secs),
        }
    }
}

/// The catalog lists, each cached on its own; cheap to clone.
#[derive(Clone)]
pub struct Catalog {
    inner: Arc<Inner>,
}

struct Inner {
    upstream: Upstream,
    config: CatalogConfig,
    categories: Arc<Entry<Categories>>,
    custom_fields: Arc<Entry<CustomFields>>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

/// One list: its cached answer, and the lock that lets one request at a time fill it.
struct Entry<T> {
    cached: Cached<T>,
    filling: Mutex<()>,
    /// When the last fill failed, and whether by timing out: requests that waited for it take
    /// its failure rather than each waiting for the helpdesk in turn.
    failed: std::sync::Mutex<Option<(Instant, bool)>>,
    /// Which list, for metrics and logs.
    name: &'static str,
}

impl<T> Entry<T> {
    fn new(config: &CatalogConfig, name: &'static str) -> Entry<T> {
        Entry {
            cached: Cached::new(config.lifetimes()),
            filling: Mutex::new(()),
            failed: std::sync::Mutex::new(None),
            name,
        }
    }
}

impl Catalog {
    /// The lists of `upstream`, cached as `config` says.
    pub fn new(upstream: Upstream, config: CatalogConfig) -> Catalog {
        Catalog {
            inner: Arc::new(Inner {
                categories: Arc::new(Entry::new(&config, "categories")),
                custom_fields: Arc::new(Entry::new(&config, "custom_fields")),
                upstream,
                config,
            }),
        }
    }

    /// How long browsers and CDNs may reuse an answer (`ttl_secs`; zero: not at all).
    pub fn max_age(&self) -> Duration {
        Duration::from_secs(self.inner.config.ttl_secs)
    }

    /// `ticket_categories.php`, cached.
    pub async fn categories(&self) -> Result<Arc<Categories>, ApiError> {
        let upstream = self.inner.upstream.clone();
        get(&self.inner.categories, move || async move {
            upstream.categories().await
        })
        .await
    }

    /// `ticket_custom_fields.php`, cached.
    pub async fn custom_fields(&self) -> Result<Arc<CustomFields>, ApiError> {
        let upstream = self.inner.upstream.clone();
        get(&self.inner.custom_fields, move || async move {
            upstream.custom_fields().await
        })
        .await
    }
}

/// The list of `entry`, from the cache or from `fetch` (which, for a stale answer, runs in the
/// background while the old answer is served).
async fn get<T, F, Fut>(entry: &Arc<Entry<T>>, fetch: F) -> Result<Arc<T>, ApiError>
where
    T: Send + Sync + 'static,
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = Result<T, ApiError>> + Send + 'static,
{
    if !entry.cached.enabled() {
        return fetch().await.map(Arc::new);
    }
    match entry.cached.lookup(Instant::now()) {
        Lookup::Fresh(value) => {
            count(entry.name, "hit");
            Ok(value)
        }
        Lookup::Stale { value, refresh } => {
            count(entry.name, "stale");
            if refresh {
                let entry = Arc::clone(entry);
                tokio::spawn(async move {
                    match fetch().await {
                        Ok(fresh) => entry.cached.store(Arc::new(fresh), Instant::now()),
                        Err(e) => {
                            // The visitor was served; only the operator needs to know.
                            tracing::warn!(list = entry.name, error = %e, "catalog refresh failed; serving the last good answer");
                            entry.cached.refresh_failed();
                        }
                    }
                });
            }
            Ok(value)
        }
        Lookup::Missing => fill(entry, fetch).await,
    }
}

/// Nothing usable is cached: one request at a time asks the helpdesk; the others wait and take
/// its answer. A failure is not cached: the next request (or waiter) asks again.
async fn fill<T, F, Fut>(entry: &Entry<T>, fetch: F) -> Result<Arc<T>, ApiError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<T, ApiError>>,
{
    let waited_since = Instant::now();
    let _filling = entry.filling.lock().await;
    if let Lookup::Fresh(value) = entry.cached.lookup(Instant::now()) {
        count(entry.name, "hit");
        return Ok(value);
    }
    let failed = *entry.failed.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, timed_out)) = failed.filter(|(at, _)| *at > waited_since) {
        return Err(match timed_out {
            true => ApiError::UpstreamTimeout,
            false => ApiError::UpstreamUnavailable(format!(
                "{}: the helpdesk failed the request this one waited for",
                entry.name
            )),
        });
    }
    count(entry.name, "miss");
    match fetch().await {
        Ok(value) => {
            let value = Arc::new(value);
            entry.cached.store(Arc::clone(&value), Instant::now());
            Ok(value)
        }
        Err(e) => {
            let timed_out = matches!(e, ApiError::UpstreamTimeout);
            *entry.failed.lock().unwrap_or_else(PoisonError::into_inner) =
                Some((Instant::now(), timed_out));
            Err(e)
        }
    }
}

/// Counts a lookup of `list` by its `result` (hit, stale, miss).
fn count(list: &'static str, result: &'static str) {
    metrics::counter!("helpdock_catalog_cache_total", "list" => list, "result" => result)
        .increment(1);
}
