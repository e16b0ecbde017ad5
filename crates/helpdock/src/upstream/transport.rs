//! The wire to the helpdesk: keep-alive HTTP/1 connections (TLS by rustls with the webpki
//! roots, `pool.rs`), one request and its whole answer within the call's timeout. hyper
//! directly, not reqwest: for every call reqwest's redirect and retry layers parsed the URL twice
//! and allocated as much again as the call itself, and the proxy wants none of what they do.

use super::pool::{Origin, Pools};
use axum::http::header::{CONTENT_TYPE, HOST};
use axum::http::{HeaderValue, Request, StatusCode, Uri};
use http_body::Body;
use std::error::Error;
use std::pin::Pin;
use std::time::Duration;

/// A larger answer than this is not a helpdesk answer we can use.
pub(super) const MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;
/// Pooled keep-alive connections to the helpdesk, a pool per thread; cheap to clone.
#[derive(Clone, Debug)]
pub(super) struct Transport {
    // A connection's task runs on the runtime that opened it: with one shared pool, a serving
    // thread would often hand its call to another thread's connection and wait to be woken
    // from there (`server/threads.rs`).
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

    /// Sends `request` and reads the whole answer, all within the timeout.
    pub(super) async fn send(&self, request: Request<String>) -> Result<Answer, Failure> {
        match tokio::time::timeout(self.timeout, self.exchange(request)).await {
            Ok(answer) => answer,
            Err(_) => Err(Failure::Timeout),
        }
    }

    async fn exchange(&self, mut request: Request<String>) -> Result<Answer, Failure> {
        let (origin, host) = Origin::of(request.uri())
            .ok_or_else(|| Failure::Unreachable("the helpdesk's address is not a URL".into()))?;
        // On a connection of its own the request names only the path; the host goes in `Host`.
        let path = request.uri().path_and_query().cloned();
        *request.uri_mut() = path.map_or_else(|| Uri::from_static("/"), Uri::from);
        request.headers_mut().insert(HOST, host);
        let (response, sender) = loop {
            let mut connection = self
                .pools
                .connection(&origin)
                .await
                .map_err(|e| failure(e.as_ref()))?;
            if let Err(e) = connection.sender.ready().await {
                match connection.reused {
                    // Closed by the helpdesk while idle: another one.
                    true => continue,
                    false => return Err(failure(&e)),
                }
            }
            match connection.sender.try_send_request(request).await {
                Ok(response) => break (response, connection.sender),
                Err(mut e) => match e.take_message() {
                    // Never written (the idle connection closed as it was taken): safe to send
                    // again, on a new connection if need be. Written ones are never resent.
                    Some(unsent) if connection.reused => request = unsent,
                    _ => return Err(failure(e.error())),
                },
            }
        };
        let (parts, mut body) = response.into_parts();
        let announced = usize::try_from(body.size_hint().lower()).unwrap_or(usize::MAX);
        if announced > MAX_RESPONSE_BYTES {
            return Err(Failure::TooLarge);
        }
        let mut bytes = Vec::with_capacity(announced);
        while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await
        {
            let frame = frame.map_err(|e| failure(&e))?;
            if let Ok(data) = frame.into_data() {
                if bytes.len() + data.len() > MAX_RESPONSE_BYTES {
                    return Err(Failure::TooLarge);
                }
                bytes.extend_from_slice(&data);
            }
        }
        self.pools.give_back(origin, sender);
        Ok(Answer {
            status: parts.status,
            content_type: parts.headers.get(CONTENT_TYPE).cloned(),
            body: bytes,
        })
    }
}

/// A timed-out connect is a timeout; anything else is unreachable, with every cause in the chain
/// (the top-level text hides the interesting part: refused, reset, DNS).
fn failure(err: &(dyn Error + 'static)) -> Failure {
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
