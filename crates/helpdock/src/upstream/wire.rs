//! One HTTP/1.1 exchange with the helpdesk on a kept-alive connection: the request written in one
//! go, the answer's head parsed by httparse (hyper's own parser), its body framed by its length,
//! by chunks or by the connection's end, and whether the connection may carry another call.
//!
//! In the call itself rather than through hyper's client connection: that one runs every
//! connection as a task of its own and hands each request and answer across channels to it,
//! a quarter of a pass-through's instructions (`docs/operations.md`, Speed).

use super::transport::{Answer, Failure, MAX_RESPONSE_BYTES, failure};
use axum::http::{HeaderValue, Method, Request, StatusCode};
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;

/// The most header lines an answer may have (as many as hyper's client allowed).
const MAX_HEADERS: usize = 100;
/// The longest answer head, chunk-size line or trailer section.
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Room made for each read.
const READ_ROOM: usize = 8 * 1024;

/// A connection to the helpdesk: plain TCP, or TLS over it.
pub(super) enum Stream {
    /// `http://`.
    Plain(TcpStream),
    /// `https://` (rustls over TCP), or any other stream.
    Layered(Box<dyn Duplex>),
}

/// Bytes both ways, as a TLS stream is.
pub(super) trait Duplex: AsyncRead + AsyncWrite + Send + Unpin {}

impl<T: AsyncRead + AsyncWrite + Send + Unpin> Duplex for T {}

/// How the answer's body ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Framing {
    /// No body (HEAD, 204, 304).
    Empty,
    /// `Content-Length`.
    Length(u64),
    /// `Transfer-Encoding: chunked`.
    Chunked,
    /// Neither: the body is all the helpdesk sends before closing.
    UntilClose,
}

/// An answer's head, read.
struct Head {
    /// Its bytes, to skip.
    len: usize,
    status: StatusCode,
    content_type: Option<HeaderValue>,
    framing: Framing,
    /// HTTP/1.1 without `Connection: close`, and a body that does not end with the connection.
    keep_alive: bool,
}

impl Stream {
    /// Whether the helpdesk closed this idle connection, or sent what nobody asked for: then it
    /// cannot carry a call. Asks without waiting, from what the runtime last heard of the socket.
    pub fn closed_while_idle(&mut self) -> bool {
        let mut byte = [0u8; 1];
        let mut read = ReadBuf::new(&mut byte);
        let mut cx = Context::from_waker(Waker::noop());
        !matches!(Pin::new(self).poll_read(&mut cx, &mut read), Poll::Pending)
    }

    /// Writes `request` (head and body) and reads the whole answer, which has no body if
    /// `head_only`. Also says whether this connection may carry another call.
    pub async fn exchange(
        &mut self,
        request: &[u8],
        head_only: bool,
    ) -> Result<(Answer, bool), Failure> {
        self.write_all(request).await.map_err(|e| failure(&e))?;
        // TLS may hold the last record back until asked; plain TCP has sent it all already.
        self.flush().await.map_err(|e| failure(&e))?;
        let mut buf = Vec::with_capacity(READ_ROOM);
        let head = loop {
            if let Some(head) = parse_head(&buf)? {
                break head;
            }
            if buf.len() >= MAX_HEAD_BYTES {
                return Err(broken("the helpdesk's answer head is too long"));
            }
            self.read_more(&mut buf, "before answering").await?;
        };
        buf.drain(..head.len);
        let framing = match head.status.as_u16() {
            204 | 304 => Framing::Empty,
            _ if head_only => Framing::Empty,
            _ => head.framing,
        };
        let (body, clean) = match framing {
            Framing::Empty => (Vec::new(), buf.is_empty()),
            Framing::Length(length) => {
                let length = usize::try_from(length)
                    .ok()
                    .filter(|l| *l <= MAX_RESPONSE_BYTES)
                    .ok_or(Failure::TooLarge)?;
                buf.reserve(length.saturating_sub(buf.len()));
                while buf.len() < length {
                    self.read_more(&mut buf, "before the answer was whole")
                        .await?;
                }
                // More than the answer: nothing this connection says next can be trusted.
                let clean = buf.len() == length;
                buf.truncate(length);
                (buf, clean)
            }
            Framing::Chunked => self.read_chunked(buf).await?,
            Framing::UntilClose => {
                while self.read_some(&mut buf).await? > 0 {
                    if buf.len() > MAX_RESPONSE_BYTES {
                        return Err(Failure::TooLarge);
                    }
                }
                (buf, false)
            }
        };
        let answer = Answer {
            status: head.status,
            content_type: head.content_type,
            body,
        };
        Ok((answer, clean && head.keep_alive))
    }

