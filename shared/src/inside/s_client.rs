//! What `openssl s_client` prints (OpenSSL 1.1.1 to 3.x on Linux, LibreSSL on macOS), one
//! line at a time: whether TCP connected, the server certificate's names and PEM, and why TLS
//! failed. It never prints the port: the script's section header says which port it was.
//!
//! The errors come on stderr, so when stdout is a pipe they appear before `CONNECTED(...)`:
//! the reader takes a section's lines as a set, not a story.

use super::distinguished_name::{canonical, Order};
use super::netcat::TcpOutcome;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum TlsLine {
    /// `CONNECTED(00000003)`: the TCP connection opened.
    Connected,
    /// `subject=...` under "Server certificate" (canonical form).
    Subject(String),
    Issuer(String),
    /// ` 0 s:...` in "Certificate chain": depth 0 is the server's own certificate.
    ChainSubject {
        depth: u32,
        name: String,
    },
    /// `   i:...`: the issuer of the chain entry above it.
    ChainIssuer(String),
    PemBegin,
    PemEnd,
    /// `New, TLSv1.3, Cipher is ...`: a session was established.
    Handshake,
    /// The connection itself failed (refused, timed out, name unknown).
    Connect(TcpOutcome),
    /// Connected, but TLS failed, and how.
    Failure(Failure),
    /// `verify error:num=62:hostname mismatch` (each problem as it was found) or `Verify
    /// return code: 10 (certificate has expired)` (the last one): the tool's own verdict on
    /// the certificate, against the machine's trust store. The return code alone can hide a
    /// name mismatch behind a later "unable to verify" (captured: s_client_name_mismatch).
    Verify {
        code: u32,
        detail: String,
    },
}

/// A reason TLS did not come up, with how much it tells (the most telling one is reported).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Failure {
    pub rank: u8,
    pub detail: String,
}

impl Failure {
    fn line(rank: u8, detail: &str) -> TlsLine {
        TlsLine::Failure(Failure {
            rank,
            detail: detail.chars().take(200).collect(),
        })
    }
}

pub(super) const PEM_BEGIN: &str = "-----BEGIN CERTIFICATE-----";
pub(super) const PEM_END: &str = "-----END CERTIFICATE-----";

/// Reads one line of s_client output; `None` for the many lines that tell nothing we use.
pub(super) fn read(line: &str) -> Option<TlsLine> {
    let trimmed = line.trim();
    if trimmed.starts_with("CONNECTED(") {
        return Some(TlsLine::Connected);
    }
    if trimmed == PEM_BEGIN {
        return Some(TlsLine::PemBegin);
    }
    if trimmed == PEM_END {
        return Some(TlsLine::PemEnd);
    }
    if let Some(name) = trimmed.strip_prefix("subject=") {
        return canonical(name, Order::AsEncoded).map(TlsLine::Subject);
    }
    if let Some(name) = trimmed.strip_prefix("issuer=") {
        return canonical(name, Order::AsEncoded).map(TlsLine::Issuer);
    }
    if let Some(name) = trimmed.strip_prefix("i:") {
        return canonical(name, Order::AsEncoded).map(TlsLine::ChainIssuer);
    }
    if let Some((depth, name)) = trimmed.split_once(" s:") {
        if let Ok(depth) = depth.parse() {
            return canonical(name, Order::AsEncoded)
                .map(|name| TlsLine::ChainSubject { depth, name });
        }
    }
    if let Some(rest) = trimmed.strip_prefix("verify error:num=") {
        let (code, detail) = rest.split_once(':')?;
        return Some(TlsLine::Verify {
            code: code.parse().ok()?,
            detail: detail.trim().chars().take(200).collect(),
        });
    }
    if let Some(rest) = trimmed.strip_prefix("Verify return code:") {
        let (code, detail) = rest.trim().split_once(' ').unwrap_or((rest.trim(), ""));
        let detail = detail.trim().trim_start_matches('(').trim_end_matches(')');
        return Some(TlsLine::Verify {
            code: code.parse().ok()?,
            detail: detail.chars().take(200).collect(),
        });
    }
    if let Some(rest) = trimmed.strip_prefix("New, ") {
        return Some(if rest.contains("(NONE)") {
            Failure::line(0, "no TLS session was established")
        } else {
            TlsLine::Handshake
        });
    }
    let lower = trimmed.to_ascii_lowercase();
    if lower.starts_with("didn't find starttls") {
        return Some(Failure::line(5, "the server did not offer STARTTLS"));
    }
    if lower == "no peer certificate available" {
        return Some(Failure::line(1, "no peer certificate available"));
    }
    if let Some((operation, errno)) = trimmed.split_once(":errno=") {
        return errno_line(operation, errno);
    }
    if trimmed.contains(":error:") {
        return error_line(trimmed);
    }
    // LibreSSL and OpenSSL 1.1.1: "connect: Connection refused", "getaddrinfo: nodename nor
    // servname provided, or not known".
    if lower.starts_with("connect:") || lower.starts_with("getaddrinfo:") {
        return TcpOutcome::from_message(trimmed).map(TlsLine::Connect);
    }
    if lower.contains("connection reset by peer") {
        return Some(Failure::line(4, "connection reset by peer"));
    }
    None
}

