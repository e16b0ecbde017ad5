//! A visitor who relies on assistive technology can use every state of the widget: axe-core finds
//! no violation in the closed launcher, the empty "My tickets", the form, the form showing
//! errors, the confirmation, "My tickets", a thread, the launcher with an unread reply and the
//! thread opened at it, in the light theme, the dark theme and right-to-left Arabic. The light
//! and Arabic walks are on the demo shop, which sets no theme, with the visitor's system in dark
//! mode: the widget stays light. The dark walk is on a page whose tag says `data-theme="auto"`.
//! A screenshot of each state is saved as `artifacts/e2e/accessibility_audit/<state>-<theme>.png`.

use fantoccini::Client;
use helpdock_e2e::audit::{Violation, axe_violations, save_state_screenshot};
use helpdock_e2e::cdp::emulate_color_scheme;
use helpdock_e2e::widget::FIND_ROOT;
use helpdock_e2e::{DemoStack, HostPages, Widget, with_browser};
use serde_json::Value;

const STORY: &str = "accessibility_audit";

/// What axe found in one state of one theme.
struct Finding {
    state: &'static str,
    theme: &'static str,
    violations: Vec<Violation>,
}

/// Audits and photographs the widget as it is now.
async fn check(
    client: &Client,
    findings: &mut Vec<Finding>,
    state: &'static str,
    theme: &'static str,
) {
    let violations = axe_violations(client).await;
    let shot = save_state_screenshot(client, STORY, state, theme).await;
    println!(
        "{theme:>5} {state:<17} {} violation(s), screenshot {}",
        violations.len(),
        shot.display()
    );
    findings.push(Finding {
        state,
        theme,
        violations,
    });
}

/// Whether the open panel lays itself out right to left (its computed `direction`).
async fn panel_is_rtl(client: &Client) -> bool {
    let script = format!(
        "{FIND_ROOT} const el = root && root.querySelector('[data-testid=panel]');
         return !!el && getComputedStyle(el).direction === 'rtl';"
    );
    client
        .execute(&script, vec![])
        .await
        .expect("read the direction")
        == Value::Bool(true)
}

/// The panel's background colour.
async fn panel_background(w: &Widget) -> Value {
    w.eval("return getComputedStyle($('panel')).backgroundColor;")
        .await
}

/// Walks one theme through every state, filing one ticket on the way; support answers it.
async fn walk_states(
    client: &Client,
    stack: &DemoStack,
    url: &str,
    theme: &'static str,
    findings: &mut Vec<Finding>,
) {
    // The visitor's system is dark in every walk: only the dark walk's page asks to follow it.
    emulate_color_scheme(client, "dark").await;
    client.goto(url).await.expect("open the host page");
    // A first-time visitor: no guest pass from an earlier walk on this page's origin.
    client
        .execute("localStorage.clear();", vec![])
        .await
        .expect("clear localStorage");
    client.refresh().await.expect("reload the host page");
    let w = Widget::new(client);
    w.find("launcher").await;
    if theme == "rtl" {
        // Arabic, as the host page would ask; the panel shows whether the widget followed.
        client
            .execute("Helpdock('setLocale', 'ar'); Helpdock('open');", vec![])
            .await
            .expect("Helpdock('setLocale', 'ar')");
        w.find("field-custom-1").await;
        let rtl = panel_is_rtl(client).await;
        client
            .execute("Helpdock('close');", vec![])
            .await
            .expect("Helpdock('close')");
        assert!(
            rtl,
            "after Helpdock('setLocale', 'ar') the panel must lay out right to left"
        );
        w.wait_for_hidden("panel").await;
    }
    check(client, findings, "closed", theme).await;

    w.click("launcher").await;
    w.find("field-custom-1").await;
    let background = panel_background(&w).await;
    let light = background == "rgb(255, 255, 255)";
    assert_eq!(light, theme != "dark", "{theme}: the panel is {background}");
    check(client, findings, "form", theme).await;

    w.click("tab-history").await;
    w.find("empty-new-ticket").await;
    check(client, findings, "history-empty", theme).await;
    w.click("tab-new").await;

    w.click("submit-ticket").await;
    w.find("error-subject").await;
    check(client, findings, "form-with-errors", theme).await;

    w.fill(&[
        ("field-email", "aya@example.com"),
        ("field-subject", "Grinder is noisy"),
        ("field-message", "It squeaks since Monday."),
        ("field-custom-1", "ORD-4004"),
    ])
    .await;
    w.submit_ticket().await;
    let id = w.created_ticket_id().await;
    check(client, findings, "confirmation", theme).await;

    w.click("tab-history").await;
    w.find(&format!("ticket-row-{id}")).await;
    check(client, findings, "history", theme).await;

    w.click(&format!("ticket-row-{id}")).await;
    w.wait_for_count("thread-message", 1).await;
    w.type_into("reply-input", "Also, it is loud.").await;
    w.click("reply-send").await;
    w.wait_for_count("thread-message", 2).await;
    check(client, findings, "thread", theme).await;

    w.click("close-panel").await;
    stack.add_reply(&id, true, "It is the burr: a new one is on its way.");
    client.refresh().await.expect("reload the host page");
    if theme == "rtl" {
        client
            .execute("Helpdock('setLocale', 'ar');", vec![])
            .await
            .expect("Helpdock('setLocale', 'ar')");
    }
    w.find("unread-badge").await;
    check(client, findings, "closed-unread", theme).await;
    w.click("launcher").await;
    w.find("new-divider").await;
    check(client, findings, "thread-new", theme).await;
}

#[tokio::test]
async fn every_state_passes_axe_in_light_dark_and_rtl() {
    let pages = HostPages::start();
    let stack = std::sync::Arc::new(DemoStack::start_for_origin(&pages.origin));
    let shop = stack.url.clone();
    let auto = pages.serve(
        "/auto.html",
        format!(
            r#"<!doctype html><html lang="en"><head><title>A shop that follows the system</title></head>
               <body><h1>A shop</h1><script async src="{}widget.js" data-site="demo" data-theme="auto"></script></body></html>"#,
            stack.proxy_url
        ),
    );
    let walks = stack.clone();
    with_browser(move |client| async move {
        let mut findings = Vec::new();
        for (theme, url) in [("light", &shop), ("dark", &auto), ("rtl", &shop)] {
            walk_states(&client, &walks, url, theme, &mut findings).await;
        }
        let failed: Vec<&Finding> = findings
            .iter()
            .filter(|f| !f.violations.is_empty())
            .collect();
        let report: String = failed
            .iter()
            .map(|f| {
                let list: String = f.violations.iter().map(ToString::to_string).collect();
                format!("{} / {}:\n{list}", f.theme, f.state)
            })
            .collect();
        assert!(
            failed.is_empty(),
            "axe-core found violations in {} of {} states:\n{report}",
            failed.len(),
            findings.len()
        );
    })
    .await;
    drop(pages);
}
