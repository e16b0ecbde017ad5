//! The Helpdock support widget: a launcher and a panel with a ticket form and "My tickets".
//!
//! The loader (`loader/widget.js`) creates a shadow root on the host page, initialises this module
//! and calls [`mount`]; the host page's `Helpdock(method, …args)` calls reach the widget through
//! [`Widget::call`]. Everything the widget does over the network goes through [`api`].

pub mod api;
pub mod components;
pub mod drafts;
pub mod i18n;
pub mod identity;
pub mod linkify;
pub mod load;
pub mod polling;
pub mod shell;
#[cfg(test)]
mod test_support;
pub mod time;
pub mod unread;

use api::Api;
use components::launcher::launcher;
use identity::Identity;
use leptos::prelude::*;
use shell::{Prefill, Shell};
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;
use web_sys::js_sys::{Array, JSON, Object, Reflect};

#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// The mounted widget, as the loader holds it.
#[wasm_bindgen]
pub struct Widget {
    api: Api,
    shell: Shell,
}

/// Mounts the widget into `container` (inside the loader's shadow root). `api_base` is the URL
/// of the proxy's `api/` directory; `site` is the script tag's `data-site`, when it has one;
/// `events(name, detail)` tells the host page's listeners. A container with
/// `data-launcher="off"` gets no launcher button: the host page opens the panel itself.
#[wasm_bindgen]
pub fn mount(
    container: web_sys::HtmlElement,
    api_base: String,
    site: Option<String>,
    events: Option<web_sys::js_sys::Function>,
) -> Widget {
    #[cfg(not(test))]
    stop_on_panic(&container);
    let no_button = container.get_attribute("data-launcher").as_deref() == Some("off");
    let widget = Widget {
        api: Api::new(&api_base, site),
        shell: Shell::new(events),
    };
    let (api, shell) = (widget.api.clone(), widget.shell.clone());
    leptos::mount::mount_to(container, move || {
        provide_context(api);
        provide_context(shell.clone());
        shell.announce_changes();
        launcher(
            shell.open.into(),
            shell.generation.into(),
            Signal::from(shell.unread.clone()),
            no_button,
        )
    })
    // The widget lives as long as the page; dropping the handle would unmount it.
    .forget();
    widget.shell.emit("ready", &JsValue::UNDEFINED);
    widget
}

#[cfg(not(test))]
thread_local! {
    /// The mounted container, for the panic hook to hide.
    static MOUNTED: std::cell::RefCell<Option<web_sys::HtmlElement>> = const { std::cell::RefCell::new(None) };
}

/// A panic aborts the wasm (`panic = "abort"`): nothing in it can run again. The hook says so
/// once and hides the widget rather than leave a panel that no longer answers; the loader keeps
/// the resulting trap from the host page's error handlers (it recognises the hidden container).
#[cfg(not(test))]
fn stop_on_panic(container: &web_sys::HtmlElement) {
    MOUNTED.with(|mounted| {
        if let Ok(mut mounted) = mounted.try_borrow_mut() {
            *mounted = Some(container.clone());
        }
    });
    std::panic::set_hook(Box::new(|info| {
        _ = MOUNTED.try_with(|mounted| {
            if let Some(container) = mounted.try_borrow().ok().as_deref().flatten() {
                container.set_hidden(true);
            }
        });
        web_sys::console::warn_2(
            &"[helpdock] the support widget stopped:".into(),
            &info.to_string().into(),
        );
    }));
}

#[wasm_bindgen]
impl Widget {
    /// One `Helpdock(method, …args)` call, as an array. Wrong arguments end as one console
    /// warning and change nothing.
    pub fn call(&self, args: Array) {
        match Command::parse(&args) {
            Ok(command) => self.run(command),
            Err(problem) => leptos::logging::warn!("[helpdock] {problem}"),
        }
    }
}

