//! HTTP to the helpdesk: one request built from scratch per call, the token added here and
//! nowhere else, and every answer classified before anything reads it.

use super::UpstreamError;
use super::time::HelpdeskTimeZone;
use super::transport::{Failure, MAX_RESPONSE_BYTES, Transport};
use crate::secret::Secret;
use axum::http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use axum::http::{HeaderValue, Method, Request, StatusCode, Uri};
use reqwest::Url;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Who calls, in the helpdesk's access log.
const USER_AGENT_VALUE: &str = concat!("helpdock/", env!("CARGO_PKG_VERSION"));

/// Where the helpdesk is and how to talk to it.
#[derive(Clone, Debug)]
pub struct UpstreamConfig {
    /// The helpdesk's API base, ending in `/` (e.g. `https://helpdesk.example.com/api/`).
    pub base_url: Url,
    /// The helpdesk's API token.
    pub token: Secret,
    /// How long one call may take, connecting and reading included.
    pub timeout: Duration,
    /// The zone the helpdesk writes its (zone-less) times in.
    pub time_zone: HelpdeskTimeZone,
}

/// The only client of the helpdesk; cheap to clone (one shared part: handlers' state is cloned
/// for every request).
#[derive(Clone, Debug)]
pub struct Upstream {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: Transport,
    base_url: Url,
    /// Each script's URL, joined once rather than for every call.
    scripts: Vec<(&'static str, Uri)>,
    /// `Bearer <token>`, marked sensitive; `None` if the token cannot be a header value.
    bearer: Option<HeaderValue>,
    time_zone: HelpdeskTimeZone,
    /// When the helpdesk last answered (the readiness probe need not ask while it does).
    answered: LastAnswer,
}

/// The time of the helpdesk's latest usable answer, as milliseconds since `since` (0: none yet).
#[derive(Debug)]
struct LastAnswer {
    since: Instant,
    millis: AtomicU64,
}

impl LastAnswer {
    fn new() -> LastAnswer {
        LastAnswer {
            since: Instant::now(),
            millis: AtomicU64::new(0),
        }
    }

    fn record(&self) {
        let millis = u64::try_from(self.since.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.millis.fetch_max(millis.max(1), Ordering::Relaxed);
    }

    fn get(&self) -> Option<Instant> {
        match self.millis.load(Ordering::Relaxed) {
            0 => None,
            millis => Some(self.since + Duration::from_millis(millis)),
        }
    }
}

/// How a call sends its parameters.
pub(super) enum Params<'a> {
    /// `GET` with no parameters (the catalog scripts).
    None,
    /// `POST` as `application/x-www-form-urlencoded`, the way the official SDKs talk.
    Form(&'a [(&'a str, String)]),
}

impl Upstream {
    /// A client for `config` (connections are made on the first calls).
    pub fn new(config: UpstreamConfig) -> Upstream {
        let scripts = SCRIPTS
            .iter()
            .filter_map(|script| Some((*script, script_uri(&config.base_url, script).ok()?)))
            .collect();
        let bearer = HeaderValue::try_from(format!("Bearer {}", config.token.expose()))
            .ok()
            .map(|mut value| {
                value.set_sensitive(true);
                value
            });
        Upstream {
            inner: Arc::new(Inner {
                http: Transport::new(config.timeout),
                base_url: config.base_url,
                scripts,
                bearer,
                time_zone: config.time_zone,
                answered: LastAnswer::new(),
            }),
        }
    }

    /// The zone the helpdesk's times are read in.
    pub(super) fn time_zone(&self) -> &HelpdeskTimeZone {
        &self.inner.time_zone
    }

    /// When the helpdesk last gave a usable answer (`success` true or false), if it has.
    pub fn last_answer(&self) -> Option<Instant> {
        self.inner.answered.get()
    }

    /// Calls `script` (e.g. `tickets_create.php`) and decodes its `success:true` answer as `T`;
    /// counts the call by script and outcome, and times it.
    pub(super) async fn call<T: DeserializeOwned + Succeeded>(
        &self,
        script: &'static str,
        params: Params<'_>,
    ) -> Result<T, UpstreamError> {
        let started = Instant::now();
        let result = self.exchange(script, params).await;
        let outcome = match &result {
            Ok(_) => "ok",
            Err(e) => e.outcome(),
        };
        if matches!(outcome, "ok" | "rejected") {
            self.inner.answered.record();
        }
        if crate::operations::metrics::recording() {
            metrics::counter!("helpdock_upstream_calls_total", "script" => script, "outcome" => outcome)
                .increment(1);
            metrics::histogram!("helpdock_upstream_call_duration_seconds", "script" => script)
                .record(started.elapsed().as_secs_f64());
        }
        result
    }

