//! Guests (the pass names exactly its tickets), exactly-once creates and replies, rate limits.

use crate::case::{
    Case, Target::*, as_email, both, exactly, header_is, hides, lists, no, no_call, same_json,
};
use crate::http::Req;
use crate::identity_cases::reply;
use crate::world::{ATTACKER, GUEST, LIMITED, VICTIM, World, key, ticket, ticket_with};
use serde_json::json;

const LIST: &str = "/api/tickets_list.php";
const CREATE: &str = "/api/tickets_create.php";

fn view(id: u64) -> String {
    format!("/api/ticket_view.php?ticket_id={id}")
}

/// `pass` with one character in the middle changed.
fn tampered(pass: &str) -> String {
    let mut chars: Vec<char> = pass.chars().collect();
    if let Some(c) = chars.get_mut(pass.len() / 2) {
        *c = if *c == 'A' { 'B' } else { 'A' };
    }
    chars.into_iter().collect()
}

pub fn cases(w: &World) -> Vec<Case> {
    let s = &w.seeds;
    let p = &w.passes;
    let guest = p.guest.clone();
    let (guest_ticket, guest_old) = (p.guest_ticket, s.guest_old);
    vec![
        // --- guest passes
        Case::new(
            "guest_lists_only_pass_tickets",
            Main,
            Req::get(LIST).pass(&guest),
        )
        .expect(200, "")
        .check(lists(vec![p.guest_ticket], vec![s.guest_old, s.victim])),
        Case::new(
            "guest_views_own_pass_ticket",
            Main,
            Req::get(&view(p.guest_ticket)).pass(&guest),
        )
        .expect(200, ""),
        Case::new(
            "guest_views_other_ticket_of_same_email",
            Main,
            Req::get(&view(s.guest_old)).pass(&guest),
        )
        .expect(404, "not_found")
        .upstream(no("ticket_view.php"))
        .check(hides("older ticket".to_owned())),
        Case::new(
            "guest_views_foreign_ticket",
            Main,
            Req::get(&view(s.victim)).pass(&guest),
        )
        .expect(404, "not_found")
        .upstream(no("ticket_view.php")),
        Case::new(
            "guest_replies_to_other_ticket_of_same_email",
            Main,
            reply(s.guest_old, json!({})).pass(&guest),
        )
        .expect(404, "not_found")
        .upstream(no("ticket_reply.php")),
        Case::new(
            "guest_spoofed_user_email_on_list",
            Main,
            Req::get(&format!("{LIST}?user_email={VICTIM}")).pass(&guest),
        )
        .expect(200, "")
        .check(lists(
            vec![p.guest_ticket],
            vec![s.victim, s.victim_named_attacker],
        )),
        Case::new(
            "guest_pass_tampered",
            Main,
            Req::get(LIST).pass(&tampered(&guest)),
        )
        .expect(401, "invalid_guest_pass")
        .upstream(no_call()),
        Case::new(
            "guest_pass_forged",
            Main,
            Req::get(LIST).pass("eyJlbWFpbCI6InZpY3RpbUBleGFtcGxlLmNvbSJ9.c2lnbmF0dXJl"),
        )
        .expect(401, "invalid_guest_pass")
        .upstream(no_call()),
        Case::new(
            "guest_pass_from_another_key",
            Main,
            Req::get(LIST).pass(&p.other_key),
        )
        .expect(401, "invalid_guest_pass")
        .upstream(no_call()),
        Case::new(
            "guest_pass_from_another_site",
            Strict,
            Req::get(LIST).pass(&p.blog),
        )
        .expect(401, "invalid_guest_pass")
        .upstream(no_call()),
        Case::new(
            "guest_pass_expired",
            ShortTtl,
            Req::get(LIST).pass(&p.expiring),
        )
        .expect(401, "guest_pass_expired")
        .upstream(no_call()),
        Case::new(
            "guest_pass_expired_on_create",
            ShortTtl,
            Req::post(CREATE, ticket("expiring@example.org"))
                .key(&key())
                .pass(&p.expiring),
        )
        .expect(401, "guest_pass_expired")
        .upstream(no_call()),
        Case::new(
            "guest_replies_to_own_pass_ticket",
            Main,
            reply(p.guest_ticket, json!({"user_email": VICTIM})).pass(&guest),
        )
        .expect(201, "")
        .upstream(both(exactly("ticket_reply.php", 1), as_email(GUEST))),
        // A wrong identity header is an error, never a fall-through to the pass beside it.
        Case::new(
            "forged_identity_beside_valid_guest_pass",
            Main,
            Req::get(LIST).pass(&guest).identity(&crate::sign::header(
                VICTIM,
                None,
                &"00".repeat(32),
            )),
        )
        .expect(401, "invalid_signature")
        .upstream(no_call()),
        Case::new(
            "guest_pass_grows_with_same_email",
            Main,
            Req::post(CREATE, ticket(GUEST)).key(&key()).pass(&guest),
        )
        .then_with(|a| Req::get(LIST).pass(&pass_in(&a[0])))
        .expect(200, "")
        .check(move |a| {
            let new = a[0].json()["ticket_id"].as_u64().unwrap_or_default();
            lists(vec![guest_ticket, new], vec![guest_old])(a)
        }),
        // A pass presented with another email must not carry the first email's tickets along.
        Case::new(
            "guest_pass_reissued_for_other_email",
            Main,
            Req::post(CREATE, ticket("switcher@example.org"))
                .key(&key())
                .pass(&guest),
        )
        .then_with(move |a| Req::get(&view(guest_ticket)).pass(&pass_in(&a[0])))
        .expect(404, "not_found")
        .expect(401, "invalid_guest_pass")
        .upstream(no("ticket_view.php")),
        // --- exactly-once
        idempotent_retry(),
        Case::new(
            "idempotency_same_key_other_body",
            Main,
            Req::post(CREATE, ticket("idem2@example.org")).key("idem-conflict-1"),
        )
        .then(
            Req::post(
                CREATE,
                ticket_with("idem2@example.org", "subject", json!("Changed")),
            )
            .key("idem-conflict-1"),
        )
        .expect(409, "idempotency_conflict")
        .upstream(exactly("tickets_create.php", 1)),
        // A key only its owner can replay: another visitor reusing it gets no ticket of theirs.
        Case::new(
            "idempotency_key_of_another_visitor",
            Main,
            Req::post(CREATE, ticket(VICTIM))
                .key("idem-shared-1")
                .identity(&w.id(VICTIM)),
        )
        .then(
            Req::post(CREATE, ticket(VICTIM))
                .key("idem-shared-1")
                .identity(&w.id(ATTACKER)),
        )
        .expect(201, "")
        .upstream(exactly("tickets_create.php", 2))
        .check(|a| {
            match a[1].status == 201 && a[0].json()["ticket_id"] == a[1].json()["ticket_id"] {
                true => Err("the attacker's replay returned the victim's ticket".to_owned()),
                false => Ok(()),
            }
        }),
        Case::new(
            "idempotent_reply_retry",
            Main,
            reply(s.victim, json!({}))
                .key("idem-reply-1")
                .identity(&w.id(VICTIM)),
        )
        .then(
            reply(s.victim, json!({}))
                .key("idem-reply-1")
                .identity(&w.id(VICTIM)),
        )
        .expect(201, "")
        .upstream(exactly("ticket_reply.php", 1))
        .check(same_json(0, 1, "reply_id")),
        Case::new(
            "idempotency_key_bad_syntax",
            Main,
            Req::post(CREATE, ticket("idem3@example.org")).key("../../etc/passwd"),
        )
        .expect(400, "bad_request")
        .upstream(no_call()),
        Case::new(
            "idempotency_key_too_long",
            Main,
            Req::post(CREATE, ticket("idem4@example.org")).key(&"k".repeat(65)),
        )
        .expect(400, "bad_request")
        .upstream(no_call()),
        // --- rate limits (strict proxy: burst 2, 1/h, client IP = right-most X-Forwarded-For)
        rate_limited_creates("create_rate_limit_per_ip", |_| "198.51.100.7".to_owned()),
        rate_limited_creates("create_rate_limit_ignores_spoofed_xff_prefix", |n| {
            format!("10.0.0.{n}, 198.51.100.8")
        }),
        rate_limited_creates("create_rate_limit_ipv6_per_64", |n| {
            format!("2001:db8:0:7::{n}")
        }),
        Case::new(
            "create_rate_limit_per_email",
            Strict,
            create_as("same@example.org", "192.0.2.11"),
        )
        .then(create_as("same@example.org", "192.0.2.12"))
        .then(create_as("same@example.org", "192.0.2.13"))
        .expect(429, "rate_limited")
        .upstream(exactly("tickets_create.php", 2))
        .check(retry_after),
        Case::new(
            "reply_rate_limit_per_identity",
            Strict,
            limited_reply(w, "192.0.2.1"),
        )
        .then(limited_reply(w, "192.0.2.2"))
        .then(limited_reply(w, "192.0.2.3"))
        .expect(429, "rate_limited")
        .upstream(exactly("ticket_reply.php", 2))
        .check(retry_after),
    ]
}

