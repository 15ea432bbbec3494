//! The provider no longer accepts the mailbox password over SMTP: Microsoft answers
//! 535 5.7.139 ("basic authentication is disabled"), Google 534 5.7.9 ("application-specific
//! password required") or 5.7.14. The password is right; the way of logging in is retired.

use crate::diagnosis::case::Case;
use crate::diagnosis::outside::Probe;
use crate::diagnosis::{Audience, Cause, Confidence, Evidence, Finding, Fix, Source};
use crate::knowledge::{LoginPolicy, Message};
use crate::smtp::Reply;
use crate::wire::Step;

pub fn rule(case: &Case) -> Option<Finding> {
    let explicit = case.probes().iter().find(|p| {
        p.report
            .auth
            .as_ref()
            .and_then(|a| a.attempt.as_ref())
            .is_some_and(|a| !a.accepted && retired(p, &a.reply))
    });
    let policy = case
        .provider
        .map(|p| p.login)
        .filter(|l| matches!(l, LoginPolicy::OauthOnly | LoginPolicy::AppPassword));
    let decoded = case.decoded_for(Cause::BasicAuthRetired);
    let auth_failed = case.probes().iter().any(|p| {
        p.report
            .auth
            .as_ref()
            .and_then(|a| a.attempt.as_ref())
            .is_some_and(|a| !a.accepted)
    }) || !case.decoded_for(Cause::CredentialsRejected).is_empty();
    let confidence = if explicit.is_some()
        || case
            .decoded
            .as_ref()
            .and_then(|d| d.candidates.first())
            .is_some_and(|c| *c == Cause::BasicAuthRetired)
    {
        Confidence::High
    } else if policy.is_some() && (auth_failed || !decoded.is_empty()) {
        Confidence::Medium
    } else {
        return None;
    };
    let provider = case.provider;
    let summary = match provider {
        Some(p) => Message::new("cause.basic_auth_retired.summary_provider")
            .with("provider", &p.name)
            .with("provider_ja", &p.name_ja),
        None => Message::new("cause.basic_auth_retired.summary"),
    };
    let mut finding = Finding::new(Cause::BasicAuthRetired, confidence, summary);
    if let Some(probe) = explicit {
        let mut e = probe.outcome_evidence();
        e.source = probe.source(Step::Auth);
        finding.evidence_for.push(e);
    }
    if let Some(p) = provider.filter(|_| policy.is_some()) {
        finding.evidence_for.push(Evidence::new(
            Source::Knowledge {
                table: "providers".into(),
                entry: p.id.clone(),
                reference: p.source.clone(),
            },
            Message::new("fact.knowledge.login_policy")
                .with("provider", &p.name)
                .with("provider_ja", &p.name_ja),
        ));
    }
    finding.evidence_for.extend(decoded);
    let key = match policy {
        Some(LoginPolicy::AppPassword) => "fix.app_password",
        _ => "fix.use_oauth",
    };
    let mut fix = Fix::new(Audience::Person, Message::new(key));
    fix.guide = case.client_guide("password");
    finding.fixes.push(fix);
    Some(finding)
}

/// The reply's words say the way of logging in is retired; without words that place it, the
/// codes Google and Microsoft use for it (534, 5.7.9/5.7.14) still do — but 5.7.139 also
/// means a wrong password or a tenant without SMTP AUTH, which only its words tell apart.
fn retired(probe: &Probe, reply: &Reply) -> bool {
    if let Some(class) = probe.class {
        return class.cause == Cause::BasicAuthRetired;
    }
    let enhanced = reply.enhanced.map(|e| e.to_string()).unwrap_or_default();
    reply.code.get() == 534 || matches!(enhanced.as_str(), "5.7.9" | "5.7.14")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::MailClient;

    #[test]
    fn microsoft_5_7_139_is_high_and_plain_535_at_a_password_provider_is_nothing() {
        let line = "5.7.139 Authentication unsuccessful, basic authentication is disabled.";
        let obs = case(
            vec![check(T0, vec![probed(login_refused(587, T0, line, 535))])],
            MailClient::Outlook,
            settings(587, None),
        );
        let f = apply(rule, &obs).unwrap();
        assert_eq!(f.confidence, Confidence::High);
        assert!(f.cites(|s| matches!(
            s,
            Source::OutsideProbe {
                step: Step::Auth,
                ..
            }
        )));
        let plain = case(
            vec![check(
                T0,
                vec![probed(login_refused(587, T0, "5.7.8 failed", 535))],
            )],
            MailClient::Outlook,
            settings(587, None),
        );
        assert!(apply(rule, &plain).is_none());
    }

    #[test]
    fn a_refused_login_at_outlook_com_is_medium_with_the_provider_cited() {
        let mut obs = case(vec![], MailClient::Thunderbird, settings(587, None));
        obs.answers.configured.as_mut().unwrap().host = "smtp-mail.outlook.com".into();
        obs.answers.error_text = Some("535 5.7.3 Authentication unsuccessful".into());
        let f = apply(rule, &obs).unwrap();
        assert_eq!(f.confidence, Confidence::Medium);
        assert!(f.cites(|s| matches!(s, Source::Knowledge { entry, .. } if entry == "outlook_com")));
    }
}
