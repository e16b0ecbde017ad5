//! The PHP app's wire quirks and holes, each reproduced on purpose (see supportengine-api.md).

mod common;

use common::{TOKEN, start, start_with};
use reference_helpdesk::{Fault, Quirks, SEEDED_STAFF_EMAIL, SeedTicket};
use serde_json::json;
use std::time::{Duration, Instant};

const CREATE: &str = "tickets_create.php";
const REPLY: &str = "ticket_reply.php";

/// A script, the form sent to it, and the error it must answer.
type ErrorCase = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
);

#[tokio::test]
async fn wrong_or_missing_token_is_401_except_for_the_lookups() {
    let hd = start().await;
    let client = reqwest::Client::new();
    for script in [CREATE, "tickets_list.php", "ticket_view.php", REPLY] {
        for request in [
            client.post(hd.url(script)),
            client.post(hd.url(script)).bearer_auth("wrong"),
            client.post(hd.url(script)).header("Authorization", TOKEN),
        ] {
            let reply = common::send(request.form(&[("user_email", "a@b.example")])).await;
            assert_eq!(reply.status, 401, "{script}");
            assert_eq!(
                reply.json(),
                json!({"success": false, "error": "Unauthorized"}),
                "{script}"
            );
        }
    }
    for script in ["ticket_categories.php", "ticket_custom_fields.php"] {
        let reply = common::send(client.get(hd.url(script))).await;
        assert_eq!(reply.ok_json()["success"], true, "{script}");
    }
}

#[tokio::test]
async fn application_errors_are_http_200_with_exact_texts() {
    let hd = start().await;
    let cases: [ErrorCase; 6] = [
        (
            CREATE,
            &[("subject", "s"), ("message", "m")],
            "Missing required fields",
        ),
        (
            CREATE,
            &[
                ("subject", "0"),
                ("message", "m"),
                ("user_email", "a@b.example"),
            ],
            "Missing required fields",
        ),
        ("tickets_list.php", &[], "Missing user_email"),
        (
            "ticket_view.php",
            &[("user_email", "a@b.example")],
            "Missing ticket_id or user_email",
        ),
        (
            "ticket_view.php",
            &[("ticket_id", "1"), ("user_email", "a@b.example")],
            "Ticket not found or no permission",
        ),
        (
            REPLY,
            &[("ticket_id", "1"), ("user_email", "a@b.example")],
            "Missing required fields",
        ),
    ];
    for (script, form, error) in cases {
        let reply = hd.post_form(script, form).await;
        assert_eq!(
            reply.ok_json(),
            json!({"success": false, "error": error}),
            "{script} {form:?}"
        );
        assert_eq!(reply.content_type.as_deref(), Some("application/json"));
    }
}

#[tokio::test]
async fn created_and_reply_ids_are_strings() {
    let hd = start().await;
    let body = json!({
        "subject": "s", "message": "m", "user_email": "a@b.example", "custom_fields": "{\"1\":\"x\"}"
    });
    assert_eq!(
        hd.post_json(CREATE, &body).await.ok_json(),
        json!({"success": true, "ticket_id": "1"})
    );
    let body = json!({"ticket_id": 1, "user_email": "a@b.example", "message": "m"});
    assert_eq!(
        hd.post_json(REPLY, &body).await.ok_json(),
        json!({"success": true, "reply_id": "1"})
    );
}

#[tokio::test]
async fn only_lower_case_application_json_is_read_as_json() {
    let hd = start().await;
    let body = r#"{"subject":"s","message":"m","user_email":"a@b.example","custom_fields":"{\"1\":\"x\"}"}"#;
    for (content_type, expected) in [
        (
            "application/json",
            json!({"success": true, "ticket_id": "1"}),
        ),
        (
            "application/json; charset=UTF-8",
            json!({"success": true, "ticket_id": "2"}),
        ),
        (
            "Application/JSON",
            json!({"success": false, "error": "Missing required fields"}),
        ),
        (
            "text/plain",
            json!({"success": false, "error": "Missing required fields"}),
        ),
    ] {
        let request = hd
            .request(reqwest::Method::POST, CREATE)
            .header("Content-Type", content_type);
        let reply = common::send(request.body(body)).await;
        assert_eq!(reply.ok_json(), expected, "{content_type}");
    }
}

