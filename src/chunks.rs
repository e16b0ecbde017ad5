//! Code splitting: what the first screen does not need is a wasm chunk of its own in the release
//! build: "My tickets", a ticket's thread, the reader of refusals, the launcher's unread watch,
//! and each locale but English. A chunk is fetched on first use; [`prefetch`] fetches the first
//! three while the browser is idle once the panel is open, so "My tickets" opens as fast as the
//! form; the launcher starts the unread watch as soon as the visitor has an identity or a guest
//! pass.
//!
//! Only the release build splits (`--cfg helpdock_split`; scripts/build-widget.sh runs wasm-split
//! on it): tests, clippy and `trunk serve` build one module, where these are plain calls. A chunk
//! that cannot be fetched shows as a network error, and its next use fetches it again.

use crate::api::ApiError;
use crate::components::error_view::error_view;
use crate::components::ticket_form::Submit;
use crate::components::ticket_history::ticket_history;
use crate::components::ticket_thread::ticket_thread;
use crate::i18n::Strings;
use helpdock_wire::{ErrorBody, TicketId};
use leptos::prelude::*;
use wasm_split_helpers::SplitLoaderError;
#[cfg(helpdock_split)]
use wasm_split_helpers::wasm_split;

/// "My tickets": the list, or the `selected` ticket's thread (see [`ticket_history`]).
pub fn history(selected: RwSignal<Option<TicketId>>, on_new: Callback<()>) -> impl IntoView {
    shown(history_chunk(selected, on_new))
}

#[cfg_attr(
    helpdock_split,
    wasm_split(history, fallible, preload(prefetch_history))
)]
fn history_chunk(
    selected: RwSignal<Option<TicketId>>,
    on_new: Callback<()>,
) -> Result<AnyView, SplitLoaderError> {
    Ok(ticket_history(selected, on_new).into_any())
}

/// Ticket `id`'s thread (see [`ticket_thread`]).
pub fn thread(
    id: TicketId,
    on_back: Callback<()>,
    on_replied: Callback<()>,
    on_seen: Option<Callback<()>>,
) -> impl IntoView {
    shown(thread_chunk(id, on_back, on_replied, on_seen))
}

#[cfg_attr(helpdock_split, wasm_split(thread, fallible, preload(prefetch_thread)))]
fn thread_chunk(
    id: TicketId,
    on_back: Callback<()>,
    on_replied: Callback<()>,
    on_seen: Option<Callback<()>>,
) -> Result<AnyView, SplitLoaderError> {
    Ok(ticket_thread(id, on_back, on_replied, on_seen).into_any())
}

/// Starts the launcher's unread watch ([`crate::unread::watch`]) under the calling owner. Call
/// once the visitor has an identity or a guest pass: it is a chunk of its own, which anonymous
/// visitors never fetch. Should that fetch fail, the badge waits for "My tickets" to count.
pub fn unread_watch() {
    leptos::task::spawn_local_scoped_with_cancellation(async move {
        #[cfg(helpdock_split)]
        let _ = watch_chunk().await;
        #[cfg(not(helpdock_split))]
        let _ = watch_chunk();
    });
}

#[cfg_attr(helpdock_split, wasm_split(unread_watch, fallible))]
fn watch_chunk() -> Result<(), SplitLoaderError> {
    crate::unread::watch::unread_watch();
    Ok(())
}

/// Sends the ticket form ([`Submit::send`]). The first screen needs the send path (the rules,
/// the request, the exactly-once send) only once Send is pressed, so it is a chunk, prefetched
/// with the others; should its fetch fail, the form waits to send once the browser is online.
pub fn submit_ticket(submit: Submit) {
    leptos::task::spawn_local(async move {
        let waiting = submit.clone();
        #[cfg(helpdock_split)]
        let sent = submit_chunk(submit).await;
        #[cfg(not(helpdock_split))]
        let sent = submit_chunk(submit);
        if sent.is_err() {
            waiting.not_loaded();
        }
    });
}

#[cfg_attr(helpdock_split, wasm_split(submit, fallible, preload(prefetch_submit)))]
fn submit_chunk(submit: Submit) -> Result<(), SplitLoaderError> {
    submit.send();
    Ok(())
}

/// The `ErrorBody` of a refusal (see [`crate::api::answer::refusal`]). The happy path of the
/// first screen never reads one, so its reader is a chunk: prefetched with the others, fetched at
/// the latest when a refusal arrives. Should that fetch fail, the status says what happened.
pub async fn refusal(status: u16, text: String) -> ErrorBody {
    #[cfg(helpdock_split)]
    let read = refusal_chunk(status, text).await;
    #[cfg(not(helpdock_split))]
    let read = refusal_chunk(status, text);
    read.unwrap_or_else(|_| crate::api::answer::bare_status(status))
}

#[cfg_attr(
    helpdock_split,
    wasm_split(refusal, fallible, preload(prefetch_refusal))
)]
fn refusal_chunk(status: u16, text: String) -> Result<ErrorBody, SplitLoaderError> {
    Ok(crate::api::answer::refusal(status, &text))
}

