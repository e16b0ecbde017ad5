//! "My tickets" as a visitor meets it: who sees what, rows, threads and unread news.

use super::*;
use crate::identity::Identity;
use crate::shell::Shell;
use crate::test_support::{
    FakeProxy, Page, fresh_base, one_ticket, store_guest_pass, stored_guest_pass, thread_42, tick,
    until,
};
use serde_json::json;
use wasm_bindgen_test::wasm_bindgen_test as test;

fn history(page: &Page, api: &Api) -> leptos::mount::UnmountHandle<impl Mountable + use<>> {
    let api = api.clone();
    leptos::mount::mount_to(page.root.clone(), move || {
        provide_context(api);
        ticket_history(RwSignal::new(None), Callback::new(|()| ()))
    })
}

#[test]
async fn with_no_identity_and_no_pass_nothing_is_asked() {
    let proxy = FakeProxy::install();
    let page = Page::new();
    let _history = history(&page, &Api::new(&fresh_base("anonymous"), None));
    let said = page.text("empty-history");
    assert!(
        said.contains("send from this browser") && said.contains("signed in"),
        "{said}"
    );
    tick().await;
    assert!(proxy.calls().is_empty(), "{:?}", proxy.calls());
    assert!(!page.has("history-email") && !page.has("history-load"));
}

#[test]
async fn a_guest_sees_the_pass_tickets_until_the_pass_is_refused() {
    let proxy = FakeProxy::install();
    proxy.answer("tickets_list.php", 200, one_ticket());
    proxy.answer(
        "ticket_view.php",
        401,
        json!({"code": "guest_pass_expired", "message": "Expired."}),
    );
    let base = fresh_base("guest-history");
    store_guest_pass(&base, "pass-1");
    let page = Page::new();
    let _history = history(&page, &Api::new(&base, Some("demo".into())));

    page.wait_for("ticket-row-42").await;
    assert_eq!(page.text("ticket-status-42"), "open");
    let list = &proxy.calls_to("tickets_list.php")[0];
    assert_eq!(
        (list.method.as_str(), list.query.as_str()),
        ("GET", ""),
        "no user_email"
    );
    assert_eq!(list.header("x-helpdock-guest-pass"), Some("pass-1"));
    assert_eq!(list.header("x-helpdock-site"), Some("demo"));

    page.click("ticket-row-42").await;
    page.wait_for("empty-history").await;
    assert_eq!(proxy.calls_to("ticket_view.php")[0].query, "?ticket_id=42");
    assert_eq!(stored_guest_pass(&base), None, "a refused pass is dropped");
}

#[test]
async fn a_verified_visitor_lists_directly_and_an_expired_signature_says_so() {
    let proxy = FakeProxy::install();
    proxy.answer("tickets_list.php", 200, one_ticket());
    let base = fresh_base("verified-history");
    store_guest_pass(&base, "pass-1");
    let api = Api::new(&base, None);
    api.set_identity(Identity::new("ann@example.com", None, None, "ab12").ok());
    let page = Page::new();
    let _history = history(&page, &api);

    page.wait_for("ticket-list").await;
    let list = &proxy.calls_to("tickets_list.php")[0];
    assert_eq!(
        list.header("x-helpdock-identity"),
        Some("email=ann%40example.com&signature=ab12")
    );
    assert!(
        !list.headers.contains_key("x-helpdock-guest-pass"),
        "the identity speaks alone"
    );

    proxy.answer(
        "tickets_list.php",
        401,
        json!({"code": "signature_expired", "message": "Expired."}),
    );
    api.set_identity(Identity::new("ann@example.com", None, Some("1"), "cd34").ok());
    page.wait_for("history-error").await;
    assert!(
        page.text("history-error").contains("session has expired"),
        "{}",
        page.text("history-error")
    );
    assert_eq!(
        stored_guest_pass(&base).as_deref(),
        Some("pass-1"),
        "a guest pass outlives a bad signature"
    );
}