    /// Decodes a chunked body from `buf` on, reading as needed; also says whether the answer
    /// ended exactly where the connection's bytes did.
    async fn read_chunked(&mut self, mut buf: Vec<u8>) -> Result<(Vec<u8>, bool), Failure> {
        let mut body = Vec::new();
        let mut at = 0;
        loop {
            let line = self.line(&mut buf, at).await?;
            let size = chunk_size(&buf[at..line])?;
            at = line + 2;
            if size == 0 {
                break;
            }
            let size = usize::try_from(size)
                .ok()
                .filter(|s| body.len() + s <= MAX_RESPONSE_BYTES)
                .ok_or(Failure::TooLarge)?;
            while buf.len() < at + size + 2 {
                self.read_more(&mut buf, "before the answer was whole")
                    .await?;
            }
            body.extend_from_slice(&buf[at..at + size]);
            if &buf[at + size..at + size + 2] != b"\r\n" {
                return Err(broken(
                    "a chunk of the helpdesk's answer is not ended by CRLF",
                ));
            }
            at += size + 2;
            // What is decoded is not needed again: the buffer stays about a read's size.
            if at >= READ_ROOM {
                buf.drain(..at);
                at = 0;
            }
        }
        // Trailer lines, read and ignored, up to the empty one.
        let trailers_from = at;
        loop {
            let line = self.line(&mut buf, at).await?;
            let empty = line == at;
            at = line + 2;
            if empty {
                break;
            }
            if at - trailers_from > MAX_HEAD_BYTES {
                return Err(broken("the trailers of the helpdesk's answer are too long"));
            }
        }
        Ok((body, at == buf.len()))
    }

    /// Where the line starting at `from` ends (its CR), reading until it is whole.
    async fn line(&mut self, buf: &mut Vec<u8>, from: usize) -> Result<usize, Failure> {
        let mut searched = from;
        loop {
            if let Some(cr) = buf[searched..].windows(2).position(|w| w == b"\r\n") {
                return Ok(searched + cr);
            }
            if buf.len() - from > MAX_HEAD_BYTES {
                return Err(broken("a line of the helpdesk's answer is too long"));
            }
            // A CR may be last, its LF still to come.
            searched = buf.len().saturating_sub(1).max(from);
            self.read_more(buf, "before the answer was whole").await?;
        }
    }

    /// Appends what the connection has to `buf`; its end there is a broken answer (`when`).
    async fn read_more(&mut self, buf: &mut Vec<u8>, when: &str) -> Result<(), Failure> {
        match self.read_some(buf).await? {
            0 => Err(Failure::Unreachable(format!(
                "the helpdesk closed the connection {when}"
            ))),
            _ => Ok(()),
        }
    }

    /// Appends what the connection has to `buf`: how many bytes, 0 at its end.
    async fn read_some(&mut self, buf: &mut Vec<u8>) -> Result<usize, Failure> {
        buf.reserve(READ_ROOM);
        self.read_buf(buf).await.map_err(|e| failure(&e))
    }
}

