//! What the TLS handshake showed: protocol, cipher suite, the certificates the server sent and
//! what is wrong with them. Plain data, readable without the `tls` feature (the page has no
//! rustls); `sendcheck::tls` fills it in.
//!
//! A certificate problem does not stop a probe: the report carries it here, and everything the
//! probe learned after the handshake is marked as learned over an unverified connection.

use serde::{Deserialize, Serialize};

/// The negotiated session and the server's certificates, as seen after the handshake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlsReport {
    /// "TLS 1.3" or "TLS 1.2".
    pub version: String,
    /// The IANA name, e.g. "TLS13_AES_128_GCM_SHA256".
    pub cipher_suite: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alpn: Option<String>,
    /// In the order the server sent them: its own certificate first.
    #[serde(default)]
    pub chain: Vec<CertificateSummary>,
    pub verification: Verification,
}

/// One certificate, as a person (or their hosting provider) needs to see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateSummary {
    /// e.g. "CN=mail.example.jp, O=Example, C=JP": CN first, then most specific first.
    pub subject: String,
    pub issuer: String,
    /// The DNS names and IP addresses the certificate is valid for (subjectAltName).
    #[serde(default)]
    pub sans: Vec<String>,
    pub not_before_unix: i64,
    pub not_after_unix: i64,
    /// "ECDSA P-256", "RSA 2048", "Ed25519".
    pub key: String,
    /// SHA-256 of the DER, lowercase hex without colons: what `openssl x509 -fingerprint
    /// -sha256` shows, minus the colons, so a provider can find the certificate.
    pub sha256: String,
    /// Issued by itself (issuer name equals subject name).
    #[serde(default)]
    pub self_signed: bool,
}

/// Whether a mail program that checks certificates (they all should) would trust this server.
/// Read by hand (`wire::tagged`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Verification {
    /// The chain leads to a public root and names the host; the dates are valid.
    Verified,
    /// At least one problem; a path problem and a name problem are both listed when both exist.
    Failed {
        #[serde(default)]
        problems: Vec<CertificateProblem>,
    },
}

impl Verification {
    pub fn is_verified(&self) -> bool {
        matches!(self, Self::Verified)
    }

    pub fn problems(&self) -> &[CertificateProblem] {
        match self {
            Self::Verified => &[],
            Self::Failed { problems } => problems,
        }
    }
}

/// One reason a mail program would refuse the certificate. Serialized as
/// `"kind": "snake_case_name"` with the evidence beside it.
/// Read by hand (`wire::tagged`), unknown kinds as `Unknown`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CertificateProblem {
    /// A certificate in the chain (almost always the server's own) has expired.
    Expired { not_after_unix: i64 },
    /// A certificate in the chain is not valid yet (or the server's clock is far off).
    NotYetValid { not_before_unix: i64 },
    /// The certificate is for other names than the one the mail program connects to.
    NameMismatch {
        expected: String,
        #[serde(default)]
        presented: Vec<String>,
    },
    /// The chain ends at an authority (sent by the server) that no public trust store contains.
    UnknownIssuer { issuer: String },
    /// The server's certificate is issued by itself: nothing vouches for it.
    SelfSigned,
    /// The server did not send the intermediate certificate(s) between its own and a root:
    /// browsers often fetch those by themselves, mail programs do not.
    IncompleteChain { missing_issuer: String },
    /// The server sent no certificate at all.
    NoCertificate,
    /// Anything else webpki refused, described in English.
    Other { detail: String },
    /// A kind this build does not know (a report from a newer sendcheck).
    Unknown,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary() -> CertificateSummary {
        CertificateSummary {
            subject: "CN=mail.example.jp, O=Example".to_owned(),
            issuer: "CN=Example CA, O=Example".to_owned(),
            sans: vec!["mail.example.jp".to_owned(), "192.0.2.7".to_owned()],
            not_before_unix: 1_767_225_600,
            not_after_unix: 1_798_761_600,
            key: "ECDSA P-256".to_owned(),
            sha256: "ab".repeat(32),
            self_signed: false,
        }
    }

    #[test]
    fn a_verified_report_has_a_stable_json_shape() {
        let report = TlsReport {
            version: "TLS 1.3".to_owned(),
            cipher_suite: "TLS13_AES_128_GCM_SHA256".to_owned(),
            alpn: None,
            chain: vec![summary()],
            verification: Verification::Verified,
        };
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "version": "TLS 1.3",
                "cipher_suite": "TLS13_AES_128_GCM_SHA256",
                "chain": [{
                    "subject": "CN=mail.example.jp, O=Example",
                    "issuer": "CN=Example CA, O=Example",
                    "sans": ["mail.example.jp", "192.0.2.7"],
                    "not_before_unix": 1_767_225_600,
                    "not_after_unix": 1_798_761_600,
                    "key": "ECDSA P-256",
                    "sha256": "ab".repeat(32),
                    "self_signed": false
                }],
                "verification": {"status": "verified"}
            })
        );
        assert_eq!(serde_json::from_value::<TlsReport>(json).unwrap(), report);
    }

    #[test]
    fn every_problem_has_a_stable_json_shape() {
        let verification = Verification::Failed {
            problems: vec![
                CertificateProblem::Expired {
                    not_after_unix: 1_700_000_000,
                },
                CertificateProblem::NotYetValid {
                    not_before_unix: 1_900_000_000,
                },
                CertificateProblem::NameMismatch {
                    expected: "mail.example.jp".to_owned(),
                    presented: vec!["www.example.jp".to_owned()],
                },
                CertificateProblem::UnknownIssuer {
                    issuer: "CN=Corp Root".to_owned(),
                },
                CertificateProblem::SelfSigned,
                CertificateProblem::IncompleteChain {
                    missing_issuer: "CN=R11, O=Let's Encrypt, C=US".to_owned(),
                },
                CertificateProblem::NoCertificate,
                CertificateProblem::Other {
                    detail: "the signature does not match".to_owned(),
                },
            ],
        };
        let json = serde_json::to_value(&verification).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "status": "failed",
                "problems": [
                    {"kind": "expired", "not_after_unix": 1_700_000_000},
                    {"kind": "not_yet_valid", "not_before_unix": 1_900_000_000},
                    {"kind": "name_mismatch", "expected": "mail.example.jp",
                     "presented": ["www.example.jp"]},
                    {"kind": "unknown_issuer", "issuer": "CN=Corp Root"},
                    {"kind": "self_signed"},
                    {"kind": "incomplete_chain", "missing_issuer": "CN=R11, O=Let's Encrypt, C=US"},
                    {"kind": "no_certificate"},
                    {"kind": "other", "detail": "the signature does not match"}
                ]
            })
        );
        assert_eq!(
            serde_json::from_value::<Verification>(json).unwrap(),
            verification
        );
        assert_eq!(verification.problems().len(), 8);
        assert!(!verification.is_verified());
    }

    #[test]
    fn fields_added_later_may_be_missing_from_old_reports() {
        let old = serde_json::json!({
            "version": "TLS 1.2",
            "cipher_suite": "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "chain": [{
                "subject": "CN=a", "issuer": "CN=a",
                "not_before_unix": 0, "not_after_unix": 1,
                "key": "RSA 2048", "sha256": "00"
            }],
            "verification": {"status": "failed"}
        });
        let report: TlsReport = serde_json::from_value(old).unwrap();
        assert!(report.chain[0].sans.is_empty());
        assert!(!report.chain[0].self_signed);
        assert_eq!(report.verification.problems(), &[]);
    }
}
