//! The page's state and every way it changes, as a [`Reducible`]: no browser API in here, so
//! all of it is tested natively.
//!
//! ```text
//!  form edits ──▶ Action ──▶ reduce ──▶ AppState { lang, form, phase }
//!  Submit ──▶ Phase::Probing{id} ──▶ (hooks::probe sees it, fetches) ──▶ Action::Answered{id}
//!                                                                        └▶ Reported | Failed
//! ```
//!
//! The password for the optional login test lives in [`Form`] until the check it was typed
//! for has answered, and in that check's [`Pending`] while it runs; then both are gone. It is
//! never part of the address, and `Debug` never prints it.

use std::fmt;
use std::rc::Rc;

use sendcheck::target::{MailPort, Security};
use sendcheck::wire::{CredentialsInput, ProbeReport, ProbeRequest};
use yew::Reducible;

use crate::i18n::Lang;

/// Everything the page shows is derived from this.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub lang: Lang,
    pub form: Form,
    pub phase: Phase,
    /// Numbers each probe, so an answer that arrives for an older one is ignored.
    probes_started: u32,
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
    Probing(Pending),
    Reported(Rc<ProbeReport>),
    Failed(Failure),
}

/// A probe on its way: what was asked, under which number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub id: u32,
    pub host: String,
    pub port: MailPort,
    pub security: Security,
    /// The login test, when both fields were filled (its `Debug` is redacted).
    pub credentials: Option<CredentialsInput>,
}

/// Every way a probe can fail to produce a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Caught before asking: the host field is empty.
    EmptyHost,
    /// Caught before asking: a password without a user name.
    MissingUsername,
    /// Caught before asking: a user name without a password.
    MissingPassword,
    /// The API refused the request (4xx/5xx with an `ApiError` body).
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
    Submit,
    Answered {
        id: u32,
        answer: Result<Rc<ProbeReport>, Failure>,
    },
}

impl AppState {
    pub fn new(lang: Lang) -> Self {
        let port = MailPort::SUBMISSION;
        Self {
            lang,
            form: Form {
                host: String::new(),
                port,
                security: Security::usual_for(port),
                username: String::new(),
                password: Password::default(),
            },
            phase: Phase::Idle,
            probes_started: 0,
        }
    }

    /// The probe the page is waiting for, if any.
    pub fn pending(&self) -> Option<&Pending> {
        match &self.phase {
            Phase::Probing(pending) => Some(pending),
            _ => None,
        }
    }

    pub fn is_probing(&self) -> bool {
        self.pending().is_some()
    }

