//! Requests the endpoints must never have to interpret: a query naming a parameter twice
//! (`ticket_id=1&ticket_id=2` — which one would the helpdesk use?) is `400 bad_request`.
//! Odd paths need no check here: routes match the raw path exactly, so `/api//x`, `%2e%2e`,
//! `%2F`, a trailing slash or another case fall through to the assets' JSON 404.

use crate::error::ApiError;
use axum::extract::Request;
use std::collections::BTreeSet;

/// The first parameter name `query` repeats (compared after percent-decoding), if any.
pub(crate) fn repeated_name(query: &str) -> Option<String> {
    let mut seen = BTreeSet::new();
    form_urlencoded::parse(query.as_bytes())
        .map(|(name, _)| name)
        .find(|name| !seen.insert(name.clone()))
        .map(|name| name.into_owned())
}

/// On every route: refuses repeated query parameters.
pub(super) fn check(request: &Request) -> Result<(), ApiError> {
    if let Some(name) = request.uri().query().and_then(repeated_name) {
        // The name is the client's own and at most a query's length; safe to echo, not to log.
        let name: String = name.chars().take(64).collect();
        return Err(ApiError::BadRequest(format!(
            "The parameter {name:?} is given more than once."
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_names_table() {
        let cases = [
            ("ticket_id=1", None),
            ("ticket_id=1&user_email=a%40b.c", None),
            ("", None),
            ("&&", None),
            ("ticket_id=1&ticket_id=2", Some("ticket_id")),
            ("ticket_id=1&ticket_id=1", Some("ticket_id")),
            ("user_email=a&ticket_id=1&user_email=b", Some("user_email")),
            ("ticket%5Fid=1&ticket_id=2", Some("ticket_id")),
            ("ticket_id&ticket_id=", Some("ticket_id")),
            ("a+b=1&a%20b=2", Some("a b")),
        ];
        for (query, expected) in cases {
            assert_eq!(repeated_name(query).as_deref(), expected, "{query}");
        }
    }
}
