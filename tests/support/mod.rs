//! Harness for the end-to-end tests: starts the real demo stack (`helpdock demo`: proxy +
//! reference helpdesk + host page) and a headless Chromium through ChromeDriver, and always stops
//! both, also when a test panics.

pub mod audit;
pub mod browser;
pub mod cdp;
pub mod host;
pub mod keyboard;
pub mod pkg;
pub mod screenshots;
pub mod stack;
pub mod widget;

pub use browser::with_browser;
pub use host::HostPages;
pub use keyboard::Keyboard;
pub use stack::DemoStack;
pub use widget::Widget;

use std::path::PathBuf;

/// The workspace root (where `pkg/` and `target/` live).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Where tests leave screenshots and other artifacts for people to look at.
pub fn artifacts_dir() -> PathBuf {
    let dir = std::env::var_os("HELPDOCK_ARTIFACTS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("artifacts"));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// A free TCP port on 127.0.0.1 (the OS picks it; racing another process for it is unlikely).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port on 127.0.0.1")
}
