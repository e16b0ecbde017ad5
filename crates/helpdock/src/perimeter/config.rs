//! `[limits]`: how many creates and replies a client may send, how fast a person can fill the
//! form, and how many reverse proxies stand in front of Helpdock.

use serde::Deserialize;
use std::time::Duration;

/// The `[limits]` table of the config file; every key is optional.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    /// Creates a client (IP or identity) may send at once before the hourly rate applies.
    pub create_burst: u32,
    /// Creates per hour a client may sustain.
    pub create_per_hour: u32,
    /// Replies a client may send at once before the hourly rate applies.
    pub reply_burst: u32,
    /// Replies per hour a client may sustain.
    pub reply_per_hour: u32,
    /// A create whose form was filled faster than this (milliseconds) is refused as spam.
    pub min_fill_ms: u64,
    /// `0`: the client is the socket's peer; `n`: the `n`-th `X-Forwarded-For` entry from the right.
    pub trusted_proxy_hops: u32,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            create_burst: 5,
            create_per_hour: 30,
            reply_burst: 10,
            reply_per_hour: 120,
            min_fill_ms: 2000,
            trusted_proxy_hops: 0,
        }
    }
}

/// A `[limits]` key whose value cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {message}")]
pub struct LimitError {
    /// The key within `[limits]`, e.g. `create_burst`.
    pub key: &'static str,
    /// What is wrong and what is accepted.
    pub message: String,
}

/// A burst beyond this is no limit at all, and would hide a typo (an extra zero or three).
const MAX_BURST: u32 = 10_000;
/// One request a millisecond, all hour long: anything higher is a typo, not a policy.
const MAX_PER_HOUR: u32 = 3_600_000;
/// Nobody needs more than a minute to be believed human; more would refuse real people.
const MAX_MIN_FILL_MS: u64 = 60_000;
/// Deeper proxy chains do not exist in practice; a large value is a misreading of the setting.
const MAX_PROXY_HOPS: u32 = 10;

impl LimitsConfig {
    /// Checks every value is within its range; the error names the key.
    pub fn validate(&self) -> Result<(), LimitError> {
        let ranged = |key, value: u64, min: u64, max: u64| {
            if (min..=max).contains(&value) {
                Ok(())
            } else {
                Err(LimitError {
                    key,
                    message: format!("must be a whole number from {min} to {max}, not {value}"),
                })
            }
        };
        ranged(
            "create_burst",
            self.create_burst.into(),
            1,
            MAX_BURST.into(),
        )?;
        ranged(
            "create_per_hour",
            self.create_per_hour.into(),
            1,
            MAX_PER_HOUR.into(),
        )?;
        ranged("reply_burst", self.reply_burst.into(), 1, MAX_BURST.into())?;
        ranged(
            "reply_per_hour",
            self.reply_per_hour.into(),
            1,
            MAX_PER_HOUR.into(),
        )?;
        ranged("min_fill_ms", self.min_fill_ms, 0, MAX_MIN_FILL_MS)?;
        ranged(
            "trusted_proxy_hops",
            self.trusted_proxy_hops.into(),
            0,
            MAX_PROXY_HOPS.into(),
        )
    }

    /// The shortest time a person needs to fill the form.
    pub fn min_fill(&self) -> Duration {
        Duration::from_millis(self.min_fill_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_ones_and_valid() {
        let parsed: LimitsConfig = toml::from_str("").expect("empty table");
        assert_eq!(parsed, LimitsConfig::default());
        let d = LimitsConfig::default();
        assert_eq!(
            (
                d.create_burst,
                d.create_per_hour,
                d.reply_burst,
                d.reply_per_hour
            ),
            (5, 30, 10, 120)
        );
        assert_eq!((d.min_fill_ms, d.trusted_proxy_hops), (2000, 0));
        assert_eq!(d.validate(), Ok(()));
    }

    #[test]
    fn a_partial_table_keeps_the_other_defaults() {
        let parsed: LimitsConfig =
            toml::from_str("create_burst = 2\ntrusted_proxy_hops = 1").expect("parses");
        assert_eq!(parsed.create_burst, 2);
        assert_eq!(parsed.trusted_proxy_hops, 1);
        assert_eq!(parsed.reply_per_hour, 120);
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_refused() {
        assert!(toml::from_str::<LimitsConfig>("create_bursts = 2").is_err());
        assert!(toml::from_str::<LimitsConfig>("create_burst = -1").is_err());
        assert!(toml::from_str::<LimitsConfig>("min_fill_ms = \"2s\"").is_err());
    }

    #[test]
    fn out_of_range_values_name_their_key() {
        type Breaker = fn(&mut LimitsConfig);
        let cases: [(Breaker, &str); 7] = [
            (|l| l.create_burst = 0, "create_burst"),
            (|l| l.create_per_hour = 0, "create_per_hour"),
            (|l| l.reply_burst = MAX_BURST + 1, "reply_burst"),
            (|l| l.reply_per_hour = 0, "reply_per_hour"),
            (|l| l.min_fill_ms = MAX_MIN_FILL_MS + 1, "min_fill_ms"),
            (|l| l.trusted_proxy_hops = 11, "trusted_proxy_hops"),
            (|l| l.create_per_hour = MAX_PER_HOUR + 1, "create_per_hour"),
        ];
        for (break_it, key) in cases {
            let mut limits = LimitsConfig::default();
            break_it(&mut limits);
            let err = limits.validate().expect_err(key);
            assert_eq!(err.key, key);
        }
        let zero_fill = LimitsConfig {
            min_fill_ms: 0,
            ..LimitsConfig::default()
        };
        assert_eq!(zero_fill.validate(), Ok(()), "0 turns the timing check off");
    }
}
