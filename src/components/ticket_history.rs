//! "My tickets": the visitor's tickets, or one of them as a thread.

use super::error_view::error_view;
use super::refocus::keep_focus;
use super::status_class;
use crate::api::{Api, ApiError, Visitor};
use crate::chunks;
use crate::i18n::{around, use_i18n};
use crate::load::load;
use crate::polling::{Poll, PollEvery};
use crate::reactive::{effect, memo};
use crate::shell::Shell;
use crate::time;
use crate::unread;
use helpdock_wire::{TicketId, TicketSummary};
use leptos::html::Ul;
use leptos::prelude::*;
use std::time::Duration;

#[derive(Clone, Debug, PartialEq)]
enum ListState {
    Loading,
    Failed(ApiError),
    Empty,
    Ready,
}

/// Lists the visitor's tickets, or shows the `selected` one: all of a verified visitor's, the
/// guest pass's for a guest, and for anyone else a word on where tickets will appear (with
/// `on_new`'s way to file one, as an empty list has). The list asks again while on screen
/// ([`Poll`]); tickets with news since the visitor last saw their thread are marked, and counted
/// into `Shell::unread` for the launcher's badge.
pub fn ticket_history(selected: RwSignal<Option<TicketId>>, on_new: Callback<()>) -> impl IntoView {
    let api = expect_context::<Api>();
    let shell = use_context::<Shell>();
    if let Some(listing) = shell.as_ref().map(|s| s.listing.clone()) {
        // The launcher's watch need not ask while this list does (an `Arc` signal: it outlives
        // this component's own, which may be gone by the time the cleanup runs).
        listing.set(true);
        on_cleanup(move || listing.set(false));
    }
    let t = use_i18n();
    // Follows `identify`, `reset`, and a guest pass arriving or being refused.
    let visitor = memo({
        let api = api.clone();
        move || api.visitor()
    });
    // Bumped after a reply, so the list shows the ticket's new place and status.
    let changed = RwSignal::new(0_usize);
    // Bumped when a thread was seen, so its row and the count follow.
    let seen = RwSignal::new(0_usize);
    let poll = Poll::start(use_context::<PollEvery>().unwrap_or_default().list);
    let list = load({
        let api = api.clone();
        move || {
            let (api, visitor) = (api.clone(), visitor.get());
            changed.track();
            poll.track();
            async move {
                match visitor {
                    Visitor::Anonymous => None,
                    Visitor::Verified(_) | Visitor::Guest => {
                        let answer = api.list_tickets().await;
                        poll.report(answer.is_ok());
                        if let Ok(list) = &answer {
                            unread::meet(&api, &list.tickets, true);
                        }
                        Some(answer)
                    }
                }
            }
        }
    });

    // The list's shape and its rows change separately, so a refetch updates rows in place.
    let state = memo(move || match list.get() {
        None | Some(None) => ListState::Loading,
        Some(Some(Err(error))) => ListState::Failed(error),
        Some(Some(Ok(list))) if list.tickets.is_empty() => ListState::Empty,
        Some(Some(Ok(_))) => ListState::Ready,
    });
    let tickets = memo(move || {
        list.get()
            .flatten()
            .and_then(Result::ok)
            .map(|l| l.tickets)
            .unwrap_or_default()
    });

    let unread_ids = memo(move || {
        seen.track();
        tickets.with(|tickets| unread::unread(&api, tickets))
    });
    // Only from a list that loaded: a failed poll keeps the count where it was.
    if let Some(shell) = shell {
        effect(move || {
            let listed = matches!(state.get(), ListState::Ready | ListState::Empty);
            let now = unread_ids.get();
            if listed {
                shell.set_unread(now);
            }
        });
    }

    let on_back = Callback::new(move |()| selected.set(None));
    let on_replied = Callback::new(move |()| changed.update(|n| *n += 1));
    let on_seen = Callback::new(move |()| seen.update(|n| *n += 1));

    move || {
        match (visitor.get(), selected.get()) {
        (Visitor::Anonymous, _) => view! {
            <div class="hd-empty" data-testid="empty-history">
                <p>{t.text(|s| s.history_anonymous)}</p>
                {new_ticket_button(on_new)}
            </div>
        }
        .into_any(),
        (_, Some(id)) => chunks::thread(id, on_back, on_replied, Some(on_seen)).into_any(),
        (visitor, None) => view! {
            <div class="hd-history">
                <p class="hd-muted hd-history-who">
                    {match visitor {
                        Visitor::Verified(identity) => {
                            view! {
                                {t.text(|s| around(s.tickets_for, "{email}").0)}
                                <strong dir="auto">{identity.email().to_owned()}</strong>
                                {t.text(|s| around(s.tickets_for, "{email}").1)}
                            }
                            .into_any()
                        }
                        _ => t.text(|s| s.tickets_from_browser).into_any(),
                    }}
                </p>
                {move || match state.get() {
                    ListState::Loading => view! { <p class="hd-muted" aria-busy="true">{t.text(|s| s.loading_tickets)}</p> }.into_any(),
                    ListState::Failed(error) => error_view(error, "history-error").into_any(),
                    ListState::Empty => view! {
                        <div class="hd-empty" data-testid="empty-history">
                            <p>{t.text(|s| s.no_tickets)}</p>
                            {new_ticket_button(on_new)}
                        </div>
                    }.into_any(),
                    ListState::Ready => ticket_rows(tickets, unread_ids, selected).into_any(),
                }}
            </div>
        }
        .into_any(),
    }
    }
}

