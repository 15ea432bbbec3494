//! The lines the script prints of its own, in one place for the writer (script.rs) and the
//! reader (output.rs):
//!
//! ```text
//! == sendcheck 465 tls mail.example.jp          a section header, before each test
//! sendcheck 465 tls result: tls_ok              a fact, from the PowerShell script's own code
//! sendcheck 465 tls issuer: CN=R11, O=Let's Encrypt, C=US
//! ```
//!
//! A fact's value runs to the end of the line, so a certificate name may hold any character.

use crate::target::{Host, Security};

/// Starts every header line.
pub(super) const HEADER: &str = "== sendcheck";
/// Starts every fact line.
pub(super) const FACT: &str = "sendcheck";

/// What one section of the script tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Only whether a TCP connection opens.
    Tcp,
    /// TLS from the first byte (465).
    Tls,
    /// EHLO, STARTTLS, then TLS (587, 25).
    Starttls,
}

impl Mode {
    pub(super) fn name(self) -> &'static str {
        match self {
            Mode::Tcp => "tcp",
            Mode::Tls => "tls",
            Mode::Starttls => "starttls",
        }
    }

    fn parse(word: &str) -> Option<Mode> {
        [Mode::Tcp, Mode::Tls, Mode::Starttls]
            .into_iter()
            .find(|m| m.name() == word)
    }

    /// The security a [`crate::diagnosis::LocalCheck`] records: none for a plain TCP test.
    pub(super) fn security(self) -> Option<Security> {
        match self {
            Mode::Tcp => None,
            Mode::Tls => Some(Security::Tls),
            Mode::Starttls => Some(Security::Starttls),
        }
    }

    /// The TLS look a port configured with `security` gets, if any.
    pub(super) fn tls_look(security: Security) -> Option<Mode> {
        match security {
            Security::Tls => Some(Mode::Tls),
            Security::Starttls => Some(Mode::Starttls),
            Security::None => None,
        }
    }
}

/// `== sendcheck PORT MODE [HOST]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Header {
    pub port: u16,
    pub mode: Mode,
    pub host: Option<String>,
}

pub(super) fn read_header(line: &str) -> Option<Header> {
    let rest = line.trim().strip_prefix(HEADER)?;
    let mut words = rest.split_whitespace();
    let port = words.next()?.parse().ok()?;
    let mode = Mode::parse(words.next()?)?;
    let host = words.next().and_then(host_word);
    Some(Header { port, mode, host })
}

/// The facts the PowerShell script prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Key {
    /// A [`crate::diagnosis::LocalResult`] name.
    Result,
    Issuer,
    Subject,
    Sha256,
    /// What went wrong, in the system's words (may be in the person's language).
    Error,
    /// The TLS look was ended by the script's time limit (value: the limit in seconds).
    TimeLimit,
}

impl Key {
    pub(super) fn name(self) -> &'static str {
        match self {
            Key::Result => "result",
            Key::Issuer => "issuer",
            Key::Subject => "subject",
            Key::Sha256 => "sha256",
            Key::Error => "error",
            Key::TimeLimit => "time_limit",
        }
    }

    fn parse(word: &str) -> Option<Key> {
        [
            Key::Result,
            Key::Issuer,
            Key::Subject,
            Key::Sha256,
            Key::Error,
            Key::TimeLimit,
        ]
        .into_iter()
        .find(|k| k.name() == word)
    }
}

/// `sendcheck PORT MODE KEY: VALUE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Fact<'a> {
    pub port: u16,
    pub mode: Mode,
    pub key: Key,
    pub value: &'a str,
}

pub(super) fn read_fact(line: &str) -> Option<Fact<'_>> {
    let rest = line.trim_start().strip_prefix(FACT)?.strip_prefix(' ')?;
    let (port, rest) = rest.trim_start().split_once(' ')?;
    let (mode, rest) = rest.trim_start().split_once(' ')?;
    let (key, value) = rest.trim_start().split_once(':')?;
    Some(Fact {
        port: port.parse().ok()?,
        mode: Mode::parse(mode)?,
        key: Key::parse(key.trim())?,
        value: value.trim(),
    })
}

/// A host name or address as printed by a tool, if it is one (never more than a name).
pub(super) fn host_word(word: &str) -> Option<String> {
    let word = word.trim_matches(|c| matches!(c, '"' | '\'' | '(' | ')' | '[' | ']'));
    if word.len() > 253 {
        return None;
    }
    Host::parse(word).ok().map(|h| h.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_name_port_mode_and_host() {
        assert_eq!(
            read_header("== sendcheck 465 tls mail.example.jp"),
            Some(Header {
                port: 465,
                mode: Mode::Tls,
                host: Some("mail.example.jp".into())
            })
        );
        assert_eq!(
            read_header("  == sendcheck 25 tcp").map(|h| (h.port, h.mode, h.host)),
            Some((25, Mode::Tcp, None))
        );
        // A variable the shell did not expand (the script's own text) is not a header.
        assert_eq!(read_header("echo \"== sendcheck $p tcp $h\""), None);
        assert_eq!(read_header("== sendcheck $p tcp $h"), None);
        assert_eq!(read_header("== sendcheck 99999 tcp x"), None);
        assert_eq!(read_header("== sendcheck 25 udp x"), None);
    }

    #[test]
    fn facts_keep_the_rest_of_the_line_as_the_value() {
        let fact = read_fact("sendcheck 465 tls issuer: CN=\"a: b\", O=Example").unwrap();
        assert_eq!(
            (fact.port, fact.mode, fact.key, fact.value),
            (465, Mode::Tls, Key::Issuer, "CN=\"a: b\", O=Example")
        );
        assert_eq!(
            read_fact("sendcheck 25 tcp result: connected").map(|f| f.value),
            Some("connected")
        );
        assert_eq!(read_fact("sendcheck $p $mode result: tls_ok"), None);
        assert_eq!(read_fact("sendcheckx 25 tcp result: connected"), None);
        assert_eq!(read_fact("sendcheck 25 tcp colour: blue"), None);
    }

    #[test]
    fn only_host_names_and_addresses_are_taken_as_hosts() {
        assert_eq!(host_word("(192.0.2.1)"), Some("192.0.2.1".into()));
        assert_eq!(
            host_word("\"Mail.Example.JP\""),
            Some("mail.example.jp".into())
        );
        assert_eq!(host_word("$h"), None);
        assert_eq!(host_word("a;rm"), None);
    }
}
