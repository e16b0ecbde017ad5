//! Token buckets for creates and replies, per client IP (a middleware on those two routes) and
//! per visitor (called by the handlers once they know who the visitor is, and only for a request
//! about to be written upstream: a refused one costs the visitor's bucket nothing).
//!
//! Each bucket is kept as GCRA's "theoretical arrival time" (one `Instant`): the same decisions
//! as a token bucket of `burst` tokens refilled at `per_hour`, in exact integer time, and a bucket
//! whose time has passed is full — indistinguishable from no bucket — so it can be dropped.

use super::{Action, Perimeter};
use crate::error::ApiError;
use crate::identity::VisitorKey;
use crate::state::SharedRedis;
use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderMap;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Buckets kept per limiter; at 50 000 a few megabytes, and idle ones are dropped first.
pub(crate) const MAX_BUCKETS: usize = 50_000;

/// How fast a bucket refills and how much it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rate {
    /// Time to earn one request.
    interval: Duration,
    /// How far ahead of the rate a client may be: `interval × (burst − 1)`.
    tolerance: Duration,
}

impl Rate {
    /// `burst` at once, `per_hour` sustained (both at least 1; validated in the config).
    pub(crate) fn new(burst: u32, per_hour: u32) -> Rate {
        let interval = Duration::from_secs(3600) / per_hour.max(1);
        Rate {
            interval,
            tolerance: interval * burst.max(1).saturating_sub(1),
        }
    }
}

/// A set of buckets, one per key, bounded in number.
#[derive(Debug)]
pub(crate) struct Limiter<K> {
    rate: Rate,
    capacity: usize,
    /// key → the time at which the bucket is full again.
    buckets: Mutex<HashMap<K, Instant>>,
}

impl<K: Hash + Eq + Clone> Limiter<K> {
    /// Buckets of `rate`, at most `capacity` of them.
    pub(crate) fn new(rate: Rate, capacity: usize) -> Limiter<K> {
        Limiter {
            rate,
            capacity: capacity.max(1),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token from `key`'s bucket at `now`, or says how long until one is there.
    pub(crate) fn take(&self, key: &K, now: Instant) -> Result<(), Duration> {
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        let full_at = buckets.get(key).copied().unwrap_or(now).max(now);
        if full_at > now + self.rate.tolerance {
            return Err(full_at - now - self.rate.tolerance);
        }
        if !buckets.contains_key(key) && buckets.len() >= self.capacity {
            evict(&mut buckets, now);
        }
        buckets.insert(key.clone(), full_at + self.rate.interval);
        Ok(())
    }

    /// How many buckets are kept (for tests of the bound).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.buckets
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

/// Makes room for one bucket: drops every full one, and if none is, the one closest to full
/// (its client regains at most a few tokens — better than refusing everybody new).
fn evict<K: Hash + Eq + Clone>(buckets: &mut HashMap<K, Instant>, now: Instant) {
    buckets.retain(|_, full_at| *full_at > now);
    if buckets.is_empty() {
        return;
    }
    let nearest = buckets
        .iter()
        .min_by_key(|(_, full_at)| **full_at)
        .map(|(key, _)| key.clone());
    if let Some(key) = nearest {
        buckets.remove(&key);
    }
}

/// Per IP and per visitor, for creates and for replies.
#[derive(Debug)]
pub(crate) struct RateLimits {
    create_by_ip: Limiter<IpAddr>,
    reply_by_ip: Limiter<IpAddr>,
    create_by_visitor: Limiter<VisitorKey>,
    reply_by_visitor: Limiter<VisitorKey>,
}

impl RateLimits {
    /// Buckets with the configured rates.
    pub(crate) fn new(limits: &super::LimitsConfig) -> RateLimits {
        let create = Rate::new(limits.create_burst, limits.create_per_hour);
        let reply = Rate::new(limits.reply_burst, limits.reply_per_hour);
        RateLimits {
            create_by_ip: Limiter::new(create, MAX_BUCKETS),
            reply_by_ip: Limiter::new(reply, MAX_BUCKETS),
            create_by_visitor: Limiter::new(create, MAX_BUCKETS),
            reply_by_visitor: Limiter::new(reply, MAX_BUCKETS),
        }
    }

    /// The rate of `action`'s buckets.
    pub(crate) fn rate(&self, action: Action) -> Rate {
        match action {
            Action::Create => self.create_by_ip.rate,
            Action::Reply => self.reply_by_ip.rate,
        }
    }

    /// Takes a token for `action` from the client IP's bucket.
    pub(crate) fn check_ip(
        &self,
        action: Action,
        ip: IpAddr,
        now: Instant,
    ) -> Result<(), ApiError> {
        let limiter = match action {
            Action::Create => &self.create_by_ip,
            Action::Reply => &self.reply_by_ip,
        };
        limiter.take(&ip_key(ip), now).map_err(refusal)
    }

    /// Takes a token for `action` from the visitor's bucket.
    pub(crate) fn check_visitor(
        &self,
        action: Action,
        visitor: &VisitorKey,
        now: Instant,
    ) -> Result<(), ApiError> {
        let limiter = match action {
            Action::Create => &self.create_by_visitor,
            Action::Reply => &self.reply_by_visitor,
        };
        limiter.take(visitor, now).map_err(refusal)
    }
}

/// Takes a token from the shared bucket `key` of `rate` (one Lua script on Redis's clock), or
/// answers 429; 503 when Redis cannot be reached (a write is then refused anyway).
pub(crate) async fn take_shared(
    redis: &SharedRedis,
    rate: Rate,
    key: &str,
) -> Result<(), ApiError> {
    redis
        .take(key, rate.interval, rate.tolerance)
        .await?
        .map_err(refusal)
}

/// A visitor's bucket name in the shared state: a digest, so Redis holds no email.
pub(crate) fn visitor_id(visitor: &VisitorKey) -> String {
    let mut hasher = Sha256::new();
    let first = match visitor {
        VisitorKey::Guest { first_ticket, .. } => first_ticket.0.to_be_bytes(),
        _ => [0; 8],
    };
    let parts: [&[u8]; 4] = match visitor {
        VisitorKey::Verified { site, email } => {
            [b"verified", site.as_bytes(), email.as_bytes(), b""]
        }
        VisitorKey::Unverified { email } => [b"unverified", b"", email.as_bytes(), b""],
        VisitorKey::Guest { site, email, .. } => {
            [b"guest", site.as_bytes(), email.as_bytes(), &first]
        }
    };
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    hex::encode(hasher.finalize())
}

/// A 429 telling the client to come back once a token is there (whole seconds, at least 1).
fn refusal(wait: Duration) -> ApiError {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    ApiError::RateLimited {
        retry_after_secs: secs.max(1),
    }
}

/// The bucket key of an address: IPv4 as is, IPv6 by its /64 (one host gets a whole /64, so
/// per-address buckets would be free to multiply), IPv4-mapped IPv6 as the IPv4 it is.
fn ip_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let prefix = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(prefix))
        }
        v4 => v4,
    }
}

