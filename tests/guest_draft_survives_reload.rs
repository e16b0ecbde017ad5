//! A guest who already filed a ticket starts a second one, and the page reloads before she sends
//! it (she clicked a link, the tab was discarded): the draft is back when she reopens the widget,
//! her guest pass still lists the first ticket, and sending files the second ticket exactly once.

use helpdock_e2e::{DemoStack, Widget, with_browser};
use std::sync::Arc;
use std::time::Duration;

/// The proxy refuses a form sent faster than a person fills one; a restored draft was started
/// before the reload, but the widget may count from the reload, so wait that long again.
const HUMAN_FILL: Duration = Duration::from_millis(2500);

async fn file_first_ticket(w: &Widget) -> String {
    w.fill(&[
        ("field-email", "dee@example.com"),
        ("field-subject", "First: beans"),
        ("field-message", "Where are my beans?"),
        ("field-custom-1", "ORD-7007"),
    ])
    .await;
    w.submit_ticket().await;
    w.created_ticket_id().await
}

#[tokio::test]
async fn a_guest_draft_survives_a_reload_and_is_sent_once() {
    let stack = Arc::new(DemoStack::start());
    let url = stack.url.clone();
    let helpdesk = stack.clone();
    with_browser(move |client| async move {
        client.goto(&url).await.expect("open the host page");
        let w = Widget::new(&client);
        w.click("launcher").await;
        let first = file_first_ticket(&w).await;
        w.click("new-ticket").await;

        let draft = [
            ("field-subject", "Second: grinder"),
            ("field-message", "The grinder hums but does not grind."),
            ("field-name", "Dee Diner"),
            ("field-custom-1", "ORD-8008"),
        ];
        w.fill(&draft).await;
        w.choose("field-custom-2", "Pro").await;
        // Drafts are saved as the visitor types; give a debounce time to pass.
        tokio::time::sleep(Duration::from_secs(1)).await;

        client.refresh().await.expect("reload the host page");
        w.click("launcher").await;
        for (id, text) in draft {
            w.wait_for_value(id, text).await;
        }
        w.wait_for_value("field-custom-2", "Pro").await;
        w.wait_for_value("field-email", "dee@example.com").await;

        // The guest pass survived the reload: the first ticket is still hers.
        w.click("tab-history").await;
        w.wait_for_text(&format!("ticket-row-{first}"), "First: beans")
            .await;
        w.click("tab-new").await;
        w.wait_for_value("field-subject", "Second: grinder").await;

        tokio::time::sleep(HUMAN_FILL).await;
        w.submit_ticket().await;
        let second = w.created_ticket_id().await;
        assert_ne!(second, first);
        let count = |subject: &str| {
            helpdesk.helpdesk_sql(&format!(
                "SELECT count(*) FROM tickets WHERE subject = '{subject}'"
            ))
        };
        assert_eq!(count("Second: grinder").as_deref(), Some("1"));
        assert_eq!(count("First: beans").as_deref(), Some("1"));

        // Sent means cleared: another reload brings an empty form back.
        client.refresh().await.expect("reload the host page");
        w.click("launcher").await;
        w.wait_for_value("field-subject", "").await;
        w.wait_for_value("field-message", "").await;
    })
    .await;
    drop(stack);
}
