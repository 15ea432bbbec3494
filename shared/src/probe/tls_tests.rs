//! The whole dialogue against an in-memory SMTP server that really speaks TLS (rustls server
//! side, certificates made here by rcgen): STARTTLS, TLS from the first byte, AUTH PLAIN and
//! LOGIN with right and wrong passwords, and a certificate nothing trusts.

use std::io::{Read, Write};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use rustls::crypto::ring::default_provider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::{ServerConfig, ServerConnection};

use super::*;
use crate::smtp::base64;
use crate::target::{MailPort, Security};
use crate::wire::{AuthSkipped, Direction};

const MAIL: &str = "mail.sendcheck.test";
const USER: &str = "taro@sendcheck.test";
const PASSWORD: &str = "correct horse battery staple";

struct Pki {
    root_der: Vec<u8>,
    server: Arc<ServerConfig>,
}

fn pki() -> Pki {
    let mut ca = CertificateParams::default();
    ca.distinguished_name
        .push(DnType::CommonName, "sendcheck probe-test CA");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign];
    let root = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let mut leaf = CertificateParams::new(vec![MAIL.to_owned()]).unwrap();
    leaf.distinguished_name.push(DnType::CommonName, MAIL);
    let leaf = leaf.signed_by(&leaf_key, &root).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let server = ServerConfig::builder_with_provider(Arc::new(default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![CertificateDer::from(leaf.der().to_vec())], key)
        .unwrap();
    Pki {
        root_der: root.der().to_vec(),
        server: Arc::new(server),
    }
}

/// A small submission server: STARTTLS on the plain port, AUTH only inside TLS (as Postfix
/// is usually configured), PLAIN and LOGIN against one password.
struct Server {
    config: Arc<ServerConfig>,
    implicit: bool,
    offer_starttls: bool,
    login_only: bool,
    cram_only: bool,
    tls: Option<ServerConnection>,
    inbox: Vec<u8>,
    out: Vec<u8>,
    /// Every line the server received, secrets included: what crossed the wire.
    lines: Vec<String>,
    login: Option<u8>,
    cram_challenge: Option<String>,
    /// A chatty server: its login answers quote the user name and what was sent.
    quotes_login: bool,
}

impl Server {
    fn new(config: Arc<ServerConfig>, implicit: bool) -> Self {
        Self {
            config,
            implicit,
            offer_starttls: true,
            login_only: false,
            cram_only: false,
            tls: None,
            inbox: Vec::new(),
            out: Vec::new(),
            lines: Vec::new(),
            login: None,
            cram_challenge: None,
            quotes_login: false,
        }
    }

    fn connected(&mut self) {
        if self.implicit {
            self.tls = Some(ServerConnection::new(self.config.clone()).unwrap());
        } else {
            self.reply("220 mail.sendcheck.test ESMTP test");
        }
    }

    fn receive(&mut self, bytes: &[u8]) {
        let Some(tls) = self.tls.as_mut() else {
            self.inbox.extend_from_slice(bytes);
            return self.handle_lines();
        };
        let was_handshaking = tls.is_handshaking();
        tls.read_tls(&mut &bytes[..]).unwrap();
        tls.process_new_packets().unwrap();
        let mut plain = Vec::new();
        let _ = tls.reader().read_to_end(&mut plain);
        if was_handshaking && !tls.is_handshaking() && self.implicit && self.lines.is_empty() {
            self.reply("220 mail.sendcheck.test ESMTP test (TLS)");
        }
        self.inbox.extend(plain);
        self.handle_lines();
    }

