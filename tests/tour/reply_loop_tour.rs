//! A screenshot tour of the reply loop (issue 13), asserting nothing, so that any build can be
//! walked and compared: the form, a failed submit, an offline send, a long thread as it opens, a
//! support reply waiting on a closed widget after a reload, the one click after it, "My tickets",
//! English in an Arabic widget, the visitor's dark system on a site that chose no theme, and an
//! empty "My tickets". PNGs go to `target/screenshots/tour/` (`HELPDOCK_SCREENSHOTS_DIR`).
//!
//! ```sh
//! cargo run -p helpdock-e2e --example reply_loop_tour            # this build (pkg/, target/debug)
//! HELPDOCK_BIN=… HELPDOCK_PKG_DIR=… HELPDOCK_SCREENSHOTS_DIR=… cargo run … # another one
//! ```

use fantoccini::Client;
use helpdock_e2e::cdp::{cdp, emulate_color_scheme};
use helpdock_e2e::screenshots;
use helpdock_e2e::{DemoStack, Widget, with_browser};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

const TOUR: &str = "tour";

/// Whether `id` shows within `secs` seconds (no failure: a build without it just does not).
async fn shows(w: &Widget, id: &str, secs: u64) -> bool {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(secs) {
        for el in w.all(id).await {
            if el.is_displayed().await.unwrap_or(false) {
                return true;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

/// Clicks `id` if it shows.
async fn click(w: &Widget, id: &str) {
    if shows(w, id, 10).await {
        w.click(id).await;
    }
}

async fn offline(client: &Client, offline: bool) {
    cdp(client, "Network.enable", json!({})).await;
    cdp(
        client,
        "Network.emulateNetworkConditions",
        json!({"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
    )
    .await;
}

async fn shot(client: &Client, state: &str) {
    tokio::time::sleep(Duration::from_millis(400)).await;
    screenshots::save(client, TOUR, state).await;
}

/// Files a ticket as a guest (`email` typed unless the form kept one); its number.
async fn file(w: &Widget, email: &str, subject: &str, message: &str) -> String {
    let kept = w
        .find("field-email")
        .await
        .prop("value")
        .await
        .ok()
        .flatten();
    if kept.unwrap_or_default().is_empty() {
        w.type_into("field-email", email).await;
    }
    w.fill(&[
        ("field-subject", subject),
        ("field-message", message),
        ("field-custom-1", "ORD-2024"),
    ])
    .await;
    w.submit_ticket().await;
    w.created_ticket_id().await
}

#[tokio::main]
async fn main() {
    let stack = Arc::new(DemoStack::start());
    let url = stack.url.clone();
    let helpdesk = stack.clone();
    with_browser(move |client| async move {
        emulate_color_scheme(&client, "light").await;
        client.goto(&url).await.expect("open the shop");
        let w = Widget::new(&client);
        w.click("launcher").await;
        shows(&w, "field-custom-1", 20).await;
        shot(&client, "01-form").await;

        w.type_into("field-subject", "Where is my order?").await;
        w.click("submit-ticket").await;
        shows(&w, "error-user_email", 10).await;
        shot(&client, "02-failed-submit").await;

        w.fill(&[
            ("field-email", "gia@example.com"),
            ("field-message", "It has been two weeks since I ordered."),
            ("field-custom-1", "ORD-2024"),
        ])
        .await;
        offline(&client, true).await;
        w.submit_ticket().await;
        shows(&w, "form-pending", 10).await;
        shot(&client, "03-offline-send").await;
        offline(&client, false).await;
        if !shows(&w, "created-ticket-id", 10).await {
            click(&w, "submit-ticket").await;
        }
        let id = w.created_ticket_id().await;

        for round in 1..=5 {
            let staff =
                format!("Support, message {round}: we are looking into it.\nOne more line.");
            helpdesk.add_reply(&id, true, &staff);
            helpdesk.add_reply(&id, false, &format!("Thanks, reply {round} from me."));
        }
        w.click("open-created-ticket").await;
        w.wait_for_count("thread-message", 11).await;
        shot(&client, "04-long-thread-as-it-opens").await;

        w.click("close-panel").await;
        helpdesk.add_reply(
            &id,
            true,
            "Good news: it ships today, tracking number TR-123.",
        );
        client.refresh().await.expect("reload");
        shows(&w, "launcher", 20).await;
        // The watch asks as the widget loads, once the browser is idle.
        shows(&w, "unread-badge", 8).await;
        shot(&client, "05-reply-waiting-after-reload").await;

        w.click("launcher").await;
        shows(&w, "new-divider", 8).await;
        shot(&client, "06-one-click-on-the-launcher").await;

        w.click("tab-history").await;
        click(&w, "back-to-list").await;
        shows(&w, &format!("ticket-row-{id}"), 10).await;
        shot(&client, "07-my-tickets").await;

        client
            .execute("Helpdock('setLocale', 'ar');", vec![])
            .await
            .expect("Arabic");
        click(&w, "tab-new").await;
        click(&w, "new-ticket").await;
        shows(&w, "field-subject", 10).await;
        let arabic = file(
            &w,
            "gia@example.com",
            "Where is my order?",
            "Order A-1001 (3 bags) hasn't arrived!",
        )
        .await;
        helpdesk.add_reply(&arabic, true, "شكرا! طلبك في الطريق.");
        click(&w, "open-created-ticket").await;
        w.wait_for_count("thread-message", 2).await;
        shot(&client, "08-english-in-an-arabic-thread").await;

        emulate_color_scheme(&client, "dark").await;
        client.refresh().await.expect("reload");
        shows(&w, "launcher", 20).await;
        w.click("launcher").await;
        shows(&w, "field-subject", 10).await;
        shot(&client, "09-dark-system-site-chose-no-theme").await;

        emulate_color_scheme(&client, "light").await;
        client
            .execute("localStorage.clear();", vec![])
            .await
            .expect("a new visitor");
        client.refresh().await.expect("reload");
        shows(&w, "launcher", 20).await;
        w.click("launcher").await;
        w.click("tab-history").await;
        shows(&w, "empty-history", 10).await;
        shot(&client, "10-empty-my-tickets").await;
    })
    .await;
}