impl Widget {
    fn run(&self, command: Command) {
        match command {
            Command::Identify(identity) => {
                let email = identity.email().to_owned();
                let before = self.api.set_identity(Some(identity));
                // Another person on this page (a sign-out without reset) must not see the drafts.
                if before.is_some_and(|before| before.email() != email) {
                    self.shell.forget_drafts();
                }
            }
            Command::Prefill(prefill) => self.shell.prefill.set(Some(prefill)),
            Command::SetLocale(locale) => self.shell.locale.set(locale),
            Command::Open => self.shell.open.set(true),
            Command::Close => self.shell.open.set(false),
            Command::Toggle => self.shell.open.update(|open| *open = !*open),
            Command::Reset => {
                self.api.set_identity(None);
                self.api.forget_guest_pass();
                drafts::forget_all(&self.api);
                self.shell.forget_drafts();
            }
        }
    }
}

/// The host page's calls: `Helpdock('identify', {…})`, `'prefill'`, `'setLocale'`, `'open'`,
/// `'close'`, `'toggle'`, `'reset'` (`'on'` and `'off'` stay in the loader).
#[derive(Debug, PartialEq)]
enum Command {
    /// The visitor is who the host site's backend signed.
    Identify(Identity),
    /// Values for the new-ticket form's untouched fields.
    Prefill(Prefill),
    /// The widget's language; `None` follows the page again.
    SetLocale(Option<String>),
    /// Shows the panel.
    Open,
    /// Hides the panel.
    Close,
    /// Shows the panel if hidden, hides it if shown.
    Toggle,
    /// Forgets the identity, the guest pass and everything typed (the visitor signed out).
    Reset,
}

const METHODS: &str = "identify, prefill, setLocale, open, close, toggle, reset, on or off";
const IDENTIFY_USAGE: &str = "Helpdock('identify', {email, name?, signature, expires?})";
const PREFILL_USAGE: &str = "Helpdock('prefill', {subject?, message?, name?, email?, company?, priority?, category?, fields?})";
const LOCALE_USAGE: &str = "Helpdock('setLocale', tag) takes one language tag such as 'de' or 'pt-BR' (null: follow the page); the call was ignored.";

impl Command {
    /// Reads `[method, …args]`; the error is the whole warning.
    fn parse(call: &Array) -> Result<Command, String> {
        let Some(method) = call.get(0).as_string() else {
            return Err(format!(
                "Helpdock(method, …) needs a method name: {METHODS}."
            ));
        };
        let args = call.length().saturating_sub(1);
        let no_args = |command: Command| match args {
            0 => Ok(command),
            _ => Err(format!(
                "Helpdock('{method}') takes no arguments; the call was ignored."
            )),
        };
        match method.as_str() {
            "identify" if args == 1 => identify_args(&call.get(1))
                .map(Command::Identify)
                .map_err(|problem| format!("{IDENTIFY_USAGE}: {problem}; the call was ignored.")),
            "identify" => Err(format!(
                "{IDENTIFY_USAGE} takes one object; the call was ignored."
            )),
            "prefill" if args == 1 => {
                prefill_args(&call.get(1))
                    .map(Command::Prefill)
                    .map_err(|problem| {
                        joined(&[PREFILL_USAGE, ": ", &problem, "; the call was ignored."])
                    })
            }
            "prefill" => Err(joined(&[
                PREFILL_USAGE,
                " takes one object; the call was ignored.",
            ])),
            "setLocale" if args == 1 => locale_arg(&call.get(1))
                .map(Command::SetLocale)
                .ok_or_else(|| LOCALE_USAGE.into()),
            "setLocale" => Err(LOCALE_USAGE.into()),
            "open" => no_args(Command::Open),
            "close" => no_args(Command::Close),
            "toggle" => no_args(Command::Toggle),
            "reset" => no_args(Command::Reset),
            _ => Err(format!(
                "Helpdock('{method}') is not a method; use {METHODS}."
            )),
        }
    }
}

/// The pieces one after the other: smaller in wasm than `concat` or `format!`.
pub(crate) fn joined(parts: &[&str]) -> String {
    let mut text = String::new();
    for part in parts {
        text.push_str(part);
    }
    text
}

