//! How patient a probe is and what it calls itself.

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;

use crate::smtp::ReplyLimits;
use crate::target::Hostname;

/// Which roots a server certificate is verified against.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TrustAnchors {
    /// The public web PKI (webpki-roots): what mail clients trust.
    #[default]
    PublicRoots,
    /// Only these DER certificates. For test labs with their own CA; never a default.
    Only(Vec<Vec<u8>>),
}

impl TrustAnchors {
    /// Reads one or more PEM `CERTIFICATE` blocks.
    pub fn from_pem(pem: &str) -> Result<Self, String> {
        let roots = CertificateDer::pem_slice_iter(pem.as_bytes())
            .map(|cert| cert.map(|c| c.to_vec()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("not PEM certificates: {e}"))?;
        if roots.is_empty() {
            return Err("no PEM certificate found".to_owned());
        }
        Ok(Self::Only(roots))
    }
}

/// Timeouts in milliseconds. The defaults favour the person waiting: a healthy server answers
/// each step in well under a second, and an overloaded one shows itself within these bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeConfig {
    /// The name sent with EHLO/HELO.
    pub client_name: Hostname,
    pub resolve_timeout_ms: u64,
    pub connect_timeout_ms: u64,
    /// RFC 5321 §4.5.3.2 allows servers 5 minutes; a greeting later than this is reported.
    pub greeting_timeout_ms: u64,
    pub reply_timeout_ms: u64,
    /// The whole probe, whatever the steps.
    pub overall_timeout_ms: u64,
    pub limits: ReplyLimits,
    pub trust: TrustAnchors,
}

impl ProbeConfig {
    pub fn new(client_name: Hostname) -> Self {
        Self {
            client_name,
            resolve_timeout_ms: 5_000,
            connect_timeout_ms: 10_000,
            greeting_timeout_ms: 15_000,
            reply_timeout_ms: 10_000,
            overall_timeout_ms: 25_000,
            limits: ReplyLimits::default(),
            trust: TrustAnchors::PublicRoots,
        }
    }
}
