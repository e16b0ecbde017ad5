//! Drafts: what the visitor typed, kept in the host page's `localStorage` so a reload or a failed
//! send loses nothing, and the `Idempotency-Key` that makes each send happen exactly once.
//!
//! Keys are per proxy and per visitor: `helpdock.draft:<api base>|<scope>|<what>`, where the scope
//! is `guest` (guests and anonymous visitors) or `v-<hash of the verified email>`, and `<what>` is
//! `ticket` (the new-ticket form) or `reply-<ticket id>`. Values are JSON objects written with the
//! browser's own `JSON`; nothing is written before the visitor types, and `Helpdock('reset')`
//! removes them all ([`forget_all`]).
//!
//! When a draft's `Idempotency-Key` is made, kept and dropped: [`crate::sending`].

use crate::api::Api;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::js_sys::{JSON, Object, Reflect};

/// Every key this module writes starts with one of these, then the API base.
const KINDS: [&str; 2] = ["draft", "seen"];

/// `helpdock.<kind>:<api base>|<scope>`: where this visitor's `kind` of data lives on this proxy.
pub(crate) fn visitor_key(api: &Api, kind: &str) -> String {
    let scope = match untrack(|| api.identity()) {
        Some(identity) => format!("v-{:016x}", fnv1a(identity.email())),
        None => "guest".into(),
    };
    format!("helpdock.{kind}:{}|{scope}", api.base())
}

/// The stored draft `what` (`ticket`, `reply-42`) of the current visitor.
pub fn load(api: &Api, what: &str) -> Option<Object> {
    load_object(&draft_key(api, what))
}

/// Stores the draft `what`; a full or refused storage keeps it in memory only.
pub fn save(api: &Api, what: &str, draft: &Object) {
    save_object(&draft_key(api, what), draft);
}

/// Drops the draft `what`: the server confirmed it.
pub fn remove(api: &Api, what: &str) {
    if let Some(storage) = storage() {
        _ = storage.remove_item(&draft_key(api, what));
    }
}

/// Removes every draft and "last seen" kept for this proxy, whoever they belong to
/// (`Helpdock('reset')`: the visitor signed out).
pub fn forget_all(api: &Api) {
    let Some(storage) = storage() else { return };
    let prefixes = KINDS.map(|kind| format!("helpdock.{kind}:{}|", api.base()));
    let count = storage.length().unwrap_or(0);
    let doomed: Vec<String> = (0..count)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|key| prefixes.iter().any(|p| key.starts_with(p.as_str())))
        .collect();
    for key in doomed {
        _ = storage.remove_item(&key);
    }
}

/// `{id: …}`-style details for the host page's events, from `(name, number)` pairs.
pub fn event_detail(pairs: &[(&str, u64)]) -> JsValue {
    let detail = Object::new();
    for (name, value) in pairs {
        set(&detail, name, &JsValue::from_f64(*value as f64));
    }
    detail.into()
}

/// `object[key]` as text, when it is text.
pub fn text(object: &Object, key: &str) -> Option<String> {
    Reflect::get(object, &JsValue::from_str(key))
        .ok()?
        .as_string()
}

/// Sets `object[key]`.
pub fn set(object: &Object, key: &str, value: &JsValue) {
    _ = Reflect::set(object, &JsValue::from_str(key), value);
}

/// `object[key]` when it is an object.
pub fn child(object: &Object, key: &str) -> Option<Object> {
    let value = Reflect::get(object, &JsValue::from_str(key)).ok()?;
    value.is_object().then(|| value.unchecked_into())
}

pub(crate) fn load_object(key: &str) -> Option<Object> {
    let stored = storage()?.get_item(key).ok()??;
    let value = JSON::parse(&stored).ok()?;
    value.is_object().then(|| value.unchecked_into())
}

pub(crate) fn save_object(key: &str, object: &Object) {
    let Some(storage) = storage() else { return };
    if let Some(json) = JSON::stringify(object).ok().and_then(|j| j.as_string()) {
        _ = storage.set_item(key, &json);
    }
}

fn draft_key(api: &Api, what: &str) -> String {
    format!("{}|{what}", visitor_key(api, "draft"))
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// FNV-1a: keeps the email itself out of the storage keys (not a secret, just not on display).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::Identity;
    use crate::test_support::fresh_base;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn each_visitor_has_their_own_drafts_and_reset_forgets_all() {
        let api = Api::new(&fresh_base("draft-scopes"), None);
        let note = |text: &str| {
            let draft = Object::new();
            set(&draft, "message", &JsValue::from_str(text));
            draft
        };
        save(&api, "ticket", &note("guest's"));
        api.set_identity(Identity::new("ann@example.com", None, None, "ab12").ok());
        assert!(load(&api, "ticket").is_none(), "not the guest's");
        save(&api, "ticket", &note("Ann's"));
        assert!(
            !visitor_key(&api, "draft").contains("ann@"),
            "no email on display"
        );
        api.set_identity(Identity::new("bob@example.com", None, None, "ab12").ok());
        assert!(load(&api, "ticket").is_none(), "not Ann's");
        api.set_identity(Identity::new("ann@example.com", None, None, "cd34").ok());
        let ann = load(&api, "ticket").and_then(|d| text(&d, "message"));
        assert_eq!(ann.as_deref(), Some("Ann's"));

        let other = Api::new(&fresh_base("draft-scopes-other"), None);
        save(&other, "ticket", &note("elsewhere"));
        forget_all(&api);
        assert!(load(&api, "ticket").is_none());
        api.set_identity(None);
        assert!(load(&api, "ticket").is_none(), "the guest's went too");
        assert!(load(&other, "ticket").is_some(), "another proxy's stay");
        forget_all(&other);
    }
}