/// `connect:errno=111`, `write:errno=104`: Linux, macOS and Windows numbers.
fn errno_line(operation: &str, errno: &str) -> Option<TlsLine> {
    let errno: u32 = errno.trim().parse().ok()?;
    if operation.trim() == "connect" {
        let outcome = match errno {
            111 | 61 | 10061 => TcpOutcome::Refused,
            110 | 60 | 10060 => TcpOutcome::TimedOut,
            113 | 65 | 10065 | 101 | 51 | 10051 => TcpOutcome::Failed,
            // 0: the name did not resolve; the error line above says so.
            _ => return None,
        };
        return Some(TlsLine::Connect(outcome));
    }
    Some(match errno {
        104 | 54 | 10054 => Failure::line(4, "connection reset by peer"),
        32 => Failure::line(3, "connection closed by the server (broken pipe)"),
        _ => Failure::line(
            2,
            &format!("{} failed with errno {errno}", operation.trim()),
        ),
    })
}

/// `4077622A6F7F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:...`
/// (OpenSSL 1.1.1 and 3, LibreSSL alike: id, `error`, code, library, function, reason).
fn error_line(line: &str) -> Option<TlsLine> {
    let fields: Vec<&str> = line.split(':').collect();
    let at = fields.iter().position(|f| *f == "error")?;
    let library = fields.get(at + 2)?;
    let function = fields.get(at + 3)?;
    let reason = fields.get(at + 4)?.trim();
    if library.contains("SSL routines") && !reason.is_empty() {
        return Some(Failure::line(4, reason));
    }
    if function.starts_with("BIO_connect") || function.starts_with("BIO_lookup") {
        return TcpOutcome::from_message(line).map(TlsLine::Connect);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<TlsLine> {
        text.lines().filter_map(read).collect()
    }

    fn failures(text: &str) -> Vec<String> {
        lines(text)
            .into_iter()
            .filter_map(|l| match l {
                TlsLine::Failure(f) => Some(f.detail),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_completed_handshake_shows_names_pem_and_session() {
        let seen = lines(include_str!("testdata/s_client_tls_ok.txt"));
        let leaf = "CN=mail.example.test, O=株式会社例示, C=JP";
        let ca = "CN=Example Test Root, O=Example Test CA, C=JP";
        assert!(seen.contains(&TlsLine::Connected));
        assert!(seen.contains(&TlsLine::Subject(leaf.into())));
        assert!(seen.contains(&TlsLine::Issuer(ca.into())));
        assert!(seen.contains(&TlsLine::ChainSubject {
            depth: 0,
            name: leaf.into()
        }));
        assert!(seen.contains(&TlsLine::ChainIssuer(ca.into())));
        assert!(seen.contains(&TlsLine::Handshake));
        assert_eq!(seen.iter().filter(|l| **l == TlsLine::PemBegin).count(), 1);
        // "verify error:num=21" is about trust, which the person's tools need not have.
        assert!(
            !seen.iter().any(|l| matches!(l, TlsLine::Failure(_))),
            "{seen:?}"
        );
    }

    #[test]
    fn connection_failures_captured() {
        for (fixture, want) in [
            (
                include_str!("testdata/s_client_refused.txt"),
                TcpOutcome::Refused,
            ),
            (
                include_str!("testdata/s_client_timed_out.txt"),
                TcpOutcome::TimedOut,
            ),
            (
                include_str!("testdata/s_client_unknown_host.txt"),
                TcpOutcome::DnsFailed,
            ),
        ] {
            let seen = lines(fixture);
            assert!(
                seen.contains(&TlsLine::Connect(want)),
                "{fixture}: {seen:?}"
            );
            assert!(!seen.contains(&TlsLine::Connected), "{fixture}");
            assert!(
                seen.iter().all(|l| *l == TlsLine::Connect(want)),
                "{fixture}: {seen:?}"
            );
        }
    }

    #[test]
    fn tls_failures_captured_name_their_reason() {
        for (fixture, want) in [
            (
                include_str!("testdata/s_client_no_starttls_offered.txt"),
                "the server did not offer STARTTLS",
            ),
            (
                include_str!("testdata/s_client_plaintext_on_tls_port.txt"),
                "wrong version number",
            ),
            (
                include_str!("testdata/s_client_closed_at_once.txt"),
                "unexpected eof while reading",
            ),
            (
                include_str!("testdata/s_client_reset.txt"),
                "connection reset by peer",
            ),
        ] {
            let found = failures(fixture);
            assert!(found.iter().any(|d| d == want), "{fixture}: {found:?}");
            assert!(lines(fixture).contains(&TlsLine::Connected));
            assert!(found.iter().any(|d| d == "no peer certificate available"));
        }
    }

    /// LibreSSL 3.3 (macOS) prints names with slashes and errno numbers of BSD: written from
    /// its source and man page, not captured.
    #[test]
    fn libressl_on_macos() {
        assert_eq!(
            read("subject=/CN=mail.example.jp"),
            Some(TlsLine::Subject("CN=mail.example.jp".into()))
        );
        assert_eq!(
            read("issuer=/C=US/O=Let's Encrypt/CN=R11"),
            Some(TlsLine::Issuer("CN=R11, O=Let's Encrypt, C=US".into()))
        );
        assert_eq!(
            read(" 0 s:/CN=mail.example.jp"),
            Some(TlsLine::ChainSubject {
                depth: 0,
                name: "CN=mail.example.jp".into()
            })
        );
        assert_eq!(
            read("connect:errno=61"),
            Some(TlsLine::Connect(TcpOutcome::Refused))
        );
        assert_eq!(
            read("connect:errno=60"),
            Some(TlsLine::Connect(TcpOutcome::TimedOut))
        );
        assert_eq!(
            read("getaddrinfo: nodename nor servname provided, or not known"),
            Some(TlsLine::Connect(TcpOutcome::DnsFailed))
        );
        assert_eq!(
            read("4307113472:error:1404B42E:SSL routines:ST_CONNECT:tlsv1 alert protocol version:/AppleInternal/Library/BuildRoots/libressl-3.3/ssl/tls13_lib.c:151:"),
            Some(Failure::line(4, "tlsv1 alert protocol version"))
        );
        assert_eq!(
            read("read:errno=54"),
            Some(Failure::line(4, "connection reset by peer"))
        );
    }

    #[test]
    fn unrelated_lines_say_nothing() {
        for line in [
            "depth=0 CN = mail.example.test",
            "   a:PKEY: id-ecPublicKey, 256 (bit); sigalg: ecdsa-with-SHA256",
            "Verification error: unable to verify the first certificate",
            "SSL handshake has read 891 bytes and written 403 bytes",
            "connect:errno=0",
            "x:error:y",
            "subject=",
            "$ openssl s_client -connect host:465",
        ] {
            assert_eq!(read(line), None, "{line}");
        }
    }
}
