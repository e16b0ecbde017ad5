//! What the visitor sees once a ticket is filed.

use crate::i18n::{around, use_i18n};
use helpdock_wire::TicketId;
use leptos::prelude::*;

/// The new ticket's number, a way to its thread, and a way to file another.
pub fn confirmation(
    ticket_id: TicketId,
    on_open: Callback<()>,
    on_new: Callback<()>,
) -> impl IntoView {
    let t = use_i18n();
    view! {
        <div class="hd-confirmation" data-testid="ticket-created" role="status">
            <div class="hd-check" aria-hidden="true">"✓"</div>
            <h3>{t.text(|s| s.thanks)}</h3>
            <p>
                {t.text(|s| around(s.ticket_number, "{id}").0)}
                <strong data-testid="created-ticket-id">{ticket_id.to_string()}</strong>
                {t.text(|s| around(s.ticket_number, "{id}").1)}
            </p>
            <div class="hd-actions">
                <button
                    type="button"
                    class="hd-button"
                    data-testid="open-created-ticket"
                    on:click=move |_| on_open.run(())
                >
                    {t.text(|s| s.view_ticket)}
                </button>
                <button
                    type="button"
                    class="hd-button hd-button-quiet"
                    data-testid="new-ticket"
                    on:click=move |_| on_new.run(())
                >
                    {t.text(|s| s.new_ticket)}
                </button>
            </div>
        </div>
    }
}
