//! A visitor who uses only the keyboard: Tab reaches the launcher, Enter opens the dialog and the
//! focus moves into it and stays there; she files a ticket, finds it under "My tickets", opens its
//! thread and replies, all with Tab, Enter, Space and arrows; Esc closes the dialog and the focus
//! is back on the launcher. No click anywhere.

use fantoccini::key::Key;
use helpdock_e2e::{DemoStack, Keyboard, Widget, with_browser};
use std::time::Duration;

/// The proxy refuses a form sent faster than a person fills one.
const HUMAN_FILL: Duration = Duration::from_millis(2500);

#[tokio::test]
async fn create_find_and_reply_with_the_keyboard_alone() {
    let stack = DemoStack::start();
    let url = stack.url.clone();
    with_browser(move |client| async move {
        client.goto(&url).await.expect("open the host page");
        let w = Widget::new(&client);
        let keys = Keyboard::new(&client);
        w.find("launcher").await;

        // From the top of the page, Tab through the shop to the launcher.
        keys.tab_to("launcher", false).await;
        keys.press(Key::Enter).await;
        w.find("panel").await;
        w.find("field-custom-1").await;
        keys.assert_focus_in_panel("opening the widget").await;

        let started = std::time::Instant::now();
        for (id, text) in [
            ("field-email", "kay@example.com"),
            ("field-subject", "Typed without a mouse"),
            ("field-message", "Every key counts."),
            ("field-custom-1", "ORD-1111"),
        ] {
            keys.tab_to(id, true).await;
            keys.type_text(text).await;
            w.wait_for_value(id, text).await;
        }
        // A select by arrows: the second plan.
        keys.tab_to("field-custom-2", true).await;
        keys.press(Key::Down).await;
        keys.press(Key::Down).await;
        w.wait_for_value("field-custom-2", "Pro").await;

        tokio::time::sleep_until((started + HUMAN_FILL).into()).await;
        keys.tab_to("submit-ticket", true).await;
        keys.press(Key::Space).await;
        let id = w.created_ticket_id().await;
        keys.assert_focus_in_panel("sending the ticket (the form became the confirmation)")
            .await;

        // "My tickets": by Tab, or by arrow keys inside the tab list.
        keys.tab_to("tab-new", true).await;
        keys.press(Key::Right).await;
        if keys.focused().await.name != "tab-history" {
            keys.tab_to("tab-history", true).await;
        }
        keys.press(Key::Enter).await;
        let row = format!("ticket-row-{id}");
        w.wait_for_text(&row, "Typed without a mouse").await;
        keys.tab_to(&row, true).await;
        keys.press(Key::Enter).await;
        w.wait_for_text("thread-subject", "Typed without a mouse")
            .await;
        keys.assert_focus_in_panel("opening a ticket (the list became its thread)")
            .await;

        keys.tab_to("reply-input", true).await;
        keys.type_text("Replying by keyboard too.").await;
        keys.tab_to("reply-send", true).await;
        keys.press(Key::Enter).await;
        let messages = w.wait_for_count("thread-message", 2).await;
        assert!(
            messages[1].contains("Replying by keyboard too."),
            "the reply is shown last: {messages:?}"
        );
        keys.assert_focus_in_panel("sending a reply").await;

        // The focus is trapped: a full lap of Tab never leaves the open dialog.
        for _ in 0..30 {
            keys.press(Key::Tab).await;
            let focus = keys.focused().await;
            assert!(focus.in_widget, "Tab left the open dialog for {focus:?}");
        }
        for _ in 0..30 {
            keys.press_shifted(Key::Tab).await;
            let focus = keys.focused().await;
            assert!(
                focus.in_widget,
                "Shift+Tab left the open dialog for {focus:?}"
            );
        }

        keys.press(Key::Escape).await;
        w.wait_for_hidden("panel").await;
        keys.assert_focus_on("launcher", "after Esc").await;
    })
    .await;
    drop(stack);
}