    fn handle_lines(&mut self) {
        while let Some(end) = self.inbox.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.inbox.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line).trim_end().to_owned();
            self.lines.push(line.clone());
            self.answer(&line);
        }
    }

    fn answer(&mut self, line: &str) {
        let upper = line.to_ascii_uppercase();
        if let Some(challenge) = self.cram_challenge.take() {
            let expected = crate::smtp::cram_md5_response(USER, PASSWORD, &challenge);
            return if expected.as_deref() == Some(line) {
                self.reply("235 2.7.0 Authentication successful")
            } else {
                self.reply("535 5.7.8 Error: authentication failed")
            };
        }
        if let Some(stage) = self.login {
            let expected = if stage == 0 { USER } else { PASSWORD };
            if line != base64(expected.as_bytes()) {
                self.login = None;
                return self.reply("535 5.7.8 Error: authentication failed");
            }
            self.login = (stage == 0).then_some(1);
            return match stage {
                0 => self.reply("334 UGFzc3dvcmQ6"),
                _ => self.reply("235 2.7.0 Authentication successful"),
            };
        }
        let in_tls = self.tls.is_some();
        match upper.split(' ').next().unwrap_or_default() {
            "EHLO" if in_tls && self.cram_only => {
                self.reply("250-mail.sendcheck.test\r\n250 AUTH CRAM-MD5 XOAUTH2")
            }
            "AUTH" if upper == "AUTH CRAM-MD5" => {
                let challenge = base64(b"<1896.697170952@mail.sendcheck.test>");
                self.reply(&format!("334 {challenge}"));
                self.cram_challenge = Some(challenge);
            }
            "EHLO" if in_tls && self.login_only => {
                self.reply("250-mail.sendcheck.test\r\n250 AUTH LOGIN")
            }
            "EHLO" if in_tls => {
                self.reply("250-mail.sendcheck.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME")
            }
            "EHLO" if self.offer_starttls => {
                self.reply("250-mail.sendcheck.test\r\n250-PIPELINING\r\n250 STARTTLS")
            }
            "EHLO" => self.reply("250-mail.sendcheck.test\r\n250 PIPELINING"),
            "STARTTLS" => {
                self.reply("220 2.0.0 Ready to start TLS");
                self.tls = Some(ServerConnection::new(self.config.clone()).unwrap());
            }
            "AUTH" if upper.starts_with("AUTH PLAIN ") && self.quotes_login => {
                let sent = &line[11..];
                let expected = base64(format!("\0{USER}\0{PASSWORD}").as_bytes());
                if sent == expected {
                    self.reply(&format!("235 2.7.0 {USER} logged in with {PASSWORD}"));
                } else {
                    self.reply(&format!("535 5.7.8 {USER}: {sent} is not right"));
                }
            }
            "AUTH" if upper.starts_with("AUTH PLAIN ") => {
                let expected = base64(format!("\0{USER}\0{PASSWORD}").as_bytes());
                if line[11..] == expected {
                    self.reply("235 2.7.0 Authentication successful");
                } else {
                    self.reply("535 5.7.8 Error: authentication failed");
                }
            }
            "AUTH" if upper == "AUTH LOGIN" => {
                self.login = Some(0);
                self.reply("334 VXNlcm5hbWU6");
            }
            "QUIT" => self.reply("221 2.0.0 Bye"),
            _ => self.reply("502 5.5.2 Error: command not recognized"),
        }
    }

    fn reply(&mut self, text: &str) {
        let bytes = format!("{text}\r\n").into_bytes();
        // STARTTLS's 220 goes out in clear, before the handshake starts.
        match self.tls.as_mut() {
            Some(tls) if !tls.is_handshaking() => {
                tls.writer().write_all(&bytes).unwrap();
            }
            _ => self.out.extend(bytes),
        }
    }

    fn take(&mut self) -> Vec<u8> {
        let mut out = std::mem::take(&mut self.out);
        if let Some(tls) = self.tls.as_mut() {
            while tls.wants_write() {
                tls.write_tls(&mut out).unwrap();
            }
        }
        out
    }
}

fn probe_with(
    server: &mut Server,
    security: Security,
    credentials: Option<(&str, &str)>,
    trust: TrustAnchors,
) -> ProbeReport {
    probe_sharing(
        server,
        security,
        credentials,
        trust,
        &VerificationCache::default(),
    )
}

