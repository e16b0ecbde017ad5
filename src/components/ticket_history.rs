//! "My tickets": the visitor's tickets, or one of them as a thread.

use super::error_view::error_view;
use super::refocus::keep_focus;
use super::status_class;
use crate::api::{Api, ApiError, Visitor};
use crate::chunks;
use crate::i18n::{around, priority, use_i18n};
use crate::load::load;
use crate::polling::{Poll, PollEvery};
use crate::reactive::{effect, memo};
use crate::shell::Shell;
use crate::time;
use crate::unread;
use helpdock_wire::{TicketId, TicketSummary};
use leptos::html::Ul;
use leptos::prelude::*;
use std::time::Duration;

#[derive(Clone, Debug, PartialEq)]
enum ListState {
    Loading,
    Failed(ApiError),
    Empty,
    Ready,
}

/// Lists the visitor's tickets, or shows the `selected` one: all of a verified visitor's, the
/// guest pass's for a guest, and for anyone else a word on where tickets will appear. The list
/// asks again while on screen ([`Poll`]); tickets with news since the visitor last saw their
/// thread are marked, and counted into `Shell::unread` for the launcher's badge.
pub fn ticket_history(selected: RwSignal<Option<TicketId>>) -> impl IntoView {
    let api = expect_context::<Api>();
    let unread_count: Option<RwSignal<u32>> = use_context::<Shell>().map(|s| s.unread.into());
    let t = use_i18n();
    // Follows `identify`, `reset`, and a guest pass arriving or being refused.
    let visitor = memo({
        let api = api.clone();
        move || api.visitor()
    });
    // Bumped after a reply, so the list shows the ticket's new place and status.
    let changed = RwSignal::new(0_usize);
    // Bumped when a thread was seen, so its row and the count follow.
    let seen = RwSignal::new(0_usize);
    let poll = Poll::start(use_context::<PollEvery>().unwrap_or_default().list);
    let list = load({
        let api = api.clone();
        move || {
            let (api, visitor) = (api.clone(), visitor.get());
            changed.track();
            poll.track();
            async move {
                match visitor {
                    Visitor::Anonymous => None,
                    Visitor::Verified(_) | Visitor::Guest => {
                        let answer = api.list_tickets().await;
                        poll.report(answer.is_ok());
                        if let Ok(list) = &answer {
                            unread::meet(&api, &list.tickets);
                        }
                        Some(answer)
                    }
                }
            }
        }
    });

    // The list's shape and its rows change separately, so a refetch updates rows in place.
    let state = memo(move || match list.get() {
        None | Some(None) => ListState::Loading,
        Some(Some(Err(error))) => ListState::Failed(error),
        Some(Some(Ok(list))) if list.tickets.is_empty() => ListState::Empty,
        Some(Some(Ok(_))) => ListState::Ready,
    });
    let tickets = memo(move || {
        list.get()
            .flatten()
            .and_then(Result::ok)
            .map(|l| l.tickets)
            .unwrap_or_default()
    });

    let unread_ids = memo(move || {
        seen.track();
        tickets.with(|tickets| unread::unread(&api, tickets))
    });
    // Only from a list that loaded: a failed poll keeps the count where it was.
    if let Some(count) = unread_count {
        effect(move || {
            let listed = matches!(state.get(), ListState::Ready | ListState::Empty);
            let now = unread_ids.with(Vec::len) as u32;
            if listed && count.get_untracked() != now {
                count.set(now);
            }
        });
    }

    let on_back = Callback::new(move |()| selected.set(None));
    let on_replied = Callback::new(move |()| changed.update(|n| *n += 1));
    let on_seen = Callback::new(move |()| seen.update(|n| *n += 1));

    move || {
        match (visitor.get(), selected.get()) {
        (Visitor::Anonymous, _) => view! {
            <p class="hd-empty" data-testid="empty-history">{t.text(|s| s.history_anonymous)}</p>
        }
        .into_any(),
        (_, Some(id)) => chunks::thread(id, on_back, on_replied, Some(on_seen)).into_any(),
        (visitor, None) => view! {
            <div class="hd-history">
                <p class="hd-muted hd-history-who">
                    {match visitor {
                        Visitor::Verified(identity) => {
                            view! {
                                {t.text(|s| around(s.tickets_for, "{email}").0)}
                                <strong>{identity.email().to_owned()}</strong>
                                {t.text(|s| around(s.tickets_for, "{email}").1)}
                            }
                            .into_any()
                        }
                        _ => t.text(|s| s.tickets_from_browser).into_any(),
                    }}
                </p>
                {move || match state.get() {
                    ListState::Loading => view! { <p class="hd-muted" aria-busy="true">{t.text(|s| s.loading_tickets)}</p> }.into_any(),
                    ListState::Failed(error) => error_view(error, "history-error").into_any(),
                    ListState::Empty => view! {
                        <p class="hd-empty" data-testid="empty-history">{t.text(|s| s.no_tickets)}</p>
                    }.into_any(),
                    ListState::Ready => ticket_rows(tickets, unread_ids, selected).into_any(),
                }}
            </div>
        }
        .into_any(),
    }
    }
}

