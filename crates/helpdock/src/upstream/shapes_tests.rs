//! Every quirk of `supportengine-api.md`, decoded and converted.

use super::*;
use serde::de::DeserializeOwned;

fn utc() -> HelpdeskTimeZone {
    HelpdeskTimeZone::default()
}

fn decode<T: DeserializeOwned>(json: &str) -> T {
    match serde_json::from_str(json) {
        Ok(v) => v,
        Err(e) => panic!("{json}: {e}"),
    }
}

#[test]
fn created_ids_arrive_as_strings_or_numbers() {
    for json in [
        r#"{"success":true,"ticket_id":"123"}"#,
        r#"{"success":true,"ticket_id":123}"#,
    ] {
        assert_eq!(
            decode::<CreatedShape>(json).into_wire().ticket_id,
            TicketId(123),
            "{json}"
        );
    }
    for json in [
        r#"{"success":true,"reply_id":"45"}"#,
        r#"{"success":true,"reply_id":45}"#,
    ] {
        assert_eq!(
            decode::<ReplyCreatedShape>(json).into_wire().reply_id,
            ReplyId(45),
            "{json}"
        );
    }
    assert!(serde_json::from_str::<CreatedShape>(r#"{"success":true}"#).is_err());
    assert!(serde_json::from_str::<CreatedShape>(r#"{"ticket_id":"abc"}"#).is_err());
}

#[test]
fn list_rows_with_string_numbers_and_odd_priorities() {
    let json = r#"{"success":true,"tickets":[
        {"id":"9","subject":"Late","status":"open","priority":"HIGH","created_at":"2026-11-01 10:00:00","updated_at":"2026-11-02 09:00:00"},
        {"id":8,"subject":null,"status":"closed","priority":"urgent","created_at":"2026-10-01 10:00:00","updated_at":"2026-10-01 10:00:00"}
    ]}"#;
    let list = decode::<ListShape>(json).into_wire(&utc());
    let rows: Vec<_> = list
        .tickets
        .iter()
        .map(|t| (t.id.0, t.subject.as_str(), t.priority))
        .collect();
    assert_eq!(
        rows,
        [(9, "Late", Priority::High), (8, "", Priority::Medium)]
    );
    assert_eq!(
        list.tickets[0].updated_at.as_deref(),
        Some("2026-11-02T09:00:00Z")
    );
    assert!(
        decode::<ListShape>(r#"{"success":true,"tickets":null}"#)
            .into_wire(&utc())
            .tickets
            .is_empty()
    );
    assert!(
        decode::<ListShape>(r#"{"success":true,"tickets":[]}"#)
            .into_wire(&utc())
            .tickets
            .is_empty()
    );
    assert!(serde_json::from_str::<ListShape>(r#"{"success":true}"#).is_err());
    assert!(serde_json::from_str::<CategoriesShape>(r#"{"success":true}"#).is_err());
    assert!(serde_json::from_str::<FieldsShape>(r#"{"success":true,"categories":[]}"#).is_err());
}

const VIEW: &str = r#"{"success":true,
  "ticket":{"id":"7","email":"ann@example.com","name":"Ann","company":null,"subject":"Where?",
    "message":"<b>hi</b>","status":"open","priority":"low","category_id":"2","internal_note":"vip",
    "created_at":"2026-11-01 10:00:00","updated_at":"2026-11-01 11:00:00"},
  "replies":[
    {"id":"1","ticket_id":"7","user_id":null,"message":"more","attachment":null,"created_at":"2026-11-01 10:05:00"},
    {"id":2,"ticket_id":7,"user_id":"3","message":"On its way","attachment":"a.pdf","created_at":"2026-11-01 11:00:00"},
    {"id":3,"ticket_id":7,"user_id":4,"message":"!","attachment":null,"created_at":"2026-11-01 11:01:00"}],
  "custom_fields":{
    "10":{"name":"Order number","type":"text","required":"1","value":"ORD-1"},
    "2":{"name":"Plan","type":"select","required":0,"value":null},
    "3":{"name":"Colour","type":"radio","required":false,"value":7}}}"#;

#[test]
fn view_is_an_allowlist_with_staff_flags_and_ordered_fields() {
    let thread = decode::<ViewShape>(VIEW).into_wire(&utc());
    assert_eq!(thread.ticket.id, TicketId(7));
    assert_eq!(thread.ticket.category_id, Some(CategoryId(2)));
    assert_eq!(thread.ticket.priority, Priority::Low);
    assert_eq!(
        thread.ticket.message, "<b>hi</b>",
        "text is passed as stored, for the widget to escape"
    );
    let staff: Vec<_> = thread
        .replies
        .iter()
        .map(|r| (r.id.0, r.from_staff))
        .collect();
    assert_eq!(staff, [(1, false), (2, true), (3, true)]);
    // Document order is display order: "10" stays before "2".
    let fields: Vec<_> = thread
        .custom_fields
        .iter()
        .map(|f| (f.id.0, f.kind, f.value.as_deref()))
        .collect();
    assert_eq!(
        fields,
        [
            (10, FieldKind::Text, Some("ORD-1")),
            (2, FieldKind::Select, None),
            (3, FieldKind::Text, Some("7"))
        ]
    );
    let json = serde_json::to_string(&thread).unwrap_or_default();
    for leaked in [
        "ann@example.com",
        "Ann",
        "vip",
        "a.pdf",
        "user_id",
        "attachment",
        "ticket_id",
    ] {
        assert!(!json.contains(leaked), "{leaked} leaked into {json}");
    }
}

#[test]
fn the_owner_is_the_email_column() {
    assert_eq!(decode::<ViewShape>(VIEW).owner_email(), "ann@example.com");
    // `name` is free text the upstream also matches on, and `user_email` is no column of the
    // real app: neither ever names an owner.
    let json = r#"{"success":true,"ticket":{"id":1,"user_email":"ann@example.com",
        "name":"ann@example.com"},"replies":[],"custom_fields":[]}"#;
    assert_eq!(decode::<ViewShape>(json).owner_email(), "");
}

#[test]
fn view_with_php_empty_arrays_and_nulls() {
    let json = r#"{"success":true,"ticket":{"id":1,"subject":"s","message":"m","status":"open",
        "priority":"medium","category_id":null,"created_at":"x","updated_at":"y"},
        "replies":[],"custom_fields":[]}"#;
    let thread = decode::<ViewShape>(json).into_wire(&utc());
    assert!(thread.replies.is_empty() && thread.custom_fields.is_empty());
    // Not a time: the ticket still shows, its times are null rather than a guess.
    assert_eq!(
        (thread.ticket.created_at, thread.ticket.updated_at),
        (None, None)
    );
    assert_eq!(thread.ticket.category_id, None);
    let json = r#"{"success":true,"ticket":{"id":1},"replies":null,"custom_fields":null}"#;
    assert!(
        decode::<ViewShape>(json)
            .into_wire(&utc())
            .custom_fields
            .is_empty()
    );
    let json = r#"{"success":true,"ticket":{"id":1},
        "custom_fields":[{"id":"4","name":"N","type":"number","value":"5"}]}"#;
    assert_eq!(
        decode::<ViewShape>(json).into_wire(&utc()).custom_fields[0].id,
        CustomFieldId(4)
    );
    assert!(
        serde_json::from_str::<ViewShape>(r#"{"ticket":{"id":1},"custom_fields":{"x":{}}}"#)
            .is_err()
    );
}

#[test]
fn categories_drop_the_icon() {
    let json = r#"{"success":true,"categories":[{"id":"1","name":"Billing","icon":"fa-money"},
        {"id":2,"name":"Shipping","icon":null}]}"#;
    let cats = decode::<CategoriesShape>(json).into_wire();
    let rows: Vec<_> = cats
        .categories
        .iter()
        .map(|c| (c.id.0, c.name.as_str()))
        .collect();
    assert_eq!(rows, [(1, "Billing"), (2, "Shipping")]);
    assert!(
        !serde_json::to_string(&cats)
            .unwrap_or_default()
            .contains("icon")
    );
}

#[test]
fn custom_fields_in_every_required_spelling() {
    let json = r#"{"success":true,"fields":[
        {"id":"1","name":"Order number","type":"text","required":"1","possible_values":null},
        {"id":2,"name":"Plan","type":"select","required":0,"possible_values":"Starter, Pro,,Enterprise"},
        {"id":3,"name":"Gift","type":"checkbox","required":true,"possible_values":"x,y"},
        {"id":4,"name":"When","type":"date","required":"0"},
        {"id":5,"name":"Odd","type":"colour","required":1,"possible_values":null},
        {"id":6,"name":"Flag","type":"text","required":false}]}"#;
    let fields = decode::<FieldsShape>(json).into_wire().fields;
    let rows: Vec<_> = fields
        .iter()
        .map(|f| (f.id.0, f.kind, f.required, f.options.len()))
        .collect();
    assert_eq!(
        rows,
        [
            (1, FieldKind::Text, true, 0),
            (2, FieldKind::Select, false, 3),
            (3, FieldKind::Checkbox, true, 0),
            (4, FieldKind::Date, false, 0),
            (5, FieldKind::Text, true, 0),
            (6, FieldKind::Text, false, 0),
        ]
    );
    assert_eq!(fields[1].options, ["Starter", "Pro", "Enterprise"]);
}

#[test]
fn empty_strings_for_optional_numbers_are_none() {
    let json = r#"{"success":true,"ticket":{"id":"1","category_id":""},
        "replies":[{"id":"2","user_id":"","message":"m","created_at":"t"}]}"#;
    let thread = decode::<ViewShape>(json).into_wire(&utc());
    assert_eq!(thread.ticket.category_id, None);
    assert!(!thread.replies[0].from_staff);
}

