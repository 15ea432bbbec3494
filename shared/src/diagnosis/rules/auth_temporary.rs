//! The login could not be checked just now: "454 4.7.0 Temporary authentication failure"
//! (RFC 4954 §6; Postfix when its Dovecot cannot answer), Exim's "435 Unable to authenticate
//! at present", Gmail's "Cannot authenticate due to a temporary system problem". The password
//! may well be right: changing it now only adds a second problem.

use crate::diagnosis::case::Case;
use crate::diagnosis::{Audience, Cause, Finding, Fix};
use crate::knowledge::Message;

pub fn rule(case: &Case) -> Option<Finding> {
    let mut finding = case.refusal_finding(Cause::AuthTemporary, "cause.auth_temporary.summary")?;
    finding.fixes.push(Fix::new(
        Audience::Person,
        Message::new("fix.auth_temporary.wait"),
    ));
    finding.fixes.push(Fix::new(
        Audience::Provider,
        Message::new("fix.auth_temporary.provider").with("host", case.host()),
    ));
    Some(finding)
}

#[cfg(test)]
mod tests {
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::{Cause, MailClient};

    #[test]
    fn a_temporary_failure_is_not_a_wrong_password() {
        let run = check(
            T0,
            vec![probed(login_refused(
                587,
                T0,
                "4.7.0 Temporary authentication failure",
                454,
            ))],
        );
        let obs = case(vec![run], MailClient::Thunderbird, settings(587, None));
        let d = crate::diagnosis::scenarios::run(&obs);
        assert_eq!(d.top().unwrap().cause, Cause::AuthTemporary, "{d:#?}");
        assert!(d.finding(Cause::CredentialsRejected).is_none());
        assert_eq!(
            d.top().unwrap().fixes[0].action.key,
            "fix.auth_temporary.wait"
        );
    }
}
