//! The upstream token, kept out of every log line, panic message and `{:?}`.

use serde::{Deserialize, Deserializer};
use std::fmt;

/// A secret string whose `Debug` and `Display` print `[redacted]`; read it with [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself; call this only where it is sent upstream.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is empty (or only whitespace), which is never a usable token.
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_redact() {
        let s = Secret::new("tok-123-very-secret");
        assert_eq!(format!("{s}"), "[redacted]");
        assert_eq!(format!("{s:?}"), "[redacted]");
        #[derive(Debug)]
        #[allow(dead_code)] // Only its Debug output is under test.
        struct Holder {
            token: Secret,
        }
        let dbg = format!("{:?}", Holder { token: s.clone() });
        assert!(!dbg.contains("tok-123"), "{dbg}");
        assert_eq!(s.expose(), "tok-123-very-secret");
    }

    #[test]
    fn blank_tokens_are_detected() {
        assert!(Secret::new(" \n").is_blank());
        assert!(!Secret::new("x").is_blank());
    }
}
