//! The Helpdock support widget: a launcher and a panel with a ticket form and "My tickets".
//!
//! The loader (`loader/widget.js`) creates a shadow root on the host page, initialises this module
//! and calls [`mount`]; the host page's `Helpdock(method, …args)` calls reach the widget through
//! [`Widget::call`]. Everything the widget does over the network goes through [`api`].

pub mod api;
pub mod chunks;
mod command;
pub mod components;
pub mod drafts;
pub mod i18n;
pub mod identity;
pub mod linkify;
pub mod load;
pub mod polling;
pub mod reactive;
pub mod sending;
pub mod shell;
#[cfg(test)]
mod test_support;
pub mod time;
pub mod unread;

use api::Api;
use command::Command;
use components::launcher::launcher;
use leptos::prelude::*;
use shell::Shell;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;
use web_sys::js_sys::Array;

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
            shell.unread.clone().into(),
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
/// The release build aborts before any hook (`-Cpanic=immediate-abort`, scripts/build-widget.sh):
/// there the loader recognises the trap by its stack, warns once and removes the widget.
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

/// The pieces one after the other: smaller in wasm than `concat` or `format!`.
pub(crate) fn joined(parts: &[&str]) -> String {
    let mut text = String::new();
    for part in parts {
        text.push_str(part);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::tests::{object, s};
    use crate::shell::Prefill;
    use web_sys::js_sys::JSON;

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
            let two = vec![helpdock_wire::TicketId(1), helpdock_wire::TicketId(2)];
            widget.shell.set_unread(two.clone());
            tick().await;
            widget.shell.set_unread(two);
            tick().await;
            widget.shell.set_unread(vec![]);
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
            let asked: Vec<String> = proxy.calls().into_iter().map(|c| c.script).collect();
            assert_eq!(
                asked,
                ["tickets_list.php"],
                "and the proxy was asked only whether support answered"
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
            let listed = proxy.calls_to("tickets_list.php").len();
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
            assert_eq!(proxy.calls_to("tickets_list.php").len(), listed);
        }
    }
}
