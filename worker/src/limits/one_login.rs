//! One login per check. A password tried on every port that offers AUTH is several guesses
//! for one: a check tries it once, on the port the person's mail program uses (`login_port`),
//! or — when that port offers no login — on one submission port that does. Every other port
//! says why it was not asked (`AuthSkipped::TriedOnAnotherPort`).
//!
//! ```text
//!  all ports at once; all but the first choice with `login_elsewhere` (they stop where the
//!  password would go out and say `TriedOnAnotherPort`)
//!    └─ first choice tried a login? ── yes ─▶ done
//!                                   └─ no ──▶ the first other submission port that would
//!                                             have, probed again with the login
//! ```

use sendcheck::target::{MailPort, ProbeTarget};
use sendcheck::wire::{AuthSkipped, PortResult, ProbeReport};

/// The submission ports in the order a login is tried when the person named none: 587 and
/// 465 are what mail programs are told to use (RFC 8314 prefers 465; providers mostly give
/// 587); 2525 is nobody's standard; 25 only when it is the person's own setting.
const SUBMISSION_ORDER: [u16; 3] = [587, 465, 2525];

/// The port that gets the credentials in the first round; with no submission port among the
/// targets, the first one (a request lists the person's port first).
pub fn first_choice(targets: &[ProbeTarget], asked: Option<MailPort>) -> Option<MailPort> {
    if let Some(port) = asked.filter(|p| targets.iter().any(|t| t.port == *p)) {
        return Some(port);
    }
    SUBMISSION_ORDER
        .iter()
        .find_map(|wanted| targets.iter().map(|t| t.port).find(|p| p.get() == *wanted))
        .or_else(|| targets.first().map(|t| t.port))
}

/// When the first choice tried no login, the port to try it on instead: the first other
/// submission port that went as far as a login would (`TriedOnAnotherPort`: TLS verified, a
/// mechanism it can use).
pub fn fallback(ports: &[PortResult], first: MailPort) -> Option<MailPort> {
    let report_of = |port: u16| {
        ports.iter().find_map(|p| match p {
            PortResult::Probed { report } if report.target.port == port => Some(report),
            _ => None,
        })
    };
    if report_of(first.get()).is_some_and(|r| tried_login(r)) {
        return None;
    }
    SUBMISSION_ORDER
        .iter()
        .filter(|port| **port != first.get())
        .filter_map(|port| report_of(*port))
        .find(|r| {
            r.auth
                .as_ref()
                .is_some_and(|a| a.skipped == Some(AuthSkipped::TriedOnAnotherPort))
        })
        .and_then(|r| MailPort::new(r.target.port))
}

fn tried_login(report: &ProbeReport) -> bool {
    report.auth.as_ref().is_some_and(|a| a.attempt.is_some())
}

#[cfg(test)]
mod tests {
    use sendcheck::target::{Host, Security};

    use super::*;

    fn targets(ports: &[u16]) -> Vec<ProbeTarget> {
        ports
            .iter()
            .map(|p| {
                let port = MailPort::new(*p).unwrap();
                ProbeTarget {
                    host: Host::parse("mail.example.jp").unwrap(),
                    port,
                    security: Security::usual_for(port),
                }
            })
            .collect()
    }

    #[test]
    fn the_persons_port_first_even_25_then_587_465_2525_and_25_only_alone() {
        let all = targets(&[25, 465, 587, 2525]);
        assert_eq!(first_choice(&all, MailPort::new(25)), MailPort::new(25));
        assert_eq!(first_choice(&all, MailPort::new(465)), MailPort::new(465));
        assert_eq!(first_choice(&all, None), MailPort::new(587));
        assert_eq!(first_choice(&targets(&[25, 465]), None), MailPort::new(465));
        assert_eq!(
            first_choice(&targets(&[25, 2525]), None),
            MailPort::new(2525)
        );
        assert_eq!(first_choice(&targets(&[25]), None), MailPort::new(25));
        // A login port that is not among the checked ports is no choice.
        assert_eq!(
            first_choice(&targets(&[465]), MailPort::new(587)),
            MailPort::new(465)
        );
    }
}
