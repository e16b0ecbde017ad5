//! Asking the proxy from a component: a few lines instead of `LocalResource`/`Action`, whose
//! generic machinery costs the widget many kilobytes.

use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;

/// The newest answer of `fetch`, `None` until the first arrives. `fetch` runs again whenever a
/// value it read (before its first `.await`) changes; the previous answer stays until the next
/// arrives, an older ask finishing late is ignored, and nothing lands after unmount.
pub fn load<T: Send + Sync + 'static, F: Future<Output = T> + 'static>(
    fetch: impl Fn() -> F + 'static,
) -> ReadSignal<Option<T>> {
    let answer = RwSignal::new(None);
    // Which ask is the newest: only its answer is kept.
    let asked = StoredValue::new(0_u32);
    Effect::new(move |_| {
        let future = fetch();
        let Some(this) = asked.try_update_value(|n| {
            *n = n.wrapping_add(1);
            *n
        }) else {
            return;
        };
        spawn_local(async move {
            let value = future.await;
            if asked.try_get_value() == Some(this) {
                answer.try_set(Some(value));
            }
        });
    });
    answer.read_only()
}

/// Runs `task`, `pending` true meanwhile; what `task` sets after unmount must use `try_` setters.
pub fn run(pending: RwSignal<bool>, task: impl Future<Output = ()> + 'static) {
    pending.set(true);
    spawn_local(async move {
        task.await;
        pending.try_set(false);
    });
}
