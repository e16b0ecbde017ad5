//! Keep-alive connections to the helpdesk, a set per thread: a call takes the connection used
//! most recently, and gives it back once the answer is read whole.
//!
//! hyper's connection API directly, not `hyper_util`'s pooled client: for each call that one
//! hashed its pool key several times under a lock, spawned a task to give the connection back
//! and parsed the URL again, about a tenth of a pass-through's instructions. A serving thread
//! only ever hands its own calls to its own connections, so a plain list per thread will do.

use axum::http::uri::{Authority, Scheme};
use axum::http::{HeaderValue, Uri};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use std::cell::RefCell;
use std::error::Error;
use std::sync::Arc;
use std::time::{Duration, Instant};
use thread_local::ThreadLocal;
use tower::ServiceExt;

/// A connection unused this long is closed (the helpdesk's server may close it first).
const IDLE_TIMEOUT: Duration = Duration::from_secs(90);
/// How often each thread looks for connections idle past [`IDLE_TIMEOUT`].
const REAP_EVERY: Duration = Duration::from_secs(30);
/// Idle connections a thread keeps at most; beyond, the longest idle is closed.
const MAX_IDLE_PER_THREAD: usize = 256;

/// The helpdesk's connections, by thread; cheap to clone.
#[derive(Clone)]
pub(super) struct Pools {
    threads: Arc<ThreadLocal<Pool>>,
    connector: HttpsConnector<HttpConnector>,
}

impl std::fmt::Debug for Pools {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pools").finish_non_exhaustive()
    }
}

/// One thread's idle connections, the most recently used last.
#[derive(Default)]
struct Pool {
    idle: RefCell<Vec<Idle>>,
}

struct Idle {
    origin: Origin,
    sender: SendRequest<String>,
    since: Instant,
}

/// Where a connection goes: scheme and authority.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct Origin {
    https: bool,
    authority: Authority,
}

/// A connection for one call: reused (it may have been closed meanwhile) or new.
pub(super) struct Connection {
    pub sender: SendRequest<String>,
    pub reused: bool,
}

impl Origin {
    /// The origin of an absolute `uri`, and its `Host` header (the port only if not the scheme's).
    pub fn of(uri: &Uri) -> Option<(Origin, HeaderValue)> {
        let authority = uri.authority()?.clone();
        let https = match uri.scheme() {
            Some(s) if *s == Scheme::HTTPS => true,
            Some(s) if *s == Scheme::HTTP => false,
            _ => return None,
        };
        let default_port = if https { 443 } else { 80 };
        let host = match authority.port_u16() {
            Some(port) if port != default_port => HeaderValue::from_str(authority.as_str()),
            _ => HeaderValue::from_str(authority.host()),
        }
        .ok()?;
        Some((Origin { https, authority }, host))
    }

    fn uri(&self) -> Option<Uri> {
        Uri::builder()
            .scheme(if self.https {
                Scheme::HTTPS
            } else {
                Scheme::HTTP
            })
            .authority(self.authority.clone())
            .path_and_query("/")
            .build()
            .ok()
    }
}

impl Pools {
    /// Connections that take at most `connect_timeout` to open, TLS by rustls with the webpki
    /// roots for `https` origins.
    pub fn new(connect_timeout: Duration) -> Pools {
        let mut http = HttpConnector::new();
        // Small requests and answers: no waiting for Nagle.
        http.set_nodelay(true);
        http.set_connect_timeout(Some(connect_timeout));
        // The TLS wrapper below decides the scheme.
        http.enforce_http(false);
        let connector = HttpsConnectorBuilder::new()
            .with_webpki_roots()
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        Pools {
            threads: Arc::new(ThreadLocal::new()),
            connector,
        }
    }

    /// This thread's pool; its first use on a thread starts that thread's reaper.
    fn pool(&self) -> &Pool {
        self.threads.get_or(|| {
            tokio::spawn(reap(Arc::clone(&self.threads)));
            Pool::default()
        })
    }

    /// The most recently used idle connection to `origin`, else a new one.
    pub async fn connection(
        &self,
        origin: &Origin,
    ) -> Result<Connection, Box<dyn Error + Send + Sync>> {
        if let Some(sender) = self.pool().take(origin) {
            return Ok(Connection {
                sender,
                reused: true,
            });
        }
        // Boxed: connecting (TLS included) is most of the size of a call's future, which every
        // call would otherwise carry and move along, though few calls connect.
        let sender = Box::pin(self.connect(origin)).await?;
        Ok(Connection {
            sender,
            reused: false,
        })
    }

    async fn connect(
        &self,
        origin: &Origin,
    ) -> Result<SendRequest<String>, Box<dyn Error + Send + Sync>> {
        let uri = origin.uri().ok_or("the helpdesk's address is not a URL")?;
        let stream = self.connector.clone().oneshot(uri).await?;
        let (sender, connection) = http1::handshake(stream).await?;
        // The connection's reads and writes run on this thread's runtime; a call on another
        // thread never borrows it (each thread has its own pool).
        tokio::spawn(async move {
            // Closed by either side or broken: its sender reports it to the next call.
            let _ = connection.await;
        });
        Ok(sender)
    }

    /// Gives back a connection whose answer was read whole.
    pub fn give_back(&self, origin: Origin, sender: SendRequest<String>) {
        if sender.is_closed() {
            return;
        }
        let mut idle = self.pool().idle.borrow_mut();
        if idle.len() >= MAX_IDLE_PER_THREAD {
            idle.remove(0);
        }
        idle.push(Idle {
            origin,
            sender,
            since: Instant::now(),
        });
    }
}

#[cfg(test)]
impl Pools {
    /// Reaps this thread's pool as if it were `now`.
    pub fn reap_here(&self, now: Instant) {
        self.pool().reap(now);
    }
}

impl Pool {
    fn take(&self, origin: &Origin) -> Option<SendRequest<String>> {
        let mut idle = self.idle.borrow_mut();
        let found = idle
            .iter()
            .rposition(|i| i.origin == *origin && !i.sender.is_closed())?;
        Some(idle.remove(found).sender)
    }

    /// Closes connections idle too long, and forgets closed ones.
    fn reap(&self, now: Instant) {
        self.idle
            .borrow_mut()
            .retain(|i| !i.sender.is_closed() && now.duration_since(i.since) < IDLE_TIMEOUT);
    }
}

/// Every [`REAP_EVERY`], reaps the pool of the thread it runs on (a serving thread's runtime has
/// one thread: its own pool).
async fn reap(threads: Arc<ThreadLocal<Pool>>) {
    let mut every = tokio::time::interval(REAP_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Some(pool) = threads.get() {
            pool.reap(Instant::now());
        }
    }
}
