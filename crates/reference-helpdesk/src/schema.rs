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
    user_email    TEXT NOT NULL,
    name          TEXT,
    company       TEXT,
    priority      TEXT NOT NULL DEFAULT 'medium',
    status        TEXT NOT NULL DEFAULT 'open',
    category_id   INTEGER,
    assigned_to   INTEGER,
    internal_note TEXT,
    ip_address    TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tickets_user_email ON tickets (user_email);
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

/// Creates the tables if missing and inserts the default rows if missing.
pub(crate) fn migrate_and_seed(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(SCHEMA)?;
    conn.execute_batch(SEED)
}

/// The time as PHP's `date('Y-m-d H:i:s')` writes it: no zone. This stand-in's server clock is
/// UTC whatever the host's zone (like PHP with `date.timezone = UTC`), so the demo's proxy reads
/// it with `helpdesk_timezone = "UTC"` and shows the right times on any machine.
pub(crate) fn now(conn: &Connection) -> rusqlite::Result<String> {
    conn.query_row("SELECT strftime('%Y-%m-%d %H:%M:%S', 'now')", [], |row| {
        row.get(0)
    })
}
