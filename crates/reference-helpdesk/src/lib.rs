//! The reference helpdesk: SupportEngine's HTTP API (`/api/<script>.php`) on SQLite, reproducing
//! the PHP app's wire quirks and security holes, so Helpdock's proxy can be tested against the
//! real behaviour (see `supportengine-api.md`). It is also the demo's embedded upstream.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let helpdesk = reference_helpdesk::Helpdesk::open(None, "secret".to_owned())?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! reference_helpdesk::serve(listener, helpdesk).await?;
//! # Ok(()) }
//! ```

mod answer;
mod db;
mod error;
mod helpdesk;
mod ids;
mod params;
mod quirks;
mod record;
mod request;
mod routes;
mod schema;
mod seed;

pub use error::HelpdeskError;
pub use helpdesk::Helpdesk;
pub use ids::{CategoryId, FieldId, ReplyId, TicketId, UserId};
pub use quirks::{Fault, Mishap, Quirks, When};
pub use record::{BodyKind, RecordedCall};
pub use schema::SEEDED_STAFF_EMAIL;
pub use seed::{SeedField, SeedTicket};

/// Serves `helpdesk` on `listener` until the task is dropped.
pub async fn serve(listener: tokio::net::TcpListener, helpdesk: Helpdesk) -> std::io::Result<()> {
    axum::serve(listener, helpdesk.router()).await
}
