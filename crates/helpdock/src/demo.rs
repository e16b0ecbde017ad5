//! `helpdock demo`: the reference helpdesk on an ephemeral port with a throwaway token, the proxy
//! pointed at it, and a fake shop on an origin of its own (another port) whose page embeds the
//! widget from the proxy's absolute URL, like a customer's site would: every asset load and API
//! call the browser makes is cross-origin, as in production.

use crate::catalog::{Catalog, CatalogConfig};
use crate::config::{DEFAULT_GUEST_PASS_TTL, DEFAULT_UPSTREAM_TIMEOUT, Env, SiteConfig, SiteForm};
use crate::identity::{GatekeeperSettings, GuestPassKey, StaffList, signature, unix_now};
use crate::operations::Readiness;
use crate::perimeter::{LimitsConfig, Perimeter, PublicOrigin, SiteOrigins};
use crate::{
    ApiError, AppState, Gatekeeper, HelpdeskTimeZone, OwnerCache, Secret, Upstream, UpstreamConfig,
    app, assets, layers,
};
use axum::response::Html;
use axum::routing::{get, post};
use axum::{Json, Router};
use helpdock_wire::OptionalField;
use helpdock_wire::validate::{Problem, is_valid_email, normalize_email};
use reqwest::Url;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::net::TcpListener;

/// The fake shop page (not ours) that embeds Helpdock with one script tag; see [`shop_page`].
const SHOP_TEMPLATE: &str = include_str!("../demo/shop.html");
/// Where the template's script tag takes the proxy's URL.
const PROXY_URL_SLOT: &str = "{{PROXY_URL}}";

/// The demo shop's site id (the page's `data-site`).
pub const DEMO_SITE: &str = "demo";
/// How long a demo sign-in lasts.
const SIGN_IN_SECS: u64 = 3600;

/// The demo's database file inside its data dir.
const DB_FILE: &str = "helpdesk.sqlite3";

/// Where and what the demo serves.
#[derive(Clone, Debug)]
pub struct DemoSettings {
    /// The proxy's address (port 0 picks a free one). The shop listens on the same IP, on the
    /// next port when the proxy's is fixed and that one is free, else on any free port.
    pub listen: SocketAddr,
    /// Where the reference helpdesk keeps its database between runs.
    pub data_dir: PathBuf,
    /// The widget's files.
    pub assets_dir: PathBuf,
}

/// Why the demo could not start.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// No data dir was given and no home directory is known.
    #[error("set HELPDOCK_DATA_DIR: neither XDG_DATA_HOME nor HOME is set")]
    NoDataDir,
    /// The data dir could not be created.
    #[error("cannot create the demo data dir {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The reference helpdesk could not open its database.
    #[error("reference helpdesk: {0}")]
    Helpdesk(#[from] reference_helpdesk::HelpdeskError),
    /// A socket could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    /// The OS gave no randomness for the token, or the HTTP client could not start.
    #[error("cannot set up the demo: {0}")]
    Setup(String),
}

/// The data dir: `HELPDOCK_DATA_DIR`, else `$XDG_DATA_HOME/helpdock-demo`, else
/// `~/.local/share/helpdock-demo` — stable, so tickets survive a restart.
pub fn data_dir_from_env(env: Env) -> Result<PathBuf, DemoError> {
    if let Some(dir) = env("HELPDOCK_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    if let Some(xdg) = env("XDG_DATA_HOME") {
        return Ok(Path::new(&xdg).join("helpdock-demo"));
    }
    env("HOME")
        .map(|home| Path::new(&home).join(".local/share/helpdock-demo"))
        .ok_or(DemoError::NoDataDir)
}

/// The demo's two servers, bound, ready to serve.
#[derive(Debug)]
pub struct Demo {
    /// The fake shop's origin: its page at `/` and its backend's `POST /demo/sign-in`, nothing else.
    pub shop: Server,
    /// The proxy: the widget's files and the API, open to the shop's origin.
    pub proxy: Server,
}

/// A bound listener, what to serve on it, and its URL (`http://ADDR/`).
#[derive(Debug)]
pub struct Server {
    /// Bound already, so the URL is known before serving.
    pub listener: TcpListener,
    /// Everything this origin answers.
    pub app: Router,
    /// `http://ADDR/`.
    pub url: String,
}

