//! Everything that talks to the browser: the check's request and its stream, the network
//! identity, the browser's reachability test, the data files, the discovery and the
//! document's language. The decisions are made in [`crate::state`] and the pure modules;
//! these hooks only carry them out.

mod browser;
mod discover;
mod knowledge;
mod language;
mod network;
mod probe;
mod share;

pub use browser::{copy_to_clipboard, user_agent};
pub use discover::use_discover;
pub use knowledge::use_library;
pub use language::{browser_lang, remember_lang_in_address, use_document_language};
pub use network::{use_reach, use_whoami};
pub use probe::use_probe;
pub use share::{use_location_hash, use_shared_view};
