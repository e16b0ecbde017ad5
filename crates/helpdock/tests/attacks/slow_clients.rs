//! Slow and idle clients against the real binary: a few dozen connections that idle, trickle
//! their headers or their body, or stay open after an answer, while a well-behaved client keeps
//! asking. Each kind must be closed by the server within its timeout (plus scheduling slack), and
//! the well-behaved client served throughout; past the connection cap, a client waits for a slot
//! rather than being refused. Bounded: about ten seconds in all.

use crate::Row;
use crate::case::Target;
use crate::http::{Req, send};
use crate::world::World;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The main proxy's `[server]` lines: every timeout 2 s, 64 connections.
pub const MAIN_SERVER: &str = "header_read_timeout_secs = 2\nbody_read_timeout_secs = 2\n\
                               idle_timeout_secs = 2\nrequest_timeout_secs = 30\nmax_connections = 64\n";
/// The strict proxy's: 4 connections, 1 s of silence.
pub const STRICT_SERVER: &str = "header_read_timeout_secs = 1\nbody_read_timeout_secs = 2\n\
                                 idle_timeout_secs = 1\nrequest_timeout_secs = 30\nmax_connections = 4\n";
/// The main proxy's timeouts, and the slack allowed on top of them.
const TIMEOUT: Duration = Duration::from_secs(2);
const SLACK: Duration = Duration::from_secs(2);
/// Connections of each slow kind.
const EACH: usize = 10;
/// How long a slow client waits for the server to close it before it counts as kept.
const GIVE_UP: Duration = Duration::from_secs(8);
const CATEGORIES: &str = "/api/ticket_categories.php";

#[derive(Clone, Copy, Debug)]
enum Slow {
    /// Connects and says nothing.
    Idle,
    /// Sends a request line, then a header byte every 250 ms.
    TrickledHeaders,
    /// Sends a create's headers announcing 1 000 bytes, then a body byte every 250 ms.
    TrickledBody,
    /// Gets one answer on a keep-alive connection, then says nothing.
    KeptAlive,
}

impl Slow {
    const ALL: [(Slow, &'static str); 4] = [
        (Slow::Idle, "slow_idle_connections_closed"),
        (Slow::TrickledHeaders, "slow_trickled_headers_closed"),
        (Slow::TrickledBody, "slow_trickled_bodies_closed"),
        (Slow::KeptAlive, "slow_keep_alive_connections_closed"),
    ];

    /// What the client sends first.
    fn opening(self, addr: SocketAddr) -> String {
        let head = |method: &str, path: &str| {
            format!(
                "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: https://shop.example\r\n\
                 X-Helpdock-Site: shop\r\n"
            )
        };
        match self {
            Slow::Idle => String::new(),
            Slow::TrickledHeaders => head("GET", CATEGORIES),
            Slow::TrickledBody => {
                head("POST", "/api/tickets_create.php")
                    + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
            }
            Slow::KeptAlive => head("GET", CATEGORIES) + "\r\n",
        }
    }

    /// The byte trickled every 250 ms, if any.
    fn trickle(self) -> Option<&'static [u8]> {
        match self {
            Slow::TrickledHeaders => Some(b"X"),
            Slow::TrickledBody => Some(b" "),
            Slow::Idle | Slow::KeptAlive => None,
        }
    }
}

/// Opens one slow connection; how long until the server closed it (`None`: still open).
async fn slow_client(addr: SocketAddr, kind: Slow) -> Option<Duration> {
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr).await.ok()?;
    stream.write_all(kind.opening(addr).as_bytes()).await.ok()?;
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::sleep(GIVE_UP);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            read = stream.read(&mut buf) => match read {
                // An answer (the kept-alive one, or a refusal): keep listening for the close.
                Ok(n) if n > 0 => {}
                _ => return Some(started.elapsed()),
            },
            _ = tick.tick() => {
                if let Some(byte) = kind.trickle()
                    && stream.write_all(byte).await.is_err()
                {
                    return Some(started.elapsed());
                }
            }
            () = &mut deadline => return None,
        }
    }
}

