//! The new-ticket form's draft: what the visitor typed, how it is stored and restored
//! ([`crate::drafts`]), and how a host page's prefill fills what the visitor left empty.

use crate::api::Api;
use crate::drafts::{self, child, set, text};
use crate::identity::Identity;
use crate::shell::Prefill;
use helpdock_wire::{
    Categories, CategoryId, CustomFieldId, CustomFields, FieldKind, NewTicket, Priority,
};
use leptos::prelude::*;
use std::collections::BTreeMap;
use wasm_bindgen::JsValue;
use web_sys::js_sys::{Date, Object};

/// The draft's name in storage.
const STORED_AS: &str = "ticket";

/// Everything the visitor typed, kept across errors, panel closes and reloads.
#[derive(Clone, Copy)]
pub(super) struct Draft {
    /// As typed; a verified visitor's email replaces it.
    pub email: RwSignal<String>,
    pub subject: RwSignal<String>,
    pub message: RwSignal<String>,
    pub name: RwSignal<String>,
    pub company: RwSignal<String>,
    pub priority: RwSignal<Priority>,
    pub category: RwSignal<Option<CategoryId>>,
    pub custom: RwSignal<BTreeMap<CustomFieldId, String>>,
    /// The honeypot: hidden from people, so only a bot fills it. Never stored.
    pub website: RwSignal<String>,
    /// Whether the visitor picked a priority: a prefill then leaves it alone.
    pub priority_chosen: StoredValue<bool>,
    /// The `Idempotency-Key` of the send under way or waiting; see [`crate::drafts`].
    pub key: StoredValue<Option<String>>,
    /// When this draft began (ms since the epoch), for `elapsed_ms`; kept across reloads.
    started: StoredValue<f64>,
}

