//! The view a share link opens, decided without the browser: which state its banner is in,
//! what it says, and the person's unverified part as rows of words. The browser work (fetching
//! the public keys, WebCrypto, `DecompressionStream`) is in `hooks::share`; the link format
//! and its decoding are in `sendcheck::share`.
//!
//! ```text
//!  location.hash ─ parse_link ─▶ SharedLink ─▶ key (GET /api/share-key) ─▶ Ed25519 verify
//!        │ Err                                      │ none: Unverifiable      │ false: Altered
//!        ▼                                          ▼                         ▼ true: Verified
//!  SharedView::Invalid(code)        inflate (bounded) ─▶ read_report ─▶ Opened { verification,
//!                                                                         report, person }
//! ```

use std::rc::Rc;

use sendcheck::diagnosis::{LocalResult, PersonAnswers};
use sendcheck::share::{PersonPart, ShareError, ShareKeys, KEY_BYTES, LINK_FRAGMENT_PREFIX};
use sendcheck::target::Security;
use sendcheck::wire::{CheckReport, Vantage};

use crate::i18n::share::ShareTexts;
use crate::i18n::{fill, Lang};

/// Whether the page's address fragment is a share link (then the page shows it instead of
/// the checker).
pub fn is_share_fragment(hash: &str) -> bool {
    hash.starts_with(LINK_FRAGMENT_PREFIX)
}

/// What the signature check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Verified,
    /// The signature does not match the payload.
    Altered,
    Unverifiable(Unverifiable),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unverifiable {
    /// The link names a key this deployment does not publish.
    UnknownKey,
    /// `GET /api/share-key` failed.
    KeysUnavailable,
    /// No WebCrypto Ed25519 in this browser (or not a secure context).
    NoBrowserSupport,
}

/// Why the report inside a link is not shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentError {
    Link(ShareError),
    /// No `DecompressionStream('deflate-raw')` in this browser.
    BrowserUnsupported,
}

/// A link that decoded: its verification and whatever could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub key_id: String,
    pub verification: Verification,
    pub report: Result<Rc<CheckReport>, ContentError>,
    pub person: Rc<PersonPart>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SharedView {
    Checking,
    Opened(Rc<Opened>),
    /// Not even the link's layout could be read.
    Invalid(ShareError),
}

/// The banner's headline and the sentence under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Banner {
    pub headline: String,
    pub detail: Option<String>,
}

/// One line of the person's part: a label and its value in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Stable, for tests and styling.
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
}

impl Unverifiable {
    pub fn name(self) -> &'static str {
        match self {
            Self::UnknownKey => "unknown_key",
            Self::KeysUnavailable => "keys_unavailable",
            Self::NoBrowserSupport => "no_browser_support",
        }
    }
}

impl ContentError {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Link(e) => e.name(),
            Self::BrowserUnsupported => "browser_unsupported",
        }
    }
}

impl SharedView {
    /// `data-state` of the banner: `checking`, `verified`, `altered`, `unverifiable`, `invalid`.
    pub fn state(&self) -> &'static str {
        match self {
            Self::Checking => "checking",
            Self::Invalid(_) => "invalid",
            Self::Opened(opened) => opened.state(),
        }
    }
}

impl Opened {
    pub fn state(&self) -> &'static str {
        match (&self.verification, &self.report) {
            (Verification::Verified, Ok(_)) => "verified",
            // Genuinely ours but unreadable: a report from a newer sendcheck.
            (Verification::Verified, Err(_)) => "invalid",
            (Verification::Altered, _) => "altered",
            (Verification::Unverifiable(_), _) => "unverifiable",
        }
    }

    /// The banner in words; `time` is the report's start in the viewer's locale.
    pub fn banner(&self, lang: Lang, time: &str) -> Banner {
        let t = lang.share_texts();
        let claim = |template: &str| {
            self.report.as_ref().ok().map(|report| {
                let vantage = vantage(&report.vantage, lang);
                fill(template, &[("time", time), ("vantage", &vantage)])
            })
        };
        match (&self.verification, &self.report) {
            (Verification::Verified, Ok(_)) => Banner {
                headline: claim(t.verified).unwrap_or_default(),
                detail: Some(fill(t.verified_detail, &[("key_id", &self.key_id)])),
            },
            (Verification::Verified, Err(e)) => Banner {
                headline: t.invalid.to_owned(),
                detail: Some(t.error(e.name()).to_owned()),
            },
            (Verification::Altered, _) => Banner {
                headline: t.altered.to_owned(),
                detail: Some(t.altered_detail.to_owned()),
            },
            (Verification::Unverifiable(why), _) => {
                let reason = ShareTexts::named(t.unverifiable_reasons, why.name());
                let reason = fill(reason, &[("key_id", &self.key_id)]);
                let detail = match claim(t.claimed) {
                    Some(claim) => format!("{reason} {claim}"),
                    None => reason,
                };
                Banner {
                    headline: t.unverifiable.to_owned(),
                    detail: Some(detail),
                }
            }
        }
    }
}

