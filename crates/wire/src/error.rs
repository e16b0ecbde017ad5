//! The one error shape every rejected request answers with.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Stable, machine-readable reasons a request was refused. The wire spelling never changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 422: one or more fields are invalid; see `field` and `field_errors`.
    InvalidInput,
    /// 400: the body is not the JSON (or query) this endpoint takes.
    BadRequest,
    /// 404: no such endpoint, or no such ticket for this visitor.
    NotFound,
    /// 405: the endpoint exists but not with this method.
    MethodNotAllowed,
    /// 413: the request body is larger than allowed.
    PayloadTooLarge,
    /// 401: the request does not say who the visitor is, or says it wrongly.
    Unauthorized,
    /// 401: the identity signature is wrong, or was made for another email.
    InvalidSignature,
    /// 401: the identity signature's `expires` has passed.
    SignatureExpired,
    /// 401: the guest pass is forged, tampered with, or from another site.
    InvalidGuestPass,
    /// 401: the guest pass is too old.
    GuestPassExpired,
    /// 403: the visitor is known but may not do this.
    Forbidden,
    /// 403: the request's `Origin` is not one of the site's origins.
    ForbiddenOrigin,
    /// 403: a staff member's email cannot act as a visitor.
    StaffEmail,
    /// 409: the same `Idempotency-Key` came with a different request.
    IdempotencyConflict,
    /// 422: the honeypot was filled, or the form was sent faster than a person can.
    SpamSuspected,
    /// 429: too many requests; retry after the `Retry-After` seconds.
    RateLimited,
    /// 502: the helpdesk failed or answered something unusable.
    UpstreamUnavailable,
    /// 504: the helpdesk did not answer in time.
    UpstreamTimeout,
    /// 500: a fault in Helpdock itself.
    Internal,
    /// A code this build does not know (a newer proxy); treat as a generic failure.
    #[serde(other)]
    Unknown,
}

/// `{"code": "...", "message": "...", "field": "...", "field_errors": {...}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Why, for programs.
    pub code: ErrorCode,
    /// Why, for people (English; the widget may show its own wording per code).
    pub message: String,
    /// The first field concerned (`subject`, `custom_fields.3`, …), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every field concerned → what is wrong with it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub field_errors: BTreeMap<String, String>,
}

impl ErrorBody {
    /// An error about no field in particular.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorBody {
            code,
            message: message.into(),
            field: None,
            field_errors: BTreeMap::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_stable_spellings_and_unknown_ones_decode() {
        let body = ErrorBody::new(ErrorCode::UpstreamUnavailable, "down");
        let json = serde_json::to_string(&body).unwrap();
        assert_eq!(json, r#"{"code":"upstream_unavailable","message":"down"}"#);
        let later: ErrorBody =
            serde_json::from_str(r#"{"code":"brand_new","message":"m","field":"subject"}"#)
                .unwrap();
        assert_eq!(
            (later.code, later.field.as_deref()),
            (ErrorCode::Unknown, Some("subject"))
        );
    }
}
