//! How patient a probe is and what it calls itself.

use std::sync::{Arc, Mutex};

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;

use crate::target::Host;
use crate::wire::Verification;

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
    /// The public roots, and these too: `./dev serve` checks real servers (public roots) and
    /// its own lab (a private CA) from one worker.
    PublicAnd(Vec<Vec<u8>>),
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

    /// The public roots plus the PEM `CERTIFICATE` blocks given.
    pub fn public_and_pem(pem: &str) -> Result<Self, String> {
        match Self::from_pem(pem)? {
            Self::Only(roots) => Ok(Self::PublicAnd(roots)),
            other => Ok(other),
        }
    }
}

/// Verdicts on certificate chains, shared by the probes of one check (clones share one store).
/// Ports of one host usually present the same chain, and verifying a chain in wasm is the
/// costliest thing a probe does (several ms of CPU per P-384 signature), so it is done once.
#[derive(Debug, Clone, Default)]
pub struct VerificationCache {
    verdicts: Arc<Mutex<Vec<CachedVerdict>>>,
}

#[derive(Debug)]
struct CachedVerdict {
    chain: Vec<Vec<u8>>,
    host: Host,
    verdict: Verification,
}

impl VerificationCache {
    /// The verdict on `chain` for `host`, computing it with `verify` only the first time.
    pub fn get_or_verify(
        &self,
        chain: Vec<Vec<u8>>,
        host: &Host,
        verify: impl FnOnce(&[Vec<u8>]) -> Verification,
    ) -> Verification {
        let Ok(mut verdicts) = self.verdicts.lock() else {
            return verify(&chain);
        };
        if let Some(hit) = verdicts
            .iter()
            .find(|v| v.chain == chain && &v.host == host)
        {
            return hit.verdict.clone();
        }
        let verdict = verify(&chain);
        verdicts.push(CachedVerdict {
            chain,
            host: host.clone(),
            verdict: verdict.clone(),
        });
        verdict
    }

    /// How many chains were actually verified.
    pub fn verifications(&self) -> usize {
        self.verdicts.lock().map(|v| v.len()).unwrap_or(0)
    }
}

/// Timeouts in milliseconds. A check that meets silence must end with a verdict the person
/// sees within 15 s of pressing Check, so no single wait is longer than a mail program's own
/// patience: Thunderbird's account setup gives up on a server after 10 s and internet.nl's
/// mail test uses a 10 s network timeout (issue 10's anchors). A healthy server answers each
/// step in well under a second; slow-but-working ones still fit (postscreen holds its final
/// `220` for `postscreen_greet_wait`, 6 s by default, www.postfix.org/postconf.5.html).
#[derive(Debug, Clone)]
pub struct ProbeConfig {
    /// The name sent with EHLO/HELO.
    pub client_name: Hostname,
    pub resolve_timeout_ms: u64,
    /// A dropped SYN is retransmitted after 1 s and 3 s (RFC 6298 §2, Linux), so 8 s covers
    /// two lost SYNs and still leaves room in the overall deadline for resolving first.
    pub connect_timeout_ms: u64,
    /// RFC 5321 §4.5.3.2 allows servers 5 minutes; a greeting later than this is reported.
    /// Also the wait for the first TLS flight on 465, where the greeting comes inside TLS.
    pub greeting_timeout_ms: u64,
    /// Every other reply, including the TLS handshake after STARTTLS.
    pub reply_timeout_ms: u64,
    /// The whole probe, whatever the steps.
    pub overall_timeout_ms: u64,
    pub limits: ReplyLimits,
    pub trust: TrustAnchors,
    pub verifications: VerificationCache,
    /// One login per check: this port goes as far as a login would (TLS verified, a mechanism
    /// chosen) and then stops with `AuthSkipped::TriedOnAnotherPort`; its credentials are never
    /// sent. The check's one login is tried on another port.
    pub login_elsewhere: bool,
}

impl ProbeConfig {
    pub fn new(client_name: Hostname) -> Self {
        Self {
            client_name,
            resolve_timeout_ms: 3_000,
            connect_timeout_ms: 8_000,
            greeting_timeout_ms: 10_000,
            reply_timeout_ms: 8_000,
            overall_timeout_ms: crate::wire::CHECK_DEADLINE_MS,
            limits: ReplyLimits::default(),
            trust: TrustAnchors::PublicRoots,
            verifications: VerificationCache::default(),
            login_elsewhere: false,
        }
    }
}
