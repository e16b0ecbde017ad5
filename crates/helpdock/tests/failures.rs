//! Upstream failure modes: down, crashing, HTML error pages, odd JSON, slow, wrong token. Each is
//! a JSON 502/504 that carries no upstream text.

mod support;

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::any;
use reference_helpdesk::{Fault, Helpdesk, Quirks};
use serde_json::json;
use std::time::{Duration, Instant};
use support::{ANN, TOKEN, proxy_for, serve_router, stack_with, valid_ticket};

const SECRET_PATH: &str = "/var/www/supportengine/api/db.php";

/// Every endpoint, as (method, path, body), sent as the verified visitor ANN.
fn every_endpoint() -> Vec<(&'static str, String, Option<serde_json::Value>)> {
    vec![
        ("GET", "/api/ticket_categories.php".into(), None),
        ("GET", "/api/ticket_custom_fields.php".into(), None),
        ("GET", "/api/tickets_list.php".into(), None),
        ("GET", "/api/ticket_view.php?ticket_id=1".into(), None),
        (
            "POST",
            "/api/tickets_create.php".into(),
            Some(valid_ticket()),
        ),
        (
            "POST",
            "/api/ticket_reply.php".into(),
            Some(json!({"ticket_id": 1, "message": "hi"})),
        ),
    ]
}

/// A stub upstream that answers every script with `status`, `content_type` and `body`.
async fn stub(status: u16, content_type: &'static str, body: &'static str) -> std::net::SocketAddr {
    let status = StatusCode::from_u16(status).expect("status");
    serve_router(Router::new().route(
        "/api/{script}",
        any(
            move || async move { (status, [("content-type", content_type)], body).into_response() },
        ),
    ))
    .await
}

async fn assert_all_unavailable(proxy: &support::Proxy, upstream_text: &[&str]) {
    for (method, path, body) in every_endpoint() {
        let method = method.parse().expect("method");
        let identity = support::identity(ANN);
        let answer = proxy
            .send_with(
                method,
                &path,
                body.as_ref(),
                &[("X-Helpdock-Identity", &identity)],
            )
            .await;
        answer.expect_error(502, "upstream_unavailable");
        for text in upstream_text {
            assert!(
                !answer.body.contains(text),
                "{path}: upstream text {text:?} leaked: {}",
                answer.body
            );
        }
    }
}

#[tokio::test]
async fn connection_refused_is_502() {
    // A port that was free a moment ago and has nothing listening now.
    let addr = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr")
    };
    let proxy = proxy_for(addr, TOKEN, Duration::from_secs(5)).await;
    assert_all_unavailable(&proxy, &["refused", "127.0.0.1"]).await;
}

#[tokio::test]
async fn stub_failures_are_502_without_upstream_text() {
    let cases: [(u16, &str, &str); 6] = [
        (500, "application/json", ""),
        (
            200,
            "text/html",
            "<br />\n<b>Fatal error</b>: Uncaught PDOException in /var/www/supportengine/api/db.php:12",
        ),
        (
            200,
            "application/json",
            r#"{"tickets":[],"note":"/var/www/supportengine/api/db.php"}"#,
        ),
        (
            200,
            "application/json",
            r#"{"success":true,"unexpected":"/var/www/supportengine/api/db.php"}"#,
        ),
        (
            503,
            "text/html",
            "<h1>Service Unavailable</h1> /var/www/supportengine/api/db.php",
        ),
        (
            200,
            "application/json",
            r#"{"success":false,"error":"SQLSTATE[HY000] /var/www/supportengine/api/db.php"}"#,
        ),
    ];
    for (status, content_type, body) in cases {
        let proxy = proxy_for(
            stub(status, content_type, body).await,
            TOKEN,
            Duration::from_secs(5),
        )
        .await;
        assert_all_unavailable(
            &proxy,
            &[SECRET_PATH, "Fatal", "SQLSTATE", "Service Unavailable"],
        )
        .await;
    }
}

#[tokio::test]
async fn reference_crashes_are_502_in_both_php_renderings() {
    for display_errors in [false, true] {
        let s = stack_with(Quirks {
            display_errors,
            ..Quirks::default()
        })
        .await;
        s.helpdesk.set_fault(Some(Fault::DatabaseDown));
        assert_all_unavailable(&s.proxy, &["/var/www", "<b>", "Fatal", "PDO"]).await;
    }
}

#[tokio::test]
async fn a_wrong_token_is_502_not_401() {
    let helpdesk = Helpdesk::open(None, TOKEN.to_owned()).expect("open");
    let proxy = proxy_for(
        serve_router(helpdesk.router()).await,
        "not-the-token",
        Duration::from_secs(5),
    )
    .await;
    let answer = proxy.list(ANN).await;
    answer.expect_error(502, "upstream_unavailable");
    assert!(!answer.body.contains("Unauthorized"), "{}", answer.body);
    assert!(helpdesk.calls().iter().all(|c| !c.token_valid));
}

#[tokio::test]
async fn a_slow_helpdesk_is_504() {
    let s = stack_with(Quirks::default()).await;
    let proxy = proxy_for(
        serve_router(s.helpdesk.router()).await,
        TOKEN,
        Duration::from_millis(300),
    )
    .await;
    s.helpdesk
        .set_fault(Some(Fault::Delay(Duration::from_secs(5))));
    let started = Instant::now();
    proxy.list(ANN).await.expect_error(504, "upstream_timeout");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn custom_field_errors_become_our_field_errors() {
    // The helpdesk knows a rule we did not (a field turned required between our two calls).
    let router = Router::new()
        .route("/api/ticket_custom_fields.php", any(|| async {
            r#"{"success":true,"fields":[{"id":"7","name":"Serial","type":"text","required":"0","possible_values":null}]}"#
        }))
        .route("/api/ticket_categories.php", any(|| async {
            r#"{"success":true,"categories":[{"id":"2","name":"Shipping","icon":null}]}"#
        }))
        .route("/api/tickets_create.php", any(|| async {
            r#"{"success":false,"error":"Missing required custom fields","custom_field_errors":{"7":"Pflichtfeld <b>/var/www</b>"}}"#
        }));
    let proxy = proxy_for(serve_router(router).await, TOKEN, Duration::from_secs(5)).await;
    let mut ticket = valid_ticket();
    ticket["custom_fields"] = json!({});
    let answer = proxy.post("/api/tickets_create.php", &ticket).await;
    let body = answer.expect_error(422, "invalid_input");
    assert_eq!(body["field"], "custom_fields.7");
    assert_eq!(
        body["field_errors"],
        json!({"custom_fields.7": "This field is required."})
    );
    assert!(
        !answer.body.contains("Pflichtfeld") && !answer.body.contains("Missing required"),
        "{}",
        answer.body
    );
}
