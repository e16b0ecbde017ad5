//! The one error shape every rejected request answers with.

use crate::problem::Problem;
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
    /// 415: the body is not sent as `Content-Type: application/json`.
    UnsupportedMediaType,
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
    /// 503: the state the proxies share (idempotency keys, limits) is unreachable, so a write is
    /// refused rather than risked twice; retry with the same key after `Retry-After`.
    StateUnavailable,
    /// 500: a fault in Helpdock itself.
    Internal,
    /// A code this build does not know (a newer proxy); treat as a generic failure.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// Every code the proxy sends, the most general first among those sharing a status.
    pub const ALL: [ErrorCode; 21] = [
        ErrorCode::InvalidInput,
        ErrorCode::BadRequest,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::Unauthorized,
        ErrorCode::InvalidSignature,
        ErrorCode::SignatureExpired,
        ErrorCode::InvalidGuestPass,
        ErrorCode::GuestPassExpired,
        ErrorCode::Forbidden,
        ErrorCode::ForbiddenOrigin,
        ErrorCode::StaffEmail,
        ErrorCode::IdempotencyConflict,
        ErrorCode::SpamSuspected,
        ErrorCode::RateLimited,
        ErrorCode::UpstreamUnavailable,
        ErrorCode::UpstreamTimeout,
        ErrorCode::StateUnavailable,
        ErrorCode::Internal,
    ];

    /// The code as it is written on the wire (`rate_limited`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::InvalidSignature => "invalid_signature",
            ErrorCode::SignatureExpired => "signature_expired",
            ErrorCode::InvalidGuestPass => "invalid_guest_pass",
            ErrorCode::GuestPassExpired => "guest_pass_expired",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::ForbiddenOrigin => "forbidden_origin",
            ErrorCode::StaffEmail => "staff_email",
            ErrorCode::IdempotencyConflict => "idempotency_conflict",
            ErrorCode::SpamSuspected => "spam_suspected",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::UpstreamUnavailable => "upstream_unavailable",
            ErrorCode::UpstreamTimeout => "upstream_timeout",
            ErrorCode::StateUnavailable => "state_unavailable",
            ErrorCode::Internal => "internal",
            ErrorCode::Unknown => "unknown",
        }
    }

    /// The HTTP status the proxy answers this code with.
    pub const fn status(self) -> u16 {
        match self {
            ErrorCode::BadRequest => 400,
            ErrorCode::Unauthorized
            | ErrorCode::InvalidSignature
            | ErrorCode::SignatureExpired
            | ErrorCode::InvalidGuestPass
            | ErrorCode::GuestPassExpired => 401,
            ErrorCode::Forbidden | ErrorCode::ForbiddenOrigin | ErrorCode::StaffEmail => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::IdempotencyConflict => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::InvalidInput | ErrorCode::SpamSuspected => 422,
            ErrorCode::RateLimited => 429,
            ErrorCode::Internal | ErrorCode::Unknown => 500,
            ErrorCode::UpstreamUnavailable => 502,
            ErrorCode::UpstreamTimeout => 504,
            ErrorCode::StateUnavailable => 503,
        }
    }

    /// The code a bare status most likely means, for an answer without an `ErrorBody` (something
    /// between the browser and the proxy answered): a 503 is a retryable outage.
    pub fn for_status(status: u16) -> ErrorCode {
        let code = ErrorCode::ALL.into_iter().find(|c| c.status() == status);
        match (code, status) {
            (Some(code), _) => code,
            (None, _) => ErrorCode::Internal,
        }
    }
}

/// `{"code": "...", "message": "...", "field": "...", "field_errors": {...}, "field_problems": {...}}`.
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
    /// The same fields → the kind of problem, for a client that words it itself; a field of
    /// `field_errors` missing here has only its English.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub field_problems: BTreeMap<String, Problem>,
}

impl ErrorBody {
    /// An error about no field in particular.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorBody {
            code,
            message: message.into(),
            field: None,
            field_errors: BTreeMap::new(),
            field_problems: BTreeMap::new(),
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

    /// No wildcard: a new variant does not compile until it is listed here, and then the test
    /// below fails until it is in `ErrorCode::ALL`.
    fn listed(code: ErrorCode) -> bool {
        match code {
            ErrorCode::InvalidInput
            | ErrorCode::BadRequest
            | ErrorCode::NotFound
            | ErrorCode::MethodNotAllowed
            | ErrorCode::PayloadTooLarge
            | ErrorCode::UnsupportedMediaType
            | ErrorCode::Unauthorized
            | ErrorCode::InvalidSignature
            | ErrorCode::SignatureExpired
            | ErrorCode::InvalidGuestPass
            | ErrorCode::GuestPassExpired
            | ErrorCode::Forbidden
            | ErrorCode::ForbiddenOrigin
            | ErrorCode::StaffEmail
            | ErrorCode::IdempotencyConflict
            | ErrorCode::SpamSuspected
            | ErrorCode::RateLimited
            | ErrorCode::UpstreamUnavailable
            | ErrorCode::UpstreamTimeout
            | ErrorCode::StateUnavailable
            | ErrorCode::Internal => ErrorCode::ALL.contains(&code),
            ErrorCode::Unknown => !ErrorCode::ALL.contains(&code),
        }
    }

    #[test]
    fn every_code_has_a_status_and_bare_statuses_map_back() {
        let spelled = r#"["invalid_input","bad_request","not_found","method_not_allowed",
            "payload_too_large","unsupported_media_type","unauthorized","invalid_signature",
            "signature_expired","invalid_guest_pass","guest_pass_expired","forbidden",
            "forbidden_origin","staff_email","idempotency_conflict","spam_suspected",
            "rate_limited","upstream_unavailable","upstream_timeout","state_unavailable","internal",
            "brand_new"]"#;
        let codes: Vec<ErrorCode> = serde_json::from_str(spelled).unwrap();
        assert!(codes.iter().all(|c| listed(*c)));
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
        assert_eq!(
            codes[..ErrorCode::ALL.len()],
            ErrorCode::ALL,
            "the wire spellings, in ALL's order"
        );
        for code in ErrorCode::ALL {
            let wire = serde_json::to_value(code).unwrap();
            assert_eq!(serde_json::from_value::<ErrorCode>(wire).unwrap(), code);
            let general = ErrorCode::for_status(code.status());
            assert_eq!(general.status(), code.status(), "{code:?}");
        }
        assert_eq!(ErrorCode::for_status(401), ErrorCode::Unauthorized);
        assert_eq!(ErrorCode::for_status(403), ErrorCode::Forbidden);
        assert_eq!(ErrorCode::for_status(422), ErrorCode::InvalidInput);
        assert_eq!(ErrorCode::for_status(503), ErrorCode::StateUnavailable);
        assert_eq!(ErrorCode::for_status(418), ErrorCode::Internal);
    }

    #[test]
    fn field_problems_travel_beside_the_english() {
        let json = r#"{"code":"invalid_input","message":"m","field":"subject",
            "field_errors":{"subject":"At most 200 characters."},
            "field_problems":{"subject":{"too_long":{"max":200}}}}"#;
        let body: ErrorBody = serde_json::from_str(json).unwrap();
        assert_eq!(
            body.field_problems.get("subject"),
            Some(&Problem::TooLong { max: 200 })
        );
    }
}
