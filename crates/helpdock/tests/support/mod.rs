//! The proxy (`app()`) on 127.0.0.1:0 in front of the real reference helpdesk or a stub upstream,
//! and a plain HTTP client to talk to it like a browser would.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

pub mod fleet;
pub mod process;
pub mod redis;

use axum::Router;
use helpdock::config::SiteConfig;
use helpdock::identity::signature::header_value;
use helpdock::identity::{GatekeeperSettings, GuestPassKey, StaffList};
use helpdock::perimeter::LimitsConfig;
use helpdock::{
    AppState, Gatekeeper, HelpdeskTimeZone, OwnerCache, Perimeter, Secret, Upstream,
    UpstreamConfig, app,
};
use helpdock::{Catalog, CatalogConfig, Readiness};
use reference_helpdesk::{Helpdesk, Quirks};
use reqwest::header::HeaderMap;
use reqwest::{Method, Url};
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// The upstream token in every test; it must never appear in anything the proxy answers.
pub const TOKEN: &str = "tok-5ecret-7c1a9e";

/// A visitor email used across tests.
pub const ANN: &str = "ann@example.com";

/// The one site of the test proxy.
pub const SITE: &str = "shop";
/// Its identity secret: what the shop's backend signs emails with.
pub const SITE_SECRET: &str = "shop-secret-0123456789";

/// Its ticket form: everything asked, low priority unless chosen, and the category "Shipping"
/// for a ticket that names none.
pub fn site_form() -> helpdock::config::SiteForm {
    use helpdock_wire::{CategoryId, Priority};
    helpdock::config::SiteForm {
        priority: Priority::Low,
        category_id: Some(CategoryId(2)),
        ..helpdock::config::SiteForm::default()
    }
}

/// An `X-Helpdock-Identity` value for `email`, as the shop's backend would make it.
pub fn identity(email: &str) -> String {
    header_value(&Secret::new(SITE_SECRET), email, None)
}

/// The test proxy's state: one site, the seeded staff user, limits no test reaches.
pub fn state(upstream: Upstream, assets_dir: std::path::PathBuf) -> AppState {
    state_with_catalog(upstream, assets_dir, CatalogConfig::default())
}

/// [`state`] with the catalog cached as `catalog` says.
pub fn state_with_catalog(
    upstream: Upstream,
    assets_dir: std::path::PathBuf,
    catalog: CatalogConfig,
) -> AppState {
    let sites = vec![SiteConfig {
        id: SITE.into(),
        origins: vec!["https://shop.example.com".into()],
        identity_secret: Secret::new(SITE_SECRET),
        form: site_form(),
    }];
    let limits = LimitsConfig {
        create_burst: 1000,
        reply_burst: 1000,
        ..LimitsConfig::default()
    };
    let gatekeeper = Gatekeeper::new(GatekeeperSettings {
        sites: sites.clone(),
        guest_key: GuestPassKey::new(Secret::new("guest-key-0123456789abcdef")),
        guest_ttl: Duration::from_secs(3600),
        staff: StaffList::new([reference_helpdesk::SEEDED_STAFF_EMAIL.to_owned()], []),
        trust_browser_email: false,
    });
    AppState {
        catalog: Catalog::new(upstream.clone(), catalog),
        readiness: Readiness::new(upstream.clone()),
        upstream,
        assets_dir: assets_dir.into(),
        gatekeeper: Arc::new(gatekeeper),
        owners: OwnerCache::default(),
        perimeter: Perimeter::for_sites(limits, &sites),
    }
}

/// The proxy in front of a reference helpdesk, both over real HTTP.
pub struct Stack {
    pub helpdesk: Helpdesk,
    pub proxy: Proxy,
}

/// A running proxy and a client for it.
pub struct Proxy {
    pub base: String,
    client: reqwest::Client,
    _assets: tempfile::TempDir,
}

/// One answer, kept raw.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    /// The body as JSON; panics with the body when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {self:?}"))
    }

    /// Asserts the status and returns the JSON body.
    pub fn expect(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "{self:?}");
        self.json()
    }

    /// Asserts an `ErrorBody` with this status and code, and no trace of the token.
    pub fn expect_error(&self, status: u16, code: &str) -> Value {
        let body = self.expect(status);
        assert_eq!(body["code"], code, "{self:?}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{self:?}"
        );
        body
    }
}

/// The reference helpdesk (in memory, `quirks`) on a free port, and the proxy in front of it.
pub async fn stack_with(quirks: Quirks) -> Stack {
    stack_in_zone(quirks, HelpdeskTimeZone::default()).await
}

/// [`stack_with`], the proxy reading the helpdesk's times in `zone`.
pub async fn stack_in_zone(quirks: Quirks, zone: HelpdeskTimeZone) -> Stack {
    let helpdesk = Helpdesk::open_with(None, TOKEN.to_owned(), quirks).expect("open helpdesk");
    let addr = serve_router(helpdesk.router()).await;
    let proxy = proxy_in_zone(addr, TOKEN, Duration::from_secs(10), zone).await;
    Stack { helpdesk, proxy }
}

/// [`stack_with`] the default quirks.
pub async fn stack() -> Stack {
    stack_with(Quirks::default()).await
}

/// Serves `router` on a free loopback port until the test ends.
pub async fn serve_router(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, router).await });
    addr
}

