//! Asking the proxy from a component: a few lines instead of `LocalResource`/`Action`, whose
//! generic machinery costs the widget many kilobytes.

use crate::reactive::effect;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;

/// The newest answer of a [`load`], `None` until the first arrives; read-only. A signal of its own
/// rather than a `ReadSignal`, whose machinery would be one more instantiation per answer type.
pub struct Loaded<T: 'static>(RwSignal<Option<T>>);

impl<T> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Loaded<T> {}

impl<T: Clone + Send + Sync + 'static> Loaded<T> {
    /// The answer, tracked.
    pub fn get(&self) -> Option<T> {
        self.0.get()
    }

    /// The answer, untracked.
    pub fn get_untracked(&self) -> Option<T> {
        self.0.get_untracked()
    }
}

/// The newest answer of `fetch`, `None` until the first arrives. `fetch` runs again whenever a
/// value it read (before its first `.await`) changes; the previous answer stays until the next
/// arrives, an older ask finishing late is ignored, and nothing lands after unmount.
pub fn load<T: Send + Sync + 'static, F: Future<Output = T> + 'static>(
    fetch: impl Fn() -> F + 'static,
) -> Loaded<T> {
    let answer = RwSignal::new(None);
    // Which ask is the newest: only its answer is kept.
    let asked = StoredValue::new(0_u32);
    effect(move || {
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
    Loaded(answer)
}

/// Runs `task`, `pending` true meanwhile; what `task` sets after unmount must use `try_` setters.
pub fn run(pending: RwSignal<bool>, task: impl Future<Output = ()> + 'static) {
    pending.set(true);
    spawn_local(async move {
        task.await;
        pending.try_set(false);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{Page, tick, until};
    use leptos::mount::UnmountHandle;
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::JsValue;
    use wasm_bindgen_futures::JsFuture;
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use web_sys::js_sys::{Function, Promise};

    /// Asks answered only when the test says so: each ask's number, answered by its resolver.
    fn slow_asks(ask: RwSignal<u32>) -> (Loaded<u32>, Rc<RefCell<Vec<Function>>>) {
        let answer_with: Rc<RefCell<Vec<Function>>> = Rc::default();
        let answer = load({
            let answer_with = answer_with.clone();
            move || {
                let n = ask.get();
                let promise =
                    Promise::new(&mut |resolve, _| answer_with.borrow_mut().push(resolve));
                async move {
                    _ = JsFuture::from(promise).await;
                    n
                }
            }
        });
        (answer, answer_with)
    }

    /// [`slow_asks`] in a component mounted on `page`, with the handle that unmounts it.
    fn mount_slow_asks(
        page: &Page,
        ask: RwSignal<u32>,
    ) -> (
        UnmountHandle<web_sys::Comment>,
        Loaded<u32>,
        Rc<RefCell<Vec<Function>>>,
    ) {
        let asks = Rc::new(RefCell::new(None));
        let mounted = leptos::mount::mount_to(page.root.clone(), {
            let asks = asks.clone();
            move || *asks.borrow_mut() = Some(slow_asks(ask))
        });
        let (latest, answer_with) = asks.borrow_mut().take().expect("mounted");
        (mounted, latest, answer_with)
    }

    fn answer(answer_with: &Rc<RefCell<Vec<Function>>>, ask: usize) {
        _ = answer_with.borrow()[ask].call0(&JsValue::NULL);
    }

    #[test]
    async fn an_older_answer_arriving_late_is_ignored() {
        let page = Page::new();
        let ask = RwSignal::new(1);
        let (mounted, latest, answer_with) = mount_slow_asks(&page, ask);
        until("the first ask", || answer_with.borrow().len() == 1).await;
        ask.set(2);
        until("the second ask", || answer_with.borrow().len() == 2).await;
        assert_eq!(latest.get_untracked(), None, "loading");

        answer(&answer_with, 1);
        until("the newest answer", || latest.get_untracked() == Some(2)).await;
        answer(&answer_with, 0);
        tick().await;
        tick().await;
        assert_eq!(
            latest.get_untracked(),
            Some(2),
            "the older answer came last"
        );

        ask.set(3);
        until("the third ask", || answer_with.borrow().len() == 3).await;
        assert_eq!(latest.get_untracked(), Some(2), "kept while asking again");
        answer(&answer_with, 2);
        until("the third answer", || latest.get_untracked() == Some(3)).await;
        drop(mounted);
    }

    #[test]
    async fn nothing_lands_after_unmount() {
        let page = Page::new();
        let ask = RwSignal::new(1);
        let (mounted, latest, answer_with) = mount_slow_asks(&page, ask);
        until("the first ask", || answer_with.borrow().len() == 1).await;
        drop(mounted);
        answer(&answer_with, 0);
        tick().await;
        tick().await;
        assert!(latest.0.is_disposed());
        ask.try_set(2);
        tick().await;
        assert_eq!(answer_with.borrow().len(), 1, "no ask after unmount");
    }
}
