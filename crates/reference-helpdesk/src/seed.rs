//! Putting rows in directly, for tests that need data no visitor could create through the API:
//! old tickets, foreign tickets, tickets whose `name` is someone's email, staff and their replies.

use crate::error::HelpdeskError;
use crate::helpdesk::Helpdesk;
use crate::ids::{CategoryId, FieldId, ReplyId, TicketId, UserId};
use crate::routes::reply::insert_reply;
use crate::schema::now;
use rusqlite::{Connection, params};

/// A ticket row to insert; [`SeedTicket::new`] fills what `tickets_create.php` would default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedTicket {
    /// The ticket's subject.
    pub subject: String,
    /// The first message of the thread.
    pub message: String,
    /// The owner: the column `email`, where `tickets_create.php` stores the request's
    /// `user_email` (one of the two columns the upstream matches `user_email` against).
    pub email: String,
    /// Free text; the upstream also matches `user_email` against it.
    pub name: Option<String>,
    /// Free text.
    pub company: Option<String>,
    /// Stored as given (`medium` by default); nothing is validated.
    pub priority: String,
    /// Stored as given (`open` by default).
    pub status: String,
    /// Not checked against `categories`.
    pub category_id: Option<CategoryId>,
    /// This install's own column (the app never writes it): the agent the ticket is assigned to.
    pub assigned_to: Option<UserId>,
    /// This install's own column: a staff-only note that `ticket_view.php` leaks.
    pub internal_note: Option<String>,
    /// This install's own column: a client address that `ticket_view.php` leaks.
    pub ip_address: Option<String>,
    /// Values for custom fields, stored as given.
    pub custom_values: Vec<(FieldId, String)>,
    /// `YYYY-MM-DD HH:MM:SS`; `None` = now.
    pub created_at: Option<String>,
    /// `YYYY-MM-DD HH:MM:SS`; `None` = `created_at`.
    pub updated_at: Option<String>,
}

impl SeedTicket {
    /// An open, medium-priority ticket created now, with nothing optional set.
    pub fn new(subject: &str, message: &str, email: &str) -> SeedTicket {
        SeedTicket {
            subject: subject.to_owned(),
            message: message.to_owned(),
            email: email.to_owned(),
            name: None,
            company: None,
            priority: "medium".to_owned(),
            status: "open".to_owned(),
            category_id: None,
            assigned_to: None,
            internal_note: None,
            ip_address: None,
            custom_values: Vec::new(),
            created_at: None,
            updated_at: None,
        }
    }
}

/// A custom field to define; [`SeedField::new`] makes an optional, active one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedField {
    /// The label.
    pub name: String,
    /// `text`, `select`, … or anything else (clients treat unknown types as text).
    pub field_type: String,
    /// Whether `tickets_create.php` insists on a value.
    pub required: bool,
    /// Comma-separated choices for `select`.
    pub possible_values: Option<String>,
    /// Inactive fields are not listed by `ticket_custom_fields.php`.
    pub active: bool,
    /// Position in the list (ascending).
    pub display_order: i64,
}

impl SeedField {
    /// An optional, active field shown after the seeded ones.
    pub fn new(name: &str, field_type: &str) -> SeedField {
        SeedField {
            name: name.to_owned(),
            field_type: field_type.to_owned(),
            required: false,
            possible_values: None,
            active: true,
            display_order: 100,
        }
    }
}

/// Inserts `ticket` and its custom values; shared with `tickets_create.php`.
pub(crate) fn insert_ticket(conn: &mut Connection, ticket: &SeedTicket) -> rusqlite::Result<i64> {
    let tx = conn.transaction()?;
    let created_at = match &ticket.created_at {
        Some(at) => at.clone(),
        None => now(&tx)?,
    };
    let updated_at = ticket.updated_at.as_ref().unwrap_or(&created_at);
    tx.execute(
        "INSERT INTO tickets (subject, message, priority, email, name, company, category_id,
             status, assigned_to, internal_note, ip_address, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            ticket.subject,
            ticket.message,
            ticket.priority,
            ticket.email,
            ticket.name,
            ticket.company,
            ticket.category_id.map(|id| id.0),
            ticket.status,
            ticket.assigned_to.map(|id| id.0),
            ticket.internal_note,
            ticket.ip_address,
            created_at,
            updated_at,
        ],
    )?;
    let id = tx.last_insert_rowid();
    for (field, value) in &ticket.custom_values {
        tx.execute(
            "INSERT OR REPLACE INTO ticket_custom_values (ticket_id, field_id, value) VALUES (?1, ?2, ?3)",
            params![id, field.0, value],
        )?;
    }
    tx.commit()?;
    Ok(id)
}

// Each call holds the database lock for one short statement or transaction; callable from tests
// on any thread, async runtime included.
impl Helpdesk {
    /// Inserts a ticket as is, bypassing the API (no custom-field checks).
    pub fn seed_ticket(&self, ticket: SeedTicket) -> Result<TicketId, HelpdeskError> {
        Ok(TicketId(insert_ticket(&mut self.inner.db.lock(), &ticket)?))
    }

    /// Adds a staff account (or renames an existing one with that email).
    pub fn add_staff_user(&self, email: &str, name: &str) -> Result<UserId, HelpdeskError> {
        let id = self.inner.db.lock().query_row(
            "INSERT INTO users (email, name, role) VALUES (?1, ?2, 'agent')
             ON CONFLICT (email) DO UPDATE SET name = excluded.name RETURNING id",
            params![email, name],
            |row| row.get(0),
        )?;
        Ok(UserId(id))
    }

    /// Replies exactly as `ticket_reply.php` would: staff emails get their `user_id`, the ticket's
    /// `updated_at` moves, and neither the ticket's existence nor its owner is checked.
    pub fn add_reply_as(
        &self,
        ticket: TicketId,
        user_email: &str,
        message: &str,
    ) -> Result<ReplyId, HelpdeskError> {
        let mut conn = self.inner.db.lock();
        Ok(ReplyId(insert_reply(
            &mut conn, ticket.0, user_email, message,
        )?))
    }

    /// Defines a ticket custom field.
    pub fn add_custom_field(&self, field: SeedField) -> Result<FieldId, HelpdeskError> {
        let conn = self.inner.db.lock();
        conn.execute(
            "INSERT INTO custom_fields
                 (name, type, required, possible_values, active, display_order, entity)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'ticket')",
            params![
                field.name,
                field.field_type,
                field.required,
                field.possible_values,
                field.active,
                field.display_order
            ],
        )?;
        Ok(FieldId(conn.last_insert_rowid()))
    }

    /// Adds a ticket category.
    pub fn add_category(
        &self,
        name: &str,
        icon: Option<&str>,
    ) -> Result<CategoryId, HelpdeskError> {
        let conn = self.inner.db.lock();
        conn.execute(
            "INSERT INTO categories (name, icon) VALUES (?1, ?2)",
            params![name, icon],
        )?;
        Ok(CategoryId(conn.last_insert_rowid()))
    }
}
