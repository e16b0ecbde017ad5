//! The widget's files: every file of the assets dir at `/<file>`, with content types from the
//! extension (`application/wasm` for `.wasm`) and short cache lifetimes. They are public and hold
//! nothing of a visitor's, so any page may load them, cross-origin included (docs/protocol.md,
//! "CORS"): the shop pages embedding the widget are on other origins than the proxy.

use crate::error::ApiError;
use axum::Router;
use axum::extract::Request;
use axum::handler::HandlerWithoutStateExt;
use axum::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get_service;
use std::path::Path;
use tower_http::services::ServeDir;

/// The file name of the loader, the one script tag shop pages include.
pub const LOADER: &str = "widget.js";
/// The loader is fetched by every shop page: cached briefly, so a deploy reaches visitors within
/// minutes.
const LOADER_CACHE: &str = "public, max-age=300";
/// Glue, wasm and css are not content-hashed and must match the loader that asks for them:
/// browsers revalidate each time (a cheap 304 thanks to `Last-Modified`).
const OTHER_CACHE: &str = "no-cache";
/// Where the API lives; every other path names a file of ours (or nothing).
const API_PREFIX: &str = "/api/";

/// Whether `request` reads a file rather than calling the API: such reads are open to every
/// origin, so the API's origin check lets them through.
pub(crate) fn is_file_read(request: &Request) -> bool {
    matches!(*request.method(), Method::GET | Method::HEAD)
        && !request.uri().path().starts_with(API_PREFIX)
}

/// A router whose fallback serves the files of `dir`; anything else is a JSON 404.
pub fn router<S: Clone + Send + Sync + 'static>(dir: &Path) -> Router<S> {
    let files = ServeDir::new(dir)
        .append_index_html_on_directories(false)
        .fallback(not_found.into_service());
    // Only GET and HEAD read files; any other method finds nothing (no hint that a file exists).
    Router::new()
        .fallback_service(get_service(files).fallback(not_found))
        .layer(middleware::from_fn(cache_headers))
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

async fn cache_headers(request: Request, next: Next) -> Response {
    let is_loader = request.uri().path() == format!("/{LOADER}");
    let mut response = next.run(request).await;
    // Errors are not cached: a missing file may be there after the next deploy.
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let value = if is_loader { LOADER_CACHE } else { OTHER_CACHE };
        let headers = response.headers_mut();
        headers.insert(CACHE_CONTROL, HeaderValue::from_static(value));
        // The loader's `import()` of the glue and its `fetch` of the wasm are CORS requests from
        // the shop's origin. `*` rather than the origin: no credentials, and one cached copy fits
        // every shop (so no `Vary: Origin`).
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        // Shop pages on other origins load these files (and pages with COEP need the opt-in).
        headers.insert(
            HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("cross-origin"),
        );
    }
    response
}
