//! The wire to the helpdesk: hyper's pooled HTTP/1 client (TLS by rustls with the webpki roots),
//! one request and its whole answer within the call's timeout. Used directly, not through
//! reqwest: for every call reqwest's redirect and retry layers parsed the URL twice and
//! allocated as much again as the call itself, and the proxy wants none of what they do.

use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, Request, StatusCode};
use http_body::Body;
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use std::error::Error;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use thread_local::ThreadLocal;

/// A larger answer than this is not a helpdesk answer we can use.
pub(super) const MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;
/// A pooled connection unused this long is closed (the helpdesk's server may close it first).
const IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// hyper's pooled client, HTTP or HTTPS by the URL.
type Pool = Client<HttpsConnector<HttpConnector>, String>;

/// Pooled keep-alive connections to the helpdesk, a pool per thread; cheap to clone.
#[derive(Clone, Debug)]
pub(super) struct Transport {
    // A connection's task runs on the runtime that opened it: with one shared pool, a serving
    // thread would often hand its call to another thread's connection and wait to be woken
    // from there (`server/threads.rs`).
    pools: Arc<ThreadLocal<Pool>>,
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
            pools: Arc::new(ThreadLocal::new()),
            timeout,
        }
    }

    /// This thread's pool, made on its first call.
    fn pool(&self) -> &Pool {
        self.pools.get_or(|| new_pool(self.timeout))
    }

    /// Sends `request` and reads the whole answer, all within the timeout.
    pub(super) async fn send(&self, request: Request<String>) -> Result<Answer, Failure> {
        match tokio::time::timeout(self.timeout, self.exchange(request)).await {
            Ok(answer) => answer,
            Err(_) => Err(Failure::Timeout),
        }
    }

    async fn exchange(&self, request: Request<String>) -> Result<Answer, Failure> {
        let response = self
            .pool()
            .request(request)
            .await
            .map_err(|e| failure(&e))?;
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
        Ok(Answer {
            status: parts.status,
            content_type: parts.headers.get(CONTENT_TYPE).cloned(),
            body: bytes,
        })
    }
}

/// A pool whose connections give each call `timeout` (connecting at most 5 s of it).
fn new_pool(timeout: Duration) -> Pool {
    let mut http = HttpConnector::new();
    // Small requests and answers: no waiting for Nagle.
    http.set_nodelay(true);
    http.set_connect_timeout(Some(timeout.min(Duration::from_secs(5))));
    // The TLS wrapper below decides the scheme.
    http.enforce_http(false);
    let https = HttpsConnectorBuilder::new()
        .with_webpki_roots()
        .https_or_http()
        .enable_http1()
        .wrap_connector(http);
    Client::builder(TokioExecutor::new())
        .pool_idle_timeout(IDLE_TIMEOUT)
        .pool_timer(TokioTimer::new())
        .build(https)
}

/// A timed-out connect is a timeout; anything else is unreachable, with every cause in the chain
/// (the top-level text hides the interesting part: refused, reset, DNS).
fn failure(err: &(dyn Error + 'static)) -> Failure {
    let mut cause = err.to_string();
    let mut source = err.source();
    let mut timed_out = false;
    while let Some(s) = source {
        timed_out |= s
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut);
        cause.push_str(": ");
        cause.push_str(&s.to_string());
        source = s.source();
    }
    match timed_out {
        true => Failure::Timeout,
        false => Failure::Unreachable(cause),
    }
}
