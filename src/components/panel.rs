//! The card above the launcher: a modal dialog with a header, the two tabs, and their content.

use super::launcher::unread_text;
use super::ticket_form::ticket_form;
use crate::chunks;
use crate::i18n::{Message, use_i18n};
use crate::joined;
use crate::reactive::{effect, memo};
use crate::shell::Shell;
use helpdock_wire::TicketId;
use leptos::ev::{FocusEvent, KeyboardEvent};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::js_sys::{Array, Function, Reflect};
use web_sys::{Element, HtmlElement};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    New,
    History,
}

/// What Tab can reach in the dialog (those hidden are left out when it is used).
const FOCUSABLE: &str = "a[href],button:not([disabled]),input:not([disabled]):not([tabindex='-1']),select:not([disabled]),textarea:not([disabled]),[tabindex='0']";

/// The panel, a modal dialog; hidden (not unmounted) while `open` is false. Opened with unread
/// news it shows them: the one thread, or "My tickets" for several. On open focus moves to its
/// selected tab; Tab and Shift+Tab stay inside; Esc closes it from anywhere inside; on close focus
/// goes back to the launcher (or, without one, where it was).
pub fn panel(open: RwSignal<bool>, on_close: Callback<()>) -> impl IntoView {
    let t = use_i18n();
    // The panel is built on first open: "My tickets", the thread and the reader of refusals can
    // come now, unhurried.
    chunks::prefetch();
    let shell = use_context::<Shell>();
    let unread: Option<RwSignal<u32>> = shell.as_ref().map(|s| s.unread.clone().into());
    let tab = RwSignal::new(Tab::New);
    // The ticket "My tickets" shows as a thread; set from the list or from a confirmation.
    let selected = RwSignal::new(None::<TicketId>);
    let to_news = move || {
        let news = shell
            .as_ref()
            .map(Shell::unread_tickets)
            .unwrap_or_default();
        if !news.is_empty() {
            // One ticket: its thread; several: the list, where each is marked.
            selected.set(news.first().copied().filter(|_| news.len() == 1));
            tab.set(Tab::History);
        }
    };
    to_news();
    let dialog = NodeRef::<leptos::html::Section>::new();
    // Where focus goes back on close when there is no launcher: where it was on open.
    let mut before: Option<HtmlElement> = None;
    let mut was_open = None;
    effect(move || {
        let now = open.get();
        let Some(dialog) = dialog.get_untracked() else {
            was_open = Some(now);
            return;
        };
        if now && was_open != Some(true) {
            to_news();
            before = document().active_element().and_then(|e| e.dyn_into().ok());
            // After the update that shows the panel has run: a hidden element takes no focus.
            queue_microtask(move || focus_selected_tab(&dialog));
        } else if !now && was_open == Some(true) && focus_was_inside(&dialog) {
            // Only then: a page that closes the panel while the visitor is elsewhere keeps focus.
            let launcher = dialog
                .next_element_sibling()
                .and_then(|e| e.dyn_into().ok());
            if let Some(target) = launcher.or_else(|| before.clone()) {
                _ = target.focus();
            }
        }
        was_open = Some(now);
    });
    let on_keydown = move |ev: KeyboardEvent| match ev.key().as_str() {
        "Escape" => on_close.run(()),
        "Tab" => {
            if let Some(dialog) = dialog.get_untracked() {
                keep_focus_inside(&dialog, &ev);
            }
        }
        _ => {}
    };
    // A view that changes under the focused element (a sent form, an opened ticket) removes,
    // hides or disables it, and focus would fall out of the dialog to the page: keep it inside.
    let on_focusout = move |ev: FocusEvent| {
        let lost = ev.related_target().is_none();
        let from = ev.target().and_then(|t| t.dyn_into::<HtmlElement>().ok());
        if let (true, Some(from), Some(dialog)) = (lost, from, dialog.get_untracked()) {
            queue_microtask(move || {
                let gone = !from.is_connected()
                    || (from.offset_width() == 0 && from.offset_height() == 0)
                    || from.matches(":disabled").unwrap_or(false);
                if gone && open.get_untracked() {
                    focus_selected_tab(&dialog);
                }
            });
        }
    };
    // A memo, so choosing "My tickets" again does not mount the list afresh.
    let on_history = memo(move || tab.get() == Tab::History);
    let in_thread = move || on_history.get() && selected.with(Option::is_some);
    // "My tickets" says how many of its tickets have news.
    let count = move || unread.map_or(0, |u| u.get());

    let show_ticket = Callback::new(move |id: TicketId| {
        selected.set(Some(id));
        tab.set(Tab::History);
    });
    let tab_button = move |which: Tab, label: Message, testid: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                class="hd-tab"
                data-testid=testid
                aria-selected=move || (tab.get() == which).to_string()
                // "My tickets" counts its tickets with news: the stylesheet shows `data-count`
                // as a pill, and the name says it in words.
                data-count=move || (which == Tab::History).then(|| count().to_string())
                aria-label=move || {
                    let n = count();
                    (which == Tab::History && n > 0).then(|| {
                        let s = t.get();
                        joined(&[label(s), ", ", &unread_text(s, n)])
                    })
                }
                on:click=move |_| {
                    if which == Tab::History && tab.get_untracked() == Tab::History {
                        // A second click on "My tickets" goes back to the list.
                        selected.set(None);
                    }
                    tab.set(which);
                }
            >
                {t.text(label)}
            </button>
        }
    };

    view! {
        <section
            class="hd-panel"
            class:hd-panel-thread=in_thread
            data-testid="panel"
            node_ref=dialog
            hidden=move || !open.get()
            role="dialog"
            aria-modal="true"
            aria-labelledby="hd-title"
            on:keydown=on_keydown
            on:focusout=on_focusout
        >
            <div class="hd-header">
                <div>
                    <h2 class="hd-title" id="hd-title">{t.text(|s| s.title)}</h2>
                    <p class="hd-subtitle">{t.text(|s| s.subtitle)}</p>
                </div>
                <button
                    type="button"
                    class="hd-close"
                    data-testid="close-panel"
                    aria-label=t.text(|s| s.close_support)
                    on:click=move |_| on_close.run(())
                >
                    "×"
                </button>
            </div>
            <nav class="hd-tabs" role="tablist">
                {tab_button(Tab::New, |s| s.new_ticket, "tab-new")}
                {tab_button(Tab::History, |s| s.my_tickets, "tab-history")}
            </nav>
            <div class="hd-body">
                <div role="tabpanel" hidden=move || tab.get() != Tab::New>
                    {ticket_form(show_ticket)}
                </div>
                // Mounted afresh on each visit, so the list is always current.
                {move || on_history.get().then(|| view! {
                    <div role="tabpanel">
                        {chunks::history(selected, Callback::new(move |()| tab.set(Tab::New)))}
                    </div>
                })}
            </div>
        </section>
    }
}

