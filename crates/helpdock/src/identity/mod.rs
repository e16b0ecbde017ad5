//! Who the visitor is: a verified identity signed by the host site's backend, a guest holding a
//! pass from an earlier create, or (intranets only) a trusted browser-sent email. Resolved once
//! per request by the [`VerifiedVisitor`] / [`OptionalVisitor`] extractors (docs/protocol.md).

pub mod guest_pass;
pub mod signature;
pub mod staff;
mod visitor;
mod visitor_key;

pub use guest_pass::{GuestPass, GuestPassKey};
pub use staff::StaffList;
pub use visitor::{OptionalVisitor, RequestSite, Resolved, VerifiedVisitor, Visitor};
pub use visitor_key::VisitorKey;

use crate::config::{Config, SiteConfig};
use crate::error::ApiError;
use crate::secret::Secret;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A site as the gatekeeper needs it: its id and identity key, and its ticket form (served with
/// the catalog).
#[derive(Clone, Debug)]
struct Site {
    id: String,
    identity_secret: Secret,
    form: crate::config::SiteForm,
}

/// Everything needed to decide who a visitor is; built once at start, shared by every request.
#[derive(Clone, Debug)]
pub struct Gatekeeper {
    sites: Vec<Site>,
    guest_key: GuestPassKey,
    guest_ttl: Duration,
    staff: StaffList,
    trust_browser_email: bool,
}

/// How the gatekeeper is set up (the identity part of [`Config`]).
#[derive(Clone, Debug)]
pub struct GatekeeperSettings {
    /// The sites served, with their identity secrets.
    pub sites: Vec<SiteConfig>,
    /// The guest pass key.
    pub guest_key: GuestPassKey,
    /// How long a guest pass lasts.
    pub guest_ttl: Duration,
    /// Emails that may never act as visitors.
    pub staff: StaffList,
    /// Believe `X-Helpdock-Email`.
    pub trust_browser_email: bool,
}

impl Gatekeeper {
    /// A gatekeeper for `settings`.
    pub fn new(settings: GatekeeperSettings) -> Gatekeeper {
        Gatekeeper {
            sites: settings
                .sites
                .into_iter()
                .map(|s| Site {
                    id: s.id,
                    identity_secret: s.identity_secret,
                    form: s.form,
                })
                .collect(),
            guest_key: settings.guest_key,
            guest_ttl: settings.guest_ttl,
            staff: settings.staff,
            trust_browser_email: settings.trust_browser_email,
        }
    }

    /// The gatekeeper `config` describes; without a guest pass secret a random one is made (and
    /// a warning logged), as is one for a trusted browser email.
    pub fn from_config(config: &Config) -> Result<Gatekeeper, getrandom::Error> {
        let guest_key = match &config.guest_pass_secret {
            Some(secret) => GuestPassKey::new(secret.clone()),
            None => {
                tracing::warn!(
                    "guest_pass_secret is not set: using a random key, so guest passes stop \
                     working when the proxy restarts (set guest_pass_secret_file or \
                     HELPDOCK_GUEST_PASS_SECRET)"
                );
                GuestPassKey::random()?
            }
        };
        if config.trust_browser_email {
            tracing::warn!(
                "trust_browser_email is on: anyone who can reach the proxy can read and answer \
                 the tickets of any email they send in X-Helpdock-Email; use it only on an intranet"
            );
        }
        Ok(Gatekeeper::new(GatekeeperSettings {
            sites: config.sites.clone(),
            guest_key,
            guest_ttl: config.guest_pass_ttl,
            staff: config.staff.clone(),
            trust_browser_email: config.trust_browser_email,
        }))
    }

    /// The ticket form of site `id` (a site of this proxy: `None` for no other).
    pub fn site_form(&self, id: &str) -> Option<&crate::config::SiteForm> {
        self.sites.iter().find(|s| s.id == id).map(|s| &s.form)
    }

    /// Whether `email` belongs to staff.
    pub fn is_staff(&self, email: &str) -> bool {
        self.staff.is_staff(email)
    }

    /// A new guest pass text for `email` at `site`, naming ticket `id` and, when `previous` is a
    /// pass of the same email and site, its tickets too.
    pub fn issue_pass(
        &self,
        site: &str,
        email: &str,
        id: helpdock_wire::TicketId,
        previous: Option<&Visitor>,
    ) -> String {
        let base = match previous {
            Some(Visitor::Guest {
                email: pass_email,
                tickets,
                site: pass_site,
            }) if pass_email == email && pass_site == site => GuestPass {
                tickets: tickets.clone(),
                ..GuestPass::new(site, email)
            },
            _ => GuestPass::new(site, email),
        };
        self.guest_key
            .issue(&base.with_ticket(id, unix_now(), self.guest_ttl))
    }

    /// The site a request is for: `X-Helpdock-Site`, or the only site when there is one.
    fn site(&self, header: Option<&str>) -> Result<&Site, ApiError> {
        Ok(&self.sites[self.site_index(header)?])
    }

    /// Where [`Gatekeeper::site`] is in the list.
    fn site_index(&self, header: Option<&str>) -> Result<usize, ApiError> {
        match header {
            Some(id) => self.sites.iter().position(|s| s.id == id).ok_or_else(|| {
                ApiError::BadRequest("X-Helpdock-Site names no site of this proxy.".into())
            }),
            None => match self.sites.len() {
                1 => Ok(0),
                _ => Err(ApiError::BadRequest(
                    "Send X-Helpdock-Site: this proxy serves several sites.".into(),
                )),
            },
        }
    }

    /// The form of the site at `index` (from [`Gatekeeper::site_index`]).
    fn site_form_at(&self, index: usize) -> &crate::config::SiteForm {
        &self.sites[index].form
    }
}

/// Seconds since the Unix epoch (0 if the clock is set before 1970).
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
