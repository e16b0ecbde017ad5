//! The PHP app's JSON, read leniently and converted by hand into wire types. Nothing here leaves
//! this module except through the `into_wire` conversions, so no upstream quirk reaches a browser.

use super::client::Succeeded;
use super::time::HelpdeskTimeZone;
use helpdock_wire::lenient::{bool_from_any, opt_string, opt_u64_from_any, string_or_null};
use helpdock_wire::{
    Categories, Category, CategoryId, CustomField, CustomFieldId, CustomFieldValue, CustomFields,
    FieldKind, Priority, Reply, ReplyCreated, ReplyId, TicketCreated, TicketDetail, TicketId,
    TicketList, TicketSummary, TicketThread,
};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// Every answer shape reads its own `success`.
macro_rules! succeeded {
    ($($shape:ty),*) => {
        $(impl Succeeded for $shape {
            fn succeeded(&self) -> bool {
                self.success
            }
        })*
    };
}
succeeded!(
    CreatedShape,
    ReplyCreatedShape,
    ListShape,
    ViewShape,
    CategoriesShape,
    FieldsShape
);

/// `tickets_create.php`: `{"ticket_id":"123"}` (a string, whatever the docs say).
#[derive(Deserialize)]
pub(super) struct CreatedShape {
    /// Read with the rest: the usual answer is decoded in one pass (`client::Succeeded`).
    #[serde(default, deserialize_with = "bool_from_any")]
    success: bool,
    ticket_id: TicketId,
}

impl CreatedShape {
    pub(super) fn into_wire(self) -> TicketCreated {
        TicketCreated {
            ticket_id: self.ticket_id,
            guest_pass: None,
        }
    }
}

/// `ticket_reply.php`: `{"reply_id":"45"}`.
#[derive(Deserialize)]
pub(super) struct ReplyCreatedShape {
    /// Read with the rest: the usual answer is decoded in one pass (`client::Succeeded`).
    #[serde(default, deserialize_with = "bool_from_any")]
    success: bool,
    reply_id: ReplyId,
}

impl ReplyCreatedShape {
    pub(super) fn into_wire(self) -> ReplyCreated {
        ReplyCreated {
            reply_id: self.reply_id,
        }
    }
}

/// `tickets_list.php`.
#[derive(Deserialize)]
pub(super) struct ListShape {
    /// Read with the rest: the usual answer is decoded in one pass (`client::Succeeded`).
    #[serde(default, deserialize_with = "bool_from_any")]
    success: bool,
    // Required: `success:true` without the list is not an answer we can trust.
    #[serde(deserialize_with = "vec_or_null")]
    tickets: Vec<SummaryRow>,
}

#[derive(Deserialize)]
struct SummaryRow {
    id: TicketId,
    #[serde(default, deserialize_with = "string_or_null")]
    subject: String,
    #[serde(default, deserialize_with = "string_or_null")]
    status: String,
    #[serde(default, deserialize_with = "string_or_null")]
    priority: String,
    #[serde(default, deserialize_with = "string_or_null")]
    created_at: String,
    #[serde(default, deserialize_with = "string_or_null")]
    updated_at: String,
}

impl ListShape {
    /// Times are read in `zone`, the helpdesk's.
    pub(super) fn into_wire(self, zone: &HelpdeskTimeZone) -> TicketList {
        let tickets = self
            .tickets
            .into_iter()
            .map(|r| TicketSummary {
                id: r.id,
                subject: r.subject,
                status: r.status,
                priority: priority(&r.priority),
                created_at: zone.to_utc(&r.created_at),
                updated_at: zone.to_utc(&r.updated_at),
            })
            .collect();
        TicketList { tickets }
    }
}

/// `ticket_view.php`: the whole ticket row, its replies, and its custom field values.
#[derive(Deserialize)]
pub(super) struct ViewShape {
    /// Read with the rest: the usual answer is decoded in one pass (`client::Succeeded`).
    #[serde(default, deserialize_with = "bool_from_any")]
    success: bool,
    ticket: TicketRow,
    #[serde(default, deserialize_with = "vec_or_null")]
    replies: Vec<ReplyRow>,
    #[serde(default, deserialize_with = "field_values")]
    custom_fields: Vec<(CustomFieldId, FieldValueRow)>,
}

/// The allowlisted columns of a ticket row (`SELECT * FROM tickets`); every other column (the
/// name, the company, whatever an install added) is never even read, and the owner's email only
/// for the ownership check, never for the browser.
#[derive(Deserialize)]
struct TicketRow {
    id: TicketId,
    // The owner: the app stores the request's `user_email` in the column `email`. Absent or null
    // reads as "": nobody's, so ownership fails closed.
    #[serde(default, deserialize_with = "string_or_null")]
    email: String,
    #[serde(default, deserialize_with = "string_or_null")]
    subject: String,
    #[serde(default, deserialize_with = "string_or_null")]
    message: String,
    #[serde(default, deserialize_with = "string_or_null")]
    status: String,
    #[serde(default, deserialize_with = "string_or_null")]
    priority: String,
    #[serde(default, deserialize_with = "opt_u64_from_any")]
    category_id: Option<u64>,
    #[serde(default, deserialize_with = "string_or_null")]
    created_at: String,
    #[serde(default, deserialize_with = "string_or_null")]
    updated_at: String,
}

#[derive(Deserialize)]
struct ReplyRow {
    id: ReplyId,
    #[serde(default, deserialize_with = "opt_u64_from_any")]
    user_id: Option<u64>,
    #[serde(default, deserialize_with = "string_or_null")]
    message: String,
    #[serde(default, deserialize_with = "string_or_null")]
    created_at: String,
}

