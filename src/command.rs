//! The host page's `Helpdock(method, …args)` calls, read and checked: wrong arguments become
//! one warning's text and change nothing.

use crate::identity::Identity;
use crate::joined;
use crate::shell::Prefill;
use wasm_bindgen::JsValue;
use web_sys::js_sys::{Array, JSON, Object, Reflect};

/// The host page's calls: `Helpdock('identify', {…})`, `'prefill'`, `'setLocale'`, `'open'`,
/// `'close'`, `'toggle'`, `'reset'` (`'on'` and `'off'` stay in the loader).
#[derive(Debug, PartialEq)]
pub(crate) enum Command {
    /// The visitor is who the host site's backend signed.
    Identify(Identity),
    /// Values for the new-ticket form's untouched fields.
    Prefill(Prefill),
    /// The widget's language; `None` follows the page again.
    SetLocale(Option<String>),
    /// Shows the panel.
    Open,
    /// Hides the panel.
    Close,
    /// Shows the panel if hidden, hides it if shown.
    Toggle,
    /// Forgets the identity, the guest pass and everything typed (the visitor signed out).
    Reset,
}

const METHODS: &str = "identify, prefill, setLocale, open, close, toggle, reset, on or off";
const IDENTIFY_USAGE: &str = "Helpdock('identify', {email, name?, signature, expires?})";
const PREFILL_USAGE: &str = "Helpdock('prefill', {subject?, message?, name?, email?, company?, priority?, category?, fields?})";
const LOCALE_USAGE: &str = "Helpdock('setLocale', tag) takes one language tag such as 'de' or 'pt-BR' (null: follow the page); the call was ignored.";

impl Command {
    /// Reads `[method, …args]`; the error is the whole warning.
    pub(crate) fn parse(call: &Array) -> Result<Command, String> {
        let Some(method) = call.get(0).as_string() else {
            return Err(joined(&[
                "Helpdock(method, …) needs a method name: ",
                METHODS,
                ".",
            ]));
        };
        let args = call.length().saturating_sub(1);
        let no_args = |command: Command| match args {
            0 => Ok(command),
            _ => Err(joined(&[
                "Helpdock('",
                &method,
                "') takes no arguments; the call was ignored.",
            ])),
        };
        match method.as_str() {
            "identify" if args == 1 => {
                identify_args(&call.get(1))
                    .map(Command::Identify)
                    .map_err(|problem| {
                        joined(&[IDENTIFY_USAGE, ": ", &problem, "; the call was ignored."])
                    })
            }
            "identify" => Err(joined(&[
                IDENTIFY_USAGE,
                " takes one object; the call was ignored.",
            ])),
            "prefill" if args == 1 => {
                prefill_args(&call.get(1))
                    .map(Command::Prefill)
                    .map_err(|problem| {
                        joined(&[PREFILL_USAGE, ": ", &problem, "; the call was ignored."])
                    })
            }
            "prefill" => Err(joined(&[
                PREFILL_USAGE,
                " takes one object; the call was ignored.",
            ])),
            "setLocale" if args == 1 => locale_arg(&call.get(1))
                .map(Command::SetLocale)
                .ok_or_else(|| LOCALE_USAGE.into()),
            "setLocale" => Err(LOCALE_USAGE.into()),
            "open" => no_args(Command::Open),
            "close" => no_args(Command::Close),
            "toggle" => no_args(Command::Toggle),
            "reset" => no_args(Command::Reset),
            _ => Err(joined(&[
                "Helpdock('",
                &method,
                "') is not a method; use ",
                METHODS,
                ".",
            ])),
        }
    }
}

/// A `{…}` literal (not an array, a function or a primitive).
fn is_plain_object(value: &JsValue) -> bool {
    value.is_object() && !Array::is_array(value) && !value.is_function()
}

/// `{subject?, message?, name?, email?, company?, priority?, category?, fields?}`; `null` or
/// `undefined` leaves a field alone. `fields` maps a custom field's id or name to a string,
/// number or boolean (a checkbox: true is "1").
fn prefill_args(value: &JsValue) -> Result<Prefill, String> {
    if !is_plain_object(value) {
        return Err("the argument must be an object".into());
    }
    let mut prefill = Prefill::default();
    for (key, v) in entries(value) {
        let must = |what: &str| joined(&[key.as_str(), " must be ", what]);
        match key.as_str() {
            "priority" => {
                let priority = v
                    .as_string()
                    .filter(|p| matches!(p.as_str(), "low" | "medium" | "high"));
                prefill.priority = Some(priority.ok_or_else(|| must("'low', 'medium' or 'high'"))?);
            }
            "category" => {
                let category = v.as_bool().is_none().then(|| scalar(&v)).flatten();
                prefill.category = Some(category.ok_or_else(|| must("a category id or name"))?);
            }
            "fields" if is_plain_object(&v) => {
                for (field, value) in entries(&v) {
                    let value = scalar(&value).ok_or_else(|| {
                        joined(&["fields.", &field, " must be a string, number or boolean"])
                    })?;
                    prefill.fields.push((field, value));
                }
            }
            "fields" => return Err(must("an object")),
            _ => {
                let slot = match key.as_str() {
                    "subject" => &mut prefill.subject,
                    "message" => &mut prefill.message,
                    "name" => &mut prefill.name,
                    "email" => &mut prefill.email,
                    "company" => &mut prefill.company,
                    _ => return Err(joined(&["unknown key \"", &key, "\""])),
                };
                *slot = Some(v.as_string().ok_or_else(|| must("a string"))?);
            }
        }
    }
    Ok(prefill)
}

