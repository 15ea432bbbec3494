//! Thunderbird's autoconfig (`config-v1.1.xml`): where it is fetched from, and the outgoing
//! (SMTP) servers it names. The worker does the HTTP; this file decides which URLs, which
//! redirects may be followed, and what the document says.
//!
//! ```text
//!  UrlTemplates ──urls(domain)──▶ worker fetches (≤ MAX_DOCUMENT_BYTES, https only in production)
//!  body ──parse_outgoing──▶ xml::Reader events ──▶ <clientConfig><emailProvider>
//!                                                   <outgoingServer type="smtp"> ──▶ OutgoingServer
//! ```
//!
//! The XML reader (`xml.rs`) is deliberately small: no DOCTYPE, no entity definitions, no
//! CDATA; the five predefined entities and character references only.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::xml::{Event, Reader, XmlError};
use crate::target::{Hostname, Security};

/// Larger documents are cut off by the worker and reported as too large.
pub const MAX_DOCUMENT_BYTES: usize = 64 * 1024;
/// A provider lists one or two outgoing servers; more is not a real configuration.
pub const MAX_SERVERS: usize = 8;
const MAX_AUTH_METHODS: usize = 8;
const MAX_FIELD_LEN: usize = 128;
const MAX_TEMPLATES: usize = 4;

/// Where to look, with `{domain}` for the domain, in the order they are preferred.
/// Thunderbird's two public locations (the ISP's own autoconfig host, then the domain's
/// well-known path); Thunderbird's central ISPDB is not asked, to keep the person's domain
/// between them, DNS and their provider.
pub const DEFAULT_URL_TEMPLATES: [&str; 2] = [
    "https://autoconfig.{domain}/mail/config-v1.1.xml",
    "https://{domain}/.well-known/autoconfig/mail/config-v1.1.xml",
];

/// The autoconfig URL templates of a deployment (`AUTOCONFIG_URL_TEMPLATES`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlTemplates(Vec<String>);

impl Default for UrlTemplates {
    fn default() -> Self {
        Self(DEFAULT_URL_TEMPLATES.map(str::to_owned).to_vec())
    }
}

impl UrlTemplates {
    /// Parses a list separated by commas or blanks. Each template is an absolute URL with
    /// `{domain}` in it; `http://` only when `allow_http` (a local test lab), so a deployment
    /// never fetches a person's settings over plain HTTP.
    pub fn parse(list: &str, allow_http: bool) -> Result<Self, String> {
        let templates: Vec<String> = list
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        if templates.is_empty() {
            return Ok(Self::default());
        }
        if templates.len() > MAX_TEMPLATES {
            return Err(format!("at most {MAX_TEMPLATES} templates"));
        }
        for t in &templates {
            let https = t.starts_with("https://");
            if !(https || (allow_http && t.starts_with("http://"))) {
                return Err(format!(
                    "{t:?} must start with https://{}",
                    if allow_http { " or http://" } else { "" }
                ));
            }
            if !t.contains("{domain}") {
                return Err(format!("{t:?} has no {{domain}} placeholder"));
            }
        }
        Ok(Self(templates))
    }

    /// The URLs to fetch for `domain`. A [`Hostname`] needs no escaping in a URL.
    pub fn urls(&self, domain: &Hostname) -> Vec<String> {
        self.0
            .iter()
            .map(|t| t.replace("{domain}", domain.as_str()))
            .collect()
    }
}

/// Whether a redirect from `from` to `to` (absolute) may be followed: only to HTTPS, except
/// that a plain-HTTP test URL may redirect within plain HTTP. Never from HTTPS down to HTTP.
pub fn redirect_allowed(from: &str, to: &str) -> bool {
    to.starts_with("https://") || (from.starts_with("http://") && to.starts_with("http://"))
}

/// One `<outgoingServer type="smtp">` of a config-v1.1.xml.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingServer {
    pub hostname: Hostname,
    pub port: u16,
    /// `socketType`: SSL → tls, STARTTLS → starttls, plain → none.
    pub security: Security,
    /// `authentication` values as written (`password-cleartext`, `OAuth2`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authentication: Vec<String>,
    /// The user name pattern (`%EMAILADDRESS%`, `%EMAILLOCALPART%`), as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

/// Why a document gave no server.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AutoconfigError {
    NotUtf8,
    Xml(XmlError),
    /// Well-formed, but its root is not `<clientConfig>` (an HTML page, another format).
    NotClientConfig {
        root: String,
    },
}

impl fmt::Display for AutoconfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotUtf8 => write!(f, "the document is not UTF-8 text"),
            Self::Xml(e) => write!(f, "not readable as autoconfig XML: {e}"),
            Self::NotClientConfig { root } => {
                write!(f, "the document's root is <{root}>, not <clientConfig>")
            }
        }
    }
}

