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
    Router::new().fallback_service(Around {
        inner: routes,
        answer: Edge { perimeter },
    })
}

/// Wraps a router that is not the proxy (the demo shop's page and backend) in the same security
/// headers and request log, without the proxy's perimeter.
pub(crate) fn wrap_plain(router: Router) -> Router {
    let routes = perimeter::record_routes(router);
    Router::new().fallback_service(Around {
        inner: routes,
        answer: Edge { perimeter: None },
    })
}

/// What the hand-written services around the routes (the edge, the route guard, the deadlines)
/// answer with: a boxed future, as `from_fn` would give, without its boxing of the next service.
pub(crate) type Answering = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

/// What a middleware does with a request and the service inside it.
pub(crate) trait Answer<S>: Clone + Send + Sync + 'static {
    /// Answers `request`, calling `inner` (made ready) at most once, or a clone of it.
    fn answer(&self, inner: &mut S, request: Request) -> Answering;
}

/// `inner` behind the middleware `answer`. A plain service rather than `from_fn` (which boxes
/// the inner service anew for each request) or `Router::layer` (which boxes it on every route,
/// and clones the boxes of every layer below for each request).
#[derive(Clone)]
pub(crate) struct Around<S, A> {
    pub inner: S,
    pub answer: A,
}

impl<S, A> Service<Request> for Around<S, A>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
    A: Answer<S>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Answering;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Answering {
        self.answer.answer(&mut self.inner, request)
    }
}

/// Outermost first, the request id and log line, the security headers and (with a perimeter)
/// the origin check, around the routes as a whole.
#[derive(Clone)]
struct Edge {
    perimeter: Option<Perimeter>,
}

impl Answer<Router> for Edge {
    fn answer(&self, routes: &mut Router, request: Request) -> Answering {
        // A router is always ready, and its clone shares its routes.
        let (mut routes, perimeter) = (routes.clone(), self.perimeter.clone());
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
    headers
        .entry(CORP)
        .or_insert(HeaderValue::from_static("same-origin"));
    if is_json {
        headers
            .entry(CONTENT_SECURITY_POLICY)
            .or_insert(HeaderValue::from_static(JSON_CSP));
    }
    headers.remove(SERVER);
    headers.remove(X_POWERED_BY);
}
