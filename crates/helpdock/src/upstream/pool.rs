//! Keep-alive connections to the helpdesk, a set per thread: a call takes the connection used
//! most recently, and gives it back once the answer is read whole.
//!
//! Not `hyper_util`'s pooled client: for each call that one hashed its pool key several times
//! under a lock, spawned a task to give the connection back and parsed the URL again. A serving
//! thread only ever hands its own calls to its own connections, so a plain list per thread will
//! do; the calls speak HTTP on them themselves (`wire.rs`).

use super::wire::Stream;
use axum::http::Uri;
use axum::http::uri::{Authority, Scheme};
use hyper_rustls::builderstates::WantsSchemes;
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder, MaybeHttpsStream};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioIo;
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
    stream: Stream,
    since: Instant,
}

/// Where a connection goes: scheme and authority.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct Origin {
    https: bool,
    authority: Authority,
}

impl Origin {
    /// The origin of an absolute `uri`.
    pub fn of(uri: &Uri) -> Option<Origin> {
        let authority = uri.authority()?.clone();
        let https = match uri.scheme() {
            Some(s) if *s == Scheme::HTTPS => true,
            Some(s) if *s == Scheme::HTTP => false,
            _ => return None,
        };
        Some(Origin { https, authority })
    }

    /// Its `Host` header: the port only if not the scheme's.
    pub fn host(&self) -> &str {
        let default_port = if self.https { 443 } else { 80 };
        match self.authority.port_u16() {
            Some(port) if port != default_port => self.authority.as_str(),
            _ => self.authority.host(),
        }
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
        Pools::with_tls(
            connect_timeout,
            HttpsConnectorBuilder::new().with_webpki_roots(),
        )
    }

    /// [`Pools::new`], trusting only the roots of `tls`.
    #[cfg(test)]
    pub fn trusting(connect_timeout: Duration, tls: rustls::ClientConfig) -> Pools {
        Pools::with_tls(
            connect_timeout,
            HttpsConnectorBuilder::new().with_tls_config(tls),
        )
    }

    fn with_tls(connect_timeout: Duration, tls: HttpsConnectorBuilder<WantsSchemes>) -> Pools {
        let mut http = HttpConnector::new();
        // Small requests and answers: no waiting for Nagle.
        http.set_nodelay(true);
        http.set_connect_timeout(Some(connect_timeout));
        // The TLS wrapper below decides the scheme.
        http.enforce_http(false);
        let connector = tls.https_or_http().enable_http1().wrap_connector(http);
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

    /// The most recently used idle connection to `origin` still open, else a new one.
    pub async fn connection(
        &self,
        origin: &Origin,
    ) -> Result<Stream, Box<dyn Error + Send + Sync>> {
        if let Some(stream) = self.pool().take(origin) {
            return Ok(stream);
        }
        // Boxed: connecting (TLS included) is most of the size of a call's future, which every
        // call would otherwise carry and move along, though few calls connect.
        Box::pin(self.connect(origin)).await
    }

    async fn connect(&self, origin: &Origin) -> Result<Stream, Box<dyn Error + Send + Sync>> {
        let uri = origin.uri().ok_or("the helpdesk's address is not a URL")?;
        Ok(match self.connector.clone().oneshot(uri).await? {
            MaybeHttpsStream::Http(tcp) => Stream::Plain(tcp.into_inner()),
            tls => Stream::Layered(Box::new(TokioIo::new(tls))),
        })
    }

    /// Gives back a connection whose answer was read whole, and that may carry another call.
    pub fn give_back(&self, origin: Origin, stream: Stream) {
        let mut idle = self.pool().idle.borrow_mut();
        if idle.len() >= MAX_IDLE_PER_THREAD {
            idle.remove(0);
        }
        idle.push(Idle {
            origin,
            stream,
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
    /// The most recently used idle connection to `origin` still open; closed ones on the way
    /// are dropped. Checked as it is taken, so a request is never written to a connection the
    /// helpdesk was known to have closed.
    fn take(&self, origin: &Origin) -> Option<Stream> {
        let mut idle = self.idle.borrow_mut();
        while let Some(found) = idle.iter().rposition(|i| i.origin == *origin) {
            let mut stream = idle.remove(found).stream;
            if !stream.closed_while_idle() {
                return Some(stream);
            }
        }
        None
    }

    /// Closes connections idle too long, and forgets closed ones.
    fn reap(&self, now: Instant) {
        self.idle.borrow_mut().retain_mut(|i| {
            now.duration_since(i.since) < IDLE_TIMEOUT && !i.stream.closed_while_idle()
        });
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
