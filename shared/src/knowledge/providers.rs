//! Mail providers and hosting companies whose correct sending settings are known, matched on
//! the person's address domain or on a host name (MX or SMTP) suffix.
//! Data: `data/providers.json`.

use serde::{Deserialize, Serialize};

use crate::target::Security;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provider {
    pub id: String,
    pub name: String,
    pub name_ja: String,
    /// Address domains the provider hands out (`gmail.com`); subdomains match too.
    #[serde(default)]
    pub domains: Vec<String>,
    /// Suffixes of its MX or server host names (`.sakura.ne.jp`), for customers' own domains.
    #[serde(default)]
    pub mx_suffixes: Vec<String>,
    pub smtp: SubmissionSettings,
    /// A second correct pairing (usually 465 with SSL/TLS beside 587 with STARTTLS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternative: Option<SubmissionSettings>,
    pub login: LoginPolicy,
    /// Text key of the provider's own advice (where the host name is, forwarding settings…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    pub source: String,
    pub reviewed: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Host, port and security a mail program should use to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionSettings {
    /// `None` when every customer has their own host name (see the provider's notes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    pub port: u16,
    pub security: Security,
}

/// Whether the account password alone still logs in to SMTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LoginPolicy {
    /// The mailbox password works.
    Password,
    /// Only an app password (with two-step verification) or OAuth works.
    AppPassword,
    /// Basic authentication is retired: only OAuth ("modern authentication") works.
    OauthOnly,
    #[serde(other)]
    Unknown,
}

/// The provider whose address domain is `domain` or a parent of it.
pub fn for_domain<'a>(providers: &'a [Provider], domain: &str) -> Option<&'a Provider> {
    let domain = normalise(domain);
    let domain = domain.rsplit('@').next().unwrap_or_default();
    if domain.is_empty() {
        return None;
    }
    providers.iter().find(|p| {
        p.domains
            .iter()
            .any(|d| domain == d.as_str() || domain.ends_with(&format!(".{d}")))
    })
}

/// The provider whose servers' names end with one of its suffixes.
pub fn for_host<'a>(providers: &'a [Provider], host: &str) -> Option<&'a Provider> {
    let host = normalise(host);
    if host.is_empty() {
        return None;
    }
    providers.iter().find(|p| {
        p.mx_suffixes.iter().any(|s| {
            let s = s.trim_start_matches('.');
            host == s || host.ends_with(&format!(".{s}"))
        }) || p
            .smtp
            .host
            .as_deref()
            .is_some_and(|h| h.eq_ignore_ascii_case(&host))
    })
}

fn normalise(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use crate::knowledge::Knowledge;

    use super::*;

    #[test]
    fn every_entry_is_complete_and_sourced() {
        let k = Knowledge::builtin();
        assert!(k.providers().len() >= 12);
        let mut ids = std::collections::BTreeSet::new();
        for p in k.providers() {
            assert!(ids.insert(p.id.as_str()), "duplicate id {}", p.id);
            assert!(p.source.len() > 10, "{} has no source", p.id);
            assert_eq!(p.reviewed.len(), 7, "{}", p.id);
            assert!(
                !p.domains.is_empty() || !p.mx_suffixes.is_empty(),
                "{}",
                p.id
            );
            assert!(matches!(p.smtp.port, 465 | 587 | 2525), "{}", p.id);
            assert!(
                p.smtp.host.is_some() || p.notes.is_some(),
                "{}: where is the host?",
                p.id
            );
            let usual = |s: &SubmissionSettings| {
                (s.port == 465) == (s.security == Security::Tls) && s.security != Security::None
            };
            assert!(usual(&p.smtp), "{}: port/security pairing", p.id);
            assert!(p.alternative.as_ref().is_none_or(usual), "{}", p.id);
            assert_ne!(p.login, LoginPolicy::Unknown, "{}", p.id);
        }
    }

    #[test]
    fn lookups_by_address_domain_and_by_host() {
        let k = Knowledge::builtin();
        let id = |p: Option<&Provider>| p.map(|p| p.id.clone());
        assert_eq!(id(k.provider_for_domain("gmail.com")), Some("gmail".into()));
        assert_eq!(
            id(k.provider_for_domain("Taro@GMAIL.com")),
            Some("gmail".into())
        );
        assert_eq!(
            id(k.provider_for_domain("hotmail.co.jp")),
            Some("outlook_com".into())
        );
        assert_eq!(
            id(k.provider_for_domain("yahoo.co.jp")),
            Some("yahoo_japan".into())
        );
        assert_eq!(id(k.provider_for_domain("example.jp")), None);
        assert_eq!(id(k.provider_for_domain("")), None);
        assert_eq!(
            id(k.provider_for_host("example.sakura.ne.jp.")),
            Some("sakura".into())
        );
        assert_eq!(
            id(k.provider_for_host("sv1234.xserver.jp")),
            Some("xserver".into())
        );
        assert_eq!(
            id(k.provider_for_host("example-jp.mail.protection.outlook.com")),
            Some("microsoft_365".into())
        );
        assert_eq!(
            id(k.provider_for_host("smtp.gmail.com")),
            Some("gmail".into())
        );
        // A suffix matches whole labels only.
        assert_eq!(id(k.provider_for_host("notxserver.jp")), None);
    }
}
