//! Which tickets a visitor may touch — decided by [`owns`] and nowhere else.
//!
//! The helpdesk cannot be trusted with this: `tickets_list.php` and `ticket_view.php` match
//! `user_email` against a ticket's email *or its name*, and `ticket_reply.php` checks nothing. So
//! every ticket is shown or answered only after its row's own email has been compared with the
//! visitor's, and a guest additionally only reaches the tickets their pass names — checked before
//! any upstream call.
//!
//! Cost: owners are remembered in an [`OwnerCache`] (about 150 bytes per ticket, 10 000 tickets,
//! one hour). A list costs one `tickets_list.php`, plus one `ticket_view.php` per listed ticket
//! whose owner is not yet known — the first time only, [`MAX_LOOKUPS_PER_LIST`] at most, four at
//! a time. Views and creates fill the cache too, so a widget's usual flow adds no calls.

pub mod cache;

pub use cache::{OwnerCache, OwnerDigest};

use crate::AppState;
use crate::error::ApiError;
use crate::identity::Visitor;
use crate::upstream::Upstream;
use axum::extract::FromRef;
use helpdock_wire::{TicketId, TicketList, TicketThread};
use std::collections::HashMap;
use tokio::task::JoinSet;

/// Owner lookups one list may cause; the rest wait for the next list (the cache remembers).
pub const MAX_LOOKUPS_PER_LIST: usize = 100;
/// Lookups in flight at once, so one list cannot flood the helpdesk.
const PARALLEL_LOOKUPS: usize = 4;

/// The ownership rule: the ticket is within the visitor's reach (a guest's pass names it) and its
/// row's own email, normalised, is the visitor's. Every path to a visitor's ticket asks this.
pub fn owns(visitor: &Visitor, id: TicketId, owner: OwnerDigest) -> bool {
    visitor.may_reach(id) && owner == OwnerDigest::of(visitor.email())
}

/// The helpdesk client and the owner cache: everything ownership needs.
#[derive(Clone, Debug)]
pub struct Ownership {
    upstream: Upstream,
    owners: OwnerCache,
}

impl FromRef<AppState> for Ownership {
    fn from_ref(state: &AppState) -> Ownership {
        Ownership {
            upstream: state.upstream.clone(),
            owners: state.owners.clone(),
        }
    }
}

impl Ownership {
    /// Ownership over `upstream`, remembering owners in `owners`.
    pub fn new(upstream: Upstream, owners: OwnerCache) -> Ownership {
        Ownership { upstream, owners }
    }

    /// Notes that ticket `id` was just filed by `email`.
    pub fn record_created(&self, id: TicketId, email: &str) {
        self.owners.insert(id, email);
    }

    /// `tickets_list.php` for the visitor, keeping only the tickets they own.
    pub async fn list(&self, visitor: &Visitor) -> Result<TicketList, ApiError> {
        let mut list = self.upstream.list_tickets(visitor.email()).await?;
        list.tickets.retain(|t| visitor.may_reach(t.id));
        let mut owners: HashMap<TicketId, OwnerDigest> = HashMap::new();
        let mut unknown = Vec::new();
        for ticket in &list.tickets {
            match self.owners.get(ticket.id).await {
                Some(owner) => {
                    owners.insert(ticket.id, owner);
                }
                None => unknown.push(ticket.id),
            }
        }
        if unknown.len() > MAX_LOOKUPS_PER_LIST {
            tracing::warn!(
                unknown = unknown.len(),
                "a list has more tickets of unknown owner than one request looks up; the rest \
                 are left out until a later list"
            );
            unknown.truncate(MAX_LOOKUPS_PER_LIST);
        }
        owners.extend(self.look_up_owners(visitor.email(), unknown).await?);
        list.tickets
            .retain(|t| owners.get(&t.id).is_some_and(|o| owns(visitor, t.id, *o)));
        Ok(list)
    }

