//! Support answers while the visitor is away. A guest filed a ticket and talked with support for
//! a while; she closed the widget. A new reply arrives: after a reload the launcher shows it,
//! without her opening anything, and one click opens the thread at the new reply, below a "New"
//! divider, with the reply box in view; she answers and stays in the reply box. Another visitor
//! keeps the page open with the widget closed: the watch notices two answers on its own, and the
//! panel opens on "My tickets", counting them on its tab.

use helpdock_e2e::screenshots;
use helpdock_e2e::widget::PATIENCE;
use helpdock_e2e::{DemoStack, Widget, with_browser};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};

const STORY: &str = "reply_arrives_while_closed";

/// Files a ticket as a guest and returns its number; `email` is typed unless the form kept it
/// from her last ticket (empty).
async fn file_ticket(w: &Widget, email: &str, subject: &str) -> String {
    if !email.is_empty() {
        w.type_into("field-email", email).await;
    }
    w.fill(&[
        ("field-subject", subject),
        ("field-message", "It has been two weeks since I ordered."),
        ("field-custom-1", "ORD-2024"),
    ])
    .await;
    w.submit_ticket().await;
    w.created_ticket_id().await
}

/// Where the thread stands: how far its messages are scrolled and where the divider, the last
/// message and the reply box are, against the scrolling area and the window.
async fn thread_geometry(w: &Widget) -> Value {
    w.eval(
        "const box = el => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; };
         const sc = root.querySelector('.hd-thread-scroll');
         const messages = root.querySelectorAll('[data-testid=thread-message]');
         return {
           scrolled: sc.scrollTop, overflow: sc.scrollHeight - sc.clientHeight, area: box(sc),
           divider: box($('new-divider')), last: box(messages[messages.length - 1]),
           reply: box($('reply-input')), header: box(root.querySelector('.hd-header')),
           window: innerHeight,
         };",
    )
    .await
}

#[tokio::test]
async fn a_reply_while_closed_shows_on_the_launcher_and_one_click_opens_it() {
    let stack = Arc::new(DemoStack::start());
    let url = stack.url.clone();
    let helpdesk = stack.clone();
    with_browser(move |client| async move {
        client.goto(&url).await.expect("open the host page");
        let w = Widget::new(&client);
        w.click("launcher").await;
        let id = file_ticket(&w, "gia@example.com", "Where is my order?").await;

        // A long conversation, all of it read.
        for round in 1..=5 {
            helpdesk.add_reply(
                &id,
                true,
                &format!("Support, message {round}: we are looking into it.\nOne more line."),
            );
            helpdesk.add_reply(&id, false, &format!("Thanks, reply {round} from me."));
        }
        w.click("open-created-ticket").await;
        w.wait_for_count("thread-message", 11).await;
        w.click("close-panel").await;
        w.wait_for_hidden("panel").await;

        // Support answers while she is away; she comes back to the page.
        helpdesk.add_reply(
            &id,
            true,
            "Good news: it ships today, tracking number TR-123.",
        );
        client.refresh().await.expect("reload the host page");
        assert_eq!(
            w.find("unread-badge").await.text().await.ok().as_deref(),
            Some("1")
        );
        let label = w
            .eval("return $('launcher').getAttribute('aria-label');")
            .await;
        assert_eq!(label, "Open support, 1 unread reply");
        let news = w.eval("return $('unread-news').textContent;").await;
        assert_eq!(news, "1 unread reply", "said politely to screen readers");
        assert!(w.all("panel").await.is_empty(), "nothing was opened");
        screenshots::save(&client, STORY, "badge-after-reload").await;

        // One click: the thread, at the new reply.
        w.click("launcher").await;
        w.find("new-divider").await;
        let messages = w.wait_for_count("thread-message", 12).await;
        assert!(messages[11].contains("it ships today"), "{messages:?}");
        let at = thread_geometry(&w).await;
        let n = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
        assert!(n(&at["overflow"]) > 0.0, "a long thread: {at}");
        assert!(n(&at["scrolled"]) > 0.0, "not at the oldest message: {at}");
        assert!(
            n(&at["divider"]["top"]) >= n(&at["area"]["top"])
                && n(&at["divider"]["bottom"]) <= n(&at["area"]["bottom"]),
            "the divider is in view: {at}"
        );
        assert!(
            n(&at["last"]["top"]) < n(&at["area"]["bottom"]),
            "the new reply is in view: {at}"
        );
        assert!(
            n(&at["reply"]["top"]) >= n(&at["area"]["bottom"])
                && n(&at["reply"]["bottom"]) <= n(&at["window"]),
            "the reply box is below the messages, on screen: {at}"
        );
        let header = n(&at["header"]["bottom"]) - n(&at["header"]["top"]);
        assert!(header < 60.0, "a one-line header in a thread: {header} px");
        w.wait_for_hidden("unread-badge").await;
        screenshots::save(&client, STORY, "thread-at-new-reply").await;

        // She answers; the reply box keeps the focus for the next one.
        w.type_into("reply-input", "Great, thank you!").await;
        w.click("reply-send").await;
        w.wait_for_count("thread-message", 13).await;
        w.wait_for_value("reply-input", "").await;
        assert_eq!(w.focused().await.as_deref(), Some("reply-input"));
        let at = thread_geometry(&w).await;
        assert!(
            n(&at["last"]["bottom"]) <= n(&at["area"]["bottom"]) + 1.0,
            "her reply is in view: {at}"
        );
        screenshots::save(&client, STORY, "after-replying").await;
    })
    .await;
}

