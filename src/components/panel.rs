//! The card above the launcher: header, the two tabs, and their content.

use super::ticket_form::TicketForm;
use super::ticket_history::TicketHistory;
use crate::unread::UnreadWatch;
use helpdock_wire::TicketId;
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    New,
    History,
}

/// The panel; hidden (not unmounted) while `open` is false.
#[component]
pub fn Panel(open: Signal<bool>, on_close: Callback<()>) -> impl IntoView {
    let tab = RwSignal::new(Tab::New);
    // The ticket "My tickets" shows as a thread; set from the list or from a confirmation.
    let selected = RwSignal::new(None::<TicketId>);

    let show_ticket = Callback::new(move |id: TicketId| {
        selected.set(Some(id));
        tab.set(Tab::History);
    });
    let tab_button = move |which: Tab, label: &'static str, testid: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                class="hd-tab"
                data-testid=testid
                aria-selected=move || (tab.get() == which).to_string()
                on:click=move |_| {
                    if which == Tab::History && tab.get_untracked() == Tab::History {
                        // A second click on "My tickets" goes back to the list.
                        selected.set(None);
                    }
                    tab.set(which);
                }
            >
                {label}
            </button>
        }
    };

    view! {
        <section
            class="hd-panel"
            data-testid="panel"
            hidden=move || !open.get()
            aria-label="Support"
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    on_close.run(());
                }
            }
        >
            <header class="hd-header">
                <div>
                    <h2 class="hd-title">"How can we help?"</h2>
                    <p class="hd-subtitle">"We usually answer within a day."</p>
                </div>
                <button
                    type="button"
                    class="hd-close"
                    aria-label="Close support"
                    on:click=move |_| on_close.run(())
                >
                    "×"
                </button>
            </header>
            <nav class="hd-tabs" role="tablist">
                {tab_button(Tab::New, "New ticket", "tab-new")}
                {tab_button(Tab::History, "My tickets", "tab-history")}
            </nav>
            // The launcher's unread count, while "My tickets" is not there to keep it.
            <UnreadWatch paused=Signal::derive(move || tab.get() == Tab::History)/>
            <div class="hd-body">
                <div role="tabpanel" hidden=move || tab.get() != Tab::New>
                    <TicketForm on_show_ticket=show_ticket/>
                </div>
                // Mounted afresh on each visit, so the list is always current.
                <Show when=move || tab.get() == Tab::History>
                    <div role="tabpanel">
                        <TicketHistory selected=selected/>
                    </div>
                </Show>
            </div>
        </section>
    }
}
