//! Id newtypes, so a ticket id can never be passed where a reply id is expected.

use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub u64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        // Accepts a number or a numeric string: the upstream sends both (see `lenient`).
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::lenient::u64_from_any(d).map($name)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim().parse().map($name)
            }
        }
    };
}

id_type!(
    /// A ticket's number, as the helpdesk shows it to the visitor.
    TicketId
);
id_type!(
    /// One reply in a ticket's thread.
    ReplyId
);
id_type!(
    /// A ticket category defined by the helpdesk admin.
    CategoryId
);
id_type!(
    /// An admin-defined custom ticket field.
    CustomFieldId
);
