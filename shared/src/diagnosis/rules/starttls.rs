//! STARTTLS is missing, refused or fails on the server (Thunderbird: "Unable to establish a
//! secure link … since it doesn't advertise that feature"; Outlook 0x800CCC7D / 0x800CCC7F).
//! Seen from outside, so it is the server's configuration, not the person's machine.

use crate::diagnosis::case::Case;
use crate::diagnosis::{Cause, Confidence, Finding};
use crate::knowledge::Message;
use crate::target::Security;
use crate::wire::OutcomeKind;

pub fn rule(case: &Case) -> Option<Finding> {
    let broken: Vec<_> = case
        .probes()
        .iter()
        .filter(|p| p.security() == Security::Starttls)
        // A refusal whose words say something else (a limit, a blocklist) or rblsmtpd standing
        // in for the server is not STARTTLS's fault.
        .filter(|p| !p.rblsmtpd() && p.class.is_none_or(|c| c.cause == Cause::StarttlsBroken))
        .filter(|p| {
            matches!(
                p.kind(),
                OutcomeKind::StartTlsNotOffered
                    | OutcomeKind::StartTlsRefused { .. }
                    | OutcomeKind::TlsHandshakeFailed { .. }
            )
        })
        .collect();
    let first = broken.first()?;
    let configured = case.configured_port();
    let confidence = if configured.is_none() || broken.iter().any(|p| Some(p.port()) == configured)
    {
        Confidence::High
    } else {
        Confidence::Medium
    };
    let mut finding = Finding::new(
        Cause::StarttlsBroken,
        confidence,
        Message::new("cause.starttls_broken.summary").with("port", first.port()),
    );
    finding
        .evidence_for
        .extend(broken.iter().take(4).map(|p| p.outcome_evidence()));
    finding
        .evidence_for
        .extend(case.decoded_for(Cause::StarttlsBroken));
    if let Some(good) = case.best_submission() {
        finding
            .fixes
            .push(case.settings_fix("fix.use_submission_port", good.settings()));
    }
    finding.fixes.push(case.admin_fix("fix.enable_tls"));
    finding
        .fixes
        .extend(case.provider_fix("fix.ask_provider_for_tls"));
    Some(finding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::{MailClient, Source};
    use crate::wire::Step;

    #[test]
    fn starttls_not_offered_on_587_with_465_as_the_way_out() {
        let run = check(
            T0,
            vec![
                probed(failed(
                    587,
                    T0,
                    OutcomeKind::StartTlsNotOffered,
                    Step::Ehlo,
                    90,
                )),
                probed(completed(465, T0)),
            ],
        );
        let obs = case(vec![run], MailClient::Thunderbird, settings(587, None));
        let f = apply(rule, &obs).unwrap();
        assert_eq!(f.confidence, Confidence::High);
        assert!(f.cites(|s| matches!(
            s,
            Source::OutsideProbe {
                port: 587,
                step: Step::Ehlo,
                ..
            }
        )));
        assert_eq!(f.fixes[0].settings.as_ref().map(|s| s.port), Some(465));
    }
}
