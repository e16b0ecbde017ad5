//! The proxy (`app()`, driven with `oneshot`) in front of the reference helpdesk on a free port.

use crate::support::{self, Answer};
use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, request};
use helpdock::perimeter::{LimitsConfig, PublicOrigin, SiteOrigins};
use helpdock::{HelpdeskTimeZone, Perimeter, Secret, Upstream, UpstreamConfig, app};
use reference_helpdesk::Helpdesk;
use serde_json::Value;
use std::time::Duration;
use tower::ServiceExt;

/// The test site's page origin (`shop`, support's one site).
pub const SHOP: &str = "https://shop.example.com";
/// Another site's page origin (`blog`): allowed, but only for its own site.
pub const BLOG: &str = "https://blog.example.com";
/// A page nobody configured.
pub const EVIL: &str = "https://evil.example";
/// Where browsers reach the proxy (`public_url`).
pub const PUBLIC: &str = "https://support.example.com";

/// The proxy and the helpdesk behind it.
pub struct Fixture {
    pub helpdesk: Helpdesk,
    pub router: Router,
    _assets: tempfile::TempDir,
}

/// A header of `answer` as text ("" when absent).
pub fn header<'a>(answer: &'a Answer, name: &str) -> &'a str {
    answer
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// Limits no test reaches unless it means to; the bot check's timing as documented.
pub fn roomy() -> LimitsConfig {
    LimitsConfig {
        create_burst: 1000,
        reply_burst: 1000,
        ..LimitsConfig::default()
    }
}

/// The proxy with `limits`, sites `shop` and `blog`, in front of a fresh helpdesk.
pub async fn fixture(limits: LimitsConfig) -> Fixture {
    let helpdesk = Helpdesk::open(None, support::TOKEN.to_owned()).expect("helpdesk");
    let addr = support::serve_router(helpdesk.router()).await;
    let upstream = Upstream::new(UpstreamConfig {
        base_url: format!("http://{addr}/api/").parse().expect("url"),
        token: Secret::new(support::TOKEN),
        timeout: Duration::from_secs(5),
        time_zone: HelpdeskTimeZone::default(),
    });
    let assets = tempfile::tempdir().expect("assets");
    std::fs::write(assets.path().join("widget.js"), "/* loader */").expect("asset");
    let mut state = support::state(upstream, assets.path().to_owned());
    // As if served at PUBLIC: requests without a Host (these, in process) are not a browser's.
    let public = PublicOrigin::parse(PUBLIC).expect("origin");
    state.perimeter = Perimeter::new(limits, &sites()).serving_at(public);
    Fixture {
        helpdesk,
        router: app(state),
        _assets: assets,
    }
}

/// `shop` and `blog`, one origin each.
pub fn sites() -> Vec<SiteOrigins> {
    [(support::SITE, SHOP), ("blog", BLOG)]
        .into_iter()
        .map(|(site, origin)| SiteOrigins {
            site: site.into(),
            origins: vec![origin.into()],
        })
        .collect()
}

impl Fixture {
    /// Sends `request` through the whole app.
    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// How many calls of `script` the helpdesk received.
    pub fn upstream_calls(&self, script: &str) -> usize {
        self.helpdesk
            .calls()
            .iter()
            .filter(|c| c.script == script)
            .count()
    }

    /// How many calls the helpdesk received in all.
    pub fn all_upstream_calls(&self) -> usize {
        self.helpdesk.calls().len()
    }
}

/// A request builder for `method uri`.
pub fn req(method: &str, uri: &str) -> request::Builder {
    Request::builder().method(method).uri(uri)
}

/// `GET uri` with extra headers.
pub fn get_with(uri: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut builder = req("GET", uri);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::empty()).expect("request")
}

/// `POST uri` with a JSON body and extra headers.
pub fn post_json(uri: &str, body: &Value, headers: &[(&str, &str)]) -> Request<Body> {
    let mut builder = req("POST", uri).header("content-type", "application/json");
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::from(body.to_string())).expect("request")
}

/// A valid ticket, filled at human speed.
pub fn ticket(subject: &str) -> Value {
    let mut ticket = support::valid_ticket();
    ticket["subject"] = subject.into();
    ticket["elapsed_ms"] = 15_000.into();
    ticket
}
