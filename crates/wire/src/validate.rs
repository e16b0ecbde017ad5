//! The input rules, shared so the widget can say inline exactly what the proxy would refuse.

use crate::ticket::{CustomFields, FieldKind, NewReply, NewTicket};
use std::collections::BTreeMap;

pub use crate::problem::Problem;

/// Longest subject, in characters.
pub const MAX_SUBJECT: usize = 200;
/// Longest message or reply, in characters.
pub const MAX_MESSAGE: usize = 10_000;
/// Longest email (RFC 5321 path limit).
pub const MAX_EMAIL: usize = 254;
/// Longest name or company.
pub const MAX_NAME: usize = 100;
/// Longest custom field value.
pub const MAX_FIELD_VALUE: usize = 1_000;

/// Field name → what is wrong with it, in the proxy's English. Empty means valid.
pub type FieldErrors = BTreeMap<String, String>;

/// Field name → the kind of thing wrong with it. Empty means valid.
pub type FieldProblems = BTreeMap<String, Problem>;

/// The English messages of `problems`, as the proxy answers them in `field_errors`.
pub fn messages(problems: &FieldProblems) -> FieldErrors {
    problems
        .iter()
        .map(|(field, problem)| (field.clone(), problem.message().into_owned()))
        .collect()
}

/// The key under which a custom field's error is reported.
pub fn custom_field_key(id: impl std::fmt::Display) -> String {
    format!("custom_fields.{id}")
}

/// Whether `s` is a plausible single mailbox address (`local@domain.tld`), without display names.
pub fn is_valid_email(s: &str) -> bool {
    if s.len() > MAX_EMAIL || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| is_address_char(c) || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| is_address_char(c) || c == '-')
        });
    local_ok && domain_ok
}

/// A letter or digit of an address: ASCII ones, and any other character internationalized
/// addresses may hold (RFC 6531) except those that reorder or hide text. No Unicode tables: they
/// would cost the widget, which checks addresses too, 2 KB.
fn is_address_char(c: char) -> bool {
    let invisible = matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}');
    c.is_ascii_alphanumeric() || (!c.is_ascii() && !invisible)
}

/// Lower-cases and trims an email so two spellings of one mailbox compare equal.
pub fn normalize_email(s: &str) -> String {
    s.trim().to_lowercase()
}

fn check_text(errors: &mut FieldProblems, field: &str, value: &str, required: bool, max: usize) {
    if required && value.trim().is_empty() {
        errors.insert(field.into(), Problem::Required);
    } else if value.chars().count() > max {
        errors.insert(field.into(), Problem::TooLong { max });
    }
}

/// Checks a ticket against the rules; with the helpdesk's `fields`, also its custom fields.
pub fn new_ticket_problems(t: &NewTicket, fields: Option<&CustomFields>) -> FieldProblems {
    let mut errors = FieldProblems::new();
    check_text(&mut errors, "subject", &t.subject, true, MAX_SUBJECT);
    check_text(&mut errors, "message", &t.message, true, MAX_MESSAGE);
    check_text(&mut errors, "user_email", &t.user_email, true, MAX_EMAIL);
    if !errors.contains_key("user_email") && !is_valid_email(t.user_email.trim()) {
        errors.insert("user_email".into(), Problem::InvalidEmail);
    }
    check_text(
        &mut errors,
        "name",
        t.name.as_deref().unwrap_or(""),
        false,
        MAX_NAME,
    );
    // The helpdesk matches `user_email` against names too, so an email here could expose tickets.
    if !errors.contains_key("name") && t.name.as_deref().is_some_and(|n| n.contains('@')) {
        errors.insert("name".into(), Problem::NameLooksLikeEmail);
    }
    check_text(
        &mut errors,
        "company",
        t.company.as_deref().unwrap_or(""),
        false,
        MAX_NAME,
    );
    for (id, value) in &t.custom_fields {
        check_text(
            &mut errors,
            &custom_field_key(id),
            value,
            false,
            MAX_FIELD_VALUE,
        );
    }
    if let Some(fields) = fields {
        for (id, _) in t.custom_fields.iter() {
            if !fields.fields.iter().any(|f| f.id == *id) {
                errors.insert(custom_field_key(id), Problem::UnknownField);
            }
        }
        for f in &fields.fields {
            let key = custom_field_key(f.id);
            let value = t.custom_fields.get(&f.id).map(|v| v.trim()).unwrap_or("");
            if errors.contains_key(&key) {
                continue;
            }
            let empty = value.is_empty() || (f.kind == FieldKind::Checkbox && value == "0");
            if empty {
                if f.required {
                    errors.insert(key, Problem::Required);
                }
                continue;
            }
            if let Some(problem) = check_kind(f.kind, &f.options, value) {
                errors.insert(key, problem);
            }
        }
    }
    errors
}

