//! The login method is not one the server accepts: "504 5.5.4 Unrecognized authentication
//! type" after TLS, or a server offering only mechanisms a mail program would not use. The
//! mail program's authentication method setting (Thunderbird's "Authentication method",
//! Outlook's "Log on using") must match what the server offers.

use crate::diagnosis::case::Case;
use crate::diagnosis::{Audience, Cause, Confidence, Evidence, Finding, Fix};
use crate::knowledge::Message;
use crate::wire::{OutcomeKind, Step};

pub fn rule(case: &Case) -> Option<Finding> {
    let unsupported = case.probes().iter().find_map(|p| match p.kind() {
        OutcomeKind::AuthMechanismUnsupported { offered } => Some((p, offered)),
        _ => None,
    });
    let mut finding = match case.refusal_finding(
        Cause::AuthMechanismUnsupported,
        "cause.auth_mechanism_unsupported.summary",
    ) {
        Some(f) => f,
        None => {
            let (probe, _) = unsupported?;
            Finding::new(
                Cause::AuthMechanismUnsupported,
                Confidence::Medium,
                Message::new("cause.auth_mechanism_unsupported.summary")
                    .with("host", case.host())
                    .with("port", probe.port())
                    .with("code", ""),
            )
        }
    };
    let offered = unsupported.map(|(_, o)| o.join(" ")).unwrap_or_default();
    if let Some((probe, _)) = unsupported {
        finding.evidence_for.push(Evidence::new(
            probe.source(Step::EhloAfterTls),
            Message::new("fact.outside.mechanisms_offered")
                .with("port", probe.port())
                .with("offered", &offered),
        ));
    }
    let mut fix = Fix::new(
        Audience::Person,
        Message::new("fix.auth_mechanism.change_method").with("offered", &offered),
    );
    fix.guide = case.client_guide("smtp_settings");
    finding.fixes.push(fix);
    finding.fixes.push(Fix::new(
        Audience::ServerAdmin,
        Message::new("fix.auth_mechanism.enable_plain"),
    ));
    Some(finding)
}

#[cfg(test)]
mod tests {
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::{Cause, MailClient};

    #[test]
    fn an_unrecognised_mechanism_after_tls_is_the_method_setting() {
        let run = check(
            T0,
            vec![probed(login_refused(
                587,
                T0,
                "5.5.4 Unrecognized authentication type",
                504,
            ))],
        );
        let obs = case(vec![run], MailClient::Thunderbird, settings(587, None));
        let d = crate::diagnosis::scenarios::run(&obs);
        assert_eq!(
            d.top().unwrap().cause,
            Cause::AuthMechanismUnsupported,
            "{d:#?}"
        );
    }
}
