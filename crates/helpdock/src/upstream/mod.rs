//! The SupportEngine API, spoken only here. Callers get wire types or an [`ApiError`]; the PHP
//! shapes and wording stay inside this module.

mod client;
#[cfg(feature = "fuzzing")]
pub(crate) mod fuzzing;
mod pool;
mod shapes;
mod time;
mod transport;
mod wire;

pub use client::{Upstream, UpstreamConfig};
pub use time::HelpdeskTimeZone;

use crate::error::ApiError;
use client::Params;
use helpdock_wire::validate::{FieldProblems, Problem, custom_field_key};
use helpdock_wire::{
    Categories, CustomFields, NewReply, NewTicket, ReplyCreated, TicketCreated, TicketId,
    TicketList, TicketThread,
};
use std::collections::BTreeMap;

/// A ticket as `ticket_view.php` shows it, with the row's own email kept out of the thread.
#[derive(Clone, Debug)]
pub struct ViewedTicket {
    /// The ticket row's `email` column (the owner), as stored (not normalised).
    pub owner_email: String,
    /// What the visitor may see.
    pub thread: TicketThread,
}

/// What went wrong talking to the helpdesk.
#[derive(Debug)]
pub(crate) enum UpstreamError {
    /// No answer within the configured timeout.
    Timeout,
    /// No connection, or it broke before the answer was whole.
    Unreachable(String),
    /// An HTTP 5xx (a PHP crash, a gateway's error page).
    ServerError(String),
    /// An answer we cannot use: a 4xx, HTML, JSON without `success`, the wrong shape.
    Unavailable(String),
    /// `success:false` with its (opaque) error text and any per-field errors.
    Rejected {
        error: String,
        custom_field_errors: BTreeMap<u64, String>,
    },
}

impl UpstreamError {
    /// Names the script in a failure's cause, for the log.
    fn context(self, script: &str) -> UpstreamError {
        match self {
            UpstreamError::Unavailable(cause) => {
                UpstreamError::Unavailable(format!("{script}: {cause}"))
            }
            UpstreamError::ServerError(cause) => {
                UpstreamError::ServerError(format!("{script}: {cause}"))
            }
            other => other,
        }
    }

    /// The failure's label in `helpdock_upstream_calls_total` (docs/operations.md).
    fn outcome(&self) -> &'static str {
        match self {
            UpstreamError::Timeout => "timeout",
            UpstreamError::Unreachable(_) => "unreachable",
            UpstreamError::ServerError(_) => "5xx",
            UpstreamError::Unavailable(_) => "unusable",
            UpstreamError::Rejected { .. } => "rejected",
        }
    }
}

/// The one application error text the proxy acts on; all other texts are opaque.
const NOT_FOUND_TEXT: &str = "Ticket not found or no permission";

/// The error texts supportengine-api.md documents: only these are logged as they are.
const DOCUMENTED_TEXTS: [&str; 5] = [
    "Missing required fields",
    "Missing user_email",
    "Missing ticket_id or user_email",
    NOT_FOUND_TEXT,
    "Missing required custom fields",
];

/// A refusal's text for the log: a documented text as it is, any other by length and hash (an
/// unknown helpdesk could word anything, a visitor's email included).
fn loggable(error: &str) -> String {
    let error = error.trim();
    match DOCUMENTED_TEXTS.contains(&error) {
        true => format!("{error:?}"),
        false => format!(
            "an undocumented text ({})",
            client::fingerprint(error.as_bytes())
        ),
    }
}

impl From<UpstreamError> for ApiError {
    fn from(err: UpstreamError) -> ApiError {
        match err {
            UpstreamError::Timeout => ApiError::UpstreamTimeout,
            UpstreamError::Unavailable(cause)
            | UpstreamError::ServerError(cause)
            | UpstreamError::Unreachable(cause) => ApiError::UpstreamUnavailable(cause),
            UpstreamError::Rejected {
                custom_field_errors,
                ..
            } if !custom_field_errors.is_empty() => {
                // The helpdesk only ever reports a missing required value here.
                let errors: FieldProblems = custom_field_errors
                    .into_keys()
                    .map(|id| (custom_field_key(id), Problem::Required))
                    .collect();
                ApiError::InvalidInput(errors)
            }
            UpstreamError::Rejected { error, .. } if error.trim() == NOT_FOUND_TEXT => {
                ApiError::NotFound
            }
            // We validated first, so any other refusal means the helpdesk and we disagree.
            UpstreamError::Rejected { error, .. } => ApiError::UpstreamUnavailable(format!(
                "helpdesk refused the request: {}",
                loggable(&error)
            )),
        }
    }
}

