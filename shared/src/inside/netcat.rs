//! What `nc -vz HOST PORT` prints, in the dialects a person may have:
//!
//! ```text
//! netcat-openbsd (Debian, Ubuntu)  Connection to H (IP) 25 port [tcp/smtp] succeeded!
//!                                  nc: connect to H (IP) port 25 (tcp) failed: Connection refused
//!                                  nc: connect to H (IP) port 25 (tcp) timed out: Operation now in progress
//!                                  nc: getaddrinfo for host "H" port 25: Name or service not known
//! macOS                            Connection to H port 25 [tcp/smtp] succeeded!
//!                                  nc: connectx to H port 25 (tcp) failed: Operation timed out
//!                                  nc: getaddrinfo: nodename nor servname provided, or not known
//! ncat (Fedora, RHEL)              Ncat: Connected to IP:25.   Ncat: Connection refused.
//!                                  Ncat: TIMEOUT.   Ncat: Could not resolve hostname "H": ...
//! netcat-traditional               H [IP] 25 (smtp) open   H [IP] 25 (smtp) : Connection refused
//! ```
//!
//! The Debian and ncat forms in the tests were captured on this project's machines
//! (testdata/capture.sh); the macOS ones are written from Apple's nc source and man page.

use super::marker::host_word;

/// What one line says about a TCP connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TcpLine {
    pub host: Option<String>,
    /// `None` where the tool does not repeat it (ncat's failures).
    pub port: Option<u16>,
    pub outcome: TcpOutcome,
    pub tool: &'static str,
}

/// How a connection attempt ended, most telling last (see [`TcpOutcome::rank`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TcpOutcome {
    /// No route, network unreachable, or a failure the tool did not name.
    Failed,
    DnsFailed,
    Refused,
    TimedOut,
    Connected,
}

impl TcpOutcome {
    /// Several lines for one port (nc tries every address): one success means the port is
    /// reachable; otherwise a silent drop says more than a refusal, which says more than a
    /// missing route (often just IPv6 missing at home).
    pub(super) fn rank(self) -> u8 {
        match self {
            Self::Failed => 0,
            Self::DnsFailed => 1,
            Self::Refused => 2,
            Self::TimedOut => 3,
            Self::Connected => 4,
        }
    }

    /// The failure a system message names, if it names one.
    pub(super) fn from_message(text: &str) -> Option<TcpOutcome> {
        let lower = text.to_ascii_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
        if has(&["refused"]) {
            Some(Self::Refused)
        } else if has(&["timed out", "timeout"]) {
            Some(Self::TimedOut)
        } else if has(&[
            "name or service not known",
            "nodename nor servname",
            "temporary failure in name resolution",
            "no address associated",
            "could not resolve",
            "unknown host",
            "host lookup failed",
        ]) {
            Some(Self::DnsFailed)
        } else if has(&[
            "no route to host",
            "network is unreachable",
            "host is down",
            "host is unreachable",
        ]) {
            Some(Self::Failed)
        } else {
            None
        }
    }
}

/// Reads one line of nc, ncat or netcat-traditional output.
pub(super) fn read(line: &str) -> Option<TcpLine> {
    let line = line.trim();
    if let Some(rest) = line.strip_prefix("Ncat:") {
        return ncat(rest.trim());
    }
    if let Some(rest) = line.strip_prefix("Connection to ") {
        if line.ends_with("succeeded!") {
            return Some(TcpLine {
                host: rest.split_whitespace().next().and_then(host_word),
                port: port_near_word(rest),
                outcome: TcpOutcome::Connected,
                tool: "nc",
            });
        }
        return None;
    }
    if let Some(rest) = line
        .strip_prefix("nc: connect to ")
        .or_else(|| line.strip_prefix("nc: connectx to "))
    {
        return Some(TcpLine {
            host: rest.split_whitespace().next().and_then(host_word),
            port: port_near_word(rest),
            outcome: TcpOutcome::from_message(rest).unwrap_or(TcpOutcome::Failed),
            tool: "nc",
        });
    }
    if let Some(rest) = line.strip_prefix("nc: getaddrinfo") {
        let host = rest
            .split_once("host \"")
            .and_then(|(_, h)| h.split('"').next())
            .and_then(host_word);
        return Some(TcpLine {
            host,
            port: port_near_word(rest),
            outcome: TcpOutcome::DnsFailed,
            tool: "nc",
        });
    }
    if let Some((host, _)) = line.split_once(": forward host lookup failed") {
        return Some(TcpLine {
            host: host_word(host),
            port: None,
            outcome: TcpOutcome::DnsFailed,
            tool: "nc",
        });
    }
    traditional(line)
}

