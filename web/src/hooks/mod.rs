//! Everything that talks to the browser: the probe request and the document's language.
//! The decisions are made in [`crate::state`], [`crate::answer`] and [`crate::i18n`]; these
//! hooks only carry them out.

mod language;
mod probe;

pub use language::{browser_lang, remember_lang_in_address, use_document_language};
pub use probe::use_probe;
