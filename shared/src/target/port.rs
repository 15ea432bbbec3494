//! The ports a mail client sends on, and how each is secured.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::wire::InputError;

/// A port sendcheck is willing to probe. Anything else is refused at the edge, which also keeps
/// the service from being used as a general port scanner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct MailPort(u16);

impl MailPort {
    /// Relay (MTA to MTA); what OP25B blocks.
    pub const SMTP: MailPort = MailPort(25);
    /// Submission with TLS from the first byte (RFC 8314).
    pub const SUBMISSIONS: MailPort = MailPort(465);
    /// Submission with STARTTLS (RFC 6409).
    pub const SUBMISSION: MailPort = MailPort(587);
    /// An unofficial alternative submission port some hosts open for OP25B victims.
    pub const ALTERNATE: MailPort = MailPort(2525);

    pub const ALL: [MailPort; 4] = [
        Self::SUBMISSION,
        Self::SUBMISSIONS,
        Self::SMTP,
        Self::ALTERNATE,
    ];

    pub fn new(port: u16) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.0 == port)
    }

    pub fn get(self) -> u16 {
        self.0
    }
}

impl TryFrom<u16> for MailPort {
    type Error = String;
    fn try_from(port: u16) -> Result<Self, Self::Error> {
        Self::new(port).ok_or_else(|| format!("port {port} is not a mail port"))
    }
}

impl From<MailPort> for u16 {
    fn from(port: MailPort) -> u16 {
        port.0
    }
}

impl fmt::Display for MailPort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// How the connection is secured, in the words mail clients use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Security {
    /// Plain connection upgraded with the STARTTLS command (RFC 3207): usual on 587 and 25.
    Starttls,
    /// TLS from the first byte, "SSL/TLS" in mail clients (RFC 8314): usual on 465.
    Tls,
    /// No encryption at all.
    None,
}

impl Security {
    pub fn parse(given: &str) -> Result<Self, InputError> {
        match given.trim().to_ascii_lowercase().as_str() {
            "starttls" => Ok(Self::Starttls),
            "tls" | "ssl" | "ssl/tls" | "implicit" => Ok(Self::Tls),
            "none" | "plain" => Ok(Self::None),
            _ => Err(InputError::UnknownSecurity {
                given: given.chars().take(40).collect(),
            }),
        }
    }

    /// The mode a correctly configured client uses on this port.
    pub fn usual_for(port: MailPort) -> Self {
        if port == MailPort::SUBMISSIONS {
            Self::Tls
        } else {
            Self::Starttls
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Starttls => "starttls",
            Self::Tls => "tls",
            Self::None => "none",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_mail_ports_are_accepted() {
        for port in [25, 465, 587, 2525] {
            assert_eq!(MailPort::new(port).map(MailPort::get), Some(port));
        }
        for port in [0, 22, 80, 443, 2526, 65535] {
            assert_eq!(MailPort::new(port), None, "{port}");
        }
    }

    #[test]
    fn security_names_mail_clients_use_are_understood() {
        assert_eq!(Security::parse("STARTTLS"), Ok(Security::Starttls));
        assert_eq!(Security::parse("SSL/TLS"), Ok(Security::Tls));
        assert_eq!(Security::parse(" none "), Ok(Security::None));
        assert!(matches!(
            Security::parse("tls1.3"),
            Err(InputError::UnknownSecurity { .. })
        ));
    }

    #[test]
    fn usual_security_follows_rfc_8314() {
        assert_eq!(Security::usual_for(MailPort::SUBMISSIONS), Security::Tls);
        assert_eq!(
            Security::usual_for(MailPort::SUBMISSION),
            Security::Starttls
        );
        assert_eq!(Security::usual_for(MailPort::SMTP), Security::Starttls);
    }
}
