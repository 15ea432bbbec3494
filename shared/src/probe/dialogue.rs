//! The SMTP dialogue as one type per state. A transition consumes the state and one event (a
//! reply, or "TLS is up") and says what to send and where to wait next, or how the probe ends.
//! Nothing here does IO, keeps time or touches TLS: [`super::Probe`] does that around these
//! transitions.

use crate::probe::auth::{self, AwaitAuthResult, AwaitCramChallenge, AwaitLoginChallenge};
use crate::smtp::{Capabilities, Command, Credentials, Reply};
use crate::target::{Hostname, Security};
use crate::wire::{AuthReport, AuthSkipped, OutcomeKind, Step, StepStatus, TlsReport};

/// What the dialogue learned, kept for the report.
#[derive(Debug, Clone, Default)]
pub(crate) struct Found {
    pub(crate) greeting: Option<Reply>,
    pub(crate) capabilities: Option<Capabilities>,
    pub(crate) capabilities_after_tls: Option<Capabilities>,
    pub(crate) tls: Option<TlsReport>,
    pub(crate) auth: AuthReport,
}

/// What the dialogue reacts to.
#[derive(Debug)]
pub(crate) enum Event {
    Reply(Reply),
    /// The TLS handshake completed (its report is already in [`Found::tls`]).
    TlsEstablished,
}

/// Waiting, in one of these states.
#[derive(Debug)]
pub(crate) enum Dialogue {
    Greeting(AwaitGreeting),
    Ehlo(AwaitEhlo),
    Helo(AwaitHelo),
    StartTls(AwaitStartTls),
    Handshake(AwaitHandshake),
    EhloAfterTls(AwaitEhloAfterTls),
    LoginChallenge(AwaitLoginChallenge),
    CramChallenge(AwaitCramChallenge),
    AuthResult(AwaitAuthResult),
    Quit(AwaitQuit),
}

/// Where a transition leads.
#[derive(Debug)]
pub(crate) enum Next {
    /// The current step ended with `status`; send `command` (if any), then wait in `state`.
    Continue {
        status: StepStatus,
        command: Option<Command>,
        state: Dialogue,
    },
    /// STARTTLS was accepted: begin the TLS handshake and wait in `state`.
    StartTls { state: Dialogue },
    /// The probe is over: the current step ended with `status`, and `outcome` belongs to
    /// `step` (a refused greeting is the greeting's fault, even when noticed after QUIT).
    Finish {
        status: StepStatus,
        outcome: OutcomeKind,
        step: Step,
    },
}

/// What a transition may read and record.
pub(crate) struct Context<'a> {
    pub(crate) client_name: &'a Hostname,
    pub(crate) security: Security,
    pub(crate) credentials: Option<&'a Credentials>,
    /// `ProbeConfig::login_elsewhere`.
    pub(crate) login_elsewhere: bool,
    pub(crate) tls_active: bool,
    pub(crate) found: &'a mut Found,
}

impl Dialogue {
    pub(crate) fn step(&self) -> Step {
        match self {
            Self::Greeting(_) => Step::Greeting,
            Self::Ehlo(_) => Step::Ehlo,
            Self::Helo(_) => Step::Helo,
            Self::StartTls(_) => Step::StartTls,
            Self::Handshake(_) => Step::TlsHandshake,
            Self::EhloAfterTls(_) => Step::EhloAfterTls,
            Self::LoginChallenge(_) | Self::CramChallenge(_) | Self::AuthResult(_) => Step::Auth,
            Self::Quit(_) => Step::Quit,
        }
    }

    pub(crate) fn on_event(self, event: Event, cx: Context<'_>) -> Next {
        let reply = match event {
            Event::TlsEstablished => {
                return match self {
                    Self::Handshake(state) => state.on_established(cx),
                    other => failed(
                        OutcomeKind::MalformedReply {
                            detail: "TLS completed outside a handshake".into(),
                        },
                        other.step(),
                    ),
                };
            }
            Event::Reply(reply) => reply,
        };
        match self {
            Self::Greeting(state) => state.on_reply(reply, cx),
            Self::Ehlo(state) => state.on_reply(reply, cx),
            Self::Helo(state) => state.on_reply(reply, cx),
            Self::StartTls(state) => state.on_reply(reply),
            Self::Handshake(_) => failed(
                OutcomeKind::MalformedReply {
                    detail: "an SMTP reply arrived during the TLS handshake".into(),
                },
                Step::TlsHandshake,
            ),
            Self::EhloAfterTls(state) => state.on_reply(reply, cx),
            Self::LoginChallenge(state) => state.on_reply(reply, cx),
            Self::CramChallenge(state) => state.on_reply(reply, cx),
            Self::AuthResult(state) => state.on_reply(reply, cx),
            Self::Quit(state) => Next::Finish {
                status: StepStatus::Ok,
                outcome: state.then,
                step: state.step,
            },
        }
    }
}

/// Connected (and, on 465, TLS is up); the server speaks first (RFC 5321 §4.3.1).
#[derive(Debug)]
pub(crate) struct AwaitGreeting;

impl AwaitGreeting {
    fn on_reply(self, reply: Reply, cx: Context<'_>) -> Next {
        let code = reply.code;
        cx.found.greeting = Some(reply.clone());
        if code.is_positive() {
            let (command, state) = if cx.tls_active {
                (
                    Command::Ehlo(cx.client_name.clone()),
                    Dialogue::EhloAfterTls(AwaitEhloAfterTls),
                )
            } else {
                (
                    Command::Ehlo(cx.client_name.clone()),
                    Dialogue::Ehlo(AwaitEhlo),
                )
            };
            return send(StepStatus::Ok, command, state);
        }
        let outcome = OutcomeKind::GreetingRejected { reply };
        if code.is_permanent() {
            // 554: the server will answer nothing but QUIT, which it expects (§3.1).
            quit_then(StepStatus::Failed, outcome, Step::Greeting)
        } else {
            // 421: the server is closing the connection itself.
            failed(outcome, Step::Greeting)
        }
    }
}