/// The shop page embedding the widget from the proxy at `proxy_url` (`http://ADDR/`, which needs
/// no HTML escaping).
pub fn shop_page(proxy_url: &str) -> String {
    SHOP_TEMPLATE.replace(PROXY_URL_SLOT, proxy_url)
}

/// Starts the reference helpdesk in the background and binds the shop and the proxy.
pub async fn start(settings: &DemoSettings) -> Result<Demo, DemoError> {
    std::fs::create_dir_all(&settings.data_dir).map_err(|source| DemoError::DataDir {
        path: settings.data_dir.clone(),
        source,
    })?;
    tracing::info!(data_dir = %settings.data_dir.display(), "demo data (delete the directory to start afresh)");
    // A fixed token lets tests look for it in everything the browser receives.
    let token = match std::env::var("HELPDOCK_UPSTREAM_TOKEN") {
        Ok(t) if !t.trim().is_empty() => Secret::new(t.trim()),
        _ => random_token()?,
    };
    let helpdesk = reference_helpdesk::Helpdesk::open(
        Some(&settings.data_dir.join(DB_FILE)),
        token.expose().into(),
    )?;
    let upstream_listener = bind(
        "127.0.0.1:0"
            .parse()
            .map_err(|_| DemoError::Setup("loopback address".into()))?,
    )
    .await?;
    let upstream_addr = upstream_listener
        .local_addr()
        .map_err(|e| DemoError::Setup(e.to_string()))?;
    tokio::spawn(async move {
        if let Err(e) = reference_helpdesk::serve(upstream_listener, helpdesk).await {
            tracing::error!(error = %e, "reference helpdesk stopped");
        }
    });
    tracing::info!(%upstream_addr, "reference helpdesk listening");

    let base_url = Url::parse(&format!("http://{upstream_addr}/api/"))
        .map_err(|e| DemoError::Setup(e.to_string()))?;
    let upstream = Upstream::new(UpstreamConfig {
        base_url,
        token,
        timeout: DEFAULT_UPSTREAM_TIMEOUT,
        // The reference helpdesk writes UTC (see its `schema::now`).
        time_zone: HelpdeskTimeZone::default(),
    });
    warn_if_widget_missing(&settings.assets_dir);
    let proxy_listener = bind(settings.listen).await?;
    let proxy_addr = local_addr(&proxy_listener)?;
    let shop_listener = bind_shop(proxy_addr, settings.listen.port() != 0).await?;
    let shop_addr = local_addr(&shop_listener)?;
    // The shop's backend and the proxy share this secret; here both live in this process.
    let identity_secret = random_token()?;
    // The shop's page is the only one allowed to call the API (the proxy's own origin always is),
    // besides the origins of test host pages (HELPDOCK_DEMO_EXTRA_ORIGINS, comma-separated).
    let mut origins = vec![format!("http://{shop_addr}")];
    let extra = std::env::var("HELPDOCK_DEMO_EXTRA_ORIGINS").unwrap_or_default();
    origins.extend(
        extra
            .split(',')
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(str::to_owned),
    );
    let perimeter = Perimeter::new(
        LimitsConfig::default(),
        &[SiteOrigins {
            site: DEMO_SITE.into(),
            origins: origins.clone(),
        }],
    );
    let gatekeeper = Gatekeeper::new(GatekeeperSettings {
        sites: vec![SiteConfig {
            id: DEMO_SITE.into(),
            origins,
            identity_secret: identity_secret.clone(),
            form: demo_form(),
        }],
        guest_key: GuestPassKey::new(random_token()?),
        guest_ttl: DEFAULT_GUEST_PASS_TTL,
        staff: StaffList::new([reference_helpdesk::SEEDED_STAFF_EMAIL.to_owned()], []),
        trust_browser_email: false,
    });
    let gatekeeper = Arc::new(gatekeeper);
    let proxy_url = format!("http://{proxy_addr}/");
    // The URL the shop page loads the widget from is the one name the proxy answers the API by.
    let public = PublicOrigin::parse(&proxy_url).map_err(DemoError::Setup)?;
    let perimeter = perimeter.serving_at(public);
    let state = AppState {
        catalog: Catalog::new(upstream.clone(), CatalogConfig::default()),
        readiness: Readiness::new(upstream.clone()),
        upstream,
        assets_dir: settings.assets_dir.as_path().into(),
        gatekeeper: gatekeeper.clone(),
        owners: OwnerCache::default(),
        perimeter,
    };
    let shop = shop_router(shop_page(&proxy_url), gatekeeper, identity_secret);
    Ok(Demo {
        shop: Server {
            listener: shop_listener,
            app: shop,
            url: format!("http://{shop_addr}/"),
        },
        proxy: Server {
            listener: proxy_listener,
            app: app(state),
            url: proxy_url,
        },
    })
}

