//! Microsoft 365 answers "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is
//! disabled for the Tenant" (or the Mailbox): the password is not the problem, the tenant's
//! administrator has (or Microsoft has by default) switched Authenticated SMTP off. OAuth over
//! SMTP is refused the same way. Security defaults refuse it too. Only the admin can fix it.

use crate::diagnosis::case::Case;
use crate::diagnosis::{Audience, Cause, Finding, Fix};
use crate::knowledge::Message;

pub fn rule(case: &Case) -> Option<Finding> {
    let mut finding =
        case.refusal_finding(Cause::SmtpAuthDisabled, "cause.smtp_auth_disabled.summary")?;
    let security_defaults = case
        .refused_for(Cause::SmtpAuthDisabled)
        .iter()
        .filter_map(|p| p.class)
        .chain(case.pasted_class(Cause::SmtpAuthDisabled))
        .any(|c| c.id == "m365.security_defaults");
    let key = if security_defaults {
        "fix.smtp_auth_disabled.security_defaults"
    } else {
        "fix.smtp_auth_disabled.enable"
    };
    finding
        .fixes
        .push(Fix::new(Audience::Provider, Message::new(key)));
    finding.fixes.push(Fix::new(
        Audience::Person,
        Message::new("fix.smtp_auth_disabled.tell_admin"),
    ));
    Some(finding)
}

#[cfg(test)]
mod tests {
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::{diagnose, Cause, MailClient};
    use crate::knowledge::Knowledge;

    #[test]
    fn the_tenant_switch_and_a_wrong_password_share_a_code_not_a_verdict() {
        let verdict = |text: &str| {
            let run = check(T0, vec![probed(login_refused(587, T0, text, 535))]);
            let obs = case(vec![run], MailClient::Outlook, settings(587, None));
            diagnose(&obs, Knowledge::builtin()).top().unwrap().cause
        };
        assert_eq!(
            verdict("5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information."),
            Cause::SmtpAuthDisabled
        );
        assert_eq!(
            verdict("5.7.139 Authentication unsuccessful, the user credentials were incorrect."),
            Cause::CredentialsRejected
        );
    }
}