    /// `ticket_view.php` for a ticket the visitor owns; `404` otherwise, a guest's foreign id
    /// without asking the helpdesk at all.
    pub async fn view(&self, visitor: &Visitor, id: TicketId) -> Result<TicketThread, ApiError> {
        if !visitor.may_reach(id) {
            return Err(ApiError::NotFound);
        }
        let viewed = self.upstream.view_ticket(id, visitor.email()).await?;
        self.owners.insert(id, &viewed.owner_email);
        if owns(visitor, id, OwnerDigest::of(&viewed.owner_email)) {
            Ok(viewed.thread)
        } else {
            Err(ApiError::NotFound)
        }
    }

    /// `Ok` when the visitor owns ticket `id` (from the cache or one `ticket_view.php`), `404`
    /// otherwise. Call before anything is sent to the helpdesk on the ticket's behalf.
    pub async fn ensure_owner(&self, visitor: &Visitor, id: TicketId) -> Result<(), ApiError> {
        if !visitor.may_reach(id) {
            return Err(ApiError::NotFound);
        }
        let owner = match self.owners.get(id).await {
            Some(owner) => Some(owner),
            None => owner_of(&self.upstream, &self.owners, visitor.email(), id).await?,
        };
        match owner {
            Some(owner) if owns(visitor, id, owner) => Ok(()),
            _ => Err(ApiError::NotFound),
        }
    }

    /// The owners of `ids`, a few lookups at a time; tickets the helpdesk will not show are left out.
    async fn look_up_owners(
        &self,
        email: &str,
        ids: Vec<TicketId>,
    ) -> Result<HashMap<TicketId, OwnerDigest>, ApiError> {
        let mut found = HashMap::new();
        for chunk in ids.chunks(PARALLEL_LOOKUPS) {
            let mut lookups = JoinSet::new();
            for &id in chunk {
                let (upstream, owners, email) =
                    (self.upstream.clone(), self.owners.clone(), email.to_owned());
                lookups.spawn(async move {
                    owner_of(&upstream, &owners, &email, id)
                        .await
                        .map(|owner| (id, owner))
                });
            }
            while let Some(done) = lookups.join_next().await {
                let (id, owner) = done.map_err(|e| {
                    ApiError::UpstreamUnavailable(format!("owner lookup task failed: {e}"))
                })??;
                if let Some(owner) = owner {
                    found.insert(id, owner);
                }
            }
        }
        Ok(found)
    }
}

/// The owner of ticket `id` per one `ticket_view.php` as `email` (remembered), `None` when the
/// helpdesk will not show it to that email at all.
async fn owner_of(
    upstream: &Upstream,
    owners: &OwnerCache,
    email: &str,
    id: TicketId,
) -> Result<Option<OwnerDigest>, ApiError> {
    match upstream.view_ticket(id, email).await {
        Ok(viewed) => {
            owners.insert(id, &viewed.owner_email);
            Ok(Some(OwnerDigest::of(&viewed.owner_email)))
        }
        Err(ApiError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule() {
        let verified = Visitor::Verified {
            email: "ann@example.com".into(),
            site: "shop".into(),
        };
        let guest = Visitor::Guest {
            email: "ann@example.com".into(),
            tickets: vec![TicketId(1)],
            site: "shop".into(),
        };
        let cases = [
            (&verified, 1, "ann@example.com", true),
            (&verified, 2, " ANN@example.com ", true),
            (&verified, 1, "bob@example.com", false),
            // The name-matching hole: a ticket whose *name* is Ann's email is not Ann's.
            (&verified, 1, "mallory@example.com", false),
            (&verified, 1, "", false),
            (&guest, 1, "ann@example.com", true),
            (&guest, 2, "ann@example.com", false),
            (&guest, 1, "bob@example.com", false),
        ];
        for (visitor, id, owner, expected) in cases {
            assert_eq!(
                owns(visitor, TicketId(id), OwnerDigest::of(owner)),
                expected,
                "{visitor:?} {id} {owner}"
            );
        }
    }
}