fn probe_sharing(
    server: &mut Server,
    security: Security,
    credentials: Option<(&str, &str)>,
    trust: TrustAnchors,
    verifications: &VerificationCache,
) -> ProbeReport {
    let target = ProbeTarget {
        host: Host::parse(MAIL).unwrap(),
        port: if security == Security::Tls {
            MailPort::SUBMISSIONS
        } else {
            MailPort::SUBMISSION
        },
        security,
    };
    let mut config = ProbeConfig::new(Hostname::parse("sendcheck.invalid").unwrap());
    config.trust = trust;
    config.verifications = verifications.clone();
    probe_configured(server, target, credentials, config)
}

fn probe_configured(
    server: &mut Server,
    target: ProbeTarget,
    credentials: Option<(&str, &str)>,
    config: ProbeConfig,
) -> ProbeReport {
    let credentials = credentials.map(|(u, p)| Credentials::new(u.into(), p.into()));
    let mut now = Millis(0);
    let mut probe = Probe::new(target, credentials, config, now, 1_780_000_000_000);
    for _ in 0..200 {
        now = now.plus(1);
        match probe.next_action() {
            Action::Resolve { .. } => probe.on_resolved(Ok("192.0.2.25".parse().unwrap()), now),
            Action::Connect { .. } => {
                probe.on_connected(now);
                server.connected();
            }
            Action::Send(bytes) => server.receive(&bytes),
            Action::Receive { deadline } => {
                let bytes = server.take();
                if bytes.is_empty() {
                    probe.on_timeout(deadline);
                } else {
                    probe.on_received(&bytes, now);
                }
            }
            Action::Close => return probe.into_report(now),
        }
    }
    panic!("the probe did not finish");
}

fn steps(report: &ProbeReport) -> Vec<&'static str> {
    report.steps.iter().map(|s| s.step.name()).collect()
}

#[test]
fn starttls_then_auth_plain_accepted() {
    let pki = pki();
    let mut server = Server::new(pki.server.clone(), false);
    let trust = TrustAnchors::Only(vec![pki.root_der.clone()]);
    let report = probe_with(
        &mut server,
        Security::Starttls,
        Some((USER, PASSWORD)),
        trust,
    );
    assert_eq!(report.outcome.kind, OutcomeKind::Completed, "{report:#?}");
    assert_eq!(
        steps(&report),
        [
            "resolve",
            "connect",
            "greeting",
            "ehlo",
            "start_tls",
            "tls_handshake",
            "ehlo_after_tls",
            "auth",
            "quit"
        ]
    );
    let tls = report.tls.as_ref().unwrap();
    assert!(tls.verification.is_verified());
    assert_eq!(tls.chain[0].subject, format!("CN={MAIL}"));
    let auth = report.auth.as_ref().unwrap();
    assert!(auth.offered_before_tls.is_empty(), "AUTH only inside TLS");
    assert_eq!(
        auth.offered_after_tls.as_deref(),
        Some(&["PLAIN".to_owned(), "LOGIN".to_owned()][..])
    );
    let attempt = auth.attempt.as_ref().unwrap();
    assert!(attempt.accepted);
    assert_eq!(
        (attempt.mechanism.as_str(), attempt.reply.code.get()),
        ("PLAIN", 235)
    );
    // The password crossed the wire (encrypted) and appears nowhere in the report.
    assert!(server
        .lines
        .iter()
        .any(|l| l.starts_with("AUTH PLAIN ") && l.len() > 20));
    let json = serde_json::to_string(&report).unwrap();
    assert!(!json.contains(&base64(format!("\0{USER}\0{PASSWORD}").as_bytes())));
    assert!(!json.contains(PASSWORD));
    assert!(report
        .transcript
        .iter()
        .any(|l| l.text == "AUTH PLAIN <redacted>"));
    assert!(report
        .transcript
        .iter()
        .any(|l| l.direction == Direction::Note && l.text.starts_with("TLS established")));
    // A TLS 1.3 handshake is one round trip.
    let handshake = report
        .steps
        .iter()
        .find(|s| s.step == Step::TlsHandshake)
        .unwrap();
    assert_eq!(handshake.round_trips, 1);
}

