//! `./run bench`: how long from a click on the launcher until the form is usable, and from a click
//! on "My tickets" until the visitor's tickets are listed, in headless Chromium against the demo
//! on loopback. The visitor is signed in to the demo shop and has one ticket, so the list is asked
//! from the proxy. Cold: a fresh browser profile (empty cache), clicking the launcher as soon as it
//! shows and "My tickets" as soon as the form is usable (its chunk may still be on its way: the
//! panel prefetches it when the browser is idle). Warm: the same browser after a reload (files
//! cached). Times are taken inside the page (the click event's timestamp to `performance.now()`
//! when the first field takes focus, or the list is there), so WebDriver round trips do not count.
//! Prints figures; never fails on a time. Before the times, what the first cold open transferred,
//! as Chromium received it (the DevTools network events): each of the widget's files on the wire
//! (brotli), with its headers, and raw.
//!
//! `HELPDOCK_BENCH_RUNS` sets the number of cold runs (default 5; two warm opens follow each).

use fantoccini::{Client, Locator};
use helpdock_e2e::cdp::{Transfer, transfers};
use helpdock_e2e::pkg::built_files;
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
    // Typing works: the form takes keys (in the subject: the signed-in visitor's email is locked),
    // after what a restored draft holds (warm opens reload a page whose earlier open typed here).
    let before = w
        .find("field-subject")
        .await
        .prop("value")
        .await
        .expect("the field's value")
        .unwrap_or_default();
    w.type_into("field-subject", "x").await;
    w.wait_for_value("field-subject", &format!("{before}x"))
        .await;
    let ms = |key: &str| {
        times[key].as_f64().unwrap_or(f64::NAN) - times["click"].as_f64().unwrap_or(f64::NAN)
    };
    Open {
        first_field: ms("firstField"),
        all_fields: ms("allFields"),
    }
}

/// Records, inside the page, the click on "My tickets" and when the list showed a row.
const HISTORY_PROBE: &str = "
  const bench = window.hdHistory = { click: null, listed: null };
  const check = () => {
    const host = document.querySelector('helpdock-widget, #helpdock');
    const row = host && host.shadowRoot
      && host.shadowRoot.querySelector('[data-testid=ticket-list] [data-testid^=ticket-row-]');
    if (row && row.getClientRects().length) bench.listed = performance.now();
    else setTimeout(check, 0);
  };
  window.addEventListener('click', (event) => {
    if (bench.click !== null) return;
    bench.click = event.timeStamp;
    setTimeout(check, 0);
  }, true);
";

/// The visitor the bench signs in: the demo shop signs her email for the widget.
const VISITOR: &str = "bench.visitor@example.com";

/// Signs [`VISITOR`] in through the demo shop's own form, as a shopper would.
async fn sign_in(client: &Client) {
    let input = client
        .find(Locator::Id("demo-signin-email"))
        .await
        .expect("the shop's sign-in field");
    input.clear().await.expect("clear");
    input.send_keys(VISITOR).await.expect("type the email");
    client
        .find(Locator::Id("demo-signin"))
        .await
        .expect("the sign-in button")
        .click()
        .await
        .expect("sign in");
}

