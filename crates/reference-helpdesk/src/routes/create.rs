//! `tickets_create.php`: stores a ticket and its custom field values.

use super::ScriptInput;
use crate::answer::{Answer, Crash};
use crate::db::Db;
use crate::ids::{CategoryId, FieldId};
use crate::params::{Params, php_string};
use crate::seed::{SeedTicket, insert_ticket};
use rusqlite::Connection;
use serde_json::{Map, Value};

/// A defined, active ticket field, as far as create cares.
struct ActiveField {
    id: i64,
    required: bool,
}

/// `tickets_create.php`: validates only presence (of the three fields and required custom fields).
pub(super) fn create_ticket(db: &Db, input: &ScriptInput) -> Result<Answer, Crash> {
    let params = &input.params;
    if params.any_empty(&["subject", "message", "user_email"]) {
        return Ok(Answer::error("Missing required fields"));
    }
    let submitted = submitted_custom_values(params)?;
    let mut conn = db.lock();
    let fields = active_fields(&conn)?;

    let mut values = Vec::new();
    let mut errors = Map::new();
    for field in &fields {
        let key = field.id.to_string();
        let value = submitted.get(&key).map(php_string).transpose()?.flatten();
        if field.required && value.as_deref().is_none_or(|v| v.trim().is_empty()) {
            errors.insert(key, Value::from("This field is required."));
        } else if let Some(value) = value {
            values.push((FieldId(field.id), value));
        }
    }
    if !errors.is_empty() {
        return Ok(Answer::Failure(Map::from_iter([
            (
                "error".to_owned(),
                Value::from("Missing required custom fields"),
            ),
            ("custom_field_errors".to_owned(), Value::Object(errors)),
        ])));
    }

    // The app inserts `subject, message, priority, email`, and `name`, `company`, `category_id`
    // only when `!empty(...)`: NULL otherwise. It writes nothing else (no client address).
    let ticket = SeedTicket {
        name: optional_text(params, "name")?,
        company: optional_text(params, "company")?,
        priority: match params.is_empty("priority") {
            true => "medium".to_owned(),
            false => params.text("priority")?.unwrap_or_default(),
        },
        category_id: params.int("category_id")?.map(CategoryId),
        custom_values: values,
        ..SeedTicket::new(
            &text(params, "subject")?,
            &text(params, "message")?,
            &text(params, "user_email")?,
        )
    };
    let id = insert_ticket(&mut conn, &ticket)?;
    // PDO's lastInsertId() returns a string, and the script echoes it unchanged.
    Ok(Answer::success([(
        "ticket_id",
        Value::String(id.to_string()),
    )]))
}

fn text(params: &Params, key: &str) -> Result<String, Crash> {
    Ok(params.text(key)?.unwrap_or_default())
}

/// `!empty($params[$key]) ? $params[$key] : null`.
fn optional_text(params: &Params, key: &str) -> Result<Option<String>, Crash> {
    match params.is_empty(key) {
        true => Ok(None),
        false => params.text(key),
    }
}

/// `json_decode($params['custom_fields'], true)`: the parameter must be a string holding a JSON
/// object. An array or object in its place (a nested JSON body) is PHP's fatal TypeError; a string
/// that is not a JSON object decodes to nothing.
fn submitted_custom_values(params: &Params) -> Result<Map<String, Value>, Crash> {
    let Some(raw) = params.get("custom_fields") else {
        return Ok(Map::new());
    };
    let text = php_string(raw)?.unwrap_or_default();
    Ok(match serde_json::from_str(&text) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    })
}

fn active_fields(conn: &Connection) -> rusqlite::Result<Vec<ActiveField>> {
    let mut stmt = conn.prepare(
        "SELECT id, required FROM custom_fields WHERE active = 1 AND entity = 'ticket'
         ORDER BY display_order, id",
    )?;
    stmt.query_map([], |row| {
        Ok(ActiveField {
            id: row.get(0)?,
            required: row.get(1)?,
        })
    })?
    .collect()
}
