//! The transport against a bare HTTP/1.1 server on loopback that counts connections and records
//! every request it reads: connections are reused, a closed one is replaced without sending a
//! request twice, idle ones are closed.

use super::{Failure, Pools, Transport};
use axum::http::{Request, Uri};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the server saw.
#[derive(Default)]
struct Seen {
    connections: AtomicUsize,
    requests: Mutex<Vec<String>>,
}

impl Seen {
    fn requests(&self) -> Vec<String> {
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// An answer with a length, as the stand-in for PHP's usual one.
const SIZED: &str =
    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";

/// A server answering `{}` to every request; each connection closes after `per_connection`
/// answers (without saying so, as a server's keep-alive timeout does).
async fn server(per_connection: usize) -> (Uri, Arc<Seen>) {
    server_answering(per_connection, SIZED).await
}

/// [`server`] with `answer` as every answer's bytes.
async fn server_answering(per_connection: usize, answer: &'static str) -> (Uri, Arc<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let seen = Arc::new(Seen::default());
    let counted = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counted.connections.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(answer_requests(
                stream,
                per_connection,
                answer,
                Arc::clone(&counted),
            ));
        }
    });
    let uri = format!("http://127.0.0.1:{port}/api/ticket_categories.php")
        .parse()
        .expect("uri");
    (uri, seen)
}

/// Reads up to `per_connection` request heads from `stream`, recording each, and answers each
/// with `answer`.
async fn answer_requests<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    per_connection: usize,
    answer: &str,
    seen: Arc<Seen>,
) {
    let mut buffer = Vec::new();
    for _ in 0..per_connection {
        let head = loop {
            if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                let head: Vec<u8> = buffer.drain(..end + 4).collect();
                break String::from_utf8_lossy(&head).into_owned();
            }
            let mut chunk = [0u8; 1024];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        seen.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(head);
        if stream.write_all(answer.as_bytes()).await.is_err() {
            return;
        }
        // TLS holds the record until flushed.
        if stream.flush().await.is_err() {
            return;
        }
    }
}

/// A helpdesk on `https://127.0.0.1` answering [`SIZED`], and a transport that trusts its test
/// CA (`test_tls/`: a CA and a certificate for IP 127.0.0.1 it signed, valid until 2126, made
/// with `openssl`; the key is for these tests only).
async fn tls_server() -> (Uri, Arc<Seen>, Transport) {
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    let ca = CertificateDer::from(include_bytes!("test_tls/ca.der").as_slice());
    let leaf = CertificateDer::from(include_bytes!("test_tls/leaf.der").as_slice());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        include_bytes!("test_tls/leaf.key.der").as_slice(),
    ));
    let server = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![leaf], key)
        .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server));
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ca).expect("root");
    let client = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let transport = Transport::with_pools(
        Duration::from_secs(5),
        Pools::trusting(Duration::from_secs(5), client),
    );

    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let seen = Arc::new(Seen::default());
    let counted = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            counted.connections.fetch_add(1, Ordering::SeqCst);
            let (acceptor, seen) = (acceptor.clone(), Arc::clone(&counted));
            tokio::spawn(async move {
                if let Ok(tls) = acceptor.accept(tcp).await {
                    answer_requests(tls, usize::MAX, SIZED, seen).await;
                }
            });
        }
    });
    let uri = format!("https://127.0.0.1:{port}/api/ticket_categories.php")
        .parse()
        .expect("uri");
    (uri, seen, transport)
}

async fn call(transport: &Transport, uri: &Uri) -> Result<Vec<u8>, String> {
    let mut request = Request::new(String::new());
    *request.uri_mut() = uri.clone();
    match transport.send(request).await {
        Ok(answer) => Ok(answer.body),
        Err(Failure::Timeout) => Err("timeout".into()),
        Err(Failure::Unreachable(cause)) => Err(cause),
        Err(Failure::TooLarge) => Err("too large".into()),
    }
}

#[tokio::test]
async fn calls_one_after_another_share_one_connection_and_name_the_path_and_host() {
    let (uri, seen) = server(usize::MAX).await;
    let transport = Transport::new(Duration::from_secs(5));
    for _ in 0..5 {
        assert_eq!(call(&transport, &uri).await, Ok(b"{}".to_vec()));
    }
    assert_eq!(seen.connections.load(Ordering::SeqCst), 1);
    let requests = seen.requests();
    assert_eq!(requests.len(), 5);
    let port = uri.port_u16().expect("port");
    for head in requests {
        assert!(
            head.starts_with("GET /api/ticket_categories.php HTTP/1.1\r\n"),
            "{head}"
        );
        assert!(
            head.to_ascii_lowercase()
                .contains(&format!("\r\nhost: 127.0.0.1:{port}\r\n")),
            "{head}"
        );
    }
}

