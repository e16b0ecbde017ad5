//! Creates and replies: exactly once per `Idempotency-Key`, rate limited per IP and identity,
//! bots refused — each refusal before any upstream call.

use crate::fixture::{Fixture, fixture, header, post_json, roomy, ticket};
use crate::support::{self, ANN, Answer};
use helpdock::perimeter::LimitsConfig;
use reference_helpdesk::Fault;
use serde_json::{Value, json};
use std::time::Duration;

const CREATE: &str = "/api/tickets_create.php";
const REPLY: &str = "/api/ticket_reply.php";

/// Ann's verified identity header.
fn ann() -> (&'static str, String) {
    ("x-helpdock-identity", support::identity(ANN))
}

async fn create_with_key(f: &Fixture, body: &Value, key: &str) -> Answer {
    let (name, value) = ann();
    f.send(post_json(
        CREATE,
        body,
        &[(name, &value), ("idempotency-key", key)],
    ))
    .await
}

#[tokio::test]
async fn a_retried_create_creates_one_ticket_and_answers_the_same() {
    let f = fixture(roomy()).await;
    let body = ticket("Retry me");
    let first = create_with_key(&f, &body, "draft-1").await;
    assert_eq!(first.status, 201, "{first:?}");
    let again = create_with_key(&f, &body, "draft-1").await;
    assert_eq!(again.status, 201, "{again:?}");
    assert_eq!(
        again.json(),
        first.json(),
        "the same ticket_id, the same answer"
    );
    assert_eq!(header(&again, "idempotent-replayed"), "true");
    assert_eq!(header(&again, "content-type"), "application/json");
    assert_eq!(f.upstream_calls("tickets_create.php"), 1);
    // The replay went to nothing upstream at all, not even the form's field list.
    let calls_before = f.all_upstream_calls();
    create_with_key(&f, &body, "draft-1").await;
    assert_eq!(f.all_upstream_calls(), calls_before);
    // Another key is another ticket; so is no key at all.
    assert_eq!(create_with_key(&f, &body, "draft-2").await.status, 201);
    let (name, value) = ann();
    let keyless = f.send(post_json(CREATE, &body, &[(name, &value)])).await;
    assert_eq!(keyless.status, 201, "{keyless:?}");
    assert_eq!(f.upstream_calls("tickets_create.php"), 3);
}

#[tokio::test]
async fn a_retry_of_the_same_draft_replays_though_more_time_has_passed() {
    // The widget resends a draft under its key with a larger elapsed_ms: the same request.
    let f = fixture(roomy()).await;
    let first = create_with_key(&f, &ticket("Lost answer"), "draft").await;
    let mut later = ticket("Lost answer");
    later["elapsed_ms"] = 60_000.into();
    let retry = create_with_key(&f, &later, "draft").await;
    assert_eq!(retry.status, 201, "{retry:?}");
    assert_eq!(retry.json(), first.json());
    assert_eq!(f.upstream_calls("tickets_create.php"), 1);
}

#[tokio::test]
async fn the_same_key_with_another_body_is_a_conflict() {
    let f = fixture(roomy()).await;
    assert_eq!(create_with_key(&f, &ticket("One"), "k").await.status, 201);
    let other = create_with_key(&f, &ticket("Two"), "k").await;
    other.expect_error(409, "idempotency_conflict");
    assert_eq!(f.upstream_calls("tickets_create.php"), 1);
}

#[tokio::test]
async fn a_key_is_never_replayed_to_another_visitor() {
    let f = fixture(roomy()).await;
    let body = ticket("Mine");
    let first = create_with_key(&f, &body, "shared-key").await;
    assert_eq!(first.status, 201);
    // The same key and body as a guest: its own create, not Ann's answer.
    let guest = f
        .send(post_json(
            CREATE,
            &body,
            &[("idempotency-key", "shared-key")],
        ))
        .await;
    assert_eq!(guest.status, 201, "{guest:?}");
    assert_ne!(guest.json()["ticket_id"], first.json()["ticket_id"]);
    assert!(header(&guest, "idempotent-replayed").is_empty());
    assert_eq!(f.upstream_calls("tickets_create.php"), 2);
}

