//! The mail server's name or address, as a person types it, parsed once.

use std::fmt;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::wire::InputError;

/// A host to probe: a DNS name or an IP address literal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Host {
    Name(Hostname),
    Ip(IpAddr),
}

impl Host {
    /// Parses what a person typed into the host field: trims blanks, accepts `[v6]`, and gives
    /// a specific reason for the usual mistakes (an e-mail address, a URL, `host:port`).
    pub fn parse(input: &str) -> Result<Self, InputError> {
        // Full-width digits and dots (input methods) are an address or a name like any other.
        let folded = super::idn::fold_width(input);
        let trimmed = folded.trim();
        let invalid = |reason| InputError::InvalidHost {
            host: trimmed.chars().take(80).collect(),
            reason,
        };
        if trimmed.is_empty() {
            return Err(invalid(HostError::Empty));
        }
        let unbracketed = trimmed
            .strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(']'))
            .unwrap_or(trimmed);
        if let Ok(ip) = unbracketed.parse::<IpAddr>() {
            return Ok(Self::Ip(ip));
        }
        Hostname::parse(trimmed).map(Self::Name).map_err(invalid)
    }

    /// The name to present in TLS (SNI) and to compare with certificates; `None` for literals.
    pub fn name(&self) -> Option<&Hostname> {
        match self {
            Self::Name(name) => Some(name),
            Self::Ip(_) => None,
        }
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Name(name) => name.fmt(f),
            Self::Ip(ip) => ip.fmt(f),
        }
    }
}

/// A syntactically valid DNS host name (RFC 1123 letters, digits, hyphens), lower-cased,
/// without a trailing dot.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Hostname(String);

impl Hostname {
    pub const MAX_LEN: usize = 253;
    pub const MAX_LABEL_LEN: usize = 63;