/// An RFC 3339 instant `seconds` before now, as the proxy sends it.
fn seconds_ago(seconds: f64) -> String {
    js_sys::Date::new(&(js_sys::Date::now() - seconds * 1000.0).into())
        .to_iso_string()
        .into()
}

fn verified_history(
    page: &Page,
    test: &str,
) -> leptos::mount::UnmountHandle<impl Mountable + use<>> {
    let api = Api::new(&fresh_base(test), None);
    api.set_identity(Identity::new("ann@example.com", None, None, "ab12").ok());
    history(page, &api)
}

#[test]
async fn rows_say_how_long_ago_a_ticket_changed_in_the_visitors_words() {
    let proxy = FakeProxy::install();
    let mut list = one_ticket();
    list["tickets"][0]["updated_at"] = json!(seconds_ago(180.0));
    list["tickets"]
        .as_array_mut()
        .expect("tickets")
        .push(json!({
            "id": 43, "subject": "Unknown time", "status": "open", "priority": "low",
            "created_at": null, "updated_at": null,
        }));
    proxy.answer("tickets_list.php", 200, list);
    let page = Page::new();
    let _history = verified_history(&page, "relative-time");

    let updated = page.wait_for("ticket-updated-42").await;
    let rtf = js_sys::Intl::RelativeTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    assert_eq!(
        updated.text_content().unwrap_or_default(),
        String::from(rtf.format(-3.0, "minute"))
    );
    assert!(
        page.text("ticket-updated-42").contains('3'),
        "{}",
        page.text("ticket-updated-42")
    );
    assert!(
        updated
            .get_attribute("datetime")
            .is_some_and(|d| d.ends_with('Z'))
    );
    assert!(
        updated
            .get_attribute("title")
            .is_some_and(|t| !t.is_empty()),
        "the exact time on hover"
    );
    assert!(
        page.has("ticket-row-43") && !page.has("ticket-updated-43"),
        "no time rather than a wrong one"
    );
}

#[test]
async fn messages_keep_their_lines_and_link_only_web_addresses() {
    let proxy = FakeProxy::install();
    proxy.answer("tickets_list.php", 200, one_ticket());
    let mut thread = thread_42();
    thread["replies"][0]["message"] = json!(
        "Track it at https://track.example/p?id=7.\nOr (see https://help.example/faq).\n\
         <a href=\"javascript:alert(1)\">click</a> javascript:alert(2) <b>bold</b>"
    );
    thread["ticket"]["created_at"] = json!(null);
    proxy.answer("ticket_view.php", 200, thread);
    let page = Page::new();
    let _history = verified_history(&page, "linkify");

    page.wait_for("ticket-row-42").await;
    page.click("ticket-row-42").await;
    page.wait_for("message-time").await;
    let messages = page.root.get_elements_by_class_name("hd-msg");
    let answer = messages.item(1).expect("the reply");
    let body = answer
        .query_selector(".hd-msg-body")
        .ok()
        .flatten()
        .expect("its body");
    assert_eq!(
        body.text_content().unwrap_or_default(),
        "Track it at https://track.example/p?id=7.\nOr (see https://help.example/faq).\n\
         <a href=\"javascript:alert(1)\">click</a> javascript:alert(2) <b>bold</b>",
        "every character shown as sent, line breaks included"
    );
    let links = body.get_elements_by_tag_name("a");
    let found: Vec<_> = (0..links.length())
        .filter_map(|i| links.item(i))
        .map(|a| {
            (
                a.get_attribute("href"),
                a.get_attribute("target"),
                a.get_attribute("rel"),
            )
        })
        .collect();
    let expected = |href: &str| {
        (
            Some(href.to_owned()),
            Some("_blank".to_owned()),
            Some("noopener noreferrer nofollow".to_owned()),
        )
    };
    assert_eq!(
        found,
        [
            expected("https://track.example/p?id=7"),
            expected("https://help.example/faq")
        ]
    );
    assert!(
        body.query_selector("b").ok().flatten().is_none(),
        "markup stays text"
    );
    let first = messages.item(0).expect("the first message");
    assert!(
        first
            .text_content()
            .is_some_and(|t| t.starts_with("You") && !t.contains('·')),
        "no unknown time"
    );
    let time = page.get("message-time");
    assert_eq!(
        time.get_attribute("datetime").as_deref(),
        Some("2026-11-21T10:30:00Z")
    );
    assert!(
        time.text_content().is_some_and(|t| t.contains("2026")),
        "a localized date and time"
    );
}

