//! The error decoder: reads whatever the person pasted (an Outlook dialog, a Thunderbird
//! alert, a bounce, a Gmail notice, in English or Japanese) and recognises the codes and
//! phrases in it, each with the causes that can produce it.
//!
//! Bounded (the first [`MAX_ERROR_TEXT`] bytes are read) and total: any text decodes, to
//! nothing when nothing is recognised.

use serde::{Deserialize, Serialize};

use crate::diagnosis::Cause;
use crate::knowledge::{
    CodeKind, ErrorCodeEntry, Knowledge, Message, ReplyClassEntry, ReplyToClassify,
};
use crate::smtp::EnhancedStatus;

/// Longer pastes are cut here: error dialogs are short, and a bound keeps the page fast.
pub const MAX_ERROR_TEXT: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecodedError {
    /// Most specific first: SMTP replies, then program codes, socket errors, phrases.
    pub recognised: Vec<Recognised>,
    /// The union of the candidates, in order. [`crate::diagnosis::diagnose`] moves the causes
    /// the evidence supports to the front.
    pub candidates: Vec<Cause>,
    /// The text was longer than [`MAX_ERROR_TEXT`] and only its start was read.
    #[serde(default)]
    pub truncated: bool,
}

impl DecodedError {
    pub fn is_empty(&self) -> bool {
        self.recognised.is_empty()
    }
}

/// One code or phrase found in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recognised {
    /// As found: "0x800CCC0F", "10060", "535 5.7.8", or the entry id of a phrase.
    pub code: String,
    pub kind: CodeKind,
    /// The knowledge entry that matched.
    pub entry: String,
    pub meaning: Message,
    pub candidates: Vec<Cause>,
    /// Where the meaning comes from.
    pub reference: String,
    /// For an SMTP reply: its words as pasted (the rest of its line, bounded), so a reply no
    /// table explains can still be quoted exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<String>,
}

/// Decodes with the built-in tables.
pub fn decode_error(text: &str) -> DecodedError {
    decode_error_with(text, Knowledge::builtin())
}

pub fn decode_error_with(text: &str, knowledge: &Knowledge) -> DecodedError {
    let (text, truncated) = bounded(text);
    let entries = knowledge.error_codes();
    let mut recognised: Vec<Recognised> = Vec::new();
    let mut push = |found: Recognised| {
        if !recognised
            .iter()
            .any(|r| r.code == found.code || r.entry == found.entry)
        {
            recognised.push(found);
        }
    };
    let replies = smtp_replies(text);
    let quoted_a_reply = !replies.is_empty();
    for (code, enhanced, words) in replies {
        let shown = match enhanced {
            Some(e) => format!("{code} {e}"),
            None => code.to_string(),
        };
        // The server's own words decide first: "554 5.7.1 … blocked using zen.spamhaus.org"
        // is a blocklist, not the message refused; a pasted reply is the person's address's.
        let class = knowledge.classify_reply(ReplyToClassify {
            code,
            enhanced,
            text: words,
            step: None,
        });
        let quoted = Some(quote(words));
        if let Some(class) = class {
            push(Recognised {
                words: quoted,
                ..recognise_class(class, shown)
            });
        } else if let Some(entry) = smtp_entry(entries, code, enhanced) {
            push(Recognised {
                words: quoted,
                ..recognise(entry, shown)
            });
        } else {
            // A reply no table knows is still the server's own answer: kept with its words.
            push(Recognised {
                meaning: Message::new("code.smtp.unknown").with("code", &shown),
                code: shown,
                kind: CodeKind::SmtpReply,
                entry: "smtp.unknown".to_owned(),
                candidates: vec![Cause::UnrecognisedReply],
                reference: "RFC 5321 §4.2 https://www.rfc-editor.org/rfc/rfc5321#section-4.2"
                    .to_owned(),
                words: quoted,
            });
        }
    }
    for value in hex_codes(text) {
        if let Some(entry) = by_value(entries, CodeKind::OutlookHex, value) {
            push(recognise(entry, format!("0x{value:08X}")));
        }
    }
    for value in socket_errors(text) {
        if let Some(entry) = by_value(entries, CodeKind::Winsock, value) {
            push(recognise(entry, value.to_string()));
        }
    }
    let lower = text.to_lowercase();
    // Words of a refusal quoted without its code ("Too many login attempts"); a pasted reply
    // with its code was read whole above, and its words must not be read twice.
    for class in knowledge.reply_classes().iter().filter(|c| {
        !quoted_a_reply
            && c.codes.is_empty()
            && c.enhanced.is_none()
            && c.steps.is_empty()
            && !matches!(c.cause, Cause::ServerUnstable | Cause::CredentialsRejected)
            && phrase_groups_match(&c.phrases, &lower)
    }) {
        push(recognise_class(class, class.id.clone()));
    }
    for entry in entries.iter().filter(|e| phrase_matches(e, &lower)) {
        let code = match (entry.kind, entry.value) {
            (CodeKind::OutlookHex, Some(v)) => format!("0x{v:08X}"),
            (CodeKind::Winsock, Some(v)) => v.to_string(),
            _ => entry.id.clone(),
        };
        push(recognise(entry, code));
    }
    recognised.sort_by_key(|r| specificity(r.kind));
    let mut candidates: Vec<Cause> = Vec::new();
    for cause in recognised.iter().flat_map(|r| &r.candidates) {
        if !candidates.contains(cause) {
            candidates.push(*cause);
        }
    }
    DecodedError {
        recognised,
        candidates,
        truncated,
    }
}