/// The public key a link's signature must be checked with, or why there is none.
pub fn key_for(keys: Option<&ShareKeys>, key_id: &str) -> Result<[u8; KEY_BYTES], Unverifiable> {
    keys.ok_or(Unverifiable::KeysUnavailable)?
        .find(key_id)
        .ok_or(Unverifiable::UnknownKey)
}

/// Where the probes ran, in words.
pub fn vantage(vantage: &Vantage, lang: Lang) -> String {
    let t = lang.share_texts();
    match (vantage.kind.as_str(), vantage.colo.as_deref()) {
        ("edge" | "cloudflare", Some(colo)) => fill(t.vantage_edge, &[("colo", colo)]),
        ("edge" | "cloudflare", None) => t.vantage_edge_somewhere.to_owned(),
        ("local", _) => t.vantage_local.to_owned(),
        ("native", _) => t.vantage_native.to_owned(),
        (kind, _) => fill(t.vantage_other, &[("kind", kind)]),
    }
}

/// "Mail server mail.example.jp, ports 587, 465, 25."
pub fn outside_summary(report: &CheckReport, lang: Lang) -> String {
    let ports: Vec<String> = report.ports.iter().map(|p| p.port().to_string()).collect();
    fill(
        lang.share_texts().outside_summary,
        &[("host", &report.host), ("ports", &ports.join(", "))],
    )
}

/// The person's part, one row per thing they said or saw, in the order a helper reads them.
pub fn person_rows(person: &PersonPart, lang: Lang) -> Vec<Row> {
    let t = lang.share_texts();
    let l = &t.labels;
    let mut rows = Vec::new();
    let mut row = |key: &'static str, label: &'static str, value: String| {
        rows.push(Row { key, label, value });
    };
    let answers: &PersonAnswers = &person.answers;
    if let Some(username) = &person.username {
        row("username", l.username, username.clone());
    }
    if let Some(client) = answers.client {
        row(
            "client",
            l.client,
            ShareTexts::named(t.clients, client.name()).to_owned(),
        );
    }
    if let Some(configured) = &answers.configured {
        let security = configured
            .security
            .map_or(t.security_auto, |s| security_words(s, t));
        let value = fill(
            t.configured_value,
            &[
                ("host", &configured.host),
                ("port", &configured.port.to_string()),
                ("security", security),
            ],
        );
        row("configured", l.configured, value);
    }
    if let Some(error) = &answers.error_text {
        row("error_text", l.error_text, error.clone());
    }
    let yes_no = |b: bool| if b { t.yes } else { t.no }.to_owned();
    for (key, label, answer) in [
        (
            "receiving_works",
            l.receiving_works,
            answers.receiving_works,
        ),
        ("web_works", l.web_works, answers.web_works),
        (
            "other_servers_work",
            l.other_servers_work,
            answers.other_servers_work,
        ),
    ] {
        if let Some(answer) = answer {
            row(key, label, yes_no(answer));
        }
    }
    if let Some(domain) = &answers.email_domain {
        row("email_domain", l.email_domain, domain.clone());
    }
    if let Some(software) = &answers.security_software {
        row("security_software", l.security_software, software.clone());
    }
    if !answers.recent_changes.is_empty() {
        let changes: Vec<&str> = answers
            .recent_changes
            .iter()
            .map(|c| ShareTexts::named(t.changes, c.name()))
            .collect();
        row("recent_changes", l.recent_changes, changes.join(", "));
    }
    if let Some(network) = &person.inside.network {
        let asn = network
            .asn
            .map(|asn| fill(t.asn, &[("asn", &asn.to_string())]));
        let parts: Vec<String> = [asn, network.as_org.clone(), network.country.clone()]
            .into_iter()
            .flatten()
            .collect();
        if !parts.is_empty() {
            row("network", l.network, parts.join(" · "));
        }
    }
    for check in &person.inside.local_checks {
        let result = ShareTexts::named(t.local_results, check.result.name());
        let mut value = fill(
            t.local_check_value,
            &[("port", &check.port.to_string()), ("result", result)],
        );
        match &check.result {
            LocalResult::TlsOk { issuer, .. } => value.push_str(&format!(" ({issuer})")),
            LocalResult::TlsFailed { detail } => value.push_str(&format!(" ({detail})")),
            _ => {}
        }
        row("local_check", l.local_checks, value);
    }
    for check in &person.inside.browser_checks {
        let result = ShareTexts::named(t.browser_results, check.result.name());
        let value = fill(
            t.browser_check_value,
            &[
                ("scheme", &check.scheme),
                ("port", &check.port.to_string()),
                ("result", result),
            ],
        );
        row("browser_check", l.browser_checks, value);
    }
    rows
}

