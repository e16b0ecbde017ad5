//! Which web pages may call the proxy (docs/protocol.md, "CORS"): the proxy's own origin (the
//! configured `public_url`, see `public_origin`) and the configured sites' origins. Everything
//! else is `403 forbidden_origin`, preflights included, before any other check runs — and so is
//! a request addressed to another name than the proxy's own — except reading the widget's public
//! files, which any page may do (`assets`). Credentials are never allowed.
//!
//! Written by hand because tower-http's `CorsLayer` can only omit headers, not refuse with our
//! JSON error.

use super::Perimeter;
use super::public_origin::PublicOrigin;
use crate::assets;
use crate::error::ApiError;
use axum::extract::Request;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN,
    VARY,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use reqwest::Url;
use std::collections::{BTreeMap, BTreeSet};

/// The methods the API takes.
const ALLOW_METHODS: &str = "GET, POST";
/// Every request header the widget sends that is not CORS-safelisted.
const ALLOW_HEADERS: &str = "content-type, idempotency-key, x-helpdock-site, x-helpdock-identity, \
                             x-helpdock-guest-pass, x-helpdock-email";
/// Response headers the widget may read beyond the safelisted ones.
const EXPOSE_HEADERS: &str = "retry-after, x-request-id";
/// How long a browser may reuse a preflight answer (seconds).
const MAX_AGE: &str = "600";
/// The header that names the site a call is for.
const SITE_HEADER: &str = "x-helpdock-site";

/// A site's id and the origins its pages are served from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteOrigins {
    /// The site's id (`X-Helpdock-Site`).
    pub site: String,
    /// `scheme://host[:port]` of each page allowed to embed the widget for this site.
    pub origins: Vec<String>,
}

/// The allowed origins, normalised as browsers send them.
#[derive(Clone, Debug, Default)]
pub(crate) struct CorsPolicy {
    by_site: BTreeMap<String, BTreeSet<String>>,
    any_site: BTreeSet<String>,
}

/// What to do with a request that carries an `Origin`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Answer it, echoing this origin in `Access-Control-Allow-Origin`.
    Allow(HeaderValue),
    /// `403 forbidden_origin`.
    Refuse,
}

impl CorsPolicy {
    /// The policy for `sites`; origins that do not parse as `scheme://host[:port]` are skipped
    /// (the config check refuses them before this runs).
    pub(crate) fn new(sites: &[SiteOrigins]) -> CorsPolicy {
        let mut policy = CorsPolicy::default();
        for site in sites {
            let origins: BTreeSet<String> =
                site.origins.iter().filter_map(|o| normalise(o)).collect();
            policy.any_site.extend(origins.iter().cloned());
            policy
                .by_site
                .entry(site.site.clone())
                .or_default()
                .extend(origins);
        }
        policy
    }

    /// Decides on a request whose `Origin` is `origin`, to the proxy at `own` (if known), for
    /// `site` (if named). A preflight names no site (browsers do not send header values), so any
    /// site's origin passes it; the call itself must come from one of its own site's origins.
    pub(crate) fn decide(
        &self,
        origin: &HeaderValue,
        own: Option<&PublicOrigin>,
        site: Option<&str>,
        preflight: bool,
    ) -> Decision {
        let Some(raw) = origin.to_str().ok() else {
            return Decision::Refuse;
        };
        // An origin spelled exactly as one we allow is normalised already (normalising a
        // normalised origin changes nothing): no URL to parse on the usual request.
        let known = self.any_site.contains(raw) || own.is_some_and(|own| own.as_str() == raw);
        let normalised = match known {
            true => raw.to_owned(),
            false => match normalise(raw) {
                Some(normalised) => normalised,
                None => return Decision::Refuse,
            },
        };
        let allowed = own.is_some_and(|own| own.as_str() == normalised)
            || match site.and_then(|s| self.by_site.get(s)) {
                Some(origins) if !preflight => origins.contains(&normalised),
                // An unknown or absent site is refused later with a clearer error; the origin
                // only has to belong to some site here.
                _ => self.any_site.contains(&normalised),
            };
        match HeaderValue::from_str(&normalised) {
            Ok(value) if allowed => Decision::Allow(value),
            _ => Decision::Refuse,
        }
    }
}

/// `scheme://host[:port]` in the form browsers send (lower case, no default port), or `None`
/// for anything else — including `null`, paths, and credentials.
pub(super) fn normalise(origin: &str) -> Option<String> {
    let url = Url::parse(origin.trim()).ok()?;
    let bare = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
    let plain = url.username().is_empty() && url.password().is_none();
    if !matches!(url.scheme(), "http" | "https") || !bare || !plain {
        return None;
    }
    let serialised = url.origin().ascii_serialization();
    (serialised != "null").then_some(serialised)
}

/// The one `Origin` of a request; `Err` when it has several (no browser sends that).
fn single_origin(headers: &HeaderMap) -> Result<Option<&HeaderValue>, ()> {
    let mut all = headers.get_all(ORIGIN).iter();
    match (all.next(), all.next()) {
        (first, None) => Ok(first),
        _ => Err(()),
    }
}

/// The outermost check of every request: refuses foreign origins, answers preflights, and
/// marks allowed cross-origin answers readable.
pub(crate) async fn enforce_origin<F, Fut>(
    perimeter: &Perimeter,
    request: Request,
    next: F,
) -> Response
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Response>,
{
    // The widget's files answer every origin alike (`*`): nothing here to decide, or to vary on.
    if assets::is_file_read(&request) {
        return next(request).await;
    }
    let own = perimeter.public_origin();
    // A page reached under another name (DNS rebinding) is same-origin to itself: nothing here.
    if own.is_some_and(|own| !own.addresses(&request)) {
        return ApiError::ForbiddenOrigin.into_response();
    }
    let preflight = request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(ACCESS_CONTROL_REQUEST_METHOD);
    let decision = match single_origin(request.headers()) {
        // Not a cross-origin browser call (same-origin navigation, curl, a server).
        Ok(None) => None,
        Ok(Some(origin)) => {
            let site = request
                .headers()
                .get(SITE_HEADER)
                .and_then(|s| s.to_str().ok());
            Some(perimeter.cors().decide(origin, own, site, preflight))
        }
        Err(()) => Some(Decision::Refuse),
    };
    let mut response = match decision {
        Some(Decision::Refuse) => ApiError::ForbiddenOrigin.into_response(),
        Some(Decision::Allow(origin)) if preflight => preflight_answer(origin),
        Some(Decision::Allow(origin)) => {
            let mut response = next(request).await;
            let headers = response.headers_mut();
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            headers.insert(
                ACCESS_CONTROL_EXPOSE_HEADERS,
                HeaderValue::from_static(EXPOSE_HEADERS),
            );
            response
        }
        None => next(request).await,
    };
    // Every answer depends on the Origin, so no cache may hand one page's answer to another.
    response
        .headers_mut()
        .append(VARY, HeaderValue::from_static("Origin"));
    response
}

/// `204` with exactly the headers docs/protocol.md lists.
fn preflight_answer(origin: HeaderValue) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(
        ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(ALLOW_METHODS),
    );
    headers.insert(
        ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static(ALLOW_HEADERS),
    );
    headers.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static(MAX_AGE));
    response
}

#[cfg(test)]
#[path = "cors_tests.rs"]
mod tests;
