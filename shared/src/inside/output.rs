//! Reading back what the person's terminal printed: any mix of the script's output, tools run
//! by hand, prompts and echoed commands, in any order a terminal produces.
//!
//! ```text
//!  pasted text ─▶ terminal lines (CRLF, ANSI colours, overwritten progress removed)
//!    each line ─▶ header │ fact │ echoed command │ nc │ Test-NetConnection │ s_client
//!                 opens a section   ──────────── adds to the current one ────────────
//!  sections ─▶ one LocalCheck each (port known, something recognised), duplicates dropped
//! ```

use std::borrow::Cow;

use sha2::{Digest, Sha256};

use super::command_line;
use super::distinguished_name::{canonical, Order};
use super::marker::{self, Fact, Key, Mode};
use super::native::NativeReader;
use super::netcat::{self, TcpLine, TcpOutcome};
use super::s_client::{self, Failure, TlsLine, PEM_END};
use super::test_netconnection::{self, TncLine};
use super::LocalOutputError;
use crate::diagnosis::{LocalCertificateProblem, LocalCheck, LocalResult};
use crate::smtp::base64_decode;

/// Longest text read: the script's output for four ports is a few KiB; a whole terminal
/// session with `-showcerts` stays far below this.
pub const MAX_OUTPUT_BYTES: usize = 256 * 1024;
/// Most checks returned (the script makes at most eight).
pub const MAX_CHECKS: usize = 64;
/// Longest PEM block read (a certificate is 1–3 KiB of base64).
const MAX_PEM_CHARS: usize = 64 * 1024;
/// Sections kept: beyond this, lines that would open another are ignored.
const MAX_SECTIONS: usize = 1024;

/// Parses what the person pasted. Never panics; bounded in time and memory by
/// [`MAX_OUTPUT_BYTES`].
pub fn parse_local_output(text: &str) -> Result<Vec<LocalCheck>, LocalOutputError> {
    if text.len() > MAX_OUTPUT_BYTES {
        return Err(LocalOutputError::TooLong {
            limit: MAX_OUTPUT_BYTES,
        });
    }
    if text.trim().is_empty() {
        return Err(LocalOutputError::Empty);
    }
    let mut reader = Reader::default();
    let mut native = NativeReader::default();
    for raw in text.split('\n') {
        let line = terminal_line(raw);
        if !native.line(&line) {
            reader.line(&line);
        }
    }
    let mut checks = native.finish();
    for check in reader.finish() {
        if checks.len() < MAX_CHECKS && !checks.contains(&check) {
            checks.push(check);
        }
    }
    if checks.is_empty() {
        Err(LocalOutputError::NothingRecognised)
    } else {
        Ok(checks)
    }
}

/// One test's worth of lines: a header and what followed it, or lines that name their port.
#[derive(Debug)]
struct Section {
    host: Option<String>,
    port: Option<u16>,
    mode: Mode,
    tool: Option<&'static str>,
    /// Opened by a header or an echoed command: what follows belongs to it.
    announced: bool,
    tcp: Option<TcpOutcome>,
    tls: TlsSeen,
    tnc: TncSeen,
    facts: Facts,
}

#[derive(Debug, Default)]
struct TlsSeen {
    connected: bool,
    /// The first thing the tool found wrong with the certificate itself, in its words.
    problem: Option<(LocalCertificateProblem, String)>,
    subject: Option<String>,
    issuer: Option<String>,
    chain_depth: Option<u32>,
    chain_subject: Option<String>,
    chain_issuer: Option<String>,
    pem: Pem,
    sha256: Option<String>,
    failure: Option<Failure>,
}

/// The first PEM block of a section is the server's own certificate.
#[derive(Debug, Default)]
enum Pem {
    #[default]
    Before,
    Inside(String),
    Done,
}

#[derive(Debug, Default)]
struct TncSeen {
    /// A `ComputerName` line was read: the property list of one result has begun.
    started: bool,
    /// A warning came first; the property list that follows is the same test.
    warned: bool,
    /// `RemoteAddress` had a value (`Some(false)`: empty, the name did not resolve).
    address: Option<bool>,
}

