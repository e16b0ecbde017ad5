use super::*;
use helpdock_wire::{CustomFieldId, CustomFields, Priority};
use helpdock_wire::{NewReply, NewTicket, ReplyCreated, TicketId, TicketList, TicketThread};
use wasm_bindgen_test::wasm_bindgen_test as test;

#[test]
async fn answers_read_as_their_type_or_their_refusal() {
    let ok: Result<ReplyCreated, _> = read(r#"{"reply_id":7}"#);
    assert_eq!(ok.map(|r| r.reply_id.0), Ok(7));
    let body = refused(
        422,
        r#"{"code":"invalid_input","message":"Fix.","field":"subject"}"#.into(),
    )
    .await;
    assert_eq!(
        (body.code, body.field.as_deref()),
        (ErrorCode::InvalidInput, Some("subject"))
    );
    // Something in between answered, without an ErrorBody: a 503 is a retryable outage (worded
    // and retried like the helpdesk's, see error_view and sending).
    let body = refused(503, "<html>Service Unavailable</html>".into()).await;
    assert_eq!(body.code, ErrorCode::StateUnavailable);
    assert_eq!(body.message, "The server answered 503.");
    for garbled in ["<html>", r#"{"reply_id":"seven"}"#, r#"{"reply":7}"#] {
        let answer = read::<ReplyCreated>(garbled);
        let Err(ApiError::Rejected(body)) = answer else {
            panic!("{garbled}: {answer:?}");
        };
        assert_eq!(body.code, ErrorCode::Internal, "{garbled}");
    }
    let later = refused(418, r#"{"code":"brand_new","message":"Teapot."}"#.into()).await;
    assert_eq!(later.code, ErrorCode::Unknown);
}

/// What the proxy sends, read by the same derives the proxy wrote it with: ids as numbers or
/// numeric strings, nulls and missing optionals.
#[test]
fn the_wire_types_read_what_the_browser_parsed() {
    let list: TicketList = read(
        r#"{"tickets":[{"id":"12","subject":"S","status":"open","priority":"high",
            "created_at":null}]}"#,
    )
    .expect("list");
    assert_eq!(list.tickets[0].id, TicketId(12));
    assert_eq!(list.tickets[0].priority, Priority::High);
    assert_eq!(list.tickets[0].updated_at, None);
    let thread: TicketThread = read(
        r#"{"ticket":{"id":3,"subject":"S","message":"M","status":"open","priority":"low",
            "category_id":2},"replies":[{"id":9,"message":"Hi","from_staff":true}],
            "custom_fields":[{"id":1,"name":"Plan","type":"select","value":"Pro"}]}"#,
    )
    .expect("thread");
    assert!(thread.replies[0].from_staff);
    assert_eq!(thread.custom_fields[0].value.as_deref(), Some("Pro"));
    let fields: CustomFields = read(
        r#"{"fields":[{"id":2,"name":"Plan","type":"select","required":true,"options":["A"]}]}"#,
    )
    .expect("fields");
    assert!(fields.fields[0].required);
}

#[test]
fn bodies_are_the_json_the_proxy_reads() {
    let mut ticket = NewTicket {
        subject: "S".into(),
        message: "M".into(),
        user_email: "ann@example.com".into(),
        elapsed_ms: Some(4200),
        ..Default::default()
    };
    ticket
        .custom_fields
        .insert(CustomFieldId(1), "ORD-1".into());
    let json = encode(&ticket).expect("encoded");
    assert_eq!(
        json,
        r#"{"subject":"S","message":"M","user_email":"ann@example.com","priority":"medium","custom_fields":{"1":"ORD-1"},"elapsed_ms":4200}"#
    );
    let reply = NewReply {
        ticket_id: TicketId(5),
        message: "Thanks".into(),
        ..Default::default()
    };
    assert_eq!(
        encode(&reply).as_deref(),
        Ok(r#"{"ticket_id":5,"message":"Thanks"}"#)
    );
}

#[test]
fn findings_prefer_kinds_and_keep_other_text() {
    let body: ErrorBody = serde_json::from_str(
        r#"{"code":"invalid_input","message":"Some fields need attention.","field":"subject",
            "field_errors":{"subject":"At most 200 characters.","custom_fields.2":"Bad plan.",
                "name":"Something new."},
            "field_problems":{"subject":{"too_long":{"max":200}},"name":"something_new"}}"#,
    )
    .expect("body");
    let findings = ApiError::Rejected(body).findings();
    assert_eq!(
        findings.get("subject"),
        Some(&Finding::Problem(Problem::TooLong { max: 200 }))
    );
    assert_eq!(
        findings.get("custom_fields.2"),
        Some(&Finding::Said("Bad plan.".into()))
    );
    assert_eq!(
        findings.get("name"),
        Some(&Finding::Said("Something new.".into()))
    );
    let mut bad_id = ErrorBody::new(ErrorCode::BadRequest, "Ticket ids start at 1.");
    bad_id.field = Some("ticket_id".into());
    assert_eq!(
        ApiError::Rejected(bad_id).findings().get("ticket_id"),
        Some(&Finding::Said("Ticket ids start at 1.".into()))
    );
    assert!(ApiError::Network.findings().is_empty());
}

#[test]
fn decimals() {
    assert_eq!(
        [decimal(0), decimal(7), decimal(1234567890)],
        ["0", "7", "1234567890"]
    );
}
