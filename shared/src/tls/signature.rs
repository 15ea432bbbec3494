//! Which code checks signatures: ring, compiled into our wasm, unless the adapter installs
//! faster implementations of the same algorithms.
//!
//! ```text
//!  install_signature_algorithms(native)        (once, by the worker: the runtime's own crypto)
//!        │ replaces, by algorithm identifiers, ring's entries in
//!        ├─▶ for_chains()      webpki's list      ─▶ verify_chain (the certificate verdict)
//!        └─▶ for_handshakes()  rustls's mapping   ─▶ TlsSession (the server's proof of its key)
//! ```
//!
//! A choice of implementation, not of policy: the same algorithms, the same identifiers, the
//! same verdicts. It is process-wide, as rustls's own `CryptoProvider::install_default` is,
//! because it belongs to the runtime the engine runs in, not to one probe. Checking a P-384
//! signature costs ~4–5 ms of CPU in ring compiled to wasm and ~0.5 ms in the worker
//! runtime's native crypto (BENCHMARKS.md), and the edge allows 10 ms per request.

use std::sync::OnceLock;

use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls_pki_types::SignatureVerificationAlgorithm;

/// A list of signature verification algorithms, as webpki and rustls take them.
pub type SignatureAlgorithms = &'static [&'static dyn SignatureVerificationAlgorithm];

/// Why [`install_signature_algorithms`] changed nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlreadyInstalled;

struct Installed {
    chains: SignatureAlgorithms,
    handshakes: WebPkiSupportedAlgorithms,
}

static INSTALLED: OnceLock<Installed> = OnceLock::new();

/// Uses `native` wherever ring offers an algorithm with the same public key and signature
/// algorithm identifiers; ring keeps the others. Once per process: later calls return
/// [`AlreadyInstalled`] and change nothing.
///
/// An implementation must give ring's answer for every input, malformed keys included: it may
/// defer to ring (e.g. when the runtime cannot handle a key) but never be more lenient.
pub fn install_signature_algorithms(native: SignatureAlgorithms) -> Result<(), AlreadyInstalled> {
    let mut fresh = false;
    INSTALLED.get_or_init(|| {
        fresh = true;
        installed(native)
    });
    if fresh {
        Ok(())
    } else {
        Err(AlreadyInstalled)
    }
}

/// For certificate chains (webpki tries them in order; the first with matching identifiers
/// decides).
pub(crate) fn for_chains() -> SignatureAlgorithms {
    INSTALLED
        .get()
        .map_or(webpki::ALL_VERIFICATION_ALGS, |installed| installed.chains)
}

/// For the handshake signature (TLS 1.2 ServerKeyExchange, TLS 1.3 CertificateVerify), with
/// the TLS signature schemes we offer, in ring's order of preference.
pub(crate) fn for_handshakes() -> WebPkiSupportedAlgorithms {
    INSTALLED
        .get()
        .map_or_else(ring_handshakes, |installed| installed.handshakes)
}

fn ring_handshakes() -> WebPkiSupportedAlgorithms {
    rustls::crypto::ring::default_provider().signature_verification_algorithms
}

fn installed(native: SignatureAlgorithms) -> Installed {
    let replace = |ring: &'static dyn SignatureVerificationAlgorithm| {
        native
            .iter()
            .copied()
            .find(|candidate| same_algorithm(*candidate, ring))
            .unwrap_or(ring)
    };
    let replace_all = |list: SignatureAlgorithms| -> SignatureAlgorithms {
        leak(list.iter().map(|alg| replace(*alg)).collect())
    };
    let ring = ring_handshakes();
    // Built once per process and kept for its life: rustls and webpki take `'static` lists.
    let mapping = ring
        .mapping
        .iter()
        .map(|(scheme, algs)| (*scheme, replace_all(algs)))
        .collect::<Vec<_>>()
        .leak();
    Installed {
        chains: replace_all(webpki::ALL_VERIFICATION_ALGS),
        handshakes: WebPkiSupportedAlgorithms {
            all: replace_all(ring.all),
            mapping,
        },
    }
}

