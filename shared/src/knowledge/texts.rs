//! Every sentence the diagnosis shows, in English and Japanese, kept out of the code.
//!
//! The diagnosis only emits [`Message`]s (a key and named parameters); the sentences live in
//! `data/text.en.json` and `data/text.ja.json`, with `{name}` placeholders. The page, the
//! worker and the CLI render them with [`Texts::render_in`], so a translator never touches Rust.
//!
//! Two kinds of parameter are kept in a machine form and written only at rendering, because
//! only the reader knows how: a moment (`{at}`, `{date}`: milliseconds since the Unix epoch)
//! is written in the reader's time zone and language ("2026年12月8日 10:11:36（日本時間）"),
//! and an engine's English detail (`{detail}`) gets Japanese words in a Japanese sentence
//! (the raw text stays in the report's technical details).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::details;

/// Parameters holding a moment with its time of day, in ms since the Unix epoch.
pub const MOMENT_PARAMS: [&str; 1] = ["at"];
/// Parameters holding a day (a certificate's validity), in ms since the Unix epoch.
pub const DAY_PARAMS: [&str; 1] = ["date"];

/// A sentence to show, by key, with the values of its placeholders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub key: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
}

impl Message {
    pub fn new(key: &str) -> Self {
        Self {
            key: key.to_owned(),
            params: BTreeMap::new(),
        }
    }

    /// Adds (or replaces) one placeholder value.
    pub fn with(mut self, name: &str, value: impl fmt::Display) -> Self {
        self.params.insert(name.to_owned(), value.to_string());
        self
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }
}

/// The languages the texts exist in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Lang {
    En,
    Ja,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ja];
}

/// Why a message cannot be shown as written.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TextProblem {
    MissingKey {
        lang: Lang,
        key: String,
    },
    UnfilledPlaceholder {
        lang: Lang,
        key: String,
        name: String,
    },
}

impl fmt::Display for TextProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingKey { lang, key } => write!(f, "{lang:?}: no text for {key:?}"),
            Self::UnfilledPlaceholder { lang, key, name } => {
                write!(f, "{lang:?}: {key:?} needs a value for {{{name}}}")
            }
        }
    }
}

/// The sentences of both languages, by key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Texts {
    en: BTreeMap<String, String>,
    ja: BTreeMap<String, String>,
}

impl Texts {
    /// Reads the two JSON objects (`{"key": "sentence", …}`).
    pub fn from_json(en: &str, ja: &str) -> Result<Self, serde_json::Error> {
        Ok(Self {
            en: serde_json::from_str(en)?,
            ja: serde_json::from_str(ja)?,
        })
    }

    /// Reads one language's JSON object; the other language stays empty (rendering falls back
    /// to English, then to the key). For a page that fetches only the language it shows.
    pub fn from_lang_json(lang: Lang, json: &str) -> Result<Self, serde_json::Error> {
        let mut texts = Self::default();
        *texts.table_mut(lang) = serde_json::from_str(json)?;
        Ok(texts)
    }