fn check_kind(kind: FieldKind, options: &[String], value: &str) -> Option<Problem> {
    match kind {
        FieldKind::Select if !options.iter().any(|o| o == value) => Some(Problem::NotAnOption),
        FieldKind::Checkbox if value != "1" => Some(Problem::NotACheckbox),
        FieldKind::Number if !is_decimal(value) => Some(Problem::NotANumber),
        FieldKind::Date if !is_iso_date(value) => Some(Problem::NotADate),
        _ => None,
    }
}

/// A finite decimal number as `f64` would read it (`-1.5`, `.5`, `2e3`), below 10^308 in magnitude.
/// Checked by hand: `str::parse::<f64>` brings a 10 KB table (12.9 KB of the widget's brotli).
fn is_decimal(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let whole = &b[i..];
    let whole_digits = digits(&mut i);
    let mut fraction: &[u8] = &[];
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        fraction = &b[start..start + digits(&mut i)];
    }
    // The number is below 10^power: its whole digits, leading zeros aside, or else minus the
    // fraction's leading zeros. `None`: all digits are zeros (zero, whatever the exponent).
    let significant = |d: &[u8]| d.iter().position(|d| *d != b'0');
    let power = match significant(&whole[..whole_digits]) {
        Some(first) => Some((whole_digits - first) as i64),
        None => significant(fraction).map(|z| -(z as i64)),
    };
    if whole_digits + fraction.len() == 0 {
        return false;
    }
    let mut exponent: i64 = 0;
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        let negative = b.get(i) == Some(&b'-');
        i += usize::from(matches!(b.get(i), Some(b'+' | b'-')));
        let start = i;
        if digits(&mut i) == 0 {
            return false;
        }
        for d in &b[start..i] {
            exponent = (exponent * 10 + i64::from(d - b'0')).min(100_000);
        }
        if negative {
            exponent = -exponent;
        }
    }
    i == b.len() && power.is_none_or(|p| p + exponent <= 308)
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u32>().ok());
    match (num(0..4), num(5..7), num(8..10)) {
        (Some(_), Some(m), Some(d)) => (1..=12).contains(&m) && (1..=31).contains(&d),
        _ => false,
    }
}

