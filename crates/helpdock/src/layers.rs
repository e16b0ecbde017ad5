//! What every request passes through, outermost first: the request id and its one log line, the
//! security headers, the origin check; then, on routed requests, the perimeter's route guards
//! (see `perimeter`).

use crate::AppState;
use crate::perimeter::{self, Perimeter};
use axum::Router;
use axum::extract::Request;
use axum::http::header::{
    CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, SERVER, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue};
use axum::response::Response;
use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};
use tower::Service;

/// `Cross-Origin-Resource-Policy`; not among `http`'s constants.
const CORP: HeaderName = HeaderName::from_static("cross-origin-resource-policy");
/// Frameworks' self-advertisement; we add none, and remove any a dependency might.
const X_POWERED_BY: HeaderName = HeaderName::from_static("x-powered-by");
/// Headers the edge may add to an answer.
const EDGE_HEADERS: usize = 12;
/// JSON is data, never a document: nothing may load from it or frame it.
const JSON_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// Wraps `router` in the perimeter, the security headers and the request log, and gives it
/// `state`.
pub fn wrap(router: Router<AppState>, state: AppState) -> Router {
    let perimeter = Some(state.perimeter.clone());
    let routes = perimeter::guard_routes(router, &state).with_state(state);
    Router::new().fallback_service(Edge { routes, perimeter })
}

/// Wraps a router that is not the proxy (the demo shop's page and backend) in the same security
/// headers and request log, without the proxy's perimeter.
pub(crate) fn wrap_plain(router: Router) -> Router {
    let routes = perimeter::record_routes(router);
    Router::new().fallback_service(Edge {
        routes,
        perimeter: None,
    })
}

/// The routes behind, outermost first, the request id and log line, the security headers and
/// (with a perimeter) the origin check. One service around the routes as a whole: as a
/// `Router::layer` it would be boxed on every route, and each request would clone the boxes of
/// every layer below; as `from_fn` each request would box the routes anew.
#[derive(Clone)]
struct Edge {
    routes: Router,
    perimeter: Option<Perimeter>,
}

impl Service<Request> for Edge {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // A router is always ready.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let Edge {
            mut routes,
            perimeter,
        } = self.clone();
        Box::pin(async move {
            let answer = perimeter::log_request(request, |request| async move {
                let route = |request: Request| async move {
                    let mut response: Response = match routes.call(request).await {
                        Ok(response) => response,
                        Err(never) => match never {},
                    };
                    // Room for what the way out adds (CORS, security headers, request id):
                    // the map grows once, not at every few headers.
                    response.headers_mut().reserve(EDGE_HEADERS);
                    response
                };
                let mut response = match &perimeter {
                    Some(perimeter) => perimeter::enforce_origin(perimeter, request, route).await,
                    None => route(request).await,
                };
                security_headers(&mut response);
                response
            });
            Ok(answer.await)
        })
    }
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