    /// The data file holding a language's texts (`text.en.json`).
    pub fn file_name(lang: Lang) -> &'static str {
        match lang {
            Lang::En => "text.en.json",
            Lang::Ja => "text.ja.json",
        }
    }

    pub fn get(&self, lang: Lang, key: &str) -> Option<&str> {
        self.table(lang).get(key).map(String::as_str)
    }

    pub fn keys(&self, lang: Lang) -> impl Iterator<Item = &str> {
        self.table(lang).keys().map(String::as_str)
    }

    /// The sentence with its placeholders filled, moments in UTC (for a reader whose zone is
    /// not known). Falls back to English, then to the key itself, so a page never shows
    /// nothing; an unfilled placeholder stays visible as `{name}`.
    pub fn render(&self, lang: Lang, message: &Message) -> String {
        self.render_in(lang, message, &|_| Zone::utc(lang))
    }

    /// The sentence as [`Texts::render`] writes it, with every moment in the zone `zone_at`
    /// gives for that moment (the reader's own, daylight saving time included).
    pub fn render_in(
        &self,
        lang: Lang,
        message: &Message,
        zone_at: &dyn Fn(u64) -> Zone,
    ) -> String {
        let (template, lang) = match self.get(lang, &message.key) {
            Some(template) => (template, lang),
            None => (
                self.get(Lang::En, &message.key).unwrap_or(&message.key),
                Lang::En,
            ),
        };
        let params = message
            .params
            .iter()
            .map(|(name, value)| (name.clone(), written(lang, name, value, zone_at)))
            .collect();
        fill(template, &params)
    }

    /// Whether the message exists in `lang` and every placeholder it uses has a value.
    pub fn check(&self, lang: Lang, message: &Message) -> Result<(), TextProblem> {
        let template = self
            .get(lang, &message.key)
            .ok_or_else(|| TextProblem::MissingKey {
                lang,
                key: message.key.clone(),
            })?;
        match placeholders(template)
            .into_iter()
            .find(|name| !message.params.contains_key(*name))
        {
            Some(name) => Err(TextProblem::UnfilledPlaceholder {
                lang,
                key: message.key.clone(),
                name: name.to_owned(),
            }),
            None => Ok(()),
        }
    }

    fn table_mut(&mut self, lang: Lang) -> &mut BTreeMap<String, String> {
        match lang {
            Lang::En => &mut self.en,
            Lang::Ja => &mut self.ja,
        }
    }

    fn table(&self, lang: Lang) -> &BTreeMap<String, String> {
        match lang {
            Lang::En => &self.en,
            Lang::Ja => &self.ja,
        }
    }
}

/// A time zone as the reader's clock shows it at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    /// Minutes east of UTC (540 in Japan).
    pub offset_minutes: i32,
    /// The zone as the reader's language names it: "日本時間", "JST", "UTC".
    pub name: String,
}

impl Zone {
    /// UTC, named in `lang`: what a reader whose zone is unknown is shown.
    pub fn utc(lang: Lang) -> Self {
        Self {
            offset_minutes: 0,
            name: match lang {
                Lang::Ja => "協定世界時".to_owned(),
                Lang::En => "UTC".to_owned(),
            },
        }
    }

    /// Japan Standard Time (no daylight saving time since 1951), named in `lang`.
    pub fn japan(lang: Lang) -> Self {
        Self {
            offset_minutes: 540,
            name: match lang {
                Lang::Ja => "日本時間".to_owned(),
                Lang::En => "JST".to_owned(),
            },
        }
    }
}

/// A moment the way `lang` writes it, in `zone`: "2026年12月8日 10:11:36（日本時間）",
/// "2026-12-08 10:11:36 JST".
pub fn write_moment(lang: Lang, unix_ms: u64, zone: &Zone) -> String {
    let secs = local_secs(unix_ms, zone);
    let (y, m, d) = civil_from_days(secs / 86_400);
    let rem = secs % 86_400;
    let (h, min, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    match lang {
        Lang::Ja => format!("{y}年{m}月{d}日 {h}:{min:02}:{s:02}（{}）", zone.name),
        Lang::En => format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}:{s:02} {}", zone.name),
    }
}

/// A day the way `lang` writes it, as it was in `zone`: "2026年12月8日", "2026-12-08".
pub fn write_day(lang: Lang, unix_ms: u64, zone: &Zone) -> String {
    let (y, m, d) = civil_from_days(local_secs(unix_ms, zone) / 86_400);
    match lang {
        Lang::Ja => format!("{y}年{m}月{d}日"),
        Lang::En => format!("{y:04}-{m:02}-{d:02}"),
    }
}

/// An engine's or a tool's detail as a sentence in `lang` may carry it: Japanese words for
/// the known English ones, a quotation for the rest; English as it is. For the page's own
/// sentences that quote a detail (the raw text stays in the technical details).
pub fn detail_words(lang: Lang, raw: &str) -> String {
    match lang {
        Lang::Ja => details::in_japanese(raw),
        Lang::En => raw.to_owned(),
    }
}

