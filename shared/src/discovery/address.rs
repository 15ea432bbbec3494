//! What the person typed to have their settings discovered: an e-mail address or a bare
//! domain, parsed once into the domain to ask DNS and autoconfig about.

use std::fmt;

use crate::target::{HostError, Hostname};

/// RFC 3696 errata: 64 octets of local part, '@', 254 of domain; nothing longer is an address.
pub const MAX_ADDRESS_LEN: usize = 320;
const MAX_LOCAL_PART_LEN: usize = 64;

/// The domain of `input`, and whether it came from an address (`true`) or was typed bare.
/// The local part is checked for shape and then dropped: discovery never needs it and never
/// sends or echoes it.
pub fn parse_domain(input: &str) -> Result<(Hostname, bool), AddressError> {
    // ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ as an input method types it is taro@example.jp.
    let folded = crate::target::fold_width(input);
    let given = folded.trim();
    if given.is_empty() {
        return Err(AddressError::Empty);
    }
    if given.len() > MAX_ADDRESS_LEN {
        return Err(AddressError::TooLong { len: given.len() });
    }
    // Mail clients show "Taro <taro@example.jp>"; people paste it.
    let given = match (given.rfind('<'), given.strip_suffix('>')) {
        (Some(open), Some(inner)) if given.matches('<').count() == 1 && inner.contains('@') => {
            &inner[open + 1..]
        }
        _ => given,
    };
    let given = given.strip_prefix("mailto:").unwrap_or(given);
    let (domain, from_address) = match given.rsplit_once('@') {
        None => (given, false),
        Some((local, domain)) => {
            check_local_part(local)?;
            if domain.is_empty() {
                return Err(AddressError::EmptyDomain);
            }
            (domain, true)
        }
    };
    if domain.starts_with('[') {
        return Err(AddressError::AddressLiteral);
    }
    let domain =
        Hostname::parse(domain).map_err(|reason| AddressError::InvalidDomain { reason })?;
    if !domain.as_str().contains('.') {
        return Err(AddressError::SingleLabel);
    }
    Ok((domain, from_address))
}

/// Why an address or domain was refused, specific enough to say what to change. The input
/// itself is not repeated: it may be someone's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AddressError {
    Empty,
    TooLong {
        len: usize,
    },
    EmptyLocalPart,
    LocalPartTooLong {
        len: usize,
    },
    /// A character an unquoted local part may not hold (RFC 5322 `atext` and '.' only, or
    /// non-ASCII under SMTPUTF8): a space, '<', a second '@'…
    BadLocalPart,
    EmptyDomain,
    /// `user@[192.0.2.1]`: no DNS to ask about an address literal.
    AddressLiteral,
    /// `localhost`, `com`: nothing public to discover.
    SingleLabel,
    InvalidDomain {
        reason: HostError,
    },
}

impl AddressError {
    /// A stable name, for tests and logs.
    pub fn name(self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::TooLong { .. } => "too_long",
            Self::EmptyLocalPart => "empty_local_part",
            Self::LocalPartTooLong { .. } => "local_part_too_long",
            Self::BadLocalPart => "bad_local_part",
            Self::EmptyDomain => "empty_domain",
            Self::AddressLiteral => "address_literal",
            Self::SingleLabel => "single_label",
            Self::InvalidDomain { .. } => "invalid_domain",
        }
    }
}

impl fmt::Display for AddressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "enter an e-mail address or its domain, e.g. example.jp"),
            Self::TooLong { len } => write!(
                f,
                "it is {len} characters long; an e-mail address has at most {MAX_ADDRESS_LEN}"
            ),
            Self::EmptyLocalPart => write!(f, "there is nothing before the '@'"),
            Self::LocalPartTooLong { len } => write!(
                f,
                "the part before the '@' is {len} characters long; at most \
                 {MAX_LOCAL_PART_LEN} are allowed"
            ),
            Self::BadLocalPart => write!(
                f,
                "the part before the '@' holds a character an address cannot have \
                 (a space, another '@', '<', '>', …)"
            ),
            Self::EmptyDomain => write!(f, "there is nothing after the '@'"),
            Self::AddressLiteral => write!(
                f,
                "an address literal ([…]) has no DNS records to discover; enter a domain name"
            ),
            Self::SingleLabel => {
                write!(f, "a domain for mail has at least one dot, e.g. example.jp")
            }
            Self::InvalidDomain { reason } => write!(f, "the domain is not valid: {reason}"),
        }
    }
}

