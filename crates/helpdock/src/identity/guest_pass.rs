//! Guest passes: what a visitor without a verified identity gets back from a create, naming the
//! email they typed and the tickets they filed with it, so that only they can read those tickets.
//!
//! Format: `base64url(json) "." base64url(HMAC-SHA256(key, "helpdock-guest-pass-v1." + base64url(json)))`.
//! The key is the proxy's own (`guest_pass_secret`), never a site's identity secret, and the MAC
//! is domain-separated so no other signature of ours can pass for one.

use crate::secret::Secret;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use helpdock_wire::TicketId;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::time::Duration;

type HmacSha256 = Hmac<Sha256>;

/// The most tickets one pass names; the oldest are dropped first (the header stays small).
pub const MAX_PASS_TICKETS: usize = 50;
/// A longer header is not one of our passes.
const MAX_PASS_LEN: usize = 4096;
/// Mixed into every MAC so a pass can be nothing but a pass (and a v2 nothing but a v2).
const DOMAIN: &[u8] = b"helpdock-guest-pass-v1.";

/// What a guest pass says, once its MAC has been checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuestPass {
    /// The site it was issued for.
    #[serde(rename = "s")]
    pub site: String,
    /// The email the guest typed, normalised.
    #[serde(rename = "e")]
    pub email: String,
    /// The tickets filed with it, oldest first, at most [`MAX_PASS_TICKETS`].
    #[serde(rename = "t")]
    pub tickets: Vec<TicketId>,
    /// Unix seconds after which it is void.
    #[serde(rename = "x")]
    pub expires: u64,
}

/// Why a presented pass is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GuestPassError {
    /// Forged, tampered with, malformed, or issued for another site (401 `invalid_guest_pass`).
    #[error("invalid guest pass")]
    Invalid,
    /// Genuine but too old (401 `guest_pass_expired`).
    #[error("guest pass expired")]
    Expired,
}

impl GuestPass {
    /// A pass for `email` at `site` naming `tickets` (then [`GuestPass::with_ticket`]).
    pub fn new(site: &str, email: &str) -> GuestPass {
        GuestPass {
            site: site.to_owned(),
            email: email.to_owned(),
            tickets: Vec::new(),
            expires: 0,
        }
    }

    /// This pass plus ticket `id`, valid for `ttl` from `now` (unix seconds).
    pub fn with_ticket(mut self, id: TicketId, now: u64, ttl: Duration) -> GuestPass {
        self.tickets.retain(|t| *t != id);
        self.tickets.push(id);
        let excess = self.tickets.len().saturating_sub(MAX_PASS_TICKETS);
        self.tickets.drain(..excess);
        self.expires = now.saturating_add(ttl.as_secs());
        self
    }

    /// Whether the pass names ticket `id`.
    pub fn names(&self, id: TicketId) -> bool {
        self.tickets.contains(&id)
    }
}

/// The key passes are signed with.
#[derive(Clone, Debug)]
pub struct GuestPassKey(Secret);

impl GuestPassKey {
    /// A key from configuration.
    pub fn new(secret: Secret) -> GuestPassKey {
        GuestPassKey(secret)
    }

