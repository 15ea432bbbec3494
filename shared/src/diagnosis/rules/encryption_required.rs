//! The server wants encryption before the login: "530 5.7.0 Must issue a STARTTLS command
//! first" (Postfix, Gmail), "538 5.7.11 Encryption required" (RFC 4954), Exchange's
//! "504 5.7.4 Unrecognized authentication type" before STARTTLS, or "503 5.5.1 authentication
//! not enabled" on a plain connection. The mail program's encryption setting is off; not a
//! wrong password, not an unsupported login method.

use crate::diagnosis::case::Case;
use crate::diagnosis::{Cause, Finding};

pub fn rule(case: &Case) -> Option<Finding> {
    let mut finding = case.refusal_finding(
        Cause::EncryptionRequired,
        "cause.encryption_required.summary",
    )?;
    finding.evidence_for.extend(case.configured_evidence());
    finding.fixes.push(case.submission_or(
        "fix.encryption_required.settings",
        "fix.encryption_required.generic",
    ));
    Some(finding)
}

#[cfg(test)]
mod tests {
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::{Cause, MailClient};

    #[test]
    fn starttls_first_is_an_encryption_setting_not_a_login_problem() {
        let mut obs = case(
            vec![healthy_from_edge(T0)],
            MailClient::Thunderbird,
            settings(587, None),
        );
        obs.answers.error_text = Some("530 5.7.0 Must issue a STARTTLS command first".into());
        let d = crate::diagnosis::scenarios::run(&obs);
        let top = d.top().unwrap();
        assert_eq!(top.cause, Cause::EncryptionRequired, "{d:#?}");
        assert!(top.fixes[0].settings.is_some());
    }
}
