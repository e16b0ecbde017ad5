//! The demo stack as users run it: the `helpdock demo` binary in its own process.

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running `helpdock demo`; stopped (with everything it started) when dropped.
pub struct DemoStack {
    child: Child,
    /// The host page, e.g. `http://127.0.0.1:41234/`.
    pub url: String,
    /// The proxy the page embeds the widget from, on another origin (another port), as for real
    /// shops: every story runs cross-origin.
    pub proxy_url: String,
    /// Everything the demo printed so far (stdout and stderr), for assertions on logs.
    pub output: Arc<Mutex<String>>,
    data_dir: tempfile::TempDir,
}

fn helpdock_bin() -> PathBuf {
    std::env::var_os("HELPDOCK_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| super::workspace_root().join("target/debug/helpdock"))
}

impl DemoStack {
    /// Starts `helpdock demo` on free ports with a fresh data directory and waits for its URLs.
    pub fn start() -> DemoStack {
        DemoStack::launch(None, None)
    }

    /// Like [`DemoStack::start`], with a known upstream token (for leak tests).
    pub fn start_with_token(token: &str) -> DemoStack {
        DemoStack::launch(Some(token), None)
    }

    /// Like [`DemoStack::start`], also letting pages of `origin` (a test's own host pages, see
    /// [`super::HostPages`]) call the API as the demo site.
    pub fn start_for_origin(origin: &str) -> DemoStack {
        DemoStack::launch(None, Some(origin))
    }

    fn launch(token: Option<&str>, extra_origin: Option<&str>) -> DemoStack {
        let bin = helpdock_bin();
        assert!(
            bin.exists(),
            "{} is missing: build it with `cargo build -p helpdock`",
            bin.display()
        );
        // HELPDOCK_PKG_DIR: another build of the widget (a screenshot tour of main, say).
        let pkg = std::env::var_os("HELPDOCK_PKG_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| super::workspace_root().join("pkg"));
        assert!(
            pkg.join("widget.js").exists(),
            "{}/widget.js is missing: build the widget with scripts/build-widget.sh",
            pkg.display()
        );
        let data_dir = tempfile::tempdir().expect("temp data dir");
        let mut command = Command::new(&bin);
        if let Some(token) = token {
            command.env("HELPDOCK_UPSTREAM_TOKEN", token);
        }
        if let Some(origin) = extra_origin {
            command.env("HELPDOCK_DEMO_EXTRA_ORIGINS", origin);
        }
        let mut child = command
            .arg("demo")
            .env("HELPDOCK_LISTEN", "127.0.0.1:0")
            .env("HELPDOCK_DATA_DIR", data_dir.path())
            .env("HELPDOCK_ASSETS_DIR", &pkg)
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let output = Arc::new(Mutex::new(String::new()));
        let (url_tx, url_rx) = std::sync::mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().expect("stdout")) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().expect("stderr")),
        ] {
            let output = output.clone();
            let url_tx = url_tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    for (is_proxy, prefix) in
                        [(false, "Helpdock demo: "), (true, "Helpdock proxy: ")]
                    {
                        if let Some(url) = line.split(prefix).nth(1) {
                            let _ = url_tx.send((is_proxy, url.trim().to_owned()));
                        }
                    }
                    let mut out = output.lock().unwrap_or_else(|p| p.into_inner());
                    out.push_str(&line);
                    out.push('\n');
                }
            });
        }
        let (mut shop, mut proxy) = (None, None);
        let deadline = Instant::now() + Duration::from_secs(60);
        let (url, proxy_url) = loop {
            if let (Some(shop), Some(proxy)) = (&shop, &proxy) {
                break (String::clone(shop), String::clone(proxy));
            }
            match url_rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok((true, url)) => proxy = Some(url),
                Ok((false, url)) => shop = Some(url),
                Err(_) => {
                    let _ = child.kill();
                    let out = output.lock().unwrap_or_else(|p| p.into_inner()).clone();
                    panic!(
                        "helpdock demo printed no shop and proxy URLs within 60 s; it said:\n{out}"
                    );
                }
            }
        };
        assert_ne!(
            url, proxy_url,
            "the shop page must not be on the proxy's origin"
        );
        DemoStack {
            child,
            url,
            proxy_url,
            output,
            data_dir,
        }
    }

    /// The reference helpdesk's SQLite file, for stories that look at or change what it stores.
    pub fn helpdesk_db(&self) -> PathBuf {
        self.data_dir.path().join("helpdesk.sqlite3")
    }

    /// Runs one statement on the reference helpdesk's database (as its admin would change a
    /// setting) and returns the first column of the first row, if any, as text.
    pub fn helpdesk_sql(&self, sql: &str) -> Option<String> {
        let conn = rusqlite::Connection::open(self.helpdesk_db())
            .unwrap_or_else(|e| panic!("open {}: {e}", self.helpdesk_db().display()));
        conn.busy_timeout(Duration::from_secs(5))
            .expect("busy timeout");
        let mut stmt = conn
            .prepare(sql)
            .unwrap_or_else(|e| panic!("prepare {sql:?}: {e}"));
        let mut rows = stmt
            .query([])
            .unwrap_or_else(|e| panic!("run {sql:?}: {e}"));
        let row = rows.next().unwrap_or_else(|e| panic!("run {sql:?}: {e}"))?;
        let value: rusqlite::types::Value = row.get(0).ok()?;
        Some(match value {
            rusqlite::types::Value::Integer(n) => n.to_string(),
            rusqlite::types::Value::Real(x) => x.to_string(),
            rusqlite::types::Value::Text(t) => t,
            _ => return None,
        })
    }

    /// Adds a reply to ticket `id` as the helpdesk would store it: from the seeded support agent
    /// when `from_staff`, else from the customer. It is dated a second after the ticket's last
    /// change or now, whichever is later (the helpdesk's clock has whole seconds, and news must
    /// be newer than what the visitor saw), and the ticket's `updated_at` follows, as SupportEngine
    /// does on a reply.
    pub fn add_reply(&self, id: &str, from_staff: bool, message: &str) {
        let id: u64 = id.parse().expect("a ticket number");
        let at = self
            .helpdesk_sql(&format!(
                "SELECT datetime(max(updated_at, datetime('now')), '+1 second') FROM tickets \
                 WHERE id = {id}"
            ))
            .unwrap_or_else(|| panic!("ticket {id} is not in the helpdesk"));
        let user = if from_staff { "1" } else { "NULL" };
        let message = message.replace('\'', "''");
        self.helpdesk_sql(&format!(
            "INSERT INTO replies (ticket_id, user_id, message, created_at) \
             VALUES ({id}, {user}, '{message}', '{at}')"
        ));
        self.helpdesk_sql(&format!(
            "UPDATE tickets SET updated_at = '{at}' WHERE id = {id}"
        ));
    }

    /// Signs `email` in at the demo shop's backend, as the shop's page does: the
    /// `{email, expires, signature}` a page hands to `Helpdock('identify', …)`.
    pub fn sign_in(&self, email: &str) -> serde_json::Value {
        let url = url::Url::parse(&self.url).expect("shop URL");
        let addr = (
            url.host_str().unwrap_or("127.0.0.1"),
            url.port().unwrap_or(80),
        );
        let body = serde_json::json!({ "email": email }).to_string();
        let request = format!(
            "POST /demo/sign-in HTTP/1.1\r\nHost: {}:{}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            addr.0,
            addr.1,
            body.len()
        );
        let mut stream = std::net::TcpStream::connect(addr).expect("connect to the shop");
        stream
            .write_all(request.as_bytes())
            .expect("send the sign-in");
        let mut answer = String::new();
        stream
            .read_to_string(&mut answer)
            .expect("read the sign-in answer");
        let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
        assert!(
            head.starts_with("HTTP/1.1 200"),
            "the shop refused to sign {email} in: {answer}"
        );
        serde_json::from_str(body.trim()).unwrap_or_else(|e| panic!("sign-in answer {body:?}: {e}"))
    }

    /// The demo's output so far.
    pub fn output(&self) -> String {
        self.output
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Waits until the demo's output contains `needle` (logs are written asynchronously).
    pub fn wait_for_output(&self, needle: &str, timeout: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if self.output().contains(needle) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }
}

impl Drop for DemoStack {
    fn drop(&mut self) {
        let pgid = Pid::from_raw(self.child.id() as i32);
        let _ = killpg(pgid, Signal::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = killpg(pgid, Signal::SIGKILL);
        let _ = self.child.wait();
    }
}
