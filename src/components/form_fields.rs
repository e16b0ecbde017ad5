//! The ticket form's controls: each labelled, bound to the draft, with its inline error line.

use crate::api::{ApiError, Findings};
use crate::i18n::{Message, priority, use_i18n};
use crate::load::Loaded;
use helpdock_wire::validate::custom_field_key;
use helpdock_wire::{Categories, CategoryId, CustomField, CustomFieldId, FieldKind, Priority};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// How one of the form's own text fields is labelled, named and entered.
pub(crate) struct TextField {
    label: Message,
    /// The wire name, which is also the key of its errors.
    key: &'static str,
    testid: &'static str,
    /// An `<input type>`, or `textarea`.
    kind: &'static str,
    autocomplete: &'static str,
    required: bool,
}

pub(crate) const EMAIL: TextField = TextField {
    label: |s| s.email,
    key: "user_email",
    testid: "field-email",
    kind: "email",
    autocomplete: "email",
    required: true,
};
pub(crate) const NAME: TextField = TextField {
    label: |s| s.name,
    key: "name",
    testid: "field-name",
    kind: "text",
    autocomplete: "name",
    required: false,
};
pub(crate) const COMPANY: TextField = TextField {
    label: |s| s.company,
    key: "company",
    testid: "field-company",
    kind: "text",
    autocomplete: "organization",
    required: false,
};
pub(crate) const SUBJECT: TextField = TextField {
    label: |s| s.subject,
    key: "subject",
    testid: "field-subject",
    kind: "text",
    autocomplete: "off",
    required: true,
};
pub(crate) const MESSAGE: TextField = TextField {
    label: |s| s.message,
    key: "message",
    testid: "field-message",
    kind: "textarea",
    autocomplete: "off",
    required: true,
};

/// A labelled text input (or textarea) bound to `value`, with its error line. While `locked`
/// holds a value (the host site vouched for it), the input shows that instead and is read-only.
pub(crate) fn text_input(
    spec: &TextField,
    value: RwSignal<String>,
    locked: Option<Memo<Option<String>>>,
    errors: Signal<Findings>,
) -> impl IntoView + use<> {
    let id = format!("hd-{}", spec.key);
    let control = if spec.kind == "textarea" {
        view! {
            <textarea
                id=id.clone()
                rows="5"
                dir="auto"
                data-testid=spec.testid
                aria-required=spec.required.to_string()
                aria-invalid=invalid(errors, spec.key)
                aria-describedby=described_by(errors, spec.key)
                bind:value=value
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                type=spec.kind
                dir="auto"
                data-testid=spec.testid
                autocomplete=spec.autocomplete
                aria-required=spec.required.to_string()
                aria-invalid=invalid(errors, spec.key)
                aria-describedby=described_by(errors, spec.key)
                readonly=move || locked.is_some_and(|l| l.with(Option::is_some))
                prop:value=move || locked.and_then(|l| l.get()).unwrap_or_else(|| value.get())
                on:input:target=move |ev| value.set(ev.target().value())
            />
        }
        .into_any()
    };
    view! {
        <div class="hd-field" data-field=spec.key>
            <label for=id>{use_i18n().text(spec.label)} {required_mark(spec.required)}</label>
            {control}
            {field_error(errors, spec.key.to_owned())}
        </div>
    }
}

/// `"true"` while `key` has an error, for `aria-invalid`.
fn invalid(errors: Signal<Findings>, key: &str) -> impl Fn() -> &'static str + use<> {
    let key = key.to_owned();
    move || {
        if errors.with(|e| e.contains_key(&key)) {
            "true"
        } else {
            "false"
        }
    }
}

/// The id of `key`'s error line.
fn error_id(key: &str) -> String {
    format!("hd-error-{key}")
}

/// `aria-describedby` while `key` has an error: its error line, so it is read with the field.
fn described_by(errors: Signal<Findings>, key: &str) -> impl Fn() -> Option<String> + use<> {
    let key = key.to_owned();
    move || {
        errors
            .with(|e| e.contains_key(&key))
            .then(|| error_id(&key))
    }
}

/// The asterisk after a required field's label.
fn required_mark(required: bool) -> impl IntoView {
    let t = use_i18n();
    required.then(|| view! { <span class="hd-required" title=t.text(|s| s.required)>"*"</span> })
}

/// The message under a field, shown while the field has an error (`error-<key>`), in the
/// visitor's language.
fn field_error(errors: Signal<Findings>, key: String) -> impl IntoView {
    let (id, testid) = (error_id(&key), format!("error-{key}"));
    let t = use_i18n();
    move || {
        errors.with(|e| e.get(&key).cloned()).map(|finding| {
            let message = t.get().finding(&finding);
            view! { <p class="hd-field-error" id=id.clone() data-testid=testid.clone()>{message}</p> }
        })
    }
}

/// The helpdesk's categories, or none.
pub(crate) fn category_select(
    categories: Loaded<Result<Categories, ApiError>>,
    value: RwSignal<Option<CategoryId>>,
    errors: Signal<Findings>,
) -> impl IntoView {
    let t = use_i18n();
    let options = move || {
        let loaded = categories
            .get()
            .and_then(Result::ok)
            .map(|c| c.categories)
            .unwrap_or_default();
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
        <div class="hd-field" data-field="category_id">
            <label for="hd-category_id">{t.text(|s| s.category)}</label>
            <select
                id="hd-category_id"
                data-testid="field-category"
                aria-invalid=invalid(errors, "category_id")
                aria-describedby=described_by(errors, "category_id")
                on:change:target=move |ev| value.set(ev.target().value().parse().ok())
            >
                <option value="" selected=move || value.get().is_none()>{t.text(|s| s.choose)}</option>
                {options}
            </select>
            {field_error(errors, "category_id".into())}
        </div>
    }
}