/// The client's address: the socket's peer, or with `hops` proxies in front, the `hops`-th
/// `X-Forwarded-For` entry from the right (entries further left are the client's to invent).
pub(crate) fn client_ip(headers: &HeaderMap, peer: Option<IpAddr>, hops: u32) -> Option<IpAddr> {
    if hops == 0 {
        return peer;
    }
    // Lossy on purpose: a client's junk on the left must not shift the proxies' entries.
    let joined = headers
        .get_all("x-forwarded-for")
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect::<Vec<_>>()
        .join(",");
    let entries: Vec<&str> = joined
        .split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect();
    // Fewer entries than proxies: the leftmost is the closest thing to the client there is.
    let picked = entries
        .len()
        .checked_sub(hops as usize)
        .and_then(|i| entries.get(i))
        .or(entries.first());
    picked.and_then(|e| parse_forwarded(e)).or(peer)
}

/// An `X-Forwarded-For` entry: `1.2.3.4`, `2001:db8::1`, `1.2.3.4:5678` or `[2001:db8::1]:80`.
fn parse_forwarded(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

/// The client address `request` counts against (see [`client_ip`]).
pub(super) fn request_ip(perimeter: &Perimeter, request: &Request) -> IpAddr {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    // Without a socket address (in-process tests) every client shares one bucket.
    client_ip(
        request.headers(),
        peer,
        perimeter.limits().trusted_proxy_hops,
    )
    .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

/// On the create and reply routes: one token from `ip`'s bucket for `action`, or 429. With a
/// shared state the bucket is in Redis, keyed by a digest of the address.
pub(super) async fn check_ip(
    perimeter: &Perimeter,
    action: Action,
    ip: IpAddr,
) -> Result<(), ApiError> {
    match perimeter.shared() {
        Some(redis) => {
            let digest = hex::encode(Sha256::digest(ip_key(ip).to_string().as_bytes()));
            let key = format!("helpdock:_all:rate:{}:ip:{digest}", action.label());
            take_shared(redis, perimeter.rates().rate(action), &key).await
        }
        None => perimeter.rates().check_ip(action, ip, Instant::now()),
    }
}

#[cfg(test)]
#[path = "rate_limit_tests.rs"]
mod tests;
