//! `Idempotency-Key` across proxy instances: the record lives in the shared Redis. A claim is one
//! atomic `SET NX PX`; a duplicate on any instance finds the claim and waits for the answer (or
//! for the request's deadline, 504, which the client retries); the answer is kept 24 hours.
//!
//! Record: `helpdock:<site>:idem:<scope>` (the scope digests endpoint, site, visitor and key), as
//! JSON: `{"state":"pending","fingerprint":…,"claim":…}` while the first request runs, then
//! `{"state":"done","fingerprint":…,"status":…,"headers":[…],"body":<base64>}`, or after a lost
//! answer `{"state":"uncertain","fingerprint":…,"since_ms":…,"settled_ms":…}` (see `LostAnswer`).

use super::idempotency_store::{Digest, LostAnswer, StoredAnswer, TTL};
use crate::error::ApiError;
use crate::state::redis::Claimed;
use crate::state::{SharedRedis, StateUnavailable};
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long a claim holds without an answer: above a request's whole deadline (60 s by
/// default), so only a proxy that died mid-request (or a Redis that lost our finishing write)
/// leaves one this old. It is then taken over as a lost answer: whoever held it may have
/// written, so the taker looks before writing.
pub(super) const CLAIM_LIFETIME: Duration = Duration::from_secs(120);
/// Tries at storing a finished attempt: a blip must not leave a claim to go stale.
const FINISH_TRIES: u32 = 3;
/// How often a duplicate looks again for the first request's answer.
const POLL: Duration = Duration::from_millis(50);

