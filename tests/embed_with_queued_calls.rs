//! A site owner pastes the one-line embed and, in an inline script that runs before the loader,
//! queues calls through the stub: listeners, two `identify`s (a sign-in switch), a `prefill`,
//! `open`, and two calls with wrong arguments. Once the widget loads, the calls take effect in
//! order (the second identity wins, the panel opens, the listeners hear `ready` and `open`), each
//! wrong call logs one console warning and changes nothing, and nothing throws. A page that never
//! opens the widget gets nothing written to localStorage and no cookie.

use fantoccini::Client;
use helpdock_e2e::host::loader_tag;
use helpdock_e2e::widget::Deadline;
use helpdock_e2e::{DemoStack, HostPages, Widget, with_browser};
use serde_json::Value;
use std::time::Duration;

const ANN: &str = "ann.queued@example.com";
const BO: &str = "bo.queued@example.com";

/// A host page: a console and error recorder, the queue stub, `calls`, then the embed tag.
fn page(calls: &str, proxy_url: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Queued calls</title>
<script>
  window.seen = {{ warnings: [], errors: [], events: [] }};
  (function () {{
    var warn = console.warn, error = console.error;
    var text = function (args) {{ return [].map.call(args, String).join(' '); }};
    console.warn = function () {{ seen.warnings.push(text(arguments)); return warn.apply(console, arguments); }};
    console.error = function () {{ seen.errors.push(text(arguments)); return error.apply(console, arguments); }};
    window.addEventListener('error', function (e) {{ seen.errors.push('uncaught: ' + e.message); }});
    window.addEventListener('unhandledrejection', function (e) {{ seen.errors.push('unhandled: ' + e.reason); }});
  }})();
  window.Helpdock = window.Helpdock || function(){{(Helpdock.q = Helpdock.q || []).push(arguments)}};
  {calls}
</script>
</head>
<body>
<h1>A shop that queues its calls</h1>
<p>Nothing here but the widget.</p>
{loader}
</body>
</html>"#,
        loader = loader_tag(proxy_url)
    )
}

/// `Helpdock('identify', …)` with what the shop's backend signed for `email`.
fn identify(stack: &DemoStack, email: &str) -> String {
    format!("Helpdock('identify', {});", stack.sign_in(email))
}

/// The page's record: warnings, errors, and the events the listeners heard.
async fn seen(client: &Client) -> (Vec<String>, Vec<String>, Vec<String>) {
    let seen = client
        .execute("return window.seen;", vec![])
        .await
        .expect("read the page's record");
    let list = |key: &str| -> Vec<String> {
        seen[key]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .collect()
    };
    (list("warnings"), list("errors"), list("events"))
}

/// What the page's origin has stored: localStorage keys and `document.cookie`.
async fn stored(client: &Client) -> Value {
    client
        .execute(
            "return { keys: Object.keys(localStorage), cookie: document.cookie };",
            vec![],
        )
        .await
        .expect("read the page's storage")
}

