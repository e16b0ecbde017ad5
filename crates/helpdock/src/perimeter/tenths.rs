//! A request's latency in the log, `1.1`: the text `format!("{ms:.1}")` writes, without core's
//! exact float formatting (~450 instructions a line, a tenth of what a log line costs).

use std::fmt;

/// The largest value written here; above it (and for negatives, NaN) `{:.1}` itself writes.
const LIMIT: f64 = 1e12;

/// A value written to one decimal place, rounded as `{:.1}` rounds (ties to even).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tenths(pub f64);

impl fmt::Display for Tenths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = self.0;
        // Below 0.04 every value rounds to 0.0; 0.04..1e12 is `m × 2^e` with e in -57..-12.
        if !(0.04..LIMIT).contains(&value) {
            return match value.is_sign_positive() && value < 0.04 {
                true => f.write_str("0.0"),
                false => write!(f, "{value:.1}"),
            };
        }
        let bits = value.to_bits();
        let mantissa = (bits & ((1 << 52) - 1)) | (1 << 52);
        let shift = 1075 - ((bits >> 52) & 0x7ff) as u32;
        // Ten times the value, exactly, as a whole part and the bits below it.
        let tens = u128::from(mantissa) * 10;
        let whole = tens >> shift;
        let below = tens & ((1 << shift) - 1);
        let half = 1 << (shift - 1);
        let tenths = whole + u128::from(below > half || (below == half && whole % 2 == 1));
        let mut digits = itoa::Buffer::new();
        f.write_str(digits.format(tenths / 10))?;
        f.write_str(".")?;
        f.write_str(digits.format(tenths % 10))
    }
}

#[cfg(test)]
mod tests {
    use super::Tenths;

    fn check(value: f64) {
        assert_eq!(
            Tenths(value).to_string(),
            format!("{value:.1}"),
            "{value:e} ({:#x})",
            value.to_bits()
        );
    }

    #[test]
    fn writes_what_format_writes() {
        let edges = [
            0.0,
            -0.0,
            0.04,
            0.049999,
            0.05,
            0.0500001,
            0.15,
            0.25,
            0.35,
            0.45,
            0.95,
            1.05,
            1.25,
            2.5,
            9.95,
            99.95,
            1.0734,
            1e-300,
            5e-324,
            1e11,
            999_999_999_999.95,
            1e12,
            1e15,
            1e300,
            -0.04,
            -1.25,
            f64::NAN,
            f64::INFINITY,
            f64::MAX,
            f64::MIN_POSITIVE,
        ];
        for value in edges {
            check(value);
        }
        // Every exact tie (k/20 with k odd) and its neighbours on both sides, to 5,000 ms.
        for k in 0..100_000_u32 {
            let value = f64::from(k) / 20.0;
            for bits in [
                value.to_bits().saturating_sub(1),
                value.to_bits(),
                value.to_bits() + 1,
            ] {
                check(f64::from_bits(bits));
            }
        }
        // Latencies as the proxy computes them, over every magnitude it can meet.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let nanos = state % (1 << (state % 50));
            check(std::time::Duration::from_nanos(nanos).as_secs_f64() * 1000.0);
        }
    }
}
