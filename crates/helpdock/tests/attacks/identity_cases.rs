//! Who the visitor is and what they may touch: signatures, spoofed emails, the upstream's
//! email-OR-name match in both directions, foreign tickets, staff emails.

use crate::case::{Case, Target::*, as_email, both, exactly, hides, lists, no, no_call};
use crate::http::Req;
use crate::proxy::{BLOG_SECRET, SHOP_SECRET, STAFF_OWNER};
use crate::sign::{self, now};
use crate::world::{ATTACKER, COLD, INTERNAL_IP, INTERNAL_NOTE, STAFF, VICTIM, World, key, ticket};
use serde_json::json;

const LIST: &str = "/api/tickets_list.php";
const CREATE: &str = "/api/tickets_create.php";
const REPLY: &str = "/api/ticket_reply.php";

fn view(id: u64) -> String {
    format!("/api/ticket_view.php?ticket_id={id}")
}

/// A reply to `ticket` (with a fresh key).
pub fn reply(ticket: u64, extra: serde_json::Value) -> Req {
    let mut body = json!({"ticket_id": ticket, "message": "Any news?"});
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    Req::post(REPLY, body).key(&key())
}

pub fn cases(w: &World) -> Vec<Case> {
    let s = &w.seeds;
    let exp = now() + 3600;
    let victim_id = w.id(VICTIM);
    let attacker_id = w.id(ATTACKER);
    vec![
        // First, so the proxy has learnt no owner yet: it must still not trust the name match.
        Case::new(
            "list_cold_cache_hides_planted_ticket",
            Main,
            Req::get(LIST).identity(&w.id(COLD)),
        )
        .expect(200, "")
        .upstream(as_email(COLD))
        .check(lists(vec![s.cold_own], vec![s.cold_planted])),
        // --- signatures: every refusal happens before the upstream hears of it
        Case::new("list_without_identity", Main, Req::get(LIST))
            .expect(401, "unauthorized")
            .upstream(no_call()),
        Case::new(
            "list_spoofed_user_email_only",
            Main,
            Req::get(&format!("{LIST}?user_email={VICTIM}")),
        )
        .expect(401, "unauthorized")
        .upstream(no_call()),
        Case::new(
            "list_forged_signature",
            Main,
            Req::get(LIST).identity(&sign::header(VICTIM, Some(exp), &"ab".repeat(32))),
        )
        .expect(401, "invalid_signature")
        .upstream(no_call()),
        Case::new(
            "list_expired_signature",
            Main,
            Req::get(LIST).identity(&sign::identity(SHOP_SECRET, VICTIM, Some(now() - 60))),
        )
        .expect(401, "signature_expired")
        .upstream(no_call()),
        Case::new(
            "list_signature_for_another_email",
            Main,
            Req::get(LIST).identity(&sign::header(
                VICTIM,
                Some(exp),
                &sign::signature(SHOP_SECRET, ATTACKER, Some(exp)),
            )),
        )
        .expect(401, "invalid_signature")
        .upstream(no_call()),
        Case::new(
            "list_signed_with_unknown_secret",
            Main,
            Req::get(LIST).identity(&sign::identity("not-the-shop-secret", VICTIM, Some(exp))),
        )
        .expect(401, "invalid_signature")
        .upstream(no_call()),
        Case::new(
            "list_signed_with_other_sites_secret",
            Strict,
            Req::get(LIST).identity(&sign::identity(BLOG_SECRET, VICTIM, Some(exp))),
        )
        .expect(401, "invalid_signature")
        .upstream(no_call()),
        Case::new(
            "list_expires_extended_after_signing",
            Main,
            Req::get(LIST).identity(&sign::header(
                VICTIM,
                Some(now() + 86_400 * 365),
                &sign::signature(SHOP_SECRET, VICTIM, Some(exp)),
            )),
        )
        .expect(401, "invalid_signature")
        .upstream(no_call()),
        // email "victim\n<exp>" without expires has the same HMAC input as (victim, exp): the
        // proxy must refuse a line feed in an email rather than sign-check it.
        Case::new(
            "list_newline_smuggled_into_email",
            Main,
            Req::get(LIST).identity(&sign::header(
                &format!("{VICTIM}\n{exp}"),
                None,
                &sign::signature(SHOP_SECRET, VICTIM, Some(exp)),
            )),
        )
        .expect(400, "bad_request")
        .upstream(no_call()),
        Case::new(
            "list_identity_header_garbage",
            Main,
            Req::get(LIST).identity("definitely not a header"),
        )
        .expect(400, "bad_request")
        .upstream(no_call()),
        Case::new(
            "list_browser_email_header_untrusted",
            Main,
            Req::get(LIST).header("X-Helpdock-Email", VICTIM),
        )
        .expect(401, "unauthorized")
        .upstream(no_call()),
        Case::new(
            "list_cli_signed_identity_accepted",
            Main,
            Req::get(LIST).identity(&w.passes.cli_identity),
        )
        .expect(200, "")
        .upstream(as_email(VICTIM)),
        // A '+' in the address arrives as %2B: form-decoding must not turn it into a space.
        Case::new(
            "list_plus_address_identity_accepted",
            Main,
            Req::get(LIST).identity(&w.id("ann+shop@example.com")),
        )
        .expect(200, "")
        .upstream(as_email("ann+shop@example.com")),
        // --- spoofed user_email is ignored: the upstream is only ever asked as the identity
        Case::new(
            "list_spoofed_user_email_ignored",
            Main,
            Req::get(&format!("{LIST}?user_email={VICTIM}")).identity(&attacker_id),
        )
        .expect(200, "")
        .upstream(as_email(ATTACKER))
        .check(lists(vec![s.attacker], vec![s.victim])),
        Case::new(
            "view_spoofed_user_email_ignored",
            Main,
            Req::get(&format!("{}&user_email={VICTIM}", view(s.victim))).identity(&attacker_id),
        )
        .expect(404, "not_found")
        .upstream(as_email(ATTACKER))
        .check(hides("Victim: refund".to_owned())),
        Case::new(
            "reply_spoofed_staff_user_email_ignored",
            Main,
            reply(s.victim, json!({"user_email": STAFF})).identity(&victim_id),
        )
        .expect(201, "")
        .upstream(both(exactly("ticket_reply.php", 1), as_email(VICTIM))),
        Case::new(
            "create_verified_ignores_body_email",
            Main,
            Req::post(CREATE, ticket(VICTIM))
                .key(&key())
                .identity(&attacker_id),
        )
        .expect(201, "")
        .upstream(both(exactly("tickets_create.php", 1), as_email(ATTACKER))),
        // --- the upstream matches user_email against email OR name; both directions must be cut
        Case::new(
            "list_victim_hides_ticket_named_victim",
            Main,
            Req::get(LIST).identity(&victim_id),
        )
        .expect(200, "")
        .upstream(as_email(VICTIM))
        .check(lists(
            vec![s.victim, s.victim_named_attacker],
            vec![s.attacker_named_victim],
        )),
        Case::new(
            "list_attacker_hides_ticket_named_attacker",
            Main,
            Req::get(LIST).identity(&attacker_id),
        )
        .expect(200, "")
        .upstream(as_email(ATTACKER))
        .check(lists(
            vec![s.attacker, s.attacker_named_victim],
            vec![s.victim, s.victim_named_attacker],
        )),
        Case::new(
            "view_name_matched_ticket",
            Main,
            Req::get(&view(s.victim_named_attacker)).identity(&attacker_id),
        )
        .expect(404, "not_found")
        .upstream(as_email(ATTACKER))
        .check(hides("named after mallory".to_owned())),
        Case::new(
            "view_planted_ticket_as_named_victim",
            Main,
            Req::get(&view(s.attacker_named_victim)).identity(&victim_id),
        )
        .expect(404, "not_found")
        .check(hides("planted".to_owned())),
        Case::new(
            "reply_name_matched_ticket",
            Main,
            reply(s.victim_named_attacker, json!({})).identity(&attacker_id),
        )
        .expect(404, "not_found")
        .upstream(no("ticket_reply.php")),
        // --- foreign and missing tickets: same 404, nothing written upstream
        Case::new(
            "view_foreign_ticket",
            Main,
            Req::get(&view(s.victim)).identity(&attacker_id),
        )
        .expect(404, "not_found")
        .upstream(as_email(ATTACKER))
        .check(hides("refund".to_owned())),
        Case::new(
            "view_foreign_and_missing_look_alike",
            Main,
            Req::get(&view(999_999)).identity(&attacker_id),
        )
        .then(Req::get(&view(s.victim)).identity(&attacker_id))
        .expect(404, "not_found")
        .check(
            |a| match a[0].body == a[1].body && a[0].status == a[1].status {
                true => Ok(()),
                false => Err(format!(
                    "missing {:?} vs foreign {:?}",
                    a[0].body, a[1].body
                )),
            },
        ),
        Case::new(
            "reply_foreign_ticket",
            Main,
            reply(s.victim, json!({})).identity(&attacker_id),
        )
        .expect(404, "not_found")
        .upstream(no("ticket_reply.php")),
        Case::new(
            "reply_missing_ticket",
            Main,
            reply(999_999, json!({})).identity(&attacker_id),
        )
        .expect(404, "not_found")
        .upstream(no("ticket_reply.php")),
        Case::new(
            "reply_without_identity",
            Main,
            reply(s.victim, json!({"user_email": VICTIM})),
        )
        .expect(401, "unauthorized")
        .upstream(no_call()),
        Case::new(
            "view_own_ticket_strips_internals",
            Main,
            Req::get(&view(s.victim)).identity(&victim_id),
        )
        .expect(200, "")
        .upstream(as_email(VICTIM))
        .check(hides(INTERNAL_NOTE.to_owned()))
        .check(hides(INTERNAL_IP.to_owned()))
        .check(hides("assigned_to".to_owned()))
        .check(
            |a| match a[0].json()["replies"][0]["from_staff"].as_bool() {
                Some(true) => Ok(()),
                other => Err(format!("staff reply not marked from_staff: {other:?}")),
            },
        ),
        // --- staff emails can be no visitor identity
        Case::new(
            "reply_as_staff_identity",
            Main,
            reply(s.victim, json!({})).identity(&w.id(STAFF)),
        )
        .expect(403, "staff_email")
        .upstream(no_call()),
        Case::new(
            "reply_as_staff_domain_mixed_case",
            Main,
            reply(s.victim, json!({})).identity(&w.id(" Boss@HelpDesk.Example ")),
        )
        .expect(403, "staff_email")
        .upstream(no_call()),
        Case::new(
            "reply_as_listed_staff_address",
            Main,
            reply(s.victim, json!({})).identity(&w.id(STAFF_OWNER)),
        )
        .expect(403, "staff_email")
        .upstream(no_call()),
        Case::new(
            "reply_as_staff_subdomain",
            Main,
            reply(s.victim, json!({})).identity(&w.id("lead@eu.helpdesk.example")),
        )
        .expect(403, "staff_email")
        .upstream(no_call()),
        Case::new(
            "list_as_staff_identity",
            Main,
            Req::get(LIST).identity(&w.id(STAFF)),
        )
        .expect(403, "staff_email")
        .upstream(no_call()),
        Case::new(
            "view_as_staff_identity",
            Main,
            Req::get(&view(s.victim)).identity(&w.id(STAFF)),
        )
        .expect(403, "staff_email")
        .upstream(no_call()),
        Case::new(
            "create_guest_with_staff_email",
            Main,
            Req::post(CREATE, ticket("Agent@helpdesk.example")).key(&key()),
        )
        .expect(403, "staff_email")
        .upstream(no_call()),
        Case::new(
            "create_verified_staff_identity",
            Main,
            Req::post(CREATE, ticket(VICTIM))
                .key(&key())
                .identity(&w.id(STAFF)),
        )
        .expect(403, "staff_email")
        .upstream(no_call()),
    ]
}
