//! Real handshakes against an in-memory rustls server (bytes pumped by hand, no sockets), with
//! certificates made here by rcgen: a private test CA that nothing trusts by default, and one
//! leaf per way a mail server's certificate goes wrong.

use std::io::{Read, Write};
use std::sync::Arc;

use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose,
};
use rustls::crypto::ring::default_provider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::sign::{CertifiedKey, SingleCertAndKey};
use rustls::version::{TLS12, TLS13};
use rustls::{ServerConfig, ServerConnection, SupportedProtocolVersion};

use super::*;
use crate::target::Host;
use crate::wire::{CertificateProblem, Verification};

/// 2026-05-28T20:26:40Z: inside the default validity window below.
const NOW: u64 = 1_780_000_000;
const JAN_2025: i64 = 1_735_689_600;
const JAN_2026: i64 = 1_767_225_600;
const JAN_2027: i64 = 1_798_761_600;
const JAN_2030: i64 = 1_893_456_000;

const MAIL: &str = "mail.sendcheck.test";
const ROOT: &str = "CN=sendcheck Test Root, O=sendcheck test";
const INTERMEDIATE: &str = "CN=sendcheck Test Intermediate, O=sendcheck test";

/// A throwaway key made with `openssl genpkey` for these tests (ring cannot generate RSA).
const RSA_KEY_PEM: &str = include_str!("testdata/rsa-2048-test-key.pem");

fn host() -> Host {
    Host::parse(MAIL).unwrap()
}

fn dn(common_name: &str) -> DistinguishedName {
    let mut name = DistinguishedName::new();
    name.push(DnType::OrganizationName, "sendcheck test");
    name.push(DnType::CommonName, common_name);
    name
}

/// Root (P-384) → intermediate (P-256), as public CAs are built.
struct Pki {
    root: CertifiedIssuer<'static, KeyPair>,
    intermediate: CertifiedIssuer<'static, KeyPair>,
}

impl Pki {
    fn new() -> Self {
        let ca = |name: &str, path_len: Option<u8>| {
            let mut params = CertificateParams::default();
            params.distinguished_name = dn(name);
            params.is_ca = IsCa::Ca(match path_len {
                Some(len) => BasicConstraints::Constrained(len),
                None => BasicConstraints::Unconstrained,
            });
            params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
            params.not_before = date_time_ymd(2020, 1, 1);
            params.not_after = date_time_ymd(2040, 1, 1);
            params
        };
        let root = CertifiedIssuer::self_signed(
            ca("sendcheck Test Root", None),
            KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384).unwrap(),
        )
        .unwrap();
        let intermediate = CertifiedIssuer::signed_by(
            ca("sendcheck Test Intermediate", Some(0)),
            KeyPair::generate().unwrap(),
            &root,
        )
        .unwrap();
        Self { root, intermediate }
    }

    fn root_der(&self) -> Vec<u8> {
        self.root.der().to_vec()
    }

    fn intermediate_der(&self) -> Vec<u8> {
        self.intermediate.der().to_vec()
    }

    /// A leaf issued by the intermediate (or by itself when `issuer` is `None`).
    fn leaf(&self, spec: Leaf) -> (Vec<u8>, KeyPair) {
        let mut params = CertificateParams::new(
            spec.names
                .iter()
                .map(|name| (*name).to_owned())
                .collect::<Vec<_>>(),
        )
        .unwrap();
        params.distinguished_name = dn(spec.names[0]);
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.not_before = date_time_ymd(spec.from.0, spec.from.1, spec.from.2);
        params.not_after = date_time_ymd(spec.until.0, spec.until.1, spec.until.2);
        let key = spec.key;
        let cert = if spec.self_signed {
            params.self_signed(&key).unwrap()
        } else {
            params.signed_by(&key, &self.intermediate).unwrap()
        };
        (cert.der().to_vec(), key)
    }
}

struct Leaf {
    names: &'static [&'static str],
    from: (i32, u8, u8),
    until: (i32, u8, u8),
    key: KeyPair,
    self_signed: bool,
}

impl Default for Leaf {
    fn default() -> Self {
        Self {
            names: &[MAIL, "192.0.2.25"],
            from: (2025, 1, 1),
            until: (2030, 1, 1),
            key: KeyPair::generate().unwrap(),
            self_signed: false,
        }
    }
}

