//! The probe: a sans-IO state machine the adapters pump.
//!
//! ```text
//!            ┌──────────── Action ────────────┐
//!  adapter ──┤ Resolve / Connect / Send /     │◀── Probe::next_action()
//! (worker,   │ Receive{deadline} / Close      │
//!  CLI,      └────────────────────────────────┘
//!  tests)  ──▶ on_resolved / on_connected / on_connect_failed /
//!              on_received / on_closed / on_stream_error / on_timeout   (each with `now`)
//!
//!  inside: bytes ─▶ transport (plain | rustls) ─▶ ReplyParser ─▶ Dialogue state ─▶ Command
//! ```
//!
//! The adapter loops: ask for the next action, do it (bounded by the action's deadline), and
//! report what happened. When the action is `Close`, it closes the socket and asks for the
//! report. The engine never reads a clock and never touches a socket.

mod auth;
mod clock;
mod config;
mod dialogue;
#[cfg(feature = "pump")]
pub mod pump;
mod record;
mod transport;

use std::net::IpAddr;

use crate::smtp::{Command, Credentials, Reply, ReplyParser};
use crate::target::{Host, Hostname, ProbeTarget, Security};
use crate::wire::{
    Outcome, OutcomeKind, ProbeReport, Step, StepRecord, StepStatus, TargetSummary, REPORT_VERSION,
};

pub use clock::Millis;
pub use config::{ProbeConfig, TrustAnchors, VerificationCache};

use dialogue::{AwaitGreeting, AwaitHandshake, Context, Dialogue, Event, Found, Next};
use record::Recorder;
use transport::{Received, Transport};

/// The shortest delayed ACK (Linux's TCP_DELACK_MIN, HZ/25): below this round trip a quiet
/// client acknowledges late.
const DELAYED_ACK_MIN_MS: u64 = 40;
/// The longest the first command inside TLS waits for the server's session tickets.
const TICKET_WAIT_MAX_MS: u64 = DELAYED_ACK_MIN_MS + DELAYED_ACK_MIN_MS / 2 + 5;

/// What the adapter should do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Resolve the name (our own resolver, so the address guard sees the address we use).
    Resolve { name: Hostname, deadline: Millis },
    /// Open a TCP connection.
    Connect {
        address: IpAddr,
        port: u16,
        deadline: Millis,
    },
    /// Write these bytes, then ask again.
    Send(Vec<u8>),
    /// Read what arrives, or report a timeout at `deadline`.
    Receive { deadline: Millis },
    /// The probe is over: close the connection (if any) and take the report.
    Close,
}

/// Why a connection could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectFailure {
    /// Actively refused (TCP RST): nothing listens on the port.
    Refused,
    /// Anything else the runtime reported.
    Other(String),
}

/// Why an open connection failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamFailure {
    Reset,
    Other(String),
}

#[derive(Debug)]
enum Phase {
    Resolving(Hostname),
    Connecting(IpAddr),
    Talking(Dialogue),
    Finished,
}

/// One probe of one port of one host.
pub struct Probe {
    target: ProbeTarget,
    credentials: Option<Credentials>,
    config: ProbeConfig,
    phase: Phase,
    transport: Transport,
    parser: ReplyParser,
    outbox: Vec<u8>,
    /// Bytes that must leave in a write of their own after `outbox`: the first command inside
    /// TLS, kept apart from our TLS Finished (see [`Probe::on_received`]).
    next_flight: Vec<u8>,
    /// `next_flight` waits for the server's session tickets until then (see `hold_for_tickets`).
    held_until: Option<Millis>,
    record: Recorder,
    found: Found,
    address: Option<IpAddr>,
    started_at_unix_ms: u64,
    step_deadline: Millis,
    overall_deadline: Millis,
    /// Round trips of the step under way: a send followed by a wait for the peer.
    step_round_trips: u32,
    sent_since_receive: bool,
    progress_seen: usize,
    outcome: Option<Outcome>,
}

