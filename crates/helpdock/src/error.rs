//! The one error type of the proxy: every refusal becomes a status and an `ErrorBody`.

use crate::state::StateUnavailable;
use axum::Json;
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use helpdock_wire::validate::{FieldProblems, Problem, messages};
use helpdock_wire::{ErrorBody, ErrorCode, NewTicket};

/// The fields a refusal's `field` may name first, in the order a person meets them: the form's,
/// then a reply's ticket.
pub(crate) fn form_order() -> impl Iterator<Item = &'static str> {
    NewTicket::FORM_FIELDS.into_iter().chain(["ticket_id"])
}

/// Why a request was refused. Messages are ours; upstream text never reaches a browser.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 422 `invalid_input`: fields failed our rules or the helpdesk's custom field check.
    #[error("invalid input in {} field(s)", .0.len())]
    InvalidInput(FieldProblems),
    /// 400 `bad_request`: the body or query is not what the endpoint takes (client's own input).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 400 `bad_request` about one of our fields: its value is not one this endpoint takes.
    #[error("bad request in {field}")]
    BadField {
        /// The field, as named in protocol.md (never the client's own spelling).
        field: &'static str,
        /// Our wording of what is wrong.
        message: &'static str,
    },
    /// 401 `unauthorized`: list, view or reply without any identity.
    #[error("no visitor identity")]
    Unauthorized,
    /// 401 `invalid_signature`: the identity signature is wrong or for another email.
    #[error("invalid identity signature")]
    InvalidSignature,
    /// 401 `signature_expired`: the identity signature's `expires` has passed.
    #[error("identity signature expired")]
    SignatureExpired,
    /// 401 `invalid_guest_pass`: the guest pass is forged, tampered with, or from another site.
    #[error("invalid guest pass")]
    InvalidGuestPass,
    /// 401 `guest_pass_expired`: the guest pass is too old.
    #[error("guest pass expired")]
    GuestPassExpired,
    /// 403 `staff_email`: a staff member's email cannot act as a visitor.
    #[error("staff email as visitor")]
    StaffEmail,
    /// 403 `forbidden_origin`: the request's `Origin` is neither the proxy's nor its site's.
    #[error("forbidden origin")]
    ForbiddenOrigin,
    /// 404 `not_found`: no such endpoint or file, or no such ticket for this visitor.
    #[error("not found")]
    NotFound,
    /// 405 `method_not_allowed`: the endpoint exists, but not with this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 409 `idempotency_conflict`: the `Idempotency-Key` came before with a different request.
    #[error("idempotency key reused for another request")]
    IdempotencyConflict,
    /// 413 `payload_too_large`: the request body is over the limit.
    #[error("payload too large")]
    PayloadTooLarge,
    /// 415 `unsupported_media_type`: a body not sent as exactly one `application/json`.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// 422 `spam_suspected`: the honeypot was filled, or the form sent faster than a person can.
    #[error("spam suspected")]
    SpamSuspected,
    /// 429 `rate_limited`, with `Retry-After`: too many creates or replies from this client.
    #[error("rate limited for {retry_after_secs} s")]
    RateLimited {
        /// Whole seconds until the next request would be accepted (at least 1).
        retry_after_secs: u64,
    },
    /// 500 `internal`: a fault in Helpdock itself; the cause is logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
    /// 502 `upstream_unavailable`: the helpdesk failed or answered something unusable; the
    /// cause is logged, never sent.
    #[error("upstream unavailable: {0}")]
    UpstreamUnavailable(String),
    /// 504 `upstream_timeout`: the helpdesk did not answer in time.
    #[error("upstream timed out")]
    UpstreamTimeout,
    /// 503 `state_unavailable` with `Retry-After`: the shared state (Redis) cannot be reached,
    /// so a write is refused rather than risked twice; the cause is logged, never sent.
    #[error("{0}")]
    StateUnavailable(#[from] StateUnavailable),
    /// 504 `upstream_timeout` with `Retry-After`: an earlier attempt with this key lost its
    /// answer and the helpdesk may still be writing it; a retry after the wait looks for it.
    #[error("an earlier attempt may still be written for {0:?}")]
    StillSettling(std::time::Duration),
}

impl ApiError {
    /// A 422 about a single field.
    pub fn invalid_field(field: &str, problem: Problem) -> ApiError {
        ApiError::InvalidInput(FieldProblems::from([(field.to_owned(), problem)]))
    }

