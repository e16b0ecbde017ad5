//! Serving the app on a socket: hyper's HTTP/1 connections, each bounded in time (`[server]`:
//! headers, body, silence, the whole answer) and in number, with graceful shutdown. axum's own
//! `serve` has none of these settings.

mod config;
mod deadline;
mod idle;
mod threads;

pub use config::ServerConfig;
pub use threads::{bind_shared, serve_on_threads};

use crate::layers::Around;
use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use axum::response::Response;
use deadline::Deadlines;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use idle::{Activity, IdleTimeout};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower::{Service, ServiceExt};

/// Serves `app` on `listener` with `settings` until `shutdown` completes, then stops accepting
/// and lets in-flight requests finish, for at most `shutdown_timeout_secs`. Each request knows
/// its peer's address (the rate limits' client IP).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    settings: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(settings.max_connections as usize));
    serve_with_slots(listener, app, settings, slots, shutdown).await
}

/// [`serve`], taking connection slots from `slots` (shared when several threads serve one app).
async fn serve_with_slots(
    listener: TcpListener,
    app: Router,
    settings: ServerConfig,
    slots: Arc<Semaphore>,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let deadlines = Deadlines {
        body: settings.body_read_timeout(),
        request: settings.request_timeout(),
    };
    // Around the router as a whole, not inside it as `Router::layer` would put it: no box per
    // route to clone for each request.
    let app = Around {
        inner: app,
        answer: deadlines,
    };
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait for some to come back.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Then a slot: beyond the cap, this connection waits here unserved and the next ones in
        // the kernel's listen queue. (A slot taken before accepting would sit idle while this
        // thread waits, if the next connections went to another serving thread's socket.)
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot,
            () = &mut shutdown => break,
        };
        let Ok(slot) = slot else { break };
        spawn_connection(stream, peer, app.clone(), &settings, &graceful, slot);
    }
    drop(listener);
    // Idle keep-alive connections close now; busy ones after their answer.
    if tokio::time::timeout(settings.shutdown_timeout(), graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            shutdown_timeout_secs = settings.shutdown_timeout_secs,
            "requests still in flight at the shutdown deadline: their connections are cut"
        );
    }
    Ok(())
}

/// Serves one HTTP/1 connection of `app` with the header and idle timeouts of `settings`,
/// holding `slot` until it closes.
fn spawn_connection<S>(
    stream: TcpStream,
    peer: SocketAddr,
    app: S,
    settings: &ServerConfig,
    graceful: &GracefulShutdown,
    slot: OwnedSemaphorePermit,
) where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    let _ = stream.set_nodelay(true);
    let activity = Activity::new();
    let io = TokioIo::new(IdleTimeout::new(
        stream,
        settings.idle_timeout(),
        activity.clone(),
    ));
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        let in_flight = activity.start();
        let app = app.clone();
        async move {
            let response = app.oneshot(request.map(Body::new)).await;
            drop(in_flight);
            response
        }
    });
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(settings.header_read_timeout())
        .serve_connection(io, service);
    let connection = graceful.watch(connection);
    tokio::spawn(async move {
        // Closed by the client, a timeout or a protocol error: nothing to tell anyone.
        let _ = connection.await;
        drop(slot);
    });
}
