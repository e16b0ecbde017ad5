//! The `helpdock` binary as a child process: its stdout lines, its stderr, SIGTERM.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A child `helpdock` whose output is collected line by line; killed if still running when dropped.
pub struct Running {
    pub child: Child,
    stdout: Receiver<String>,
    pub stdout_seen: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<String>>,
    /// Ends at the child's EOF on stderr: joined before a finished run's stderr is read.
    pub stderr_reader: Option<std::thread::JoinHandle<()>>,
}

/// `helpdock args…` with no inherited `HELPDOCK_*` settings except `env`.
pub fn start(args: &[&str], env: &[(&str, &str)]) -> Running {
    let mut command = Command::new(env!("CARGO_BIN_EXE_helpdock"));
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, _) in std::env::vars() {
        if name.starts_with("HELPDOCK_") {
            command.env_remove(name);
        }
    }
    command.env("RUST_LOG", "info").envs(env.iter().copied());
    let mut child = command.spawn().expect("start helpdock");
    let (tx, stdout) = channel();
    let stdout_seen = Arc::new(Mutex::new(Vec::new()));
    let out = child.stdout.take().expect("stdout");
    let seen = stdout_seen.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            seen.lock().expect("lock").push(line.clone());
            let _ = tx.send(line);
        }
    });
    let stderr = Arc::new(Mutex::new(String::new()));
    let mut err = child.stderr.take().expect("stderr");
    let collected = stderr.clone();
    let stderr_reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = err.read(&mut buf) {
            collected
                .lock()
                .expect("lock")
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    Running {
        child,
        stdout,
        stdout_seen,
        stderr,
        stderr_reader: Some(stderr_reader),
    }
}

/// `helpdock serve --config CONFIG` with the test token; the process and the URL it announced.
pub fn serve(config: &std::path::Path) -> (Running, String) {
    let path = config.to_str().expect("utf-8 path");
    let proxy = start(
        &["serve", "--config", path],
        &[("HELPDOCK_UPSTREAM_TOKEN", super::TOKEN)],
    );
    let line = proxy.next_line();
    let base = line
        .strip_prefix("Helpdock proxy: ")
        .unwrap_or_else(|| panic!("unexpected line {line:?}; stderr: {}", proxy.stderr()))
        .to_owned();
    (proxy, base)
}

impl Running {
    pub fn next_line(&self) -> String {
        self.stdout
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("no stdout line; stderr: {}", self.stderr()))
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().expect("lock").clone()
    }

    pub fn wait_for_stderr(&self, needle: &str) -> bool {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if self.stderr().contains(needle) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// Sends SIGTERM, without waiting.
    pub fn send_sigterm(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        assert!(status.is_ok_and(|s| s.success()), "kill failed");
    }

    /// Sends SIGTERM and returns whether it exited successfully within 10 s.
    pub fn terminate(&mut self) -> bool {
        self.send_sigterm();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
