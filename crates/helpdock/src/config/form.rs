//! A site's `[sites.form]` table: which optional fields its ticket form asks, and their defaults.
//!
//! ```toml
//! [[sites]]
//! id = "shop"
//! # …
//! [sites.form]
//! ask = ["name"]      # of name, company, priority, category; absent: all four
//! priority = "low"    # what a ticket starts with: low, medium (default) or high
//! category_id = 2     # the category a ticket gets unless the visitor chooses one
//! ```

use super::ConfigError;
use helpdock_wire::{CategoryId, OptionalField, Priority, TicketForm};
use serde::Deserialize;

/// The table as written; checked by [`FileForm::check`].
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileForm {
    ask: Option<Vec<String>>,
    priority: Option<String>,
    category_id: Option<u64>,
}

impl FileForm {
    /// The form, or an error naming the key (`key("ask[1]")`) at fault.
    pub(super) fn check(&self, key: &dyn Fn(&str) -> String) -> Result<TicketForm, ConfigError> {
        let mut form = TicketForm::default();
        if let Some(ask) = &self.ask {
            form.ask.clear();
            for (i, word) in ask.iter().enumerate() {
                let invalid = |message: String| ConfigError::Invalid {
                    key: key(&format!("ask[{i}]")),
                    message,
                };
                let names = OptionalField::ALL.map(OptionalField::as_str).join(", ");
                let field = OptionalField::parse(word.trim())
                    .ok_or_else(|| invalid(format!("{word:?} is not one of {names}")))?;
                if form.asks(field) {
                    return Err(invalid(format!("{word:?} is listed twice")));
                }
                form.ask.push(field);
            }
        }
        if let Some(word) = &self.priority {
            form.priority = Priority::parse(word.trim()).ok_or_else(|| ConfigError::Invalid {
                key: key("priority"),
                message: format!("{word:?} is not one of low, medium, high"),
            })?;
        }
        form.category_id = match self.category_id {
            Some(0) => {
                return Err(ConfigError::Invalid {
                    key: key("category_id"),
                    message: "must be a category's id (1 or more)".into(),
                });
            }
            id => id.map(CategoryId),
        };
        Ok(form)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(toml_text: &str) -> Result<TicketForm, String> {
        let form: FileForm = toml::from_str(toml_text).map_err(|e| e.message().to_owned())?;
        form.check(&|k| format!("sites[0].form.{k}"))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn nothing_set_asks_everything() {
        assert_eq!(check(""), Ok(TicketForm::default()));
    }

    #[test]
    fn a_lean_form_with_defaults() {
        let form = check("ask = [\"name\", \"category\"]\npriority = \"low\"\ncategory_id = 2\n")
            .expect("valid");
        assert_eq!(
            form.ask,
            [OptionalField::Name, OptionalField::Category].to_vec()
        );
        assert_eq!(
            (form.priority, form.category_id),
            (Priority::Low, Some(CategoryId(2)))
        );
        assert_eq!(check("ask = []").map(|f| f.ask.len()), Ok(0));
    }

    #[test]
    fn mistakes_name_their_key() {
        for (text, key) in [
            ("ask = [\"name\", \"phone\"]", "sites[0].form.ask[1]"),
            ("ask = [\"name\", \"name\"]", "sites[0].form.ask[1]"),
            ("priority = \"urgent\"", "sites[0].form.priority"),
            ("category_id = 0", "sites[0].form.category_id"),
        ] {
            let error = check(text).expect_err(text);
            assert!(error.starts_with(key), "{text}: {error}");
        }
        assert!(check("fields = []").is_err(), "unknown keys are refused");
    }
}
