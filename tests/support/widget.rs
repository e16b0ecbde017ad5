//! Finding and driving the widget inside its shadow root by `data-testid`.

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a story waits for the widget to show something before failing.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// The proxy refuses a ticket form sent faster than a person fills one (`min_fill_ms`, 2 s by
/// default); stories send theirs no faster, counted from the draft's first keystroke.
const HUMAN_FILL: Duration = Duration::from_millis(2500);

/// The widget embedded in the current page.
pub struct Widget {
    client: Client,
    /// When the ticket form now being filled got its first keystroke.
    draft_started: Mutex<Option<Instant>>,
}

/// The element the loader puts on the page, whose shadow root holds the widget: the
/// `<helpdock-widget>` custom element (`div#helpdock` from older loaders).
pub const HOST: &str = "helpdock-widget, #helpdock";

/// JavaScript that sets `root` to the widget's shadow root (or `null`), for in-page scripts.
pub const FIND_ROOT: &str = "const host = document.querySelector('helpdock-widget, #helpdock'); \
                             const root = host && host.shadowRoot;";

/// The end of a story's patience: each failed look waits a little, until [`PATIENCE`] runs out.
pub struct Deadline(Instant);

impl Deadline {
    /// Patience starts now.
    pub fn start() -> Deadline {
        Deadline(Instant::now())
    }

