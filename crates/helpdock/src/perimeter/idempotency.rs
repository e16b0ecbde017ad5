//! Exactly-once creates and replies (docs/protocol.md, "Exactly-once create"): a request with an
//! `Idempotency-Key` is answered once; a retry with the same key and body gets the same answer
//! without running again (no rate limit, no upstream call); the same key with another body is
//! `409 idempotency_conflict`; a retry while the first is in flight waits for it.
//!
//! A key belongs to its scope — the endpoint, the site and who the visitor is (their
//! [`VisitorKey`]: a verified email, a pass's holder, or nobody yet) — so one visitor can never be
//! replayed another's answer, while the same visitor is, however their headers are spelt: a page
//! re-signs the identity on every load (new `expires` and signature), a create renews the guest
//! pass, and `%40` is `@`. Only 2xx answers are kept: a failed create stays retryable under the
//! same key.

use super::idempotency_shared::{self, Shared};
use super::idempotency_store::{Claim, Digest, LostAnswer, StoredAnswer};
use super::{Action, Perimeter, read_body};
use crate::error::ApiError;
use crate::identity::{Gatekeeper, Resolved, VisitorKey, unix_now};
use crate::routes::MAX_BODY_BYTES;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest as _, Sha256};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tracing::Instrument;

/// The request header carrying the key.
const KEY_HEADER: &str = "idempotency-key";
/// The longest key accepted (a UUID is 36).
const MAX_KEY_LEN: usize = 64;
/// The largest answer kept for replay; ours are a few hundred bytes.
const MAX_STORED_BYTES: usize = 64 * 1024;

/// The request's key: `None` without the header, 400 when it is not 1–64 of `[A-Za-z0-9_-]`.
pub(crate) fn idempotency_key(headers: &HeaderMap) -> Result<Option<&str>, ApiError> {
    let mut values = headers.get_all(KEY_HEADER).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    let bad = || {
        ApiError::BadRequest(format!(
            "Idempotency-Key must be 1 to {MAX_KEY_LEN} letters, digits, '-' or '_', sent once."
        ))
    };
    if values.next().is_some() {
        return Err(bad());
    }
    let key = value.to_str().map_err(|_| bad())?;
    let valid = (1..=MAX_KEY_LEN).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if valid { Ok(Some(key)) } else { Err(bad()) }
}

/// Feeds `part` to `hasher` length-prefixed, so no two lists of parts hash alike by shifting
/// bytes between neighbours; `None` hashes unlike any string.
fn feed(hasher: &mut Sha256, part: Option<&[u8]>) {
    match part {
        Some(bytes) => {
            hasher.update((bytes.len() as u64).to_be_bytes());
            hasher.update(bytes);
        }
        None => hasher.update(u64::MAX.to_be_bytes()),
    }
}

/// Where a key applies: the endpoint, the site, who the visitor is, and the key itself.
pub(crate) fn scope(path: &str, resolved: &Resolved, key: &str) -> Digest {
    let mut hasher = Sha256::new();
    feed(&mut hasher, Some(path.as_bytes()));
    feed(&mut hasher, Some(resolved.site.as_bytes()));
    let visitor = resolved.visitor.as_ref().map(|v| v.key());
    let (kind, site, email, first) = match &visitor {
        None => ("nobody", None, None, None),
        Some(VisitorKey::Verified { site, email }) => ("verified", Some(site), Some(email), None),
        Some(VisitorKey::Unverified { email }) => ("unverified", None, Some(email), None),
        Some(VisitorKey::Guest {
            site,
            email,
            first_ticket,
        }) => ("guest", Some(site), Some(email), Some(first_ticket.0)),
    };
    feed(&mut hasher, Some(kind.as_bytes()));
    feed(&mut hasher, site.map(|s| s.as_bytes()));
    feed(&mut hasher, email.map(|e| e.as_bytes()));
    feed(
        &mut hasher,
        first.map(u64::to_be_bytes).as_ref().map(|b| &b[..]),
    );
    feed(&mut hasher, Some(key.as_bytes()));
    hasher.finalize().into()
}