#[test]
async fn news_since_a_thread_was_last_seen_counts_as_unread_until_it_is_opened() {
    let proxy = FakeProxy::install();
    let mut list = one_ticket();
    list["tickets"]
        .as_array_mut()
        .expect("tickets")
        .push(json!({
            "id": 43, "subject": "Never opened here", "status": "open", "priority": "low",
            "created_at": "2026-11-21T10:00:00Z", "updated_at": "2026-11-21T10:45:00Z",
        }));
    proxy.answer("tickets_list.php", 200, list);
    proxy.answer("ticket_view.php", 200, thread_42());
    let api = Api::new(&fresh_base("unread"), None);
    api.set_identity(Identity::new("ann@example.com", None, None, "ab12").ok());
    // Ticket 42 was last seen before support's answer of 10:30.
    let before = js_sys::Date::parse("2026-11-21T10:00:00Z");
    crate::unread::mark_seen(&api, TicketId(42), before);
    let shell = Shell::new(None);
    let page = Page::new();
    let _history = leptos::mount::mount_to(page.root.clone(), {
        let (api, shell) = (api.clone(), shell.clone());
        move || {
            provide_context(api);
            provide_context(shell);
            ticket_history(RwSignal::new(None), Callback::new(|()| ()))
        }
    });

    page.wait_for("ticket-unread-42").await;
    until("the count", || shell.unread_tickets() == [TicketId(42)]).await;
    let row = page.get("ticket-row-42");
    assert_eq!(row.get_attribute("data-unread").as_deref(), Some("true"));
    assert!(
        !page.has("ticket-unread-43"),
        "a ticket met for the first time counts as seen"
    );

    page.click("ticket-row-42").await;
    page.wait_for("reply-input").await;
    until("seen", || shell.unread_tickets().is_empty()).await;
    page.click("back-to-list").await;
    page.wait_for("ticket-row-42").await;
    assert!(!page.has("ticket-unread-42"));
}

#[test]
async fn a_reply_names_the_ticket_and_no_email() {
    let proxy = FakeProxy::install();
    proxy.answer("tickets_list.php", 200, one_ticket());
    proxy.answer("ticket_view.php", 200, thread_42());
    proxy.answer("ticket_reply.php", 201, json!({"reply_id": 8}));
    let api = Api::new(&fresh_base("reply"), None);
    api.set_identity(Identity::new("ann@example.com", None, None, "ab12").ok());
    let page = Page::new();
    let _history = history(&page, &api);

    page.wait_for("ticket-row-42").await;
    page.click("ticket-row-42").await;
    page.wait_for("reply-input").await;
    assert_eq!(page.text("thread-subject"), "Where is my order?");
    page.type_into("reply-input", "Thanks!").await;
    page.click("reply-send").await;
    until("the reply", || {
        !proxy.calls_to("ticket_reply.php").is_empty()
    })
    .await;

    let reply = &proxy.calls_to("ticket_reply.php")[0];
    let body: serde_json::Value = serde_json::from_str(&reply.body).expect("JSON body");
    assert_eq!(body, json!({"ticket_id": 42, "message": "Thanks!"}));
    assert!(
        reply
            .headers
            .get("idempotency-key")
            .is_some_and(|k| k.len() == 32)
    );
    assert!(
        proxy
            .calls_to("ticket_view.php")
            .iter()
            .all(|c| c.query == "?ticket_id=42")
    );
}
