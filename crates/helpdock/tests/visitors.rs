//! Who may touch which ticket, against the real reference helpdesk (whose holes are on purpose):
//! guests see only their pass's tickets, names never grant access, staff emails never act as
//! visitors, and the browser's `user_email` is never believed.

mod support;

use reference_helpdesk::{SEEDED_STAFF_EMAIL, SeedTicket};
use reqwest::Method;
use serde_json::{Value, json};
use support::{ANN, Stack, stack, valid_ticket};

const BOB: &str = "bob@example.com";

fn pass_header(pass: &str) -> [(&'static str, &str); 1] {
    [("X-Helpdock-Guest-Pass", pass)]
}

/// The scripts the helpdesk was asked for, in order.
fn scripts(s: &Stack) -> Vec<String> {
    s.helpdesk.calls().into_iter().map(|c| c.script).collect()
}

fn ids(list: &Value) -> Vec<u64> {
    list["tickets"]
        .as_array()
        .map(|t| t.iter().filter_map(|t| t["id"].as_u64()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_guest_reaches_exactly_the_tickets_of_their_pass() {
    let s = stack().await;
    let older = s
        .helpdesk
        .seed_ticket(SeedTicket::new("Older", "o", ANN))
        .expect("seed")
        .0 as u64;
    let created = s
        .proxy
        .post("/api/tickets_create.php", &valid_ticket())
        .await
        .expect(201);
    let id = created["ticket_id"].as_u64().expect("id");
    let pass = created["guest_pass"]
        .as_str()
        .expect("a guest gets a pass")
        .to_owned();

    let list = s
        .proxy
        .send_with(
            Method::GET,
            "/api/tickets_list.php",
            None,
            &pass_header(&pass),
        )
        .await;
    assert_eq!(
        ids(&list.expect(200)),
        [id],
        "not the same email's older ticket"
    );

    let view = |t: u64| format!("/api/ticket_view.php?ticket_id={t}");
    s.proxy
        .send_with(Method::GET, &view(id), None, &pass_header(&pass))
        .await
        .expect(200);
    s.helpdesk.clear_calls();
    s.proxy
        .send_with(Method::GET, &view(older), None, &pass_header(&pass))
        .await
        .expect_error(404, "not_found");
    let reply = json!({"ticket_id": older, "message": "hi"});
    s.proxy
        .send_with(
            Method::POST,
            "/api/ticket_reply.php",
            Some(&reply),
            &pass_header(&pass),
        )
        .await
        .expect_error(404, "not_found");
    assert!(
        scripts(&s).is_empty(),
        "checked before any upstream call: {:?}",
        scripts(&s)
    );

    let reply = json!({"ticket_id": id, "message": "Any news?", "user_email": SEEDED_STAFF_EMAIL});
    s.proxy
        .send_with(
            Method::POST,
            "/api/ticket_reply.php",
            Some(&reply),
            &pass_header(&pass),
        )
        .await
        .expect(201);
    let sent = s
        .helpdesk
        .calls()
        .into_iter()
        .find(|c| c.script == "ticket_reply.php")
        .expect("reply sent");
    assert_eq!(
        sent.param("user_email"),
        Some(ANN),
        "the pass's email, not the body's"
    );

    // The verified owner sees both.
    let mut both = ids(&s.proxy.list(ANN).await.expect(200));
    both.sort_unstable();
    assert_eq!(both, [older, id]);
}

#[tokio::test]
async fn a_second_create_with_the_pass_extends_it_for_the_same_email_only() {
    let s = stack().await;
    let first = s
        .proxy
        .post("/api/tickets_create.php", &valid_ticket())
        .await
        .expect(201);
    let pass = first["guest_pass"].as_str().expect("pass").to_owned();
    let second = s
        .proxy
        .send_with(
            Method::POST,
            "/api/tickets_create.php",
            Some(&valid_ticket()),
            &pass_header(&pass),
        )
        .await
        .expect(201);
    let extended = second["guest_pass"].as_str().expect("pass").to_owned();
    let list = s
        .proxy
        .send_with(
            Method::GET,
            "/api/tickets_list.php",
            None,
            &pass_header(&extended),
        )
        .await;
    assert_eq!(ids(&list.expect(200)).len(), 2);

    let mut bobs = valid_ticket();
    bobs["user_email"] = json!(BOB);
    let third = s
        .proxy
        .send_with(
            Method::POST,
            "/api/tickets_create.php",
            Some(&bobs),
            &pass_header(&extended),
        )
        .await
        .expect(201);
    let bob_pass = third["guest_pass"].as_str().expect("pass").to_owned();
    let list = s
        .proxy
        .send_with(
            Method::GET,
            "/api/tickets_list.php",
            None,
            &pass_header(&bob_pass),
        )
        .await;
    assert_eq!(
        ids(&list.expect(200)),
        [third["ticket_id"].as_u64().expect("id")]
    );
}

#[tokio::test]
async fn a_name_never_grants_a_ticket() {
    let s = stack().await;
    // Filed (outside the proxy) by Mallory with Ann's address as her *name*: the helpdesk's list
    // and view would hand it to Ann — or to anyone signing in as Ann, of Mallory's making.
    let mut seed = SeedTicket::new("Planted", "p", "mallory@example.com");
    seed.name = Some(ANN.into());
    let planted = s.helpdesk.seed_ticket(seed).expect("seed").0 as u64;
    let own = s
        .helpdesk
        .seed_ticket(SeedTicket::new("Mine", "m", ANN))
        .expect("seed")
        .0 as u64;

    assert_eq!(ids(&s.proxy.list(ANN).await.expect(200)), [own]);
    s.proxy
        .view(planted, ANN)
        .await
        .expect_error(404, "not_found");
    s.helpdesk.clear_calls();
    let reply = json!({"ticket_id": planted, "message": "mine now"});
    s.proxy
        .post_as(ANN, "/api/ticket_reply.php", &reply)
        .await
        .expect_error(404, "not_found");
    assert!(
        !scripts(&s).contains(&"ticket_reply.php".to_owned()),
        "{:?}",
        scripts(&s)
    );
}

#[tokio::test]
async fn owners_are_looked_up_once_then_remembered() {
    let s = stack().await;
    for n in 0..3 {
        s.helpdesk
            .seed_ticket(SeedTicket::new(&format!("T{n}"), "m", ANN))
            .expect("seed");
    }
    assert_eq!(ids(&s.proxy.list(ANN).await.expect(200)).len(), 3);
    let views = scripts(&s)
        .iter()
        .filter(|c| *c == "ticket_view.php")
        .count();
    assert_eq!(views, 3, "one view per ticket of unknown owner");
    s.helpdesk.clear_calls();
    assert_eq!(ids(&s.proxy.list(ANN).await.expect(200)).len(), 3);
    assert_eq!(
        scripts(&s),
        ["tickets_list.php"],
        "the second list asks nothing more"
    );
    // A create fills the cache too.
    let created = s
        .proxy
        .post_as(ANN, "/api/tickets_create.php", &valid_ticket())
        .await
        .expect(201);
    s.helpdesk.clear_calls();
    let reply = json!({"ticket_id": created["ticket_id"], "message": "more"});
    s.proxy
        .post_as(ANN, "/api/ticket_reply.php", &reply)
        .await
        .expect(201);
    assert_eq!(scripts(&s), ["ticket_reply.php"]);
}

#[tokio::test]
async fn a_verified_create_files_under_the_signed_email_and_gets_no_pass() {
    let s = stack().await;
    let mut ticket = valid_ticket();
    ticket["user_email"] = json!(BOB);
    let created = s
        .proxy
        .post_as(ANN, "/api/tickets_create.php", &ticket)
        .await
        .expect(201);
    assert!(created.get("guest_pass").is_none(), "{created}");
    let sent = s
        .helpdesk
        .calls()
        .into_iter()
        .find(|c| c.script == "tickets_create.php")
        .expect("create");
    assert_eq!(sent.param("user_email"), Some(ANN));
    // No user_email at all is fine for a verified visitor.
    let mut ticket = valid_ticket();
    ticket.as_object_mut().map(|t| t.remove("user_email"));
    s.proxy
        .post_as(ANN, "/api/tickets_create.php", &ticket)
        .await
        .expect(201);
    s.proxy
        .post("/api/tickets_create.php", &ticket)
        .await
        .expect_error(422, "invalid_input");
}

#[tokio::test]
async fn staff_emails_never_act_as_visitors() {
    let s = stack().await;
    let own = s
        .helpdesk
        .seed_ticket(SeedTicket::new("Mine", "m", ANN))
        .expect("seed")
        .0 as u64;
    s.helpdesk.clear_calls();
    let mut ticket = valid_ticket();
    ticket["user_email"] = json!(" Agent@Helpdesk.Example ");
    s.proxy
        .post("/api/tickets_create.php", &ticket)
        .await
        .expect_error(403, "staff_email");
    let reply = json!({"ticket_id": own, "message": "Resolved!"});
    s.proxy
        .post_as(SEEDED_STAFF_EMAIL, "/api/ticket_reply.php", &reply)
        .await
        .expect_error(403, "staff_email");
    s.proxy
        .list(SEEDED_STAFF_EMAIL)
        .await
        .expect_error(403, "staff_email");
    assert!(scripts(&s).is_empty(), "{:?}", scripts(&s));
    // And a browser-sent staff email in a reply body is replaced by the visitor's.
    let reply = json!({"ticket_id": own, "message": "thanks", "user_email": SEEDED_STAFF_EMAIL});
    s.proxy
        .post_as(ANN, "/api/ticket_reply.php", &reply)
        .await
        .expect(201);
    let sent = s
        .helpdesk
        .calls()
        .into_iter()
        .find(|c| c.script == "ticket_reply.php")
        .expect("reply");
    assert_eq!(sent.param("user_email"), Some(ANN));
}

#[tokio::test]
async fn a_query_user_email_is_ignored() {
    let s = stack().await;
    let bobs = s
        .helpdesk
        .seed_ticket(SeedTicket::new("Bob's", "b", BOB))
        .expect("seed")
        .0 as u64;
    let identity = support::identity(ANN);
    let headers = [("X-Helpdock-Identity", identity.as_str())];
    let list = s
        .proxy
        .send_with(
            Method::GET,
            &format!("/api/tickets_list.php?user_email={BOB}"),
            None,
            &headers,
        )
        .await;
    assert!(ids(&list.expect(200)).is_empty());
    let path = format!("/api/ticket_view.php?ticket_id={bobs}&user_email={BOB}");
    s.proxy
        .send_with(Method::GET, &path, None, &headers)
        .await
        .expect_error(404, "not_found");
}