#[tokio::test]
async fn nested_custom_fields_crash_with_an_empty_500() {
    let hd = start().await;
    let body = json!({"subject": "s", "message": "m", "user_email": "a@b.example", "custom_fields": {"1": "x"}});
    let reply = hd.post_json(CREATE, &body).await;
    assert_eq!((reply.status, reply.body.as_str()), (500, ""));
    assert_eq!(reply.content_type.as_deref(), Some("application/json"));
    // The same crash from a form that sends PHP array syntax.
    let form = [
        ("subject", "s"),
        ("message", "m"),
        ("user_email", "a@b.example"),
        ("custom_fields[1]", "x"),
    ];
    let reply = hd.post_form(CREATE, &form).await;
    assert_eq!((reply.status, reply.body.as_str()), (500, ""));
    assert_eq!(
        hd.list("a@b.example").await["tickets"],
        json!([]),
        "nothing was stored"
    );
}

#[tokio::test]
async fn empty_required_custom_field_is_reported_per_field() {
    let hd = start().await;
    let base = [
        ("subject", "s"),
        ("message", "m"),
        ("user_email", "a@b.example"),
    ];
    let expected = json!({
        "success": false,
        "error": "Missing required custom fields",
        "custom_field_errors": {"1": "This field is required."},
    });
    for custom_fields in [
        None,
        Some(r#"{"1":"  ","2":"Pro"}"#),
        Some(r#"{"2":"Pro"}"#),
        Some("not json"),
    ] {
        let mut form = base.to_vec();
        form.extend(custom_fields.map(|c| ("custom_fields", c)));
        let reply = hd.post_form(CREATE, &form).await;
        assert_eq!(reply.ok_json(), expected, "{custom_fields:?}");
    }
}

#[tokio::test]
async fn list_and_view_also_match_the_ticket_name() {
    let hd = start().await;
    let victim = "victim@shop.example";
    // Someone created a ticket with the victim's email as their name: the victim "owns" it too.
    let planted = SeedTicket {
        name: Some(victim.to_owned()),
        ..SeedTicket::new("Not yours", "by mallory", "mallory@evil.example")
    };
    let planted = hd.helpdesk.seed_ticket(planted).expect("seed");
    let named = SeedTicket {
        name: Some("Victor Tim".to_owned()),
        ..SeedTicket::new("Mine", "m", victim)
    };
    let named = hd.helpdesk.seed_ticket(named).expect("seed");

    let list = hd.list(victim).await;
    assert_eq!(list["tickets"].as_array().map(Vec::len), Some(2), "{list}");
    assert_eq!(
        hd.view(&planted.to_string(), victim).await["ticket"]["email"],
        "mallory@evil.example"
    );
    // Typing someone's name is enough to read their tickets.
    assert_eq!(hd.list("Victor Tim").await["tickets"][0]["subject"], "Mine");
    assert_eq!(
        hd.view(&named.to_string(), "Victor Tim").await["ticket"]["message"],
        "m"
    );
    // But a stranger's email alone sees nothing.
    assert_eq!(hd.list("other@shop.example").await["tickets"], json!([]));
}

#[tokio::test]
async fn reply_checks_neither_existence_nor_ownership() {
    let hd = start().await;
    let owner = "owner@shop.example";
    let id = hd
        .helpdesk
        .seed_ticket(SeedTicket::new("Private", "m", owner))
        .expect("seed")
        .to_string();
    let foreign = [
        ("ticket_id", id.as_str()),
        ("user_email", "stranger@evil.example"),
        ("message", "hi"),
    ];
    assert_eq!(
        hd.post_form(REPLY, &foreign).await.ok_json(),
        json!({"success": true, "reply_id": "1"})
    );
    let missing = [
        ("ticket_id", "999"),
        ("user_email", owner),
        ("message", "into the void"),
    ];
    assert_eq!(
        hd.post_form(REPLY, &missing).await.ok_json(),
        json!({"success": true, "reply_id": "2"})
    );

    let replies = &hd.view(&id, owner).await["replies"];
    assert_eq!(replies.as_array().map(Vec::len), Some(1), "{replies}");
    assert_eq!(replies[0]["message"], "hi");
    assert_eq!(
        hd.view("999", owner).await["error"],
        "Ticket not found or no permission"
    );
}

#[tokio::test]
async fn reply_with_a_staff_email_is_stored_as_staff() {
    let hd = start().await;
    let second = hd
        .helpdesk
        .add_staff_user("sam@helpdesk.example", "Sam")
        .expect("staff");
    let owner = "owner@shop.example";
    let id = hd.create("Help", owner, &[]).await;
    for email in [SEEDED_STAFF_EMAIL, "sam@helpdesk.example", owner] {
        let form = [
            ("ticket_id", id.as_str()),
            ("user_email", email),
            ("message", "m"),
        ];
        assert_eq!(hd.post_form(REPLY, &form).await.ok_json()["success"], true);
    }
    let replies = &hd.view(&id, owner).await["replies"];
    let user_ids: Vec<_> = (0..3).map(|i| replies[i]["user_id"].clone()).collect();
    assert_eq!(user_ids, [json!(1), json!(second.0), json!(null)]);
}

#[tokio::test]
async fn reply_ignores_the_query_string() {
    let hd = start().await;
    let id = hd.create("Help", "q@shop.example", &[]).await;
    let query = [
        ("ticket_id", id.as_str()),
        ("user_email", "q@shop.example"),
        ("message", "m"),
    ];
    let as_get = hd.get(REPLY, &query).await;
    assert_eq!(as_get.ok_json()["error"], "Missing required fields");
    let as_post = common::send(hd.request(reqwest::Method::POST, REPLY).query(&query)).await;
    assert_eq!(as_post.ok_json()["error"], "Missing required fields");
    assert_eq!(hd.view(&id, "q@shop.example").await["replies"], json!([]));
}

#[tokio::test]
async fn old_php_hosts_send_every_row_value_as_a_string() {
    let hd = start_with(Quirks {
        numbers_as_strings: true,
        ..Quirks::default()
    })
    .await;
    let owner = "old@shop.example";
    let id = hd.create("Old host", owner, &[("category_id", "3")]).await;
    hd.helpdesk
        .add_reply_as(reference_helpdesk::TicketId(1), SEEDED_STAFF_EMAIL, "r")
        .expect("reply");

    let categories = hd.get("ticket_categories.php", &[]).await.ok_json();
    assert_eq!(categories["categories"][0]["id"], "1");
    let fields = hd.get("ticket_custom_fields.php", &[]).await.ok_json();
    assert_eq!(
        (
            fields["fields"][0]["id"].clone(),
            fields["fields"][0]["required"].clone()
        ),
        (json!("1"), json!("1"))
    );
    assert_eq!(hd.list(owner).await["tickets"][0]["id"], "1");
    let view = hd.view(&id, owner).await;
    assert_eq!(
        (
            view["ticket"]["id"].clone(),
            view["ticket"]["category_id"].clone()
        ),
        (json!("1"), json!("3"))
    );
    assert_eq!(
        view["ticket"]["assigned_to"],
        json!(null),
        "NULL stays null"
    );
    assert_eq!(
        (
            view["replies"][0]["ticket_id"].clone(),
            view["replies"][0]["user_id"].clone()
        ),
        (json!("1"), json!("1"))
    );
    assert_eq!(view["custom_fields"]["2"]["required"], "0");
    assert_eq!(view["success"], true, "success stays a boolean");
}

#[tokio::test]
async fn database_outage_is_an_empty_500_or_an_html_page_with_paths() {
    let hd = start().await;
    hd.helpdesk.set_fault(Some(Fault::DatabaseDown));
    let reply = hd.get("ticket_categories.php", &[]).await;
    assert_eq!(
        (
            reply.status,
            reply.body.as_str(),
            reply.content_type.as_deref()
        ),
        (500, "", Some("application/json"))
    );
    hd.helpdesk.set_fault(None);
    assert_eq!(
        hd.get("ticket_categories.php", &[]).await.ok_json()["success"],
        true
    );

    let verbose = start_with(Quirks {
        display_errors: true,
        ..Quirks::default()
    })
    .await;
    verbose.helpdesk.set_fault(Some(Fault::DatabaseDown));
    let reply = verbose
        .get("tickets_list.php", &[("user_email", "a@b.example")])
        .await;
    assert_eq!(reply.status, 200);
    assert!(
        reply
            .content_type
            .as_deref()
            .is_some_and(|t| t.starts_with("text/html")),
        "{reply:?}"
    );
    assert!(
        reply
            .body
            .contains("/var/www/supportengine/api/tickets_list.php"),
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn delay_fault_holds_every_answer_back() {
    let hd = start().await;
    hd.helpdesk
        .set_fault(Some(Fault::Delay(Duration::from_millis(300))));
    let started = Instant::now();
    assert_eq!(
        hd.get("ticket_categories.php", &[]).await.ok_json()["success"],
        true
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
}
