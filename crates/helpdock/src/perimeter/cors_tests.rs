use super::*;

/// The proxy reached at `url`.
fn at(url: &str) -> PublicOrigin {
    PublicOrigin::parse(url).expect("origin")
}

fn policy() -> CorsPolicy {
    CorsPolicy::new(&[
        SiteOrigins {
            site: "shop".into(),
            origins: vec![
                "https://shop.example.com".into(),
                "http://localhost:3000/".into(),
            ],
        },
        SiteOrigins {
            site: "blog".into(),
            origins: vec!["https://Blog.Example.com:443".into(), "not a url".into()],
        },
    ])
}

#[test]
fn decisions_table() {
    let p = policy();
    let allow = |o: &str| Decision::Allow(HeaderValue::from_str(o).expect("value"));
    /// origin, the proxy's public_url, X-Helpdock-Site, preflight?, decision
    type Case<'a> = (&'a str, Option<&'a str>, Option<&'a str>, bool, Decision);
    #[rustfmt::skip]
    let cases: &[Case] = &[
        // The site's own pages.
        ("https://shop.example.com", Some("https://support.example.com"), Some("shop"), false, allow("https://shop.example.com")),
        ("http://localhost:3000", Some("https://support.example.com"), Some("shop"), false, allow("http://localhost:3000")),
        // Configured with an explicit default port and capitals: matches what browsers send.
        ("https://blog.example.com", Some("https://support.example.com"), Some("blog"), false, allow("https://blog.example.com")),
        // One site's page calling as another site.
        ("https://blog.example.com", Some("https://support.example.com"), Some("shop"), false, Decision::Refuse),
        // A preflight cannot name its site: any site's origin passes it.
        ("https://blog.example.com", Some("https://support.example.com"), Some("shop"), true, allow("https://blog.example.com")),
        // No site named, or an unknown one (refused later as bad_request): any site's origin.
        ("https://blog.example.com", Some("https://support.example.com"), None, false, allow("https://blog.example.com")),
        ("https://shop.example.com", Some("https://support.example.com"), Some("nope"), false, allow("https://shop.example.com")),
        // Strangers, near misses and junk.
        ("https://evil.example", Some("https://support.example.com"), Some("shop"), false, Decision::Refuse),
        ("https://evil.example", Some("https://support.example.com"), None, true, Decision::Refuse),
        ("http://shop.example.com", Some("https://support.example.com"), Some("shop"), false, Decision::Refuse),
        ("https://shop.example.com:8443", Some("https://support.example.com"), Some("shop"), false, Decision::Refuse),
        ("https://shop.example.com.evil.example", Some("https://support.example.com"), None, false, Decision::Refuse),
        ("https://sub.shop.example.com", Some("https://support.example.com"), None, false, Decision::Refuse),
        ("null", Some("https://support.example.com"), None, false, Decision::Refuse),
        ("", Some("https://support.example.com"), None, false, Decision::Refuse),
        ("https://user@shop.example.com", Some("https://support.example.com"), None, false, Decision::Refuse),
        ("https://shop.example.com/path", Some("https://support.example.com"), None, false, Decision::Refuse),
        ("file://", Some("https://support.example.com"), None, false, Decision::Refuse),
        // The proxy's own origin (configured, whatever the sites), and nothing else.
        ("https://support.example.com", Some("https://support.example.com"), Some("shop"), false, allow("https://support.example.com")),
        ("http://127.0.0.1:8080", Some("http://127.0.0.1:8080"), None, false, allow("http://127.0.0.1:8080")),
        ("http://127.0.0.1:8080", Some("http://127.0.0.1:8081"), None, false, Decision::Refuse),
        ("https://support.example.com", Some("https://support.example.com:443/"), None, false, allow("https://support.example.com")),
        ("http://[::1]:8080", Some("http://[::1]:8080"), None, true, allow("http://[::1]:8080")),
        ("http://support.example.com", Some("https://support.example.com"), None, false, Decision::Refuse),
        // Unknown (a router driven in process): no origin is the proxy's own.
        ("https://support.example.com", None, None, false, Decision::Refuse),
    ];
    for (origin, public, site, preflight, expected) in cases {
        let own = public.map(at);
        let got = p.decide(
            &HeaderValue::from_str(origin).expect("value"),
            own.as_ref(),
            *site,
            *preflight,
        );
        assert_eq!(
            &got, expected,
            "{origin} public={public:?} site={site:?} preflight={preflight}"
        );
    }
}

#[test]
fn without_sites_only_the_proxy_itself_is_allowed() {
    let p = CorsPolicy::new(&[]);
    let origin = HeaderValue::from_static("https://shop.example.com");
    assert_eq!(
        p.decide(&origin, Some(&at("https://x.example")), None, true),
        Decision::Refuse
    );
    let own = HeaderValue::from_static("https://x.example");
    assert!(matches!(
        p.decide(&own, Some(&at("https://x.example")), None, false),
        Decision::Allow(_)
    ));
}

#[test]
fn non_ascii_origin_bytes_are_refused() {
    let p = policy();
    let weird = HeaderValue::from_bytes(b"https://sh\xf6p.example.com").expect("value");
    assert_eq!(p.decide(&weird, None, None, false), Decision::Refuse);
}
