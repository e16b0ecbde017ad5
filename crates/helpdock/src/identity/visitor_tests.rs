//! Visitor resolution: which header wins, and every way each can be wrong.

use super::*;
use crate::config::SiteConfig;
use crate::identity::signature::header_value;
use crate::identity::{GatekeeperSettings, GuestPass, GuestPassKey, StaffList};
use crate::secret::Secret;
use axum::http::HeaderValue;
use std::time::Duration;

const NOW: u64 = 1_750_000_000;
const SHOP_KEY: &str = "shop-secret-0123456789";
const BLOG_KEY: &str = "blog-secret-0123456789";
const GUEST_KEY: &str = "guest-pass-key-0123456789";

fn gatekeeper(sites: &[&str], trust_browser_email: bool) -> Gatekeeper {
    let site = |id: &str| SiteConfig {
        id: id.to_owned(),
        origins: Vec::new(),
        identity_secret: Secret::new(if id == "shop" { SHOP_KEY } else { BLOG_KEY }),
        form: crate::config::SiteForm::default(),
    };
    Gatekeeper::new(GatekeeperSettings {
        sites: sites.iter().map(|id| site(id)).collect(),
        guest_key: GuestPassKey::new(Secret::new(GUEST_KEY)),
        guest_ttl: Duration::from_secs(3600),
        staff: StaffList::new(
            ["agent@helpdesk.example".to_owned()],
            ["staff.example".to_owned()],
        ),
        trust_browser_email,
    })
}

fn identity(key: &str, email: &str, expires: Option<u64>) -> String {
    header_value(&Secret::new(key), email, expires)
}

fn pass(site: &str, email: &str, tickets: &[u64], expires: u64) -> String {
    GuestPassKey::new(Secret::new(GUEST_KEY)).issue(&GuestPass {
        site: site.to_owned(),
        email: email.to_owned(),
        tickets: tickets.iter().map(|t| TicketId(*t)).collect(),
        expires,
    })
}

fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        let value = HeaderValue::from_str(value).unwrap_or_else(|e| panic!("{value}: {e}"));
        map.append(
            axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap_or_else(|e| panic!("{e}")),
            value,
        );
    }
    map
}

fn verified(email: &str, site: &str) -> Result<Resolved, String> {
    Ok(Resolved {
        site: site.into(),
        visitor: Some(Visitor::Verified {
            email: email.into(),
            site: site.into(),
        }),
    })
}

/// The outcome as comparable text: the error's code, or the resolution.
fn outcome(gk: &Gatekeeper, pairs: &[(&str, &str)]) -> Result<Resolved, String> {
    gk.resolve(&headers(pairs), NOW)
        .map_err(|e| format!("{} {:?}", e.status().as_u16(), e.body().code))
}

/// (name, gatekeeper, headers, expected outcome).
type Case<'a> = (
    &'a str,
    &'a Gatekeeper,
    Vec<(&'a str, &'a str)>,
    Result<Resolved, String>,
);

