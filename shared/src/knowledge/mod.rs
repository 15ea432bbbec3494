//! What sendcheck knows about the world, as reviewed data files with their sources: networks
//! that block port 25, mail providers' correct settings, security software that intercepts
//! TLS, error codes, and every sentence in English and Japanese.
//!
//! ```text
//!  data/*.json ──include_str!──▶ Knowledge::builtin() (parsed once) ──▶ diagnosis::diagnose
//!                                      │ lookups: op25b_network, provider_for_domain, …
//!                                      └ texts: Message ──render──▶ sentence (en / ja)
//! ```
//!
//! Each entry names its `source` and the month it was `reviewed`; extending a table is adding
//! an entry to its JSON file (the tests check that it parses and is sourced).

mod details;
mod error_codes;
mod networks;
mod providers;
mod replies;
mod security_software;
mod texts;

use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;

pub use error_codes::{CodeKind, ErrorCodeEntry};
pub use networks::{MatchedBy, NetworkKind, NetworkMatch, Op25bNetwork, Recommendation};
pub use providers::{LoginPolicy, Provider, SubmissionSettings};
pub use replies::{ReplyClassEntry, ReplyToClassify};
pub use security_software::SecurityProduct;
pub use texts::{
    detail_words, placeholders, write_day, write_moment, Lang, Message, TextProblem, Texts, Zone,
    DAY_PARAMS, MOMENT_PARAMS,
};

const OP25B_NETWORKS: &str = include_str!("../../data/op25b_networks.json");
const PROVIDERS: &str = include_str!("../../data/providers.json");
const SECURITY_SOFTWARE: &str = include_str!("../../data/security_software.json");
const ERROR_CODES: &str = include_str!("../../data/error_codes.json");
const REPLY_CLASSES: &str = include_str!("../../data/reply_classes.json");
const TEXT_EN: &str = include_str!("../../data/text.en.json");
const TEXT_JA: &str = include_str!("../../data/text.ja.json");

/// All the tables, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Knowledge {
    networks: Vec<Op25bNetwork>,
    providers: Vec<Provider>,
    security_products: Vec<SecurityProduct>,
    error_codes: Vec<ErrorCodeEntry>,
    reply_classes: Vec<ReplyClassEntry>,
    texts: Texts,
}

/// A data file that does not parse, with serde's explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnowledgeError {
    pub file: &'static str,
    pub detail: String,
}

impl fmt::Display for KnowledgeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.detail)
    }
}

impl std::error::Error for KnowledgeError {}

/// The table files as text, for a program that fetches them when it needs them instead of
/// compiling them in (the page keeps them out of its first download). Each is the content of
/// the file named in [`Knowledge::TABLE_FILES`].
#[derive(Debug, Clone, Copy)]
pub struct KnowledgeFiles<'a> {
    pub op25b_networks: &'a str,
    pub providers: &'a str,
    pub security_software: &'a str,
    pub error_codes: &'a str,
    pub reply_classes: &'a str,
}

/// Every table file is `{"about": "...", "entries": [...]}`: the `about` text explains the
/// fields to whoever extends it.
#[derive(Deserialize)]
struct Table<T> {
    entries: Vec<T>,
}

impl Knowledge {
    /// The tables compiled into this build, parsed on first use. The files are ours and every
    /// test run parses them, so a failure here is a build defect, not bad input.
    pub fn builtin() -> &'static Knowledge {
        static BUILTIN: OnceLock<Knowledge> = OnceLock::new();
        BUILTIN.get_or_init(|| match Self::parse_builtin() {
            Ok(knowledge) => knowledge,
            Err(e) => panic!("built-in knowledge does not parse: {e}"),
        })
    }

    /// The data files under `shared/data/`: the tables, then the texts of each language.
    pub const TABLE_FILES: [&'static str; 5] = [
        "op25b_networks.json",
        "providers.json",
        "security_software.json",
        "error_codes.json",
        "reply_classes.json",
    ];

    /// Parses the compiled-in files, reporting which one is broken.
    pub fn parse_builtin() -> Result<Knowledge, KnowledgeError> {
        let texts = Texts::from_json(TEXT_EN, TEXT_JA).map_err(|e| KnowledgeError {
            file: "text.*.json",
            detail: e.to_string(),
        })?;
        Self::from_files(
            KnowledgeFiles {
                op25b_networks: OP25B_NETWORKS,
                providers: PROVIDERS,
                security_software: SECURITY_SOFTWARE,
                error_codes: ERROR_CODES,
                reply_classes: REPLY_CLASSES,
            },
            texts,
        )
    }

    /// Parses table files fetched at run time, with the texts of the languages at hand (the
    /// diagnosis never reads texts: only rendering does). Unlike [`Knowledge::builtin`], bad
    /// files here are input: the error says which file.
    pub fn from_files(
        files: KnowledgeFiles<'_>,
        texts: Texts,
    ) -> Result<Knowledge, KnowledgeError> {
        Ok(Knowledge {
            networks: table("op25b_networks.json", files.op25b_networks)?,
            providers: table("providers.json", files.providers)?,
            security_products: table("security_software.json", files.security_software)?,
            error_codes: table("error_codes.json", files.error_codes)?,
            reply_classes: table("reply_classes.json", files.reply_classes)?,
            texts,
        })
    }

    pub fn op25b_networks(&self) -> &[Op25bNetwork] {
        &self.networks
    }

    pub fn providers(&self) -> &[Provider] {
        &self.providers
    }

    pub fn security_products(&self) -> &[SecurityProduct] {
        &self.security_products
    }

    pub fn error_codes(&self) -> &[ErrorCodeEntry] {
        &self.error_codes
    }

    pub fn reply_classes(&self) -> &[ReplyClassEntry] {
        &self.reply_classes
    }

    /// What a refusal means, from its words (the first matching entry of `reply_classes.json`).
    pub fn classify_reply(&self, reply: ReplyToClassify<'_>) -> Option<&ReplyClassEntry> {
        replies::classify(&self.reply_classes, reply)
    }

    pub fn texts(&self) -> &Texts {
        &self.texts
    }

    /// The OP25B network the person connects from, by ASN first, then AS organisation.
    pub fn op25b_network(&self, asn: Option<u32>, org: Option<&str>) -> Option<NetworkMatch<'_>> {
        networks::find(&self.networks, asn, org)
    }

    /// The provider of an address domain (`gmail.com`, or a whole address).
    pub fn provider_for_domain(&self, domain: &str) -> Option<&Provider> {
        providers::for_domain(&self.providers, domain)
    }

    /// The provider running a server, from its host name (SMTP host or MX).
    pub fn provider_for_host(&self, host: &str) -> Option<&Provider> {
        providers::for_host(&self.providers, host)
    }

    /// The security product named in a certificate issuer or in what the person typed.
    pub fn security_product(&self, text: &str) -> Option<&SecurityProduct> {
        security_software::find(&self.security_products, text)
    }
}

