//! A visitor fills the demo shop's lean form (the site asks only the name besides the essentials
//! and the helpdesk's fields) and sends it too early: the focus moves to the first field to fix,
//! each time, while the summary stays above the form for screen readers. Then her connection
//! drops as she sends: the word that it is not sent yet appears beside the button she pressed,
//! in view, and the focus stays on that button; back online, the widget sends it by itself.

use helpdock_e2e::cdp::cdp;
use helpdock_e2e::screenshots;
use helpdock_e2e::widget::Deadline;
use helpdock_e2e::{DemoStack, Widget, with_browser};
use serde_json::{Value, json};

const STORY: &str = "errors_where_the_eyes_are";

/// Turns the browser's network off or on (DevTools' network emulation).
async fn offline(client: &fantoccini::Client, offline: bool) {
    cdp(client, "Network.enable", json!({})).await;
    cdp(
        client,
        "Network.emulateNetworkConditions",
        json!({"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
    )
    .await;
}

#[tokio::test]
async fn a_failed_submit_focuses_the_first_field_to_fix_and_a_failed_send_speaks_beside_send() {
    let stack = DemoStack::start();
    let url = stack.url.clone();
    with_browser(move |client| async move {
        client.goto(&url).await.expect("open the host page");
        let w = Widget::new(&client);
        w.click("launcher").await;
        w.find("field-custom-1").await;
        // The site's lean form: no company, priority or category to answer.
        for asked in ["field-email", "field-name", "field-subject", "field-message", "field-custom-2"] {
            w.find(asked).await;
        }
        for left_out in ["field-company", "field-priority", "field-category"] {
            for el in w.all(left_out).await {
                let shown = el.is_displayed().await.unwrap_or(true);
                assert!(!shown, "{left_out} is not asked");
            }
        }
        screenshots::save(&client, STORY, "lean-form").await;

        w.type_into("field-subject", "Where is my order?").await;
        w.click("submit-ticket").await;
        w.find("error-user_email").await;
        assert_eq!(w.focused().await.as_deref(), Some("field-email"), "the first field to fix");
        w.find("form-error").await;
        let summary_first = w
            .eval("return $('form-error').compareDocumentPosition($('field-email')) & Node.DOCUMENT_POSITION_FOLLOWING;")
            .await;
        assert_ne!(summary_first, 0, "the summary stays above the form");
        screenshots::save(&client, STORY, "focus-on-first-invalid").await;

        w.type_into("field-email", "ivy@example.com").await;
        w.click("submit-ticket").await;
        w.find("error-message").await;
        assert_eq!(w.focused().await.as_deref(), Some("field-message"));

        w.type_into("field-message", "Ordered on the 2nd, nothing yet.").await;
        w.type_into("field-custom-1", "ORD-3003").await;
        offline(&client, true).await;
        w.submit_ticket().await;
        w.find("form-pending").await;
        let geometry = "const box = el => el.getBoundingClientRect();
             const body = box(root.querySelector('.hd-body'));
             const pending = box($('form-pending')), send = box($('submit-ticket'));
             return {gap: send.top - pending.bottom,
                     inView: pending.top >= body.top && send.bottom <= body.bottom + 1};";
        // The panel scrolls them into view once the word is there.
        let deadline = Deadline::start();
        let at = loop {
            let at = w.eval(geometry).await;
            if at["inView"] == Value::Bool(true) {
                break at;
            }
            deadline.retry(|| format!("the word and its button are not in view: {at}")).await;
        };
        let gap = at["gap"].as_f64().unwrap_or(f64::NAN);
        assert!((0.0..40.0).contains(&gap), "beside the button: {at}");
        assert_eq!(w.focused().await.as_deref(), Some("submit-ticket"), "focus stays");
        screenshots::save(&client, STORY, "offline-beside-send").await;

        // Back online, the widget sends it by itself, under the same key.
        offline(&client, false).await;
        w.created_ticket_id().await;
    })
    .await;
    drop(stack);
}
