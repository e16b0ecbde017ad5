//! The SupportEngine tables (as far as the API reaches them) and the idempotent default seed.

use rusqlite::Connection;

// `tickets` carries internal columns (assignment, staff note, client IP) because
// `ticket_view.php` returns `SELECT *`: a proxy must strip them, and tests need something to leak.
// `replies.ticket_id` has no foreign key, because `ticket_reply.php` accepts any ticket id.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS categories (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    icon TEXT
);
CREATE TABLE IF NOT EXISTS custom_fields (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    type            TEXT NOT NULL DEFAULT 'text',
    required        INTEGER NOT NULL DEFAULT 0,
    possible_values TEXT,
    active          INTEGER NOT NULL DEFAULT 1,
    display_order   INTEGER NOT NULL DEFAULT 0,
    entity          TEXT NOT NULL DEFAULT 'ticket'
);
CREATE TABLE IF NOT EXISTS users (
    id    INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name  TEXT NOT NULL,
    role  TEXT NOT NULL DEFAULT 'agent'
);
CREATE TABLE IF NOT EXISTS tickets (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    subject       TEXT NOT NULL,
    message       TEXT NOT NULL,
    priority      TEXT NOT NULL DEFAULT 'medium',
    email         TEXT NOT NULL,
    name          TEXT,
    company       TEXT,
    category_id   INTEGER,
    status        TEXT NOT NULL DEFAULT 'open',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    assigned_to   INTEGER,
    internal_note TEXT,
    ip_address    TEXT
);
CREATE INDEX IF NOT EXISTS tickets_email ON tickets (email);
CREATE TABLE IF NOT EXISTS ticket_custom_values (
    ticket_id INTEGER NOT NULL,
    field_id  INTEGER NOT NULL,
    value     TEXT,
    PRIMARY KEY (ticket_id, field_id)
);
CREATE TABLE IF NOT EXISTS replies (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id  INTEGER NOT NULL,
    user_id    INTEGER,
    message    TEXT NOT NULL,
    attachment TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS replies_ticket_id ON replies (ticket_id);
";

// Fixed ids, so re-seeding an existing file changes nothing (`INSERT OR IGNORE`).
const SEED: &str = "
INSERT OR IGNORE INTO categories (id, name, icon) VALUES
    (1, 'Billing', 'credit-card'),
    (2, 'Shipping', 'truck'),
    (3, 'Technical', 'wrench');
INSERT OR IGNORE INTO custom_fields
    (id, name, type, required, possible_values, active, display_order, entity) VALUES
    (1, 'Order number', 'text', 1, NULL, 1, 1, 'ticket'),
    (2, 'Plan', 'select', 0, 'Starter,Pro,Enterprise', 1, 2, 'ticket');
INSERT OR IGNORE INTO users (id, email, name, role) VALUES
    (1, 'agent@helpdesk.example', 'Alex Agent', 'agent');
";

/// The staff account every helpdesk starts with.
pub const SEEDED_STAFF_EMAIL: &str = "agent@helpdesk.example";

/// Creates the tables if missing, brings an older file's tables up to date, and inserts the
/// default rows if missing.
pub(crate) fn migrate_and_seed(conn: &Connection) -> rusqlite::Result<()> {
    rename_owner_column(conn)?;
    conn.execute_batch(SCHEMA)?;
    conn.execute_batch(SEED)
}

/// Files written before the schema followed the real app named the owner's column `user_email`
/// (a demo's data directory outlives an upgrade): renamed in place, rows kept.
fn rename_owner_column(conn: &Connection) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info('tickets')")?;
    let columns = stmt
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if columns.iter().any(|c| c == "user_email") && !columns.iter().any(|c| c == "email") {
        conn.execute_batch(
            "DROP INDEX IF EXISTS tickets_user_email;
             ALTER TABLE tickets RENAME COLUMN user_email TO email;",
        )?;
    }
    Ok(())
}

/// The time as PHP's `date('Y-m-d H:i:s')` writes it: no zone. This stand-in's server clock is
/// UTC whatever the host's zone (like PHP with `date.timezone = UTC`), so the demo's proxy reads
/// it with `helpdesk_timezone = "UTC"` and shows the right times on any machine.
pub(crate) fn now(conn: &Connection) -> rusqlite::Result<String> {
    conn.query_row("SELECT strftime('%Y-%m-%d %H:%M:%S', 'now')", [], |row| {
        row.get(0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_older_file_keeps_its_tickets_under_the_owner_column_email() {
        let conn = Connection::open_in_memory().expect("open");
        conn.execute_batch(
            "CREATE TABLE tickets (id INTEGER PRIMARY KEY AUTOINCREMENT, subject TEXT NOT NULL,
                 message TEXT NOT NULL, user_email TEXT NOT NULL, name TEXT, company TEXT,
                 priority TEXT NOT NULL DEFAULT 'medium', status TEXT NOT NULL DEFAULT 'open',
                 category_id INTEGER, assigned_to INTEGER, internal_note TEXT, ip_address TEXT,
                 created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
             CREATE INDEX tickets_user_email ON tickets (user_email);
             INSERT INTO tickets (subject, message, user_email, created_at, updated_at)
                 VALUES ('Old', 'm', 'ann@example.com', '2026-01-01 00:00:00', '2026-01-01 00:00:00');",
        )
        .expect("old schema");
        migrate_and_seed(&conn).expect("migrate");
        migrate_and_seed(&conn).expect("a second open changes nothing");
        let owner: String = conn
            .query_row("SELECT email FROM tickets WHERE subject = 'Old'", [], |r| {
                r.get(0)
            })
            .expect("row kept");
        assert_eq!(owner, "ann@example.com");
    }
}
