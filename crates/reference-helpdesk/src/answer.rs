//! What a script answers, rendered the way PHP puts it on the wire.

use crate::quirks::Quirks;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

/// PHP died with a fatal error (a TypeError, a PDOException): it wrote no JSON at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Crash;

impl From<rusqlite::Error> for Crash {
    fn from(error: rusqlite::Error) -> Self {
        // The wire shows nothing of the cause (like PHP with display_errors off): log it once here.
        tracing::error!(%error, "reference helpdesk: database error, answering as a PHP crash");
        Crash
    }
}

/// A script's outcome, before rendering.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Answer {
    /// HTTP 200 `{"success":true, …fields}`.
    Success(Map<String, Value>),
    /// HTTP 200 `{"success":false, "error": …, …fields}`: PHP reports application errors as 200.
    Failure(Map<String, Value>),
    /// HTTP 401 `{"success":false,"error":"Unauthorized"}`.
    Unauthorized,
    /// A fatal error: HTTP 500 with an empty JSON-typed body, or the HTML page of `display_errors`.
    Crash,
    /// The web server's own 404 for a script that does not exist.
    NotFound,
}

impl Answer {
    /// A success carrying `fields` beside `"success": true`.
    pub(crate) fn success<const N: usize>(fields: [(&str, Value); N]) -> Self {
        Answer::Success(to_map(fields))
    }

    /// An application error with the script's exact `text`.
    pub(crate) fn error(text: &str) -> Self {
        Answer::Failure(to_map([("error", Value::from(text))]))
    }

    /// Renders the answer of `script` on a host with `quirks`.
    pub(crate) fn render(self, script: &str, quirks: Quirks) -> Response {
        match self {
            Answer::Success(fields) => json(StatusCode::OK, true, fields),
            Answer::Failure(fields) => json(StatusCode::OK, false, fields),
            Answer::Unauthorized => {
                json(StatusCode::UNAUTHORIZED, false, to_map([("error", "Unauthorized".into())]))
            }
            Answer::Crash if quirks.display_errors => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "text/html; charset=UTF-8")],
                crash_page(script),
            )
                .into_response(),
            // PHP had already sent its JSON header when it died, so the empty body still claims JSON.
            Answer::Crash => (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "application/json")],
            )
                .into_response(),
            Answer::NotFound => (
                StatusCode::NOT_FOUND,
                [(header::CONTENT_TYPE, "text/html; charset=iso-8859-1")],
                "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n",
            )
                .into_response(),
        }
    }
}

fn to_map<const N: usize>(fields: [(&str, Value); N]) -> Map<String, Value> {
    fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

fn json(status: StatusCode, success: bool, fields: Map<String, Value>) -> Response {
    let mut body = Map::with_capacity(fields.len() + 1);
    body.insert("success".to_owned(), Value::Bool(success));
    body.extend(fields);
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        Value::Object(body).to_string(),
    )
        .into_response()
}

/// What PHP prints for an uncaught exception with `display_errors=On`: server paths included, which
/// is exactly what a proxy must never pass on.
fn crash_page(script: &str) -> String {
    format!(
        "<br />\n<b>Fatal error</b>:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused \
         in /var/www/supportengine/includes/db.php:14\nStack trace:\n\
         #0 /var/www/supportengine/includes/db.php(14): PDO-&gt;__construct('mysql:host=127.0...', 'se_app', Object(SensitiveParameterValue))\n\
         #1 /var/www/supportengine/api/{script}(3): require_once('/var/www/support...')\n\
         #2 {{main}}\n  thrown in <b>/var/www/supportengine/includes/db.php</b> on line <b>14</b><br />\n"
    )
}