/// The way from an empty "My tickets" to the form.
fn new_ticket_button(on_new: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    view! {
        <button type="button" class="hd-button" data-testid="empty-new-ticket" on:click=move |_| on_new.run(())>
            {t.text(|s| s.new_ticket)}
        </button>
    }
}

/// The rows; keyboard focus on a row stays there when the list is drawn again.
fn ticket_rows(
    tickets: Memo<Vec<TicketSummary>>,
    unread: Memo<Vec<TicketId>>,
    selected: RwSignal<Option<TicketId>>,
) -> impl IntoView {
    let i18n = use_i18n();
    // "3 minutes ago" must not go stale while the list stays open.
    let tick = RwSignal::new(0_u32);
    if let Ok(timer) = set_interval_with_handle(
        move || tick.update(|n| *n = n.wrapping_add(1)),
        Duration::from_secs(30),
    ) {
        on_cleanup(move || timer.clear());
    }
    let list = NodeRef::<Ul>::new();
    // `tickets` changes only when a ticket does (a memo): then every row is drawn again.
    let rows = move || {
        let tickets = tickets.get();
        if let Some(list) = list.get_untracked() {
            keep_focus(&list);
        }
        tickets
            .into_iter()
            .map(move |t| {
                    let (id, badge) = (t.id, status_class(&t.status));
                    let is_unread = move || unread.with(|u| u.contains(&id));
                    view! {
                        <li>
                            <button
                                type="button"
                                class="hd-list-row"
                                data-testid=format!("ticket-row-{id}")
                                data-unread=move || is_unread().to_string()
                                on:click=move |_| selected.set(Some(id))
                            >
                                <span class="hd-list-subject">
                                    {move || is_unread().then(|| view! {
                                        <span class="hd-unread" data-testid=format!("ticket-unread-{id}")>
                                            <span class="hd-visually-hidden">{i18n.text(|s| s.new_reply)}</span>
                                        </span>
                                    })}
                                    // The visitor's words take their own direction.
                                    <span dir="auto">{t.subject}</span>
                                </span>
                                // Priority and number are the thread's: here they would be noise.
                                <span class="hd-list-meta">
                                    <span class=badge data-testid=format!("ticket-status-{id}")>
                                        {i18n.status(t.status)}
                                    </span>
                                    {updated(id, t.updated_at.as_deref(), tick)}
                                </span>
                            </button>
                        </li>
                    }
            })
            .collect_view()
    };
    view! {
        <ul class="hd-list" data-testid="ticket-list" node_ref=list>
            {rows}
        </ul>
    }
}

/// "Updated 3 minutes ago", reworded on each `tick`, the exact time on hover; nothing when the
/// time is unknown.
fn updated(
    id: TicketId,
    instant: Option<&str>,
    tick: RwSignal<u32>,
) -> Option<impl IntoView + use<>> {
    let t = use_i18n();
    let instant = instant?.to_owned();
    time::date_time(&instant, t.get_untracked().lang)?;
    let title = t.date_time(instant.clone());
    let ago = {
        let instant = instant.clone();
        move || {
            tick.track();
            time::relative(&instant, t.get().lang)
        }
    };
    view! {
        <span class="hd-list-time">
            {t.text(|s| around(s.updated, "{time}").0)}
            <time datetime=instant title=title data-testid=format!("ticket-updated-{id}")>
                {ago}
            </time>
            {t.text(|s| around(s.updated, "{time}").1)}
        </span>
    }
    .into()
}

#[cfg(test)]
#[path = "ticket_history/tests.rs"]
mod tests;

#[cfg(test)]
#[path = "ticket_history/focus_tests.rs"]
mod focus_tests;
