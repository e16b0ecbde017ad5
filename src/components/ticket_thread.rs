//! One ticket: its first message, the replies in order, and a box to answer.

use super::error_view::error_view;
use super::status_class;
use crate::api::{Api, ApiError};
use crate::drafts::{self, event_detail, set, text};
use crate::i18n::{Message, Strings, priority, use_i18n};
use crate::linkify::{Segment, segments};
use crate::load::load;
use crate::polling::{Poll, PollEvery};
use crate::reactive::{effect, memo};
use crate::sending::DurableSend;
use crate::shell::Shell;
use crate::time;
use crate::unread;
use helpdock_wire::validate::new_reply_problems;
use helpdock_wire::{
    CustomFieldValue, ErrorBody, ErrorCode, FieldKind, NewReply, Reply, ReplyCreated, ReplyId,
    TicketDetail, TicketId, TicketThread as Thread,
};
use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::html::{Div, Textarea};
use leptos::prelude::*;
use scroll::Scroll;
use wasm_bindgen::JsValue;
use web_sys::js_sys::Object;

mod scroll;

#[derive(Clone, Debug, PartialEq)]
enum ThreadState {
    Loading,
    Failed(ApiError),
    Ready,
}

/// The thread of ticket `id`, as the visitor the [`Api`] speaks for, like a conversation: it opens
/// at the newest message, or at a "New" divider above the first reply from support the visitor
/// had not seen, and the reply box stays below the messages. It asks again for new replies while
/// it is on screen ([`Poll`]), and tells `on_seen` each time the visitor has seen it all. The
/// reply box keeps its draft per ticket until the proxy confirms the reply (focus stays in it);
/// see [`crate::drafts`] for when a new `Idempotency-Key` is used.
pub fn ticket_thread(
    id: TicketId,
    on_back: Callback<()>,
    on_replied: Callback<()>,
    on_seen: Option<Callback<()>>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let shell = use_context::<Shell>();
    let stored_as = format!("reply-{id}");
    let t = use_i18n();
    let draft = RwSignal::new(String::new());
    // The key of the reply under way or waiting to be sent again.
    let key = StoredValue::new(None::<String>);
    let resume = match drafts::load(&api, &stored_as) {
        Some(stored) => {
            draft.set(text(&stored, "message").unwrap_or_default());
            key.set_value(text(&stored, "key"));
            key.with_value(Option::is_some)
        }
        None => false,
    };
    let save = {
        let (api, stored_as) = (api.clone(), stored_as.clone());
        move || {
            let stored = Object::new();
            set(
                &stored,
                "message",
                &JsValue::from_str(&draft.get_untracked()),
            );
            if let Some(key) = key.get_value() {
                set(&stored, "key", &JsValue::from_str(&key));
            }
            drafts::save(&api, &stored_as, &stored);
        }
    };
    let sends = DurableSend::new(key);
    let (sending, waiting, failure) = (sends.sending, sends.waiting, sends.failure);
    let replies_sent = RwSignal::new(0_usize);
    let poll = Poll::start(use_context::<PollEvery>().unwrap_or_default().thread);
    // The first reply from support the visitor had not seen when the thread first loaded (the
    // divider goes above it); `None` until it loaded.
    let first_new = StoredValue::new(None::<Option<ReplyId>>);
    let thread = load({
        let api = api.clone();
        move || {
            replies_sent.track();
            poll.track();
            // Again when the visitor changes: a fresh signature may open what an expired one did not.
            api.visitor();
            let api = api.clone();
            async move {
                let answer = api.view_ticket(id).await;
                poll.report(answer.is_ok());
                if let Ok(thread) = &answer
                    && first_new.try_with_value(Option::is_none) == Some(true)
                {
                    let seen = unread::last_seen(&api, thread);
                    let new = thread.replies.iter().find(|r| {
                        let at = unread::instant(r.created_at.as_deref());
                        r.from_staff && matches!((at, seen), (Some(at), Some(seen)) if at > seen)
                    });
                    first_new.try_set_value(Some(new.map(|r| r.id)));
                }
                if let Ok(thread) = &answer
                    && let Some(newest) = unread::newest(thread)
                {
                    unread::mark_seen(&api, id, newest);
                    if let Some(on_seen) = on_seen {
                        on_seen.try_run(());
                    }
                }
                answer
            }
        }
    });
    // The last thread that loaded: a failed poll leaves it (and the reply box) on screen.
    let shown = Memo::new(move |before: Option<&Option<Thread>>| match thread.get() {
        Some(Ok(thread)) => Some(thread),
        _ => before.cloned().flatten(),
    });
    // Shape and content are separate memos, so a refetch updates in place and never clears the
    // reply box.
    let state = memo(move || match (shown.with(Option::is_some), thread.get()) {
        (true, _) => ThreadState::Ready,
        (false, None | Some(Ok(_))) => ThreadState::Loading,
        (false, Some(Err(error))) => ThreadState::Failed(error),
    });
    // A memo, so the reply box stays mounted (and keeps focus) while the thread stays ready.
    let ready = memo(move || state.get() == ThreadState::Ready);
    let detail = memo(move || shown.get().map(|t| (t.ticket, t.custom_fields)));
    let replies = memo(move || shown.get().map(|t| t.replies).unwrap_or_default());
    let scroller = NodeRef::<Div>::new();
    let reply_box = NodeRef::<Textarea>::new();
    let scroll = Scroll::new(scroller);
    effect(move || {
        replies.track();
        if ready.get() {
            scroll.follow(first_new.get_value().flatten());
        }
    });

    let send_reply = UnsyncCallback::new({
        let save = save.clone();
        move |()| {
            if sends.busy() {
                return;
            }
            // No `user_email`: the proxy answers as the visitor the identity headers name.
            let reply = NewReply {
                ticket_id: id,
                message: draft.get_untracked().trim().to_owned(),
                ..NewReply::default()
            };
            if !new_reply_problems(&reply).is_empty() {
                let empty =
                    ErrorBody::new(ErrorCode::InvalidInput, t.get_untracked().write_reply_first);
                failure.set(Some(ApiError::Rejected(empty)));
                return;
            }
            let reply_key = sends.attempt_key();
            save();
            let (api, shell, stored_as) = (api.clone(), shell.clone(), stored_as.clone());
            let request = {
                let api = api.clone();
                async move { api.reply(&reply, &reply_key).await }
            };
            let on_sent = move |done: ReplyCreated| {
                draft.set(String::new());
                drafts::remove(&api, &stored_as);
                replies_sent.update(|n| *n += 1);
                // The visitor's own reply shows at the bottom, and the next one is typed there.
                scroll.to_bottom();
                if let Some(area) = reply_box.try_get_untracked().flatten() {
                    _ = area.focus();
                }
                if let Some(shell) = &shell {
                    let detail = [("ticketId", id.0), ("replyId", done.reply_id.0)];
                    shell.emit("replySent", &event_detail(&detail));
                }
                // The list may be gone by now (panel closed mid-send): then no one to tell.
                on_replied.try_run(());
            };
            sends.start(request, move || draft.is_disposed(), on_sent, save.clone());
        }
    });
    sends.resend_when_online(send_reply);
    if resume {
        // Sent before the page went away, answer unknown: again under its key.
        send_reply.run(());
    }
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        send_reply.run(());
    };
    // Ctrl+Enter (⌘+Enter) sends from the box, as in mail and chat apps; Enter is a new line.
    let on_keydown = move |ev: KeyboardEvent| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            send_reply.run(());
        }
    };
    let on_typed = UnsyncCallback::new(move |()| save());

    view! {
        <div class="hd-thread" data-testid="thread">
            <div class="hd-thread-scroll" node_ref=scroller on:scroll=move |_| scroll.moved()>
                <button type="button" class="hd-link hd-back" data-testid="back-to-list" on:click=move |_| on_back.run(())>
                    {t.text(|s| s.all_tickets)}
                </button>
                {move || match state.get() {
                    ThreadState::Loading => view! { <p class="hd-muted" aria-busy="true">{t.text(|s| s.loading_thread)}</p> }.into_any(),
                    ThreadState::Failed(error) => error_view(error, "thread-error").into_any(),
                    ThreadState::Ready => conversation(detail, replies, first_new).into_any(),
                }}
            </div>
            {move || ready.get().then(|| view! {
                <form class="hd-reply" novalidate on:submit=on_submit>
                    <label for="hd-reply" class="hd-visually-hidden">{t.text(|s| s.your_reply)}</label>
                    <textarea
                        id="hd-reply"
                        rows="2"
                        dir="auto"
                        placeholder=t.text(|s| s.write_reply)
                        data-testid="reply-input"
                        node_ref=reply_box
                        prop:value=move || draft.get()
                        on:keydown=on_keydown
                        on:input:target=move |ev| {
                            draft.set(ev.target().value());
                            on_typed.run(());
                        }
                    ></textarea>
                    // Beside the button it concerns, where the visitor's eyes are.
                    {move || failure.get().map(|error| error_view(error, "reply-error"))}
                    {move || waiting.get().then(|| view! {
                        <p class="hd-alert" role="alert" data-testid="reply-pending">{t.text(|s| s.not_sent_yet)}</p>
                    })}
                    // Never `disabled` while sending: that would drop the focus out of the box.
                    <button
                        type="submit"
                        class="hd-button"
                        data-testid="reply-send"
                        aria-disabled=move || sending.get().to_string()
                        aria-busy=move || sending.get().to_string()
                    >
                        {move || if sending.get() { t.get().sending } else { t.get().send_reply }}
                    </button>
                </form>
            })}
        </div>
    }
}

