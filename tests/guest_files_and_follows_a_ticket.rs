//! A guest (nobody signed in) on a shop page opens Helpdock, files a ticket with a custom field
//! on the shop's lean form, reloads the page, still finds it under "My tickets" (the guest pass is
//! kept), opens its thread and replies.

use helpdock_e2e::widget::save_screenshot;
use helpdock_e2e::{DemoStack, Widget, with_browser};

#[tokio::test]
async fn guest_files_a_ticket_then_follows_and_replies_to_it_after_a_reload() {
    let stack = DemoStack::start();
    let url = stack.url.clone();
    with_browser(move |client| async move {
        client.goto(&url).await.expect("open the host page");
        let w = Widget::new(&client);

        w.click("launcher").await;
        w.find("panel").await;
        w.type_into("field-subject", "Grinder arrived broken").await;
        w.type_into(
            "field-message",
            "The burr is cracked.\nCan you send a new one?",
        )
        .await;
        w.type_into("field-email", "ann@example.com").await;
        w.type_into("field-name", "Ann Lee").await;
        // The seeded custom fields: 1 "Order number" (required text), 2 "Plan" (select).
        w.type_into("field-custom-1", "ORD-1001").await;
        w.choose("field-custom-2", "Pro").await;
        save_screenshot(&client, "form").await;
        w.submit_ticket().await;

        let id = w.created_ticket_id().await;
        save_screenshot(&client, "confirmation").await;

        // A new page load: the widget starts afresh, the guest pass in localStorage remains.
        client.refresh().await.expect("reload the host page");
        w.click("launcher").await;
        w.click("tab-history").await;
        w.wait_for_text(&format!("ticket-row-{id}"), "Grinder arrived broken")
            .await;
        w.wait_for_text(&format!("ticket-status-{id}"), "Open")
            .await;
        w.click(&format!("ticket-row-{id}")).await;

        w.wait_for_text("thread-subject", "Grinder arrived broken")
            .await;
        let messages = w.wait_for_count("thread-message", 1).await;
        assert!(
            messages[0].contains("The burr is cracked."),
            "thread starts with the message: {messages:?}"
        );
        assert!(messages[0].contains("Can you send a new one?"));

        w.type_into("reply-input", "Order number is ORD-1001, thanks!")
            .await;
        w.click("reply-send").await;
        let messages = w.wait_for_count("thread-message", 2).await;
        assert!(
            messages[1].contains("Order number is ORD-1001, thanks!"),
            "reply shown last: {messages:?}"
        );
        save_screenshot(&client, "thread").await;
    })
    .await;
    drop(stack);
}
