//! Two `helpdock serve` processes sharing one real Redis in front of one reference helpdesk: the
//! promises that need memory hold across instances, through a Redis outage and a restart.

mod support;

use reference_helpdesk::Fault;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use support::fleet::{self, Outcome, send_create, stored, ticket};
use tokio::sync::Semaphore;

/// Limits no test reaches but the one about limits.
const ROOMY: &str = "create_burst = 10000\ncreate_per_hour = 3600000";

fn creates(helpdesk: &reference_helpdesk::Helpdesk) -> usize {
    helpdesk
        .calls()
        .iter()
        .filter(|c| c.script == "tickets_create.php")
        .count()
}

#[tokio::test]
async fn one_key_sent_to_both_instances_at_once_files_one_ticket() {
    let (redis, helpdesk, _, a, b) = fleet::fleet(ROOMY, 10).await;
    // Slow enough that both copies are in flight together.
    helpdesk.set_fault(Some(Fault::Delay(Duration::from_millis(400))));
    let client = reqwest::Client::new();
    for n in 0..4 {
        let (key, email) = (format!("both-{n}"), format!("pair{n}@example.com"));
        let body = ticket(&format!("Pair {n}"), &email);
        let (first, second) = tokio::join!(
            send_create(&client, &a.base, &key, &email, &body),
            send_create(&client, &b.base, &key, &email, &body),
        );
        let (first, second) = (first.expect("answer"), second.expect("answer"));
        assert_eq!((first.status, second.status), (201, 201), "{n}");
        assert_eq!(first.body["ticket_id"], second.body["ticket_id"], "{n}");
    }
    assert_eq!(creates(&helpdesk), 4, "one upstream create per key");
    // Another visitor's copy of a key is another request; another body under a key is a 409.
    helpdesk.set_fault(None);
    let other = send_create(
        &client,
        &b.base,
        "both-0",
        "zoe@example.com",
        &ticket("Zoe", "zoe@example.com"),
    )
    .await
    .expect("answer");
    assert_eq!(other.status, 201);
    let changed = send_create(
        &client,
        &a.base,
        "both-0",
        "pair0@example.com",
        &ticket("Changed", "pair0@example.com"),
    )
    .await
    .expect("answer");
    assert_eq!(changed.status, 409, "{}", changed.body);
    // Redis holds digests, never an email or the token.
    let keys = redis.keys();
    assert!(
        keys.iter().any(|k| k.starts_with("helpdock:shop:idem:")),
        "{keys:?}"
    );
    for key in &keys {
        let value = redis.get(key);
        for secret in ["@example.com", support::TOKEN, support::SITE_SECRET] {
            assert!(
                !key.contains(secret) && !value.contains(secret),
                "{key} = {value}"
            );
        }
    }
}

#[tokio::test]
async fn a_visitors_create_limit_holds_across_instances() {
    let limits = "create_burst = 3\ncreate_per_hour = 1";
    let (_redis, helpdesk, _, a, b) = fleet::fleet(limits, 10).await;
    let client = reqwest::Client::new();
    let email = "eager@example.com";
    let mut statuses = Vec::new();
    for n in 0..6 {
        let base = if n % 2 == 0 { &a.base } else { &b.base };
        let sent = send_create(
            &client,
            base,
            &format!("limit-{n}"),
            email,
            &ticket(&format!("Eager {n}"), email),
        )
        .await
        .expect("answer");
        statuses.push(sent.status);
    }
    // One bucket for the visitor, wherever the request lands (per instance, it would be 6 × 201).
    assert_eq!(statuses, [201, 201, 201, 429, 429, 429]);
    assert_eq!(creates(&helpdesk), 3);
}

/// Every create answered 201 once, each subject stored once, with the id its client was given.
fn assert_exactly_once(outcomes: &[(String, Outcome)], stored: &BTreeMap<String, Vec<u64>>) {
    for (subject, outcome) in outcomes {
        let id = outcome
            .ticket_id
            .unwrap_or_else(|| panic!("{subject} never answered: {outcome:?}"));
        assert_eq!(
            stored.get(subject),
            Some(&vec![id]),
            "{subject}: stored once, as acknowledged"
        );
    }
    assert_eq!(
        stored.len(),
        outcomes.len(),
        "nothing stored that no client asked for"
    );
}

