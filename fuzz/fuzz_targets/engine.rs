//! The whole probe engine against a hostile server, pumped exactly as an adapter pumps it, on a
//! simulated clock.
//!
//! Input: one mode byte, then turns. Each turn is one control byte — its low three bits say
//! what the server does (0–4: send a chunk whose length is the next byte; 5: close; 6: a
//! stream error; 7: stay silent), its high five bits `n` how long it takes (n³ ms, 0 to about
//! 30 s, enough to cross every timeout). When the input runs out the server is silent.
//!
//! Mode byte bits: 0–1 security (none, starttls, tls, starttls); 2 credentials; 3 a real TLS
//! server (rustls, with the certificate of `fuzz/tls/`, whose CA the probe trusts) wraps the
//! fuzzed bytes once the probe starts TLS, so fuzzed replies reach EHLO after TLS and AUTH; 4
//! an IP literal host instead of a name to resolve; 5 that server speaks only TLS 1.2; 6 the
//! adapter abandons the probe when the input runs out; 7 trust the public roots only (the test
//! certificate is then untrusted).
//!
//! `SENDCHECK_FUZZ_SHOW=1` prints each report, to see where an input leads.
//!
//! Checked: no panic; `Close` within 10 000 actions and never later than the overall timeout
//! of simulated time; never a `MAIL`, `RCPT`, `DATA` or `BDAT` line on the wire, plaintext or
//! inside TLS; credentials never in clear; the report serializes, reads back equal, keeps its
//! times within `total_ms`, and holds no form of the password.

#![no_main]

use std::io::{Read, Write};
use std::net::IpAddr;
use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use rustls::crypto::ring::default_provider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::{ServerConfig, ServerConnection};
use sendcheck::probe::{Action, Millis, Probe, ProbeConfig, StreamFailure, TrustAnchors};
use sendcheck::smtp::{base64, Credentials};
use sendcheck::target::{Host, Hostname, MailPort, ProbeTarget, Security};
use sendcheck::wire::{Direction, ProbeReport};

const MAIL: &str = "mail.sendcheck.test";
const ADDRESS: &str = "192.0.2.25";
const USER: &str = "fuzz-user@sendcheck.test";
const PASSWORD: &str = "fuzz-secret-pw";
const START: Millis = Millis(1_000);
/// 2027-01-15: inside the validity of the test certificates in `fuzz/tls/`.
const UNIX_MS: u64 = 1_800_000_000_000;
const MAX_ACTIONS: usize = 10_000;
const FORBIDDEN_VERBS: [&[u8]; 4] = [b"MAIL", b"RCPT", b"DATA", b"BDAT"];