    fn reduced(mut self, action: Action) -> Self {
        match action {
            Action::SwitchLang => self.lang = self.lang.other(),
            Action::EditHost(host) => {
                self.form.host = host;
                self.clear_form_error();
            }
            Action::EditUsername(username) => {
                self.form.username = username;
                self.clear_form_error();
            }
            Action::EditPassword(password) => {
                self.form.password = Password(password);
                self.clear_form_error();
            }
            Action::ChoosePort(port) => {
                self.form.port = port;
                self.form.security = Security::usual_for(port);
            }
            Action::ChooseSecurity(security) => self.form.security = security,
            Action::Submit => self.submit(),
            Action::Answered { id, answer } => match self.pending() {
                Some(pending) if pending.id == id => {
                    // Replacing the phase drops the pending probe's copy of the password too.
                    self.form.password = Password::default();
                    self.phase = match answer {
                        Ok(report) => Phase::Reported(report),
                        Err(failure) => Phase::Failed(failure),
                    }
                }
                _ => {}
            },
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
        self.phase = Phase::Probing(Pending {
            id: self.probes_started,
            host: host.to_owned(),
            port: self.form.port,
            security: self.form.security,
            credentials,
        });
    }

    fn clear_form_error(&mut self) {
        if matches!(&self.phase, Phase::Failed(failure) if failure.is_form_error()) {
            self.phase = Phase::Idle;
        }
    }
}

impl Pending {
    /// `POST /api/probe`'s request, credentials included when there are any.
    pub fn request(&self) -> ProbeRequest {
        ProbeRequest {
            host: self.host.clone(),
            port: Some(u32::from(self.port.get())),
            security: Some(self.security.name().to_owned()),
            credentials: self.credentials.clone(),
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
mod tests {
    use sendcheck::wire::{ProbeReport, REPORT_VERSION};

    use super::*;

    fn apply(state: AppState, actions: impl IntoIterator<Item = Action>) -> AppState {
        let mut state = Rc::new(state);
        for action in actions {
            state = state.reduce(action);
        }
        Rc::unwrap_or_clone(state)
    }

    fn report(kind: &str) -> ProbeReport {
        let json = format!(
            r#"{{"version":{REPORT_VERSION},"target":{{"host":"198.51.100.25","port":2525,"security":"starttls"}},
            "started_at_unix_ms":0,"outcome":{{"kind":"{kind}","step":"connect","at_ms":3}},
            "steps":[],"transcript":[],"total_ms":3}}"#
        );
        serde_json::from_str(&json).expect("test report")
    }

    #[test]
    fn starts_on_587_with_starttls_and_nothing_asked() {
        let state = AppState::new(Lang::Ja);
        assert_eq!(state.form.port, MailPort::SUBMISSION);
        assert_eq!(state.form.security, Security::Starttls);
        assert_eq!(state.phase, Phase::Idle);
        assert_eq!(state.lang, Lang::Ja);
    }

    #[test]
    fn choosing_a_port_preselects_its_usual_security_which_can_be_changed() {
        let state = apply(
            AppState::new(Lang::En),
            [Action::ChoosePort(MailPort::SUBMISSIONS)],
        );
        assert_eq!(state.form.security, Security::Tls);
        let state = apply(state, [Action::ChooseSecurity(Security::Starttls)]);
        assert_eq!(state.form.port, MailPort::SUBMISSIONS);
        assert_eq!(state.form.security, Security::Starttls);
        for port in [MailPort::SMTP, MailPort::ALTERNATE, MailPort::SUBMISSION] {
            let state = apply(state.clone(), [Action::ChoosePort(port)]);
            assert_eq!(state.form.security, Security::Starttls, "{port}");
        }
        let state = apply(state, [Action::ChooseSecurity(Security::None)]);
        assert_eq!(state.form.security, Security::None);
    }

    #[test]
    fn submitting_an_empty_host_is_an_input_error_until_the_host_is_edited() {
        let state = apply(
            AppState::new(Lang::En),
            [Action::EditHost("   ".into()), Action::Submit],
        );
        assert_eq!(state.phase, Phase::Failed(Failure::EmptyHost));
        assert!(Failure::EmptyHost.is_input_error());
        let state = apply(state, [Action::EditHost("m".into())]);
        assert_eq!(state.phase, Phase::Idle);
    }

    #[test]
    fn submitting_starts_a_probe_with_the_trimmed_host_and_chosen_settings() {
        let state = apply(
            AppState::new(Lang::En),
            [
                Action::EditHost(" 198.51.100.25 ".into()),
                Action::ChoosePort(MailPort::ALTERNATE),
                Action::ChooseSecurity(Security::None),
                Action::Submit,
            ],
        );
        let pending = state.pending().expect("probing");
        assert_eq!(pending.host, "198.51.100.25");
        let body = serde_json::to_string(&pending.request()).expect("serializes");
        assert_eq!(
            body,
            r#"{"host":"198.51.100.25","port":2525,"security":"none"}"#
        );
        assert!(state.is_probing());
    }

    #[test]
    fn a_second_submit_while_probing_changes_nothing() {
        let state = apply(
            AppState::new(Lang::En),
            [Action::EditHost("mail.example.com".into()), Action::Submit],
        );
        let again = apply(state.clone(), [Action::Submit]);
        assert_eq!(again, state);
    }

    #[test]
    fn the_answer_to_the_current_probe_is_shown() {
        let state = apply(
            AppState::new(Lang::En),
            [Action::EditHost("mail.example.com".into()), Action::Submit],
        );
        let id = state.pending().expect("probing").id;
        let done = apply(
            state.clone(),
            [Action::Answered {
                id,
                answer: Ok(Rc::new(report("connection_refused"))),
            }],
        );
        assert!(
            matches!(&done.phase, Phase::Reported(r) if r.outcome.kind.name() == "connection_refused")
        );
        assert!(!done.is_probing());

        let failure = Failure::Unreachable {
            detail: "TypeError: Failed to fetch".into(),
        };
        let failed = apply(
            state,
            [Action::Answered {
                id,
                answer: Err(failure.clone()),
            }],
        );
        assert_eq!(failed.phase, Phase::Failed(failure));
    }

    #[test]
    fn an_answer_to_an_older_probe_is_ignored() {
        let state = apply(
            AppState::new(Lang::En),
            [Action::EditHost("mail.example.com".into()), Action::Submit],
        );
        let first = state.pending().expect("probing").id;
        let done = apply(
            state,
            [Action::Answered {
                id: first,
                answer: Err(Failure::TimedOut { seconds: 90 }),
            }],
        );
        let second = apply(done, [Action::Submit]);
        let second_id = second.pending().expect("probing again").id;
        assert_ne!(first, second_id);
        let late = apply(
            second.clone(),
            [Action::Answered {
                id: first,
                answer: Ok(Rc::new(report("completed"))),
            }],
        );
        assert_eq!(late, second);
    }

    #[test]
    fn an_answer_when_nothing_is_pending_is_ignored() {
        let state = AppState::new(Lang::En);
        let after = apply(
            state.clone(),
            [Action::Answered {
                id: 0,
                answer: Ok(Rc::new(report("completed"))),
            }],
        );
        assert_eq!(after, state);
    }

    fn with_login(username: &str, password: &str) -> AppState {
        apply(
            AppState::new(Lang::En),
            [
                Action::EditHost("mail.example.com".into()),
                Action::EditUsername(username.into()),
                Action::EditPassword(password.into()),
                Action::Submit,
            ],
        )
    }

    #[test]
    fn a_login_test_needs_both_the_user_name_and_the_password() {
        let state = with_login("", "");
        assert_eq!(state.pending().expect("probing").credentials, None);
        let state = with_login("  ", "hunter2");
        assert_eq!(state.phase, Phase::Failed(Failure::MissingUsername));
        assert!(Failure::MissingUsername.is_input_error());
        let state = with_login("taro@example.jp", "");
        assert_eq!(state.phase, Phase::Failed(Failure::MissingPassword));
        // The typed user name stays; filling the other field takes the message away.
        assert_eq!(state.form.username, "taro@example.jp");
        let state = apply(state, [Action::EditPassword("h".into())]);
        assert_eq!(state.phase, Phase::Idle);
        let state = with_login(" taro@example.jp ", "hunter2");
        let credentials = state.pending().and_then(|p| p.credentials.clone());
        let credentials = credentials.expect("credentials");
        assert_eq!(credentials.username, "taro@example.jp");
        assert_eq!(credentials.password, "hunter2");
    }

    #[test]
    fn the_body_carries_the_credentials_only_when_given() {
        let state = with_login("", "");
        let body = state.pending().expect("probing").body().expect("body");
        assert_eq!(
            body,
            r#"{"host":"mail.example.com","port":587,"security":"starttls"}"#
        );
        let password = r#"p"a\s s{}é"#;
        let state = with_login("taro@example.jp", password);
        let body = state.pending().expect("probing").body().expect("body");
        let plan = ProbeRequest::from_body(body.as_bytes()).expect("the worker reads it");
        assert_eq!(plan.targets[0].port, MailPort::SUBMISSION);
        let expected = sendcheck::smtp::Credentials::new("taro@example.jp".into(), password.into());
        assert_eq!(plan.credentials, Some(expected));
    }

    #[test]
    fn the_password_is_forgotten_when_the_check_answers_and_never_debug_printed() {
        let state = with_login("taro@example.jp", "hunter2");
        assert!(!format!("{state:?}").contains("hunter2"));
        let id = state.pending().expect("probing").id;
        for answer in [
            Ok(Rc::new(report("completed"))),
            Err(Failure::TimedOut { seconds: 60 }),
        ] {
            let done = apply(state.clone(), [Action::Answered { id, answer }]);
            assert!(done.form.password.is_empty());
            assert_eq!(done.form.username, "taro@example.jp");
            assert_eq!(done.pending(), None);
            assert!(!format!("{done:?}").contains("hunter2"));
        }
        // A form error sends nothing: the password stays for the corrected check.
        let state = apply(
            AppState::new(Lang::En),
            [Action::EditPassword("hunter2".into()), Action::Submit],
        );
        assert_eq!(state.phase, Phase::Failed(Failure::EmptyHost));
        assert_eq!(state.form.password.as_str(), "hunter2");
        assert_eq!(format!("{:?}", state.form.password), "Password(<redacted>)");
    }

    #[test]
    fn switching_language_keeps_the_form_and_the_result() {
        let state = apply(
            AppState::new(Lang::En),
            [Action::EditHost("mail.example.com".into()), Action::Submit],
        );
        let switched = apply(state.clone(), [Action::SwitchLang]);
        assert_eq!(switched.lang, Lang::Ja);
        assert_eq!(switched.form, state.form);
        assert_eq!(switched.phase, state.phase);
        assert_eq!(apply(switched, [Action::SwitchLang]).lang, Lang::En);
    }
}