    /// A fresh random key: passes signed with it die with the process.
    pub fn random() -> Result<GuestPassKey, getrandom::Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)?;
        Ok(GuestPassKey(Secret::new(hex::encode(bytes))))
    }

    /// The pass as header text.
    pub fn issue(&self, pass: &GuestPass) -> String {
        // Serialising a struct of strings and numbers cannot fail.
        let json = serde_json::to_vec(pass).unwrap_or_default();
        let payload = URL_SAFE_NO_PAD.encode(json);
        let tag = self.mac(&payload).finalize().into_bytes();
        format!("{payload}.{}", URL_SAFE_NO_PAD.encode(tag))
    }

    /// Checks `text` (MAC first, in constant time), that it is for `site`, and not expired at `now`.
    pub fn open(&self, text: &str, site: &str, now: u64) -> Result<GuestPass, GuestPassError> {
        let text = text.trim();
        if text.len() > MAX_PASS_LEN {
            return Err(GuestPassError::Invalid);
        }
        let (payload, tag) = text.split_once('.').ok_or(GuestPassError::Invalid)?;
        let tag = URL_SAFE_NO_PAD
            .decode(tag)
            .map_err(|_| GuestPassError::Invalid)?;
        self.mac(payload)
            .verify_slice(&tag)
            .map_err(|_| GuestPassError::Invalid)?;
        let json = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| GuestPassError::Invalid)?;
        let pass: GuestPass = serde_json::from_slice(&json).map_err(|_| GuestPassError::Invalid)?;
        // A pass from a shop that shares this proxy says nothing about visitors of this one.
        if pass.site != site || pass.tickets.len() > MAX_PASS_TICKETS {
            return Err(GuestPassError::Invalid);
        }
        if pass.expires <= now {
            return Err(GuestPassError::Expired);
        }
        Ok(pass)
    }

    fn mac(&self, payload: &str) -> HmacSha256 {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(self.0.expose().as_bytes())
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(DOMAIN);
        mac.update(payload.as_bytes());
        mac
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_750_000_000;
    const DAY: Duration = Duration::from_secs(86_400);

    fn key() -> GuestPassKey {
        GuestPassKey::new(Secret::new("guest-pass-key-0123456789"))
    }

    fn pass() -> GuestPass {
        GuestPass::new("shop", "ann@example.com")
            .with_ticket(TicketId(7), NOW, DAY)
            .with_ticket(TicketId(9), NOW, DAY)
    }

    #[test]
    fn round_trip() {
        let text = key().issue(&pass());
        let opened = key().open(&text, "shop", NOW + 10);
        assert_eq!(opened, Ok(pass()));
        let opened = opened.unwrap_or_else(|e| panic!("{e}"));
        assert!(opened.names(TicketId(9)) && !opened.names(TicketId(8)));
        assert_eq!(opened.expires, NOW + DAY.as_secs());
        assert!(
            text.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
            "{text}"
        );
    }

    #[test]
    fn refusals() {
        let good = key().issue(&pass());
        let (payload, tag) = good.split_once('.').unwrap_or_default();
        let mut forged = pass();
        forged.tickets.push(TicketId(1));
        let forged_payload =
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged).unwrap_or_default());
        let mut bad_tag = URL_SAFE_NO_PAD.decode(tag).unwrap_or_default();
        bad_tag[0] ^= 1;
        let other_key =
            GuestPassKey::new(Secret::new("another-guest-key-0123456789")).issue(&pass());
        let cases = [
            (
                format!("{forged_payload}.{tag}"),
                "shop",
                NOW,
                GuestPassError::Invalid,
            ),
            (
                format!("{payload}.{}", URL_SAFE_NO_PAD.encode(bad_tag)),
                "shop",
                NOW,
                GuestPassError::Invalid,
            ),
            (
                format!("{payload}.{}", &tag[..10]),
                "shop",
                NOW,
                GuestPassError::Invalid,
            ),
            (format!("{payload}."), "shop", NOW, GuestPassError::Invalid),
            (payload.to_owned(), "shop", NOW, GuestPassError::Invalid),
            (other_key, "shop", NOW, GuestPassError::Invalid),
            (good.clone(), "other-shop", NOW, GuestPassError::Invalid),
            (
                good.clone(),
                "shop",
                NOW + DAY.as_secs(),
                GuestPassError::Expired,
            ),
            ("x".repeat(5000), "shop", NOW, GuestPassError::Invalid),
            (String::new(), "shop", NOW, GuestPassError::Invalid),
        ];
        for (text, site, now, expected) in cases {
            assert_eq!(
                key().open(&text, site, now),
                Err(expected),
                "{text} at {site}"
            );
        }
    }

    #[test]
    fn a_valid_mac_over_junk_is_still_invalid() {
        let payload =
            URL_SAFE_NO_PAD.encode(br#"{"s":"shop","e":"a@b.co","t":[],"x":1,"admin":true}"#);
        let tag = URL_SAFE_NO_PAD.encode(key().mac(&payload).finalize().into_bytes());
        assert_eq!(
            key().open(&format!("{payload}.{tag}"), "shop", 0),
            Err(GuestPassError::Invalid)
        );
    }

    #[test]
    fn tickets_are_capped_oldest_first_and_not_repeated() {
        let mut pass = GuestPass::new("shop", "ann@example.com");
        for id in 1..=(MAX_PASS_TICKETS as u64 + 5) {
            pass = pass.with_ticket(TicketId(id), NOW, DAY);
        }
        pass = pass.with_ticket(TicketId(55), NOW + 5, DAY);
        assert_eq!(pass.tickets.len(), MAX_PASS_TICKETS);
        assert_eq!(pass.tickets.first(), Some(&TicketId(6)));
        assert_eq!(pass.tickets.last(), Some(&TicketId(55)));
        assert_eq!(pass.expires, NOW + 5 + DAY.as_secs());
        assert!(key().open(&key().issue(&pass), "shop", NOW).is_ok());
    }

    #[test]
    fn random_keys_differ() {
        let (a, b) = (GuestPassKey::random(), GuestPassKey::random());
        let (a, b) = (a.map(|k| k.issue(&pass())), b.map(|k| k.issue(&pass())));
        assert!(a.is_ok() && a != b);
    }
}
