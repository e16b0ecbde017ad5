//! The thread: reply drafts per ticket, exactly-once replies, polling that ends with the thread.

use super::*;
use crate::identity::Identity;
use crate::test_support::{
    FakeProxy, Page, back_online, events, fresh_base, idempotency_keys, recording_shell, thread_42,
    tick, until,
};
use serde_json::json;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test as test;

fn verified_api(test: &str) -> Api {
    let api = Api::new(&fresh_base(test), None);
    api.set_identity(Identity::new("ann@example.com", None, None, "ab12").ok());
    api
}

/// Ticket `id`'s thread inside `shell`, polling every `every`.
fn thread(
    page: &Page,
    api: &Api,
    shell: &Shell,
    id: u64,
    every: Duration,
) -> leptos::mount::UnmountHandle<impl Mountable + use<>> {
    let (api, shell) = (api.clone(), shell.clone());
    // Polls run while the panel is open.
    shell.open.set(true);
    leptos::mount::mount_to(page.root.clone(), move || {
        provide_context(api);
        provide_context(shell);
        provide_context(PollEvery {
            thread: every,
            list: every,
            unread: every,
        });
        let none = Callback::new(|()| ());
        ticket_thread(TicketId(id), none, none, None)
    })
}

const SLOW: Duration = Duration::from_secs(3600);

fn reply_box(page: &Page) -> String {
    page.get("reply-input")
        .dyn_into::<web_sys::HtmlTextAreaElement>()
        .map(|area| area.value())
        .unwrap_or_default()
}

#[test]
async fn each_ticket_keeps_its_own_reply_draft() {
    let proxy = FakeProxy::install();
    proxy.answer("ticket_view.php", 200, thread_42());
    let api = verified_api("reply-drafts");
    let shell = Shell::new(None);
    let page = Page::new();

    let first = thread(&page, &api, &shell, 42, SLOW);
    page.wait_for("reply-input").await;
    page.type_into("reply-input", "About 42").await;
    drop(first);
    let other = thread(&page, &api, &shell, 43, SLOW);
    page.wait_for("reply-input").await;
    assert_eq!(reply_box(&page), "");
    page.type_into("reply-input", "About 43").await;
    drop(other);
    let _again = thread(&page, &api, &shell, 42, SLOW);
    page.wait_for("reply-input").await;
    until("the draft", || reply_box(&page) == "About 42").await;
    assert!(proxy.calls_to("ticket_reply.php").is_empty());
}

#[test]
async fn a_reply_sent_offline_goes_when_back_online_under_the_same_key() {
    let proxy = FakeProxy::install();
    proxy
        .answer("ticket_view.php", 200, thread_42())
        .go_offline("ticket_reply.php");
    let api = verified_api("reply-offline");
    let shell = recording_shell();
    let page = Page::new();
    let _thread = thread(&page, &api, &shell, 42, SLOW);
    page.wait_for("reply-input").await;
    page.type_into("reply-input", "Thanks!").await;
    page.click("reply-send").await;
    page.wait_for("reply-pending").await;
    assert_eq!(reply_box(&page), "Thanks!", "never lost");

    proxy.answer("ticket_reply.php", 201, json!({"reply_id": 8}));
    back_online();
    until("the reply", || {
        proxy.calls_to("ticket_reply.php").len() == 2 && reply_box(&page).is_empty()
    })
    .await;
    let keys = idempotency_keys(&proxy, "ticket_reply.php");
    assert!(keys[0].len() == 32 && keys[0] == keys[1], "{keys:?}");
    assert!(!page.has("reply-pending"));
    assert!(drafts::load(&api, "reply-42").is_none());
    assert_eq!(
        events(),
        [(
            "replySent".to_owned(),
            json!({"ticketId": 42, "replyId": 8})
        )]
    );
}

#[test]
async fn polling_ends_with_the_thread() {
    let proxy = FakeProxy::install();
    proxy.answer("ticket_view.php", 200, thread_42());
    let api = verified_api("poll-thread");
    let page = Page::new();
    let mounted = thread(
        &page,
        &api,
        &Shell::new(None),
        42,
        Duration::from_millis(30),
    );
    until("a few polls", || {
        proxy.calls_to("ticket_view.php").len() >= 3
    })
    .await;
    drop(mounted);
    let asked = proxy.calls_to("ticket_view.php").len();
    for _ in 0..15 {
        tick().await;
    }
    assert_eq!(proxy.calls_to("ticket_view.php").len(), asked);
}

#[test]
async fn polling_slows_down_after_errors() {
    let proxy = FakeProxy::install();
    proxy.answer("ticket_view.php", 200, thread_42());
    let api = verified_api("poll-backoff");
    let page = Page::new();
    let _thread = thread(
        &page,
        &api,
        &Shell::new(None),
        42,
        Duration::from_millis(20),
    );
    page.wait_for("reply-input").await;
    proxy.answer(
        "ticket_view.php",
        502,
        json!({"code": "upstream_unavailable", "message": "Down."}),
    );
    let start = proxy.calls_to("ticket_view.php").len();
    for _ in 0..30 {
        tick().await;
    }
    // About 300 ms: 15 asks at an even pace; doubling waits (20, 40, 80, 160 ms) allow ~4.
    let asked = proxy.calls_to("ticket_view.php").len() - start;
    assert!((1..=6).contains(&asked), "{asked}");
    assert!(
        page.has("reply-input"),
        "a failed poll leaves the thread on screen"
    );
}

#[test]
async fn a_conflict_says_an_earlier_version_arrived_and_sending_again_is_a_new_reply() {
    let proxy = FakeProxy::install();
    proxy.answer("ticket_view.php", 200, thread_42()).answer(
        "ticket_reply.php",
        409,
        json!({"code": "idempotency_conflict", "message": "Key reused."}),
    );
    let api = verified_api("reply-conflict");
    let page = Page::new();
    let _thread = thread(&page, &api, &Shell::new(None), 42, SLOW);
    page.wait_for("reply-input").await;
    page.type_into("reply-input", "Second try").await;
    page.click("reply-send").await;
    page.wait_for("reply-error").await;
    assert!(
        page.text("reply-error").contains("earlier version"),
        "{}",
        page.text("reply-error")
    );
    assert_eq!(reply_box(&page), "Second try", "kept");

    proxy.answer("ticket_reply.php", 201, json!({"reply_id": 9}));
    page.click("reply-send").await;
    until("the reply", || reply_box(&page).is_empty()).await;
    let keys = idempotency_keys(&proxy, "ticket_reply.php");
    assert!(keys.len() == 2 && keys[0] != keys[1], "{keys:?}");
}

#[test]
async fn no_polls_while_the_panel_is_closed() {
    let proxy = FakeProxy::install();
    proxy.answer("ticket_view.php", 200, thread_42());
    let api = verified_api("poll-closed");
    let shell = Shell::new(None);
    let page = Page::new();
    let _thread = thread(&page, &api, &shell, 42, Duration::from_millis(20));
    until("a few polls", || {
        proxy.calls_to("ticket_view.php").len() >= 3
    })
    .await;
    shell.open.set(false);
    tick().await;
    let asked = proxy.calls_to("ticket_view.php").len();
    for _ in 0..10 {
        tick().await;
    }
    assert_eq!(proxy.calls_to("ticket_view.php").len(), asked);
    shell.open.set(true);
    until("asked again at once", || {
        proxy.calls_to("ticket_view.php").len() > asked
    })
    .await;
}
