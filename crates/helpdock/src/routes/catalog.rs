//! What the ticket form offers: categories and custom fields, from the proxy's cache of the
//! helpdesk's answers (`catalog`), which browsers and CDNs may reuse as long as the proxy does;
//! the custom fields come with the request's site's form (`[sites.form]`).

use crate::AppState;
use crate::catalog::Catalog;
use crate::error::ApiError;
use crate::identity::RequestSite;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, VARY};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use helpdock_wire::Endpoint;
use serde::Serialize;

/// `GET /api/ticket_categories.php` and `GET /api/ticket_custom_fields.php`.
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(Endpoint::Categories.path(), get(list_categories))
        .route(Endpoint::CustomFields.path(), get(list_custom_fields))
}

// The site is checked (docs/protocol.md: every call names one) though the answer is the same for all.
async fn list_categories(
    State(catalog): State<Catalog>,
    _site: RequestSite,
) -> Result<Response, ApiError> {
    let categories = catalog.categories().await?;
    Ok(reusable(&catalog, &*categories))
}

async fn list_custom_fields(
    State(catalog): State<Catalog>,
    site: RequestSite,
) -> Result<Response, ApiError> {
    let mut fields = (*catalog.custom_fields().await?).clone();
    fields.ask = site.form().ask.clone();
    let mut answer = reusable(&catalog, &fields);
    // Each site's form is its own: a shared cache keeps one answer per site.
    answer
        .headers_mut()
        .append(VARY, HeaderValue::from_static("X-Helpdock-Site"));
    Ok(answer)
}

/// `list` as JSON that caches may keep as long as the proxy keeps it (nothing of a visitor's is
/// in it); with the cache off, they must ask each time.
fn reusable(catalog: &Catalog, list: &impl Serialize) -> Response {
    let max_age = catalog.max_age().as_secs();
    let policy = match max_age {
        0 => HeaderValue::from_static("no-cache"),
        secs => HeaderValue::from_str(&format!("public, max-age={secs}"))
            .unwrap_or(HeaderValue::from_static("no-cache")),
    };
    ([(CACHE_CONTROL, policy)], Json(list)).into_response()
}
