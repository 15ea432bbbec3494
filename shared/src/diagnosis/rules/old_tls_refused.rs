//! The server refuses the old TLS version the mail program speaks: Microsoft's "421 4.7.66
//! TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2".
//! sendcheck speaks TLS 1.2 and 1.3, so this comes from the person's program or system.

use crate::diagnosis::case::Case;
use crate::diagnosis::{Audience, Cause, Finding, Fix};
use crate::knowledge::Message;

pub fn rule(case: &Case) -> Option<Finding> {
    let mut finding =
        case.refusal_finding(Cause::OldTlsRefused, "cause.old_tls_refused.summary")?;
    finding.fixes.push(Fix::new(
        Audience::Person,
        Message::new("fix.old_tls.update"),
    ));
    Some(finding)
}

#[cfg(test)]
mod tests {
    use crate::diagnosis::fixtures::*;
    use crate::diagnosis::{Cause, MailClient};

    #[test]
    fn tls_1_0_refused_after_the_handshake_asks_for_an_update() {
        let mut obs = case(
            vec![healthy_from_edge(T0)],
            MailClient::Outlook,
            settings(587, None),
        );
        obs.answers.error_text = Some(
            "421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2."
                .into(),
        );
        let d = crate::diagnosis::scenarios::run(&obs);
        assert_eq!(d.top().unwrap().cause, Cause::OldTlsRefused, "{d:#?}");
    }
}