    /// Waits before the next look, or fails the story with `why` once patience is out.
    pub async fn retry(&self, why: impl FnOnce() -> String) {
        if self.0.elapsed() > PATIENCE {
            panic!("{} (after {PATIENCE:?})", why());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn testid(id: &str) -> String {
    format!(r#"[data-testid="{id}"]"#)
}

impl Widget {
    /// The widget of the page `client` shows.
    pub fn new(client: &Client) -> Widget {
        Widget {
            client: client.clone(),
            draft_started: Mutex::new(None),
        }
    }

    /// All elements with `data-testid=id` in the widget's shadow root, now (possibly none).
    pub async fn all(&self, id: &str) -> Vec<Element> {
        let Ok(host) = self.client.find(Locator::Css(HOST)).await else {
            return vec![];
        };
        let Ok(root) = host.shadow_root().await else {
            return vec![];
        };
        root.find_all(Locator::Css(&testid(id)))
            .await
            .unwrap_or_default()
    }

    /// Waits for the first element with `data-testid=id` to be displayed, and returns it.
    pub async fn find(&self, id: &str) -> Element {
        let deadline = Deadline::start();
        loop {
            for el in self.all(id).await {
                if el.is_displayed().await.unwrap_or(false) {
                    return el;
                }
            }
            deadline
                .retry(|| format!("the widget shows no [data-testid={id}]"))
                .await;
        }
    }

    /// Waits until the element `id` has text containing `needle`; returns the whole text.
    pub async fn wait_for_text(&self, id: &str, needle: &str) -> String {
        let deadline = Deadline::start();
        loop {
            let mut last = String::new();
            for el in self.all(id).await {
                last = el.text().await.unwrap_or_default();
                if last.contains(needle) {
                    return last;
                }
            }
            deadline
                .retry(|| {
                    format!("[data-testid={id}] never contained {needle:?}; last text: {last:?}")
                })
                .await;
        }
    }

    /// Waits until no element `id` is displayed (hidden or gone).
    pub async fn wait_for_hidden(&self, id: &str) {
        let deadline = Deadline::start();
        'look: loop {
            for el in self.all(id).await {
                if el.is_displayed().await.unwrap_or(false) {
                    deadline
                        .retry(|| format!("[data-testid={id}] is still shown"))
                        .await;
                    continue 'look;
                }
            }
            return;
        }
    }

    /// Waits until `count` elements `id` are shown; returns their texts in document order.
    pub async fn wait_for_count(&self, id: &str, count: usize) -> Vec<String> {
        let deadline = Deadline::start();
        loop {
            let els = self.all(id).await;
            if els.len() >= count {
                let mut texts = Vec::new();
                for el in els {
                    texts.push(el.text().await.unwrap_or_default());
                }
                return texts;
            }
            deadline
                .retry(|| format!("expected {count} [data-testid={id}], saw {}", els.len()))
                .await;
        }
    }

    /// Waits until the form control `id` holds `value`; returns the control.
    pub async fn wait_for_value(&self, id: &str, value: &str) -> Element {
        let deadline = Deadline::start();
        loop {
            let el = self.find(id).await;
            let now = el.prop("value").await.ok().flatten().unwrap_or_default();
            if now == value {
                return el;
            }
            deadline
                .retry(|| format!("[data-testid={id}] never held {value:?}; last value: {now:?}"))
                .await;
        }
    }

    /// Clicks the element `id` once it is shown.
    pub async fn click(&self, id: &str) {
        let el = self.find(id).await;
        el.click()
            .await
            .unwrap_or_else(|e| panic!("click [data-testid={id}]: {e}"));
    }

    /// Types `text` into the field `id`.
    pub async fn type_into(&self, id: &str, text: &str) {
        if id.starts_with("field-") {
            self.draft_started
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get_or_insert_with(Instant::now);
        }
        let el = self.find(id).await;
        el.send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into [data-testid={id}]: {e}"));
    }

    /// Types each `(field, text)` in order.
    pub async fn fill(&self, fields: &[(&str, &str)]) {
        for (id, text) in fields {
            self.type_into(id, text).await;
        }
    }

    /// Waits for the confirmation of a filed ticket and returns its number (without `#`).
    pub async fn created_ticket_id(&self) -> String {
        let id = self
            .find("created-ticket-id")
            .await
            .text()
            .await
            .expect("ticket number");
        let id = id.trim().trim_start_matches('#').to_owned();
        assert!(
            id.parse::<u64>().is_ok(),
            "the confirmation shows a ticket number, got {id:?}"
        );
        id
    }

    /// Sends the ticket form, no sooner than a person could have filled it.
    pub async fn submit_ticket(&self) {
        let started = self
            .draft_started
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(started) = started {
            tokio::time::sleep_until((started + HUMAN_FILL).into()).await;
        }
        self.click("submit-ticket").await;
    }

    /// Runs `body` in the page with `root` bound to the widget's shadow root (or `null`) and
    /// `$(id)` to its first element with `data-testid=id`; returns what `body` returns.
    pub async fn eval(&self, body: &str) -> serde_json::Value {
        let script = format!(
            "{FIND_ROOT} const $ = id => root && root.querySelector('[data-testid=\"' + id + '\"]');\n{body}"
        );
        self.client
            .execute(&script, vec![])
            .await
            .unwrap_or_else(|e| panic!("run {body:?} in the page: {e}"))
    }

    /// The `data-testid` of the element focused in the widget (`None`: focus is not in it).
    pub async fn focused(&self) -> Option<String> {
        self.eval(
            "const f = root && root.activeElement; return f && f.getAttribute('data-testid');",
        )
        .await
        .as_str()
        .map(str::to_owned)
    }

    /// Chooses the option with visible label `label` in the select `id`.
    pub async fn choose(&self, id: &str, label: &str) {
        let el = self.find(id).await;
        el.select_by_label(label)
            .await
            .unwrap_or_else(|e| panic!("choose {label:?} in {id}: {e}"));
    }
}

/// Saves a PNG of the page as `artifacts/<test name>-<label>.png`, for people to look at.
pub async fn save_screenshot(client: &Client, label: &str) {
    let test = std::thread::current()
        .name()
        .unwrap_or("e2e")
        .replace("::", "-");
    if let Ok(png) = client.screenshot().await {
        let path = super::artifacts_dir().join(format!("{test}-{label}.png"));
        let _ = std::fs::write(path, png);
    }
}
