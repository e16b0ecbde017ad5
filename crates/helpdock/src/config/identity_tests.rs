//! The identity settings: defaults, sources, and errors that name their key.

use crate::config::Config;
use std::io::Write;
use std::time::Duration;

const BASE: &str = "upstream_url = \"http://h/api/\"\nupstream_token = \"t\"\n";
const SHOP: &str = "[[sites]]\nid = \"shop\"\norigins = [\"https://shop.example.com\"]\n\
                    identity_secret = \"shop-secret-0123456789\"\n";

fn file_with(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().expect("temp file");
    f.write_all(text.as_bytes()).expect("write");
    f
}

fn load(text: &str, env: &[(&str, &str)]) -> Result<Config, String> {
    let f = file_with(&format!("{BASE}{text}"));
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let lookup = move |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    Config::load(Some(f.path()), &lookup).map_err(|e| e.to_string())
}

#[test]
fn defaults() {
    let c = load(SHOP, &[]).expect("valid");
    assert!(!c.trust_browser_email);
    assert_eq!(c.guest_pass_secret, None);
    assert_eq!(c.guest_pass_ttl, Duration::from_secs(30 * 86_400));
    assert!(c.staff.is_empty());
    assert_eq!(c.sites.len(), 1);
    assert_eq!(
        (c.sites[0].id.as_str(), c.sites[0].origins.as_slice()),
        ("shop", ["https://shop.example.com".to_owned()].as_slice())
    );
    assert_eq!(
        c.sites[0].identity_secret.expose(),
        "shop-secret-0123456789"
    );
    assert!(!format!("{c:?}").contains("shop-secret"));
}

#[test]
fn everything_set() {
    let secret = file_with("site-two-secret-from-file\n");
    let text = format!(
        "trust_browser_email = true\nguest_pass_secret = \"guest-secret-0123456789\"\n\
         guest_pass_ttl_secs = 3600\nstaff_emails = [\"Agent@Helpdesk.example\"]\n\
         staff_domains = [\"@support.example.com\"]\n{SHOP}\
         [[sites]]\nid = \"blog_2\"\norigins = [\"HTTPS://Blog.Example.com:443/\", \"http://localhost:8080\"]\n\
         identity_secret_file = {:?}\n",
        secret.path()
    );
    let c = load(&text, &[]).expect("valid");
    assert!(c.trust_browser_email);
    assert_eq!(
        c.guest_pass_secret.as_ref().map(|s| s.expose()),
        Some("guest-secret-0123456789")
    );
    assert_eq!(c.guest_pass_ttl, Duration::from_secs(3600));
    assert!(
        c.staff.is_staff("agent@helpdesk.example") && c.staff.is_staff("x@support.example.com")
    );
    assert_eq!(c.sites[1].id, "blog_2");
    assert_eq!(
        c.sites[1].origins,
        ["https://blog.example.com", "http://localhost:8080"]
    );
    assert_eq!(
        c.sites[1].identity_secret.expose(),
        "site-two-secret-from-file"
    );
    // The environment wins over the file.
    let c = load(
        &text,
        &[("HELPDOCK_GUEST_PASS_SECRET", "guest-secret-from-env-000")],
    )
    .expect("valid");
    assert_eq!(
        c.guest_pass_secret.as_ref().map(|s| s.expose()),
        Some("guest-secret-from-env-000")
    );
}

#[test]
fn errors_name_the_key() {
    let site = |body: &str| format!("[[sites]]\n{body}\n");
    let secret = "identity_secret = \"shop-secret-0123456789\"";
    let cases: Vec<(String, &str)> = vec![
        (String::new(), "[[sites]]"),
        (site("id = \"s\"\norigins = []"), "sites[0].identity_secret"),
        (site("origins = []"), "id"),
        (site(&format!("id = \"\"\n{secret}")), "sites[0].id"),
        (site(&format!("id = \"a b\"\n{secret}")), "sites[0].id"),
        (format!("{SHOP}{SHOP}"), "sites[1].id"),
        (
            format!("{SHOP}{}", SHOP.replace("\"shop\"", "\"blog\"")),
            "must differ from the identity_secret of site \"shop\"",
        ),
        (
            site(&format!(
                "id = \"s\"\norigins = [\"shop.example.com\"]\n{secret}"
            )),
            "sites[0].origins[0]",
        ),
        (
            site(&format!(
                "id = \"s\"\norigins = [\"https://shop.example.com/path\"]\n{secret}"
            )),
            "sites[0].origins[0]",
        ),
        (
            site(&format!(
                "id = \"s\"\norigins = [\"ftp://shop.example.com\"]\n{secret}"
            )),
            "sites[0].origins[0]",
        ),
        (
            site(&format!(
                "id = \"s\"\norigins = [\"https://*.example.com\"]\n{secret}"
            )),
            "sites[0].origins[0]",
        ),
        (
            site("id = \"s\"\nidentity_secret = \"\""),
            "sites[0].identity_secret",
        ),
        (
            site("id = \"s\"\nidentity_secret = \"short\""),
            "sites[0].identity_secret",
        ),
        (
            site(&format!(
                "id = \"s\"\n{secret}\nidentity_secret_file = \"/x\""
            )),
            "sites[0].identity_secret",
        ),
        (
            site("id = \"s\"\nidentity_secret_file = \"/nonexistent/secret\""),
            "sites[0].identity_secret_file",
        ),
        (
            site(&format!("id = \"s\"\n{secret}\nsecret = 1")),
            "key secret: unknown field",
        ),
        (
            format!("staff_emails = [\"agent\"]\n{SHOP}"),
            "staff_emails[0]",
        ),
        (
            format!("staff_domains = [\"not a domain\"]\n{SHOP}"),
            "staff_domains[0]",
        ),
        (
            format!("guest_pass_ttl_secs = 5\n{SHOP}"),
            "guest_pass_ttl_secs",
        ),
        (
            format!("guest_pass_secret = \"short\"\n{SHOP}"),
            "guest_pass_secret",
        ),
        (
            format!("guest_pass_secret = \"shop-secret-0123456789\"\n{SHOP}"),
            "guest_pass_secret",
        ),
        (
            format!("trust_browser_email = \"yes\"\n{SHOP}"),
            "trust_browser_email",
        ),
    ];
    for (text, key) in cases {
        let message = load(&text, &[]).map(|_| ()).expect_err(&text);
        assert!(message.contains(key), "{text}\n→ {message}");
        assert!(
            !message.contains("0123456789"),
            "a secret leaked: {message}"
        );
    }
    let message = load(SHOP, &[("HELPDOCK_GUEST_PASS_SECRET", "short")])
        .map(|_| ())
        .expect_err("short");
    assert!(
        message.starts_with("HELPDOCK_GUEST_PASS_SECRET"),
        "{message}"
    );
}