fn check_local_part(local: &str) -> Result<(), AddressError> {
    if local.is_empty() {
        return Err(AddressError::EmptyLocalPart);
    }
    if local.len() > MAX_LOCAL_PART_LEN {
        return Err(AddressError::LocalPartTooLong { len: local.len() });
    }
    // A quoted local part may hold '@' and spaces (RFC 5321 §4.1.2); a bare one only atext.
    let quoted = local.len() >= 2 && local.starts_with('"') && local.ends_with('"');
    let atext = |c: char| {
        c.is_ascii_alphanumeric()
            || "!#$%&'*+-/=?^_`{|}~.".contains(c)
            || (!c.is_ascii() && !c.is_whitespace())
    };
    let bad = |c: char| c.is_control() || (!quoted && !atext(c));
    if local.chars().any(bad) {
        return Err(AddressError::BadLocalPart);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domain(input: &str) -> (String, bool) {
        let (d, from_address) = parse_domain(input).unwrap();
        (d.to_string(), from_address)
    }

    #[test]
    fn addresses_and_bare_domains() {
        assert_eq!(domain(" Taro@Example.JP "), ("example.jp".into(), true));
        assert_eq!(domain("example.jp."), ("example.jp".into(), false));
        assert_eq!(
            domain("ｔａｒｏ＠ｅｘａｍｐｌｅ。ｊｐ"),
            ("example.jp".into(), true)
        );
        assert_eq!(
            domain("たろう@日本語.jp"),
            ("xn--wgv71a119e.jp".into(), true)
        );
        assert_eq!(
            domain("Taro Yamada <taro@mail.example.jp>"),
            ("mail.example.jp".into(), true)
        );
        assert_eq!(
            domain("mailto:taro@example.jp"),
            ("example.jp".into(), true)
        );
        assert_eq!(
            domain("\"taro yamada\"@example.jp"),
            ("example.jp".into(), true)
        );
    }

    #[test]
    fn hostile_and_mistyped_input_gets_a_specific_reason() {
        let reason = |input: &str| parse_domain(input).unwrap_err();
        assert_eq!(reason(""), AddressError::Empty);
        assert_eq!(reason("   "), AddressError::Empty);
        assert_eq!(reason("a@"), AddressError::EmptyDomain);
        assert_eq!(reason("@example.jp"), AddressError::EmptyLocalPart);
        assert_eq!(reason("@@"), AddressError::BadLocalPart);
        assert_eq!(reason("a b@example.jp"), AddressError::BadLocalPart);
        assert_eq!(reason("taro@[192.0.2.1]"), AddressError::AddressLiteral);
        assert_eq!(reason("localhost"), AddressError::SingleLabel);
        assert_eq!(
            reason(&format!("{}@example.jp", "a".repeat(65))),
            AddressError::LocalPartTooLong { len: 65 }
        );
        assert_eq!(
            reason(&format!("{}.jp", "a".repeat(300))),
            AddressError::InvalidDomain {
                reason: HostError::TooLong { len: 303 }
            }
        );
        assert_eq!(
            reason(&format!("taro@{}.jp", "a".repeat(200))),
            AddressError::InvalidDomain {
                reason: HostError::LabelTooLong { len: 200 }
            }
        );
        assert_eq!(reason(&"a".repeat(400)), AddressError::TooLong { len: 400 });
        assert_eq!(
            reason("<script>"),
            AddressError::InvalidDomain {
                reason: HostError::InvalidCharacter { ch: '<' }
            }
        );
        assert_eq!(
            reason("<script>alert(1)</script>@example.jp"),
            AddressError::BadLocalPart
        );
        assert!(matches!(
            reason("taro@https://example.jp"),
            AddressError::InvalidDomain { .. }
        ));
    }
}
