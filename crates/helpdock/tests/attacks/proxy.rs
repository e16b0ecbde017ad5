//! The real `helpdock serve` binary with a config written per docs/configuration.md: started as an
//! operator would start it, its address read from its one stdout line, killed when dropped (panics
//! included).

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The upstream token: it must never reach a browser.
pub const TOKEN: &str = "se-token-9f3b1c-NEVER-DOWNSTREAM";
/// The shop site's identity secret (inline in the main config).
pub const SHOP_SECRET: &str = "shop-identity-secret-4f1d77";
/// A second site's secret (the strict proxy serves two sites).
pub const BLOG_SECRET: &str = "blog-identity-secret-93ab20";
/// Guest-pass keys, one per proxy, so a pass from one is foreign to the others.
pub const GUEST_KEY_MAIN: &str = "guest-pass-key-main-51c0aa";
pub const GUEST_KEY_STRICT: &str = "guest-pass-key-strict-7e2d19";
pub const GUEST_KEY_SHORT: &str = "guest-pass-key-short-0b8c44";
/// The staff domain (the reference helpdesk's seeded agent is `agent@helpdesk.example`).
pub const STAFF_DOMAIN: &str = "helpdesk.example";
/// A staff address outside the staff domain, configured by address.
pub const STAFF_OWNER: &str = "owner@shop.example";

/// The settings that differ between the suite's proxies.
#[derive(Clone)]
pub struct Settings {
    /// TOML lines for `[[sites]]` (the whole tables).
    pub sites: String,
    /// `guest_pass_secret = …` or `guest_pass_secret_file = …`.
    pub guest_key_line: String,
    pub guest_pass_ttl_secs: u64,
    pub burst: u32,
    pub per_hour: u32,
    pub trusted_proxy_hops: u32,
    /// `trust_browser_email` (intranets only).
    pub trust_browser_email: bool,
    /// The `[server]` table's lines (timeouts, connection cap); empty for the defaults.
    pub server: String,
}

/// A `[[sites]]` table with an inline secret.
pub fn site(id: &str, origin: &str, secret_line: &str) -> String {
    format!("[[sites]]\nid = \"{id}\"\norigins = [\"{origin}\"]\n{secret_line}\n\n")
}

/// Writes the config file for `settings` into `dir` as `name.toml` and returns its path.
pub fn write_config(
    dir: &Path,
    name: &str,
    upstream: SocketAddr,
    settings: &Settings,
) -> std::path::PathBuf {
    let assets = dir.join("assets");
    let toml = format!(
        r#"upstream_url = "http://{upstream}/api/"
upstream_token = "{TOKEN}"
upstream_timeout_secs = 5
listen = "127.0.0.1:0"
assets_dir = "{assets}"
trust_browser_email = {trust}
{guest_key_line}
guest_pass_ttl_secs = {ttl}
staff_emails = ["{STAFF_OWNER}"]
staff_domains = ["{STAFF_DOMAIN}"]

{sites}
[limits]
create_burst = {burst}
create_per_hour = {per_hour}
reply_burst = {burst}
reply_per_hour = {per_hour}
min_fill_ms = 2000
trusted_proxy_hops = {hops}

[server]
{server}
"#,
        assets = assets.display(),
        guest_key_line = settings.guest_key_line,
        ttl = settings.guest_pass_ttl_secs,
        sites = settings.sites,
        burst = settings.burst,
        per_hour = settings.per_hour,
        hops = settings.trusted_proxy_hops,
        trust = settings.trust_browser_email,
        server = settings.server,
    );
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, toml).expect("write config");
    path
}

/// A running `helpdock serve`; killed on drop.
pub struct Proxy {
    pub addr: SocketAddr,
    child: Child,
    stderr: Arc<Mutex<String>>,
}

impl Proxy {
    /// Starts `helpdock serve --config FILE` and waits for `Helpdock proxy: http://ADDR/`.
    /// Errors carry the binary's stderr (for the table when parts of the contract are missing).
    pub fn start(config: &Path) -> Result<Proxy, String> {
        Proxy::start_with(config, &[])
    }

    /// [`Proxy::start`] with extra environment variables.
    pub fn start_with(config: &Path, env: &[(&str, &Path)]) -> Result<Proxy, String> {
        let mut child = helpdock_command()
            .args(["serve", "--config"])
            .arg(config)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start helpdock: {e}"))?;
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err = child.stderr.take().expect("stderr piped");
        let collected = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = err.read(&mut buf) {
                let text = String::from_utf8_lossy(&buf[..n]).into_owned();
                collected.lock().expect("stderr lock").push_str(&text);
            }
        });
        let (tx, lines) = channel();
        let out = child.stdout.take().expect("stdout piped");
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        // Own the child before waiting, so an early return still kills it.
        let mut proxy = Proxy {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            child,
            stderr,
        };
        loop {
            match lines.recv_timeout(Duration::from_secs(60)) {
                Ok(line) => {
                    let addr = line
                        .strip_prefix("Helpdock proxy: http://")
                        .and_then(|rest| rest.trim_end_matches('/').parse().ok());
                    if let Some(addr) = addr {
                        proxy.addr = addr;
                        return Ok(proxy);
                    }
                }
                Err(_) => {
                    return Err(format!(
                        "no `Helpdock proxy: http://ADDR/` line; stderr: {}",
                        proxy.stderr()
                    ));
                }
            }
        }
    }

    /// Everything the binary logged so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().expect("stderr lock").clone()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The binary with no inherited `HELPDOCK_*` settings (they would override the config file).
pub fn helpdock_command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_helpdock"));
    for (name, _) in std::env::vars() {
        if name.starts_with("HELPDOCK_") {
            command.env_remove(name);
        }
    }
    command.env("RUST_LOG", "info");
    command
}

/// `helpdock sign args… --config FILE`: its stdout line, or why not.
pub fn cli_sign(config: &Path, args: &[&str]) -> Result<String, String> {
    let output = helpdock_command()
        .arg("sign")
        .args(args)
        .arg("--config")
        .arg(config)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run helpdock sign: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "helpdock sign failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}