/// EHLO sent on the plain connection.
#[derive(Debug)]
pub(crate) struct AwaitEhlo;

impl AwaitEhlo {
    fn on_reply(self, reply: Reply, cx: Context<'_>) -> Next {
        if reply.code.is_positive() {
            cx.found.capabilities = Some(Capabilities::from_reply(&reply));
            return after_capabilities(Step::Ehlo, cx);
        }
        if reply.code.get() == 421 {
            return failed(OutcomeKind::EhloRejected { reply }, Step::Ehlo);
        }
        // RFC 5321 §4.1.4: a server that does not know EHLO still knows HELO.
        let helo = Command::Helo(cx.client_name.clone());
        send(StepStatus::Failed, helo, Dialogue::Helo(AwaitHelo))
    }
}

/// EHLO was refused; HELO sent.
#[derive(Debug)]
pub(crate) struct AwaitHelo;

impl AwaitHelo {
    fn on_reply(self, reply: Reply, cx: Context<'_>) -> Next {
        if reply.code.is_positive() {
            cx.found.capabilities = Some(Capabilities::from_reply(&reply));
            return after_capabilities(Step::Helo, cx);
        }
        let closing = reply.code.get() == 421;
        let outcome = OutcomeKind::EhloRejected { reply };
        if closing {
            failed(outcome, Step::Helo)
        } else {
            quit_then(StepStatus::Failed, outcome, Step::Helo)
        }
    }
}

/// The capabilities are known: upgrade with STARTTLS if that is the plan, else go to AUTH.
fn after_capabilities(step: Step, cx: Context<'_>) -> Next {
    if cx.security == Security::Starttls && !cx.tls_active {
        let offered = cx
            .found
            .capabilities
            .as_ref()
            .is_some_and(Capabilities::starttls);
        auth::note_offered(&mut *cx.found, false);
        if offered {
            let state = Dialogue::StartTls(AwaitStartTls);
            return send(StepStatus::Ok, Command::StartTls, state);
        }
        if cx.credentials.is_some() {
            // The password would cross the network in clear: never sent.
            cx.found.auth.skipped = Some(AuthSkipped::CleartextRefused);
        }
        return quit_then(StepStatus::Ok, OutcomeKind::StartTlsNotOffered, step);
    }
    auth::begin(step, cx)
}

/// STARTTLS sent (RFC 3207 §4).
#[derive(Debug)]
pub(crate) struct AwaitStartTls;

impl AwaitStartTls {
    fn on_reply(self, reply: Reply) -> Next {
        if reply.code.get() == 220 {
            return Next::StartTls {
                state: Dialogue::Handshake(AwaitHandshake { implicit: false }),
            };
        }
        let closing = reply.code.get() == 421;
        let outcome = OutcomeKind::StartTlsRefused { reply };
        if closing {
            failed(outcome, Step::StartTls)
        } else {
            quit_then(StepStatus::Failed, outcome, Step::StartTls)
        }
    }
}

/// TLS handshake under way: after STARTTLS, or from the first byte on 465 (RFC 8314).
#[derive(Debug)]
pub(crate) struct AwaitHandshake {
    pub(crate) implicit: bool,
}

impl AwaitHandshake {
    fn on_established(self, cx: Context<'_>) -> Next {
        if self.implicit {
            // The greeting comes inside TLS; nothing to send until it does.
            return Next::Continue {
                status: StepStatus::Ok,
                command: None,
                state: Dialogue::Greeting(AwaitGreeting),
            };
        }
        // RFC 3207 §4.2: forget what was learned before TLS and ask again.
        let ehlo = Command::Ehlo(cx.client_name.clone());
        send(
            StepStatus::Ok,
            ehlo,
            Dialogue::EhloAfterTls(AwaitEhloAfterTls),
        )
    }
}

/// EHLO sent inside TLS.
#[derive(Debug)]
pub(crate) struct AwaitEhloAfterTls;

impl AwaitEhloAfterTls {
    fn on_reply(self, reply: Reply, cx: Context<'_>) -> Next {
        if reply.code.is_positive() {
            cx.found.capabilities_after_tls = Some(Capabilities::from_reply(&reply));
            return auth::begin(Step::EhloAfterTls, cx);
        }
        let closing = reply.code.get() == 421;
        let outcome = OutcomeKind::EhloRejected { reply };
        if closing {
            failed(outcome, Step::EhloAfterTls)
        } else {
            quit_then(StepStatus::Failed, outcome, Step::EhloAfterTls)
        }
    }
}

/// QUIT sent; whatever comes back (or a close), the probe ends with `then`.
#[derive(Debug)]
pub(crate) struct AwaitQuit {
    pub(crate) then: OutcomeKind,
    /// The step the outcome belongs to.
    pub(crate) step: Step,
}

pub(crate) fn send(status: StepStatus, command: Command, state: Dialogue) -> Next {
    Next::Continue {
        status,
        command: Some(command),
        state,
    }
}

pub(crate) fn failed(outcome: OutcomeKind, step: Step) -> Next {
    Next::Finish {
        status: StepStatus::Failed,
        outcome,
        step,
    }
}

pub(crate) fn quit_then(status: StepStatus, then: OutcomeKind, step: Step) -> Next {
    send(
        status,
        Command::Quit,
        Dialogue::Quit(AwaitQuit { then, step }),
    )
}