/// `Ncat: Connected to 192.0.2.25:25.`, `Ncat: Connection refused.`, `Ncat: TIMEOUT.`
fn ncat(rest: &str) -> Option<TcpLine> {
    let line = |host, port, outcome| {
        Some(TcpLine {
            host,
            port,
            outcome,
            tool: "ncat",
        })
    };
    if let Some(target) = rest.strip_prefix("Connected to ") {
        let target = target.trim_end_matches('.');
        let (host, port) = target.rsplit_once(':')?;
        return line(host_word(host), port.parse().ok(), TcpOutcome::Connected);
    }
    if rest.starts_with("TIMEOUT") {
        return line(None, None, TcpOutcome::TimedOut);
    }
    // "Version 7.93", "0 bytes sent, 0 bytes received in 0.01 seconds." say nothing.
    let outcome = TcpOutcome::from_message(rest)?;
    let host = rest
        .split_once("hostname \"")
        .and_then(|(_, h)| h.split('"').next())
        .and_then(host_word);
    line(host, None, outcome)
}

/// netcat-traditional: `mail.example.test [192.0.2.25] 25 (smtp) open`,
/// `... 25 (smtp) : Connection refused`, `dropped.example.test: forward host lookup failed`.
fn traditional(line: &str) -> Option<TcpLine> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let bracketed = words
        .iter()
        .position(|w| w.starts_with('[') && w.ends_with(']'))?;
    let port = words.get(bracketed + 1)?.parse().ok()?;
    if !words.get(bracketed + 2)?.starts_with('(') {
        return None;
    }
    let outcome = if line.ends_with(" open") {
        TcpOutcome::Connected
    } else {
        TcpOutcome::from_message(line.rsplit_once(" : ")?.1)?
    };
    let host = words
        .first()
        .filter(|w| **w != "(UNKNOWN)")
        .and_then(|w| host_word(w))
        .or_else(|| host_word(words[bracketed]));
    Some(TcpLine {
        host,
        port: Some(port),
        outcome,
        tool: "nc",
    })
}