/// The ticket's header and every message, oldest first, with a "New" divider above
/// `first_new`. Every text of the visitor's or the helpdesk's takes its own direction
/// (`dir="auto"`): English in an Arabic panel keeps its punctuation where it belongs.
fn conversation(
    detail: Memo<Option<(TicketDetail, Vec<CustomFieldValue>)>>,
    replies: Memo<Vec<Reply>>,
    first_new: StoredValue<Option<Option<ReplyId>>>,
) -> impl IntoView {
    let t = use_i18n();
    let header = move || {
        detail.get().map(|(ticket, fields)| {
            let badge = status_class(&ticket.status);
            // Only the fields that hold something: an empty one says nothing.
            let facts: Vec<(String, String)> = fields
                .iter()
                .filter_map(|f| field_text(f, t.get()).map(|text| (f.name.clone(), text)))
                .collect();
            view! {
                <div class="hd-thread-head">
                    // Isolated, not re-aligned: the heading stays at the panel's start.
                    <h3 data-testid="thread-subject"><span dir="auto">{ticket.subject}</span></h3>
                    <p class="hd-list-meta">
                        <span class=badge data-testid="thread-status">
                            {t.get().status(&ticket.status).map_or(ticket.status, str::to_owned)}
                        </span>
                        <span class="hd-priority" data-testid="thread-priority">{priority(ticket.priority)(t.get())}</span>
                        <span data-testid="thread-number">"#" {ticket.id.to_string()}</span>
                    </p>
                    {(!facts.is_empty()).then(|| view! {
                        <dl class="hd-facts" data-testid="thread-facts">
                            {facts.into_iter().map(|(name, text)| view! { <dt dir="auto">{name}</dt> <dd dir="auto">{text}</dd> }).collect_view()}
                        </dl>
                    })}
                </div>
            }
        })
    };
    let first_message = move || {
        detail.get().map(|(ticket, _)| {
            view! {
                <li class="hd-msg hd-msg-visitor" data-testid="thread-message" data-from-staff="false">
                    {meta(|s| s.you, ticket.created_at.as_deref())}
                    <p class="hd-msg-body" dir="auto">{message_body(&ticket.message)}</p>
                </li>
            }
        })
    };
    // `replies` changes only when one arrives (a memo); the list only grows, and rows are
    // patched in place by position, so the messages already shown stay as they are.
    let later = move || {
        let first_new = first_new.get_value().flatten();
        replies
            .get()
            .into_iter()
            .map(|r: Reply| {
                    let (class, who): (_, Message) = if r.from_staff { ("hd-msg hd-msg-staff", |s| s.support_team) } else { ("hd-msg hd-msg-visitor", |s| s.you) };
                    let divider = (Some(r.id) == first_new).then(|| view! {
                        <li class="hd-new" data-testid="new-divider"><span>{t.text(|s| s.new_divider)}</span></li>
                    });
                    view! {
                        {divider}
                        <li class=class data-testid="thread-message" data-from-staff=r.from_staff.to_string()>
                            {meta(who, r.created_at.as_deref())}
                            <p class="hd-msg-body" dir="auto">{message_body(&r.message)}</p>
                        </li>
                    }
            })
            .collect_view()
    };
    view! {
        {header}
        <ol class="hd-messages">
            {first_message}
            {later}
        </ol>
    }
}

