//! The block `sendcheck check` (the native CLI) prints for the page: one line per fact of each
//! port it probed from the person's own machine, written and read here so the two never
//! drift. Richer than `nc`/`openssl`: the whole SMTP dialogue ran, so a port that answered
//! but failed later still counts as reachable, and TLS facts come from our own engine.
//!
//! ```text
//! == sendcheck native mail.example.jp                 opens the block, names the host
//! sendcheck native 25 starttls result: timed_out
//! sendcheck native 25 starttls outcome: connect_timeout
//! sendcheck native 587 starttls result: tls_ok
//! sendcheck native 587 starttls issuer: CN=R11, O=Let's Encrypt, C=US
//! sendcheck native 587 starttls subject: CN=mail.example.jp
//! sendcheck native 587 starttls sha256: 3f1c…(64 hex digits)
//! == sendcheck native end
//! ```
//!
//! The words differ from the script's (`sendcheck PORT MODE …`, marker.rs), so neither reader
//! mistakes the other's lines. A fact's value runs to the end of the line.

use super::distinguished_name::{canonical, Order};
use crate::diagnosis::{LocalCheck, LocalResult};
use crate::target::{Host, Security};
use crate::wire::{CheckReport, OutcomeKind, PortResult, ProbeReport};

/// Starts every line of the block.
const PREFIX: &str = "sendcheck native";
/// The header's prefix.
const HEADER: &str = "== sendcheck native";
/// The tool named in the [`LocalCheck`]s read back.
pub const TOOL: &str = "sendcheck";
/// Longest value kept (a certificate name is far shorter).
const MAX_VALUE_CHARS: usize = 1024;
/// Most ports read from one paste (the CLI probes at most four per run).
const MAX_PORTS: usize = 64;

/// The block for `report`, ready to print (ends with a newline).
pub fn native_block(report: &CheckReport) -> String {
    let mut out = format!("{HEADER} {}\n", report.host);
    for port in &report.ports {
        let PortResult::Probed { report } = port else {
            continue;
        };
        let (number, security) = (report.target.port, report.target.security.name());
        let mut fact = |key: &str, value: &str| {
            // One line per fact: a value never carries a line break into the block.
            let value: String = value.chars().filter(|c| !c.is_control()).collect();
            out.push_str(&format!("{PREFIX} {number} {security} {key}: {value}\n"));
        };
        let result = local_result(report);
        fact("result", result_name(&result));
        match &result {
            LocalResult::TlsOk {
                issuer,
                subject,
                sha256,
            } => {
                fact("issuer", issuer);
                if let Some(subject) = subject {
                    fact("subject", subject);
                }
                if let Some(sha256) = sha256 {
                    fact("sha256", sha256);
                }
            }
            LocalResult::TlsFailed { detail } => fact("error", detail),
            _ => {}
        }
        fact("outcome", report.outcome.kind.name());
    }
    out.push_str(&format!("{HEADER} end\n"));
    out
}

/// What a probe from the person's machine says in the terms of a local check: reachability,
/// and the certificate this machine was shown (interception shows up as another issuer).
pub fn local_result(report: &ProbeReport) -> LocalResult {
    let leaf = report.tls.as_ref().and_then(|tls| tls.chain.first());
    match (&report.outcome.kind, leaf) {
        (OutcomeKind::DnsFailed { .. }, _) => LocalResult::DnsFailed,
        (OutcomeKind::ConnectionRefused, _) => LocalResult::Refused,
        (OutcomeKind::ConnectTimeout, _) => LocalResult::TimedOut,
        (OutcomeKind::ConnectFailed { .. }, _) => LocalResult::Failed,
        (_, Some(leaf)) => LocalResult::TlsOk {
            issuer: leaf.issuer.clone(),
            subject: Some(leaf.subject.clone()),
            sha256: Some(leaf.sha256.clone()),
        },
        (
            kind @ (OutcomeKind::TlsHandshakeFailed { .. }
            | OutcomeKind::StartTlsNotOffered
            | OutcomeKind::StartTlsRefused { .. }
            | OutcomeKind::PlaintextInsteadOfTls { .. }),
            None,
        ) => LocalResult::TlsFailed {
            detail: match kind {
                OutcomeKind::TlsHandshakeFailed { detail, .. } => detail.clone(),
                other => other.name().to_owned(),
            },
        },
        _ => LocalResult::Connected,
    }
}

