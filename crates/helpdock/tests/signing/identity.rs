use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The visitor identity for Helpdock: (email, expires, signature) for `Helpdock('identify', …)`.
pub fn helpdock_identity(secret: &str, email: &str, expires: u64) -> (String, u64, String) {
    let email = email.trim().to_lowercase();
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{email}\n{expires}").as_bytes());
    let signature: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    (email, expires, signature)
}

/// The same as an `X-Helpdock-Identity` header value, for clients other than the widget.
pub fn helpdock_identity_header((email, expires, signature): &(String, u64, String)) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("email", email)
        .append_pair("expires", &expires.to_string())
        .append_pair("signature", signature)
        .finish()
}
