//! What the person's mail domain publishes about sending (`GET /api/discover`): which domain
//! to ask about, the request's address, and the discovered servers as settings for the form.

use sendcheck::discovery::{Candidate, Discovery};
use sendcheck::embed::percent_encode;
use sendcheck::target::{Host, MailPort, Security};

use crate::library::Loadable;
use crate::questions::Questions;

/// The API path, same origin as the page.
pub const DISCOVER_PATH: &str = "/api/discover";

/// The discovery as the page holds it: for which address or domain, and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovered {
    pub query: String,
    pub result: Loadable<std::rc::Rc<Discovery>>,
}

/// What to ask about: the person's address (or domain) when they gave one, else the domain of
/// the server's name (`smtp.example.jp` → `example.jp`); nothing for an address literal.
pub fn discovery_query(questions: &Questions, form_host: &str) -> Option<String> {
    if let Some(domain) = questions.email_domain() {
        return Some(domain);
    }
    let Ok(Host::Name(name)) = Host::parse(form_host) else {
        return None;
    };
    let name = name.to_string();
    let labels = name.split('.').count();
    Some(match name.split_once('.') {
        Some((_, parent)) if labels >= 3 => parent.to_owned(),
        _ => name,
    })
}

/// `GET /api/discover?address=…`, the query escaped.
pub fn discover_url(query: &str) -> String {
    format!("{DISCOVER_PATH}?address={}", percent_encode(query))
}

/// A candidate as the form's settings, when its port is one the form offers.
pub fn candidate_settings(candidate: &Candidate) -> Option<(String, MailPort, Security)> {
    Some((
        candidate.host.to_string(),
        candidate.mail_port()?,
        candidate.security,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questions::QuestionEdit;

    #[test]
    fn the_address_comes_first_then_the_server_s_domain() {
        let mut q = Questions::default();
        assert_eq!(
            discovery_query(&q, "smtp.example.co.jp").as_deref(),
            Some("example.co.jp")
        );
        assert_eq!(
            discovery_query(&q, "example.jp").as_deref(),
            Some("example.jp")
        );
        assert_eq!(discovery_query(&q, "198.51.100.25"), None);
        assert_eq!(discovery_query(&q, ""), None);
        q.apply(QuestionEdit::Email("taro@Mail.Example.NET".into()));
        assert_eq!(
            discovery_query(&q, "smtp.example.co.jp").as_deref(),
            Some("mail.example.net")
        );
    }

    #[test]
    fn the_query_is_escaped() {
        assert_eq!(
            discover_url("taro+x&y@example.jp"),
            "/api/discover?address=taro%2Bx%26y@example.jp"
        );
        assert_eq!(
            discover_url("例え.jp"),
            "/api/discover?address=%E4%BE%8B%E3%81%88.jp"
        );
    }

    #[test]
    fn a_candidate_fills_the_form_when_its_port_is_a_mail_port() {
        let candidate: Candidate = serde_json::from_str(
            r#"{"host":"smtp.example.jp","port":465,"security":"tls","sources":["srv"]}"#,
        )
        .expect("candidate");
        assert_eq!(
            candidate_settings(&candidate),
            Some((
                "smtp.example.jp".into(),
                MailPort::SUBMISSIONS,
                Security::Tls
            ))
        );
        let odd: Candidate = serde_json::from_str(
            r#"{"host":"smtp.example.jp","port":10025,"security":"none","sources":["autoconfig"]}"#,
        )
        .expect("candidate");
        assert_eq!(candidate_settings(&odd), None);
    }
}
