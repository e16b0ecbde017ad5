//! The one place an [`ApiError`] becomes words on screen.

use crate::api::ApiError;
use helpdock_wire::ErrorCode;
use leptos::prelude::*;

/// What the visitor reads for an error; the proxy's own message only where it is specific.
fn describe(error: &ApiError) -> String {
    let ApiError::Rejected(body) = error else {
        return "We couldn't reach support. Check your connection and try again.".into();
    };
    match body.code {
        ErrorCode::InvalidInput if body.field.is_some() || !body.field_errors.is_empty() => {
            "Please check the fields marked below.".into()
        }
        ErrorCode::InvalidInput | ErrorCode::BadRequest => body.message.clone(),
        ErrorCode::NotFound => "We couldn't find that ticket.".into(),
        ErrorCode::Unauthorized => {
            "We don't know who you are yet. Sign in on this site, or send a ticket from this browser.".into()
        }
        ErrorCode::Forbidden => "You can't do that here.".into(),
        ErrorCode::InvalidSignature | ErrorCode::SignatureExpired => {
            "Your session has expired. Please reload the page, or sign in again.".into()
        }
        ErrorCode::InvalidGuestPass | ErrorCode::GuestPassExpired => {
            "Access to your tickets from this browser has expired. We'll still answer them by email.".into()
        }
        ErrorCode::ForbiddenOrigin => "Support can't be reached from this website.".into(),
        ErrorCode::StaffEmail => "That address belongs to our support team. Please use your own.".into(),
        // The key's earlier version was filed; a new key is used if the visitor sends again.
        ErrorCode::IdempotencyConflict => {
            "An earlier version of this was already received. Check your tickets before you send it again.".into()
        }
        ErrorCode::SpamSuspected => "That was quick! Please check your message and send it again.".into(),
        ErrorCode::PayloadTooLarge => "That is too long to send. Please shorten it.".into(),
        ErrorCode::RateLimited => "Too many requests. Please wait a minute and try again.".into(),
        ErrorCode::UpstreamUnavailable | ErrorCode::UpstreamTimeout => {
            "The help desk isn't answering right now. Please try again in a moment.".into()
        }
        ErrorCode::MethodNotAllowed | ErrorCode::Internal | ErrorCode::Unknown => {
            "Something went wrong on our side. Please try again.".into()
        }
    }
}

/// Renders `error` as an alert; `testid` names it for the tests (`form-error`, `reply-error`, …).
#[component]
pub fn ErrorView(error: ApiError, testid: &'static str) -> impl IntoView {
    view! {
        <p class="hd-alert" role="alert" data-testid=testid>
            {describe(&error)}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use helpdock_wire::ErrorBody;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn wording_per_kind() {
        let rejected = |code, message: &str| ApiError::Rejected(ErrorBody::new(code, message));
        assert!(describe(&ApiError::Network).contains("connection"));
        assert_eq!(
            describe(&rejected(ErrorCode::InvalidInput, "Bad date.")),
            "Bad date."
        );
        let with_fields = ApiError::invalid([("subject".into(), "Required.".into())].into());
        assert!(describe(&with_fields).contains("fields marked"));
        assert!(describe(&rejected(ErrorCode::Internal, "panic at x.rs:1")).contains("went wrong"));
        assert!(describe(&rejected(ErrorCode::UpstreamTimeout, "")).contains("isn't answering"));
        assert!(
            describe(&rejected(ErrorCode::SignatureExpired, "")).contains("session has expired")
        );
        assert!(
            describe(&rejected(ErrorCode::InvalidSignature, "")).contains("session has expired")
        );
    }
}
