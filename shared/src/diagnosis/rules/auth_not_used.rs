//! The mail program does not log in ("My outgoing server requires authentication" is off),
//! and the server will not relay for strangers: 550/554 5.7.1 "Relaying denied", 530 5.7.0
//! "Authentication required", 0x800CCC79. Common right after moving from port 25 to 587.

use crate::diagnosis::case::Case;
use crate::diagnosis::{Cause, Confidence, Finding};
use crate::knowledge::Message;

pub fn rule(case: &Case) -> Option<Finding> {
    let configured = case.configured()?;
    if configured.username_given {
        return None;
    }
    let offered = case
        .probes_of(configured.port)
        .find(|p| p.offers_auth() == Some(true));
    let decoded = case.decoded_for(Cause::AuthNotUsed);
    let confidence = match (offered.is_some(), decoded.is_empty()) {
        (true, false) => Confidence::High,
        (true, true) if configured.port != 25 => Confidence::Medium,
        (false, false) => Confidence::Medium,
        _ => return None,
    };
    let mut finding = Finding::new(
        Cause::AuthNotUsed,
        confidence,
        Message::new("cause.auth_not_used.summary").with("port", configured.port),
    );
    finding.evidence_for.extend(case.configured_evidence());
    finding.evidence_for.push(case.said(
        crate::diagnosis::AnswerField::Configured,
        Message::new("fact.said.no_username"),
    ));
    if let Some(probe) = offered {
        finding.evidence_for.push(crate::diagnosis::Evidence::new(
            probe.source(crate::wire::Step::EhloAfterTls),
            Message::new("fact.outside.auth_offered").with("port", probe.port()),
        ));
    }
    finding.evidence_for.extend(decoded);
    let mut settings = offered
        .map(|p| p.settings())
        .unwrap_or(crate::diagnosis::Settings {
            host: configured.host.clone(),
            port: configured.port,
            security: configured
                .security
                .unwrap_or(crate::target::Security::Starttls),
            authentication: true,
        });
    settings.authentication = true;
    finding
        .fixes
        .push(case.settings_fix("fix.turn_on_authentication", settings));
    Some(finding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::{MailClient, Source};

    #[test]
    fn relaying_denied_without_a_user_name() {
        let mut conf = settings(587, None);
        conf.username_given = false;
        let mut obs = case(
            vec![healthy_from_edge(T0)],
            MailClient::OutlookExpress,
            conf,
        );
        obs.answers.error_text = Some("550 5.7.1 <a@example.com>: Relay access denied".into());
        let f = apply(rule, &obs).unwrap();
        assert_eq!(f.confidence, Confidence::High);
        assert!(f.cites(|s| matches!(s, Source::DecodedError { code } if code == "550 5.7.1")));
        assert!(f.fixes[0].settings.as_ref().unwrap().authentication);
        obs.answers.configured.as_mut().unwrap().username_given = true;
        assert!(apply(rule, &obs).is_none());
    }
}