/// A chunk's view, shown once its chunk is here.
#[cfg(helpdock_split)]
fn shown(
    view: impl Future<Output = Result<AnyView, SplitLoaderError>> + Send + 'static,
) -> impl IntoView {
    Suspend::new(async move { or_failure(view.await) })
}

/// A chunk's view (one module: at hand).
#[cfg(not(helpdock_split))]
fn shown(view: Result<AnyView, SplitLoaderError>) -> AnyView {
    or_failure(view)
}

fn or_failure(view: Result<AnyView, SplitLoaderError>) -> AnyView {
    view.unwrap_or_else(|_| error_view(ApiError::Network, "chunk-error").into_any())
}

/// Fetches the chunks of "My tickets", the thread, refusals and the form's send path while the
/// browser is idle (after a timeout where there is no `requestIdleCallback`). Call when the panel
/// opens; no-op once they are here.
pub fn prefetch() {
    #[cfg(helpdock_split)]
    {
        use leptos::task::spawn_local;
        fn fetch() {
            // A failure is not kept: the chunk's first use fetches it again.
            spawn_local(async {
                _ = prefetch_history().await;
            });
            spawn_local(async {
                _ = prefetch_thread().await;
            });
            spawn_local(async {
                _ = prefetch_refusal().await;
            });
            spawn_local(async {
                _ = prefetch_submit().await;
            });
        }
        if request_idle_callback_with_handle(fetch).is_err() {
            set_timeout(fetch, std::time::Duration::from_millis(500));
        }
    }
}

// English and one split point per other locale in `words`: a new tag in `i18n::TAGS` stops every
// build here until it has its own.
const _: () = assert!(crate::i18n::TAGS.len() == 8);

/// The words of the locale `i18n::TAGS[index]` when they need no fetch: always in a build of one
/// module; in the split build English and the locales fetched before.
pub fn words_now(index: usize) -> Option<&'static Strings> {
    #[cfg(not(helpdock_split))]
    return crate::i18n::LOCALES.get(index).copied();
    #[cfg(helpdock_split)]
    return FETCHED.with(|fetched| fetched.get().get(index).copied().flatten());
}

/// Fetches the words of the locale `i18n::TAGS[index]`; `None` when their chunk cannot be had.
pub async fn words(index: usize) -> Option<&'static Strings> {
    #[cfg(not(helpdock_split))]
    return words_now(index);
    #[cfg(helpdock_split)]
    {
        use crate::i18n::{ar, de, en, es, fr, ja, pt_br, zh_cn};
        // One split point per locale, each its own chunk: a visitor fetches one language.
        #[wasm_split(locale_de, fallible)]
        fn locale_de() -> Result<&'static Strings, SplitLoaderError> {
            Ok(&de::STRINGS)
        }
        #[wasm_split(locale_fr, fallible)]
        fn locale_fr() -> Result<&'static Strings, SplitLoaderError> {
            Ok(&fr::STRINGS)
        }
        #[wasm_split(locale_es, fallible)]
        fn locale_es() -> Result<&'static Strings, SplitLoaderError> {
            Ok(&es::STRINGS)
        }
        #[wasm_split(locale_pt_br, fallible)]
        fn locale_pt_br() -> Result<&'static Strings, SplitLoaderError> {
            Ok(&pt_br::STRINGS)
        }
        #[wasm_split(locale_ja, fallible)]
        fn locale_ja() -> Result<&'static Strings, SplitLoaderError> {
            Ok(&ja::STRINGS)
        }
        #[wasm_split(locale_zh_cn, fallible)]
        fn locale_zh_cn() -> Result<&'static Strings, SplitLoaderError> {
            Ok(&zh_cn::STRINGS)
        }
        #[wasm_split(locale_ar, fallible)]
        fn locale_ar() -> Result<&'static Strings, SplitLoaderError> {
            Ok(&ar::STRINGS)
        }
        // One boxed future awaited, not seven inlined into this one: smaller in the first screen.
        type Fetch = fn() -> std::pin::Pin<
            Box<dyn Future<Output = Result<&'static Strings, SplitLoaderError>>>,
        >;
        let fetch: Fetch = match index {
            1 => || Box::pin(locale_de()),
            2 => || Box::pin(locale_fr()),
            3 => || Box::pin(locale_es()),
            4 => || Box::pin(locale_pt_br()),
            5 => || Box::pin(locale_ja()),
            6 => || Box::pin(locale_zh_cn()),
            7 => || Box::pin(locale_ar()),
            _ => return Some(&en::STRINGS),
        };
        let words = fetch().await.ok()?;
        FETCHED.with(|fetched| {
            let mut all = fetched.get();
            if let Some(slot) = all.get_mut(index) {
                *slot = Some(words);
            }
            fetched.set(all);
        });
        Some(words)
    }
}

#[cfg(helpdock_split)]
thread_local! {
    /// The locales at hand, by index of `i18n::TAGS`: English from the start.
    static FETCHED: std::cell::Cell<[Option<&'static Strings>; crate::i18n::TAGS.len()]> = {
        let mut all = [None; crate::i18n::TAGS.len()];
        all[0] = Some(&crate::i18n::en::STRINGS);
        std::cell::Cell::new(all)
    };
}
