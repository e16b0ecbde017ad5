//! Headless Chromium through ChromeDriver, closed and killed whatever the test does.

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use std::future::Future;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A ChromeDriver process (and the Chromium it starts), killed as a process group on drop.
struct ChromeDriver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl ChromeDriver {
    fn start() -> ChromeDriver {
        let port = super::free_port();
        let driver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let child = Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {driver} (scripts/setup.sh installs it): {e}")
            });
        let profile = tempfile::tempdir().expect("chromium profile dir");
        let driver = ChromeDriver {
            child,
            port,
            _profile: profile,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }

    fn capabilities(&self) -> serde_json::Map<String, serde_json::Value> {
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let caps = serde_json::json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                    format!("--user-data-dir={}", self._profile.path().display()),
                ],
            },
            // The performance log carries the DevTools network events the leak test reads.
            "goog:loggingPrefs": { "performance": "ALL", "browser": "ALL" },
        });
        match caps {
            serde_json::Value::Object(map) => map,
            _ => unreachable!("capabilities are an object"),
        }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = killpg(Pid::from_raw(self.child.id() as i32), Signal::SIGKILL);
        let _ = self.child.wait();
    }
}

/// Runs `story` with a fresh browser session, then closes the browser even if the story panicked,
/// and re-raises the panic so the test fails with the story's message.
pub async fn with_browser<F, Fut>(story: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let driver = ChromeDriver::start();
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(driver.capabilities())
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("WebDriver session with Chromium");
    let outcome = tokio::spawn(story(client.clone())).await;
    if outcome.is_err() {
        super::widget::save_screenshot(&client, "failure").await;
    }
    let _ = client.close().await;
    drop(driver);
    if let Err(e) = outcome {
        if e.is_panic() {
            std::panic::resume_unwind(e.into_panic());
        }
        panic!("story did not finish: {e}");
    }
}
