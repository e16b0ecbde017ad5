//! `ticket_reply.php`: appends a reply, trusting every parameter.

use super::ScriptInput;
use crate::answer::{Answer, Crash};
use crate::db::Db;
use crate::schema::now;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

/// `ticket_reply.php`: neither the ticket's existence nor its owner is checked.
pub(super) fn reply_to_ticket(db: &Db, input: &ScriptInput) -> Result<Answer, Crash> {
    let params = &input.params;
    if params.any_empty(&["ticket_id", "user_email", "message"]) {
        return Ok(Answer::error("Missing required fields"));
    }
    let ticket_id = params.int("ticket_id")?.unwrap_or_default();
    let email = params.text("user_email")?.unwrap_or_default();
    let message = params.text("message")?.unwrap_or_default();
    let id = insert_reply(&mut db.lock(), ticket_id, &email, &message)?;
    // PDO's lastInsertId() is a string.
    Ok(Answer::success([(
        "reply_id",
        Value::String(id.to_string()),
    )]))
}

/// Stores a reply (as staff when `user_email` is a user account's) and bumps the ticket's
/// `updated_at`, which silently touches nothing when the ticket does not exist.
pub(crate) fn insert_reply(
    conn: &mut Connection,
    ticket_id: i64,
    user_email: &str,
    message: &str,
) -> rusqlite::Result<i64> {
    let tx = conn.transaction()?;
    let at = now(&tx)?;
    let user_id: Option<i64> = tx
        .query_row(
            "SELECT id FROM users WHERE email = ?1",
            [user_email],
            |row| row.get(0),
        )
        .optional()?;
    tx.execute(
        "INSERT INTO replies (ticket_id, user_id, message, attachment, created_at)
         VALUES (?1, ?2, ?3, NULL, ?4)",
        params![ticket_id, user_id, message, at],
    )?;
    let id = tx.last_insert_rowid();
    tx.execute(
        "UPDATE tickets SET updated_at = ?1 WHERE id = ?2",
        params![at, ticket_id],
    )?;
    tx.commit()?;
    Ok(id)
}