/// The demo shop's ticket form, as a site owner would choose it: lean, like the big widgets'
/// (email, name, subject, message and the helpdesk's custom fields); the helpdesk's staff set
/// priority and category.
fn demo_form() -> SiteForm {
    SiteForm {
        ask: vec![OptionalField::Name],
        ..SiteForm::default()
    }
}

/// The shop's origin: its page and its backend's sign-in, with the proxy's security headers and
/// log line but none of its routes.
fn shop_router(page: String, gatekeeper: Arc<Gatekeeper>, identity_secret: Secret) -> Router {
    let page = Html(page);
    let router = Router::new()
        .route("/", get(move || async move { page }))
        .route(
            "/demo/sign-in",
            post(move |Json(body): Json<SignIn>| async move {
                sign_in(&gatekeeper, &identity_secret, &body.email)
            }),
        )
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .fallback(|| async { ApiError::NotFound });
    layers::wrap_plain(router)
}

/// The shop's listener on the proxy's IP: the port after the proxy's when `prefer_next` and it is
/// free (a stable URL for people), else any free port.
async fn bind_shop(proxy: SocketAddr, prefer_next: bool) -> Result<TcpListener, DemoError> {
    if let Some(next) = proxy.port().checked_add(1).filter(|_| prefer_next)
        && let Ok(listener) = TcpListener::bind(SocketAddr::new(proxy.ip(), next)).await
    {
        return Ok(listener);
    }
    bind(SocketAddr::new(proxy.ip(), 0)).await
}

fn local_addr(listener: &TcpListener) -> Result<SocketAddr, DemoError> {
    listener
        .local_addr()
        .map_err(|e| DemoError::Setup(e.to_string()))
}

/// `POST /demo/sign-in` body: the email a demo customer signs in with.
#[derive(Deserialize)]
struct SignIn {
    email: String,
}

/// What the shop's backend hands its page for `Helpdock('identify', …)`.
#[derive(Debug, Serialize)]
struct SignedIn {
    email: String,
    expires: u64,
    signature: String,
}

/// Plays the demo shop's backend: a real shop signs the email of the customer it has logged in;
/// this one believes whatever is typed, which is why it exists only in the demo.
fn sign_in(
    gatekeeper: &Gatekeeper,
    secret: &Secret,
    email: &str,
) -> Result<Json<SignedIn>, ApiError> {
    let email = normalize_email(email);
    if !is_valid_email(&email) {
        return Err(ApiError::invalid_field("email", Problem::InvalidEmail));
    }
    if gatekeeper.is_staff(&email) {
        return Err(ApiError::StaffEmail);
    }
    let expires = unix_now() + SIGN_IN_SECS;
    Ok(Json(SignedIn {
        signature: signature::sign(secret, &email, Some(expires)),
        email,
        expires,
    }))
}

/// Logs a warning naming the fix when the widget has not been built.
pub fn warn_if_widget_missing(assets_dir: &Path) {
    let loader = assets_dir.join(assets::LOADER);
    if !loader.is_file() {
        tracing::warn!(
            "{} is missing: the page will show no widget. Build the widget with scripts/build-widget.sh \
             (or point HELPDOCK_ASSETS_DIR at a built pkg/ directory)",
            loader.display()
        );
    }
}

