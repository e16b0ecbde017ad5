//! Screenshots of the states a story reaches, for people to look at (and to compare builds):
//! `target/screenshots/<story>/<state>.png`, or under `HELPDOCK_SCREENSHOTS_DIR`.

use base64::Engine;
use fantoccini::Client;
use std::path::PathBuf;

/// Where screenshots go: `HELPDOCK_SCREENSHOTS_DIR`, else `target/screenshots`.
pub fn screenshots_dir() -> PathBuf {
    std::env::var_os("HELPDOCK_SCREENSHOTS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| super::workspace_root().join("target/screenshots"))
}

/// Saves the page as it is now (Chromium's `Page.captureScreenshot`, once the widget's
/// animations are over) as `<dir>/<story>/<state>.png`; returns the path.
pub async fn save(client: &Client, story: &str, state: &str) -> PathBuf {
    super::audit::settle(client).await;
    let shot = super::cdp::cdp(client, "Page.captureScreenshot", serde_json::json!({})).await;
    let png = base64::engine::general_purpose::STANDARD
        .decode(shot["data"].as_str().unwrap_or_default())
        .expect("a PNG in base64");
    let dir = screenshots_dir().join(story);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    let path = dir.join(format!("{state}.png"));
    std::fs::write(&path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    println!("screenshot {}", path.display());
    path
}
