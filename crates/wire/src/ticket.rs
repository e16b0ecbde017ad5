//! Requests and responses of the six browser-facing endpoints (the proxy's `/api/*.php`).

use crate::form::OptionalField;
use crate::ids::{CategoryId, CustomFieldId, ReplyId, TicketId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How urgent a ticket is; the helpdesk knows exactly these three.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    /// Can wait.
    Low,
    /// The helpdesk's default.
    #[default]
    Medium,
    /// Needs attention soon.
    High,
}

impl Priority {
    /// Every priority, in display order.
    pub const ALL: [Priority; 3] = [Priority::Low, Priority::Medium, Priority::High];

    /// The wire spelling (`low`, `medium`, `high`).
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::High => "high",
        }
    }

    /// Parses the wire spelling; anything else is `None`.
    pub fn parse(s: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// `POST /api/tickets_create.php`: a ticket the visitor files. Unknown fields are refused, so a
/// body can never carry more than this says (no `status`, no `internal_note`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTicket {
    /// One-line summary.
    pub subject: String,
    /// The visitor's first message.
    pub message: String,
    /// The visitor's email, where their identity is not otherwise known (a verified visitor's
    /// create may leave it out: the proxy uses the verified email).
    #[serde(default)]
    pub user_email: String,
    /// The visitor's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The visitor's company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// Defaults to medium.
    #[serde(default)]
    pub priority: Priority,
    /// One of the helpdesk's categories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_id: Option<CategoryId>,
    /// Custom field id → value, as text whatever the field's type.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        serialize_with = "ids_as_text",
        deserialize_with = "each_field_once"
    )]
    pub custom_fields: BTreeMap<CustomFieldId, String>,
    /// Honeypot: a field people never see, so only bots fill it. Must be empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub website: String,
    /// Milliseconds the visitor spent on the form before sending (bots are faster than people).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elapsed_ms: Option<u64>,
}

impl NewTicket {
    /// The fields the widget's form shows, in the order a person meets them; a refusal's `field`
    /// names the first of these that failed (custom fields, `custom_fields.<id>`, come after).
    pub const FORM_FIELDS: [&'static str; 7] = [
        "user_email",
        "name",
        "company",
        "subject",
        "message",
        "category_id",
        "priority",
    ];
    /// The body's other fields: custom field values, the honeypot and the time spent.
    pub const OTHER_FIELDS: [&'static str; 3] = ["custom_fields", "website", "elapsed_ms"];
}

/// The answer to a successful create.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TicketCreated {
    /// The new ticket's number.
    pub ticket_id: TicketId,
    /// For a guest: the pass naming this ticket (and those of the pass presented), to send back
    /// as `X-Helpdock-Guest-Pass`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guest_pass: Option<String>,
}

/// One line of "My tickets".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TicketSummary {
    /// The ticket's number.
    pub id: TicketId,
    /// One-line summary.
    pub subject: String,
    /// The helpdesk's status word (`open`, `closed`, …), shown as given.
    pub status: String,
    /// How urgent.
    pub priority: Priority,
    /// When filed: an RFC 3339 UTC instant (`2026-11-28T16:44:00Z`); `None` (`null`) when the
    /// helpdesk sent something that is not a time.
    #[serde(default)]
    pub created_at: Option<String>,
    /// When last changed, like `created_at`.
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// `GET /api/tickets_list.php`: the visitor's tickets, newest update first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TicketList {
    /// Newest `updated_at` first.
    pub tickets: Vec<TicketSummary>,
}

/// `GET /api/ticket_view.php`: one ticket with its whole thread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TicketThread {
    /// The ticket's own fields (an allowlist, not the upstream row).
    pub ticket: TicketDetail,
    /// Replies in time order, after the ticket's own message.
    pub replies: Vec<Reply>,
    /// The values the ticket holds for custom fields, in display order.
    pub custom_fields: Vec<CustomFieldValue>,
}