    async fn exchange<T: DeserializeOwned + Succeeded>(
        &self,
        script: &str,
        params: Params<'_>,
    ) -> Result<T, UpstreamError> {
        let uri = match self.inner.scripts.iter().find(|(name, _)| *name == script) {
            Some((_, uri)) => uri.clone(),
            None => script_uri(&self.inner.base_url, script)
                .map_err(|e| UpstreamError::Unavailable(format!("{script}: bad URL: {e}")))?,
        };
        let bearer = self.inner.bearer.clone().ok_or_else(|| {
            UpstreamError::Unavailable("the upstream token is not a valid header value".into())
        })?;
        let (method, body) = match params {
            Params::None => (Method::GET, String::new()),
            Params::Form(fields) => {
                let form = serde_urlencoded::to_string(fields).map_err(|e| {
                    UpstreamError::Unavailable(format!("{script}: encoding the form: {e}"))
                })?;
                (Method::POST, form)
            }
        };
        // Built in place: `Request::builder` moves its whole state along with every header.
        let mut request = Request::new(body);
        *request.uri_mut() = uri;
        let headers = request.headers_mut();
        // Room for these four at once: an empty map grows twice.
        headers.reserve(4);
        headers.insert(AUTHORIZATION, bearer);
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
        if method == Method::POST {
            headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            );
        }
        *request.method_mut() = method;
        let answer = self
            .inner
            .http
            .send(request)
            .await
            .map_err(|failure| match failure {
                Failure::Timeout => UpstreamError::Timeout,
                Failure::Unreachable(cause) => {
                    UpstreamError::Unreachable(format!("{script}: {cause}"))
                }
                Failure::TooLarge => UpstreamError::Unavailable(format!(
                    "{script}: answer over {MAX_RESPONSE_BYTES} bytes"
                )),
            })?;
        let (status, content_type, body) = (answer.status, answer.content_type, answer.body);
        // The usual answer, a 2xx JSON object (the `{` test keeps serde from reading an array as
        // the struct) whose one `success` is true, is read in one pass; anything else takes the
        // long way below, which words the failure.
        if status.is_success()
            && body.trim_ascii_start().first() == Some(&b'{')
            && let Ok(answer) = serde_json::from_slice::<T>(&body)
            && answer.succeeded()
        {
            return Ok(answer);
        }
        let content_type = content_type.as_ref().and_then(|v| v.to_str().ok());
        classify(status, content_type.unwrap_or(""), &body).map_err(|e| e.context(script))?;
        // Decoded from the bytes, not the classified `Value`, to keep the order of JSON objects.
        // serde's message may quote the answer's values (emails among them): position only.
        serde_json::from_slice(&body).map_err(|e| {
            UpstreamError::Unavailable(format!(
                "{script}: unexpected answer shape ({:?} error at line {} column {}), {}",
                e.classify(),
                e.line(),
                e.column(),
                fingerprint(&body)
            ))
        })
    }
}

/// The URI of `script` under the API base `base`.
fn script_uri(base: &Url, script: &str) -> Result<Uri, String> {
    let url = base.join(script).map_err(|e| e.to_string())?;
    url.as_str()
        .parse()
        .map_err(|e: axum::http::uri::InvalidUri| e.to_string())
}

/// An answer shape that reads the answer's `success` along with the rest.
pub(super) trait Succeeded {
    /// Whether the answer said `success: true` (spelt any way the helpdesk spells it).
    fn succeeded(&self) -> bool;
}

/// The token check's answer, read whole: always checked the long way.
impl Succeeded for Value {
    fn succeeded(&self) -> bool {
        false
    }
}

/// The scripts the proxy calls (`upstream/mod.rs`), whose URLs are joined once.
const SCRIPTS: [&str; 6] = [
    "tickets_create.php",
    "tickets_list.php",
    "ticket_view.php",
    "ticket_reply.php",
    "ticket_categories.php",
    "ticket_custom_fields.php",
];

/// Only the `success` of an answer, every other member skipped unread: the usual answer is
/// classified without building its whole tree (the typed decoding reads it next).
#[derive(Deserialize)]
struct Success {
    #[serde(deserialize_with = "helpdock_wire::lenient::bool_from_any")]
    success: bool,
}

