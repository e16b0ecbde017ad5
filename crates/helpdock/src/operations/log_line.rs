//! The plain-text log line, byte for byte what `tracing_subscriber::fmt().with_ansi(false)` writes
//! (its `Full` format and `DefaultFields`, tracing-subscriber 0.3.23), for a fraction of its cost.
//! Its general machinery (a `core::fmt` call per piece, styles even with colours off) took
//! ~10,000 instructions per request line; here strings, integers, booleans and the timestamp are
//! written directly, and `core::fmt` only runs for what needs it (`Debug` and `Display` values,
//! floats, messages).
//!
//! Escaping is tracing-subscriber's, no more and no less: a message's terminal control characters
//! are spelled out (`log_escape`), `&str` fields are `Debug`-quoted, other fields are written as
//! their `Debug` or `Display` makes them — `%` values unescaped, as there.

use super::log_escape::{Escaped, Escaping, Sources, write_escaped};
use super::log_time;
use std::any::Any;
use std::cell::RefCell;
use std::error::Error;
use std::fmt::{self, Write as _};
use std::time::SystemTime;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_log::NormalizeEvent;
use tracing_subscriber::field::RecordFields;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, FormattedFields};
use tracing_subscriber::registry::LookupSpan;

/// Formats events and span fields as tracing-subscriber's default text without colours does.
#[derive(Clone, Copy, Debug, Default)]
pub struct PlainLine;

/// The most scratch space a thread keeps between lines.
const MAX_KEPT: usize = 64 * 1024;

thread_local! {
    /// A line (or a span's fields) is put together here, then handed over in one write: the
    /// writer behind `Writer` is two calls through `dyn` away, and a span's field string then
    /// grows once.
    static SCRATCH: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Runs `write` on this thread's cleared scratch string.
fn with_scratch<R>(write: impl FnOnce(&mut String) -> R) -> R {
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => {
            scratch.clear();
            let written = write(&mut scratch);
            // One huge line is no reason to keep its size for the thread's life.
            if scratch.capacity() > MAX_KEPT {
                *scratch = String::new();
            }
            written
        }
        // A value whose formatting logs gets a string of its own.
        Err(_) => write(&mut String::new()),
    })
}

impl<S, N> FormatEvent<S, N> for PlainLine
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        // A `log` crate record (rustls, …) is named by its own target, not `log`.
        let normalized = event.normalized_metadata();
        let meta = normalized.as_ref().unwrap_or_else(|| event.metadata());
        with_scratch(|line| {
            log_time::push_stamp(SystemTime::now(), line);
            line.push_str(level_column(*meta.level()));
            if let Some(scope) = ctx.event_scope() {
                let mut seen = false;
                for span in scope.from_root() {
                    line.push_str(span.metadata().name());
                    seen = true;
                    if let Some(fields) = span.extensions().get::<FormattedFields<N>>()
                        && !fields.fields.is_empty()
                    {
                        line.push('{');
                        line.push_str(&fields.fields);
                        line.push('}');
                    }
                    line.push(':');
                }
                if seen {
                    line.push(' ');
                }
            }
            line.push_str(meta.target());
            line.push_str(": ");
            let fields_are_ours = (ctx.field_format() as &dyn Any).is::<PlainLine>();
            if fields_are_ours {
                record(event, line, writer.sanitizes_ansi_escapes())?;
                line.push('\n');
                return writer.write_str(line);
            }
            writer.write_str(line)?;
            ctx.format_fields(writer.by_ref(), event)?;
            writer.write_char('\n')
        })
    }
}

impl<'writer> FormatFields<'writer> for PlainLine {
    fn format_fields<R: RecordFields>(
        &self,
        mut writer: Writer<'writer>,
        fields: R,
    ) -> fmt::Result {
        let sanitize = writer.sanitizes_ansi_escapes();
        with_scratch(|text| {
            record(fields, text, sanitize)?;
            writer.write_str(text)
        })
    }
}

