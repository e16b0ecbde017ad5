//! A verified visitor: the host site's backend signed their email, and the page handed it over
//! with `Helpdock('identify', {email, name?, signature, expires?})`. Kept in memory only; the host
//! page identifies the visitor again on every page load.

mod guest_pass;

pub use guest_pass::GuestPass;

use crate::joined;
use helpdock_wire::validate::{MAX_NAME, is_valid_email};
use std::fmt;
use web_sys::js_sys::JsString;

/// Who the host site says the visitor is, as sent in `X-Helpdock-Identity`.
#[derive(Clone, PartialEq, Eq)]
pub struct Identity {
    email: String,
    name: Option<String>,
    /// Unix seconds exactly as the host gave them: the signature covers these digits.
    expires: Option<String>,
    signature: String,
}

impl Identity {
    /// Checks what the host page passed; the error says what is wrong, for a console warning.
    pub fn new(
        email: &str,
        name: Option<&str>,
        expires: Option<&str>,
        signature: &str,
    ) -> Result<Identity, String> {
        // The browser's lower-casing: the same Unicode mapping as `normalize_email`, which the
        // proxy applies again, without Rust's case tables in the wasm.
        let email: String = JsString::from(email.trim()).to_lower_case().into();
        if !is_valid_email(&email) {
            return Err(joined(&[
                "email must be an email address, not \"",
                &email,
                "\"",
            ]));
        }
        let name = name.map(str::trim).filter(|n| !n.is_empty());
        if name.is_some_and(|n| n.chars().count() > MAX_NAME) {
            return Err(format!("name must be at most {MAX_NAME} characters"));
        }
        if let Some(expires) = expires
            && (expires.is_empty()
                || expires.len() > 20
                || !expires.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(joined(&[
                "expires must be unix seconds, not \"",
                expires,
                "\"",
            ]));
        }
        let signature = signature.trim();
        if signature.is_empty()
            || signature.len() > 256
            || !signature.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return Err("signature must be the hex HMAC your server computed".into());
        }
        Ok(Identity {
            email,
            name: name.map(str::to_owned),
            expires: expires.map(str::to_owned),
            signature: signature.to_owned(),
        })
    }

    /// The signed email, normalised (trimmed, lower-cased).
    pub fn email(&self) -> &str {
        &self.email
    }

    /// The name the host gave, if any.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// `X-Helpdock-Identity`: `email=<urlencoded>&expires=<unix seconds>&signature=<hex>`.
    pub fn header_value(&self) -> String {
        let mut value = format!("email={}", form_urlencode(&self.email));
        if let Some(expires) = &self.expires {
            value.push_str("&expires=");
            value.push_str(expires);
        }
        value.push_str("&signature=");
        value.push_str(&self.signature);
        value
    }
}

/// The signature vouches for the visitor until it expires: keep it out of logs and panics.
impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("email", &self.email)
            .field("name", &self.name)
            .field("expires", &self.expires)
            .field("signature", &"[redacted]")
            .finish()
    }
}

/// `application/x-www-form-urlencoded`, as the proxy's parser reads it: bytes other than
/// `A-Za-z0-9*-._` become `%XX`, a space `+`.
fn form_urlencode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const SIG: &str = "3f1c0a9b";

    #[test]
    fn header_value_is_urlencoded_as_the_proxy_parses_it() {
        let plain = Identity::new(" Ann@Example.com ", None, Some("1767225600"), SIG)
            .map(|i| i.header_value());
        assert_eq!(
            plain.as_deref(),
            Ok("email=ann%40example.com&expires=1767225600&signature=3f1c0a9b")
        );
        let odd =
            Identity::new("o'brien+shop@exämple.com", None, None, SIG).map(|i| i.header_value());
        assert_eq!(
            odd.as_deref(),
            Ok("email=o%27brien%2Bshop%40ex%C3%A4mple.com&signature=3f1c0a9b")
        );
    }

    #[test]
    fn wrong_arguments_are_named() {
        // (email, expires, signature, the argument the error names)
        let cases = [
            ("not an email", None, SIG, "email"),
            ("", None, SIG, "email"),
            ("ann@example.com", Some("soon"), SIG, "expires"),
            ("ann@example.com", Some("-5"), SIG, "expires"),
            ("ann@example.com", None, "", "signature"),
            ("ann@example.com", None, "zz<script>", "signature"),
        ];
        for (email, expires, signature, named) in cases {
            let err = Identity::new(email, None, expires, signature)
                .err()
                .unwrap_or_default();
            assert!(
                err.starts_with(named),
                "{email:?}/{expires:?}/{signature:?}: {err:?}"
            );
        }
        let long_name = "n".repeat(MAX_NAME + 1);
        assert!(Identity::new("ann@example.com", Some(&long_name), None, SIG).is_err());
    }

    #[test]
    fn blank_name_is_no_name_and_debug_hides_the_signature() {
        let identity = Identity::new("ann@example.com", Some("  "), None, SIG).ok();
        assert_eq!(identity.as_ref().and_then(Identity::name), None);
        assert!(!format!("{identity:?}").contains(SIG));
    }
}