#[test]
fn times_are_read_in_the_helpdesks_zone_and_sent_as_utc() {
    let berlin = HelpdeskTimeZone::named("Europe/Berlin").expect("zone");
    let thread = decode::<ViewShape>(VIEW).into_wire(&berlin);
    assert_eq!(
        thread.ticket.created_at.as_deref(),
        Some("2026-11-01T09:00:00Z")
    );
    assert_eq!(
        thread.ticket.updated_at.as_deref(),
        Some("2026-11-01T10:00:00Z")
    );
    let replies: Vec<_> = thread
        .replies
        .iter()
        .map(|r| r.created_at.as_deref())
        .collect();
    assert_eq!(
        replies,
        [
            Some("2026-11-01T09:05:00Z"),
            Some("2026-11-01T10:00:00Z"),
            Some("2026-11-01T10:01:00Z")
        ]
    );
    let json = r#"{"success":true,"tickets":[{"id":1,"created_at":null,
        "updated_at":"0000-00-00 00:00:00"}]}"#;
    let list =
        serde_json::to_value(decode::<ListShape>(json).into_wire(&berlin)).unwrap_or_default();
    assert_eq!(list["tickets"][0]["created_at"], serde_json::Value::Null);
    assert_eq!(list["tickets"][0]["updated_at"], serde_json::Value::Null);
}
