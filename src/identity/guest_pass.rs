//! A guest's pass: what the proxy gave this browser with its first ticket, naming the tickets it
//! may follow without a signed identity.

use leptos::prelude::{ArcTrigger, Notify};
use std::sync::{Arc, Mutex};

/// The guest pass the proxy gave this browser: in the host page's `localStorage`, one per proxy,
/// or only in memory where storage is refused (private modes, sandboxed frames).
#[derive(Clone, Debug)]
pub struct GuestPass {
    key: Arc<str>,
    memory: Arc<Mutex<Option<String>>>,
    /// Notified on every change made here (another tab's changes show on the next read).
    pub changed: ArcTrigger,
}

impl GuestPass {
    /// The pass kept for the proxy whose API is at `api_base`.
    pub fn new(api_base: &str) -> GuestPass {
        GuestPass {
            key: ["helpdock.guest_pass:", api_base].concat().into(),
            memory: Default::default(),
            changed: ArcTrigger::new(),
        }
    }

    /// The pass, if this browser has one.
    pub fn get(&self) -> Option<String> {
        let stored = storage().and_then(|s| s.get_item(&self.key).ok().flatten());
        stored
            .or_else(|| self.memory.lock().ok().and_then(|m| m.clone()))
            .filter(|p| !p.is_empty())
    }

    /// Keeps `pass` (`None` drops it), here and in storage.
    pub fn set(&self, pass: Option<&str>) {
        if let Ok(mut memory) = self.memory.lock() {
            *memory = pass.map(str::to_owned);
        }
        if let Some(storage) = storage() {
            // A full or refused storage leaves the pass in memory for this page view.
            _ = match pass {
                Some(pass) => storage.set_item(&self.key, pass),
                None => storage.remove_item(&self.key),
            };
        }
        self.changed.notify();
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}