fn same_algorithm(
    a: &dyn SignatureVerificationAlgorithm,
    b: &dyn SignatureVerificationAlgorithm,
) -> bool {
    a.public_key_alg_id() == b.public_key_alg_id() && a.signature_alg_id() == b.signature_alg_id()
}

fn leak(
    algs: Vec<&'static dyn SignatureVerificationAlgorithm>,
) -> &'static [&'static dyn SignatureVerificationAlgorithm] {
    algs.leak()
}

#[cfg(test)]
pub(super) mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use rustls_pki_types::{AlgorithmIdentifier, InvalidSignature};

    use super::*;

    /// A ring algorithm that counts its calls: stands in for a runtime's native crypto.
    #[derive(Debug)]
    pub(in crate::tls) struct Counted(
        pub &'static dyn SignatureVerificationAlgorithm,
        pub AtomicUsize,
    );

    impl Counted {
        pub(in crate::tls) fn calls(&self) -> usize {
            self.1.load(Ordering::Relaxed)
        }
    }

    impl SignatureVerificationAlgorithm for Counted {
        fn verify_signature(
            &self,
            public_key: &[u8],
            message: &[u8],
            signature: &[u8],
        ) -> Result<(), InvalidSignature> {
            self.1.fetch_add(1, Ordering::Relaxed);
            self.0.verify_signature(public_key, message, signature)
        }
        fn public_key_alg_id(&self) -> AlgorithmIdentifier {
            self.0.public_key_alg_id()
        }
        fn signature_alg_id(&self) -> AlgorithmIdentifier {
            self.0.signature_alg_id()
        }
    }

    static P256_SHA256: Counted = Counted(webpki::ring::ECDSA_P256_SHA256, AtomicUsize::new(0));

    fn is_p256_stand_in(alg: &&dyn SignatureVerificationAlgorithm) -> bool {
        std::ptr::addr_eq(
            *alg as *const dyn SignatureVerificationAlgorithm,
            &P256_SHA256,
        )
    }

    #[test]
    fn an_algorithm_replaces_rings_where_the_identifiers_match() {
        static NATIVE: [&dyn SignatureVerificationAlgorithm; 1] = [&P256_SHA256];
        let installed = installed(&NATIVE);
        assert_eq!(
            installed
                .chains
                .iter()
                .filter(|a| is_p256_stand_in(a))
                .count(),
            1
        );
        assert_eq!(installed.chains.len(), webpki::ALL_VERIFICATION_ALGS.len());

        let handshakes = installed.handshakes;
        let (_, p256) = handshakes
            .mapping
            .iter()
            .find(|(scheme, _)| *scheme == rustls::SignatureScheme::ECDSA_NISTP256_SHA256)
            .expect("ring offers ECDSA P-256");
        assert!(is_p256_stand_in(&p256[0]));
        assert_eq!(
            handshakes.supported_schemes(),
            ring_handshakes().supported_schemes(),
            "the schemes offered and their order stay ring's"
        );
        let others = handshakes.all.iter().filter(|a| !is_p256_stand_in(a));
        assert_eq!(others.count(), ring_handshakes().all.len() - 1);
    }

    /// Accepts every signature: must never reach a list that ring does not already fill.
    #[derive(Debug)]
    struct Ed448AcceptingAll;

    impl SignatureVerificationAlgorithm for Ed448AcceptingAll {
        fn verify_signature(&self, _: &[u8], _: &[u8], _: &[u8]) -> Result<(), InvalidSignature> {
            Ok(())
        }
        fn public_key_alg_id(&self) -> AlgorithmIdentifier {
            rustls_pki_types::alg_id::ED448
        }
        fn signature_alg_id(&self) -> AlgorithmIdentifier {
            rustls_pki_types::alg_id::ED448
        }
    }

    #[test]
    fn an_algorithm_ring_lacks_is_not_added() {
        static NATIVE: [&dyn SignatureVerificationAlgorithm; 1] = [&Ed448AcceptingAll];
        let installed = installed(&NATIVE);
        let ids = |list: SignatureAlgorithms| {
            list.iter()
                .map(|a| (a.public_key_alg_id(), a.signature_alg_id()))
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(installed.chains), ids(webpki::ALL_VERIFICATION_ALGS));
        assert_eq!(ids(installed.handshakes.all), ids(ring_handshakes().all));
    }
}
