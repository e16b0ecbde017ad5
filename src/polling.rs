//! Asking again for new replies while someone is looking: only while the panel is open and the
//! page visible, less often after errors, and never after the component asking is gone.

use crate::reactive::{effect, memo};
use crate::shell::Shell;
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::JsValue;
use web_sys::js_sys::Reflect;

/// How often the open thread and the ticket list ask again, and the launcher's unread watch's
/// shortest wait; tests provide faster ones as context.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PollEvery {
    /// The open thread.
    pub thread: Duration,
    /// "My tickets".
    pub list: Duration,
    /// The unread watch's first wait ([`crate::unread::watch`]), doubled up to fifteen times it.
    pub unread: Duration,
}

impl Default for PollEvery {
    fn default() -> PollEvery {
        // Component tests set their own pace as context; a widget another test left mounted
        // must not ask a later test's fake proxy.
        let minutes = if cfg!(test) { 60 } else { 0 };
        PollEvery {
            thread: Duration::from_secs(12 + minutes * 60),
            list: Duration::from_secs(45 + minutes * 60),
            unread: Duration::from_secs(60 + minutes * 60),
        }
    }
}

/// The longest wait between two asks after repeated errors.
const MAX_WAIT: Duration = Duration::from_secs(240);

/// A heartbeat for one resource: it tracks [`Poll::track`] and reports each answer.
#[derive(Clone, Copy, Debug)]
pub struct Poll {
    beat: RwSignal<u32>,
    /// Errors in a row.
    failures: StoredValue<u32>,
    /// Beats still to let pass before the next ask (the back-off).
    skip: StoredValue<u32>,
    /// Most beats ever skipped in a row: `MAX_WAIT` over the period.
    max_factor: u32,
}

impl Poll {
    /// Starts beating every `every` while the panel is open and the page visible; stops when the
    /// calling component is unmounted. Coming back (page shown, panel opened) asks at once.
    pub fn start(every: Duration) -> Poll {
        let open: Option<RwSignal<bool>> = use_context::<Shell>().map(|s| s.open.into());
        let visible = RwSignal::new(page_visible());
        let active = memo(move || visible.get() && open.is_none_or(|open| open.get()));
        let max_factor = (MAX_WAIT.as_millis() / every.as_millis().max(1)).clamp(1, 1 << 16) as u32;
        let poll = Poll {
            beat: RwSignal::new(0),
            failures: StoredValue::new(0),
            skip: StoredValue::new(0),
            max_factor,
        };

        // `visibilitychange` bubbles from the document to the window.
        let listener =
            window_event_listener_untyped("visibilitychange", move |_| visible.set(page_visible()));
        on_cleanup(move || listener.remove());
        let beat = move || {
            if !active.try_get_untracked().unwrap_or(false) {
                return;
            }
            let waiting = poll
                .skip
                .try_update_value(|skip| {
                    let waiting = *skip > 0;
                    *skip = skip.saturating_sub(1);
                    waiting
                })
                .unwrap_or(true);
            if !waiting {
                poll.beat.try_update(|b| *b = b.wrapping_add(1));
            }
        };
        if let Ok(timer) = set_interval_with_handle(beat, every) {
            on_cleanup(move || timer.clear());
        }
        let mut was = None;
        effect(move || {
            let now = active.get();
            if now && was == Some(false) {
                poll.skip.set_value(0);
                poll.beat.update(|b| *b = b.wrapping_add(1));
            }
            was = Some(now);
        });
        poll
    }

    /// Makes the caller (a resource's fetcher) run again on each beat.
    pub fn track(&self) {
        self.beat.track();
    }

    /// After each answer: an error doubles the wait before the next ask (up to a few minutes),
    /// a success goes back to the normal pace. Harmless after unmount.
    pub fn report(&self, ok: bool) {
        let failures = if ok {
            0
        } else {
            self.failures
                .try_get_value()
                .unwrap_or(0)
                .saturating_add(1)
                .min(16)
        };
        self.failures.try_set_value(failures);
        let factor = (1_u32 << failures).min(self.max_factor);
        self.skip.try_set_value(factor - 1);
    }
}

/// `document.visibilityState != "hidden"`; visible where the browser does not say.
pub(crate) fn page_visible() -> bool {
    let state = web_sys::window()
        .and_then(|w| Reflect::get(&w, &JsValue::from_str("document")).ok())
        .and_then(|d| Reflect::get(&d, &JsValue::from_str("visibilityState")).ok())
        .and_then(|s| s.as_string());
    state.as_deref() != Some("hidden")
}
