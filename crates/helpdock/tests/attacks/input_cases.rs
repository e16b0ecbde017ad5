//! What the upstream never validates: sizes, shapes, values, duplicated parameters, bots.
//! Every refusal here must happen before any write upstream.

use crate::case::{Case, Target::*, no, no_call};
use crate::http::{Body, Req};
use crate::identity_cases::reply;
use crate::world::{ATTACKER, VICTIM, World, key, ticket, ticket_with};
use serde_json::{Value, json};

const CREATE: &str = "/api/tickets_create.php";
const LIST: &str = "/api/tickets_list.php";

const EMAIL: &str = "visitor@example.org";

/// A guest create of `ticket(EMAIL)` with `field` set to `value`.
fn create_with(field: &str, value: Value) -> Req {
    Req::post(CREATE, ticket_with(EMAIL, field, value)).key(&key())
}

/// A create refused as `422 invalid_input` naming `field`, with nothing sent upstream.
fn invalid(name: &'static str, req: Req, field: &str) -> Case {
    Case::new(name, Main, req)
        .expect(422, "invalid_input")
        .field(field)
        .upstream(no("tickets_create.php"))
}

/// A request refused as `400 bad_request` with nothing sent upstream.
fn bad_request(name: &'static str, req: Req) -> Case {
    Case::new(name, Main, req)
        .expect(400, "bad_request")
        .upstream(no_call())
}

/// A request refused as `415 unsupported_media_type` with nothing sent upstream.
fn wrong_type(name: &'static str, req: Req) -> Case {
    Case::new(name, Main, req)
        .expect(415, "unsupported_media_type")
        .upstream(no_call())
}

/// A create of a valid ticket's JSON sent as `content_type`.
fn typed_create(content_type: &'static str) -> Req {
    Req::new("POST", CREATE).key(&key()).body(Body::Raw(
        content_type,
        ticket(EMAIL).to_string().into_bytes(),
    ))
}

/// A create whose JSON body is a valid ticket with `extra` (raw JSON members) inserted first.
fn raw_create(extra: &str) -> Req {
    let mut body = ticket(EMAIL);
    if let Some(fields) = body.as_object_mut() {
        fields.remove("custom_fields");
    }
    let text = body.to_string();
    let body = format!("{{{extra},{}", &text[1..]);
    Req::new("POST", CREATE)
        .key(&key())
        .body(Body::Raw("application/json", body.into_bytes()))
}

/// A refusal worded by us: no type names, positions or expectations of the parser, and nothing
/// of what was sent.
fn plain_refusal(answers: &[crate::http::Answer]) -> Result<(), String> {
    let body = &crate::case::last(answers).body;
    let internals = [
        "NewTicket",
        "ViewQuery",
        "struct",
        "u64",
        "line ",
        "column",
        "expected",
    ];
    match internals
        .iter()
        .chain(["probe"].iter())
        .find(|t| body.contains(*t))
    {
        Some(found) => Err(format!("the refusal shows {found:?}: {body}")),
        None => Ok(()),
    }
}