impl Probe {
    /// `now` is the adapter's monotonic clock; `unix_ms` the wall clock at the same moment
    /// (certificates are checked against it).
    pub fn new(
        target: ProbeTarget,
        credentials: Option<Credentials>,
        config: ProbeConfig,
        now: Millis,
        unix_ms: u64,
    ) -> Self {
        let mut record = Recorder::new(now);
        let (phase, step_deadline, address) = match &target.host {
            Host::Name(name) => {
                record.begin(Step::Resolve, now);
                let deadline = now.plus(config.resolve_timeout_ms);
                (Phase::Resolving(name.clone()), deadline, None)
            }
            Host::Ip(ip) => {
                record.begin(Step::Connect, now);
                let deadline = now.plus(config.connect_timeout_ms);
                (Phase::Connecting(*ip), deadline, Some(*ip))
            }
        };
        Self {
            parser: ReplyParser::new(config.limits),
            overall_deadline: now.plus(config.overall_timeout_ms),
            target,
            credentials,
            config,
            phase,
            transport: Transport::Plain,
            outbox: Vec::new(),
            next_flight: Vec::new(),
            held_until: None,
            record,
            found: Found::default(),
            address,
            started_at_unix_ms: unix_ms,
            step_deadline,
            step_round_trips: 1,
            sent_since_receive: true,
            progress_seen: 0,
            outcome: None,
        }
    }

    pub fn next_action(&mut self) -> Action {
        let deadline = self.deadline();
        match &self.phase {
            Phase::Resolving(name) => Action::Resolve {
                name: name.clone(),
                deadline,
            },
            Phase::Connecting(address) => Action::Connect {
                address: *address,
                port: self.target.port.get(),
                deadline,
            },
            Phase::Talking(_) if !self.outbox.is_empty() => {
                self.sent_since_receive = true;
                Action::Send(std::mem::take(&mut self.outbox))
            }
            Phase::Talking(_) if !self.next_flight.is_empty() => match self.held_until {
                Some(until) => Action::Receive {
                    deadline: until.min(deadline),
                },
                None => {
                    self.sent_since_receive = true;
                    Action::Send(std::mem::take(&mut self.next_flight))
                }
            },
            Phase::Talking(_) => Action::Receive { deadline },
            Phase::Finished => Action::Close,
        }
    }

    /// The earliest moment the engine wants to hear from the adapter even if nothing happens.
    pub fn deadline(&self) -> Millis {
        self.step_deadline.min(self.overall_deadline)
    }

    pub fn is_finished(&self) -> bool {
        matches!(self.phase, Phase::Finished)
    }

    /// Steps finished since the last call, for live progress.
    pub fn take_progress(&mut self) -> &[StepRecord] {
        let seen = self.progress_seen;
        self.progress_seen = self.record.steps.len();
        &self.record.steps[seen..]
    }

    /// The address the adapter resolved (and checked against its guard), or why it could not.
    pub fn on_resolved(&mut self, result: Result<IpAddr, String>, now: Millis) {
        if !matches!(self.phase, Phase::Resolving(_)) {
            return;
        }
        match result {
            Ok(address) => {
                self.record.end(StepStatus::Ok, 1, now);
                self.address = Some(address);
                self.record.begin(Step::Connect, now);
                self.step_deadline = now.plus(self.config.connect_timeout_ms);
                self.phase = Phase::Connecting(address);
            }
            Err(detail) => self.finish(OutcomeKind::DnsFailed { detail }, now),
        }
    }

    pub fn on_connected(&mut self, now: Millis) {
        if !matches!(self.phase, Phase::Connecting(_)) {
            return;
        }
        self.record.end(StepStatus::Ok, 1, now);
        self.sent_since_receive = false;
        if self.target.security == Security::Tls {
            let state = Dialogue::Handshake(AwaitHandshake { implicit: true });
            self.begin_tls(state, now);
        } else {
            self.enter(Dialogue::Greeting(AwaitGreeting), now);
        }
    }

    pub fn on_connect_failed(&mut self, failure: ConnectFailure, now: Millis) {
        if !matches!(self.phase, Phase::Connecting(_)) {
            return;
        }
        let kind = match failure {
            ConnectFailure::Refused => OutcomeKind::ConnectionRefused,
            ConnectFailure::Other(detail) => OutcomeKind::ConnectFailed { detail },
        };
        self.finish(kind, now);
    }