/// Reads the block's lines, one at a time, as the terminal showed them.
#[derive(Debug, Default)]
pub(super) struct NativeReader {
    host: Option<String>,
    ports: Vec<PortFacts>,
}

#[derive(Debug)]
struct PortFacts {
    host: Option<String>,
    port: u16,
    security: Security,
    result: Option<String>,
    issuer: Option<String>,
    subject: Option<String>,
    sha256: Option<String>,
    error: Option<String>,
}

impl NativeReader {
    /// `true` when the line is one of the block's (and so no other reader's).
    pub(super) fn line(&mut self, line: &str) -> bool {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix(HEADER) {
            let word = rest.trim();
            if word != "end" {
                self.host = Host::parse(word).ok().map(|h| h.to_string());
            }
            return true;
        }
        let Some(rest) = line.strip_prefix(PREFIX).and_then(|r| r.strip_prefix(' ')) else {
            return false;
        };
        let Some((port, security, key, value)) = fact(rest) else {
            return false;
        };
        let host = self.host.clone();
        let found = self
            .ports
            .iter()
            .position(|p| p.port == port && p.security == security && p.host == host);
        let facts = match found {
            Some(i) => &mut self.ports[i],
            None if self.ports.len() < MAX_PORTS => {
                self.ports.push(PortFacts::new(host, port, security));
                let last = self.ports.len() - 1;
                &mut self.ports[last]
            }
            None => return true,
        };
        let slot = match key {
            "result" => &mut facts.result,
            "issuer" => &mut facts.issuer,
            "subject" => &mut facts.subject,
            "sha256" => &mut facts.sha256,
            "error" => &mut facts.error,
            // `outcome` and keys of later versions are for people reading the block.
            _ => return true,
        };
        slot.get_or_insert_with(|| value.chars().take(MAX_VALUE_CHARS).collect());
        true
    }

    /// The checks read, in the order their ports first appeared.
    pub(super) fn finish(self) -> Vec<LocalCheck> {
        self.ports
            .into_iter()
            .filter_map(PortFacts::into_check)
            .collect()
    }
}

impl PortFacts {
    fn new(host: Option<String>, port: u16, security: Security) -> Self {
        PortFacts {
            host,
            port,
            security,
            result: None,
            issuer: None,
            subject: None,
            sha256: None,
            error: None,
        }
    }

    fn into_check(self) -> Option<LocalCheck> {
        let name = |text: &Option<String>| {
            text.as_deref()
                .and_then(|t| canonical(t, Order::MostSpecificFirst))
        };
        let result = match self.result.as_deref()? {
            "connected" => LocalResult::Connected,
            "refused" => LocalResult::Refused,
            "timed_out" => LocalResult::TimedOut,
            "failed" => LocalResult::Failed,
            "dns_failed" => LocalResult::DnsFailed,
            "tls_ok" => LocalResult::TlsOk {
                issuer: name(&self.issuer)?,
                subject: name(&self.subject),
                sha256: self
                    .sha256
                    .filter(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())),
            },
            "tls_failed" => LocalResult::TlsFailed {
                detail: self.error.unwrap_or_else(|| "TLS did not come up".into()),
            },
            _ => LocalResult::Unknown,
        };
        Some(LocalCheck {
            host: self.host,
            port: self.port,
            security: (self.security != Security::None).then_some(self.security),
            result,
            tool: Some(TOOL.to_owned()),
        })
    }
}

