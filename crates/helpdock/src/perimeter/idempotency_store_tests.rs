use super::*;

fn answer(body: &'static str) -> Arc<StoredAnswer> {
    Arc::new(StoredAnswer {
        status: StatusCode::CREATED,
        headers: HeaderMap::new(),
        body: Bytes::from_static(body.as_bytes()),
    })
}

fn run(claim: Claim) -> Ticket {
    match claim {
        Claim::Run(ticket) => ticket,
        _ => panic!("expected Run"),
    }
}

fn replayed_body(claim: Claim) -> Bytes {
    match claim {
        Claim::Replay(a) => a.body.clone(),
        _ => panic!("expected Replay"),
    }
}

const A: Digest = [1; 32];
const B: Digest = [2; 32];
const BODY1: Digest = [10; 32];
const BODY2: Digest = [11; 32];

#[test]
fn first_runs_same_replays_different_conflicts() {
    let store = IdempotencyStore::new(TTL, 10);
    let t0 = Instant::now();
    run(store.claim(A, BODY1, t0)).finish(Some(answer("one")), t0);
    assert_eq!(replayed_body(store.claim(A, BODY1, t0)), "one");
    assert!(matches!(store.claim(A, BODY2, t0), Claim::Conflict));
    // Another scope (another visitor, another endpoint) is another key.
    run(store.claim(B, BODY1, t0)).finish(Some(answer("two")), t0);
    assert_eq!(replayed_body(store.claim(A, BODY1, t0)), "one");
}

#[test]
fn failures_are_forgotten_so_the_client_can_retry() {
    let store = IdempotencyStore::new(TTL, 10);
    let t0 = Instant::now();
    run(store.claim(A, BODY1, t0)).finish(None, t0);
    assert!(matches!(store.claim(A, BODY2, t0), Claim::Run(_)));
}

#[test]
fn a_dropped_ticket_releases_the_key() {
    let store = IdempotencyStore::new(TTL, 10);
    let t0 = Instant::now();
    drop(run(store.claim(A, BODY1, t0)));
    assert_eq!(store.len(), 0);
    assert!(matches!(store.claim(A, BODY1, t0), Claim::Run(_)));
}

#[test]
fn answers_expire_after_the_ttl() {
    let store = IdempotencyStore::new(Duration::from_secs(60), 10);
    let t0 = Instant::now();
    run(store.claim(A, BODY1, t0)).finish(Some(answer("one")), t0);
    let t1 = t0 + Duration::from_secs(59);
    assert_eq!(replayed_body(store.claim(A, BODY1, t1)), "one");
    let t2 = t0 + Duration::from_secs(60);
    assert!(matches!(store.claim(A, BODY2, t2), Claim::Run(_)));
}

#[tokio::test]
async fn a_duplicate_in_flight_waits_then_replays() {
    let store = IdempotencyStore::new(TTL, 10);
    let t0 = Instant::now();
    let ticket = run(store.claim(A, BODY1, t0));
    let Claim::Wait(mut done) = store.claim(A, BODY1, t0) else {
        panic!("expected Wait");
    };
    assert!(
        matches!(store.claim(A, BODY2, t0), Claim::Conflict),
        "a different body conflicts even while the first runs"
    );
    let waiter = tokio::spawn(async move {
        // Closed (not changed) is the signal: the sender goes with the ticket.
        assert!(done.changed().await.is_err());
    });
    ticket.finish(Some(answer("one")), t0);
    waiter.await.expect("waiter woke");
    assert_eq!(replayed_body(store.claim(A, BODY1, t0)), "one");
}

#[test]
fn the_store_is_bounded_oldest_answers_first() {
    let store = IdempotencyStore::new(TTL, 3);
    let t0 = Instant::now();
    for (i, scope) in [[1u8; 32], [2; 32], [3; 32], [4; 32]]
        .into_iter()
        .enumerate()
    {
        let at = t0 + Duration::from_secs(i as u64);
        run(store.claim(scope, BODY1, at)).finish(Some(answer("x")), at);
    }
    assert_eq!(store.len(), 3);
    let later = t0 + Duration::from_secs(10);
    assert!(
        matches!(store.claim([1; 32], BODY2, later), Claim::Run(_)),
        "the oldest was evicted"
    );
    assert!(matches!(
        store.claim([4; 32], BODY2, later),
        Claim::Conflict
    ));
}

#[test]
fn expired_answers_are_swept_when_room_is_needed() {
    let store = IdempotencyStore::new(Duration::from_secs(60), 100);
    let t0 = Instant::now();
    for i in 0..50u8 {
        run(store.claim([i; 32], BODY1, t0)).finish(Some(answer("x")), t0);
    }
    let later = t0 + Duration::from_secs(61);
    let _running = run(store.claim([200; 32], BODY1, later));
    assert_eq!(
        store.len(),
        1,
        "expired answers went, the running key stays"
    );
}

#[test]
fn a_replay_carries_status_headers_body_and_the_marker() {
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    let stored = StoredAnswer {
        status: StatusCode::CREATED,
        headers,
        body: Bytes::from_static(b"{\"ticket_id\":1}"),
    };
    let response = stored.replay();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.headers()["idempotent-replayed"], "true");
}

#[test]
fn a_lost_answer_makes_retries_wait_then_look_from_the_first_attempt() {
    let store = IdempotencyStore::new(TTL, 10);
    let (t0, wall) = (Instant::now(), SystemTime::now());
    let first = run(store.claim_at(A, BODY1, t0, wall));
    assert_eq!(first.lost(), None);
    let lost = LostAnswer {
        since: wall,
        settled: wall + Duration::from_secs(10),
    };
    first.finish_uncertain(lost);
    // The helpdesk may still be writing: not yet, and for how long.
    let early = wall + Duration::from_secs(4);
    match store.claim_at(A, BODY1, t0, early) {
        Claim::NotYet(wait) => assert_eq!(wait, Duration::from_secs(6)),
        _ => panic!("expected NotYet"),
    }
    // Another request under the key is still another request.
    assert!(matches!(
        store.claim_at(A, BODY2, t0, early),
        Claim::Conflict
    ));
    // Settled: the retry runs, told where to look from.
    let retry = run(store.claim_at(A, BODY1, t0, wall + Duration::from_secs(10)));
    assert_eq!(retry.lost(), Some(lost));
    retry.finish(Some(answer("found")), t0);
    assert_eq!(replayed_body(store.claim(A, BODY1, t0)), "found");
}