fn server_config(
    chain: &[Vec<u8>],
    key: &KeyPair,
    versions: &[&'static SupportedProtocolVersion],
) -> Arc<ServerConfig> {
    let certs = chain
        .iter()
        .map(|der| CertificateDer::from(der.clone()))
        .collect();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let config = ServerConfig::builder_with_provider(Arc::new(default_provider()))
        .with_protocol_versions(versions)
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    Arc::new(config)
}

/// Moves bytes both ways until neither side has anything to say.
fn pump(client: &mut TlsSession, server: &mut ServerConnection) -> Result<(), TlsFailure> {
    for _ in 0..32 {
        let to_server = client.take_ciphertext();
        let mut rest = to_server.as_slice();
        while !rest.is_empty() {
            server.read_tls(&mut rest).unwrap();
            // A server error leaves an alert queued, which is what the client must see.
            if server.process_new_packets().is_err() {
                break;
            }
        }
        let mut to_client = Vec::new();
        while server.wants_write() {
            server.write_tls(&mut to_client).unwrap();
        }
        if !to_client.is_empty() {
            client.receive(&to_client)?;
        }
        if to_server.is_empty() && to_client.is_empty() {
            return Ok(());
        }
    }
    panic!("the handshake did not settle");
}

fn server_plaintext(server: &mut ServerConnection) -> Vec<u8> {
    let waiting = server
        .process_new_packets()
        .unwrap()
        .plaintext_bytes_to_read();
    let mut out = vec![0; waiting];
    server.reader().read_exact(&mut out).unwrap();
    out
}

/// Handshakes with a server presenting `chain`; the handshake must succeed whatever the chain.
fn connect(
    host: &Host,
    chain: &[Vec<u8>],
    key: &KeyPair,
    versions: &[&'static SupportedProtocolVersion],
) -> (TlsSession, ServerConnection) {
    let mut client = TlsSession::new(host, NOW).unwrap();
    let mut server = ServerConnection::new(server_config(chain, key, versions)).unwrap();
    pump(&mut client, &mut server).unwrap();
    assert!(!client.is_handshaking(), "handshake incomplete");
    assert!(!server.is_handshaking());
    assert_eq!(client.peer_chain(), chain);
    (client, server)
}

/// The verdict a mail program trusting only our test root would give.
fn verify_with_test_root(pki: &Pki, host: &Host, chain: &[Vec<u8>]) -> Verification {
    verify_chain_with_roots(chain, host, NOW, &[pki.root_der()])
}

fn failed(problems: Vec<CertificateProblem>) -> Verification {
    Verification::Failed { problems }
}

#[test]
fn tls13_handshake_reports_the_session_and_the_chain() {
    let pki = Pki::new();
    let (leaf, key) = pki.leaf(Leaf::default());
    let chain = vec![leaf.clone(), pki.intermediate_der()];
    let (mut client, mut server) = connect(&host(), &chain, &key, &[&TLS13]);
    assert_eq!(
        server.server_name(),
        Some(MAIL),
        "SNI carries the host name"
    );

    let report = client.report().unwrap();
    assert_eq!(report.version, "TLS 1.3");
    assert!(
        [
            "TLS13_AES_256_GCM_SHA384",
            "TLS13_AES_128_GCM_SHA256",
            "TLS13_CHACHA20_POLY1305_SHA256"
        ]
        .contains(&report.cipher_suite.as_str()),
        "{}",
        report.cipher_suite
    );
    assert_eq!(report.alpn, None);
    assert_eq!(report.chain.len(), 2);
    let (first, second) = (&report.chain[0], &report.chain[1]);
    assert_eq!(first.subject, "CN=mail.sendcheck.test, O=sendcheck test");
    assert_eq!(first.issuer, INTERMEDIATE);
    assert_eq!(first.sans, [MAIL, "192.0.2.25"]);
    assert_eq!(
        (first.not_before_unix, first.not_after_unix),
        (JAN_2025, JAN_2030)
    );
    assert_eq!(first.key, "ECDSA P-256");
    assert_eq!(first.sha256.len(), 64);
    assert!(first
        .sha256
        .chars()
        .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)));
    assert_eq!(first.sha256, summarize(&leaf).unwrap().sha256);
    assert!(!first.self_signed);
    assert_eq!(second.subject, INTERMEDIATE);
    assert_eq!(second.issuer, ROOT);
    assert!(second.sans.is_empty());
    assert_eq!(second.key, "ECDSA P-256");
    assert_eq!(summarize(&pki.root_der()).unwrap().key, "ECDSA P-384");
    assert!(summarize(&pki.root_der()).unwrap().self_signed);

    // The test root is trusted by nobody: against the public roots the chain stops short.
    assert_eq!(
        report.verification,
        failed(vec![CertificateProblem::IncompleteChain {
            missing_issuer: ROOT.to_owned()
        }])
    );
    assert_eq!(client.report(), Some(report), "cached, and stable");
    assert_eq!(
        verify_with_test_root(&pki, &host(), &chain),
        Verification::Verified
    );

    // Application data both ways: the greeting in, EHLO out.
    server
        .writer()
        .write_all(b"220 mail.sendcheck.test ESMTP\r\n")
        .unwrap();
    pump(&mut client, &mut server).unwrap();
    assert_eq!(
        client.take_plaintext(),
        b"220 mail.sendcheck.test ESMTP\r\n"
    );
    assert_eq!(client.take_plaintext(), b"");
    client.send_plaintext(b"EHLO probe.sendcheck.test\r\n");
    pump(&mut client, &mut server).unwrap();
    assert_eq!(
        server_plaintext(&mut server),
        b"EHLO probe.sendcheck.test\r\n"
    );

    // Closing: ours reaches the server, theirs is noticed.
    assert!(!client.peer_closed());
    client.close();
    server.send_close_notify();
    pump(&mut client, &mut server).unwrap();
    assert!(client.peer_closed());
    assert!(server.process_new_packets().unwrap().peer_has_closed());
    assert_eq!(client.failure(), None);
}