fn bounded(text: &str) -> (&str, bool) {
    if text.len() <= MAX_ERROR_TEXT {
        return (text, false);
    }
    let mut end = MAX_ERROR_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (&text[..end], true)
}

/// A reply's words, trimmed and bounded for quoting.
fn quote(words: &str) -> String {
    const MAX_QUOTE: usize = 300;
    let words = words.trim();
    let mut end = words.len().min(MAX_QUOTE);
    while !words.is_char_boundary(end) {
        end -= 1;
    }
    words[..end].to_owned()
}

fn recognise(entry: &ErrorCodeEntry, code: String) -> Recognised {
    Recognised {
        meaning: Message::new(&entry.meaning).with("code", &code),
        code,
        kind: entry.kind,
        entry: entry.id.clone(),
        candidates: entry.candidates.clone(),
        reference: entry.source.clone(),
        words: None,
    }
}

fn recognise_class(class: &ReplyClassEntry, code: String) -> Recognised {
    let mut meaning = Message::new(&class.meaning).with("code", &code);
    if let Some(list) = &class.list {
        meaning = meaning.with("list", list);
    }
    if let Some(lookup) = &class.lookup {
        meaning = meaning.with("lookup", lookup);
    }
    Recognised {
        meaning,
        code,
        kind: CodeKind::SmtpReply,
        entry: class.id.clone(),
        candidates: vec![class.cause],
        reference: class.source.clone(),
        words: None,
    }
}

fn specificity(kind: CodeKind) -> u8 {
    match kind {
        CodeKind::SmtpReply => 0,
        CodeKind::OutlookHex => 1,
        CodeKind::Winsock => 2,
        _ => 3,
    }
}

fn by_value(entries: &[ErrorCodeEntry], kind: CodeKind, value: u32) -> Option<&ErrorCodeEntry> {
    entries
        .iter()
        .find(|e| e.kind == kind && e.value == Some(value))
}

/// The most specific SMTP entry: exact enhanced status, then its class and subject, then the
/// bare reply code.
fn smtp_entry(
    entries: &[ErrorCodeEntry],
    code: u16,
    enhanced: Option<EnhancedStatus>,
) -> Option<&ErrorCodeEntry> {
    let smtp = || {
        entries
            .iter()
            .filter(move |e| e.kind == CodeKind::SmtpReply && e.value == Some(u32::from(code)))
    };
    let exact = enhanced.map(|e| e.to_string());
    let prefix = enhanced.map(|e| format!("{}.{}", e.class, e.subject));
    smtp()
        .find(|e| e.enhanced.is_some() && e.enhanced == exact)
        .or_else(|| smtp().find(|e| e.enhanced.is_some() && e.enhanced == prefix))
        .or_else(|| smtp().find(|e| e.enhanced.is_none()))
}

