//! A customer's site of the test's own making: HTML pages served on an origin of their own (not
//! the demo shop's, not the proxy's), embedding the widget with the real loader tag.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

type Pages = Arc<Mutex<HashMap<String, String>>>;

/// A tiny HTTP server for a story's host pages; stops when dropped.
pub struct HostPages {
    /// `http://127.0.0.1:PORT` (no trailing slash), as browsers send it in `Origin`.
    pub origin: String,
    pages: Pages,
    stop: Arc<AtomicBool>,
}

impl HostPages {
    /// Listens on a free loopback port; pages are added with [`HostPages::serve`].
    pub fn start() -> HostPages {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the host page server");
        let port = listener.local_addr().expect("host page address").port();
        let pages: Pages = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let (served, stopped) = (pages.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let pages = served.clone();
                // One thread a connection: Chromium keeps idle (preconnected) sockets open.
                std::thread::spawn(move || answer(stream, &pages));
            }
        });
        HostPages {
            origin: format!("http://127.0.0.1:{port}"),
            pages,
            stop,
        }
    }

    /// Serves `html` at `path` (e.g. `/hostile.html`) and returns the page's URL.
    pub fn serve(&self, path: &str, html: String) -> String {
        self.pages
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path.to_owned(), html);
        format!("{}{path}", self.origin)
    }
}

impl Drop for HostPages {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.origin.trim_start_matches("http://"));
    }
}

fn answer(stream: TcpStream, pages: &Pages) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() || request_line.is_empty() {
        return;
    }
    // The headers are read and ignored: every page is the same to every request.
    let mut line = String::new();
    while reader.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
        line.clear();
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_owned();
    let page = pages
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&path)
        .cloned();
    let (status, body) = match page {
        Some(html) => ("200 OK", html),
        None => ("404 Not Found", String::from("not found")),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut out = &stream;
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(body.as_bytes());
    let _ = out.flush();
}

/// The embed tag a site owner copies: the real loader from the proxy, for the demo site.
pub fn loader_tag(proxy_url: &str) -> String {
    format!(r#"<script async src="{proxy_url}widget.js" data-site="demo"></script>"#)
}
