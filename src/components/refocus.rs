//! Lists drawn again whole (cheaper in bytes than keyed `<For>`) are patched in place by
//! position, so after a reorder the focused button would show another row: focus follows its row.

use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlElement;
use web_sys::js_sys::{Function, Reflect};

/// Call right before drawing the rows inside `list` again: once they are in, focus goes back to
/// the element with the same `data-testid` as the one that had it.
pub(crate) fn keep_focus(list: &JsValue) {
    let testid = call(list, "querySelector", ":focus")
        .filter(|f| !f.is_null())
        .and_then(|f| call(&f, "getAttribute", "data-testid"))
        .and_then(|t| t.as_string());
    let Some(testid) = testid else {
        return;
    };
    let list = list.clone();
    // The redraw is done by the time this task runs.
    spawn_local(async move {
        let selector = ["[data-testid=\"", &testid, "\"]"].concat();
        let again = call(&list, "querySelector", &selector);
        if let Some(again) = again.and_then(|a| a.dyn_into::<HtmlElement>().ok()) {
            _ = again.focus();
        }
    });
}

/// `target.method(arg)`, `None` where the browser has no such method or it throws.
fn call(target: &JsValue, method: &str, arg: &str) -> Option<JsValue> {
    let method: Function = Reflect::get(target, &JsValue::from_str(method))
        .ok()?
        .dyn_into()
        .ok()?;
    method.call1(target, &JsValue::from_str(arg)).ok()
}