/// What the request asks for: method, query and body. A JSON body counts by its content —
/// key order and spacing aside — without `elapsed_ms`: a retry of the same draft measures a
/// longer time, and is still the same request (the widget reuses its key for exactly that).
pub(crate) fn fingerprint(method: &Method, query: Option<&str>, body: &[u8]) -> Digest {
    let mut hasher = Sha256::new();
    feed(&mut hasher, Some(method.as_str().as_bytes()));
    feed(&mut hasher, query.map(str::as_bytes));
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(mut json) => {
            if let Some(object) = json.as_object_mut() {
                object.remove("elapsed_ms");
            }
            // Sorted by key, so this serialisation is canonical (serde_json keeps insertion order
            // when another crate in the build enables `preserve_order`, as the reference helpdesk does).
            json.sort_all_objects();
            feed(&mut hasher, Some(json.to_string().as_bytes()));
        }
        // Not JSON: the handler refuses it; the bytes themselves tell retries apart.
        Err(_) => {
            feed(&mut hasher, None);
            feed(&mut hasher, Some(body));
        }
    }
    hasher.finalize().into()
}

/// On the create and reply routes (`action`): answers a replay, or runs `run` once for the key;
/// see the module docs.
pub(super) async fn replay_or_run<F, Fut>(
    perimeter: &Perimeter,
    gatekeeper: &Gatekeeper,
    action: Action,
    request: Request,
    run: F,
) -> Response
where
    F: FnOnce(Request) -> Fut + Send + 'static,
    Fut: Future<Output = Response> + Send + 'static,
{
    let key = match idempotency_key(request.headers()) {
        Ok(None) => return run(request).await,
        Ok(Some(key)) => key,
        Err(refused) => return refused.into_response(),
    };
    // Nobody to scope the key to: the handler refuses the request just the same, and a refusal
    // is never kept.
    let Ok(resolved) = gatekeeper.resolve(request.headers(), unix_now()) else {
        return run(request).await;
    };
    let scope = scope(request.uri().path(), &resolved, key);
    let (parts, body) = request.into_parts();
    let body = match read_body(body, MAX_BODY_BYTES).await {
        Ok(body) => body,
        Err(refused) => return refused.into_response(),
    };
    let fingerprint = fingerprint(&parts.method, parts.uri.query(), &body);
    if let Some(redis) = perimeter.shared() {
        let claimed = idempotency_shared::claim(redis, &resolved.site, &scope, &fingerprint).await;
        return match claimed {
            Err(refused) => refused.into_response(),
            Ok(Shared::Conflict) => ApiError::IdempotencyConflict.into_response(),
            Ok(Shared::NotYet(wait)) => ApiError::StillSettling(wait).into_response(),
            Ok(Shared::Replay(answer)) => replayed(action, &answer),
            Ok(Shared::Run(pending)) => {
                let request = attempt(parts, body, pending.lost);
                let settle = perimeter.settle();
                run_detached(perimeter, async move {
                    let since = SystemTime::now();
                    let response = run(request).await;
                    match outcome(response, pending.lost, since, settle).await {
                        (response, Outcome::Lost(lost)) => {
                            pending.finish_uncertain(lost).await;
                            response
                        }
                        (response, Outcome::Kept(kept)) => {
                            pending.finish(kept.as_deref()).await;
                            response
                        }
                    }
                })
                .await
            }
        };
    }
    let store = perimeter.idempotency();
    loop {
        match store.claim(scope, fingerprint, Instant::now()) {
            Claim::Replay(answer) => return replayed(action, &answer),
            Claim::Conflict => return ApiError::IdempotencyConflict.into_response(),
            Claim::NotYet(wait) => return ApiError::StillSettling(wait).into_response(),
            // Woken when the first request finishes either way; then look again.
            Claim::Wait(mut done) => while done.changed().await.is_ok() {},
            Claim::Run(ticket) => {
                let request = attempt(parts, body, ticket.lost());
                let (earlier, settle) = (ticket.lost(), perimeter.settle());
                return run_detached(perimeter, async move {
                    let since = SystemTime::now();
                    let response = run(request).await;
                    match outcome(response, earlier, since, settle).await {
                        (response, Outcome::Lost(lost)) => {
                            ticket.finish_uncertain(lost);
                            response
                        }
                        (response, Outcome::Kept(kept)) => {
                            ticket.finish(kept, Instant::now());
                            response
                        }
                    }
                })
                .await;
            }
        }
    }
}

