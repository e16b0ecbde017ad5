//! Rate limits nobody can point at someone else (the strict proxy: burst 2, 1 an hour, the client
//! IP from `X-Forwarded-For`). Each attack comes from fresh addresses, so only the per-visitor
//! buckets decide; the victim's own verified request at the end must still be served.

use crate::case::{Case, Target::*, exactly, statuses};
use crate::guest_cases::pass_in;
use crate::http::Req;
use crate::identity_cases::reply;
use crate::world::{PASS_TARGET, REFUSED, World, key, ticket, ticket_with};
use serde_json::json;

const CREATE: &str = "/api/tickets_create.php";

/// A client address of its own for step `n` (no IP bucket fills up).
fn ip(n: u8) -> String {
    format!("203.0.113.{n}")
}

/// A guest create of a ticket as `email` (invalid: subject blank) from address `n`.
fn invalid_create(email: &str, n: u8) -> Req {
    Req::post(CREATE, ticket_with(email, "subject", json!("")))
        .key(&key())
        .client_ip(&ip(n))
}

/// A valid guest create as `email` from address `n`.
fn guest_create(email: &str, n: u8) -> Req {
    Req::post(CREATE, ticket(email))
        .key(&key())
        .client_ip(&ip(n))
}

/// The ticket id in the first answer (a create).
fn created(answers: &[crate::http::Answer]) -> u64 {
    answers[0].json()["ticket_id"].as_u64().unwrap_or_default()
}

/// Three attacks under `email` from addresses `n`, `n + 1`, `n + 2` (answered `attacked`), then
/// the victim's own verified create from `n + 3`: it must be served.
fn verified_create_spared(
    name: &'static str,
    w: &World,
    email: &'static str,
    attack: fn(&str, u8) -> Req,
    n: u8,
    attacked: [u16; 3],
) -> Case {
    let creates = attacked.iter().filter(|s| **s == 201).count() + 1;
    Case::new(name, Strict, attack(email, n))
        .then(attack(email, n + 1))
        .then(attack(email, n + 2))
        .then(guest_create(email, n + 3).identity(&w.id(email)))
        .expect(201, "")
        .upstream(exactly("tickets_create.php", creates))
        .check(statuses([attacked.as_slice(), &[201]].concat()))
}

/// A reply to the ticket of the first answer with the pass it carried, from address `n`.
fn pass_reply(n: u8) -> impl Fn(&[crate::http::Answer]) -> Req {
    move |a| {
        reply(created(a), json!({}))
            .pass(&pass_in(&a[0]))
            .client_ip(&ip(n))
    }
}

pub fn cases(w: &World) -> Vec<Case> {
    let pass_target = w.id(PASS_TARGET);
    let refused = w.id(REFUSED);
    let target_ticket = w.seeds.pass_target;
    let refused_ticket = w.seeds.refused;
    let foreign = w.seeds.victim;
    let as_refused =
        move |ticket: u64, extra, n| reply(ticket, extra).identity(&refused).client_ip(&ip(n));
    vec![
        // The lockout: creates that fail validation under the victim's email.
        verified_create_spared(
            "lockout_invalid_creates_spare_verified_bucket",
            w,
            "lockout-a@example.com",
            invalid_create,
            1,
            [422, 422, 422],
        ),
        // Valid guest creates under the victim's email drain the typed email's bucket only.
        verified_create_spared(
            "lockout_guest_creates_spare_verified_bucket",
            w,
            "lockout-b@example.com",
            guest_create,
            5,
            [201, 201, 429],
        ),
        // A pass minted for the victim's email: its replies spend the pass holder's bucket.
        Case::new(
            "lockout_pass_replies_spare_verified_bucket",
            Strict,
            guest_create(PASS_TARGET, 9),
        )
        .then_with(pass_reply(10))
        .then_with(pass_reply(11))
        .then_with(pass_reply(12))
        .then(
            reply(target_ticket, json!({}))
                .identity(&pass_target)
                .client_ip(&ip(13)),
        )
        .expect(201, "")
        .upstream(exactly("ticket_reply.php", 3))
        .check(statuses(vec![201, 201, 201, 429, 201])),
        // The visitor's own refused replies (422, 404, 400) cost their bucket nothing.
        Case::new(
            "refused_replies_cost_no_visitor_token",
            Strict,
            as_refused(refused_ticket, json!({"message": ""}), 14),
        )
        .then(as_refused(foreign, json!({}), 15))
        .then(as_refused(foreign, json!({}), 16))
        .then(as_refused(0, json!({}), 17))
        .then(as_refused(refused_ticket, json!({}), 18))
        .then(as_refused(refused_ticket, json!({}), 19))
        .expect(201, "")
        .upstream(exactly("ticket_reply.php", 2))
        .check(statuses(vec![422, 404, 404, 400, 201, 201])),
        // …while the client's address still pays for every request, refused or not.
        Case::new(
            "refused_creates_still_cost_the_ip",
            Strict,
            invalid_create("lockout-c@example.com", 20),
        )
        .then(invalid_create("lockout-d@example.com", 20))
        .then(invalid_create("lockout-e@example.com", 20))
        .expect(429, "rate_limited")
        .upstream(exactly("tickets_create.php", 0))
        .check(statuses(vec![422, 422, 429])),
    ]
}