    /// The wire code, which also fixes the status (`ErrorCode::status`).
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::InvalidInput(_) => ErrorCode::InvalidInput,
            ApiError::BadRequest(_) | ApiError::BadField { .. } => ErrorCode::BadRequest,
            ApiError::Unauthorized => ErrorCode::Unauthorized,
            ApiError::InvalidSignature => ErrorCode::InvalidSignature,
            ApiError::SignatureExpired => ErrorCode::SignatureExpired,
            ApiError::InvalidGuestPass => ErrorCode::InvalidGuestPass,
            ApiError::GuestPassExpired => ErrorCode::GuestPassExpired,
            ApiError::StaffEmail => ErrorCode::StaffEmail,
            ApiError::ForbiddenOrigin => ErrorCode::ForbiddenOrigin,
            ApiError::NotFound => ErrorCode::NotFound,
            ApiError::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            ApiError::IdempotencyConflict => ErrorCode::IdempotencyConflict,
            ApiError::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            ApiError::UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
            ApiError::SpamSuspected => ErrorCode::SpamSuspected,
            ApiError::RateLimited { .. } => ErrorCode::RateLimited,
            ApiError::Internal(_) => ErrorCode::Internal,
            ApiError::UpstreamUnavailable(_) => ErrorCode::UpstreamUnavailable,
            ApiError::UpstreamTimeout | ApiError::StillSettling(_) => ErrorCode::UpstreamTimeout,
            ApiError::StateUnavailable(_) => ErrorCode::StateUnavailable,
        }
    }

    /// The status this error answers with.
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.code().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The body a browser sees.
    pub fn body(&self) -> ErrorBody {
        match self {
            ApiError::InvalidInput(problems) => {
                let field = form_order()
                    .find(|f| problems.contains_key(*f))
                    .map(str::to_owned)
                    .or_else(|| problems.keys().next().cloned());
                ErrorBody {
                    field,
                    field_errors: messages(problems),
                    field_problems: problems.clone(),
                    ..ErrorBody::new(ErrorCode::InvalidInput, "Some fields need attention.")
                }
            }
            ApiError::BadRequest(detail) => ErrorBody::new(ErrorCode::BadRequest, detail.clone()),
            ApiError::BadField { field, message } => ErrorBody {
                field: Some((*field).to_owned()),
                ..ErrorBody::new(ErrorCode::BadRequest, *message)
            },
            ApiError::Unauthorized => ErrorBody::new(
                ErrorCode::Unauthorized,
                "Say who you are: send X-Helpdock-Identity or X-Helpdock-Guest-Pass.",
            ),
            ApiError::InvalidSignature => ErrorBody::new(
                ErrorCode::InvalidSignature,
                "The identity signature is not valid for this email.",
            ),
            ApiError::SignatureExpired => ErrorBody::new(
                ErrorCode::SignatureExpired,
                "The identity signature has expired. Sign in again.",
            ),
            ApiError::InvalidGuestPass => {
                ErrorBody::new(ErrorCode::InvalidGuestPass, "The guest pass is not valid.")
            }
            ApiError::GuestPassExpired => ErrorBody::new(
                ErrorCode::GuestPassExpired,
                "The guest pass has expired. File a new ticket to get a new one.",
            ),
            ApiError::StaffEmail => ErrorBody::new(
                ErrorCode::StaffEmail,
                "A support agent's email cannot be used here.",
            ),
            ApiError::ForbiddenOrigin => ErrorBody::new(
                ErrorCode::ForbiddenOrigin,
                "This page's origin may not use this support widget.",
            ),
            ApiError::NotFound => ErrorBody::new(ErrorCode::NotFound, "Not found."),
            ApiError::MethodNotAllowed => ErrorBody::new(
                ErrorCode::MethodNotAllowed,
                "This endpoint does not take this method.",
            ),
            ApiError::IdempotencyConflict => ErrorBody::new(
                ErrorCode::IdempotencyConflict,
                "This Idempotency-Key was already used for a different request.",
            ),
            ApiError::PayloadTooLarge => {
                ErrorBody::new(ErrorCode::PayloadTooLarge, "The request body is too large.")
            }
            ApiError::UnsupportedMediaType => ErrorBody::new(
                ErrorCode::UnsupportedMediaType,
                "Send the body as JSON with Content-Type: application/json.",
            ),
            ApiError::SpamSuspected => ErrorBody::new(
                ErrorCode::SpamSuspected,
                "This looks automated. Please take a moment and send the form again.",
            ),
            ApiError::RateLimited { retry_after_secs } => ErrorBody::new(
                ErrorCode::RateLimited,
                format!("Too many requests. Please try again in {retry_after_secs} seconds."),
            ),
            ApiError::Internal(_) => ErrorBody::new(
                ErrorCode::Internal,
                "Something went wrong on our side. Please try again later.",
            ),
            ApiError::UpstreamUnavailable(_) => ErrorBody::new(
                ErrorCode::UpstreamUnavailable,
                "The helpdesk is not available right now. Please try again later.",
            ),
            ApiError::UpstreamTimeout => ErrorBody::new(
                ErrorCode::UpstreamTimeout,
                "The helpdesk did not answer in time. Please try again later.",
            ),
            ApiError::StillSettling(_) => ErrorBody::new(
                ErrorCode::UpstreamTimeout,
                "The helpdesk has not confirmed your last attempt yet. It is kept; trying again shortly.",
            ),
            ApiError::StateUnavailable(_) => ErrorBody::new(
                ErrorCode::StateUnavailable,
                "We cannot take this right now. Nothing was sent; please try again in a moment.",
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // The one place a 5xx cause is logged; the body stays generic.
        match &self {
            ApiError::UpstreamUnavailable(cause) => tracing::error!(%cause, "upstream unavailable"),
            ApiError::UpstreamTimeout => tracing::warn!("upstream timed out"),
            ApiError::Internal(cause) => tracing::error!(%cause, "internal error"),
            ApiError::StateUnavailable(cause) => tracing::error!(%cause, "write refused"),
            _ => {}
        }
        let status = self.status();
        if status.is_client_error() {
            metrics::counter!("helpdock_refusals_total", "code" => self.code().as_str())
                .increment(1);
        }
        let mut response = (status, Json(self.body())).into_response();
        let retry_after = match self {
            ApiError::RateLimited { retry_after_secs } => Some(retry_after_secs),
            ApiError::StateUnavailable(_) => Some(crate::state::RETRY_AFTER.as_secs()),
            // Rounded up: a retry a moment too early would only be told to wait again.
            ApiError::StillSettling(wait) => Some(wait.as_secs() + 1),
            _ => None,
        };
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_the_status_its_code_documents() {
        let cases = [
            (
                ApiError::invalid_field("subject", Problem::Required),
                422,
                ErrorCode::InvalidInput,
            ),
            (ApiError::BadRequest("b".into()), 400, ErrorCode::BadRequest),
            (
                ApiError::BadField {
                    field: "ticket_id",
                    message: "m",
                },
                400,
                ErrorCode::BadRequest,
            ),
            (ApiError::Unauthorized, 401, ErrorCode::Unauthorized),
            (ApiError::InvalidSignature, 401, ErrorCode::InvalidSignature),
            (ApiError::SignatureExpired, 401, ErrorCode::SignatureExpired),
            (ApiError::InvalidGuestPass, 401, ErrorCode::InvalidGuestPass),
            (ApiError::GuestPassExpired, 401, ErrorCode::GuestPassExpired),
            (ApiError::StaffEmail, 403, ErrorCode::StaffEmail),
            (ApiError::ForbiddenOrigin, 403, ErrorCode::ForbiddenOrigin),
            (ApiError::NotFound, 404, ErrorCode::NotFound),
            (
                ApiError::IdempotencyConflict,
                409,
                ErrorCode::IdempotencyConflict,
            ),
            (ApiError::SpamSuspected, 422, ErrorCode::SpamSuspected),
            (
                ApiError::RateLimited {
                    retry_after_secs: 7,
                },
                429,
                ErrorCode::RateLimited,
            ),
            (ApiError::Internal("x".into()), 500, ErrorCode::Internal),
            (ApiError::MethodNotAllowed, 405, ErrorCode::MethodNotAllowed),
            (ApiError::PayloadTooLarge, 413, ErrorCode::PayloadTooLarge),
            (
                ApiError::UnsupportedMediaType,
                415,
                ErrorCode::UnsupportedMediaType,
            ),
            (
                ApiError::UpstreamUnavailable("boom".into()),
                502,
                ErrorCode::UpstreamUnavailable,
            ),
            (ApiError::UpstreamTimeout, 504, ErrorCode::UpstreamTimeout),
        ];
        for (err, status, code) in cases {
            assert_eq!(
                (err.status().as_u16(), err.body().code),
                (status, code),
                "{err:?}"
            );
        }
    }

    #[test]
    fn rate_limited_answers_carry_retry_after() {
        let response = ApiError::RateLimited {
            retry_after_secs: 42,
        }
        .into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[RETRY_AFTER], "42");
    }

    #[test]
    fn upstream_cause_stays_out_of_the_body() {
        let body = ApiError::UpstreamUnavailable("/var/www/secret.php line 3".into()).body();
        let json = serde_json::to_string(&body).unwrap_or_default();
        assert!(!json.contains("/var/www"), "{json}");
    }

    #[test]
    fn field_is_the_first_in_form_order() {
        let problems = FieldProblems::from([
            ("custom_fields.1".to_owned(), Problem::Required),
            ("subject".to_owned(), Problem::TooLong { max: 200 }),
            ("user_email".to_owned(), Problem::InvalidEmail),
        ]);
        let body = ApiError::InvalidInput(problems.clone()).body();
        assert_eq!(body.field.as_deref(), Some("user_email"));
        assert_eq!(body.field_problems, problems);
        assert_eq!(
            body.field_errors.get("subject").map(String::as_str),
            Some("At most 200 characters.")
        );
        let only_custom = FieldProblems::from([("custom_fields.2".to_owned(), Problem::Required)]);
        let body = ApiError::InvalidInput(only_custom).body();
        assert_eq!(body.field.as_deref(), Some("custom_fields.2"));
    }
}