/// The PowerShell script's own facts (marker.rs).
#[derive(Debug, Default)]
struct Facts {
    result: Option<String>,
    issuer: Option<String>,
    subject: Option<String>,
    sha256: Option<String>,
    error: Option<String>,
    /// The script's time limit ended the TLS look.
    time_limit: Option<String>,
}

impl Section {
    fn new(port: Option<u16>, mode: Mode, host: Option<String>, announced: bool) -> Self {
        Section {
            host,
            port,
            mode,
            tool: None,
            announced,
            tcp: None,
            tls: TlsSeen::default(),
            tnc: TncSeen::default(),
            facts: Facts::default(),
        }
    }

    /// Whether a TCP result for `host` and `port` belongs here rather than in a section of
    /// its own (nc reports each address of one host; another host is another test).
    fn takes_tcp(&self, host: Option<&str>, port: Option<u16>) -> bool {
        if self.mode != Mode::Tcp {
            return false;
        }
        if let (Some(mine), Some(theirs)) = (self.host.as_deref(), host) {
            if mine != theirs {
                return false;
            }
        }
        match (self.port, port) {
            (Some(mine), Some(theirs)) => mine == theirs,
            (None, Some(_)) => self.announced || self.tcp.is_none(),
            (_, None) => self.announced || self.tcp.is_none() || self.tnc.warned,
        }
    }

    fn add_tcp(&mut self, outcome: TcpOutcome) {
        if self.tcp.is_none_or(|seen| outcome.rank() > seen.rank()) {
            self.tcp = Some(outcome);
        }
    }

    fn learn(&mut self, port: Option<u16>, host: Option<String>, tool: &'static str) {
        self.port = self.port.or(port);
        self.host = self.host.take().or(host);
        self.tool = self.tool.or(Some(tool));
    }

    fn into_check(self) -> Option<LocalCheck> {
        let port = self.port?;
        let (host, mode, tool) = (self.host.clone(), self.mode, self.tool);
        let result = match (self.facts.result(), mode) {
            (Some(result), _) => result,
            (None, Mode::Tcp) => self.tcp_result()?,
            (None, Mode::Tls | Mode::Starttls) => {
                let cut_off = self.facts.time_limit.is_some();
                self.tls.result(self.tcp, cut_off)?
            }
        };
        Some(LocalCheck {
            host,
            port,
            security: mode.security(),
            result,
            tool: tool.map(str::to_owned),
        })
    }

    fn tcp_result(&self) -> Option<LocalResult> {
        match self.tcp {
            Some(outcome) => Some(tcp_result(outcome)),
            None if self.tnc.started && self.tnc.address == Some(false) => {
                Some(LocalResult::DnsFailed)
            }
            None => None,
        }
    }
}

impl TlsSeen {
    fn apply(&mut self, line: TlsLine, tcp: &mut Option<TcpOutcome>) {
        match line {
            TlsLine::Connected => self.connected = true,
            TlsLine::Subject(name) => {
                self.subject.get_or_insert(name);
            }
            TlsLine::Issuer(name) => {
                self.issuer.get_or_insert(name);
            }
            TlsLine::ChainSubject { depth, name } => {
                self.chain_depth = Some(depth);
                if depth == 0 {
                    self.chain_subject.get_or_insert(name);
                }
            }
            TlsLine::ChainIssuer(name) => {
                if self.chain_depth == Some(0) {
                    self.chain_issuer.get_or_insert(name);
                }
            }
            TlsLine::PemBegin => {
                if matches!(self.pem, Pem::Before) {
                    self.pem = Pem::Inside(String::new());
                }
            }
            TlsLine::PemEnd => self.end_pem(),
            TlsLine::Handshake => self.connected = true,
            TlsLine::Verify { code, detail } => {
                if self.problem.is_none() {
                    self.problem = certificate_problem(code).map(|problem| (problem, detail));
                }
            }
            TlsLine::Connect(outcome) => {
                if tcp.is_none_or(|seen| outcome.rank() > seen.rank()) {
                    *tcp = Some(outcome);
                }
            }
            TlsLine::Failure(failure) => {
                if self
                    .failure
                    .as_ref()
                    .is_none_or(|seen| failure.rank > seen.rank)
                {
                    self.failure = Some(failure);
                }
            }
        }
    }

