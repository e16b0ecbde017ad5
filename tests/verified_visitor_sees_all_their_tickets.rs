//! A customer files a ticket as a guest on one device. Later, signed in to the shop (whose backend
//! signs her email for Helpdock), she sees that ticket and the new one she files, with her email
//! filled in and locked, opens the old one and replies. A name-as-email ticket filed by someone
//! else never shows up in her list.

use fantoccini::{Client, Locator};
use helpdock_e2e::widget::save_screenshot;
use helpdock_e2e::{DemoStack, Widget, with_browser};

const ANN: &str = "ann.verified@example.com";

async fn file_ticket(w: &Widget, subject: &str, email: Option<&str>) -> String {
    w.click("tab-new").await;
    w.type_into("field-subject", subject).await;
    w.type_into("field-message", &format!("About: {subject}"))
        .await;
    if let Some(email) = email {
        w.type_into("field-email", email).await;
    }
    w.type_into("field-custom-1", "ORD-3003").await;
    w.submit_ticket().await;
    w.created_ticket_id().await
}

async fn sign_in(client: &Client, email: &str) {
    let input = client
        .find(Locator::Id("demo-signin-email"))
        .await
        .expect("shop sign-in field");
    input.clear().await.expect("clear");
    input.send_keys(email).await.expect("type email");
    client
        .find(Locator::Id("demo-signin"))
        .await
        .expect("sign-in button")
        .click()
        .await
        .expect("sign in");
}

#[tokio::test]
async fn a_signed_in_customer_sees_every_ticket_of_her_email_and_only_those() {
    let stack = DemoStack::start();
    let url = stack.url.clone();

    // Device 1: Ann as a guest; and a stranger who puts Ann's email in the *name* field.
    let (u, guest_ticket) = (
        url.clone(),
        std::sync::Arc::new(std::sync::Mutex::new(String::new())),
    );
    let g = guest_ticket.clone();
    with_browser(move |client| async move {
        client.goto(&u).await.expect("open the host page");
        let w = Widget::new(&client);
        w.click("launcher").await;
        *g.lock().expect("lock") = file_ticket(&w, "Beans arrived stale", Some(ANN)).await;
        client
            .execute("localStorage.clear()", vec![])
            .await
            .expect("forget the guest pass");
        client.refresh().await.expect("reload");
        w.click("launcher").await;
        w.type_into("field-name", ANN).await;
        w.type_into("field-subject", "Not Ann's business").await;
        w.type_into("field-message", "Listing her tickets by name")
            .await;
        w.type_into("field-email", "mallory@example.com").await;
        w.type_into("field-custom-1", "ORD-6666").await;
        w.submit_ticket().await;
        w.wait_for_text("error-name", "not an email").await;
    })
    .await;
    let guest_ticket = guest_ticket.lock().expect("lock").clone();

    // Device 2: Ann signed in. No guest pass here; the signature is her identity.
    with_browser(move |client| async move {
        client.goto(&url).await.expect("open the host page");
        sign_in(&client, ANN).await;
        let w = Widget::new(&client);
        w.click("launcher").await;
        let email = w.wait_for_value("field-email", ANN).await;
        assert!(
            email.attr("readonly").await.expect("attr").is_some(),
            "a verified email is locked"
        );
        let new_ticket = file_ticket(&w, "Second grinder question", None).await;

        w.click("tab-history").await;
        w.wait_for_text(
            &format!("ticket-row-{new_ticket}"),
            "Second grinder question",
        )
        .await;
        w.wait_for_text(&format!("ticket-row-{guest_ticket}"), "Beans arrived stale")
            .await;
        let rows = w.all("ticket-list").await;
        let listed = rows[0].text().await.expect("list text");
        assert!(
            !listed.contains("Not Ann's business"),
            "someone else's ticket is listed: {listed}"
        );
        save_screenshot(&client, "history").await;

        w.click(&format!("ticket-row-{guest_ticket}")).await;
        w.wait_for_text("thread-subject", "Beans arrived stale")
            .await;
        w.type_into("reply-input", "Signed in now, any update?")
            .await;
        w.click("reply-send").await;
        let messages = w.wait_for_count("thread-message", 2).await;
        assert!(
            messages[1].contains("Signed in now, any update?"),
            "{messages:?}"
        );
    })
    .await;
    drop(stack);
}
