//! The Helpdock support widget: a launcher and a panel with a ticket form and "My tickets".
//!
//! The loader (`loader/widget.js`) creates a shadow root on the host page, initialises this module
//! and calls [`mount`]. Everything the widget does over the network goes through [`api`].

pub mod api;
pub mod components;

use api::Api;
use components::launcher::Launcher;
use helpdock_wire::validate::{is_valid_email, normalize_email};
use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;

/// Who the visitor is, as far as the widget knows: shared by the form and "My tickets".
#[derive(Clone, Copy, Debug)]
pub struct Visitor {
    /// The email as typed (in the form or in "My tickets"); empty when unknown.
    pub email: RwSignal<String>,
}

impl Visitor {
    /// The normalized email when it is a valid address; `None` while unknown or half-typed.
    pub fn known_email(&self) -> Option<String> {
        let email = normalize_email(&self.email.get());
        is_valid_email(&email).then_some(email)
    }
}

/// Mounts the widget into `container` (inside the loader's shadow root). `api_base` is the URL
/// of the proxy's `api/` directory; `site` is the script tag's `data-site`, when it has one.
#[wasm_bindgen]
pub fn mount(container: web_sys::HtmlElement, api_base: String, site: Option<String>) {
    console_error_panic_hook::set_once();
    let api = Api::new(&api_base, site);
    leptos::mount::mount_to(container, move || {
        provide_context(api);
        provide_context(Visitor { email: RwSignal::new(String::new()) });
        view! { <Launcher/> }
    })
    // The widget lives as long as the page; dropping the handle would unmount it.
    .forget();
}
