//! The six browser-facing endpoints; each module exports `router()`.

mod catalog;
mod extract;
mod replies;
mod tickets;

use crate::AppState;
use crate::error::ApiError;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY};
use helpdock_wire::validate::{FieldErrors, is_valid_email, normalize_email};
use tower_http::set_header::SetResponseHeaderLayer;

/// The largest JSON body an endpoint reads; a ticket at every maximum length fits easily.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Every API route, answering JSON errors for wrong methods and oversized bodies.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(tickets::router())
        .merge(replies::router())
        .merge(catalog::router())
        // Set before the layers below, so a 405 gets the API's headers too.
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // Answers hold a visitor's tickets: no cache may keep them, no page may run them.
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        ))
}

/// Checks the visitor's email and returns it normalized, adding a problem to `errors` if any.
///
/// Until visitors are verified (a later extractor), the typed email is the visitor's identity.
fn visitor_email(raw: &str, errors: &mut FieldErrors) -> String {
    let email = normalize_email(raw);
    if email.is_empty() {
        errors.insert("user_email".into(), "This field is required.".into());
    } else if !is_valid_email(&email) {
        errors.insert("user_email".into(), "Enter a valid email address.".into());
    }
    email
}

/// [`visitor_email`] for endpoints whose only field is the email.
fn require_visitor_email(raw: &str) -> Result<String, ApiError> {
    let mut errors = FieldErrors::new();
    let email = visitor_email(raw, &mut errors);
    if errors.is_empty() {
        Ok(email)
    } else {
        Err(ApiError::InvalidInput(errors))
    }
}
