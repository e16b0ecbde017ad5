//! A host page whose own CSS is hostile (`* { all: unset !important }`, `div { display: none
//! !important }`, red 40 px buttons, tiny root font, garish inputs, every child of `body` moved,
//! blurred, faded and hidden) cannot break the widget: the
//! launcher is a 56 px circle in the corner, the panel opens at full size, the controls keep the
//! widget's look, and a ticket is filed end to end. The widget's CSS does not leak out either.

use fantoccini::Client;
use helpdock_e2e::audit::save_state_screenshot;
use helpdock_e2e::host::loader_tag;
use helpdock_e2e::widget::FIND_ROOT;
use helpdock_e2e::{DemoStack, HostPages, Widget, with_browser};
use serde_json::Value;

const STORY: &str = "hostile_host_css";

const HOSTILE_CSS: &str = "
  * { all: unset !important; }
  div { display: none !important; }
  html { font-size: 5px !important; }
  button { color: red !important; font-size: 40px !important; }
  input, textarea, select { border: 5px solid lime !important; font-size: 8px !important; }
  section, form, label, p, ul, li { display: inline !important; margin: 50px !important; }
  svg { display: none !important; }
  [hidden] { display: block !important; }
  body > * { transform: translateX(-300px) !important; filter: blur(4px) !important;
             opacity: 0.2 !important; visibility: hidden !important; }
";

/// A host page with `css` in its head, some content of its own, and the embed tag.
fn page(css: &str, proxy_url: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Hostile shop</title><style>{css}</style></head>
<body>
<div class="shop"><h1>A shop with rude CSS</h1><p>Its own divs are hidden.</p></div>
<p class="hd-launcher hd-panel hd-root hd-button" id="probe">A paragraph named like the widget's parts</p>
<button type="button" id="own-button">The shop's own button</button>
{loader}
</body>
</html>"#,
        loader = loader_tag(proxy_url)
    )
}

/// Layout and computed style of the widget's element `testid`, or `Null` when it is missing.
async fn look(client: &Client, testid: &str) -> Value {
    let script = format!(
        "{FIND_ROOT}
         const el = root && root.querySelector('[data-testid=\"' + arguments[0] + '\"]');
         if (!el) return null;
         const r = el.getBoundingClientRect(), s = getComputedStyle(el);
         return {{ x: r.left, y: r.top, w: r.width, h: r.height, vw: innerWidth, vh: innerHeight,
                  color: s.color, background: s.backgroundColor, fontSize: parseFloat(s.fontSize),
                  border: s.borderTopColor + ' ' + s.borderTopWidth, display: s.display,
                  visibility: s.visibility, opacity: s.opacity }};"
    );
    client
        .execute(&script, vec![Value::from(testid)])
        .await
        .unwrap_or_else(|e| panic!("look at {testid}: {e}"))
}

fn num(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or(f64::NAN)
}

/// The common sense of a shown control: on screen, visible, not in the host's red and lime.
fn assert_looks_like_ours(testid: &str, v: &Value) {
    assert!(!v.is_null(), "{testid} is missing");
    assert!(
        num(v, "w") > 0.0 && num(v, "h") > 0.0,
        "{testid} has no size: {v}"
    );
    assert!(
        num(v, "x") >= 0.0
            && num(v, "y") >= 0.0
            && num(v, "x") + num(v, "w") <= num(v, "vw") + 0.5
            && num(v, "y") + num(v, "h") <= num(v, "vh") + 0.5,
        "{testid} is off screen: {v}"
    );
    assert!(
        v["visibility"] == "visible" && v["opacity"] != "0",
        "{testid} is invisible: {v}"
    );
    assert_ne!(
        v["color"], "rgb(255, 0, 0)",
        "{testid} took the host's red: {v}"
    );
    assert!(
        !v["border"]
            .as_str()
            .unwrap_or_default()
            .contains("rgb(0, 255, 0)"),
        "{testid} took the host's lime border: {v}"
    );
    assert_ne!(
        num(v, "fontSize"),
        40.0,
        "{testid} took the host's 40 px: {v}"
    );
}

