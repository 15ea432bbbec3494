//! Every sentence the diagnosis shows, in English and Japanese, kept out of the code.
//!
//! The diagnosis only emits [`Message`]s (a key and named parameters); the sentences live in
//! `data/text.en.json` and `data/text.ja.json`, with `{name}` placeholders. The page, the
//! worker and the CLI render them with [`Texts::render`], so a translator never touches Rust.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

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

    /// The sentence with its placeholders filled. Falls back to English, then to the key
    /// itself, so a page never shows nothing; an unfilled placeholder stays visible as `{name}`.
    pub fn render(&self, lang: Lang, message: &Message) -> String {
        let template = self
            .get(lang, &message.key)
            .or_else(|| self.get(Lang::En, &message.key))
            .unwrap_or(&message.key);
        fill(template, &message.params)
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
    fn placeholder_names_are_lowercase_words() {
        assert_eq!(placeholders("{a} {b_2} {Not} {} {c"), ["a", "b_2"]);
        assert_eq!(
            fill("{{a}}", &BTreeMap::from([("a".into(), "x".into())])),
            "{x}"
        );
    }
}