#[tokio::test]
async fn a_failed_create_stays_retryable_under_its_key() {
    let f = fixture(roomy()).await;
    let body = ticket("Helpdesk down");
    f.helpdesk.set_fault(Some(Fault::DatabaseDown));
    create_with_key(&f, &body, "k")
        .await
        .expect_error(502, "upstream_unavailable");
    f.helpdesk.set_fault(None);
    let retry = create_with_key(&f, &body, "k").await;
    assert_eq!(retry.status, 201, "{retry:?}");
    assert!(header(&retry, "idempotent-replayed").is_empty());
    // A refusal is not kept either: the fixed draft may reuse the key.
    let mut invalid = ticket("Invalid");
    invalid["subject"] = "".into();
    create_with_key(&f, &invalid, "k2")
        .await
        .expect_error(422, "invalid_input");
    assert_eq!(
        create_with_key(&f, &ticket("Fixed"), "k2").await.status,
        201
    );
}

#[tokio::test]
async fn a_duplicate_in_flight_waits_for_the_first_and_replays_it() {
    let f = fixture(roomy()).await;
    // Slow enough that the second surely arrives while the first is upstream.
    f.helpdesk
        .set_fault(Some(Fault::Delay(Duration::from_millis(300))));
    let body = ticket("Double click");
    let (a, b) = tokio::join!(
        create_with_key(&f, &body, "dbl"),
        create_with_key(&f, &body, "dbl")
    );
    assert_eq!((a.status, b.status), (201, 201), "{a:?} {b:?}");
    assert_eq!(a.json(), b.json());
    assert_eq!(f.upstream_calls("tickets_create.php"), 1);
}

#[tokio::test]
async fn replies_are_exactly_once_too() {
    let f = fixture(roomy()).await;
    let created = create_with_key(&f, &ticket("Thread"), "t").await.json();
    let reply = json!({"ticket_id": created["ticket_id"], "message": "Any news?"});
    let (name, value) = ann();
    let send = || {
        f.send(post_json(
            REPLY,
            &reply,
            &[(name, &value), ("idempotency-key", "r1")],
        ))
    };
    let first = send().await;
    assert_eq!(first.status, 201, "{first:?}");
    let again = send().await;
    assert_eq!(again.json(), first.json());
    assert_eq!(f.upstream_calls("ticket_reply.php"), 1);
}

#[tokio::test]
async fn malformed_keys_are_400_before_anything_runs() {
    let f = fixture(roomy()).await;
    let long = "k".repeat(65);
    for key in ["", "has space", "semi;colon", long.as_str()] {
        create_with_key(&f, &ticket("Bad key"), key)
            .await
            .expect_error(400, "bad_request");
    }
    assert_eq!(f.all_upstream_calls(), 0);
}

/// Limits of `n` creates, then one every two minutes.
fn creates(n: u32) -> LimitsConfig {
    LimitsConfig {
        create_burst: n,
        create_per_hour: 30,
        ..roomy()
    }
}

#[tokio::test]
async fn too_many_creates_are_429_with_retry_after_and_replays_are_free() {
    let f = fixture(creates(2)).await;
    let first = create_with_key(&f, &ticket("One"), "a").await;
    assert_eq!(first.status, 201);
    assert_eq!(create_with_key(&f, &ticket("Two"), "b").await.status, 201);
    let third = create_with_key(&f, &ticket("Three"), "c").await;
    third.expect_error(429, "rate_limited");
    let retry_after: u64 = header(&third, "retry-after")
        .parse()
        .expect("whole seconds");
    assert!((1..=120).contains(&retry_after), "{retry_after}");
    assert_eq!(f.upstream_calls("tickets_create.php"), 2);
    // A replay is not a new create: answered, and no token spent or needed.
    let replay = create_with_key(&f, &ticket("One"), "a").await;
    assert_eq!(replay.status, 201, "{replay:?}");
    assert_eq!(replay.json(), first.json());
    // A 429 is not kept: the same key works once tokens are back (here: never within the test).
    create_with_key(&f, &ticket("Three"), "c")
        .await
        .expect_error(429, "rate_limited");
}

