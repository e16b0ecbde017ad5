//! Exactly-once is scoped to who the visitor is, not to the bytes of their headers: a page that
//! re-signs the identity on every load, a pass renewed by a later create, and `%40` for `@` are
//! all the same visitor retrying; a pass someone else minted for the same email is not.

use crate::case::{Case, Target::*, exactly, header_is, same_json};
use crate::guest_cases::pass_in;
use crate::http::Req;
use crate::identity_cases::reply;
use crate::proxy::SHOP_SECRET;
use crate::sign::{self, now};
use crate::world::{World, key, ticket};
use serde_json::json;

const CREATE: &str = "/api/tickets_create.php";

/// The ticket id in the first answer (a create).
fn created(answers: &[crate::http::Answer]) -> u64 {
    answers[0].json()["ticket_id"].as_u64().unwrap_or_default()
}

/// A reply to the ticket of the first answer, as the pass of answer `step`, under `key`.
fn pass_reply(answers: &[crate::http::Answer], step: usize, key: &str) -> Req {
    reply(created(answers), json!({}))
        .key(key)
        .pass(&pass_in(&answers[step]))
}

/// A valid create as `email` under idempotency key `idem`.
fn create(email: &str, idem: &str) -> Req {
    Req::post(CREATE, ticket(email)).key(idem)
}

/// A verified create as `email` under identity header `first`, retried under the same key with
/// `second` (the same visitor spelt otherwise): one ticket, the first answer replayed.
fn create_retried_as(name: &'static str, email: &str, first: String, second: String) -> Case {
    let idem = format!("k-{name}");
    Case::new(name, Main, create(email, &idem).identity(&first))
        .then(create(email, &idem).identity(&second))
        .expect(201, "")
        .upstream(exactly("tickets_create.php", 1))
        .check(same_json(0, 1, "ticket_id"))
}

/// A guest files a ticket and replies under a key; then a create as the same email — with the
/// guest's pass (`renewing`: the pass grows) or without (someone else's new pass) — and the
/// reply again, under the same key, with the pass that create gave.
fn reply_retried_with_new_pass(name: &'static str, renewing: bool) -> Case {
    let (email, idem) = (
        format!("{name}@example.org").replace('_', "-"),
        format!("k-{name}"),
    );
    let (again, idem_again) = (email.clone(), idem.clone());
    Case::new(name, Main, create(&email, &key()))
        .then_with(move |a| pass_reply(a, 0, &idem))
        .then_with(move |a| match renewing {
            true => create(&again, &key()).pass(&pass_in(&a[0])),
            false => create(&again, &key()),
        })
        .then_with(move |a| pass_reply(a, 2, &idem_again))
}

pub fn cases(_w: &World) -> Vec<Case> {
    let resigned = "resigned@example.com";
    let first = sign::identity(SHOP_SECRET, resigned, Some(now() + 3600));
    let reloaded = sign::identity(SHOP_SECRET, resigned, Some(now() + 7200));
    let encoded = "encoded@example.com";
    let expires = now() + 3600;
    let signature = sign::signature(SHOP_SECRET, encoded, Some(expires));
    let with_percent = sign::header(encoded, Some(expires), &signature);
    let with_at = format!("email={encoded}&expires={expires}&signature={signature}");
    vec![
        // docs/signing.md: pages sign `expires = time() + 3600` on every load.
        create_retried_as(
            "idempotent_create_after_resigning",
            resigned,
            first,
            reloaded,
        )
        .check(header_is("idempotent-replayed", "true")),
        create_retried_as(
            "idempotent_create_percent_encoded_email",
            encoded,
            with_percent,
            with_at,
        ),
        // A guest replies, files another ticket (the pass is renewed), then the reply is retried.
        reply_retried_with_new_pass("idempotent_reply_after_pass_renewal", true)
            .expect(201, "")
            .upstream(exactly("ticket_reply.php", 1))
            .check(same_json(1, 3, "reply_id")),
        // Another pass for the same email (anyone can mint one) is another visitor: no replay.
        reply_retried_with_new_pass("idempotency_key_of_same_email_other_pass", false)
            .expect(404, "not_found")
            .upstream(exactly("ticket_reply.php", 1)),
    ]
}
