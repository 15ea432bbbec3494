//! What the error codes and messages of mail programs can mean, and which causes each can
//! come from, most common first. Data: `data/error_codes.json`; the decoder is
//! [`crate::diagnosis::decode_error`].

use serde::{Deserialize, Serialize};

use crate::diagnosis::Cause;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorCodeEntry {
    /// Stable identifier shown as the code: "0x800CCC0F", "10060", "535 5.7.8", "apple.cannot_send".
    pub id: String,
    pub kind: CodeKind,
    /// The number for hex codes, socket errors and SMTP replies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<u32>,
    /// For SMTP replies: the enhanced status ("5.7.139") or its first two parts ("5.7").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enhanced: Option<String>,
    /// For phrases: the entry matches when every substring of one group occurs (case-insensitive).
    #[serde(default)]
    pub phrases: Vec<Vec<String>>,
    /// Text key of what the code means.
    pub meaning: String,
    /// The causes that produce this code, most common first.
    pub candidates: Vec<Cause>,
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CodeKind {
    /// Outlook / Outlook Express / Windows Live Mail (`0x800CCC0F`, `0x80042109`).
    OutlookHex,
    /// A Windows Sockets error number (10060).
    Winsock,
    /// A reply the SMTP server sent (535 5.7.8).
    SmtpReply,
    /// A sentence a mail program shows (Thunderbird, Apple Mail, Gmail).
    Phrase,
    #[serde(other)]
    Unknown,
}

#[cfg(test)]
mod tests {
    use crate::knowledge::Knowledge;

    use super::*;

    #[test]
    fn every_entry_is_usable() {
        let k = Knowledge::builtin();
        for e in k.error_codes() {
            assert!(!e.candidates.is_empty(), "{}", e.id);
            assert!(
                !e.candidates.contains(&Cause::Unknown),
                "{}: unknown cause",
                e.id
            );
            assert!(e.source.len() > 5, "{}", e.id);
            assert_ne!(e.kind, CodeKind::Unknown, "{}", e.id);
            match e.kind {
                CodeKind::Phrase => assert!(
                    !e.phrases.is_empty() && e.phrases.iter().all(|g| !g.is_empty()),
                    "{}",
                    e.id
                ),
                _ => assert!(e.value.is_some(), "{}", e.id),
            }
        }
        for wanted in [
            0x800C_CC0B,
            0x800C_CC0D,
            0x800C_CC0E,
            0x800C_CC0F,
            0x800C_CC19,
            0x800C_CC1A,
            0x800C_CC67,
            0x800C_CC78,
            0x800C_CC79,
            0x800C_CC7C,
            0x800C_CC7D,
            0x800C_CC7F,
            0x8004_2109,
        ] {
            assert!(
                k.error_codes()
                    .iter()
                    .any(|e| e.kind == CodeKind::OutlookHex && e.value == Some(wanted)),
                "{wanted:#X}"
            );
        }
        for wanted in [10053, 10054, 10060, 10061] {
            assert!(k
                .error_codes()
                .iter()
                .any(|e| e.kind == CodeKind::Winsock && e.value == Some(wanted)));
        }
        for wanted in [421, 454, 530, 534, 535, 550, 554] {
            assert!(k
                .error_codes()
                .iter()
                .any(|e| e.kind == CodeKind::SmtpReply && e.value == Some(wanted)));
        }
    }
}
