//! Verified identities: the host site's backend signs a visitor's email with the site's
//! `identity_secret`, and the widget sends it as
//! `X-Helpdock-Identity: email=<urlencoded>&expires=<unix seconds>&signature=<hex>`.
//!
//! The signature is lower-case hex `HMAC-SHA256(secret, email)`, or
//! `HMAC-SHA256(secret, email + "\n" + expires)` when `expires` is given, over the normalised
//! (trimmed, lower-cased) email — docs/protocol.md and docs/signing.md.

use crate::secret::Secret;
use helpdock_wire::validate::normalize_email;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The longest header value read; a signed email fits many times over.
const MAX_HEADER_LEN: usize = 1024;

/// An `X-Helpdock-Identity` value, parsed but not yet checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedIdentity {
    /// The email as sent, normalised.
    pub email: String,
    /// Unix seconds after which the signature is void; `None`: never.
    pub expires: Option<u64>,
    /// The signature's hex text as sent.
    pub signature: String,
    /// `expires` exactly as sent: the signature covers these digits, not a re-spelling of them.
    expires_text: Option<String>,
}

/// Why an identity is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The header is not `email=…&expires=…&signature=…` (400).
    #[error("X-Helpdock-Identity: {0}")]
    Malformed(&'static str),
    /// The signature is not the site's for this email and expiry (401 `invalid_signature`).
    #[error("invalid signature")]
    Invalid,
    /// The signature was right but its `expires` has passed (401 `signature_expired`).
    #[error("signature expired")]
    Expired,
}

/// The hex signature of `email` (normalised here) and `expires` under `secret`.
pub fn sign(secret: &Secret, email: &str, expires: Option<u64>) -> String {
    let expires = expires.map(|e| e.to_string());
    hex::encode(
        mac(secret, &normalize_email(email), expires.as_deref())
            .finalize()
            .into_bytes(),
    )
}

/// The `X-Helpdock-Identity` header value for `email` (normalised), signed with `secret`.
pub fn header_value(secret: &Secret, email: &str, expires: Option<u64>) -> String {
    let email = normalize_email(email);
    let mut out = form_urlencoded::Serializer::new(String::new());
    out.append_pair("email", &email);
    if let Some(expires) = expires {
        out.append_pair("expires", &expires.to_string());
    }
    out.append_pair("signature", &sign(secret, &email, expires));
    out.finish()
}

/// Parses a header value: exactly the keys `email`, `signature` and optionally `expires`, once each.
pub fn parse(value: &str) -> Result<SignedIdentity, SignatureError> {
    if value.len() > MAX_HEADER_LEN {
        return Err(SignatureError::Malformed("too long"));
    }
    let (mut email, mut expires, mut signature) = (None, None, None);
    for (key, val) in form_urlencoded::parse(value.trim().as_bytes()) {
        let slot = match key.as_ref() {
            "email" => &mut email,
            "expires" => &mut expires,
            "signature" => &mut signature,
            _ => {
                return Err(SignatureError::Malformed(
                    "unknown key; use email, expires, signature",
                ));
            }
        };
        // A second value could make two checks read different emails.
        if slot.replace(val.into_owned()).is_some() {
            return Err(SignatureError::Malformed("a key is repeated"));
        }
    }
    let email = normalize_email(&email.ok_or(SignatureError::Malformed("email is missing"))?);
    let signature = signature.ok_or(SignatureError::Malformed("signature is missing"))?;
    let expires_value = expires
        .as_deref()
        .map(|e| {
            // Digits only: `+5` or ` 5` would parse, yet are not what a backend signs.
            e.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| e.parse::<u64>().ok())
                .flatten()
                .ok_or(SignatureError::Malformed("expires must be unix seconds"))
        })
        .transpose()?;
    Ok(SignedIdentity {
        email,
        expires: expires_value,
        signature,
        expires_text: expires,
    })
}

impl SignedIdentity {
    /// Checks the signature in constant time, then the expiry against `now` (unix seconds).
    pub fn verify(&self, secret: &Secret, now: u64) -> Result<(), SignatureError> {
        // Not hex, or the wrong length, is as wrong as a wrong value.
        let given = hex::decode(&self.signature).map_err(|_| SignatureError::Invalid)?;
        mac(secret, &self.email, self.expires_text.as_deref())
            .verify_slice(&given)
            .map_err(|_| SignatureError::Invalid)?;
        match self.expires {
            Some(expires) if expires <= now => Err(SignatureError::Expired),
            _ => Ok(()),
        }
    }
}

fn mac(secret: &Secret, email: &str, expires: Option<&str>) -> HmacSha256 {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(secret.expose().as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(email.as_bytes());
    if let Some(expires) = expires {
        mac.update(b"\n");
        mac.update(expires.as_bytes());
    }
    mac
}

#[cfg(test)]
#[path = "signature_tests.rs"]
mod tests;