/// The guest pass an answer carries ("" when none).
pub fn pass_in(answer: &crate::http::Answer) -> String {
    answer.json()["guest_pass"]
        .as_str()
        .unwrap_or("")
        .to_owned()
}

fn idempotent_retry() -> Case {
    let first = Req::post(CREATE, ticket("idem1@example.org")).key("idem-retry-1");
    Case::new("idempotent_create_retry", Main, first.clone())
        .then(first)
        .expect(201, "")
        .upstream(exactly("tickets_create.php", 1))
        .check(same_json(0, 1, "ticket_id"))
        .check(header_is("idempotent-replayed", "true"))
}

/// A valid guest create as `email` from client address `ip`.
fn create_as(email: &str, ip: &str) -> Req {
    Req::post(CREATE, ticket(email)).key(&key()).client_ip(ip)
}

/// Three valid creates from one client address (as `xff(n)` reports it); the third is refused.
fn rate_limited_creates(name: &'static str, xff: fn(u8) -> String) -> Case {
    let create = |n: u8| {
        create_as(
            &format!("{name}-{n}@example.org").replace('_', "-"),
            &xff(n),
        )
    };
    Case::new(name, Strict, create(1))
        .then(create(2))
        .then(create(3))
        .expect(429, "rate_limited")
        .upstream(both(
            exactly("tickets_create.php", 2),
            no("ticket_reply.php"),
        ))
        .check(retry_after)
}

fn limited_reply(w: &World, ip: &str) -> Req {
    reply(w.seeds.limited, json!({}))
        .identity(&w.id(LIMITED))
        .client_ip(ip)
}

fn retry_after(answers: &[crate::http::Answer]) -> Result<(), String> {
    let last = crate::case::last(answers);
    match last
        .header("retry-after")
        .and_then(|v| v.parse::<u64>().ok())
    {
        Some(secs) if secs > 0 => Ok(()),
        other => Err(format!("Retry-After: {other:?}")),
    }
}
