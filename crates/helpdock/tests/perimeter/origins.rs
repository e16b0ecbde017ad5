//! CORS (docs/protocol.md, "CORS"): who may call, what a preflight answers, and that a refused
//! origin reaches nothing behind the proxy.

use crate::fixture::{BLOG, EVIL, SHOP, fixture, get_with, header, post_json, req, roomy, ticket};
use axum::body::Body;

const ALLOW_HEADERS: &str = "content-type, idempotency-key, x-helpdock-site, x-helpdock-identity, \
                             x-helpdock-guest-pass, x-helpdock-email";

#[tokio::test]
async fn a_foreign_origin_is_refused_before_anything_runs() {
    let f = fixture(roomy()).await;
    let create = post_json(
        "/api/tickets_create.php",
        &ticket("From a stranger"),
        &[("origin", EVIL)],
    );
    let requests = [
        create,
        get_with("/api/ticket_categories.php", &[("origin", EVIL)]),
        // A preflight from a stranger, and from the other site's page for this site.
        req("OPTIONS", "/api/tickets_create.php")
            .header("origin", EVIL)
            .header("access-control-request-method", "POST")
            .body(Body::empty())
            .expect("request"),
        get_with(
            "/api/ticket_categories.php",
            &[("origin", BLOG), ("x-helpdock-site", "shop")],
        ),
        // `null` (sandboxed frames, file://) and two origins at once.
        get_with("/api/ticket_categories.php", &[("origin", "null")]),
        get_with(
            "/api/ticket_categories.php",
            &[("origin", SHOP), ("origin", EVIL)],
        ),
        // Reading the widget's files is open to every page (tests/http.rs); anything else there
        // is not.
        req("POST", "/widget.js")
            .header("origin", EVIL)
            .body(Body::empty())
            .expect("request"),
    ];
    for request in requests {
        let what = format!("{} {}", request.method(), request.uri());
        let answer = f.send(request).await;
        answer.expect_error(403, "forbidden_origin");
        assert!(
            header(&answer, "access-control-allow-origin").is_empty(),
            "{what}: {answer:?}"
        );
        assert_eq!(header(&answer, "vary"), "Origin", "{what}");
    }
    assert_eq!(f.all_upstream_calls(), 0, "{:?}", f.helpdesk.calls());
}

#[tokio::test]
async fn an_allowed_preflight_gets_exactly_the_documented_headers() {
    let f = fixture(roomy()).await;
    for origin in [SHOP, BLOG] {
        let answer = f
            .send(
                req("OPTIONS", "/api/ticket_reply.php")
                    .header("origin", origin)
                    .header("access-control-request-method", "POST")
                    .header(
                        "access-control-request-headers",
                        "content-type, idempotency-key, x-helpdock-identity",
                    )
                    .body(Body::empty())
                    .expect("request"),
            )
            .await;
        assert_eq!(answer.status, 204, "{answer:?}");
        assert_eq!(header(&answer, "access-control-allow-origin"), origin);
        assert_eq!(header(&answer, "access-control-allow-methods"), "GET, POST");
        assert_eq!(
            header(&answer, "access-control-allow-headers"),
            ALLOW_HEADERS
        );
        assert_eq!(header(&answer, "access-control-max-age"), "600");
        assert_eq!(header(&answer, "vary"), "Origin");
        assert!(
            !answer
                .headers
                .contains_key("access-control-allow-credentials")
        );
        assert!(answer.body.is_empty());
    }
    assert_eq!(f.all_upstream_calls(), 0);
}

#[tokio::test]
async fn allowed_origins_may_read_answers_and_errors() {
    let f = fixture(roomy()).await;
    let answer = f
        .send(get_with(
            "/api/ticket_categories.php",
            &[("origin", SHOP), ("x-helpdock-site", "shop")],
        ))
        .await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(header(&answer, "access-control-allow-origin"), SHOP);
    assert_eq!(
        header(&answer, "access-control-expose-headers"),
        "retry-after, x-request-id"
    );
    assert_eq!(header(&answer, "vary"), "Origin");
    assert!(
        !answer
            .headers
            .contains_key("access-control-allow-credentials")
    );
    // An error is readable too, or the widget could not show it.
    let answer = f
        .send(get_with("/api/tickets_list.php", &[("origin", SHOP)]))
        .await;
    answer.expect_error(401, "unauthorized");
    assert_eq!(header(&answer, "access-control-allow-origin"), SHOP);
}

#[tokio::test]
async fn same_origin_and_origin_less_calls_pass() {
    let f = fixture(roomy()).await;
    let own = f
        .send(get_with(
            "/api/ticket_categories.php",
            &[
                ("host", "support.example.com"),
                ("origin", "https://support.example.com"),
            ],
        ))
        .await;
    assert_eq!(own.status, 200, "{own:?}");
    let curl = f.send(get_with("/api/ticket_categories.php", &[])).await;
    assert_eq!(curl.status, 200, "{curl:?}");
    assert!(header(&curl, "access-control-allow-origin").is_empty());
    assert_eq!(
        header(&curl, "vary"),
        "Origin",
        "caches must not mix the two"
    );
}

#[tokio::test]
async fn options_without_a_preflight_is_not_a_method_the_api_takes() {
    let f = fixture(roomy()).await;
    let answer = f
        .send(
            req("OPTIONS", "/api/tickets_list.php")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    answer.expect_error(405, "method_not_allowed");
}
