//! The diagnosis's knowledge (networks, providers, security software, error codes, and the
//! sentences of each language), fetched after the page has shown itself instead of compiled
//! into its wasm: ~130 KB of JSON the first view does not need. `scripts/build.sh` copies
//! `shared/data/*.json` to `dist/data/<version>/`, the version being a hash of the files, so a
//! browser may keep them as long as it likes and a new release never mixes old and new.
//!
//! Parsed once into [`Knowledge`] (the tables) and one [`Texts`] per language, each kept in
//! an `Rc` for the life of the page: the diagnosis never parses anything twice.

use std::rc::Rc;

use sendcheck::knowledge::{Knowledge, KnowledgeFiles, Lang as TextLang, Texts};

use crate::i18n::Lang;

/// The data files' version, set by `scripts/build.sh` (a hash of their contents).
pub const DATA_VERSION: &str = match option_env!("SENDCHECK_DATA_VERSION") {
    Some(version) => version,
    None => "dev",
};

/// Where a data file is served.
pub fn data_url(file: &str) -> String {
    format!("/data/{DATA_VERSION}/{file}")
}

/// The diagnosis's language for the page's.
pub fn text_lang(lang: Lang) -> TextLang {
    match lang {
        Lang::En => TextLang::En,
        Lang::Ja => TextLang::Ja,
    }
}

/// Something fetched once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loadable<T> {
    NotAsked,
    Loading,
    Ready(T),
    Failed(String),
}

impl<T> Loadable<T> {
    pub fn ready(&self) -> Option<&T> {
        match self {
            Self::Ready(value) => Some(value),
            _ => None,
        }
    }

    /// Neither there nor on its way.
    pub fn wanted(&self) -> bool {
        matches!(self, Self::NotAsked | Self::Failed(_))
    }
}

/// The knowledge the page has so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Library {
    pub tables: Loadable<Rc<Knowledge>>,
    pub en: Loadable<Rc<Texts>>,
    pub ja: Loadable<Rc<Texts>>,
    /// Counts the person's "try again": the fetch runs again only when they ask.
    pub attempt: u32,
}

/// What to fetch for a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Wanted {
    pub tables: bool,
    pub texts: Option<Lang>,
}

impl Default for Library {
    fn default() -> Self {
        Self {
            tables: Loadable::NotAsked,
            en: Loadable::NotAsked,
            ja: Loadable::NotAsked,
            attempt: 0,
        }
    }
}

impl Library {
    pub fn texts(&self, lang: Lang) -> &Loadable<Rc<Texts>> {
        match lang {
            Lang::En => &self.en,
            Lang::Ja => &self.ja,
        }
    }

    fn texts_mut(&mut self, lang: Lang) -> &mut Loadable<Rc<Texts>> {
        match lang {
            Lang::En => &mut self.en,
            Lang::Ja => &mut self.ja,
        }
    }

    /// What is missing to diagnose and explain in `lang`.
    pub fn wanted(&self, lang: Lang) -> Wanted {
        Wanted {
            tables: self.tables.wanted(),
            texts: self.texts(lang).wanted().then_some(lang),
        }
    }

    /// Marks what is about to be fetched.
    pub fn start(&mut self, wanted: Wanted) {
        if wanted.tables {
            self.tables = Loadable::Loading;
        }
        if let Some(lang) = wanted.texts {
            *self.texts_mut(lang) = Loadable::Loading;
        }
    }

    pub fn tables_loaded(&mut self, result: Result<Rc<Knowledge>, String>) {
        self.tables = match result {
            Ok(knowledge) => Loadable::Ready(knowledge),
            Err(e) => Loadable::Failed(e),
        };
    }

    pub fn texts_loaded(&mut self, lang: Lang, result: Result<Rc<Texts>, String>) {
        *self.texts_mut(lang) = match result {
            Ok(texts) => Loadable::Ready(texts),
            Err(e) => Loadable::Failed(e),
        };
    }

    /// The person asks again after a failure.
    pub fn retry(&mut self) {
        self.attempt = self.attempt.wrapping_add(1);
    }

    /// Why the explanation cannot be shown in `lang`, if something failed to load.
    pub fn failure(&self, lang: Lang) -> Option<&str> {
        match (&self.tables, self.texts(lang)) {
            (Loadable::Failed(e), _) | (_, Loadable::Failed(e)) => Some(e),
            _ => None,
        }
    }
}

/// Parses the table files, in the order of [`Knowledge::TABLE_FILES`].
pub fn parse_tables(files: &[String; Knowledge::TABLE_FILES.len()]) -> Result<Knowledge, String> {
    Knowledge::from_files(
        KnowledgeFiles {
            op25b_networks: &files[0],
            providers: &files[1],
            security_software: &files[2],
            error_codes: &files[3],
            reply_classes: &files[4],
        },
        Texts::default(),
    )
    .map_err(|e| e.to_string())
}

/// Parses one language's text file.
pub fn parse_texts(lang: Lang, json: &str) -> Result<Texts, String> {
    Texts::from_lang_json(text_lang(lang), json)
        .map_err(|e| format!("{}: {e}", Texts::file_name(text_lang(lang))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(file: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/data")
            .join(file);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    #[test]
    fn the_served_files_parse_into_the_same_knowledge_as_the_builtin_one() {
        let files = Knowledge::TABLE_FILES.map(data);
        let tables = parse_tables(&files).expect("tables");
        assert_eq!(tables.error_codes(), Knowledge::builtin().error_codes());
        assert_eq!(tables.providers(), Knowledge::builtin().providers());
        let ja = parse_texts(Lang::Ja, &data("text.ja.json")).expect("ja");
        assert_eq!(
            ja.get(TextLang::Ja, "cause.op25b.title"),
            Knowledge::builtin()
                .texts()
                .get(TextLang::Ja, "cause.op25b.title")
        );
        let broken = parse_texts(Lang::En, "<html>").unwrap_err();
        assert!(broken.starts_with("text.en.json:"), "{broken}");
        let mut files = files;
        files[3] = "{}".into();
        assert!(parse_tables(&files)
            .unwrap_err()
            .starts_with("error_codes.json"));
    }

    #[test]
    fn each_file_is_asked_for_once_and_again_after_a_failure() {
        let mut library = Library::default();
        let first = library.wanted(Lang::Ja);
        assert_eq!(
            first,
            Wanted {
                tables: true,
                texts: Some(Lang::Ja)
            }
        );
        library.start(first);
        assert_eq!(
            library.wanted(Lang::Ja),
            Wanted {
                tables: false,
                texts: None
            }
        );
        assert_eq!(library.wanted(Lang::En).texts, Some(Lang::En));
        library.texts_loaded(Lang::Ja, Err("text.ja.json: 404".into()));
        assert_eq!(library.failure(Lang::Ja), Some("text.ja.json: 404"));
        assert_eq!(library.failure(Lang::En), None);
        assert_eq!(library.wanted(Lang::Ja).texts, Some(Lang::Ja));
        library.texts_loaded(Lang::Ja, Ok(Rc::new(Texts::default())));
        assert!(library.texts(Lang::Ja).ready().is_some());
        assert!(data_url("providers.json").starts_with("/data/"));
        assert!(data_url("providers.json").ends_with("/providers.json"));
    }
}
