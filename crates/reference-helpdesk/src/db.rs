//! The SQLite connection, shared behind a mutex, and rows rendered as PDO would fetch them.

use crate::error::HelpdeskError;
use crate::quirks::Quirks;
use crate::schema;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, Params, Row, Statement};
use serde_json::{Map, Value};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// One connection; every statement is short, so a mutex is all the concurrency needed.
#[derive(Debug)]
pub(crate) struct Db {
    conn: Mutex<Connection>,
    quirks: Quirks,
}

impl Db {
    /// Opens (or creates) the file, or an in-memory database for `None`, then migrates and seeds.
    pub(crate) fn open(path: Option<&Path>, quirks: Quirks) -> Result<Self, HelpdeskError> {
        let conn = match path {
            Some(path) => Connection::open(path).map_err(|source| HelpdeskError::Open {
                path: path.to_owned(),
                source,
            })?,
            None => Connection::open_in_memory()?,
        };
        // Another process (a second demo) may hold the file briefly.
        conn.busy_timeout(Duration::from_secs(5))?;
        schema::migrate_and_seed(&conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
            quirks,
        })
    }

    /// The connection, for one short unit of work.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic mid-statement leaves SQLite consistent (an open transaction rolls back on drop),
        // so a poisoned lock is still usable.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// How rows are rendered.
    pub(crate) fn quirks(&self) -> Quirks {
        self.quirks
    }
}

/// Runs `stmt` and renders every row as a JSON object keyed by column name.
pub(crate) fn fetch_all<P: Params>(
    stmt: &mut Statement<'_>,
    params: P,
    quirks: Quirks,
) -> rusqlite::Result<Vec<Map<String, Value>>> {
    stmt.query_map(params, |row| Ok(row_object(row, quirks)))?
        .collect()
}

/// One row as `PDO::FETCH_ASSOC` gives it to `json_encode`: integers are numbers, or strings on
/// hosts whose PDO stringifies everything (`numbers_as_strings`); NULL stays null.
pub(crate) fn row_object(row: &Row<'_>, quirks: Quirks) -> Map<String, Value> {
    let stmt = row.as_ref();
    (0..stmt.column_count())
        .map(|i| {
            let name = stmt
                .column_name(i)
                .map_or_else(|_| i.to_string(), str::to_owned);
            let value = row.get_ref(i).map_or(Value::Null, |v| cell(v, quirks));
            (name, value)
        })
        .collect()
}

fn cell(value: ValueRef<'_>, quirks: Quirks) -> Value {
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) if quirks.numbers_as_strings => Value::String(i.to_string()),
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) if quirks.numbers_as_strings => Value::String(f.to_string()),
        ValueRef::Real(f) => Value::from(f),
        ValueRef::Text(t) | ValueRef::Blob(t) => {
            Value::String(String::from_utf8_lossy(t).into_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(quirks: Quirks) -> Map<String, Value> {
        let db = Db::open(None, quirks).expect("open");
        let conn = db.lock();
        let mut stmt = conn
            .prepare("SELECT 7 AS id, 'x' AS name, NULL AS icon, 1.5 AS score")
            .expect("prepare");
        fetch_all(&mut stmt, [], quirks).expect("query").remove(0)
    }

    #[test]
    fn rows_keep_numbers_by_default() {
        assert_eq!(
            Value::Object(render(Quirks::default())),
            json!({"id": 7, "name": "x", "icon": null, "score": 1.5})
        );
    }

    #[test]
    fn rows_stringify_numbers_on_old_php_hosts() {
        let quirks = Quirks {
            numbers_as_strings: true,
            ..Quirks::default()
        };
        assert_eq!(
            Value::Object(render(quirks)),
            json!({"id": "7", "name": "x", "icon": null, "score": "1.5"})
        );
    }

    #[test]
    fn now_has_php_date_shape() {
        let db = Db::open(None, Quirks::default()).expect("open");
        let now = schema::now(&db.lock()).expect("now");
        let bytes = now.as_bytes();
        assert_eq!(bytes.len(), 19, "{now}");
        for (i, b) in bytes.iter().enumerate() {
            match i {
                4 | 7 => assert_eq!(*b, b'-', "{now}"),
                10 => assert_eq!(*b, b' ', "{now}"),
                13 | 16 => assert_eq!(*b, b':', "{now}"),
                _ => assert!(b.is_ascii_digit(), "{now}"),
            }
        }
    }
}
