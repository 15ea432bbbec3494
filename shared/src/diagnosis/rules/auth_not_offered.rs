//! The server offers no AUTH where a mail program logs in: on a submission port (inside TLS).
//! Port 25 is left out: a relay port without AUTH is normal, and a person sending there needs
//! a submission port anyway. The server's administrator must enable SASL authentication.

use crate::diagnosis::case::Case;
use crate::diagnosis::{Cause, Confidence, Evidence, Finding};
use crate::knowledge::Message;
use crate::wire::{OutcomeKind, Step};

pub fn rule(case: &Case) -> Option<Finding> {
    let configured = case.configured_port();
    let wanted = |port: u16| matches!(port, 587 | 465 | 2525);
    let bare: Vec<_> = case
        .probes()
        .iter()
        .filter(|p| wanted(p.port()))
        .filter(|p| {
            matches!(p.kind(), OutcomeKind::AuthNotOffered)
                || (p.kind().is_success() && p.offers_auth() == Some(false))
        })
        .collect();
    if bare.is_empty() {
        // "504 Authentication not enabled" pasted: the program tried to log in where the
        // server offers no login (often on port 25, or before STARTTLS).
        case.pasted_class(Cause::AuthNotOffered)?;
        let mut finding =
            case.refusal_finding(Cause::AuthNotOffered, "cause.auth_not_offered.summary")?;
        finding.confidence = Confidence::Medium;
        finding
            .fixes
            .push(case.submission_or("fix.use_submission_port", "fix.encryption_required.generic"));
        return Some(finding);
    }
    // If another submission port does offer AUTH, moving there is the fix, not this finding.
    if let Some(good) = case.best_submission() {
        if Some(good.port()) != configured && bare.iter().all(|p| Some(p.port()) != configured) {
            return None;
        }
    }
    let on_configured = bare.iter().any(|p| Some(p.port()) == configured);
    let confidence = if on_configured || configured.is_none() {
        Confidence::High
    } else {
        Confidence::Medium
    };
    let port = bare[0].port();
    let mut finding = Finding::new(
        Cause::AuthNotOffered,
        confidence,
        Message::new("cause.auth_not_offered.summary").with("port", port),
    );
    for probe in bare.iter().take(4) {
        finding.evidence_for.push(Evidence::new(
            probe.source(Step::EhloAfterTls),
            Message::new("fact.outside.auth_missing").with("port", probe.port()),
        ));
    }
    finding.evidence_for.extend(case.configured_evidence());
    match case.best_submission() {
        Some(good) => finding
            .fixes
            .push(case.settings_fix("fix.use_submission_port", good.settings())),
        None => finding.fixes.push(case.admin_fix("fix.enable_auth")),
    }
    finding
        .fixes
        .extend(case.provider_fix("fix.ask_provider_for_submission"));
    Some(finding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::{MailClient, Source};

    #[test]
    fn submission_without_auth_asks_the_admin_to_enable_it() {
        let mut bare = completed(587, T0);
        bare.capabilities_after_tls = bare.capabilities.clone();
        let obs = case(
            vec![check(T0, vec![probed(bare)])],
            MailClient::Outlook,
            settings(587, None),
        );
        let f = apply(rule, &obs).unwrap();
        assert_eq!(f.confidence, Confidence::High);
        assert!(f.cites(|s| matches!(
            s,
            Source::OutsideProbe {
                port: 587,
                step: Step::EhloAfterTls,
                ..
            }
        )));
        assert_eq!(f.fixes[0].action.key, "fix.enable_auth");
        let healthy = case(
            vec![healthy_from_edge(T0)],
            MailClient::Outlook,
            settings(587, None),
        );
        assert!(apply(rule, &healthy).is_none());
    }
}