/// Who wrote a message and when, in the widget's locale and the visitor's zone; the time only
/// when known.
fn meta(who: Message, instant: Option<&str>) -> impl IntoView + use<> {
    let t = use_i18n();
    // Whether the browser can read it does not depend on the locale: decided once.
    let known = instant.filter(|at| time::date_time(at, "en").is_some());
    let when = known.map(|at| {
        let said = t.date_time(at.to_owned());
        view! { " · " <time datetime=at.to_owned() data-testid="message-time">{said}</time> }
    });
    view! {
        <p class="hd-msg-meta">
            {t.text(who)}
            {when}
        </p>
    }
}

/// A message's text as text nodes, its http(s) links as `<a>` element nodes: nothing in it is
/// ever parsed as markup. Line breaks stay, through the body's `white-space: pre-wrap`.
fn message_body(text: &str) -> impl IntoView + use<> {
    segments(text)
        .into_iter()
        .map(|segment| match segment {
            Segment::Text(text) => text.to_owned().into_any(),
            Segment::Link(url) => view! {
                <a href=url.to_owned() target="_blank" rel="noopener noreferrer nofollow">{url.to_owned()}</a>
            }
            .into_any(),
        })
        .collect_view()
}

/// A custom field's value as the visitor reads it, in `s`'s language; `None` when it holds
/// nothing (a checkbox never set included).
fn field_text(field: &CustomFieldValue, s: &'static Strings) -> Option<String> {
    let value = field
        .value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())?;
    Some(match (field.kind, value) {
        (FieldKind::Checkbox, "1") => s.yes.into(),
        (FieldKind::Checkbox, _) => s.no.into(),
        _ => value.to_owned(),
    })
}

#[cfg(test)]
mod tests;
