//! What the visitor sees once a ticket is filed.

use helpdock_wire::TicketId;
use leptos::prelude::*;

/// The new ticket's number, a way to its thread, and a way to file another.
#[component]
pub fn Confirmation(
    ticket_id: TicketId,
    on_open: Callback<()>,
    on_new: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="hd-confirmation" data-testid="ticket-created" role="status">
            <div class="hd-check" aria-hidden="true">"✓"</div>
            <h3>"Thanks, we've got it."</h3>
            <p>
                "Your ticket number is "
                <strong data-testid="created-ticket-id">{ticket_id.to_string()}</strong>
                ". We'll reply by email and under My tickets."
            </p>
            <div class="hd-actions">
                <button
                    type="button"
                    class="hd-button"
                    data-testid="open-created-ticket"
                    on:click=move |_| on_open.run(())
                >
                    "View ticket"
                </button>
                <button
                    type="button"
                    class="hd-button hd-button-quiet"
                    data-testid="new-ticket"
                    on:click=move |_| on_new.run(())
                >
                    "New ticket"
                </button>
            </div>
        </div>
    }
}