    fn in_pem(&self) -> bool {
        matches!(self.pem, Pem::Inside(_))
    }

    /// Adds a line of base64; `false` (and the block abandoned) if it is not one.
    fn push_pem(&mut self, line: &str) -> bool {
        let Pem::Inside(text) = &mut self.pem else {
            return false;
        };
        let line = line.trim();
        let base64 = line
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
        if !base64 || text.len() + line.len() > MAX_PEM_CHARS {
            self.pem = Pem::Done;
            return false;
        }
        text.push_str(line);
        true
    }

    fn end_pem(&mut self) {
        if let Pem::Inside(text) = std::mem::replace(&mut self.pem, Pem::Done) {
            self.sha256 = base64_decode(&text)
                .filter(|der| !der.is_empty())
                .map(|der| hex(&Sha256::digest(&der)));
        }
    }

    /// What the section's lines say, in order of how much they prove: a certificate from a
    /// handshake nothing failed, a connection that never opened, a failed handshake (an
    /// alert, a reset, `Cipher is (NONE)`: not encrypted, even when a certificate was shown
    /// and even after `New, TLSv1.2, Cipher is …`, which s_client prints for a TLS 1.2
    /// handshake the server then refused — captured: s_client_client_cert_demanded), and last
    /// a connection that got no answer before the time limit.
    fn result(self, tcp: Option<TcpOutcome>, cut_off: bool) -> Option<LocalResult> {
        let issuer = self.issuer.or(self.chain_issuer);
        if let (Some(issuer), None) = (issuer, &self.failure) {
            let subject = self.subject.or(self.chain_subject);
            return Some(match self.problem {
                Some((problem, detail)) => LocalResult::TlsCertificateInvalid {
                    issuer,
                    subject,
                    sha256: self.sha256,
                    problem,
                    detail,
                },
                None => LocalResult::TlsOk {
                    issuer,
                    subject,
                    sha256: self.sha256,
                },
            });
        }
        if let (false, Some(outcome)) = (self.connected, tcp) {
            return Some(tcp_result(outcome));
        }
        if let Some(failure) = self.failure {
            return Some(LocalResult::TlsFailed {
                detail: failure.detail,
            });
        }
        // Connected, then nothing: the time limit (or the person) ended a look that got no
        // answer — no greeting, no reply to STARTTLS, no ServerHello.
        (self.connected || cut_off).then_some(LocalResult::TlsNoAnswer)
    }
}

/// OpenSSL's verify codes (`X509_V_ERR_*`, the same numbers in LibreSSL) that say something
/// about the certificate itself; the others (unknown issuer, incomplete chain) depend on the
/// machine's trust store and say nothing an interception check does not say better.
fn certificate_problem(code: u32) -> Option<LocalCertificateProblem> {
    Some(match code {
        9 => LocalCertificateProblem::NotYetValid,
        10 => LocalCertificateProblem::Expired,
        18 => LocalCertificateProblem::SelfSigned,
        62 => LocalCertificateProblem::NameMismatch,
        _ => return None,
    })
}

impl Facts {
    fn add(&mut self, key: Key, value: &str) {
        let slot = match key {
            Key::Result => &mut self.result,
            Key::Issuer => &mut self.issuer,
            Key::Subject => &mut self.subject,
            Key::Sha256 => &mut self.sha256,
            Key::Error => &mut self.error,
            Key::TimeLimit => &mut self.time_limit,
        };
        if slot.is_none() {
            *slot = Some(value.chars().take(1024).collect());
        }
    }

