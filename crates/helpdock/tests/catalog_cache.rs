//! The catalog (categories and custom fields) is kept in the proxy: a widget open asks the
//! helpdesk only when nothing fresh is kept, and a helpdesk outage does not empty the form.

mod support;

use helpdock::CatalogConfig;
use reference_helpdesk::Fault;
use std::time::Duration;
use support::{Stack, stack_with_catalog};

/// What a widget open asks for, in the order the widget asks.
const OPEN: [&str; 2] = [
    "/api/ticket_categories.php",
    "/api/ticket_custom_fields.php",
];

/// Opens the widget once; returns the helpdesk calls it cost and each answer's Cache-Control.
async fn open_widget(stack: &Stack) -> (usize, Vec<String>) {
    stack.helpdesk.clear_calls();
    let mut policies = Vec::new();
    for path in OPEN {
        let answer = stack.proxy.get(path).await;
        answer.expect(200);
        policies.push(
            answer
                .headers
                .get("cache-control")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned(),
        );
    }
    (stack.helpdesk.calls().len(), policies)
}

#[tokio::test]
async fn warm_widget_opens_cost_the_helpdesk_nothing() {
    let stack = stack_with_catalog(CatalogConfig::default()).await;
    let (cold, policies) = open_widget(&stack).await;
    assert_eq!(cold, 2, "a cold open asks for both lists");
    assert_eq!(policies, ["public, max-age=60", "public, max-age=60"]);
    for _ in 0..3 {
        let (warm, _) = open_widget(&stack).await;
        assert_eq!(warm, 0, "a warm open asks the helpdesk nothing");
    }
}

#[tokio::test]
async fn concurrent_cold_opens_ask_the_helpdesk_once_per_list() {
    let stack = stack_with_catalog(CatalogConfig::default()).await;
    // The helpdesk is slow, so every open arrives while the first one is still asking.
    stack
        .helpdesk
        .set_fault(Some(Fault::Delay(Duration::from_millis(300))));
    let mut opens = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let base = stack.proxy.base.clone();
        opens.spawn(async move {
            for path in OPEN {
                let answer = reqwest::get(format!("{base}{path}")).await.expect("answer");
                assert_eq!(answer.status(), 200);
            }
        });
    }
    while let Some(open) = opens.join_next().await {
        open.expect("open");
    }
    assert_eq!(stack.helpdesk.calls().len(), 2);
}

#[tokio::test]
async fn an_outage_after_the_ttl_serves_the_last_good_lists() {
    let stack = stack_with_catalog(CatalogConfig {
        ttl_secs: 1,
        keep_on_error_secs: 600,
    })
    .await;
    let categories = stack.proxy.get(OPEN[0]).await.expect(200);
    stack.helpdesk.set_fault(Some(Fault::DatabaseDown));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    stack.helpdesk.clear_calls();
    // Stale: served at once, refreshed behind the visitor's back (and failing).
    assert_eq!(stack.proxy.get(OPEN[0]).await.expect(200), categories);
    wait_for_calls(&stack, 1).await;
    assert_eq!(stack.proxy.get(OPEN[0]).await.expect(200), categories);
    // Healed: the next stale read refreshes for real.
    stack.helpdesk.set_fault(None);
    wait_for_calls(&stack, 2).await;
}

#[tokio::test]
async fn with_the_cache_off_every_open_asks_and_no_one_may_keep_the_lists() {
    let stack = stack_with_catalog(CatalogConfig {
        ttl_secs: 0,
        ..CatalogConfig::default()
    })
    .await;
    for _ in 0..2 {
        let (calls, policies) = open_widget(&stack).await;
        assert_eq!(calls, 2);
        assert_eq!(policies, ["no-cache", "no-cache"]);
    }
    // A failure is never kept by anyone, cache on or off.
    stack.helpdesk.set_fault(Some(Fault::DatabaseDown));
    let failed = stack.proxy.get(OPEN[0]).await;
    failed.expect_error(502, "upstream_unavailable");
    assert_eq!(
        failed.headers.get("cache-control").map(|v| v.as_bytes()),
        Some(&b"no-store"[..])
    );
}

/// Waits (up to 5 s) until the helpdesk has received at least `n` calls since the last clear.
async fn wait_for_calls(stack: &Stack, n: usize) {
    for _ in 0..100 {
        if stack.helpdesk.calls().len() >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the helpdesk saw {:?}", stack.helpdesk.calls());
}
