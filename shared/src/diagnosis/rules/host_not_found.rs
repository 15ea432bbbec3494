//! The server's name does not resolve: a typo in the mail program, or a domain whose DNS
//! broke (expired, moved). Checked from outside and, when pasted, from the person's machine.

use crate::diagnosis::case::Case;
use crate::diagnosis::{Cause, Confidence, Finding, LocalResult};
use crate::knowledge::Message;
use crate::wire::OutcomeKind;

pub fn rule(case: &Case) -> Option<Finding> {
    let outside: Vec<_> = case
        .probes()
        .iter()
        .filter(|p| matches!(p.kind(), OutcomeKind::DnsFailed { .. }))
        .collect();
    let resolved_somewhere = case
        .probes()
        .iter()
        .any(|p| !matches!(p.kind(), OutcomeKind::DnsFailed { .. }));
    let inside: Vec<_> = case
        .obs
        .inside
        .local_checks
        .iter()
        .enumerate()
        .filter(|(_, c)| c.result == LocalResult::DnsFailed)
        .collect();
    if (outside.is_empty() || resolved_somewhere) && inside.is_empty() {
        return None;
    }
    let confidence = if !outside.is_empty() && !resolved_somewhere {
        Confidence::High
    } else {
        Confidence::Medium
    };
    let mut finding = Finding::new(
        Cause::HostNotFound,
        confidence,
        Message::new("cause.host_not_found.summary").with("host", case.host()),
    );
    finding
        .evidence_for
        .extend(outside.iter().take(4).map(|p| p.outcome_evidence()));
    for (index, check) in inside {
        finding.evidence_for.push(case.local_evidence(index, check));
    }
    finding
        .evidence_for
        .extend(case.decoded_for(Cause::HostNotFound));
    finding.evidence_for.extend(case.configured_evidence());
    let fix = match case.provider {
        Some(p) => match &p.smtp.host {
            Some(host) => case.settings_fix(
                "fix.use_provider_host",
                crate::diagnosis::Settings {
                    host: host.clone(),
                    port: p.smtp.port,
                    security: p.smtp.security,
                    authentication: true,
                },
            ),
            None => case.provider_fix("fix.check_host_name_with_provider")?,
        },
        None => crate::diagnosis::Fix::new(
            crate::diagnosis::Audience::Person,
            Message::new("fix.check_host_name").with("host", case.host()),
        ),
    };
    finding.fixes.push(fix);
    Some(finding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::{MailClient, Source};
    use crate::wire::Step;

    #[test]
    fn a_name_that_resolves_nowhere() {
        let nx = || OutcomeKind::DnsFailed {
            detail: "NXDOMAIN".into(),
        };
        let obs = case(
            vec![check(
                T0,
                vec![
                    probed(failed(587, T0, nx(), Step::Resolve, 40)),
                    probed(failed(465, T0, nx(), Step::Resolve, 40)),
                ],
            )],
            MailClient::Thunderbird,
            settings(587, None),
        );
        let f = apply(rule, &obs).unwrap();
        assert_eq!(f.confidence, Confidence::High);
        assert!(f.cites(|s| matches!(
            s,
            Source::OutsideProbe {
                step: Step::Resolve,
                ..
            }
        )));
        assert!(apply(
            rule,
            &case(
                vec![healthy_from_edge(T0)],
                MailClient::Outlook,
                settings(587, None)
            )
        )
        .is_none());
    }
}
