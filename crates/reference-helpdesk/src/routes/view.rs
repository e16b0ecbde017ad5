//! `tickets_list.php` and `ticket_view.php`: the reads, with the upstream's ownership hole.

use super::ScriptInput;
use crate::answer::{Answer, Crash};
use crate::db::{Db, fetch_all};
use serde_json::{Map, Value};

// The hole the proxy must close: `user_email` matches the ticket's email OR its `name`.
const LIST: &str = "SELECT id, subject, status, priority, created_at, updated_at FROM tickets
     WHERE email = ?1 OR name = ?1 ORDER BY updated_at DESC, id DESC";
const TICKET: &str = "SELECT * FROM tickets WHERE id = ?1 AND (email = ?2 OR name = ?2)";
const REPLIES: &str = "SELECT id, ticket_id, user_id, message, attachment, created_at FROM replies
     WHERE ticket_id = ?1 ORDER BY created_at, id";
// Active fields with the ticket's value (null when none), plus retired fields that hold one.
const CUSTOM_FIELDS: &str = "SELECT cf.id, cf.name, cf.type, cf.required, v.value
     FROM custom_fields cf
     LEFT JOIN ticket_custom_values v ON v.field_id = cf.id AND v.ticket_id = ?1
     WHERE cf.entity = 'ticket' AND (cf.active = 1 OR v.value IS NOT NULL)
     ORDER BY cf.display_order, cf.id";

/// `tickets_list.php`: the tickets "of" `user_email`, newest activity first.
pub(super) fn list_tickets(db: &Db, input: &ScriptInput) -> Result<Answer, Crash> {
    if input.params.is_empty("user_email") {
        return Ok(Answer::error("Missing user_email"));
    }
    let email = input.params.text("user_email")?;
    let conn = db.lock();
    let tickets = fetch_all(&mut conn.prepare(LIST)?, [email], db.quirks())?;
    Ok(Answer::success([("tickets", objects(tickets))]))
}

/// `ticket_view.php`: the whole ticket row, its replies and its custom field values.
pub(super) fn view_ticket(db: &Db, input: &ScriptInput) -> Result<Answer, Crash> {
    let params = &input.params;
    if params.any_empty(&["ticket_id", "user_email"]) {
        return Ok(Answer::error("Missing ticket_id or user_email"));
    }
    let id = params.int("ticket_id")?;
    let email = params.text("user_email")?;
    let quirks = db.quirks();
    let conn = db.lock();
    let Some(ticket) = fetch_all(
        &mut conn.prepare(TICKET)?,
        rusqlite::params![id, email],
        quirks,
    )?
    .pop() else {
        return Ok(Answer::error("Ticket not found or no permission"));
    };
    let replies = fetch_all(&mut conn.prepare(REPLIES)?, [id], quirks)?;
    let fields = fetch_all(&mut conn.prepare(CUSTOM_FIELDS)?, [id], quirks)?;
    Ok(Answer::success([
        ("ticket", Value::Object(ticket)),
        ("replies", objects(replies)),
        ("custom_fields", keyed_by_id(fields)),
    ]))
}

fn objects(rows: Vec<Map<String, Value>>) -> Value {
    Value::Array(rows.into_iter().map(Value::Object).collect())
}

/// `$fields[$row['id']] = [...]` over the rows: PHP array keys become JSON object keys (always
/// strings), and an empty PHP array is encoded as a list, `[]`, not as `{}`.
fn keyed_by_id(rows: Vec<Map<String, Value>>) -> Value {
    if rows.is_empty() {
        return Value::Array(Vec::new());
    }
    let fields = rows.into_iter().map(|mut row| {
        // Shifted out, not swapped: the remaining columns keep their order.
        let key = match row.shift_remove("id") {
            Some(Value::String(id)) => id,
            Some(other) => other.to_string(),
            None => String::new(),
        };
        (key, Value::Object(row))
    });
    Value::Object(fields.collect())
}