#[derive(Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
enum Record {
    Pending {
        fingerprint: String,
        claim: String,
        /// When the claim was made (ms since the epoch).
        claimed_ms: u64,
    },
    Done {
        fingerprint: String,
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    Uncertain {
        fingerprint: String,
        since_ms: u64,
        settled_ms: u64,
    },
}

fn to_ms(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

fn from_ms(ms: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(ms)
}

/// What the shared record says about a request.
pub(super) enum Shared {
    /// It is ours to run; `finish` with its pending value.
    Run(Pending),
    /// The same request was answered: send this again.
    Replay(StoredAnswer),
    /// The key came with a different request: 409.
    Conflict,
    /// The last attempt's answer was lost and the helpdesk may still be writing: retry later.
    NotYet(Duration),
}

/// A claimed record, to be finished with the answer (or released).
pub(super) struct Pending {
    redis: SharedRedis,
    key: String,
    value: String,
    fingerprint: String,
    /// The earlier attempt whose answer was lost, if any.
    pub(super) lost: Option<LostAnswer>,
}

/// Looks up (and if free, claims) the record of `scope` on `site` for a request hashing to
/// `fingerprint`; waits while another instance runs the same request.
pub(super) async fn claim(
    redis: &SharedRedis,
    site: &str,
    scope: &Digest,
    fingerprint: &Digest,
) -> Result<Shared, ApiError> {
    let key = format!("helpdock:{site}:idem:{}", hex::encode(scope));
    let fingerprint = hex::encode(fingerprint);
    let mut claim = [0u8; 16];
    getrandom::fill(&mut claim)
        .map_err(|e| ApiError::Internal(format!("no randomness for a claim: {e}")))?;
    let value = serde_json::to_string(&Record::Pending {
        fingerprint: fingerprint.clone(),
        claim: hex::encode(claim),
        claimed_ms: to_ms(SystemTime::now()),
    })
    .map_err(|e| ApiError::Internal(format!("encoding a claim: {e}")))?;
    let run = |lost| {
        Shared::Run(Pending {
            redis: redis.clone(),
            key: key.clone(),
            value: value.clone(),
            fingerprint: fingerprint.clone(),
            lost,
        })
    };
    loop {
        // The record lives as long as an answer would: a stale claim is recognised by its age.
        let claimed = match redis.claim(&key, &value, TTL).await {
            Ok(claimed) => claimed,
            Err(e) => {
                // The claim may have landed with only its answer lost: take it back, or every
                // retry would wait for it to go stale.
                let _ = redis.finish(&key, &value, None, TTL).await;
                return Err(e.into());
            }
        };
        match claimed {
            Claimed::Run => return Ok(run(None)),
            Claimed::Again => continue,
            Claimed::Found(found) => match serde_json::from_str::<Record>(&found) {
                Ok(Record::Pending {
                    fingerprint: f,
                    claimed_ms,
                    ..
                }) if f == fingerprint => {
                    let claimed = from_ms(claimed_ms);
                    let stale = claimed.elapsed().is_ok_and(|age| age >= CLAIM_LIFETIME);
                    if !stale {
                        tokio::time::sleep(POLL).await;
                    } else if redis.finish(&key, &found, Some(&value), TTL).await? {
                        tracing::warn!(
                            "took over a stale idempotency claim: looking before writing"
                        );
                        return Ok(run(Some(LostAnswer {
                            since: claimed,
                            settled: SystemTime::now(),
                        })));
                    }
                }
                Ok(Record::Done {
                    fingerprint: f,
                    status,
                    headers,
                    body,
                }) if f == fingerprint => {
                    return decode(status, &headers, &body).map(Shared::Replay);
                }
                Ok(Record::Uncertain {
                    fingerprint: f,
                    since_ms,
                    settled_ms,
                }) if f == fingerprint => {
                    if let Ok(wait) = from_ms(settled_ms).duration_since(SystemTime::now())
                        && !wait.is_zero()
                    {
                        return Ok(Shared::NotYet(wait));
                    }
                    // Ours only if nobody else took it over since we looked.
                    if redis.finish(&key, &found, Some(&value), TTL).await? {
                        return Ok(run(Some(LostAnswer {
                            since: from_ms(since_ms),
                            settled: from_ms(settled_ms),
                        })));
                    }
                }
                Ok(_) => return Ok(Shared::Conflict),
                Err(e) => {
                    return Err(ApiError::Internal(format!(
                        "an idempotency record that is not ours ({e})"
                    )));
                }
            },
        }
    }
}

impl Pending {
    /// Replaces our claim by `record` (or deletes it), retrying a failing Redis a little: a
    /// claim left pending goes stale only after [`CLAIM_LIFETIME`], keeping its retries waiting.
    async fn store(&self, record: Option<&str>) -> Result<bool, StateUnavailable> {
        let mut tries = 1;
        loop {
            match self.redis.finish(&self.key, &self.value, record, TTL).await {
                Err(e) if tries < FINISH_TRIES => {
                    tracing::warn!(error = %e, "storing an attempt's outcome failed; trying again");
                    tokio::time::sleep(Duration::from_millis(100) * tries).await;
                    tries += 1;
                }
                done => return done,
            }
        }
    }

    /// Remembers that this attempt's answer was lost, so a retry on any instance looks first.
    pub(super) async fn finish_uncertain(self, lost: LostAnswer) {
        let record = Record::Uncertain {
            fingerprint: self.fingerprint.clone(),
            since_ms: to_ms(lost.since),
            settled_ms: to_ms(lost.settled),
        };
        let Ok(record) = serde_json::to_string(&record) else {
            return self.finish(None).await;
        };
        match self
            .redis
            .finish(&self.key, &self.value, Some(&record), TTL)
            .await
        {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!("an idempotency claim expired before its lost answer was noted")
            }
            Err(e) => tracing::error!(
                error = %e,
                "a lost answer could not be noted: a retry after the claim expires writes again"
            ),
        }
    }

    /// Stores `answer` for replay (24 h), or with `None` (a failure) frees the key for a retry.
    /// A Redis that fails now is logged: the answer still goes to the client.
    pub(super) async fn finish(self, answer: Option<&StoredAnswer>) {
        let done = answer.map(|answer| {
            serde_json::to_string(&Record::Done {
                fingerprint: self.fingerprint.clone(),
                status: answer.status.as_u16(),
                headers: answer
                    .headers
                    .iter()
                    .filter_map(|(n, v)| Some((n.to_string(), v.to_str().ok()?.to_owned())))
                    .collect(),
                body: STANDARD.encode(&answer.body),
            })
        });
        let done = match done.transpose() {
            Ok(done) => done,
            Err(e) => {
                tracing::error!(error = %e, "cannot encode an answer for replay");
                None
            }
        };
        match self.store(done.as_deref()).await {
            Ok(true) => {}
            Ok(false) => tracing::warn!(
                "an idempotency claim expired before its answer: a retry may have run it again"
            ),
            Err(e) => tracing::error!(
                error = %e,
                "the answer could not be kept for replay: a retry after the claim expires runs again"
            ),
        }
    }
}

fn decode(status: u16, headers: &[(String, String)], body: &str) -> Result<StoredAnswer, ApiError> {
    let bad = |what: &str| ApiError::Internal(format!("a stored answer with a bad {what}"));
    let status = StatusCode::from_u16(status).map_err(|_| bad("status"))?;
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        map.append(
            HeaderName::try_from(name.as_str()).map_err(|_| bad("header name"))?,
            HeaderValue::try_from(value.as_str()).map_err(|_| bad("header value"))?,
        );
    }
    let body = STANDARD.decode(body).map_err(|_| bad("body"))?;
    Ok(StoredAnswer {
        status,
        headers: map,
        body: Bytes::from(body),
    })
}
