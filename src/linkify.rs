//! Finds the http(s) links in a message's plain text. The widget turns each into an `<a>` element
//! node and leaves everything else as text, so upstream text is never parsed as markup; any other
//! scheme (`javascript:`, `data:`, `mailto:` …) stays plain text.

/// A run of a message: plain text, or a link whose text is also its `href`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Shown as is.
    Text(&'a str),
    /// An `http://` or `https://` URL.
    Link(&'a str),
}

/// `text` cut into text and links, in order; concatenated they give back `text`.
pub fn segments(text: &str) -> Vec<Segment<'_>> {
    // ASCII lower-casing keeps every byte where it was, so indices carry over to `text`.
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let (mut plain_from, mut at) = (0, 0);
    while let Some(found) = lower[at..].find("http") {
        let start = at + found;
        match link_at(text, &lower, start) {
            Some(end) => {
                if plain_from < start {
                    out.push(Segment::Text(&text[plain_from..start]));
                }
                out.push(Segment::Link(&text[start..end]));
                (plain_from, at) = (end, end);
            }
            None => at = start + "http".len(),
        }
    }
    if plain_from < text.len() {
        out.push(Segment::Text(&text[plain_from..]));
    }
    out
}

/// The end of the link starting at `start`, if one does.
fn link_at(text: &str, lower: &str, start: usize) -> Option<usize> {
    let scheme = ["https://", "http://"]
        .into_iter()
        .find(|s| lower[start..].starts_with(s))?;
    // `xhttp://…` or `2http://…` is not the start of a link.
    if text[..start]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
    {
        return None;
    }
    let after = &text[start..];
    let run = after
        .find(|c: char| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '`'))
        .unwrap_or(after.len());
    let end = trimmed_end(&after[..run]);
    let host_starts = after[scheme.len()..end]
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '[');
    host_starts.then_some(start + end)
}

/// The URL's length without the punctuation that ends the sentence around it; a closing bracket
/// stays when it closes one opened inside the URL (`…/Rust_(language)`).
fn trimmed_end(url: &str) -> usize {
    let mut end = url.len();
    while let Some(last) = url[..end].chars().next_back() {
        let unbalanced = |open: char| {
            let inside = &url[..end];
            inside.matches(open).count() < inside.matches(last).count()
        };
        let trailing = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '。' | '、' | '！' | '？' => true,
            ')' => unbalanced('('),
            ']' => unbalanced('['),
            '}' => unbalanced('{'),
            _ => false,
        };
        if !trailing {
            break;
        }
        end -= last.len_utf8();
    }
    end
}

#[cfg(test)]
mod tests {
    use super::Segment::{Link, Text};
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn links_and_text_alternate_and_join_back() {
        let cases: &[(&str, &[Segment])] = &[
            ("no links here", &[Text("no links here")]),
            ("", &[]),
            ("https://example.com", &[Link("https://example.com")]),
            (
                "See https://example.com/a?b=1&c=2#d now",
                &[
                    Text("See "),
                    Link("https://example.com/a?b=1&c=2#d"),
                    Text(" now"),
                ],
            ),
            (
                "one http://a.example and HTTPS://B.example/x\ntwo",
                &[
                    Text("one "),
                    Link("http://a.example"),
                    Text(" and "),
                    Link("HTTPS://B.example/x"),
                    Text("\ntwo"),
                ],
            ),
            (
                "https://a.example,https://b.example",
                &[Link("https://a.example,https://b.example")],
            ),
        ];
        for (text, expected) in cases {
            let got = segments(text);
            assert_eq!(&got, expected, "{text:?}");
            let joined: String = got
                .iter()
                .map(|s| match s {
                    Text(t) | Link(t) => *t,
                })
                .collect();
            assert_eq!(&joined, text);
        }
    }

    #[test]
    fn sentence_punctuation_stays_outside() {
        for (text, link) in [
            ("Go to https://example.com.", "https://example.com"),
            (
                "https://example.com/path?, then",
                "https://example.com/path",
            ),
            ("is it https://example.com/x!?", "https://example.com/x"),
            ("'https://example.com/q'", "https://example.com/q"),
            ("https://example.com/end:", "https://example.com/end"),
            (
                "https://example.com/a.b/c.html.",
                "https://example.com/a.b/c.html",
            ),
        ] {
            assert!(
                segments(text).contains(&Link(link)),
                "{text:?}: {:?}",
                segments(text)
            );
        }
    }

    #[test]
    fn brackets_close_only_what_the_url_opened() {
        for (text, link) in [
            ("(see https://example.com/x)", "https://example.com/x"),
            (
                "https://en.wikipedia.org/wiki/Rust_(language)",
                "https://en.wikipedia.org/wiki/Rust_(language)",
            ),
            (
                "(https://en.wikipedia.org/wiki/Rust_(language)).",
                "https://en.wikipedia.org/wiki/Rust_(language)",
            ),
            ("[https://example.com/a]", "https://example.com/a"),
            ("https://example.com/[1]", "https://example.com/[1]"),
        ] {
            assert!(
                segments(text).contains(&Link(link)),
                "{text:?}: {:?}",
                segments(text)
            );
        }
    }

    #[test]
    fn other_schemes_and_markup_stay_text() {
        for text in [
            "javascript:alert(1)",
            "JavaScript://example.com/%0aalert(1)",
            "data:text/html,<b>hi</b>",
            "mailto:ann@example.com",
            "ftp://files.example.com",
            "http://",
            "https:// example.com",
            "https://.",
            "xhttps://example.com",
            "<b>bold</b> & <script>alert(1)</script>",
        ] {
            assert!(
                segments(text).iter().all(|s| matches!(s, Text(_))),
                "{text:?}: {:?}",
                segments(text)
            );
        }
        // Markup around a link stays text, and never becomes part of it.
        assert_eq!(
            segments("<a href=\"https://evil.example\">x</a>"),
            [
                Text("<a href=\""),
                Link("https://evil.example"),
                Text("\">x</a>")
            ]
        );
        assert_eq!(
            segments("https://example.com/<img src=x onerror=alert(1)>"),
            [
                Link("https://example.com/"),
                Text("<img src=x onerror=alert(1)>")
            ]
        );
    }

    #[test]
    fn non_ascii_text_and_hosts() {
        assert_eq!(
            segments("Grüße: https://bücher.example/straße. Danke"),
            [
                Text("Grüße: "),
                Link("https://bücher.example/straße"),
                Text(". Danke")
            ]
        );
        assert_eq!(
            segments("見てhttps://例え.jp/"),
            [Text("見てhttps://例え.jp/")],
            "after a letter"
        );
        assert_eq!(
            segments("見て https://例え.jp/。"),
            [Text("見て "), Link("https://例え.jp/"), Text("。")]
        );
    }
}
