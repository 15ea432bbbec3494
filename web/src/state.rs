//! The page's state and every way it changes, as a [`Reducible`]: no browser API in here, so
//! all of it is tested natively.
//!
//! ```text
//!  form, questions, local output ──▶ Action ──▶ reduce ──▶ AppState
//!  Submit ──▶ Phase::Probing{id, progress} ──▶ (hooks::probe streams) ──▶ Action::Progress{id}
//!                                                                     └▶ Action::Answered{id}
//!                                                                         └▶ Reported | Failed
//!  hooks: whoami, knowledge files, browser reachability, discovery ──▶ their own Actions
//!  Reported + inside + answers ──▶ observations() ──▶ diagnose (memoised in the verdict)
//! ```
//!
//! The password for the optional login test lives in [`Form`] until the check it was typed
//! for has answered, and in that check's [`Pending`] while it runs; then both are gone. It is
//! never part of the address, and `Debug` never prints it.

use std::fmt;
use std::rc::Rc;

use sendcheck::diagnosis::{
    repeat_advised, BrowserResult, InsideView, Observations, PersonAnswers, OBSERVATIONS_VERSION,
};
use sendcheck::discovery::Discovery;
use sendcheck::embed::EmbedPreset;
use sendcheck::inside::Os;
use sendcheck::knowledge::{Knowledge, Texts as MessageTexts};
use sendcheck::target::{MailPort, Security};
use sendcheck::wire::{
    CheckReport, CredentialsInput, PortRequest, PortResult, ProbeRequest, ProgressEvent, WhoAmI,
};
use yew::Reducible;

use crate::check::{ports_to_check, CheckProgress};
use crate::discover::Discovered;
use crate::handoff::Handoff;
use crate::i18n::Lang;
use crate::library::{Library, Loadable, Wanted};
use crate::local::Local;
use crate::questions::{QuestionEdit, Questions};
use crate::reach::{Reach, ReachRow};

/// Everything the page shows is derived from this.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub lang: Lang,
    /// The mail program's outgoing server settings: what is checked, and what the diagnosis
    /// takes as configured.
    pub form: Form,
    pub phase: Phase,
    pub questions: Questions,
    pub local: Local,
    /// `GET /api/whoami`: the person's network as the edge sees it.
    pub network: Loadable<Rc<WhoAmI>>,
    /// What the browser reaches of the server's address, for the last check.
    pub reach: Option<Reach>,
    pub library: Library,
    pub discovered: Option<Discovered>,
    /// The page runs as the widget (`/embed`): compact, with a link to the full page.
    pub embed: bool,
    /// Numbers each probe, so an answer that arrives for an older one is ignored.
    probes_started: u32,
    /// Numbers each check the person started (its repeats keep the number): the verdict
    /// takes the focus once per check, and a change within a check is announced.
    pub check: u32,
    /// Earlier runs of the same check, when it was repeated to expose a fault that comes and
    /// goes (`repeat_advised`); the diagnosis reads them with the report shown.
    pub earlier_runs: Vec<Rc<CheckReport>>,
}

/// What the person typed and chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub host: String,
    pub port: MailPort,
    pub security: Security,
    /// Optional, with the password: only both together ask for a login test.
    pub username: String,
    pub password: Password,
}

/// What an edit of the form changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormEdit {
    /// A field a form error is about (server, user name, password): the error goes.
    Typed,
    /// The port or the security.
    Chosen,
}

impl Default for Form {
    /// Before anything is typed: port 587 with its usual security.
    fn default() -> Self {
        let port = MailPort::SUBMISSION;
        Self {
            host: String::new(),
            port,
            security: Security::usual_for(port),
            username: String::new(),
            password: Password::default(),
        }
    }
}

impl Form {
    /// Takes a preset's server and port (`?host=&port=`: the widget's host page, a link back
    /// to the full page); the port brings its usual security.
    pub fn prefill(&mut self, preset: &EmbedPreset) {
        if let Some(host) = &preset.host {
            self.host = host.to_string();
        }
        if let Some(port) = preset.port {
            self.port = port;
            self.security = Security::usual_for(port);
        }
    }

