//! `X-Helpdock-Identity` values: parsing never panics, and whatever parses with an email the proxy
//! would accept re-signs and re-parses to the same email and expiry (the header the proxy's own
//! `helpdock sign` prints).
#![no_main]

use helpdock::Secret;
use helpdock::identity::signature::{SignatureError, header_value, parse};
use helpdock_wire::validate::is_valid_email;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let secret = Secret::new("fuzz-identity-secret-0123456789");
    let Ok(identity) = parse(text) else {
        return;
    };
    let _ = identity.verify(&secret, 1_800_000_000);
    if !is_valid_email(&identity.email) {
        return;
    }
    let again = parse(&header_value(&secret, &identity.email, identity.expires))
        .expect("our own header parses");
    assert_eq!(
        (&again.email, again.expires),
        (&identity.email, identity.expires)
    );
    // The MAC is checked first: `Expired` (an `expires` of 0) means it verified.
    let verified = again.verify(&secret, 0);
    assert!(
        matches!(verified, Ok(()) | Err(SignatureError::Expired)),
        "our own signature verifies: {verified:?}"
    );
});