/// One parameter's value as the sentence shows it.
fn written(lang: Lang, name: &str, value: &str, zone_at: &dyn Fn(u64) -> Zone) -> String {
    let moment = value.parse::<u64>().ok();
    match moment {
        Some(ms) if MOMENT_PARAMS.contains(&name) => write_moment(lang, ms, &zone_at(ms)),
        Some(ms) if DAY_PARAMS.contains(&name) => write_day(lang, ms, &zone_at(ms)),
        _ if name == "detail" => detail_words(lang, value),
        _ => value.to_owned(),
    }
}

/// Seconds since the epoch on the zone's wall clock (moments before 1970 show as 1970).
fn local_secs(unix_ms: u64, zone: &Zone) -> u64 {
    let secs = i64::try_from(unix_ms / 1000).unwrap_or(i64::MAX);
    let local = secs.saturating_add(i64::from(zone.offset_minutes) * 60);
    u64::try_from(local).unwrap_or(0)
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

/// The `{name}` placeholders of a template, in order of appearance.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if is_name(&after[..close]) => {
                names.push(&after[..close]);
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    names
}

fn is_name(candidate: &str) -> bool {
    !candidate.is_empty()
        && candidate
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn fill(template: &str, params: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if is_name(&after[..close]) => {
                match params.get(&after[..close]) {
                    Some(value) => out.push_str(value),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod japanese_tests {
    //! The shipped Japanese read as a Japanese support engineer writes: no English clause in a
    //! sentence (only names, codes, protocols and quoted or copied text), one word for the
    //! person's computer, one form for ports, no UTC, no internal notes, and admin snippets
    //! that keep the indentation Postfix needs.

    use std::collections::BTreeMap;

    const JA: &str = include_str!("../../data/text.ja.json");
    const EN: &str = include_str!("../../data/text.en.json");

    /// Latin words a Japanese sentence may carry: names of products, companies and places
    /// in the person's screens. Acronyms (all capitals) and tokens with digits or path-like
    /// punctuation (`/etc/postfix/main.cf`, `587/tcp`, `F5`) are codes and always allowed.
    const NAMES: &[&str] = &[
        "Android",
        "App",
        "Apple",
        "Becky",
        "Bitdefender",
        "ConoHa",
        "Debian",
        "Dovecot",
        "Encrypt",
        "Exchange",
        "Exim",
        "Express",
        "Gmail",
        "Google",
        "Internet",
        "Let's",
        "Live",
        "Mac",
        "Mail",
        "Online",
        "Microsoft",
        "My",
        "OAuth",
        "Outlook",
        "Plesk",
        "Postfix",
        "PowerShell",
        "Sendmail",
        "Thunderbird",
        "Ubuntu",
        "Web",
        "Webmin",
        "Windows",
        "Yahoo",
        "cPanel",
        "d",
        "docomo",
        "iCloud",
        "iOS",
        "iPad",
        "iPhone",
        "macOS",
        "sendcheck",
    ];

    fn table(json: &str) -> BTreeMap<String, String> {
        serde_json::from_str(json).expect("text table")
    }

    fn is_japanese(c: char) -> bool {
        matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}')
    }

    /// The sentence without placeholders and without what it quotes (「…」).
    fn prose(line: &str) -> String {
        let mut out = String::new();
        let mut depth = 0usize;
        let mut in_placeholder = false;
        for c in line.chars() {
            match c {
                '「' => depth += 1,
                '」' => depth = depth.saturating_sub(1),
                '{' => in_placeholder = true,
                '}' => in_placeholder = false,
                _ if depth == 0 && !in_placeholder => out.push(c),
                _ => {}
            }
        }
        out
    }

    /// Latin words in a Japanese line that are neither names nor codes.
    fn stray_words(line: &str) -> Vec<String> {
        prose(line)
            .split(|c: char| !c.is_ascii() || c.is_ascii_whitespace())
            .map(|token| token.trim_matches(|c: char| "()[],;!?\"".contains(c)))
            .filter(|token| token.bytes().any(|b| b.is_ascii_alphabetic()))
            .filter(|token| {
                let code = token
                    .bytes()
                    .any(|b| b.is_ascii_digit() || b"/._=@~#$-:".contains(&b))
                    || token.bytes().all(|b| !b.is_ascii_lowercase());
                !code && !NAMES.contains(token)
            })
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn japanese_sentences_carry_no_english_words() {
        let mut found = Vec::new();
        for (key, text) in table(JA) {
            // A line without Japanese is a command or a configuration line to copy as it is.
            // An indented line is a snippet too (`  sudo cp ファイル名 ファイル名.bak`).
            let sentences = text
                .lines()
                .filter(|l| !l.starts_with(' ') && l.chars().any(is_japanese));
            for line in sentences {
                let stray = stray_words(line);
                if !stray.is_empty() {
                    found.push(format!("{key}: {stray:?} in {line:?}"));
                }
            }
        }
        assert!(
            found.is_empty(),
            "English inside Japanese:\n{}",
            found.join("\n")
        );
    }

    #[test]
    fn the_scanner_tells_english_from_names_and_codes() {
        assert_eq!(
            stray_words("TLSハンドシェイクに失敗しました：the server ended it"),
            ["the", "server", "ended", "it"]
        );
        assert!(
            stray_words("Becky! Internet Mail：［ツール］→ 587/tcp、F5キー、SMTP認証").is_empty()
        );
        assert!(
            stray_words("サーバーの応答：「250 mail.example.jp ESMTP Postfix ready」（{at}）")
                .is_empty()
        );
    }

    #[test]
    fn japanese_uses_one_zone_one_computer_one_port_form_and_no_internal_notes() {
        for (key, text) in table(JA) {
            for banned in [
                "UTC",
                "JST",
                "とのこと",
                "このパソコン",
                "あなたのパソコン",
                "コンピューター",
                "暗号化メール",
                "暗号化されたメール",
                "220行",
                "ポート{port}",
                "ポート {port}",
                "確認事項",
                "自分のパソコンから調べる",
                "シナリオ",
                "メールソフトの名前",
                "`sudo",
            ] {
                assert!(!text.contains(banned), "{key}: {banned:?} in {text:?}");
            }
        }
        for (key, text) in table(EN) {
            assert!(!text.to_lowercase().contains("scenario"), "{key}: {text:?}");
            assert!(!text.contains("`sudo"), "{key}: {text:?}");
        }
    }

    #[test]
    fn admin_snippets_keep_their_indentation_in_both_languages() {
        for json in [JA, EN] {
            let texts = table(json);
            let postfix = &texts["admin.submission.postfix"];
            assert!(
                postfix.contains(
                    "\nsubmission inet n - y - - smtpd\n  -o syslog_name=postfix/submission\n"
                ),
                "{postfix:?}"
            );
            assert_eq!(
                postfix.lines().filter(|l| l.starts_with("  -o ")).count(),
                8,
                "{postfix:?}"
            );
            assert!(texts["admin.submission.after"].contains("\n  sudo ufw allow 587/tcp\n"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts() -> Texts {
        Texts::from_json(
            r#"{"a":"Port {port} of {host} {x","b":"only English"}"#,
            r#"{"a":"{host} のポート {port}"}"#,
        )
        .unwrap()
    }

    #[test]
    fn placeholders_are_filled_and_missing_ones_stay_visible() {
        let t = texts();
        let m = Message::new("a")
            .with("port", 587)
            .with("host", "mail.example.jp");
        assert_eq!(t.render(Lang::En, &m), "Port 587 of mail.example.jp {x");
        assert_eq!(t.render(Lang::Ja, &m), "mail.example.jp のポート 587");
        assert_eq!(
            t.render(Lang::En, &Message::new("a").with("port", 25)),
            "Port 25 of {host} {x"
        );
        assert_eq!(
            t.check(Lang::En, &Message::new("a").with("port", 25)),
            Err(TextProblem::UnfilledPlaceholder {
                lang: Lang::En,
                key: "a".into(),
                name: "host".into()
            })
        );
        assert!(t.check(Lang::Ja, &m).is_ok());
    }

    #[test]
    fn a_missing_translation_falls_back_to_english_then_to_the_key() {
        let t = texts();
        assert_eq!(t.render(Lang::Ja, &Message::new("b")), "only English");
        assert_eq!(t.render(Lang::Ja, &Message::new("zzz")), "zzz");
        assert!(matches!(
            t.check(Lang::Ja, &Message::new("b")),
            Err(TextProblem::MissingKey { .. })
        ));
    }

    #[test]
    fn one_language_alone_renders_in_that_language() {
        let ja = Texts::from_lang_json(Lang::Ja, r#"{"a":"{host} のポート {port}"}"#).unwrap();
        let m = Message::new("a").with("port", 25).with("host", "h");
        assert_eq!(ja.render(Lang::Ja, &m), "h のポート 25");
        assert_eq!(ja.render(Lang::En, &m), "a");
        assert!(Texts::from_lang_json(Lang::En, "[1]").is_err());
        assert_eq!(Texts::file_name(Lang::Ja), "text.ja.json");
    }

    #[test]
    fn moments_are_written_in_the_reader_s_zone_and_language() {
        // 2026-12-08 01:11:36 UTC.
        let at = 1_796_692_296_000_u64;
        assert_eq!(
            write_moment(Lang::Ja, at, &Zone::japan(Lang::Ja)),
            "2026年12月8日 10:11:36（日本時間）"
        );
        assert_eq!(
            write_moment(Lang::En, at, &Zone::utc(Lang::En)),
            "2026-12-08 01:11:36 UTC"
        );
        let new_york = Zone {
            offset_minutes: -300,
            name: "EST".into(),
        };
        assert_eq!(
            write_moment(Lang::En, at, &new_york),
            "2026-12-07 20:11:36 EST"
        );
        assert_eq!(
            write_day(Lang::Ja, at, &Zone::japan(Lang::Ja)),
            "2026年12月8日"
        );
        assert_eq!(write_day(Lang::En, at, &new_york), "2026-12-07");
        assert_eq!(write_day(Lang::En, 0, &new_york), "1970-01-01");
        let _ = write_moment(Lang::Ja, u64::MAX, &Zone::japan(Lang::Ja));
    }

    #[test]
    fn a_message_s_moments_and_details_are_written_at_rendering() {
        let t = Texts::from_json(
            r#"{"m":"Port {port} at {at}: {detail}; expires {date}"}"#,
            r#"{"m":"{port}番ポート（{at}）：{detail}。期限 {date}"}"#,
        )
        .unwrap();
        let m = Message::new("m")
            .with("port", 465)
            .with("at", 1_796_692_296_000_u64)
            .with("date", 1_796_692_296_000_u64)
            .with("detail", "connection reset by peer");
        assert_eq!(
            t.render_in(Lang::Ja, &m, &|_| Zone::japan(Lang::Ja)),
            "465番ポート（2026年12月8日 10:11:36（日本時間））：相手側が接続を強制的に切断しました（リセット）。期限 2026年12月8日"
        );
        assert_eq!(
            t.render(Lang::En, &m),
            "Port 465 at 2026-12-08 01:11:36 UTC: connection reset by peer; expires 2026-12-08"
        );
        // A moment written before the machine form (an old message) is shown as it is.
        let old = Message::new("m").with("at", "2026-12-08 01:11:36 UTC");
        assert!(t
            .render(Lang::En, &old)
            .contains("at 2026-12-08 01:11:36 UTC:"));
        // Without a Japanese sentence the English one keeps its English detail.
        let en_only = Texts::from_json(r#"{"x":"lost: {detail}"}"#, "{}").unwrap();
        let lost = Message::new("x").with("detail", "connection reset by peer");
        assert_eq!(
            en_only.render(Lang::Ja, &lost),
            "lost: connection reset by peer"
        );
    }

    #[test]
    fn placeholder_names_are_lowercase_words() {
        assert_eq!(placeholders("{a} {b_2} {Not} {} {c"), ["a", "b_2"]);
        assert_eq!(
            fill("{{a}}", &BTreeMap::from([("a".into(), "x".into())])),
            "{x}"
        );
    }
}
