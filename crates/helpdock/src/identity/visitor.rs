//! Resolving a request's visitor from its headers, and the extractors that make a handler unable
//! to touch visitor data without one.
//!
//! Headers: `X-Helpdock-Site` picks the site; then the first present (non-empty) of
//! `X-Helpdock-Identity` (verified), `X-Helpdock-Guest-Pass` (guest), and — only with
//! `trust_browser_email` — `X-Helpdock-Email` (trusted). A present header that is wrong is an
//! error, never a fall-through to the next one.

use super::signature::{self, SignatureError};
use super::{Gatekeeper, guest_pass::GuestPassError, unix_now};
use crate::error::ApiError;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use helpdock_wire::TicketId;
use helpdock_wire::validate::{is_valid_email, normalize_email};
use std::sync::Arc;

/// Names the site (the script tag's `data-site`).
pub const SITE_HEADER: &str = "x-helpdock-site";
/// A verified identity: `email=…&expires=…&signature=…`.
pub const IDENTITY_HEADER: &str = "x-helpdock-identity";
/// A guest pass from an earlier create.
pub const GUEST_PASS_HEADER: &str = "x-helpdock-guest-pass";
/// An email believed only with `trust_browser_email`.
pub const EMAIL_HEADER: &str = "x-helpdock-email";

/// Who is asking, as established for this request. Emails are normalised and never staff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Visitor {
    /// The site's backend signed this email: every ticket whose own email it is.
    Verified {
        /// The signed email.
        email: String,
        /// The site whose secret signed it.
        site: String,
    },
    /// A guest pass holder: exactly the pass's tickets, and only while they are this email's.
    Guest {
        /// The email the guest typed when filing.
        email: String,
        /// The tickets the pass names.
        tickets: Vec<TicketId>,
        /// The site the pass was issued for.
        site: String,
    },
    /// An email believed on the browser's word (`trust_browser_email`).
    Trusted {
        /// The email sent.
        email: String,
    },
}

impl Visitor {
    /// The visitor's normalised email: what goes upstream as `user_email`.
    pub fn email(&self) -> &str {
        match self {
            Visitor::Verified { email, .. }
            | Visitor::Guest { email, .. }
            | Visitor::Trusted { email } => email,
        }
    }

    /// Whether ticket `id` is within the visitor's reach at all, before asking whose it is: a
    /// guest reaches only the pass's tickets, the others any ticket of theirs.
    pub fn may_reach(&self, id: TicketId) -> bool {
        match self {
            Visitor::Guest { tickets, .. } => tickets.contains(&id),
            Visitor::Verified { .. } | Visitor::Trusted { .. } => true,
        }
    }
}

/// A request's site and visitor, if it said who it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// The site the request is for.
    pub site: String,
    /// The visitor, `None` when no identity header was sent.
    pub visitor: Option<Visitor>,
}

impl Gatekeeper {
    /// Decides who sent `headers` at `now` (unix seconds); a wrong identity is an error.
    pub fn resolve(&self, headers: &HeaderMap, now: u64) -> Result<Resolved, ApiError> {
        let site = self.site(single(headers, SITE_HEADER)?)?;
        let visitor = if let Some(value) = single(headers, IDENTITY_HEADER)? {
            let identity = signature::parse(value).map_err(signature_error)?;
            identity
                .verify(&site.identity_secret, now)
                .map_err(signature_error)?;
            Some(Visitor::Verified {
                email: checked_email(&identity.email, IDENTITY_HEADER)?,
                site: site.id.clone(),
            })
        } else if let Some(value) = single(headers, GUEST_PASS_HEADER)? {
            let pass = self
                .guest_key
                .open(value, &site.id, now)
                .map_err(|e| match e {
                    GuestPassError::Invalid => ApiError::InvalidGuestPass,
                    GuestPassError::Expired => ApiError::GuestPassExpired,
                })?;
            Some(Visitor::Guest {
                // Issued only for checked emails; checked again in case the rules changed.
                email: checked_email(&pass.email, GUEST_PASS_HEADER)?,
                tickets: pass.tickets,
                site: pass.site,
            })
        } else if self.trust_browser_email
            && let Some(value) = single(headers, EMAIL_HEADER)?
        {
            Some(Visitor::Trusted {
                email: checked_email(value, EMAIL_HEADER)?,
            })
        } else {
            None
        };
        if let Some(visitor) = &visitor
            && self.is_staff(visitor.email())
        {
            return Err(ApiError::StaffEmail);
        }
        Ok(Resolved {
            site: site.id.clone(),
            visitor,
        })
    }
}

