//! Cheap bot filters on `tickets_create.php`, run before any upstream call: the honeypot
//! `website` field must be empty, and a form sent faster than a person can fill it is refused.
//! Clients that do not measure (curl, apps) leave `elapsed_ms` out and are not timed.

use super::{Perimeter, read_body};
use crate::error::ApiError;
use crate::routes::MAX_BODY_BYTES;
use axum::body::Body;
use axum::extract::Request;
use serde::Deserialize;
use std::time::Duration;

/// The two fields this check reads; everything else is the handler's business.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct BotSignals {
    /// The honeypot.
    #[serde(default)]
    website: String,
    /// Milliseconds on the form, as the widget measured them.
    #[serde(default)]
    elapsed_ms: Option<u64>,
}

impl BotSignals {
    /// Refuses a filled honeypot or a form filled in less than `min_fill`.
    pub(crate) fn check(&self, min_fill: Duration) -> Result<(), ApiError> {
        let too_fast = self
            .elapsed_ms
            .is_some_and(|ms| Duration::from_millis(ms) < min_fill);
        if !self.website.is_empty() || too_fast {
            return Err(ApiError::SpamSuspected);
        }
        Ok(())
    }
}

/// On the create route: reads the body once, checks it, and hands the request on.
pub(super) async fn check(perimeter: &Perimeter, request: Request) -> Result<Request, ApiError> {
    let (parts, body) = request.into_parts();
    let bytes = read_body(body, MAX_BODY_BYTES).await?;
    // A body that is not a ticket is the handler's to refuse (400), with its better message.
    if let Ok(signals) = serde_json::from_slice::<BotSignals>(&bytes) {
        signals.check(perimeter.limits().min_fill())?;
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_table() {
        let min = Duration::from_millis(2000);
        let cases = [
            (r#"{"subject":"s"}"#, true),
            (r#"{"website":""}"#, true),
            (r#"{"website":"http://spam.example"}"#, false),
            (r#"{"website":" "}"#, false),
            (r#"{"elapsed_ms":1999}"#, false),
            (r#"{"elapsed_ms":0}"#, false),
            (r#"{"elapsed_ms":2000}"#, true),
            (r#"{"elapsed_ms":600000}"#, true),
            (r#"{"elapsed_ms":null}"#, true),
            (r#"{"website":"x","elapsed_ms":5000}"#, false),
        ];
        for (body, passes) in cases {
            let signals: BotSignals = serde_json::from_str(body).expect(body);
            let verdict = signals.check(min);
            assert_eq!(verdict.is_ok(), passes, "{body}");
            if let Err(e) = verdict {
                assert!(matches!(e, ApiError::SpamSuspected), "{body}: {e:?}");
            }
        }
    }

    #[test]
    fn a_zero_minimum_times_nobody() {
        let signals: BotSignals = serde_json::from_str(r#"{"elapsed_ms":0}"#).expect("json");
        assert!(signals.check(Duration::ZERO).is_ok());
    }
}