/// Appends `fields` to `out` as `DefaultFields` writes them.
fn record(fields: impl RecordFields, out: &mut String, sanitize: bool) -> fmt::Result {
    let mut visitor = Fields {
        out,
        sanitize,
        first: true,
        result: Ok(()),
    };
    fields.record(&mut visitor);
    visitor.result
}

/// The level between the timestamp and the rest, padded to five as tracing-subscriber pads it.
fn level_column(level: Level) -> &'static str {
    match level {
        Level::TRACE => " TRACE ",
        Level::DEBUG => " DEBUG ",
        Level::INFO => "  INFO ",
        Level::WARN => "  WARN ",
        Level::ERROR => " ERROR ",
    }
}

/// Writes fields as `DefaultVisitor` does: `message` without a key, the rest as `key=value`,
/// separated by spaces.
struct Fields<'a> {
    out: &'a mut String,
    sanitize: bool,
    first: bool,
    result: fmt::Result,
}

/// Which part of the line a field's value goes to.
enum Slot {
    /// Already written (by tracing-log, into the target), or writing already failed.
    Skip,
    /// The message: no key, control characters escaped.
    Message,
    /// `key=` is written; the value follows as is.
    Value,
}

impl Fields<'_> {
    /// Writes what comes before a field's value and says where it goes.
    fn open(&mut self, field: &Field) -> Slot {
        let name = field.name();
        if self.result.is_err() || name.starts_with("log.") {
            return Slot::Skip;
        }
        if !std::mem::take(&mut self.first) {
            self.out.push(' ');
        }
        if name == "message" {
            return Slot::Message;
        }
        self.out.push_str(name.strip_prefix("r#").unwrap_or(name));
        self.out.push('=');
        Slot::Value
    }

    /// A value whose text never holds anything to escape.
    fn plain(&mut self, field: &Field, text: &str) {
        if !matches!(self.open(field), Slot::Skip) {
            self.out.push_str(text);
        }
    }
}

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        match self.open(field) {
            Slot::Skip => {}
            Slot::Message => self.result = write_escaped(self.out, value, self.sanitize),
            Slot::Value => self.result = write_quoted(self.out, value),
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.plain(field, itoa::Buffer::new().format(value));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.plain(field, itoa::Buffer::new().format(value));
    }

    fn record_u128(&mut self, field: &Field, value: u128) {
        self.plain(field, itoa::Buffer::new().format(value));
    }

    fn record_i128(&mut self, field: &Field, value: i128) {
        self.plain(field, itoa::Buffer::new().format(value));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.plain(field, if value { "true" } else { "false" });
    }

    fn record_error(&mut self, field: &Field, value: &(dyn Error + 'static)) {
        // `DefaultVisitor::record_error`'s text: the error, then its causes as a list.
        let sanitize = self.sanitize;
        match value.source() {
            Some(source) => self.record_debug(
                field,
                &format_args!(
                    "{} {}.sources={}",
                    Escaped(format_args!("{value}"), sanitize),
                    field.name(),
                    Sources(source, sanitize)
                ),
            ),
            None => self.record_debug(
                field,
                &format_args!("{}", Escaped(format_args!("{value}"), sanitize)),
            ),
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        match self.open(field) {
            Slot::Skip => {}
            Slot::Message => {
                self.result = write!(Escaping(self.out, self.sanitize), "{value:?}");
            }
            Slot::Value => self.result = write!(self.out, "{value:?}"),
        }
    }
}

/// `value` as `Debug` writes a `&str`: quoted, with one scan and no `core::fmt` when nothing in
/// it needs a backslash.
fn write_quoted(out: &mut String, value: &str) -> fmt::Result {
    if value
        .bytes()
        .all(|b| matches!(b, b' '..=b'~') && b != b'"' && b != b'\\')
    {
        out.push('"');
        out.push_str(value);
        out.push('"');
        Ok(())
    } else {
        write!(out, "{value:?}")
    }
}

#[cfg(test)]
#[path = "log_line_tests.rs"]
mod tests;