/// A temporary assets dir holding stand-ins for the files of a built widget (the loader, the
/// first screen's files and a chunk, named after their content), and for the first screen's files
/// as a development build names them.
pub fn widget_files() -> tempfile::TempDir {
    let assets = tempfile::tempdir().expect("assets dir");
    for (name, content) in [
        ("widget.js", "/* loader */"),
        (
            "helpdock_widget.2f6d0a1b.js",
            "export default function() {}",
        ),
        ("helpdock_widget_bg.9c41e7d2.wasm", "\0asm"),
        ("helpdock.5e0b3c8a.css", ":host { all: initial }"),
        ("history.0123abcd.wasm", "\0asm"),
        ("helpdock_widget.js", "export default function() {}"),
        ("helpdock_widget_bg.wasm", "\0asm"),
        ("helpdock.css", ":host { all: initial }"),
    ] {
        std::fs::write(assets.path().join(name), content).expect("write asset");
    }
    assets
}

/// The proxy on a free port, with `upstream` as its helpdesk at `/api/`.
pub async fn proxy_for(upstream: SocketAddr, token: &str, timeout: Duration) -> Proxy {
    proxy_in_zone(upstream, token, timeout, HelpdeskTimeZone::default()).await
}

/// [`proxy_for`], reading the helpdesk's times in `zone`.
pub async fn proxy_in_zone(
    upstream: SocketAddr,
    token: &str,
    timeout: Duration,
    zone: HelpdeskTimeZone,
) -> Proxy {
    proxy_with(upstream, token, timeout, zone, CatalogConfig::default()).await
}

/// A stack whose proxy caches the catalog as `catalog` says.
pub async fn stack_with_catalog(catalog: CatalogConfig) -> Stack {
    let helpdesk = Helpdesk::open_with(None, TOKEN.to_owned(), Quirks::default()).expect("open");
    let addr = serve_router(helpdesk.router()).await;
    let proxy = proxy_with(
        addr,
        TOKEN,
        Duration::from_secs(10),
        HelpdeskTimeZone::default(),
        catalog,
    )
    .await;
    Stack { helpdesk, proxy }
}

async fn proxy_with(
    upstream: SocketAddr,
    token: &str,
    timeout: Duration,
    zone: HelpdeskTimeZone,
    catalog: CatalogConfig,
) -> Proxy {
    let base_url = Url::parse(&format!("http://{upstream}/api/")).expect("url");
    let upstream = Upstream::new(UpstreamConfig {
        base_url,
        token: Secret::new(token),
        timeout,
        time_zone: zone,
    });
    let assets = tempfile::tempdir().expect("assets dir");
    std::fs::write(assets.path().join("widget.js"), "/* loader */").expect("write asset");
    let addr = serve_router(app(state_with_catalog(
        upstream,
        assets.path().to_owned(),
        catalog,
    )))
    .await;
    Proxy {
        base: format!("http://{addr}"),
        client: reqwest::Client::new(),
        _assets: assets,
    }
}

impl Proxy {
    /// Sends a request the way a browser on a shop page might, cookies and all.
    pub async fn send(&self, method: Method, path: &str, json: Option<&Value>) -> Answer {
        self.send_with(method, path, json, &[]).await
    }

    /// [`Proxy::send`] with extra headers (identity, guest pass, …).
    pub async fn send_with(
        &self,
        method: Method,
        path: &str,
        json: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("Cookie", "shop_session=abc123")
            .header("X-Forwarded-For", "203.0.113.9")
            .header("Authorization", "Bearer visitor-supplied")
            .header("X-Visitor-Note", "hello");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(json) = json {
            request = request.json(json);
        }
        let response = request.send().await.expect("proxy answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.text().await.expect("body");
        let answer = Answer {
            status,
            headers,
            body,
        };
        assert_no_token(&answer);
        answer
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Answer {
        self.send(Method::GET, path, None).await
    }

    /// `GET /api/ticket_view.php` for ticket `id` as the verified visitor `email`.
    pub async fn view(&self, id: impl std::fmt::Display, email: &str) -> Answer {
        let path = format!("/api/ticket_view.php?ticket_id={id}");
        self.send_with(
            Method::GET,
            &path,
            None,
            &[("X-Helpdock-Identity", &identity(email))],
        )
        .await
    }

    /// `GET /api/tickets_list.php` as the verified visitor `email`.
    pub async fn list(&self, email: &str) -> Answer {
        self.send_with(
            Method::GET,
            "/api/tickets_list.php",
            None,
            &[("X-Helpdock-Identity", &identity(email))],
        )
        .await
    }

    /// `POST path` with a JSON body, as a guest (no identity).
    pub async fn post(&self, path: &str, json: &Value) -> Answer {
        self.send(Method::POST, path, Some(json)).await
    }

    /// `POST path` with a JSON body as the verified visitor `email`.
    pub async fn post_as(&self, email: &str, path: &str, json: &Value) -> Answer {
        self.send_with(
            Method::POST,
            path,
            Some(json),
            &[("X-Helpdock-Identity", &identity(email))],
        )
        .await
    }
}

/// The token appears in no header and no body the proxy sends downstream.
pub fn assert_no_token(answer: &Answer) {
    assert!(!answer.body.contains(TOKEN), "token in body: {answer:?}");
    for (name, value) in &answer.headers {
        let value = String::from_utf8_lossy(value.as_bytes());
        assert!(!value.contains(TOKEN), "token in header {name}: {answer:?}");
    }
}

/// A ticket that passes every rule of the seeded helpdesk.
pub fn valid_ticket() -> Value {
    serde_json::json!({
        "subject": "Beans arrived stale",
        "message": "The Harbor Blend bag was <b>open</b>.",
        "user_email": ANN,
        "name": "Ann Lee",
        "priority": "high",
        "category_id": 2,
        "custom_fields": {"1": "ORD-1001", "2": "Pro"}
    })
}
