//! The only commands a probe can send. There is deliberately no `MAIL`, `RCPT` or `DATA`
//! variant: the engine writes to the wire only through [`Command`], so a probe that sends
//! mail cannot be written without changing this enum.
//!
//! ```compile_fail
//! let _ = sendcheck::smtp::Command::Mail;
//! ```
//!
//! Secrets travel inside [`Secret`], whose `Display` and `Debug` print `<redacted>`: the
//! transcript is built from `Display`, so a password cannot reach it.

use std::fmt;

use crate::target::Hostname;

#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Command {
    Ehlo(Hostname),
    Helo(Hostname),
    StartTls,
    /// `AUTH PLAIN` with its initial response (RFC 4616), which holds the password.
    AuthPlain(Secret),
    /// `AUTH LOGIN`; username and password follow as [`Command::AuthResponse`]s.
    AuthLogin,
    /// `AUTH CRAM-MD5`; the answer to the challenge follows as a [`Command::AuthResponse`].
    AuthCramMd5,
    /// A line answering a `334` challenge.
    AuthResponse(Secret),
    Quit,
}

impl Command {
    /// The bytes to send, CRLF-terminated, secrets included.
    pub fn to_wire(&self) -> Vec<u8> {
        let line = match self {
            Self::AuthPlain(secret) => format!("AUTH PLAIN {}", secret.expose()),
            Self::AuthResponse(secret) => secret.expose().to_owned(),
            other => other.to_string(),
        };
        format!("{line}\r\n").into_bytes()
    }

    /// The verb, for checks that no mail command is ever produced.
    pub fn verb(&self) -> &'static str {
        match self {
            Self::Ehlo(_) => "EHLO",
            Self::Helo(_) => "HELO",
            Self::StartTls => "STARTTLS",
            Self::AuthPlain(_) | Self::AuthLogin | Self::AuthCramMd5 => "AUTH",
            Self::AuthResponse(_) => "",
            Self::Quit => "QUIT",
        }
    }
}

/// The transcript form: the wire form with every secret replaced by `<redacted>`.
impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ehlo(name) => write!(f, "EHLO {name}"),
            Self::Helo(name) => write!(f, "HELO {name}"),
            Self::StartTls => f.write_str("STARTTLS"),
            Self::AuthPlain(secret) => write!(f, "AUTH PLAIN {secret}"),
            Self::AuthLogin => f.write_str("AUTH LOGIN"),
            Self::AuthCramMd5 => f.write_str("AUTH CRAM-MD5"),
            Self::AuthResponse(secret) => write!(f, "{secret}"),
            Self::Quit => f.write_str("QUIT"),
        }
    }
}

/// A value that must never be shown: only [`Command::to_wire`] reads it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Self {
        Self(value)
    }

    fn expose(&self) -> &str {
        &self.0
    }

    /// The value, only to find it in what a server says back and take it out
    /// ([`super::Credentials::scrub`]).
    pub(crate) fn expose_to_scrub(&self) -> String {
        self.0.clone()
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_render_as_rfc_5321_lines() {
        let name = Hostname::parse("sendcheck.invalid").unwrap();
        assert_eq!(
            Command::Ehlo(name.clone()).to_wire(),
            b"EHLO sendcheck.invalid\r\n"
        );
        assert_eq!(Command::Helo(name).to_string(), "HELO sendcheck.invalid");
        assert_eq!(Command::StartTls.to_wire(), b"STARTTLS\r\n");
        assert_eq!(Command::Quit.to_wire(), b"QUIT\r\n");
    }

    #[test]
    fn secrets_reach_the_wire_and_nothing_else() {
        let plain = Command::AuthPlain(Secret::new("AHRhcm8AaHVudGVyMg==".into()));
        assert_eq!(plain.to_wire(), b"AUTH PLAIN AHRhcm8AaHVudGVyMg==\r\n");
        assert_eq!(plain.to_string(), "AUTH PLAIN <redacted>");
        assert!(!format!("{plain:?}").contains("AHRhcm8"));
        let response = Command::AuthResponse(Secret::new("aHVudGVyMg==".into()));
        assert_eq!(response.to_wire(), b"aHVudGVyMg==\r\n");
        assert_eq!(response.to_string(), "<redacted>");
    }
}