/// Decides what an answer means: usable object, application error, or upstream failure.
pub(super) fn classify(
    status: StatusCode,
    content_type: &str,
    body: &[u8],
) -> Result<(), UpstreamError> {
    // The common case, decided cheaply: a JSON object whose one `success` is true. (The `{` test
    // keeps serde from reading an array as the struct.) Everything else takes the long way, which
    // words the failure.
    if status.is_success()
        && body.trim_ascii_start().first() == Some(&b'{')
        && serde_json::from_slice::<Success>(body).is_ok_and(|answer| answer.success)
    {
        return Ok(());
    }
    let unavailable = |what: String| Err(UpstreamError::Unavailable(what));
    if !status.is_success() {
        let hint = if status == StatusCode::UNAUTHORIZED {
            " (is the upstream token right?)"
        } else {
            ""
        };
        let cause = format!("HTTP {status}{hint}, {} byte body", body.len());
        return match status.is_server_error() {
            true => Err(UpstreamError::ServerError(cause)),
            false => unavailable(cause),
        };
    }
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        // With display_errors on, PHP answers 200 with an HTML page (server paths included).
        Err(_) => {
            return unavailable(format!(
                "HTTP {status} {content_type:?} body is not JSON: {}",
                fingerprint(body)
            ));
        }
    };
    let Value::Object(mut object) = value else {
        return unavailable(format!(
            "HTTP {status} JSON is not an object: {}",
            fingerprint(body)
        ));
    };
    let success = object
        .get("success")
        .map(|v| helpdock_wire::lenient::bool_from_any(v.clone()));
    match success {
        Some(Ok(true)) => Ok(()),
        Some(Ok(false)) => Err(UpstreamError::Rejected {
            error: object
                .remove("error")
                .and_then(|e| e.as_str().map(str::to_owned))
                .unwrap_or_default(),
            custom_field_errors: custom_field_errors(object.remove("custom_field_errors")),
        }),
        _ => unavailable(format!(
            "HTTP {status} JSON without a boolean `success`: {}",
            fingerprint(body)
        )),
    }
}

/// The `custom_field_errors` of a failed create, keyed by field id; keys that are not ids are dropped.
fn custom_field_errors(value: Option<Value>) -> BTreeMap<u64, String> {
    let Some(Value::Object(map)) = value else {
        return BTreeMap::new();
    };
    map.into_iter()
        .filter_map(|(k, v)| {
            Some((
                k.trim().parse().ok()?,
                v.as_str().unwrap_or_default().to_owned(),
            ))
        })
        .collect()
}

/// What the log may say of an upstream answer: its length and a hash, never its text (it can hold
/// visitors' emails, messages and server paths). The hash tells two answers apart, and an operator
/// holding the answer can match it.
pub(super) fn fingerprint(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!(
        "{} bytes, sha256 {}",
        body.len(),
        &hex::encode(digest)[..16]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unavailable(status: u16, content_type: &str, body: &str) -> String {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
        match classify(status, content_type, body.as_bytes()) {
            Err(UpstreamError::Unavailable(cause) | UpstreamError::ServerError(cause)) => cause,
            other => panic!("{status} {body:?} gave {other:?}"),
        }
    }

    #[test]
    fn failures_are_unavailable() {
        unavailable(500, "application/json", "");
        unavailable(503, "text/html", "<h1>Service Unavailable</h1>");
        let cause = unavailable(
            401,
            "application/json",
            r#"{"success":false,"error":"Unauthorized"}"#,
        );
        assert!(cause.contains("token"), "{cause}");
        let html = "<br />\n<b>Fatal error</b>: Uncaught PDOException in /var/www/api/db.php:12";
        assert!(unavailable(200, "text/html", html).contains("not JSON"));
        unavailable(200, "application/json", "");
        unavailable(200, "application/json", "[1,2]");
        // serde reads a struct from an array too: an array is still not an answer.
        unavailable(200, "application/json", "[true]");
        unavailable(200, "application/json", r#"{"success":true"#);
        unavailable(200, "application/json", r#"{"tickets":[]}"#);
        unavailable(200, "application/json", r#"{"success":"maybe"}"#);
        unavailable(302, "text/html", "");
    }

    #[test]
    fn success_spellings() {
        for body in [
            r#"{"success":true,"x":1}"#,
            r#"{"success":1,"x":1}"#,
            r#"{"success":"1","x":1}"#,
        ] {
            assert!(
                classify(StatusCode::OK, "application/json", body.as_bytes()).is_ok(),
                "{body}"
            );
        }
    }

    #[test]
    fn application_errors_come_with_200() {
        let body = r#"{"success":false,"error":"Missing required custom fields",
            "custom_field_errors":{"1":"This field is required.","x":"?"}}"#;
        match classify(StatusCode::OK, "application/json", body.as_bytes()) {
            Err(UpstreamError::Rejected {
                error,
                custom_field_errors,
            }) => {
                assert_eq!(error, "Missing required custom fields");
                assert_eq!(
                    custom_field_errors,
                    BTreeMap::from([(1, "This field is required.".to_owned())])
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn fingerprints_tell_answers_apart_without_their_text() {
        let body = br#"{"success":true,"tickets":[{"id":"x","subject":"ann@example.com"}]}"#;
        let print = fingerprint(body);
        assert!(
            print.starts_with(&format!("{} bytes, sha256 ", body.len())),
            "{print}"
        );
        assert!(
            !print.contains("ann@") && !print.contains("tickets"),
            "{print}"
        );
        assert_ne!(print, fingerprint(b"{}"));
    }
}
