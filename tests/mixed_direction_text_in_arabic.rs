//! An Arabic page: the widget is laid out right to left, and a visitor writes in English, as
//! many do. Her subject and message keep their own direction (the question mark after "order",
//! not before "Where"), in the form, in "My tickets" and in the thread; support's Arabic answer
//! reads right to left beside them.

use helpdock_e2e::screenshots;
use helpdock_e2e::{DemoStack, Widget, with_browser};
use std::sync::Arc;

const STORY: &str = "mixed_direction_text_in_arabic";

/// The direction the browser gives the first element `testid`, and whether it is the same as
/// the panel's (which is right to left).
async fn direction(w: &Widget, testid: &str) -> String {
    w.eval(&format!(
        "const el = $('{testid}'); return el ? getComputedStyle(el).direction + (el.matches(':dir(rtl)') ? '/rtl' : '/ltr') : 'missing';"
    ))
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

#[tokio::test]
async fn english_in_an_arabic_widget_keeps_its_direction() {
    let stack = Arc::new(DemoStack::start());
    let url = stack.url.clone();
    let helpdesk = stack.clone();
    with_browser(move |client| async move {
        client.goto(&url).await.expect("open the host page");
        let w = Widget::new(&client);
        w.find("launcher").await;
        client
            .execute("Helpdock('setLocale', 'ar'); Helpdock('open');", vec![])
            .await
            .expect("Helpdock('setLocale', 'ar')");
        w.find("field-custom-1").await;
        assert_eq!(direction(&w, "panel").await, "rtl/rtl");

        w.fill(&[
            ("field-email", "zaid@example.com"),
            ("field-subject", "Where is my order?"),
            ("field-message", "Order A-1001 (3 bags) hasn't arrived!"),
            ("field-custom-1", "A-1001"),
        ])
        .await;
        for typed in ["field-subject", "field-message"] {
            assert_eq!(direction(&w, typed).await, "ltr/ltr", "{typed} as typed");
        }
        screenshots::save(&client, STORY, "form-english-in-arabic").await;
        w.submit_ticket().await;
        let id = w.created_ticket_id().await;
        helpdesk.add_reply(&id, true, "شكرا! طلبك في الطريق.");

        w.click("tab-history").await;
        w.wait_for_text(&format!("ticket-row-{id}"), "Where is my order?").await;
        let subject = w
            .eval(&format!(
                "const el = $('ticket-row-{id}').querySelector('[dir=auto]');
                 return getComputedStyle(el).direction;"
            ))
            .await;
        assert_eq!(subject, "ltr", "the row's subject keeps its direction");
        screenshots::save(&client, STORY, "my-tickets-english-in-arabic").await;

        w.click(&format!("ticket-row-{id}")).await;
        let messages = w.wait_for_count("thread-message", 2).await;
        assert!(messages[1].contains("شكرا"), "{messages:?}");
        let subject = w
            .eval("return getComputedStyle($('thread-subject').querySelector('[dir=auto]')).direction;")
            .await;
        assert_eq!(subject, "ltr", "the thread's subject keeps its direction");
        let bodies = w
            .eval(
                "return [...root.querySelectorAll('[data-testid=thread-message] .hd-msg-body')]
                   .map(el => getComputedStyle(el).direction);",
            )
            .await;
        assert_eq!(bodies, serde_json::json!(["ltr", "rtl"]), "each message its own");
        // The question mark ends the English subject on screen: right of "order", as typed.
        let order = w
            .eval(
                "const el = $('thread-subject').querySelector('[dir=auto]'), range = document.createRange();
                 const text = [...el.childNodes].find(n => n.nodeType === Node.TEXT_NODE);
                 const at = i => { range.setStart(text, i); range.setEnd(text, i + 1); return range.getBoundingClientRect().left; };
                 const s = text.textContent;
                 return at(s.indexOf('?')) > at(s.indexOf('W'));",
            )
            .await;
        assert_eq!(order, true, "\"?Where is my order\" is what the issue saw");
        screenshots::save(&client, STORY, "thread-mixed-directions").await;
    })
    .await;
}