    /// Applies an edit of the form, the same in the start module and the full page; any other
    /// action comes back as it was.
    pub fn apply(&mut self, action: Action) -> Result<FormEdit, Action> {
        match action {
            Action::EditHost(host) => self.host = host,
            Action::EditUsername(username) => self.username = username,
            Action::EditPassword(password) => self.password = Password(password),
            Action::UseSettings {
                host,
                port,
                security,
            } => {
                self.host = host;
                self.port = port;
                self.security = security;
            }
            Action::ChoosePort(port) => {
                self.port = port;
                self.security = Security::usual_for(port);
                return Ok(FormEdit::Chosen);
            }
            Action::ChooseSecurity(security) => {
                self.security = security;
                return Ok(FormEdit::Chosen);
            }
            other => return Err(other),
        }
        Ok(FormEdit::Typed)
    }
}

/// A password as typed. `Debug` shows only whether there is one, so it cannot end up in a
/// log line or a panic message.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Password {
    fn from(typed: String) -> Self {
        Self(typed)
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = if self.is_empty() { "" } else { "<redacted>" };
        write!(f, "Password({shown})")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// Nothing asked yet.
    Idle,
    /// A check on its way, and how far each port has got.
    Probing {
        pending: Pending,
        progress: CheckProgress,
        /// While the page repeats a check by itself: the last run's report, whose verdict
        /// stays on the page until the repeat answers (the person is not kept waiting).
        shown: Option<Rc<CheckReport>>,
    },
    Reported(Rc<CheckReport>),
    Failed(Failure),
}

/// A check on its way: what was asked, under which number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub id: u32,
    pub host: String,
    /// The configured port first, then the standard alternatives.
    pub ports: Vec<(MailPort, Security)>,
    /// The login test, when both fields were filled (its `Debug` is redacted).
    pub credentials: Option<CredentialsInput>,
    /// 1 for a check the person started; 2 and 3 for the repeats the page makes by itself.
    pub run: usize,
}

/// Every way a check can fail to produce a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Caught before asking: the host field is empty.
    EmptyHost,
    /// Caught before asking: a password without a user name.
    MissingUsername,
    /// Caught before asking: a user name without a password.
    MissingPassword,
    /// The API refused the request (4xx/5xx with an `ApiError` body, or an `error` event).
    Api {
        status: u16,
        code: String,
        message: String,
    },
    /// The API answered, but not with anything this page can read.
    Unreadable { status: u16, detail: String },
    /// The request never got an answer: offline, DNS, the worker down.
    Unreachable { detail: String },
    /// No answer within the page's own time limit.
    TimedOut { seconds: u32 },
}

impl Failure {
    /// Whether the person should fix what they typed (rather than retry or reload).
    pub fn is_input_error(&self) -> bool {
        self.is_form_error() || matches!(self, Self::Api { .. })
    }

    /// Found in the form before anything was sent; editing the form takes it away.
    fn is_form_error(&self) -> bool {
        matches!(
            self,
            Self::EmptyHost | Self::MissingUsername | Self::MissingPassword
        )
    }
}

pub enum Action {
    SwitchLang,
    EditHost(String),
    EditUsername(String),
    EditPassword(String),
    /// Also picks the port's usual security; the person can change it afterwards.
    ChoosePort(MailPort),
    ChooseSecurity(Security),
    /// Settings from a discovered server or a fix, in one click.
    UseSettings {
        host: String,
        port: MailPort,
        security: Security,
    },
    Submit,
    /// A step or a port of the running check finished.
    Progress {
        id: u32,
        event: ProgressEvent,
    },
    Answered {
        id: u32,
        answer: Result<Rc<CheckReport>, Failure>,
    },
    Answer(QuestionEdit),
    ChooseOs(Os),
    EditLocalOutput(String),
    ReadLocalOutput,
    NetworkKnown(Result<Rc<WhoAmI>, String>),
    ReachStarted {
        id: u32,
        rows: Vec<ReachRow>,
    },
    ReachMeasured {
        id: u32,
        port: u16,
        result: BrowserResult,
        elapsed_ms: u64,
    },
    LibraryFetching(Wanted),
    RetryLibrary,
    TablesLoaded(Result<Rc<Knowledge>, String>),
    TextsLoaded(Lang, Result<Rc<MessageTexts>, String>),
    Discovering(String),
    Discovered {
        query: String,
        result: Result<Rc<Discovery>, String>,
    },
}