fn security_words(security: Security, t: &ShareTexts) -> &'static str {
    ShareTexts::named(t.securities, security.name())
}

#[cfg(test)]
mod tests {
    use sendcheck::diagnosis::{
        BrowserCheck, BrowserResult, ClientSettings, InsideView, LocalCheck, MailClient,
        NetworkIdentity, RecentChange,
    };
    use sendcheck::share::{key_id, PublicShareKey};

    use super::*;

    fn report(kind: &str, colo: Option<&str>) -> CheckReport {
        let json = serde_json::json!({
            "version": 1, "host": "mail.example.jp",
            "vantage": {"kind": kind, "colo": colo},
            "started_at_unix_ms": 1_764_000_000_000u64, "total_ms": 60,
            "ports": [{"status": "not_tested", "port": 25, "security": "starttls",
                       "reason": "port25_unavailable_at_vantage"}]
        });
        serde_json::from_value(json).unwrap()
    }

    fn opened(verification: Verification, report: Result<CheckReport, ContentError>) -> Opened {
        Opened {
            key_id: "i4HIYmgbcSs".to_owned(),
            verification,
            report: report.map(Rc::new),
            person: Rc::new(PersonPart::default()),
        }
    }

    #[test]
    fn the_banner_says_who_produced_it_only_when_verified() {
        let good = opened(Verification::Verified, Ok(report("edge", Some("NRT"))));
        assert_eq!(good.state(), "verified");
        let banner = good.banner(Lang::En, "2 Nov 2026, 09:00");
        assert_eq!(
            banner.headline,
            "Verified: produced by sendcheck at 2 Nov 2026, 09:00 from Cloudflare's network \
             (data centre NRT)."
        );
        assert!(banner.detail.unwrap().contains("i4HIYmgbcSs"));
        let ja = good.banner(Lang::Ja, "2026/11/2 9:00").headline;
        assert!(ja.starts_with("確認済み") && ja.contains("NRT"), "{ja}");

        let altered = opened(Verification::Altered, Ok(report("local", None)));
        assert_eq!(altered.state(), "altered");
        let banner = altered.banner(Lang::En, "t");
        assert!(banner.headline.starts_with("Warning"));
        assert!(!banner.headline.contains("Verified"));

        let unknown = opened(
            Verification::Unverifiable(Unverifiable::UnknownKey),
            Ok(report("local", None)),
        );
        assert_eq!(unknown.state(), "unverifiable");
        let detail = unknown.banner(Lang::En, "t").detail.unwrap();
        assert!(detail.contains("i4HIYmgbcSs"), "{detail}");
        assert!(detail.contains("a local test installation"), "{detail}");
        assert!(detail.contains("unconfirmed"), "{detail}");

        let future = opened(
            Verification::Verified,
            Err(ContentError::Link(ShareError::BadReport {
                detail: "x".to_owned(),
            })),
        );
        assert_eq!(future.state(), "invalid");
        assert_eq!(SharedView::Checking.state(), "checking");
        assert_eq!(SharedView::Invalid(ShareError::NotALink).state(), "invalid");
        assert_eq!(
            ContentError::BrowserUnsupported.name(),
            "browser_unsupported"
        );
    }