async fn bind(addr: SocketAddr) -> Result<TcpListener, DemoError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| DemoError::Bind { addr, source })
}

/// 32 random bytes as hex: the token lives only in this process, for this run.
fn random_token() -> Result<Secret, DemoError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| DemoError::Setup(format!("no randomness for the token: {e}")))?;
    Ok(Secret::new(
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_dir_precedence() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let all = env(&[
            ("HELPDOCK_DATA_DIR", "/d"),
            ("XDG_DATA_HOME", "/x"),
            ("HOME", "/h"),
        ]);
        assert_eq!(data_dir_from_env(&all).ok(), Some(PathBuf::from("/d")));
        let xdg = env(&[("XDG_DATA_HOME", "/x"), ("HOME", "/h")]);
        assert_eq!(
            data_dir_from_env(&xdg).ok(),
            Some(PathBuf::from("/x/helpdock-demo"))
        );
        let home = env(&[("HOME", "/h")]);
        assert_eq!(
            data_dir_from_env(&home).ok(),
            Some(PathBuf::from("/h/.local/share/helpdock-demo"))
        );
        assert!(matches!(
            data_dir_from_env(&env(&[])),
            Err(DemoError::NoDataDir)
        ));
    }

    #[test]
    fn tokens_are_random_hex() {
        let (a, b) = (random_token().ok(), random_token().ok());
        let a = a.map(|s| s.expose().to_owned()).unwrap_or_default();
        assert_eq!(a.len(), 64);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(Some(a), b.map(|s| s.expose().to_owned()));
    }

    #[test]
    fn shop_page_embeds_the_widget_from_the_proxy_with_one_tag_after_the_stub() {
        assert_eq!(SHOP_TEMPLATE.matches(PROXY_URL_SLOT).count(), 1);
        let page = shop_page("http://127.0.0.1:8080/");
        let tag =
            r#"<script async src="http://127.0.0.1:8080/widget.js" data-site="demo"></script>"#;
        assert_eq!(page.matches("widget.js\"").count(), 1, "one tag");
        let (tag_at, stub_at) = (
            page.find(tag),
            page.find("window.Helpdock = window.Helpdock ||"),
        );
        assert!(
            matches!((stub_at, tag_at), (Some(s), Some(t)) if s < t),
            "stub before the tag"
        );
        for id in ["demo-signin-email", "demo-signin"] {
            assert!(page.contains(&format!("id=\"{id}\"")), "{id}");
        }
        // The sign-in is the shop's own backend: same origin as the page, not the proxy's.
        assert!(page.contains("fetch('/demo/sign-in'") && page.contains("'identify'"));
    }

    #[test]
    fn sign_in_signs_what_the_proxy_verifies() {
        let secret = Secret::new("demo-secret-0123456789abcdef");
        let gatekeeper = Gatekeeper::new(GatekeeperSettings {
            sites: vec![SiteConfig {
                id: DEMO_SITE.into(),
                origins: vec![],
                identity_secret: secret.clone(),
                form: demo_form(),
            }],
            guest_key: GuestPassKey::new(Secret::new("guest-key-0123456789abcdef")),
            guest_ttl: DEFAULT_GUEST_PASS_TTL,
            staff: StaffList::new([reference_helpdesk::SEEDED_STAFF_EMAIL.to_owned()], []),
            trust_browser_email: false,
        });
        let Ok(Json(signed)) = sign_in(&gatekeeper, &secret, " Ann@Example.com") else {
            panic!("sign-in refused");
        };
        assert_eq!(signed.email, "ann@example.com");
        let header = format!(
            "email={}&expires={}&signature={}",
            signed.email, signed.expires, signed.signature
        );
        let parsed = signature::parse(&header).map_err(|e| e.to_string());
        assert_eq!(
            parsed.and_then(|p| p.verify(&secret, unix_now()).map_err(|e| e.to_string())),
            Ok(())
        );
        assert!(matches!(
            sign_in(&gatekeeper, &secret, "agent@helpdesk.example"),
            Err(ApiError::StaffEmail)
        ));
        assert!(matches!(
            sign_in(&gatekeeper, &secret, "nope"),
            Err(ApiError::InvalidInput(_))
        ));
    }
}