/// The SMTP servers of a config-v1.1.xml, in document order (at most [`MAX_SERVERS`]).
/// `%EMAILDOMAIN%` in a host name is replaced by `domain`, as Thunderbird does. A server
/// without a readable host, port or socket type is skipped: the rest may still be right.
pub fn parse_outgoing(
    body: &[u8],
    domain: &Hostname,
) -> Result<Vec<OutgoingServer>, AutoconfigError> {
    let text = std::str::from_utf8(body).map_err(|_| AutoconfigError::NotUtf8)?;
    let mut reader = Reader::new(text);
    let mut path: Vec<String> = Vec::new();
    let mut current: Option<Fields> = None;
    let mut servers = Vec::new();
    let mut text_buf = String::new();
    let mut seen_root = false;
    while let Some(event) = reader.next_event().map_err(AutoconfigError::Xml)? {
        match event {
            Event::Start {
                name,
                attributes,
                empty,
            } => {
                if path.is_empty() {
                    if seen_root || name != "clientConfig" {
                        return Err(AutoconfigError::NotClientConfig {
                            root: name.chars().take(40).collect(),
                        });
                    }
                    seen_root = true;
                }
                let is_smtp = attributes
                    .iter()
                    .any(|(k, v)| k == "type" && v.eq_ignore_ascii_case("smtp"));
                if name == "outgoingServer" && is_smtp && under_provider(&path) && !empty {
                    current = Some(Fields::default());
                }
                text_buf.clear();
                if !empty {
                    path.push(name);
                }
            }
            Event::Text(t) => {
                if text_buf.len() + t.len() <= MAX_FIELD_LEN * 2 {
                    text_buf.push_str(&t);
                }
            }
            Event::End { name } => {
                path.pop();
                if name == "outgoingServer" && path.len() == 2 {
                    if let Some(server) = current.take().and_then(|f| f.into_server(domain)) {
                        if servers.len() < MAX_SERVERS {
                            servers.push(server);
                        }
                    }
                } else if let Some(fields) = current.as_mut().filter(|_| path.len() == 3) {
                    fields.set(&name, text_buf.trim());
                }
                text_buf.clear();
            }
        }
    }
    Ok(servers)
}

fn under_provider(path: &[String]) -> bool {
    matches!(path, [root, provider] if root == "clientConfig" && provider == "emailProvider")
}

#[derive(Default)]
struct Fields {
    hostname: Option<String>,
    port: Option<String>,
    socket_type: Option<String>,
    authentication: Vec<String>,
    username: Option<String>,
}

impl Fields {
    fn set(&mut self, element: &str, value: &str) {
        let value: String = value.chars().take(MAX_FIELD_LEN).collect();
        match element {
            "hostname" => self.hostname = Some(value),
            "port" => self.port = Some(value),
            "socketType" => self.socket_type = Some(value),
            "username" => self.username = Some(value),
            "authentication" if self.authentication.len() < MAX_AUTH_METHODS => {
                self.authentication.push(value);
            }
            _ => {}
        }
    }