/// The request to run, telling the handler of an earlier attempt whose answer was lost (it
/// looks for that attempt's ticket or reply before writing again).
fn attempt(parts: Parts, body: Bytes, lost: Option<LostAnswer>) -> Request {
    let mut request = Request::from_parts(parts, Body::from(body));
    if let Some(lost) = lost {
        request.extensions_mut().insert(lost);
    }
    request
}

/// What a key's record becomes after an attempt.
enum Outcome {
    /// A 2xx kept for replay, or `None`: a failure that wrote nothing, free to retry.
    Kept(Option<Arc<StoredAnswer>>),
    /// The helpdesk may have written it (502, 504): a retry looks first.
    Lost(LostAnswer),
}

/// Sorts an attempt's `response`; `earlier` is a lost attempt it retried, `since` when it began.
async fn outcome(
    response: Response,
    earlier: Option<LostAnswer>,
    since: SystemTime,
    settle: Duration,
) -> (Response, Outcome) {
    // Only an upstream failure after the write may have been sent can hide a written ticket.
    if matches!(
        response.status(),
        StatusCode::BAD_GATEWAY | StatusCode::GATEWAY_TIMEOUT
    ) {
        // A 502 means the helpdesk is done with it (it answered badly or hung up): look at
        // once. After a 504 it may still be writing: give it one more timeout.
        let still_running = response.status() == StatusCode::GATEWAY_TIMEOUT;
        let lost = LostAnswer {
            // The first attempt may be the one that wrote: look from its start.
            since: earlier.map_or(since, |e| e.since),
            settled: SystemTime::now()
                + if still_running {
                    settle
                } else {
                    Duration::ZERO
                },
        };
        return (response, Outcome::Lost(lost));
    }
    let (response, kept) = keep_if_successful(response).await;
    (response, Outcome::Kept(kept))
}

/// A stored answer sent again, counted.
fn replayed(action: Action, answer: &StoredAnswer) -> Response {
    metrics::counter!("helpdock_idempotent_replays_total", "action" => action.label()).increment(1);
    answer.replay()
}

/// Runs `write` in its own task: a client that hangs up mid-create must not leave a ticket
/// created upstream but unrecorded here, to be created again by the retry. A stopping proxy
/// waits for these tasks (`Perimeter::writes_in_flight`).
async fn run_detached(
    perimeter: &Perimeter,
    write: impl Future<Output = Response> + Send + 'static,
) -> Response {
    match perimeter
        .writes_in_flight()
        .spawn(write.in_current_span())
        .await
    {
        Ok(response) => response,
        Err(e) => ApiError::Internal(format!("request task failed: {e}")).into_response(),
    }
}

