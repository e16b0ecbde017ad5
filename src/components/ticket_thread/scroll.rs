//! Where a thread's messages are scrolled.

use helpdock_wire::ReplyId;
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Where the messages are scrolled: to the "New" divider or the newest message when the thread
/// first shows, then down with each new message while the visitor is at the bottom.
#[derive(Clone, Copy)]
pub(super) struct Scroll {
    scroller: NodeRef<Div>,
    /// Whether the visitor is at (or near) the bottom.
    at_bottom: StoredValue<bool>,
    /// Whether the first placement was made.
    placed: StoredValue<bool>,
}

impl Scroll {
    pub(super) fn new(scroller: NodeRef<Div>) -> Scroll {
        Scroll {
            scroller,
            at_bottom: StoredValue::new(true),
            placed: StoredValue::new(false),
        }
    }

    /// After the messages changed: the first time to the divider above `first_new` (or to the
    /// newest), later to the bottom if the visitor was there.
    pub(super) fn follow(self, first_new: Option<ReplyId>) {
        // Once the new messages are laid out; the thread may be gone by then.
        request_animation_frame(move || {
            let (Some(el), Some(placed)) = (self.element(), self.placed.try_get_value()) else {
                return;
            };
            if placed {
                if self.at_bottom.try_get_value() == Some(true) {
                    el.set_scroll_top(el.scroll_height());
                }
                return;
            }
            // Hidden (a closed panel) there is no layout to place.
            if el.client_height() == 0 {
                return;
            }
            self.placed.try_set_value(true);
            let divider = first_new
                .and_then(|_| {
                    el.query_selector("[data-testid=new-divider]")
                        .ok()
                        .flatten()
                })
                .and_then(|d| d.dyn_into::<web_sys::HtmlElement>().ok());
            match divider {
                // A little of what came before stays in view.
                Some(divider) => el.set_scroll_top(divider.offset_top() - 24),
                None => el.set_scroll_top(el.scroll_height()),
            }
            self.moved();
        });
    }

    /// Goes to the newest message.
    pub(super) fn to_bottom(self) {
        self.at_bottom.try_set_value(true);
        self.placed.try_set_value(true);
        if let Some(el) = self.element() {
            el.set_scroll_top(el.scroll_height());
        }
    }

    /// The visitor scrolled: notes whether they are at the bottom.
    pub(super) fn moved(self) {
        if let Some(el) = self.element() {
            let below = el.scroll_height() - el.scroll_top() - el.client_height();
            self.at_bottom.try_set_value(below < 48);
        }
    }

    /// The scrolling element, while the thread is on the page.
    fn element(self) -> Option<web_sys::HtmlDivElement> {
        self.scroller.try_get_untracked().flatten()
    }
}
