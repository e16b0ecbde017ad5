//! `ticket_categories.php` and `ticket_custom_fields.php`: the lookups the form is built from.

use crate::answer::{Answer, Crash};
use crate::db::{Db, fetch_all};
use serde_json::Value;

/// `ticket_categories.php`: every category, sorted by name.
pub(super) fn list_categories(db: &Db) -> Result<Answer, Crash> {
    let rows = query(
        db,
        "SELECT id, name, icon FROM categories ORDER BY name, id",
    )?;
    Ok(Answer::success([("categories", rows)]))
}

/// `ticket_custom_fields.php`: the active ticket fields in display order.
pub(super) fn list_custom_fields(db: &Db) -> Result<Answer, Crash> {
    let rows = query(
        db,
        "SELECT id, name, type, required, possible_values FROM custom_fields
         WHERE active = 1 AND entity = 'ticket' ORDER BY display_order, id",
    )?;
    Ok(Answer::success([("fields", rows)]))
}

fn query(db: &Db, sql: &str) -> Result<Value, Crash> {
    let conn = db.lock();
    let rows = fetch_all(&mut conn.prepare(sql)?, [], db.quirks())?;
    Ok(Value::Array(rows.into_iter().map(Value::Object).collect()))
}
