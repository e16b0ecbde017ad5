//! The real SupportEngine is the judge: the proxy in front of a helpdesk that answers with the
//! real PHP app's bodies, written out verbatim from `supportengine-api.md` (its row shapes, its
//! `email` owner column, PHP's escaping, strings for numbers on older hosts, an install's own
//! extra columns), and the reference helpdesk held to the same shapes.
//!
//! The stand-in below is a recording, not a model: it answers each script with fixed text, as the
//! real app did for one helpdesk holding Ann's ticket 41 and Mallory's ticket 42, whose `name` is
//! Ann's email (the real `WHERE email = ? OR name = ?` lists and shows it to Ann).

mod support;

use axum::Router;
use axum::extract::{Form, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use reference_helpdesk::{Helpdesk, Quirks, SeedTicket};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{ANN, Proxy, TOKEN, proxy_for, serve_router};

const MALLORY: &str = "mallory@example.com";

/// `tickets_create.php`: the id is a string (PDO's lastInsertId).
const CREATED: &str = r#"{"success":true,"ticket_id":"41"}"#;
/// `tickets_create.php` without a required custom field's value.
const CREATE_MISSING_FIELD: &str = r#"{"success":false,"error":"Missing required custom fields","custom_field_errors":{"10":"This field is required."}}"#;
/// `tickets_list.php` for `user_email=ann@example.com`: her ticket, and Mallory's named after her.
const LIST: &str = r#"{"success":true,"tickets":[{"id":42,"subject":"Refund for ann@example.com","status":"open","priority":"low","created_at":"2026-12-01 23:10:00","updated_at":"2026-12-01 23:10:00"},{"id":41,"subject":"Where is my order?","status":"open","priority":"high","created_at":"2026-12-01 22:40:16","updated_at":"2026-12-01 22:55:02"}]}"#;
/// `ticket_view.php` of ticket 41: `SELECT *` (the app's columns, then this install's own),
/// replies (a customer's, then staff's), custom fields keyed by id in display order.
const VIEW_41: &str = r#"{"success":true,"ticket":{"id":41,"subject":"Where is my order?","message":"Ordered <b>Tuesday<\/b>, caf\u00e9 beans","priority":"high","email":"ann@example.com","name":"Ann","company":null,"category_id":2,"status":"open","created_at":"2026-12-01 22:40:16","updated_at":"2026-12-01 22:55:02","assigned_to":3,"internal_note":"VIP, refunded twice","sla_breached":0},"replies":[{"id":11,"ticket_id":41,"user_id":null,"message":"Any news?","attachment":null,"created_at":"2026-12-01 22:50:00"},{"id":12,"ticket_id":41,"user_id":3,"message":"Shipped today: https:\/\/track.example\/x","attachment":"label.pdf","created_at":"2026-12-01 22:55:02"}],"custom_fields":{"10":{"name":"Order number","type":"text","required":1,"value":"ORD-1001"},"2":{"name":"Plan","type":"select","required":0,"value":null}}}"#;
/// `ticket_view.php` of ticket 42, which Mallory filed with `name` set to Ann's email.
const VIEW_42: &str = r#"{"success":true,"ticket":{"id":42,"subject":"Refund for ann@example.com","message":"m","priority":"low","email":"mallory@example.com","name":"ann@example.com","company":null,"category_id":null,"status":"open","created_at":"2026-12-01 23:10:00","updated_at":"2026-12-01 23:10:00","assigned_to":null,"internal_note":null,"sla_breached":0},"replies":[],"custom_fields":[]}"#;
/// Any other ticket, or a ticket that is neither the email's nor the name's.
const NOT_FOUND: &str = r#"{"success":false,"error":"Ticket not found or no permission"}"#;
/// `ticket_reply.php`: the id is a string.
const REPLIED: &str = r#"{"success":true,"reply_id":"13"}"#;
/// `ticket_categories.php`, sorted by name.
const CATEGORIES: &str = r#"{"success":true,"categories":[{"id":1,"name":"Billing","icon":"credit-card"},{"id":2,"name":"Shipping","icon":null}]}"#;
/// `ticket_custom_fields.php`, in display order.
const FIELDS: &str = r#"{"success":true,"fields":[{"id":10,"name":"Order number","type":"text","required":1,"possible_values":null},{"id":2,"name":"Plan","type":"select","required":0,"possible_values":"Starter,Pro,Enterprise"}]}"#;

/// How the recorded host differs.
#[derive(Clone, Copy, PartialEq)]
enum Host {
    /// Current PHP: numbers are numbers.
    Current,
    /// Older PHP/PDO: every row value is a string (`"id":"41"`, `"required":"1"`).
    OldPdo,
}

/// The recording, served over HTTP; it remembers which scripts were asked.
#[derive(Clone)]
struct RealApp {
    host: Host,
    calls: Arc<Mutex<Vec<String>>>,
}

impl RealApp {
    fn router(&self) -> Router {
        let script = |name: &'static str| {
            any(
                move |State(app): State<RealApp>,
                      headers: axum::http::HeaderMap,
                      Form(params): Form<HashMap<String, String>>| async move {
                    app.calls
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(name.to_owned());
                    let authorized = headers
                        .get(header::AUTHORIZATION)
                        .is_some_and(|v| v.as_bytes() == format!("Bearer {TOKEN}").as_bytes());
                    app.answer(name, &params, authorized)
                },
            )
        };
        Router::new()
            .route("/api/tickets_create.php", script("tickets_create.php"))
            .route("/api/tickets_list.php", script("tickets_list.php"))
            .route("/api/ticket_view.php", script("ticket_view.php"))
            .route("/api/ticket_reply.php", script("ticket_reply.php"))
            .route(
                "/api/ticket_categories.php",
                get(|State(app): State<RealApp>| async move { app.body(CATEGORIES) }),
            )
            .route(
                "/api/ticket_custom_fields.php",
                get(|State(app): State<RealApp>| async move { app.body(FIELDS) }),
            )
            .with_state(self.clone())
    }

    fn answer(&self, script: &str, params: &HashMap<String, String>, authorized: bool) -> Response {
        if !authorized {
            return (
                StatusCode::UNAUTHORIZED,
                self.body(r#"{"success":false,"error":"Unauthorized"}"#),
            )
                .into_response();
        }
        let param = |k: &str| params.get(k).map(String::as_str).unwrap_or_default();
        let body = match script {
            "tickets_create.php" if param("custom_fields").contains(r#""10":"ORD"#) => CREATED,
            "tickets_create.php" => CREATE_MISSING_FIELD,
            "tickets_list.php" if param("user_email") == ANN => LIST,
            "tickets_list.php" => r#"{"success":true,"tickets":[]}"#,
            "ticket_view.php" => match (param("ticket_id"), param("user_email")) {
                ("41", ANN) => VIEW_41,
                ("42", ANN | MALLORY) => VIEW_42,
                _ => NOT_FOUND,
            },
            "ticket_reply.php" => REPLIED,
            _ => return StatusCode::NOT_FOUND.into_response(),
        };
        self.body(body).into_response()
    }

    /// `body` as this host prints it; on old hosts every number inside a row is a string.
    fn body(&self, body: &str) -> Response {
        let text = match self.host {
            Host::Current => body.to_owned(),
            Host::OldPdo => {
                let mut value: Value = serde_json::from_str(body).unwrap_or_default();
                stringify_numbers(&mut value);
                value.to_string()
            }
        };
        ([(header::CONTENT_TYPE, "application/json")], text).into_response()
    }

    fn scripts(&self) -> Vec<String> {
        let calls = self.calls.lock().unwrap_or_else(|p| p.into_inner());
        calls.clone()
    }
}

fn stringify_numbers(value: &mut Value) {
    match value {
        Value::Number(n) => *value = Value::String(n.to_string()),
        Value::Array(items) => items.iter_mut().for_each(stringify_numbers),
        Value::Object(fields) => fields.values_mut().for_each(stringify_numbers),
        _ => {}
    }
}

async fn proxy_before_real_app(host: Host) -> (RealApp, Proxy) {
    let app = RealApp {
        host,
        calls: Arc::default(),
    };
    let addr = serve_router(app.router()).await;
    (
        app.clone(),
        proxy_for(addr, TOKEN, Duration::from_secs(10)).await,
    )
}

/// `(item[a], item[b])` for each item of the array `list`.
fn pairs(list: &Value, a: &str, b: &str) -> Vec<(Value, Value)> {
    let items = list.as_array().cloned().unwrap_or_default();
    items.iter().map(|i| (i[a].clone(), i[b].clone())).collect()
}

fn ids(list: &Value) -> Vec<u64> {
    let tickets = list["tickets"].as_array().cloned().unwrap_or_default();
    tickets.iter().filter_map(|t| t["id"].as_u64()).collect()
}

/// Nothing but the allowlisted facts reached the browser.
fn assert_allowlisted(body: &str) {
    for leaked in [
        "email",
        "VIP, refunded",
        "assigned_to",
        "internal_note",
        "sla_breached",
        "label.pdf",
        "attachment",
        "user_id",
        "\"Ann\"",
        "mallory",
    ] {
        assert!(
            !body.contains(leaked),
            "{leaked} reached the browser: {body}"
        );
    }
}

#[tokio::test]
async fn a_verified_visitor_lists_views_and_replies_on_every_php_host() {
    for host in [Host::Current, Host::OldPdo] {
        let (app, proxy) = proxy_before_real_app(host).await;

        let list = proxy.list(ANN).await.expect(200);
        assert_eq!(
            ids(&list),
            [41],
            "hers only, not the one named after her: {list}"
        );

        let view = proxy.view(41, ANN).await;
        let thread = view.expect(200);
        assert_allowlisted(&view.body);
        assert_eq!(
            thread["ticket"]["message"],
            "Ordered <b>Tuesday</b>, café beans"
        );
        assert_eq!(thread["ticket"]["category_id"], 2);
        assert_eq!(
            pairs(&thread["replies"], "id", "from_staff"),
            [(json!(11), json!(false)), (json!(12), json!(true))]
        );
        assert_eq!(
            pairs(&thread["custom_fields"], "id", "value"),
            [(json!(10), json!("ORD-1001")), (json!(2), Value::Null)],
            "display order"
        );

        let reply = json!({"ticket_id": 41, "message": "Thanks!"});
        let answer = proxy.post_as(ANN, "/api/ticket_reply.php", &reply).await;
        assert_eq!(answer.expect(201)["reply_id"], 13);

        // Mallory's ticket answers the real app's view to Ann (the name matches): still not hers.
        proxy.view(42, ANN).await.expect_error(404, "not_found");
        let before = app.scripts().len();
        let reply = json!({"ticket_id": 42, "message": "mine?"});
        proxy
            .post_as(ANN, "/api/ticket_reply.php", &reply)
            .await
            .expect_error(404, "not_found");
        assert!(
            !app.scripts()[before..]
                .iter()
                .any(|s| s == "ticket_reply.php"),
            "nothing was sent on a foreign ticket's behalf: {:?}",
            app.scripts()
        );
    }
}

#[tokio::test]
async fn a_guest_files_finds_reads_and_answers_their_ticket() {
    let (_app, proxy) = proxy_before_real_app(Host::Current).await;
    let ticket = json!({
        "subject": "Where is my order?", "message": "Ordered Tuesday", "user_email": ANN,
        "name": "Ann", "priority": "high", "category_id": 2,
        "custom_fields": {"10": "ORD-1001", "2": "Pro"}
    });
    let created = proxy
        .post("/api/tickets_create.php", &ticket)
        .await
        .expect(201);
    assert_eq!(created["ticket_id"], 41);
    let pass = created["guest_pass"].as_str().expect("a pass").to_owned();
    let with_pass = [("X-Helpdock-Guest-Pass", pass.as_str())];

    let list = proxy
        .send_with(Method::GET, "/api/tickets_list.php", None, &with_pass)
        .await;
    assert_eq!(ids(&list.expect(200)), [41]);
    let view = proxy
        .send_with(
            Method::GET,
            "/api/ticket_view.php?ticket_id=41",
            None,
            &with_pass,
        )
        .await;
    assert_eq!(view.expect(200)["ticket"]["id"], 41);
    assert_allowlisted(&view.body);
    let reply = json!({"ticket_id": 41, "message": "Any news?"});
    let answer = proxy
        .send_with(
            Method::POST,
            "/api/ticket_reply.php",
            Some(&reply),
            &with_pass,
        )
        .await;
    assert_eq!(answer.expect(201)["reply_id"], 13);
}

#[tokio::test]
async fn the_real_apps_refusals_become_our_errors() {
    let (_app, proxy) = proxy_before_real_app(Host::OldPdo).await;
    // The helpdesk's own check of a required custom field, reported next to that field.
    let ticket =
        json!({"subject": "s", "message": "m", "user_email": ANN, "custom_fields": {"10": "X-1"}});
    let body = proxy
        .post("/api/tickets_create.php", &ticket)
        .await
        .expect_error(422, "invalid_input");
    assert!(
        body["field_errors"].get("custom_fields.10").is_some(),
        "{body}"
    );
    proxy.view(7, ANN).await.expect_error(404, "not_found");
    // The lookups, decoded from the verbatim lists.
    let categories = proxy.get("/api/ticket_categories.php").await.expect(200);
    assert_eq!(
        categories,
        json!({"categories": [{"id": 1, "name": "Billing"}, {"id": 2, "name": "Shipping"}]})
    );
    let fields = proxy.get("/api/ticket_custom_fields.php").await.expect(200);
    let options = &fields["fields"][1]["options"];
    assert_eq!(
        (fields["fields"][0]["required"].clone(), options.clone()),
        (json!(true), json!(["Starter", "Pro", "Enterprise"]))
    );
}

/// The JSON type of a value, for comparing shapes.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `ours` has every key of `real` at the same position and of the same type (null standing for
/// any type, since the page calls those columns nullable); extra keys may follow.
fn assert_same_shape(what: &str, real: &Value, ours: &Value) {
    let (Some(real), Some(ours)) = (real.as_object(), ours.as_object()) else {
        panic!("{what}: not objects: {real} / {ours}");
    };
    let real_keys: Vec<&String> = real.keys().collect();
    let our_keys: Vec<&String> = ours.keys().take(real_keys.len()).collect();
    assert_eq!(our_keys, real_keys, "{what}: columns and their order");
    for (key, value) in real {
        let (a, b) = (kind(value), kind(&ours[key]));
        assert!(
            a == b || a == "null" || b == "null",
            "{what}.{key}: real {a}, ours {b}"
        );
    }
}

async fn json_of(request: reqwest::RequestBuilder) -> Value {
    let response = request.send().await.expect("send");
    response.json().await.expect("json")
}

fn first(list: &Value) -> &Value {
    list.as_array()
        .and_then(|l| l.first())
        .unwrap_or(&Value::Null)
}

#[tokio::test]
async fn the_reference_helpdesk_answers_in_the_real_apps_shapes() {
    let helpdesk = Helpdesk::open_with(None, TOKEN.to_owned(), Quirks::default()).expect("open");
    let mut ticket = SeedTicket::new("Where is my order?", "m", ANN);
    ticket.name = Some("Ann".to_owned());
    ticket.category_id = Some(reference_helpdesk::CategoryId(2));
    ticket.assigned_to = Some(reference_helpdesk::UserId(1));
    let id = helpdesk.seed_ticket(ticket).expect("seed").0.to_string();
    helpdesk
        .add_reply_as(
            reference_helpdesk::TicketId(id.parse().expect("id")),
            ANN,
            "Any news?",
        )
        .expect("reply");
    let addr = serve_router(helpdesk.router()).await;
    let client = reqwest::Client::new();
    let call = |script: &str, form: Vec<(&str, String)>| {
        let request = client
            .post(format!("http://{addr}/api/{script}"))
            .bearer_auth(TOKEN)
            .form(&form);
        json_of(request)
    };
    let real = |text: &str| serde_json::from_str::<Value>(text).expect("sample");
    let email = || ("user_email", ANN.to_owned());

    let list = call("tickets_list.php", vec![email()]).await;
    assert_same_shape(
        "list row",
        first(&real(LIST)["tickets"]),
        first(&list["tickets"]),
    );
    let view = call("ticket_view.php", vec![("ticket_id", id.clone()), email()]).await;
    let real_view = real(VIEW_41);
    // The real app's own columns (the sample's last three are that install's own).
    let mut row = real_view["ticket"].clone();
    for own in ["assigned_to", "internal_note", "sla_breached"] {
        row.as_object_mut().map(|r| r.remove(own));
    }
    assert_same_shape("ticket row", &row, &view["ticket"]);
    assert_same_shape(
        "reply row",
        first(&real_view["replies"]),
        first(&view["replies"]),
    );
    assert_same_shape("view", &real_view, &view);
    let real_field = real_view["custom_fields"]["10"].clone();
    assert_same_shape("field value", &real_field, &view["custom_fields"]["1"]);
    let created = call(
        "tickets_create.php",
        vec![
            ("subject", "s".into()),
            ("message", "m".into()),
            email(),
            ("custom_fields", r#"{"1":"x"}"#.into()),
        ],
    )
    .await;
    assert_same_shape("create", &real(CREATED), &created);
    let missing = call(
        "tickets_create.php",
        vec![("subject", "s".into()), ("message", "m".into()), email()],
    )
    .await;
    assert_same_shape("create refused", &real(CREATE_MISSING_FIELD), &missing);
    let replied = call(
        "ticket_reply.php",
        vec![("ticket_id", id.clone()), email(), ("message", "m".into())],
    )
    .await;
    assert_same_shape("reply", &real(REPLIED), &replied);
    let foreign = call(
        "ticket_view.php",
        vec![("ticket_id", id), ("user_email", MALLORY.into())],
    )
    .await;
    assert_eq!(foreign, real(NOT_FOUND));
    let lookup = |script: &str| json_of(client.get(format!("http://{addr}/api/{script}")));
    let categories = lookup("ticket_categories.php").await;
    let real_category = first(&real(CATEGORIES)["categories"]).clone();
    assert_same_shape("category", &real_category, first(&categories["categories"]));
    let fields = lookup("ticket_custom_fields.php").await;
    assert_same_shape(
        "field",
        first(&real(FIELDS)["fields"]),
        first(&fields["fields"]),
    );
}