    pub fn on_received(&mut self, bytes: &[u8], now: Millis) {
        if !matches!(self.phase, Phase::Talking(_)) {
            return;
        }
        // The greeting is the server speaking first: no round trip of ours, even when our last
        // TLS handshake flight left just before it.
        let greeting = matches!(self.phase, Phase::Talking(Dialogue::Greeting(_)));
        if std::mem::take(&mut self.sent_since_receive) && !greeting {
            self.step_round_trips += 1;
        }
        // Whatever came while the first command waited for the tickets releases it.
        let held = self.held_until.take().is_some();
        let plaintext = match self.transport.receive(bytes, &mut self.outbox) {
            Ok(Received::Plaintext(plaintext)) => plaintext,
            Ok(Received::Established(plaintext)) => {
                let unix_secs = self.unix_secs(now);
                let host = &self.target.host;
                let (trust, cache) = (&self.config.trust, &self.config.verifications);
                self.found.tls = self.transport.report(trust, cache, host, unix_secs);
                if let Some(tls) = &self.found.tls {
                    let note = format!("TLS established: {}, {}", tls.version, tls.cipher_suite);
                    self.record.note(note, now);
                }
                // Our Finished leaves in a write of its own and the first command in the next.
                // In one segment, a TLS 1.3 server (Postfix/OpenSSL) answers the Finished with
                // session tickets and holds its reply to the command under Nagle until the
                // tickets are acknowledged: a delayed ACK, ~40 ms, lost on every probe
                // (BENCHMARKS.md, "Round trips through a delaying relay").
                let finished = std::mem::take(&mut self.outbox);
                self.dispatch(Event::TlsEstablished, now);
                self.next_flight = std::mem::replace(&mut self.outbox, finished);
                self.hold_for_tickets(now);
                plaintext
            }
            Err(kind) => return self.finish(kind, now),
        };
        if held && !plaintext.is_empty() {
            let detail = "the server spoke inside TLS before sendcheck's first command".into();
            return self.finish(OutcomeKind::MalformedReply { detail }, now);
        }
        self.parser.feed(&plaintext);
        self.take_replies(now);
    }

    /// The peer closed its side (EOF).
    pub fn on_closed(&mut self, now: Millis) {
        let kind = match &self.phase {
            Phase::Talking(Dialogue::Quit(_)) => return self.end_quit(StepStatus::Ok, now),
            Phase::Talking(Dialogue::Greeting(_)) => OutcomeKind::ClosedBeforeGreeting,
            Phase::Talking(Dialogue::Handshake(_)) => OutcomeKind::TlsHandshakeFailed {
                detail: "the server closed the connection during the TLS handshake".into(),
                alert: None,
            },
            Phase::Talking(_) => OutcomeKind::ClosedDuringDialogue,
            _ => return,
        };
        self.finish(kind, now);
    }

    pub fn on_stream_error(&mut self, failure: StreamFailure, now: Millis) {
        let kind = match (&self.phase, failure) {
            // The server may reset instead of answering QUIT; everything was learned already.
            (Phase::Talking(Dialogue::Quit(_)), _) => return self.end_quit(StepStatus::Ok, now),
            (Phase::Talking(_), StreamFailure::Reset) => OutcomeKind::ConnectionReset,
            (Phase::Talking(_), StreamFailure::Other(detail)) => {
                OutcomeKind::ConnectionLost { detail }
            }
            _ => return,
        };
        self.finish(kind, now);
    }

    /// Called when `now` has reached [`Probe::deadline`] with nothing else to report.
    pub fn on_timeout(&mut self, now: Millis) {
        if self.held_until.is_some_and(|until| now >= until) {
            // No tickets came (TLS 1.2, or a server that sends none): the command goes now.
            self.held_until = None;
            return;
        }
        if now < self.deadline() {
            return;
        }
        let step_expired = self.step_deadline <= self.overall_deadline;
        let kind = match &self.phase {
            Phase::Finished => return,
            Phase::Talking(Dialogue::Quit(_)) => return self.end_quit(StepStatus::Failed, now),
            _ if !step_expired => OutcomeKind::DeadlineReached,
            Phase::Resolving(_) => OutcomeKind::DnsFailed {
                detail: format!(
                    "no answer from the resolver within {} ms",
                    self.config.resolve_timeout_ms
                ),
            },
            Phase::Connecting(_) => OutcomeKind::ConnectTimeout,
            Phase::Talking(Dialogue::Greeting(_)) => OutcomeKind::GreetingTimeout,
            Phase::Talking(_) => OutcomeKind::ReplyTimeout,
        };
        self.finish(kind, now);
    }