/// A `{…}` literal (not an array, a function or a primitive).
fn is_plain_object(value: &JsValue) -> bool {
    value.is_object() && !Array::is_array(value) && !value.is_function()
}

/// `{subject?, message?, name?, email?, company?, priority?, category?, fields?}`; `null` or
/// `undefined` leaves a field alone. `fields` maps a custom field's id or name to a string,
/// number or boolean (a checkbox: true is "1").
fn prefill_args(value: &JsValue) -> Result<Prefill, String> {
    if !is_plain_object(value) {
        return Err("the argument must be an object".into());
    }
    let mut prefill = Prefill::default();
    for (key, v) in entries(value) {
        let must = |what: &str| joined(&[key.as_str(), " must be ", what]);
        match key.as_str() {
            "priority" => {
                let priority = v
                    .as_string()
                    .filter(|p| matches!(p.as_str(), "low" | "medium" | "high"));
                prefill.priority = Some(priority.ok_or_else(|| must("'low', 'medium' or 'high'"))?);
            }
            "category" => {
                let category = v.as_bool().is_none().then(|| scalar(&v)).flatten();
                prefill.category = Some(category.ok_or_else(|| must("a category id or name"))?);
            }
            "fields" if is_plain_object(&v) => {
                for (field, value) in entries(&v) {
                    let value = scalar(&value).ok_or_else(|| {
                        joined(&["fields.", &field, " must be a string, number or boolean"])
                    })?;
                    prefill.fields.push((field, value));
                }
            }
            "fields" => return Err(must("an object")),
            _ => {
                let slot = match key.as_str() {
                    "subject" => &mut prefill.subject,
                    "message" => &mut prefill.message,
                    "name" => &mut prefill.name,
                    "email" => &mut prefill.email,
                    "company" => &mut prefill.company,
                    _ => return Err(joined(&["unknown key \"", &key, "\""])),
                };
                *slot = Some(v.as_string().ok_or_else(|| must("a string"))?);
            }
        }
    }
    Ok(prefill)
}

/// The object's own keys and values, leaving out those set to `null` or `undefined`.
fn entries(object: &JsValue) -> Vec<(String, JsValue)> {
    Object::keys(&Object::from(object.clone()))
        .iter()
        .filter_map(|key| {
            let value = Reflect::get(object, &key).ok()?;
            let key = key.as_string()?;
            (!value.is_undefined() && !value.is_null()).then_some((key, value))
        })
        .collect()
}

/// A form value from a string, a finite number (as JavaScript writes it) or a boolean ("1"/"0").
fn scalar(value: &JsValue) -> Option<String> {
    match value.as_bool() {
        Some(checked) => Some(if checked { "1" } else { "0" }.into()),
        None if value.as_f64().is_some_and(f64::is_finite) => {
            JSON::stringify(value).ok()?.as_string()
        }
        None => value.as_string(),
    }
}

/// `'de'`, `'pt-BR'`…: a BCP 47 language tag's shape; `null` is `Some(None)`.
fn locale_arg(value: &JsValue) -> Option<Option<String>> {
    if value.is_null() {
        return Some(None);
    }
    let tag = value.as_string()?;
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default();
    let well_formed = (2..=3).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_alphabetic())
        && parts
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    well_formed.then_some(Some(tag))
}

