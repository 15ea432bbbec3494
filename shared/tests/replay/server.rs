//! A scripted SMTP server that really speaks TLS (rustls server side, in memory, with a CA made
//! here by rcgen), and the loop that pumps the engine against it on a simulated clock.
//!
//! ```text
//!  Script (one reply per step) ──▶ ScriptedServer ◀── bytes ──▶ Probe (sendcheck)
//!                                   plain │ rustls                │ next_action / on_*
//!                                         ▼                       ▼
//!                                  lines the probe sent     ProbeReport
//! ```
//!
//! The server answers by command, not by position, so the engine's real choices (HELO after a
//! refused EHLO, which AUTH mechanism, QUIT after a refusal) meet the reply a real server
//! would give at that point.

use std::io::{Read, Write};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use rustls::crypto::ring::default_provider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::{ServerConfig, ServerConnection};
use sendcheck::probe::{Action, Millis, Probe, ProbeConfig, TrustAnchors};
use sendcheck::smtp::Credentials;
use sendcheck::target::{Host, Hostname, MailPort, ProbeTarget, Security};
use sendcheck::wire::ProbeReport;

/// The name the test certificate is issued for and the probe connects to.
pub const MAIL_HOST: &str = "mail.sendcheck.test";
/// A documentation address (RFC 5737): the name "resolves" to it in the simulated run.
const MAIL_ADDRESS: &str = "192.0.2.25";
/// The test login. The scripted server never checks it: the entry decides the verdict.
pub const USER: &str = "taro@sendcheck.test";
const PASSWORD: &str = "correct horse battery staple";

/// A private CA and a server certificate it signed, made once per test run.
pub struct Pki {
    pub root_der: Vec<u8>,
    pub server: Arc<ServerConfig>,
}

impl Pki {
    pub fn new() -> Self {
        let mut ca = CertificateParams::default();
        ca.distinguished_name
            .push(DnType::CommonName, "sendcheck replay-test CA");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign];
        let root = CertifiedIssuer::self_signed(ca, KeyPair::generate().expect("CA key"))
            .expect("CA certificate");
        let leaf_key = KeyPair::generate().expect("leaf key");
        let mut leaf = CertificateParams::new(vec![MAIL_HOST.to_owned()]).expect("leaf params");
        leaf.distinguished_name.push(DnType::CommonName, MAIL_HOST);
        let leaf = leaf.signed_by(&leaf_key, &root).expect("leaf certificate");
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
        let server = ServerConfig::builder_with_provider(Arc::new(default_provider()))
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .with_no_client_auth()
            .with_single_cert(vec![CertificateDer::from(leaf.der().to_vec())], key)
            .expect("server config");
        Self {
            root_der: root.der().to_vec(),
            server: Arc::new(server),
        }
    }
}

/// What the server answers, one reply (lines as sent, without CRLF) per point of the dialogue.
#[derive(Debug, Clone)]
pub struct Script {
    pub greeting: Vec<String>,
    pub ehlo: Vec<String>,
    pub helo: Vec<String>,
    pub starttls: Vec<String>,
    pub ehlo_after_tls: Vec<String>,
    /// The replies to `AUTH …` and to each line the client sends after it, in order.
    pub auth: Vec<Vec<String>>,
    pub quit: Vec<String>,
}

fn lines(text: &[&str]) -> Vec<String> {
    text.iter().map(|l| (*l).to_owned()).collect()
}

impl Script {
    /// A healthy Postfix-like submission server: STARTTLS, then AUTH PLAIN LOGIN inside TLS.
    pub fn healthy() -> Self {
        Self {
            greeting: lines(&["220 mail.sendcheck.test ESMTP Postfix"]),
            ehlo: lines(&[
                "250-mail.sendcheck.test",
                "250-PIPELINING",
                "250-SIZE 10240000",
                "250-STARTTLS",
                "250-ENHANCEDSTATUSCODES",
                "250 8BITMIME",
            ]),
            helo: lines(&["250 mail.sendcheck.test"]),
            starttls: lines(&["220 2.0.0 Ready to start TLS"]),
            ehlo_after_tls: lines(&[
                "250-mail.sendcheck.test",
                "250-PIPELINING",
                "250-SIZE 10240000",
                "250-AUTH PLAIN LOGIN",
                "250-ENHANCEDSTATUSCODES",
                "250 8BITMIME",
            ]),
            auth: vec![lines(&["235 2.7.0 Authentication successful"])],
            quit: lines(&["221 2.0.0 Bye"]),
        }
    }
}

/// The server side of one connection.
pub struct ScriptedServer {
    config: Arc<ServerConfig>,
    script: Script,
    implicit_tls: bool,
    tls: Option<ServerConnection>,
    inbox: Vec<u8>,
    out: Vec<u8>,
    /// The lines the probe sent (secrets included: this is what crossed the wire).
    pub received: Vec<String>,
    auth_turn: Option<usize>,
    /// The server hung up after its last reply (421, 521, or QUIT answered).
    closed: bool,
}

impl ScriptedServer {
    pub fn new(config: Arc<ServerConfig>, script: Script, implicit_tls: bool) -> Self {
        Self {
            config,
            script,
            implicit_tls,
            tls: None,
            inbox: Vec::new(),
            out: Vec::new(),
            received: Vec::new(),
            auth_turn: None,
            closed: false,
        }
    }

