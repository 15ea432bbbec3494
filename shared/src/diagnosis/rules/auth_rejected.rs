//! The server refuses the login (535): the password in the mail program is not the mailbox's
//! password any more (scenario 004: changed during maintenance, Gmail's "Send mail as" kept the
//! old one). Server and ports are fine; the fix is where the password lives in that program,
//! and — for mailboxes forwarded to Gmail — why the mailbox filled up in the first place.

use crate::diagnosis::case::Case;
use crate::diagnosis::outside::Probe;
use crate::diagnosis::{Audience, Cause, Confidence, Finding, Fix, MailClient, RecentChange};
use crate::knowledge::Message;
use crate::smtp::Reply;
use crate::wire::Step;

pub fn rule(case: &Case) -> Option<Finding> {
    let refused = case.probes().iter().find(|p| {
        p.report
            .auth
            .as_ref()
            .and_then(|a| a.attempt.as_ref())
            .is_some_and(|a| !a.accepted && plain_refusal(p, &a.reply))
    });
    let accepted = case.probes().iter().find(|p| {
        p.report
            .auth
            .as_ref()
            .and_then(|a| a.attempt.as_ref())
            .is_some_and(|a| a.accepted)
    });
    let decoded = case.decoded_for(Cause::CredentialsRejected);
    let person_side_auth_error = case
        .decoded
        .as_ref()
        .and_then(|d| d.candidates.first())
        .is_some_and(|c| *c == Cause::CredentialsRejected);
    let server_fine = case.best_submission();
    let confidence = match (refused, accepted) {
        (Some(_), _) => Confidence::High,
        // The tested password works: the one saved in the program must differ.
        (None, Some(_)) if person_side_auth_error => Confidence::Medium,
        (None, None) if person_side_auth_error && server_fine.is_some() => Confidence::Medium,
        (None, None) if !decoded.is_empty() => Confidence::Low,
        _ => return None,
    };
    let mut finding = Finding::new(
        Cause::CredentialsRejected,
        confidence,
        Message::new("cause.credentials_rejected.summary").with("host", case.host()),
    );
    let ev = &mut finding.evidence_for;
    if let Some(probe) = refused {
        let mut e = probe.outcome_evidence();
        e.source = probe.source(Step::Auth);
        ev.push(e);
    }
    if let Some(probe) = server_fine {
        ev.push(probe.submission_evidence());
    }
    if let Some(probe) = accepted {
        ev.push(crate::diagnosis::Evidence::new(
            probe.source(Step::Auth),
            Message::new("fact.outside.login_accepted").with("port", probe.port()),
        ));
    }
    ev.extend(case.change_evidence(RecentChange::PasswordChanged, "fact.said.password_changed"));
    ev.extend(case.stopped_evidence());
    ev.extend(decoded);

    let mut update = Fix::new(
        Audience::Person,
        Message::new("fix.update_password").with("host", case.host()),
    );
    update.guide = case.client_guide("password");
    finding.fixes.push(update);
    if case.configured().is_some_and(|c| !c.username_given) || refused.is_some() {
        finding.fixes.push(Fix::new(
            Audience::Person,
            Message::new("fix.check_username"),
        ));
    }
    // Forwarding to Gmail and sending through the server: the mailbox fills up unnoticed,
    // and the password change made during the clean-up is what broke sending (004).
    if case.client() == Some(MailClient::GmailSendAs) {
        let mut note = Fix::new(
            Audience::Person,
            Message::new("fix.mailbox_full_forward_only"),
        );
        note.guide.extend(
            case.provider
                .and_then(|p| p.notes.as_deref())
                .map(Message::new),
        );
        finding.fixes.push(note);
    }
    Some(finding)
}

/// A refusal of the password itself: the reply's words say so, or a bare 535 (RFC 4954 §6)
/// says nothing else. A temporary failure, a lockout, a tenant without SMTP AUTH, an app
/// password or a country block share codes with it and have rules of their own.
fn plain_refusal(probe: &Probe, reply: &Reply) -> bool {
    match probe.class {
        Some(class) => class.cause == Cause::CredentialsRejected,
        None => reply.code.get() == 535,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::Source;

    #[test]
    fn a_refused_login_test_is_high_and_cites_the_auth_step() {
        let run = check(
            T0,
            vec![
                probed(login_refused(
                    587,
                    T0,
                    "5.7.8 Error: authentication failed",
                    535,
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
                step: Step::Auth,
                ..
            }
        )));
        assert_eq!(f.fixes[0].guide[0].key, "client.thunderbird.password");
    }

    #[test]
    fn microsoft_s_basic_auth_refusal_is_left_to_its_own_rule() {
        let run = check(
            T0,
            vec![probed(login_refused(
                587,
                T0,
                "5.7.139 Authentication unsuccessful, basic authentication is disabled.",
                535,
            ))],
        );
        let obs = case(vec![run], MailClient::Outlook, settings(587, None));
        assert!(apply(rule, &obs).is_none());
    }
}