#[test]
fn installed_signature_algorithms_check_the_handshake_and_the_chain() {
    use std::sync::atomic::AtomicUsize;

    use rustls::pki_types::SignatureVerificationAlgorithm;

    use super::signature::tests::Counted;

    static P256_SHA256: Counted = Counted(webpki::ring::ECDSA_P256_SHA256, AtomicUsize::new(0));
    static P384_SHA384: Counted = Counted(webpki::ring::ECDSA_P384_SHA384, AtomicUsize::new(0));
    static NATIVE: [&dyn SignatureVerificationAlgorithm; 2] = [&P256_SHA256, &P384_SHA384];
    // Once per process, and for every test from then on: the stand-ins give ring's answers,
    // so no other test can tell.
    let _ = install_signature_algorithms(&NATIVE);

    // The test PKI: a P-384 root signs a P-256 intermediate (SHA-384), which signs the P-256
    // leaf (SHA-256); the leaf's key signs the TLS 1.3 CertificateVerify (SHA-256).
    let pki = Pki::new();
    let (leaf, key) = pki.leaf(Leaf::default());
    let chain = vec![leaf, pki.intermediate_der()];
    let p256_before = P256_SHA256.calls();
    connect(&host(), &chain, &key, &[&TLS13]);
    assert!(P256_SHA256.calls() > p256_before, "the handshake signature");

    let (p256_before, p384_before) = (P256_SHA256.calls(), P384_SHA384.calls());
    assert_eq!(
        verify_with_test_root(&pki, &host(), &chain),
        Verification::Verified
    );
    assert!(P256_SHA256.calls() > p256_before, "the leaf's signature");
    assert!(
        P384_SHA384.calls() > p384_before,
        "the intermediate's signature"
    );
}

