//! The perimeter: everything that filters requests before and around the handlers.
//!
//! Order, outermost first (see `layers::wrap`): request id and log line → security headers →
//! CORS (foreign origins refused, preflights answered) → routing → repeated query parameters
//! refused → on `POST tickets_create.php` / `ticket_reply.php` only: `Idempotency-Key` replay →
//! per-IP rate limit → bot check (create) → the handler.
//!
//! # Per-visitor rate limit: the handlers' part
//!
//! The per-IP bucket is taken here, for every request; the per-visitor bucket can only be taken
//! once the handler knows who the visitor is. Create and reply handlers call, once every check
//! has passed and just before the upstream write:
//!
//! ```text
//! state.perimeter.check_identity(Action::Create, &key)?; // or Action::Reply
//! ```
//!
//! with the visitor's [`VisitorKey`](crate::identity::VisitorKey): a verified email only for a
//! verified request, a pass's holder, or — for a guest create — the typed email, in a key space
//! of its own. So a refused request (400, 404, 422) costs that bucket nothing, and nobody can
//! spend a verified customer's bucket by typing their email. It answers
//! `ApiError::RateLimited` (429 with `Retry-After`). An idempotent replay never reaches the
//! handler, so it costs no token.

mod bot_check;
mod config;
mod cors;
mod guard;
mod hygiene;
mod idempotency;
mod idempotency_shared;
mod idempotency_store;
pub(crate) use idempotency_store::LostAnswer;
mod public_origin;
mod rate_limit;
mod request_log;
mod tenths;
pub(crate) use tenths::Tenths;

pub use config::{LimitError, LimitsConfig};
pub use cors::SiteOrigins;
/// The origin check, before routing: a foreign page learns nothing, not even whether a path exists.
pub(crate) use cors::enforce_origin;
pub(crate) use guard::guard_routes;
pub use public_origin::PublicOrigin;
/// The request log and id, the outermost layer.
pub(crate) use request_log::log_request;

use crate::config::SiteConfig;
use crate::error::ApiError;
use crate::identity::VisitorKey;
use crate::state::SharedRedis;
use axum::Router;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::middleware::from_fn;
use cors::CorsPolicy;
use helpdock_wire::Endpoint;
use idempotency_store::IdempotencyStore;
use rate_limit::RateLimits;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::task::TaskTracker;

/// A write the perimeter guards: rate limits, idempotency, bot checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// `POST tickets_create.php`.
    Create,
    /// `POST ticket_reply.php`.
    Reply,
}

impl Action {
    /// The action a routed request is, if any (by the route that matched, never the raw path).
    fn of(request: &Request) -> Option<Action> {
        if request.method() != Method::POST {
            return None;
        }
        Action::guarding(Endpoint::at(
            request.extensions().get::<MatchedPath>()?.as_str(),
        )?)
    }

    /// The action's name in metrics.
    fn label(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Reply => "reply",
        }
    }

    /// The action guarding `endpoint`: one for every endpoint the wire table says is guarded.
    fn guarding(endpoint: Endpoint) -> Option<Action> {
        match endpoint {
            Endpoint::CreateTicket => Some(Action::Create),
            Endpoint::Reply => Some(Action::Reply),
            Endpoint::Categories
            | Endpoint::CustomFields
            | Endpoint::ListTickets
            | Endpoint::ViewTicket => None,
        }
    }
}

/// The perimeter's settings and memory (buckets, remembered answers), shared by all requests.
#[derive(Clone)]
pub struct Perimeter {
    inner: Arc<Inner>,
    /// Where browsers reach the proxy; `None` (a router driven in process, never `serve` or
    /// `demo`): no origin is the proxy's own and no `Host` is checked.
    public: Option<Arc<PublicOrigin>>,
    /// The Redis every instance shares (`[state] backend = "redis"`); `None`: this process's
    /// memory.
    shared: Option<SharedRedis>,
    /// How long after a write's answer was lost the helpdesk may still be writing it (the
    /// upstream timeout): a retry waits that long before looking for it.
    settle: Duration,
}

struct Inner {
    limits: LimitsConfig,
    cors: CorsPolicy,
    rates: RateLimits,
    idempotency: IdempotencyStore,
    /// Creates and replies run detached from their connection; a stopping proxy waits for them.
    writes: TaskTracker,
}

impl std::fmt::Debug for Perimeter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Perimeter")
            .field("limits", &self.inner.limits)
            .field("cors", &self.inner.cors)
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

impl Default for Perimeter {
    /// The documented default limits; no site's page may call it.
    fn default() -> Self {
        Perimeter::new(LimitsConfig::default(), &[])
    }
}

impl Perimeter {
    /// A perimeter with `limits` (validated by the config) letting `sites`' pages call the API.
    pub fn new(limits: LimitsConfig, sites: &[SiteOrigins]) -> Perimeter {
        Perimeter {
            inner: Arc::new(Inner {
                rates: RateLimits::new(&limits),
                cors: CorsPolicy::new(sites),
                idempotency: IdempotencyStore::new(
                    idempotency_store::TTL,
                    idempotency_store::CAPACITY,
                ),
                limits,
                writes: TaskTracker::new(),
            }),
            public: None,
            shared: None,
            settle: crate::config::DEFAULT_UPSTREAM_TIMEOUT,
        }
    }

