//! The wire to the helpdesk: keep-alive HTTP/1.1 connections (TLS by rustls with the webpki
//! roots, `pool.rs`), one request and its whole answer (`wire.rs`) within the call's timeout.
//! Not reqwest: for every call its redirect and retry layers parsed the URL twice and allocated
//! as much again as the call itself, and the proxy wants none of what they do.

use super::pool::{Origin, Pools};
use super::wire;
use axum::http::{HeaderValue, Method, Request, StatusCode};
use std::error::Error;
use std::time::Duration;

/// A larger answer than this is not a helpdesk answer we can use.
pub(super) const MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;
/// Pooled keep-alive connections to the helpdesk, a pool per thread; cheap to clone.
#[derive(Clone, Debug)]
pub(super) struct Transport {
    // A connection belongs to the runtime that opened it: with one shared pool, a serving
    // thread would often take another thread's connection, whose readiness that thread's
    // runtime hears of and then must pass on (`server/threads.rs`).
    pools: Pools,
    timeout: Duration,
}

/// An answer, read whole.
pub(super) struct Answer {
    pub status: StatusCode,
    pub content_type: Option<HeaderValue>,
    pub body: Vec<u8>,
}

/// Why there is no answer.
pub(super) enum Failure {
    /// Nothing within the timeout (connecting included).
    Timeout,
    /// No connection, or it broke before the answer was whole; the cause for the log.
    Unreachable(String),
    /// The answer is over [`MAX_RESPONSE_BYTES`].
    TooLarge,
}

impl Transport {
    /// Connections that give each call `timeout`. Redirects are never followed: one would be a
    /// misconfiguration, and could carry the token away.
    pub(super) fn new(timeout: Duration) -> Transport {
        Transport {
            // Connecting may take at most 5 s of a call.
            pools: Pools::new(timeout.min(Duration::from_secs(5))),
            timeout,
        }
    }

    /// [`Transport::new`] with `pools`.
    #[cfg(test)]
    pub(super) fn with_pools(timeout: Duration, pools: Pools) -> Transport {
        Transport { pools, timeout }
    }

    /// Sends `request` and reads the whole answer, all within the timeout.
    pub(super) async fn send(&self, request: Request<String>) -> Result<Answer, Failure> {
        match tokio::time::timeout(self.timeout, self.exchange(request)).await {
            Ok(answer) => answer,
            Err(_) => Err(Failure::Timeout),
        }
    }

    async fn exchange(&self, request: Request<String>) -> Result<Answer, Failure> {
        let origin = Origin::of(request.uri())
            .ok_or_else(|| Failure::Unreachable("the helpdesk's address is not a URL".into()))?;
        let bytes = wire::request_bytes(&request, origin.host());
        let mut stream = self
            .pools
            .connection(&origin)
            .await
            .map_err(|e| failure(e.as_ref()))?;
        let (answer, reusable) = stream
            .exchange(&bytes, request.method() == Method::HEAD)
            .await?;
        if reusable {
            self.pools.give_back(origin, stream);
        }
        Ok(answer)
    }
}

/// A timed-out connect is a timeout; anything else is unreachable, with every cause in the chain
/// (the top-level text hides the interesting part: refused, reset, DNS).
pub(super) fn failure(err: &(dyn Error + 'static)) -> Failure {
    let mut cause = String::new();
    let mut timed_out = false;
    let mut next = Some(err);
    while let Some(e) = next {
        timed_out |= e
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut);
        if !cause.is_empty() {
            cause.push_str(": ");
        }
        cause.push_str(&e.to_string());
        next = e.source();
    }
    match timed_out {
        true => Failure::Timeout,
        false => Failure::Unreachable(cause),
    }
}

#[cfg(test)]
#[path = "transport_tests.rs"]
mod tests;
