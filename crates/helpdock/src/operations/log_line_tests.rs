//! `PlainLine` against tracing-subscriber's own plain text: the same events through both give
//! the same bytes, the timestamps aside (checked on their own, and against jiff's calendar).

use super::PlainLine;
use crate::operations::log_time::push_stamp;
use crate::perimeter::Tenths;
use std::error::Error;
use std::fmt;
use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tracing::{Level, Subscriber};
use tracing_log::log;

/// Everything a subscriber wrote.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut bytes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8(bytes.clone()).expect("UTF-8")
    }
}

/// tracing-subscriber's plain text, what the proxy wrote before `PlainLine`.
fn reference(out: &Captured) -> impl Subscriber + Send + Sync + use<> {
    let out = out.clone();
    tracing_subscriber::fmt()
        .with_ansi(false)
        .with_max_level(Level::TRACE)
        .with_writer(move || out.clone())
        .finish()
}

/// The same with `PlainLine`, as `logs::init` builds it.
fn plain(out: &Captured) -> impl Subscriber + Send + Sync + use<> {
    let out = out.clone();
    tracing_subscriber::fmt()
        .with_ansi(false)
        .with_max_level(Level::TRACE)
        .fmt_fields(PlainLine)
        .event_format(PlainLine)
        .with_writer(move || out.clone())
        .finish()
}

/// `PlainLine` for events only, tracing-subscriber's `DefaultFields` for the fields.
fn plain_events(out: &Captured) -> impl Subscriber + Send + Sync + use<> {
    let out = out.clone();
    tracing_subscriber::fmt()
        .with_ansi(false)
        .with_max_level(Level::TRACE)
        .event_format(PlainLine)
        .with_writer(move || out.clone())
        .finish()
}

/// An error with a cause, both with control characters in their text.
#[derive(Debug)]
struct Outer(Inner);
#[derive(Debug)]
struct Inner;

impl fmt::Display for Outer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("outer \x1b[1mfailed\n")
    }
}

impl fmt::Display for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("inner \u{9b}cause \"q\"")
    }
}

impl Error for Outer {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.0)
    }
}

impl Error for Inner {}

/// Counts the events it runs.
macro_rules! events {
    ($($event:expr;)*) => {{
        let mut n = 0;
        $( $event; n += 1; )*
        n
    }};
}