    fn into_server(self, domain: &Hostname) -> Option<OutgoingServer> {
        let hostname = self.hostname?.replace("%EMAILDOMAIN%", domain.as_str());
        let security = match self.socket_type?.to_ascii_uppercase().as_str() {
            "SSL" | "TLS" => Security::Tls,
            "STARTTLS" => Security::Starttls,
            "PLAIN" => Security::None,
            _ => return None,
        };
        Some(OutgoingServer {
            hostname: Hostname::parse(&hostname).ok()?,
            port: self.port?.parse().ok().filter(|p| *p != 0)?,
            security,
            authentication: self.authentication,
            username: self.username.filter(|u| !u.is_empty()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domain() -> Hostname {
        Hostname::parse("example.jp").unwrap()
    }

    /// The shape Thunderbird's ISPDB and providers publish (trimmed), with the things a
    /// reader trips on: a comment, single quotes, an entity, an incoming server first.
    const THUNDERBIRD_STYLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- config for example.jp -->
<clientConfig version="1.1">
  <emailProvider id='example.jp'>
    <domain>example.jp</domain>
    <displayName>Example &amp; Co.</displayName>
    <incomingServer type="imap">
      <hostname>imap.example.jp</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.%EMAILDOMAIN%</hostname>
      <port>465</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <authentication>OAuth2</authentication>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
    <outgoingServer type='smtp'>
      <!-- the STARTTLS alternative -->
      <hostname>SMTP.Example.JP</hostname>
      <port>587</port>
      <socketType>STARTTLS</socketType>
      <authentication>password-cleartext</authentication>
      <username/>
    </outgoingServer>
  </emailProvider>
</clientConfig>
"#;

    #[test]
    fn thunderbird_style_document_gives_both_smtp_servers() {
        let servers = parse_outgoing(THUNDERBIRD_STYLE.as_bytes(), &domain()).unwrap();
        assert_eq!(
            servers,
            vec![
                OutgoingServer {
                    hostname: Hostname::parse("smtp.example.jp").unwrap(),
                    port: 465,
                    security: Security::Tls,
                    authentication: vec!["password-cleartext".into(), "OAuth2".into()],
                    username: Some("%EMAILADDRESS%".into()),
                },
                OutgoingServer {
                    hostname: Hostname::parse("smtp.example.jp").unwrap(),
                    port: 587,
                    security: Security::Starttls,
                    authentication: vec!["password-cleartext".into()],
                    username: None,
                },
            ]
        );
    }

    #[test]
    fn servers_with_unreadable_fields_are_skipped() {
        let doc = r#"<clientConfig><emailProvider>
            <outgoingServer type="smtp"><hostname>bad host</hostname><port>587</port><socketType>STARTTLS</socketType></outgoingServer>
            <outgoingServer type="smtp"><hostname>a.example.jp</hostname><port>99999</port><socketType>SSL</socketType></outgoingServer>
            <outgoingServer type="smtp"><hostname>b.example.jp</hostname><port>587</port><socketType>QUIC</socketType></outgoingServer>
            <outgoingServer type="exchange"><hostname>c.example.jp</hostname><port>443</port><socketType>SSL</socketType></outgoingServer>
            <outgoingServer type="smtp"><hostname>d.example.jp</hostname><port>25</port><socketType>plain</socketType></outgoingServer>
        </emailProvider></clientConfig>"#;
        let servers = parse_outgoing(doc.as_bytes(), &domain()).unwrap();
        assert_eq!(servers.len(), 1);
        assert_eq!(servers[0].hostname.as_str(), "d.example.jp");
        assert_eq!(servers[0].security, Security::None);
    }

    #[test]
    fn a_smtp_server_outside_email_provider_is_not_taken() {
        let doc = r#"<clientConfig><outgoingServer type="smtp"><hostname>x.example.jp</hostname>
            <port>587</port><socketType>STARTTLS</socketType></outgoingServer></clientConfig>"#;
        assert_eq!(parse_outgoing(doc.as_bytes(), &domain()), Ok(vec![]));
    }

    #[test]
    fn other_documents_are_named() {
        assert_eq!(
            parse_outgoing(b"<html><body>hi</body></html>", &domain()),
            Err(AutoconfigError::NotClientConfig {
                root: "html".into()
            })
        );
        assert_eq!(
            parse_outgoing(b"\xff\xfe<", &domain()),
            Err(AutoconfigError::NotUtf8)
        );
        assert!(matches!(
            parse_outgoing(b"<!DOCTYPE html><html></html>", &domain()),
            Err(AutoconfigError::Xml(XmlError::Doctype))
        ));
        assert!(matches!(
            parse_outgoing(b"{\"not\":\"xml\"}", &domain()),
            Err(AutoconfigError::Xml(_))
        ));
        assert!(matches!(
            parse_outgoing(b"<clientConfig><emailProvider>", &domain()),
            Err(AutoconfigError::Xml(XmlError::Unclosed { .. }))
        ));
    }

    #[test]
    fn many_servers_are_capped() {
        let one = r#"<outgoingServer type="smtp"><hostname>s.example.jp</hostname><port>587</port><socketType>STARTTLS</socketType></outgoingServer>"#;
        let doc = format!(
            "<clientConfig><emailProvider>{}</emailProvider></clientConfig>",
            one.repeat(50)
        );
        assert_eq!(
            parse_outgoing(doc.as_bytes(), &domain()).unwrap().len(),
            MAX_SERVERS
        );
    }

    #[test]
    fn templates_are_https_in_production() {
        assert_eq!(UrlTemplates::parse("", false), Ok(UrlTemplates::default()));
        assert_eq!(
            UrlTemplates::default().urls(&domain()),
            vec![
                "https://autoconfig.example.jp/mail/config-v1.1.xml",
                "https://example.jp/.well-known/autoconfig/mail/config-v1.1.xml",
            ]
        );
        assert!(UrlTemplates::parse("http://127.0.0.1:1/{domain}/x.xml", false).is_err());
        let lab = UrlTemplates::parse("http://127.0.0.1:1/{domain}/x.xml", true).unwrap();
        assert_eq!(
            lab.urls(&domain()),
            vec!["http://127.0.0.1:1/example.jp/x.xml"]
        );
        assert!(UrlTemplates::parse("https://example.jp/x.xml", true).is_err());
        assert!(UrlTemplates::parse("ftp://{domain}/x", true).is_err());
        assert!(UrlTemplates::parse("https://a/{domain} https://b/{domain},https://c/{domain} https://d/{domain} https://e/{domain}", false).is_err());
    }

    #[test]
    fn redirects_never_go_down_to_plain_http() {
        assert!(redirect_allowed(
            "https://a.example/x",
            "https://b.example/y"
        ));
        assert!(!redirect_allowed(
            "https://a.example/x",
            "http://b.example/y"
        ));
        assert!(!redirect_allowed(
            "https://a.example/x",
            "file:///etc/passwd"
        ));
        assert!(redirect_allowed(
            "http://127.0.0.1:1/x",
            "http://127.0.0.1:1/y"
        ));
    }
}
