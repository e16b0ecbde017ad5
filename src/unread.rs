//! Which threads have news the visitor has not seen yet.
//!
//! "Last seen" per ticket lives in `localStorage` under `helpdock.seen:<api base>|<scope>` (the
//! scope as in [`crate::drafts`]): a JSON object `{"42": <ms since the epoch>}`, the newest instant
//! the visitor saw in that thread. It is only written once the visitor has opened the widget (the
//! list and the threads load only then).
//!
//! The list tells when a ticket last changed, not who changed it: a ticket counts as unread when
//! it changed after the visitor last saw its thread. The visitor's own replies from this browser
//! are seen as they are sent (the thread reloads); a ticket met for the first time counts as seen,
//! so a new browser does not light up every old ticket.

use crate::api::Api;
use crate::drafts::{load_object, save_object, visitor_key};
use helpdock_wire::{TicketId, TicketSummary, TicketThread};
use wasm_bindgen::JsValue;
use web_sys::js_sys::{Date, Object, Reflect};

/// Marks ticket `id` as seen up to `instant` (ms since the epoch); never moves backwards.
pub fn mark_seen(api: &Api, id: TicketId, instant: f64) {
    let seen = seen(api);
    if last_seen(&seen, id).is_some_and(|before| before >= instant) {
        return;
    }
    _ = Reflect::set(
        &seen,
        &JsValue::from_str(&id.to_string()),
        &JsValue::from_f64(instant),
    );
    save_object(&visitor_key(api, "seen"), &seen);
}

/// Counts the tickets the visitor has never met as seen as they are now.
pub fn meet(api: &Api, tickets: &[TicketSummary]) {
    let seen = seen(api);
    let mut met = false;
    for ticket in tickets {
        if last_seen(&seen, ticket.id).is_none() {
            let now = changed(ticket).unwrap_or(0.0);
            _ = Reflect::set(
                &seen,
                &JsValue::from_str(&ticket.id.to_string()),
                &JsValue::from_f64(now),
            );
            met = true;
        }
    }
    if met {
        save_object(&visitor_key(api, "seen"), &seen);
    }
}

/// The tickets that changed since the visitor last saw them, in list order.
pub fn unread(api: &Api, tickets: &[TicketSummary]) -> Vec<TicketId> {
    let seen = seen(api);
    tickets
        .iter()
        .filter(|t| match (changed(t), last_seen(&seen, t.id)) {
            (Some(changed), Some(seen)) => changed > seen,
            _ => false,
        })
        .map(|t| t.id)
        .collect()
}

/// The newest instant a thread shows: its last change or its newest reply.
pub fn newest(thread: &TicketThread) -> Option<f64> {
    let replies = thread.replies.iter().map(|r| r.created_at.as_deref());
    [thread.ticket.updated_at.as_deref()]
        .into_iter()
        .chain(replies)
        .filter_map(instant)
        .reduce(f64::max)
}

fn seen(api: &Api) -> Object {
    load_object(&visitor_key(api, "seen")).unwrap_or_default()
}

fn last_seen(seen: &Object, id: TicketId) -> Option<f64> {
    Reflect::get(seen, &JsValue::from_str(&id.to_string()))
        .ok()?
        .as_f64()
}

fn changed(ticket: &TicketSummary) -> Option<f64> {
    instant(ticket.updated_at.as_deref())
}

/// An RFC 3339 instant as ms since the epoch.
fn instant(text: Option<&str>) -> Option<f64> {
    Some(Date::parse(text?)).filter(|ms| ms.is_finite())
}
