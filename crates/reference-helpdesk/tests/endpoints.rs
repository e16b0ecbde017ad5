//! Each script's documented behaviour, over real HTTP.

mod common;

use common::{TOKEN, start};
use reference_helpdesk::{BodyKind, SEEDED_STAFF_EMAIL, SeedTicket, TicketId};
use serde_json::json;

#[tokio::test]
async fn categories_are_sorted_by_name() {
    let hd = start().await;
    hd.helpdesk
        .add_category("Accounts", Some("user"))
        .expect("category");
    let body = hd.get("ticket_categories.php", &[]).await.ok_json();
    assert_eq!(
        body,
        json!({"success": true, "categories": [
            {"id": 4, "name": "Accounts", "icon": "user"},
            {"id": 1, "name": "Billing", "icon": "credit-card"},
            {"id": 2, "name": "Shipping", "icon": "truck"},
            {"id": 3, "name": "Technical", "icon": "wrench"},
        ]})
    );
}

#[tokio::test]
async fn custom_fields_lists_active_ticket_fields_in_display_order() {
    let hd = start().await;
    let mut retired = reference_helpdesk::SeedField::new("Legacy id", "text");
    retired.active = false;
    hd.helpdesk.add_custom_field(retired).expect("field");
    let mut first = reference_helpdesk::SeedField::new("Colour", "swatch");
    first.display_order = 0;
    hd.helpdesk.add_custom_field(first).expect("field");

    let body = hd.get("ticket_custom_fields.php", &[]).await.ok_json();
    assert_eq!(
        body,
        json!({"success": true, "fields": [
            {"id": 4, "name": "Colour", "type": "swatch", "required": 0, "possible_values": null},
            {"id": 1, "name": "Order number", "type": "text", "required": 1, "possible_values": null},
            {"id": 2, "name": "Plan", "type": "select", "required": 0,
             "possible_values": "Starter,Pro,Enterprise"},
        ]})
    );
}

#[tokio::test]
async fn a_tickets_values_come_in_display_order_and_its_row_in_column_order() {
    let hd = start().await;
    let mut first = reference_helpdesk::SeedField::new("Colour", "swatch");
    first.display_order = 0;
    hd.helpdesk.add_custom_field(first).expect("field");
    let id = hd.create("Order", "ann@shop.example", &[]).await;
    let view = hd.view(&id, "ann@shop.example").await;
    // As PHP's json_encode prints its arrays: insertion order, never sorted by key.
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    assert_eq!(keys(&view["custom_fields"]), ["3", "1", "2"], "{view}");
    assert_eq!(
        keys(&view["custom_fields"]["3"]),
        ["name", "type", "required", "value"]
    );
    assert_eq!(
        keys(&view["ticket"])[..5],
        ["id", "subject", "message", "priority", "email"]
    );
}

#[tokio::test]
async fn created_ticket_is_listed_and_viewed_with_everything_stored() {
    let hd = start().await;
    let form = [
        ("subject", "Where is my parcel?"),
        ("message", "<b>Ordered</b> last week"),
        ("user_email", "alice@shop.example"),
        ("name", "Alice"),
        ("company", "ACME"),
        ("priority", "urgent!!"),
        ("category_id", "2"),
        (
            "custom_fields",
            r#"{"1":"ORD-1001","2":"Pro","99":"ignored"}"#,
        ),
    ];
    let created = hd.post_form("tickets_create.php", &form).await.ok_json();
    assert_eq!(created, json!({"success": true, "ticket_id": "1"}));

    let list = hd.list("alice@shop.example").await;
    let row = &list["tickets"][0];
    assert_eq!(list["tickets"].as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(
        (row["id"].clone(), row["status"].clone()),
        (json!(1), json!("open"))
    );
    assert_eq!(row["priority"], "urgent!!", "priority is not validated");
    let mut keys: Vec<_> = row.as_object().expect("object").keys().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "created_at",
            "id",
            "priority",
            "status",
            "subject",
            "updated_at"
        ]
    );

    let view = hd.view("1", "alice@shop.example").await;
    let ticket = &view["ticket"];
    assert_eq!(
        ticket["message"], "<b>Ordered</b> last week",
        "text comes back as stored"
    );
    assert_eq!(
        (ticket["name"].clone(), ticket["company"].clone()),
        (json!("Alice"), json!("ACME"))
    );
    assert_eq!(ticket["category_id"], 2);
    assert_eq!(ticket["created_at"], ticket["updated_at"]);
    assert_eq!(ticket["email"], "alice@shop.example", "the owner's column");
    // `SELECT *` leaks the install's own columns too (the app never fills them).
    for internal in ["assigned_to", "internal_note", "ip_address"] {
        assert_eq!(
            ticket.get(internal),
            Some(&json!(null)),
            "{internal} in {ticket}"
        );
    }
    assert_eq!(view["replies"], json!([]));
    assert_eq!(
        view["custom_fields"],
        json!({
            "1": {"name": "Order number", "type": "text", "required": 1, "value": "ORD-1001"},
            "2": {"name": "Plan", "type": "select", "required": 0, "value": "Pro"},
        })
    );
}

