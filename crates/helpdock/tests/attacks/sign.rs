//! `X-Helpdock-Identity` computed exactly as docs/protocol.md says, independently of the proxy:
//! lower-case hex HMAC-SHA256, keyed with the site's secret, over the normalised email
//! (+ "\n" + expires).

// The snippet test uses only part of this module.
#![allow(dead_code)]

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Trimmed and lower-cased, as the proxy compares emails.
pub fn normalise(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The documented signature for `email` (normalised here) and an optional `expires`.
pub fn signature(secret: &str, email: &str, expires: Option<u64>) -> String {
    let mut message = normalise(email);
    if let Some(expires) = expires {
        message.push('\n');
        message.push_str(&expires.to_string());
    }
    raw_signature(secret, &message)
}

/// Lower-case hex HMAC-SHA256 of `message` exactly as given.
pub fn raw_signature(secret: &str, message: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(message.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The header value: `email=<urlencoded>&expires=<unix>&signature=<hex>` (expires optional).
pub fn header(email: &str, expires: Option<u64>, signature: &str) -> String {
    match expires {
        Some(expires) => format!(
            "email={}&expires={expires}&signature={signature}",
            urlencode(email)
        ),
        None => format!("email={}&signature={signature}", urlencode(email)),
    }
}

/// A correctly signed header for `email` under `secret`.
pub fn identity(secret: &str, email: &str, expires: Option<u64>) -> String {
    header(email, expires, &signature(secret, email, expires))
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}
