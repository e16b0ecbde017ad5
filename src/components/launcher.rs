//! The round button in the corner that opens and closes the panel.

use super::panel::Panel;
use crate::i18n::I18n;
use leptos::prelude::*;

/// The widget's root: the launcher button and, once first opened, the panel. `open` is also
/// driven by the host page (`Helpdock('open')`); a new `generation` builds the panel afresh,
/// forgetting everything typed.
#[component]
pub fn Launcher(open: RwSignal<bool>, generation: Signal<u32>) -> impl IntoView {
    // The locale is chosen here, at the root, for every component below.
    let t = I18n::provide();
    // The panel is created on first open (no requests before the visitor asks for help) and then
    // only hidden, so nothing typed is lost when it is closed.
    let opened_once =
        Memo::new(move |before: Option<&bool>| before.copied().unwrap_or(false) || open.get());

    let toggle = move |_| open.update(|o| *o = !*o);
    let close = Callback::new(move |()| open.set(false));
    let panel = move || {
        generation.track();
        opened_once
            .get()
            .then(|| view! { <Panel open=open.into() on_close=close/> })
    };

    view! {
        <div class="hd-root" lang=t.text(|s| s.lang) dir=t.text(|s| s.dir)>
            {panel}
            <button
                type="button"
                class="hd-launcher"
                class:hd-launcher-open=move || open.get()
                data-testid="launcher"
                aria-label=move || if open.get() { t.get().close_support } else { t.get().open_support }
                aria-expanded=move || open.get().to_string()
                on:click=toggle
            >
                <svg class="hd-icon-chat" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.2 3.6c-.5.4-1.3.1-1.3-.6V16h0a2.5 2.5 0 0 1-.5-1.5z"></path>
                </svg>
                <svg class="hd-icon-close" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M6 6l12 12M18 6L6 18"></path>
                </svg>
            </button>
        </div>
    }
}
