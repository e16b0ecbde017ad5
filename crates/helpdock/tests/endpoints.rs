//! The six endpoints against the real reference helpdesk over HTTP: forwarded, converted, and
//! with the token only ever going upstream.

mod support;

use helpdock::HelpdeskTimeZone;
use reference_helpdesk::{BodyKind, FieldId, Quirks, SEEDED_STAFF_EMAIL, SeedTicket};
use serde_json::{Value, json};
use support::{ANN, TOKEN, stack, stack_in_zone, stack_with, valid_ticket};

#[tokio::test]
async fn catalog_is_converted() {
    let s = stack().await;
    let cats = s.proxy.get("/api/ticket_categories.php").await.expect(200);
    assert_eq!(
        cats,
        json!({"categories": [{"id": 1, "name": "Billing"}, {"id": 2, "name": "Shipping"}, {"id": 3, "name": "Technical"}]})
    );
    let answer = s.proxy.get("/api/ticket_custom_fields.php").await;
    let fields = answer.expect(200);
    // The form is the site's: a shared cache must keep one answer per site.
    let vary: Vec<&str> = answer
        .headers
        .get_all("vary")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        vary.iter().any(|v| v.contains("X-Helpdock-Site")),
        "{vary:?}"
    );
    assert_eq!(
        fields,
        json!({"fields": [
            {"id": 1, "name": "Order number", "type": "text", "required": true, "options": []},
            {"id": 2, "name": "Plan", "type": "select", "required": false, "options": ["Starter", "Pro", "Enterprise"]}
        ], "ask": ["name", "company", "priority", "category"]})
    );
    let decoded: helpdock_wire::CustomFields =
        serde_json::from_value(fields).expect("the widget's type reads it");
    assert_eq!(decoded.ask, support::site_form().ask);
}

