//! The escaping tracing-subscriber's plain text gives a message (and an error's text): the
//! control characters a terminal would obey (ESC, BEL, BS, FF, DEL, C1) spelled out, so a logged
//! message cannot recolour, rewrite or hide the lines around it. Newlines, tabs and carriage
//! returns pass, as they do there.

use std::error::Error;
use std::fmt::{self, Write as _};

/// Whether a byte may start a character tracing-subscriber escapes (0xC2 leads U+0080–U+00BF).
fn may_escape(byte: u8) -> bool {
    matches!(byte, 0x07 | 0x08 | 0x0c | 0x1b | 0x7f | 0xc2)
}

/// Writes `text` with the control characters a terminal would obey spelled out (`\x1b`, `\u{9b}`).
pub(super) fn write_escaped<W: fmt::Write + ?Sized>(
    writer: &mut W,
    text: &str,
    sanitize: bool,
) -> fmt::Result {
    if !sanitize || !text.bytes().any(may_escape) {
        return writer.write_str(text);
    }
    for ch in text.chars() {
        match ch {
            '\x1b' => writer.write_str("\\x1b")?,
            '\x07' => writer.write_str("\\x07")?,
            '\x08' => writer.write_str("\\x08")?,
            '\x0c' => writer.write_str("\\x0c")?,
            '\x7f' => writer.write_str("\\x7f")?,
            '\u{80}'..='\u{9f}' => write!(writer, "\\u{{{:x}}}", u32::from(ch))?,
            _ => writer.write_char(ch)?,
        }
    }
    Ok(())
}

/// A value formatted through [`write_escaped`] (tracing-subscriber's `EscapeGuard`).
pub(super) struct Escaped<T>(pub(super) T, pub(super) bool);

/// Passes each piece a value's formatting writes through [`write_escaped`].
pub(super) struct Escaping<'a, W: ?Sized>(pub(super) &'a mut W, pub(super) bool);

impl<W: fmt::Write + ?Sized> fmt::Write for Escaping<'_, W> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        write_escaped(self.0, text, self.1)
    }
}

impl<T: fmt::Debug> fmt::Debug for Escaped<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(Escaping(f, self.1), "{:?}", self.0)
    }
}

impl<T: fmt::Display> fmt::Display for Escaped<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(Escaping(f, self.1), "{}", self.0)
    }
}

/// An error and its causes as `[first, second]` (tracing-subscriber's `ErrorSourceList`).
pub(super) struct Sources<'a>(pub(super) &'a (dyn Error + 'static), pub(super) bool);

impl fmt::Display for Sources<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        let mut next = Some(self.0);
        while let Some(error) = next {
            list.entry(&Escaped(format_args!("{error}"), self.1));
            next = error.source();
        }
        list.finish()
    }
}
