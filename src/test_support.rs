//! For the component tests (in headless Chromium): a fresh container per test, a fake proxy behind
//! `window.fetch` that records what the widget sent, and ways to find, type, click and wait by
//! `data-testid`.

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::js_sys::{Array, Function, JSON, Object, Promise, Reflect};
use web_sys::{
    Element, Event, EventInit, HtmlElement, HtmlInputElement, HtmlSelectElement,
    HtmlTextAreaElement,
};

/// A `<div>` of its own in the test page, removed when dropped.
pub struct Page {
    pub root: HtmlElement,
}

impl Page {
    pub fn new() -> Page {
        let document = document();
        let root: HtmlElement = document
            .create_element("div")
            .expect("a div")
            .unchecked_into();
        document
            .body()
            .expect("a body")
            .append_child(&root)
            .expect("appended");
        Page { root }
    }

    /// The element with this `data-testid`, if it is there.
    pub fn find(&self, testid: &str) -> Option<Element> {
        self.root
            .query_selector(&format!("[data-testid=\"{testid}\"]"))
            .expect("a valid selector")
    }

    /// The element with this `data-testid`; the test fails without it.
    pub fn get(&self, testid: &str) -> Element {
        self.find(testid)
            .unwrap_or_else(|| panic!("no [data-testid={testid}] in {}", self.root.inner_html()))
    }

    /// Its text, trimmed.
    pub fn text(&self, testid: &str) -> String {
        self.get(testid)
            .text_content()
            .unwrap_or_default()
            .trim()
            .to_owned()
    }

    /// Whether it is on the page.
    pub fn has(&self, testid: &str) -> bool {
        self.find(testid).is_some()
    }

    pub fn input(&self, testid: &str) -> HtmlInputElement {
        self.get(testid)
            .dyn_into()
            .unwrap_or_else(|e| panic!("{testid} is no <input>: {e:?}"))
    }

    /// Clicks it, and lets the widget react.
    pub async fn click(&self, testid: &str) {
        self.get(testid).unchecked_into::<HtmlElement>().click();
        tick().await;
    }

    /// Enters `text` as a person would: the value changes, then `input` and `change` fire; then
    /// lets the widget react.
    pub async fn type_into(&self, testid: &str, text: &str) {
        let element = self.get(testid);
        if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
            input.set_value(text);
        } else if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
            area.set_value(text);
        } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
            select.set_value(text);
        } else {
            panic!("{testid} takes no text");
        }
        for kind in ["input", "change"] {
            let init = EventInit::new();
            init.set_bubbles(true);
            init.set_composed(true);
            let event = Event::new_with_event_init_dict(kind, &init).expect("an event");
            element.dispatch_event(&event).expect("dispatched");
        }
        tick().await;
    }

    /// Waits until the element is on the page (the widget renders answers asynchronously).
    pub async fn wait_for(&self, testid: &str) -> Element {
        until(testid, || self.has(testid)).await;
        self.get(testid)
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        self.root.remove();
    }
}

/// Waits, a macrotask at a time, until `ready()`; fails the test after about five seconds.
pub async fn until(what: &str, ready: impl Fn() -> bool) {
    for _ in 0..500 {
        if ready() {
            return;
        }
        tick().await;
    }
    panic!("gave up waiting for {what}");
}

/// Lets every pending timer, fetch and effect run once (effects run after the change that
/// triggered them, not during it).
pub async fn tick() {
    let promise = Promise::new(&mut |resolve, _| {
        _ = web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 10);
    });
    _ = JsFuture::from(promise).await;
}

/// One request the widget made to the fake proxy.
#[derive(Debug, Deserialize)]
pub struct Call {
    pub method: String,
    /// The endpoint, e.g. `tickets_list.php`.
    pub script: String,
    /// `?…`, or empty.
    pub query: String,
    /// Lower-cased names.
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

impl Call {
    /// A request header (`name` lower-cased).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// Answers the widget's requests in place of the proxy: `tickets_list.php` → (status, JSON).
/// Endpoints without an answer are `404 not_found`.
pub struct FakeProxy {
    routes: Object,
    calls: Array,
}

const FAKE_FETCH: &str = r#"
const routes = {}, calls = [];
window.fetch = async (input, init) => {
  const request = new Request(input, init);
  const url = new URL(request.url);
  const headers = {};
  request.headers.forEach((value, name) => { headers[name] = value; });
  const script = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
  const body = request.method === 'GET' ? '' : await request.text();
  calls.push({ method: request.method, script, query: url.search, headers, body });
  if (routes[script] === 'offline') throw new TypeError('Failed to fetch');
  const [status, answer] = routes[script] || [404, { code: 'not_found', message: 'Not found.' }];
  return new Response(JSON.stringify(answer), { status, headers: { 'content-type': 'application/json' } });
};
return [routes, calls];
"#;

impl FakeProxy {
    /// Replaces `window.fetch` for this test.
    pub fn install() -> FakeProxy {
        let pair: Array = Function::new_no_args(FAKE_FETCH)
            .call0(&JsValue::NULL)
            .expect("fake fetch")
            .unchecked_into();
        FakeProxy {
            routes: pair.get(0).unchecked_into(),
            calls: pair.get(1).unchecked_into(),
        }
    }