impl AppState {
    pub fn new(lang: Lang) -> Self {
        Self {
            lang,
            form: Form::default(),
            phase: Phase::Idle,
            questions: Questions::default(),
            local: Local::default(),
            network: Loadable::NotAsked,
            reach: None,
            library: Library::default(),
            discovered: None,
            embed: false,
            probes_started: 0,
            check: 0,
            earlier_runs: Vec::new(),
        }
    }

    /// Starting values from the address (`?host=&port=&address=`, also what the widget's host
    /// page presets): only a prefill, the person can change everything.
    pub fn with_preset(mut self, preset: &EmbedPreset, embed: bool) -> Self {
        self.form.prefill(preset);
        if let Some(address) = &preset.address {
            self.questions.email.clone_from(address);
        }
        self.embed = embed;
        self
    }

    /// The local check's system guessed from the browser's `User-Agent`.
    pub fn with_user_agent(mut self, user_agent: &str) -> Self {
        self.local = Local::for_user_agent(user_agent);
        self
    }

    /// What the person did in the start module before this one took over (`crate::handoff`):
    /// their language, address and form (the address is looked up from here); a check they
    /// asked for starts now.
    pub fn with_handoff(mut self, handoff: &Handoff) -> Self {
        if let Some(lang) = handoff.lang() {
            self.lang = lang;
        }
        self.form = handoff.form();
        self.questions.email.clone_from(&handoff.email);
        if handoff.submitted {
            self = self.reduced(Action::Submit);
        }
        self
    }

    /// The check the page is waiting for, if any.
    pub fn pending(&self) -> Option<&Pending> {
        match &self.phase {
            Phase::Probing { pending, .. } => Some(pending),
            _ => None,
        }
    }

    pub fn is_probing(&self) -> bool {
        self.pending().is_some()
    }

    /// The last check's report, once it has arrived (also while the page repeats it).
    pub fn report(&self) -> Option<&Rc<CheckReport>> {
        match &self.phase {
            Phase::Reported(report) => Some(report),
            Phase::Probing { shown, .. } => shown.as_ref(),
            _ => None,
        }
    }

    /// The repeat the page is making by itself, while the last run's verdict shows.
    pub fn repeating(&self) -> Option<(&Pending, &CheckProgress)> {
        match &self.phase {
            Phase::Probing {
                pending,
                progress,
                shown: Some(_),
            } => Some((pending, progress)),
            _ => None,
        }
    }

    /// What is known from the person's side: their network, their computer, their browser.
    pub fn inside(&self) -> InsideView {
        InsideView {
            network: self.network.ready().and_then(|w| w.network.clone()),
            local_checks: self.local.checks().to_vec(),
            browser_checks: self
                .reach
                .as_ref()
                .map(Reach::browser_checks)
                .unwrap_or_default(),
        }
    }

    pub fn answers(&self) -> PersonAnswers {
        self.questions.person_answers(&self.form)
    }

    /// Everything the diagnosis reads, once a check has reported.
    pub fn observations(&self) -> Option<Observations> {
        Some(observations(
            &self.earlier_runs,
            self.report()?,
            self.inside(),
            self.answers(),
        ))
    }

