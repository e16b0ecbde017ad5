//! What the ticket form offers: categories and custom fields, straight from the helpdesk.

use crate::AppState;
use crate::error::ApiError;
use crate::identity::RequestSite;
use crate::upstream::Upstream;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use helpdock_wire::{Categories, CustomFields, Endpoint};

/// `GET /api/ticket_categories.php` and `GET /api/ticket_custom_fields.php`.
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(Endpoint::Categories.path(), get(list_categories))
        .route(Endpoint::CustomFields.path(), get(list_custom_fields))
}

// The site is checked (docs/protocol.md: every call names one) though the answer is the same for all.
async fn list_categories(
    State(upstream): State<Upstream>,
    _site: RequestSite,
) -> Result<Json<Categories>, ApiError> {
    upstream.categories().await.map(Json)
}

async fn list_custom_fields(
    State(upstream): State<Upstream>,
    _site: RequestSite,
) -> Result<Json<CustomFields>, ApiError> {
    upstream.custom_fields().await.map(Json)
}