    /// The report. A probe the adapter abandoned early ends as `DeadlineReached`.
    pub fn into_report(mut self, now: Millis) -> ProbeReport {
        if self.outcome.is_none() {
            self.finish(OutcomeKind::DeadlineReached, now);
        }
        let outcome = self.outcome.take().unwrap_or(Outcome {
            kind: OutcomeKind::DeadlineReached,
            step: Step::Connect,
            at_ms: 0,
        });
        let saw_ehlo =
            self.found.capabilities.is_some() || self.found.capabilities_after_tls.is_some();
        ProbeReport {
            version: REPORT_VERSION,
            target: TargetSummary {
                host: self.target.host.to_string(),
                port: self.target.port.get(),
                security: self.target.security,
            },
            address: self.address.map(|a| a.to_string()),
            started_at_unix_ms: self.started_at_unix_ms,
            total_ms: self.record.elapsed(now),
            outcome,
            greeting: self.found.greeting,
            capabilities: self.found.capabilities,
            capabilities_after_tls: self.found.capabilities_after_tls,
            tls: self.found.tls,
            auth: saw_ehlo.then_some(self.found.auth),
            steps: self.record.steps,
            transcript: self.record.transcript,
        }
    }

    fn take_replies(&mut self, now: Millis) {
        while let Phase::Talking(_) = self.phase {
            match self.parser.next_reply() {
                Ok(Some(reply)) => {
                    let reply = self.recorded(reply, now);
                    self.dispatch(Event::Reply(reply), now);
                    if !self.outbox.is_empty() && self.parser.has_pending_bytes() {
                        // Also what defeats STARTTLS command injection (CVE-2011-0411 style):
                        // nothing sent before the handshake may be read after it.
                        let detail = format!(
                            "the server sent {:?} before sendcheck's next command",
                            self.parser.leftover()
                        );
                        self.finish(OutcomeKind::MalformedReply { detail }, now);
                    }
                }
                Ok(None) => break,
                Err(error) => {
                    let kind = if error.is_oversize() {
                        OutcomeKind::ReplyTooLong
                    } else {
                        OutcomeKind::MalformedReply {
                            detail: error.to_string(),
                        }
                    };
                    self.record.note(format!("unreadable reply: {error}"), now);
                    self.finish(kind, now);
                }
            }
        }
    }

    /// Puts a reply into the transcript and returns it for the dialogue. Once the login has
    /// begun, the server knows the user name and password and may quote them back: they are
    /// taken out of both ([`Credentials::scrub`]) — except that a `334` challenge reaches the
    /// dialogue as sent, because CRAM-MD5 answers it byte for byte.
    fn recorded(&mut self, reply: Reply, now: Millis) -> Reply {
        let login_begun =
            matches!(&self.phase, Phase::Talking(d) if matches!(d.step(), Step::Auth | Step::Quit));
        match self.credentials.as_ref().filter(|_| login_begun) {
            None => {
                self.record.server(&reply, now);
                reply
            }
            Some(credentials) if reply.code.get() == 334 => {
                self.record.server(&credentials.scrub(reply.clone()), now);
                reply
            }
            Some(credentials) => {
                let shown = credentials.scrub(reply);
                self.record.server(&shown, now);
                shown
            }
        }
    }

    fn dispatch(&mut self, event: Event, now: Millis) {
        let Phase::Talking(state) = std::mem::replace(&mut self.phase, Phase::Finished) else {
            return;
        };
        let step = state.step();
        let cx = Context {
            client_name: &self.config.client_name,
            security: self.target.security,
            credentials: self.credentials.as_ref(),
            login_elsewhere: self.config.login_elsewhere,
            tls_active: self.transport.is_tls(),
            found: &mut self.found,
        };
        match state.on_event(event, cx) {
            Next::Continue {
                status,
                command,
                state,
            } => {
                if state.step() != step {
                    self.record.end(status, self.step_round_trips, now);
                    self.enter(state, now);
                } else {
                    self.refresh_deadline(&state, now);
                    self.phase = Phase::Talking(state);
                }
                if let Some(command) = command {
                    self.queue(command, now);
                }
            }
            Next::StartTls { state } => {
                self.record.end(StepStatus::Ok, self.step_round_trips, now);
                self.begin_tls(state, now);
            }
            Next::Finish {
                status,
                outcome,
                step,
            } => {
                self.record.end(status, self.step_round_trips, now);
                self.conclude(outcome, step, now);
            }
        }
    }

    fn begin_tls(&mut self, state: Dialogue, now: Millis) {
        match Transport::start_tls(&self.target.host, self.unix_secs(now)) {
            Ok(transport) => {
                self.transport = transport;
                self.enter(state, now);
                self.transport.flush(&mut self.outbox);
            }
            Err(kind) => {
                self.record.begin(Step::TlsHandshake, now);
                self.finish(kind, now);
            }
        }
    }

