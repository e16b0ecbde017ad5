//! Sending the ticket form: checked with the wire rules, then filed exactly once under the
//! draft's key. A chunk of its own in the release build ([`crate::chunks::submit_ticket`]): the
//! first screen needs it only once Send is pressed, and it is prefetched while the browser is
//! idle after the panel opens.

use super::draft::Draft;
use crate::api::{Api, ApiError};
use crate::drafts::event_detail;
use crate::identity::Identity;
use crate::load::Loaded;
use crate::sending::DurableSend;
use crate::shell::Shell;
use helpdock_wire::validate::new_ticket_problems;
use helpdock_wire::{CustomFields, TicketCreated, TicketId};
use leptos::prelude::*;

/// What sending the form needs of it; cheap to clone.
#[derive(Clone)]
pub struct Submit {
    pub(super) api: Api,
    pub(super) shell: Option<Shell>,
    pub(super) draft: Draft,
    pub(super) sends: DurableSend,
    pub(super) fields: Loaded<Result<CustomFields, ApiError>>,
    pub(super) identity: Memo<Option<Identity>>,
    /// Set to the new ticket's number once the proxy confirms it.
    pub(super) created: RwSignal<Option<TicketId>>,
}

impl Submit {
    /// Checks the draft with the wire rules and sends it under its key (a new one for a new
    /// draft); the form shows what is wrong instead. Nothing once the form is gone.
    pub fn send(self) {
        let Submit {
            api,
            shell,
            draft,
            sends,
            fields,
            identity,
            created,
        } = self;
        if created.is_disposed() || sends.busy() {
            return;
        }
        let known_fields = fields.get_untracked().and_then(Result::ok);
        let ticket = draft.ticket(identity.get_untracked().as_ref(), known_fields.as_ref());
        let problems = new_ticket_problems(&ticket, known_fields.as_ref());
        if !problems.is_empty() {
            sends.failure.set(Some(ApiError::invalid(problems)));
            return;
        }
        let key = sends.attempt_key();
        draft.save(&api);
        let request = {
            let api = api.clone();
            async move { api.create_ticket(&ticket, &key).await }
        };
        let on_sent = {
            let api = api.clone();
            move |done: TicketCreated| {
                draft.clear_ticket(&api);
                // What support adds from now on is news, even before "My tickets" is opened.
                crate::unread::mark_filed(&api, done.ticket_id);
                created.set(Some(done.ticket_id));
                if let Some(shell) = &shell {
                    shell.emit("ticketCreated", &event_detail(&[("id", done.ticket_id.0)]));
                }
            }
        };
        sends.start(
            request,
            move || created.is_disposed(),
            on_sent,
            move || draft.save(&api),
        );
    }

    /// The chunk with [`Submit::send`] could not be had (offline, most likely): the form says
    /// it is not sent yet, and sends when the browser is back online.
    pub fn not_loaded(&self) {
        self.sends.waiting.try_set(true);
    }
}
