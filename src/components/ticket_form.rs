//! "New ticket": the form, checked with the wire rules before it is sent.

mod draft;
#[cfg(test)]
mod draft_tests;
mod submit;

pub use submit::Submit;

use super::confirmation::confirmation;
use super::error_view::error_view;
use super::form_fields::{
    COMPANY, EMAIL, MESSAGE, NAME, SUBJECT, category_select, custom_field_input, priority_select,
    text_input,
};
use crate::api::{Api, ApiError, Findings};
use crate::chunks;
use crate::i18n::use_i18n;
use crate::load::load;
use crate::reactive::{effect, memo};
use crate::sending::DurableSend;
use crate::shell::Shell;
use draft::Draft;
use helpdock_wire::validate::custom_field_key;
use helpdock_wire::{NewTicket, OptionalField, TicketId};
use leptos::ev::{Event, SubmitEvent};
use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::js_sys::Reflect;
use web_sys::{Element, HtmlElement};

thread_local! {
    /// The form element its last submit event named, for focusing the field to fix (a plain cell:
    /// a `NodeRef` would cost the first screen more). The page has one ticket form at a time.
    static SUBMITTED: RefCell<Option<Element>> = const { RefCell::new(None) };
}

/// The ticket form, or the confirmation once a ticket is filed. What the visitor types is kept
/// as a draft ([`crate::drafts`]) until the proxy confirms the ticket; a send that could not
/// reach the proxy goes again, with the same `Idempotency-Key`, when the browser is back online.
pub fn ticket_form(on_show_ticket: Callback<TicketId>) -> impl IntoView {
    let api = expect_context::<Api>();
    let t = use_i18n();
    let shell = use_context::<Shell>();
    let prefill = shell.as_ref().map(|s| s.prefill.clone());
    let identity = memo({
        let api = api.clone();
        move || api.identity()
    });
    let categories = load({
        let api = api.clone();
        move || {
            let api = api.clone();
            async move { api.categories().await }
        }
    });
    let fields = load({
        let api = api.clone();
        move || {
            let api = api.clone();
            async move { api.custom_fields().await }
        }
    });
    let draft = Draft::new();
    let resume = draft.restore(&api);
    let sends = DurableSend::new(draft.key);
    let (sending, waiting, failure) = (sends.sending, sends.waiting, sends.failure);
    // The fields a refusal concerns, found here or by the proxy.
    let errors: Signal<Findings> =
        memo(move || failure.with(|f| f.as_ref().map(ApiError::findings).unwrap_or_default()))
            .into();
    let created = RwSignal::new(None::<TicketId>);
    // A refusal about fields takes the visitor to the first one marked (the summary above the
    // form stays, for screen readers); any other failure, said beside Send, is scrolled into view
    // with it. `failure` notifies on every set, so each Send does.
    effect(move || {
        failure.track();
        if !waiting.get() && failure.with_untracked(Option::is_none) {
            return;
        }
        let form = SUBMITTED.with(|form| form.borrow().clone());
        let about_fields = errors.with_untracked(|e| !e.is_empty());
        // Once the fields show their marks, or the word beside Send is there.
        request_animation_frame(move || {
            let Some(form) = form else { return };
            if !about_fields {
                if let Some(send) = form.last_element_child() {
                    send.scroll_into_view_with_bool(false);
                }
                return;
            }
            let first = form.query_selector("[aria-invalid=true]").ok().flatten();
            if let Some(first) = first.and_then(|f| f.dyn_into::<HtmlElement>().ok()) {
                _ = first.focus();
            }
        });
    });

    // Checked and sent by the send path, a chunk of its own ([`Submit`]).
    let submit = Submit {
        api: api.clone(),
        shell: shell.clone(),
        draft,
        sends,
        fields,
        identity,
        created,
    };
    let send = UnsyncCallback::new(move |()| chunks::submit_ticket(submit.clone()));
    sends.resend_when_online(send);
    if resume {
        // Sent before the page went away, answer unknown: again under its key, once the form
        // knows its fields. The proxy answers the first result if it did arrive.
        let mut done = false;
        effect(move || {
            if !done && fields.get().is_some() {
                send.run(());
                done = true;
            }
        });
    }
    // The host page's prefill, into what the visitor left empty; again when it changes and as
    // categories and fields arrive (they are matched by name too).
    if let Some(prefill) = prefill {
        effect(move || {
            let (known_categories, known_fields) = (categories.get(), fields.get());
            if let Some(prefill) = prefill.get() {
                draft.prefill(
                    &prefill,
                    identity.get_untracked().is_some(),
                    known_categories.and_then(Result::ok).as_ref(),
                    known_fields.and_then(Result::ok).as_ref(),
                );
            }
        });
    }
    // Whether the site's form asks `field`: not until the fields say (so nothing appears and
    // goes), always when they could not be had (the form as it always was).
    let asks = move |field: OptionalField| match fields.get() {
        Some(Ok(known)) => known.asks(field),
        Some(Err(_)) => true,
        None => false,
    };
    // The fields asked, for the stylesheet, which hides the others (cheaper than a view each).
    let ask_words = move || {
        let mut words = String::new();
        for field in OptionalField::ALL.into_iter().filter(|f| asks(*f)) {
            words.push_str(field.as_str());
            words.push(' ');
        }
        words
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form = ev.target().and_then(|t| t.dyn_into().ok());
        SUBMITTED.with(|submitted| *submitted.borrow_mut() = form);
        send.run(());
    };
    // Every control's own handler has updated the draft by the time the event gets here.
    let on_typed = UnsyncCallback::new({
        let api = api.clone();
        move |ev: Event| {
            let id = ev
                .target()
                .and_then(|t| Reflect::get(&t, &JsValue::from_str("id")).ok())
                .and_then(|id| id.as_string());
            if id.as_deref() == Some("hd-priority") {
                draft.priority_chosen.set_value(true);
            }
            draft.save(&api);
        }
    });
    let on_new = Callback::new(move |()| {
        failure.set(None);
        created.set(None);
    });

    // What the proxy said about a field the form does not show (one it no longer offers, say):
    // said here, since no field can carry it.
    let unplaced = move || {
        let shown: Vec<String> = fields
            .get()
            .and_then(Result::ok)
            .map(|f| f.fields.iter().map(|f| custom_field_key(f.id)).collect())
            .unwrap_or_default();
        let messages: Vec<String> = errors.with(|e| {
            let t = t.get();
            e.iter()
                .filter(|(key, _)| {
                    let field = OptionalField::ALL.into_iter().find(|f| f.key() == *key);
                    let placed = match field {
                        Some(field) => asks(field),
                        None => NewTicket::FORM_FIELDS.contains(&key.as_str()),
                    };
                    !placed && !shown.contains(key)
                })
                .map(|(_, finding)| t.finding(finding))
                .collect()
        });
        (!messages.is_empty()).then(|| {
            view! { <p class="hd-alert" role="alert" data-testid="form-error-other">{messages.join(" ")}</p> }
        })
    };

    let about_fields = move || errors.with(|e| !e.is_empty());
    // What the host site vouched for is shown, not typed.
    let signed_email = Some(memo(move || {
        identity.with(|i| i.as_ref().map(|i| i.email().to_owned()))
    }));
    let signed_name = Some(memo(move || {
        identity.with(|i| i.as_ref().and_then(|i| i.name().map(str::to_owned)))
    }));

    let form = move || {
        view! {
            <form class="hd-form" novalidate data-ask=ask_words on:submit=on_submit on:input=move |ev| on_typed.run(ev) on:change=move |ev| on_typed.run(ev)>
                // A refusal about fields is summed up above them; any other is said beside Send.
                {move || failure.get().filter(|_| about_fields()).map(|error| error_view(error, "form-error"))}
                {unplaced}
                {text_input(&EMAIL, draft.email, signed_email, errors)}
                // What the site does not ask (`data-ask`) the stylesheet hides, rows left empty too.
                <div class="hd-row hd-row-who">
                    {text_input(&NAME, draft.name, signed_name, errors)}
                    {text_input(&COMPANY, draft.company, None, errors)}
                </div>
                {text_input(&SUBJECT, draft.subject, None, errors)}
                {text_input(&MESSAGE, draft.message, None, errors)}
                <div class="hd-honeypot" aria-hidden="true">
                    <label>"Website" <input type="text" tabindex="-1" autocomplete="off" bind:value=draft.website/></label>
                </div>
                <div class="hd-row hd-row-sort">
                    {category_select(categories, draft.category, errors)}
                    {priority_select(draft.priority, errors)}
                </div>
                {move || match fields.get() {
                    Some(Ok(known)) => known
                        .fields
                        .into_iter()
                        .map(|field| custom_field_input(field, draft.custom, errors))
                        .collect_view()
                        .into_any(),
                    Some(Err(error)) => error_view(error, "fields-error").into_any(),
                    None => ().into_any(),
                }}
                {move || failure.get().filter(|_| !about_fields()).map(|error| error_view(error, "form-error"))}
                {move || waiting.get().then(|| view! {
                    <p class="hd-alert" role="alert" data-testid="form-pending">{t.text(|s| s.not_sent_yet)}</p>
                })}
                // Never `disabled` while sending: focus stays on it, beside what it says next.
                <button
                    type="submit"
                    class="hd-button hd-submit"
                    data-testid="submit-ticket"
                    aria-disabled=move || sending.get().to_string()
                    aria-busy=move || sending.get().to_string()
                >
                    {move || if sending.get() { t.get().sending } else { t.get().send_ticket }}
                </button>
            </form>
        }
    };

    move || match created.get() {
        Some(ticket_id) => confirmation(
            ticket_id,
            Callback::new(move |()| on_show_ticket.run(ticket_id)),
            on_new,
        )
        .into_any(),
        None => form().into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::Identity;
    use crate::test_support::{FakeProxy, Page, fresh_base, standard_answers, stored_guest_pass};
    use serde_json::{Value, json};
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// The form alone, against `proxy`, as the visitor `identity` when given.
    fn form(
        page: &Page,
        base: &str,
        identity: Option<Identity>,
    ) -> (Api, leptos::mount::UnmountHandle<impl Mountable + use<>>) {
        let api = Api::new(base, Some("demo".into()));
        api.set_identity(identity);
        let mounted = leptos::mount::mount_to(page.root.clone(), {
            let api = api.clone();
            move || {
                provide_context(api);
                ticket_form(Callback::new(|_| ()))
            }
        });
        (api, mounted)
    }

    #[test]
    async fn client_side_validation_marks_each_field() {
        let proxy = FakeProxy::install();
        standard_answers(&proxy);
        let page = Page::new();
        let _form = form(&page, &fresh_base("validation"), None);
        page.wait_for("field-custom-1").await;

        page.click("submit-ticket").await;
        for key in ["subject", "message", "user_email", "custom_fields.1"] {
            assert_eq!(
                page.text(&format!("error-{key}")),
                "This field is required.",
                "{key}"
            );
        }
        assert!(!page.has("error-name") && !page.has("error-custom_fields.2"));
        assert_eq!(
            page.text("form-error"),
            "Please check the fields marked below."
        );
        assert_eq!(
            page.get("field-subject")
                .get_attribute("aria-invalid")
                .as_deref(),
            Some("true")
        );

        page.type_into("field-email", "ann@").await;
        page.type_into("field-subject", "Where is my order?").await;
        page.type_into("field-name", &"n".repeat(101)).await;
        page.click("submit-ticket").await;
        assert_eq!(
            page.text("error-user_email"),
            "Enter a valid email address."
        );
        assert_eq!(page.text("error-name"), "At most 100 characters.");
        assert!(!page.has("error-subject"));
        assert!(page.has("error-message") && page.has("error-custom_fields.1"));
        assert!(
            proxy.calls_to("tickets_create.php").is_empty(),
            "nothing invalid is sent"
        );
    }

    #[test]
    async fn a_guest_ticket_is_sent_once_with_its_key_honeypot_and_time() {
        let proxy = FakeProxy::install();
        standard_answers(&proxy).answer(
            "tickets_create.php",
            201,
            json!({"ticket_id": 42, "guest_pass": "pass-1"}),
        );
        let page = Page::new();
        let base = fresh_base("guest-create");
        let _form = form(&page, &base, None);
        page.wait_for("field-custom-1").await;
        page.type_into("field-email", "Ann@Example.com").await;
        page.type_into("field-subject", "Where is my order?").await;
        page.type_into("field-message", "It has been two weeks.")
            .await;
        page.type_into("field-custom-1", "A-1001").await;
        page.click("submit-ticket").await;
        page.wait_for("ticket-created").await;

        assert_eq!(page.text("created-ticket-id"), "42");
        let calls = proxy.calls_to("tickets_create.php");
        assert_eq!(calls.len(), 1);
        let key = calls[0]
            .headers
            .get("idempotency-key")
            .cloned()
            .unwrap_or_default();
        assert!(
            key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit()),
            "{key:?}"
        );
        assert_eq!(calls[0].header("x-helpdock-site"), Some("demo"));
        assert!(!calls[0].headers.contains_key("x-helpdock-identity"));
        let body: Value = serde_json::from_str(&calls[0].body).expect("JSON body");
        assert_eq!(body["user_email"], "Ann@Example.com");
        assert_eq!(body["custom_fields"], json!({"1": "A-1001"}));
        assert_eq!(
            body.get("website"),
            None,
            "the honeypot is empty (and so left out)"
        );
        assert!(body["elapsed_ms"].is_u64());
        assert_eq!(stored_guest_pass(&base).as_deref(), Some("pass-1"));
    }

    #[test]
    async fn a_verified_visitors_email_and_name_are_read_only() {
        let proxy = FakeProxy::install();
        standard_answers(&proxy).answer("tickets_create.php", 201, json!({"ticket_id": 7}));
        let page = Page::new();
        let ann = Identity::new(
            "ann@example.com",
            Some("Ann Lee"),
            Some("1767225600"),
            "ab12",
        )
        .ok();
        let _form = form(&page, &fresh_base("verified-form"), ann);
        page.wait_for("field-custom-1").await;

        let (email, name) = (page.input("field-email"), page.input("field-name"));
        assert_eq!(
            (email.value(), email.read_only()),
            ("ann@example.com".into(), true)
        );
        assert_eq!((name.value(), name.read_only()), ("Ann Lee".into(), true));
        assert!(!page.input("field-company").read_only());

        page.type_into("field-subject", "Refund").await;
        page.type_into("field-message", "Please refund order A-1.")
            .await;
        page.type_into("field-custom-1", "A-1").await;
        page.click("submit-ticket").await;
        page.wait_for("ticket-created").await;
        let call = &proxy.calls_to("tickets_create.php")[0];
        let signed = Some("email=ann%40example.com&expires=1767225600&signature=ab12");
        assert_eq!(call.header("x-helpdock-identity"), signed);
        let body: Value = serde_json::from_str(&call.body).expect("JSON body");
        assert_eq!(
            (&body["user_email"], &body["name"]),
            (&json!("ann@example.com"), &json!("Ann Lee"))
        );
    }
}