#[tokio::test]
async fn calls_queued_before_the_loader_run_in_order_and_wrong_ones_only_warn() {
    let host = HostPages::start();
    let stack = DemoStack::start_for_origin(&host.origin);
    let calls = format!(
        "Helpdock('on', 'ready', function () {{ seen.events.push('ready'); }});
         Helpdock('on', 'open', function () {{ seen.events.push('open'); }});
         {bo}
         {ann}
         Helpdock('prefill', {{ subject: 'Order A-1 is late' }});
         Helpdock('open');
         Helpdock('close', 'now');
         Helpdock('identify', {{ email: 'mallory@example.com' }});",
        bo = identify(&stack, BO),
        ann = identify(&stack, ANN),
    );
    let url = host.serve("/queued.html", page(&calls, &stack.proxy_url));
    with_browser(move |client| async move {
        client.goto(&url).await.expect("open the host page");
        let w = Widget::new(&client);
        w.find("panel").await;
        // The second identify replaced the first; the wrong one changed nothing.
        let email = w.wait_for_value("field-email", ANN).await;
        assert!(
            email.attr("readonly").await.expect("attr").is_some(),
            "the signed email is locked"
        );

        let deadline = Deadline::start();
        let (warnings, errors, events) = loop {
            let (warnings, errors, events) = seen(&client).await;
            if events.contains(&"open".to_owned()) && warnings.len() >= 2 {
                break (warnings, errors, events);
            }
            deadline
                .retry(|| format!("listeners heard {events:?}; warnings {warnings:?}"))
                .await;
        };
        // Late warnings would show up here.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let (warnings_after, errors_after, events_after) = seen(&client).await;
        assert_eq!(warnings_after, warnings, "no further warnings");
        assert_eq!(errors_after, errors);
        assert_eq!(events_after, events);

        assert_eq!(
            events.iter().filter(|e| *e == "open").count(),
            1,
            "one open event: {events:?}"
        );
        assert_eq!(
            events.iter().filter(|e| *e == "ready").count(),
            1,
            "one ready event: {events:?}"
        );
        assert_eq!(
            warnings.len(),
            2,
            "one warning per wrong call: {warnings:?}"
        );
        assert!(
            warnings[0].contains("[helpdock]") && warnings[0].contains("close"),
            "the first warning names the wrong close: {warnings:?}"
        );
        assert!(
            warnings[1].contains("[helpdock]") && warnings[1].contains("identify"),
            "the second warning names the wrong identify: {warnings:?}"
        );
        assert!(
            errors.is_empty(),
            "nothing threw or logged an error: {errors:?}"
        );
        assert!(
            w.find("panel")
                .await
                .attr("hidden")
                .await
                .expect("attr")
                .is_none(),
            "the wrong close did not close the panel"
        );
    })
    .await;
    drop(stack);
    drop(host);
}

#[tokio::test]
async fn a_page_that_never_opens_the_widget_stores_nothing() {
    let host = HostPages::start();
    let stack = DemoStack::start_for_origin(&host.origin);
    let calls = format!(
        "Helpdock('on', 'ready', function () {{ seen.events.push('ready'); }});
         Helpdock('on', 'open', function () {{ seen.events.push('open'); }});
         {ann}
         Helpdock('prefill', {{ subject: 'Not sent' }});",
        ann = identify(&stack, ANN),
    );
    let url = host.serve("/closed.html", page(&calls, &stack.proxy_url));
    with_browser(move |client| async move {
        client.goto(&url).await.expect("open the host page");
        let w = Widget::new(&client);
        w.find("launcher").await;
        // The widget may load now or when the browser is idle; give it time to do either.
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while std::time::Instant::now() < deadline {
            let (_, _, events) = seen(&client).await;
            if events.contains(&"ready".to_owned()) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        let before = stored(&client).await;
        assert_eq!(
            before,
            serde_json::json!({"keys": [], "cookie": ""}),
            "nothing is stored before the visitor opens the widget"
        );
        assert!(w.all("panel").await.is_empty(), "no panel is built");

        w.click("launcher").await;
        w.wait_for_value("field-email", ANN).await;
        let (warnings, errors, events) = seen(&client).await;
        assert!(
            events.contains(&"ready".to_owned()) && events.contains(&"open".to_owned()),
            "the listeners heard ready and open: {events:?}"
        );
        assert!(warnings.is_empty(), "no warnings: {warnings:?}");
        assert!(errors.is_empty(), "no errors: {errors:?}");
        let after = stored(&client).await;
        assert_eq!(after["cookie"], "", "the widget never sets a cookie");
    })
    .await;
    drop(stack);
    drop(host);
}

#[tokio::test]
async fn a_queued_prefill_fills_the_form_fields_the_visitor_has_not_typed_in() {
    let host = HostPages::start();
    let stack = DemoStack::start_for_origin(&host.origin);
    let calls =
        "Helpdock('prefill', { subject: 'Order A-1 is late', message: 'Tracking says lost.',
                   fields: { 'Order number': 'A-1' } });
                 Helpdock('open');";
    let url = host.serve("/prefill.html", page(calls, &stack.proxy_url));
    with_browser(move |client| async move {
        client.goto(&url).await.expect("open the host page");
        let w = Widget::new(&client);
        w.wait_for_value("field-subject", "Order A-1 is late").await;
        w.wait_for_value("field-message", "Tracking says lost.")
            .await;
        w.wait_for_value("field-custom-1", "A-1").await;
        let (warnings, errors, _) = seen(&client).await;
        assert!(
            warnings.is_empty() && errors.is_empty(),
            "{warnings:?} {errors:?}"
        );
    })
    .await;
    drop(stack);
    drop(host);
}
