//! The widget's files: every file of the assets dir at `/<file>`, with content types from the
//! extension (`application/wasm` for `.wasm`) and short cache lifetimes, but for the wasm chunks
//! named after their content, which never change. They are public and hold
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
/// A wasm chunk (`<name>.<8 hex digits>.wasm`, scripts/name-chunks.mjs) is named after its
/// content: a new build gives new names, so one name is one file for ever.
const CHUNK_CACHE: &str = "public, max-age=31536000, immutable";
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
    let path = request.uri().path();
    let (loader, chunk) = (path == format!("/{LOADER}"), is_chunk(path));
    let mut response = next.run(request).await;
    // Errors are not cached: a missing file may be there after the next deploy.
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let value = match (loader, chunk) {
            (true, _) => LOADER_CACHE,
            (_, true) => CHUNK_CACHE,
            _ => OTHER_CACHE,
        };
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

/// Whether `path` names a content-hashed wasm chunk: `/<name>.<8 lowercase hex digits>.wasm`.
fn is_chunk(path: &str) -> bool {
    let Some(stem) = path.strip_prefix('/').and_then(|p| p.strip_suffix(".wasm")) else {
        return false;
    };
    let Some((name, hash)) = stem.rsplit_once('.') else {
        return false;
    };
    !name.is_empty()
        && !name.contains('/')
        && hash.len() == 8
        && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::is_chunk;

    #[test]
    fn only_content_hashed_wasm_files_are_chunks() {
        for (path, chunk) in [
            ("/history.0123abcd.wasm", true),
            ("/locale-es_locale-fr.3c880dfc.wasm", true),
            ("/helpdock_widget_bg.wasm", false),
            ("/history.0123ABCD.wasm", false),
            ("/history.0123abc.wasm", false),
            ("/.0123abcd.wasm", false),
            ("/a/history.0123abcd.wasm", false),
            ("/history.0123abcd.js", false),
        ] {
            assert_eq!(is_chunk(path), chunk, "{path}");
        }
    }
}