/// The header's one value, `None` when absent or blank; repeated or non-ASCII is a 400.
fn single<'h>(headers: &'h HeaderMap, name: &str) -> Result<Option<&'h str>, ApiError> {
    let mut values = headers.get_all(name).iter();
    let Some(first) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(ApiError::BadRequest(format!(
            "{name} is sent more than once."
        )));
    }
    let text = first
        .to_str()
        .map_err(|_| ApiError::BadRequest(format!("{name} must be plain ASCII.")))?
        .trim();
    Ok((!text.is_empty()).then_some(text))
}

/// `raw` normalised, or a 400 naming the header it came in.
fn checked_email(raw: &str, header: &str) -> Result<String, ApiError> {
    let email = normalize_email(raw);
    if is_valid_email(&email) {
        Ok(email)
    } else {
        Err(ApiError::BadRequest(format!(
            "{header} does not hold a valid email address."
        )))
    }
}

fn signature_error(err: SignatureError) -> ApiError {
    match err {
        SignatureError::Malformed(_) => ApiError::BadRequest(err.to_string()),
        SignatureError::Invalid => ApiError::InvalidSignature,
        SignatureError::Expired => ApiError::SignatureExpired,
    }
}

/// The request's site (`X-Helpdock-Site`, or the only one), for endpoints that need no visitor.
/// Points into the gatekeeper's list rather than copying the site: the catalog's reads check
/// the site on every call.
#[derive(Clone, Debug)]
pub struct RequestSite {
    gatekeeper: Arc<Gatekeeper>,
    index: usize,
}

impl RequestSite {
    /// What its ticket form asks.
    pub fn form(&self) -> &crate::config::SiteForm {
        self.gatekeeper.site_form_at(self.index)
    }
}

impl<S> FromRequestParts<S> for RequestSite
where
    Arc<Gatekeeper>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let gatekeeper = Arc::<Gatekeeper>::from_ref(state);
        let index = gatekeeper.site_index(single(&parts.headers, SITE_HEADER)?)?;
        Ok(RequestSite { gatekeeper, index })
    }
}

/// A visitor who said who they are; `401 unauthorized` otherwise. Every handler that reads or
/// writes a visitor's tickets takes one.
#[derive(Clone, Debug)]
pub struct VerifiedVisitor(pub Visitor);

/// A create's visitor: a site, and whoever the headers say, possibly nobody (a new guest).
#[derive(Clone, Debug)]
pub struct OptionalVisitor(pub Resolved);

impl<S> FromRequestParts<S> for OptionalVisitor
where
    Arc<Gatekeeper>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let gatekeeper = Arc::<Gatekeeper>::from_ref(state);
        gatekeeper
            .resolve(&parts.headers, unix_now())
            .map(OptionalVisitor)
    }
}

impl<S> FromRequestParts<S> for VerifiedVisitor
where
    Arc<Gatekeeper>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let OptionalVisitor(resolved) = OptionalVisitor::from_request_parts(parts, state).await?;
        resolved
            .visitor
            .map(VerifiedVisitor)
            .ok_or(ApiError::Unauthorized)
    }
}

#[cfg(test)]
#[path = "visitor_tests.rs"]
mod tests;
