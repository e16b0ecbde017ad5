//! The form's drafts: kept as typed, restored after a reload, sent exactly once, prefilled.

use super::*;
use crate::drafts;
use crate::shell::Prefill;
use crate::test_support::{
    FakeProxy, Page, back_online, events, fresh_base, idempotency_keys, recording_shell,
    standard_answers,
};
use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test as test;
use web_sys::HtmlSelectElement;

/// The form as a guest, inside `shell`, as a page load would mount it.
fn form(
    page: &Page,
    api: &Api,
    shell: &Shell,
) -> leptos::mount::UnmountHandle<impl Mountable + use<>> {
    let (api, shell) = (api.clone(), shell.clone());
    leptos::mount::mount_to(page.root.clone(), move || {
        provide_context(api);
        provide_context(shell);
        ticket_form(Callback::new(|_| ()))
    })
}

fn value(page: &Page, testid: &str) -> String {
    let element = page.get(testid);
    match element.dyn_ref::<HtmlSelectElement>() {
        Some(select) => select.value(),
        None => element
            .dyn_ref::<web_sys::HtmlTextAreaElement>()
            .map(|area| area.value())
            .unwrap_or_else(|| page.input(testid).value()),
    }
}

async fn fill_valid_ticket(page: &Page) {
    page.wait_for("field-custom-1").await;
    page.type_into("field-email", "ann@example.com").await;
    page.type_into("field-subject", "Where is my order?").await;
    page.type_into("field-message", "It has been two weeks.")
        .await;
    page.type_into("field-custom-1", "A-1001").await;
}

fn stored_key(api: &Api) -> Option<String> {
    drafts::load(api, "ticket").and_then(|d| drafts::text(&d, "key"))
}

#[test]
async fn what_is_typed_is_kept_and_comes_back_after_a_reload() {
    let proxy = FakeProxy::install();
    standard_answers(&proxy);
    let api = Api::new(&fresh_base("draft-reload"), None);
    let shell = Shell::new(None);
    let page = Page::new();
    let mounted = form(&page, &api, &shell);
    page.wait_for("field-custom-2").await;
    let category: HtmlSelectElement = page.get("field-category").unchecked_into();
    crate::test_support::until("the categories", || category.length() > 1).await;
    assert!(
        drafts::load(&api, "ticket").is_none(),
        "nothing stored on mount"
    );

    page.type_into("field-email", "ann@example.com").await;
    page.type_into("field-subject", "Half a thought").await;
    page.type_into("field-message", "It began on Monday.").await;
    page.type_into("field-custom-1", "A-1001").await;
    page.type_into("field-custom-2", "Pro").await;
    page.type_into("field-category", "1").await;
    page.type_into("field-priority", "high").await;
    drop(mounted);

    let _again = form(&page, &api, &shell);
    page.wait_for("field-custom-2").await;
    let expected = [
        ("field-email", "ann@example.com"),
        ("field-subject", "Half a thought"),
        ("field-message", "It began on Monday."),
        ("field-custom-1", "A-1001"),
        ("field-custom-2", "Pro"),
        ("field-category", "1"),
        ("field-priority", "high"),
    ];
    for (testid, typed) in expected {
        crate::test_support::until(testid, || value(&page, testid) == typed).await;
    }
    assert!(proxy.calls_to("tickets_create.php").is_empty());
}

#[test]
async fn an_unanswered_send_goes_again_under_the_same_key_until_confirmed() {
    let proxy = FakeProxy::install();
    standard_answers(&proxy).go_offline("tickets_create.php");
    let api = Api::new(&fresh_base("draft-offline"), None);
    let shell = recording_shell();
    let page = Page::new();
    let mounted = form(&page, &api, &shell);
    fill_valid_ticket(&page).await;
    page.click("submit-ticket").await;
    page.wait_for("form-pending").await;
    assert!(!page.has("form-error"));
    assert!(stored_key(&api).is_some(), "the key is kept with the draft");

    // Back online, still no answer: the same key again.
    back_online();
    crate::test_support::until("the second send", || {
        proxy.calls_to("tickets_create.php").len() == 2
    })
    .await;
    // A reload with the send still pending: the form sends it again by itself.
    drop(mounted);
    proxy.answer(
        "tickets_create.php",
        201,
        json!({"ticket_id": 42, "guest_pass": "pass-1"}),
    );
    let mounted = form(&page, &api, &shell);
    page.wait_for("ticket-created").await;

    let keys = idempotency_keys(&proxy, "tickets_create.php");
    assert_eq!(keys.len(), 3, "{keys:?}");
    assert!(
        keys[0].len() == 32 && keys.iter().all(|k| *k == keys[0]),
        "{keys:?}"
    );
    assert!(drafts::load(&api, "ticket").is_none(), "confirmed: gone");
    assert_eq!(
        events(),
        [("ticketCreated".to_owned(), json!({"id": 42}))],
        "the host page hears of it once"
    );
    drop(mounted);
    let _fresh = form(&page, &api, &shell);
    page.wait_for("field-custom-1").await;
    assert_eq!(value(&page, "field-subject"), "");
}

