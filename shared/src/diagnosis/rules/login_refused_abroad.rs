//! The provider refuses logins from addresses outside its country. Several Japanese hosting
//! providers switch this on by default (お名前.com 「国外からのSMTP認証のアクセス制限」, SIXCORE
//! 「SMTP認証の国外アクセス制限」): a traveller, a VPN, or sendcheck's own login test from a data
//! centre abroad is refused although the password is right. Never "wrong password".

use crate::diagnosis::case::Case;
use crate::diagnosis::{Audience, Cause, Finding, Fix};
use crate::knowledge::Message;

pub fn rule(case: &Case) -> Option<Finding> {
    let mut finding = case.refusal_finding(
        Cause::LoginRefusedAbroad,
        "cause.login_refused_abroad.summary",
    )?;
    let mut panel = Fix::new(
        Audience::Person,
        Message::new("fix.abroad.control_panel").with("host", case.host()),
    );
    panel.guide.extend(
        case.provider
            .and_then(|p| p.notes.as_deref())
            .map(Message::new),
    );
    finding.fixes.push(panel);
    if !case.refused_for(Cause::LoginRefusedAbroad).is_empty() {
        finding.fixes.push(Fix::new(
            Audience::Person,
            Message::new("fix.abroad.our_login_test").with("vantage", case.vantage_label()),
        ));
    }
    Some(finding)
}

#[cfg(test)]
mod tests {
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::{Cause, MailClient};

    #[test]
    fn a_login_refused_for_its_country_is_not_a_wrong_password() {
        let run = check(
            T0,
            vec![probed(login_refused(
                587,
                T0,
                "5.7.1 SMTP AUTH from your country is not allowed",
                535,
            ))],
        );
        let obs = case(vec![run], MailClient::Thunderbird, settings(587, None));
        let d = crate::diagnosis::scenarios::run(&obs);
        assert_eq!(d.top().unwrap().cause, Cause::LoginRefusedAbroad, "{d:#?}");
        assert!(d.finding(Cause::CredentialsRejected).is_none());
    }
}