fn phrase_matches(entry: &ErrorCodeEntry, lower: &str) -> bool {
    phrase_groups_match(&entry.phrases, lower)
}

fn phrase_groups_match(phrases: &[Vec<String>], lower: &str) -> bool {
    phrases.iter().any(|group| {
        !group.is_empty()
            && group
                .iter()
                .all(|part| !part.is_empty() && lower.contains(&part.to_lowercase()))
    })
}

/// `0x800CCC0F` anywhere (any case), or a bare eight-digit `800CCC0F` as a word of its own.
fn hex_codes(text: &str) -> Vec<u32> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let word_start = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let prefixed = word_start
            && bytes[i] == b'0'
            && bytes
                .get(i + 1)
                .is_some_and(|b| b.eq_ignore_ascii_case(&b'x'));
        let start = if prefixed { i + 2 } else { i };
        let digits = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_hexdigit())
            .count();
        let word_end = bytes
            .get(start + digits)
            .is_none_or(|b| !b.is_ascii_alphanumeric());
        if word_start && word_end && digits == 8 && (prefixed || bytes[start] == b'8') {
            if let Ok(value) = u32::from_str_radix(&text[start..start + 8], 16) {
                found.push(value);
            }
        }
        i = start + digits.max(1);
    }
    found
}

/// Windows Sockets errors 10000–11999 as numbers of their own ("Socket Error: 10060").
fn socket_errors(text: &str) -> Vec<u32> {
    numbers(text)
        .filter(|(_, digits)| digits.len() == 5)
        .filter_map(|(_, digits)| digits.parse::<u32>().ok())
        .filter(|n| (10_000..12_000).contains(n))
        .collect()
}

/// `535 5.7.8 …`, `421 Service not available`, `550-5.7.1 …`: a 4xx/5xx code followed by an
/// enhanced status or by words, and not a port number ("Port: 465"), with the rest of its line.
fn smtp_replies(text: &str) -> Vec<(u16, Option<EnhancedStatus>, &str)> {
    let mut found = Vec::new();
    for (start, digits) in numbers(text) {
        let Ok(code) = digits.parse::<u16>() else {
            continue;
        };
        if digits.len() != 3 || !(400..600).contains(&code) {
            continue;
        }
        let before = text[..start].trim_end_matches([' ', ':', '=', '\t']);
        let before_lower = before
            .get(before.len().saturating_sub(12)..)
            .unwrap_or(before)
            .to_lowercase();
        if before_lower.ends_with("port")
            || before.ends_with("ポート")
            || before.ends_with("ポート番号")
        {
            continue;
        }
        let after = &text[start + 3..];
        let Some(rest) = after.strip_prefix([' ', '-']) else {
            continue;
        };
        let next_word = rest.split_ascii_whitespace().next().unwrap_or_default();
        let enhanced = next_word
            .trim_matches(|c: char| !c.is_ascii_digit())
            .parse::<EnhancedStatus>()
            .ok();
        let wordy = rest
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '#');
        if enhanced.is_some() || wordy {
            let line = rest.split(['\n', '\r']).next().unwrap_or_default();
            found.push((code, enhanced, line));
        }
    }
    found
}