#[tokio::test]
async fn the_identity_bucket_holds_across_addresses() {
    // The per-IP bucket is spread over many addresses by a trusted proxy's X-Forwarded-For;
    // Ann's own bucket still runs dry.
    let f = fixture(LimitsConfig {
        trusted_proxy_hops: 1,
        ..creates(2)
    })
    .await;
    let (name, value) = ann();
    for (i, ip) in ["198.51.100.1", "198.51.100.2", "198.51.100.3"]
        .iter()
        .enumerate()
    {
        let answer = f
            .send(post_json(
                CREATE,
                &ticket(&format!("From {ip}")),
                &[(name, &value), ("x-forwarded-for", ip)],
            ))
            .await;
        let expected = if i < 2 { 201 } else { 429 };
        assert_eq!(answer.status, expected, "{ip}: {answer:?}");
    }
    // Another visitor from an address already used has their own bucket: the IP's has room.
    let bob = support::identity("bob@example.com");
    let mut body = ticket("Bob's");
    body["user_email"] = "bob@example.com".into();
    let answer = f
        .send(post_json(
            CREATE,
            &body,
            &[
                ("x-helpdock-identity", &bob),
                ("x-forwarded-for", "198.51.100.3"),
            ],
        ))
        .await;
    assert_eq!(answer.status, 201, "{answer:?}");
}

#[tokio::test]
async fn bots_are_refused_before_the_helpdesk_hears_of_them() {
    let f = fixture(roomy()).await;
    let mut honeypot = ticket("Cheap pills");
    honeypot["website"] = "http://pills.example".into();
    let mut hasty = ticket("Too fast");
    hasty["elapsed_ms"] = 350.into();
    for body in [honeypot, hasty] {
        f.send(post_json(CREATE, &body, &[]))
            .await
            .expect_error(422, "spam_suspected");
    }
    assert_eq!(f.all_upstream_calls(), 0, "{:?}", f.helpdesk.calls());
    // Not measured (curl, apps): not timed.
    let mut untimed = ticket("From curl");
    untimed
        .as_object_mut()
        .expect("object")
        .remove("elapsed_ms");
    let answer = f.send(post_json(CREATE, &untimed, &[])).await;
    assert_eq!(answer.status, 201, "{answer:?}");
}

#[tokio::test]
async fn over_real_http_the_peer_is_the_client_and_its_forwarded_for_is_ignored() {
    // `helpdock::serve` (what `serve` and `demo` run) hands the peer's address to the limits;
    // with no trusted proxy, X-Forwarded-For is the client's to invent and changes nothing.
    let f = fixture(creates(1)).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(helpdock::serve(
        listener,
        f.router.clone(),
        helpdock::ServerConfig::default(),
        std::future::pending(),
    ));
    let from = |local: &str| {
        reqwest::Client::builder()
            .local_address(local.parse::<std::net::IpAddr>().ok())
            .build()
            .expect("client")
    };
    let (first_peer, second_peer) = (from("127.0.0.1"), from("127.0.0.2"));
    // Each create by another visitor, so only the IP's bucket can run dry.
    let cases = [
        (&first_peer, "198.51.100.1", "ann@example.com", 201),
        (&first_peer, "198.51.100.2", "bob@example.com", 429),
        (&second_peer, "198.51.100.1", "cy@example.com", 201),
    ];
    for (client, forwarded, email, expected) in cases {
        let mut body = ticket("Over HTTP");
        body["user_email"] = email.into();
        let response = client
            .post(format!("http://{addr}{CREATE}"))
            // The fixture's proxy answers the API only by its configured name.
            .header("host", "support.example.com")
            .header("x-forwarded-for", forwarded)
            .json(&body)
            .send()
            .await
            .expect("answer");
        assert_eq!(response.status().as_u16(), expected, "{email}");
        if expected == 429 {
            assert!(response.headers().contains_key("retry-after"));
        }
    }
    assert_eq!(f.upstream_calls("tickets_create.php"), 2);
}
