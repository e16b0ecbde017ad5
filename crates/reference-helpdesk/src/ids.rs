//! Id newtypes for the seeding API, so a reply id can never be passed where a ticket id is expected.
//!
//! They are `i64` because that is SQLite's rowid; the PHP shapes on the wire are built from rows.

use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A row of `tickets`.
    TicketId
);
id_type!(
    /// A row of `replies`.
    ReplyId
);
id_type!(
    /// A staff account in `users`.
    UserId
);
id_type!(
    /// A row of `custom_fields`.
    FieldId
);
id_type!(
    /// A row of `categories`.
    CategoryId
);