fuzz_target!(|data: &[u8]| {
    let Some((&mode, turns)) = data.split_first() else {
        return;
    };
    let mode = Mode::from_byte(mode);
    let secrets = Secrets::new(&server_stream(turns));
    let mut server = Server::new(&mode);
    let mut input = Turns { rest: turns };

    let mut config = ProbeConfig::new(Hostname::parse("sendcheck.invalid").unwrap());
    if !mode.public_roots {
        config.trust = TrustAnchors::Only(vec![pki().root_der.clone()]);
    }
    let overall_timeout_ms = config.overall_timeout_ms;
    let credentials = mode
        .credentials
        .then(|| Credentials::new(USER.to_owned(), PASSWORD.to_owned()));
    let mut now = START;
    let mut probe = Probe::new(mode.target(), credentials, config, now, UNIX_MS);
    let mut abandoned = false;

    for _ in 0..MAX_ACTIONS {
        let _ = probe.take_progress();
        match probe.next_action() {
            Action::Resolve { deadline, .. } => match later(now, 1, deadline) {
                Some(at) => {
                    now = at;
                    probe.on_resolved(Ok(ADDRESS.parse::<IpAddr>().unwrap()), now);
                }
                None => probe.on_timeout(advance_to(&mut now, deadline)),
            },
            Action::Connect { deadline, .. } => match later(now, 1, deadline) {
                Some(at) => {
                    now = at;
                    probe.on_connected(now);
                }
                None => probe.on_timeout(advance_to(&mut now, deadline)),
            },
            Action::Send(bytes) => server.receive(&bytes, &secrets),
            Action::Receive { deadline } => {
                // The real TLS server's own records (handshake, tickets) go first, a moment later.
                if let Some(records) = server.pending_records() {
                    match later(now, 1, deadline) {
                        Some(at) => {
                            now = at;
                            probe.on_received(&records, now);
                        }
                        None => probe.on_timeout(advance_to(&mut now, deadline)),
                    }
                    continue;
                }
                let Some(turn) = input.next() else {
                    if mode.abandon {
                        abandoned = true;
                        break;
                    }
                    probe.on_timeout(advance_to(&mut now, deadline));
                    continue;
                };
                let Some(at) = later(now, turn.advance_ms, deadline) else {
                    probe.on_timeout(advance_to(&mut now, deadline));
                    continue;
                };
                now = at;
                match turn.peer {
                    Peer::Says(bytes) => probe.on_received(&server.wrap(bytes), now),
                    Peer::Closes => probe.on_closed(now),
                    Peer::Fails { reset: true } => probe.on_stream_error(StreamFailure::Reset, now),
                    Peer::Fails { reset: false } => probe.on_stream_error(
                        StreamFailure::Other("connection aborted by the fuzzer".into()),
                        now,
                    ),
                    Peer::Silent => probe.on_timeout(advance_to(&mut now, deadline)),
                }
            }
            Action::Close => {
                assert!(probe.is_finished());
                let elapsed = now.since(START);
                assert!(
                    elapsed <= overall_timeout_ms,
                    "closed after {elapsed} ms, past the overall {overall_timeout_ms} ms"
                );
                let report = probe.into_report(now);
                show(&report);
                check_report(&report, elapsed, &secrets);
                return;
            }
        }
    }
    assert!(abandoned, "no Close within {MAX_ACTIONS} actions");
    let elapsed = now.since(START);
    assert!(elapsed <= overall_timeout_ms);
    let report = probe.into_report(now);
    show(&report);
    check_report(&report, elapsed, &secrets);
});

fn show(report: &ProbeReport) {
    static SHOW: OnceLock<bool> = OnceLock::new();
    if *SHOW.get_or_init(|| std::env::var_os("SENDCHECK_FUZZ_SHOW").is_some()) {
        eprintln!("{}", serde_json::to_string_pretty(report).unwrap());
    }
}

/// `now + ms` if that comes before `deadline`; `None` when the deadline comes first.
fn later(now: Millis, ms: u64, deadline: Millis) -> Option<Millis> {
    let at = now.plus(ms);
    (at < deadline).then_some(at)
}

/// The adapter slept until the engine's deadline (never backwards).
fn advance_to(now: &mut Millis, deadline: Millis) -> Millis {
    *now = (*now).max(deadline);
    *now
}

struct Mode {
    security: Security,
    credentials: bool,
    real_tls: bool,
    ip_literal: bool,
    tls12_only: bool,
    abandon: bool,
    public_roots: bool,
}

impl Mode {
    fn from_byte(byte: u8) -> Self {
        let bit = |n: u8| byte & (1 << n) != 0;
        Self {
            security: match byte & 3 {
                0 => Security::None,
                2 => Security::Tls,
                _ => Security::Starttls,
            },
            credentials: bit(2),
            real_tls: bit(3),
            ip_literal: bit(4),
            tls12_only: bit(5),
            abandon: bit(6),
            public_roots: bit(7),
        }
    }

    fn target(&self) -> ProbeTarget {
        ProbeTarget {
            host: Host::parse(if self.ip_literal { ADDRESS } else { MAIL }).unwrap(),
            port: if self.security == Security::Tls {
                MailPort::SUBMISSIONS
            } else {
                MailPort::SUBMISSION
            },
            security: self.security,
        }
    }
}

enum Peer<'a> {
    Says(&'a [u8]),
    Closes,
    Fails { reset: bool },
    Silent,
}

struct Turn<'a> {
    advance_ms: u64,
    peer: Peer<'a>,
}

struct Turns<'a> {
    rest: &'a [u8],
}

/// Everything the server says over the whole input, its chunks joined as the probe reads them.
fn server_stream(turns: &[u8]) -> Vec<u8> {
    let mut turns = Turns { rest: turns };
    let mut stream = Vec::new();
    while let Some(turn) = turns.next() {
        if let Peer::Says(bytes) = turn.peer {
            stream.extend_from_slice(bytes);
        }
    }
    stream
}