/// The rows; keyboard focus on a row stays there when the list is drawn again.
fn ticket_rows(
    tickets: Memo<Vec<TicketSummary>>,
    unread: Memo<Vec<TicketId>>,
    selected: RwSignal<Option<TicketId>>,
) -> impl IntoView {
    let i18n = use_i18n();
    // "3 minutes ago" must not go stale while the list stays open.
    let tick = RwSignal::new(0_u32);
    if let Ok(timer) = set_interval_with_handle(
        move || tick.update(|n| *n = n.wrapping_add(1)),
        Duration::from_secs(30),
    ) {
        on_cleanup(move || timer.clear());
    }
    let list = NodeRef::<Ul>::new();
    // `tickets` changes only when a ticket does (a memo): then every row is drawn again.
    let rows = move || {
        let tickets = tickets.get();
        if let Some(list) = list.get_untracked() {
            keep_focus(&list);
        }
        tickets
            .into_iter()
            .map(move |t| {
                    let (id, badge) = (t.id, status_class(&t.status));
                    let is_unread = move || unread.with(|u| u.contains(&id));
                    view! {
                        <li>
                            <button
                                type="button"
                                class="hd-list-row"
                                data-testid=format!("ticket-row-{id}")
                                data-unread=move || is_unread().to_string()
                                on:click=move |_| selected.set(Some(id))
                            >
                                <span class="hd-list-subject">
                                    {move || is_unread().then(|| view! {
                                        <span class="hd-unread" data-testid=format!("ticket-unread-{id}")>
                                            <span class="hd-visually-hidden">{i18n.text(|s| s.new_reply)}</span>
                                        </span>
                                    })}
                                    {t.subject}
                                </span>
                                <span class="hd-list-meta">
                                    <span class=badge data-testid=format!("ticket-status-{id}")>
                                        {i18n.status(t.status)}
                                    </span>
                                    <span class="hd-priority">{i18n.text(priority(t.priority))}</span>
                                    <span>"#" {id.to_string()}</span>
                                    {updated(id, t.updated_at.as_deref(), tick)}
                                </span>
                            </button>
                        </li>
                    }
            })
            .collect_view()
    };
    view! {
        <ul class="hd-list" data-testid="ticket-list" node_ref=list>
            {rows}
        </ul>
    }
}

