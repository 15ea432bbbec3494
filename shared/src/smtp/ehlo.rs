//! What a server says it can do, from its EHLO reply (RFC 5321 §4.1.1.1). Unknown keywords
//! are kept as they came: a diagnostic tool must not throw evidence away.

use serde::{Deserialize, Serialize};

use crate::smtp::Reply;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities {
    /// The name the server gave for itself on the first line.
    pub domain: String,
    pub extensions: Vec<Extension>,
}

/// One EHLO line after the first: a keyword (upper-cased) and its parameters as sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub keyword: String,
    pub params: Vec<String>,
}

impl Capabilities {
    /// Reads a positive EHLO reply. A HELO reply gives a domain and no extensions.
    pub fn from_reply(reply: &Reply) -> Self {
        let mut lines = reply.lines.iter();
        let domain = lines
            .next()
            .and_then(|first| first.split_ascii_whitespace().next())
            .unwrap_or_default()
            .to_owned();
        let extensions = lines
            .filter_map(|line| {
                let mut words = line.split_ascii_whitespace();
                let keyword = words.next()?.to_ascii_uppercase();
                Some(Extension {
                    keyword,
                    params: words.map(str::to_owned).collect(),
                })
            })
            .collect();
        Self { domain, extensions }
    }

    pub fn get(&self, keyword: &str) -> Option<&Extension> {
        self.extensions
            .iter()
            .find(|e| e.keyword.eq_ignore_ascii_case(keyword))
    }

    pub fn has(&self, keyword: &str) -> bool {
        self.get(keyword).is_some()
    }

    pub fn starttls(&self) -> bool {
        self.has("STARTTLS")
    }

    /// SASL mechanisms offered, from `AUTH` and the pre-RFC `AUTH=` form some servers still send.
    pub fn auth_mechanisms(&self) -> Vec<String> {
        let mut mechanisms: Vec<String> = Vec::new();
        for extension in &self.extensions {
            let listed: Vec<&str> = if extension.keyword == "AUTH" {
                extension.params.iter().map(String::as_str).collect()
            } else if let Some(first) = extension.keyword.strip_prefix("AUTH=") {
                std::iter::once(first)
                    .chain(extension.params.iter().map(String::as_str))
                    .collect()
            } else {
                continue;
            };
            for mechanism in listed {
                let mechanism = mechanism.to_ascii_uppercase();
                if !mechanisms.contains(&mechanism) {
                    mechanisms.push(mechanism);
                }
            }
        }
        mechanisms
    }

    /// The advertised message size limit in bytes, when given.
    pub fn size_limit(&self) -> Option<u64> {
        self.get("SIZE")?.params.first()?.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smtp::ReplyCode;

    fn caps(lines: &[&str]) -> Capabilities {
        Capabilities::from_reply(&Reply::new(
            ReplyCode::OK,
            lines.iter().map(|l| l.to_string()).collect(),
        ))
    }

    #[test]
    fn postfix_submission_after_tls() {
        let c = caps(&[
            "mail.sendcheck.test",
            "PIPELINING",
            "SIZE 10240000",
            "ETRN",
            "AUTH PLAIN LOGIN",
            "AUTH=PLAIN LOGIN",
            "ENHANCEDSTATUSCODES",
            "8BITMIME",
            "DSN",
            "X-SENDCHECK-UNKNOWN foo bar",
        ]);
        assert_eq!(c.domain, "mail.sendcheck.test");
        assert!(c.has("pipelining"));
        assert!(!c.starttls());
        assert_eq!(c.auth_mechanisms(), ["PLAIN", "LOGIN"]);
        assert_eq!(c.size_limit(), Some(10_240_000));
        let unknown = c.get("X-SENDCHECK-UNKNOWN").unwrap();
        assert_eq!(unknown.params, ["foo", "bar"]);
    }

    #[test]
    fn exchange_style_greeting_text_and_lowercase_keywords() {
        let c = caps(&[
            "smtp.example.jp Hello [192.0.2.1]",
            "starttls",
            "auth login",
        ]);
        assert_eq!(c.domain, "smtp.example.jp");
        assert!(c.starttls());
        assert_eq!(c.auth_mechanisms(), ["LOGIN"]);
    }

    #[test]
    fn helo_reply_has_no_extensions() {
        let c = caps(&["mail.example.jp"]);
        assert!(c.extensions.is_empty());
        assert_eq!(c.size_limit(), None);
    }
}
