//! The check only the person's own machine can make. A browser cannot open ports 25, 465 or
//! 587, so the page gives the person one block of commands to paste into their terminal and
//! reads back whatever the terminal printed.
//!
//! ```text
//!  local_script(os, host, ports) ──▶ LocalScript.text ──▶ the person's terminal
//!                                                           │ PowerShell: Test-NetConnection,
//!                                                           │   TcpClient + SslStream
//!                                                           │ sh: nc -vz, openssl s_client
//!                                                           ▼
//!  Vec<LocalCheck> ◀── parse_local_output(pasted text) ◀── what it printed, pasted back
//!  (diagnosis::InsideView.local_checks: op25b, tls_interception, ...)
//! ```
//!
//! The script prints a header (`== sendcheck 465 tls mail.example.jp`) before each test, so
//! the parser knows which port and mode a tool's output belongs to even when the tool does not
//! say (openssl never prints the port). The parser also reads the tools' output without the
//! headers, as when someone ran `nc -vz` or `Test-NetConnection` by hand, and whatever a
//! terminal adds: CRLF, ANSI colours, prompts, echoed commands, text in other languages.
//!
//! A certificate seen here that differs from the one sendcheck saw from outside is the
//! evidence of interception (security software, a gateway): the parser reports issuer,
//! subject and SHA-256 of the leaf in the same form the outside probe uses
//! (`CN=..., O=..., C=...`, lowercase hex).

mod command_line;
mod distinguished_name;
mod marker;
mod native;
mod netcat;
mod output;
mod s_client;
mod script;
mod test_netconnection;

use std::fmt;

pub use native::{local_result, native_block};
pub use output::{parse_local_output, MAX_CHECKS, MAX_OUTPUT_BYTES};
pub use script::{local_script, CONNECT_TIMEOUT_SECS, TLS_TIMEOUT_SECS, WORST_CASE_SECS};

/// The person's operating system: which shell the script is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Os {
    /// Windows PowerShell 5.1 (Windows 10 and 11) or PowerShell 7.
    Windows,
    /// macOS: `/bin/sh`, Apple's `nc`, LibreSSL's `openssl`.
    MacOs,
    /// Linux: POSIX `sh`, OpenBSD `nc` (Debian, Ubuntu) or `ncat`, OpenSSL.
    Linux,
}

impl Os {
    pub const ALL: [Os; 3] = [Os::Windows, Os::MacOs, Os::Linux];

    /// The system a browser runs on, from its `User-Agent`; `None` where no terminal is at
    /// hand (phones, tablets, ChromeOS) or the agent does not say.
    pub fn from_user_agent(ua: &str) -> Option<Os> {
        let has = |word: &str| ua.contains(word);
        if ["Android", "iPhone", "iPad", "iPod", "CrOS"]
            .iter()
            .any(|w| has(w))
        {
            None
        } else if has("Windows") {
            Some(Os::Windows)
        } else if has("Macintosh") || has("Mac OS X") {
            Some(Os::MacOs)
        } else if has("Linux") || has("X11") {
            Some(Os::Linux)
        } else {
            None
        }
    }

    /// `windows`, `macos`, `linux`: the form's option values.
    pub fn name(self) -> &'static str {
        match self {
            Os::Windows => "windows",
            Os::MacOs => "macos",
            Os::Linux => "linux",
        }
    }

    pub fn from_name(name: &str) -> Option<Os> {
        Os::ALL.into_iter().find(|os| os.name() == name.trim())
    }
}

/// One copy-and-paste block for the person's terminal: TCP reachability of every port, then a
/// TLS look at the certificate of each port that speaks TLS (implicit on 465, STARTTLS on 587
/// and 25), only where the TCP test found the port open. It sends EHLO, STARTTLS and QUIT at
/// most: never MAIL, RCPT or DATA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalScript {
    pub os: Os,
    pub text: String,
}

/// Why nothing could be read from what the person pasted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LocalOutputError {
    /// Only blanks.
    Empty,
    /// Longer than any output of the script ([`MAX_OUTPUT_BYTES`]): probably the wrong text.
    TooLong { limit: usize },
    /// Text, but no line any of the tools prints for a port.
    NothingRecognised,
}

impl LocalOutputError {
    /// A stable name for the page's text tables.
    pub fn name(self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::TooLong { .. } => "too_long",
            Self::NothingRecognised => "nothing_recognised",
        }
    }
}

impl fmt::Display for LocalOutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "nothing was pasted"),
            Self::TooLong { limit } => write!(
                f,
                "the text is longer than {limit} bytes; paste only what the commands printed"
            ),
            Self::NothingRecognised => write!(
                f,
                "no result of Test-NetConnection, nc or openssl s_client was found in the text"
            ),
        }
    }
}

impl std::error::Error for LocalOutputError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agents_pick_the_shell_and_phones_get_none() {
        for (ua, os) in [
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
                Some(Os::Windows),
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
                Some(Os::MacOs),
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
                Some(Os::Linux),
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
                None,
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
                None,
            ),
            ("curl/8.5.0", None),
        ] {
            assert_eq!(Os::from_user_agent(ua), os, "{ua}");
        }
    }

    #[test]
    fn names_round_trip() {
        for os in Os::ALL {
            assert_eq!(Os::from_name(os.name()), Some(os));
        }
        assert_eq!(Os::from_name("beos"), None);
    }

    #[test]
    fn errors_have_names_and_say_what_to_do() {
        let errors = [
            LocalOutputError::Empty,
            LocalOutputError::TooLong { limit: 10 },
            LocalOutputError::NothingRecognised,
        ];
        let names: Vec<_> = errors.iter().map(|e| e.name()).collect();
        assert_eq!(names, ["empty", "too_long", "nothing_recognised"]);
        assert!(errors[1].to_string().contains("10 bytes"));
    }
}
