//! "New ticket": the form, checked with the wire rules before it is sent.

use super::confirmation::Confirmation;
use super::error_view::ErrorView;
use super::form_fields::{
    COMPANY, EMAIL, MESSAGE, NAME, SUBJECT, category_select, custom_field_input, priority_select,
    text_input,
};
use crate::api::{Api, ApiError, new_idempotency_key};
use crate::i18n::use_i18n;
use crate::identity::Identity;
use helpdock_wire::validate::{FieldErrors, validate_new_ticket};
use helpdock_wire::{
    CategoryId, CustomFieldId, CustomFields, FieldKind, NewTicket, Priority, TicketId,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Everything the visitor typed, kept across errors and panel closes.
#[derive(Clone, Copy)]
struct Draft {
    /// As typed; a verified visitor's email replaces it.
    email: RwSignal<String>,
    subject: RwSignal<String>,
    message: RwSignal<String>,
    name: RwSignal<String>,
    company: RwSignal<String>,
    priority: RwSignal<Priority>,
    category: RwSignal<Option<CategoryId>>,
    custom: RwSignal<BTreeMap<CustomFieldId, String>>,
    /// The honeypot: hidden from people, so only a bot fills it.
    website: RwSignal<String>,
    /// When this draft began (ms since the epoch), for `elapsed_ms`.
    started: StoredValue<f64>,
    /// The last ticket sent and its `Idempotency-Key`: a retry of the same ticket reuses the key,
    /// so a lost answer never files it twice.
    last_sent: StoredValue<Option<(NewTicket, String)>>,
}

impl Draft {
    fn new() -> Draft {
        Draft {
            email: RwSignal::new(String::new()),
            subject: RwSignal::new(String::new()),
            message: RwSignal::new(String::new()),
            name: RwSignal::new(String::new()),
            company: RwSignal::new(String::new()),
            priority: RwSignal::new(Priority::default()),
            category: RwSignal::new(None),
            custom: RwSignal::new(BTreeMap::new()),
            website: RwSignal::new(String::new()),
            started: StoredValue::new(now_ms()),
            last_sent: StoredValue::new(None),
        }
    }

    /// The ticket as it would be sent; unticked checkboxes of known fields say "0". A verified
    /// visitor's email and name are theirs, not what was typed.
    fn ticket(&self, identity: Option<&Identity>, fields: Option<&CustomFields>) -> NewTicket {
        let optional = |s: RwSignal<String>| {
            Some(s.get_untracked().trim().to_owned()).filter(|s| !s.is_empty())
        };
        let mut custom_fields: BTreeMap<CustomFieldId, String> = self
            .custom
            .get_untracked()
            .into_iter()
            .map(|(id, value)| (id, value.trim().to_owned()))
            .filter(|(_, value)| !value.is_empty())
            .collect();
        for field in fields.iter().flat_map(|f| &f.fields) {
            if field.kind == FieldKind::Checkbox {
                custom_fields.entry(field.id).or_insert_with(|| "0".into());
            }
        }
        NewTicket {
            subject: self.subject.get_untracked().trim().to_owned(),
            message: self.message.get_untracked().trim().to_owned(),
            user_email: match identity {
                Some(identity) => identity.email().to_owned(),
                None => self.email.get_untracked().trim().to_owned(),
            },
            name: identity
                .and_then(|i| i.name())
                .map(str::to_owned)
                .or_else(|| optional(self.name)),
            company: optional(self.company),
            priority: self.priority.get_untracked(),
            category_id: self.category.get_untracked(),
            custom_fields,
            website: self.website.get_untracked(),
            elapsed_ms: Some((now_ms() - self.started.get_value()).max(0.0) as u64),
        }
    }

    /// The `Idempotency-Key` for sending `ticket`: the last one again if only the time changed.
    fn idempotency_key(&self, ticket: &NewTicket) -> String {
        let timeless = |t: &NewTicket| NewTicket {
            elapsed_ms: None,
            ..t.clone()
        };
        let retry = self.last_sent.with_value(|last| match last {
            Some((sent, key)) if timeless(sent) == timeless(ticket) => Some(key.clone()),
            _ => None,
        });
        let key = retry.unwrap_or_else(new_idempotency_key);
        self.last_sent
            .set_value(Some((ticket.clone(), key.clone())));
        key
    }

    /// Forgets what belongs to one ticket; who the visitor is stays filled in.
    fn clear_ticket(&self) {
        self.subject.set(String::new());
        self.message.set(String::new());
        self.priority.set(Priority::default());
        self.category.set(None);
        self.custom.set(BTreeMap::new());
        self.started.set_value(now_ms());
        self.last_sent.set_value(None);
    }
}

/// The ticket form, or the confirmation once a ticket is filed.
#[component]
pub fn TicketForm(on_show_ticket: Callback<TicketId>) -> impl IntoView {
    let api = expect_context::<Api>();
    let t = use_i18n();
    let identity = Memo::new({
        let api = api.clone();
        move |_| api.identity()
    });
    let categories = LocalResource::new({
        let api = api.clone();
        move || {
            let api = api.clone();
            async move { api.categories().await }
        }
    });
    let fields = LocalResource::new({
        let api = api.clone();
        move || {
            let api = api.clone();
            async move { api.custom_fields().await }
        }
    });
    let draft = Draft::new();
    let errors = RwSignal::new(FieldErrors::new());
    let failure = RwSignal::new(None::<ApiError>);
    let created = RwSignal::new(None::<TicketId>);
    let create = Action::new_local(move |(ticket, key): &(NewTicket, String)| {
        let (api, ticket, key) = (api.clone(), ticket.clone(), key.clone());
        async move {
            match api.create_ticket(&ticket, &key).await {
                Ok(done) => {
                    draft.clear_ticket();
                    created.set(Some(done.ticket_id));
                }
                Err(error) => {
                    errors.set(error.field_errors());
                    failure.set(Some(error));
                }
            }
        }
    });
    let sending = create.pending();

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let known_fields = fields.get_untracked().and_then(Result::ok);
        let ticket = draft.ticket(identity.get_untracked().as_ref(), known_fields.as_ref());
        let problems = validate_new_ticket(&ticket, known_fields.as_ref());
        if problems.is_empty() {
            errors.set(FieldErrors::new());
            failure.set(None);
            let key = draft.idempotency_key(&ticket);
            create.dispatch((ticket, key));
        } else {
            errors.set(problems.clone());
            failure.set(Some(ApiError::invalid(problems)));
        }
    };
    let on_new = Callback::new(move |()| {
        errors.set(FieldErrors::new());
        failure.set(None);
        created.set(None);
    });

    // What the host site vouched for is shown, not typed.
    let signed_email =
        Signal::derive(move || identity.with(|i| i.as_ref().map(|i| i.email().to_owned())));
    let signed_name = Signal::derive(move || {
        identity.with(|i| i.as_ref().and_then(|i| i.name().map(str::to_owned)))
    });

    let form = move || {
        view! {
            <form class="hd-form" novalidate on:submit=on_submit>
                {move || failure.get().map(|error| view! { <ErrorView error testid="form-error"/> })}
                {text_input(&EMAIL, draft.email, signed_email, errors)}
                <div class="hd-row">
                    {text_input(&NAME, draft.name, signed_name, errors)}
                    {text_input(&COMPANY, draft.company, Signal::default(), errors)}
                </div>
                {text_input(&SUBJECT, draft.subject, Signal::default(), errors)}
                {text_input(&MESSAGE, draft.message, Signal::default(), errors)}
                <div class="hd-honeypot" aria-hidden="true">
                    <label>"Website" <input type="text" tabindex="-1" autocomplete="off" bind:value=draft.website/></label>
                </div>
                <div class="hd-row">
                    {category_select(categories, draft.category, errors)}
                    {priority_select(draft.priority)}
                </div>
                {move || match fields.get() {
                    Some(Ok(known)) => known
                        .fields
                        .into_iter()
                        .map(|field| custom_field_input(field, draft.custom, errors))
                        .collect_view()
                        .into_any(),
                    Some(Err(error)) => view! { <ErrorView error testid="fields-error"/> }.into_any(),
                    None => ().into_any(),
                }}
                <button
                    type="submit"
                    class="hd-button hd-submit"
                    data-testid="submit-ticket"
                    disabled=move || sending.get()
                    aria-busy=move || sending.get().to_string()
                >
                    {move || if sending.get() { t.get().sending } else { t.get().send_ticket }}
                </button>
            </form>
        }
    };

    move || {
        match created.get() {
        Some(ticket_id) => view! {
            <Confirmation ticket_id on_open=Callback::new(move |()| on_show_ticket.run(ticket_id)) on_new/>
        }
        .into_any(),
        None => form().into_any(),
    }
    }
}

fn now_ms() -> f64 {
    web_sys::js_sys::Date::now()
}

#[cfg(test)]
mod tests {
    use super::*;
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
                view! { <TicketForm on_show_ticket=Callback::new(|_| ())/> }
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
