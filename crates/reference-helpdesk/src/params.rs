//! A PHP script's input array (`$_GET`, `$_POST` or a decoded JSON body) and PHP's loose reading
//! of it: `empty()`, `(int)` casts and string conversion.

use crate::answer::Crash;
use serde_json::{Map, Value};

/// The parameters one script reads, keyed by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Params(Map<String, Value>);

impl Params {
    pub(crate) fn new(map: Map<String, Value>) -> Self {
        Self(map)
    }

    pub(crate) fn into_map(self) -> Map<String, Value> {
        self.0
    }

    /// Like PHP's `$_REQUEST`: `self` wins, `fallback` fills the keys `self` lacks.
    pub(crate) fn or_else(mut self, fallback: Params) -> Self {
        for (key, value) in fallback.0 {
            self.0.entry(key).or_insert(value);
        }
        self
    }

    /// PHP's `empty($params[$key])`, the check every script uses for "missing".
    pub(crate) fn is_empty(&self, key: &str) -> bool {
        self.0.get(key).is_none_or(php_empty)
    }

    /// `empty($a) || empty($b) || …`: the scripts' "missing parameters" check.
    pub(crate) fn any_empty(&self, keys: &[&str]) -> bool {
        keys.iter().any(|key| self.is_empty(key))
    }

    /// The value as PHP would bind it to a text column: `None` for missing or null.
    pub(crate) fn text(&self, key: &str) -> Result<Option<String>, Crash> {
        self.0.get(key).map_or(Ok(None), php_string)
    }

    /// `(int)$params[$key]`, or `None` when [`Params::is_empty`].
    pub(crate) fn int(&self, key: &str) -> Result<Option<i64>, Crash> {
        match self.0.get(key) {
            Some(value) if !php_empty(value) => php_int(value).map(Some),
            _ => Ok(None),
        }
    }

    /// The raw value, for parameters a script interprets itself (`custom_fields`).
    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }
}

/// PHP's `empty()`: missing, null, `false`, `0`, `""`, `"0"` and `[]` are all empty.
pub(crate) fn php_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty() || s == "0",
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

/// PHP's string conversion; an array or object where a string belongs is a fatal TypeError.
pub(crate) fn php_string(value: &Value) -> Result<Option<String>, Crash> {
    match value {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(if *b { "1" } else { "" }.to_owned())),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::String(s) => Ok(Some(s.clone())),
        Value::Array(_) | Value::Object(_) => Err(Crash),
    }
}

fn php_int(value: &Value) -> Result<i64, Crash> {
    match value {
        Value::Number(n) => Ok(n
            .as_i64()
            // `(int)3.7` is 3; out-of-range floats saturate here, PHP's result is unspecified.
            .unwrap_or_else(|| n.as_f64().map_or(0, |f| f as i64))),
        Value::String(s) => Ok(php_intval(s)),
        Value::Bool(b) => Ok(i64::from(*b)),
        Value::Null => Ok(0),
        Value::Array(_) | Value::Object(_) => Err(Crash),
    }
}

/// `(int)"12abc"` is 12 and `(int)"abc"` is 0: leading whitespace, a sign, then digits.
pub(crate) fn php_intval(text: &str) -> i64 {
    let text = text.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let magnitude = digits
        .bytes()
        .take_while(u8::is_ascii_digit)
        .fold(0i64, |acc, d| {
            acc.saturating_mul(10).saturating_add(i64::from(d - b'0'))
        });
    if negative { -magnitude } else { magnitude }
}

/// Decodes `a=1&b=2` the way PHP fills `$_POST`: the last duplicate wins, and `name[]=` /
/// `name[key]=` build an array / object (one level, which is all the scripts could meet).
pub(crate) fn decode_form(bytes: &[u8]) -> Params {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes).unwrap_or_default();
    let mut map = Map::new();
    for (key, value) in pairs {
        let value = Value::String(value);
        match split_bracket(&key) {
            Some((base, "")) => match map.entry(base).or_insert_with(|| Value::Array(Vec::new())) {
                Value::Array(items) => items.push(value),
                other => *other = Value::Array(vec![value]),
            },
            Some((base, sub)) => match map.entry(base).or_insert_with(|| Value::Object(Map::new()))
            {
                Value::Object(fields) => {
                    fields.insert(sub.to_owned(), value);
                }
                other => *other = Value::Object(Map::from_iter([(sub.to_owned(), value)])),
            },
            None => {
                map.insert(key, value);
            }
        }
    }
    Params(map)
}

fn split_bracket(key: &str) -> Option<(&str, &str)> {
    let open = key.find('[')?;
    let inner = key.strip_suffix(']')?.get(open + 1..)?;
    (open > 0).then(|| (&key[..open], inner))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn intval_reads_like_php() {
        for (text, expected) in [
            ("12", 12),
            ("  12abc", 12),
            ("-3", -3),
            ("+4", 4),
            ("abc", 0),
            ("", 0),
            ("99999999999999999999", i64::MAX),
        ] {
            assert_eq!(php_intval(text), expected, "{text:?}");
        }
    }

    #[test]
    fn empty_follows_php() {
        for value in [
            json!(null),
            json!(""),
            json!("0"),
            json!(0),
            json!(false),
            json!([]),
            json!({}),
        ] {
            assert!(php_empty(&value), "{value}");
        }
        for value in [
            json!(" "),
            json!("a"),
            json!("00"),
            json!(1),
            json!(true),
            json!([0]),
        ] {
            assert!(!php_empty(&value), "{value}");
        }
    }

    #[test]
    fn form_decoding_builds_arrays_and_objects() {
        let params = decode_form(b"a=1&a=2&list[]=x&list[]=y&map[k]=v&plain=%C3%A9+%26");
        let map = params.into_map();
        assert_eq!(map["a"], json!("2"));
        assert_eq!(map["list"], json!(["x", "y"]));
        assert_eq!(map["map"], json!({"k": "v"}));
        assert_eq!(map["plain"], json!("é &"));
    }

    #[test]
    fn text_and_int_conversions() {
        let params = Params::new(
            json!({"n": 7, "f": 3.9, "s": "5x", "t": true, "arr": [1], "nul": null})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        );
        assert_eq!(params.text("n").ok(), Some(Some("7".to_owned())));
        assert_eq!(params.text("t").ok(), Some(Some("1".to_owned())));
        assert_eq!(params.text("nul").ok(), Some(None));
        assert_eq!(params.text("missing").ok(), Some(None));
        assert!(params.text("arr").is_err());
        assert_eq!(params.int("f").ok(), Some(Some(3)));
        assert_eq!(params.int("s").ok(), Some(Some(5)));
        assert_eq!(params.int("missing").ok(), Some(None));
        assert!(params.int("arr").is_err());
    }

    #[test]
    fn or_else_prefers_self() {
        let body = decode_form(b"a=body");
        let query = decode_form(b"a=query&b=query");
        let merged = body.or_else(query).into_map();
        assert_eq!(merged["a"], json!("body"));
        assert_eq!(merged["b"], json!("query"));
    }
}
