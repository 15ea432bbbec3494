//! Would a mail program trust this chain for this host at this time, and if not, why.
//!
//! A pure function of (chain, name, time): it reads no clock and no socket, so it can run
//! wherever CPU is cheap (checking a P-384 chain costs milliseconds in wasm) and its result can
//! be cached per chain and reused across the ports of one host.
//!
//! webpki answers "is there a valid path" and "is the name right" separately, so both problems
//! are reported when both exist. It stops at the first date problem, so after one we look again
//! at a moment the dates allow, to learn whether the path itself is sound too. Its "unknown
//! issuer" is then refined from what the server sent: a self-signed certificate, a chain that
//! ends at a root nobody trusts, or a chain with its intermediate left out.

use std::time::Duration;

use rustls_pki_types::{CertificateDer, ServerName, TrustAnchor, UnixTime};
use webpki::{EndEntityCert, Error, KeyUsage};

use super::certificate::{render_name, ParsedCertificate};
use super::signature;
use crate::target::Host;
use crate::wire::{CertificateProblem, Verification};

/// Verifies the chain the server sent (its own certificate first) against the public roots
/// mail programs trust (Mozilla's, as webpki-roots ships them) for `server_name` at
/// `now_unix_secs`.
pub fn verify_chain<C: AsRef<[u8]>>(
    chain_der: &[C],
    server_name: &Host,
    now_unix_secs: u64,
) -> Verification {
    verify_against(
        chain_der,
        server_name,
        now_unix_secs,
        webpki_roots::TLS_SERVER_ROOTS,
    )
}

/// Like [`verify_chain`], but trusting only `trusted_roots_der` (DER certificates) and not the
/// public roots: for test laboratories with their own CA. Roots that do not decode are ignored.
pub fn verify_chain_with_roots<C: AsRef<[u8]>, R: AsRef<[u8]>>(
    chain_der: &[C],
    server_name: &Host,
    now_unix_secs: u64,
    trusted_roots_der: &[R],
) -> Verification {
    let roots: Vec<CertificateDer<'_>> = trusted_roots_der
        .iter()
        .map(|root| CertificateDer::from(root.as_ref()))
        .collect();
    let anchors: Vec<TrustAnchor<'_>> = roots
        .iter()
        .filter_map(|root| webpki::anchor_from_trusted_cert(root).ok())
        .collect();
    verify_against(chain_der, server_name, now_unix_secs, &anchors)
}

fn verify_against<C: AsRef<[u8]>>(
    chain_der: &[C],
    server_name: &Host,
    now_unix_secs: u64,
    anchors: &[TrustAnchor<'_>],
) -> Verification {
    let Some((leaf, rest)) = chain_der.split_first() else {
        return failed(vec![CertificateProblem::NoCertificate]);
    };
    let leaf = CertificateDer::from(leaf.as_ref());
    let end_entity = match EndEntityCert::try_from(&leaf) {
        Ok(end_entity) => end_entity,
        Err(error) => return failed(vec![describe(&error, &[], anchors)]),
    };
    let intermediates: Vec<CertificateDer<'_>> = rest
        .iter()
        .map(|cert| CertificateDer::from(cert.as_ref()))
        .collect();
    let parsed: Vec<Option<ParsedCertificate<'_>>> = chain_der
        .iter()
        .map(|cert| ParsedCertificate::parse(cert.as_ref()).ok())
        .collect();
    let path = Path {
        end_entity: &end_entity,
        intermediates: &intermediates,
        anchors,
    };

    let mut problems = path_problems(&path, now_unix_secs, &parsed);
    if let Some(problem) = name_problem(&end_entity, server_name, &parsed) {
        problems.push(problem);
    }
    if problems.is_empty() {
        Verification::Verified
    } else {
        failed(problems)
    }
}

struct Path<'a, 'p> {
    end_entity: &'a EndEntityCert<'p>,
    intermediates: &'a [CertificateDer<'p>],
    anchors: &'a [TrustAnchor<'a>],
}

impl Path<'_, '_> {
    fn check_at(&self, unix_secs: u64) -> Result<(), Error> {
        self.end_entity
            .verify_for_usage(
                signature::for_chains(),
                self.anchors,
                self.intermediates,
                UnixTime::since_unix_epoch(Duration::from_secs(unix_secs)),
                KeyUsage::server_auth(),
                None,
                None,
            )
            .map(|_| ())
    }
}

