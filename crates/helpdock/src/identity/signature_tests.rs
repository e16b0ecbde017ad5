//! Signatures: known vectors (as PHP's `hash_hmac` or Python's `hmac` compute them) and every way
//! a header can be wrong.

use super::*;

const KEY: &str = "shop-secret-0123456789";
/// `hash_hmac('sha256', 'ann@example.com', KEY)`.
const ANN_FOREVER: &str = "5b8b2743822a23e5171d805e13661c823b0812721b1c6b8554512ed6be187850";
/// `hash_hmac('sha256', "ann@example.com\n4102444800", KEY)`.
const ANN_2100: &str = "57adfbc351affaaac4bcd9436ed69467f2791a4d6c8e407a841aa2e6c02f1e8f";
const NOW: u64 = 1_750_000_000;

fn check(header: &str) -> Result<SignedIdentity, SignatureError> {
    let identity = parse(header)?;
    identity.verify(&Secret::new(KEY), NOW)?;
    Ok(identity)
}

#[test]
fn signatures_match_other_languages() {
    let key = Secret::new(KEY);
    assert_eq!(sign(&key, "ann@example.com", None), ANN_FOREVER);
    assert_eq!(
        sign(&key, " Ann@Example.COM ", Some(4_102_444_800)),
        ANN_2100
    );
    assert_eq!(
        header_value(&key, "Ann@example.com", Some(4_102_444_800)),
        format!("email=ann%40example.com&expires=4102444800&signature={ANN_2100}")
    );
}

#[test]
fn verification_table() {
    let expired = sign(&Secret::new(KEY), "ann@example.com", Some(NOW - 1));
    let at_now = sign(&Secret::new(KEY), "ann@example.com", Some(NOW));
    let other_key = sign(
        &Secret::new("another-secret-0123456789"),
        "ann@example.com",
        None,
    );
    let mut flipped = ANN_FOREVER.to_owned();
    flipped.replace_range(0..1, "6");
    use SignatureError::{Expired, Invalid, Malformed};
    let cases: Vec<(String, Result<&str, SignatureError>)> = vec![
        (
            format!("email=ann%40example.com&signature={ANN_FOREVER}"),
            Ok("ann@example.com"),
        ),
        (
            format!("email=ann@example.com&expires=4102444800&signature={ANN_2100}"),
            Ok("ann@example.com"),
        ),
        (
            format!("signature={ANN_2100}&expires=4102444800&email=ann%40example.com"),
            Ok("ann@example.com"),
        ),
        // Upper case and spaces normalise to the signed spelling.
        (
            format!("email=+ANN%40Example.com+&signature={ANN_FOREVER}"),
            Ok("ann@example.com"),
        ),
        // Hex digits in upper case are the same bytes.
        (
            format!(
                "email=ann%40example.com&signature={}",
                ANN_FOREVER.to_uppercase()
            ),
            Ok("ann@example.com"),
        ),
        (
            format!("email=bob%40example.com&signature={ANN_FOREVER}"),
            Err(Invalid),
        ),
        (
            format!("email=ann%40example.com&signature={flipped}"),
            Err(Invalid),
        ),
        (
            format!("email=ann%40example.com&signature={}", &ANN_FOREVER[..62]),
            Err(Invalid),
        ),
        (
            format!("email=ann%40example.com&signature={}zz", &ANN_FOREVER[..62]),
            Err(Invalid),
        ),
        (
            format!("email=ann%40example.com&signature={other_key}"),
            Err(Invalid),
        ),
        (
            "email=ann%40example.com&signature=".to_owned(),
            Err(Invalid),
        ),
        // Signed with an expiry that the header leaves out, or the other way round.
        (
            format!("email=ann%40example.com&signature={ANN_2100}"),
            Err(Invalid),
        ),
        (
            format!("email=ann%40example.com&expires=4102444800&signature={ANN_FOREVER}"),
            Err(Invalid),
        ),
        (
            format!("email=ann%40example.com&expires=4102444801&signature={ANN_2100}"),
            Err(Invalid),
        ),
        (
            format!(
                "email=ann%40example.com&expires={}&signature={expired}",
                NOW - 1
            ),
            Err(Expired),
        ),
        (
            format!("email=ann%40example.com&expires={NOW}&signature={at_now}"),
            Err(Expired),
        ),
        // A forged signature is reported as forged, even with a past expiry.
        (
            format!(
                "email=ann%40example.com&expires={}&signature={ANN_2100}",
                NOW - 1
            ),
            Err(Invalid),
        ),
        (
            format!("email=ann%40example.com&expires=04102444800&signature={ANN_2100}"),
            Err(Invalid),
        ),
        (
            format!("email=ann%40example.com&expires=%2B4102444800&signature={ANN_2100}"),
            Err(Malformed("expires must be unix seconds")),
        ),
        (
            format!("email=ann%40example.com&expires=soon&signature={ANN_2100}"),
            Err(Malformed("expires must be unix seconds")),
        ),
        (
            format!("signature={ANN_FOREVER}"),
            Err(Malformed("email is missing")),
        ),
        (
            "email=ann%40example.com".to_owned(),
            Err(Malformed("signature is missing")),
        ),
        (
            format!("email=ann%40example.com&email=bob%40example.com&signature={ANN_FOREVER}"),
            Err(Malformed("a key is repeated")),
        ),
        (
            format!("email=ann%40example.com&signature={ANN_FOREVER}&admin=1"),
            Err(Malformed("unknown key; use email, expires, signature")),
        ),
        (
            format!("email={}&signature=00", "a".repeat(2000)),
            Err(Malformed("too long")),
        ),
    ];
    for (header, expected) in cases {
        let got = check(&header).map(|i| i.email);
        assert_eq!(got.as_deref().map_err(Clone::clone), expected, "{header}");
    }
}