#[tokio::test]
async fn the_token_goes_upstream_and_client_headers_do_not() {
    let s = stack().await;
    s.proxy.list(ANN).await.expect(200);
    let calls = s.helpdesk.calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    let call = &calls[0];
    assert!(call.token_valid, "{call:?}");
    assert_eq!(
        call.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    for name in [
        "cookie",
        "x-forwarded-for",
        "x-visitor-note",
        "origin",
        "referer",
    ] {
        assert_eq!(call.header(name), None, "{name} was forwarded: {call:?}");
    }
    // The email goes in the body, not a URL the helpdesk's access log would keep.
    assert_eq!(
        (call.method.as_str(), call.body_kind),
        ("POST", BodyKind::Form)
    );
}

#[tokio::test]
async fn create_list_view_reply_round_trip() {
    let s = stack().await;
    let created = s
        .proxy
        .post("/api/tickets_create.php", &valid_ticket())
        .await
        .expect(201);
    let id = created["ticket_id"]
        .as_u64()
        .expect("ticket_id is a number downstream");

    let create_call = s
        .helpdesk
        .calls()
        .into_iter()
        .find(|c| c.script == "tickets_create.php")
        .expect("create call");
    assert_eq!(create_call.body_kind, BodyKind::Form);
    assert_eq!(create_call.param("priority"), Some("high"));
    assert_eq!(create_call.param("category_id"), Some("2"));
    let custom: Value =
        serde_json::from_str(create_call.param("custom_fields").expect("a string")).expect("JSON");
    assert_eq!(custom, json!({"1": "ORD-1001", "2": "Pro"}));

    let list = s.proxy.list(ANN).await.expect(200);
    assert_eq!(list["tickets"][0]["id"], id);
    assert_eq!(list["tickets"][0]["subject"], "Beans arrived stale");
    assert_eq!(list["tickets"][0]["priority"], "high");

    let reply = json!({"ticket_id": id, "message": "Any news?"});
    let reply_id = s
        .proxy
        .post_as(ANN, "/api/ticket_reply.php", &reply)
        .await
        .expect(201)["reply_id"]
        .as_u64();
    assert!(reply_id.is_some());
    s.helpdesk
        .add_reply_as(
            reference_helpdesk::TicketId(id as i64),
            SEEDED_STAFF_EMAIL,
            "Replacement sent.",
        )
        .expect("staff reply");

    let view = s.proxy.view(id, ANN).await.expect(200);
    assert_eq!(
        view["ticket"]["message"],
        "The Harbor Blend bag was <b>open</b>."
    );
    assert_eq!(view["ticket"]["category_id"], 2);
    let replies: Vec<_> = view["replies"]
        .as_array()
        .expect("replies")
        .iter()
        .map(|r| {
            (
                r["message"].as_str().unwrap_or(""),
                r["from_staff"].as_bool(),
            )
        })
        .collect();
    assert_eq!(
        replies,
        [
            ("Any news?", Some(false)),
            ("Replacement sent.", Some(true))
        ]
    );
    assert_eq!(
        view["custom_fields"],
        json!([
            {"id": 1, "name": "Order number", "type": "text", "value": "ORD-1001"},
            {"id": 2, "name": "Plan", "type": "select", "value": "Pro"}
        ])
    );
}

#[tokio::test]
async fn old_php_string_numbers_read_the_same() {
    let mut seen = Vec::new();
    for numbers_as_strings in [false, true] {
        let s = stack_with(Quirks {
            numbers_as_strings,
            ..Quirks::default()
        })
        .await;
        let categories = s.proxy.get("/api/ticket_categories.php").await.expect(200);
        let fields = s
            .proxy
            .get("/api/ticket_custom_fields.php")
            .await
            .expect(200);
        let mut created = s
            .proxy
            .post("/api/tickets_create.php", &valid_ticket())
            .await
            .expect(201);
        // The pass's expiry is the clock's; everything else must match.
        assert!(created["guest_pass"].is_string(), "{created}");
        created["guest_pass"] = Value::Null;
        let mut view = s.proxy.view(&created["ticket_id"], ANN).await.expect(200);
        for stamp in ["created_at", "updated_at"] {
            view["ticket"][stamp] = Value::Null;
        }
        seen.push((categories, fields, created, view));
    }
    assert_eq!(seen[0], seen[1]);
    assert_eq!(seen[1].2["ticket_id"], 1, "ids are numbers downstream");
}

#[tokio::test]
async fn view_shows_only_allowlisted_columns() {
    let s = stack().await;
    let mut seed = SeedTicket::new("Grinder noise", "It squeaks", ANN);
    seed.internal_note = Some("refund-fraud watchlist".into());
    seed.ip_address = Some("198.51.100.7".into());
    seed.company = Some("Acme Ltd".into());
    seed.custom_values = vec![(FieldId(1), "ORD-77".into())];
    let id = s.helpdesk.seed_ticket(seed).expect("seed").0;
    let answer = s.proxy.view(id, ANN).await;
    answer.expect(200);
    for leaked in [
        "refund-fraud",
        "198.51.100.7",
        "Acme",
        ANN,
        "internal_note",
        "assigned_to",
        "attachment",
    ] {
        assert!(
            !answer.body.contains(leaked),
            "{leaked} leaked: {}",
            answer.body
        );
    }
}

#[tokio::test]
async fn unknown_tickets_are_404() {
    let s = stack().await;
    let id = s
        .helpdesk
        .seed_ticket(SeedTicket::new("Mine", "m", "bob@example.com"))
        .expect("seed")
        .0;
    let answer = s.proxy.view(id, ANN).await;
    answer.expect_error(404, "not_found");
    assert!(
        !answer.body.contains("permission"),
        "upstream wording leaked: {}",
        answer.body
    );
    s.proxy.view(999, ANN).await.expect_error(404, "not_found");
}

#[tokio::test]
async fn invalid_input_is_422_with_fields_and_never_reaches_the_helpdesk() {
    let s = stack().await;
    let with = |patch: Value| {
        let mut t = valid_ticket();
        for (k, v) in patch.as_object().into_iter().flatten() {
            t[k] = v.clone();
        }
        t
    };
    let cases = [
        (with(json!({"subject": "  "})), "subject"),
        (
            with(json!({"user_email": "ann(at)example.com"})),
            "user_email",
        ),
        (with(json!({"category_id": 99})), "category_id"),
        (
            with(json!({"custom_fields": {"2": "Pro"}})),
            "custom_fields.1",
        ),
        (
            with(json!({"custom_fields": {"1": "x", "2": "Gold"}})),
            "custom_fields.2",
        ),
        (
            with(json!({"custom_fields": {"1": "x", "9": "?"}})),
            "custom_fields.9",
        ),
    ];
    for (ticket, field) in cases {
        let body = s
            .proxy
            .post("/api/tickets_create.php", &ticket)
            .await
            .expect_error(422, "invalid_input");
        assert_eq!(body["field"], field, "{ticket}");
        assert!(body["field_errors"][field].is_string(), "{body}");
    }
    let body = s
        .proxy
        .post(
            "/api/tickets_create.php",
            &with(json!({"name": "ann@example.com"})),
        )
        .await
        .expect_error(422, "invalid_input");
    assert_eq!(
        body["field"], "name",
        "a name that is an address is refused"
    );
    let reply = json!({"ticket_id": 1, "message": " \n"});
    let body = s
        .proxy
        .post_as(ANN, "/api/ticket_reply.php", &reply)
        .await
        .expect_error(422, "invalid_input");
    assert_eq!(body["field"], "message");
    // A signed identity that is no address is bad header syntax.
    s.proxy
        .list("not-an-email")
        .await
        .expect_error(400, "bad_request");
    let writes: Vec<_> = s
        .helpdesk
        .calls()
        .into_iter()
        .filter(|c| c.script != "ticket_categories.php" && c.script != "ticket_custom_fields.php")
        .collect();
    assert!(writes.is_empty(), "{writes:?}");
}

#[tokio::test]
async fn emails_are_normalized_so_history_finds_tickets() {
    let s = stack().await;
    let mut ticket = valid_ticket();
    ticket["user_email"] = json!("  Ann@Example.COM ");
    s.proxy
        .post("/api/tickets_create.php", &ticket)
        .await
        .expect(201);
    let list = s.proxy.list("ANN@example.com ").await.expect(200);
    assert_eq!(list["tickets"].as_array().map(Vec::len), Some(1), "{list}");
}

#[tokio::test]
async fn helpdesk_local_times_arrive_as_utc_instants() {
    let new_york = HelpdeskTimeZone::named("America/New_York").expect("zone");
    let s = stack_in_zone(Quirks::default(), new_york).await;
    // Filed on the Saturday in EST (UTC-5), updated after the change to EDT (UTC-4) on Sunday;
    // another ticket's row holds MySQL's zero date.
    let mut seed = SeedTicket::new("Across the change", "m", ANN);
    seed.created_at = Some("2026-03-07 12:00:00".into());
    seed.updated_at = Some("2026-03-08 12:00:00".into());
    let id = s.helpdesk.seed_ticket(seed).expect("seed").0;
    let mut zero = SeedTicket::new("Zero date", "m", ANN);
    zero.created_at = Some("2026-03-01 09:00:00".into());
    zero.updated_at = Some("0000-00-00 00:00:00".into());
    let zero_id = s.helpdesk.seed_ticket(zero).expect("seed").0;

    let view = s.proxy.view(id, ANN).await.expect(200);
    assert_eq!(view["ticket"]["created_at"], "2026-03-07T17:00:00Z");
    assert_eq!(view["ticket"]["updated_at"], "2026-03-08T16:00:00Z");

    let list = s.proxy.list(ANN).await.expect(200);
    let rows = list["tickets"].as_array().expect("tickets");
    let row = |id: i64| {
        rows.iter()
            .find(|t| t["id"] == id)
            .unwrap_or_else(|| panic!("ticket {id} in {list}"))
    };
    assert_eq!(row(id)["created_at"], "2026-03-07T17:00:00Z");
    assert_eq!(row(id)["updated_at"], "2026-03-08T16:00:00Z");
    // Not a time: the ticket is still listed, with an honest null instead of a guess.
    assert_eq!(row(zero_id)["created_at"], "2026-03-01T14:00:00Z");
    assert_eq!(row(zero_id)["updated_at"], Value::Null);
}

#[tokio::test]
async fn replies_written_now_arrive_as_utc_instants() {
    let s = stack().await;
    let id = s
        .helpdesk
        .seed_ticket(SeedTicket::new("Now", "m", ANN))
        .expect("seed");
    s.helpdesk
        .add_reply_as(id, SEEDED_STAFF_EMAIL, "On it.")
        .expect("reply");
    let view = s.proxy.view(id.0, ANN).await.expect(200);
    for at in [
        &view["ticket"]["created_at"],
        &view["ticket"]["updated_at"],
        &view["replies"][0]["created_at"],
    ] {
        let at = at.as_str().unwrap_or_else(|| panic!("a time in {view}"));
        // 2026-11-28T16:44:00Z: the reference helpdesk writes UTC and the proxy reads it so.
        let shape = at.len() == 20 && at.ends_with('Z') && at.as_bytes()[10] == b'T';
        assert!(shape, "{at} is not an RFC 3339 UTC instant");
    }
}

/// The wire crate's endpoint table is what the proxy routes: each endpoint answers at its path
/// with its method, and refuses the other method with 405 (a renamed route would be a 404).
#[tokio::test]
async fn every_endpoint_of_the_wire_table_is_routed_with_its_method() {
    use helpdock_wire::{Endpoint, Method as WireMethod};
    use reqwest::Method;
    let s = stack().await;
    let id = support::identity(ANN);
    let who = [
        ("X-Helpdock-Site", support::SITE),
        ("X-Helpdock-Identity", id.as_str()),
    ];
    for endpoint in Endpoint::ALL {
        let (method, other) = match endpoint.method() {
            WireMethod::Get => (Method::GET, Method::POST),
            WireMethod::Post => (Method::POST, Method::GET),
        };
        let body = (method == Method::POST).then(|| json!({}));
        let answer = s
            .proxy
            .send_with(method, endpoint.path(), body.as_ref(), &who)
            .await;
        assert!(
            ![404, 405].contains(&answer.status),
            "{endpoint:?}: {answer:?}"
        );
        s.proxy
            .send_with(other, endpoint.path(), None, &who)
            .await
            .expect_error(405, "method_not_allowed");
    }
}