    /// Full-width letters, digits and stops fold to ASCII (NFKC, as input methods type them),
    /// and an internationalised name becomes its `xn--` form; everything the result must be
    /// is then checked on the ASCII, so nothing the guard refuses slips through in Unicode.
    pub fn parse(input: &str) -> Result<Self, HostError> {
        let folded = super::idn::fold_width(input);
        let name = folded.trim();
        if name.is_empty() {
            return Err(HostError::Empty);
        }
        if name.contains("://") {
            return Err(HostError::LooksLikeUrl);
        }
        if name.contains('@') {
            return Err(HostError::LooksLikeEmailAddress);
        }
        if let Some((_, after)) = name.rsplit_once(':') {
            if after.chars().all(|c| c.is_ascii_digit()) {
                return Err(HostError::HasPort);
            }
        }
        let ascii;
        let name = if name.is_ascii() {
            name
        } else {
            let mut labels = Vec::new();
            for label in name.split('.') {
                match super::idn::label_to_ascii(label) {
                    Some(label) => labels.push(label),
                    None => {
                        let ch = label
                            .chars()
                            .find(|c| super::idn::label_to_ascii(&c.to_string()).is_none())
                            .unwrap_or('?');
                        return Err(HostError::NotAscii { ch });
                    }
                }
            }
            ascii = labels.join(".");
            ascii.as_str()
        };
        let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
        if name.len() > Self::MAX_LEN {
            return Err(HostError::TooLong { len: name.len() });
        }
        for label in name.split('.') {
            check_label(label)?;
        }
        if name
            .split('.')
            .all(|label| label.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(HostError::NotAnIpAddress);
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn check_label(label: &str) -> Result<(), HostError> {
    if label.is_empty() {
        return Err(HostError::EmptyLabel);
    }
    if label.len() > Hostname::MAX_LABEL_LEN {
        return Err(HostError::LabelTooLong { len: label.len() });
    }
    if let Some(ch) = label
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        return Err(HostError::InvalidCharacter { ch });
    }
    if label.starts_with('-') || label.ends_with('-') {
        return Err(HostError::HyphenAtLabelEdge);
    }
    Ok(())
}

impl TryFrom<String> for Hostname {
    type Error = HostError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Hostname> for String {
    fn from(name: Hostname) -> String {
        name.0
    }
}

impl fmt::Display for Hostname {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a host name was refused, specific enough to tell the person what to change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HostError {
    Empty,
    TooLong { len: usize },
    EmptyLabel,
    LabelTooLong { len: usize },
    InvalidCharacter { ch: char },
    NotAscii { ch: char },
    HyphenAtLabelEdge,
    NotAnIpAddress,
    LooksLikeEmailAddress,
    LooksLikeUrl,
    HasPort,
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "enter the mail server's name, e.g. smtp.example.com"),
            Self::TooLong { len } => write!(
                f,
                "it is {len} characters long; a host name has at most 253"
            ),
            Self::EmptyLabel => write!(
                f,
                "it has an empty part (two dots in a row, or a leading dot)"
            ),
            Self::LabelTooLong { len } => write!(
                f,
                "one part is {len} characters long; at most 63 are allowed between dots"
            ),
            Self::InvalidCharacter { ch } => write!(
                f,
                "{ch:?} cannot appear in a host name (letters, digits, '-' and '.' only)"
            ),
            Self::NotAscii { ch } => write!(
                f,
                "{ch:?} is not allowed; enter an internationalised name in its xn-- form"
            ),
            Self::HyphenAtLabelEdge => write!(f, "a part of the name starts or ends with '-'"),
            Self::NotAnIpAddress => write!(f, "it looks like an IP address but is not a valid one"),
            Self::LooksLikeEmailAddress => write!(
                f,
                "that is an e-mail address; enter the outgoing (SMTP) server's name instead"
            ),
            Self::LooksLikeUrl => {
                write!(f, "enter only the server name, without smtp:// or https://")
            }
            Self::HasPort => write!(
                f,
                "remove the ':port' part and choose the port in the port field"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(input: &str) -> HostError {
        match Host::parse(input) {
            Err(InputError::InvalidHost { reason, .. }) => reason,
            other => panic!("{input:?} gave {other:?}"),
        }
    }

    #[test]
    fn names_are_normalised() {
        assert_eq!(
            Host::parse("  SMTP.Example.JP. ").unwrap().to_string(),
            "smtp.example.jp"
        );
    }

    #[test]
    fn japanese_input_becomes_what_a_resolver_knows() {
        let ascii = |input: &str| Host::parse(input).map(|h| h.to_string()).ok();
        assert_eq!(
            ascii("ｍａｉｌ．ｅｘａｍｐｌｅ。ｊｐ").as_deref(),
            Some("mail.example.jp")
        );
        assert_eq!(
            ascii("メール.日本語.jp").as_deref(),
            Some("xn--4dkua4c.xn--wgv71a119e.jp")
        );
        assert_eq!(
            ascii("ＭＡＩＬ．日本語．ＪＰ").as_deref(),
            Some("mail.xn--wgv71a119e.jp")
        );
        // A full-width address is an address, and the guard sees it as one.
        assert_eq!(
            Host::parse("１９２．０．２．７").unwrap(),
            Host::Ip("192.0.2.7".parse().unwrap())
        );
        assert_eq!(
            Host::parse("［::1］").unwrap(),
            Host::Ip("::1".parse().unwrap())
        );
        assert_eq!(
            reason("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ"),
            HostError::LooksLikeEmailAddress
        );
        assert_eq!(
            reason("ｍａｉｌ．ｅｘａｍｐｌｅ．ｊｐ：５８７"),
            HostError::HasPort
        );
    }

    #[test]
    fn ip_literals_are_addresses() {
        assert_eq!(
            Host::parse("192.0.2.7").unwrap(),
            Host::Ip("192.0.2.7".parse().unwrap())
        );
        assert_eq!(
            Host::parse("[2001:db8::1]").unwrap(),
            Host::Ip("2001:db8::1".parse().unwrap())
        );
    }

    #[test]
    fn the_usual_mistakes_get_specific_reasons() {
        assert_eq!(reason(""), HostError::Empty);
        assert_eq!(reason("taro@example.jp"), HostError::LooksLikeEmailAddress);
        assert_eq!(reason("smtp://mail.example.jp"), HostError::LooksLikeUrl);
        assert_eq!(reason("mail.example.jp:587"), HostError::HasPort);
        assert_eq!(reason("mail..example.jp"), HostError::EmptyLabel);
        assert_eq!(reason("-mail.example.jp"), HostError::HyphenAtLabelEdge);
        assert_eq!(
            reason("mail_server.example.jp"),
            HostError::InvalidCharacter { ch: '_' }
        );
        assert_eq!(
            reason("メール☆.example.jp"),
            HostError::NotAscii { ch: '☆' }
        );
        assert_eq!(reason("999.1.1.1"), HostError::NotAnIpAddress);
        assert_eq!(
            reason(&format!("{}.jp", "a".repeat(64))),
            HostError::LabelTooLong { len: 64 }
        );
        assert!(matches!(
            reason(&"ab.".repeat(90)),
            HostError::TooLong { .. }
        ));
    }
}