#[test]
async fn a_refused_ticket_keeps_its_draft_and_an_edit_goes_under_a_new_key() {
    let proxy = FakeProxy::install();
    standard_answers(&proxy).answer(
        "tickets_create.php",
        422,
        json!({"code": "invalid_input", "message": "This field is required.",
               "field": "custom_fields.2", "field_errors": {"custom_fields.2": "This field is required."}}),
    );
    let api = Api::new(&fresh_base("draft-refused"), None);
    let page = Page::new();
    let _form = form(&page, &api, &Shell::new(None));
    fill_valid_ticket(&page).await;
    page.click("submit-ticket").await;

    // The proxy's custom-field error lands under that field, linked to it.
    let error = page.wait_for("error-custom_fields.2").await;
    assert_eq!(
        page.text("error-custom_fields.2"),
        "This field is required."
    );
    let plan = page.get("field-custom-2");
    assert_eq!(plan.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(plan.get_attribute("aria-describedby"), Some(error.id()));
    assert_eq!(
        page.get("form-error").get_attribute("role").as_deref(),
        Some("alert")
    );
    assert_eq!(
        drafts::load(&api, "ticket").and_then(|d| drafts::text(&d, "subject")),
        Some("Where is my order?".into()),
        "kept on failure"
    );
    assert_eq!(
        stored_key(&api),
        None,
        "nothing was filed: the key is dropped"
    );

    assert!(!page.has("form-error-other"), "every error has its field");

    // A field the form does not offer (any more) still gets its word said.
    proxy.answer(
        "tickets_create.php",
        422,
        json!({"code": "invalid_input", "message": "Unknown field.",
               "field": "custom_fields.9", "field_errors": {"custom_fields.9": "Unknown field."}}),
    );
    page.click("submit-ticket").await;
    page.wait_for("form-error-other").await;
    assert_eq!(page.text("form-error-other"), "Unknown field.");

    page.type_into("field-custom-2", "Pro").await;
    proxy.answer("tickets_create.php", 201, json!({"ticket_id": 43}));
    page.click("submit-ticket").await;
    page.wait_for("ticket-created").await;
    let keys = idempotency_keys(&proxy, "tickets_create.php");
    assert_eq!(keys.len(), 3);
    assert!(keys[0] != keys[1] && keys[1] != keys[2], "{keys:?}");
}

#[test]
async fn a_prefill_fills_only_what_the_visitor_left_empty() {
    let proxy = FakeProxy::install();
    standard_answers(&proxy);
    let api = Api::new(&fresh_base("draft-prefill"), None);
    let shell = Shell::new(None);
    let page = Page::new();
    let mounted = form(&page, &api, &shell);
    page.wait_for("field-custom-1").await;
    page.type_into("field-subject", "My own words").await;
    page.type_into("field-custom-1", "A-7").await;
    drop(mounted);

    shell.prefill.set(Some(Prefill {
        subject: Some("From the page".into()),
        message: Some("Hello".into()),
        email: Some("page@example.com".into()),
        priority: Some("high".into()),
        category: Some("billing".into()),
        fields: vec![
            ("Order number".into(), "A-9".into()),
            ("2".into(), "Pro".into()),
        ],
        ..Prefill::default()
    }));
    let _again = form(&page, &api, &shell);
    page.wait_for("field-custom-2").await;
    crate::test_support::until("the prefill", || value(&page, "field-custom-2") == "Pro").await;
    let expected = [
        ("field-subject", "My own words"),
        ("field-custom-1", "A-7"),
        ("field-message", "Hello"),
        ("field-email", "page@example.com"),
        ("field-priority", "high"),
        ("field-category", "1"),
    ];
    for (testid, shown) in expected {
        assert_eq!(value(&page, testid), shown, "{testid}");
    }
}
