//! The share link: one URL that reopens a check's result view without probing again, and
//! tells whoever opens it whether sendcheck really produced what it shows.
//!
//! ```text
//!  worker: CheckReport ─JSON─▶ deflate-raw ─▶ Ed25519 sign (SHARE_SIGNING_KEY) ─▶ report.seal
//!                                     payload ─┘            sig ─┘
//!  page:   seal + the person's own part (answers, local checks, network; unsigned)
//!          ─ make_link ─▶ https://<origin>/#r=1.<v>.<key_id>.<payload>.<sig>.<person>
//!  viewer: parse_link ─▶ verify sig over payload bytes (key from GET /api/share-key)
//!          ─▶ inflate (bounded) ─▶ read_report ─▶ "verified: produced by sendcheck at … from …"
//! ```
//!
//! # Link format, version 1
//! Everything sits in the URL fragment, which browsers never send to a server. After `#r=`
//! come six segments separated by `.`:
//!
//! | segment   | content                                                                   |
//! |-----------|---------------------------------------------------------------------------|
//! | `1`       | the link version ([`LINK_VERSION`])                                       |
//! | `v`       | the seal version ([`SEAL_VERSION`]): Ed25519 over deflate-raw JSON        |
//! | `key_id`  | base64url of the first 8 bytes of SHA-256 of the signing public key       |
//! | `payload` | base64url of the signed bytes: a `CheckReport` as JSON, deflate-raw       |
//! | `sig`     | base64url of the 64-byte Ed25519 signature over exactly the payload bytes |
//! | `person`  | base64url of [`PersonPart`] as JSON (uncompressed, unsigned); may be empty |
//!
//! base64url is RFC 4648 §5 without padding, decoded strictly. A verifier never re-serializes
//! the report: it checks the signature over the payload bytes, then inflates and parses them.
//! The person's part is what they said and saw themselves; it is shown as theirs, unverified.
//! It never holds a password, and holds their user name only when they chose to include it.
//!
//! Links made today must open after every future release: readers keep accepting link and
//! seal version 1, and every field is `#[serde(default)]` (a test pins a link made now).
//!
//! Decoding is bounded ([`MAX_LINK_BYTES`] of link, [`MAX_REPORT_BYTES`] inflated) and every
//! failure is a named [`ShareError`], never a panic. The page verifies with WebCrypto and
//! inflates with the browser's `DecompressionStream`; the worker signs and native tools verify
//! with the `seal` feature (ring, miniz_oxide), which the page does not link.

pub mod base64url;
mod keys;
mod link;
#[cfg(feature = "seal")]
mod seal;

use std::fmt;

pub use keys::{
    key_id, PublicShareKey, ShareKeys, ED25519, KEY_BYTES, KEY_ID_BYTES, SIGNATURE_BYTES,
};
pub use link::{
    make_link, parse_link, read_report, LinkOptions, PersonPart, Seal, SharedLink,
    LINK_FRAGMENT_PREFIX, LINK_VERSION, SEAL_VERSION,
};
#[cfg(feature = "seal")]
pub use seal::{inflate, open, seal, verify, Opened, SigningKey};

/// The longest link read, in bytes: far above a real one (a few KiB), far below what could
/// make a browser or this parser struggle.
pub const MAX_LINK_BYTES: usize = 64 * 1024;
/// The most bytes the payload may inflate to (a zip bomb stops here).
pub const MAX_REPORT_BYTES: usize = 512 * 1024;

/// Why a link cannot be opened or trusted. `name()` is the stable code the page translates.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ShareError {
    /// No `#r=` part: not a share link at all.
    NotALink,
    /// A link or seal version this build does not know (`found`, at most 16 characters).
    UnknownVersion { found: String },
    /// A segment is missing, extra, not base64url or of the wrong length.
    BadEncoding { part: LinkPart },
    /// The link, or the report inside it, is larger than a reader accepts.
    TooLarge { limit: usize },
    /// The signature does not match the payload: the content was altered.
    BadSignature,
    /// Signed with a key this deployment does not publish.
    UnknownKey { key_id: String },
    /// The payload is not a report (after a valid signature: a report from an unknown future).
    BadReport { detail: String },
    /// The person's part is not readable.
    BadAnswers { detail: String },
}

/// Which part of a link failed to decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LinkPart {
    /// The number of `.`-separated segments.
    Layout,
    KeyId,
    /// The payload's base64url, or its deflate stream.
    Payload,
    Signature,
    /// The person's part.
    Person,
}

impl ShareError {
    /// Every code, for tables that must cover them all (a test keeps it complete).
    pub const NAMES: [&'static str; 8] = [
        "not_a_link",
        "unknown_version",
        "bad_encoding",
        "too_large",
        "bad_signature",
        "unknown_key",
        "bad_report",
        "bad_answers",
    ];

    pub fn name(&self) -> &'static str {
        match self {
            Self::NotALink => "not_a_link",
            Self::UnknownVersion { .. } => "unknown_version",
            Self::BadEncoding { .. } => "bad_encoding",
            Self::TooLarge { .. } => "too_large",
            Self::BadSignature => "bad_signature",
            Self::UnknownKey { .. } => "unknown_key",
            Self::BadReport { .. } => "bad_report",
            Self::BadAnswers { .. } => "bad_answers",
        }
    }
}

impl LinkPart {
    pub fn name(self) -> &'static str {
        match self {
            Self::Layout => "layout",
            Self::KeyId => "key_id",
            Self::Payload => "payload",
            Self::Signature => "signature",
            Self::Person => "person",
        }
    }
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotALink => f.write_str("not a sendcheck share link (no #r= part)"),
            Self::UnknownVersion { found } => write!(f, "unknown link version {found:?}"),
            Self::BadEncoding { part } => write!(f, "the link's {} is damaged", part.name()),
            Self::TooLarge { limit } => write!(f, "larger than {limit} bytes"),
            Self::BadSignature => f.write_str("the signature does not match the content"),
            Self::UnknownKey { key_id } => write!(f, "signed with an unknown key {key_id:?}"),
            Self::BadReport { detail } => write!(f, "the report cannot be read: {detail}"),
            Self::BadAnswers { detail } => write!(f, "the answers cannot be read: {detail}"),
        }
    }
}

impl std::error::Error for ShareError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lists_every_error() {
        let every = [
            ShareError::NotALink,
            ShareError::UnknownVersion {
                found: String::new(),
            },
            ShareError::BadEncoding {
                part: LinkPart::Layout,
            },
            ShareError::TooLarge { limit: 1 },
            ShareError::BadSignature,
            ShareError::UnknownKey {
                key_id: String::new(),
            },
            ShareError::BadReport {
                detail: String::new(),
            },
            ShareError::BadAnswers {
                detail: String::new(),
            },
        ];
        let names: Vec<_> = every.iter().map(ShareError::name).collect();
        assert_eq!(names, ShareError::NAMES);
        for error in &every {
            assert!(!error.to_string().is_empty());
        }
    }
}