/// Buffers a 2xx answer to keep it; anything else passes through untouched, not kept.
async fn keep_if_successful(response: Response) -> (Response, Option<Arc<StoredAnswer>>) {
    if !response.status().is_success() {
        return (response, None);
    }
    let (parts, body) = response.into_parts();
    match read_body(body, MAX_STORED_BYTES).await {
        Ok(bytes) => {
            let answer = Arc::new(StoredAnswer {
                status: parts.status,
                headers: parts.headers.clone(),
                body: bytes.clone(),
            });
            (Response::from_parts(parts, Body::from(bytes)), Some(answer))
        }
        Err(_) => (
            ApiError::Internal("an answer too large to keep for replay".into()).into_response(),
            None,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::Visitor;
    use axum::http::HeaderValue;
    use helpdock_wire::TicketId;

    fn scope_of(path: &str, site: &str, visitor: Option<Visitor>, key: &str) -> Digest {
        let resolved = Resolved {
            site: site.to_owned(),
            visitor,
        };
        scope(path, &resolved, key)
    }

    fn verified(email: &str) -> Option<Visitor> {
        Some(Visitor::Verified {
            email: email.to_owned(),
            site: "shop".to_owned(),
        })
    }

    fn guest(email: &str, tickets: &[u64]) -> Option<Visitor> {
        Some(Visitor::Guest {
            email: email.to_owned(),
            tickets: tickets.iter().copied().map(TicketId).collect(),
            site: "shop".to_owned(),
        })
    }

    #[test]
    fn key_syntax_table() {
        let long = "a".repeat(64);
        let too_long = "a".repeat(65);
        let cases: [(&str, bool); 8] = [
            ("0b4f7c1e-5d2a-4c8e-9f3a-1b2c3d4e5f60", true),
            ("A_z-9", true),
            (&long, true),
            ("", false),
            (&too_long, false),
            ("has space", false),
            ("semi;colon", false),
            ("ünï", false),
        ];
        for (key, ok) in cases {
            let mut headers = HeaderMap::new();
            headers.insert(
                KEY_HEADER,
                HeaderValue::from_bytes(key.as_bytes()).expect("value"),
            );
            let got = idempotency_key(&headers);
            assert_eq!(got.is_ok(), ok, "{key:?}");
        }
        assert!(matches!(idempotency_key(&HeaderMap::new()), Ok(None)));
        let mut twice = HeaderMap::new();
        twice.append(KEY_HEADER, HeaderValue::from_static("a"));
        twice.append(KEY_HEADER, HeaderValue::from_static("a"));
        assert!(idempotency_key(&twice).is_err());
    }

    #[test]
    fn scope_separates_visitors_endpoints_and_keys() {
        const CREATE: &str = "/api/tickets_create.php";
        let base = scope_of(CREATE, "shop", verified("a@b.c"), "k");
        let others = [
            scope_of("/api/ticket_reply.php", "shop", verified("a@b.c"), "k"),
            scope_of(CREATE, "shop", verified("a@b.c"), "k2"),
            scope_of(CREATE, "blog", verified("a@b.c"), "k"),
            scope_of(CREATE, "shop", verified("x@b.c"), "k"),
            scope_of(CREATE, "shop", None, "k"),
            scope_of(CREATE, "shop", guest("a@b.c", &[1]), "k"),
            scope_of(CREATE, "shop", guest("a@b.c", &[2, 1]), "k"),
            scope_of(
                CREATE,
                "shop",
                Some(Visitor::Trusted {
                    email: "a@b.c".to_owned(),
                }),
                "k",
            ),
        ];
        for (i, other) in others.iter().enumerate() {
            assert_ne!(&base, other, "case {i}");
        }
        // A pass renewed by a later create (one more ticket) is the same guest.
        assert_eq!(
            scope_of(CREATE, "shop", guest("a@b.c", &[1]), "k"),
            scope_of(CREATE, "shop", guest("a@b.c", &[1, 5]), "k")
        );
    }

    #[test]
    fn fingerprint_covers_the_body_and_query() {
        let post = Method::POST;
        assert_eq!(
            fingerprint(&post, None, b"{}"),
            fingerprint(&post, None, b"{}")
        );
        assert_ne!(
            fingerprint(&post, None, b"{}"),
            fingerprint(&post, None, b"{ }x")
        );
        assert_ne!(
            fingerprint(&post, None, br#"{"a":1}"#),
            fingerprint(&post, None, br#"{"a":2}"#)
        );
        assert_ne!(
            fingerprint(&post, None, br#""{}""#),
            fingerprint(&post, None, b"{}")
        );
        // The same content, however spelt, and whatever the time on the form.
        let first = fingerprint(
            &post,
            None,
            br#"{"subject":"s","elapsed_ms":2100,"n":[1,2]}"#,
        );
        let retry = fingerprint(
            &post,
            None,
            br#"{ "n": [1, 2], "elapsed_ms": 9000, "subject": "s" }"#,
        );
        assert_eq!(first, retry);
        assert_ne!(
            first,
            fingerprint(&post, None, br#"{"subject":"s","n":[2,1]}"#)
        );
        assert_ne!(
            fingerprint(&post, None, b"{}"),
            fingerprint(&post, Some("x=1"), b"{}")
        );
        assert_ne!(
            fingerprint(&post, None, b""),
            fingerprint(&post, Some(""), b"")
        );
    }
}
