//! One log line per request — method, route, status, latency, request id — and never a header
//! value, a query, or a body: those carry tokens, signatures, guest passes and emails.

use super::Tenths;
use crate::operations::{self, HEALTHZ, READYZ};
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
use tracing::Instrument;

/// The header that carries the request id both ways.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// How a request that found nothing is named in logs and metrics.
const UNMATCHED: &str = "(unmatched)";
/// The longest incoming request id accepted.
const MAX_ID_LEN: usize = 64;

/// The id of the request being handled, for whoever wants to mention it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestId(pub String);

/// An incoming id worth keeping (a front proxy's, for correlation): 1–64 of `[A-Za-z0-9-]`, so it
/// can neither forge log lines nor carry much.
fn accepted_id(value: &HeaderValue) -> Option<String> {
    let id = value.to_str().ok()?;
    let sane = (1..=MAX_ID_LEN).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    sane.then(|| id.to_owned())
}

/// Ids drawn from the OS per refill of a thread's pool: one `getrandom` call per 256 requests
/// rather than one per request.
const IDS_PER_REFILL: usize = 256;

thread_local! {
    /// Random bytes not handed out yet, and how many of them were.
    static RANDOM_POOL: RefCell<([u8; 16 * IDS_PER_REFILL], usize)> =
        const { RefCell::new(([0; 16 * IDS_PER_REFILL], 16 * IDS_PER_REFILL)) };
}

/// 128 random bits as hex; a process-unique counter if the OS has no randomness to give.
fn new_id() -> String {
    static FALLBACK: AtomicU64 = AtomicU64::new(0);
    let drawn = RANDOM_POOL.with_borrow_mut(|(pool, used)| {
        if *used == pool.len() {
            getrandom::fill(pool).ok()?;
            *used = 0;
        }
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&pool[*used..*used + 16]);
        *used += 16;
        Some(bytes)
    });
    match drawn {
        Some(bytes) => hex::encode(bytes),
        None => format!("local-{}", FALLBACK.fetch_add(1, Ordering::Relaxed)),
    }
}

/// How the route is logged: the pattern that matched, a served file's path, or nothing the
/// client chose (a 404's path could be anything, an email included).
fn route_label(response: &Response, path: &str) -> String {
    if let Some(matched) = response.extensions().get::<MatchedPath>() {
        return matched.as_str().to_owned();
    }
    let status = response.status();
    if status.is_success() || status == axum::http::StatusCode::NOT_MODIFIED {
        // Only an existing asset answers 2xx/304 here: its path is a file name of ours.
        return path.to_owned();
    }
    UNMATCHED.to_owned()
}

/// Standard methods by name; anything else is the client's invention and logged as such.
fn method_label(method: &Method) -> &str {
    const KNOWN: [Method; 9] = [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::OPTIONS,
        Method::TRACE,
        Method::CONNECT,
    ];
    if KNOWN.contains(method) {
        method.as_str()
    } else {
        "OTHER"
    }
}

/// The route a request matched, for [`carry_route`] (inside routing only).
pub(super) fn matched_route(request: &Request) -> Option<MatchedPath> {
    request.extensions().get::<MatchedPath>().cloned()
}

/// Carries the matched route out to [`log_request`] on the response.
pub(super) fn carry_route(response: &mut Response, route: Option<MatchedPath>) {
    if let Some(route) = route {
        response.extensions_mut().insert(route);
    }
}

/// Route layer for routers without the perimeter: carries the matched route to the log line.
pub(crate) async fn record_route(request: Request, next: Next) -> Response {
    let route = matched_route(&request);
    let mut response = next.run(request).await;
    carry_route(&mut response, route);
    response
}

/// Outermost: assigns the request id, returns it as `X-Request-Id`, logs the one line; `next`
/// answers the request.
pub(crate) async fn log_request<F, Fut>(mut request: Request, next: F) -> Response
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Response>,
{
    let started = Instant::now();
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(accepted_id)
        .unwrap_or_else(new_id);
    let method = method_label(request.method()).to_owned();
    let path = request.uri().path().to_owned();
    request.extensions_mut().insert(RequestId(id.clone()));
    // Whatever else is logged while handling the request (an upstream failure) names the id.
    let span = tracing::info_span!("request", request_id = %id);
    let in_flight = metrics::gauge!("helpdock_http_requests_in_flight");
    in_flight.increment(1.0);
    let mut response = next(request).instrument(span).await;
    in_flight.decrement(1.0);
    let elapsed = started.elapsed();
    let latency_ms = elapsed.as_secs_f64() * 1000.0;
    let route = route_label(&response, &path);
    let status = response.status().as_u16();
    let routed = response.extensions().get::<MatchedPath>().is_some();
    let metric_route = match (routed, route.as_str()) {
        (true, route) | (false, route @ UNMATCHED) => route,
        // One label for every file: their names change with each build.
        (false, _) => "(file)",
    };
    operations::metrics::request_answered(metric_route, &method, status, elapsed.as_secs_f64());
    // Probes come every few seconds from every load balancer: a good answer is not news.
    // `%` rather than `&str` values: the text line would quote those (`method="GET"`).
    if status == 200 && matches!(route.as_str(), HEALTHZ | READYZ) {
        tracing::debug!(method = %method, route = %route, status, request_id = %id, "request");
    } else {
        tracing::info!(
            method = %method,
            route = %route,
            status,
            latency_ms = %Tenths(latency_ms),
            request_id = %id,
            "request"
        );
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incoming_ids_table() {
        let long = "a".repeat(64);
        let too_long = "a".repeat(65);
        let cases: [(&str, bool); 7] = [
            ("0b4f7c1e-5d2a-4c8e-9f3a-1b2c3d4e5f60", true),
            (&long, true),
            ("", false),
            (&too_long, false),
            ("a b", false),
            ("id\" injected=\"1", false),
            ("under_score", false),
        ];
        for (id, keep) in cases {
            let value = HeaderValue::from_str(id).expect("value");
            assert_eq!(accepted_id(&value).is_some(), keep, "{id:?}");
        }
    }

    #[test]
    fn new_ids_are_32_hex_and_differ() {
        let (a, b) = (new_id(), new_id());
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn ids_stay_unique_across_refills_of_the_pool() {
        let ids: std::collections::HashSet<String> =
            (0..3 * IDS_PER_REFILL + 1).map(|_| new_id()).collect();
        assert_eq!(ids.len(), 3 * IDS_PER_REFILL + 1);
        assert!(ids.iter().all(|id| id.len() == 32));
    }

    #[test]
    fn odd_methods_are_not_logged_by_name() {
        let custom = Method::from_bytes(b"ANN-AT-EXAMPLE-COM").expect("method");
        assert_eq!(method_label(&custom), "OTHER");
        assert_eq!(method_label(&Method::POST), "POST");
    }
}