    fn reduced(mut self, action: Action) -> Self {
        let action = match self.form.apply(action) {
            Ok(edit) => {
                if edit == FormEdit::Typed {
                    self.clear_form_error();
                }
                return self;
            }
            Err(action) => action,
        };
        match action {
            Action::SwitchLang => self.lang = self.lang.other(),
            // Applied to the form above.
            Action::EditHost(_)
            | Action::EditUsername(_)
            | Action::EditPassword(_)
            | Action::ChoosePort(_)
            | Action::ChooseSecurity(_)
            | Action::UseSettings { .. } => {}
            Action::Submit => self.submit(),
            Action::Progress { id, event } => self.progress(id, &event),
            Action::Answered { id, answer } => self.answered(id, answer),
            Action::Answer(edit) => self.questions.apply(edit),
            Action::ChooseOs(os) => {
                self.local.os = os;
                self.local.os_unknown = false;
            }
            Action::EditLocalOutput(text) => self.local.output = text,
            Action::ReadLocalOutput => self.local.read_output(),
            Action::NetworkKnown(result) => {
                self.network = match result {
                    Ok(whoami) => Loadable::Ready(whoami),
                    Err(e) => Loadable::Failed(e),
                }
            }
            Action::ReachStarted { id, rows } => {
                if let Some(reach) = self.reach.as_mut().filter(|r| r.id == id) {
                    if reach.rows.is_empty() {
                        reach.rows = rows;
                    }
                }
            }
            Action::ReachMeasured {
                id,
                port,
                result,
                elapsed_ms,
            } => {
                if let Some(reach) = self.reach.as_mut().filter(|r| r.id == id) {
                    reach.record(port, result, elapsed_ms);
                }
            }
            Action::LibraryFetching(wanted) => self.library.start(wanted),
            Action::RetryLibrary => self.library.retry(),
            Action::TablesLoaded(result) => self.library.tables_loaded(result),
            Action::TextsLoaded(lang, result) => self.library.texts_loaded(lang, result),
            Action::Discovering(query) => {
                self.discovered = Some(Discovered {
                    query,
                    result: Loadable::Loading,
                })
            }
            Action::Discovered { query, result } => {
                if let Some(discovered) = self.discovered.as_mut().filter(|d| d.query == query) {
                    discovered.result = match result {
                        Ok(discovery) => Loadable::Ready(discovery),
                        Err(e) => Loadable::Failed(e),
                    };
                }
            }
        }
        self
    }

    fn submit(&mut self) {
        if self.is_probing() {
            return;
        }
        let host = self.form.host.trim();
        if host.is_empty() {
            self.phase = Phase::Failed(Failure::EmptyHost);
            return;
        }
        let username = self.form.username.trim();
        let credentials = match (username.is_empty(), self.form.password.is_empty()) {
            (true, true) => None,
            (false, false) => Some(CredentialsInput {
                username: username.to_owned(),
                password: self.form.password.as_str().to_owned(),
            }),
            (true, false) => {
                self.phase = Phase::Failed(Failure::MissingUsername);
                return;
            }
            (false, true) => {
                self.phase = Phase::Failed(Failure::MissingPassword);
                return;
            }
        };
        self.probes_started = self.probes_started.wrapping_add(1);
        self.check = self.check.wrapping_add(1);
        let id = self.probes_started;
        let ports = ports_to_check(self.form.port, self.form.security);
        self.reach = Some(Reach::new(id, self.form.port == MailPort::ALTERNATE));
        self.earlier_runs.clear();
        self.phase = Phase::Probing {
            shown: None,
            progress: CheckProgress::new(&ports),
            pending: Pending {
                id,
                host: host.to_owned(),
                ports,
                credentials,
                run: 1,
            },
        };
    }

    /// The same check once more, without the login test (its password is gone by now, and a
    /// fault that comes and goes shows before any login): the report so far stays shown,
    /// with its verdict, until this run answers.
    fn repeat(&mut self, report: Rc<CheckReport>, done: &Pending) {
        self.probes_started = self.probes_started.wrapping_add(1);
        let id = self.probes_started;
        // The browser's reachability measurement (keyed by the first run's id) goes on.
        self.phase = Phase::Probing {
            shown: Some(report),
            progress: CheckProgress::new(&done.ports),
            pending: Pending {
                id,
                host: done.host.clone(),
                ports: done.ports.clone(),
                credentials: None,
                run: done.run + 1,
            },
        };
    }

