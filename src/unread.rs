//! Which threads have news the visitor has not seen yet.
//!
//! "Last seen" per ticket lives in `localStorage` under `helpdock.seen:<api base>|<scope>` (the
//! scope as in [`crate::drafts`]): a JSON object `{"42": <ms since the epoch>}`, the newest instant
//! the visitor saw in that thread, or [`FILED_HERE`] for a ticket filed from this browser and not
//! opened since (seen as it was filed). It is only written once the visitor has opened the widget:
//! before that, what the launcher's watch ([`watch`]) learns is kept in memory for this page.
//!
//! The list tells when a ticket last changed, not who changed it: a ticket counts as unread when
//! it changed after the visitor last saw its thread. The visitor's own replies from this browser
//! are seen as they are sent (the thread reloads); a ticket met for the first time counts as seen,
//! so a new browser does not light up every old ticket.

pub mod watch;

use crate::api::Api;
use crate::drafts::{load_object, save_object, visitor_key};
use helpdock_wire::{TicketId, TicketSummary, TicketThread};
use std::cell::RefCell;
use wasm_bindgen::JsValue;
use web_sys::js_sys::{Date, Object, Reflect};

/// "Last seen" of a ticket filed from this browser whose thread was not opened since: seen as it
/// was filed, at its `created_at` by the helpdesk's clock (this browser's may be off).
const FILED_HERE: f64 = -1.0;

thread_local! {
    /// "Last seen" of visitors who never opened the widget in this browser, by storage key: kept
    /// for this page only, since nothing is stored before the visitor opens the widget.
    static UNSTORED: RefCell<Vec<(String, Object)>> = const { RefCell::new(Vec::new()) };
}

/// Marks ticket `id` as seen up to `instant` (ms since the epoch); never moves backwards.
pub fn mark_seen(api: &Api, id: TicketId, instant: f64) {
    let (seen, _) = seen(api);
    if stored_instant(&seen, id).is_some_and(|before| before >= instant) {
        return;
    }
    put(&seen, id, instant);
    keep(api, &seen, true);
}

/// Notes that the visitor just filed ticket `id` here: what support adds later is news. Straight
/// to storage (the form that calls this is the first screen's: it must stay small).
pub fn mark_filed(api: &Api, id: TicketId) {
    let key = visitor_key(api, "seen");
    let seen = load_object(&key).unwrap_or_default();
    put(&seen, id, FILED_HERE);
    save_object(&key, &seen);
}

/// Counts the tickets the visitor has never met as seen as they are now. `store`: the visitor
/// has opened the widget, so what is learnt may be written (else it is, only if something of
/// theirs already is).
pub fn meet(api: &Api, tickets: &[TicketSummary], store: bool) {
    let (seen, stored) = seen(api);
    let mut met = false;
    for ticket in tickets {
        if stored_instant(&seen, ticket.id).is_none() {
            put(&seen, ticket.id, changed(ticket).unwrap_or(0.0));
            met = true;
        }
    }
    if met || (store && !stored) {
        keep(api, &seen, store || stored);
    }
}

/// The tickets that changed since the visitor last saw them, in list order.
pub fn unread(api: &Api, tickets: &[TicketSummary]) -> Vec<TicketId> {
    let (seen, _) = seen(api);
    tickets
        .iter()
        .filter(|t| {
            let seen = match stored_instant(&seen, t.id) {
                Some(FILED_HERE) => instant(t.created_at.as_deref()),
                other => other,
            };
            matches!((changed(t), seen), (Some(changed), Some(seen)) if changed > seen)
        })
        .map(|t| t.id)
        .collect()
}