/// The fields of a ticket the visitor may see.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TicketDetail {
    /// The ticket's number.
    pub id: TicketId,
    /// One-line summary.
    pub subject: String,
    /// The first message of the thread.
    pub message: String,
    /// The helpdesk's status word.
    pub status: String,
    /// How urgent.
    pub priority: Priority,
    /// The category, if any.
    #[serde(default)]
    pub category_id: Option<CategoryId>,
    /// When filed: an RFC 3339 UTC instant; `None` when the helpdesk's value was not a time.
    #[serde(default)]
    pub created_at: Option<String>,
    /// When last changed, like `created_at`.
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// One message in a thread after the first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    /// The reply's id.
    pub id: ReplyId,
    /// Plain text as stored; render as text, never as markup.
    pub message: String,
    /// True when a support agent wrote it.
    pub from_staff: bool,
    /// When sent: an RFC 3339 UTC instant; `None` when the helpdesk's value was not a time.
    #[serde(default)]
    pub created_at: Option<String>,
}

/// A custom field's value on one ticket.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomFieldValue {
    /// The field.
    pub id: CustomFieldId,
    /// The field's label.
    pub name: String,
    /// The field's type word.
    #[serde(rename = "type")]
    pub kind: FieldKind,
    /// The value, if one was given.
    #[serde(default)]
    pub value: Option<String>,
}

/// `POST /api/ticket_reply.php`: the visitor answers in a thread. Unknown fields are refused.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewReply {
    /// The ticket answered.
    pub ticket_id: TicketId,
    /// Ignored by the proxy, which uses the visitor's identity; kept so old clients still decode.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub user_email: String,
    /// The reply's text.
    pub message: String,
}

/// The answer to a successful reply.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplyCreated {
    /// The new reply's id.
    pub reply_id: ReplyId,
}

/// A ticket category.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Category {
    /// Its id.
    pub id: CategoryId,
    /// Its label.
    pub name: String,
}

/// `GET /api/ticket_categories.php`: categories sorted by name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Categories {
    /// Sorted by name.
    pub categories: Vec<Category>,
}

/// How a custom field is entered. Unknown types are entered as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    /// Several lines.
    Textarea,
    /// One of `options`.
    Select,
    /// "1" when ticked, "0" when not.
    Checkbox,
    /// `YYYY-MM-DD`.
    Date,
    /// A decimal number.
    Number,
    /// One line; also any type word this build does not know.
    #[serde(other)]
    Text,
}

impl FieldKind {
    /// Maps the helpdesk's type word; unknown words are text.
    pub fn from_upstream(word: &str) -> FieldKind {
        match word.trim().to_ascii_lowercase().as_str() {
            "textarea" => FieldKind::Textarea,
            "select" | "dropdown" => FieldKind::Select,
            "checkbox" => FieldKind::Checkbox,
            "date" => FieldKind::Date,
            "number" => FieldKind::Number,
            _ => FieldKind::Text,
        }
    }
}

/// A custom field the ticket form shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomField {
    /// Its id (the key in `NewTicket::custom_fields`).
    pub id: CustomFieldId,
    /// Its label.
    pub name: String,
    /// How it is entered.
    #[serde(rename = "type")]
    pub kind: FieldKind,
    /// Whether the helpdesk rejects a ticket without it.
    pub required: bool,
    /// The choices of a select; empty otherwise.
    #[serde(default)]
    pub options: Vec<String>,
}

/// `GET /api/ticket_custom_fields.php`: active fields in display order, and what else the
/// request's site's form asks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomFields {
    /// In display order.
    pub fields: Vec<CustomField>,
    /// The optional fields the site's form shows (`[sites.form] ask`); absent: all of them.
    #[serde(default = "OptionalField::all")]
    pub ask: Vec<OptionalField>,
}

impl Default for CustomFields {
    /// No fields, and everything asked.
    fn default() -> CustomFields {
        CustomFields {
            fields: Vec::new(),
            ask: OptionalField::all(),
        }
    }
}

impl CustomFields {
    /// Whether the site's form shows `field`.
    pub fn asks(&self, field: OptionalField) -> bool {
        self.ask.contains(&field)
    }
}

/// `custom_fields` keyed by each id as text, the only key a JSON object has, whatever the
/// serializer (serde_json writes number keys as text itself; serde-wasm-bindgen refuses them).
fn ids_as_text<S: serde::Serializer>(
    fields: &BTreeMap<CustomFieldId, String>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(fields.iter().map(|(id, value)| (id.0.to_string(), value)))
}

