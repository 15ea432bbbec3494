//! Logins are locked after too many failed attempts ("Too many login attempts, please try
//! again later", "account is locked"). Every retry — often a phone or a second computer still
//! holding the old password — prolongs the lock: stop them first, wait, then set the right
//! password everywhere.

use crate::diagnosis::case::Case;
use crate::diagnosis::{Audience, Cause, Finding, Fix};
use crate::knowledge::Message;

pub fn rule(case: &Case) -> Option<Finding> {
    let mut finding = case.refusal_finding(Cause::LoginLocked, "cause.login_locked.summary")?;
    finding.fixes.push(Fix::new(
        Audience::Person,
        Message::new("fix.login_locked.stop_retrying"),
    ));
    let mut update = Fix::new(
        Audience::Person,
        Message::new("fix.login_locked.wait_then_update").with("host", case.host()),
    );
    update.guide = case.client_guide("password");
    finding.fixes.push(update);
    finding
        .fixes
        .extend(case.provider_fix("fix.login_locked.provider"));
    Some(finding)
}

#[cfg(test)]
mod tests {
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::{Cause, MailClient};

    #[test]
    fn a_lockout_says_stop_retrying_before_anything_else() {
        let mut obs = case(
            vec![healthy_from_edge(T0)],
            MailClient::Thunderbird,
            settings(587, None),
        );
        obs.answers.error_text =
            Some("454 4.7.0 Too many login attempts, please try again later.".into());
        let d = crate::diagnosis::scenarios::run(&obs);
        let top = d.top().unwrap();
        assert_eq!(top.cause, Cause::LoginLocked, "{d:#?}");
        assert_eq!(top.fixes[0].action.key, "fix.login_locked.stop_retrying");
    }
}