/// Up to when the visitor had seen `thread` before now (ms since the epoch); `None` when never.
pub fn last_seen(api: &Api, thread: &TicketThread) -> Option<f64> {
    match stored_instant(&seen(api).0, thread.ticket.id)? {
        FILED_HERE => instant(thread.ticket.created_at.as_deref()),
        seen => Some(seen),
    }
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

/// The visitor's "last seen" object, and whether it is the stored one.
fn seen(api: &Api) -> (Object, bool) {
    let key = visitor_key(api, "seen");
    if let Some(stored) = load_object(&key) {
        return (stored, true);
    }
    let kept = UNSTORED.with(|kept| {
        kept.borrow()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, seen)| seen.clone())
    });
    (kept.unwrap_or_default(), false)
}

/// Keeps `seen` as the visitor's: in storage when `store`, else in memory for this page.
fn keep(api: &Api, seen: &Object, store: bool) {
    let key = visitor_key(api, "seen");
    UNSTORED.with(|kept| {
        let mut kept = kept.borrow_mut();
        kept.retain(|(k, _)| *k != key);
        if !store {
            kept.push((key.clone(), seen.clone()));
        }
    });
    if store {
        save_object(&key, seen);
    }
}

fn put(seen: &Object, id: TicketId, instant: f64) {
    _ = Reflect::set(
        seen,
        &JsValue::from_str(&id.to_string()),
        &JsValue::from_f64(instant),
    );
}

fn stored_instant(seen: &Object, id: TicketId) -> Option<f64> {
    Reflect::get(seen, &JsValue::from_str(&id.to_string()))
        .ok()?
        .as_f64()
}

fn changed(ticket: &TicketSummary) -> Option<f64> {
    instant(ticket.updated_at.as_deref())
}

/// An RFC 3339 instant as ms since the epoch.
pub(crate) fn instant(text: Option<&str>) -> Option<f64> {
    Some(Date::parse(text?)).filter(|ms| ms.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::Identity;
    use crate::test_support::fresh_base;
    use helpdock_wire::Priority;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn summary(id: u64, created: &str, updated: &str) -> TicketSummary {
        TicketSummary {
            id: TicketId(id),
            subject: "s".into(),
            status: "open".into(),
            priority: Priority::Medium,
            created_at: Some(created.into()),
            updated_at: Some(updated.into()),
        }
    }

    #[test]
    fn a_ticket_filed_here_is_news_once_it_changes_after_filing() {
        let api = Api::new(&fresh_base("filed-here"), None);
        mark_filed(&api, TicketId(5));
        let filed = summary(5, "2026-11-20T09:00:00Z", "2026-11-20T09:00:00Z");
        assert!(
            unread(&api, std::slice::from_ref(&filed)).is_empty(),
            "as filed"
        );
        let answered = summary(5, "2026-11-20T09:00:00Z", "2026-11-20T09:05:00Z");
        meet(&api, std::slice::from_ref(&answered), true);
        assert_eq!(
            unread(&api, std::slice::from_ref(&answered)),
            [TicketId(5)],
            "met stays filed"
        );
    }

    #[test]
    fn before_the_widget_is_opened_nothing_is_stored_and_news_still_counts() {
        let api = Api::new(&fresh_base("unstored"), None);
        api.set_identity(Identity::new("ann@example.com", None, None, "ab12").ok());
        let key = visitor_key(&api, "seen");
        let first = summary(7, "2026-11-20T09:00:00Z", "2026-11-21T10:00:00Z");
        meet(&api, std::slice::from_ref(&first), false);
        assert!(unread(&api, std::slice::from_ref(&first)).is_empty());
        let later = summary(7, "2026-11-20T09:00:00Z", "2026-11-21T11:00:00Z");
        meet(&api, std::slice::from_ref(&later), false);
        assert_eq!(unread(&api, std::slice::from_ref(&later)), [TicketId(7)]);
        assert!(load_object(&key).is_none(), "nothing stored");

        // Opening the widget stores what this page learnt.
        meet(&api, std::slice::from_ref(&later), true);
        assert!(load_object(&key).is_some());
        assert_eq!(unread(&api, std::slice::from_ref(&later)), [TicketId(7)]);
    }
}
