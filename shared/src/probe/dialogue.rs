//! The SMTP dialogue as one type per state. A transition consumes the state and one reply and
//! returns what to send next and the next state, or the outcome. Nothing here does IO or
//! keeps time: [`super::Probe`] records, times and queues bytes around these transitions.

use crate::smtp::{Capabilities, Command, Reply};
use crate::wire::{OutcomeKind, Step, StepStatus};

/// What the dialogue learned, kept for the report.
#[derive(Debug, Clone, Default)]
pub(crate) struct Found {
    pub(crate) greeting: Option<Reply>,
    pub(crate) capabilities: Option<Capabilities>,
}

/// Waiting for a reply, in one of these states.
#[derive(Debug, Clone)]
pub(crate) enum Dialogue {
    Greeting(AwaitGreeting),
    Ehlo(AwaitEhlo),
    Helo(AwaitHelo),
    Quit(AwaitQuit),
}

/// Where a transition leads.
#[derive(Debug)]
pub(crate) enum Next {
    /// The current step ended with `status`; send `command`, then wait in `state`.
    Send {
        status: StepStatus,
        command: Command,
        state: Dialogue,
    },
    /// The probe is over: the current step ended with `status`, and `outcome` belongs to
    /// `step` (a refused greeting is the greeting's fault, even when noticed after QUIT).
    Finish {
        status: StepStatus,
        outcome: OutcomeKind,
        step: Step,
    },
}

/// The hostname the probe announces itself with.
pub(crate) struct Context<'a> {
    pub(crate) client_name: &'a crate::target::Hostname,
    pub(crate) found: &'a mut Found,
}

impl Dialogue {
    pub(crate) fn step(&self) -> Step {
        match self {
            Self::Greeting(_) => Step::Greeting,
            Self::Ehlo(_) => Step::Ehlo,
            Self::Helo(_) => Step::Helo,
            Self::Quit(_) => Step::Quit,
        }
    }

    /// Round trips the step costs: the greeting is the server speaking first; every other
    /// step is one command and its reply.
    pub(crate) fn round_trips(&self) -> u32 {
        match self {
            Self::Greeting(_) => 0,
            _ => 1,
        }
    }

    pub(crate) fn on_reply(self, reply: Reply, cx: Context<'_>) -> Next {
        match self {
            Self::Greeting(state) => state.on_reply(reply, cx),
            Self::Ehlo(state) => state.on_reply(reply, cx),
            Self::Helo(state) => state.on_reply(reply, cx),
            Self::Quit(state) => Next::Finish {
                status: StepStatus::Ok,
                outcome: state.then,
                step: state.step,
            },
        }
    }
}

/// Connected; the server speaks first (RFC 5321 §4.3.1).
#[derive(Debug, Clone)]
pub(crate) struct AwaitGreeting;

impl AwaitGreeting {
    fn on_reply(self, reply: Reply, cx: Context<'_>) -> Next {
        let code = reply.code;
        if code.is_positive() {
            cx.found.greeting = Some(reply);
            return Next::Send {
                status: StepStatus::Ok,
                command: Command::Ehlo(cx.client_name.clone()),
                state: Dialogue::Ehlo(AwaitEhlo),
            };
        }
        cx.found.greeting = Some(reply.clone());
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

/// EHLO sent.
#[derive(Debug, Clone)]
pub(crate) struct AwaitEhlo;

impl AwaitEhlo {
    fn on_reply(self, reply: Reply, cx: Context<'_>) -> Next {
        if reply.code.is_positive() {
            cx.found.capabilities = Some(Capabilities::from_reply(&reply));
            return quit_then(StepStatus::Ok, OutcomeKind::Completed, Step::Quit);
        }
        if reply.code.get() == 421 {
            return failed(OutcomeKind::EhloRejected { reply }, Step::Ehlo);
        }
        // RFC 5321 §4.1.4: a server that does not know EHLO still knows HELO.
        Next::Send {
            status: StepStatus::Failed,
            command: Command::Helo(cx.client_name.clone()),
            state: Dialogue::Helo(AwaitHelo),
        }
    }
}

/// EHLO was refused; HELO sent.
#[derive(Debug, Clone)]
pub(crate) struct AwaitHelo;

impl AwaitHelo {
    fn on_reply(self, reply: Reply, cx: Context<'_>) -> Next {
        if reply.code.is_positive() {
            cx.found.capabilities = Some(Capabilities::from_reply(&reply));
            return quit_then(StepStatus::Ok, OutcomeKind::Completed, Step::Quit);
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

/// QUIT sent; whatever comes back (or a close), the probe ends with `then`.
#[derive(Debug, Clone)]
pub(crate) struct AwaitQuit {
    pub(crate) then: OutcomeKind,
    /// The step the outcome belongs to.
    pub(crate) step: Step,
}

fn failed(outcome: OutcomeKind, step: Step) -> Next {
    Next::Finish {
        status: StepStatus::Failed,
        outcome,
        step,
    }
}

fn quit_then(status: StepStatus, then: OutcomeKind, step: Step) -> Next {
    Next::Send {
        status,
        command: Command::Quit,
        state: Dialogue::Quit(AwaitQuit { then, step }),
    }
}