    fn result(&self) -> Option<LocalResult> {
        Some(match self.result.as_deref()? {
            "connected" => LocalResult::Connected,
            "refused" => LocalResult::Refused,
            "timed_out" => LocalResult::TimedOut,
            "failed" => LocalResult::Failed,
            "dns_failed" => LocalResult::DnsFailed,
            "tls_ok" => LocalResult::TlsOk {
                issuer: canonical(self.issuer.as_deref()?, Order::MostSpecificFirst)?,
                subject: self
                    .subject
                    .as_deref()
                    .and_then(|s| canonical(s, Order::MostSpecificFirst)),
                sha256: self.sha256.as_deref().and_then(fingerprint),
            },
            "tls_no_answer" => LocalResult::TlsNoAnswer,
            "tls_failed" => LocalResult::TlsFailed {
                detail: self
                    .error
                    .clone()
                    .unwrap_or_else(|| "TLS did not come up".into()),
            },
            _ => return None,
        })
    }
}

#[derive(Default)]
struct Reader {
    sections: Vec<Section>,
    current: Option<usize>,
}

impl Reader {
    fn line(&mut self, line: &str) {
        if line.trim().is_empty() {
            return;
        }
        if let Some(section) = self.current_mut().filter(|s| s.tls.in_pem()) {
            if line.trim() == PEM_END {
                section.tls.end_pem();
                return;
            }
            if section.tls.push_pem(line) {
                return;
            }
        }
        if let Some(header) = marker::read_header(line) {
            self.open(Section::new(
                Some(header.port),
                header.mode,
                header.host,
                true,
            ));
        } else if let Some(fact) = marker::read_fact(line) {
            self.fact(fact);
        } else if let Some(echoed) = command_line::read(line) {
            let mut section = Section::new(Some(echoed.port), echoed.mode, echoed.host, true);
            section.tool = Some(echoed.tool);
            self.open(section);
        } else if let Some(tcp) = netcat::read(line) {
            self.tcp(tcp);
        } else if let Some(tnc) = test_netconnection::read(line) {
            self.tnc(tnc);
        } else if let Some(tls) = s_client::read(line) {
            // openssl never names the port: its lines count only under a TLS section.
            if let Some(section) = self.current_mut().filter(|s| s.mode != Mode::Tcp) {
                section.tool = section.tool.or(Some("openssl"));
                section.tls.apply(tls, &mut section.tcp);
            }
        }
    }

    fn current_mut(&mut self) -> Option<&mut Section> {
        self.current.and_then(|i| self.sections.get_mut(i))
    }

    /// Makes `section` the current one; past [`MAX_SECTIONS`], lines that would open one
    /// are ignored (and so are those that follow them).
    fn open(&mut self, section: Section) -> Option<&mut Section> {
        if self.sections.len() >= MAX_SECTIONS {
            self.current = None;
            return None;
        }
        self.sections.push(section);
        self.current = Some(self.sections.len() - 1);
        self.sections.last_mut()
    }

    fn tcp(&mut self, line: TcpLine) {
        let fits = self
            .current
            .and_then(|i| self.sections.get(i))
            .is_some_and(|s| s.takes_tcp(line.host.as_deref(), line.port));
        let section = if fits {
            self.current_mut()
        } else {
            self.open(Section::new(line.port, Mode::Tcp, None, false))
        };
        if let Some(section) = section {
            section.learn(line.port, line.host, line.tool);
            section.add_tcp(line.outcome);
        }
    }

