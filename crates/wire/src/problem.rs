//! What can be wrong with one field: a kind on the wire, worded by whoever shows it.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// What can be wrong with one field: a stable kind the widget words in the visitor's language,
/// and [`Problem::message`] the English the proxy also sends. On the wire (`field_problems`) a
/// kind is its snake_case name, `TooLong` an object: `"required"`, `{"too_long": {"max": 200}}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// Empty, but it must be filled in.
    Required,
    /// Longer than `max` characters.
    TooLong {
        /// The most characters allowed.
        max: usize,
    },
    /// Not a plausible email address.
    InvalidEmail,
    /// A name that is an email address.
    NameLooksLikeEmail,
    /// A custom field the helpdesk does not have.
    UnknownField,
    /// A category the helpdesk does not have.
    NotACategory,
    /// A select's value that is not one of its options.
    NotAnOption,
    /// A checkbox's value other than ticked (`1`) or not (`0`).
    NotACheckbox,
    /// Not a number.
    NotANumber,
    /// Not a `YYYY-MM-DD` date.
    NotADate,
    /// A kind this build does not know (a newer proxy): shown as the English `field_errors` says.
    #[serde(other)]
    Unknown,
}

impl Problem {
    /// The English the proxy sends for it in `field_errors` (the wire text; never reworded).
    pub fn message(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Problem::Required => "This field is required.",
            Problem::TooLong { max } => return Cow::Owned(format!("At most {max} characters.")),
            Problem::InvalidEmail => "Enter a valid email address.",
            Problem::NameLooksLikeEmail => "Enter a name, not an email address.",
            Problem::UnknownField => "Unknown field.",
            Problem::NotACategory => "Choose one of the categories.",
            Problem::NotAnOption => "Choose one of the options.",
            Problem::NotACheckbox => "Must be ticked or not.",
            Problem::NotANumber => "Enter a number.",
            Problem::NotADate => "Enter a date as YYYY-MM-DD.",
            Problem::Unknown => "This field needs attention.",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_have_stable_wire_names_and_english() {
        let said = [
            (
                Problem::Required,
                r#""required""#,
                "This field is required.",
            ),
            (
                Problem::TooLong { max: 100 },
                r#"{"too_long":{"max":100}}"#,
                "At most 100 characters.",
            ),
            (
                Problem::InvalidEmail,
                r#""invalid_email""#,
                "Enter a valid email address.",
            ),
            (
                Problem::NameLooksLikeEmail,
                r#""name_looks_like_email""#,
                "Enter a name, not an email address.",
            ),
            (
                Problem::UnknownField,
                r#""unknown_field""#,
                "Unknown field.",
            ),
            (
                Problem::NotACategory,
                r#""not_a_category""#,
                "Choose one of the categories.",
            ),
            (
                Problem::NotAnOption,
                r#""not_an_option""#,
                "Choose one of the options.",
            ),
            (
                Problem::NotACheckbox,
                r#""not_a_checkbox""#,
                "Must be ticked or not.",
            ),
            (Problem::NotANumber, r#""not_a_number""#, "Enter a number."),
            (
                Problem::NotADate,
                r#""not_a_date""#,
                "Enter a date as YYYY-MM-DD.",
            ),
        ];
        for (problem, wire, text) in said {
            assert_eq!(problem.message(), text);
            assert_eq!(serde_json::to_string(&problem).unwrap(), wire);
            assert_eq!(serde_json::from_str::<Problem>(wire).unwrap(), problem);
        }
        let later: Problem = serde_json::from_str(r#""too_blue""#).unwrap();
        assert_eq!(later, Problem::Unknown);
    }
}
