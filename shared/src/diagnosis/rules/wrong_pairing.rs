//! The port and the security mode do not go together: SSL/TLS selected on 587 (which wants
//! STARTTLS), STARTTLS on 465 (which wants SSL/TLS from the first byte), or no encryption
//! where the server only allows a login after STARTTLS. The connection opens and then hangs
//! or drops: 0x800CCC0F, 0x800CCC1A, "server not responding".

use crate::diagnosis::case::Case;
use crate::diagnosis::{Cause, Confidence, Finding, MailClient};
use crate::knowledge::Message;
use crate::target::Security;
use crate::wire::OutcomeKind;

pub fn rule(case: &Case) -> Option<Finding> {
    let configured = case.configured()?;
    let chosen = configured.security?;
    let port = configured.port;
    // Apple's single "Use TLS/SSL" switch means STARTTLS on 587: it cannot be mismatched there.
    let apple = matches!(case.client(), Some(MailClient::AppleMail | MailClient::Ios));
    let right = match (port, chosen) {
        (465, Security::Starttls | Security::None) => Security::Tls,
        (587 | 25 | 2525, Security::Tls) if !apple => Security::Starttls,
        (587 | 2525, Security::None) => Security::Starttls,
        _ => return None,
    };
    let probes: Vec<_> = case.probes_of(port).collect();
    // The outside probe of this port with the right security worked, or the wrong one showed
    // why it cannot (plain SMTP where TLS was expected).
    let confirmed = probes.iter().find(|p| {
        (p.security() == right && p.usable_for_submission())
            || (p.security() == Security::Tls
                && matches!(p.kind(), OutcomeKind::PlaintextInsteadOfTls { .. }))
    });
    // With no encryption the login is only offered after STARTTLS: the person cannot log in.
    if chosen == Security::None
        && !probes.iter().any(|p| {
            p.report
                .auth
                .as_ref()
                .is_some_and(|a| a.offered_before_tls.is_empty())
        })
    {
        return None;
    }
    let confidence = if confirmed.is_some() {
        Confidence::High
    } else {
        Confidence::Medium
    };
    let mut finding = Finding::new(
        Cause::WrongSecurityPairing,
        confidence,
        crate::diagnosis::case::with_security(
            Message::new("cause.wrong_security_pairing.summary").with("port", port),
            Some(chosen),
        ),
    );
    finding.evidence_for.extend(case.configured_evidence());
    if let Some(probe) = confirmed {
        finding.evidence_for.push(probe.outcome_evidence());
    }
    finding
        .evidence_for
        .extend(case.decoded_for(Cause::WrongSecurityPairing));
    // A pairing that never worked is a settings mistake; one that worked until recently was
    // right then, so something else changed.
    finding.evidence_for.extend(case.never_worked_evidence());
    finding.evidence_against.extend(case.stopped_evidence());
    finding.fixes.push(case.settings_fix(
        "fix.pair_security",
        crate::diagnosis::Settings {
            host: configured.host.clone(),
            port,
            security: right,
            authentication: true,
        },
    ));
    // Or keep the security and move to the port that goes with it.
    let other_port = match chosen {
        Security::Tls => Some(465),
        Security::Starttls => Some(587),
        Security::None => None,
    };
    if let Some(probe) =
        other_port.and_then(|p| case.probes_of(p).find(|x| x.usable_for_submission()))
    {
        finding
            .fixes
            .push(case.settings_fix("fix.pair_port", probe.settings()));
    }
    Some(finding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::Source;

    #[test]
    fn ssl_tls_on_587_is_high_when_587_starttls_works_from_outside() {
        let obs = case(
            vec![healthy_from_edge(T0)],
            MailClient::Outlook,
            settings(587, Some(Security::Tls)),
        );
        let f = apply(rule, &obs).unwrap();
        assert_eq!(f.confidence, Confidence::High);
        assert!(f.cites(|s| matches!(s, Source::PersonSaid { .. })));
        assert!(f.cites(|s| matches!(s, Source::OutsideProbe { port: 587, .. })));
        let fix = f.fixes[0].settings.as_ref().unwrap();
        assert_eq!((fix.port, fix.security), (587, Security::Starttls));
        assert_eq!(f.fixes[1].settings.as_ref().map(|s| s.port), Some(465));
    }

    #[test]
    fn starttls_on_465_and_apple_s_switch() {
        let obs = case(
            vec![],
            MailClient::Thunderbird,
            settings(465, Some(Security::Starttls)),
        );
        assert_eq!(apply(rule, &obs).unwrap().confidence, Confidence::Medium);
        let apple = case(
            vec![healthy_from_edge(T0)],
            MailClient::AppleMail,
            settings(587, Some(Security::Tls)),
        );
        assert!(apply(rule, &apple).is_none());
        let right = case(
            vec![],
            MailClient::Outlook,
            settings(465, Some(Security::Tls)),
        );
        assert!(apply(rule, &right).is_none());
    }

    #[test]
    fn since_when_weighs_for_or_against_a_settings_mistake() {
        use crate::diagnosis::{AnswerField, Since};
        let mut obs = case(
            vec![healthy_from_edge(T0)],
            MailClient::Outlook,
            settings(587, Some(Security::Tls)),
        );
        obs.answers.since = Some(Since::NeverWorked);
        let f = apply(rule, &obs).unwrap();
        assert!(f.cites(|s| matches!(
            s,
            Source::PersonSaid {
                field: AnswerField::Since
            }
        )));
        assert!(f.evidence_against.is_empty());
        obs.answers.since = Some(Since::ThisWeek);
        let f = apply(rule, &obs).unwrap();
        assert!(!f.cites(|s| matches!(
            s,
            Source::PersonSaid {
                field: AnswerField::Since
            }
        )));
        assert_eq!(
            f.evidence_against[0].fact.key,
            "fact.said.stopped_this_week"
        );
    }
}