#[test]
fn wrong_password_is_auth_rejected_with_the_servers_words() {
    let pki = pki();
    let mut server = Server::new(pki.server.clone(), false);
    let trust = TrustAnchors::Only(vec![pki.root_der.clone()]);
    let report = probe_with(
        &mut server,
        Security::Starttls,
        Some((USER, "hunter2")),
        trust,
    );
    match &report.outcome.kind {
        OutcomeKind::AuthRejected { reply } => {
            assert_eq!(reply.code.get(), 535);
            assert_eq!(
                reply.enhanced.map(|e| e.to_string()).as_deref(),
                Some("5.7.8")
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(report.outcome.step, Step::Auth);
    assert!(!serde_json::to_string(&report).unwrap().contains("hunter2"));
}

#[test]
fn a_server_quoting_the_login_back_has_it_taken_out_of_the_report() {
    let pki = pki();
    for (password, accepted) in [(PASSWORD, true), ("hunter2-wrong", false)] {
        let mut server = Server::new(pki.server.clone(), false);
        server.quotes_login = true;
        let trust = TrustAnchors::Only(vec![pki.root_der.clone()]);
        let report = probe_with(
            &mut server,
            Security::Starttls,
            Some((USER, password)),
            trust,
        );
        let sent = base64(format!("\0{USER}\0{password}").as_bytes());
        // The server did quote them (what crossed the wire inside TLS)…
        assert!(server.lines.iter().any(|l| l.contains(&sent)));
        // …and neither the transcript nor the outcome nor anything else in the report has them.
        let json = serde_json::to_string(&report).unwrap();
        for secret in [USER, password, sent.as_str()] {
            assert!(!json.contains(secret), "{secret} in {json}");
        }
        let said: Vec<_> = report
            .transcript
            .iter()
            .filter(|l| l.direction == crate::wire::Direction::Server)
            .map(|l| l.text.as_str())
            .collect();
        let answer = if accepted {
            "235 2.7.0 <username> logged in with <redacted>"
        } else {
            "535 5.7.8 <username>: <redacted> is not right"
        };
        assert!(said.contains(&answer), "{said:?}");
        assert_eq!(
            report.outcome.kind == OutcomeKind::Completed,
            accepted,
            "{:?}",
            report.outcome
        );
        if let OutcomeKind::AuthRejected { reply } = &report.outcome.kind {
            assert_eq!(reply.text(), "5.7.8 <username>: <redacted> is not right");
        }
        // Before the login the server's words are as it said them.
        assert!(said.iter().any(|l| l.contains(MAIL)), "{said:?}");
    }
}

#[test]
fn implicit_tls_greets_inside_tls_and_never_sends_starttls() {
    let pki = pki();
    let mut server = Server::new(pki.server.clone(), true);
    let trust = TrustAnchors::Only(vec![pki.root_der.clone()]);
    let report = probe_with(&mut server, Security::Tls, Some((USER, PASSWORD)), trust);
    assert_eq!(report.outcome.kind, OutcomeKind::Completed, "{report:#?}");
    assert_eq!(
        steps(&report),
        [
            "resolve",
            "connect",
            "tls_handshake",
            "greeting",
            "ehlo_after_tls",
            "auth",
            "quit"
        ]
    );
    assert_eq!(
        report.greeting.as_ref().unwrap().lines[0],
        "mail.sendcheck.test ESMTP test (TLS)"
    );
    assert!(server
        .lines
        .iter()
        .all(|l| !l.eq_ignore_ascii_case("STARTTLS")));
    assert!(
        report.capabilities.is_none(),
        "nothing was said outside TLS"
    );
    let greeting = report
        .steps
        .iter()
        .find(|s| s.step == Step::Greeting)
        .unwrap();
    assert_eq!(greeting.round_trips, 0, "the server speaks first");
}

#[test]
fn auth_login_sends_username_and_password_as_redacted_lines() {
    let pki = pki();
    let mut server = Server::new(pki.server.clone(), false);
    server.login_only = true;
    let trust = TrustAnchors::Only(vec![pki.root_der.clone()]);
    let report = probe_with(
        &mut server,
        Security::Starttls,
        Some((USER, PASSWORD)),
        trust,
    );
    assert_eq!(report.outcome.kind, OutcomeKind::Completed, "{report:#?}");
    let redacted = report
        .transcript
        .iter()
        .filter(|l| l.direction == Direction::Client && l.text == "<redacted>")
        .count();
    assert_eq!(redacted, 2, "{:#?}", report.transcript);
    let auth = report.steps.iter().find(|s| s.step == Step::Auth).unwrap();
    assert_eq!(auth.round_trips, 3);
    assert_eq!(report.auth.unwrap().attempt.unwrap().mechanism, "LOGIN");
    assert!(server.lines.contains(&base64(PASSWORD.as_bytes())));
}

#[test]
fn an_untrusted_certificate_is_recorded_and_no_password_is_sent() {
    let pki = pki();
    let mut server = Server::new(pki.server.clone(), false);
    let report = probe_with(
        &mut server,
        Security::Starttls,
        Some((USER, PASSWORD)),
        TrustAnchors::PublicRoots,
    );
    match &report.outcome.kind {
        OutcomeKind::CertificateUntrusted { problems } => assert!(!problems.is_empty()),
        other => panic!("{other:?}"),
    }
    let auth = report.auth.as_ref().unwrap();
    assert_eq!(auth.skipped, Some(AuthSkipped::CertificateUntrusted));
    assert_eq!(
        auth.offered_after_tls.as_ref().map(Vec::len),
        Some(2),
        "mechanisms still learned"
    );
    assert!(server
        .lines
        .iter()
        .all(|l| !l.to_ascii_uppercase().starts_with("AUTH")));
}

#[test]
fn no_starttls_offered_is_named_and_nothing_secret_is_sent() {
    let pki = pki();
    let mut server = Server::new(pki.server.clone(), false);
    server.offer_starttls = false;
    let report = probe_with(
        &mut server,
        Security::Starttls,
        Some((USER, PASSWORD)),
        TrustAnchors::PublicRoots,
    );
    assert_eq!(report.outcome.kind, OutcomeKind::StartTlsNotOffered);
    assert_eq!(report.outcome.step, Step::Ehlo);
    let skipped = report.auth.as_ref().and_then(|a| a.skipped);
    assert_eq!(skipped, Some(AuthSkipped::CleartextRefused));
    assert_eq!(server.lines, ["EHLO sendcheck.invalid", "QUIT"]);
}

#[test]
fn plaintext_server_on_the_tls_port_is_a_wrong_pairing() {
    let pki = pki();
    // A plain server where the client expects TLS from the first byte.
    let mut server = Server::new(pki.server.clone(), false);
    let report = probe_with(&mut server, Security::Tls, None, TrustAnchors::PublicRoots);
    match &report.outcome.kind {
        OutcomeKind::PlaintextInsteadOfTls { excerpt } => assert!(excerpt.contains("220")),
        other => panic!("{other:?}"),
    }
    assert_eq!(report.outcome.step, Step::TlsHandshake);
}

#[test]
fn without_credentials_the_mechanisms_are_reported_and_the_probe_completes() {
    let pki = pki();
    let mut server = Server::new(pki.server.clone(), false);
    let trust = TrustAnchors::Only(vec![pki.root_der.clone()]);
    let report = probe_with(&mut server, Security::Starttls, None, trust);
    assert_eq!(report.outcome.kind, OutcomeKind::Completed);
    let auth = report.auth.unwrap();
    assert_eq!(auth.skipped, Some(AuthSkipped::NoCredentials));
    assert!(auth.attempt.is_none());
    assert!(server.lines.iter().all(|l| !l.starts_with("AUTH")));
}

#[test]
fn a_port_whose_login_goes_elsewhere_stops_where_it_would_send_the_password() {
    let pki = pki();
    let mut server = Server::new(pki.server.clone(), false);
    let mut config = ProbeConfig::new(Hostname::parse("sendcheck.invalid").unwrap());
    config.trust = TrustAnchors::Only(vec![pki.root_der.clone()]);
    config.login_elsewhere = true;
    let target = ProbeTarget {
        host: Host::parse(MAIL).unwrap(),
        port: MailPort::SUBMISSION,
        security: Security::Starttls,
    };
    let report = probe_configured(&mut server, target, Some(("taro", "hunter2")), config);
    assert_eq!(report.outcome.kind, OutcomeKind::Completed);
    let auth = report.auth.unwrap();
    assert_eq!(auth.skipped, Some(AuthSkipped::TriedOnAnotherPort));
    assert!(auth.offered_after_tls.is_some_and(|m| !m.is_empty()));
    assert!(auth.attempt.is_none());
    assert!(server.lines.iter().all(|l| !l.starts_with("AUTH")));
}

#[test]
fn ports_of_one_check_verify_a_shared_chain_once() {
    let pki = pki();
    let trust = TrustAnchors::Only(vec![pki.root_der.clone()]);
    let cache = VerificationCache::default();
    let mut starttls = Server::new(pki.server.clone(), false);
    let mut implicit = Server::new(pki.server.clone(), true);
    let first = probe_sharing(
        &mut starttls,
        Security::Starttls,
        None,
        trust.clone(),
        &cache,
    );
    let second = probe_sharing(&mut implicit, Security::Tls, None, trust, &cache);
    assert_eq!(cache.verifications(), 1);
    assert_eq!(
        first.tls.unwrap().verification,
        second.tls.unwrap().verification
    );
}

#[test]
fn cram_md5_where_it_is_the_only_mechanism_offered() {
    let pki = pki();
    let mut server = Server::new(pki.server.clone(), false);
    server.cram_only = true;
    let trust = TrustAnchors::Only(vec![pki.root_der.clone()]);
    let report = probe_with(
        &mut server,
        Security::Starttls,
        Some((USER, PASSWORD)),
        trust.clone(),
    );
    assert_eq!(report.outcome.kind, OutcomeKind::Completed, "{report:#?}");
    assert_eq!(
        report
            .auth
            .as_ref()
            .unwrap()
            .attempt
            .as_ref()
            .unwrap()
            .mechanism,
        "CRAM-MD5"
    );
    assert!(report.transcript.iter().any(|l| l.text == "AUTH CRAM-MD5"));
    assert!(!serde_json::to_string(&report).unwrap().contains(USER));

    let mut server = Server::new(pki.server.clone(), false);
    server.cram_only = true;
    let report = probe_with(
        &mut server,
        Security::Starttls,
        Some((USER, "wrong")),
        trust,
    );
    assert_eq!(report.outcome.kind.name(), "auth_rejected");
}

/// One STARTTLS probe, recording each write: did it end the server's handshake, which lines
/// did it carry, and how many times had the server's bytes been delivered before it.
fn writes_of(
    server: &mut Server,
    root_der: Vec<u8>,
) -> (ProbeReport, Vec<(bool, Vec<String>, usize)>) {
    let target = ProbeTarget {
        host: Host::parse(MAIL).unwrap(),
        port: MailPort::SUBMISSION,
        security: Security::Starttls,
    };
    let mut config = ProbeConfig::new(Hostname::parse("sendcheck.invalid").unwrap());
    config.trust = TrustAnchors::Only(vec![root_der]);
    let mut now = Millis(0);
    let mut probe = Probe::new(target, None, config, now, 1_780_000_000_000);
    let (mut writes, mut deliveries) = (Vec::new(), 0);
    for _ in 0..200 {
        now = now.plus(1);
        match probe.next_action() {
            Action::Resolve { .. } => probe.on_resolved(Ok("192.0.2.25".parse().unwrap()), now),
            Action::Connect { .. } => {
                probe.on_connected(now);
                server.connected();
            }
            Action::Send(bytes) => {
                let handshaking = server.tls.as_ref().is_some_and(|t| t.is_handshaking());
                let seen = server.lines.len();
                server.receive(&bytes);
                let ended = handshaking && server.tls.as_ref().is_some_and(|t| !t.is_handshaking());
                writes.push((ended, server.lines[seen..].to_vec(), deliveries));
            }
            Action::Receive { deadline } => {
                let bytes = server.take();
                if bytes.is_empty() {
                    now = now.max(deadline);
                    probe.on_timeout(now);
                } else {
                    deliveries += 1;
                    probe.on_received(&bytes, now);
                }
            }
            Action::Close => break,
        }
    }
    (probe.into_report(now), writes)
}

/// Our TLS Finished leaves alone and the EHLO inside TLS only after the server's session
/// tickets arrived: sent with the Finished, Postfix holds the EHLO reply under Nagle until
/// the tickets are acknowledged (~40 ms of delayed ACK at short round trips; BENCHMARKS.md).
#[test]
fn the_first_command_inside_tls_waits_for_the_session_tickets() {
    let pki = pki();
    let mut server = Server::new(pki.server.clone(), false);
    let (report, writes) = writes_of(&mut server, pki.root_der.clone());
    assert_eq!(report.outcome.kind, OutcomeKind::Completed, "{report:#?}");
    let finished = writes.iter().position(|(ended, ..)| *ended).unwrap();
    assert_eq!(writes[finished].1, Vec::<String>::new(), "{writes:?}");
    let (_, lines, delivered) = &writes[finished + 1];
    assert_eq!(lines, &["EHLO sendcheck.invalid"], "{writes:?}");
    assert_eq!(
        *delivered,
        writes[finished].2 + 1,
        "the tickets came in between: {writes:?}"
    );
    // Two round trips, both real: our Finished for the tickets, then EHLO for its reply.
    let ehlo = report
        .steps
        .iter()
        .find(|s| s.step == Step::EhloAfterTls)
        .unwrap();
    assert_eq!(ehlo.round_trips, 2, "{report:#?}");
}

/// A server that sends no tickets gets the EHLO after a short wait, and the probe goes on.
#[test]
fn a_server_without_session_tickets_gets_the_command_after_a_short_wait() {
    let pki = pki();
    let mut config = (*pki.server).clone();
    config.send_tls13_tickets = 0;
    let mut server = Server::new(Arc::new(config), false);
    let (report, writes) = writes_of(&mut server, pki.root_der.clone());
    assert_eq!(report.outcome.kind, OutcomeKind::Completed, "{report:#?}");
    let finished = writes.iter().position(|(ended, ..)| *ended).unwrap();
    assert_eq!(
        writes[finished + 1].1,
        ["EHLO sendcheck.invalid"],
        "{writes:?}"
    );
    let ehlo = report
        .steps
        .iter()
        .find(|s| s.step == Step::EhloAfterTls)
        .unwrap();
    assert!(ehlo.duration_ms <= TICKET_WAIT_MAX_MS + 2, "{report:#?}");
    assert_eq!(ehlo.status, StepStatus::Ok);
}

/// `./dev serve`: a lab CA beside the public roots verifies the lab's certificate, while the
/// public roots alone call it untrusted.
#[test]
fn public_roots_with_a_lab_ca_beside_them_verify_the_lab() {
    let pki = pki();
    let mut server = Server::new(pki.server.clone(), false);
    let trust = TrustAnchors::PublicAnd(vec![pki.root_der.clone()]);
    let report = probe_with(&mut server, Security::Starttls, None, trust);
    assert_eq!(report.outcome.kind, OutcomeKind::Completed);
    assert!(report.tls.unwrap().verification.is_verified());
    let mut server = Server::new(pki.server.clone(), false);
    let report = probe_with(
        &mut server,
        Security::Starttls,
        None,
        TrustAnchors::PublicRoots,
    );
    assert!(matches!(
        report.outcome.kind,
        OutcomeKind::CertificateUntrusted { .. }
    ));
}
