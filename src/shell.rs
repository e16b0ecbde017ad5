//! What the host page and the widget's parts share: open or not, the chosen locale, a prefill,
//! the unread count, and the host page's event listeners. Provided as context by [`crate::mount`].

use crate::reactive::effect;
use helpdock_wire::TicketId;
use leptos::prelude::*;
use std::sync::{Arc, Mutex};
use wasm_bindgen::JsValue;
use web_sys::js_sys::{Function, Object, Reflect};

/// Values for the new-ticket form from `Helpdock('prefill', {…})`; `None` leaves a field alone.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Prefill {
    /// The subject line.
    pub subject: Option<String>,
    /// The message body.
    pub message: Option<String>,
    /// The visitor's name (ignored while identified: the host page's name wins).
    pub name: Option<String>,
    /// The visitor's email (ignored while identified).
    pub email: Option<String>,
    /// The company.
    pub company: Option<String>,
    /// `low`, `medium` or `high`.
    pub priority: Option<String>,
    /// A category id, or a category name as the helpdesk spells it.
    pub category: Option<String>,
    /// Custom field id or name → value, as the form would hold it.
    pub fields: Vec<(String, String)>,
}

/// The widget's shared state; cheap to clone (every field is a shared signal).
#[derive(Clone, Debug)]
pub struct Shell {
    /// Whether the panel is showing.
    pub open: ArcRwSignal<bool>,
    /// Bumped when everything typed must go (`reset`, another visitor identified): the panel is
    /// built afresh and drafts are dropped.
    pub generation: ArcRwSignal<u32>,
    /// The locale the host page asked for (`setLocale`, `data-locale`); `None` follows the page.
    pub locale: ArcRwSignal<Option<String>>,
    /// The latest `prefill`, applied by the form to the fields the visitor has not typed in.
    pub prefill: ArcRwSignal<Option<Prefill>>,
    /// How many tickets have news the visitor has not seen yet: the launcher's badge. Set by
    /// [`Shell::set_unread`], with the tickets themselves.
    pub unread: ArcRwSignal<u32>,
    /// Those tickets, in list order, for opening the panel at them; read, never tracked (a plain
    /// value: one more kind of signal would cost the first screen's wasm).
    unread_tickets: Arc<Mutex<Vec<TicketId>>>,
    /// True while "My tickets" is mounted: it asks for the list itself (while the panel is open),
    /// so the launcher's unread watch need not.
    pub listing: ArcRwSignal<bool>,
    /// The loader's event dispatcher, `(name, detail)`; absent in tests and old loaders.
    events: Option<Function>,
}

impl Shell {
    /// A closed widget with nothing set; `events` receives [`Shell::emit`]'s events.
    pub fn new(events: Option<Function>) -> Shell {
        Shell {
            open: ArcRwSignal::new(false),
            generation: ArcRwSignal::new(0),
            locale: ArcRwSignal::new(None),
            prefill: ArcRwSignal::new(None),
            unread: ArcRwSignal::new(0),
            unread_tickets: Arc::default(),
            listing: ArcRwSignal::new(false),
            events,
        }
    }

    /// Forgets everything typed: the panel is rebuilt from nothing.
    pub fn forget_drafts(&self) {
        self.generation.update(|g| *g = g.wrapping_add(1));
        // The count was the previous visitor's.
        self.set_unread(Vec::new());
    }

    /// The tickets with news the visitor has not seen yet, in list order; their number becomes
    /// the badge's (a signal that changes only when the number does).
    pub fn set_unread(&self, tickets: Vec<TicketId>) {
        let count = tickets.len() as u32;
        if let Ok(mut kept) = self.unread_tickets.lock() {
            *kept = tickets;
        }
        if self.unread.get_untracked() != count {
            self.unread.set(count);
        }
    }

    /// The tickets [`Shell::set_unread`] was last given.
    pub fn unread_tickets(&self) -> Vec<TicketId> {
        self.unread_tickets
            .lock()
            .map(|kept| kept.clone())
            .unwrap_or_default()
    }

    /// Tells the host page about each change it can listen for: `open` and `close` on every
    /// transition (whatever caused it), `unreadChanged` with `{count}`. Call once, inside the
    /// mounted view (the effects live as long as it).
    pub fn announce_changes(&self) {
        // Compared with the values at mount: a change made before the effect first runs counts.
        // One effect for both: each costs wasm bytes.
        let shell = self.clone();
        let (mut was_open, mut was_unread) =
            (self.open.get_untracked(), self.unread.get_untracked());
        effect(move || {
            let (open, unread) = (shell.open.get(), shell.unread.get());
            if open != was_open {
                was_open = open;
                let name = if open { "open" } else { "close" };
                shell.emit(name, &JsValue::UNDEFINED);
            }
            if unread != was_unread {
                was_unread = unread;
                let detail = Object::new();
                _ = Reflect::set(&detail, &"count".into(), &unread.into());
                shell.emit("unreadChanged", &detail);
            }
        });
    }

    /// Tells the host page's `Helpdock('on', name, cb)` listeners; the loader catches what they
    /// throw, so a broken listener cannot break the widget.
    pub fn emit(&self, name: &str, detail: &JsValue) {
        if let Some(events) = &self.events {
            _ = events.call2(&JsValue::NULL, &JsValue::from_str(name), detail);
        }
    }
}
