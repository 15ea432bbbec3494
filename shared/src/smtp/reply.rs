//! A complete SMTP reply: one code, an optional enhanced status, and the text of every line.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A three-digit reply code, 200–599 (RFC 5321 §4.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct ReplyCode(u16);

impl ReplyCode {
    pub const SERVICE_READY: ReplyCode = ReplyCode(220);
    pub const CLOSING: ReplyCode = ReplyCode(221);
    pub const OK: ReplyCode = ReplyCode(250);
    pub const SERVICE_NOT_AVAILABLE: ReplyCode = ReplyCode(421);
    pub const NO_SERVICE: ReplyCode = ReplyCode(554);

    pub fn new(code: u16) -> Option<Self> {
        (200..=599).contains(&code).then_some(Self(code))
    }

    /// Parses exactly three ASCII digits.
    pub fn from_digits(digits: &[u8]) -> Option<Self> {
        match digits {
            [a, b, c] if digits.iter().all(u8::is_ascii_digit) => Self::new(
                u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0'),
            ),
            _ => None,
        }
    }

    pub fn get(self) -> u16 {
        self.0
    }

    /// 2yz: the command succeeded.
    pub fn is_positive(self) -> bool {
        self.0 / 100 == 2
    }

    /// 4yz: try again later.
    pub fn is_transient(self) -> bool {
        self.0 / 100 == 4
    }

    /// 5yz: do not repeat as is.
    pub fn is_permanent(self) -> bool {
        self.0 / 100 == 5
    }
}

impl TryFrom<u16> for ReplyCode {
    type Error = String;
    fn try_from(code: u16) -> Result<Self, Self::Error> {
        Self::new(code).ok_or_else(|| format!("{code} is not an SMTP reply code"))
    }
}

impl From<ReplyCode> for u16 {
    fn from(code: ReplyCode) -> u16 {
        code.0
    }
}

impl fmt::Display for ReplyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// An RFC 3463 enhanced status code, `class.subject.detail`, e.g. `5.7.8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EnhancedStatus {
    pub class: u8,
    pub subject: u16,
    pub detail: u16,
}

impl EnhancedStatus {
    /// Reads the enhanced code at the start of a reply text, if there is one.
    pub fn from_text(text: &str) -> Option<Self> {
        text.split_ascii_whitespace().next()?.parse().ok()
    }

    pub fn is_transient(self) -> bool {
        self.class == 4
    }

    pub fn is_permanent(self) -> bool {
        self.class == 5
    }
}

impl FromStr for EnhancedStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("{s:?} is not an enhanced status code");
        let mut parts = s.split('.');
        let mut number = |max_digits: usize| {
            parts
                .next()
                .filter(|p| !p.is_empty() && p.len() <= max_digits)
                .filter(|p| p.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|p| p.parse::<u16>().ok())
        };
        let (class, subject, detail) = (number(1), number(3), number(3));
        match (class, subject, detail, parts.next()) {
            (Some(class @ (2 | 4 | 5)), Some(subject), Some(detail), None) => Ok(Self {
                class: class as u8,
                subject,
                detail,
            }),
            _ => Err(bad()),
        }
    }
}

impl TryFrom<String> for EnhancedStatus {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<EnhancedStatus> for String {
    fn from(status: EnhancedStatus) -> String {
        status.to_string()
    }
}

impl fmt::Display for EnhancedStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

/// A whole reply. `lines` holds the text after the code and separator of each line, verbatim
/// (the enhanced status, when present, stays in the text: nothing the server said is dropped).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub code: ReplyCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enhanced: Option<EnhancedStatus>,
    pub lines: Vec<String>,
    /// The code of the lines before the last, where it differs: Postfix's postscreen sends a
    /// `220-` teaser and then, for a client it drops, a final `521 …` line. `code` is the final
    /// line's, which is the answer; this keeps the reply as it was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub teaser: Option<ReplyCode>,
}

impl Reply {
    pub fn new(code: ReplyCode, lines: Vec<String>) -> Self {
        let enhanced = lines.first().and_then(|l| EnhancedStatus::from_text(l));
        Self {
            code,
            enhanced,
            lines,
            teaser: None,
        }
    }

    /// A positive teaser (`220-…` lines) ended by a final line of another code: the final
    /// line is the answer, and its enhanced status is the reply's.
    pub fn after_teaser(
        teaser: ReplyCode,
        mut lines: Vec<String>,
        code: ReplyCode,
        last: String,
    ) -> Self {
        let enhanced = EnhancedStatus::from_text(&last);
        lines.push(last);
        Self {
            code,
            enhanced,
            lines,
            teaser: Some(teaser),
        }
    }

    /// The lines as they appeared on the wire (`250-…` then `250 …`), without CRLF.
    pub fn wire_lines(&self) -> impl Iterator<Item = String> + '_ {
        let last = self.lines.len().saturating_sub(1);
        self.lines.iter().enumerate().map(move |(i, text)| {
            let separator = if i == last { ' ' } else { '-' };
            let code = match self.teaser {
                Some(teaser) if i != last => teaser,
                _ => self.code,
            };
            if text.is_empty() && i == last {
                code.to_string()
            } else {
                format!("{code}{separator}{text}")
            }
        })
    }

    /// All text lines joined by a space, for messages.
    pub fn text(&self) -> String {
        self.lines.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_codes_are_bounded() {
        assert_eq!(ReplyCode::from_digits(b"250"), Some(ReplyCode::OK));
        assert_eq!(ReplyCode::from_digits(b"199"), None);
        assert_eq!(ReplyCode::from_digits(b"600"), None);
        assert_eq!(ReplyCode::from_digits(b"25"), None);
        assert_eq!(ReplyCode::from_digits(b"2a0"), None);
        assert!(ReplyCode(421).is_transient());
        assert!(ReplyCode(535).is_permanent());
        assert!(ReplyCode(221).is_positive());
    }

    #[test]
    fn enhanced_status_rfc_3463_examples() {
        let s = EnhancedStatus::from_text("5.7.8 Error: authentication failed").unwrap();
        assert_eq!((s.class, s.subject, s.detail), (5, 7, 8));
        assert_eq!(s.to_string(), "5.7.8");
        assert_eq!(
            EnhancedStatus::from_text("5.7.139 Authentication unsuccessful").map(|s| s.detail),
            Some(139)
        );
        assert_eq!(EnhancedStatus::from_text("mail.example.com ESMTP"), None);
        assert_eq!(EnhancedStatus::from_text("3.1.1 no"), None);
        assert_eq!(EnhancedStatus::from_text("2.0.0.1 no"), None);
        assert_eq!(EnhancedStatus::from_text("2.1000.0 no"), None);
    }

    #[test]
    fn wire_lines_reconstruct_a_multiline_reply() {
        let reply = Reply::new(
            ReplyCode::OK,
            vec!["mx.example".into(), "PIPELINING".into()],
        );
        let lines: Vec<_> = reply.wire_lines().collect();
        assert_eq!(lines, ["250-mx.example", "250 PIPELINING"]);
    }

    #[test]
    fn reply_json_shape_is_stable() {
        let reply = Reply::new(
            ReplyCode(535),
            vec!["5.7.8 Error: authentication failed".into()],
        );
        let json = serde_json::to_string(&reply).unwrap();
        assert_eq!(
            json,
            r#"{"code":535,"enhanced":"5.7.8","lines":["5.7.8 Error: authentication failed"]}"#
        );
        assert_eq!(serde_json::from_str::<Reply>(&json).unwrap(), reply);
        assert!(serde_json::from_str::<Reply>(r#"{"code":999,"lines":[]}"#).is_err());
    }
}
