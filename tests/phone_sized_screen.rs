//! A visitor on a phone (375 × 700 CSS pixels) opens Helpdock: the panel takes the whole screen,
//! every field is at least 16 px (so iOS does not zoom into it), the close button is on screen,
//! and closing gives the page back with the launcher in its corner.

use fantoccini::Client;
use helpdock_e2e::audit::save_state_screenshot;
use helpdock_e2e::cdp::cdp;
use helpdock_e2e::widget::{Deadline, FIND_ROOT};
use helpdock_e2e::{DemoStack, Widget, with_browser};
use serde_json::{Value, json};

const STORY: &str = "phone_sized_screen";
const WIDTH: f64 = 375.0;
const HEIGHT: f64 = 700.0;

/// The box of the widget's element `testid` and the viewport, or `Null` when it is missing.
async fn layout(client: &Client, testid: &str) -> Value {
    let script = format!(
        "{FIND_ROOT}
         const el = root && root.querySelector('[data-testid=\"' + arguments[0] + '\"]');
         if (!el) return null;
         const r = el.getBoundingClientRect();
         return {{ x: r.left, y: r.top, w: r.width, h: r.height, vw: innerWidth, vh: innerHeight }};"
    );
    client
        .execute(&script, vec![Value::from(testid)])
        .await
        .unwrap_or_else(|e| panic!("layout of {testid}: {e}"))
}

/// The smallest computed font size among the form's inputs, selects and textareas.
async fn smallest_field_font(client: &Client) -> f64 {
    let script = format!(
        "{FIND_ROOT}
         const fields = [...root.querySelectorAll('input:not([type=checkbox]), select, textarea')]
           .filter(el => el.offsetWidth > 0);
         return fields.length ? Math.min(...fields.map(el => parseFloat(getComputedStyle(el).fontSize))) : 0;"
    );
    let size = client.execute(&script, vec![]).await.expect("font sizes");
    size.as_f64().unwrap_or(0.0)
}

fn num(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or(f64::NAN)
}

#[tokio::test]
async fn on_a_phone_the_panel_takes_the_whole_screen_with_16px_fields() {
    let stack = DemoStack::start();
    let url = stack.url.clone();
    with_browser(move |client| async move {
        cdp(
            &client,
            "Emulation.setDeviceMetricsOverride",
            json!({"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 2, "mobile": true}),
        )
        .await;
        client.goto(&url).await.expect("open the host page");
        let w = Widget::new(&client);
        w.click("launcher").await;
        w.find("field-custom-1").await;

        // The panel slides in (unless the visitor asks for reduced motion): look until it rests.
        let covers = |v: &Value| {
            [("x", 0.0), ("y", 0.0), ("w", WIDTH), ("h", HEIGHT)]
                .iter()
                .all(|(key, want)| (num(v, key) - want).abs() <= 1.0)
        };
        let deadline = Deadline::start();
        loop {
            let panel = layout(&client, "panel").await;
            assert_eq!(num(&panel, "vw"), WIDTH, "the phone viewport: {panel}");
            if covers(&panel) {
                break;
            }
            deadline
                .retry(|| format!("the panel must cover the whole screen: {panel}"))
                .await;
        }
        let font = smallest_field_font(&client).await;
        assert!(font >= 16.0, "a field is {font} px: iOS would zoom in");
        let close = layout(&client, "close-panel").await;
        assert!(
            num(&close, "x") >= 0.0 && num(&close, "x") + num(&close, "w") <= WIDTH + 0.5,
            "the close button is on screen: {close}"
        );
        save_state_screenshot(&client, STORY, "form", "phone").await;

        w.click("close-panel").await;
        w.wait_for_hidden("panel").await;
        let launcher = layout(&client, "launcher").await;
        assert!(
            num(&launcher, "x") + num(&launcher, "w") <= WIDTH
                && num(&launcher, "y") + num(&launcher, "h") <= HEIGHT
                && num(&launcher, "x") > WIDTH / 2.0,
            "the launcher is back in the bottom corner: {launcher}"
        );
    })
    .await;
}
