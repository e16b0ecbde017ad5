//! One log line per request — method, route, status, latency, request id — and never a header
//! value, a query, or a body: those carry tokens, signatures, guest passes and emails.

use super::Tenths;
use crate::operations::{self, HEALTHZ, READYZ};
use axum::body::Bytes;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, Method, Uri};
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
        Some(bytes) => {
            let mut text = [0u8; 32];
            // Into a buffer, not `hex::encode`: that builds its string a char at a time.
            match hex::encode_to_slice(bytes, &mut text) {
                Ok(()) => String::from_utf8_lossy(&text).into_owned(),
                Err(_) => hex::encode(bytes),
            }
        }
        None => format!("local-{}", FALLBACK.fetch_add(1, Ordering::Relaxed)),
    }
}

/// How the route is logged: the pattern that matched, a served file's path, or nothing the
/// client chose (a 404's path could be anything, an email included).
enum RouteLabel {
    Matched(MatchedPath),
    File(Uri),
    Unmatched,
}

impl RouteLabel {
    fn of(response: &Response, uri: Uri) -> RouteLabel {
        if let Some(matched) = response.extensions().get::<MatchedPath>() {
            return RouteLabel::Matched(matched.clone());
        }
        let status = response.status();
        if status.is_success() || status == axum::http::StatusCode::NOT_MODIFIED {
            // Only an existing asset answers 2xx/304 here: its path is a file name of ours.
            return RouteLabel::File(uri);
        }
        RouteLabel::Unmatched
    }

    fn as_str(&self) -> &str {
        match self {
            RouteLabel::Matched(matched) => matched.as_str(),
            RouteLabel::File(uri) => uri.path(),
            RouteLabel::Unmatched => UNMATCHED,
        }
    }

    /// The route's label in metrics: one for every file, whose names change with each build.
    fn metric(&self) -> &str {
        match self {
            RouteLabel::File(_) => "(file)",
            route => route.as_str(),
        }
    }
}

/// Standard methods by name; anything else is the client's invention and logged as such.
fn method_label(method: &Method) -> &'static str {
    const KNOWN: [(Method, &str); 9] = [
        (Method::GET, "GET"),
        (Method::HEAD, "HEAD"),
        (Method::POST, "POST"),
        (Method::PUT, "PUT"),
        (Method::DELETE, "DELETE"),
        (Method::PATCH, "PATCH"),
        (Method::OPTIONS, "OPTIONS"),
        (Method::TRACE, "TRACE"),
        (Method::CONNECT, "CONNECT"),
    ];
    KNOWN
        .iter()
        .find(|(known, _)| known == method)
        .map_or("OTHER", |(_, name)| name)
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
pub(crate) async fn log_request<F, Fut>(request: Request, next: F) -> Response
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
    let method = method_label(request.method());
    // A clone shares the request's bytes: no copy unless the path is logged.
    let uri = request.uri().clone();
    // Whatever else is logged while handling the request (an upstream failure) names the id.
    let span = tracing::info_span!("request", request_id = %id);
    let in_flight = metrics::gauge!("helpdock_http_requests_in_flight");
    in_flight.increment(1.0);
    let mut response = next(request).instrument(span).await;
    in_flight.decrement(1.0);
    let elapsed = started.elapsed();
    let route = RouteLabel::of(&response, uri);
    let status = response.status().as_u16();
    operations::metrics::request_answered(route.metric(), method, status, elapsed.as_secs_f64());
    // Probes come every few seconds from every load balancer: a good answer is not news.
    // `%` rather than `&str` values: the text line would quote those (`method="GET"`).
    let route = route.as_str();
    if status == 200 && matches!(route, HEALTHZ | READYZ) {
        tracing::debug!(method = %method, route = %route, status, request_id = %id, "request");
    } else {
        tracing::info!(
            method = %method,
            route = %route,
            status,
            latency_ms = %Tenths(elapsed),
            request_id = %id,
            "request"
        );
    }
    // The id's own bytes become the header's: no copy.
    if let Ok(value) = HeaderValue::from_maybe_shared(Bytes::from(id)) {
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
