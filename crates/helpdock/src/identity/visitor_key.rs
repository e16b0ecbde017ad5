//! Who a visitor is for what the proxy remembers per visitor (rate-limit buckets, replayed
//! answers): never the bytes of a header, which a re-signed identity or a renewed pass changes,
//! and never an email nobody verified in the same space as a verified one — else anyone who
//! types a customer's email could spend that customer's allowance.

use super::Visitor;
use helpdock_wire::TicketId;

/// A visitor as per-visitor memory knows them; emails are normalised.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum VisitorKey {
    /// A site's backend signed this email: only requests carrying that signature are this key.
    Verified {
        /// The site whose secret signed it.
        site: String,
        /// The signed email.
        email: String,
    },
    /// An email nobody verified: typed on a guest create, or believed on the browser's word.
    Unverified {
        /// The email as typed or sent.
        email: String,
    },
    /// A guest pass holder: a renewed or grown pass keeps its site, email and first ticket, while
    /// a pass someone else minted for the same email starts from another ticket.
    Guest {
        /// The site the pass was issued for.
        site: String,
        /// The pass's email.
        email: String,
        /// The oldest ticket the pass names.
        first_ticket: TicketId,
    },
}

impl Visitor {
    /// Who this visitor is for rate limits and idempotency (see [`VisitorKey`]).
    pub fn key(&self) -> VisitorKey {
        match self {
            Visitor::Verified { email, site } => VisitorKey::Verified {
                site: site.clone(),
                email: email.clone(),
            },
            Visitor::Trusted { email } => VisitorKey::Unverified {
                email: email.clone(),
            },
            Visitor::Guest {
                email,
                tickets,
                site,
            } => VisitorKey::Guest {
                site: site.clone(),
                email: email.clone(),
                // A pass is only ever issued naming a ticket; 0 names none.
                first_ticket: tickets.first().copied().unwrap_or(TicketId(0)),
            },
        }
    }
}

impl VisitorKey {
    /// The key of an email typed into the form (normalised by the caller).
    pub fn typed(email: &str) -> VisitorKey {
        VisitorKey::Unverified {
            email: email.to_owned(),
        }
    }
}