pub fn cases(w: &World) -> Vec<Case> {
    let victim = w.id(VICTIM);
    let huge = ticket_with(EMAIL, "message", json!("x".repeat(70 * 1024)));
    let mut dup = ticket(EMAIL).to_string();
    dup.insert_str(1, r#""subject":"first","#);
    vec![
        // --- sizes
        Case::new(
            "create_body_over_64k",
            Main,
            Req::post(CREATE, huge.clone()).key(&key()),
        )
        .expect(413, "payload_too_large")
        .upstream(no_call()),
        Case::new(
            "create_chunked_body_over_64k",
            Main,
            Req::post(CREATE, json!({}))
                .key(&key())
                .body(Body::Chunked(huge.to_string().into_bytes())),
        )
        .expect(413, "payload_too_large")
        .upstream(no_call()),
        invalid(
            "create_subject_201_chars",
            create_with("subject", json!("s".repeat(201))),
            "subject",
        ),
        invalid(
            "create_message_10001_chars",
            create_with("message", json!("m".repeat(10_001))),
            "message",
        ),
        invalid(
            "create_name_101_chars",
            create_with("name", json!("n".repeat(101))),
            "name",
        ),
        invalid(
            "create_company_101_chars",
            create_with("company", json!("c".repeat(101))),
            "company",
        ),
        invalid(
            "create_email_255_chars",
            create_with(
                "user_email",
                json!(format!("{}@example.org", "e".repeat(243))),
            ),
            "user_email",
        ),
        invalid(
            "create_custom_value_1001_chars",
            create_with("custom_fields", json!({"1": "v".repeat(1001)})),
            "custom_fields.1",
        ),
        // --- values the upstream would store blindly
        // The upstream matches names as emails: a name that is an address plants a ticket.
        invalid(
            "create_name_is_an_email",
            create_with("name", json!("victim@example.com")),
            "name",
        ),
        invalid(
            "create_email_not_an_email",
            create_with("user_email", json!("not-an-email")),
            "user_email",
        ),
        invalid(
            "create_email_header_injection",
            create_with("user_email", json!("a@b.example\r\nBcc: all@corp.example")),
            "user_email",
        ),
        invalid(
            "create_priority_unknown",
            create_with("priority", json!("urgent")),
            "priority",
        )
        .expect(400, "bad_request"),
        invalid(
            "create_category_unknown",
            create_with("category_id", json!(99)),
            "category_id",
        ),
        invalid(
            "create_custom_field_unknown_id",
            create_with("custom_fields", json!({"1": "ORD-1", "99": "x"})),
            "custom_fields.99",
        ),
        invalid(
            "create_select_option_not_offered",
            create_with("custom_fields", json!({"1": "ORD-1", "2": "Platinum"})),
            "custom_fields.2",
        ),
        invalid(
            "create_required_custom_field_missing",
            create_with("custom_fields", json!({"2": "Pro"})),
            "custom_fields.1",
        ),
        Case::new(
            "create_custom_fields_as_string",
            Main,
            create_with("custom_fields", json!(r#"{"1":"ORD-1"}"#)),
        )
        .expect(400, "bad_request")
        .expect(422, "invalid_input")
        .upstream(no_call()),
        Case::new(
            "create_custom_fields_as_array",
            Main,
            create_with("custom_fields", json!(["ORD-1"])),
        )
        .expect(400, "bad_request")
        .expect(422, "invalid_input")
        .upstream(no_call()),
        // --- shapes
        Case::new(
            "create_mass_assignment_status",
            Main,
            create_with("status", json!("closed")),
        )
        .expect(400, "bad_request")
        .upstream(no_call()),
        Case::new(
            "create_mass_assignment_internal_note",
            Main,
            create_with("internal_note", json!("vip")),
        )
        .expect(400, "bad_request")
        .upstream(no_call()),
        Case::new(
            "create_duplicated_json_key",
            Main,
            Req::new("POST", CREATE)
                .key(&key())
                .body(Body::Raw("application/json", dup.into_bytes())),
        )
        .expect(400, "bad_request")
        .upstream(no_call()),
        // docs/security.md: wrong content types are refused, whatever the bytes.
        wrong_type(
            "create_without_content_type",
            Req::new("POST", CREATE)
                .key(&key())
                .body(Body::Untyped(ticket(EMAIL).to_string().into_bytes())),
        ),
        wrong_type("create_json_as_text_plain", typed_create("text/plain")),
        wrong_type(
            "create_json_suffix_type",
            typed_create("application/vnd.api+json"),
        ),
        wrong_type(
            "create_content_type_twice",
            create_with("subject", json!("Two types")).also("Content-Type", "text/plain"),
        ),
        // One id, two values: which one would the helpdesk store?
        bad_request(
            "create_custom_field_given_twice",
            raw_create(r#""custom_fields":{"1":"ORD-1","1":"ORD-2"}"#),
        )
        .field("custom_fields"),
        bad_request(
            "create_custom_field_id_spelt_twice",
            raw_create(r#""custom_fields":{"1":"ORD-1","01":"ORD-2"}"#),
        )
        .field("custom_fields"),
        // Refusals are ours: no parser internals, no echo of what was sent.
        bad_request(
            "create_refusal_echoes_nothing",
            raw_create(r#""<b>probe</b>":1"#),
        )
        .check(plain_refusal),
        bad_request(
            "create_wrong_type_refusal_names_the_field",
            create_with("category_id", json!("<b>probe</b>")),
        )
        .field("category_id")
        .check(plain_refusal),
        bad_request(
            "view_query_refusal_echoes_nothing",
            Req::get("/api/ticket_view.php?ticket_id=1&%3Cb%3Eprobe%3C%2Fb%3E=1").identity(&victim),
        )
        .check(plain_refusal),
        wrong_type(
            "create_form_encoded_body",
            Req::new("POST", CREATE).key(&key()).body(Body::Raw(
                "application/x-www-form-urlencoded",
                b"subject=a&message=b&user_email=v%40example.org".to_vec(),
            )),
        ),
        Case::new(
            "create_body_not_json",
            Main,
            Req::new("POST", CREATE)
                .key(&key())
                .body(Body::Raw("application/json", b"{\"subject\": ".to_vec())),
        )
        .expect(400, "bad_request")
        .upstream(no_call()),
        Case::new(
            "create_deeply_nested_json",
            Main,
            Req::new("POST", CREATE).key(&key()).body(Body::Raw(
                "application/json",
                format!(
                    r#"{{"subject":"a","message":"b","user_email":"{EMAIL}","custom_fields":{}{}}}"#,
                    "[".repeat(5000),
                    "]".repeat(5000)
                )
                .into_bytes(),
            )),
        )
        .expect(400, "bad_request")
        .upstream(no_call()),
        // --- bots
        Case::new(
            "create_honeypot_filled",
            Main,
            create_with("website", json!("http://spam.example")),
        )
        .expect(422, "spam_suspected")
        .upstream(no_call()),
        Case::new(
            "create_form_sent_too_fast",
            Main,
            create_with("elapsed_ms", json!(300)),
        )
        .expect(422, "spam_suspected")
        .upstream(no_call()),
        // --- replies and query strings
        Case::new(
            "reply_message_10001_chars",
            Main,
            reply(w.seeds.victim, json!({"message": "m".repeat(10_001)})).identity(&victim),
        )
        .expect(422, "invalid_input")
        .field("message")
        .upstream(no("ticket_reply.php")),
        Case::new(
            "reply_message_empty",
            Main,
            reply(w.seeds.victim, json!({"message": "  "})).identity(&victim),
        )
        .expect(422, "invalid_input")
        .field("message")
        .upstream(no("ticket_reply.php")),
        Case::new(
            "reply_ticket_id_sql_text",
            Main,
            reply(0, json!({"ticket_id": "1 OR 1=1"})).identity(&victim),
        )
        .expect(400, "bad_request")
        .expect(422, "invalid_input")
        .upstream(no_call()),
        Case::new(
            "view_ticket_id_sql_text",
            Main,
            Req::get("/api/ticket_view.php?ticket_id=1%20OR%201=1").identity(&victim),
        )
        .expect(400, "bad_request")
        .expect(422, "invalid_input")
        .upstream(no_call()),
        // The helpdesk answers id 0 with an error text: a 502 and an error line for anyone.
        Case::new(
            "view_ticket_id_zero",
            Main,
            Req::get("/api/ticket_view.php?ticket_id=0").identity(&victim),
        )
        .expect(400, "bad_request")
        .field("ticket_id")
        .upstream(no_call()),
        Case::new(
            "reply_ticket_id_zero",
            Main,
            reply(0, json!({"message": "hello"})).identity(&victim),
        )
        .expect(400, "bad_request")
        .field("ticket_id")
        .upstream(no_call()),
        Case::new(
            "view_ticket_id_overflow",
            Main,
            Req::get("/api/ticket_view.php?ticket_id=99999999999999999999999").identity(&victim),
        )
        .expect(400, "bad_request")
        .expect(422, "invalid_input")
        .expect(404, "not_found"),
        Case::new(
            "view_duplicated_ticket_id",
            Main,
            Req::get(&format!(
                "/api/ticket_view.php?ticket_id={}&ticket_id={}",
                w.seeds.attacker, w.seeds.victim
            ))
            .identity(&w.id(ATTACKER)),
        )
        .expect(400, "bad_request")
        .upstream(no_call()),
        Case::new(
            "view_unknown_query_param",
            Main,
            Req::get(&format!(
                "/api/ticket_view.php?ticket_id={}&debug=1",
                w.seeds.victim
            ))
            .identity(&victim),
        )
        .expect(400, "bad_request")
        .upstream(no_call()),
        Case::new(
            "list_duplicated_user_email_param",
            Main,
            Req::get(&format!("{LIST}?user_email={ATTACKER}&user_email={VICTIM}"))
                .identity(&w.id(ATTACKER)),
        )
        .expect(400, "bad_request")
        .upstream(no_call()),
        // Two identity headers: the proxy must not verify one and act on the other.
        Case::new(
            "list_duplicated_identity_header",
            Main,
            Req::get(LIST).identity(&w.id(ATTACKER)).also(
                "X-Helpdock-Identity",
                &crate::sign::header(VICTIM, None, &"00".repeat(32)),
            ),
        )
        .expect(400, "bad_request")
        .upstream(no_call()),
    ]
}