    fn tnc(&mut self, line: TncLine) {
        let tool = test_netconnection::TOOL;
        match line {
            TncLine::ConnectFailed { port } => {
                self.tnc_warning(Some(port), None, TcpOutcome::Failed)
            }
            TncLine::NameResolutionFailed { host } => {
                self.tnc_warning(None, host, TcpOutcome::DnsFailed)
            }
            TncLine::ComputerName(host) => {
                let reuse = self.current_mut().is_some_and(|s| {
                    s.mode == Mode::Tcp && !s.tnc.started && (s.announced || s.tnc.warned)
                });
                let section = if reuse {
                    self.current_mut()
                } else {
                    self.open(Section::new(None, Mode::Tcp, None, false))
                };
                if let Some(section) = section {
                    section.tnc.started = true;
                    section.learn(None, host, tool);
                }
            }
            other => {
                let Some(section) = self.current_mut().filter(|s| s.tnc.started) else {
                    return;
                };
                match other {
                    TncLine::RemoteAddress(address) => {
                        section.tnc.address = Some(address.is_some())
                    }
                    TncLine::RemotePort(port) => section.learn(Some(port), None, tool),
                    TncLine::TcpTestSucceeded(true) => section.add_tcp(TcpOutcome::Connected),
                    TncLine::TcpTestSucceeded(false) => section.add_tcp(TcpOutcome::Failed),
                    _ => {}
                }
            }
        }
    }

    fn tnc_warning(&mut self, port: Option<u16>, host: Option<String>, outcome: TcpOutcome) {
        self.tcp(TcpLine {
            host,
            port,
            outcome,
            tool: test_netconnection::TOOL,
        });
        if let Some(section) = self.current_mut() {
            section.tnc.warned = true;
        }
    }

    /// A fact goes to the section of its port and mode: the current one, or the last such.
    fn fact(&mut self, fact: Fact<'_>) {
        let matches = |s: &Section| s.port == Some(fact.port) && s.mode == fact.mode;
        let found = self
            .current
            .filter(|i| self.sections.get(*i).is_some_and(matches))
            .or_else(|| self.sections.iter().rposition(matches));
        let section = match found {
            Some(i) => {
                self.current = Some(i);
                self.sections.get_mut(i)
            }
            None => self.open(Section::new(Some(fact.port), fact.mode, None, true)),
        };
        if let Some(section) = section {
            // Facts are the PowerShell script's own .NET code (TcpClient, SslStream).
            section.tool = section.tool.or(Some("powershell"));
            section.facts.add(fact.key, fact.value);
        }
    }

    fn finish(self) -> Vec<LocalCheck> {
        let mut checks: Vec<LocalCheck> = Vec::new();
        for section in self.sections {
            if checks.len() >= MAX_CHECKS {
                break;
            }
            if let Some(check) = section.into_check() {
                if !checks.contains(&check) {
                    checks.push(check);
                }
            }
        }
        checks
    }
}

fn tcp_result(outcome: TcpOutcome) -> LocalResult {
    match outcome {
        TcpOutcome::Connected => LocalResult::Connected,
        TcpOutcome::Refused => LocalResult::Refused,
        TcpOutcome::TimedOut => LocalResult::TimedOut,
        TcpOutcome::DnsFailed => LocalResult::DnsFailed,
        TcpOutcome::Failed => LocalResult::Failed,
    }
}

/// A line as the terminal showed it: without its CR, the text a CR overwrote (progress
/// output), ANSI escape sequences, other control characters and byte-order marks.
fn terminal_line(raw: &str) -> Cow<'_, str> {
    let raw = raw.strip_suffix('\r').unwrap_or(raw);
    let raw = raw.rsplit('\r').next().unwrap_or(raw);
    let noisy = |c: char| (c.is_control() && c != '\t') || c == '\u{feff}';
    if !raw.chars().any(noisy) {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            if !noisy(c) {
                out.push(c);
            }
            continue;
        }
        match chars.next() {
            // CSI: parameters, then one final byte in @..~ (colours, cursor moves).
            Some('[') => {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            // OSC (window titles): up to BEL or ESC \.
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\u{7}' || (c == '\u{1b}' && chars.next_if_eq(&'\\').is_some()) {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    Cow::Owned(out)
}

/// `ab:CD 01…` or `abcd01…` (64 hex digits) as lowercase hex without separators.
fn fingerprint(text: &str) -> Option<String> {
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, ':' | ' ' | '-'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (digits.len() == 64 && digits.chars().all(|c| c.is_ascii_hexdigit())).then_some(digits)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
#[path = "output_tests.rs"]
mod tests;
