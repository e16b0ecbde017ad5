//! Keyboard focus survives the list changing under it.

use super::*;
use crate::identity::Identity;
use crate::test_support::{FakeProxy, Page, fresh_base, one_ticket, tick, until};
use serde_json::{Value, json};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test as test;

fn two_tickets(status_42: &str) -> Value {
    let mut list = one_ticket();
    let tickets = list["tickets"].as_array_mut().expect("tickets");
    tickets[0]["status"] = json!(status_42);
    tickets.push(json!({
        "id": 43, "subject": "Second", "status": "open", "priority": "low",
        "created_at": "2026-11-21T10:00:00Z", "updated_at": "2026-11-21T10:45:00Z",
    }));
    list
}

fn focused(page: &Page) -> Option<String> {
    page.root
        .query_selector(":focus")
        .ok()
        .flatten()
        .and_then(|f| f.get_attribute("data-testid"))
}

#[test]
async fn a_focused_row_keeps_focus_when_a_poll_changes_the_list() {
    let proxy = FakeProxy::install();
    proxy.answer("tickets_list.php", 200, two_tickets("open"));
    let api = Api::new(&fresh_base("focus-rows"), None);
    api.set_identity(Identity::new("ann@example.com", None, None, "ab12").ok());
    let shell = Shell::new(None);
    shell.open.set(true);
    let page = Page::new();
    let _history = leptos::mount::mount_to(page.root.clone(), move || {
        provide_context(api);
        provide_context(shell);
        provide_context(PollEvery {
            thread: Duration::from_secs(3600),
            list: Duration::from_millis(30),
            unread: Duration::from_secs(3600),
        });
        ticket_history(RwSignal::new(None), Callback::new(|()| ()))
    });
    page.wait_for("ticket-row-43").await;
    let row = page.get("ticket-row-43");
    row.unchecked_ref::<web_sys::HtmlElement>()
        .focus()
        .expect("focus");
    assert_eq!(focused(&page).as_deref(), Some("ticket-row-43"));

    // Ticket 43 changes and moves to the top: rows are patched in place by position, so
    // without care the focus would stay on the second button, now ticket 42's.
    let mut list = two_tickets("open");
    let tickets = list["tickets"].as_array_mut().expect("tickets");
    tickets.swap(0, 1);
    tickets[0]["status"] = json!("closed");
    proxy.answer("tickets_list.php", 200, list);
    until("the new order", || {
        page.text("ticket-list").starts_with("Second")
    })
    .await;
    tick().await;
    assert_eq!(focused(&page).as_deref(), Some("ticket-row-43"));
}
