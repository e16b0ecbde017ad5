//! What a site's ticket form asks beyond the email, subject, message and the helpdesk's custom
//! fields: the site owner's choice (`[[sites]]` `form` in the proxy's config), served to the
//! widget with the custom fields.

use crate::ids::CategoryId;
use crate::ticket::Priority;
use serde::{Deserialize, Serialize};

/// A field of the ticket form a site may leave out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptionalField {
    /// The visitor's name (a verified visitor's signed name is sent either way).
    Name,
    /// The visitor's company.
    Company,
    /// How urgent the visitor says it is.
    Priority,
    /// One of the helpdesk's categories.
    Category,
}

impl OptionalField {
    /// Every optional field, in the form's order.
    pub const ALL: [OptionalField; 4] = [
        OptionalField::Name,
        OptionalField::Company,
        OptionalField::Priority,
        OptionalField::Category,
    ];

    /// The spelling on the wire and in the config file (`name`, `company`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            OptionalField::Name => "name",
            OptionalField::Company => "company",
            OptionalField::Priority => "priority",
            OptionalField::Category => "category",
        }
    }

    /// Parses the spelling; anything else is `None`.
    pub fn parse(s: &str) -> Option<OptionalField> {
        OptionalField::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// The field of [`crate::NewTicket`] it fills, which also names its errors.
    pub fn key(self) -> &'static str {
        match self {
            OptionalField::Category => "category_id",
            other => other.as_str(),
        }
    }
}

/// A site's ticket form: the optional fields it asks, and what a ticket gets where the visitor
/// was not asked (or chose nothing). Unknown keys from a newer proxy are ignored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketForm {
    /// The optional fields shown, in the form's order; absent: all of them.
    #[serde(default = "all_fields")]
    pub ask: Vec<OptionalField>,
    /// The priority a ticket starts with.
    #[serde(default)]
    pub priority: Priority,
    /// The category a ticket gets unless one is chosen; `None`: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_id: Option<CategoryId>,
}

fn all_fields() -> Vec<OptionalField> {
    OptionalField::ALL.to_vec()
}

impl Default for TicketForm {
    /// Every field asked, medium priority, no category: the form of a site that chose nothing.
    fn default() -> TicketForm {
        TicketForm {
            ask: all_fields(),
            priority: Priority::default(),
            category_id: None,
        }
    }
}

impl TicketForm {
    /// Whether the form shows `field`.
    pub fn asks(&self, field: OptionalField) -> bool {
        self.ask.contains(&field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip() {
        for field in OptionalField::ALL {
            assert_eq!(OptionalField::parse(field.as_str()), Some(field));
            let json = serde_json::to_string(&field).expect("serialize");
            assert_eq!(json, format!("\"{}\"", field.as_str()));
        }
        assert_eq!(OptionalField::parse("phone"), None);
    }

    #[test]
    fn an_absent_form_asks_everything() {
        let form: TicketForm = serde_json::from_str("{}").expect("decode");
        assert_eq!(form, TicketForm::default());
        assert!(OptionalField::ALL.into_iter().all(|f| form.asks(f)));
        let lean: TicketForm =
            serde_json::from_str(r#"{"ask":["name"],"priority":"low","category_id":2,"new":1}"#)
                .expect("decode, ignoring what it does not know");
        assert!(lean.asks(OptionalField::Name) && !lean.asks(OptionalField::Priority));
        assert_eq!(
            (lean.priority, lean.category_id),
            (Priority::Low, Some(CategoryId(2)))
        );
    }
}