/// Every kind of event and field the table covers; returns how many events were emitted.
fn emit_table() -> usize {
    let (outer, inner) = (Outer(Inner), Inner);
    let outer: &(dyn Error + 'static) = &outer;
    let inner: &(dyn Error + 'static) = &inner;
    let latency_ms = 1.25_f64;
    let mut n = events! {
        tracing::info!(method = %"GET", route = %"/api/x.php", status = 200_u16,
            latency_ms = format_args!("{latency_ms:.1}"), request_id = %"37326c3e", "request");
        tracing::info!("plain message");
        tracing::trace!("trace level");
        tracing::debug!("debug level");
        tracing::warn!("warn level");
        tracing::error!("error level");
        tracing::info!(s = "text", empty = "", u = u64::MAX, i = i64::MIN, neg = -42_i64,
            yes = true, no = false, "kinds");
        tracing::info!(f = 1.5_f64, big = 1e20_f64, sum = 0.1_f64 + 0.2, small = 1e-7_f64,
            nan = f64::NAN, inf = f64::NEG_INFINITY, whole = 3.0_f64);
        tracing::info!(u128 = u128::MAX, i128 = i128::MIN, bytes = &b"ab\x00"[..]);
        tracing::info!(debug = ?vec![Some("x"), None], display = %"shown as is", "debug and display");
        tracing::info!("hello {} {:?} {:>5}|", 1, "quoted", "pad");
        tracing::info!(a = 1, b = "no message");
        tracing::info!(message = "message as a str \x1b[31m red", after = 1);
        tracing::info!(message = 7_u64, after = true);
        tracing::info!(message = ?"message as debug \x1b[31m", after = 2);
        tracing::info!(message = %"message as display \x07 bell", after = 3);
        tracing::info!(field = "a\nb", display = %"c\nd", debug = ?"e\nf", "new\nline");
        tracing::info!(field = "\x1b[31m", display = %"\x1b[31m", debug = ?"\x1b[31m",
            "esc \x1b[31m red \x1b[0m");
        tracing::info!(field = "a\tb", display = %"c\td", "tab\there");
        tracing::info!(field = "say \"hi\" \\ back", display = %"\"q\"", "quotes \" and \\");
        tracing::info!(field = "héllo ✓ 日本 e\u{301} \u{200b} \u{9b} \u{85}", display = %"é\u{9b}",
            "unicode é ✓ \u{9b} \u{85} \u{a0} \u{80}\u{9f}\u{bf} \x08 \x0c \x7f \r");
        tracing::info!(r#type = "raw", http.status = 200, "r#as_written" = 1, "names");
        tracing::info!(target: "custom::target", "another target");
        tracing::error!(error = outer, "with causes");
        tracing::error!(error = inner, "without causes");
        tracing::error!(message = outer);
        tracing::info!(error = inner);
    };
    let record = |level, text: &str| {
        tracing_log::format_trace(
            &log::Record::builder()
                .level(level)
                .target("rustls::client")
                .module_path_static(Some("rustls::client::hs"))
                .file_static(Some("src/client/hs.rs"))
                .line(Some(42))
                .args(format_args!("{text}"))
                .build(),
        )
        .expect("log record");
    };
    n += events! {
        record(log::Level::Warn, "from the log crate \x1b[2J");
        record(log::Level::Info, "and again");
    };
    let outer_span = tracing::info_span!("request", request_id = %"abc", s = "q\"", n = 3);
    let entered = outer_span.enter();
    n += events! {
        tracing::info!("inside one span");
        tracing::warn!(status = 502_u16, "upstream failed");
    };
    let inner_span = tracing::debug_span!("upstream", attempt = 2_u64, host = %"helpdesk");
    let inner_entered = inner_span.enter();
    n += events! {
        tracing::error!(error = outer, "inside two spans");
        tracing::info!(a = "b");
    };
    drop(inner_entered);
    let bare = tracing::info_span!("bare");
    let later = tracing::info_span!("later", x = tracing::field::Empty, y = 1);
    n += events! {
        bare.in_scope(|| tracing::info!("span without fields"));
    };
    later.record("x", "filled in");
    n += events! {
        later.in_scope(|| tracing::info!("span with a field recorded later"));
    };
    later.record("x", 5);
    n += events! {
        later.in_scope(|| tracing::info!("recorded twice"));
        tracing::info!(parent: None, "explicitly without a parent");
        tracing::info!(parent: &bare, "explicit parent");
    };
    drop(entered);
    n
}

/// Whether `token` is shaped `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
fn is_stamp(token: &str) -> bool {
    let shape = "dddd-dd-ddTdd:dd:dd.ddddddZ";
    token.len() == shape.len()
        && token.bytes().zip(shape.bytes()).all(|(b, s)| {
            if s == b'd' {
                b.is_ascii_digit()
            } else {
                b == s
            }
        })
}

/// The output with each line's leading timestamp replaced, and those timestamps.
fn without_stamps(text: &str) -> (String, Vec<String>) {
    let mut stamps = Vec::new();
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        match line.split_once(' ') {
            Some((token, rest)) if is_stamp(token) => {
                stamps.push(token.to_owned());
                out.push_str("<time> ");
                out.push_str(rest);
            }
            _ => out.push_str(line),
        }
    }
    (out, stamps)
}

#[test]
fn every_event_is_written_as_tracing_subscriber_writes_it() {
    let (theirs, ours) = (Captured::default(), Captured::default());
    let before = SystemTime::now();
    let count = tracing::subscriber::with_default(reference(&theirs), emit_table);
    assert_eq!(
        tracing::subscriber::with_default(plain(&ours), emit_table),
        count
    );
    let after = SystemTime::now();
    let (theirs, their_stamps) = without_stamps(&theirs.text());
    let (ours, our_stamps) = without_stamps(&ours.text());
    assert_eq!(their_stamps.len(), count, "{theirs}");
    assert_eq!(our_stamps.len(), count, "{ours}");
    // Line by line first, for a readable failure; then every byte.
    for (their_line, our_line) in theirs.lines().zip(ours.lines()) {
        assert_eq!(our_line, their_line);
    }
    assert_eq!(ours, theirs);
    // With another field formatter, the event's fields are left to it.
    let mixed = Captured::default();
    tracing::subscriber::with_default(plain_events(&mixed), emit_table);
    assert_eq!(without_stamps(&mixed.text()).0, theirs);
    // Micro-seconds since the epoch, truncated as the stamps are.
    let micros = |time: SystemTime| {
        let time = jiff::Timestamp::try_from(time).expect("in jiff's range");
        time.as_microsecond()
    };
    let (from, to) = (micros(before), micros(after));
    for text in our_stamps {
        let time: jiff::Timestamp = text.parse().expect("a timestamp");
        let time = time.as_microsecond();
        assert!((from..=to).contains(&time), "{text}");
        assert!(to - time < 1_000_000, "{text}");
    }
}

/// The timestamp `PlainLine` writes for `time`.
fn stamp(time: SystemTime) -> String {
    let mut text = String::new();
    push_stamp(time, &mut text);
    text
}

/// The timestamp of `time` as jiff writes it (micro-seconds, truncated).
fn jiff_text(time: SystemTime) -> String {
    let time = jiff::Timestamp::try_from(time).expect("in jiff's range");
    let truncated = jiff::Timestamp::new(time.as_second(), time.subsec_nanosecond() / 1000 * 1000)
        .expect("in range");
    format!("{truncated:.6}")
}

#[test]
fn the_cached_calendar_follows_each_second() {
    let at = |second: u64, nanos: u32| UNIX_EPOCH + Duration::new(second, nanos);
    // 2026-12-31T23:59:59: the next micro-second is another day, month and year.
    let new_year = 1_798_761_599;
    let times = [
        at(new_year, 999_999_999),
        at(new_year + 1, 1_000),
        at(new_year + 1, 999_999),
        at(new_year, 500_000_000),
        at(0, 0),
        // A leap day, the day after, and 1 March 2100 (a century year, not leap).
        at(1_709_164_800, 123_456_789),
        at(1_709_251_200, 0),
        at(4_107_542_400, 7_000),
        UNIX_EPOCH - Duration::from_millis(500),
        UNIX_EPOCH - Duration::from_secs(86_400 * 365 * 100),
        SystemTime::now(),
    ];
    for time in times {
        assert_eq!(stamp(time), jiff_text(time), "{time:?}");
    }
}

#[test]
fn years_beyond_four_digits_are_written_as_tracing_subscriber_writes_them() {
    let year_10000 = 253_402_300_800;
    assert_eq!(
        stamp(UNIX_EPOCH + Duration::new(year_10000, 5_000)),
        "+10000-01-01T00:00:00.000005Z"
    );
    let year_minus_1 = 62_198_755_200;
    assert_eq!(
        stamp(UNIX_EPOCH - Duration::from_secs(year_minus_1)),
        "-0001-01-01T00:00:00.000000Z"
    );
}

/// 10,000 request lines and their spans, as `perimeter::request_log` makes them; the latency
/// written by `Tenths` or, as before it, by `format_args!("{:.1}")`.
#[inline(never)]
fn emit_requests(tenths: bool) {
    for _ in 0..10_000 {
        let id = "37326c3e5ea971c5c34d21036b28641a";
        let span = tracing::info_span!("request", request_id = %id);
        drop(span);
        let (method, route, elapsed) = (
            "GET",
            "/api/ticket_categories.php",
            Duration::from_micros(1073),
        );
        if tenths {
            tracing::info!(
                method = %method,
                route = %route,
                status = 200_u16,
                latency_ms = %Tenths(elapsed),
                request_id = %id,
                "request"
            );
        } else {
            tracing::info!(
                method = %method,
                route = %route,
                status = 200_u16,
                latency_ms = format_args!("{:.1}", elapsed.as_secs_f64() * 1000.0),
                request_id = %id,
                "request"
            );
        }
    }
}

/// Instructions per request line (not run by default). Build with `cargo test --release -p
/// helpdock --lib --no-run`, then run the test binary with `--ignored --exact
/// operations::log_line::tests::request_lines_cost` under `valgrind --tool=callgrind
/// --toggle-collect='*emit_requests*'` with `LOG_LINE` set to `reference` (tracing-subscriber's
/// format, as before), `plain` (`PlainLine`, the latency as before) or `tenths` (`PlainLine` and
/// `Tenths`, as now); the instructions collected divided by 10,000.
#[test]
#[ignore = "a measurement, run under callgrind"]
fn request_lines_cost() {
    let mode = std::env::var("LOG_LINE").unwrap_or_default();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(std::io::sink);
    if mode == "reference" {
        tracing::subscriber::with_default(subscriber.finish(), || emit_requests(false));
    } else {
        let subscriber = subscriber.fmt_fields(PlainLine).event_format(PlainLine);
        let tenths = mode == "tenths";
        tracing::subscriber::with_default(subscriber.finish(), || emit_requests(tenths));
    }
}
