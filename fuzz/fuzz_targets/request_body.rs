//! Create and reply bodies, read as the endpoints read them and then validated: the first byte
//! picks the body (even: `NewTicket`, odd: `NewReply`), the rest is the JSON. Never a panic, and
//! a refusal's message is one of ours, whatever was sent (nothing of the input, nor serde's words).
#![no_main]

use helpdock::fuzzing::read_body;
use helpdock_wire::validate::{validate_new_reply, validate_new_ticket};
use helpdock_wire::{CustomFields, NewReply, NewTicket};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

/// The reference helpdesk's seeded fields: a required text and a select.
static FIELDS: LazyLock<CustomFields> = LazyLock::new(|| {
    serde_json::from_str(
        r#"{"fields":[{"id":1,"name":"Order number","type":"text","required":true},
            {"id":2,"name":"Plan","type":"select","required":false,"options":["Starter","Pro"]}]}"#,
    )
    .expect("fields")
});

/// Every message `read_body` may refuse with (routes/extract.rs).
const OURS: [&str; 5] = [
    "The request body is not valid JSON.",
    "The body has a field this endpoint does not take.",
    "This field is given twice.",
    "This field is missing.",
    "This field's value is not one this endpoint takes.",
];

fuzz_target!(|data: &[u8]| {
    let Some((pick, body)) = data.split_first() else {
        return;
    };
    let refusal = if pick % 2 == 0 {
        read_body::<NewTicket>(body).map(|t| validate_new_ticket(&t, Some(&FIELDS)))
    } else {
        read_body::<NewReply>(body).map(|r| validate_new_reply(&r))
    };
    if let Err(refused) = refusal {
        let message = refused.body().message;
        assert!(
            OURS.contains(&message.as_str()),
            "not our wording: {message}"
        );
    }
});
