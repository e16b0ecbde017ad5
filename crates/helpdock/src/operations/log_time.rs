//! The log line's timestamp, `2026-12-03T15:40:47.310274Z`, exactly as tracing-subscriber writes
//! it (UTC, micro-seconds, its way with years outside 0–9999), for a fraction of its cost: the
//! calendar part changes once a second, so each thread computes it once a second.

use std::cell::RefCell;
use std::time::{SystemTime, UNIX_EPOCH};

/// The `YYYY-MM-DDTHH:MM:SS` of the second a thread last logged in.
struct Calendar {
    second: Option<i64>,
    text: String,
}

thread_local! {
    static CALENDAR: RefCell<Calendar> =
        const { RefCell::new(Calendar { second: None, text: String::new() }) };
}

/// Appends `now` as tracing-subscriber's `SystemTime` timer writes it.
pub(super) fn push_stamp(now: SystemTime, out: &mut String) {
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
    CALENDAR.with_borrow_mut(|calendar| {
        if calendar.second != Some(second) {
            calendar.text.clear();
            push_calendar(second, &mut calendar.text);
            calendar.second = Some(second);
        }
        out.push_str(&calendar.text);
    });
    let mut digits = itoa::Buffer::new();
    let micros = digits.format(nanos / 1_000);
    // `.`, the zeros that pad the micro-seconds to six digits, the digits.
    out.push_str(&".000000"[..7 - micros.len()]);
    out.push_str(micros);
    out.push('Z');
}

/// `value` in decimal, zero-padded to `width` digits.
fn push_padded(out: &mut String, value: u64, width: usize) {
    let mut digits = [0u8; 20];
    let mut count = 0;
    let mut rest = value;
    while rest > 0 || count < width {
        digits[count] = (rest % 10) as u8;
        rest /= 10;
        count += 1;
    }
    for &digit in digits[..count].iter().rev() {
        out.push(char::from(b'0' + digit));
    }
}

/// `YYYY-MM-DDTHH:MM:SS` of `second` (UTC, proleptic Gregorian).
fn push_calendar(second: i64, out: &mut String) {
    let (days, of_day) = (second.div_euclid(86_400), second.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    // tracing-subscriber's years: `+10000`, `-0001`, `0042`.
    if year > 9999 {
        out.push('+');
        push_padded(out, year.unsigned_abs(), 1);
    } else if year < 0 {
        out.push('-');
        push_padded(out, year.unsigned_abs(), 4);
    } else {
        push_padded(out, year.unsigned_abs(), 4);
    }
    for (separator, value) in [
        ('-', month),
        ('-', day),
        ('T', of_day / 3600),
        (':', of_day / 60 % 60),
        (':', of_day % 60),
    ] {
        out.push(separator);
        push_padded(out, value.unsigned_abs(), 2);
    }
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
