//! The server refused the message itself, not the connection or the login: "553 5.7.1 Sender
//! address rejected: not owned by user" (the From address is not the account's), "550 5.1.1
//! User unknown", Zoho's "553 Relaying disallowed". sendcheck never sends a message, so this
//! comes from what the person pasted; the words name the reason, and the fix is in them.

use crate::diagnosis::case::Case;
use crate::diagnosis::{Audience, Cause, Finding, Fix};
use crate::knowledge::Message;

pub fn rule(case: &Case) -> Option<Finding> {
    case.pasted_class(Cause::MessageRejected)?;
    let mut finding =
        case.refusal_finding(Cause::MessageRejected, "cause.message_rejected.summary")?;
    let code = case
        .decoded
        .iter()
        .flat_map(|d| &d.recognised)
        .find(|r| r.candidates == [Cause::MessageRejected])
        .map(|r| r.code.clone())
        .unwrap_or_default();
    finding.summary = finding.summary.with("code", code);
    finding.fixes.push(Fix::new(
        Audience::Person,
        Message::new("fix.message_rejected.read_words").with("host", case.host()),
    ));
    Some(finding)
}

#[cfg(test)]
mod tests {
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::{Cause, MailClient};

    #[test]
    fn a_sender_the_account_does_not_own_is_the_message_not_the_server() {
        let mut obs = case(
            vec![healthy_from_edge(T0)],
            MailClient::Thunderbird,
            settings(587, None),
        );
        obs.answers.error_text = Some(
            "553 5.7.1 <taro@example.org>: Sender address rejected: not owned by user taro@example.jp"
                .into(),
        );
        let d = crate::diagnosis::scenarios::run(&obs);
        let top = d.top().unwrap();
        assert_eq!(top.cause, Cause::MessageRejected, "{d:#?}");
        assert_eq!(top.summary.params["code"], "553 5.7.1");
    }
}
