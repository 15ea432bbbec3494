//! The server's certificate would be refused by a mail program: expired, issued for another
//! name, self-signed, from an unknown authority, or sent without its intermediate. Browsers
//! often forgive the last one; mail programs do not, so the web works and mail does not.

use crate::diagnosis::case::Case;
use crate::diagnosis::{
    Audience, Cause, Confidence, Evidence, Finding, Fix, LocalCertificateProblem, LocalResult,
};
use crate::knowledge::Message;
use crate::wire::{CertificateProblem, Step};

pub fn rule(case: &Case) -> Option<Finding> {
    let bad: Vec<_> = case
        .probes()
        .iter()
        .filter(|p| p.tls_verified() == Some(false))
        .collect();
    let Some(first) = bad.first() else {
        return from_their_tool(case);
    };
    let configured = case.configured_port();
    let confidence = if configured.is_none() || bad.iter().any(|p| Some(p.port()) == configured) {
        Confidence::High
    } else {
        Confidence::Medium
    };
    let mut finding = Finding::new(
        Cause::CertificateProblem,
        confidence,
        Message::new("cause.certificate_problem.summary")
            .with("host", first.host())
            .with("port", first.port()),
    );
    let problems = first
        .report
        .tls
        .as_ref()
        .map(|t| t.verification.problems())
        .unwrap_or_default();
    for problem in problems {
        let (key, fact) = describe(problem);
        finding.evidence_for.push(Evidence::new(
            first.source(Step::TlsHandshake),
            fact.with("port", first.port()),
        ));
        if !finding.fixes.iter().any(|f| f.action.key == key) {
            let mut action = Message::new(key).with("host", first.host());
            if let CertificateProblem::NameMismatch { presented, .. } = problem {
                action = action.with("names", presented.join(", "));
            }
            finding.fixes.push(Fix::new(Audience::ServerAdmin, action));
        }
    }
    finding
        .evidence_for
        .extend(case.decoded_for(Cause::CertificateProblem));
    finding
        .fixes
        .extend(case.provider_fix("fix.ask_provider_for_certificate"));
    // The name on the certificate is offered to the person only where sendcheck itself
    // connected to that name and its certificate verified there; a name nobody probed may
    // not even resolve (the fault lab's "certificate for another name").
    if let Some(verified) = problems.iter().find_map(|p| match p {
        CertificateProblem::NameMismatch { presented, .. } => case.probes().iter().find(|probe| {
            presented
                .iter()
                .any(|n| n.eq_ignore_ascii_case(probe.host()))
                && probe.usable_for_submission()
        }),
        _ => None,
    }) {
        finding.fixes.insert(
            0,
            case.settings_fix("fix.use_certificate_name", verified.settings()),
        );
    }
    Some(finding)
}

/// The person's own tool found the certificate invalid (openssl's `Verify return code: 10
/// (certificate has expired)`) where no outside probe saw the port's certificate: evidence
/// about the certificate that arrived, unless it is another certificate than the server's
/// (then it is interception, its own rule).
fn from_their_tool(case: &Case) -> Option<Finding> {
    let (index, check, problem, subject) = case
        .obs
        .inside
        .local_checks
        .iter()
        .enumerate()
        .find_map(|(i, c)| match &c.result {
            LocalResult::TlsCertificateInvalid {
                problem,
                subject,
                sha256,
                ..
            } => {
                let seen_outside = case.probes_of(c.port).find_map(|p| p.leaf());
                let other_certificate = match (seen_outside, sha256) {
                    (Some(real), Some(seen)) => !real.sha256.eq_ignore_ascii_case(seen),
                    (Some(_), None) => true,
                    (None, _) => false,
                };
                (!other_certificate).then_some((i, c, *problem, subject.clone()))
            }
            _ => None,
        })?;
    let host = case.host();
    let mut finding = Finding::new(
        Cause::CertificateProblem,
        Confidence::Medium,
        Message::new("cause.certificate_problem.summary")
            .with("host", &host)
            .with("port", check.port),
    );
    finding.evidence_for.push(case.local_evidence(index, check));
    let key = match problem {
        LocalCertificateProblem::Expired => "fix.cert_renew",
        LocalCertificateProblem::NotYetValid => "fix.cert_clock",
        LocalCertificateProblem::NameMismatch => "fix.cert_name",
        _ => "fix.cert_public",
    };
    let action = Message::new(key)
        .with("host", &host)
        .with("names", subject.unwrap_or_default());
    finding.fixes.push(Fix::new(Audience::ServerAdmin, action));
    finding
        .fixes
        .extend(case.provider_fix("fix.ask_provider_for_certificate"));
    Some(finding)
}

