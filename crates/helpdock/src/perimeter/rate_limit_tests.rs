use super::*;
use crate::perimeter::LimitsConfig;
use axum::http::HeaderValue;

const MIN: Duration = Duration::from_secs(60);

fn limiter(burst: u32, per_hour: u32) -> Limiter<&'static str> {
    Limiter::new(Rate::new(burst, per_hour), 100)
}

#[test]
fn a_burst_then_one_token_per_interval() {
    // 5 at once, then 30 an hour: one every two minutes.
    let l = limiter(5, 30);
    let t0 = Instant::now();
    for i in 0..5 {
        assert_eq!(l.take(&"a", t0), Ok(()), "request {i} of the burst");
    }
    assert_eq!(l.take(&"a", t0), Err(2 * MIN));
    assert_eq!(l.take(&"a", t0 + MIN), Err(MIN), "refusals cost nothing");
    assert_eq!(l.take(&"a", t0 + 2 * MIN), Ok(()));
    assert_eq!(l.take(&"a", t0 + 2 * MIN), Err(2 * MIN));
    // An hour idle refills the whole burst, and no more than it.
    let later = t0 + 62 * MIN;
    for _ in 0..5 {
        assert_eq!(l.take(&"a", later), Ok(()));
    }
    assert!(l.take(&"a", later).is_err());
}

#[test]
fn buckets_are_per_key() {
    let l = limiter(1, 1);
    let t0 = Instant::now();
    assert_eq!(l.take(&"a", t0), Ok(()));
    assert_eq!(l.take(&"a", t0), Err(60 * MIN));
    assert_eq!(l.take(&"b", t0), Ok(()));
}

#[test]
fn a_clock_going_backwards_grants_nothing_extra() {
    let l = limiter(1, 60);
    let t0 = Instant::now() + 10 * MIN;
    assert_eq!(l.take(&"a", t0), Ok(()));
    assert!(l.take(&"a", t0 - 5 * MIN).is_err());
}

#[test]
fn the_map_stays_bounded_and_drops_idle_buckets_first() {
    let l: Limiter<u32> = Limiter::new(Rate::new(2, 60), 3);
    let t0 = Instant::now();
    for key in 0..3 {
        assert_eq!(l.take(&key, t0), Ok(()));
    }
    // Key 0 uses its second token: it is the furthest from full.
    assert_eq!(l.take(&0, t0), Ok(()));
    assert_eq!(l.take(&0, t0), Err(MIN));
    // A new key in a full map evicts the bucket nearest to full (1 or 2), never key 0.
    assert_eq!(l.take(&3, t0), Ok(()));
    assert_eq!(l.len(), 3);
    assert_eq!(l.take(&0, t0), Err(MIN), "the busy client kept its bucket");
    // Two minutes on, every bucket has refilled: one sweep empties the map.
    let later = t0 + 2 * MIN;
    assert_eq!(l.take(&9, later), Ok(()));
    assert_eq!(l.len(), 1);
}

#[test]
fn retry_after_is_whole_seconds_and_at_least_one() {
    let secs = |wait| match refusal(wait) {
        ApiError::RateLimited { retry_after_secs } => retry_after_secs,
        other => panic!("{other:?}"),
    };
    assert_eq!(secs(Duration::ZERO), 1);
    assert_eq!(secs(Duration::from_millis(1)), 1);
    assert_eq!(secs(Duration::from_millis(1001)), 2);
    assert_eq!(secs(Duration::from_secs(120)), 120);
}

#[test]
fn visitors_verified_and_not_and_actions_apart() {
    let limits = LimitsConfig {
        create_burst: 1,
        create_per_hour: 1,
        reply_burst: 1,
        reply_per_hour: 1,
        ..LimitsConfig::default()
    };
    let rates = RateLimits::new(&limits);
    let now = Instant::now();
    let verified = |email: &str| VisitorKey::Verified {
        site: "shop".into(),
        email: email.into(),
    };
    let take = |action, key: &VisitorKey| rates.check_visitor(action, key, now).is_ok();
    // Whoever types Ann's email spends the unverified bucket, never the one her signature opens.
    assert!(take(Action::Create, &VisitorKey::typed("ann@example.com")));
    assert!(!take(Action::Create, &VisitorKey::typed("ann@example.com")));
    assert!(take(Action::Create, &verified("ann@example.com")));
    assert!(!take(Action::Create, &verified("ann@example.com")));
    // A pass someone minted for her email is its own bucket too.
    let pass = |first| VisitorKey::Guest {
        site: "shop".into(),
        email: "ann@example.com".into(),
        first_ticket: helpdock_wire::TicketId(first),
    };
    assert!(take(Action::Reply, &pass(7)));
    assert!(!take(Action::Reply, &pass(7)));
    assert!(take(Action::Reply, &pass(8)));
    assert!(take(Action::Reply, &verified("ann@example.com")));
    assert!(take(Action::Create, &verified("bob@example.com")));
    let ip: IpAddr = "192.0.2.1".parse().expect("ip");
    assert!(rates.check_ip(Action::Create, ip, now).is_ok());
    assert!(rates.check_ip(Action::Create, ip, now).is_err());
    assert!(rates.check_ip(Action::Reply, ip, now).is_ok());
}

#[test]
fn ipv6_clients_share_their_slash_64() {
    let key = |s: &str| ip_key(s.parse().expect("ip"));
    assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:bbbb::2"));
    assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
    assert_eq!(key("::ffff:192.0.2.7"), key("192.0.2.7"));
    assert_ne!(key("192.0.2.7"), key("192.0.2.8"));
}

#[test]
fn client_ip_table() {
    let peer: IpAddr = "10.0.0.1".parse().expect("ip");
    let ip = |s: &str| s.parse::<IpAddr>().ok();
    let cases: [(&[&str], u32, Option<IpAddr>); 9] = [
        // No proxies trusted: the header is the client's to invent.
        (&["203.0.113.9"], 0, Some(peer)),
        (&[], 1, Some(peer)),
        (&["198.51.100.1, 203.0.113.9"], 1, ip("203.0.113.9")),
        (&["198.51.100.1, 203.0.113.9"], 2, ip("198.51.100.1")),
        // Spread over several header lines, counted as one list.
        (
            &["6.6.6.6", "198.51.100.1, 203.0.113.9"],
            2,
            ip("198.51.100.1"),
        ),
        (&["203.0.113.9"], 3, ip("203.0.113.9")),
        (&["203.0.113.9:4711"], 1, ip("203.0.113.9")),
        (&["[2001:db8::5]:443"], 1, ip("2001:db8::5")),
        (&["not-an-ip"], 1, Some(peer)),
    ];
    for (values, hops, expected) in cases {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append("x-forwarded-for", HeaderValue::from_static(v));
        }
        assert_eq!(
            client_ip(&headers, Some(peer), hops),
            expected,
            "{values:?} hops={hops}"
        );
    }
}