#[tokio::test]
async fn hostile_host_css_neither_breaks_the_widget_nor_gets_its_styles() {
    let host = HostPages::start();
    let stack = DemoStack::start_for_origin(&host.origin);
    let hostile = host.serve("/hostile.html", page(HOSTILE_CSS, &stack.proxy_url));
    let calm = host.serve("/calm.html", page("", &stack.proxy_url));
    with_browser(move |client| async move {
        client.goto(&hostile).await.expect("open the hostile page");
        let w = Widget::new(&client);
        w.find("launcher").await;
        let shop_div = client
            .execute(
                "return getComputedStyle(document.querySelector('.shop')).display;",
                vec![],
            )
            .await
            .expect("host div");
        assert_eq!(shop_div, "none", "the hostile CSS is in force on the page");

        save_state_screenshot(&client, STORY, "closed", "hostile").await;
        let host_style = client
            .execute(
                &format!(
                    "{FIND_ROOT} const s = getComputedStyle(host);
                     return [s.opacity, s.filter, s.transform, s.visibility];"
                ),
                vec![],
            )
            .await
            .expect("the widget's host element");
        assert_eq!(
            host_style,
            serde_json::json!(["1", "none", "none", "visible"]),
            "the page's rules for body's children do not reach the widget's host"
        );
        let launcher = look(&client, "launcher").await;
        assert_looks_like_ours("launcher", &launcher);
        for side in ["w", "h"] {
            let size = num(&launcher, side);
            assert!(
                (48.0..=64.0).contains(&size),
                "launcher is 56 px: {launcher}"
            );
        }
        let right_gap = num(&launcher, "vw") - num(&launcher, "x") - num(&launcher, "w");
        let bottom_gap = num(&launcher, "vh") - num(&launcher, "y") - num(&launcher, "h");
        assert!(
            (0.0..=48.0).contains(&right_gap) && (0.0..=48.0).contains(&bottom_gap),
            "launcher sits in the bottom right corner: {launcher}"
        );
        assert_ne!(
            launcher["background"], "rgba(0, 0, 0, 0)",
            "launcher keeps its colour"
        );

        w.click("launcher").await;
        w.find("field-custom-1").await;
        let panel = look(&client, "panel").await;
        assert_looks_like_ours("panel", &panel);
        assert!(
            num(&panel, "w") >= 300.0 && num(&panel, "h") >= 300.0,
            "the panel opens at its size: {panel}"
        );
        for id in [
            "field-email",
            "field-subject",
            "field-message",
            "field-custom-1",
        ] {
            let field = look(&client, id).await;
            assert_looks_like_ours(id, &field);
            assert!(
                num(&field, "fontSize") >= 16.0,
                "{id} keeps 16 px text (no iOS zoom), not the host's 8 px: {field}"
            );
            assert!(num(&field, "w") >= 100.0, "{id} is wide enough: {field}");
        }

        w.fill(&[
            ("field-email", "eve@example.com"),
            ("field-subject", "Rude CSS, polite widget"),
            ("field-message", "Still works."),
            ("field-custom-1", "ORD-9009"),
        ])
        .await;
        save_state_screenshot(&client, STORY, "form", "hostile").await;
        // Below the last field typed in (the site's lean form scrolls less): scrolled to, as the
        // visitor does.
        client
            .execute(
                &format!(
                    "{FIND_ROOT} root.querySelector('[data-testid=submit-ticket]').scrollIntoView({{block: 'nearest'}});"
                ),
                vec![],
            )
            .await
            .expect("scroll to the send button");
        let submit = look(&client, "submit-ticket").await;
        assert_looks_like_ours("submit-ticket", &submit);
        assert!(
            (24.0..=80.0).contains(&num(&submit, "h")),
            "the send button keeps its height: {submit}"
        );
        w.submit_ticket().await;
        w.created_ticket_id().await;

        // The other way round: on a calm page, the widget's class names style nothing outside.
        client.goto(&calm).await.expect("open the calm page");
        w.find("launcher").await;
        let probe = client
            .execute(
                "const s = getComputedStyle(document.getElementById('probe'));
                 return [s.position, s.backgroundColor, s.boxSizing, s.width !== '56px'];",
                vec![],
            )
            .await
            .expect("probe");
        assert_eq!(
            probe,
            serde_json::json!(["static", "rgba(0, 0, 0, 0)", "content-box", true]),
            "the widget's CSS leaked onto the page"
        );
        let own_button = client
            .execute(
                "const s = getComputedStyle(document.getElementById('own-button'));
                 return [s.borderRadius, s.backgroundColor];",
                vec![],
            )
            .await
            .expect("own button");
        assert_ne!(
            own_button[1], "rgb(37, 99, 235)",
            "the page's button took the widget's accent: {own_button}"
        );
    })
    .await;
    drop(stack);
    drop(host);
}