    fn connected(&mut self) {
        if self.implicit_tls {
            self.tls = Some(ServerConnection::new(self.config.clone()).expect("TLS server"));
        } else {
            let greeting = self.script.greeting.clone();
            self.reply(&greeting);
        }
    }

    fn receive(&mut self, bytes: &[u8]) {
        if self.closed {
            return;
        }
        let Some(tls) = self.tls.as_mut() else {
            self.inbox.extend_from_slice(bytes);
            return self.handle_lines();
        };
        let was_handshaking = tls.is_handshaking();
        tls.read_tls(&mut &bytes[..])
            .expect("TLS bytes from the probe");
        tls.process_new_packets()
            .expect("TLS records from the probe");
        let mut plain = Vec::new();
        let _ = tls.reader().read_to_end(&mut plain);
        if was_handshaking && !tls.is_handshaking() && self.implicit_tls {
            let greeting = self.script.greeting.clone();
            self.reply(&greeting);
        }
        self.inbox.extend(plain);
        self.handle_lines();
    }

    fn handle_lines(&mut self) {
        while let Some(end) = self.inbox.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.inbox.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line).trim_end().to_owned();
            self.received.push(line.clone());
            let answer = self.answer(&line);
            self.reply(&answer);
        }
    }

    fn answer(&mut self, line: &str) -> Vec<String> {
        if let Some(turn) = self.auth_turn {
            return self.auth_reply(turn);
        }
        let verb = line
            .split(' ')
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let in_tls = self.tls.is_some();
        match verb.as_str() {
            "EHLO" if in_tls => self.script.ehlo_after_tls.clone(),
            "EHLO" => self.script.ehlo.clone(),
            "HELO" => self.script.helo.clone(),
            "STARTTLS" => {
                let reply = self.script.starttls.clone();
                if reply.last().is_some_and(|l| l.starts_with("220")) {
                    // The 220 goes out in clear; the handshake starts right after it.
                    self.reply(&reply);
                    self.tls =
                        Some(ServerConnection::new(self.config.clone()).expect("TLS server"));
                    return Vec::new();
                }
                reply
            }
            "AUTH" => self.auth_reply(0),
            "QUIT" => {
                let reply = self.script.quit.clone();
                self.reply(&reply);
                self.closed = true;
                Vec::new()
            }
            _ => lines(&["502 5.5.2 Error: command not recognized"]),
        }
    }

    fn auth_reply(&mut self, turn: usize) -> Vec<String> {
        let reply = self.script.auth.get(turn).cloned().unwrap_or_else(|| {
            lines(&["503 5.5.1 Error: the replay script has no reply for this AUTH turn"])
        });
        let challenge = reply.last().is_some_and(|l| l.starts_with("334"));
        self.auth_turn = challenge.then_some(turn + 1);
        reply
    }

    fn reply(&mut self, reply: &[String]) {
        if reply.is_empty() || self.closed {
            return;
        }
        let mut bytes = Vec::new();
        for line in reply {
            bytes.extend_from_slice(line.as_bytes());
            bytes.extend_from_slice(b"\r\n");
        }
        // RFC 5321 §3.8 / RFC 7504: after 421 or 521 the server closes the connection.
        let last = reply.last().map(String::as_str).unwrap_or_default();
        self.closed = last.starts_with("421") || last.starts_with("521");
        match self.tls.as_mut() {
            Some(tls) if !tls.is_handshaking() => {
                tls.writer()
                    .write_all(&bytes)
                    .expect("TLS plaintext buffer");
            }
            _ => self.out.extend(bytes),
        }
    }

    fn take(&mut self) -> Vec<u8> {
        let mut out = std::mem::take(&mut self.out);
        if let Some(tls) = self.tls.as_mut() {
            while tls.wants_write() {
                tls.write_tls(&mut out).expect("TLS records to the probe");
            }
        }
        out
    }
}

/// Probes `server` as the worker would, on a simulated clock; credentials only when given.
pub fn probe(
    server: &mut ScriptedServer,
    root_der: &[u8],
    port: MailPort,
    security: Security,
    login: bool,
) -> ProbeReport {
    let target = ProbeTarget {
        host: Host::parse(MAIL_HOST).expect("test host"),
        port,
        security,
    };
    let mut config = ProbeConfig::new(Hostname::parse("sendcheck.invalid").expect("EHLO name"));
    config.trust = TrustAnchors::Only(vec![root_der.to_vec()]);
    let credentials = login.then(|| Credentials::new(USER.into(), PASSWORD.into()));
    let mut now = Millis(0);
    let mut probe = Probe::new(target, credentials, config, now, 1_780_000_000_000);
    for _ in 0..200 {
        now = now.plus(1);
        match probe.next_action() {
            Action::Resolve { .. } => {
                let address = MAIL_ADDRESS.parse().expect("documentation address");
                probe.on_resolved(Ok(address), now);
            }
            Action::Connect { .. } => {
                probe.on_connected(now);
                server.connected();
            }
            Action::Send(bytes) => server.receive(&bytes),
            Action::Receive { deadline } => {
                let bytes = server.take();
                if !bytes.is_empty() {
                    probe.on_received(&bytes, now);
                } else if server.closed {
                    probe.on_closed(now);
                } else {
                    probe.on_timeout(deadline);
                }
            }
            Action::Close => return probe.into_report(now),
        }
    }
    panic!("the probe did not finish within 200 actions");
}
