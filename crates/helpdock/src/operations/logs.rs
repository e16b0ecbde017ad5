//! The log's format: lines for people (`text`, the default) or one JSON object per line for log
//! pipelines (`json`). The same events and fields either way, so the same redaction: what is
//! never logged (header values, queries, bodies, tokens) is in neither.

use super::log_line::PlainLine;
use std::io::{BufWriter, IsTerminal};
use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::EnvFilter;

/// Bytes of log lines gathered before one write to stderr, when lines come faster than it takes.
const BATCH_BYTES: usize = 64 * 1024;

/// Keeps the log's writer thread: dropping it writes out every line still queued.
#[must_use = "dropping the guard ends the log"]
pub struct LogGuard {
    _writer: WorkerGuard,
}

/// `log_format`: how each log line is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// `2026-12-02T21:48:24Z  INFO request method=GET …`, coloured on a terminal.
    #[default]
    Text,
    /// `{"timestamp":…,"level":"INFO","message":"request","method":"GET",…}`.
    Json,
}

impl std::str::FromStr for LogFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<LogFormat, String> {
        match text.trim() {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            other => Err(format!("{other:?} is not a log format: use text or json")),
        }
    }
}

/// Sends the process's logs to stderr in `format` (stdout carries only the lines scripts
/// parse), at the levels `RUST_LOG` asks for (`info` by default). Keep the guard until exit.
pub fn init(format: LogFormat) -> LogGuard {
    // A request only queues its line; a writer thread writes, gathering the lines that queued
    // meanwhile into one write. Under load that is a fraction of the write calls, and no request
    // waits on a slow file or pipe. Not lossy: a full queue (128k lines) makes requests wait
    // rather than drop lines.
    let (writer, guard) = NonBlockingBuilder::default()
        .lossy(false)
        .thread_name("helpdock-log")
        .finish(BufWriter::with_capacity(BATCH_BYTES, std::io::stderr()));
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    match format {
        // Colour codes only for people, who can spare the instructions they cost.
        LogFormat::Text if std::io::stderr().is_terminal() => builder.with_ansi(true).init(),
        // Log files and pipes get the same plain text through a formatter built for speed.
        LogFormat::Text => builder
            .with_ansi(false)
            .fmt_fields(PlainLine)
            .event_format(PlainLine)
            .init(),
        // Fields at the top level, the request's span (its id) beside them.
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
    LogGuard { _writer: guard }
}

#[cfg(test)]
mod tests {
    use super::LogFormat;

    #[test]
    fn formats_by_name() {
        assert_eq!("json".parse(), Ok(LogFormat::Json));
        assert_eq!(" text ".parse(), Ok(LogFormat::Text));
        assert!("JSON".parse::<LogFormat>().is_err());
    }
}
