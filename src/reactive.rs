//! Leptos's effects and memos, instantiated once per value type rather than once per closure:
//! each instantiation of `Effect::new` or `Memo::new` costs the wasm the better part of a
//! kilobyte, and the widget has many closures but few value types.

use leptos::prelude::*;

/// An effect: `f` runs now and again whenever a signal it read changes. What `Effect::new`'s
/// previous value is for, `f` keeps in what it captures.
pub fn effect(f: impl FnMut() + 'static) {
    effect_boxed(Box::new(f));
}

fn effect_boxed(f: Box<dyn FnMut()>) {
    Effect::new(f);
}

/// A memo of `f`: recomputed when a signal it read changes, and noticed only when its value does.
pub fn memo<T: PartialEq + Send + Sync + 'static>(
    f: impl Fn() -> T + Send + Sync + 'static,
) -> Memo<T> {
    memo_boxed(Box::new(f))
}

fn memo_boxed<T: PartialEq + Send + Sync + 'static>(
    f: Box<dyn Fn() -> T + Send + Sync>,
) -> Memo<T> {
    Memo::new(move |_| f())
}
