//! The one error type of the proxy: every refusal becomes a status and an `ErrorBody`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use helpdock_wire::validate::FieldErrors;
use helpdock_wire::{ErrorBody, ErrorCode};

/// The order fields appear in the widget's form, so `field` names the first one a person sees.
const FORM_ORDER: [&str; 8] = [
    "subject",
    "message",
    "user_email",
    "name",
    "company",
    "priority",
    "category_id",
    "ticket_id",
];

/// Why a request was refused. Messages are ours; upstream text never reaches a browser.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 422 `invalid_input`: fields failed our rules or the helpdesk's custom field check.
    #[error("invalid input in {} field(s)", .0.len())]
    InvalidInput(FieldErrors),
    /// 400 `bad_request`: the body or query is not what the endpoint takes (client's own input).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 404 `not_found`: no such endpoint or file, or no such ticket for this visitor.
    #[error("not found")]
    NotFound,
    /// 405 `method_not_allowed`: the endpoint exists, but not with this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 413 `payload_too_large`: the request body is over the limit.
    #[error("payload too large")]
    PayloadTooLarge,
    /// 502 `upstream_unavailable`: the helpdesk failed or answered something unusable; the
    /// cause is logged, never sent.
    #[error("upstream unavailable: {0}")]
    UpstreamUnavailable(String),
    /// 504 `upstream_timeout`: the helpdesk did not answer in time.
    #[error("upstream timed out")]
    UpstreamTimeout,
}

impl ApiError {
    /// A 422 about a single field.
    pub fn invalid_field(field: &str, message: &str) -> ApiError {
        ApiError::InvalidInput(FieldErrors::from([(field.to_owned(), message.to_owned())]))
    }

    /// The status this error answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::InvalidInput(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UpstreamUnavailable(_) => StatusCode::BAD_GATEWAY,
            ApiError::UpstreamTimeout => StatusCode::GATEWAY_TIMEOUT,
        }
    }

    /// The body a browser sees.
    pub fn body(&self) -> ErrorBody {
        match self {
            ApiError::InvalidInput(errors) => {
                let field = FORM_ORDER
                    .iter()
                    .find(|f| errors.contains_key(**f))
                    .map(|f| (*f).to_owned())
                    .or_else(|| errors.keys().next().cloned());
                ErrorBody {
                    field,
                    field_errors: errors.clone(),
                    ..ErrorBody::new(ErrorCode::InvalidInput, "Some fields need attention.")
                }
            }
            ApiError::BadRequest(detail) => ErrorBody::new(ErrorCode::BadRequest, detail.clone()),
            ApiError::NotFound => ErrorBody::new(ErrorCode::NotFound, "Not found."),
            ApiError::MethodNotAllowed => ErrorBody::new(
                ErrorCode::MethodNotAllowed,
                "This endpoint does not take this method.",
            ),
            ApiError::PayloadTooLarge => {
                ErrorBody::new(ErrorCode::PayloadTooLarge, "The request body is too large.")
            }
            ApiError::UpstreamUnavailable(_) => ErrorBody::new(
                ErrorCode::UpstreamUnavailable,
                "The helpdesk is not available right now. Please try again later.",
            ),
            ApiError::UpstreamTimeout => ErrorBody::new(
                ErrorCode::UpstreamTimeout,
                "The helpdesk did not answer in time. Please try again later.",
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
            _ => {}
        }
        (self.status(), Json(self.body())).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_the_status_its_code_documents() {
        let cases = [
            (
                ApiError::invalid_field("subject", "x"),
                422,
                ErrorCode::InvalidInput,
            ),
            (ApiError::BadRequest("b".into()), 400, ErrorCode::BadRequest),
            (ApiError::NotFound, 404, ErrorCode::NotFound),
            (ApiError::MethodNotAllowed, 405, ErrorCode::MethodNotAllowed),
            (ApiError::PayloadTooLarge, 413, ErrorCode::PayloadTooLarge),
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
    fn upstream_cause_stays_out_of_the_body() {
        let body = ApiError::UpstreamUnavailable("/var/www/secret.php line 3".into()).body();
        let json = serde_json::to_string(&body).unwrap_or_default();
        assert!(!json.contains("/var/www"), "{json}");
    }

    #[test]
    fn field_is_the_first_in_form_order() {
        let errors = FieldErrors::from([
            ("custom_fields.1".to_owned(), "a".to_owned()),
            ("user_email".to_owned(), "b".to_owned()),
            ("subject".to_owned(), "c".to_owned()),
        ]);
        let body = ApiError::InvalidInput(errors.clone()).body();
        assert_eq!(body.field.as_deref(), Some("subject"));
        assert_eq!(body.field_errors, errors);
        let only_custom = FieldErrors::from([("custom_fields.2".to_owned(), "a".to_owned())]);
        let body = ApiError::InvalidInput(only_custom).body();
        assert_eq!(body.field.as_deref(), Some("custom_fields.2"));
    }
}