    /// After a TLS 1.3 handshake the server sends session tickets; Postfix (OpenSSL) then holds
    /// its reply to our first command under Nagle until they are acknowledged, and a client
    /// that has nothing to send acknowledges late (a delayed ACK: ~40 ms when round trips are
    /// short). Sent once the tickets are here, the command carries that acknowledgement, so
    /// the reply comes two round trips after our Finished — the least the server's Nagle
    /// allows — instead of two plus a delayed ACK. Only where the round trip is shorter than
    /// the shortest delayed ACK (Linux's TCP_DELACK_MIN): on longer ones the acknowledgement
    /// leaves at once anyway. A server that sends no tickets costs a wait of about one
    /// handshake round trip (measured through lab/relay.mjs: BENCHMARKS.md).
    fn hold_for_tickets(&mut self, now: Millis) {
        let tls13 = self
            .found
            .tls
            .as_ref()
            .is_some_and(|t| t.version == "TLS 1.3");
        let handshake_ms = match self.record.steps.last() {
            Some(step) if step.step == Step::TlsHandshake => step.duration_ms,
            _ => return,
        };
        if handshake_ms >= DELAYED_ACK_MIN_MS {
            return;
        }
        if tls13 && !self.next_flight.is_empty() {
            let wait = (handshake_ms + handshake_ms / 2 + 5).min(TICKET_WAIT_MAX_MS);
            self.held_until = Some(now.plus(wait));
        }
    }

    /// The wall clock at `now`, from the one reading the adapter gave at the start.
    fn unix_secs(&self, now: Millis) -> u64 {
        (self.started_at_unix_ms + now.since(self.record.origin())) / 1000
    }

    fn queue(&mut self, command: Command, now: Millis) {
        self.record.client(command.to_string(), now);
        self.transport.send(&command.to_wire(), &mut self.outbox);
    }

    fn enter(&mut self, state: Dialogue, now: Millis) {
        self.record.begin(state.step(), now);
        self.step_round_trips = 0;
        self.refresh_deadline(&state, now);
        self.phase = Phase::Talking(state);
    }

    fn refresh_deadline(&mut self, state: &Dialogue, now: Millis) {
        let timeout = match state {
            // On 465 the server's first flight is its way of greeting.
            Dialogue::Greeting(_) | Dialogue::Handshake(AwaitHandshake { implicit: true }) => {
                self.config.greeting_timeout_ms
            }
            _ => self.config.reply_timeout_ms,
        };
        self.step_deadline = now.plus(timeout);
    }

    /// QUIT was answered, refused by a close, or never answered: the probe ends with the
    /// outcome decided before QUIT was sent.
    fn end_quit(&mut self, status: StepStatus, now: Millis) {
        if let Phase::Talking(Dialogue::Quit(quit)) =
            std::mem::replace(&mut self.phase, Phase::Finished)
        {
            self.record.end(status, self.step_round_trips.max(1), now);
            self.conclude(quit.then, quit.step, now);
        }
    }

    /// Ends the probe from the step under way, which failed unless the outcome is a success.
    fn finish(&mut self, kind: OutcomeKind, now: Millis) {
        let step = self.record.step();
        let status = if kind.is_success() {
            StepStatus::Ok
        } else {
            StepStatus::Failed
        };
        self.record.end(status, self.step_round_trips, now);
        self.conclude(kind, step, now);
    }

    fn conclude(&mut self, kind: OutcomeKind, step: Step, now: Millis) {
        // A dialogue that otherwise succeeded is judged by its certificate.
        let kind = match (&kind, &self.found.tls) {
            (OutcomeKind::Completed, Some(tls)) if !tls.verification.is_verified() => {
                OutcomeKind::CertificateUntrusted {
                    problems: tls.verification.problems().to_vec(),
                }
            }
            _ => kind,
        };
        let step = if matches!(kind, OutcomeKind::CertificateUntrusted { .. }) {
            Step::TlsHandshake
        } else {
            step
        };
        self.outcome = Some(Outcome {
            kind,
            step,
            at_ms: self.record.elapsed(now),
        });
        self.outbox.clear();
        self.next_flight.clear();
        self.held_until = None;
        self.phase = Phase::Finished;
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tls_tests;
