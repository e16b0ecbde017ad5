//! The `helpdock` command: reads configuration and serves; everything else lives in the library.

use clap::{Parser, Subcommand};
use helpdock::config::{Config, assets_dir_from_env, listen_from_env, process_env};
use helpdock::demo::{DemoSettings, data_dir_from_env, warn_if_widget_missing};
use helpdock::{AppState, Upstream, UpstreamConfig, app};
use std::error::Error;
use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

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
    /// Run everything locally: a reference helpdesk, the proxy, and a fake shop page at `/`.
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
    // Logs go to stderr, so stdout carries only the lines scripts parse.
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        // Colour codes only for people; log files and test harnesses get plain text.
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let result = match Cli::parse().command {
        Command::Serve { config } => serve(config).await,
        Command::Demo => demo().await,
        Command::ReferenceHelpdesk { listen, token, db } => {
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

async fn serve(config_file: Option<PathBuf>) -> Result<(), Box<dyn Error>> {
    let config = Config::load(config_file.as_deref(), &process_env)?;
    let loopback = config
        .upstream_url
        .host_str()
        .is_some_and(|h| h == "localhost" || h.starts_with("127."));
    if config.upstream_url.scheme() == "http" && !loopback {
        tracing::warn!(url = %config.upstream_url, "the upstream URL is plain http: the token travels unencrypted");
    }
    warn_if_widget_missing(&config.assets_dir);
    let upstream = Upstream::new(UpstreamConfig {
        base_url: config.upstream_url.clone(),
        token: config.upstream_token,
        timeout: config.upstream_timeout,
    })?;
    let state = AppState {
        upstream,
        assets_dir: config.assets_dir,
        host_page: None,
    };
    let listener = bind(config.listen).await?;
    tracing::info!(addr = %listener.local_addr()?, upstream = %config.upstream_url, "helpdock listening");
    helpdock::serve(listener, app(state), shutdown_signal()).await?;
    Ok(())
}

async fn demo() -> Result<(), Box<dyn Error>> {
    let settings = DemoSettings {
        listen: listen_from_env(&process_env)?,
        data_dir: data_dir_from_env(&process_env)?,
        assets_dir: assets_dir_from_env(&process_env),
    };
    let (listener, app) = helpdock::demo::start(&settings).await?;
    announce(&format!(
        "Helpdock demo: http://{}/",
        listener.local_addr()?
    ))?;
    helpdock::serve(listener, app, shutdown_signal()).await?;
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
