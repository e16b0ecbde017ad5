//! The Helpdock support widget: a launcher and a panel with a ticket form and "My tickets".
//!
//! The loader (`loader/widget.js`) creates a shadow root on the host page, initialises this module
//! and calls [`mount`]; the host page's `Helpdock(method, …args)` calls reach the widget through
//! [`Widget::call`]. Everything the widget does over the network goes through [`api`].

pub mod api;
pub mod components;
pub mod i18n;
pub mod identity;
pub mod linkify;
pub mod shell;
#[cfg(test)]
mod test_support;
pub mod time;

use api::Api;
use components::launcher::Launcher;
use identity::Identity;
use leptos::prelude::*;
use shell::Shell;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;
use web_sys::js_sys::{Array, Object, Reflect};

#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// The mounted widget, as the loader holds it.
#[wasm_bindgen]
pub struct Widget {
    api: Api,
    shell: Shell,
}

/// Mounts the widget into `container` (inside the loader's shadow root). `api_base` is the URL
/// of the proxy's `api/` directory; `site` is the script tag's `data-site`, when it has one.
#[wasm_bindgen]
pub fn mount(
    container: web_sys::HtmlElement,
    api_base: String,
    site: Option<String>,
    events: Option<web_sys::js_sys::Function>,
) -> Widget {
    console_error_panic_hook::set_once();
    let widget = Widget {
        api: Api::new(&api_base, site),
        shell: Shell::new(events),
    };
    let (api, shell) = (widget.api.clone(), widget.shell.clone());
    leptos::mount::mount_to(container, move || {
        provide_context(api);
        provide_context(shell.clone());
        view! { <Launcher open=shell.open.into() generation=shell.generation.into()/> }
    })
    // The widget lives as long as the page; dropping the handle would unmount it.
    .forget();
    widget
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
            Command::Open => self.shell.open.set(true),
            Command::Close => self.shell.open.set(false),
            Command::Toggle => self.shell.open.update(|open| *open = !*open),
            Command::Reset => {
                self.api.set_identity(None);
                self.api.forget_guest_pass();
                self.shell.forget_drafts();
            }
        }
    }
}

/// The host page's calls: `Helpdock('identify', {…})`, `'open'`, `'close'`, `'toggle'`, `'reset'`.
#[derive(Debug, PartialEq)]
enum Command {
    /// The visitor is who the host site's backend signed.
    Identify(Identity),
    /// Shows the panel.
    Open,
    /// Hides the panel.
    Close,
    /// Shows the panel if hidden, hides it if shown.
    Toggle,
    /// Forgets the identity, the guest pass and everything typed (the visitor signed out).
    Reset,
}

const METHODS: &str = "identify, open, close, toggle or reset";
const IDENTIFY_USAGE: &str = "Helpdock('identify', {email, name?, signature, expires?})";

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

/// `{email, name?, signature, expires?}`: `expires` may be a number or a string of digits.
fn identify_args(value: &JsValue) -> Result<Identity, String> {
    if !value.is_object() || Array::is_array(value) || value.is_function() {
        return Err("the argument must be an object".into());
    }
    for key in Object::keys(&Object::from(value.clone())) {
        let key = key.as_string().unwrap_or_default();
        if !matches!(key.as_str(), "email" | "name" | "signature" | "expires") {
            return Err(format!("unknown key {key:?}"));
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
                format!("{n:.0}")
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