impl Draft {
    pub fn new() -> Draft {
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
            priority_chosen: StoredValue::new(false),
            key: StoredValue::new(None),
            started: StoredValue::new(Date::now()),
        }
    }

    /// The ticket as it would be sent; unticked checkboxes of known fields say "0". A verified
    /// visitor's email and name are theirs, not what was typed.
    pub fn ticket(&self, identity: Option<&Identity>, fields: Option<&CustomFields>) -> NewTicket {
        let optional = |s: RwSignal<String>| {
            Some(s.get_untracked().trim().to_owned()).filter(|s| !s.is_empty())
        };
        // Inserted one by one: `collect` into a map sorts first, and each sort it instantiates
        // costs the wasm more than a loop.
        let mut custom_fields = BTreeMap::new();
        for (id, value) in self.custom.get_untracked() {
            let value = value.trim();
            if !value.is_empty() {
                custom_fields.insert(id, value.to_owned());
            }
        }
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
            elapsed_ms: Some((Date::now() - self.started.get_value()).max(0.0) as u64),
        }
    }

    /// The text fields by their stored names.
    fn texts(&self) -> [(&'static str, RwSignal<String>); 5] {
        [
            ("email", self.email),
            ("name", self.name),
            ("company", self.company),
            ("subject", self.subject),
            ("message", self.message),
        ]
    }

    /// Writes the draft to storage, key included (called as the visitor types and sends).
    pub fn save(&self, api: &Api) {
        let stored = Object::new();
        for (key, signal) in self.texts() {
            set(&stored, key, &JsValue::from_str(&signal.get_untracked()));
        }
        if self.priority_chosen.get_value() {
            let priority = self.priority.get_untracked().as_str();
            set(&stored, "priority", &JsValue::from_str(priority));
        }
        if let Some(category) = self.category.get_untracked() {
            set(&stored, "category", &JsValue::from_f64(category.0 as f64));
        }
        let fields = Object::new();
        for (id, value) in self.custom.get_untracked() {
            set(&fields, &id.to_string(), &JsValue::from_str(&value));
        }
        set(&stored, "fields", &fields);
        set(
            &stored,
            "started",
            &JsValue::from_f64(self.started.get_value()),
        );
        if let Some(key) = self.key.get_value() {
            set(&stored, "key", &JsValue::from_str(&key));
        }
        drafts::save(api, STORED_AS, &stored);
    }

    /// Fills the draft from storage; true when a send was under way (its key is back too).
    pub fn restore(&self, api: &Api) -> bool {
        let Some(stored) = drafts::load(api, STORED_AS) else {
            return false;
        };
        for (key, signal) in self.texts() {
            if let Some(value) = text(&stored, key) {
                signal.set(value);
            }
        }
        if let Some(priority) = text(&stored, "priority").and_then(|p| Priority::parse(&p)) {
            self.priority.set(priority);
            self.priority_chosen.set_value(true);
        }
        let number = |key: &str| {
            web_sys::js_sys::Reflect::get(&stored, &JsValue::from_str(key))
                .ok()
                .and_then(|v| v.as_f64())
        };
        if let Some(category) = number("category") {
            self.category.set(Some(CategoryId(category as u64)));
        }
        if let Some(fields) = child(&stored, "fields") {
            let mut values = BTreeMap::new();
            for pair in web_sys::js_sys::Object::entries(&fields).iter() {
                let pair = web_sys::js_sys::Array::from(&pair);
                let id = pair.get(0).as_string().and_then(|id| id.parse().ok());
                if let (Some(id), Some(value)) = (id, pair.get(1).as_string()) {
                    values.insert(id, value);
                }
            }
            self.custom.set(values);
        }
        if let Some(started) = number("started") {
            self.started.set_value(started);
        }
        let key = text(&stored, "key");
        let pending = key.is_some();
        self.key.set_value(key);
        pending
    }

    /// Forgets what belongs to one ticket, here and in storage; who the visitor is stays filled
    /// in (and is stored again when they next type).
    pub fn clear_ticket(&self, api: &Api) {
        self.subject.set(String::new());
        self.message.set(String::new());
        self.priority.set(Priority::default());
        self.priority_chosen.set_value(false);
        self.category.set(None);
        self.custom.set(BTreeMap::new());
        self.started.set_value(Date::now());
        self.key.set_value(None);
        drafts::remove(api, STORED_AS);
    }

    /// Puts the host page's `prefill` into the fields the visitor left empty (a restored draft
    /// wins); email and name only for a visitor the host site has not identified. Categories and
    /// custom fields match by id or by name, once they are loaded.
    pub fn prefill(
        &self,
        prefill: &Prefill,
        identified: bool,
        categories: Option<&Categories>,
        fields: Option<&CustomFields>,
    ) {
        let fill = |signal: RwSignal<String>, value: &Option<String>| {
            if let Some(value) = value
                && signal.with_untracked(|s| s.trim().is_empty())
            {
                signal.set(value.clone());
            }
        };
        fill(self.subject, &prefill.subject);
        fill(self.message, &prefill.message);
        fill(self.company, &prefill.company);
        if !identified {
            fill(self.email, &prefill.email);
            fill(self.name, &prefill.name);
        }
        if !self.priority_chosen.get_value()
            && let Some(priority) = prefill.priority.as_deref().and_then(Priority::parse)
        {
            self.priority.set(priority);
        }
        let same = |id: String, name: &str, wanted: &str| {
            let wanted = wanted.trim();
            id == wanted || name.trim().eq_ignore_ascii_case(wanted)
        };
        if self.category.with_untracked(Option::is_none)
            && let (Some(wanted), Some(known)) = (&prefill.category, categories)
            && let Some(found) = known
                .categories
                .iter()
                .find(|c| same(c.id.to_string(), &c.name, wanted))
        {
            self.category.set(Some(found.id));
        }
        let Some(known) = fields else { return };
        for (wanted, value) in &prefill.fields {
            let Some(field) = known
                .fields
                .iter()
                .find(|f| same(f.id.to_string(), &f.name, wanted))
            else {
                continue;
            };
            let empty = self
                .custom
                .with_untracked(|c| c.get(&field.id).is_none_or(|v| v.trim().is_empty()));
            if empty {
                self.custom
                    .update(|c| _ = c.insert(field.id, value.clone()));
            }
        }
    }
}