impl Upstream {
    /// `tickets_create.php`: files a ticket; `custom_fields` travels as a JSON *string*.
    pub async fn create_ticket(&self, ticket: &NewTicket) -> Result<TicketCreated, ApiError> {
        let mut form = vec![
            ("subject", ticket.subject.trim().to_owned()),
            ("message", ticket.message.clone()),
            ("user_email", ticket.user_email.clone()),
            ("priority", ticket.priority.as_str().to_owned()),
        ];
        for (key, value) in [("name", &ticket.name), ("company", &ticket.company)] {
            if let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                form.push((key, value.to_owned()));
            }
        }
        if let Some(category) = ticket.category_id {
            form.push(("category_id", category.to_string()));
        }
        if !ticket.custom_fields.is_empty() {
            // Sent as a nested object the PHP script crashes (500, empty body): it wants a string.
            let values: BTreeMap<String, &str> = ticket
                .custom_fields
                .iter()
                .map(|(id, v)| (id.to_string(), v.trim()))
                .collect();
            let json = serde_json::to_string(&values).map_err(|e| {
                ApiError::UpstreamUnavailable(format!("encoding custom_fields: {e}"))
            })?;
            form.push(("custom_fields", json));
        }
        let shape: shapes::CreatedShape =
            self.call("tickets_create.php", Params::Form(&form)).await?;
        Ok(shape.into_wire())
    }

    /// `tickets_list.php`: the tickets filed with `user_email` (sent as a form, keeping the email
    /// out of the helpdesk's access log).
    pub async fn list_tickets(&self, user_email: &str) -> Result<TicketList, ApiError> {
        let form = [("user_email", user_email.to_owned())];
        let shape: shapes::ListShape = self.call("tickets_list.php", Params::Form(&form)).await?;
        Ok(shape.into_wire(self.time_zone()))
    }

    /// `ticket_view.php`: one ticket, its replies and custom field values, and whose it is.
    ///
    /// The helpdesk answers when `user_email` is the ticket's email *or its name*: callers must
    /// compare [`ViewedTicket::owner_email`] themselves (see `ownership`).
    pub async fn view_ticket(
        &self,
        ticket_id: TicketId,
        user_email: &str,
    ) -> Result<ViewedTicket, ApiError> {
        let form = [
            ("ticket_id", ticket_id.to_string()),
            ("user_email", user_email.to_owned()),
        ];
        let shape: shapes::ViewShape = self.call("ticket_view.php", Params::Form(&form)).await?;
        Ok(ViewedTicket {
            owner_email: shape.owner_email().to_owned(),
            thread: shape.into_wire(self.time_zone()),
        })
    }

    /// `ticket_reply.php`: adds the visitor's reply to a ticket.
    pub async fn create_reply(&self, reply: &NewReply) -> Result<ReplyCreated, ApiError> {
        let form = [
            ("ticket_id", reply.ticket_id.to_string()),
            ("user_email", reply.user_email.clone()),
            ("message", reply.message.clone()),
        ];
        let shape: shapes::ReplyCreatedShape =
            self.call("ticket_reply.php", Params::Form(&form)).await?;
        Ok(shape.into_wire())
    }

    /// Whether the helpdesk answers our token: `ticket_view.php` without parameters, which the
    /// PHP app refuses after checking the token and before reading any table (the catalog
    /// scripts would not do: they check no token).
    pub async fn check_token(&self) -> Result<(), ApiError> {
        match self
            .call::<serde_json::Value>("ticket_view.php", Params::Form(&[]))
            .await
        {
            Ok(_) | Err(UpstreamError::Rejected { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// `ticket_categories.php`: categories sorted by name.
    pub async fn categories(&self) -> Result<Categories, ApiError> {
        let shape: shapes::CategoriesShape =
            self.call("ticket_categories.php", Params::None).await?;
        Ok(shape.into_wire())
    }

    /// `ticket_custom_fields.php`: the active ticket fields in display order.
    pub async fn custom_fields(&self) -> Result<CustomFields, ApiError> {
        let shape: shapes::FieldsShape =
            self.call("ticket_custom_fields.php", Params::None).await?;
        Ok(shape.into_wire())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use helpdock_wire::ErrorCode;

    fn rejected(error: &str, fields: &[(u64, &str)]) -> ApiError {
        let custom_field_errors = fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
        ApiError::from(UpstreamError::Rejected {
            error: error.into(),
            custom_field_errors,
        })
    }

    #[test]
    fn rejections_map_to_our_errors() {
        assert!(matches!(
            rejected("Ticket not found or no permission", &[]),
            ApiError::NotFound
        ));
        assert!(matches!(
            rejected("Missing user_email", &[]),
            ApiError::UpstreamUnavailable(cause) if cause.ends_with("\"Missing user_email\"")
        ));
        assert!(matches!(
            rejected("No ticket for ann@example.com", &[]),
            ApiError::UpstreamUnavailable(cause) if !cause.contains("ann@") && cause.contains("sha256")
        ));
        assert!(matches!(
            ApiError::from(UpstreamError::Timeout),
            ApiError::UpstreamTimeout
        ));
        let body = rejected(
            "Missing required custom fields",
            &[(2, "<b>Pflichtfeld</b> in /var/www")],
        )
        .body();
        assert_eq!(body.code, ErrorCode::InvalidInput);
        assert_eq!(body.field.as_deref(), Some("custom_fields.2"));
        assert_eq!(
            body.field_errors.get("custom_fields.2").map(String::as_str),
            Some("This field is required.")
        );
    }
}
