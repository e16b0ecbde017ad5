//! The readers and writers of `json.rs`, on the shapes docs/protocol.md gives, in headless Chromium.

use super::*;
use wasm_bindgen_test::wasm_bindgen_test as test;

fn js(text: &str) -> JsValue {
    parse(text).expect("test JSON")
}

#[test]
fn categories_and_ids_as_numbers_or_strings() {
    let read = categories(&js(
        r#"{"categories":[{"id":1,"name":"Billing"},{"id":"2","name":"Shipping"}]}"#,
    ));
    let want = Categories {
        categories: vec![
            Category {
                id: CategoryId(1),
                name: "Billing".into(),
            },
            Category {
                id: CategoryId(2),
                name: "Shipping".into(),
            },
        ],
    };
    assert_eq!(read, Ok(want));
    assert_eq!(
        categories(&js(r#"{"categories":[]}"#)),
        Ok(Categories::default())
    );
}

#[test]
fn custom_fields_with_unknown_types_and_missing_options() {
    let read = custom_fields(&js(r#"{"fields":[
        {"id":1,"name":"Order","type":"text","required":true,"options":[]},
        {"id":2,"name":"Plan","type":"select","required":false,"options":["A","B"]},
        {"id":3,"name":"Colour","type":"colour-picker","required":0}
    ]}"#))
    .expect("readable");
    let kinds: Vec<_> = read.fields.iter().map(|f| f.kind).collect();
    assert_eq!(kinds, [FieldKind::Text, FieldKind::Select, FieldKind::Text]);
    assert_eq!(read.fields[1].options, ["A", "B"]);
    assert!(read.fields[0].required && !read.fields[2].required);
    assert!(read.fields[2].options.is_empty());
}

#[test]
fn created_answers_with_and_without_a_guest_pass() {
    assert_eq!(
        ticket_created(&js(r#"{"ticket_id":42,"guest_pass":"p.1"}"#)),
        Ok(TicketCreated {
            ticket_id: TicketId(42),
            guest_pass: Some("p.1".into())
        })
    );
    assert_eq!(
        ticket_created(&js(r#"{"ticket_id":42}"#)).map(|c| c.guest_pass),
        Ok(None)
    );
    assert_eq!(
        reply_created(&js(r#"{"reply_id":7}"#)),
        Ok(ReplyCreated {
            reply_id: ReplyId(7)
        })
    );
}

#[test]
fn ticket_list_with_null_times() {
    let read = ticket_list(&js(
        r#"{"tickets":[{"id":42,"subject":"Refund","status":"open",
        "priority":"high","created_at":"2026-11-28T16:44:00Z","updated_at":null}]}"#,
    ));
    assert_eq!(
        read,
        Ok(TicketList {
            tickets: vec![TicketSummary {
                id: TicketId(42),
                subject: "Refund".into(),
                status: "open".into(),
                priority: Priority::High,
                created_at: Some("2026-11-28T16:44:00Z".into()),
                updated_at: None,
            }]
        })
    );
}

#[test]
fn thread_with_replies_and_custom_field_values() {
    let read = ticket_thread(&js(r#"{
        "ticket":{"id":42,"subject":"S","message":"M","status":"open","priority":"low",
                  "category_id":null,"created_at":"2026-11-28T16:44:00Z"},
        "replies":[{"id":1,"message":"Hi","from_staff":true,"created_at":null},
                   {"id":2,"message":"Thanks","from_staff":false}],
        "custom_fields":[{"id":3,"name":"Order","type":"text","value":"ORD-1"},
                         {"id":4,"name":"Gift","type":"checkbox","value":null}]
    }"#))
    .expect("readable");
    assert_eq!(read.ticket.id, TicketId(42));
    assert_eq!(read.ticket.priority, Priority::Low);
    assert_eq!(read.ticket.category_id, None);
    assert_eq!(read.ticket.updated_at, None);
    let staff: Vec<_> = read.replies.iter().map(|r| r.from_staff).collect();
    assert_eq!(staff, [true, false]);
    assert_eq!(read.custom_fields[0].value.as_deref(), Some("ORD-1"));
    assert_eq!(read.custom_fields[1].kind, FieldKind::Checkbox);
    assert_eq!(read.custom_fields[1].value, None);
}

#[test]
fn wrong_types_name_the_field() {
    for (json, field) in [
        (r#"{"categories":{}}"#, "categories"),
        (r#"{"categories":[{"id":-1,"name":"A"}]}"#, "id"),
        (r#"{"categories":[{"id":1.5,"name":"A"}]}"#, "id"),
        (r#"{"categories":[{"id":"x","name":"A"}]}"#, "id"),
        (r#"{"categories":[{"id":1,"name":null}]}"#, "name"),
        (r#"{"categories":[7]}"#, "id"),
        ("[]", "categories"),
        ("null", "categories"),
    ] {
        assert_eq!(categories(&js(json)), Err(Unreadable(field)), "{json}");
    }
    assert_eq!(
        ticket_list(&js(
            r#"{"tickets":[{"id":1,"subject":"S","status":"open","priority":"urgent"}]}"#
        )),
        Err(Unreadable("priority"))
    );
    assert_eq!(
        custom_fields(&js(
            r#"{"fields":[{"id":1,"name":"N","type":"text","required":"yes"}]}"#
        )),
        Err(Unreadable("required"))
    );
    assert_eq!(
        ticket_thread(&js(r#"{"ticket":{},"replies":[],"custom_fields":[]}"#)),
        Err(Unreadable("id"))
    );
    assert_eq!(
        ticket_created(&js(r#"{"ticket_id":1,"guest_pass":5}"#)),
        Err(Unreadable("guest_pass"))
    );
    assert_eq!(parse("<html>"), None);
}

#[test]
fn error_bodies_with_fields_and_unknown_codes() {
    let read = error_body(&js(r#"{"code":"invalid_input","message":"Fix it.",
        "field":"subject","field_errors":{"subject":"Required.","custom_fields.3":"Too long."}}"#));
    let want = ErrorBody {
        code: ErrorCode::InvalidInput,
        message: "Fix it.".into(),
        field: Some("subject".into()),
        field_errors: BTreeMap::from([
            ("custom_fields.3".into(), "Too long.".into()),
            ("subject".into(), "Required.".into()),
        ]),
    };
    assert_eq!(read, Ok(want));
    let later = error_body(&js(r#"{"code":"brand_new","message":"m"}"#)).expect("readable");
    assert_eq!((later.code, later.field), (ErrorCode::Unknown, None));
    for (word, code) in CODES {
        let body = js(&format!(r#"{{"code":"{word}","message":"m"}}"#));
        assert_eq!(error_body(&body).map(|b| b.code), Ok(code), "{word}");
    }
    assert!(error_body(&js(r#"{"message":"m"}"#)).is_err());
    assert!(
        error_body(&js(
            r#"{"code":"internal","message":"m","field_errors":{"a":1}}"#
        ))
        .is_err()
    );
}

#[test]
fn codes_are_spelled_as_the_wire_crate_spells_them() {
    for (word, code) in CODES {
        assert_eq!(serde_json::to_value(code).expect("a code"), word);
    }
}

#[test]
fn new_ticket_bodies_match_serde_json() {
    let mut ticket = NewTicket {
        subject: "S".into(),
        message: "M\n\"quoted\"".into(),
        user_email: "a@example.com".into(),
        name: Some("Ann".into()),
        priority: Priority::High,
        category_id: Some(CategoryId(2)),
        elapsed_ms: Some(4200),
        ..Default::default()
    };
    ticket
        .custom_fields
        .insert(CustomFieldId(1), "ORD-1".into());
    ticket.custom_fields.insert(CustomFieldId(10), "1".into());
    let minimal = NewTicket {
        subject: "S".into(),
        message: "M".into(),
        ..Default::default()
    };
    for ticket in [ticket, minimal] {
        let written = stringify(&new_ticket(&ticket)).expect("JSON");
        let read: serde_json::Value = serde_json::from_str(&written).expect("JSON");
        assert_eq!(
            read,
            serde_json::to_value(&ticket).expect("JSON"),
            "{written}"
        );
    }
}

#[test]
fn new_reply_bodies_match_serde_json() {
    let reply = NewReply {
        ticket_id: TicketId(42),
        user_email: String::new(),
        message: "Thanks".into(),
    };
    let written = stringify(&new_reply(&reply)).expect("JSON");
    assert_eq!(written, serde_json::to_string(&reply).expect("JSON"));
}
