//! What Windows' `Test-NetConnection HOST -Port N` prints when someone runs it by hand (the
//! generated script prints facts instead, marker.rs). Its default view is a list of
//! properties; the property names are the same in every language of Windows, the warnings
//! are not (`WARNING:` is `警告:` in Japanese), so the warnings are read by their stable parts.
//!
//! ```text
//! WARNING: TCP connect to (192.0.2.25 : 25) failed
//! WARNING: Name resolution of nowhere.example failed
//! ComputerName     : mail.example.jp
//! RemoteAddress    : 192.0.2.25
//! RemotePort       : 25
//! InterfaceAlias   : Ethernet
//! SourceAddress    : 192.168.1.10
//! TcpTestSucceeded : False
//! ```
//!
//! Written from Microsoft's documentation and published outputs, not captured: this project
//! has no Windows machine.

use super::marker::host_word;

pub(super) const TOOL: &str = "Test-NetConnection";

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum TncLine {
    /// `ComputerName : H`: the first line of a result.
    ComputerName(Option<String>),
    /// `RemoteAddress :` empty when the name did not resolve.
    RemoteAddress(Option<String>),
    RemotePort(u16),
    TcpTestSucceeded(bool),
    /// `TCP connect to (IP : PORT) failed`.
    ConnectFailed {
        port: u16,
    },
    /// `Name resolution of H failed`.
    NameResolutionFailed {
        host: Option<String>,
    },
}

pub(super) fn read(line: &str) -> Option<TncLine> {
    let trimmed = line.trim();
    if let Some((_, rest)) = trimmed.split_once("TCP connect to (") {
        let (target, _) = rest.split_once(')')?;
        let (_, port) = target.rsplit_once(':')?;
        return Some(TncLine::ConnectFailed {
            port: port.trim().parse().ok()?,
        });
    }
    if let Some((_, rest)) = trimmed.split_once("Name resolution of ") {
        let host = rest.split_whitespace().next().and_then(host_word);
        return Some(TncLine::NameResolutionFailed { host });
    }
    let (key, value) = trimmed.split_once(':')?;
    let value = value.trim();
    match key.trim() {
        "ComputerName" => Some(TncLine::ComputerName(host_word(value))),
        "RemoteAddress" => Some(TncLine::RemoteAddress(host_word(value))),
        "RemotePort" => value.parse().ok().map(TncLine::RemotePort),
        "TcpTestSucceeded" => match value {
            "True" => Some(TncLine::TcpTestSucceeded(true)),
            "False" => Some(TncLine::TcpTestSucceeded(false)),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blocked_port_as_published_for_windows_10() {
        let text = "WARNING: TCP connect to (192.0.2.25 : 25) failed\r\n\
                    \r\n\
                    \r\n\
                    ComputerName           : mail.example.jp\r\n\
                    RemoteAddress          : 192.0.2.25\r\n\
                    RemotePort             : 25\r\n\
                    InterfaceAlias         : Wi-Fi\r\n\
                    SourceAddress          : 192.168.1.10\r\n\
                    PingSucceeded          : True\r\n\
                    PingReplyDetails (RTT) : 12 ms\r\n\
                    TcpTestSucceeded       : False\r\n";
        let seen: Vec<_> = text.lines().filter_map(read).collect();
        assert_eq!(
            seen,
            [
                TncLine::ConnectFailed { port: 25 },
                TncLine::ComputerName(Some("mail.example.jp".into())),
                TncLine::RemoteAddress(Some("192.0.2.25".into())),
                TncLine::RemotePort(25),
                TncLine::TcpTestSucceeded(false),
            ]
        );
    }

    #[test]
    fn localised_warnings_are_read_by_their_stable_parts() {
        assert_eq!(
            read("警告: TCP connect to (2001:db8::25 : 587) failed"),
            Some(TncLine::ConnectFailed { port: 587 })
        );
        assert_eq!(
            read("WARNING: Name resolution of nowhere.example failed -- Status: No such host is known"),
            Some(TncLine::NameResolutionFailed {
                host: Some("nowhere.example".into())
            })
        );
        assert_eq!(
            read("RemoteAddress          :"),
            Some(TncLine::RemoteAddress(None))
        );
        assert_eq!(read("TcpTestSucceeded : Maybe"), None);
        assert_eq!(read("InterfaceAlias : Ethernet"), None);
    }
}
