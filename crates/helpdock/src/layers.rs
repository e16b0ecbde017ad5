//! What every request passes through, outermost first: the request id and its one log line, the
//! security headers, the origin check; then, on routed requests, the perimeter's route guards
//! (see `perimeter`).

use crate::AppState;
use crate::perimeter::{self, Perimeter};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::header::{
    CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, SERVER, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;

/// `Cross-Origin-Resource-Policy`; not among `http`'s constants.
const CORP: HeaderName = HeaderName::from_static("cross-origin-resource-policy");
/// Frameworks' self-advertisement; we add none, and remove any a dependency might.
const X_POWERED_BY: HeaderName = HeaderName::from_static("x-powered-by");
/// JSON is data, never a document: nothing may load from it or frame it.
const JSON_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// Wraps `router` in the perimeter, the security headers and the request log. The outer three
/// are one middleware: axum boxes each layer of a route anew and clones every box below it for
/// each request.
pub fn wrap(router: Router<AppState>, state: &AppState) -> Router<AppState> {
    perimeter::guard_routes(router, state).layer(middleware::from_fn_with_state(
        state.perimeter.clone(),
        edge,
    ))
}

/// Wraps a router that is not the proxy (the demo shop's page and backend) in the same security
/// headers and request log, without the proxy's perimeter.
pub(crate) fn wrap_plain(router: Router) -> Router {
    perimeter::record_routes(router).layer(middleware::from_fn(edge_plain))
}

/// Outermost first: the request id and log line, the security headers, the origin check.
async fn edge(State(perimeter): State<Perimeter>, request: Request, next: Next) -> Response {
    perimeter::log_request(request, |request| async move {
        let mut response =
            perimeter::enforce_origin(&perimeter, request, |request| next.run(request)).await;
        security_headers(&mut response);
        response
    })
    .await
}

/// [`edge`] without the origin check.
async fn edge_plain(request: Request, next: Next) -> Response {
    perimeter::log_request(request, |request| async move {
        let mut response = next.run(request).await;
        security_headers(&mut response);
        response
    })
    .await
}

/// Headers every answer carries, errors and preflights included.
fn security_headers(response: &mut Response) {
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let headers = response.headers_mut();
    let fixed = [
        (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // The widget runs inside shop pages; no URL of ours should tell a third party where from.
        (REFERRER_POLICY, "no-referrer"),
        (X_FRAME_OPTIONS, "DENY"),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    // Same-origin unless a route says otherwise: the widget's files do (other sites load them).
    // CORS-mode fetches — the widget's API calls — are not subject to it.
    if !headers.contains_key(CORP) {
        headers.insert(CORP, HeaderValue::from_static("same-origin"));
    }
    if is_json && !headers.contains_key(CONTENT_SECURITY_POLICY) {
        headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(JSON_CSP));
    }
    headers.remove(SERVER);
    headers.remove(X_POWERED_BY);
}