#[tokio::test]
async fn redis_stopped_mid_run_loses_no_acknowledged_create_and_files_none_twice() {
    let (mut redis, helpdesk, addr, a, b) = fleet::fleet(ROOMY, 10).await;
    helpdesk.set_fault(Some(Fault::Delay(Duration::from_millis(30))));
    let outage = async {
        redis.stop();
        tokio::time::sleep(Duration::from_millis(1500)).await;
        redis.start_again();
    };
    let progress = Arc::new(Semaphore::new(0));
    let bases = [a.base.clone(), b.base.clone()];
    let clients = fleet::spawn_clients("outage", 60, 8, &bases, Some(progress.clone()));
    // A third of the creates answered, then Redis goes away for a while.
    let _ = progress.acquire_many(20).await;
    outage.await;
    let outcomes = fleet::collect(clients).await;
    let refused: u32 = outcomes
        .iter()
        .map(|(_, o)| o.codes.get("state_unavailable").copied().unwrap_or(0))
        .sum();
    assert!(refused > 0, "the outage was met: {outcomes:?}");
    helpdesk.set_fault(None);
    assert_exactly_once(
        &outcomes,
        &stored(addr, &fleet::client_emails("outage", 8)).await,
    );
}

#[tokio::test]
async fn retries_after_a_proxy_restart_file_nothing_twice() {
    let (_redis, helpdesk, addr, mut a, b) = fleet::fleet(ROOMY, 10).await;
    let client = reqwest::Client::new();
    let mut answered = Vec::new();
    for n in 0..10 {
        let (key, email) = (format!("restart-{n}"), "kim@example.com".to_owned());
        let sent = send_create(&client, &a.base, &key, &email, &ticket(&key, &email))
            .await
            .expect("answer");
        assert_eq!(sent.status, 201);
        answered.push((key, email, sent.body["ticket_id"].clone()));
    }
    a.restart();
    for (n, (key, email, id)) in answered.iter().enumerate() {
        // Half to the restarted instance, half to the other: both know every key.
        let base = if n % 2 == 0 { &a.base } else { &b.base };
        let again = send_create(&client, base, key, email, &ticket(key, email))
            .await
            .expect("answer");
        assert_eq!((again.status, &again.body["ticket_id"]), (201, id), "{key}");
    }
    assert_eq!(
        creates(&helpdesk),
        10,
        "the retries were replayed, not filed"
    );
    let stored = stored(addr, &["kim@example.com".to_owned()]).await;
    assert!(
        stored.values().all(|ids| ids.len() == 1) && stored.len() == 10,
        "{stored:?}"
    );
}

#[tokio::test]
async fn with_redis_down_writes_are_refused_with_retry_after_and_reads_go_on() {
    let (mut redis, _helpdesk, _, a, _b) = fleet::fleet(ROOMY, 10).await;
    let client = reqwest::Client::new();
    let email = "lee@example.com";
    let filed = send_create(&client, &a.base, "down-0", email, &ticket("Before", email))
        .await
        .expect("answer");
    assert_eq!(filed.status, 201);
    redis.stop();
    let refused = send_create(&client, &a.base, "down-1", email, &ticket("During", email))
        .await
        .expect("answer");
    assert_eq!(
        (refused.status, refused.body["code"].as_str()),
        (503, Some("state_unavailable")),
        "{}",
        refused.body
    );
    assert_eq!(refused.retry_after, Some(5));
    let list = client
        .get(format!("{}api/tickets_list.php", a.base))
        .header("X-Helpdock-Identity", support::identity(email))
        .send()
        .await
        .expect("list");
    assert_eq!(list.status(), 200, "reads keep working");
    let ready = client
        .get(format!("{}readyz", a.base))
        .send()
        .await
        .expect("readyz");
    assert_eq!(ready.status(), 503);
    let body: serde_json::Value = ready.json().await.expect("json");
    assert_eq!(body["state"], "unavailable");
    redis.start_again();
    // The connection comes back by itself.
    let mut status = 0;
    for _ in 0..50 {
        let sent = send_create(&client, &a.base, "down-1", email, &ticket("During", email))
            .await
            .expect("answer");
        status = sent.status;
        if status == 201 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(status, 201, "writes resume once Redis is back");
}