/// Clicks "My tickets" in the open panel; milliseconds until the visitor's ticket is listed.
async fn measure_history(client: &Client) -> f64 {
    let w = Widget::new(client);
    client
        .execute(HISTORY_PROBE, vec![])
        .await
        .expect("install the probe");
    w.click("tab-history").await;
    let mut tries = 0;
    loop {
        let times = client
            .execute("return window.hdHistory;", vec![])
            .await
            .expect("read the probe");
        if let (Some(click), Some(listed)) = (times["click"].as_f64(), times["listed"].as_f64()) {
            return listed - click;
        }
        tries += 1;
        assert!(tries < 400, "the list never showed: {times}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Files one ticket as [`VISITOR`], untimed, so that "My tickets" has a row to show.
async fn file_a_ticket(url: String) {
    with_browser(move |client| async move {
        client.goto(&url).await.expect("open the host page");
        sign_in(&client).await;
        let w = Widget::new(&client);
        w.click("launcher").await;
        w.fill(&[
            ("field-subject", "Bench"),
            ("field-message", "A ticket for the list"),
            ("field-custom-1", "ORD-1001"),
        ])
        .await;
        w.submit_ticket().await;
        w.created_ticket_id().await;
    })
    .await;
}

/// Prints what the first open transferred of the widget's files (from `proxy_url`, outside its
/// API): per file and in all, body on the wire, with headers, and the raw file.
fn print_transfers(all: &[Transfer], proxy_url: &str) {
    let files = built_files();
    println!("first open, cold, as Chromium received it (bytes; DevTools network events)");
    println!(
        "{:<44} {:>8} {:>10} {:>10} {:>10}",
        "file", "encoding", "on wire", "+headers", "raw"
    );
    let (mut body, mut total, mut raw, mut first_screen) = (0, 0, 0, (0, 0, 0));
    for t in all.iter().filter(|t| !t.from_cache) {
        let Some(path) = t.url.strip_prefix(proxy_url) else {
            continue;
        };
        if path.starts_with("api/") {
            continue;
        }
        let file = files.iter().find(|f| f.name == path);
        let size = file.map_or(0, |f| f.raw);
        let encoding = if t.content_encoding.is_empty() {
            "-"
        } else {
            &t.content_encoding
        };
        println!(
            "{path:<44} {encoding:>8} {:>10} {:>10} {size:>10}",
            t.body_bytes, t.total_bytes
        );
        (body, total, raw) = (body + t.body_bytes, total + t.total_bytes, raw + size);
        if file.is_some_and(|f| f.is_first_screen()) {
            first_screen = (
                first_screen.0 + t.body_bytes,
                first_screen.1 + t.total_bytes,
                first_screen.2 + size,
            );
        }
    }
    let (b, t, r) = first_screen;
    println!(
        "{:<44} {:>8} {b:>10} {t:>10} {r:>10}",
        "first screen (4 files)", ""
    );
    println!(
        "{:<44} {:>8} {body:>10} {total:>10} {raw:>10}",
        "all fetched by then", ""
    );
    println!();
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
    file_a_ticket(stack.url.clone()).await;
    let cold = Arc::new(Mutex::new(Vec::new()));
    let warm = Arc::new(Mutex::new(Vec::new()));
    let first_transfers = Arc::new(Mutex::new(Vec::new()));
    for run in 0..runs {
        let (url, cold, warm) = (stack.url.clone(), cold.clone(), warm.clone());
        let first_transfers = first_transfers.clone();
        with_browser(move |client| async move {
            client.goto(&url).await.expect("open the host page");
            sign_in(&client).await;
            let open = measure_open(&client).await;
            if run == 0 {
                *first_transfers
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = transfers(&client).await;
            }
            let history = measure_history(&client).await;
            cold.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((open, history));
            for _ in 0..WARM_PER_COLD {
                client.goto(&url).await.expect("reload the host page");
                sign_in(&client).await;
                let open = measure_open(&client).await;
                let history = measure_history(&client).await;
                warm.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push((open, history));
            }
        })
        .await;
    }
    print_transfers(
        &first_transfers
            .lock()
            .unwrap_or_else(PoisonError::into_inner),
        &stack.proxy_url,
    );
    let cold = cold.lock().unwrap_or_else(PoisonError::into_inner).clone();
    let warm = warm.lock().unwrap_or_else(PoisonError::into_inner).clone();
    println!(
        "launcher click -> interactive form, then \"My tickets\" click -> list shown, headless \
         Chromium on loopback ({} cold, {} warm opens; ms from the click event)",
        cold.len(),
        warm.len()
    );
    println!("{:<34} {:>8} {:>8} {:>8}", "", "median", "min", "max");
    for (name, opens) in [("cold", &cold), ("warm", &warm)] {
        let first: Vec<f64> = opens.iter().map(|(o, _)| o.first_field).collect();
        let all: Vec<f64> = opens.iter().map(|(o, _)| o.all_fields).collect();
        let listed: Vec<f64> = opens.iter().map(|(_, h)| *h).collect();
        row(&format!("{name}: first field takes focus"), &first);
        row(&format!("{name}: custom fields shown"), &all);
        row(&format!("{name}: \"My tickets\" listed"), &listed);
    }
}