fn path_problems(
    path: &Path<'_, '_>,
    now_unix_secs: u64,
    parsed: &[Option<ParsedCertificate<'_>>],
) -> Vec<CertificateProblem> {
    let (date_problem, moment_when_valid) = match path.check_at(now_unix_secs) {
        Ok(()) => return Vec::new(),
        Err(Error::CertExpired { not_after, .. }) => (
            CertificateProblem::Expired {
                not_after_unix: unix_i64(not_after),
            },
            not_after.as_secs(),
        ),
        Err(Error::CertNotValidYet { not_before, .. }) => (
            CertificateProblem::NotYetValid {
                not_before_unix: unix_i64(not_before),
            },
            not_before.as_secs(),
        ),
        Err(error) => return vec![describe(&error, parsed, path.anchors)],
    };
    let mut problems = vec![date_problem];
    match path.check_at(moment_when_valid) {
        Ok(()) | Err(Error::CertExpired { .. } | Error::CertNotValidYet { .. }) => {}
        Err(error) => problems.push(describe(&error, parsed, path.anchors)),
    }
    problems
}

fn name_problem(
    end_entity: &EndEntityCert<'_>,
    host: &Host,
    parsed: &[Option<ParsedCertificate<'_>>],
) -> Option<CertificateProblem> {
    let name = match host {
        Host::Name(name) => match ServerName::try_from(name.as_str()) {
            Ok(name) => name,
            Err(_) => {
                return Some(CertificateProblem::Other {
                    detail: format!("{name} is not a name a certificate can be checked against"),
                })
            }
        },
        Host::Ip(ip) => ServerName::from(*ip),
    };
    match end_entity.verify_is_valid_for_subject_name(&name) {
        Ok(()) => None,
        Err(Error::CertNotValidForName(_)) => Some(CertificateProblem::NameMismatch {
            expected: host.to_string(),
            presented: parsed
                .first()
                .and_then(Option::as_ref)
                .map(ParsedCertificate::subject_alt_names)
                .unwrap_or_default(),
        }),
        Err(error) => Some(describe(&error, parsed, &[])),
    }
}

/// Turns a webpki refusal into the problem a person can act on.
fn describe(
    error: &Error,
    parsed: &[Option<ParsedCertificate<'_>>],
    anchors: &[TrustAnchor<'_>],
) -> CertificateProblem {
    let leaf_self_signed = parsed
        .first()
        .and_then(Option::as_ref)
        .is_some_and(ParsedCertificate::is_self_signed);
    let other = |detail: &str| CertificateProblem::Other {
        detail: detail.to_owned(),
    };
    #[allow(deprecated)] // RequiredEkuNotFound: older webpki releases still return it.
    match error {
        Error::UnknownIssuer => unknown_issuer(parsed, anchors),
        // `openssl req -x509` marks its self-signed certificates as CAs.
        Error::CaUsedAsEndEntity if leaf_self_signed => CertificateProblem::SelfSigned,
        Error::CaUsedAsEndEntity => other(
            "the server presents a certificate authority's certificate instead of a server certificate",
        ),
        Error::InvalidSignatureForPublicKey => {
            other("a signature in the chain does not match the key of the certificate that issued it")
        }
        Error::UnsupportedSignatureAlgorithm
        | Error::UnsupportedSignatureAlgorithmContext(_)
        | Error::UnsupportedSignatureAlgorithmForPublicKey
        | Error::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => other(
            "a certificate in the chain is signed with an algorithm mail programs no longer accept (e.g. SHA-1)",
        ),
        Error::RequiredEkuNotFound | Error::RequiredEkuNotFoundContext(_) => other(
            "the certificate is not issued for servers (its extended key usage lacks TLS server authentication)",
        ),
        Error::CertRevoked => other("the certificate has been revoked"),
        Error::BadDer | Error::BadDerTime | Error::TrailingData(_) => {
            other("a certificate in the chain is malformed and cannot be decoded")
        }
        error => CertificateProblem::Other {
            detail: format!("the certificate chain was refused ({error:?})"),
        },
    }
}

/// webpki found no trusted issuer; tell apart what the server's chain shows.
fn unknown_issuer(
    parsed: &[Option<ParsedCertificate<'_>>],
    anchors: &[TrustAnchor<'_>],
) -> CertificateProblem {
    let Some(Some(leaf)) = parsed.first() else {
        return CertificateProblem::UnknownIssuer {
            issuer: String::new(),
        };
    };
    if leaf.is_self_signed() {
        return CertificateProblem::SelfSigned;
    }
    let sent: Vec<&ParsedCertificate<'_>> = parsed.iter().skip(1).flatten().collect();
    let mut current = leaf;
    // Each step climbs one certificate; a chain longer than what was sent is a loop of names.
    for _ in 0..=sent.len() {
        if anchors
            .iter()
            .any(|anchor| anchor.subject.as_ref() == current.issuer)
        {
            return CertificateProblem::Other {
                detail: format!(
                    "the chain names the trusted authority {} as issuer, but is not signed with its key",
                    render_name(current.issuer)
                ),
            };
        }
        match sent.iter().find(|cert| cert.subject == current.issuer) {
            Some(issuer) if issuer.is_self_signed() => {
                return CertificateProblem::UnknownIssuer {
                    issuer: render_name(issuer.subject),
                }
            }
            Some(issuer) => current = issuer,
            None => {
                return CertificateProblem::IncompleteChain {
                    missing_issuer: render_name(current.issuer),
                }
            }
        }
    }
    CertificateProblem::UnknownIssuer {
        issuer: render_name(current.issuer),
    }
}

fn failed(problems: Vec<CertificateProblem>) -> Verification {
    Verification::Failed { problems }
}

fn unix_i64(time: UnixTime) -> i64 {
    i64::try_from(time.as_secs()).unwrap_or(i64::MAX)
}
