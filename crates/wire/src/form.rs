//! What a site's ticket form asks beyond the email, subject, message and the helpdesk's custom
//! fields: the site owner's choice (`[sites.form]` in the proxy's config), served to the widget
//! with the custom fields ([`crate::CustomFields::ask`]).

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

    /// All of them: what a form asks unless its site says otherwise.
    pub fn all() -> Vec<OptionalField> {
        OptionalField::ALL.to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CustomFields;

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
    fn custom_fields_without_ask_ask_everything() {
        let old: CustomFields = serde_json::from_str(r#"{"fields":[]}"#).expect("decode");
        assert!(OptionalField::ALL.into_iter().all(|f| old.asks(f)));
        let lean: CustomFields =
            serde_json::from_str(r#"{"fields":[],"ask":["name"]}"#).expect("decode");
        assert!(lean.asks(OptionalField::Name) && !lean.asks(OptionalField::Priority));
    }
}
