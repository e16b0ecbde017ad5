//! The reply loop in the widget's own components: opening at the news, a thread at its first new
//! reply, focus kept and moved where the eyes are, the site's form, the empty list's way out.

use crate::api::Api;
use crate::chunks;
use crate::command::tests::{object, s};
use crate::identity::Identity;
use crate::polling::PollEvery;
use crate::test_support::{
    FakeProxy, Page, fresh_base, one_ticket, standard_answers, thread_42, tick, until,
};
use crate::unread::mark_seen;
use helpdock_wire::TicketId;
use leptos::prelude::*;
use serde_json::json;
use std::time::Duration;
use wasm_bindgen_test::wasm_bindgen_test as test;
use web_sys::js_sys::Date;

/// The element focused in the page, by `data-testid`.
fn focused() -> Option<String> {
    document()
        .active_element()
        .and_then(|e| e.get_attribute("data-testid"))
}

/// Ann, verified, against `base`.
fn ann(base: &str) -> Api {
    let api = Api::new(base, None);
    api.set_identity(Identity::new("ann@example.com", None, None, "ab12").ok());
    api
}

/// Ticket 42 with support's answer, and a later one not yet seen.
fn thread_with_news() -> serde_json::Value {
    let mut thread = thread_42();
    thread["replies"]
        .as_array_mut()
        .expect("replies")
        .extend([
            json!({"id": 8, "message": "Thanks!", "from_staff": false, "created_at": "2026-11-21T11:00:00Z"}),
            json!({"id": 9, "message": "It arrives tomorrow.", "from_staff": true, "created_at": "2026-11-22T08:00:00Z"}),
        ]);
    thread["ticket"]["updated_at"] = json!("2026-11-22T08:00:00Z");
    thread["custom_fields"] = json!([
        {"id": 1, "name": "Order number", "type": "text", "value": "A-1"},
        {"id": 2, "name": "Plan", "type": "select", "value": ""},
        {"id": 3, "name": "Gift", "type": "checkbox", "value": null},
    ]);
    thread
}

/// Tickets 42 (support answered at 10:30) and 43, both changed at `updated`.
fn two_tickets(updated: &str) -> serde_json::Value {
    let mut list = one_ticket();
    list["tickets"][0]["updated_at"] = json!(updated);
    list["tickets"]
        .as_array_mut()
        .expect("tickets")
        .push(json!({
            "id": 43, "subject": "Wrong beans", "status": "open", "priority": "low",
            "created_at": "2026-11-21T09:00:00Z", "updated_at": updated,
        }));
    list
}

#[test]
async fn opening_the_panel_goes_to_the_news() {
    let proxy = FakeProxy::install();
    standard_answers(&proxy)
        .answer("tickets_list.php", 200, two_tickets("2026-11-21T10:30:00Z"))
        .answer("ticket_view.php", 200, thread_42());
    let page = Page::new();
    let widget = crate::mount(page.root.clone(), fresh_base("to-the-news"), None, None);
    let signed = object(&[
        ("email", s("ann@example.com")),
        ("expires", wasm_bindgen::JsValue::from_f64(1_767_225_600.0)),
        ("signature", s("ab12")),
    ]);
    widget.call([s("identify"), signed].iter().collect());
    // 42 was seen before support's answer; 43 as it is.
    mark_seen(
        &widget.api,
        TicketId(42),
        Date::parse("2026-11-21T10:00:00Z"),
    );
    mark_seen(
        &widget.api,
        TicketId(43),
        Date::parse("2026-11-21T10:30:00Z"),
    );
    // The watch, asking as the widget loads, sees the one.
    until("the badge", || widget.shell.unread.get_untracked() == 1).await;
    widget.call([s("open")].iter().collect());
    tick().await;
    page.wait_for("reply-input").await;
    assert_eq!(
        page.get("tab-history")
            .get_attribute("aria-selected")
            .as_deref(),
        Some("true"),
        "one unread ticket: its thread"
    );
    until("seen", || widget.shell.unread.get_untracked() == 0).await;

    // Closed, both answered again: "My tickets", which counts them.
    widget.call([s("close")].iter().collect());
    tick().await;
    proxy.answer("tickets_list.php", 200, two_tickets("2026-11-22T10:00:00Z"));
    widget.shell.set_unread(vec![TicketId(42), TicketId(43)]);
    widget.call([s("open")].iter().collect());
    tick().await;
    page.wait_for("ticket-unread-43").await;
    let tab = page.get("tab-history");
    assert_eq!(tab.get_attribute("data-count").as_deref(), Some("2"));
    assert_eq!(
        tab.get_attribute("aria-label").as_deref(),
        Some("My tickets, 2 unread replies")
    );
}