    /// A write whose answer was lost is assumed finished upstream `settle` after it failed:
    /// the upstream timeout, which bounds what the helpdesk gets to do after we gave up
    /// (docs/operations.md, "Lost answers").
    pub fn settling_after(self, settle: Duration) -> Perimeter {
        Perimeter { settle, ..self }
    }

    /// See [`Perimeter::settling_after`].
    pub(crate) fn settle(&self) -> Duration {
        self.settle
    }

    /// This perimeter keeping idempotency records and rate-limit buckets in `redis`, shared
    /// with every other instance pointing at it.
    pub fn sharing(self, redis: SharedRedis) -> Perimeter {
        Perimeter {
            shared: Some(redis),
            ..self
        }
    }

    /// The shared state, when there is one.
    pub fn shared(&self) -> Option<&SharedRedis> {
        self.shared.as_ref()
    }

    /// This perimeter for a proxy reached at `public`: its own origin, and the only name a
    /// request may address it by (except for the widget's public files).
    pub fn serving_at(self, public: PublicOrigin) -> Perimeter {
        Perimeter {
            public: Some(Arc::new(public)),
            ..self
        }
    }

    /// Where browsers reach the proxy, when known.
    pub fn public_origin(&self) -> Option<&PublicOrigin> {
        self.public.as_deref()
    }

    /// A perimeter with `limits` letting the configured `sites`' pages call the API.
    pub fn for_sites(limits: LimitsConfig, sites: &[SiteConfig]) -> Perimeter {
        let origins: Vec<SiteOrigins> = sites
            .iter()
            .map(|site| SiteOrigins {
                site: site.id.clone(),
                origins: site.origins.clone(),
            })
            .collect();
        Perimeter::new(limits, &origins)
    }

    /// Takes a token from `visitor`'s bucket for `action`, or answers 429 `rate_limited` with
    /// `Retry-After`. Handlers call it just before writing upstream; see the module docs.
    pub async fn check_identity(
        &self,
        action: Action,
        visitor: &VisitorKey,
    ) -> Result<(), ApiError> {
        match &self.shared {
            Some(redis) => {
                let key = format!(
                    "helpdock:_all:rate:{}:visitor:{}",
                    action.label(),
                    rate_limit::visitor_id(visitor)
                );
                rate_limit::take_shared(redis, self.rates().rate(action), &key).await
            }
            None => self
                .inner
                .rates
                .check_visitor(action, visitor, Instant::now()),
        }
    }

    /// Creates and replies still being written upstream, detached from their clients: a stopping
    /// proxy waits for them so each answer is stored for a retry (`close` then `wait`).
    pub fn writes_in_flight(&self) -> TaskTracker {
        self.inner.writes.clone()
    }

    /// The limits in force.
    pub fn limits(&self) -> &LimitsConfig {
        &self.inner.limits
    }

    fn cors(&self) -> &CorsPolicy {
        &self.inner.cors
    }

    fn rates(&self) -> &RateLimits {
        &self.inner.rates
    }

    fn idempotency(&self) -> &IdempotencyStore {
        &self.inner.idempotency
    }
}

/// Only what the log line needs from routing (the matched route): for routers without the
/// perimeter, such as the demo shop's.
pub(crate) fn record_routes<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router.route_layer(from_fn(request_log::record_route))
}

/// Reads a whole body, at most `limit` bytes (413 beyond; 400 if the client breaks off).
pub(crate) async fn read_body(mut body: Body, limit: usize) -> Result<Bytes, ApiError> {
    // Refuse early when the client announces too much.
    if body.size_hint().lower() > limit as u64 {
        return Err(ApiError::PayloadTooLarge);
    }
    let mut buffer = Vec::new();
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let frame = frame
            .map_err(|_| ApiError::BadRequest("The request body could not be read.".into()))?;
        if let Ok(data) = frame.into_data() {
            if buffer.len() + data.len() > limit {
                return Err(ApiError::PayloadTooLarge);
            }
            buffer.extend_from_slice(&data);
        }
    }
    Ok(Bytes::from(buffer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn read_body_enforces_the_limit() {
        let ok = read_body(Body::from("12345"), 5).await;
        assert_eq!(ok.ok().as_deref(), Some(&b"12345"[..]));
        let over = read_body(Body::from("123456"), 5).await;
        assert!(matches!(over, Err(ApiError::PayloadTooLarge)));
    }

    #[test]
    fn every_guarded_endpoint_has_an_action_and_no_other() {
        for endpoint in Endpoint::ALL {
            assert_eq!(
                Action::guarding(endpoint).is_some(),
                endpoint.guarded(),
                "{endpoint:?}"
            );
        }
    }
}
