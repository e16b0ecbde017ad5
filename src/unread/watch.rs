//! The launcher's unread watch: whether support answered, asked without the panel open.
//!
//! It asks for the visitor's tickets (`tickets_list.php`) as soon as it starts (when the widget
//! loads for a visitor with an identity or a guest pass, or once they get one), then again while
//! the page is visible, each wait twice the one before: one period (a minute), 2, 4, 8, then every
//! fifteen periods (a quarter of an hour). A change of the count, or a new visitor, starts the
//! waits over; errors double them too. Nothing is asked while the page is hidden (back on it, the
//! watch asks at once if its wait is over), nor while "My tickets" is on screen and asks for
//! itself. A visible page left open an hour costs the proxy seven lists, then four an hour.

use super::{meet, unread};
use crate::api::{Api, Visitor};
use crate::polling::{PollEvery, page_visible};
use crate::reactive::effect;
use crate::shell::Shell;
use leptos::prelude::*;
use web_sys::js_sys::Date;

/// The longest wait between two asks, in periods.
const MOST_PERIODS: u32 = 15;

/// Starts the watch, for as long as the calling owner lives; it keeps `Shell::unread` (the
/// launcher's badge). A plain function, not a component (fewer bytes).
pub fn unread_watch() {
    let api = expect_context::<Api>();
    let Some(shell) = use_context::<Shell>() else {
        return;
    };
    let (open, listing): (RwSignal<bool>, RwSignal<bool>) =
        (shell.open.clone().into(), shell.listing.clone().into());
    let period = use_context::<PollEvery>().unwrap_or_default().unread;
    let every = period.as_millis() as f64;
    let most = every * f64::from(MOST_PERIODS);
    // When the last ask left (ms since the epoch), and how long to wait after it.
    let last = StoredValue::new(f64::NEG_INFINITY);
    let wait = StoredValue::new(every / 2.0);
    let asking = StoredValue::new(false);
    let visible = RwSignal::new(page_visible());
    let listener =
        window_event_listener_untyped("visibilitychange", move |_| visible.set(page_visible()));
    on_cleanup(move || listener.remove());

    // A new visitor (`identify`, `reset`, a guest pass) is asked about at once; the first answer
    // doubles the half period to one.
    let mut first = true;
    effect({
        let api = api.clone();
        move || {
            api.visitor();
            if !std::mem::take(&mut first) {
                last.set_value(f64::NEG_INFINITY);
                wait.set_value(every / 2.0);
            }
        }
    });
    // `try_`: a beat already on its way when the watch's owner goes must do nothing.
    let beat = move || {
        let now = Date::now();
        let (Some(open), Some(listing), Some(visible), Some(last_ask), Some(waited), Some(busy)) = (
            open.try_get_untracked(),
            listing.try_get_untracked(),
            visible.try_get_untracked(),
            last.try_get_value(),
            wait.try_get_value(),
            asking.try_get_value(),
        ) else {
            return;
        };
        if open && listing {
            // "My tickets" keeps the count: the waits start over once it is gone.
            last.set_value(now);
            wait.set_value(every);
            return;
        }
        if now - last_ask < waited || busy || !visible {
            return;
        }
        if untrack(|| api.visitor()) == Visitor::Anonymous {
            return;
        }
        asking.set_value(true);
        last.set_value(now);
        let (api, shell) = (api.clone(), shell.clone());
        leptos::task::spawn_local(async move {
            let answer = api.list_tickets().await;
            let changed = match answer {
                // Not after the watch is gone (the visitor's tickets may be another's by then).
                Ok(list) if !asking.is_disposed() => {
                    meet(&api, &list.tickets, false);
                    let now = unread(&api, &list.tickets);
                    let changed = shell.unread_tickets() != now;
                    if changed {
                        shell.set_unread(now);
                    }
                    changed
                }
                _ => false,
            };
            asking.try_set_value(false);
            wait.try_update_value(|wait| {
                *wait = if changed {
                    every
                } else {
                    (*wait * 2.0).min(most)
                };
            });
        });
    };
    // Looks a few times a period whether an ask is due: a page coming back into view asks
    // within moments, not a whole wait later.
    beat();
    if let Ok(timer) = set_interval_with_handle(beat, period / 6) {
        on_cleanup(move || timer.clear());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::Identity;
    use crate::test_support::{FakeProxy, Page, fresh_base, one_ticket, tick, until};
    use crate::unread::mark_seen;
    use helpdock_wire::TicketId;
    use serde_json::json;
    use std::time::Duration;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn one_ticket_updated(at: &str) -> serde_json::Value {
        json!({"tickets": [{
            "id": 42, "subject": "Where is my order?", "status": "open", "priority": "high",
            "created_at": "2026-11-20T09:00:00Z", "updated_at": at,
        }]})
    }

    fn watch(
        page: &Page,
        api: &Api,
        shell: &Shell,
        period: Duration,
    ) -> leptos::mount::UnmountHandle<impl Mountable + use<>> {
        leptos::mount::mount_to(page.root.clone(), {
            let (api, shell) = (api.clone(), shell.clone());
            move || {
                provide_context(api);
                provide_context(shell);
                provide_context(PollEvery {
                    unread: period,
                    ..PollEvery::default()
                });
                unread_watch();
            }
        })
    }

    #[test]
    async fn the_badge_is_known_without_opening_the_panel() {
        let proxy = FakeProxy::install();
        proxy.answer("tickets_list.php", 200, one_ticket());
        let api = Api::new(&fresh_base("watch-closed"), None);
        api.set_identity(Identity::new("ann@example.com", None, None, "ab12").ok());
        mark_seen(&api, TicketId(42), Date::parse("2026-11-21T10:00:00Z"));
        let shell = Shell::new(None);
        let page = Page::new();
        let _watch = watch(&page, &api, &shell, Duration::from_secs(3600));
        until("the count", || shell.unread_tickets() == [TicketId(42)]).await;
        assert_eq!(proxy.calls_to("tickets_list.php").len(), 1, "asked once");
    }

    #[test]
    async fn the_waits_double_and_a_change_starts_them_over() {
        let proxy = FakeProxy::install();
        proxy.answer(
            "tickets_list.php",
            200,
            one_ticket_updated("2026-11-21T09:00:00Z"),
        );
        let api = Api::new(&fresh_base("watch-backoff"), None);
        api.set_identity(Identity::new("ann@example.com", None, None, "ab12").ok());
        let shell = Shell::new(None);
        let page = Page::new();
        let _watch = watch(&page, &api, &shell, Duration::from_millis(60));
        let asks = || proxy.calls_to("tickets_list.php").len();
        // Asks at 0, 60, 180, 420 ms: four within half a second, not eight.
        until("the first ask", || asks() == 1).await;
        let started = Date::now();
        until("four asks", || asks() == 4).await;
        let took = Date::now() - started;
        assert!(took >= 380.0, "the waits grew: {took} ms");
        // Support answers: the count changes, and the waits start over.
        proxy.answer(
            "tickets_list.php",
            200,
            one_ticket_updated("2026-11-21T12:00:00Z"),
        );
        until("the news", || shell.unread_tickets() == [TicketId(42)]).await;
        let before = asks();
        until("the next ask", || asks() > before).await;
    }

    #[test]
    async fn a_guest_or_nobody_and_my_tickets_on_screen() {
        let proxy = FakeProxy::install();
        proxy.answer("tickets_list.php", 200, one_ticket());
        let api = Api::new(&fresh_base("watch-nobody"), None);
        let shell = Shell::new(None);
        let page = Page::new();
        let _watch = watch(&page, &api, &shell, Duration::from_millis(20));
        for _ in 0..5 {
            tick().await;
        }
        assert!(proxy.calls().is_empty(), "nobody to ask about");

        // "My tickets" on screen asks for itself.
        shell.open.set(true);
        shell.listing.set(true);
        api.set_identity(Identity::new("ann@example.com", None, None, "ab12").ok());
        for _ in 0..5 {
            tick().await;
        }
        assert!(proxy.calls().is_empty(), "paused while listing");
        shell.listing.set(false);
        until("an ask", || !proxy.calls_to("tickets_list.php").is_empty()).await;
    }
}