    #[test]
    fn the_key_comes_from_the_published_list() {
        let key = PublicShareKey::new(&[3; KEY_BYTES]);
        let keys = ShareKeys {
            keys: vec![key.clone()],
        };
        assert_eq!(key_for(Some(&keys), &key.key_id), Ok([3; KEY_BYTES]));
        assert_eq!(
            key_for(Some(&keys), &key_id(&[4; KEY_BYTES])),
            Err(Unverifiable::UnknownKey)
        );
        assert_eq!(
            key_for(None, &key.key_id),
            Err(Unverifiable::KeysUnavailable)
        );
    }

    #[test]
    fn vantage_points_read_naturally() {
        let v = |kind: &str, colo: Option<&str>| {
            vantage(
                &Vantage {
                    kind: kind.to_owned(),
                    colo: colo.map(str::to_owned),
                },
                Lang::En,
            )
        };
        assert_eq!(v("edge", None), "Cloudflare's network");
        assert_eq!(
            v("cloudflare", Some("KIX")),
            "Cloudflare's network (data centre KIX)"
        );
        assert_eq!(v("native", None), "the sendcheck command-line tool");
        assert_eq!(v("satellite", None), "“satellite”");
        assert_eq!(
            outside_summary(&report("edge", None), Lang::En),
            "Mail server mail.example.jp, ports 25."
        );
    }

    #[test]
    fn the_persons_part_reads_as_rows() {
        let person = PersonPart {
            inside: InsideView {
                network: Some(NetworkIdentity {
                    asn: Some(4713),
                    as_org: Some("NTT".to_owned()),
                    country: Some("JP".to_owned()),
                }),
                local_checks: vec![LocalCheck {
                    host: None,
                    port: 465,
                    security: Some(Security::Tls),
                    result: LocalResult::TlsOk {
                        issuer: "CN=Avast Web/Mail Shield Root".to_owned(),
                        subject: None,
                        sha256: None,
                    },
                    tool: Some("openssl".to_owned()),
                }],
                browser_checks: vec![BrowserCheck {
                    host: None,
                    port: 443,
                    scheme: "https".to_owned(),
                    result: BrowserResult::Answered,
                    elapsed_ms: Some(12),
                }],
            },
            answers: PersonAnswers {
                receiving_works: Some(true),
                web_works: Some(false),
                client: Some(MailClient::Thunderbird),
                configured: Some(ClientSettings {
                    host: "mail.example.jp".to_owned(),
                    port: 25,
                    security: None,
                    username_given: true,
                }),
                error_text: Some("0x800CCC0E".to_owned()),
                recent_changes: vec![RecentChange::NetworkEquipment, RecentChange::Other],
                ..PersonAnswers::default()
            },
            username: Some("taro".to_owned()),
        };
        let rows = person_rows(&person, Lang::En);
        let pairs: Vec<(&str, &str)> = rows.iter().map(|r| (r.key, r.value.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("username", "taro"),
                ("client", "Thunderbird"),
                (
                    "configured",
                    "mail.example.jp, port 25, security chosen automatically"
                ),
                ("error_text", "0x800CCC0E"),
                ("receiving_works", "yes"),
                ("web_works", "no"),
                (
                    "recent_changes",
                    "a modem or router was replaced or changed, something else"
                ),
                ("network", "AS4713 · NTT · JP"),
                (
                    "local_check",
                    "port 465: encrypted connection works (CN=Avast Web/Mail Shield Root)"
                ),
                ("browser_check", "https port 443: answered"),
            ]
        );
        let ja = person_rows(&person, Lang::Ja);
        assert_eq!(ja[2].value, "mail.example.jp、25番ポート、暗号化は自動選択");
        assert!(person_rows(&PersonPart::default(), Lang::En).is_empty());
    }

    #[test]
    fn only_r_fragments_are_links() {
        assert!(is_share_fragment("#r=1.1.a.b.c."));
        assert!(is_share_fragment("#r="));
        assert!(!is_share_fragment(""));
        assert!(!is_share_fragment("#results"));
        assert!(!is_share_fragment("#port-587"));
    }
}
