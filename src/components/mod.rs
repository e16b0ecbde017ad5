//! One component per file, named after it; small formatting helpers they share live here.

pub mod confirmation;
pub mod error_view;
pub mod form_fields;
pub mod launcher;
pub mod panel;
pub mod ticket_form;
pub mod ticket_history;
pub mod ticket_thread;

use helpdock_wire::Priority;

/// `YYYY-MM-DD HH:MM:SS` → `YYYY-MM-DD HH:MM`; anything else is shown as given.
pub(crate) fn short_time(stamp: &str) -> String {
    let well_formed = stamp.len() == 19 && stamp.is_ascii() && stamp.as_bytes()[16] == b':';
    match stamp.get(..16) {
        Some(minutes) if well_formed => minutes.to_owned(),
        _ => stamp.to_owned(),
    }
}

/// A CSS class for a status word: `hd-status hd-status-<slug>`, where the slug keeps only
/// `[a-z0-9-]` so an upstream word can never inject anything into the attribute.
pub(crate) fn status_class(status: &str) -> String {
    let slug: String = status
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("hd-status hd-status-{slug}")
}

/// How a priority reads in the widget.
pub(crate) fn priority_label(priority: Priority) -> &'static str {
    match priority {
        Priority::Low => "Low",
        Priority::Medium => "Medium",
        Priority::High => "High",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn times_lose_their_seconds_only_when_well_formed() {
        assert_eq!(short_time("2026-11-28 14:03:59"), "2026-11-28 14:03");
        assert_eq!(short_time("yesterday"), "yesterday");
        assert_eq!(short_time("2026-11-28ä14:03:5"), "2026-11-28ä14:03:5");
    }

    #[test]
    fn status_classes_are_sanitized() {
        assert_eq!(status_class("Open"), "hd-status hd-status-open");
        assert_eq!(status_class("on hold\" onclick=x"), "hd-status hd-status-on-hold--onclick-x");
    }
}
