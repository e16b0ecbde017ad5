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

use crate::api::{Api, Visitor};
use crate::drafts::{load_object, save_object, visitor_key};
use crate::polling::{Poll, PollEvery};
use crate::reactive::effect;
use crate::shell::Shell;
use helpdock_wire::{TicketId, TicketSummary, TicketThread};
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use web_sys::js_sys::{Date, Object, Reflect};

/// Keeps `Shell::unread` (the launcher's badge) current while the panel is open: asks for the
/// visitor's tickets at the list's pace (the first time one period after the panel opens), except
/// while `paused` ("My tickets" is showing and counts for itself). Called while the panel is
/// built, so it lives as long as the panel; a plain function, not a component (fewer bytes).
pub fn unread_watch(paused: Memo<bool>) {
    let api = expect_context::<Api>();
    let Some(count) = use_context::<Shell>().map(|s| RwSignal::<u32>::from(s.unread)) else {
        return;
    };
    let poll = Poll::start(use_context::<PollEvery>().unwrap_or_default().list);
    // Only on beats: the first look is one period after the panel opens (opening it costs no
    // request), and a change of visitor or tab asks nothing by itself.
    let mut first = true;
    effect(move || {
        poll.track();
        let anonymous = untrack(|| api.visitor()) == Visitor::Anonymous;
        if std::mem::take(&mut first) || paused.get_untracked() || anonymous {
            return;
        }
        let api = api.clone();
        leptos::task::spawn_local(async move {
            let answer = api.list_tickets().await;
            poll.report(answer.is_ok());
            if let Ok(list) = answer {
                meet(&api, &list.tickets);
                let now = unread(&api, &list.tickets).len() as u32;
                if count
                    .try_get_untracked()
                    .is_some_and(|before| before != now)
                {
                    count.set(now);
                }
            }
        });
    });
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::Identity;
    use crate::test_support::{FakeProxy, Page, fresh_base, one_ticket, tick, until};
    use std::time::Duration;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    async fn the_badge_follows_the_list_while_the_panel_is_open_elsewhere() {
        let proxy = FakeProxy::install();
        proxy.answer("tickets_list.php", 200, one_ticket());
        let api = Api::new(&fresh_base("unread-watch"), None);
        api.set_identity(Identity::new("ann@example.com", None, None, "ab12").ok());
        mark_seen(&api, TicketId(42), Date::parse("2026-11-21T10:00:00Z"));
        let shell = Shell::new(None);
        shell.open.set(true);
        let paused = RwSignal::new(false);
        let page = Page::new();
        let mounted = leptos::mount::mount_to(page.root.clone(), {
            let (api, shell) = (api.clone(), shell.clone());
            move || {
                provide_context(api);
                provide_context(shell);
                provide_context(PollEvery {
                    thread: Duration::from_millis(20),
                    list: Duration::from_millis(20),
                });
                unread_watch(crate::reactive::memo(move || paused.get()))
            }
        });
        until("the count", || shell.unread.get_untracked() == 1).await;

        paused.set(true);
        tick().await;
        let asked = proxy.calls_to("tickets_list.php").len();
        for _ in 0..5 {
            tick().await;
        }
        assert_eq!(proxy.calls_to("tickets_list.php").len(), asked, "paused");
        drop(mounted);
    }
}
