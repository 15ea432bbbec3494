//! The provider refuses logins from addresses outside its country. Several Japanese hosting
//! providers switch this on by default (お名前.com 「国外からのSMTP認証のアクセス制限」, SIXCORE
//! 「SMTP認証の国外アクセス制限」): a traveller, a VPN, or sendcheck's own login test from a data
//! centre abroad is refused although the password is right. Never "wrong password".

use crate::diagnosis::case::Case;
use crate::diagnosis::{Audience, Cause, Confidence, Evidence, Finding, Fix, MailClient, Source};
use crate::knowledge::{CodeKind, Message};

pub fn rule(case: &Case) -> Option<Finding> {
    let mut finding = match case.refusal_finding(
        Cause::LoginRefusedAbroad,
        "cause.login_refused_abroad.summary",
    ) {
        Some(finding) => finding,
        None => gmail_from_abroad(case)?,
    };
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

/// Gmail's "Send mail as" logs in to the other server from Google's own servers, outside
/// Japan: a Japanese host's overseas filter (さくら「国外IPアドレスフィルタ」, on by default)
/// refuses it with words that name no reason ("550 5.7.1 <…>... Command rejected"). A
/// permanent refusal no class explains, met by Gmail's "Send mail as", is read that way.
fn gmail_from_abroad(case: &Case) -> Option<Finding> {
    if case.client() != Some(MailClient::GmailSendAs) {
        return None;
    }
    let refusal = case.decoded.iter().flat_map(|d| &d.recognised).find(|r| {
        r.kind == CodeKind::SmtpReply
            && r.code.starts_with('5')
            && !case
                .knowledge
                .reply_classes()
                .iter()
                .any(|c| c.id == r.entry)
    })?;
    let mut finding = Finding::new(
        Cause::LoginRefusedAbroad,
        Confidence::Medium,
        Message::new("cause.login_refused_abroad.summary_gmail").with("host", case.host()),
    );
    finding.evidence_for.push(Evidence::new(
        Source::DecodedError {
            code: refusal.code.clone(),
        },
        refusal.meaning.clone(),
    ));
    finding.evidence_for.push(Evidence::new(
        Source::Knowledge {
            table: "clients".into(),
            entry: "gmail_send_as".into(),
            reference: GMAIL_ABROAD_SOURCE.into(),
        },
        Message::new("fact.knowledge.gmail_logs_in_from_abroad"),
    ));
    Some(finding)
}

const GMAIL_ABROAD_SOURCE: &str = "internet.com「さくらのレンタルサーバ、国外IPアドレスからのメール送信を制限」 http://internetcom.jp/busnews/20140327/4.html (Gmail's 'Send mail as' is refused: 550 5.7.1 … Command rejected)";

#[cfg(test)]
mod tests {
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::{Cause, MailClient};

    #[test]
    fn gmail_send_as_refused_without_a_reason_points_to_the_overseas_filter() {
        let mut obs = case(
            vec![healthy_from_edge(T0)],
            MailClient::GmailSendAs,
            settings(587, None),
        );
        obs.answers.error_text =
            Some("550 5.7.1 <hanako@example.co.jp>... Command rejected".into());
        let d = crate::diagnosis::scenarios::run(&obs);
        let top = d.top().unwrap();
        assert_eq!(top.cause, Cause::LoginRefusedAbroad, "{d:#?}");
        assert_eq!(top.fixes[0].action.key, "fix.abroad.control_panel");
    }

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