#[test]
fn tls12_handshake_with_an_rsa_certificate() {
    let pki = Pki::new();
    let (leaf, key) = pki.leaf(Leaf {
        key: KeyPair::from_pem(RSA_KEY_PEM).unwrap(),
        ..Leaf::default()
    });
    let chain = vec![leaf, pki.intermediate_der()];
    let (mut client, mut server) = connect(&host(), &chain, &key, &[&TLS12]);
    let report = client.report().unwrap();
    assert_eq!(report.version, "TLS 1.2");
    assert!(
        report.cipher_suite.starts_with("TLS_ECDHE_RSA_WITH_"),
        "{}",
        report.cipher_suite
    );
    assert_eq!(report.chain[0].key, "RSA 2048");

    client.send_plaintext(b"EHLO probe.sendcheck.test\r\n");
    pump(&mut client, &mut server).unwrap();
    assert_eq!(
        server_plaintext(&mut server),
        b"EHLO probe.sendcheck.test\r\n"
    );
    server.writer().write_all(b"250 OK\r\n").unwrap();
    pump(&mut client, &mut server).unwrap();
    assert_eq!(client.take_plaintext(), b"250 OK\r\n");
}

#[test]
fn commands_queued_during_the_handshake_are_sent_after_it() {
    let pki = Pki::new();
    let (leaf, key) = pki.leaf(Leaf {
        key: KeyPair::generate_for(&rcgen::PKCS_ED25519).unwrap(),
        ..Leaf::default()
    });
    let chain = vec![leaf, pki.intermediate_der()];
    let mut client = TlsSession::new(&host(), NOW).unwrap();
    assert!(client.is_handshaking());
    assert_eq!(client.report(), None, "no report before the handshake");
    client.send_plaintext(b"EHLO early\r\n");
    let mut server = ServerConnection::new(server_config(&chain, &key, &[&TLS13])).unwrap();
    pump(&mut client, &mut server).unwrap();
    assert_eq!(server_plaintext(&mut server), b"EHLO early\r\n");
    assert_eq!(client.report().unwrap().chain[0].key, "Ed25519");
}

#[test]
fn an_ip_literal_host_sends_no_sni_and_is_checked_against_ip_names() {
    let pki = Pki::new();
    let (leaf, key) = pki.leaf(Leaf::default());
    let chain = vec![leaf, pki.intermediate_der()];
    let ip = Host::parse("192.0.2.25").unwrap();
    let (client, server) = connect(&ip, &chain, &key, &[&TLS13, &TLS12]);
    assert_eq!(server.server_name(), None);
    assert_eq!(
        verify_with_test_root(&pki, &ip, &client.peer_chain()),
        Verification::Verified
    );
    let other_ip = Host::parse("192.0.2.26").unwrap();
    assert_eq!(
        verify_with_test_root(&pki, &other_ip, &chain),
        failed(vec![CertificateProblem::NameMismatch {
            expected: "192.0.2.26".to_owned(),
            presented: vec![MAIL.to_owned(), "192.0.2.25".to_owned()],
        }])
    );
}

#[test]
fn a_server_without_the_certificates_key_fails_the_handshake() {
    // Accepting any chain must not mean accepting any peer: the handshake signature is still
    // checked against the certificate's key.
    let pki = Pki::new();
    let (leaf, _real_key) = pki.leaf(Leaf::default());
    let impostor = KeyPair::generate().unwrap();
    let provider = Arc::new(default_provider());
    let signing_key = provider
        .key_provider
        .load_private_key(PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
            impostor.serialize_der(),
        )))
        .unwrap();
    let certified = CertifiedKey::new(vec![CertificateDer::from(leaf.clone())], signing_key);
    let config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&TLS13])
        .unwrap()
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(SingleCertAndKey::from(certified)));
    let mut client = TlsSession::new(&host(), NOW).unwrap();
    let mut server = ServerConnection::new(Arc::new(config)).unwrap();
    let failure = pump(&mut client, &mut server).unwrap_err();
    assert_eq!(failure.code(), "other", "{failure}");
    assert!(client.is_handshaking());
    assert_eq!(client.report(), None);
    assert_eq!(client.peer_chain(), [leaf], "the evidence is kept");
}

/// Each bad certificate: the handshake still succeeds, and the verdict names the problem(s).
fn bad_certificate(pki: &Pki, chain: &[Vec<u8>], key: &KeyPair) -> Verification {
    let (client, _server) = connect(&host(), chain, key, &[&TLS13]);
    assert!(client.report().is_some());
    verify_with_test_root(pki, &host(), &client.peer_chain())
}

