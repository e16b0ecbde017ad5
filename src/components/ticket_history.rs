//! "My tickets": the visitor's tickets, or one of them as a thread.

use super::error_view::ErrorView;
use super::ticket_thread::TicketThread;
use super::{priority_label, short_time, status_class};
use crate::Visitor;
use crate::api::{Api, ApiError};
use helpdock_wire::validate::is_valid_email;
use helpdock_wire::{TicketId, TicketSummary};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
enum ListState {
    Loading,
    Failed(ApiError),
    Empty,
    Ready,
}

/// Lists the visitor's tickets, or shows the `selected` one. The visitor is known by the guest
/// pass this browser holds, or else by their email (asked for here when the form has none).
#[component]
pub fn TicketHistory(selected: RwSignal<Option<TicketId>>) -> impl IntoView {
    let api = expect_context::<Api>();
    let visitor = expect_context::<Visitor>();
    // Read once: this view is mounted afresh on every visit to the tab.
    let has_pass = api.has_guest_pass();
    let email = Memo::new(move |_| visitor.known_email());
    let known = Memo::new(move |_| has_pass || email.get().is_some());
    // Bumped after a reply, so the list shows the ticket's new place and status.
    let changed = RwSignal::new(0_usize);
    let list = LocalResource::new(move || {
        let (api, known, email) = (api.clone(), known.get(), email.get());
        changed.track();
        async move {
            match known {
                true => Some(api.list_tickets(email.as_deref()).await),
                false => None,
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
    let on_change_email = move |_| {
        selected.set(None);
        visitor.email.set(String::new());
    };
    let who = move || match email.get() {
        Some(email) => view! { "Tickets for " <strong>{email}</strong> }.into_any(),
        None => "Tickets from this browser".into_any(),
    };

    move || match (known.get(), selected.get()) {
        (false, _) => email_prompt(visitor.email).into_any(),
        (true, Some(id)) => {
            view! { <TicketThread id email=email.get_untracked() on_back on_replied/> }.into_any()
        }
        (true, None) => view! {
            <div class="hd-history">
                <p class="hd-muted hd-history-who">
                    {who}
                    // A guest pass fixes who the visitor is; only a typed email can be changed.
                    {(!has_pass).then(|| view! {
                        " · "
                        <button type="button" class="hd-link" data-testid="history-change" on:click=on_change_email>
                            "Change"
                        </button>
                    })}
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

/// Asks for the email address the tickets were filed with.
fn email_prompt(email: RwSignal<String>) -> impl IntoView {
    let draft = RwSignal::new(email.get_untracked());
    let problem = RwSignal::new(None::<&'static str>);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let typed = draft.get_untracked();
        if is_valid_email(typed.trim()) {
            problem.set(None);
            email.set(typed.trim().to_owned());
        } else {
            problem.set(Some("Enter the email address you used for your tickets."));
        }
    };
    view! {
        <form class="hd-form hd-history-email" novalidate on:submit=on_submit>
            <p>"Enter the email address you used, and we'll show your tickets."</p>
            <div class="hd-field">
                <label for="hd-history-email">"Email"</label>
                <input
                    id="hd-history-email"
                    type="email"
                    autocomplete="email"
                    data-testid="history-email"
                    aria-invalid=move || problem.get().is_some().to_string()
                    bind:value=draft
                />
                {move || problem.get().map(|p| view! { <p class="hd-field-error" data-testid="error-history-email">{p}</p> })}
            </div>
            <button type="submit" class="hd-button" data-testid="history-load">"Show my tickets"</button>
        </form>
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