/// "Updated 3 minutes ago", reworded on each `tick`, the exact time on hover; nothing when the
/// time is unknown.
fn updated(
    id: TicketId,
    instant: Option<&str>,
    tick: RwSignal<u32>,
) -> Option<impl IntoView + use<>> {
    let t = use_i18n();
    let instant = instant?.to_owned();
    time::date_time(&instant, t.get_untracked().lang)?;
    let title = t.date_time(instant.clone());
    let ago = {
        let instant = instant.clone();
        move || {
            tick.track();
            time::relative(&instant, t.get().lang)
        }
    };
    view! {
        <span class="hd-list-time">
            {t.text(|s| around(s.updated, "{time}").0)}
            <time datetime=instant title=title data-testid=format!("ticket-updated-{id}")>
                {ago}
            </time>
            {t.text(|s| around(s.updated, "{time}").1)}
        </span>
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::Identity;
    use crate::shell::Shell;
    use crate::test_support::{
        FakeProxy, Page, fresh_base, one_ticket, store_guest_pass, stored_guest_pass, thread_42,
        tick, until,
    };
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn history(page: &Page, api: &Api) -> leptos::mount::UnmountHandle<impl Mountable + use<>> {
        let api = api.clone();
        leptos::mount::mount_to(page.root.clone(), move || {
            provide_context(api);
            ticket_history(RwSignal::new(None))
        })
    }

    #[test]
    async fn with_no_identity_and_no_pass_nothing_is_asked() {
        let proxy = FakeProxy::install();
        let page = Page::new();
        let _history = history(&page, &Api::new(&fresh_base("anonymous"), None));
        let said = page.text("empty-history");
        assert!(
            said.contains("send from this browser") && said.contains("signed in"),
            "{said}"
        );
        tick().await;
        assert!(proxy.calls().is_empty(), "{:?}", proxy.calls());
        assert!(!page.has("history-email") && !page.has("history-load"));
    }

    #[test]
    async fn a_guest_sees_the_pass_tickets_until_the_pass_is_refused() {
        let proxy = FakeProxy::install();
        proxy.answer("tickets_list.php", 200, one_ticket());
        proxy.answer(
            "ticket_view.php",
            401,
            json!({"code": "guest_pass_expired", "message": "Expired."}),
        );
        let base = fresh_base("guest-history");
        store_guest_pass(&base, "pass-1");
        let page = Page::new();
        let _history = history(&page, &Api::new(&base, Some("demo".into())));

        page.wait_for("ticket-row-42").await;
        assert_eq!(page.text("ticket-status-42"), "open");
        let list = &proxy.calls_to("tickets_list.php")[0];
        assert_eq!(
            (list.method.as_str(), list.query.as_str()),
            ("GET", ""),
            "no user_email"
        );
        assert_eq!(list.header("x-helpdock-guest-pass"), Some("pass-1"));
        assert_eq!(list.header("x-helpdock-site"), Some("demo"));

        page.click("ticket-row-42").await;
        page.wait_for("empty-history").await;
        assert_eq!(proxy.calls_to("ticket_view.php")[0].query, "?ticket_id=42");
        assert_eq!(stored_guest_pass(&base), None, "a refused pass is dropped");
    }

    #[test]
    async fn a_verified_visitor_lists_directly_and_an_expired_signature_says_so() {
        let proxy = FakeProxy::install();
        proxy.answer("tickets_list.php", 200, one_ticket());
        let base = fresh_base("verified-history");
        store_guest_pass(&base, "pass-1");
        let api = Api::new(&base, None);
        api.set_identity(Identity::new("ann@example.com", None, None, "ab12").ok());
        let page = Page::new();
        let _history = history(&page, &api);

        page.wait_for("ticket-list").await;
        let list = &proxy.calls_to("tickets_list.php")[0];
        assert_eq!(
            list.header("x-helpdock-identity"),
            Some("email=ann%40example.com&signature=ab12")
        );
        assert!(
            !list.headers.contains_key("x-helpdock-guest-pass"),
            "the identity speaks alone"
        );

        proxy.answer(
            "tickets_list.php",
            401,
            json!({"code": "signature_expired", "message": "Expired."}),
        );
        api.set_identity(Identity::new("ann@example.com", None, Some("1"), "cd34").ok());
        page.wait_for("history-error").await;
        assert!(
            page.text("history-error").contains("session has expired"),
            "{}",
            page.text("history-error")
        );
        assert_eq!(
            stored_guest_pass(&base).as_deref(),
            Some("pass-1"),
            "a guest pass outlives a bad signature"
        );
    }

    /// An RFC 3339 instant `seconds` before now, as the proxy sends it.
    fn seconds_ago(seconds: f64) -> String {
        js_sys::Date::new(&(js_sys::Date::now() - seconds * 1000.0).into())
            .to_iso_string()
            .into()
    }

    fn verified_history(
        page: &Page,
        test: &str,
    ) -> leptos::mount::UnmountHandle<impl Mountable + use<>> {
        let api = Api::new(&fresh_base(test), None);
        api.set_identity(Identity::new("ann@example.com", None, None, "ab12").ok());
        history(page, &api)
    }

    #[test]
    async fn rows_say_how_long_ago_a_ticket_changed_in_the_visitors_words() {
        let proxy = FakeProxy::install();
        let mut list = one_ticket();
        list["tickets"][0]["updated_at"] = json!(seconds_ago(180.0));
        list["tickets"]
            .as_array_mut()
            .expect("tickets")
            .push(json!({
                "id": 43, "subject": "Unknown time", "status": "open", "priority": "low",
                "created_at": null, "updated_at": null,
            }));
        proxy.answer("tickets_list.php", 200, list);
        let page = Page::new();
        let _history = verified_history(&page, "relative-time");

        let updated = page.wait_for("ticket-updated-42").await;
        let rtf =
            js_sys::Intl::RelativeTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
        assert_eq!(
            updated.text_content().unwrap_or_default(),
            String::from(rtf.format(-3.0, "minute"))
        );
        assert!(
            page.text("ticket-updated-42").contains('3'),
            "{}",
            page.text("ticket-updated-42")
        );
        assert!(
            updated
                .get_attribute("datetime")
                .is_some_and(|d| d.ends_with('Z'))
        );
        assert!(
            updated
                .get_attribute("title")
                .is_some_and(|t| !t.is_empty()),
            "the exact time on hover"
        );
        assert!(
            page.has("ticket-row-43") && !page.has("ticket-updated-43"),
            "no time rather than a wrong one"
        );
    }

    #[test]
    async fn messages_keep_their_lines_and_link_only_web_addresses() {
        let proxy = FakeProxy::install();
        proxy.answer("tickets_list.php", 200, one_ticket());
        let mut thread = thread_42();
        thread["replies"][0]["message"] = json!(
            "Track it at https://track.example/p?id=7.\nOr (see https://help.example/faq).\n\
             <a href=\"javascript:alert(1)\">click</a> javascript:alert(2) <b>bold</b>"
        );
        thread["ticket"]["created_at"] = json!(null);
        proxy.answer("ticket_view.php", 200, thread);
        let page = Page::new();
        let _history = verified_history(&page, "linkify");

        page.wait_for("ticket-row-42").await;
        page.click("ticket-row-42").await;
        page.wait_for("message-time").await;
        let messages = page.root.get_elements_by_class_name("hd-msg");
        let answer = messages.item(1).expect("the reply");
        let body = answer
            .query_selector(".hd-msg-body")
            .ok()
            .flatten()
            .expect("its body");
        assert_eq!(
            body.text_content().unwrap_or_default(),
            "Track it at https://track.example/p?id=7.\nOr (see https://help.example/faq).\n\
             <a href=\"javascript:alert(1)\">click</a> javascript:alert(2) <b>bold</b>",
            "every character shown as sent, line breaks included"
        );
        let links = body.get_elements_by_tag_name("a");
        let found: Vec<_> = (0..links.length())
            .filter_map(|i| links.item(i))
            .map(|a| {
                (
                    a.get_attribute("href"),
                    a.get_attribute("target"),
                    a.get_attribute("rel"),
                )
            })
            .collect();
        let expected = |href: &str| {
            (
                Some(href.to_owned()),
                Some("_blank".to_owned()),
                Some("noopener noreferrer nofollow".to_owned()),
            )
        };
        assert_eq!(
            found,
            [
                expected("https://track.example/p?id=7"),
                expected("https://help.example/faq")
            ]
        );
        assert!(
            body.query_selector("b").ok().flatten().is_none(),
            "markup stays text"
        );
        let first = messages.item(0).expect("the first message");
        assert!(
            first
                .text_content()
                .is_some_and(|t| t.starts_with("You") && !t.contains('·')),
            "no unknown time"
        );
        let time = page.get("message-time");
        assert_eq!(
            time.get_attribute("datetime").as_deref(),
            Some("2026-11-21T10:30:00Z")
        );
        assert!(
            time.text_content().is_some_and(|t| t.contains("2026")),
            "a localized date and time"
        );
    }

    #[test]
    async fn news_since_a_thread_was_last_seen_counts_as_unread_until_it_is_opened() {
        let proxy = FakeProxy::install();
        let mut list = one_ticket();
        list["tickets"]
            .as_array_mut()
            .expect("tickets")
            .push(json!({
                "id": 43, "subject": "Never opened here", "status": "open", "priority": "low",
                "created_at": "2026-11-21T10:00:00Z", "updated_at": "2026-11-21T10:45:00Z",
            }));
        proxy.answer("tickets_list.php", 200, list);
        proxy.answer("ticket_view.php", 200, thread_42());
        let api = Api::new(&fresh_base("unread"), None);
        api.set_identity(Identity::new("ann@example.com", None, None, "ab12").ok());
        // Ticket 42 was last seen before support's answer of 10:30.
        let before = js_sys::Date::parse("2026-11-21T10:00:00Z");
        crate::unread::mark_seen(&api, TicketId(42), before);
        let shell = Shell::new(None);
        let page = Page::new();
        let _history = leptos::mount::mount_to(page.root.clone(), {
            let (api, shell) = (api.clone(), shell.clone());
            move || {
                provide_context(api);
                provide_context(shell);
                ticket_history(RwSignal::new(None))
            }
        });

        page.wait_for("ticket-unread-42").await;
        until("the count", || shell.unread.get_untracked() == 1).await;
        let row = page.get("ticket-row-42");
        assert_eq!(row.get_attribute("data-unread").as_deref(), Some("true"));
        assert!(
            !page.has("ticket-unread-43"),
            "a ticket met for the first time counts as seen"
        );

        page.click("ticket-row-42").await;
        page.wait_for("reply-input").await;
        until("seen", || shell.unread.get_untracked() == 0).await;
        page.click("back-to-list").await;
        page.wait_for("ticket-row-42").await;
        assert!(!page.has("ticket-unread-42"));
    }

    #[test]
    async fn a_reply_names_the_ticket_and_no_email() {
        let proxy = FakeProxy::install();
        proxy.answer("tickets_list.php", 200, one_ticket());
        proxy.answer("ticket_view.php", 200, thread_42());
        proxy.answer("ticket_reply.php", 201, json!({"reply_id": 8}));
        let api = Api::new(&fresh_base("reply"), None);
        api.set_identity(Identity::new("ann@example.com", None, None, "ab12").ok());
        let page = Page::new();
        let _history = history(&page, &api);

        page.wait_for("ticket-row-42").await;
        page.click("ticket-row-42").await;
        page.wait_for("reply-input").await;
        assert_eq!(page.text("thread-subject"), "Where is my order?");
        page.type_into("reply-input", "Thanks!").await;
        page.click("reply-send").await;
        until("the reply", || {
            !proxy.calls_to("ticket_reply.php").is_empty()
        })
        .await;

        let reply = &proxy.calls_to("ticket_reply.php")[0];
        let body: serde_json::Value = serde_json::from_str(&reply.body).expect("JSON body");
        assert_eq!(body, json!({"ticket_id": 42, "message": "Thanks!"}));
        assert!(
            reply
                .headers
                .get("idempotency-key")
                .is_some_and(|k| k.len() == 32)
        );
        assert!(
            proxy
                .calls_to("ticket_view.php")
                .iter()
                .all(|c| c.query == "?ticket_id=42")
        );
    }
}

#[cfg(test)]
mod focus_tests {
    use super::*;
    use crate::identity::Identity;
    use crate::test_support::{FakeProxy, Page, fresh_base, one_ticket, tick, until};
    use serde_json::{Value, json};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn two_tickets(status_42: &str) -> Value {
        let mut list = one_ticket();
        let tickets = list["tickets"].as_array_mut().expect("tickets");
        tickets[0]["status"] = json!(status_42);
        tickets.push(json!({
            "id": 43, "subject": "Second", "status": "open", "priority": "low",
            "created_at": "2026-11-21T10:00:00Z", "updated_at": "2026-11-21T10:45:00Z",
        }));
        list
    }

    fn focused(page: &Page) -> Option<String> {
        page.root
            .query_selector(":focus")
            .ok()
            .flatten()
            .and_then(|f| f.get_attribute("data-testid"))
    }

    #[test]
    async fn a_focused_row_keeps_focus_when_a_poll_changes_the_list() {
        let proxy = FakeProxy::install();
        proxy.answer("tickets_list.php", 200, two_tickets("open"));
        let api = Api::new(&fresh_base("focus-rows"), None);
        api.set_identity(Identity::new("ann@example.com", None, None, "ab12").ok());
        let shell = Shell::new(None);
        shell.open.set(true);
        let page = Page::new();
        let _history = leptos::mount::mount_to(page.root.clone(), move || {
            provide_context(api);
            provide_context(shell);
            provide_context(PollEvery {
                thread: Duration::from_secs(3600),
                list: Duration::from_millis(30),
            });
            ticket_history(RwSignal::new(None))
        });
        page.wait_for("ticket-row-43").await;
        let row = page.get("ticket-row-43");
        row.unchecked_ref::<web_sys::HtmlElement>()
            .focus()
            .expect("focus");
        assert_eq!(focused(&page).as_deref(), Some("ticket-row-43"));

        // Ticket 43 changes and moves to the top: rows are patched in place by position, so
        // without care the focus would stay on the second button, now ticket 42's.
        let mut list = two_tickets("open");
        let tickets = list["tickets"].as_array_mut().expect("tickets");
        tickets.swap(0, 1);
        tickets[0]["status"] = json!("closed");
        proxy.answer("tickets_list.php", 200, list);
        until("the new order", || {
            page.text("ticket-list").starts_with("Second")
        })
        .await;
        tick().await;
        assert_eq!(focused(&page).as_deref(), Some("ticket-row-43"));
    }
}