#[test]
fn an_expired_certificate_is_recorded_not_refused() {
    let pki = Pki::new();
    let (leaf, key) = pki.leaf(Leaf {
        until: (2026, 1, 1),
        ..Leaf::default()
    });
    assert_eq!(
        bad_certificate(&pki, &[leaf, pki.intermediate_der()], &key),
        failed(vec![CertificateProblem::Expired {
            not_after_unix: JAN_2026
        }])
    );
}

#[test]
fn a_certificate_not_yet_valid_is_recorded_not_refused() {
    let pki = Pki::new();
    let (leaf, key) = pki.leaf(Leaf {
        from: (2027, 1, 1),
        ..Leaf::default()
    });
    assert_eq!(
        bad_certificate(&pki, &[leaf, pki.intermediate_der()], &key),
        failed(vec![CertificateProblem::NotYetValid {
            not_before_unix: JAN_2027
        }])
    );
}

#[test]
fn a_certificate_for_another_name_is_recorded_not_refused() {
    let pki = Pki::new();
    let (leaf, key) = pki.leaf(Leaf {
        names: &["www.other.test", "other.test"],
        ..Leaf::default()
    });
    assert_eq!(
        bad_certificate(&pki, &[leaf, pki.intermediate_der()], &key),
        failed(vec![CertificateProblem::NameMismatch {
            expected: MAIL.to_owned(),
            presented: vec!["www.other.test".to_owned(), "other.test".to_owned()],
        }])
    );
}

#[test]
fn a_self_signed_certificate_is_recorded_not_refused() {
    let pki = Pki::new();
    let (leaf, key) = pki.leaf(Leaf {
        self_signed: true,
        ..Leaf::default()
    });
    let verification = bad_certificate(&pki, std::slice::from_ref(&leaf), &key);
    assert_eq!(verification, failed(vec![CertificateProblem::SelfSigned]));
    assert!(summarize(&leaf).unwrap().self_signed);
    // The same against the public roots.
    assert_eq!(verify_chain(&[leaf], &host(), NOW), verification);
}

#[test]
fn a_self_signed_certificate_marked_as_a_ca_is_still_self_signed() {
    // `openssl req -x509` sets CA:TRUE; webpki then says "CA used as end entity".
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec![MAIL.to_owned()]).unwrap();
    params.distinguished_name = dn(MAIL);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).unwrap().der().to_vec();
    assert_eq!(
        verify_chain(&[cert], &host(), NOW),
        failed(vec![CertificateProblem::SelfSigned])
    );
}

#[test]
fn a_session_can_move_between_threads() {
    fn check<T: Send + Sync>() {}
    check::<TlsSession>();
}

#[test]
fn a_chain_without_its_intermediate_is_incomplete() {
    let pki = Pki::new();
    let (leaf, key) = pki.leaf(Leaf::default());
    assert_eq!(
        bad_certificate(&pki, &[leaf], &key),
        failed(vec![CertificateProblem::IncompleteChain {
            missing_issuer: INTERMEDIATE.to_owned()
        }])
    );
}

#[test]
fn a_chain_ending_at_an_untrusted_root_names_that_root() {
    let pki = Pki::new();
    let (leaf, key) = pki.leaf(Leaf::default());
    let chain = vec![leaf, pki.intermediate_der(), pki.root_der()];
    let (client, _server) = connect(&host(), &chain, &key, &[&TLS13]);
    assert_eq!(
        client.report().unwrap().verification,
        failed(vec![CertificateProblem::UnknownIssuer {
            issuer: ROOT.to_owned()
        }])
    );
    assert_eq!(
        verify_with_test_root(&pki, &host(), &chain),
        Verification::Verified
    );
}

#[test]
fn path_and_name_problems_are_reported_together() {
    let pki = Pki::new();
    let (leaf, key) = pki.leaf(Leaf {
        names: &["www.other.test"],
        until: (2026, 1, 1),
        ..Leaf::default()
    });
    assert_eq!(
        bad_certificate(&pki, std::slice::from_ref(&leaf), &key),
        failed(vec![
            CertificateProblem::Expired {
                not_after_unix: JAN_2026
            },
            CertificateProblem::IncompleteChain {
                missing_issuer: INTERMEDIATE.to_owned()
            },
            CertificateProblem::NameMismatch {
                expected: MAIL.to_owned(),
                presented: vec!["www.other.test".to_owned()],
            },
        ])
    );
}

