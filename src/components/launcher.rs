//! The round button in the corner that opens and closes the panel, with the unread badge.

use super::panel::panel;
use crate::api::{Api, Visitor};
use crate::chunks;
use crate::i18n::{I18n, Strings, fill};
use crate::joined;
use crate::reactive::effect;
use leptos::prelude::*;

/// How an unread count reads (the badge's accessible text), in `s`'s language.
pub(crate) fn unread_text(s: &Strings, count: u32) -> String {
    match count {
        1 => s.unread_one.into(),
        n => fill(s.unread_many, "{n}", &n.to_string()),
    }
}

/// The widget's root: the launcher button and, once first opened, the panel. `open` is also
/// driven by the host page (`Helpdock('open')`); a new `generation` builds the panel afresh,
/// forgetting everything typed. `unread` tickets show as a badge on the button, kept by the
/// unread watch from the moment the visitor is known, and are announced politely; with
/// `no_button` (`data-launcher="off"`) the host page opens the panel itself.
pub fn launcher(
    open: RwSignal<bool>,
    generation: RwSignal<u32>,
    unread: RwSignal<u32>,
    no_button: bool,
) -> impl IntoView {
    // The locale is chosen here, at the root, for every component below.
    let t = I18n::provide();
    // Whether support answered is asked as soon as there is someone to ask about: a visitor the
    // host page identified, or a guest pass from an earlier ticket.
    let (api, owner, mut watching) = (expect_context::<Api>(), Owner::current(), false);
    effect(move || {
        if !watching && api.visitor() != Visitor::Anonymous {
            watching = true;
            // Under the launcher's owner, not this effect's: the watch outlives its runs.
            if let Some(owner) = &owner {
                owner.with(chunks::unread_watch);
            }
        }
    });
    let count = move || unread.get();
    // The panel is created on first open (no requests before the visitor asks for help), in the
    // visitor's language (its words may still be on their way), and then only hidden, so nothing
    // typed is lost when it is closed.
    let opened_once = Memo::new(move |before: Option<&bool>| {
        before.copied().unwrap_or(false) || (open.get() && t.ready())
    });

    let toggle = move |_| open.update(|o| *o = !*o);
    let close = Callback::new(move |()| open.set(false));
    let panel = move || {
        generation.track();
        opened_once.get().then(|| panel(open, close))
    };
    let label = move || {
        let s = t.get();
        let action = if open.get() {
            s.close_support
        } else {
            s.open_support
        };
        match count() {
            0 => action.to_owned(),
            // A comma, not brackets: the count must read as a word of the name (axe checks the
            // badge's digit is in it).
            n => joined(&[action, ", ", &unread_text(s, n)]),
        }
    };
    let badge = move || {
        let count = count();
        (count > 0).then(|| {
            view! { <span class="hd-badge" data-testid="unread-badge" aria-hidden="true">{count}</span> }
        })
    };
    // Said once when it changes, while the visitor reads the page: a live region that is always
    // there (one added with its text would not be read).
    let news = move || match count() {
        0 => String::new(),
        n => unread_text(t.get(), n),
    };
    let launcher = (!no_button).then(|| {
        view! {
            <button
                type="button"
                class="hd-launcher"
                class:hd-launcher-open=move || open.get()
                data-testid="launcher"
                aria-label=label
                aria-haspopup="dialog"
                aria-expanded=move || open.get().to_string()
                on:click=toggle
            >
                <svg class="hd-icon-chat" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.2 3.6c-.5.4-1.3.1-1.3-.6V16h0a2.5 2.5 0 0 1-.5-1.5z"></path>
                </svg>
                <svg class="hd-icon-close" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M6 6l12 12M18 6L6 18"></path>
                </svg>
                {badge}
            </button>
        }
    });

    view! {
        // The panel comes first: it finds the launcher as its next sibling to give focus back.
        <div class="hd-root" lang=t.text(|s| s.lang) dir=t.text(|s| s.dir)>
            <p class="hd-visually-hidden" role="status" data-testid="unread-news">{news}</p>
            {panel}
            {launcher}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::panel::tests::{FocusLog, press};
    use crate::test_support::{FakeProxy, Page, fresh_base, standard_answers, tick};
    use helpdock_wire::TicketId;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn unread_counts_read_in_words() {
        let en = crate::i18n::for_tag("en");
        assert_eq!(unread_text(en, 1), "1 unread reply");
        assert_eq!(unread_text(en, 3), "3 unread replies");
        // The badge shows the digits: a name without them would not match what is seen.
        for s in crate::i18n::LOCALES {
            for n in [1, 2, 12] {
                let said = unread_text(s, n);
                assert!(said.contains(&n.to_string()), "{}: {said}", s.lang);
            }
        }
    }

    #[test]
    async fn the_badge_follows_the_unread_count() {
        let page = Page::new();
        let widget = crate::mount(page.root.clone(), fresh_base("badge"), None, None);
        let label = || {
            page.get("launcher")
                .get_attribute("aria-label")
                .unwrap_or_default()
        };
        assert!(!page.has("unread-badge"));
        assert_eq!(label(), "Open support");
        assert_eq!(page.text("unread-news"), "");
        widget.shell.set_unread(vec![TicketId(4), TicketId(5)]);
        tick().await;
        assert_eq!(page.text("unread-badge"), "2");
        assert_eq!(label(), "Open support, 2 unread replies");
        assert_eq!(page.text("unread-news"), "2 unread replies");
        widget.shell.set_unread(vec![]);
        tick().await;
        assert!(!page.has("unread-badge"));
        assert_eq!(label(), "Open support");
        assert_eq!(page.text("unread-news"), "");
    }

    #[test]
    async fn focus_goes_into_the_panel_and_back_to_the_launcher() {
        let proxy = FakeProxy::install();
        standard_answers(&proxy);
        let page = Page::new();
        let focus = FocusLog::new(&page.root);
        let _widget = crate::mount(page.root.clone(), fresh_base("focus"), None, None);
        let launcher = page.get("launcher");
        assert_eq!(
            launcher.get_attribute("aria-expanded").as_deref(),
            Some("false")
        );
        page.click("launcher").await;
        assert_eq!(
            launcher.get_attribute("aria-expanded").as_deref(),
            Some("true")
        );
        assert_eq!(focus.last().as_deref(), Some("tab-new"));

        // Esc from anywhere inside closes, and focus is back on the launcher.
        page.get("field-subject")
            .unchecked_into::<web_sys::HtmlElement>()
            .focus()
            .expect("focus");
        press(&page.get("field-subject"), "Escape", false).await;
        assert!(page.get("panel").has_attribute("hidden"));
        assert_eq!(focus.last().as_deref(), Some("launcher"));

        page.click("launcher").await;
        assert_eq!(focus.last().as_deref(), Some("tab-new"));
        page.click("close-panel").await;
        assert!(page.get("panel").has_attribute("hidden"));
        assert_eq!(focus.last().as_deref(), Some("launcher"));
    }

    #[test]
    async fn without_a_launcher_focus_returns_to_where_it_was() {
        let proxy = FakeProxy::install();
        standard_answers(&proxy);
        let page = Page::new();
        let help: web_sys::HtmlElement = document()
            .create_element("button")
            .expect("a button")
            .unchecked_into();
        help.set_attribute("data-testid", "page-help").expect("set");
        page.root.append_child(&help).expect("appended");
        let container: web_sys::HtmlElement = document()
            .create_element("div")
            .expect("a div")
            .unchecked_into();
        container
            .set_attribute("data-launcher", "off")
            .expect("set");
        page.root.append_child(&container).expect("appended");
        let focus = FocusLog::new(&page.root);
        let widget = crate::mount(container, fresh_base("no-launcher-focus"), None, None);

        help.focus().expect("focus");
        widget.call([JsValue::from_str("open")].iter().collect());
        tick().await;
        assert_eq!(focus.last().as_deref(), Some("tab-new"));
        press(&page.get("tab-new"), "Escape", false).await;
        assert_eq!(focus.last().as_deref(), Some("page-help"));

        // A page that closes the panel while the visitor works elsewhere keeps its focus.
        widget.call([JsValue::from_str("open")].iter().collect());
        tick().await;
        help.focus().expect("focus");
        let moves = focus.count();
        widget.call([JsValue::from_str("close")].iter().collect());
        tick().await;
        assert_eq!(focus.count(), moves, "focus stays where the visitor put it");
    }
}
