//! The one error type of the crate's Rust API (HTTP answers never carry it: they mimic PHP).

use std::path::PathBuf;

/// What can go wrong opening, seeding or querying the reference helpdesk.
#[derive(Debug, thiserror::Error)]
pub enum HelpdeskError {
    /// The SQLite file could not be opened or created.
    #[error("cannot open the helpdesk database at {path}")]
    Open {
        /// The file that was asked for.
        path: PathBuf,
        /// SQLite's reason.
        #[source]
        source: rusqlite::Error,
    },
    /// A statement failed (schema, seed or query).
    #[error("helpdesk database error")]
    Database(#[from] rusqlite::Error),
}