/// Focus on the selected tab: where the visitor starts in the dialog.
fn focus_selected_tab(dialog: &Element) {
    let tab = dialog.query_selector("[role=tab][aria-selected=true]");
    if let Some(tab) = tab
        .ok()
        .flatten()
        .and_then(|t| t.dyn_into::<HtmlElement>().ok())
    {
        _ = tab.focus();
    }
}

/// Tab on the last reachable element goes to the first, Shift+Tab on the first to the last.
fn keep_focus_inside(dialog: &Element, ev: &KeyboardEvent) {
    let reachable: Vec<HtmlElement> = select_all(dialog, FOCUSABLE)
        .iter()
        .filter_map(|e| e.dyn_into::<HtmlElement>().ok())
        // Inside a hidden tab or view: not on screen, so not reachable.
        .filter(|e| e.offset_width() > 0 || e.offset_height() > 0)
        .collect();
    let (Some(first), Some(last)) = (reachable.first(), reachable.last()) else {
        return;
    };
    let from = ev.target().map(JsValue::from).unwrap_or_default();
    let (edge, wrap_to) = if ev.shift_key() {
        (first, last)
    } else {
        (last, first)
    };
    let inside = reachable.iter().any(|e| JsValue::from(e) == from);
    if JsValue::from(edge) == from || !inside {
        ev.prevent_default();
        _ = wrap_to.focus();
    }
}

/// Whether focus is in the dialog, or nowhere (hiding it dropped focus).
fn focus_was_inside(dialog: &Element) -> bool {
    let document = document();
    let Some(active) = document.active_element() else {
        return true;
    };
    // In the loader's shadow root the page sees the host element as focused.
    let host =
        Reflect::get(&dialog.get_root_node(), &JsValue::from_str("host")).unwrap_or_default();
    document.body().is_some_and(|body| *active == **body)
        || dialog.contains(Some(&active))
        || JsValue::from(active) == host
}

