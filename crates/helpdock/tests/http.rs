//! The HTTP surface without a helpdesk: JSON errors for bad paths, methods and bodies, the widget's
//! files with their types, caching and CORS, and the headers every answer carries.

mod support;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use helpdock::{HelpdeskTimeZone, MAX_BODY_BYTES, Secret, Upstream, UpstreamConfig, app};
use serde_json::Value;
use std::time::Duration;
use tower::ServiceExt;

/// `Cross-Origin-Resource-Policy`; not among `http`'s constants.
const CORP: header::HeaderName = header::HeaderName::from_static("cross-origin-resource-policy");

/// The proxy with an upstream nobody listens on (these requests must not need one), serving a
/// temporary assets dir.
fn proxy() -> (Router, tempfile::TempDir) {
    let assets = support::widget_files();
    let config = UpstreamConfig {
        base_url: "http://127.0.0.1:9/api/".parse().expect("url"),
        token: Secret::new("unused"),
        timeout: Duration::from_secs(1),
        time_zone: HelpdeskTimeZone::default(),
    };
    let state = support::state(Upstream::new(config), assets.path().to_owned());
    (app(state), assets)
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn error_code(&self) -> String {
        let json: Value = serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "{} body is not JSON ({e}): {:?}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        });
        json["code"].as_str().unwrap_or_default().to_owned()
    }

    fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(&name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

async fn send(router: &Router, request: Request<Body>) -> Answer {
    let response = router.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body")
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

fn request(
    method: &str,
    uri: &str,
    content_type: Option<&str>,
    body: impl Into<Body>,
) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(uri);
    if let Some(ct) = content_type {
        builder = builder.header(header::CONTENT_TYPE, ct);
    }
    builder.body(body.into()).expect("request")
}

fn get(uri: &str) -> Request<Body> {
    request("GET", uri, None, Body::empty())
}

#[tokio::test]
async fn unknown_paths_are_json_404() {
    let (router, _assets) = proxy();
    for (method, uri) in [
        ("GET", "/api/nope.php"),
        ("GET", "/nope.js"),
        ("GET", "/"),
        ("POST", "/api/nope.php"),
        ("POST", "/widget.js"),
        ("GET", "/../../etc/passwd"),
        ("GET", "/%2e%2e/%2e%2e/etc/passwd"),
    ] {
        let answer = send(&router, request(method, uri, None, Body::empty())).await;
        assert_eq!(
            (answer.status, answer.error_code().as_str()),
            (StatusCode::NOT_FOUND, "not_found"),
            "{method} {uri}"
        );
        assert_eq!(
            answer.header(header::CACHE_CONTROL),
            "",
            "{method} {uri}: errors are not cached"
        );
    }
}

#[tokio::test]
async fn wrong_methods_on_endpoints_are_json_405() {
    let (router, _assets) = proxy();
    for (method, uri) in [
        ("GET", "/api/tickets_create.php"),
        ("GET", "/api/ticket_reply.php"),
        ("POST", "/api/tickets_list.php"),
        ("DELETE", "/api/ticket_view.php"),
        ("PUT", "/api/ticket_categories.php"),
        ("POST", "/api/ticket_custom_fields.php"),
    ] {
        let answer = send(&router, request(method, uri, None, Body::empty())).await;
        let got = (answer.status, answer.error_code());
        assert_eq!(
            got,
            (
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed".to_owned()
            ),
            "{method} {uri}"
        );
    }
}

#[tokio::test]
async fn bad_bodies_and_queries_are_json_400_or_415() {
    let (router, _assets) = proxy();
    let json = Some("application/json");
    let bad = (StatusCode::BAD_REQUEST, "bad_request");
    let wrong_type = (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    for (req, refused) in [
        (
            request("POST", "/api/tickets_create.php", json, "{not json"),
            bad,
        ),
        (
            request(
                "POST",
                "/api/tickets_create.php",
                json,
                r#"{"subject":"s"}"#,
            ),
            bad,
        ),
        (
            request(
                "POST",
                "/api/tickets_create.php",
                json,
                r#"{"subject":"s","message":"m","user_email":"a@b.co","priority":"urgent"}"#,
            ),
            bad,
        ),
        (
            as_ann(request(
                "POST",
                "/api/ticket_reply.php",
                json,
                r#"{"ticket_id":"x","message":"m"}"#,
            )),
            bad,
        ),
        (as_ann(get("/api/ticket_view.php")), bad),
        (as_ann(get("/api/ticket_view.php?ticket_id=abc")), bad),
        // Header syntax: a malformed identity, a site sent twice, an unknown site.
        (
            with_header(
                get("/api/tickets_list.php"),
                "x-helpdock-identity",
                "a@b.co",
            ),
            bad,
        ),
        (
            with_header(
                as_ann(get("/api/tickets_list.php")),
                "x-helpdock-identity",
                "x",
            ),
            bad,
        ),
        (
            with_header(
                as_ann(get("/api/tickets_list.php")),
                "x-helpdock-site",
                "blog",
            ),
            bad,
        ),
        // A body that is not announced as JSON, or not at all.
        (
            request(
                "POST",
                "/api/tickets_create.php",
                Some("text/plain"),
                r#"{"subject":"s"}"#,
            ),
            wrong_type,
        ),
        (
            as_ann(request("POST", "/api/ticket_reply.php", None, "")),
            wrong_type,
        ),
    ] {
        let what = format!("{} {}", req.method(), req.uri());
        let answer = send(&router, req).await;
        assert_eq!(
            (answer.status, answer.error_code().as_str()),
            refused,
            "{what}"
        );
    }
}

/// `request` with one more header.
fn with_header(mut request: Request<Body>, name: &'static str, value: &str) -> Request<Body> {
    let value = value.parse().expect("header value");
    request.headers_mut().append(name, value);
    request
}

/// `request` as the verified visitor ann@example.com.
fn as_ann(request: Request<Body>) -> Request<Body> {
    with_header(
        request,
        "x-helpdock-identity",
        &support::identity(support::ANN),
    )
}

#[tokio::test]
async fn visitor_endpoints_without_identity_are_json_401_before_anything_else() {
    let (router, _assets) = proxy();
    let json = Some("application/json");
    for req in [
        get("/api/tickets_list.php?user_email=a@b.co"),
        get("/api/ticket_view.php?ticket_id=1&user_email=a@b.co"),
        get("/api/ticket_view.php?ticket_id=abc"),
        request(
            "POST",
            "/api/ticket_reply.php",
            json,
            r#"{"ticket_id":1,"user_email":"a@b.co","message":"m"}"#,
        ),
        request("POST", "/api/ticket_reply.php", json, "{not json"),
        // Believed only with trust_browser_email, which is off.
        with_header(get("/api/tickets_list.php"), "x-helpdock-email", "a@b.co"),
    ] {
        let what = format!("{} {}", req.method(), req.uri());
        let answer = send(&router, req).await;
        assert_eq!(
            (answer.status, answer.error_code().as_str()),
            (StatusCode::UNAUTHORIZED, "unauthorized"),
            "{what}"
        );
    }
    let forged = "email=ann%40example.com&signature=00";
    let answer = send(
        &router,
        with_header(get("/api/tickets_list.php"), "x-helpdock-identity", forged),
    )
    .await;
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (StatusCode::UNAUTHORIZED, "invalid_signature")
    );
}

#[tokio::test]
async fn oversized_bodies_are_json_413() {
    let (router, _assets) = proxy();
    let big = format!(
        r#"{{"subject":"s","message":"{}","user_email":"a@b.co"}}"#,
        "x".repeat(MAX_BODY_BYTES)
    );
    for uri in ["/api/tickets_create.php", "/api/ticket_reply.php"] {
        let answer = send(
            &router,
            as_ann(request("POST", uri, Some("application/json"), big.clone())),
        )
        .await;
        assert_eq!(
            (answer.status, answer.error_code().as_str()),
            (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
        );
    }
}

#[tokio::test]
async fn assets_have_types_and_caching_by_name() {
    let (router, _assets) = proxy();
    const YEAR: &str = "public, max-age=31536000, immutable";
    for (uri, content_type, cache) in [
        ("/widget.js", "text/javascript", "public, max-age=300"),
        // Named after their content (scripts/name-first-screen.mjs, name-chunks.mjs): a name
        // never changes its file.
        ("/helpdock_widget.2f6d0a1b.js", "text/javascript", YEAR),
        (
            "/helpdock_widget_bg.9c41e7d2.wasm",
            "application/wasm",
            YEAR,
        ),
        ("/helpdock.5e0b3c8a.css", "text/css", YEAR),
        ("/history.0123abcd.wasm", "application/wasm", YEAR),
        // A development build's names: revalidated each time.
        ("/helpdock_widget.js", "text/javascript", "no-cache"),
        ("/helpdock_widget_bg.wasm", "application/wasm", "no-cache"),
        ("/helpdock.css", "text/css", "no-cache"),
    ] {
        let answer = send(&router, get(uri)).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}");
        assert!(
            answer
                .header(header::CONTENT_TYPE)
                .starts_with(content_type),
            "{uri}: {:?}",
            answer.headers
        );
        assert_eq!(answer.header(header::CACHE_CONTROL), cache, "{uri}");
    }
    let head = send(&router, request("HEAD", "/widget.js", None, Body::empty())).await;
    assert_eq!((head.status, head.body.len()), (StatusCode::OK, 0));
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let (router, _assets) = proxy();
    for req in [
        get("/widget.js"),
        get("/"),
        get("/api/nope.php"),
        get("/api/tickets_create.php"),
        request(
            "POST",
            "/api/tickets_create.php",
            Some("application/json"),
            "{",
        ),
    ] {
        let what = req.uri().to_string();
        let answer = send(&router, req).await;
        assert_eq!(
            answer.header(header::X_CONTENT_TYPE_OPTIONS),
            "nosniff",
            "{what}"
        );
        assert_eq!(
            answer.header(header::REFERRER_POLICY),
            "no-referrer",
            "{what}"
        );
        assert_eq!(answer.header(header::X_FRAME_OPTIONS), "DENY", "{what}");
    }
    let api = send(&router, get("/api/tickets_create.php")).await;
    assert_eq!(api.header(header::CACHE_CONTROL), "no-store");
}

/// A shop page on another origin than the proxy, as every real one is.
const FOREIGN: &str = "https://any-shop.example";

#[tokio::test]
async fn assets_are_open_to_every_origin_without_credentials() {
    let (router, _assets) = proxy();
    for uri in [
        "/widget.js",
        "/helpdock_widget.2f6d0a1b.js",
        "/helpdock_widget_bg.9c41e7d2.wasm",
        "/helpdock.5e0b3c8a.css",
        "/history.0123abcd.wasm",
    ] {
        for method in ["GET", "HEAD"] {
            // A page nobody configured may load the files (the loader's `import()` and `fetch`
            // send its Origin); the API stays closed to it, below.
            let req = with_header(request(method, uri, None, Body::empty()), "origin", FOREIGN);
            let answer = send(&router, req).await;
            assert_eq!(answer.status, StatusCode::OK, "{method} {uri}");
            assert_eq!(
                answer.header(header::ACCESS_CONTROL_ALLOW_ORIGIN),
                "*",
                "{method} {uri}"
            );
            assert_eq!(answer.header(CORP), "cross-origin", "{method} {uri}");
            assert!(
                !answer
                    .headers
                    .contains_key(header::ACCESS_CONTROL_ALLOW_CREDENTIALS),
                "{method} {uri}"
            );
            // `*` for everyone: caches keep one copy per encoding, whatever the Origin.
            assert_eq!(
                answer.header(header::VARY),
                "accept-encoding",
                "{method} {uri}"
            );
        }
        // A revalidation (the loader's, after 5 minutes) is a CORS request too, by tag or date.
        let first = send(&router, get(uri)).await;
        for (name, value) in [
            ("if-none-match", first.header(header::ETAG)),
            ("if-modified-since", first.header(header::LAST_MODIFIED)),
        ] {
            let req = with_header(with_header(get(uri), "origin", FOREIGN), name, value);
            let answer = send(&router, req).await;
            assert_eq!(answer.status, StatusCode::NOT_MODIFIED, "{uri} {name}");
            assert_eq!(
                answer.header(header::ACCESS_CONTROL_ALLOW_ORIGIN),
                "*",
                "{uri} {name}"
            );
        }
    }
    // Only reading files is open: the API, writes and missing files are not.
    for (method, uri, status, code) in [
        (
            "GET",
            "/api/ticket_categories.php",
            StatusCode::FORBIDDEN,
            "forbidden_origin",
        ),
        (
            "POST",
            "/widget.js",
            StatusCode::FORBIDDEN,
            "forbidden_origin",
        ),
        (
            "OPTIONS",
            "/widget.js",
            StatusCode::FORBIDDEN,
            "forbidden_origin",
        ),
        ("GET", "/nope.js", StatusCode::NOT_FOUND, "not_found"),
    ] {
        let req = with_header(request(method, uri, None, Body::empty()), "origin", FOREIGN);
        let answer = send(&router, req).await;
        assert_eq!(
            (answer.status, answer.error_code().as_str()),
            (status, code),
            "{method} {uri}"
        );
        assert_eq!(
            answer.header(header::ACCESS_CONTROL_ALLOW_ORIGIN),
            "",
            "{method} {uri}"
        );
    }
}
