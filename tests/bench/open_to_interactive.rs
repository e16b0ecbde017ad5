//! `./run bench`: how long from a click on the launcher until the form is usable, in headless
//! Chromium against the demo on loopback. Cold: a fresh browser profile (empty cache), clicking as
//! soon as the launcher shows. Warm: the same browser after a reload (files cached). Times are
//! taken inside the page (the click event's timestamp to `performance.now()` when the first field
//! takes focus), so WebDriver round trips do not count. Prints figures; never fails on a time.
//!
//! `HELPDOCK_BENCH_RUNS` sets the number of cold runs (default 5; two warm opens follow each).

use fantoccini::Client;
use helpdock_e2e::{DemoStack, Widget, with_browser};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Warm opens after each cold one.
const WARM_PER_COLD: usize = 2;

/// Records, inside the page, the click on the launcher and when the form became usable:
/// `firstField` (the first field is shown and takes focus) and `allFields` (the helpdesk's custom
/// fields are rendered too). Polls from the click on, every task turn.
const PROBE: &str = "
  const bench = window.hdBench = { click: null, firstField: null, allFields: null };
  const check = () => {
    const now = performance.now();
    const host = document.querySelector('helpdock-widget, #helpdock');
    const root = host && host.shadowRoot;
    if (bench.firstField === null && root) {
      const field = root.querySelector('[data-testid=panel] [data-testid^=\"field-\"]');
      if (field && !field.disabled && field.getClientRects().length
          && getComputedStyle(field).visibility === 'visible') {
        field.focus();
        if (root.activeElement === field) bench.firstField = now;
      }
    }
    if (bench.allFields === null && root && root.querySelector('[data-testid=field-custom-1]')) {
      bench.allFields = now;
    }
    if (bench.firstField === null || bench.allFields === null) setTimeout(check, 0);
  };
  window.addEventListener('click', (event) => {
    if (bench.click !== null) return;
    bench.click = event.timeStamp;
    setTimeout(check, 0);
  }, true);
";

/// One open: milliseconds from the click to a usable first field, and to all fields.
#[derive(Clone, Copy, Debug)]
struct Open {
    first_field: f64,
    all_fields: f64,
}

/// Clicks the launcher of the loaded page and measures the open.
async fn measure_open(client: &Client) -> Open {
    let w = Widget::new(client);
    w.find("launcher").await;
    client
        .execute(PROBE, vec![])
        .await
        .expect("install the probe");
    w.click("launcher").await;
    let mut tries = 0;
    let times = loop {
        let times = client
            .execute("return window.hdBench;", vec![])
            .await
            .expect("read the probe");
        let done = |key: &str| times[key].is_number();
        if done("click") && done("firstField") && done("allFields") {
            break times;
        }
        tries += 1;
        assert!(tries < 400, "the form never became usable: {times}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    // Typing works: the field the probe focused takes keys (after what a restored draft holds:
    // warm opens reload a page whose earlier open typed here).
    let before = w
        .find("field-email")
        .await
        .prop("value")
        .await
        .expect("the field's value")
        .unwrap_or_default();
    w.type_into("field-email", "x").await;
    w.wait_for_value("field-email", &format!("{before}x")).await;
    let ms = |key: &str| {
        times[key].as_f64().unwrap_or(f64::NAN) - times["click"].as_f64().unwrap_or(f64::NAN)
    };
    Open {
        first_field: ms("firstField"),
        all_fields: ms("allFields"),
    }
}

fn row(label: &str, values: &[f64]) {
    let mut sorted: Vec<f64> = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let median = match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    };
    let (min, max) = (
        sorted.first().copied().unwrap_or(f64::NAN),
        sorted.last().copied().unwrap_or(f64::NAN),
    );
    println!("{label:<34} {median:>8.1} {min:>8.1} {max:>8.1}");
}

#[tokio::main]
async fn main() {
    let runs: usize = std::env::var("HELPDOCK_BENCH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let stack = DemoStack::start();
    let cold = Arc::new(Mutex::new(Vec::new()));
    let warm = Arc::new(Mutex::new(Vec::new()));
    for _ in 0..runs {
        let (url, cold, warm) = (stack.url.clone(), cold.clone(), warm.clone());
        with_browser(move |client| async move {
            client.goto(&url).await.expect("open the host page");
            let open = measure_open(&client).await;
            cold.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(open);
            for _ in 0..WARM_PER_COLD {
                client.goto(&url).await.expect("reload the host page");
                let open = measure_open(&client).await;
                warm.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(open);
            }
        })
        .await;
    }
    let cold = cold.lock().unwrap_or_else(PoisonError::into_inner).clone();
    let warm = warm.lock().unwrap_or_else(PoisonError::into_inner).clone();
    println!(
        "launcher click -> interactive form, headless Chromium on loopback \
         ({} cold, {} warm opens; ms from the click event)",
        cold.len(),
        warm.len()
    );
    println!("{:<34} {:>8} {:>8} {:>8}", "", "median", "min", "max");
    for (name, opens) in [("cold", &cold), ("warm", &warm)] {
        let first: Vec<f64> = opens.iter().map(|o| o.first_field).collect();
        let all: Vec<f64> = opens.iter().map(|o| o.all_fields).collect();
        row(&format!("{name}: first field takes focus"), &first);
        row(&format!("{name}: custom fields shown"), &all);
    }
}