    /// From now on `script` answers `status` with `body`.
    pub fn answer(&self, script: &str, status: u16, body: Value) -> &FakeProxy {
        let answer = JSON::parse(&serde_json::json!([status, body]).to_string()).expect("JSON");
        Reflect::set(&self.routes, &JsValue::from_str(script), &answer).expect("set");
        self
    }

    /// From now on requests to `script` fail as they do offline (the request is still recorded:
    /// like one whose answer was lost).
    pub fn go_offline(&self, script: &str) -> &FakeProxy {
        Reflect::set(&self.routes, &JsValue::from_str(script), &"offline".into()).expect("set");
        self
    }

    /// Every request so far, oldest first.
    pub fn calls(&self) -> Vec<Call> {
        let json = JSON::stringify(&self.calls)
            .expect("stringify")
            .as_string()
            .unwrap_or_default();
        serde_json::from_str(&json).expect("calls")
    }

    /// The requests to `script`.
    pub fn calls_to(&self, script: &str) -> Vec<Call> {
        self.calls()
            .into_iter()
            .filter(|c| c.script == script)
            .collect()
    }
}

/// The two lists every form loads: Billing, and fields 1 (text, required) and 2 (select).
pub fn standard_answers(proxy: &FakeProxy) -> &FakeProxy {
    proxy
        .answer("ticket_categories.php", 200, serde_json::json!({"categories": [{"id": 1, "name": "Billing"}]}))
        .answer(
            "ticket_custom_fields.php",
            200,
            serde_json::json!({"fields": [
                {"id": 1, "name": "Order number", "type": "text", "required": true, "options": []},
                {"id": 2, "name": "Plan", "type": "select", "required": false, "options": ["Starter", "Pro"]},
            ]}),
        )
}

/// An API base no other test uses, so guest passes, drafts and "last seen" stored in
/// `localStorage` never mix.
pub fn fresh_base(test: &str) -> String {
    let base = format!("https://proxy.test/{test}/api/");
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        _ = storage.remove_item(&format!("helpdock.guest_pass:{base}"));
    }
    crate::drafts::forget_all(&crate::api::Api::new(&base, None));
    base
}

/// The `Idempotency-Key` of each request to `script`, oldest first.
pub fn idempotency_keys(proxy: &FakeProxy, script: &str) -> Vec<String> {
    proxy
        .calls_to(script)
        .iter()
        .map(|c| c.header("idempotency-key").unwrap_or_default().to_owned())
        .collect()
}

/// Tells the widget the browser is back online.
pub fn back_online() {
    let online = Event::new("online").expect("an event");
    web_sys::window()
        .expect("a window")
        .dispatch_event(&online)
        .expect("dispatched");
}

/// A shell whose host-page events are recorded, for [`events`].
pub fn recording_shell() -> crate::shell::Shell {
    let record = Function::new_with_args(
        "name, detail",
        "(window.__helpdockEvents = window.__helpdockEvents || []).push([name, JSON.stringify(detail)])",
    );
    _ = Reflect::set(
        &web_sys::window().expect("a window"),
        &"__helpdockEvents".into(),
        &Array::new(),
    );
    crate::shell::Shell::new(Some(record))
}

/// The events a [`recording_shell`] emitted: `(name, detail as JSON)`.
pub fn events() -> Vec<(String, Value)> {
    let window = web_sys::window().expect("a window");
    let recorded: Array = Reflect::get(&window, &"__helpdockEvents".into())
        .map(JsCast::unchecked_into)
        .unwrap_or_default();
    recorded
        .iter()
        .map(|pair| {
            let pair: Array = pair.unchecked_into();
            let detail = pair.get(1).as_string().unwrap_or_default();
            (
                pair.get(0).as_string().unwrap_or_default(),
                serde_json::from_str(&detail).unwrap_or(Value::Null),
            )
        })
        .collect()
}

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// `tickets_list.php` with ticket 42, open.
pub fn one_ticket() -> Value {
    serde_json::json!({"tickets": [{
        "id": 42, "subject": "Where is my order?", "status": "open", "priority": "high",
        "created_at": "2026-11-20T09:00:00Z", "updated_at": "2026-11-21T10:30:00Z",
    }]})
}

/// `ticket_view.php` for ticket 42: the first message and one answer from support.
pub fn thread_42() -> Value {
    serde_json::json!({
        "ticket": {
            "id": 42, "subject": "Where is my order?", "message": "It has been two weeks.", "status": "open",
            "priority": "high", "created_at": "2026-11-20T09:00:00Z", "updated_at": "2026-11-21T10:30:00Z",
        },
        "replies": [{"id": 7, "message": "It ships today.", "from_staff": true, "created_at": "2026-11-21T10:30:00Z"}],
        "custom_fields": [],
    })
}

/// Stores a guest pass for `base` as an earlier create would have.
pub fn store_guest_pass(base: &str, pass: &str) {
    let storage = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("localStorage");
    storage
        .set_item(&format!("helpdock.guest_pass:{base}"), pass)
        .expect("stored");
}

/// The guest pass stored for `base`, if any.
pub fn stored_guest_pass(base: &str) -> Option<String> {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten())?;
    storage
        .get_item(&format!("helpdock.guest_pass:{base}"))
        .ok()
        .flatten()
}
