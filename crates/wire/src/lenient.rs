//! Tolerant decoding for the PHP app's JSON: numbers that arrive as strings, booleans as 0/1/"0"/"1",
//! nulls nearly everywhere. Used with `#[serde(deserialize_with = "...")]`.

use serde::de::{self, Deserializer, Unexpected, Visitor};
use std::fmt;

/// Reads a `u64` sent as a JSON number or a numeric string (`7` or `"7"`).
pub fn u64_from_any<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    d.deserialize_any(U64Visitor)
}

/// Like [`u64_from_any`], but `null`, a missing value and `""` read as `None`.
pub fn opt_u64_from_any<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    d.deserialize_option(OptVisitor(BlankU64Visitor))
        .map(Option::flatten)
}

/// Reads a flag sent as `true`/`false`, `1`/`0` or `"1"`/`"0"`; `null` reads as `false`.
pub fn bool_from_any<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    d.deserialize_any(BoolVisitor)
}

/// Reads an optional string; `null` reads as `None`, and numbers are kept as their text.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_option(OptVisitor(StringVisitor))
}

/// Reads a string, treating `null` as empty and numbers as their text.
pub fn string_or_null<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    opt_string(d).map(Option::unwrap_or_default)
}

#[derive(Clone, Copy)]
struct U64Visitor;

impl<'de> Visitor<'de> for U64Visitor {
    type Value = u64;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a non-negative integer or a string holding one")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_err(|_| E::invalid_value(Unexpected::Signed(v), &self))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
        if v >= 0.0 && v.fract() == 0.0 && v < u64::MAX as f64 {
            Ok(v as u64)
        } else {
            Err(E::invalid_value(Unexpected::Float(v), &self))
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
        v.trim()
            .parse()
            .map_err(|_| E::invalid_value(Unexpected::Str(v), &self))
    }
}

/// [`U64Visitor`], except that a blank string is `None` (for optional numbers only).
#[derive(Clone, Copy)]
struct BlankU64Visitor;

impl<'de> Visitor<'de> for BlankU64Visitor {
    type Value = Option<u64>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        U64Visitor.expecting(f)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        U64Visitor.visit_u64(v).map(Some)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        U64Visitor.visit_i64(v).map(Some)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        U64Visitor.visit_f64(v).map(Some)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.trim().is_empty() {
            Ok(None)
        } else {
            U64Visitor.visit_str(v).map(Some)
        }
    }
}

struct BoolVisitor;

impl<'de> Visitor<'de> for BoolVisitor {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a boolean, 0/1 or \"0\"/\"1\"")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(Unexpected::Unsigned(v), &self)),
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(Unexpected::Signed(v), &self)),
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        match v.trim() {
            "1" | "true" => Ok(true),
            "0" | "false" | "" => Ok(false),
            _ => Err(E::invalid_value(Unexpected::Str(v), &self)),
        }
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
}

#[derive(Clone, Copy)]
struct StringVisitor;

impl<'de> Visitor<'de> for StringVisitor {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(if v { "1" } else { "0" }.to_owned())
    }
}

/// Wraps a visitor so `null`/missing (and an empty string, for numbers) become `None`.
struct OptVisitor<V>(V);

impl<'de, V> Visitor<'de> for OptVisitor<V>
where
    V: Visitor<'de> + Copy,
{
    type Value = Option<V::Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.0.expecting(f)?;
        f.write_str(" or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self.0).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    struct Row {
        #[serde(deserialize_with = "u64_from_any")]
        id: u64,
        #[serde(default, deserialize_with = "opt_u64_from_any")]
        category_id: Option<u64>,
        #[serde(deserialize_with = "bool_from_any")]
        required: bool,
        #[serde(default, deserialize_with = "opt_string")]
        name: Option<String>,
    }

    fn row(json: &str) -> Row {
        serde_json::from_str(json).expect(json)
    }

    #[test]
    fn numbers_arrive_as_numbers_or_strings() {
        for json in [
            r#"{"id":7,"category_id":3,"required":1,"name":"A"}"#,
            r#"{"id":"7","category_id":"3","required":"1","name":"A"}"#,
            r#"{"id":" 7","category_id":3.0,"required":true,"name":"A"}"#,
        ] {
            let r = row(json);
            assert_eq!(
                (r.id, r.category_id, r.required),
                (7, Some(3), true),
                "{json}"
            );
        }
    }

    #[test]
    fn required_flag_in_every_spelling() {
        for (value, want) in [
            ("1", true),
            ("0", false),
            (r#""1""#, true),
            (r#""0""#, false),
            ("true", true),
            ("false", false),
            ("null", false),
        ] {
            let r = row(&format!(r#"{{"id":1,"required":{value}}}"#));
            assert_eq!(r.required, want, "required={value}");
        }
    }

    #[test]
    fn nulls_and_missing_are_none() {
        let r = row(r#"{"id":1,"category_id":null,"required":0,"name":null}"#);
        assert_eq!((r.category_id, r.name), (None, None));
        let r = row(r#"{"id":1,"required":0}"#);
        assert_eq!((r.category_id, r.name), (None, None));
        let r = row(r#"{"id":1,"category_id":"","required":0}"#);
        assert_eq!(r.category_id, None);
    }

    #[test]
    fn garbage_is_rejected() {
        for json in [
            r#"{"id":"abc","required":0}"#,
            r#"{"id":-1,"required":0}"#,
            r#"{"id":1.5,"required":0}"#,
            r#"{"id":1,"required":2}"#,
            r#"{"id":1,"required":"yes"}"#,
        ] {
            assert!(serde_json::from_str::<Row>(json).is_err(), "{json}");
        }
    }
}