/// `{email, name?, signature, expires?}`: `expires` may be a number or a string of digits.
fn identify_args(value: &JsValue) -> Result<Identity, String> {
    if !is_plain_object(value) {
        return Err("the argument must be an object".into());
    }
    for key in Object::keys(&Object::from(value.clone())) {
        let key = key.as_string().unwrap_or_default();
        if !matches!(key.as_str(), "email" | "name" | "signature" | "expires") {
            return Err(joined(&["unknown key \"", &key, "\""]));
        }
    }
    let get =
        |key: &str| Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    let optional = |v: JsValue| (!v.is_undefined() && !v.is_null()).then_some(v);
    let text = |key: &str, v: JsValue| {
        v.as_string()
            .ok_or_else(|| format!("{key} must be a string"))
    };

    let email = text("email", get("email"))?;
    let signature = text("signature", get("signature"))?;
    let name = optional(get("name")).map(|v| text("name", v)).transpose()?;
    let expires = match optional(get("expires")) {
        None => None,
        Some(v) => Some(match v.as_f64() {
            // Whole seconds that survive the trip through a double.
            Some(n) if n.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(&n) => {
                // Whole and below 2^53 (checked above): the cast is exact, and cheaper than
                // formatting a float.
                (n as u64).to_string()
            }
            Some(_) => return Err("expires must be whole unix seconds".into()),
            None => text("expires", v)?,
        }),
    };
    Identity::new(&email, name.as_deref(), expires.as_deref(), &signature)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn call(items: &[JsValue]) -> Result<Command, String> {
        Command::parse(&items.iter().collect())
    }

    fn object(pairs: &[(&str, JsValue)]) -> JsValue {
        let object = Object::new();
        for (key, value) in pairs {
            _ = Reflect::set(&object, &JsValue::from_str(key), value);
        }
        object.into()
    }

    fn s(text: &str) -> JsValue {
        JsValue::from_str(text)
    }

    #[test]
    fn methods_parse() {
        assert_eq!(call(&[s("open")]), Ok(Command::Open));
        assert_eq!(call(&[s("close")]), Ok(Command::Close));
        assert_eq!(call(&[s("toggle")]), Ok(Command::Toggle));
        assert_eq!(call(&[s("reset")]), Ok(Command::Reset));
        let signed = object(&[
            ("email", s("Ann@Example.com")),
            ("expires", JsValue::from_f64(1_767_225_600.0)),
            ("signature", s("ab12")),
        ]);
        let expected = Identity::new("ann@example.com", None, Some("1767225600"), "ab12");
        assert_eq!(
            call(&[s("identify"), signed]),
            expected.map(Command::Identify)
        );
        let named = object(&[
            ("email", s("ann@example.com")),
            ("name", s("Ann")),
            ("expires", s("1767225600")),
            ("signature", s("ab12")),
        ]);
        let expected = Identity::new("ann@example.com", Some("Ann"), Some("1767225600"), "ab12");
        assert_eq!(
            call(&[s("identify"), named]),
            expected.map(Command::Identify)
        );
        let unexpiring = object(&[
            ("email", s("ann@example.com")),
            ("signature", s("ab12")),
            ("name", JsValue::NULL),
        ]);
        assert!(matches!(
            call(&[s("identify"), unexpiring]),
            Ok(Command::Identify(_))
        ));

        let fields = object(&[
            ("Order number", s("A-17")),
            ("3", JsValue::from_f64(2.5)),
            ("Gift", JsValue::TRUE),
        ]);
        let prefill = object(&[
            ("subject", s("Refund")),
            ("message", s("Hello")),
            ("name", s("Ann")),
            ("email", s("ann@example.com")),
            ("company", s("Lee & Co")),
            ("priority", s("high")),
            ("category", JsValue::from_f64(4.0)),
            ("fields", fields),
            ("email", JsValue::NULL),
        ]);
        let expected = Prefill {
            subject: Some("Refund".into()),
            message: Some("Hello".into()),
            name: Some("Ann".into()),
            email: None,
            company: Some("Lee & Co".into()),
            priority: Some("high".into()),
            category: Some("4".into()),
            fields: vec![
                ("3".into(), "2.5".into()),
                ("Order number".into(), "A-17".into()),
                ("Gift".into(), "1".into()),
            ],
        };
        assert_eq!(
            call(&[s("prefill"), prefill]),
            Ok(Command::Prefill(expected))
        );
        let by_name = object(&[("category", s("Billing"))]);
        let expected = Prefill {
            category: Some("Billing".into()),
            ..Prefill::default()
        };
        assert_eq!(
            call(&[s("prefill"), by_name]),
            Ok(Command::Prefill(expected))
        );
        for tag in ["de", "pt-BR", "zh-Hans-CN", "ar"] {
            assert_eq!(
                call(&[s("setLocale"), s(tag)]),
                Ok(Command::SetLocale(Some(tag.into())))
            );
        }
        assert_eq!(
            call(&[s("setLocale"), JsValue::NULL]),
            Ok(Command::SetLocale(None))
        );
    }

    #[test]
    fn wrong_calls_say_what_is_wrong() {
        let email = || ("email", s("ann@example.com"));
        let signature = || ("signature", s("ab12"));
        let cases: Vec<(Vec<JsValue>, &str)> = vec![
            (vec![], "needs a method name"),
            (vec![JsValue::from_f64(1.0)], "needs a method name"),
            (vec![s("show")], "'show') is not a method"),
            (vec![s("open"), s("history")], "takes no arguments"),
            (vec![s("identify")], "takes one object"),
            (
                vec![s("identify"), s("ann@example.com")],
                "must be an object",
            ),
            (
                vec![s("identify"), object(&[email()])],
                "signature must be a string",
            ),
            (
                vec![s("identify"), object(&[signature()])],
                "email must be a string",
            ),
            (
                vec![
                    s("identify"),
                    object(&[email(), signature(), ("hash", s("x"))]),
                ],
                "unknown key \"hash\"",
            ),
            (
                vec![
                    s("identify"),
                    object(&[email(), signature(), ("expires", JsValue::from_f64(1.5))]),
                ],
                "whole unix seconds",
            ),
            (
                vec![
                    s("identify"),
                    object(&[email(), signature(), ("expires", JsValue::TRUE)]),
                ],
                "expires must be a string",
            ),
            (
                vec![s("identify"), object(&[("email", s("ann")), signature()])],
                "email must be an email address",
            ),
            (vec![s("prefill")], "takes one object"),
            (vec![s("prefill"), s("Refund")], "must be an object"),
            (
                vec![s("prefill"), object(&[("title", s("x"))])],
                "unknown key \"title\"",
            ),
            (
                vec![s("prefill"), object(&[("subject", JsValue::from_f64(1.0))])],
                "subject must be a string",
            ),
            (
                vec![s("prefill"), object(&[("priority", s("urgent"))])],
                "priority must be 'low', 'medium' or 'high'",
            ),
            (
                vec![s("prefill"), object(&[("category", JsValue::TRUE)])],
                "category must be a category id or name",
            ),
            (
                vec![s("prefill"), object(&[("fields", s("a=1"))])],
                "fields must be an object",
            ),
            (
                vec![
                    s("prefill"),
                    object(&[("fields", object(&[("Plan", object(&[]))]))]),
                ],
                "fields.Plan must be a string, number or boolean",
            ),
            (vec![s("setLocale")], "takes one language tag"),
            (
                vec![s("setLocale"), s("de"), s("fr")],
                "takes one language tag",
            ),
            (vec![s("setLocale"), s("pt_BR")], "takes one language tag"),
            (vec![s("setLocale"), s("")], "takes one language tag"),
            (
                vec![s("setLocale"), JsValue::from_f64(7.0)],
                "takes one language tag",
            ),
            (vec![s("on")], "is not a method; use identify, prefill"),
        ];
        for (args, expected) in cases {
            let problem = call(&args).err().unwrap_or_default();
            assert!(
                problem.contains(expected),
                "{args:?}: {problem:?} lacks {expected:?}"
            );
        }
    }

    mod widget {
        use super::*;
        use crate::test_support::{
            FakeProxy, Page, fresh_base, one_ticket, standard_answers, store_guest_pass,
            stored_guest_pass, tick,
        };
        use wasm_bindgen::JsCast;
        use wasm_bindgen_test::wasm_bindgen_test as test;

        async fn identify(widget: &Widget, email: &str, name: Option<&str>) {
            let mut pairs = vec![
                ("email", s(email)),
                ("expires", JsValue::from_f64(1_767_225_600.0)),
                ("signature", s("ab12")),
            ];
            pairs.extend(name.map(|n| ("name", s(n))));
            widget.call([s("identify"), object(&pairs)].iter().collect());
            tick().await;
        }

        async fn run(widget: &Widget, method: &str) {
            widget.call([s(method)].iter().collect());
            tick().await;
        }

        /// An event dispatcher as the loader passes it, and what it was told: `name` or
        /// `name {detail as JSON}`.
        fn recorder() -> (Array, web_sys::js_sys::Function) {
            let pair: Array = web_sys::js_sys::Function::new_no_args(
                "const told = [];
                 return [told, (name, detail) =>
                   told.push(detail === undefined ? name : name + ' ' + JSON.stringify(detail))];",
            )
            .call0(&JsValue::NULL)
            .expect("a recorder")
            .unchecked_into();
            (pair.get(0).unchecked_into(), pair.get(1).unchecked_into())
        }

        fn told(events: &Array) -> Vec<String> {
            events.iter().filter_map(|e| e.as_string()).collect()
        }

        #[test]
        async fn the_host_page_hears_ready_open_close_and_unread_changes() {
            let proxy = FakeProxy::install();
            standard_answers(&proxy);
            let page = Page::new();
            let (events, dispatch) = recorder();
            let widget = mount(
                page.root.clone(),
                fresh_base("events"),
                None,
                Some(dispatch),
            );
            assert_eq!(told(&events), ["ready"], "ready once mounted");
            run(&widget, "open").await;
            run(&widget, "open").await;
            page.click("launcher").await;
            run(&widget, "toggle").await;
            widget.call([s("open"), s("now")].iter().collect());
            tick().await;
            assert_eq!(told(&events), ["ready", "open", "close", "open"]);
            widget.shell.unread.set(2);
            tick().await;
            widget.shell.unread.set(2);
            tick().await;
            widget.shell.unread.set(0);
            tick().await;
            assert_eq!(
                told(&events)[4..],
                ["unreadChanged {\"count\":2}", "unreadChanged {\"count\":0}"]
            );
        }

        #[test]
        async fn prefill_and_set_locale_reach_the_shell() {
            let page = Page::new();
            let widget = mount(page.root.clone(), fresh_base("prefill"), None, None);
            let prefill = object(&[("subject", s("Refund")), ("priority", s("low"))]);
            widget.call([s("prefill"), prefill].iter().collect());
            widget.call([s("setLocale"), s("pt-BR")].iter().collect());
            let expected = Prefill {
                subject: Some("Refund".into()),
                priority: Some("low".into()),
                ..Prefill::default()
            };
            assert_eq!(widget.shell.prefill.get_untracked(), Some(expected));
            assert_eq!(
                widget.shell.locale.get_untracked().as_deref(),
                Some("pt-BR")
            );
            widget.call([s("setLocale"), s("pt_BR")].iter().collect());
            widget.call([s("prefill"), s("Refund")].iter().collect());
            assert_eq!(
                widget.shell.locale.get_untracked().as_deref(),
                Some("pt-BR"),
                "a wrong call changes nothing"
            );
            assert!(widget.shell.prefill.get_untracked().is_some());
            widget.call([s("setLocale"), JsValue::NULL].iter().collect());
            assert_eq!(widget.shell.locale.get_untracked(), None);
        }

        #[test]
        async fn nothing_is_stored_before_the_visitor_opens_the_widget() {
            let proxy = FakeProxy::install();
            standard_answers(&proxy);
            let storage = web_sys::window()
                .and_then(|w| w.local_storage().ok().flatten())
                .expect("localStorage");
            let before = JSON::stringify(&storage).ok().and_then(|j| j.as_string());
            let page = Page::new();
            let widget = mount(page.root.clone(), fresh_base("no-storage"), None, None);
            identify(&widget, "ann@example.com", Some("Ann")).await;
            let prefill = object(&[("subject", s("Refund")), ("message", s("Hello"))]);
            widget.call([s("prefill"), prefill].iter().collect());
            widget.call([s("setLocale"), s("de")].iter().collect());
            tick().await;
            tick().await;
            let after = JSON::stringify(&storage).ok().and_then(|j| j.as_string());
            assert_eq!(before, after);
            assert!(
                proxy.calls().is_empty(),
                "and nothing was asked of the proxy"
            );
        }

        #[test]
        async fn without_a_launcher_the_page_opens_the_panel() {
            let proxy = FakeProxy::install();
            standard_answers(&proxy);
            let page = Page::new();
            page.root
                .set_attribute("data-launcher", "off")
                .expect("set");
            let widget = mount(page.root.clone(), fresh_base("no-launcher"), None, None);
            assert!(!page.has("launcher"));
            run(&widget, "open").await;
            assert!(!page.get("panel").has_attribute("hidden"));
            assert!(!page.has("launcher"));
        }

        #[test]
        async fn identify_fills_the_form_and_my_tickets_loads_directly() {
            let proxy = FakeProxy::install();
            standard_answers(&proxy).answer("tickets_list.php", 200, one_ticket());
            let page = Page::new();
            let widget = mount(
                page.root.clone(),
                fresh_base("identify"),
                Some("demo".into()),
                None,
            );
            identify(&widget, "Ann@Example.com", Some("Ann Lee")).await;
            assert!(
                !page.has("panel"),
                "nothing is built before the visitor asks"
            );
            run(&widget, "open").await;

            let email = page.input("field-email");
            assert_eq!(
                (email.value(), email.read_only()),
                ("ann@example.com".into(), true)
            );
            assert_eq!(page.input("field-name").value(), "Ann Lee");
            page.click("tab-history").await;
            page.wait_for("ticket-row-42").await;
            let list = &proxy.calls_to("tickets_list.php")[0];
            let signed = Some("email=ann%40example.com&expires=1767225600&signature=ab12");
            assert_eq!(list.header("x-helpdock-identity"), signed);
            assert_eq!(list.header("x-helpdock-site"), Some("demo"));
        }

        #[test]
        async fn open_close_and_toggle_drive_the_panel() {
            let proxy = FakeProxy::install();
            standard_answers(&proxy);
            let page = Page::new();
            let widget = mount(page.root.clone(), fresh_base("open-close"), None, None);
            let hidden = || page.get("panel").has_attribute("hidden");
            run(&widget, "toggle").await;
            assert!(!hidden());
            run(&widget, "close").await;
            assert!(hidden());
            run(&widget, "open").await;
            run(&widget, "open").await;
            assert!(!hidden());
            run(&widget, "toggle").await;
            assert!(hidden());
            widget.call([s("open"), s("now")].iter().collect());
            tick().await;
            assert!(hidden(), "a wrong call changes nothing");
            page.click("launcher").await;
            assert!(!hidden());
        }

        #[test]
        async fn reset_forgets_the_identity_the_guest_pass_and_the_drafts() {
            let proxy = FakeProxy::install();
            standard_answers(&proxy);
            let base = fresh_base("reset");
            store_guest_pass(&base, "pass-1");
            let page = Page::new();
            let widget = mount(page.root.clone(), base.clone(), None, None);
            identify(&widget, "ann@example.com", None).await;
            run(&widget, "open").await;
            page.type_into("field-subject", "Half a thought").await;
            page.type_into("field-company", "Lee & Co").await;

            // Identifying the same visitor again (every page load does) keeps what was typed.
            identify(&widget, "ann@example.com", None).await;
            assert_eq!(page.input("field-subject").value(), "Half a thought");
            // Another visitor on this page does not inherit it.
            identify(&widget, "bob@example.com", None).await;
            assert_eq!(
                (
                    page.input("field-subject").value(),
                    page.input("field-email").value()
                ),
                ("".into(), "bob@example.com".into())
            );

            page.type_into("field-subject", "Bob's thought").await;
            run(&widget, "reset").await;
            let email = page.input("field-email");
            assert_eq!((email.value(), email.read_only()), ("".into(), false));
            assert_eq!(page.input("field-subject").value(), "");
            assert_eq!(stored_guest_pass(&base), None);
            assert!(
                !page.get("panel").has_attribute("hidden"),
                "reset leaves the panel where it was"
            );
            page.click("tab-history").await;
            assert!(page.has("empty-history"));
            assert!(proxy.calls_to("tickets_list.php").is_empty());
        }
    }
}
