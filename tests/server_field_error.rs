//! The helpdesk's admin makes the optional "Plan" field required while a visitor is filling the
//! form. The widget cannot know (its field list says optional), so the send is refused by the
//! server: the error lands next to "Plan", marked `aria-invalid`, announced, and nothing the
//! visitor typed is lost. Choosing a plan then files the ticket, once.

use fantoccini::Client;
use helpdock_e2e::widget::FIND_ROOT;
use helpdock_e2e::{DemoStack, Widget, with_browser};
use serde_json::Value;
use std::sync::Arc;

/// The seeded optional select field "Plan" (custom field 2).
const PLAN: &str = "field-custom-2";
const PLAN_ERROR: &str = "error-custom_fields.2";

/// Whether the error line `error` sits in the same field box as the control `control`, and
/// whether an `aria-live` region or `role=alert` announces it.
async fn error_placement(client: &Client, error: &str, control: &str) -> (bool, bool) {
    let script = format!(
        "{FIND_ROOT}
         const error = root.querySelector('[data-testid=\"{error}\"]');
         const control = root.querySelector('[data-testid=\"{control}\"]');
         if (!error || !control) return [false, false];
         const box = control.closest('.hd-field') || control.parentElement;
         const described = (control.getAttribute('aria-describedby') || '').split(/\\s+/)
           .some(id => id && root.getElementById(id) === error);
         const announced = !!error.closest('[aria-live], [role=alert], [role=status]')
           || !!root.querySelector('[role=alert], [aria-live=assertive], [aria-live=polite]');
         return [box.contains(error) || described, announced];"
    );
    let found = client
        .execute(&script, vec![])
        .await
        .expect("look at the error");
    (found[0] == Value::Bool(true), found[1] == Value::Bool(true))
}

#[tokio::test]
async fn a_field_error_only_the_server_knows_lands_on_its_field_and_keeps_the_draft() {
    let stack = Arc::new(DemoStack::start());
    let url = stack.url.clone();
    let admin = stack.clone();
    with_browser(move |client| async move {
        client.goto(&url).await.expect("open the host page");
        let w = Widget::new(&client);
        w.click("launcher").await;
        w.find(PLAN).await;
        let typed = [
            ("field-email", "cy@example.com"),
            ("field-name", "Cy Park"),
            ("field-subject", "Subscription question"),
            ("field-message", "Can I pause my plan?"),
            ("field-custom-1", "ORD-5005"),
        ];
        w.fill(&typed).await;

        // The admin changes the helpdesk after the form was loaded.
        admin.helpdesk_sql("UPDATE custom_fields SET required = 1 WHERE id = 2");
        w.submit_ticket().await;

        let message = w.wait_for_text(PLAN_ERROR, "").await;
        assert!(!message.trim().is_empty(), "the error says what is wrong");
        let plan = w.find(PLAN).await;
        assert_eq!(
            plan.attr("aria-invalid")
                .await
                .expect("aria-invalid")
                .as_deref(),
            Some("true"),
            "the refused field is marked invalid"
        );
        let (beside, announced) = error_placement(&client, PLAN_ERROR, PLAN).await;
        assert!(beside, "the error is shown with the Plan field");
        assert!(announced, "the error is announced to screen readers");
        for (id, _) in typed.iter().filter(|(id, _)| *id != "field-custom-1") {
            let el = w.find(id).await;
            assert_eq!(
                el.attr("aria-invalid")
                    .await
                    .expect("aria-invalid")
                    .as_deref(),
                Some("false"),
                "{id} did nothing wrong"
            );
        }
        for (id, text) in typed {
            w.wait_for_value(id, text).await;
        }
        assert!(
            w.all("ticket-created").await.is_empty(),
            "nothing was filed"
        );
        assert_eq!(
            admin
                .helpdesk_sql("SELECT count(*) FROM tickets")
                .as_deref(),
            Some("0")
        );

        w.choose(PLAN, "Pro").await;
        w.submit_ticket().await;
        w.find("created-ticket-id").await;
        assert_eq!(
            admin
                .helpdesk_sql("SELECT count(*) FROM tickets")
                .as_deref(),
            Some("1")
        );
    })
    .await;
    drop(stack);
}