#[test]
fn resolution_table() {
    let one = gatekeeper(&["shop"], false);
    let two = gatekeeper(&["shop", "blog"], false);
    let trusting = gatekeeper(&["shop"], true);
    let ann = identity(SHOP_KEY, "Ann@Example.com", Some(NOW + 60));
    let ann_pass = pass("shop", "ann@example.com", &[4, 7], NOW + 60);
    let expired_identity = identity(SHOP_KEY, "ann@example.com", Some(NOW - 1));
    let non_email = identity(SHOP_KEY, "ann", None);
    let staff = identity(SHOP_KEY, "Agent@Helpdesk.example", None);
    let staff_domain = identity(SHOP_KEY, "bob@staff.example", None);
    let expired_pass = pass("shop", "ann@example.com", &[4], NOW);
    let staff_pass = pass("shop", "agent@helpdesk.example", &[4], NOW + 9);
    let tampered_pass = format!("x{ann_pass}");
    let err = |s: &str| Err::<Resolved, String>(s.to_owned());
    let guest = Ok(Resolved {
        site: "shop".into(),
        visitor: Some(Visitor::Guest {
            email: "ann@example.com".into(),
            tickets: vec![TicketId(4), TicketId(7)],
            site: "shop".into(),
        }),
    });
    let nobody = |site: &str| {
        Ok(Resolved {
            site: site.into(),
            visitor: None,
        })
    };
    let cases: Vec<Case> = vec![
        ("nothing: a new guest", &one, vec![], nobody("shop")),
        (
            "blank headers are absent",
            &one,
            vec![(IDENTITY_HEADER, " "), (GUEST_PASS_HEADER, "")],
            nobody("shop"),
        ),
        (
            "verified, only site implied",
            &one,
            vec![(IDENTITY_HEADER, &ann)],
            verified("ann@example.com", "shop"),
        ),
        (
            "verified, site named",
            &two,
            vec![(SITE_HEADER, "shop"), (IDENTITY_HEADER, &ann)],
            verified("ann@example.com", "shop"),
        ),
        (
            "two sites need the header",
            &two,
            vec![(IDENTITY_HEADER, &ann)],
            err("400 BadRequest"),
        ),
        (
            "unknown site",
            &one,
            vec![(SITE_HEADER, "nope"), (IDENTITY_HEADER, &ann)],
            err("400 BadRequest"),
        ),
        (
            "site sent twice",
            &one,
            vec![(SITE_HEADER, "shop"), (SITE_HEADER, "shop")],
            err("400 BadRequest"),
        ),
        (
            "another site's secret",
            &two,
            vec![(SITE_HEADER, "blog"), (IDENTITY_HEADER, &ann)],
            err("401 InvalidSignature"),
        ),
        (
            "expired identity",
            &one,
            vec![(IDENTITY_HEADER, &expired_identity)],
            err("401 SignatureExpired"),
        ),
        (
            "malformed identity",
            &one,
            vec![(IDENTITY_HEADER, "ann@example.com")],
            err("400 BadRequest"),
        ),
        (
            "signed non-email",
            &one,
            vec![(IDENTITY_HEADER, &non_email)],
            err("400 BadRequest"),
        ),
        (
            "signed staff email",
            &one,
            vec![(IDENTITY_HEADER, &staff)],
            err("403 StaffEmail"),
        ),
        (
            "signed staff domain",
            &one,
            vec![(IDENTITY_HEADER, &staff_domain)],
            err("403 StaffEmail"),
        ),
        (
            "a bad identity does not fall back to a good pass",
            &one,
            vec![
                (IDENTITY_HEADER, "email=ann%40example.com&signature=00"),
                (GUEST_PASS_HEADER, &ann_pass),
            ],
            err("401 InvalidSignature"),
        ),
        (
            "identity wins over a pass",
            &one,
            vec![(IDENTITY_HEADER, &ann), (GUEST_PASS_HEADER, "junk")],
            verified("ann@example.com", "shop"),
        ),
        ("guest", &one, vec![(GUEST_PASS_HEADER, &ann_pass)], guest),
        (
            "guest pass of another site",
            &two,
            vec![(SITE_HEADER, "blog"), (GUEST_PASS_HEADER, &ann_pass)],
            err("401 InvalidGuestPass"),
        ),
        (
            "tampered pass",
            &one,
            vec![(GUEST_PASS_HEADER, &tampered_pass)],
            err("401 InvalidGuestPass"),
        ),
        (
            "expired pass",
            &one,
            vec![(GUEST_PASS_HEADER, &expired_pass)],
            err("401 GuestPassExpired"),
        ),
        (
            "pass for a now-staff email",
            &one,
            vec![(GUEST_PASS_HEADER, &staff_pass)],
            err("403 StaffEmail"),
        ),
        (
            "browser email ignored by default",
            &one,
            vec![(EMAIL_HEADER, "ann@example.com")],
            nobody("shop"),
        ),
        (
            "browser email trusted when configured",
            &trusting,
            vec![(EMAIL_HEADER, " ANN@example.com")],
            Ok(Resolved {
                site: "shop".into(),
                visitor: Some(Visitor::Trusted {
                    email: "ann@example.com".into(),
                }),
            }),
        ),
        (
            "trusted staff email",
            &trusting,
            vec![(EMAIL_HEADER, "agent@helpdesk.example")],
            err("403 StaffEmail"),
        ),
        (
            "trusted non-email",
            &trusting,
            vec![(EMAIL_HEADER, "ann")],
            err("400 BadRequest"),
        ),
        (
            "a pass wins over a trusted email",
            &trusting,
            vec![
                (EMAIL_HEADER, "bob@example.com"),
                (GUEST_PASS_HEADER, &ann_pass),
            ],
            Ok(Resolved {
                site: "shop".into(),
                visitor: Some(Visitor::Guest {
                    email: "ann@example.com".into(),
                    tickets: vec![TicketId(4), TicketId(7)],
                    site: "shop".into(),
                }),
            }),
        ),
    ];
    for (name, gk, pairs, expected) in cases {
        assert_eq!(outcome(gk, &pairs), expected, "{name}");
    }
}

#[test]
fn guests_reach_only_their_pass() {
    let guest = Visitor::Guest {
        email: "ann@example.com".into(),
        tickets: vec![TicketId(4)],
        site: "shop".into(),
    };
    assert!(guest.may_reach(TicketId(4)) && !guest.may_reach(TicketId(5)));
    let verified = Visitor::Verified {
        email: "ann@example.com".into(),
        site: "shop".into(),
    };
    assert!(verified.may_reach(TicketId(5)));
    assert_eq!(verified.email(), "ann@example.com");
}

#[test]
fn issued_passes_extend_only_the_same_email_and_site() {
    let gk = gatekeeper(&["shop", "blog"], false);
    let previous = Visitor::Guest {
        email: "ann@example.com".into(),
        tickets: vec![TicketId(4)],
        site: "shop".into(),
    };
    let open = |text: &str, site: &str| {
        GuestPassKey::new(Secret::new(GUEST_KEY))
            .open(text, site, NOW)
            .map(|p| p.tickets)
    };
    let same = gk.issue_pass("shop", "ann@example.com", TicketId(9), Some(&previous));
    assert_eq!(open(&same, "shop"), Ok(vec![TicketId(4), TicketId(9)]));
    let other_email = gk.issue_pass("shop", "bob@example.com", TicketId(9), Some(&previous));
    assert_eq!(open(&other_email, "shop"), Ok(vec![TicketId(9)]));
    let other_site = gk.issue_pass("blog", "ann@example.com", TicketId(9), Some(&previous));
    assert_eq!(open(&other_site, "blog"), Ok(vec![TicketId(9)]));
    let fresh = gk.issue_pass("shop", "ann@example.com", TicketId(9), None);
    assert_eq!(open(&fresh, "shop"), Ok(vec![TicketId(9)]));
}