/// `custom_fields` with each field at most once: a key given twice, or two spellings of one id
/// (`"1"` and `"01"`), is refused rather than merged (which value would the helpdesk store?).
fn each_field_once<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<CustomFieldId, String>, D::Error> {
    struct Fields;

    impl<'de> serde::de::Visitor<'de> for Fields {
        type Value = BTreeMap<CustomFieldId, String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object of custom field values keyed by field id")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut fields = BTreeMap::new();
            while let Some((id, value)) = map.next_entry::<CustomFieldId, String>()? {
                if fields.insert(id, value).is_some() {
                    return Err(serde::de::Error::custom(DUPLICATE_FIELD));
                }
            }
            Ok(fields)
        }
    }

    d.deserialize_map(Fields)
}

/// The error [`NewTicket`]'s decoding gives for a custom field sent twice.
pub const DUPLICATE_FIELD: &str = "a custom field is given twice";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_custom_field_sent_twice_is_refused_not_merged() {
        for fields in [r#"{"1":"a","1":"b"}"#, r#"{"1":"a","01":"b"}"#] {
            let json = format!(r#"{{"subject":"s","message":"m","custom_fields":{fields}}}"#);
            let err = serde_json::from_str::<NewTicket>(&json)
                .map(|_| ())
                .unwrap_err();
            assert!(err.to_string().contains(DUPLICATE_FIELD), "{fields}: {err}");
        }
        let json = r#"{"subject":"s","message":"m","custom_fields":{"1":"a","2":"b"}}"#;
        assert_eq!(
            serde_json::from_str::<NewTicket>(json)
                .unwrap()
                .custom_fields
                .len(),
            2
        );
    }

    #[test]
    fn new_ticket_round_trips_with_custom_field_keys_as_strings() {
        let mut t = NewTicket {
            subject: "S".into(),
            message: "M".into(),
            user_email: "a@example.com".into(),
            priority: Priority::High,
            category_id: Some(CategoryId(2)),
            ..Default::default()
        };
        t.custom_fields.insert(CustomFieldId(1), "ORD-1".into());
        let json = serde_json::to_string(&t).unwrap();
        assert!(json.contains(r#""custom_fields":{"1":"ORD-1"}"#), "{json}");
        assert!(json.contains(r#""priority":"high""#), "{json}");
        assert_eq!(serde_json::from_str::<NewTicket>(&json).unwrap(), t);
    }

    #[test]
    fn minimal_new_ticket_defaults() {
        let t: NewTicket =
            serde_json::from_str(r#"{"subject":"S","message":"M","user_email":"e@x.io"}"#).unwrap();
        assert_eq!(t.priority, Priority::Medium);
        assert!(t.custom_fields.is_empty() && t.category_id.is_none());
    }

    #[test]
    fn unknown_field_type_words_decode_as_text() {
        let f: CustomField = serde_json::from_str(
            r#"{"id":4,"name":"Colour","type":"colour-picker","required":false}"#,
        )
        .unwrap();
        assert_eq!(f.kind, FieldKind::Text);
    }

    #[test]
    fn unknown_field_types_are_text() {
        assert_eq!(FieldKind::from_upstream("SELECT"), FieldKind::Select);
        assert_eq!(FieldKind::from_upstream("radio"), FieldKind::Text);
        assert_eq!(FieldKind::from_upstream(""), FieldKind::Text);
    }

    #[test]
    fn priority_parse_is_strict() {
        assert_eq!(Priority::parse("low"), Some(Priority::Low));
        assert_eq!(Priority::parse("Low"), None);
        assert_eq!(Priority::parse("urgent"), None);
    }

    #[test]
    fn the_field_lists_name_every_field_of_a_new_ticket_once() {
        let full = NewTicket {
            subject: "s".into(),
            message: "m".into(),
            user_email: "e@x.io".into(),
            name: Some("n".into()),
            company: Some("c".into()),
            priority: Priority::High,
            category_id: Some(CategoryId(1)),
            custom_fields: [(CustomFieldId(1), "v".into())].into(),
            website: "w".into(),
            elapsed_ms: Some(1),
        };
        let json = serde_json::to_value(&full).unwrap();
        let mut keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut listed: Vec<&str> = NewTicket::FORM_FIELDS
            .into_iter()
            .chain(NewTicket::OTHER_FIELDS)
            .collect();
        keys.sort_unstable();
        listed.sort_unstable();
        assert_eq!(keys, listed);
    }
}
