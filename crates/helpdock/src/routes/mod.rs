//! The six browser-facing endpoints; each module exports `router()`.

mod catalog;
pub(crate) mod extract;
mod lost_answers;
mod replies;
mod tickets;

use crate::AppState;
use crate::error::ApiError;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY};
use helpdock_wire::TicketId;
use tower::ServiceBuilder;
use tower_http::set_header::SetResponseHeaderLayer;

/// The largest JSON body an endpoint reads; a ticket at every maximum length fits easily.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// `id` if it can name a ticket. The helpdesk's ids start at 1, and it answers `0` with an error
/// text ("Missing ticket_id…") that would otherwise become a 502 and an error line for anyone.
fn existing_ticket_id(id: TicketId) -> Result<TicketId, ApiError> {
    match id.0 {
        0 => Err(ApiError::BadField {
            field: "ticket_id",
            message: "Ticket ids start at 1.",
        }),
        _ => Ok(id),
    }
}

/// Every API route, answering JSON errors for wrong methods and oversized bodies.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(tickets::router())
        .merge(replies::router())
        .merge(catalog::router())
        // Set before the layers below, so a 405 gets the API's headers too.
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        // One layer (see `perimeter::guard_routes`), outermost first.
        .layer(
            ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
                ))
                // Answers hold a visitor's tickets: no cache may keep them, no page may run them.
                // Only the catalog's lists (nobody's in particular) say otherwise.
                .layer(SetResponseHeaderLayer::if_not_present(
                    CACHE_CONTROL,
                    HeaderValue::from_static("no-store"),
                ))
                .layer(DefaultBodyLimit::max(MAX_BODY_BYTES)),
        )
}
