//! Dates and times as the person reads them: in their own time zone, written the way their
//! language writes a time ("2026年12月8日 10:11:36（日本時間）", "2026-12-08 10:11:36 GMT+9"),
//! the zone named, so a time quoted to someone elsewhere stays exact.
//!
//! One format for every time on the page: the labels here and the moments inside the
//! diagnosis' sentences ([`zone_at`] is what the page gives `Texts::render_in`) are written
//! by the same `sendcheck::knowledge::write_moment`. The zone comes from the browser (its
//! offset at that very moment, so daylight saving time is right, and its name through
//! `Intl.DateTimeFormat`); natively, in tests, or where the browser says nothing usable, the
//! time is written in UTC, which is never wrong.

use sendcheck::knowledge::{write_day, write_moment, Zone};

use crate::i18n::Lang;
use crate::library::text_lang;

/// The locale to name zones in: Japanese is `ja-JP`; English follows the browser's own
/// English (`en-GB` names zones its way), else `en-US`.
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

/// The person's zone at a moment (milliseconds since the Unix epoch), named in `lang`.
pub fn zone_at(unix_ms: u64, lang: Lang) -> Zone {
    browser::zone(unix_ms as f64, lang).unwrap_or_else(|| Zone::utc(text_lang(lang)))
}

/// A moment (milliseconds since the Unix epoch) with date, time to the second and zone.
pub fn local_time(unix_ms: u64, lang: Lang) -> String {
    write_moment(text_lang(lang), unix_ms, &zone_at(unix_ms, lang))
}

/// A day (seconds since the Unix epoch), such as a certificate's expiry, as it was for the
/// person; moments before 1970 (no certificate a server sends today has one) show as 1970.
pub fn local_date(unix_secs: i64, lang: Lang) -> String {
    let unix_ms = u64::try_from(unix_secs).unwrap_or(0).saturating_mul(1000);
    write_day(text_lang(lang), unix_ms, &zone_at(unix_ms, lang))
}

/// The name a Japanese reader knows their own zone by: 「日本時間」, not Intl's 「日本標準時」.
pub fn zone_name(lang: Lang, time_zone: Option<&str>, intl_name: Option<String>) -> Option<String> {
    match (lang, time_zone) {
        (Lang::Ja, Some("Asia/Tokyo")) => Some("日本時間".to_owned()),
        _ => intl_name.filter(|name| !name.trim().is_empty()),
    }
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use js_sys::{Array, Date, Intl, Object, Reflect};
    use sendcheck::knowledge::Zone;
    use wasm_bindgen::JsValue;

    use super::{locale_tag, zone_name};
    use crate::i18n::Lang;

    pub fn zone(ms: f64, lang: Lang) -> Option<Zone> {
        let date = Date::new(&JsValue::from_f64(ms));
        // getTimezoneOffset is minutes *behind* UTC at that moment (-540 in Japan).
        let behind = date.get_timezone_offset();
        if !behind.is_finite() || behind.abs() > 24.0 * 60.0 {
            return None;
        }
        let navigator_language = web_sys::window().and_then(|w| w.navigator().language());
        let locale = locale_tag(lang, navigator_language.as_deref());
        let options = Object::new();
        let style = if lang == Lang::Ja { "long" } else { "short" };
        Reflect::set(&options, &"timeZoneName".into(), &style.into()).ok()?;
        let format = Intl::DateTimeFormat::new(&Array::of1(&locale.into()), &options);
        let time_zone = Reflect::get(&format.resolved_options(), &"timeZone".into())
            .ok()
            .and_then(|v| v.as_string());
        let intl_name = format.format_to_parts(&date).iter().find_map(|part| {
            let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
            (kind == "timeZoneName")
                .then(|| Reflect::get(&part, &"value".into()).ok()?.as_string())
                .flatten()
        });
        Some(Zone {
            offset_minutes: -(behind as i32),
            name: zone_name(lang, time_zone.as_deref(), intl_name)?,
        })
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod browser {
    use sendcheck::knowledge::Zone;

    use crate::i18n::Lang;

    /// No browser: the callers fall back to UTC.
    pub fn zone(_ms: f64, _lang: Lang) -> Option<Zone> {
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
    fn without_a_browser_times_are_written_in_utc_the_language_s_way() {
        assert_eq!(
            local_time(1_764_000_000_999, Lang::En),
            "2025-11-24 16:00:00 UTC"
        );
        assert_eq!(
            local_time(1_764_000_000_999, Lang::Ja),
            "2025年11月24日 16:00:00（協定世界時）"
        );
        assert_eq!(local_date(1_767_225_600, Lang::En), "2026-01-01");
        assert_eq!(local_date(1_767_225_600, Lang::Ja), "2026年1月1日");
        assert_eq!(local_date(-5, Lang::En), "1970-01-01");
    }

    #[test]
    fn japan_is_named_as_people_there_say_it() {
        assert_eq!(
            zone_name(Lang::Ja, Some("Asia/Tokyo"), Some("日本標準時".into())).as_deref(),
            Some("日本時間")
        );
        assert_eq!(
            zone_name(
                Lang::Ja,
                Some("Europe/Paris"),
                Some("中部ヨーロッパ標準時".into())
            )
            .as_deref(),
            Some("中部ヨーロッパ標準時")
        );
        assert_eq!(
            zone_name(Lang::En, Some("Asia/Tokyo"), Some("GMT+9".into())).as_deref(),
            Some("GMT+9")
        );
        assert_eq!(zone_name(Lang::En, None, Some(" ".into())), None);
    }
}
