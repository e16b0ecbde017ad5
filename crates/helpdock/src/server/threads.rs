//! Serving on every core the way nginx does: one thread per core, each with its own
//! single-threaded runtime and its own listening socket on the shared port. A connection lives
//! and dies on the thread the kernel gave it, so a request never waits for another thread to
//! wake up, and nothing it touches is fought over (`./run bench proxy`: from 0.42x to 0.59-0.83x
//! nginx's requests per second, against one work-stealing runtime for the whole process).

use super::{ServerConfig, serve_with_slots};
use axum::Router;
use socket2::{Domain, Socket, Type};
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// The kernel's queue of connections not yet accepted, per socket.
const BACKLOG: i32 = 1024;

/// `count` listening sockets on `addr` (port 0: one chosen for all), sharing it by `SO_REUSEPORT`:
/// the kernel spreads new connections across them. Only sockets of the same user can join.
pub fn bind_shared(addr: SocketAddr, count: usize) -> io::Result<Vec<std::net::TcpListener>> {
    if addr.port() != 0 {
        // A port already served, even by another proxy sharing it the same way, is a mistake:
        // joining it would split that server's traffic silently. A plain socket is refused there.
        drop(std::net::TcpListener::bind(addr)?);
    }
    let mut listeners: Vec<std::net::TcpListener> = Vec::with_capacity(count.max(1));
    let mut addr = addr;
    for _ in 0..count.max(1) {
        let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
        socket.set_reuse_address(true)?;
        socket.set_reuse_port(true)?;
        socket.set_nonblocking(true)?;
        socket.bind(&addr.into())?;
        socket.listen(BACKLOG)?;
        let listener = std::net::TcpListener::from(socket);
        // The others join the port the first one got.
        addr = listener.local_addr()?;
        listeners.push(listener);
    }
    Ok(listeners)
}

/// Serves `app` on each of `listeners` from its own thread, as [`super::serve`] does, with
/// `settings.max_connections` shared by all, until `stop` is cancelled. Each thread then drains
/// its connections and waits for what its requests left running in `detached` (a create whose
/// client hung up still stores its answer), all within `shutdown_timeout_secs` of the stop.
pub async fn serve_on_threads(
    listeners: Vec<std::net::TcpListener>,
    app: Router,
    settings: ServerConfig,
    stop: CancellationToken,
    detached: TaskTracker,
) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(settings.max_connections as usize));
    let stopped_at = Arc::new(std::sync::OnceLock::new());
    let mut threads = Vec::with_capacity(listeners.len());
    for (n, listener) in listeners.into_iter().enumerate() {
        let (app, settings, slots, stop) =
            (app.clone(), settings.clone(), slots.clone(), stop.clone());
        let (detached, stopped_at) = (detached.clone(), stopped_at.clone());
        let (done, finished) = tokio::sync::oneshot::channel();
        std::thread::Builder::new()
            .name(format!("helpdock-serve-{n}"))
            .spawn(move || {
                let served = serve_one(listener, app, settings, slots, stop, detached, stopped_at);
                let _ = done.send(served);
            })?;
        threads.push(finished);
    }
    let mut outcome = Ok(());
    for finished in threads {
        let served = finished
            .await
            .unwrap_or_else(|_| Err(io::Error::other("a serving thread panicked")));
        outcome = outcome.and(served);
    }
    outcome
}

/// One serving thread's life: its runtime, its socket, then the drain.
fn serve_one(
    listener: std::net::TcpListener,
    app: Router,
    settings: ServerConfig,
    slots: Arc<Semaphore>,
    stop: CancellationToken,
    detached: TaskTracker,
    stopped_at: Arc<std::sync::OnceLock<Instant>>,
) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = TcpListener::from_std(listener)?;
        let deadline = settings.shutdown_timeout();
        let signalled = {
            let stopped_at = stopped_at.clone();
            async move {
                stop.cancelled().await;
                let _ = stopped_at.set(Instant::now());
            }
        };
        serve_with_slots(listener, app, settings, slots, signalled).await?;
        // The tasks this runtime runs end with it: wait for them, within the same deadline.
        let left = stopped_at
            .get()
            .map_or(deadline, |at| deadline.saturating_sub(at.elapsed()));
        // Closing is only what lets `wait` end once the tracker is empty: a thread still
        // draining can add tasks, which its own runtime then waits for.
        detached.close();
        if tokio::time::timeout(left, detached.wait()).await.is_err() {
            tracing::warn!(
                writes = detached.len(),
                "creates or replies still in flight at the shutdown deadline: their answers are lost"
            );
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::bind_shared;
    use std::net::SocketAddr;

    const ANY_PORT: &str = "127.0.0.1:0";

    #[test]
    fn the_sockets_share_one_port() {
        let listeners = bind_shared(ANY_PORT.parse().expect("addr"), 3).expect("bind");
        assert_eq!(listeners.len(), 3);
        let port = listeners[0].local_addr().expect("addr").port();
        assert_ne!(port, 0);
        assert!(
            listeners
                .iter()
                .all(|l| l.local_addr().expect("addr").port() == port)
        );
    }

    #[test]
    fn a_port_in_use_is_refused_even_by_a_group_like_ours() {
        let plain = std::net::TcpListener::bind(ANY_PORT).expect("bind");
        let taken: SocketAddr = plain.local_addr().expect("addr");
        let err = bind_shared(taken, 2).expect_err("taken by a plain socket");
        assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse);

        let group = bind_shared(ANY_PORT.parse().expect("addr"), 2).expect("bind");
        let taken = group[0].local_addr().expect("addr");
        let err = bind_shared(taken, 2).expect_err("taken by another proxy's threads");
        assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse);
    }
}
