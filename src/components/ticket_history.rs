//! "My tickets": the visitor's tickets, or one of them as a thread.

use super::error_view::ErrorView;
use super::ticket_thread::TicketThread;
use super::{priority_label, short_time, status_class};
use crate::api::{Api, ApiError, Visitor};
use helpdock_wire::{TicketId, TicketSummary};
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
enum ListState {
    Loading,
    Failed(ApiError),
    Empty,
    Ready,
}

/// Lists the visitor's tickets, or shows the `selected` one: all of a verified visitor's, the
/// guest pass's for a guest, and for anyone else a word on where tickets will appear.
#[component]
pub fn TicketHistory(selected: RwSignal<Option<TicketId>>) -> impl IntoView {
    let api = expect_context::<Api>();
    // Follows `identify`, `reset`, and a guest pass arriving or being refused.
    let visitor = Memo::new({
        let api = api.clone();
        move |_| api.visitor()
    });
    // Bumped after a reply, so the list shows the ticket's new place and status.
    let changed = RwSignal::new(0_usize);
    let list = LocalResource::new(move || {
        let (api, visitor) = (api.clone(), visitor.get());
        changed.track();
        async move {
            match visitor {
                Visitor::Anonymous => None,
                Visitor::Verified { .. } | Visitor::Guest => Some(api.list_tickets().await),
            }
        }
    });

    // The list's shape and its rows change separately, so a refetch updates rows in place.
    let state = Memo::new(move |_| match list.get() {
        None | Some(None) => ListState::Loading,
        Some(Some(Err(error))) => ListState::Failed(error),
        Some(Some(Ok(list))) if list.tickets.is_empty() => ListState::Empty,
        Some(Some(Ok(_))) => ListState::Ready,
    });
    let tickets = Memo::new(move |_| {
        list.get().flatten().and_then(Result::ok).map(|l| l.tickets).unwrap_or_default()
    });

    let on_back = Callback::new(move |()| selected.set(None));
    let on_replied = Callback::new(move |()| changed.update(|n| *n += 1));

    move || match (visitor.get(), selected.get()) {
        (Visitor::Anonymous, _) => view! {
            <p class="hd-empty" data-testid="empty-history">
                "Tickets you send from this browser will appear here. "
                "If you're signed in on this site, you'll find all of your tickets here."
            </p>
        }
        .into_any(),
        (_, Some(id)) => view! { <TicketThread id on_back on_replied/> }.into_any(),
        (visitor, None) => view! {
            <div class="hd-history">
                <p class="hd-muted hd-history-who">
                    {match visitor {
                        Visitor::Verified { email } => view! { "Tickets for " <strong>{email}</strong> }.into_any(),
                        _ => "Tickets sent from this browser".into_any(),
                    }}
                </p>
                {move || match state.get() {
                    ListState::Loading => view! { <p class="hd-muted" aria-busy="true">"Loading your tickets…"</p> }.into_any(),
                    ListState::Failed(error) => view! { <ErrorView error testid="history-error"/> }.into_any(),
                    ListState::Empty => view! {
                        <p class="hd-empty" data-testid="empty-history">"You have no tickets yet."</p>
                    }.into_any(),
                    ListState::Ready => ticket_rows(tickets.into(), selected).into_any(),
                }}
            </div>
        }
        .into_any(),
    }
}

/// The rows, keyed by ticket (and its last change, so an updated ticket is redrawn).
fn ticket_rows(tickets: Signal<Vec<TicketSummary>>, selected: RwSignal<Option<TicketId>>) -> impl IntoView {
    view! {
        <ul class="hd-list" data-testid="ticket-list">
            <For
                each=move || tickets.get()
                key=|t| (t.id, t.status.clone(), t.updated_at.clone())
                children=move |t: TicketSummary| {
                    let (id, badge) = (t.id, status_class(&t.status));
                    view! {
                        <li>
                            <button
                                type="button"
                                class="hd-list-row"
                                data-testid=format!("ticket-row-{id}")
                                on:click=move |_| selected.set(Some(id))
                            >
                                <span class="hd-list-subject">{t.subject}</span>
                                <span class="hd-list-meta">
                                    <span class=badge data-testid=format!("ticket-status-{id}")>
                                        {t.status}
                                    </span>
                                    <span class="hd-priority">{priority_label(t.priority)}</span>
                                    <span>"#" {id.to_string()}</span>
                                    <span class="hd-list-time">"Updated " {short_time(&t.updated_at)}</span>
                                </span>
                            </button>
                        </li>
                    }
                }
            />
        </ul>
    }
}
