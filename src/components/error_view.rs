//! The one place an [`ApiError`] becomes words on screen.

use crate::api::ApiError;
use crate::i18n::{Strings, use_i18n};
use helpdock_wire::ErrorCode;
use leptos::prelude::*;

/// What the visitor reads for an error, in `s`'s language: the wording for its code; the proxy's
/// own message only where it is specific (the rules' own messages are translated too).
fn describe(error: &ApiError, s: &'static Strings) -> String {
    let ApiError::Rejected(body) = error else {
        return s.error_network.into();
    };
    match body.code {
        ErrorCode::InvalidInput
            if body.field.is_some()
                || !body.field_errors.is_empty()
                || !body.field_problems.is_empty() =>
        {
            s.error_check_fields
        }
        ErrorCode::InvalidInput | ErrorCode::BadRequest => return body.message.clone(),
        ErrorCode::NotFound => s.error_not_found,
        ErrorCode::Unauthorized => s.error_unauthorized,
        ErrorCode::Forbidden => s.error_forbidden,
        ErrorCode::InvalidSignature | ErrorCode::SignatureExpired => s.error_session_expired,
        ErrorCode::InvalidGuestPass | ErrorCode::GuestPassExpired => s.error_guest_pass_expired,
        ErrorCode::ForbiddenOrigin => s.error_forbidden_origin,
        ErrorCode::StaffEmail => s.error_staff_email,
        ErrorCode::IdempotencyConflict => s.error_idempotency_conflict,
        ErrorCode::SpamSuspected => s.error_spam_suspected,
        ErrorCode::PayloadTooLarge => s.error_too_large,
        ErrorCode::RateLimited => s.error_rate_limited,
        ErrorCode::UpstreamUnavailable
        | ErrorCode::UpstreamTimeout
        | ErrorCode::StateUnavailable => s.error_upstream,
        // Never for this widget's own requests: a proxy and widget that disagree.
        ErrorCode::MethodNotAllowed
        | ErrorCode::UnsupportedMediaType
        | ErrorCode::Internal
        | ErrorCode::Unknown => s.error_internal,
    }
    .into()
}

/// Renders `error` as an alert; `testid` names it for the tests (`form-error`, `reply-error`, …).
pub fn error_view(error: ApiError, testid: &'static str) -> impl IntoView {
    let t = use_i18n();
    view! {
        <p class="hd-alert" role="alert" data-testid=testid>
            {move || describe(&error, t.get())}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use helpdock_wire::ErrorBody;
    use helpdock_wire::validate::Problem;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn wording_per_kind() {
        let rejected = |code, message: &str| ApiError::Rejected(ErrorBody::new(code, message));
        let describe = |error: &ApiError| describe(error, crate::i18n::for_tag("en"));
        assert!(describe(&ApiError::Network).contains("connection"));
        assert_eq!(
            describe(&rejected(ErrorCode::InvalidInput, "Bad date.")),
            "Bad date."
        );
        let with_fields = ApiError::invalid([("subject".into(), Problem::Required)].into());
        assert!(describe(&with_fields).contains("fields marked"));
        let mut only_kinds = ErrorBody::new(ErrorCode::InvalidInput, "Fix.");
        only_kinds
            .field_problems
            .insert("subject".into(), Problem::Required);
        assert!(describe(&ApiError::Rejected(only_kinds)).contains("fields marked"));
        assert!(describe(&rejected(ErrorCode::Internal, "panic at x.rs:1")).contains("went wrong"));
        assert!(describe(&rejected(ErrorCode::UpstreamTimeout, "")).contains("isn't answering"));
        assert!(
            describe(&rejected(ErrorCode::SignatureExpired, "")).contains("session has expired")
        );
        assert!(
            describe(&rejected(ErrorCode::InvalidSignature, "")).contains("session has expired")
        );
    }

    #[test]
    fn each_locale_words_refusals_by_code() {
        let rejected = |code, message: &str| ApiError::Rejected(ErrorBody::new(code, message));
        let de = crate::i18n::for_tag("de");
        assert_eq!(
            describe(&rejected(ErrorCode::RateLimited, "Slow down."), de),
            de.error_rate_limited
        );
        assert_eq!(describe(&ApiError::Network, de), de.error_network);
        let ja = crate::i18n::for_tag("ja");
        assert_eq!(
            describe(&rejected(ErrorCode::GuestPassExpired, ""), ja),
            ja.error_guest_pass_expired
        );
        // Field problems are worded per field (`Finding`); a message about no field is shown as
        // it came.
        assert_eq!(
            describe(&rejected(ErrorCode::InvalidInput, "Bad date."), de),
            "Bad date."
        );
    }
}