#[derive(Deserialize)]
struct FieldValueRow {
    /// Only present when PHP sent the values as a list instead of an id-keyed object.
    #[serde(default)]
    id: Option<CustomFieldId>,
    #[serde(default, deserialize_with = "string_or_null")]
    name: String,
    #[serde(rename = "type", default, deserialize_with = "string_or_null")]
    kind: String,
    #[serde(default, deserialize_with = "opt_string")]
    value: Option<String>,
}

impl ViewShape {
    /// The ticket row's `email` (as stored, not normalised): whose ticket it is.
    pub(super) fn owner_email(&self) -> &str {
        &self.ticket.email
    }

    /// Times are read in `zone`, the helpdesk's.
    pub(super) fn into_wire(self, zone: &HelpdeskTimeZone) -> TicketThread {
        let t = self.ticket;
        TicketThread {
            ticket: TicketDetail {
                id: t.id,
                subject: t.subject,
                message: t.message,
                status: t.status,
                priority: priority(&t.priority),
                category_id: t.category_id.map(CategoryId),
                created_at: zone.to_utc(&t.created_at),
                updated_at: zone.to_utc(&t.updated_at),
            },
            replies: self
                .replies
                .into_iter()
                .map(|r| Reply {
                    id: r.id,
                    message: r.message,
                    // Staff replies carry the agent's user id; customers' replies have none.
                    from_staff: r.user_id.is_some(),
                    created_at: zone.to_utc(&r.created_at),
                })
                .collect(),
            custom_fields: self
                .custom_fields
                .into_iter()
                .map(|(id, f)| CustomFieldValue {
                    id,
                    name: f.name,
                    kind: FieldKind::from_upstream(&f.kind),
                    value: f.value,
                })
                .collect(),
        }
    }
}

/// `ticket_categories.php`.
#[derive(Deserialize)]
pub(super) struct CategoriesShape {
    /// Read with the rest: the usual answer is decoded in one pass (`client::Succeeded`).
    #[serde(default, deserialize_with = "bool_from_any")]
    success: bool,
    // Required: `success:true` without the list is not an answer we can trust.
    #[serde(deserialize_with = "vec_or_null")]
    categories: Vec<CategoryRow>,
}

#[derive(Deserialize)]
struct CategoryRow {
    id: CategoryId,
    #[serde(default, deserialize_with = "string_or_null")]
    name: String,
}

impl CategoriesShape {
    pub(super) fn into_wire(self) -> Categories {
        Categories {
            categories: self
                .categories
                .into_iter()
                .map(|c| Category {
                    id: c.id,
                    name: c.name,
                })
                .collect(),
        }
    }
}

/// `ticket_custom_fields.php`.
#[derive(Deserialize)]
pub(super) struct FieldsShape {
    /// Read with the rest: the usual answer is decoded in one pass (`client::Succeeded`).
    #[serde(default, deserialize_with = "bool_from_any")]
    success: bool,
    // Required: `success:true` without the list is not an answer we can trust.
    #[serde(deserialize_with = "vec_or_null")]
    fields: Vec<FieldRow>,
}

#[derive(Deserialize)]
struct FieldRow {
    id: CustomFieldId,
    #[serde(default, deserialize_with = "string_or_null")]
    name: String,
    #[serde(rename = "type", default, deserialize_with = "string_or_null")]
    kind: String,
    #[serde(default, deserialize_with = "bool_from_any")]
    required: bool,
    #[serde(default, deserialize_with = "opt_string")]
    possible_values: Option<String>,
}

impl FieldsShape {
    pub(super) fn into_wire(self) -> CustomFields {
        let fields = self
            .fields
            .into_iter()
            .map(|f| {
                let kind = FieldKind::from_upstream(&f.kind);
                // Only a select has choices; other types sometimes carry leftovers from an edit.
                let options = match (kind, f.possible_values) {
                    (FieldKind::Select, Some(list)) => list
                        .split(',')
                        .map(str::trim)
                        .filter(|o| !o.is_empty())
                        .map(str::to_owned)
                        .collect(),
                    _ => Vec::new(),
                };
                CustomField {
                    id: f.id,
                    name: f.name,
                    kind,
                    required: f.required,
                    options,
                }
            })
            .collect();
        // The site's form is the proxy's to add (`routes/catalog.rs`), per request.
        CustomFields {
            fields,
            ..CustomFields::default()
        }
    }
}

/// The helpdesk's priority word; anything unexpected shows as the default rather than failing.
fn priority(word: &str) -> Priority {
    Priority::parse(&word.trim().to_ascii_lowercase()).unwrap_or_default()
}

/// A list that PHP may send as `null`.
fn vec_or_null<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// A ticket's custom field values in the order sent: an object keyed by field id, or — because
/// PHP encodes an empty array as `[]` — a list, or `null`.
fn field_values<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Vec<(CustomFieldId, FieldValueRow)>, D::Error> {
    struct FieldValues;

    impl<'de> Visitor<'de> for FieldValues {
        type Value = Vec<(CustomFieldId, FieldValueRow)>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object of custom field values keyed by id, a list, or null")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some((key, row)) = map.next_entry::<String, FieldValueRow>()? {
                let id = key.trim().parse().map(CustomFieldId).map_err(|_| {
                    de::Error::invalid_value(de::Unexpected::Str(&key), &"a custom field id")
                })?;
                out.push((id, row));
            }
            Ok(out)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(row) = seq.next_element::<FieldValueRow>()? {
                let id = row.id.ok_or_else(|| de::Error::missing_field("id"))?;
                out.push((id, row));
            }
            Ok(out)
        }
    }

    d.deserialize_any(FieldValues)
}

#[cfg(test)]
#[path = "shapes_tests.rs"]
mod tests;