/// Low, medium or high.
pub(crate) fn priority_select(
    value: RwSignal<Priority>,
    errors: Signal<Findings>,
) -> impl IntoView {
    let t = use_i18n();
    let options = Priority::ALL.map(|p| {
        view! {
            <option value=p.as_str() selected=move || value.get() == p>
                {t.text(priority(p))}
            </option>
        }
    });
    view! {
        <div class="hd-field" data-field="priority">
            <label for="hd-priority">{t.text(|s| s.priority)}</label>
            <select
                id="hd-priority"
                data-testid="field-priority"
                aria-invalid=invalid(errors, "priority")
                aria-describedby=described_by(errors, "priority")
                on:change:target=move |ev| value.set(Priority::parse(&ev.target().value()).unwrap_or_default())
            >
                {options.collect_view()}
            </select>
            {field_error(errors, "priority".into())}
        </div>
    }
}

/// One admin-defined field, entered as its type asks; unknown types arrive here as text.
pub(crate) fn custom_field_input(
    field: CustomField,
    values: RwSignal<BTreeMap<CustomFieldId, String>>,
    errors: Signal<Findings>,
) -> AnyView {
    let CustomField {
        id,
        name,
        kind,
        required,
        options,
    } = field;
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
                            aria-describedby=described_by(errors, &key)
                            prop:checked=move || current() == "1"
                            on:change:target=move |ev| set(if ev.target().checked() { "1" } else { "0" }.into())
                        />
                        <span><bdi>{name}</bdi> {required_mark(required)}</span>
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
                dir="auto"
                data-testid=testid
                aria-required=required.to_string()
                aria-invalid=aria_invalid
                aria-describedby=described_by(errors, &key)
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
                    aria-describedby=described_by(errors, &key)
                    on:change:target=move |ev| set(ev.target().value())
                >
                    <option value="" selected=move || current().is_empty()>{use_i18n().text(|s| s.choose)}</option>
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
                    dir="auto"
                    inputmode=input_mode
                    data-testid=testid
                    aria-required=required.to_string()
                    aria-invalid=aria_invalid
                    aria-describedby=described_by(errors, &key)
                    prop:value=current
                    on:input:target=move |ev| set(ev.target().value())
                />
            }
            .into_any()
        }
    };
    view! {
        <div class="hd-field">
            <label for=dom_id><bdi>{name}</bdi> {required_mark(required)}</label>
            {control}
            {field_error(errors, key)}
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Page;
    use helpdock_wire::CustomFields;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use web_sys::HtmlSelectElement;

    #[test]
    fn each_custom_field_type_renders_its_control() {
        let fields: CustomFields = serde_json::from_value(serde_json::json!({"fields": [
            {"id": 1, "name": "Order number", "type": "text", "required": true},
            {"id": 2, "name": "What happened", "type": "textarea", "required": false},
            {"id": 3, "name": "Plan", "type": "select", "required": false, "options": ["Starter", "Pro"]},
            {"id": 4, "name": "Gift", "type": "checkbox", "required": false},
            {"id": 5, "name": "Ordered on", "type": "date", "required": false},
            {"id": 6, "name": "Amount", "type": "number", "required": false},
        ]}))
        .expect("fields decode");
        // The proxy reads the helpdesk's type words; ones it does not know arrive as text.
        let unknown = CustomField {
            id: CustomFieldId(7),
            name: "Colour".into(),
            kind: FieldKind::from_upstream("color"),
            required: false,
            options: vec![],
        };
        let page = Page::new();
        let _mounted = leptos::mount::mount_to(page.root.clone(), move || {
            let (values, errors) = (
                RwSignal::new(BTreeMap::new()),
                Signal::from(Findings::new()),
            );
            fields
                .fields
                .into_iter()
                .chain([unknown])
                .map(|f| custom_field_input(f, values, errors))
                .collect_view()
        });

        let tag = |id: u32| {
            page.get(&format!("field-custom-{id}"))
                .tag_name()
                .to_lowercase()
        };
        let input_type = |id: u32| page.input(&format!("field-custom-{id}")).type_();
        assert_eq!((tag(1), input_type(1)), ("input".into(), "text".into()));
        assert_eq!(tag(2), "textarea");
        assert_eq!(tag(3), "select");
        assert_eq!(input_type(4), "checkbox");
        assert_eq!(input_type(5), "date");
        // Numbers are typed as text, so a mistake stays visible to the validation.
        assert_eq!(
            (
                input_type(6),
                page.input("field-custom-6").get_attribute("inputmode")
            ),
            ("text".into(), Some("decimal".into()))
        );
        assert_eq!((tag(7), input_type(7)), ("input".into(), "text".into()));

        let select: HtmlSelectElement = page.get("field-custom-3").unchecked_into();
        let options: Vec<(String, String)> = (0..select.length())
            .filter_map(|i| select.item(i))
            .map(|o| {
                (
                    o.get_attribute("value").unwrap_or_default(),
                    o.text_content().unwrap_or_default(),
                )
            })
            .collect();
        let expected = [("", "Choose…"), ("Starter", "Starter"), ("Pro", "Pro")]
            .map(|(v, t)| (v.to_owned(), t.to_owned()));
        assert_eq!(options, expected);
        assert_eq!(
            page.get("field-custom-1")
                .get_attribute("aria-required")
                .as_deref(),
            Some("true")
        );
    }
}
