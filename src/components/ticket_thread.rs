//! One ticket: its first message, the replies in order, and a box to answer.

use super::error_view::ErrorView;
use super::status_class;
use crate::api::{Api, ApiError, new_idempotency_key};
use crate::i18n::{Message, Strings, priority, use_i18n};
use crate::linkify::{Segment, segments};
use crate::time;
use helpdock_wire::validate::validate_new_reply;
use helpdock_wire::{
    CustomFieldValue, ErrorBody, ErrorCode, FieldKind, NewReply, Reply, TicketDetail, TicketId,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
enum ThreadState {
    Loading,
    Failed(ApiError),
    Ready,
}

/// The thread of ticket `id`, as the visitor the [`Api`] speaks for.
#[component]
pub fn TicketThread(
    id: TicketId,
    on_back: Callback<()>,
    on_replied: Callback<()>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let t = use_i18n();
    let draft = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<ApiError>);
    let replies_sent = RwSignal::new(0_usize);
    // The last reply sent and its `Idempotency-Key`, reused when the same text is sent again.
    let last_sent = StoredValue::new(None::<(String, String)>);
    let send = Action::new_local({
        let api = api.clone();
        move |(reply, key): &(NewReply, String)| {
            let (api, reply, key) = (api.clone(), reply.clone(), key.clone());
            async move {
                match api.reply(&reply, &key).await {
                    Ok(_) => {
                        last_sent.set_value(None);
                        draft.set(String::new());
                        replies_sent.update(|n| *n += 1);
                        // The list may be gone by now (panel closed mid-send): then no one to tell.
                        on_replied.try_run(());
                    }
                    Err(error) => failure.set(Some(error)),
                }
            }
        }
    });
    let thread = LocalResource::new(move || {
        replies_sent.track();
        // Again when the visitor changes: a fresh signature may open what an expired one did not.
        api.visitor();
        let api = api.clone();
        async move { api.view_ticket(id).await }
    });
    // Shape and content are separate memos, so a refetch after a reply updates in place and
    // never clears the reply box.
    let state = Memo::new(move |_| match thread.get() {
        None => ThreadState::Loading,
        Some(Err(error)) => ThreadState::Failed(error),
        Some(Ok(_)) => ThreadState::Ready,
    });
    let detail = Memo::new(move |_| {
        thread
            .get()
            .and_then(Result::ok)
            .map(|t| (t.ticket, t.custom_fields))
    });
    let replies = Memo::new(move |_| {
        thread
            .get()
            .and_then(Result::ok)
            .map(|t| t.replies)
            .unwrap_or_default()
    });
    let sending = send.pending();

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let message = draft.get_untracked().trim().to_owned();
        // No `user_email`: the proxy answers as the visitor the identity headers name.
        let reply = NewReply {
            ticket_id: id,
            message,
            ..NewReply::default()
        };
        if validate_new_reply(&reply).is_empty() {
            failure.set(None);
            let key = last_sent
                .with_value(|last| {
                    last.as_ref()
                        .filter(|(m, _)| *m == reply.message)
                        .map(|(_, k)| k.clone())
                })
                .unwrap_or_else(new_idempotency_key);
            last_sent.set_value(Some((reply.message.clone(), key.clone())));
            send.dispatch((reply, key));
        } else {
            let first = t.get_untracked().write_reply_first;
            let empty = ErrorBody::new(ErrorCode::InvalidInput, first);
            failure.set(Some(ApiError::Rejected(empty)));
        }
    };

    view! {
        <div class="hd-thread" data-testid="thread">
            <button type="button" class="hd-link hd-back" data-testid="back-to-list" on:click=move |_| on_back.run(())>
                {t.text(|s| s.all_tickets)}
            </button>
            {move || match state.get() {
                ThreadState::Loading => view! { <p class="hd-muted" aria-busy="true">{t.text(|s| s.loading_thread)}</p> }.into_any(),
                ThreadState::Failed(error) => view! { <ErrorView error testid="thread-error"/> }.into_any(),
                ThreadState::Ready => conversation(detail, replies).into_any(),
            }}
            <Show when=move || state.get() == ThreadState::Ready>
                <form class="hd-reply" novalidate on:submit=on_submit>
                    <label for="hd-reply" class="hd-visually-hidden">{t.text(|s| s.your_reply)}</label>
                    <textarea
                        id="hd-reply"
                        rows="3"
                        placeholder=t.text(|s| s.write_reply)
                        data-testid="reply-input"
                        bind:value=draft
                    ></textarea>
                    {move || failure.get().map(|error| view! { <ErrorView error testid="reply-error"/> })}
                    <button
                        type="submit"
                        class="hd-button"
                        data-testid="reply-send"
                        disabled=move || sending.get()
                        aria-busy=move || sending.get().to_string()
                    >
                        {move || if sending.get() { t.get().sending } else { t.get().send_reply }}
                    </button>
                </form>
            </Show>
        </div>
    }
}

/// The ticket's header and every message, oldest first.
fn conversation(
    detail: Memo<Option<(TicketDetail, Vec<CustomFieldValue>)>>,
    replies: Memo<Vec<Reply>>,
) -> impl IntoView {
    let t = use_i18n();
    let header = move || {
        detail.get().map(|(ticket, fields)| {
            let badge = status_class(&ticket.status);
            view! {
                <header class="hd-thread-head">
                    <h3 data-testid="thread-subject">{ticket.subject}</h3>
                    <p class="hd-list-meta">
                        <span class=badge data-testid="thread-status">
                            {t.get().status(&ticket.status).map_or(ticket.status, str::to_owned)}
                        </span>
                        <span class="hd-priority">{priority(ticket.priority)(t.get())}</span>
                        <span>"#" {ticket.id.to_string()}</span>
                    </p>
                    {(!fields.is_empty()).then(|| view! {
                        <dl class="hd-facts">
                            {fields.into_iter().map(|f| view! { <dt>{f.name.clone()}</dt> <dd>{field_text(&f, t.get())}</dd> }).collect_view()}
                        </dl>
                    })}
                </header>
            }
        })
    };
    let first_message = move || {
        detail.get().map(|(ticket, _)| {
            view! {
                <li class="hd-msg hd-msg-visitor" data-testid="thread-message" data-from-staff="false">
                    {meta(|s| s.you, ticket.created_at.as_deref())}
                    <p class="hd-msg-body">{message_body(&ticket.message)}</p>
                </li>
            }
        })
    };
    view! {
        {header}
        <ol class="hd-messages">
            {first_message}
            <For
                each=move || replies.get()
                key=|r| r.id
                children=|r: Reply| {
                    let (class, who): (_, Message) = if r.from_staff { ("hd-msg hd-msg-staff", |s| s.support_team) } else { ("hd-msg hd-msg-visitor", |s| s.you) };
                    view! {
                        <li class=class data-testid="thread-message" data-from-staff=r.from_staff.to_string()>
                            {meta(who, r.created_at.as_deref())}
                            <p class="hd-msg-body">{message_body(&r.message)}</p>
                        </li>
                    }
                }
            />
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

/// A custom field's value as the visitor reads it, in `s`'s language.
fn field_text(field: &CustomFieldValue, s: &'static Strings) -> String {
    match (field.kind, field.value.as_deref()) {
        (FieldKind::Checkbox, Some("1")) => s.yes.into(),
        (FieldKind::Checkbox, _) => s.no.into(),
        (_, Some(value)) if !value.trim().is_empty() => value.to_owned(),
        _ => "—".into(),
    }
}
