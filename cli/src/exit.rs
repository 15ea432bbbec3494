//! Exit codes: one per class of outcome, so a script can branch on where the dialogue stopped.
//! In the spirit of swaks's (2: connecting, 21: the banner, 22: after EHLO); TLS and AUTH get
//! their own. With several ports, the code is that of the first port, in the order checked,
//! whose probe did not complete; 0 when every port completed.
//!
//! | code | class | outcomes |
//! |---|---|---|
//! | 0 | completed | the whole dialogue worked (and the login, if one was asked for) |
//! | 1 | usage | a wrong option or host (nothing was probed) |
//! | 2 | connect | the name did not resolve, refused, no answer, could not connect |
//! | 21 | greeting | no greeting, a refusal as greeting, closed before greeting |
//! | 22 | dialogue | EHLO refused, no reply, reset, closed, malformed or oversized reply, deadline |
//! | 28 | TLS | STARTTLS missing or refused, handshake failed, plain text on 465, certificate |
//! | 29 | AUTH | no AUTH offered, only unsupported methods, login refused |
//! | 70 | internal | the check could not run (the local runtime failed) |

use std::process::ExitCode;

use sendcheck::wire::{CheckReport, OutcomeKind, PortResult};

/// The classes in the table above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Completed,
    Usage,
    Connect,
    Greeting,
    Dialogue,
    Tls,
    Auth,
    Internal,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Completed => 0,
            Exit::Usage => 1,
            Exit::Connect => 2,
            Exit::Greeting => 21,
            Exit::Dialogue => 22,
            Exit::Tls => 28,
            Exit::Auth => 29,
            Exit::Internal => 70,
        }
    }

    /// The class an outcome belongs to.
    pub fn of(kind: &OutcomeKind) -> Exit {
        match kind {
            OutcomeKind::Completed => Exit::Completed,
            OutcomeKind::DnsFailed { .. }
            | OutcomeKind::ConnectionRefused
            | OutcomeKind::ConnectTimeout
            | OutcomeKind::ConnectFailed { .. } => Exit::Connect,
            OutcomeKind::GreetingTimeout
            | OutcomeKind::GreetingRejected { .. }
            | OutcomeKind::ClosedBeforeGreeting => Exit::Greeting,
            OutcomeKind::StartTlsNotOffered
            | OutcomeKind::StartTlsRefused { .. }
            | OutcomeKind::TlsHandshakeFailed { .. }
            | OutcomeKind::PlaintextInsteadOfTls { .. }
            | OutcomeKind::CertificateUntrusted { .. } => Exit::Tls,
            OutcomeKind::AuthNotOffered
            | OutcomeKind::AuthMechanismUnsupported { .. }
            | OutcomeKind::AuthRejected { .. } => Exit::Auth,
            _ => Exit::Dialogue,
        }
    }

    /// The code of a whole check: the first port that did not complete.
    pub fn of_check(report: &CheckReport) -> Exit {
        report
            .ports
            .iter()
            .filter_map(|port| match port {
                PortResult::Probed { report } => Some(Exit::of(&report.outcome.kind)),
                _ => None,
            })
            .find(|exit| *exit != Exit::Completed)
            .unwrap_or(Exit::Completed)
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sendcheck::smtp::Reply;
    use sendcheck::wire::OutcomeKind as K;

    fn reply() -> Reply {
        serde_json::from_str(r#"{"code":535,"lines":["5.7.8 Error: authentication failed"]}"#)
            .unwrap()
    }

    #[test]
    fn every_outcome_has_its_documented_class() {
        let cases = [
            (K::Completed, 0),
            (K::DnsFailed { detail: "x".into() }, 2),
            (K::ConnectionRefused, 2),
            (K::ConnectTimeout, 2),
            (K::ConnectFailed { detail: "x".into() }, 2),
            (K::GreetingTimeout, 21),
            (K::GreetingRejected { reply: reply() }, 21),
            (K::ClosedBeforeGreeting, 21),
            (K::EhloRejected { reply: reply() }, 22),
            (K::ReplyTimeout, 22),
            (K::ConnectionReset, 22),
            (K::ClosedDuringDialogue, 22),
            (K::DeadlineReached, 22),
            (K::StartTlsNotOffered, 28),
            (K::StartTlsRefused { reply: reply() }, 28),
            (
                K::TlsHandshakeFailed {
                    detail: "x".into(),
                    alert: None,
                },
                28,
            ),
            (
                K::PlaintextInsteadOfTls {
                    excerpt: "220".into(),
                },
                28,
            ),
            (K::CertificateUntrusted { problems: vec![] }, 28),
            (K::AuthNotOffered, 29),
            (K::AuthMechanismUnsupported { offered: vec![] }, 29),
            (K::AuthRejected { reply: reply() }, 29),
        ];
        for (kind, code) in cases {
            assert_eq!(Exit::of(&kind).code(), code, "{}", kind.name());
        }
    }
}
