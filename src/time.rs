//! Times as the visitor reads them. The proxy sends RFC 3339 UTC instants; the browser's `Intl`
//! formats them in the widget's locale and the visitor's time zone, so no date library ships in
//! the wasm.

use js_sys::{Array, Date, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

/// `instant` as a date and time in locale `lang` (a BCP 47 tag, the widget's) and the visitor's
/// zone ("Nov 28, 2026, 5:44 PM"); `None` when it is not a time the browser can read.
pub fn date_time(instant: &str, lang: &str) -> Option<String> {
    date_time_in(instant, &Array::of1(&JsValue::from_str(lang)))
}

/// How long ago (or ahead) `instant` is, in locale `lang` ("3 minutes ago", "yesterday").
pub fn relative(instant: &str, lang: &str) -> Option<String> {
    relative_in(instant, Date::now(), &Array::of1(&JsValue::from_str(lang)))
}

/// [`date_time`] in `locales` (empty: the browser's own).
fn date_time_in(instant: &str, locales: &Array) -> Option<String> {
    let date = Date::new(&JsValue::from_f64(epoch_ms(instant)?));
    let options = options(&[("dateStyle", "medium"), ("timeStyle", "short")]);
    let format = Intl::DateTimeFormat::new(locales, &options).format();
    format.call1(&JsValue::UNDEFINED, &date).ok()?.as_string()
}

/// [`relative`] as seen at `now_ms`, in `locales` (empty: the browser's own).
fn relative_in(instant: &str, now_ms: f64, locales: &Array) -> Option<String> {
    let (value, unit) = rounded((epoch_ms(instant)? - now_ms) / 1000.0);
    // `numeric: auto` says "yesterday" and "now" where a language has such words.
    let format = Intl::RelativeTimeFormat::new(locales, &options(&[("numeric", "auto")]));
    Some(format.format(value, unit).into())
}

/// Milliseconds since 1970 of an RFC 3339 instant; `None` for what `Date.parse` cannot read.
fn epoch_ms(instant: &str) -> Option<f64> {
    let ms = Date::parse(instant);
    ms.is_finite().then_some(ms)
}

/// An offset in seconds (negative: past) as a whole number of the largest unit that fits, the
/// way people round: 50 minutes is "1 hour", 40 seconds is "now".
fn rounded(seconds: f64) -> (f64, &'static str) {
    const STEPS: [(f64, f64, &str); 6] = [
        // (below this many seconds, divide by, unit)
        (45.0, f64::INFINITY, "second"),
        (45.0 * 60.0, 60.0, "minute"),
        (22.0 * 3600.0, 3600.0, "hour"),
        (26.0 * 86400.0, 86400.0, "day"),
        (320.0 * 86400.0, 30.44 * 86400.0, "month"),
        (f64::INFINITY, 365.25 * 86400.0, "year"),
    ];
    let size = seconds.abs();
    let (_, per, unit) = STEPS
        .into_iter()
        .find(|(below, _, _)| size < *below)
        .unwrap_or(STEPS[5]);
    // Under 45 seconds is 0 seconds: "now" (never -0, which Intl words as "0 seconds ago").
    let value = if per.is_infinite() {
        0.0
    } else {
        (seconds / per).round()
    };
    (value, unit)
}

fn options(pairs: &[(&str, &str)]) -> Object {
    let object = Object::new();
    for (key, value) in pairs {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    object
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn en() -> Array {
        Array::of1(&JsValue::from_str("en"))
    }

    const NOW: &str = "2026-11-28T16:44:00Z";

    #[test]
    fn offsets_round_to_the_largest_fitting_unit() {
        let cases = [
            (0.0, (0.0, "second")),
            (-44.0, (0.0, "second")),
            (-45.0, (-1.0, "minute")),
            (-180.0, (-3.0, "minute")),
            (-50.0 * 60.0, (-1.0, "hour")),
            (7200.0, (2.0, "hour")),
            (-86400.0, (-1.0, "day")),
            (-30.0 * 86400.0, (-1.0, "month")),
            (-400.0 * 86400.0, (-1.0, "year")),
        ];
        for (seconds, expected) in cases {
            assert_eq!(rounded(seconds), expected, "{seconds}");
        }
    }

    #[test]
    fn relative_times_read_naturally() {
        let now = Date::parse(NOW);
        for (instant, said) in [
            ("2026-11-28T16:41:00Z", "3 minutes ago"),
            ("2026-11-28T16:43:40Z", "now"),
            ("2026-11-27T16:00:00Z", "yesterday"),
            ("2026-11-28T18:44:00Z", "in 2 hours"),
            ("2025-10-01T00:00:00Z", "last year"),
        ] {
            assert_eq!(
                relative_in(instant, now, &en()).as_deref(),
                Some(said),
                "{instant}"
            );
        }
    }

    #[test]
    fn date_and_time_follow_locale_and_zone() {
        // The instant's local form depends on the browser's zone: compare with the browser's own.
        let said = date_time_in(NOW, &en()).expect("a time");
        let local = Date::new(&JsValue::from_str(NOW));
        assert!(
            said.contains("2026") && said.contains(&local.get_minutes().to_string()),
            "{said}"
        );
        let de = date_time_in(NOW, &Array::of1(&JsValue::from_str("de"))).expect("a time");
        assert!(de.contains("2026") && de != said, "{de} vs {said}");
    }

    #[test]
    fn what_is_not_a_time_is_none() {
        for bad in ["", "soon", "2026-13-40T99:00:00Z"] {
            assert_eq!(date_time(bad, "en"), None, "{bad}");
            assert_eq!(relative(bad, "en"), None, "{bad}");
        }
    }

    #[test]
    fn times_speak_the_widgets_language() {
        let in_lang = |lang| Array::of1(&JsValue::from_str(lang));
        let ago = |lang| {
            relative_in("2026-11-28T16:41:00Z", Date::parse(NOW), &in_lang(lang))
                .unwrap_or_default()
        };
        assert_eq!(ago("en"), "3 minutes ago");
        assert_eq!(ago("de"), "vor 3 Minuten");
        assert!(ago("ja").ends_with("前"), "{}", ago("ja"));
        let said = |lang| date_time(NOW, lang).unwrap_or_default();
        assert!(said("fr").contains("nov."), "{}", said("fr"));
        assert_ne!(said("ar"), said("en"));
    }
}