#[test]
fn no_certificate_or_an_undecodable_one_is_a_problem_not_a_panic() {
    let none: [Vec<u8>; 0] = [];
    assert_eq!(
        verify_chain(&none, &host(), NOW),
        failed(vec![CertificateProblem::NoCertificate])
    );
    for garbage in [vec![], vec![0x30, 0x00], b"not a certificate".to_vec()] {
        let verification = verify_chain(&[garbage], &host(), NOW);
        assert!(
            matches!(verification.problems(), [CertificateProblem::Other { .. }]),
            "{verification:?}"
        );
    }
}

/// The bytes of a TLS alert record: fatal, with the given description.
fn alert_record(description: u8) -> Vec<u8> {
    vec![0x15, 0x03, 0x03, 0x00, 0x02, 0x02, description]
}

#[test]
fn a_server_alert_is_reported_by_name() {
    for (code, name) in [(40, "handshake_failure"), (70, "protocol_version")] {
        let mut client = TlsSession::new(&host(), NOW).unwrap();
        assert!(!client.take_ciphertext().is_empty(), "ClientHello");
        let failure = client.receive(&alert_record(code)).unwrap_err();
        assert_eq!(
            failure,
            TlsFailure::AlertReceived {
                alert: name.to_owned()
            }
        );
        assert_eq!(client.receive(b"more").unwrap_err(), failure, "sticky");
        assert_eq!(client.failure(), Some(&failure));
        assert_eq!(client.report(), None);
    }
}

#[test]
fn a_server_that_only_speaks_tls_1_0_is_incompatible() {
    let mut client = TlsSession::new(&host(), NOW).unwrap();
    client.take_ciphertext();
    // ServerHello { legacy_version 3.1, random, no session id, ECDHE_RSA_AES128_GCM, null }.
    let mut hello = vec![0x02, 0x00, 0x00, 0x26, 0x03, 0x01];
    hello.extend([7u8; 32]);
    hello.extend([0x00, 0xc0, 0x2f, 0x00]);
    let mut record = vec![0x16, 0x03, 0x01, 0x00, hello.len() as u8];
    record.extend(hello);
    let failure = client.receive(&record).unwrap_err();
    assert!(
        matches!(failure, TlsFailure::Incompatible { .. }),
        "{failure:?}"
    );
    assert!(!client.take_ciphertext().is_empty(), "our alert goes out");
}

#[test]
fn a_plaintext_greeting_means_the_port_expects_starttls() {
    let mut client = TlsSession::new(&host(), NOW).unwrap();
    client.take_ciphertext();
    let failure = client.receive(b"220 mail ESMTP\r\n").unwrap_err();
    assert_eq!(
        failure,
        TlsFailure::PlaintextReply {
            excerpt: "220 mail ESMTP".to_owned()
        }
    );
    assert_eq!(failure.code(), "plaintext_reply");
}

#[test]
fn garbage_from_the_server_is_a_failure_never_a_panic() {
    // A small deterministic generator: the same bytes on every run.
    let mut state: u32 = 0x5eed;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    for round in 0..300 {
        let mut client = TlsSession::new(&host(), NOW).unwrap();
        client.take_ciphertext();
        let len = 1 + (next() % 600) as usize;
        let mut bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        if round % 2 == 0 {
            // Half of them look like a TLS record header, to get past the first check.
            bytes.splice(0..0, [0x16, 0x03, 0x03, (len >> 8) as u8, len as u8]);
        }
        let mut outcome = Ok(());
        for chunk in bytes.chunks(1 + round % 50) {
            outcome = client.receive(chunk);
            if outcome.is_err() {
                break;
            }
        }
        if let Err(failure) = outcome {
            assert!(!failure.to_string().is_empty());
            assert_eq!(client.failure(), Some(&failure));
        }
        client.take_ciphertext();
        assert_eq!(client.report(), None);
    }
    let mut client = TlsSession::new(&host(), NOW).unwrap();
    client.take_ciphertext();
    assert!(matches!(
        client.receive(&[0x00, 0xff, 0xfe, 0x80]),
        Err(TlsFailure::NotTls { .. })
    ));
}
