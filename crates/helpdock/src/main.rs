//! The `helpdock` command: reads configuration and serves; everything else lives in the library.

use clap::{Parser, Subcommand};
use helpdock::config::{Config, SigningConfig, assets_dir_from_env, listen_from_env, process_env};
use helpdock::demo::{DemoSettings, data_dir_from_env, warn_if_widget_missing};
use helpdock::identity::{signature, unix_now};
use helpdock::operations::logs::{self, LogFormat};
use helpdock::operations::metrics;
use helpdock::perimeter::PublicOrigin;
use helpdock::state::{SharedRedis, StateBackend};
use helpdock::{
    AppState, Catalog, Gatekeeper, OwnerCache, Perimeter, Readiness, ServerConfig, Upstream,
    UpstreamConfig, app, bind_shared,
};
use helpdock_wire::validate::{is_valid_email, normalize_email};
use std::error::Error;
use std::io::Write;
use std::net::SocketAddr;
use std::num::NonZero;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// Every request allocates a little and frees it at once, on several threads: mimalloc's
/// per-thread pages serve that at a fraction of glibc's cost (`./run bench proxy`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "helpdock",
    version,
    about = "The Helpdock support widget's proxy"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the proxy and the widget's files (settings: --config FILE and HELPDOCK_* variables).
    Serve {
        /// A TOML file with upstream_url, upstream_token or upstream_token_file, listen, assets_dir,
        /// upstream_timeout_secs; HELPDOCK_* environment variables override it.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Print an `X-Helpdock-Identity` header value for EMAIL, signed with a site's identity_secret
    /// (for trying the API with curl; a shop's backend signs in its own code, see docs/signing.md).
    Sign {
        /// The visitor's email.
        email: String,
        /// The site whose secret signs; may be left out when the config has one site.
        #[arg(long, value_name = "ID")]
        site: Option<String>,
        /// Valid for this long from now: seconds, or with a unit (90s, 30m, 12h, 7d).
        #[arg(long, value_name = "DURATION", conflicts_with = "expires")]
        expires_in: Option<String>,
        /// Valid until this Unix time (seconds).
        #[arg(long, value_name = "UNIX")]
        expires: Option<u64>,
        /// The same config file as `serve` (HELPDOCK_* variables apply too).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Run everything locally: a reference helpdesk, the proxy, and a fake shop on its own origin.
    Demo,
    /// Run only the reference helpdesk (SupportEngine's API on SQLite).
    ReferenceHelpdesk {
        /// The address to listen on, e.g. 127.0.0.1:8081.
        #[arg(long, value_name = "ADDR")]
        listen: SocketAddr,
        /// The bearer token the helpdesk expects.
        #[arg(long, env = "HELPDOCK_REFERENCE_TOKEN", hide_env_values = true)]
        token: String,
        /// The SQLite file (created if missing); in memory without it.
        #[arg(long, value_name = "FILE")]
        db: Option<PathBuf>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Serve { config } => match Config::load(config.as_deref(), &process_env) {
            Ok(config) => {
                let _log = logs::init(config.log_format);
                serve(config).await
            }
            Err(e) => Err(e.into()),
        },
        Command::Sign {
            email,
            site,
            expires_in,
            expires,
            config,
        } => {
            let _log = logs::init(log_format_from_env());
            sign(
                &email,
                site.as_deref(),
                expires_in.as_deref(),
                expires,
                config,
            )
        }
        Command::Demo => {
            let _log = logs::init(log_format_from_env());
            demo().await
        }
        Command::ReferenceHelpdesk { listen, token, db } => {
            let _log = logs::init(log_format_from_env());
            reference_helpdesk(listen, token, db).await
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("helpdock: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `HELPDOCK_LOG_FORMAT` for the commands without a config file; text when unset or unknown.
fn log_format_from_env() -> LogFormat {
    process_env("HELPDOCK_LOG_FORMAT")
        .and_then(|f| f.parse().ok())
        .unwrap_or_default()
}

async fn serve(config: Config) -> Result<(), Box<dyn Error>> {
    let loopback = config
        .upstream_url
        .host_str()
        .is_some_and(|h| h == "localhost" || h.starts_with("127."));
    if config.upstream_url.scheme() == "http" && !loopback {
        tracing::warn!(url = %config.upstream_url, "the upstream URL is plain http: the token travels unencrypted");
    }
    warn_if_widget_missing(&config.assets_dir);
    let gatekeeper = Gatekeeper::from_config(&config)
        .map_err(|e| format!("no randomness for the guest pass key: {e}"))?;
    let zone_name = config.helpdesk_timezone.name().to_owned();
    let upstream = Upstream::new(UpstreamConfig {
        base_url: config.upstream_url.clone(),
        token: config.upstream_token,
        timeout: config.upstream_timeout,
        time_zone: config.helpdesk_timezone,
    });
    // A thread per core, each with its own socket on the port (`server/threads.rs`).
    let threads = std::thread::available_parallelism().map_or(1, NonZero::get);
    let listeners = bind_shared(config.listen, threads)
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let addr = listeners[0].local_addr()?;
    let public = config.public_url.unwrap_or_else(|| {
        let derived = PublicOrigin::of_listener(addr);
        tracing::warn!(
            public_url = derived.as_str(),
            "public_url is not set: the API answers only requests addressed to the listening \
             address; set public_url (HELPDOCK_PUBLIC_URL) to the URL browsers use"
        );
        derived
    });
    let mut readiness = Readiness::new(upstream.clone());
    let mut perimeter = Perimeter::for_sites(config.limits.clone(), &config.sites)
        .serving_at(public)
        .settling_after(config.upstream_timeout);
    let mut owners = OwnerCache::default();
    if let StateBackend::Redis { url } = &config.state {
        // A proxy that cannot keep its promises across instances does not start.
        let redis = SharedRedis::connect(url).await?;
        readiness = readiness.sharing(redis.clone());
        perimeter = perimeter.sharing(redis.clone());
        owners = owners.sharing(redis);
    }
    let state = AppState {
        catalog: Catalog::new(upstream.clone(), config.catalog.clone()),
        readiness,
        upstream,
        assets_dir: config.assets_dir.into(),
        gatekeeper: Arc::new(gatekeeper),
        owners,
        perimeter,
    };
    tracing::info!(%addr, upstream = %config.upstream_url, helpdesk_timezone = %zone_name, state = config.state.name(), "helpdock listening");
    // Scripts take the first line: the proxy's URL.
    announce(&format!("Helpdock proxy: http://{addr}/"))?;
    if let Some(metrics_addr) = config.metrics_listen {
        serve_metrics(metrics_addr).await?;
    }
    let (readiness, writes) = (state.readiness.clone(), state.perimeter.writes_in_flight());
    let stop = CancellationToken::new();
    let signalled = stop.clone();
    tokio::spawn(async move {
        shutdown_signal().await;
        // Probes that still reach us (on open connections) learn we are going.
        readiness.drain();
        signalled.cancel();
    });
    // Each serving thread also waits for the creates and replies its requests left running
    // (a client that hung up): their answers must be stored before we go.
    helpdock::serve_on_threads(listeners, app(state), config.server, stop, writes).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Serves `/metrics` on `addr` (its own listener: never on the widget's origin) until exit.
async fn serve_metrics(addr: SocketAddr) -> Result<(), Box<dyn Error>> {
    let handle = metrics::install().map_err(|e| format!("cannot record metrics: {e}"))?;
    let listener = bind(addr).await?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, "metrics listening");
    announce(&format!("Helpdock metrics: http://{addr}/metrics"))?;
    tokio::spawn(helpdock::serve(
        listener,
        metrics::router(handle),
        ServerConfig::default(),
        std::future::pending(),
    ));
    Ok(())
}

fn sign(
    email: &str,
    site: Option<&str>,
    expires_in: Option<&str>,
    expires: Option<u64>,
    config_file: Option<PathBuf>,
) -> Result<(), Box<dyn Error>> {
    // Only the site's secret and the staff list: signing never talks to the helpdesk.
    let config = SigningConfig::load(config_file.as_deref(), &process_env)?;
    let site = match (site, config.sites.as_slice()) {
        (Some(id), sites) => sites.iter().find(|s| s.id == id).ok_or_else(|| {
            let ids: Vec<&str> = sites.iter().map(|s| s.id.as_str()).collect();
            format!(
                "--site {id:?} is not configured (sites: {})",
                ids.join(", ")
            )
        })?,
        (None, [only]) => only,
        (None, _) => return Err("the config has several sites: choose one with --site ID".into()),
    };
    let email = normalize_email(email);
    if !is_valid_email(&email) {
        return Err(format!("{email:?} is not an email address").into());
    }
    if config.staff.is_staff(&email) {
        return Err(format!("{email} is a staff email: the proxy refuses it as a visitor").into());
    }
    let expires = match expires_in {
        Some(text) => Some(unix_now().saturating_add(parse_duration(text)?)),
        None => expires,
    };
    announce(&signature::header_value(
        &site.identity_secret,
        &email,
        expires,
    ))?;
    Ok(())
}

/// `90`, `90s`, `30m`, `12h`, `7d` → seconds.
fn parse_duration(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => text.split_at(i),
        None => (text, "s"),
    };
    let factor = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => 0,
    };
    digits
        .parse::<u64>()
        .ok()
        .filter(|n| *n > 0 && factor > 0)
        .and_then(|n| n.checked_mul(factor))
        .ok_or_else(|| format!("--expires-in {text:?}: use seconds or 90s, 30m, 12h, 7d"))
}

async fn demo() -> Result<(), Box<dyn Error>> {
    let settings = DemoSettings {
        listen: listen_from_env(&process_env)?,
        data_dir: data_dir_from_env(&process_env)?,
        assets_dir: assets_dir_from_env(&process_env),
    };
    let demo = helpdock::demo::start(&settings).await?;
    // The page to open comes first: scripts take the first line.
    announce(&format!("Helpdock demo: {}", demo.shop.url))?;
    announce(&format!("Helpdock proxy: {}", demo.proxy.url))?;
    // One signal stops both servers: dropping the sender wakes every receiver.
    let (stop, stopped) = tokio::sync::watch::channel(());
    tokio::spawn(async move {
        shutdown_signal().await;
        drop(stop);
    });
    let until_stopped = |mut stopped: tokio::sync::watch::Receiver<()>| async move {
        let _ = stopped.changed().await;
    };
    let (shop, proxy) = (demo.shop, demo.proxy);
    let server = ServerConfig::default();
    tokio::try_join!(
        helpdock::serve(
            shop.listener,
            shop.app,
            server.clone(),
            until_stopped(stopped.clone())
        ),
        helpdock::serve(proxy.listener, proxy.app, server, until_stopped(stopped)),
    )?;
    Ok(())
}

async fn reference_helpdesk(
    listen: SocketAddr,
    token: String,
    db: Option<PathBuf>,
) -> Result<(), Box<dyn Error>> {
    let helpdesk = reference_helpdesk::Helpdesk::open(db.as_deref(), token)?;
    let listener = bind(listen).await?;
    announce(&format!(
        "Reference helpdesk: http://{}/api/",
        listener.local_addr()?
    ))?;
    tokio::select! {
        served = reference_helpdesk::serve(listener, helpdesk) => served?,
        () = shutdown_signal() => tracing::info!("reference helpdesk stopped"),
    }
    Ok(())
}

async fn bind(addr: SocketAddr) -> Result<TcpListener, Box<dyn Error>> {
    TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}").into())
}

/// Prints the one stdout line scripts wait for, flushed at once (stdout may be a pipe).
fn announce(line: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sigterm) => {
                sigterm.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