/// A well-behaved client asking every 100 ms for `span`: (statuses, slowest answer).
async fn steady_client(addr: SocketAddr, span: Duration) -> (Vec<u16>, Duration) {
    let started = Instant::now();
    let (mut statuses, mut slowest) = (Vec::new(), Duration::ZERO);
    while started.elapsed() < span {
        let asked = Instant::now();
        statuses.push(send(addr, &Req::get(CATEGORIES)).await.status);
        slowest = slowest.max(asked.elapsed());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (statuses, slowest)
}

fn row(name: &str, expected: String, got: String, verdict: Result<(), String>) -> Row {
    Row {
        name: name.to_owned(),
        expected,
        got,
        upstream: "-".to_owned(),
        verdict,
    }
}

/// The rows: one per slow kind, the steady client's, and the connection cap's.
pub async fn rows(w: &World) -> Vec<Row> {
    let Ok(addr) = w.addr(Target::Main) else {
        return vec![row(
            "slow_clients",
            "ok".into(),
            "no proxy".into(),
            Err("main proxy not running".into()),
        )];
    };
    let slow: Vec<_> = Slow::ALL
        .iter()
        .flat_map(|(kind, _)| (0..EACH).map(move |_| tokio::spawn(slow_client(addr, *kind))))
        .collect();
    let steady = tokio::spawn(steady_client(addr, TIMEOUT + SLACK));
    let mut closed = Vec::new();
    for task in slow {
        closed.push(task.await.ok().flatten());
    }
    let mut rows: Vec<Row> = Slow::ALL
        .iter()
        .zip(closed.chunks(EACH))
        .map(|((_, name), times)| closed_row(name, times))
        .collect();
    rows.push(steady_row(steady.await.unwrap_or_default()));
    rows.push(cap_row(w).await);
    rows
}

/// Every connection of a kind closed by the server within the timeout and slack.
fn closed_row(name: &str, times: &[Option<Duration>]) -> Row {
    let limit = TIMEOUT + SLACK;
    let done: Vec<Duration> = times.iter().flatten().copied().collect();
    let last = done.iter().max().copied().unwrap_or_default();
    let got = format!(
        "{}/{} closed, last {:.1} s",
        done.len(),
        times.len(),
        last.as_secs_f64()
    );
    let verdict = match done.len() == times.len() && last <= limit {
        true => Ok(()),
        false => Err(format!(
            "{got}; every one within {} s expected",
            limit.as_secs()
        )),
    };
    row(
        name,
        format!("all closed ≤ {} s", limit.as_secs()),
        got,
        verdict,
    )
}

/// The steady client got every answer, each within a second.
fn steady_row((statuses, slowest): (Vec<u16>, Duration)) -> Row {
    let ok = statuses.iter().filter(|s| **s == 200).count();
    let got = format!(
        "{ok}/{} 200, slowest {:.2} s",
        statuses.len(),
        slowest.as_secs_f64()
    );
    let verdict =
        match !statuses.is_empty() && ok == statuses.len() && slowest < Duration::from_secs(1) {
            true => Ok(()),
            false => Err(got.clone()),
        };
    row(
        "slow_clients_leave_others_served",
        "all 200 < 1 s".into(),
        got,
        verdict,
    )
}

/// The strict proxy (4 connections, 1 s of silence), its 4 slots held by idle clients: a fifth
/// client waits until the silence closes one, then is served.
async fn cap_row(w: &World) -> Row {
    const NAME: &str = "connection_cap_queues_then_serves";
    let Ok(addr) = w.addr(Target::Strict) else {
        return row(
            NAME,
            "ok".into(),
            "no proxy".into(),
            Err("strict proxy not running".into()),
        );
    };
    let mut idle = Vec::new();
    for _ in 0..4 {
        idle.push(TcpStream::connect(addr).await);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let asked = Instant::now();
    let answer = send(addr, &Req::get(CATEGORIES)).await;
    let waited = asked.elapsed();
    drop(idle);
    let got = format!("{} after {:.1} s", answer.status, waited.as_secs_f64());
    let queued = (Duration::from_millis(500)..Duration::from_secs(4)).contains(&waited);
    let verdict = match answer.status == 200 && queued {
        true => Ok(()),
        false => Err(format!(
            "{got}: expected 200 after 0.5–4 s (queued, not refused)"
        )),
    };
    row(NAME, "200 after 0.5–4 s".into(), got, verdict)
}
