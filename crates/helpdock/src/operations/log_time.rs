//! The log line's timestamp, `2026-12-03T15:40:47.310274Z`, exactly as tracing-subscriber writes
//! it (UTC, micro-seconds, its way with years outside 0–9999), for a fraction of its cost: the
//! calendar part changes once a second, so each thread computes it once a second.

use std::cell::RefCell;
use std::time::{SystemTime, UNIX_EPOCH};

/// Room for the longest timestamp: `+292277026596-12-04T15:30:07.999999Z` is 36 bytes.
const ROOM: usize = 40;

/// One formatted timestamp, kept on the stack.
pub(super) struct Stamp {
    text: [u8; ROOM],
    len: usize,
}

impl Stamp {
    /// The timestamp's text.
    pub(super) fn as_str(&self) -> &str {
        // Only ASCII digits and punctuation are ever put in.
        std::str::from_utf8(&self.text[..self.len]).unwrap_or("<unknown time>")
    }

    fn push(&mut self, bytes: &[u8]) {
        self.text[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    /// `value` in decimal, zero-padded to `width` digits.
    fn push_padded(&mut self, value: u64, width: usize) {
        let mut digits = [b'0'; 20];
        let mut at = digits.len();
        let mut rest = value;
        while rest > 0 || digits.len() - at < width {
            at -= 1;
            digits[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        self.push(&digits[at..]);
    }
}

/// The `YYYY-MM-DDTHH:MM:SS` of the second a thread last logged in.
struct Calendar {
    second: Option<i64>,
    text: Stamp,
}

thread_local! {
    static CALENDAR: RefCell<Calendar> = const {
        RefCell::new(Calendar { second: None, text: Stamp { text: [0; ROOM], len: 0 } })
    };
}

/// `now` as tracing-subscriber's `SystemTime` timer writes it.
pub(super) fn stamp(now: SystemTime) -> Stamp {
    // Seconds and nanoseconds as tracing-subscriber splits them, before the epoch included.
    let (second, nanos) = match now.duration_since(UNIX_EPOCH) {
        Ok(since) => (since.as_secs() as i64, since.subsec_nanos()),
        Err(error) => {
            let before = error.duration();
            match before.subsec_nanos() {
                0 => (-(before.as_secs() as i64), 0),
                nanos => (-(before.as_secs() as i64) - 1, 1_000_000_000 - nanos),
            }
        }
    };
    let mut stamp = CALENDAR.with_borrow_mut(|calendar| {
        if calendar.second != Some(second) {
            calendar.text = calendar_text(second);
            calendar.second = Some(second);
        }
        Stamp {
            text: calendar.text.text,
            len: calendar.text.len,
        }
    });
    stamp.push(b".");
    stamp.push_padded(u64::from(nanos / 1_000), 6);
    stamp.push(b"Z");
    stamp
}

/// `YYYY-MM-DDTHH:MM:SS` of `second` (UTC, proleptic Gregorian).
fn calendar_text(second: i64) -> Stamp {
    let (days, of_day) = (second.div_euclid(86_400), second.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    let mut text = Stamp {
        text: [0; ROOM],
        len: 0,
    };
    // tracing-subscriber's years: `+10000`, `-0001`, `0042`.
    if year > 9999 {
        text.push(b"+");
        text.push_padded(year.unsigned_abs(), 1);
    } else if year < 0 {
        text.push(b"-");
        text.push_padded(year.unsigned_abs(), 4);
    } else {
        text.push_padded(year.unsigned_abs(), 4);
    }
    for (separator, value) in [
        (b'-', month),
        (b'-', day),
        (b'T', of_day / 3600),
        (b':', of_day / 60 % 60),
        (b':', of_day % 60),
    ] {
        text.push(&[separator]);
        text.push_padded(value.unsigned_abs(), 2);
    }
    text
}

/// Year, month and day of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * from_march + 2) / 5 + 1;
    let month = if from_march < 10 {
        from_march + 3
    } else {
        from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}
