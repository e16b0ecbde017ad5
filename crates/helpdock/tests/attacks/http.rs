//! A deliberately dumb HTTP/1.1 client over a raw socket: attacks need bytes no polite client sends
//! (`..` in paths, duplicated headers, lying bodies), so nothing here normalises anything.

use serde_json::Value;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// How a request's body is sent.
#[derive(Clone, Debug)]
pub enum Body {
    Empty,
    /// `Content-Type: application/json` and `Content-Length`.
    Json(Value),
    /// Bytes as given with this `Content-Type` and a `Content-Length`.
    Raw(&'static str, Vec<u8>),
    /// Bytes with a `Content-Length` and no `Content-Type` at all.
    Untyped(Vec<u8>),
    /// JSON bytes sent with `Transfer-Encoding: chunked` (no length announced up front).
    Chunked(Vec<u8>),
}

/// One request, headers in the order written (names may repeat).
#[derive(Clone, Debug)]
pub struct Req {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

/// The headers the widget sends on every call from the shop's page.
pub const DEFAULT_ORIGIN: &str = "https://shop.example";

impl Req {
    /// A request as the widget on `https://shop.example` would send it (site and origin set).
    pub fn new(method: &str, path: &str) -> Req {
        Req {
            method: method.to_owned(),
            path: path.to_owned(),
            headers: vec![
                ("Origin".to_owned(), DEFAULT_ORIGIN.to_owned()),
                ("X-Helpdock-Site".to_owned(), "shop".to_owned()),
            ],
            body: Body::Empty,
        }
    }

    pub fn get(path: &str) -> Req {
        Req::new("GET", path)
    }

    pub fn post(path: &str, json: Value) -> Req {
        Req::new("POST", path).json(json)
    }

    /// Sets `name` (replacing any earlier value of it).
    pub fn header(self, name: &str, value: &str) -> Req {
        self.without(name).also(name, value)
    }

    /// Adds another `name: value` line, keeping earlier ones.
    pub fn also(mut self, name: &str, value: &str) -> Req {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Drops every `name` header.
    pub fn without(mut self, name: &str) -> Req {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self
    }

    pub fn json(mut self, json: Value) -> Req {
        self.body = Body::Json(json);
        self
    }

    pub fn body(mut self, body: Body) -> Req {
        self.body = body;
        self
    }

    /// `X-Helpdock-Identity: value`.
    pub fn identity(self, value: &str) -> Req {
        self.header("X-Helpdock-Identity", value)
    }

    /// `X-Helpdock-Guest-Pass: pass`.
    pub fn pass(self, pass: &str) -> Req {
        self.header("X-Helpdock-Guest-Pass", pass)
    }

    /// `Idempotency-Key: key`.
    pub fn key(self, key: &str) -> Req {
        self.header("Idempotency-Key", key)
    }

    /// The client address a trusted reverse proxy would report.
    pub fn client_ip(self, xff: &str) -> Req {
        self.header("X-Forwarded-For", xff)
    }

    fn bytes(&self, host: SocketAddr) -> Vec<u8> {
        let mut head = format!("{} {} HTTP/1.1\r\n", self.method, self.path);
        // The server's own address unless the request names a Host (or several) itself.
        if !self
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("host"))
        {
            head.push_str(&format!("Host: {host}\r\n"));
        }
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("Connection: close\r\n");
        let body = match &self.body {
            Body::Empty => Vec::new(),
            Body::Json(json) => {
                let bytes = json.to_string().into_bytes();
                head.push_str("Content-Type: application/json\r\n");
                head.push_str(&format!("Content-Length: {}\r\n", bytes.len()));
                bytes
            }
            Body::Raw(content_type, bytes) => {
                head.push_str(&format!("Content-Type: {content_type}\r\n"));
                head.push_str(&format!("Content-Length: {}\r\n", bytes.len()));
                bytes.clone()
            }
            Body::Untyped(bytes) => {
                head.push_str(&format!("Content-Length: {}\r\n", bytes.len()));
                bytes.clone()
            }
            Body::Chunked(bytes) => {
                head.push_str("Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n");
                let mut out = Vec::new();
                for chunk in bytes.chunks(8 * 1024) {
                    out.extend(format!("{:x}\r\n", chunk.len()).into_bytes());
                    out.extend(chunk);
                    out.extend(b"\r\n");
                }
                out.extend(b"0\r\n\r\n");
                out
            }
        };
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend(body);
        bytes
    }
}

/// One answer, kept raw.
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: u16,
    /// Names in lower case, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON, `Null` when it is not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    /// The error `code`, or "" when the body has none.
    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or("").to_owned()
    }

    /// Everything a browser could read: status line, headers and body, as one text.
    pub fn visible_text(&self) -> String {
        let mut text = format!("{}\n", self.status);
        for (name, value) in &self.headers {
            text.push_str(&format!("{name}: {value}\n"));
        }
        text.push_str(&self.body);
        text
    }

    /// What a refused connection or unreadable answer looks like in the table.
    fn transport_error(why: String) -> Answer {
        Answer {
            status: 0,
            headers: Vec::new(),
            body: why,
        }
    }
}

/// Sends `req` to `addr` and reads the whole answer (the server closes the connection).
pub async fn send(addr: SocketAddr, req: &Req) -> Answer {
    match tokio::time::timeout(Duration::from_secs(20), exchange(addr, req)).await {
        Ok(Ok(answer)) => answer,
        Ok(Err(e)) => Answer::transport_error(format!("transport error: {e}")),
        Err(_) => Answer::transport_error("no answer within 20 s".to_owned()),
    }
}

async fn exchange(addr: SocketAddr, req: &Req) -> std::io::Result<Answer> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    // The server may answer (413) and close before reading all of a large body: not an error.
    let _ = stream.write_all(&req.bytes(addr)).await;
    let mut raw = Vec::new();
    let read = stream.read_to_end(&mut raw).await;
    if raw.is_empty() {
        read?;
    }
    parse(&raw).ok_or_else(|| std::io::Error::other(format!("unparsable answer: {raw:?}")))
}

fn parse(raw: &[u8]) -> Option<Answer> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let rest = &raw[split + 4..];
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        dechunk(rest)?
    } else {
        rest.to_vec()
    };
    Some(Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size_text = String::from_utf8_lossy(&rest[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}
