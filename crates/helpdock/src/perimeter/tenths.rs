//! A request's latency in the log, `1.1`: milliseconds to a tenth, written from the duration's
//! whole nanoseconds rather than through a float and `{:.1}` (whose exact formatting was a tenth
//! of what a log line costs).

use std::fmt;
use std::time::Duration;

/// A duration in milliseconds to one decimal place, halves rounded up.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tenths(pub Duration);

impl fmt::Display for Tenths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tenths = (self.0.as_nanos() + 50_000) / 100_000;
        let mut digits = itoa::Buffer::new();
        f.write_str(digits.format(tenths / 10))?;
        f.write_str(".")?;
        f.write_str(digits.format(tenths % 10))
    }
}

#[cfg(test)]
mod tests {
    use super::Tenths;
    use std::time::Duration;

    #[test]
    fn milliseconds_to_a_tenth() {
        let cases = [
            (Duration::ZERO, "0.0"),
            (Duration::from_nanos(49_999), "0.0"),
            (Duration::from_nanos(50_000), "0.1"),
            (Duration::from_micros(1_073), "1.1"),
            (Duration::from_micros(1_050), "1.1"),
            (Duration::from_micros(1_049), "1.0"),
            (Duration::from_micros(999_950), "1000.0"),
            (Duration::from_secs(12), "12000.0"),
            (Duration::from_secs(86_400 * 365), "31536000000.0"),
        ];
        for (duration, text) in cases {
            assert_eq!(Tenths(duration).to_string(), text, "{duration:?}");
        }
    }
}
