//! The proxy's JSON, read and written with the browser's own `JSON` instead of serde_json (which
//! cost 23 KB of the widget's brotli). Readers take what `JSON.parse` made and accept exactly what
//! docs/protocol.md promises, plus ids sent as numeric strings; anything else names the field.

use helpdock_wire::{
    Categories, Category, CategoryId, CustomField, CustomFieldId, CustomFieldValue, CustomFields,
    ErrorBody, ErrorCode, FieldKind, NewReply, NewTicket, Priority, Reply, ReplyCreated, ReplyId,
    TicketCreated, TicketDetail, TicketId, TicketList, TicketSummary, TicketThread,
};
use std::collections::BTreeMap;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::js_sys::{Array, JSON, Object, Reflect};

/// The field of an answer that was missing or of the wrong type.
#[derive(Debug, PartialEq)]
pub struct Unreadable(pub &'static str);

/// What a reader gives.
pub type Read<T> = Result<T, Unreadable>;

/// Parses an answer's text; `None` when it is no JSON at all.
pub fn parse(text: &str) -> Option<JsValue> {
    JSON::parse(text).ok()
}

/// `ticket_categories.php`.
pub fn categories(v: &JsValue) -> Read<Categories> {
    let categories = list(v, "categories", |c| {
        Ok(Category {
            id: CategoryId(id(c, "id")?),
            name: string(c, "name")?,
        })
    })?;
    Ok(Categories { categories })
}

/// `ticket_custom_fields.php`.
pub fn custom_fields(v: &JsValue) -> Read<CustomFields> {
    let fields = list(v, "fields", |f| {
        Ok(CustomField {
            id: CustomFieldId(id(f, "id")?),
            name: string(f, "name")?,
            kind: kind(f)?,
            required: flag(f, "required")?,
            options: match get(f, "options") {
                o if o.is_undefined() || o.is_null() => Vec::new(),
                _ => list(f, "options", |o| o.as_string().ok_or(Unreadable("options")))?,
            },
        })
    })?;
    Ok(CustomFields { fields })
}

/// `tickets_create.php`.
pub fn ticket_created(v: &JsValue) -> Read<TicketCreated> {
    Ok(TicketCreated {
        ticket_id: TicketId(id(v, "ticket_id")?),
        guest_pass: opt_string(v, "guest_pass")?,
    })
}

/// `tickets_list.php`.
pub fn ticket_list(v: &JsValue) -> Read<TicketList> {
    let tickets = list(v, "tickets", |t| {
        Ok(TicketSummary {
            id: TicketId(id(t, "id")?),
            subject: string(t, "subject")?,
            status: string(t, "status")?,
            priority: priority(t)?,
            created_at: opt_string(t, "created_at")?,
            updated_at: opt_string(t, "updated_at")?,
        })
    })?;
    Ok(TicketList { tickets })
}

/// `ticket_view.php`.
pub fn ticket_thread(v: &JsValue) -> Read<TicketThread> {
    let t = &get(v, "ticket");
    let ticket = TicketDetail {
        id: TicketId(id(t, "id")?),
        subject: string(t, "subject")?,
        message: string(t, "message")?,
        status: string(t, "status")?,
        priority: priority(t)?,
        category_id: opt_id(t, "category_id")?.map(CategoryId),
        created_at: opt_string(t, "created_at")?,
        updated_at: opt_string(t, "updated_at")?,
    };
    let replies = list(v, "replies", |r| {
        Ok(Reply {
            id: ReplyId(id(r, "id")?),
            message: string(r, "message")?,
            from_staff: flag(r, "from_staff")?,
            created_at: opt_string(r, "created_at")?,
        })
    })?;
    let custom_fields = list(v, "custom_fields", |f| {
        Ok(CustomFieldValue {
            id: CustomFieldId(id(f, "id")?),
            name: string(f, "name")?,
            kind: kind(f)?,
            value: opt_string(f, "value")?,
        })
    })?;
    Ok(TicketThread {
        ticket,
        replies,
        custom_fields,
    })
}

/// `ticket_reply.php`.
pub fn reply_created(v: &JsValue) -> Read<ReplyCreated> {
    Ok(ReplyCreated {
        reply_id: ReplyId(id(v, "reply_id")?),
    })
}

/// Any refusal; a code this build does not know is [`ErrorCode::Unknown`].
pub fn error_body(v: &JsValue) -> Read<ErrorBody> {
    let code = string(v, "code")?;
    let code = CODES
        .iter()
        .find(|(word, _)| *word == code)
        .map_or(ErrorCode::Unknown, |(_, code)| *code);
    let mut field_errors = BTreeMap::new();
    let errors = get(v, "field_errors");
    if !errors.is_undefined() && !errors.is_null() {
        let errors = errors
            .dyn_into::<Object>()
            .map_err(|_| Unreadable("field_errors"))?;
        for key in Object::keys(&errors).iter() {
            let message = Reflect::get(&errors, &key).ok().and_then(|m| m.as_string());
            match (key.as_string(), message) {
                (Some(key), Some(message)) => field_errors.insert(key, message),
                _ => return Err(Unreadable("field_errors")),
            };
        }
    }
    Ok(ErrorBody {
        code,
        message: string(v, "message")?,
        field: opt_string(v, "field")?,
        field_errors,
    })
}

/// The wire spelling of every code (`ErrorCode`'s serde names).
const CODES: [(&str, ErrorCode); 19] = [
    ("invalid_input", ErrorCode::InvalidInput),
    ("bad_request", ErrorCode::BadRequest),
    ("not_found", ErrorCode::NotFound),
    ("method_not_allowed", ErrorCode::MethodNotAllowed),
    ("payload_too_large", ErrorCode::PayloadTooLarge),
    ("unauthorized", ErrorCode::Unauthorized),
    ("invalid_signature", ErrorCode::InvalidSignature),
    ("signature_expired", ErrorCode::SignatureExpired),
    ("invalid_guest_pass", ErrorCode::InvalidGuestPass),
    ("guest_pass_expired", ErrorCode::GuestPassExpired),
    ("forbidden", ErrorCode::Forbidden),
    ("forbidden_origin", ErrorCode::ForbiddenOrigin),
    ("staff_email", ErrorCode::StaffEmail),
    ("idempotency_conflict", ErrorCode::IdempotencyConflict),
    ("spam_suspected", ErrorCode::SpamSuspected),
    ("rate_limited", ErrorCode::RateLimited),
    ("upstream_unavailable", ErrorCode::UpstreamUnavailable),
    ("upstream_timeout", ErrorCode::UpstreamTimeout),
    ("internal", ErrorCode::Internal),
];

/// `NewTicket` as its JSON body; optional parts are left out when empty, as serde would.
pub fn new_ticket(t: &NewTicket) -> Object {
    let body = Object::new();
    set(&body, "subject", t.subject.as_str().into());
    set(&body, "message", t.message.as_str().into());
    set(&body, "user_email", t.user_email.as_str().into());
    for (key, value) in [("name", &t.name), ("company", &t.company)] {
        if let Some(value) = value {
            set(&body, key, value.as_str().into());
        }
    }
    set(&body, "priority", t.priority.as_str().into());
    if let Some(category) = t.category_id {
        set(&body, "category_id", number(category.0));
    }
    if !t.custom_fields.is_empty() {
        let fields = Object::new();
        for (id, value) in &t.custom_fields {
            // A number as key: JSON.stringify writes it as the string the proxy expects.
            _ = Reflect::set(&fields, &number(id.0), &value.as_str().into());
        }
        set(&body, "custom_fields", fields.into());
    }
    if !t.website.is_empty() {
        set(&body, "website", t.website.as_str().into());
    }
    if let Some(elapsed) = t.elapsed_ms {
        set(&body, "elapsed_ms", number(elapsed));
    }
    body
}

/// `NewReply` as its JSON body.
pub fn new_reply(r: &NewReply) -> Object {
    let body = Object::new();
    set(&body, "ticket_id", number(r.ticket_id.0));
    if !r.user_email.is_empty() {
        set(&body, "user_email", r.user_email.as_str().into());
    }
    set(&body, "message", r.message.as_str().into());
    body
}

/// A body's text; `None` only if the browser refuses (it never does for these plain objects).
pub fn stringify(body: &Object) -> Option<String> {
    JSON::stringify(body).ok().map(String::from)
}

fn set(object: &Object, key: &str, value: JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    _ = Reflect::set(object, &key.into(), &value);
}

fn number(n: u64) -> JsValue {
    // Ids and milliseconds stay far below 2^53, where f64 is exact.
    JsValue::from_f64(n as f64)
}

/// `v[key]`; `undefined` when missing or when `v` is no object.
fn get(v: &JsValue, key: &str) -> JsValue {
    if !v.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(v, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn string(v: &JsValue, key: &'static str) -> Read<String> {
    get(v, key).as_string().ok_or(Unreadable(key))
}

/// A string, or `None` for `null` or a missing key.
fn opt_string(v: &JsValue, key: &'static str) -> Read<Option<String>> {
    let value = get(v, key);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value.as_string().map(Some).ok_or(Unreadable(key))
}

/// A non-negative whole number, or a string holding one.
fn id(v: &JsValue, key: &'static str) -> Read<u64> {
    opt_id(v, key)?.ok_or(Unreadable(key))
}

/// Like [`id`], but `null` or a missing key is `None`.
fn opt_id(v: &JsValue, key: &'static str) -> Read<Option<u64>> {
    let value = get(v, key);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let n = match value.as_string() {
        Some(text) => text.trim().parse().ok(),
        None => value
            .as_f64()
            .filter(|n| *n >= 0.0 && n.fract() == 0.0 && *n < 9_007_199_254_740_992.0)
            .map(|n| n as u64),
    };
    n.map(Some).ok_or(Unreadable(key))
}

/// `true`/`false`, or `1`/`0`.
fn flag(v: &JsValue, key: &'static str) -> Read<bool> {
    let value = get(v, key);
    match value.as_f64() {
        Some(n) if n == 0.0 || n == 1.0 => Ok(n == 1.0),
        _ => value.as_bool().ok_or(Unreadable(key)),
    }
}

fn priority(v: &JsValue) -> Read<Priority> {
    get(v, "priority")
        .as_string()
        .and_then(|p| Priority::parse(&p))
        .ok_or(Unreadable("priority"))
}

/// A custom field's `type`; words this build does not know are text.
fn kind(v: &JsValue) -> Read<FieldKind> {
    string(v, "type").map(|word| FieldKind::from_upstream(&word))
}

/// `v[key]` as an array, each element read by `item`.
fn list<T>(v: &JsValue, key: &'static str, item: impl Fn(&JsValue) -> Read<T>) -> Read<Vec<T>> {
    let value = get(v, key);
    let array = value.dyn_ref::<Array>().ok_or(Unreadable(key))?;
    array.iter().map(|element| item(&element)).collect()
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
