//! A site's `[sites.form]` table: which optional fields its ticket form asks (served to the
//! widget with the custom fields), and what a ticket gets where the form does not ask.
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
use helpdock_wire::{Categories, CategoryId, NewTicket, OptionalField, Priority};
use serde::Deserialize;

/// A site's ticket form, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteForm {
    /// The optional fields the form shows, as listed.
    pub ask: Vec<OptionalField>,
    /// The priority of every ticket when the form does not ask it.
    pub priority: Priority,
    /// The category of a ticket that names none.
    pub category_id: Option<CategoryId>,
}

impl Default for SiteForm {
    /// Everything asked, medium priority, no category: the form of a site that chose nothing.
    fn default() -> SiteForm {
        SiteForm {
            ask: OptionalField::all(),
            priority: Priority::default(),
            category_id: None,
        }
    }
}

impl SiteForm {
    /// Whether the form shows `field`.
    pub fn asks(&self, field: OptionalField) -> bool {
        self.ask.contains(&field)
    }

    /// Gives `ticket` what the form did not ask: the site's priority (a visitor who was not asked
    /// does not choose one, whatever the request says), and its category when the ticket names
    /// none and the helpdesk has it (a category since removed is left out, and logged).
    pub fn complete(&self, ticket: &mut NewTicket, categories: &Categories) {
        if !self.asks(OptionalField::Priority) {
            ticket.priority = self.priority;
        }
        if ticket.category_id.is_none()
            && let Some(id) = self.category_id
        {
            if categories.categories.iter().any(|c| c.id == id) {
                ticket.category_id = Some(id);
            } else {
                tracing::warn!(
                    category_id = id.0,
                    "[sites.form] category_id names no category of the helpdesk; tickets are filed without one"
                );
            }
        }
    }
}

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
    pub(super) fn check(&self, key: &dyn Fn(&str) -> String) -> Result<SiteForm, ConfigError> {
        let mut form = SiteForm::default();
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

    fn check(toml_text: &str) -> Result<SiteForm, String> {
        let form: FileForm = toml::from_str(toml_text).map_err(|e| e.message().to_owned())?;
        form.check(&|k| format!("sites[0].form.{k}"))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn nothing_set_asks_everything() {
        assert_eq!(check(""), Ok(SiteForm::default()));
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

    #[test]
    fn a_ticket_gets_what_the_form_did_not_ask() {
        let categories: Categories = serde_json::from_value(serde_json::json!({"categories": [
            {"id": 1, "name": "Billing"}, {"id": 2, "name": "Shipping"}
        ]}))
        .expect("categories");
        let lean = check("ask = [\"name\"]\npriority = \"low\"\ncategory_id = 2").expect("valid");
        let mut ticket = NewTicket {
            priority: Priority::High,
            ..NewTicket::default()
        };
        lean.complete(&mut ticket, &categories);
        assert_eq!(
            (ticket.priority, ticket.category_id),
            (Priority::Low, Some(CategoryId(2))),
            "not asked: the site's priority, whatever was sent"
        );

        let asked = check("priority = \"low\"\ncategory_id = 2").expect("valid");
        let mut ticket = NewTicket {
            priority: Priority::High,
            category_id: Some(CategoryId(1)),
            ..NewTicket::default()
        };
        asked.complete(&mut ticket, &categories);
        assert_eq!(
            (ticket.priority, ticket.category_id),
            (Priority::High, Some(CategoryId(1))),
            "asked: the visitor's choice"
        );

        let gone = check("category_id = 9").expect("valid");
        let mut ticket = NewTicket::default();
        gone.complete(&mut ticket, &categories);
        assert_eq!(
            ticket.category_id, None,
            "a category the helpdesk no longer has"
        );
    }
}