/// `PORT SECURITY KEY: VALUE`.
fn fact(rest: &str) -> Option<(u16, Security, &str, &str)> {
    let (port, rest) = rest.trim_start().split_once(' ')?;
    let (security, rest) = rest.trim_start().split_once(' ')?;
    let (key, value) = rest.split_once(':')?;
    let security = match security {
        "starttls" => Security::Starttls,
        "tls" => Security::Tls,
        "none" => Security::None,
        _ => return None,
    };
    Some((port.parse().ok()?, security, key.trim(), value.trim()))
}

fn result_name(result: &LocalResult) -> &'static str {
    match result {
        LocalResult::Connected => "connected",
        LocalResult::Refused => "refused",
        LocalResult::TimedOut => "timed_out",
        LocalResult::Failed => "failed",
        LocalResult::TlsOk { .. } => "tls_ok",
        LocalResult::TlsFailed { .. } => "tls_failed",
        LocalResult::DnsFailed => "dns_failed",
        _ => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inside::parse_local_output;

    const PASTED: &str = "\
$ sendcheck check mail.example.jp
Port 25: no answer to the connection after 10.0 s (2026-12-08 01:50:10 UTC).
== sendcheck native mail.example.jp\r
sendcheck native 25 starttls result: timed_out
sendcheck native 25 starttls outcome: connect_timeout
\u{1b}[32msendcheck native 587 starttls result: tls_ok\u{1b}[0m
sendcheck native 587 starttls issuer: CN=R11, O=Let's Encrypt, C=US
sendcheck native 587 starttls subject: CN=mail.example.jp
sendcheck native 587 starttls sha256: 3f1c000000000000000000000000000000000000000000000000000000000001
sendcheck native 587 starttls outcome: completed
sendcheck native 465 tls result: refused
sendcheck native 465 tls outcome: connection_refused
== sendcheck native end
";

    #[test]
    fn the_pasted_block_reads_as_local_checks_of_this_machine() {
        let checks = parse_local_output(PASTED).unwrap();
        let host = Some("mail.example.jp".to_owned());
        assert_eq!(
            checks,
            vec![
                LocalCheck {
                    host: host.clone(),
                    port: 25,
                    security: Some(Security::Starttls),
                    result: LocalResult::TimedOut,
                    tool: Some(TOOL.into()),
                },
                LocalCheck {
                    host: host.clone(),
                    port: 587,
                    security: Some(Security::Starttls),
                    result: LocalResult::TlsOk {
                        issuer: "CN=R11, O=Let's Encrypt, C=US".into(),
                        subject: Some("CN=mail.example.jp".into()),
                        sha256: Some(
                            "3f1c000000000000000000000000000000000000000000000000000000000001"
                                .into()
                        ),
                    },
                    tool: Some(TOOL.into()),
                },
                LocalCheck {
                    host,
                    port: 465,
                    security: Some(Security::Tls),
                    result: LocalResult::Refused,
                    tool: Some(TOOL.into()),
                },
            ]
        );
    }

    #[test]
    fn hostile_lines_are_bounded_and_never_panic() {
        let long = format!(
            "sendcheck native 587 starttls error: {}",
            "x".repeat(100_000)
        );
        let mut reader = NativeReader::default();
        assert!(reader.line(&long));
        assert!(reader.line("sendcheck native 587 starttls result: tls_failed"));
        assert!(!reader.line("sendcheck native 99999 starttls result: connected"));
        assert!(!reader.line("sendcheck native 587 udp result: connected"));
        assert!(!reader.line("sendcheck 587 starttls result: connected"));
        for port in 0..200 {
            reader.line(&format!("sendcheck native {port} none result: connected"));
        }
        let checks = reader.finish();
        assert_eq!(checks.len(), MAX_PORTS);
        let LocalResult::TlsFailed { detail } = &checks[0].result else {
            panic!("{:?}", checks[0]);
        };
        assert_eq!(detail.len(), MAX_VALUE_CHARS);
        // A tls_ok without an issuer says nothing about interception: not a check.
        let mut reader = NativeReader::default();
        reader.line("sendcheck native 465 tls result: tls_ok");
        assert_eq!(reader.finish(), vec![]);
    }
}