/// The object's own keys and values, leaving out those set to `null` or `undefined`.
fn entries(object: &JsValue) -> Vec<(String, JsValue)> {
    Object::keys(&Object::from(object.clone()))
        .iter()
        .filter_map(|key| {
            let value = Reflect::get(object, &key).ok()?;
            let key = key.as_string()?;
            (!value.is_undefined() && !value.is_null()).then_some((key, value))
        })
        .collect()
}

/// A form value from a string, a finite number (as JavaScript writes it) or a boolean ("1"/"0").
fn scalar(value: &JsValue) -> Option<String> {
    match value.as_bool() {
        Some(checked) => Some(if checked { "1" } else { "0" }.into()),
        None if value.as_f64().is_some_and(f64::is_finite) => {
            JSON::stringify(value).ok()?.as_string()
        }
        None => value.as_string(),
    }
}

/// `'de'`, `'pt-BR'`…: a BCP 47 language tag's shape; `null` is `Some(None)`.
fn locale_arg(value: &JsValue) -> Option<Option<String>> {
    if value.is_null() {
        return Some(None);
    }
    let tag = value.as_string()?;
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default();
    let well_formed = (2..=3).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_alphabetic())
        && parts
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    well_formed.then_some(Some(tag))
}

/// `{email, name?, signature, expires?}`: `expires` may be a number or a string of digits.
fn identify_args(value: &JsValue) -> Result<Identity, String> {
    if !is_plain_object(value) {
        return Err("the argument must be an object".into());
    }
    for key in Object::keys(&Object::from(value.clone())) {
        let key = key.as_string().unwrap_or_default();
        if !matches!(key.as_str(), "email" | "name" | "signature" | "expires") {
            return Err(joined(&["unknown key \"", &key, "\""]));
        }
    }
    let get =
        |key: &str| Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    let optional = |v: JsValue| (!v.is_undefined() && !v.is_null()).then_some(v);
    let text = |key: &str, v: JsValue| {
        v.as_string()
            .ok_or_else(|| format!("{key} must be a string"))
    };

    let email = text("email", get("email"))?;
    let signature = text("signature", get("signature"))?;
    let name = optional(get("name")).map(|v| text("name", v)).transpose()?;
    let expires = match optional(get("expires")) {
        None => None,
        Some(v) => Some(match v.as_f64() {
            // Whole seconds that survive the trip through a double.
            Some(n) if n.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(&n) => {
                // Whole and below 2^53 (checked above): the cast is exact, and cheaper than
                // formatting a float.
                (n as u64).to_string()
            }
            Some(_) => return Err("expires must be whole unix seconds".into()),
            None => text("expires", v)?,
        }),
    };
    Identity::new(&email, name.as_deref(), expires.as_deref(), &signature)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn call(items: &[JsValue]) -> Result<Command, String> {
        Command::parse(&items.iter().collect())
    }

    pub(crate) fn object(pairs: &[(&str, JsValue)]) -> JsValue {
        let object = Object::new();
        for (key, value) in pairs {
            _ = Reflect::set(&object, &JsValue::from_str(key), value);
        }
        object.into()
    }

    pub(crate) fn s(text: &str) -> JsValue {
        JsValue::from_str(text)
    }

    #[test]
    fn methods_parse() {
        assert_eq!(call(&[s("open")]), Ok(Command::Open));
        assert_eq!(call(&[s("close")]), Ok(Command::Close));
        assert_eq!(call(&[s("toggle")]), Ok(Command::Toggle));
        assert_eq!(call(&[s("reset")]), Ok(Command::Reset));
        let signed = object(&[
            ("email", s("Ann@Example.com")),
            ("expires", JsValue::from_f64(1_767_225_600.0)),
            ("signature", s("ab12")),
        ]);
        let expected = Identity::new("ann@example.com", None, Some("1767225600"), "ab12");
        assert_eq!(
            call(&[s("identify"), signed]),
            expected.map(Command::Identify)
        );
        let named = object(&[
            ("email", s("ann@example.com")),
            ("name", s("Ann")),
            ("expires", s("1767225600")),
            ("signature", s("ab12")),
        ]);
        let expected = Identity::new("ann@example.com", Some("Ann"), Some("1767225600"), "ab12");
        assert_eq!(
            call(&[s("identify"), named]),
            expected.map(Command::Identify)
        );
        let unexpiring = object(&[
            ("email", s("ann@example.com")),
            ("signature", s("ab12")),
            ("name", JsValue::NULL),
        ]);
        assert!(matches!(
            call(&[s("identify"), unexpiring]),
            Ok(Command::Identify(_))
        ));

        let fields = object(&[
            ("Order number", s("A-17")),
            ("3", JsValue::from_f64(2.5)),
            ("Gift", JsValue::TRUE),
        ]);
        let prefill = object(&[
            ("subject", s("Refund")),
            ("message", s("Hello")),
            ("name", s("Ann")),
            ("email", s("ann@example.com")),
            ("company", s("Lee & Co")),
            ("priority", s("high")),
            ("category", JsValue::from_f64(4.0)),
            ("fields", fields),
            ("email", JsValue::NULL),
        ]);
        let expected = Prefill {
            subject: Some("Refund".into()),
            message: Some("Hello".into()),
            name: Some("Ann".into()),
            email: None,
            company: Some("Lee & Co".into()),
            priority: Some("high".into()),
            category: Some("4".into()),
            fields: vec![
                ("3".into(), "2.5".into()),
                ("Order number".into(), "A-17".into()),
                ("Gift".into(), "1".into()),
            ],
        };
        assert_eq!(
            call(&[s("prefill"), prefill]),
            Ok(Command::Prefill(expected))
        );
        let by_name = object(&[("category", s("Billing"))]);
        let expected = Prefill {
            category: Some("Billing".into()),
            ..Prefill::default()
        };
        assert_eq!(
            call(&[s("prefill"), by_name]),
            Ok(Command::Prefill(expected))
        );
        for tag in ["de", "pt-BR", "zh-Hans-CN", "ar"] {
            assert_eq!(
                call(&[s("setLocale"), s(tag)]),
                Ok(Command::SetLocale(Some(tag.into())))
            );
        }
        assert_eq!(
            call(&[s("setLocale"), JsValue::NULL]),
            Ok(Command::SetLocale(None))
        );
    }

    #[test]
    fn wrong_calls_say_what_is_wrong() {
        let email = || ("email", s("ann@example.com"));
        let signature = || ("signature", s("ab12"));
        let cases: Vec<(Vec<JsValue>, &str)> = vec![
            (vec![], "needs a method name"),
            (vec![JsValue::from_f64(1.0)], "needs a method name"),
            (vec![s("show")], "'show') is not a method"),
            (vec![s("open"), s("history")], "takes no arguments"),
            (vec![s("identify")], "takes one object"),
            (
                vec![s("identify"), s("ann@example.com")],
                "must be an object",
            ),
            (
                vec![s("identify"), object(&[email()])],
                "signature must be a string",
            ),
            (
                vec![s("identify"), object(&[signature()])],
                "email must be a string",
            ),
            (
                vec![
                    s("identify"),
                    object(&[email(), signature(), ("hash", s("x"))]),
                ],
                "unknown key \"hash\"",
            ),
            (
                vec![
                    s("identify"),
                    object(&[email(), signature(), ("expires", JsValue::from_f64(1.5))]),
                ],
                "whole unix seconds",
            ),
            (
                vec![
                    s("identify"),
                    object(&[email(), signature(), ("expires", JsValue::TRUE)]),
                ],
                "expires must be a string",
            ),
            (
                vec![s("identify"), object(&[("email", s("ann")), signature()])],
                "email must be an email address",
            ),
            (vec![s("prefill")], "takes one object"),
            (vec![s("prefill"), s("Refund")], "must be an object"),
            (
                vec![s("prefill"), object(&[("title", s("x"))])],
                "unknown key \"title\"",
            ),
            (
                vec![s("prefill"), object(&[("subject", JsValue::from_f64(1.0))])],
                "subject must be a string",
            ),
            (
                vec![s("prefill"), object(&[("priority", s("urgent"))])],
                "priority must be 'low', 'medium' or 'high'",
            ),
            (
                vec![s("prefill"), object(&[("category", JsValue::TRUE)])],
                "category must be a category id or name",
            ),
            (
                vec![s("prefill"), object(&[("fields", s("a=1"))])],
                "fields must be an object",
            ),
            (
                vec![
                    s("prefill"),
                    object(&[("fields", object(&[("Plan", object(&[]))]))]),
                ],
                "fields.Plan must be a string, number or boolean",
            ),
            (vec![s("setLocale")], "takes one language tag"),
            (
                vec![s("setLocale"), s("de"), s("fr")],
                "takes one language tag",
            ),
            (vec![s("setLocale"), s("pt_BR")], "takes one language tag"),
            (vec![s("setLocale"), s("")], "takes one language tag"),
            (
                vec![s("setLocale"), JsValue::from_f64(7.0)],
                "takes one language tag",
            ),
            (vec![s("on")], "is not a method; use identify, prefill"),
        ];
        for (args, expected) in cases {
            let problem = call(&args).err().unwrap_or_default();
            assert!(
                problem.contains(expected),
                "{args:?}: {problem:?} lacks {expected:?}"
            );
        }
    }
}