impl<'a> Turns<'a> {
    fn next(&mut self) -> Option<Turn<'a>> {
        let (&control, rest) = self.rest.split_first()?;
        self.rest = rest;
        let advance_ms = u64::from(control >> 3).pow(3);
        let peer = match control & 7 {
            0..=4 => {
                let len = self.byte().map_or(0, usize::from);
                let (chunk, rest) = self.rest.split_at(len.min(self.rest.len()));
                self.rest = rest;
                Peer::Says(chunk)
            }
            5 => Peer::Closes,
            6 => Peer::Fails {
                reset: control & 8 == 0,
            },
            _ => Peer::Silent,
        };
        Some(Turn { advance_ms, peer })
    }

    fn byte(&mut self) -> Option<u8> {
        let (&byte, rest) = self.rest.split_first()?;
        self.rest = rest;
        Some(byte)
    }
}

/// Every form the password could leak in, except those the fuzzed server itself says (a
/// server may echo anything, and the transcript records what servers say), also as JSON
/// escapes them: `f\x1fuzz-…` is written `f\u001fuzz-…`.
struct Secrets {
    forms: Vec<String>,
}

impl Secrets {
    fn new(server_says: &[u8]) -> Self {
        let as_json = serde_json::to_string(&String::from_utf8_lossy(server_says)).unwrap();
        let forms = [
            PASSWORD.to_owned(),
            base64(PASSWORD.as_bytes()),
            base64(format!("\0{USER}\0{PASSWORD}").as_bytes()),
        ];
        Self {
            forms: forms
                .into_iter()
                .filter(|form| !contains(server_says, form.as_bytes()))
                .filter(|form| !as_json.contains(form.as_str()))
                .collect(),
        }
    }

    fn assert_absent(&self, haystack: &[u8], what: &str) {
        for form in &self.forms {
            assert!(
                !contains(haystack, form.as_bytes()),
                "{what} holds {form:?}"
            );
        }
    }
}

/// Every needle here is ASCII, which lossy decoding keeps as it is; `str::contains` is far
/// cheaper than comparing every window under the fuzzer's comparison hooks.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    String::from_utf8_lossy(haystack).contains(&*String::from_utf8_lossy(needle))
}

/// What the probe sent, line by line: never a mail transaction.
fn check_commands(plaintext: &[u8]) {
    for line in plaintext.split(|&b| b == b'\n') {
        for verb in FORBIDDEN_VERBS {
            let starts = line
                .get(..verb.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(verb));
            assert!(
                !starts,
                "the probe sent {:?}",
                String::from_utf8_lossy(line)
            );
        }
    }
}

fn check_report(report: &ProbeReport, elapsed: u64, secrets: &Secrets) {
    assert_eq!(report.total_ms, elapsed);
    assert!(
        report.outcome.at_ms <= report.total_ms,
        "outcome after the end"
    );
    for step in &report.steps {
        assert!(
            step.started_ms + step.duration_ms <= report.total_ms,
            "{step:?} ends after the probe"
        );
    }
    let mut last = 0;
    for line in &report.transcript {
        assert!(line.at_ms >= last, "transcript goes back in time");
        assert!(
            line.at_ms <= report.total_ms,
            "transcript line after the end"
        );
        last = line.at_ms;
        if line.direction == Direction::Client {
            check_commands(line.text.as_bytes());
            for form in [PASSWORD.to_owned(), base64(PASSWORD.as_bytes())] {
                assert!(!line.text.contains(&form), "client line {:?}", line.text);
            }
        }
    }
    let json = serde_json::to_string(report).expect("the report serializes");
    secrets.assert_absent(json.as_bytes(), "the report");
    let back: ProbeReport = serde_json::from_str(&json).expect("the report reads back");
    assert_eq!(&back, report, "the report changed through JSON");
}

/// The peer: the fuzzer's bytes as they are, or, with a real TLS server, as plaintext inside
/// TLS once the probe has started a handshake.
struct Server {
    config: Option<Arc<ServerConfig>>,
    tls: Option<ServerConnection>,
    /// The server's TLS failed (the probe sent something it rejects): fuzzed bytes go raw.
    broken: bool,
    /// The probe started TLS: what it sends now are records, not commands.
    client_tls: bool,
}

