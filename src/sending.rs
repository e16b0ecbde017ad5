//! Sends that happen exactly once and lose nothing: the create form's and the reply box's.
//!
//! When a new `Idempotency-Key` is used ([`keep_key_after`]): a key is made when the visitor
//! presses Send and stored with the draft. Every resend of that draft — "Send" again, the browser
//! coming back online, a reload — reuses it, even after an edit, as long as the proxy may have
//! filed it (no answer) or refused for a passing reason (rate limit, helpdesk down): the proxy then
//! answers the first result again, or `409 idempotency_conflict` if the earlier version did arrive,
//! and nothing is ever filed twice. After a definitive refusal (invalid input, spam check, access)
//! nothing was filed and the proxy keeps nothing for the key, so it is dropped and the next Send
//! makes a new one; after a `409` too, so that sending once more, knowingly, files the new version.

use crate::api::{ApiError, new_idempotency_key};
use crate::load::run;
use helpdock_wire::ErrorCode;
use leptos::prelude::*;

/// One draft's sends: its key, whether a send is under way or waits for the network, and the
/// last refusal. `Copy`, for the closures of the component that owns it.
#[derive(Clone, Copy)]
pub struct DurableSend {
    /// The key of the send under way or waiting to go again; `None` until the visitor sends.
    pub key: StoredValue<Option<String>>,
    /// True while a request is under way.
    pub sending: RwSignal<bool>,
    /// True after a send found no network: it goes again once the browser is back online.
    pub waiting: RwSignal<bool>,
    /// The last refusal, shown with the form.
    pub failure: RwSignal<Option<ApiError>>,
}

impl DurableSend {
    /// The sends of a draft whose stored key is `key` (holding `None`: never sent).
    pub fn new(key: StoredValue<Option<String>>) -> DurableSend {
        DurableSend {
            key,
            sending: RwSignal::new(false),
            waiting: RwSignal::new(false),
            failure: RwSignal::new(None),
        }
    }

    /// Whether a send is under way (then another press of Send does nothing).
    pub fn busy(self) -> bool {
        self.sending.get_untracked()
    }

    /// The key the next attempt goes under: the kept one, or a new one kept from now on (store
    /// the draft after this, so a reload resends under it). Clears the last refusal.
    pub fn attempt_key(self) -> String {
        let key = self.key.get_value().unwrap_or_else(new_idempotency_key);
        self.key.set_value(Some(key.clone()));
        self.failure.set(None);
        key
    }

    /// Runs `request`; on success drops the key and calls `on_sent`. On failure shows it (or
    /// waits for the network), and after a definitive refusal drops the key and calls
    /// `store` to keep the draft without it. Nothing happens once `gone()` (the component was
    /// rebuilt meanwhile: `reset`, another visitor).
    pub fn start<T: 'static>(
        self,
        request: impl Future<Output = Result<T, ApiError>> + 'static,
        gone: impl Fn() -> bool + 'static,
        on_sent: impl FnOnce(T) + 'static,
        store: impl FnOnce() + 'static,
    ) {
        run(self.sending, async move {
            let result = request.await;
            if gone() {
                return;
            }
            match result {
                Ok(done) => {
                    self.key.set_value(None);
                    self.waiting.set(false);
                    on_sent(done);
                }
                Err(error) => {
                    if !keep_key_after(&error) {
                        self.key.set_value(None);
                        store();
                    }
                    let offline = matches!(error, ApiError::Network);
                    self.waiting.set(offline);
                    self.failure.set((!offline).then_some(error));
                }
            }
        });
    }

    /// Runs `send` each time the browser comes back online while a send waits for it, until the
    /// component is unmounted.
    pub fn resend_when_online(self, send: UnsyncCallback<()>) {
        let listener = window_event_listener_untyped("online", move |_| {
            if self.waiting.get_untracked() {
                send.try_run(());
            }
        });
        on_cleanup(move || listener.remove());
    }
}

/// Whether a send that failed with `error` keeps its `Idempotency-Key` for the retry (see the
/// module docs): yes while the proxy may have filed it or refused only for now.
pub fn keep_key_after(error: &ApiError) -> bool {
    match error {
        ApiError::Network => true,
        ApiError::Rejected(body) => matches!(
            body.code,
            // `Internal` includes a 2xx whose answer could not be read: it was filed.
            ErrorCode::RateLimited
                | ErrorCode::UpstreamUnavailable
                | ErrorCode::UpstreamTimeout
                | ErrorCode::StateUnavailable
                | ErrorCode::Internal
                | ErrorCode::Unknown
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use helpdock_wire::ErrorBody;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn keys_rotate_only_after_a_definitive_refusal() {
        let refused = |code| ApiError::Rejected(ErrorBody::new(code, ""));
        assert!(keep_key_after(&ApiError::Network));
        for code in [
            ErrorCode::RateLimited,
            ErrorCode::UpstreamTimeout,
            ErrorCode::StateUnavailable,
            ErrorCode::Internal,
        ] {
            assert!(keep_key_after(&refused(code)), "{code:?}");
        }
        for code in [
            ErrorCode::InvalidInput,
            ErrorCode::SpamSuspected,
            ErrorCode::IdempotencyConflict,
            ErrorCode::SignatureExpired,
        ] {
            assert!(!keep_key_after(&refused(code)), "{code:?}");
        }
    }
}
