//! "New ticket": the form, checked with the wire rules before it is sent.

use super::confirmation::Confirmation;
use super::error_view::ErrorView;
use super::priority_label;
use crate::Visitor;
use crate::api::{Api, ApiError, new_idempotency_key};
use helpdock_wire::validate::{FieldErrors, custom_field_key, validate_new_ticket};
use helpdock_wire::{
    Categories, CategoryId, CustomField, CustomFieldId, CustomFields, FieldKind, NewTicket, Priority,
    TicketId,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Everything the visitor typed, kept across errors and panel closes.
#[derive(Clone, Copy)]
struct Draft {
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

    /// The ticket as it would be sent; unticked checkboxes of known fields say "0".
    fn ticket(&self, email: &str, fields: Option<&CustomFields>) -> NewTicket {
        let optional = |s: RwSignal<String>| Some(s.get_untracked().trim().to_owned()).filter(|s| !s.is_empty());
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
            user_email: email.trim().to_owned(),
            name: optional(self.name),
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
        let timeless = |t: &NewTicket| NewTicket { elapsed_ms: None, ..t.clone() };
        let retry = self.last_sent.with_value(|last| match last {
            Some((sent, key)) if timeless(sent) == timeless(ticket) => Some(key.clone()),
            _ => None,
        });
        let key = retry.unwrap_or_else(new_idempotency_key);
        self.last_sent.set_value(Some((ticket.clone(), key.clone())));
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
    let visitor = expect_context::<Visitor>();
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
        let ticket = draft.ticket(&visitor.email.get_untracked(), known_fields.as_ref());
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

    let form = move || {
        view! {
            <form class="hd-form" novalidate on:submit=on_submit>
                {move || failure.get().map(|error| view! { <ErrorView error testid="form-error"/> })}
                {text_input(&EMAIL, visitor.email, errors)}
                <div class="hd-row">
                    {text_input(&NAME, draft.name, errors)}
                    {text_input(&COMPANY, draft.company, errors)}
                </div>
                {text_input(&SUBJECT, draft.subject, errors)}
                {text_input(&MESSAGE, draft.message, errors)}
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
                    {move || if sending.get() { "Sending…" } else { "Send ticket" }}
                </button>
            </form>
        }
    };

    move || match created.get() {
        Some(ticket_id) => view! {
            <Confirmation ticket_id on_open=Callback::new(move |()| on_show_ticket.run(ticket_id)) on_new/>
        }
        .into_any(),
        None => form().into_any(),
    }
}

fn now_ms() -> f64 {
    web_sys::js_sys::Date::now()
}

/// How one of the form's own text fields is labelled, named and entered.
struct TextField {
    label: &'static str,
    /// The wire name, which is also the key of its errors.
    key: &'static str,
    testid: &'static str,
    /// An `<input type>`, or `textarea`.
    kind: &'static str,
    autocomplete: &'static str,
    required: bool,
}

const EMAIL: TextField = TextField {
    label: "Email",
    key: "user_email",
    testid: "field-email",
    kind: "email",
    autocomplete: "email",
    required: true,
};
const NAME: TextField =
    TextField { label: "Name", key: "name", testid: "field-name", kind: "text", autocomplete: "name", required: false };
const COMPANY: TextField = TextField {
    label: "Company",
    key: "company",
    testid: "field-company",
    kind: "text",
    autocomplete: "organization",
    required: false,
};
const SUBJECT: TextField =
    TextField { label: "Subject", key: "subject", testid: "field-subject", kind: "text", autocomplete: "off", required: true };
const MESSAGE: TextField =
    TextField { label: "Message", key: "message", testid: "field-message", kind: "textarea", autocomplete: "off", required: true };

/// A labelled text input (or textarea) bound to `value`, with its error line.
fn text_input(spec: &TextField, value: RwSignal<String>, errors: RwSignal<FieldErrors>) -> impl IntoView + use<> {
    let id = format!("hd-{}", spec.key);
    let control = if spec.kind == "textarea" {
        view! {
            <textarea
                id=id.clone()
                rows="5"
                data-testid=spec.testid
                aria-required=spec.required.to_string()
                aria-invalid=invalid(errors, spec.key)
                bind:value=value
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                type=spec.kind
                data-testid=spec.testid
                autocomplete=spec.autocomplete
                aria-required=spec.required.to_string()
                aria-invalid=invalid(errors, spec.key)
                bind:value=value
            />
        }
        .into_any()
    };
    view! {
        <div class="hd-field">
            <label for=id>{spec.label} {required_mark(spec.required)}</label>
            {control}
            {field_error(errors, spec.key.to_owned())}
        </div>
    }
}

/// `"true"` while `key` has an error, for `aria-invalid`.
fn invalid(errors: RwSignal<FieldErrors>, key: &str) -> impl Fn() -> &'static str + use<> {
    let key = key.to_owned();
    move || if errors.with(|e| e.contains_key(&key)) { "true" } else { "false" }
}

/// The asterisk after a required field's label.
fn required_mark(required: bool) -> impl IntoView {
    required.then(|| view! { <span class="hd-required" title="Required">"*"</span> })
}

/// The message under a field, shown while the field has an error (`error-<key>`).
fn field_error(errors: RwSignal<FieldErrors>, key: String) -> impl IntoView {
    let testid = format!("error-{key}");
    move || {
        errors.with(|e| e.get(&key).cloned()).map(|message| {
            view! { <p class="hd-field-error" data-testid=testid.clone()>{message}</p> }
        })
    }
}

/// The helpdesk's categories, or none.
fn category_select(
    categories: LocalResource<Result<Categories, ApiError>>,
    value: RwSignal<Option<CategoryId>>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let options = move || {
        let loaded = categories.get().and_then(Result::ok).map(|c| c.categories).unwrap_or_default();
        loaded
            .into_iter()
            .map(move |category| {
                let id = category.id;
                view! {
                    <option value=id.to_string() selected=move || value.get() == Some(id)>
                        {category.name}
                    </option>
                }
            })
            .collect_view()
    };
    view! {
        <div class="hd-field">
            <label for="hd-category_id">"Category"</label>
            <select
                id="hd-category_id"
                data-testid="field-category"
                aria-invalid=invalid(errors, "category_id")
                on:change:target=move |ev| value.set(ev.target().value().parse().ok())
            >
                <option value="" selected=move || value.get().is_none()>"Choose…"</option>
                {options}
            </select>
            {field_error(errors, "category_id".into())}
        </div>
    }
}

/// Low, medium or high.
fn priority_select(value: RwSignal<Priority>) -> impl IntoView {
    let options = Priority::ALL.map(|p| {
        view! {
            <option value=p.as_str() selected=move || value.get() == p>
                {priority_label(p)}
            </option>
        }
    });
    view! {
        <div class="hd-field">
            <label for="hd-priority">"Priority"</label>
            <select
                id="hd-priority"
                data-testid="field-priority"
                on:change:target=move |ev| value.set(Priority::parse(&ev.target().value()).unwrap_or_default())
            >
                {options.collect_view()}
            </select>
        </div>
    }
}

/// One admin-defined field, entered as its type asks; unknown types arrive here as text.
fn custom_field_input(
    field: CustomField,
    values: RwSignal<BTreeMap<CustomFieldId, String>>,
    errors: RwSignal<FieldErrors>,
) -> AnyView {
    let CustomField { id, name, kind, required, options } = field;
    let key = custom_field_key(id);
    let dom_id = format!("hd-custom-{id}");
    let testid = format!("field-custom-{id}");
    let current = move || values.with(|v| v.get(&id).cloned().unwrap_or_default());
    let set = move |value: String| values.update(|v| _ = v.insert(id, value));
    let aria_invalid = invalid(errors, &key);

    let control = match kind {
        FieldKind::Checkbox => {
            return view! {
                <div class="hd-field hd-check-field">
                    <label>
                        <input
                            type="checkbox"
                            data-testid=testid
                            aria-invalid=aria_invalid
                            prop:checked=move || current() == "1"
                            on:change:target=move |ev| set(if ev.target().checked() { "1" } else { "0" }.into())
                        />
                        <span>{name} {required_mark(required)}</span>
                    </label>
                    {field_error(errors, key)}
                </div>
            }
            .into_any();
        }
        FieldKind::Textarea => view! {
            <textarea
                id=dom_id.clone()
                rows="3"
                data-testid=testid
                aria-required=required.to_string()
                aria-invalid=aria_invalid
                prop:value=current
                on:input:target=move |ev| set(ev.target().value())
            ></textarea>
        }
        .into_any(),
        FieldKind::Select => {
            let choices = options.into_iter().map(|option| {
                let (value, this) = (option.clone(), option.clone());
                view! { <option value=value selected=move || current() == this>{option}</option> }
            });
            view! {
                <select
                    id=dom_id.clone()
                    data-testid=testid
                    aria-required=required.to_string()
                    aria-invalid=aria_invalid
                    on:change:target=move |ev| set(ev.target().value())
                >
                    <option value="" selected=move || current().is_empty()>"Choose…"</option>
                    {choices.collect_view()}
                </select>
            }
            .into_any()
        }
        FieldKind::Text | FieldKind::Date | FieldKind::Number => {
            // Numbers are typed as text: an `<input type=number>` reports unparsable input as
            // empty, which would hide the visitor's mistake from the validation.
            let (input_type, input_mode) = match kind {
                FieldKind::Date => ("date", "text"),
                FieldKind::Number => ("text", "decimal"),
                _ => ("text", "text"),
            };
            view! {
                <input
                    id=dom_id.clone()
                    type=input_type
                    inputmode=input_mode
                    data-testid=testid
                    aria-required=required.to_string()
                    aria-invalid=aria_invalid
                    prop:value=current
                    on:input:target=move |ev| set(ev.target().value())
                />
            }
            .into_any()
        }
    };
    view! {
        <div class="hd-field">
            <label for=dom_id>{name} {required_mark(required)}</label>
            {control}
            {field_error(errors, key)}
        </div>
    }
    .into_any()
}