/// `request`'s bytes on a connection of its own to `host` (its path alone on the request line,
/// the host in `Host`), the body's length announced unless a GET or HEAD has none.
pub(super) fn request_bytes(request: &Request<String>, host: &str) -> Vec<u8> {
    let body = request.body().as_bytes();
    let path = request.uri().path_and_query().map_or("/", |p| p.as_str());
    let method = request.method();
    let mut bytes = Vec::with_capacity(256 + body.len());
    for part in [
        method.as_str(),
        " ",
        path,
        " HTTP/1.1\r\nhost: ",
        host,
        "\r\n",
    ] {
        bytes.extend_from_slice(part.as_bytes());
    }
    for (name, value) in request.headers() {
        for part in [name.as_str().as_bytes(), b": ", value.as_bytes(), b"\r\n"] {
            bytes.extend_from_slice(part);
        }
    }
    if !body.is_empty() || !matches!(*method, Method::GET | Method::HEAD) {
        bytes.extend_from_slice(b"content-length: ");
        bytes.extend_from_slice(body.len().to_string().as_bytes());
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(b"\r\n");
    bytes.extend_from_slice(body);
    bytes
}

/// The answer's head if `buf` holds all of it, past any interim (1xx) answers.
fn parse_head(buf: &[u8]) -> Result<Option<Head>, Failure> {
    let mut skipped = 0;
    loop {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut response = httparse::Response::new(&mut headers);
        let len = match response.parse(&buf[skipped..]) {
            Ok(httparse::Status::Complete(len)) => len,
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(e) => return Err(broken(&format!("the helpdesk's answer is not HTTP/1: {e}"))),
        };
        let status = response
            .code
            .and_then(|code| StatusCode::from_u16(code).ok())
            .ok_or_else(|| broken("the helpdesk's answer has no status"))?;
        if status == StatusCode::SWITCHING_PROTOCOLS {
            return Err(broken("the helpdesk switched protocols unasked"));
        }
        if status.is_informational() {
            skipped += len;
            continue;
        }
        let mut head = Head {
            len: skipped + len,
            status,
            content_type: None,
            framing: Framing::UntilClose,
            keep_alive: response.version == Some(1),
        };
        let (mut length, mut encoded, mut chunked) = (None, false, false);
        for header in response.headers.iter() {
            let name = header.name;
            if name.eq_ignore_ascii_case("content-length") {
                let this = content_length(header.value)?;
                if length.is_some_and(|before| before != this) {
                    return Err(broken("the helpdesk's answer has two lengths"));
                }
                length = Some(this);
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                // Chunked only if it is the last coding applied, in the last such header.
                encoded = true;
                chunked = tokens(header.value)
                    .last()
                    .is_some_and(|t| t.eq_ignore_ascii_case(b"chunked"));
            } else if name.eq_ignore_ascii_case("connection") {
                if tokens(header.value).any(|t| t.eq_ignore_ascii_case(b"close")) {
                    head.keep_alive = false;
                }
            } else if name.eq_ignore_ascii_case("content-type") {
                head.content_type = HeaderValue::from_bytes(header.value).ok();
            }
        }
        head.framing = match (encoded, chunked, length) {
            (true, true, _) => Framing::Chunked,
            (true, false, _) | (false, _, None) => Framing::UntilClose,
            (false, _, Some(length)) => Framing::Length(length),
        };
        // A length beside an encoding may be a smuggling attempt: the encoding wins, once.
        if head.framing == Framing::UntilClose || (encoded && length.is_some()) {
            head.keep_alive = false;
        }
        return Ok(Some(head));
    }
}

/// A `Content-Length` value: digits only.
fn content_length(value: &[u8]) -> Result<u64, Failure> {
    let invalid = || broken("the helpdesk's answer has an invalid length");
    let digits = value.trim_ascii();
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return Err(invalid());
    }
    std::str::from_utf8(digits)
        .ok()
        .and_then(|d| d.parse().ok())
        .ok_or_else(invalid)
}

/// A chunk-size line's size: hex digits, then optional extensions after `;`.
fn chunk_size(line: &[u8]) -> Result<u64, Failure> {
    let invalid = || broken("the helpdesk's answer has an invalid chunk size");
    let digits = line
        .split(|b| *b == b';')
        .next()
        .unwrap_or_default()
        .trim_ascii();
    if digits.is_empty() || digits.len() > 15 {
        return Err(invalid());
    }
    digits.iter().try_fold(0u64, |size, digit| {
        let value = (*digit as char).to_digit(16).ok_or_else(invalid)?;
        Ok(size * 16 + u64::from(value))
    })
}

/// The comma-separated tokens of a header value, trimmed.
fn tokens(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value
        .split(|b| *b == b',')
        .map(<[u8]>::trim_ascii)
        .filter(|t| !t.is_empty())
}

fn broken(what: &str) -> Failure {
    Failure::Unreachable(what.to_owned())
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(tcp) => Pin::new(tcp).poll_read(cx, buf),
            Stream::Layered(tls) => Pin::new(tls).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(tcp) => Pin::new(tcp).poll_write(cx, buf),
            Stream::Layered(tls) => Pin::new(tls).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(tcp) => Pin::new(tcp).poll_flush(cx),
            Stream::Layered(tls) => Pin::new(tls).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(tcp) => Pin::new(tcp).poll_shutdown(cx),
            Stream::Layered(tls) => Pin::new(tls).poll_shutdown(cx),
        }
    }
}

#[cfg(test)]
#[path = "wire_tests.rs"]
mod tests;