    fn progress(&mut self, id: u32, event: &ProgressEvent) {
        let Phase::Probing {
            pending, progress, ..
        } = &mut self.phase
        else {
            return;
        };
        if pending.id != id {
            return;
        }
        progress.apply(event);
        if let ProgressEvent::Port {
            result: PortResult::Probed { report },
        } = event
        {
            self.learn_address(id, report.address.as_deref());
        }
    }

    fn answered(&mut self, id: u32, answer: Result<Rc<CheckReport>, Failure>) {
        let Some(done) = self.pending().filter(|pending| pending.id == id).cloned() else {
            return;
        };
        // The run shown until now becomes an earlier run of this check.
        if let Phase::Probing {
            shown: Some(shown), ..
        } = &self.phase
        {
            self.earlier_runs.push(shown.clone());
        }
        // Replacing the phase drops the pending check's copy of the password too.
        self.form.password = Password::default();
        match answer {
            Ok(report) => {
                let address = report.ports.iter().find_map(|p| match p {
                    PortResult::Probed { report } => report.address.clone(),
                    _ => None,
                });
                self.learn_address(id, address.as_deref());
                if let Some(reach) = self.reach.as_mut().filter(|r| r.address.is_none()) {
                    reach.unresolved = true;
                }
                let mut runs: Vec<CheckReport> =
                    self.earlier_runs.iter().map(|r| (**r).clone()).collect();
                runs.push((*report).clone());
                if repeat_advised(&runs) {
                    self.repeat(report, &done);
                    return;
                }
                self.phase = Phase::Reported(report);
            }
            Err(failure) => match self.earlier_runs.pop() {
                // A repeat that got no answer takes nothing away: the runs made still stand.
                Some(last) => self.phase = Phase::Reported(last),
                None => {
                    self.reach = None;
                    self.phase = Phase::Failed(failure);
                }
            },
        }
    }

    /// The first address the check resolved starts the browser's reachability test.
    fn learn_address(&mut self, id: u32, address: Option<&str>) {
        if let (Some(reach), Some(address)) = (self.reach.as_mut(), address) {
            if reach.id == id && reach.address.is_none() {
                reach.address = Some(address.to_owned());
            }
        }
    }

    fn clear_form_error(&mut self) {
        if matches!(&self.phase, Phase::Failed(failure) if failure.is_form_error()) {
            self.phase = Phase::Idle;
        }
    }
}

/// The diagnosis's input: this check from outside (after its earlier runs, if it was
/// repeated), the person's side, their answers.
pub fn observations(
    earlier_runs: &[Rc<CheckReport>],
    report: &CheckReport,
    inside: InsideView,
    answers: PersonAnswers,
) -> Observations {
    let mut outside: Vec<CheckReport> = earlier_runs.iter().map(|r| (**r).clone()).collect();
    outside.push(report.clone());
    Observations {
        version: OBSERVATIONS_VERSION,
        outside,
        inside,
        answers,
    }
}

impl Pending {
    /// `POST /api/probe`'s request: every port of the check, credentials when there are any.
    pub fn request(&self) -> ProbeRequest {
        ProbeRequest {
            host: self.host.clone(),
            ports: Some(
                self.ports
                    .iter()
                    .map(|(port, security)| PortRequest {
                        port: u32::from(port.get()),
                        security: Some(security.name().to_owned()),
                    })
                    .collect(),
            ),
            credentials: self.credentials.clone(),
            // The one login of the check goes to the port the person's program uses.
            login_port: self
                .credentials
                .as_ref()
                .and(self.ports.first())
                .map(|(port, _)| u32::from(port.get())),
            // The page's own repeats look for a fault that comes and goes: never the shared
            // answer of another visitor's check.
            fresh: self.run > 1,
            ..ProbeRequest::default()
        }
    }

    /// The JSON body of `POST /api/probe`.
    pub fn body(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(&self.request())
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Rc::unwrap_or_clone(self).reduced(action))
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
