//! Which locale speaks: the first of the visitor's preferences the widget has, matched the BCP 47
//! way (exact tag, then the language alone), else English.

use super::TAGS;
use wasm_bindgen::JsValue;
use web_sys::js_sys::{Array, Reflect, global};

/// The locale (an index of [`TAGS`]) for the first of `wanted` (tags, most preferred first) that
/// matches one.
pub(super) fn choose(wanted: &[String]) -> usize {
    wanted.iter().find_map(|tag| matching(tag)).unwrap_or(0)
}

/// The locale a tag names, case-insensitively: the exact tag (`pt-BR`), else its language alone
/// (`pt-PT` → pt-BR, `ar-EG` → ar). Traditional Chinese matches nothing: the simplified locale
/// would be the wrong script, so the next preference gets its turn.
fn matching(tag: &str) -> Option<usize> {
    let tag = tag.trim();
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let exact = TAGS
        .iter()
        .position(|lang| same(lang, &tag.replace('_', "-")));
    if exact.is_some() {
        return exact;
    }
    let mut subtags = tag.split(['-', '_']);
    let language = subtags.next()?;
    if same(language, "zh") && is_traditional(subtags) {
        return None;
    }
    TAGS.iter()
        .position(|lang| lang.split('-').next().is_some_and(|l| same(l, language)))
}

/// Whether a Chinese tag's other subtags ask for traditional characters: the script says so, or,
/// without a script, a region that writes them.
fn is_traditional<'a>(subtags: impl Iterator<Item = &'a str>) -> bool {
    for subtag in subtags {
        match subtag.to_ascii_lowercase().as_str() {
            "hans" => return false,
            "hant" | "tw" | "hk" | "mo" => return true,
            _ => {}
        }
    }
    false
}

/// The visitor's languages, most preferred first: `asked` (`setLocale`), the host page's
/// `<html lang>`, then the browser's.
pub(super) fn preferences(asked: Option<String>) -> Vec<String> {
    let mut wanted = Vec::from_iter(asked);
    let get = |on: &JsValue, key: &str| Reflect::get(on, &JsValue::from_str(key)).ok();
    let document = get(&global(), "document");
    let html = document.and_then(|d| get(&d, "documentElement"));
    if let Some(lang) = html
        .and_then(|h| get(&h, "lang"))
        .and_then(|l| l.as_string())
    {
        wanted.push(lang);
    }
    let navigator = get(&global(), "navigator");
    if let Some(languages) = navigator.and_then(|n| get(&n, "languages")) {
        wanted.extend(Array::from(&languages).iter().filter_map(|l| l.as_string()));
    }
    wanted
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn chosen(wanted: &[&str]) -> &'static str {
        TAGS[choose(&wanted.iter().map(|s| s.to_string()).collect::<Vec<_>>())]
    }

    #[test]
    fn tags_match_exactly_then_by_language() {
        let cases = [
            ("de", "de"),
            ("DE-at", "de"),
            ("en-GB", "en"),
            ("fr-CA", "fr"),
            ("es-419", "es"),
            ("pt-BR", "pt-BR"),
            ("pt_br", "pt-BR"),
            ("pt", "pt-BR"),
            ("pt-PT", "pt-BR"),
            ("ja-JP", "ja"),
            ("zh", "zh-CN"),
            ("zh-CN", "zh-CN"),
            ("zh-Hans", "zh-CN"),
            ("zh-SG", "zh-CN"),
            ("zh-Hans-TW", "zh-CN"),
            ("ar", "ar"),
            ("ar-EG", "ar"),
            (" AR-sa ", "ar"),
        ];
        for (tag, expected) in cases {
            assert_eq!(chosen(&[tag]), expected, "{tag}");
        }
    }

    #[test]
    fn what_matches_nothing_gives_the_next_preference_its_turn() {
        let cases: [(&[&str], &str); 8] = [
            (&["zh-TW", "ja"], "ja"),
            (&["zh-Hant", "fr"], "fr"),
            (&["zh-HK"], "en"),
            (&["it", "de-CH"], "de"),
            (&["", "es"], "es"),
            (&["x-klingon", "tlh", "ar"], "ar"),
            (&[], "en"),
            (&["it"], "en"),
        ];
        for (wanted, expected) in cases {
            assert_eq!(chosen(wanted), expected, "{wanted:?}");
        }
    }

    #[test]
    fn set_locale_then_html_lang_then_the_browser() {
        // What I18n::provide asks: the shell's locale first, then the page's, then the browser's.
        let page = |html: &str, browser: &[&str]| {
            let html = Some(html.to_owned()).filter(|h| !h.is_empty());
            html.into_iter()
                .chain(browser.iter().map(|s| s.to_string()))
                .collect::<Vec<_>>()
        };
        let cases: [(Option<&str>, &str, &[&str], &str); 6] = [
            (Some("ja"), "de", &["fr"], "ja"),
            (None, "de", &["fr"], "de"),
            (None, "", &["fr-FR", "en"], "fr"),
            (Some("it"), "es-MX", &["fr"], "es"),
            (None, "zh-TW", &["pt-PT"], "pt-BR"),
            (None, "", &[], "en"),
        ];
        for (asked, html, browser, expected) in cases {
            let wanted: Vec<String> = asked
                .map(str::to_owned)
                .into_iter()
                .chain(page(html, browser))
                .collect();
            assert_eq!(
                TAGS[choose(&wanted)],
                expected,
                "{asked:?} {html} {browser:?}"
            );
        }
    }

    #[test]
    fn the_page_and_the_browser_are_read() {
        let html = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .expect("an html element");
        let before = html.get_attribute("lang");
        html.set_attribute("lang", "fr-BE").expect("set");
        let read = preferences(Some("ja".into()));
        match before {
            Some(lang) => html.set_attribute("lang", &lang).expect("restored"),
            None => html.remove_attribute("lang").expect("restored"),
        }
        assert_eq!(read[..2], ["ja", "fr-BE"]);
        assert!(read.len() > 2, "the browser's languages follow: {read:?}");
    }
}