#[test]
async fn a_thread_opens_at_its_first_new_reply_and_keeps_the_focus_after_a_reply() {
    let proxy = FakeProxy::install();
    proxy
        .answer("ticket_view.php", 200, thread_with_news())
        .answer("ticket_reply.php", 201, json!({"reply_id": 10}));
    let api = ann(&fresh_base("first-new"));
    // Seen up to the visitor's own "Thanks!".
    mark_seen(&api, TicketId(42), Date::parse("2026-11-21T11:00:00Z"));
    let page = Page::new();
    let _thread = leptos::mount::mount_to(page.root.clone(), {
        let api = api.clone();
        move || {
            provide_context(api);
            provide_context(PollEvery {
                thread: Duration::from_secs(3600),
                list: Duration::from_secs(3600),
                unread: Duration::from_secs(3600),
            });
            let none = Callback::new(|()| ());
            chunks::thread(TicketId(42), none, none, None)
        }
    });
    let divider = page.wait_for("new-divider").await;
    let next = divider.next_element_sibling().expect("a message after it");
    assert_eq!(
        next.text_content()
            .map(|t| t.contains("It arrives tomorrow.")),
        Some(true),
        "the divider sits above the reply not seen yet"
    );
    assert_eq!(
        page.get("thread-facts").text_content().as_deref(),
        Some("Order numberA-1"),
        "empty fields say nothing"
    );

    page.type_into("reply-input", "Great, thanks!").await;
    page.click("reply-send").await;
    until("the reply is sent", || {
        proxy.calls_to("ticket_reply.php").len() == 1
    })
    .await;
    until("focus in the reply box", || {
        focused().as_deref() == Some("reply-input")
    })
    .await;
}

#[test]
async fn a_failed_submit_focuses_the_first_field_to_fix_and_the_site_chooses_the_fields() {
    let proxy = FakeProxy::install();
    standard_answers(&proxy).answer(
        "ticket_custom_fields.php",
        200,
        json!({"fields": [
            {"id": 1, "name": "Order number", "type": "text", "required": true, "options": []},
        ], "ask": ["name", "category"]}),
    );
    let page = Page::new();
    let widget = crate::mount(page.root.clone(), fresh_base("focus-first"), None, None);
    widget.call([wasm_bindgen::JsValue::from_str("open")].iter().collect());
    page.wait_for("field-custom-1").await;
    let form = page
        .get("field-email")
        .closest("form")
        .ok()
        .flatten()
        .expect("the form");
    assert_eq!(
        form.get_attribute("data-ask").as_deref(),
        Some("name category "),
        "the stylesheet hides company and priority"
    );

    page.type_into("field-subject", "Where is my order?").await;
    page.click("submit-ticket").await;
    page.wait_for("error-user_email").await;
    until("focus on the email", || {
        focused().as_deref() == Some("field-email")
    })
    .await;
    assert!(
        page.has("form-error"),
        "the summary stays for screen readers"
    );
    page.type_into("field-email", "ann@example.com").await;
    page.click("submit-ticket").await;
    until("focus on the message", || {
        focused().as_deref() == Some("field-message")
    })
    .await;
}

#[test]
async fn an_empty_history_leads_to_the_form() {
    let proxy = FakeProxy::install();
    standard_answers(&proxy).answer("tickets_list.php", 200, json!({"tickets": []}));
    let page = Page::new();
    let widget = crate::mount(page.root.clone(), fresh_base("empty-way-out"), None, None);
    widget.call([wasm_bindgen::JsValue::from_str("open")].iter().collect());
    tick().await;
    page.click("tab-history").await;
    page.click("empty-new-ticket").await;
    assert_eq!(
        page.get("tab-new")
            .get_attribute("aria-selected")
            .as_deref(),
        Some("true")
    );
}