impl Server {
    fn new(mode: &Mode) -> Self {
        let config = mode.real_tls.then(|| {
            let pki = pki();
            if mode.tls12_only {
                pki.tls12.clone()
            } else {
                pki.tls13.clone()
            }
        });
        Self {
            config,
            tls: None,
            broken: false,
            client_tls: false,
        }
    }

    /// Bytes the probe sent.
    fn receive(&mut self, bytes: &[u8], secrets: &Secrets) {
        if !self.client_tls && bytes.first() == Some(&0x16) {
            // A ClientHello: the probe has begun TLS (after STARTTLS, or at once on 465).
            self.client_tls = true;
            if let Some(config) = &self.config {
                self.tls = Some(ServerConnection::new(config.clone()).unwrap());
            }
        }
        if !self.client_tls {
            check_commands(bytes);
            secrets.assert_absent(bytes, "a command sent in clear");
            return;
        }
        let Some(tls) = self.tls.as_mut().filter(|_| !self.broken) else {
            return;
        };
        let mut rest = bytes;
        while !rest.is_empty() {
            let ok = tls.read_tls(&mut rest).is_ok() && tls.process_new_packets().is_ok();
            if !ok {
                self.broken = true;
                return;
            }
        }
        let mut plaintext = Vec::new();
        let _ = tls.reader().read_to_end(&mut plaintext);
        check_commands(&plaintext);
    }

    /// Records the TLS server wants to send on its own.
    fn pending_records(&mut self) -> Option<Vec<u8>> {
        let tls = self.tls.as_mut().filter(|_| !self.broken)?;
        let mut out = Vec::new();
        while tls.wants_write() {
            if tls.write_tls(&mut out).is_err() {
                break;
            }
        }
        (!out.is_empty()).then_some(out)
    }

    /// What goes on the wire when the fuzzer says `bytes`.
    fn wrap(&mut self, bytes: &[u8]) -> Vec<u8> {
        match self.tls.as_mut() {
            Some(tls) if !self.broken && !tls.is_handshaking() => {
                tls.writer().write_all(bytes).unwrap();
                let mut out = Vec::new();
                while tls.wants_write() {
                    if tls.write_tls(&mut out).is_err() {
                        break;
                    }
                }
                out
            }
            _ => bytes.to_vec(),
        }
    }
}

/// A test CA and a certificate for [`MAIL`] it signed (ECDSA P-256, valid 2026-11-24 to 2126),
/// made once with openssl and kept in `fuzz/tls/` so every run handshakes with the same keys:
///
/// ```text
/// openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key \
///   -out ca.pem -days 36500 -subj "/CN=sendcheck fuzz CA" \
///   -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign"
/// openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key \
///   -out leaf.csr -subj "/CN=mail.sendcheck.test"
/// openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 36500 \
///   -out leaf.pem -extfile leaf.ext   # SAN DNS:mail.sendcheck.test, serverAuth
/// openssl x509 -in ca.pem -outform der -out ca.der   # likewise leaf.der
/// openssl pkcs8 -topk8 -nocrypt -in leaf.key -outform der -out leaf-key.pkcs8.der
/// ```
const CA_DER: &[u8] = include_bytes!("../tls/ca.der");
const LEAF_DER: &[u8] = include_bytes!("../tls/leaf.der");
const LEAF_KEY_PKCS8_DER: &[u8] = include_bytes!("../tls/leaf-key.pkcs8.der");

struct Pki {
    root_der: Vec<u8>,
    tls13: Arc<ServerConfig>,
    tls12: Arc<ServerConfig>,
}

fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(|| {
        let server = |versions: &[&'static rustls::SupportedProtocolVersion]| {
            let chain = vec![CertificateDer::from(LEAF_DER)];
            let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(LEAF_KEY_PKCS8_DER));
            let mut config = ServerConfig::builder_with_provider(Arc::new(default_provider()))
                .with_protocol_versions(versions)
                .unwrap()
                .with_no_client_auth()
                .with_single_cert(chain, key)
                .unwrap();
            // The probe never resumes: tickets would only cost time.
            config.send_tls13_tickets = 0;
            Arc::new(config)
        };
        Pki {
            root_der: CA_DER.to_vec(),
            tls13: server(&[&rustls::version::TLS13, &rustls::version::TLS12]),
            tls12: server(&[&rustls::version::TLS12]),
        }
    })
}