/// The port beside the word `port`: after it (`port 25 (tcp)`, macOS `port 25 [tcp/smtp]`,
/// `port 25:`) or before it (Debian's `(IP) 25 port [tcp/smtp]`).
fn port_near_word(text: &str) -> Option<u16> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let at = words.iter().position(|w| *w == "port")?;
    let number = |w: &&str| w.trim_end_matches(':').parse::<u16>().ok();
    words.get(at + 1).and_then(number).or_else(|| {
        at.checked_sub(1)
            .and_then(|i| words.get(i))
            .and_then(number)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> TcpLine {
        let lines: Vec<_> = text.lines().filter_map(read).collect();
        assert_eq!(lines.len(), 1, "{text:?}: {lines:?}");
        lines.into_iter().next().unwrap()
    }

    fn summary(line: &TcpLine) -> (Option<&str>, Option<u16>, TcpOutcome) {
        (line.host.as_deref(), line.port, line.outcome)
    }

    #[test]
    fn debian_netcat_openbsd_captured() {
        use TcpOutcome::*;
        for (fixture, want) in [
            (
                include_str!("testdata/nc_openbsd_succeeded_by_name.txt"),
                (Some("mail.example.test"), Some(25), Connected),
            ),
            (
                include_str!("testdata/nc_openbsd_succeeded_by_address.txt"),
                (Some("192.0.2.25"), Some(587), Connected),
            ),
            (
                include_str!("testdata/nc_openbsd_refused.txt"),
                (Some("closed.example.test"), Some(25), Refused),
            ),
            (
                include_str!("testdata/nc_openbsd_timed_out.txt"),
                (Some("dropped.example.test"), Some(25), TimedOut),
            ),
            (
                include_str!("testdata/nc_openbsd_unknown_host.txt"),
                (Some("nowhere.example.test"), Some(25), DnsFailed),
            ),
        ] {
            assert_eq!(summary(&one(fixture)), want, "{fixture}");
        }
    }

    #[test]
    fn ncat_captured() {
        use TcpOutcome::*;
        for (fixture, want) in [
            (
                include_str!("testdata/ncat_succeeded.txt"),
                (Some("192.0.2.25"), Some(25), Connected),
            ),
            (
                include_str!("testdata/ncat_refused.txt"),
                (None, None, Refused),
            ),
            (
                include_str!("testdata/ncat_timed_out.txt"),
                (None, None, TimedOut),
            ),
            (
                include_str!("testdata/ncat_unknown_host.txt"),
                (Some("nowhere.example.test"), None, DnsFailed),
            ),
        ] {
            let line = one(fixture);
            assert_eq!((summary(&line), line.tool), (want, "ncat"), "{fixture}");
        }
    }

    #[test]
    fn netcat_traditional_captured() {
        use TcpOutcome::*;
        for (fixture, want) in [
            (
                include_str!("testdata/nc_traditional_succeeded.txt"),
                (Some("mail.example.test"), Some(25), Connected),
            ),
            (
                include_str!("testdata/nc_traditional_refused.txt"),
                (Some("closed.example.test"), Some(25), Refused),
            ),
            (
                include_str!("testdata/nc_traditional_timed_out.txt"),
                (Some("dropped.example.test"), Some(25), TimedOut),
            ),
            (
                include_str!("testdata/nc_traditional_unknown_host.txt"),
                (Some("nowhere.example.test"), None, DnsFailed),
            ),
        ] {
            assert_eq!(summary(&one(fixture)), want, "{fixture}");
        }
    }

    /// Written from Apple's nc (netcat-openbsd with `connectx`) and its man page: not captured.
    #[test]
    fn macos_nc() {
        use TcpOutcome::*;
        for (text, want) in [
            (
                "Connection to mail.example.jp port 587 [tcp/submission] succeeded!",
                (Some("mail.example.jp"), Some(587), Connected),
            ),
            (
                "nc: connectx to mail.example.jp port 25 (tcp) failed: Operation timed out",
                (Some("mail.example.jp"), Some(25), TimedOut),
            ),
            (
                "nc: connectx to mail.example.jp port 2525 (tcp) failed: Connection refused",
                (Some("mail.example.jp"), Some(2525), Refused),
            ),
            (
                "nc: getaddrinfo: nodename nor servname provided, or not known",
                (None, None, DnsFailed),
            ),
            (
                "nc: connectx to mail.example.jp port 25 (tcp) failed: No route to host",
                (Some("mail.example.jp"), Some(25), Failed),
            ),
        ] {
            assert_eq!(summary(&one(text)), want, "{text}");
        }
    }

    #[test]
    fn lines_that_are_not_results_are_ignored() {
        for text in [
            "Ncat: Version 7.93 ( https://nmap.org/ncat )",
            "Ncat: 0 bytes sent, 0 bytes received in 0.01 seconds.",
            "Connection to the internet is slow today",
            "nc -vz -w 5 \"$h\" \"$p\" 2>&1",
            "[tcp/smtp]",
            "a [b] 25 (smtp) : it rained",
        ] {
            assert_eq!(read(text), None, "{text}");
        }
    }
}
