//! The widget's files: every file of the assets dir at `/<file>`, with content types from the
//! extension (`application/wasm` for `.wasm`). Each is served brotli- or gzip-compressed when the
//! browser accepts it and the build left a `.br` / `.gz` copy beside it (scripts/precompress.mjs),
//! with `Vary: Accept-Encoding`, a strong `ETag` per encoding (`etag.rs`) and `If-None-Match`
//! answered `304`. Files named after their content (`<name>.<8 hex digits>.<ext>`) are cached for a
//! year; the loader, whose name shop pages write in their tag, for 5 minutes, then revalidated.
//! They are public and hold nothing of a visitor's, so any page may load them, cross-origin
//! included (docs/protocol.md, "CORS"): the shop pages embedding the widget are on other origins
//! than the proxy.

mod etag;

use crate::error::ApiError;
use axum::Router;
use axum::extract::{Request, State};
use axum::handler::HandlerWithoutStateExt;
use axum::http::header::{
    ACCEPT_RANGES, ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH,
    CONTENT_RANGE, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, VARY,
};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get_service;
use etag::EntityTags;
use std::path::Path;
use std::sync::Arc;
use tower_http::services::ServeDir;

/// The file name of the loader, the one script tag shop pages include.
pub const LOADER: &str = "widget.js";
/// The loader is fetched by every shop page: cached briefly, so a deploy reaches visitors within
/// minutes, then revalidated by its `ETag` (a `304` costs a few hundred bytes).
const LOADER_CACHE: &str = "public, max-age=300";
/// Files not named after their content (none in a release build; a development build's): browsers
/// revalidate each time.
const OTHER_CACHE: &str = "no-cache";
/// A file named after its content (`<name>.<8 hex digits>.<ext>`, scripts/name-chunks.mjs and
/// scripts/name-first-screen.mjs): a new build gives new names, so one name is one file for ever.
const CONTENT_NAMED_CACHE: &str = "public, max-age=31536000, immutable";
/// The same file may go out brotli, gzip or raw: caches must key on the browser's offer.
const VARY_ENCODING: &str = "accept-encoding";
/// Where the API lives; every other path names a file of ours (or nothing).
const API_PREFIX: &str = "/api/";

/// Whether `request` reads a file rather than calling the API: such reads are open to every
/// origin, so the API's origin check lets them through.
pub(crate) fn is_file_read(request: &Request) -> bool {
    matches!(*request.method(), Method::GET | Method::HEAD)
        && !request.uri().path().starts_with(API_PREFIX)
}

/// A router whose fallback serves the files of `dir` (hashing each for its `ETag` now); anything
/// else is a JSON 404.
pub fn router<S: Clone + Send + Sync + 'static>(dir: &Path) -> Router<S> {
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .fallback(not_found.into_service());
    // Only GET and HEAD read files; any other method finds nothing (no hint that a file exists).
    Router::new()
        .fallback_service(get_service(files).fallback(not_found))
        .layer(middleware::from_fn_with_state(
            Arc::new(EntityTags::new(dir)),
            file_headers,
        ))
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

async fn file_headers(
    State(tags): State<Arc<EntityTags>>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    // The compressed copies are encodings of their file, not files of their own.
    if path.ends_with(".br") || path.ends_with(".gz") {
        return ApiError::NotFound.into_response();
    }
    let if_none_match = request.headers_mut().remove(IF_NONE_MATCH);
    if if_none_match.is_some() {
        // Our tag decides (RFC 9110, 13.2.2: a server ignores If-Modified-Since beside
        // If-None-Match); the file service only knows dates.
        request.headers_mut().remove(IF_MODIFIED_SINCE);
    }
    let mut response = next.run(request).await;
    let status = response.status();
    // Errors are not cached: a missing file may be there after the next deploy.
    if !status.is_success() && status != StatusCode::NOT_MODIFIED {
        return response;
    }
    let headers = response.headers_mut();
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static(cache_control(&path)),
    );
    headers.insert(VARY, HeaderValue::from_static(VARY_ENCODING));
    // The loader's `import()` of the glue and its `fetch` of the wasm are CORS requests from
    // the shop's origin. `*` rather than the origin: no credentials, and one cached copy fits
    // every shop (so no `Vary: Origin`).
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    // Shop pages on other origins load these files (and pages with COEP need the opt-in).
    headers.insert(
        HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("cross-origin"),
    );
    if !matches!(status, StatusCode::OK | StatusCode::PARTIAL_CONTENT) {
        return response;
    }
    let encoding = headers.get(CONTENT_ENCODING).and_then(|v| v.to_str().ok());
    let Some(tag) = tags.tag(&path, encoding, &*headers).await else {
        return response;
    };
    if if_none_match.is_some_and(|v| etag::none_match_names(&v, &tag)) {
        response = not_modified(response);
    }
    response.headers_mut().insert(ETAG, tag);
    response
}

/// `response`'s headers without its body and what describes the body: the browser's copy is current.
fn not_modified(response: Response) -> Response {
    let (mut parts, _body) = response.into_parts();
    parts.status = StatusCode::NOT_MODIFIED;
    for name in [
        CONTENT_LENGTH,
        CONTENT_TYPE,
        CONTENT_ENCODING,
        CONTENT_RANGE,
        ACCEPT_RANGES,
    ] {
        parts.headers.remove(name);
    }
    Response::from_parts(parts, axum::body::Body::empty())
}

/// How long browsers and caches may keep the file at `path`.
fn cache_control(path: &str) -> &'static str {
    if path.strip_prefix('/') == Some(LOADER) {
        LOADER_CACHE
    } else if is_content_named(path) {
        CONTENT_NAMED_CACHE
    } else {
        OTHER_CACHE
    }
}

/// Whether `path` names a file named after its content: `/<name>.<8 lowercase hex>.<wasm|js|css>`.
fn is_content_named(path: &str) -> bool {
    let Some((stem, extension)) = path.strip_prefix('/').and_then(|p| p.rsplit_once('.')) else {
        return false;
    };
    let Some((name, hash)) = stem.rsplit_once('.') else {
        return false;
    };
    matches!(extension, "wasm" | "js" | "css")
        && !name.is_empty()
        && !name.contains('/')
        && hash.len() == 8
        && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::{CONTENT_NAMED_CACHE, LOADER_CACHE, OTHER_CACHE, cache_control};

    #[test]
    fn only_files_named_after_their_content_are_kept_a_year() {
        for (path, cache) in [
            ("/widget.js", LOADER_CACHE),
            ("/history.0123abcd.wasm", CONTENT_NAMED_CACHE),
            ("/locale-es_locale-fr.3c880dfc.wasm", CONTENT_NAMED_CACHE),
            ("/helpdock_widget_bg.3c880dfc.wasm", CONTENT_NAMED_CACHE),
            ("/helpdock_widget.3c880dfc.js", CONTENT_NAMED_CACHE),
            ("/helpdock.3c880dfc.css", CONTENT_NAMED_CACHE),
            ("/helpdock_widget_bg.wasm", OTHER_CACHE),
            ("/helpdock_widget.js", OTHER_CACHE),
            ("/history.0123ABCD.wasm", OTHER_CACHE),
            ("/history.0123abc.wasm", OTHER_CACHE),
            ("/.0123abcd.wasm", OTHER_CACHE),
            ("/a/history.0123abcd.wasm", OTHER_CACHE),
            ("/history.0123abcd.html", OTHER_CACHE),
            ("/a/widget.js", OTHER_CACHE),
        ] {
            assert_eq!(cache_control(path), cache, "{path}");
        }
    }
}