/// Waits until the launcher's badge says `count`, for up to `patience`.
async fn wait_for_badge(w: &Widget, count: &str, patience: Duration) {
    let started = Instant::now();
    loop {
        let badge = w
            .eval("const b = $('unread-badge'); return b && b.textContent;")
            .await;
        if badge == count {
            return;
        }
        assert!(
            started.elapsed() < patience,
            "the badge said {badge} after {patience:?}, not {count}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test]
async fn answers_noticed_with_the_page_open_lead_to_my_tickets() {
    let stack = Arc::new(DemoStack::start());
    let url = stack.url.clone();
    let helpdesk = stack.clone();
    with_browser(move |client| async move {
        client.goto(&url).await.expect("open the host page");
        let w = Widget::new(&client);
        w.click("launcher").await;
        let first = file_ticket(&w, "hal@example.com", "Grinder squeaks").await;
        w.click("new-ticket").await;
        let second = file_ticket(&w, "", "Wrong beans").await;
        w.click("close-panel").await;

        // A fresh page: the watch asks once as it loads; then support answers both.
        client.refresh().await.expect("reload the host page");
        w.find("launcher").await;
        let asked = "return performance.getEntriesByType('resource')
                       .filter(e => e.name.includes('tickets_list.php')).length;";
        let started = Instant::now();
        while w.eval(asked).await.as_u64() < Some(1) {
            assert!(started.elapsed() < PATIENCE, "the watch never asked");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        helpdesk.add_reply(&first, true, "A drop of oil on the burr fixes it.");
        helpdesk.add_reply(&second, true, "Sorry! The right beans are on their way.");

        // No reload, no click: the watch asks again a minute later.
        wait_for_badge(&w, "2", Duration::from_secs(100)).await;
        assert!(
            w.eval(asked).await.as_u64() <= Some(3),
            "a gentle watch: a handful of asks"
        );
        screenshots::save(&client, STORY, "badge-two-replies").await;

        w.click("launcher").await;
        w.find(&format!("ticket-unread-{first}")).await;
        w.find(&format!("ticket-unread-{second}")).await;
        let selected = w
            .eval("return $('tab-history').getAttribute('aria-selected');")
            .await;
        assert_eq!(selected, "true", "My tickets is the tab shown");
        let tab = w
            .eval("const t = $('tab-history'); return [t.dataset.count, t.getAttribute('aria-label')];")
            .await;
        assert_eq!(
            tab,
            serde_json::json!(["2", "My tickets, 2 unread replies"]),
            "the tab counts them, in words for screen readers"
        );
        screenshots::save(&client, STORY, "my-tickets-two-unread").await;
    })
    .await;
}