fn table<T: for<'de> Deserialize<'de>>(
    file: &'static str,
    json: &str,
) -> Result<Vec<T>, KnowledgeError> {
    serde_json::from_str::<Table<T>>(json)
        .map(|t| t.entries)
        .map_err(|e| KnowledgeError {
            file,
            detail: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_builtin_file_parses() {
        if let Err(e) = Knowledge::parse_builtin() {
            panic!("{e}");
        }
    }

    #[test]
    fn fetched_files_parse_like_the_builtin_ones_and_a_broken_one_is_named() {
        let en = Texts::from_lang_json(Lang::En, TEXT_EN).unwrap();
        let files = KnowledgeFiles {
            op25b_networks: OP25B_NETWORKS,
            providers: PROVIDERS,
            security_software: SECURITY_SOFTWARE,
            error_codes: ERROR_CODES,
            reply_classes: REPLY_CLASSES,
        };
        let fetched = Knowledge::from_files(files, en).unwrap();
        let builtin = Knowledge::builtin();
        assert_eq!(fetched.op25b_networks(), builtin.op25b_networks());
        assert_eq!(fetched.error_codes(), builtin.error_codes());
        assert_eq!(fetched.texts().keys(Lang::Ja).count(), 0);
        let broken = KnowledgeFiles {
            providers: "<html>502</html>",
            ..files
        };
        let error = Knowledge::from_files(broken, Texts::default()).unwrap_err();
        assert_eq!(error.file, "providers.json");
        for file in Knowledge::TABLE_FILES {
            assert!(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("data")
                .join(file)
                .is_file());
        }
    }

    #[test]
    fn both_languages_have_the_same_keys_and_placeholders() {
        let texts = Knowledge::builtin().texts();
        let en: BTreeSet<_> = texts.keys(Lang::En).collect();
        let ja: BTreeSet<_> = texts.keys(Lang::Ja).collect();
        assert_eq!(
            en.difference(&ja).collect::<Vec<_>>(),
            Vec::<&&str>::new(),
            "missing in ja"
        );
        assert_eq!(
            ja.difference(&en).collect::<Vec<_>>(),
            Vec::<&&str>::new(),
            "missing in en"
        );
        // A Japanese text may use the `_ja` twin of a parameter (`{network_ja}`).
        let names = |lang, key| -> Vec<String> {
            placeholders(texts.get(lang, key).unwrap_or_default())
                .into_iter()
                .map(|n| n.strip_suffix("_ja").unwrap_or(n).to_owned())
                .collect()
        };
        for key in en {
            let mut a = names(Lang::En, key);
            let mut b = names(Lang::Ja, key);
            a.sort_unstable();
            a.dedup();
            b.sort_unstable();
            b.dedup();
            assert_eq!(a, b, "placeholders of {key}");
        }
    }

    #[test]
    fn every_key_named_by_the_data_exists() {
        let k = Knowledge::builtin();
        let mut keys: Vec<&str> = Vec::new();
        keys.extend(k.providers().iter().filter_map(|p| p.notes.as_deref()));
        keys.extend(k.security_products().iter().map(|p| p.setting.as_str()));
        keys.extend(k.error_codes().iter().map(|e| e.meaning.as_str()));
        for key in keys {
            for lang in Lang::ALL {
                assert!(k.texts().get(lang, key).is_some(), "{lang:?}: {key}");
            }
        }
    }
}
