//! One component per file, named after it; small formatting helpers they share live here.

pub mod confirmation;
pub mod error_view;
pub mod form_fields;
pub mod launcher;
pub mod panel;
mod refocus;
pub mod ticket_form;
pub mod ticket_history;
pub mod ticket_thread;

#[cfg(test)]
mod reply_loop_tests;

/// A CSS class for a status word: `hd-status hd-status-<slug>`, where the slug keeps only
/// `[a-z0-9-]` so an upstream word can never inject anything into the attribute.
pub(crate) fn status_class(status: &str) -> String {
    let slug: String = status
        .trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("hd-status hd-status-{slug}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn status_classes_are_sanitized() {
        assert_eq!(status_class("Open"), "hd-status hd-status-open");
        assert_eq!(
            status_class("on hold\" onclick=x"),
            "hd-status hd-status-on-hold--onclick-x"
        );
    }
}