/// Runs of ASCII digits that are words of their own (not inside `0x800CCC0F` or `5.7.8`).
fn numbers(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            if !bytes[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let glued = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'.');
            let before = start.checked_sub(1).and_then(|s| bytes.get(s));
            if !glued(before) && !glued(bytes.get(i)) {
                return Some((start, &text[start..i]));
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<String> {
        decode_error(text)
            .recognised
            .into_iter()
            .map(|r| r.code)
            .collect()
    }

    #[test]
    fn outlook_express_dialog_in_japanese() {
        let text = "サーバーが予期せず接続を切断しました。\
            アカウント: 'mail.example.jp', サーバー: 'mail.example.jp', プロトコル: SMTP, \
            ポート: 25, セキュリティ (SSL): なし, エラー番号: 0x800ccc0f";
        let decoded = decode_error(text);
        assert_eq!(codes(text), ["0x800CCC0F"]);
        assert_eq!(decoded.recognised[0].kind, CodeKind::OutlookHex);
        assert!(decoded.candidates.contains(&Cause::Op25b));
        assert!(decoded.candidates.contains(&Cause::TlsInterception));
    }

    #[test]
    fn outlook_dialog_with_socket_error_and_ports() {
        let text = "Server: 'smtp.example.com', Protocol: SMTP, Port: 465, Secure(SSL): Yes, \
            Socket Error: 10060, Error Number: 0x800CCC0E";
        assert_eq!(codes(text), ["0x800CCC0E", "10060"]);
    }

    #[test]
    fn smtp_replies_in_a_gmail_notice_and_a_bounce() {
        let gmail = "Authentication failed. Please check your username/password.\n\
            Server returned error: \"535 5.7.8 Error: authentication failed: \
            UGFzc3dvcmQ6, code: 535\"";
        let decoded = decode_error(gmail);
        assert_eq!(decoded.recognised[0].code, "535 5.7.8");
        assert_eq!(decoded.candidates[0], Cause::CredentialsRejected);
        assert!(decoded
            .recognised
            .iter()
            .any(|r| r.entry == "gmail.auth_failed"));
        // Postfix's anvil: a per-client limit (issue 9), not a failing server.
        let bounce = "421 4.7.0 mail.example.jp Error: too many connections from 192.0.2.7";
        assert_eq!(decode_error(bounce).candidates, [Cause::ClientLimit]);
        let busy = "421 4.3.2 Service not available, closing transmission channel";
        assert_eq!(decode_error(busy).candidates[0], Cause::ServerUnstable);
        let relay = "554 5.7.1 <unknown[192.0.2.7]>: Client host rejected: Access denied";
        assert_eq!(decode_error(relay).candidates, [Cause::AddressRefused]);
        let gmail_only = "Authentication failed. Please check your username/password.";
        let plain = "SMTP: authentication failed";
        assert!(decode_error(gmail_only)
            .recognised
            .iter()
            .any(|r| r.entry == "gmail.auth_failed"));
        assert!(!decode_error(plain)
            .recognised
            .iter()
            .any(|r| r.entry == "gmail.auth_failed"));
        let microsoft =
            "535 5.7.139 Authentication unsuccessful, basic authentication is disabled.";
        assert_eq!(
            decode_error(microsoft).candidates[0],
            Cause::BasicAuthRetired
        );
        assert_eq!(codes("550-5.7.1 Relaying denied"), ["550 5.7.1"]);
    }

    #[test]
    fn phrases_of_thunderbird_apple_mail_and_gmail() {
        let tb = "Sending of the message failed. The message could not be sent because \
            connecting to Outgoing server (SMTP) mail.example.jp failed.";
        assert!(codes(tb).contains(&"thunderbird.connect_failed".to_owned()));
        let apple = "メールを送信できません。送信用サーバ“mail.example.jp”への接続に失敗しました。";
        assert!(codes(apple).contains(&"apple.connection_failed".to_owned()));
        assert_eq!(
            decode_error("Cannot Send Mail").recognised[0].entry,
            "apple.cannot_send"
        );
    }

    #[test]
    fn ports_dates_and_versions_are_not_mistaken_for_codes() {
        assert!(
            decode_error("Port: 587, Port 465, ポート: 465, version 5.5.1, 2026-05-50").is_empty()
        );
        assert!(decode_error("id 0x800CCC0F1 and 1800CCC0F").is_empty());
        assert!(decode_error("").is_empty());
    }

    #[test]
    fn long_or_hostile_text_is_bounded_and_never_panics() {
        let long = "あ".repeat(5000) + "0x800CCC0F";
        let decoded = decode_error(&long);
        assert!(decoded.truncated && decoded.is_empty());
        for text in [
            "0x",
            "0x800CCC",
            "535",
            "535 ",
            "535-",
            "5",
            "\u{0}0x800ccc0f\u{0}",
            "ポート",
        ] {
            let _ = decode_error(text);
        }
        assert_eq!(codes("\u{0}0x800ccc0f\u{0}"), ["0x800CCC0F"]);
    }
}
