//! One login per check. A password tried on every port that offers AUTH is several guesses
//! for one: a check tries it once, on the port the person's mail program uses (`login_port`),
//! or — when that port offers no login — on one submission port that does. Every other port
//! says why it was not asked (`AuthSkipped::TriedOnAnotherPort`).
//!
//! ```text
//!  all ports at once, credentials only to the first choice
//!    └─ first choice tried a login? ── yes ─▶ done
//!                                   └─ no ──▶ the first other submission port whose
//!                                             verified TLS offered AUTH, probed again with them
//! ```

use sendcheck::target::{MailPort, ProbeTarget};
use sendcheck::wire::{AuthSkipped, PortResult, ProbeReport};

/// The submission ports in the order a login is tried when the person named none: 587 and
/// 465 are what mail programs are told to use (RFC 8314 prefers 465; providers mostly give
/// 587); 2525 is nobody's standard; 25 only when it is the person's own setting.
const SUBMISSION_ORDER: [u16; 3] = [587, 465, 2525];

/// The port that gets the credentials in the first round.
pub fn first_choice(targets: &[ProbeTarget], asked: Option<MailPort>) -> Option<MailPort> {
    if let Some(port) = asked.filter(|p| targets.iter().any(|t| t.port == *p)) {
        return Some(port);
    }
    SUBMISSION_ORDER
        .iter()
        .find_map(|wanted| targets.iter().map(|t| t.port).find(|p| p.get() == *wanted))
}

/// When the first choice tried no login, the port to try it on instead: a submission port
/// whose TLS verified and offered AUTH mechanisms in the first round.
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
        .find(|r| offers_login_in_verified_tls(r))
        .and_then(|r| MailPort::new(r.target.port))
}

/// Marks every port that was not asked because the login went elsewhere.
pub fn mark_not_asked(ports: &mut [PortResult], tried: MailPort) {
    for result in ports.iter_mut() {
        if let PortResult::Probed { report } = result {
            let auth = report.auth.as_mut();
            if report.target.port != tried.get() {
                if let Some(auth) = auth.filter(|a| a.skipped == Some(AuthSkipped::NoCredentials)) {
                    auth.skipped = Some(AuthSkipped::TriedOnAnotherPort);
                }
            }
        }
    }
}

fn tried_login(report: &ProbeReport) -> bool {
    report.auth.as_ref().is_some_and(|a| a.attempt.is_some())
}

fn offers_login_in_verified_tls(report: &ProbeReport) -> bool {
    let verified = report
        .tls
        .as_ref()
        .is_some_and(|tls| tls.verification.is_verified());
    let offered = report
        .auth
        .as_ref()
        .and_then(|a| a.offered_after_tls.as_ref())
        .is_some_and(|mechanisms| !mechanisms.is_empty());
    verified && offered
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
    fn the_persons_port_first_even_25_then_587_465_2525_never_25_unasked() {
        let all = targets(&[25, 465, 587, 2525]);
        assert_eq!(first_choice(&all, MailPort::new(25)), MailPort::new(25));
        assert_eq!(first_choice(&all, MailPort::new(465)), MailPort::new(465));
        assert_eq!(first_choice(&all, None), MailPort::new(587));
        assert_eq!(first_choice(&targets(&[25, 465]), None), MailPort::new(465));
        assert_eq!(
            first_choice(&targets(&[25, 2525]), None),
            MailPort::new(2525)
        );
        assert_eq!(first_choice(&targets(&[25]), None), None);
        // A login port that is not among the checked ports is no choice.
        assert_eq!(
            first_choice(&targets(&[465]), MailPort::new(587)),
            MailPort::new(465)
        );
    }
}
