//! Odd paths, repeated parameters and strange methods are refused as JSON before any upstream
//! call; every answer carries the security headers and a request id.

use crate::fixture::{fixture, get_with, header, req, roomy};
use crate::support::{self, ANN};
use axum::body::Body;

/// Spellings of `/api/ticket_view.php` that must not reach it (nor anything else).
const ODD_PATHS: [&str; 11] = [
    "/api//ticket_view.php",
    "//api/ticket_view.php",
    "/api/%2e%2e/api/ticket_view.php",
    "/api/../api/ticket_view.php",
    "/api%2Fticket_view.php",
    "/api/ticket_view.php/",
    "/api/ticket_view.php/x",
    "/API/ticket_view.php",
    "/api/./ticket_view.php",
    "/api/ticket_view.php%00",
    "/api/ticket_view%2Ephp",
];

#[tokio::test]
async fn odd_spellings_of_a_route_are_json_404() {
    let f = fixture(roomy()).await;
    let identity = support::identity(ANN);
    for path in ODD_PATHS {
        let uri = format!("{path}?ticket_id=1");
        let answer = f
            .send(get_with(&uri, &[("x-helpdock-identity", &identity)]))
            .await;
        answer.expect_error(404, "not_found");
        assert!(
            header(&answer, "content-type").starts_with("application/json"),
            "{path}"
        );
    }
    assert_eq!(f.all_upstream_calls(), 0, "{:?}", f.helpdesk.calls());
}

#[tokio::test]
async fn repeated_query_parameters_are_400() {
    let f = fixture(roomy()).await;
    let identity = support::identity(ANN);
    for query in [
        "ticket_id=1&ticket_id=2",
        "ticket_id=1&ticket_id=1",
        "ticket_id=1&user_email=a%40b.co&user_email=ann%40example.com",
        "ticket%5Fid=1&ticket_id=2",
    ] {
        let answer = f
            .send(get_with(
                &format!("/api/ticket_view.php?{query}"),
                &[("x-helpdock-identity", &identity)],
            ))
            .await;
        answer.expect_error(400, "bad_request");
    }
    let answer = f
        .send(get_with("/api/ticket_categories.php?a=1&a=2", &[]))
        .await;
    answer.expect_error(400, "bad_request");
    assert_eq!(f.all_upstream_calls(), 0, "{:?}", f.helpdesk.calls());
}

#[tokio::test]
async fn unknown_methods_on_known_paths_are_405() {
    let f = fixture(roomy()).await;
    for method in ["PUT", "PATCH", "DELETE", "TRACE", "PROPFIND", "BREW"] {
        for path in [
            "/api/tickets_create.php",
            "/api/ticket_view.php",
            "/api/ticket_reply.php",
        ] {
            let answer = f
                .send(req(method, path).body(Body::empty()).expect("request"))
                .await;
            answer.expect_error(405, "method_not_allowed");
        }
    }
    // GET on a POST route is the same refusal, and spends no rate-limit token.
    let answer = f.send(get_with("/api/tickets_create.php", &[])).await;
    answer.expect_error(405, "method_not_allowed");
    assert_eq!(f.all_upstream_calls(), 0);
}

#[tokio::test]
async fn security_headers_fit_what_is_served() {
    let f = fixture(roomy()).await;
    let get = |uri: &str| get_with(uri, &[]);
    let api = f.send(get("/api/ticket_categories.php")).await;
    let asset = f.send(get("/widget.js")).await;
    let missing = f.send(get("/nope")).await;
    assert_eq!(api.status, 200, "{api:?}");
    assert_eq!(asset.status, 200, "{asset:?}");
    for (what, answer) in [("api", &api), ("asset", &asset), ("404", &missing)] {
        assert_eq!(
            header(answer, "x-content-type-options"),
            "nosniff",
            "{what}"
        );
        assert_eq!(header(answer, "referrer-policy"), "no-referrer", "{what}");
        assert_eq!(header(answer, "x-frame-options"), "DENY", "{what}");
        assert!(!answer.headers.contains_key("server"), "{what}");
        assert!(!answer.headers.contains_key("x-powered-by"), "{what}");
    }
    // Shop pages load the widget's files; nobody else loads the API's JSON with no-cors.
    assert_eq!(
        header(&asset, "cross-origin-resource-policy"),
        "cross-origin"
    );
    assert_eq!(header(&api, "cross-origin-resource-policy"), "same-origin");
    assert_eq!(
        header(&missing, "cross-origin-resource-policy"),
        "same-origin"
    );
    for (what, answer) in [("api", &api), ("404", &missing)] {
        assert!(
            header(answer, "content-security-policy").starts_with("default-src 'none'"),
            "{what}: {answer:?}"
        );
    }
}

#[tokio::test]
async fn every_answer_has_a_request_id_and_a_sane_incoming_one_is_kept() {
    let f = fixture(roomy()).await;
    let with_id = |id: &str| get_with("/nope", &[("x-request-id", id)]);
    let fresh = f.send(get_with("/nope", &[])).await;
    let id = header(&fresh, "x-request-id");
    assert!(
        id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "{id:?}"
    );
    let kept = f.send(with_id("edge-7f3a-0001")).await;
    assert_eq!(header(&kept, "x-request-id"), "edge-7f3a-0001");
    for bad in ["has space", "quote\"d", &"a".repeat(65)] {
        let replaced = f.send(with_id(bad)).await;
        let id = header(&replaced, "x-request-id");
        assert!(id.len() == 32 && id != bad, "{bad:?} → {id:?}");
    }
}
