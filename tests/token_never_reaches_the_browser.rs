//! The helpdesk's API token stays in the proxy: nothing the browser receives during a whole
//! session (page, loader, glue, wasm, css, every API answer, every header) contains it.

use helpdock_e2e::cdp::received_responses;
use helpdock_e2e::{DemoStack, Widget, with_browser};

const TOKEN: &str = "e2e-secret-token-7f3a9c1d5b";

#[tokio::test]
async fn no_response_of_a_full_session_contains_the_token() {
    let stack = DemoStack::start_with_token(TOKEN);
    let url = stack.url.clone();
    with_browser(move |client| async move {
        client.goto(&url).await.expect("open the host page");
        let w = Widget::new(&client);
        w.click("launcher").await;
        w.type_into("field-subject", "Where is my order?").await;
        w.type_into("field-message", "It has been two weeks.").await;
        w.type_into("field-email", "bo@example.com").await;
        w.type_into("field-custom-1", "ORD-2002").await;
        w.submit_ticket().await;
        let id = w.created_ticket_id().await;
        w.click("tab-history").await;
        w.click(&format!("ticket-row-{id}")).await;
        w.type_into("reply-input", "Any news?").await;
        w.click("reply-send").await;
        w.wait_for_count("thread-message", 2).await;

        let responses = received_responses(&client).await;
        let urls: Vec<&str> = responses.iter().map(|r| r.url.as_str()).collect();
        for must in [
            "/widget.js",
            // Named after their content: helpdock_widget_bg.<hash>.wasm and so on.
            "/helpdock_widget_bg.",
            "/helpdock_widget.",
            "/helpdock.",
            "tickets_create.php",
            "ticket_reply.php",
            "ticket_view.php",
        ] {
            assert!(
                urls.iter().any(|u| u.contains(must)),
                "the session fetched {must}: {urls:?}"
            );
        }
        let wasm = responses
            .iter()
            .find(|r| r.url.ends_with(".wasm"))
            .and_then(|r| r.body.as_ref());
        assert!(
            wasm.is_some_and(|b| b.starts_with(b"\0asm")),
            "the wasm body was read back"
        );
        for r in &responses {
            for (name, value) in &r.headers {
                assert!(
                    !value.contains(TOKEN) && !name.contains(TOKEN),
                    "header {name} of {} leaks the token",
                    r.url
                );
            }
            if let Some(body) = &r.body {
                let hit = body.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes());
                assert!(!hit, "the body of {} contains the token", r.url);
            }
        }
        let with_body = responses.iter().filter(|r| r.body.is_some()).count();
        assert!(
            with_body >= 8,
            "expected the bodies of the whole session, got {with_body}"
        );
    })
    .await;
    assert!(
        stack.wait_for_output("tickets_create", std::time::Duration::from_secs(5)),
        "the demo logged requests"
    );
    assert!(
        !stack.output().contains(TOKEN),
        "the demo's logs contain the token"
    );
}
