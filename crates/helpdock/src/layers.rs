//! What every response gets: basic security headers and one log line.

use axum::Router;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::header::{REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS};
use axum::middleware::{self, Next};
use axum::response::Response;
use std::time::Instant;
use tower_http::set_header::SetResponseHeaderLayer;

/// Longest path written to the log; a longer one is cut (paths come from anyone).
const MAX_LOGGED_PATH: usize = 200;

/// Wraps `router` with the security headers and the request log.
pub fn wrap<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    let header =
        |name, value| SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value));
    router
        .layer(header(X_CONTENT_TYPE_OPTIONS, "nosniff"))
        // The widget runs inside shop pages; no URL of ours should tell a third party where from.
        .layer(header(REFERRER_POLICY, "no-referrer"))
        .layer(header(X_FRAME_OPTIONS, "DENY"))
        .layer(middleware::from_fn(log_request))
}

/// One line per request: method, path (never the query, which holds emails), status, latency.
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path: String = request.uri().path().chars().take(MAX_LOGGED_PATH).collect();
    let started = Instant::now();
    let response = next.run(request).await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(%method, route = %path, status = response.status().as_u16(), latency_ms = format!("{latency_ms:.1}"), "request");
    response
}