/// Checks a reply against the rules.
pub fn new_reply_problems(r: &NewReply) -> FieldProblems {
    let mut errors = FieldProblems::new();
    check_text(&mut errors, "message", &r.message, true, MAX_MESSAGE);
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_what_f64_reads_as_finite() {
        for n in [
            "0",
            "-1",
            "+2",
            "1.5",
            ".5",
            "5.",
            "-0.25",
            "1e3",
            "2E-4",
            "1.5e+10",
            "007",
            "1e-400",
            "1e307",
            "9.99e307",
            "123456789012345678901234567890",
            "0e99999",
            "0.05e309",
            "-0.0",
        ] {
            assert!(is_decimal(n), "{n}");
            assert!(n.parse::<f64>().is_ok_and(f64::is_finite), "{n}");
        }
        for n in [
            "",
            "-",
            "+",
            ".",
            "e5",
            "1e",
            "1e+",
            "1.2.3",
            "1,5",
            " 1",
            "1 ",
            "0x10",
            "1_000",
            "inf",
            "NaN",
            "infinity",
            "--1",
            "1e400",
            "2e308",
            "1e99999999999",
            "0.5e309",
        ] {
            assert!(!is_decimal(n), "{n}");
            assert!(!n.parse::<f64>().is_ok_and(f64::is_finite), "{n}");
        }
    }
    use crate::ids::CustomFieldId;
    use crate::ticket::CustomField;

    fn ticket() -> NewTicket {
        NewTicket {
            subject: "Order missing".into(),
            message: "Where is it?".into(),
            user_email: "ann@example.com".into(),
            ..Default::default()
        }
    }

    fn fields() -> CustomFields {
        let f = |id, kind, required, options: &[&str]| CustomField {
            id: CustomFieldId(id),
            name: format!("f{id}"),
            kind,
            required,
            options: options.iter().map(|s| s.to_string()).collect(),
        };
        CustomFields {
            fields: vec![
                f(1, FieldKind::Text, true, &[]),
                f(2, FieldKind::Select, false, &["Starter", "Pro"]),
                f(3, FieldKind::Number, false, &[]),
                f(4, FieldKind::Date, false, &[]),
                f(5, FieldKind::Checkbox, false, &[]),
            ],
            ..CustomFields::default()
        }
    }

    #[test]
    fn emails() {
        for ok in [
            "a@b.co",
            "ann.lee+tag@mail.example.com",
            "ÄNN@example.de",
            "用户@例子.广告",
        ] {
            assert!(is_valid_email(ok), "{ok}");
        }
        for bad in [
            "",
            "a",
            "a@",
            "@b.co",
            "a@b",
            "a b@c.de",
            "a@b..de",
            ".a@b.de",
            "a@-b.de",
            "<a@b.de>",
            "a@b.de\n",
            "ann\u{202E}moc@example.com",
            "ann@exa\u{200B}mple.com",
        ] {
            assert!(!is_valid_email(bad), "{bad:?}");
        }
        assert_eq!(normalize_email("  Ann@Example.COM "), "ann@example.com");
    }

    #[test]
    fn required_and_lengths() {
        let mut t = ticket();
        assert!(new_ticket_problems(&t, None).is_empty());
        t.subject = "  ".into();
        t.message = "x".repeat(MAX_MESSAGE + 1);
        t.user_email = "nope".into();
        t.name = Some("n".repeat(MAX_NAME + 1));
        let e = new_ticket_problems(&t, None);
        let keys: Vec<_> = e.keys().map(String::as_str).collect();
        assert_eq!(keys, ["message", "name", "subject", "user_email"]);
        let t = NewTicket {
            name: Some("ann@example.com".into()),
            ..ticket()
        };
        assert!(
            new_ticket_problems(&t, None).contains_key("name"),
            "a name that is an email"
        );
    }

    #[test]
    fn custom_fields_by_type() {
        type Case<'a> = (&'a [(u64, &'a str)], Option<&'a str>);
        let cases: &[Case] = &[
            (&[(1, "ORD-1")], None),
            (&[], Some("custom_fields.1")),
            (&[(1, " ")], Some("custom_fields.1")),
            (&[(1, "x"), (2, "Gold")], Some("custom_fields.2")),
            (
                &[
                    (1, "x"),
                    (2, "Pro"),
                    (3, "4.5"),
                    (4, "2026-11-28"),
                    (5, "1"),
                ],
                None,
            ),
            (&[(1, "x"), (3, "four")], Some("custom_fields.3")),
            (&[(1, "x"), (4, "28.11.2026")], Some("custom_fields.4")),
            (&[(1, "x"), (5, "yes")], Some("custom_fields.5")),
            (&[(1, "x"), (99, "?")], Some("custom_fields.99")),
        ];
        for (values, want) in cases {
            let mut t = ticket();
            t.custom_fields = values
                .iter()
                .map(|(k, v)| (CustomFieldId(*k), v.to_string()))
                .collect();
            let e = new_ticket_problems(&t, Some(&fields()));
            assert_eq!(
                e.keys().next().map(String::as_str),
                *want,
                "{values:?}: {e:?}"
            );
        }
    }

    #[test]
    fn problems_are_found_by_kind_and_worded_in_english() {
        let mut t = ticket();
        t.subject = String::new();
        t.name = Some("a@b.co".into());
        let problems = new_ticket_problems(&t, None);
        assert_eq!(
            problems,
            FieldProblems::from([
                ("name".into(), Problem::NameLooksLikeEmail),
                ("subject".into(), Problem::Required)
            ])
        );
        assert_eq!(
            messages(&problems).get("subject").map(String::as_str),
            Some("This field is required.")
        );
    }

    #[test]
    fn replies() {
        let r = NewReply {
            message: "\n".into(),
            ..Default::default()
        };
        assert!(new_reply_problems(&r).contains_key("message"));
    }
}