#[tokio::test]
async fn calls_at_once_each_get_a_connection_then_share_them() {
    let (uri, seen) = server(usize::MAX).await;
    let transport = Transport::new(Duration::from_secs(5));
    let at_once = tokio::join!(
        call(&transport, &uri),
        call(&transport, &uri),
        call(&transport, &uri),
        call(&transport, &uri)
    );
    let at_once = [at_once.0, at_once.1, at_once.2, at_once.3];
    assert!(
        at_once.iter().all(|a| a.as_deref() == Ok(b"{}".as_slice())),
        "{at_once:?}"
    );
    let opened = seen.connections.load(Ordering::SeqCst);
    assert!((1..=4).contains(&opened), "{opened}");
    for _ in 0..8 {
        assert_eq!(call(&transport, &uri).await, Ok(b"{}".to_vec()));
    }
    assert_eq!(
        seen.connections.load(Ordering::SeqCst),
        opened,
        "no new one"
    );
}

#[tokio::test]
async fn a_connection_the_helpdesk_closed_while_idle_is_replaced_and_nothing_is_sent_twice() {
    // One answer per connection, then the server hangs up.
    let (uri, seen) = server(1).await;
    let transport = Transport::new(Duration::from_secs(5));
    for round in 1..=3 {
        assert_eq!(call(&transport, &uri).await, Ok(b"{}".to_vec()), "{round}");
        // The hang-up reaches the client before the next call.
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(seen.connections.load(Ordering::SeqCst), 3);
    assert_eq!(seen.requests().len(), 3, "each call read once");
}

#[tokio::test]
async fn a_chunked_answer_that_closes_its_connection_is_read_whole_and_not_reused() {
    // PHP behind Apache or php-fpm often streams without a length and may close after answering.
    let chunked = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n7\r\n{\"a\":[1\r\n2\r\n]}\r\n0\r\n\r\n";
    let (uri, seen) = server_answering(usize::MAX, chunked).await;
    let transport = Transport::new(Duration::from_secs(5));
    for _ in 0..3 {
        assert_eq!(call(&transport, &uri).await, Ok(br#"{"a":[1]}"#.to_vec()));
    }
    assert_eq!(
        seen.connections.load(Ordering::SeqCst),
        3,
        "a closed one is never reused"
    );
    assert_eq!(seen.requests().len(), 3, "each call read once");
}

#[tokio::test]
async fn connections_idle_past_the_timeout_are_closed() {
    let (uri, seen) = server(usize::MAX).await;
    let transport = Transport::new(Duration::from_secs(5));
    assert_eq!(call(&transport, &uri).await, Ok(b"{}".to_vec()));
    transport
        .pools
        .reap_here(Instant::now() + Duration::from_secs(89));
    assert_eq!(call(&transport, &uri).await, Ok(b"{}".to_vec()));
    assert_eq!(
        seen.connections.load(Ordering::SeqCst),
        1,
        "89 s idle is kept"
    );
    transport
        .pools
        .reap_here(Instant::now() + Duration::from_secs(91));
    assert_eq!(call(&transport, &uri).await, Ok(b"{}".to_vec()));
    assert_eq!(
        seen.connections.load(Ordering::SeqCst),
        2,
        "91 s idle is closed"
    );
}

#[tokio::test]
async fn https_calls_share_one_connection_over_tls() {
    let (uri, seen, transport) = tls_server().await;
    for _ in 0..3 {
        assert_eq!(call(&transport, &uri).await, Ok(b"{}".to_vec()));
    }
    assert_eq!(seen.connections.load(Ordering::SeqCst), 1);
    assert_eq!(seen.requests().len(), 3, "each call read once");
    let port = uri.port_u16().expect("port");
    assert!(
        seen.requests()[0].contains(&format!("\r\nhost: 127.0.0.1:{port}\r\n")),
        "{:?}",
        seen.requests()
    );
}

#[tokio::test]
async fn an_untrusted_certificate_is_unreachable_with_its_cause() {
    let (uri, seen, _) = tls_server().await;
    // The webpki roots do not know the test CA.
    let transport = Transport::new(Duration::from_secs(5));
    let cause = call(&transport, &uri).await.expect_err("untrusted");
    assert!(cause.contains("certificate"), "{cause}");
    assert!(seen.requests().is_empty());
}

#[tokio::test]
async fn a_refused_connection_is_unreachable_with_its_cause() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    let uri: Uri = format!("http://127.0.0.1:{port}/api/x.php")
        .parse()
        .expect("uri");
    let transport = Transport::new(Duration::from_secs(5));
    let cause = call(&transport, &uri).await.expect_err("refused");
    assert!(cause.contains("refused"), "{cause}");
}