fn describe(problem: &CertificateProblem) -> (&'static str, Message) {
    match problem {
        CertificateProblem::Expired { not_after_unix } => (
            "fix.cert_renew",
            Message::new("cert.expired").with("date", unix_ms(*not_after_unix)),
        ),
        CertificateProblem::NotYetValid { not_before_unix } => (
            "fix.cert_clock",
            Message::new("cert.not_yet_valid").with("date", unix_ms(*not_before_unix)),
        ),
        CertificateProblem::NameMismatch {
            expected,
            presented,
        } => (
            "fix.cert_name",
            Message::new("cert.name_mismatch")
                .with("expected", expected)
                .with("presented", presented.join(", ")),
        ),
        CertificateProblem::UnknownIssuer { issuer } => (
            "fix.cert_public",
            Message::new("cert.unknown_issuer").with("issuer", issuer),
        ),
        CertificateProblem::SelfSigned => ("fix.cert_public", Message::new("cert.self_signed")),
        CertificateProblem::IncompleteChain { missing_issuer } => (
            "fix.cert_chain",
            Message::new("cert.incomplete_chain").with("issuer", missing_issuer),
        ),
        CertificateProblem::NoCertificate => ("fix.cert_public", Message::new("cert.none")),
        CertificateProblem::Other { detail } => (
            "fix.cert_public",
            Message::new("cert.other").with("detail", detail),
        ),
        _ => ("fix.cert_public", Message::new("cert.unknown")),
    }
}

fn unix_ms(seconds: i64) -> u64 {
    u64::try_from(seconds).unwrap_or(0).saturating_mul(1000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::{MailClient, Source};

    #[test]
    fn an_expired_certificate_on_the_person_s_port_is_cited_with_its_date() {
        let run = check(
            T0,
            vec![probed(bad_certificate(
                587,
                T0,
                vec![CertificateProblem::Expired {
                    not_after_unix: 1_790_000_000,
                }],
            ))],
        );
        let obs = case(vec![run], MailClient::Outlook, settings(587, None));
        let f = apply(rule, &obs).unwrap();
        assert_eq!(f.confidence, Confidence::High);
        assert!(f.cites(|s| matches!(
            s,
            Source::OutsideProbe {
                step: Step::TlsHandshake,
                ..
            }
        )));
        assert_eq!(f.evidence_for[0].fact.param("date"), Some("1790000000000"));
        assert_eq!(f.fixes[0].action.key, "fix.cert_renew");
    }

    #[test]
    fn the_person_s_own_verify_return_code_is_evidence() {
        let mut obs = case(vec![], MailClient::Thunderbird, settings(587, None));
        obs.inside.local_checks = vec![local(
            587,
            None,
            crate::diagnosis::LocalResult::TlsCertificateInvalid {
                issuer: "CN=R11, O=Let's Encrypt, C=US".into(),
                subject: Some("CN=mail.example.jp".into()),
                sha256: None,
                problem: crate::diagnosis::LocalCertificateProblem::Expired,
                detail: "Verify return code: 10 (certificate has expired)".into(),
            },
        )];
        let f = apply(rule, &obs).unwrap();
        assert_eq!(f.confidence, Confidence::Medium);
        assert!(f.cites(|s| matches!(s, Source::LocalCheck { port: 587, .. })));
        assert_eq!(f.fixes[0].action.key, "fix.cert_renew");
    }

    #[test]
    fn a_name_mismatch_never_offers_a_name_sendcheck_did_not_verify() {
        let run = check(
            T0,
            vec![probed(bad_certificate(
                465,
                T0,
                vec![CertificateProblem::NameMismatch {
                    expected: "mail.example.jp".into(),
                    presented: vec![
                        "*.example-hosting.jp".into(),
                        "sv7.example-hosting.jp".into(),
                    ],
                }],
            ))],
        );
        let obs = case(vec![run], MailClient::Thunderbird, settings(465, None));
        let f = apply(rule, &obs).unwrap();
        assert!(
            f.fixes.iter().all(|x| x.settings.is_none()),
            "sv7.example-hosting.jp was never probed: not a setting to hand out"
        );
        let admin = f
            .fixes
            .iter()
            .find(|x| x.action.key == "fix.cert_name")
            .unwrap();
        assert_eq!(admin.audience, Audience::ServerAdmin);
        assert!(admin.action.params["names"].contains("sv7.example-hosting.jp"));
    }
}
