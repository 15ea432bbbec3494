//! The only commands a probe can send. There is deliberately no `MAIL`, `RCPT` or `DATA`
//! variant: the engine writes to the wire only through [`Command`], so a probe that sends
//! mail cannot be written without changing this enum.
//!
//! ```compile_fail
//! let _ = sendcheck::smtp::Command::Mail;
//! ```

use std::fmt;

use crate::target::Hostname;

#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Command {
    Ehlo(Hostname),
    Helo(Hostname),
    Quit,
}

impl Command {
    /// The bytes to send, CRLF-terminated.
    pub fn to_wire(&self) -> Vec<u8> {
        format!("{self}\r\n").into_bytes()
    }
}

/// The transcript form, which is also the wire form (nothing here is secret).
impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ehlo(name) => write!(f, "EHLO {name}"),
            Self::Helo(name) => write!(f, "HELO {name}"),
            Self::Quit => f.write_str("QUIT"),
        }
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
        assert_eq!(Command::Quit.to_wire(), b"QUIT\r\n");
    }
}
