//! Dates and times as the person reads them: in their language's locale and their own time
//! zone (named, so a time quoted to someone elsewhere stays exact), through the browser's
//! `Intl.DateTimeFormat`. Where that is not available (natively, in tests, or a browser that
//! refuses the options) the time is written in UTC, which is never wrong.

use crate::evidence::{utc_date, utc_time};
use crate::i18n::Lang;

/// The locale to format for: Japanese is `ja-JP`; English follows the browser's own English
/// (`en-GB` writes day before month), else `en-US`.
pub fn locale_tag(lang: Lang, navigator_language: Option<&str>) -> String {
    match (lang, navigator_language) {
        (Lang::Ja, _) => "ja-JP".to_owned(),
        (Lang::En, Some(tag))
            if Lang::from_tag(tag) == Some(Lang::En)
                && tag.len() <= 35
                && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') =>
        {
            tag.to_owned()
        }
        (Lang::En, _) => "en-US".to_owned(),
    }
}

/// A moment (milliseconds since the Unix epoch) with date, time to the second and time zone.
pub fn local_time(unix_ms: u64, lang: Lang) -> String {
    browser::format(unix_ms as f64, lang, true).unwrap_or_else(|| utc_time(unix_ms))
}

/// A day (seconds since the Unix epoch), such as a certificate's expiry.
pub fn local_date(unix_secs: i64, lang: Lang) -> String {
    browser::format(unix_secs as f64 * 1000.0, lang, false).unwrap_or_else(|| utc_date(unix_secs))
}

/// Takes a formatted string only when it looks like a date (not empty, not "Invalid Date").
pub fn usable(formatted: String) -> Option<String> {
    let ok = !formatted.trim().is_empty() && formatted.bytes().any(|b| b.is_ascii_digit());
    ok.then_some(formatted)
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use js_sys::{Date, Object, Reflect};
    use wasm_bindgen::JsValue;

    use super::{locale_tag, usable};
    use crate::i18n::Lang;

    pub fn format(ms: f64, lang: Lang, with_time: bool) -> Option<String> {
        let navigator_language = web_sys::window().and_then(|w| w.navigator().language());
        let locale = locale_tag(lang, navigator_language.as_deref());
        let options = Object::new();
        let pairs: &[(&str, &str)] = if with_time {
            &[("dateStyle", "medium"), ("timeStyle", "long")]
        } else {
            &[("dateStyle", "long")]
        };
        for (name, value) in pairs {
            Reflect::set(&options, &(*name).into(), &(*value).into()).ok()?;
        }
        let date = Date::new(&JsValue::from_f64(ms));
        usable(date.to_locale_string(&locale, &options).into())
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod browser {
    use crate::i18n::Lang;

    /// No browser: the callers fall back to UTC.
    pub fn format(_ms: f64, _lang: Lang, _with_time: bool) -> Option<String> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locale_follows_the_language_and_the_browser_s_english() {
        assert_eq!(locale_tag(Lang::Ja, Some("en-GB")), "ja-JP");
        assert_eq!(locale_tag(Lang::Ja, None), "ja-JP");
        assert_eq!(locale_tag(Lang::En, Some("en-GB")), "en-GB");
        assert_eq!(locale_tag(Lang::En, Some("ja-JP")), "en-US");
        assert_eq!(locale_tag(Lang::En, None), "en-US");
        assert_eq!(locale_tag(Lang::En, Some("en-\"x")), "en-US");
    }

    #[test]
    fn without_a_browser_times_are_written_in_utc() {
        assert_eq!(
            local_time(1_764_000_000_999, Lang::Ja),
            "2025-11-24 16:00:00 UTC"
        );
        assert_eq!(local_date(1_767_225_600, Lang::En), "2026-01-01");
    }

    #[test]
    fn only_strings_that_look_like_dates_are_used() {
        assert_eq!(usable("Invalid Date".into()), None);
        assert_eq!(usable(" ".into()), None);
        assert_eq!(
            usable("2025/11/25 1:00:00 JST".into()).as_deref(),
            Some("2025/11/25 1:00:00 JST")
        );
    }
}