#[tokio::test]
async fn optional_create_fields_default_like_php() {
    let hd = start().await;
    let id = hd.create("Defaults", "bob@shop.example", &[]).await;
    let view = hd.view(&id, "bob@shop.example").await;
    let ticket = &view["ticket"];
    assert_eq!(ticket["priority"], "medium");
    assert_eq!(ticket["status"], "open");
    for nullable in [
        "name",
        "company",
        "category_id",
        "assigned_to",
        "internal_note",
        "ip_address",
    ] {
        assert_eq!(ticket[nullable], json!(null), "{nullable}");
    }
    assert_eq!(
        view["custom_fields"]["2"]["value"],
        json!(null),
        "no value given for Plan"
    );
}

#[tokio::test]
async fn list_is_newest_activity_first_and_reply_bumps_updated_at() {
    let hd = start().await;
    let email = "carol@shop.example";
    let old = SeedTicket {
        created_at: Some("2020-01-01 09:00:00".to_owned()),
        ..SeedTicket::new("Old", "first", email)
    };
    let old = hd.helpdesk.seed_ticket(old).expect("seed");
    let newer = SeedTicket {
        created_at: Some("2021-06-01 09:00:00".to_owned()),
        ..SeedTicket::new("Newer", "second", email)
    };
    hd.helpdesk.seed_ticket(newer).expect("seed");

    let subjects = |list: serde_json::Value| -> Vec<String> {
        let rows = list["tickets"].as_array().cloned().unwrap_or_default();
        rows.iter()
            .map(|t| t["subject"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(subjects(hd.list(email).await), ["Newer", "Old"]);

    let id = old.to_string();
    let form = [
        ("ticket_id", id.as_str()),
        ("user_email", email),
        ("message", "any news?"),
    ];
    assert_eq!(
        hd.post_form("ticket_reply.php", &form).await.ok_json()["success"],
        true
    );
    assert_eq!(subjects(hd.list(email).await), ["Old", "Newer"]);
    let ticket = &hd.view(&id, email).await["ticket"];
    assert_eq!(ticket["created_at"], "2020-01-01 09:00:00");
    assert_ne!(ticket["updated_at"], "2020-01-01 09:00:00");
}

#[tokio::test]
async fn view_shows_replies_in_time_order_with_staff_ids() {
    let hd = start().await;
    let email = "dave@shop.example";
    let id = hd
        .helpdesk
        .seed_ticket(SeedTicket::new("Thread", "opening", email))
        .expect("seed");
    hd.helpdesk
        .add_reply_as(id, SEEDED_STAFF_EMAIL, "We are on it")
        .expect("reply");
    let form = [
        ("ticket_id", "1"),
        ("user_email", email),
        ("message", "thanks"),
    ];
    let reply = hd.post_form("ticket_reply.php", &form).await.ok_json();
    assert_eq!(reply, json!({"success": true, "reply_id": "2"}));

    let view = hd.view(&id.to_string(), email).await;
    let replies = view["replies"].as_array().cloned().unwrap_or_default();
    assert_eq!(replies.len(), 2, "{view}");
    assert_eq!(
        (replies[0]["id"].clone(), replies[0]["user_id"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(replies[0]["message"], "We are on it");
    assert_eq!(
        (
            replies[1]["user_id"].clone(),
            replies[1]["attachment"].clone()
        ),
        (json!(null), json!(null))
    );
    assert_eq!(replies[1]["ticket_id"], 1);
    let mut keys: Vec<_> = replies[1]
        .as_object()
        .expect("object")
        .keys()
        .cloned()
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "attachment",
            "created_at",
            "id",
            "message",
            "ticket_id",
            "user_id"
        ]
    );
}

#[tokio::test]
async fn list_and_view_read_query_or_body() {
    let hd = start().await;
    let id = hd.create("Either way", "erin@shop.example", &[]).await;
    let by_form = hd
        .post_form("tickets_list.php", &[("user_email", "erin@shop.example")])
        .await;
    assert_eq!(by_form.ok_json()["tickets"][0]["subject"], "Either way");
    let by_json = hd
        .post_json("ticket_view.php", &json!({"ticket_id": id.parse::<u64>().expect("id"), "user_email": "erin@shop.example"}))
        .await;
    assert_eq!(by_json.ok_json()["ticket"]["subject"], "Either way");
    // POST to the URL with a query string: the body wins, the query fills in.
    let url = hd.url("ticket_view.php") + "?user_email=erin@shop.example";
    let request = reqwest::Client::new().post(url).bearer_auth(TOKEN);
    let mixed = common::send(request.form(&[("ticket_id", id.as_str())]));
    assert_eq!(mixed.await.ok_json()["ticket"]["subject"], "Either way");
}

#[tokio::test]
async fn unknown_paths_are_404_and_recorded() {
    let hd = start().await;
    let reply = hd.get("tickets_delete.php", &[]).await;
    assert_eq!(reply.status, 404);
    let calls = hd.helpdesk.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].script, "/api/tickets_delete.php");
}

#[tokio::test]
async fn every_request_is_recorded_as_received() {
    let hd = start().await;
    hd.post_form("tickets_list.php", &[("user_email", "f@shop.example")])
        .await;
    hd.post_json("tickets_create.php", &json!({"subject": "s"}))
        .await;
    hd.get("ticket_categories.php", &[("x", "1")]).await;
    let anonymous = reqwest::Client::new()
        .get(hd.url("tickets_list.php"))
        .send();
    assert_eq!(anonymous.await.expect("send").status(), 401);

    let calls = hd.helpdesk.calls();
    let summary: Vec<_> = calls
        .iter()
        .map(|c| {
            (
                c.script.as_str(),
                c.method.as_str(),
                c.body_kind,
                c.token_valid,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("tickets_list.php", "POST", BodyKind::Form, true),
            ("tickets_create.php", "POST", BodyKind::Json, true),
            ("ticket_categories.php", "GET", BodyKind::None, true),
            ("tickets_list.php", "GET", BodyKind::None, false),
        ]
    );
    assert_eq!(calls[0].param("user_email"), Some("f@shop.example"));
    assert_eq!(
        calls[1].params,
        json!({"subject": "s"})
            .as_object()
            .cloned()
            .unwrap_or_default()
    );
    assert!(calls[2].params.is_empty(), "the lookups read no parameters");
    assert_eq!(
        calls[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(calls[3].header("Authorization"), None);

    hd.helpdesk.clear_calls();
    assert!(hd.helpdesk.calls().is_empty());
}

#[tokio::test]
async fn seeded_ticket_ids_are_returned() {
    let hd = start().await;
    let first = hd
        .helpdesk
        .seed_ticket(SeedTicket::new("a", "b", "c@d.example"))
        .expect("seed");
    let second = hd
        .helpdesk
        .seed_ticket(SeedTicket::new("a", "b", "c@d.example"))
        .expect("seed");
    assert_eq!((first, second), (TicketId(1), TicketId(2)));
}