/// `root.querySelectorAll(selector)` as an array (web-sys's NodeList is not in the build).
fn select_all(root: &Element, selector: &str) -> Array {
    Reflect::get(root, &JsValue::from_str("querySelectorAll"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .and_then(|f| f.call1(root, &JsValue::from_str(selector)).ok())
        .map(|list| Array::from(&list))
        .unwrap_or_default()
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::test_support::{FakeProxy, Page, fresh_base, standard_answers, tick};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::JsValue;
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use web_sys::Element;
    use web_sys::js_sys::{Array, Function};

    /// Presses `key` (with Shift when `shift`) on `target` as a keydown that bubbles; false when
    /// the widget prevented the browser's default (for Tab: moving focus on its own).
    pub(crate) async fn press(target: &Element, key: &str, shift: bool) -> bool {
        let dispatched = Function::new_with_args(
            "el, key, shiftKey",
            "return el.dispatchEvent(new KeyboardEvent('keydown', \
             {key, shiftKey, bubbles: true, cancelable: true, composed: true}));",
        )
        .call3(&JsValue::NULL, target, &key.into(), &shift.into())
        .expect("dispatched")
        .as_bool()
        .unwrap_or(true);
        tick().await;
        dispatched
    }

    /// Where focus went inside `root`, by `data-testid`, oldest first. Tests run concurrently
    /// in one document, so another test's widget may take focus later: what matters is where
    /// ours put it.
    pub(crate) struct FocusLog(Array);

    impl FocusLog {
        pub(crate) fn new(root: &Element) -> FocusLog {
            let log = Function::new_with_args(
                "root",
                "const log = []; \
                 root.addEventListener('focusin', e => log.push(e.target.getAttribute('data-testid'))); \
                 return log;",
            )
            .call1(&JsValue::NULL, root)
            .expect("a focus log");
            FocusLog(log.unchecked_into())
        }

        /// The element that took focus last.
        pub(crate) fn last(&self) -> Option<String> {
            self.0.get(self.0.length().wrapping_sub(1)).as_string()
        }

        /// How many times focus moved in.
        pub(crate) fn count(&self) -> u32 {
            self.0.length()
        }
    }

    #[test]
    async fn the_panel_is_a_labelled_modal_dialog_that_keeps_tab_inside() {
        let proxy = FakeProxy::install();
        standard_answers(&proxy);
        let page = Page::new();
        let focus = FocusLog::new(&page.root);
        let widget = crate::mount(page.root.clone(), fresh_base("dialog"), None, None);
        widget.call([JsValue::from_str("open")].iter().collect());
        tick().await;
        page.wait_for("field-custom-2").await;

        let dialog = page.get("panel");
        assert_eq!(dialog.get_attribute("role").as_deref(), Some("dialog"));
        assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
        let title = dialog.get_attribute("aria-labelledby").unwrap_or_default();
        let title = page
            .root
            .query_selector(&format!("#{title}"))
            .ok()
            .flatten();
        assert_eq!(
            title.and_then(|t| t.text_content()).as_deref(),
            Some("How can we help?")
        );
        assert_eq!(focus.last().as_deref(), Some("tab-new"), "focus moved in");

        // The last control of the form is its submit button; Tab there goes back to the top.
        let last = page.get("submit-ticket");
        let first = page.get("close-panel");
        assert!(
            !press(&last, "Tab", false).await,
            "the browser does not move focus"
        );
        assert_eq!(focus.last().as_deref(), Some("close-panel"));
        assert!(!press(&first, "Tab", true).await);
        assert_eq!(focus.last().as_deref(), Some("submit-ticket"));
        // In the middle, Tab is the browser's.
        assert!(press(&page.get("field-subject"), "Tab", false).await);
        assert!(press(&page.get("tab-new"), "Tab", true).await);

        // A view that takes away the focused element leaves focus in the dialog.
        let subject = page.get("field-subject");
        subject
            .clone()
            .unchecked_into::<web_sys::HtmlElement>()
            .focus()
            .expect("focus");
        subject.remove();
        tick().await;
        assert_eq!(focus.last().as_deref(), Some("tab-new"));
    }
}
