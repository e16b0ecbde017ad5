//! The card above the launcher: header, the two tabs, and their content.

use super::ticket_form::TicketForm;
use super::ticket_history::TicketHistory;
use crate::i18n::{Message, use_i18n};
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
    let t = use_i18n();
    let tab = RwSignal::new(Tab::New);
    // The ticket "My tickets" shows as a thread; set from the list or from a confirmation.
    let selected = RwSignal::new(None::<TicketId>);

    let show_ticket = Callback::new(move |id: TicketId| {
        selected.set(Some(id));
        tab.set(Tab::History);
    });
    let tab_button = move |which: Tab, label: Message, testid: &'static str| {
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
                {t.text(label)}
            </button>
        }
    };

    view! {
        <section
            class="hd-panel"
            data-testid="panel"
            hidden=move || !open.get()
            aria-label=t.text(|s| s.panel_label)
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    on_close.run(());
                }
            }
        >
            <header class="hd-header">
                <div>
                    <h2 class="hd-title">{t.text(|s| s.title)}</h2>
                    <p class="hd-subtitle">{t.text(|s| s.subtitle)}</p>
                </div>
                <button
                    type="button"
                    class="hd-close"
                    aria-label=t.text(|s| s.close_support)
                    on:click=move |_| on_close.run(())
                >
                    "×"
                </button>
            </header>
            <nav class="hd-tabs" role="tablist">
                {tab_button(Tab::New, |s| s.new_ticket, "tab-new")}
                {tab_button(Tab::History, |s| s.my_tickets, "tab-history")}
            </nav>
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
