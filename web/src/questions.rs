//! What the person tells us besides the server settings: what still works, which mail program,
//! their address, what changed, and the exact error. Everything optional; turned into the
//! diagnosis's [`PersonAnswers`] together with the form's settings (what the mail program is
//! configured with).

use sendcheck::diagnosis::{
    decode_error_with, ClientSettings, DecodedError, MailClient, PersonAnswers, RecentChange, Since,
};
use sendcheck::discovery::parse_domain;
use sendcheck::knowledge::Knowledge;

use crate::state::Form;

/// The mail programs the page asks about, in the order it lists them (`#q-client`).
pub const CLIENTS: [MailClient; 9] = [
    MailClient::Outlook,
    MailClient::OutlookExpress,
    MailClient::Thunderbird,
    MailClient::AppleMail,
    MailClient::Ios,
    MailClient::Android,
    MailClient::GmailSendAs,
    MailClient::Becky,
    MailClient::Other,
];

/// The recent changes the page offers as checkboxes (`input[name="change"]`).
pub const CHANGES: [RecentChange; 6] = [
    RecentChange::PasswordChanged,
    RecentChange::NetworkEquipment,
    RecentChange::OsReinstalled,
    RecentChange::SecuritySoftware,
    RecentChange::MailClientChanged,
    RecentChange::ProviderNotice,
];

/// The answers as the page holds them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Questions {
    pub receiving_works: Option<bool>,
    pub web_works: Option<bool>,
    pub other_servers_work: Option<bool>,
    /// "My outgoing server requires authentication" is on in the mail program.
    pub logs_in: Option<bool>,
    pub client: Option<MailClient>,
    /// An address or a bare domain, as typed.
    pub email: String,
    /// In the order of [`CHANGES`], each once.
    pub changes: Vec<RecentChange>,
    /// Since when sending fails (`#q-since`).
    pub since: Option<Since>,
    pub error_text: String,
}

/// One edit of one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuestionEdit {
    ReceivingWorks(Option<bool>),
    WebWorks(Option<bool>),
    OtherServersWork(Option<bool>),
    LogsIn(Option<bool>),
    Client(Option<MailClient>),
    Email(String),
    Change(RecentChange, bool),
    Since(Option<Since>),
    ErrorText(String),
}

impl Questions {
    pub fn apply(&mut self, edit: QuestionEdit) {
        match edit {
            QuestionEdit::ReceivingWorks(v) => self.receiving_works = v,
            QuestionEdit::WebWorks(v) => self.web_works = v,
            QuestionEdit::OtherServersWork(v) => self.other_servers_work = v,
            QuestionEdit::LogsIn(v) => self.logs_in = v,
            QuestionEdit::Client(v) => self.client = v,
            QuestionEdit::Email(v) => self.email = v,
            QuestionEdit::Change(change, on) => {
                self.changes.retain(|c| *c != change);
                if on {
                    self.changes.push(change);
                    self.changes
                        .sort_by_key(|c| CHANGES.iter().position(|k| k == c).unwrap_or(usize::MAX));
                }
            }
            QuestionEdit::Since(v) => self.since = v,
            QuestionEdit::ErrorText(v) => self.error_text = v,
        }
    }

    /// The domain of the address (or the domain itself), when it reads as one.
    pub fn email_domain(&self) -> Option<String> {
        let typed = self.email.trim();
        if typed.is_empty() {
            return None;
        }
        parse_domain(typed)
            .ok()
            .map(|(domain, _)| domain.to_string())
    }

    /// Something was typed that is neither an address nor a domain.
    pub fn email_unreadable(&self) -> bool {
        !self.email.trim().is_empty() && self.email_domain().is_none()
    }

    /// The diagnosis's view of the answers, with the form as the mail program's settings.
    ///
    /// Whether the mail program logs in is what the person says; when they do not say, it is
    /// taken as on (the usual setting), also with the login test's user name left blank: that
    /// field is optional, and a blank one says nothing about the mail program.
    pub fn person_answers(&self, form: &Form) -> PersonAnswers {
        let host = form.host.trim();
        let error_text = self.error_text.trim();
        PersonAnswers {
            receiving_works: self.receiving_works,
            web_works: self.web_works,
            other_servers_work: self.other_servers_work,
            client: self.client,
            configured: (!host.is_empty()).then(|| ClientSettings {
                host: host.to_owned(),
                port: form.port.get(),
                security: Some(form.security),
                username_given: self.logs_in.unwrap_or(true),
            }),
            error_text: (!error_text.is_empty()).then(|| error_text.to_owned()),
            email_domain: self.email_domain(),
            security_software: None,
            recent_changes: self.changes.clone(),
            since: self.since,
        }
    }

    /// What the decoder recognises in the error text, as the person types it.
    pub fn decoded(&self, knowledge: &Knowledge) -> Option<DecodedError> {
        let text = self.error_text.trim();
        if text.is_empty() {
            return None;
        }
        Some(decode_error_with(text, knowledge))
    }
}

/// The `#q-since` select's value back to the answer (`""` or anything unknown: not said).
pub fn parse_since(value: &str) -> Option<Since> {
    Since::ALL.into_iter().find(|s| s.name() == value)
}

/// `""`, `"yes"`, `"no"`: the values of the yes/no selects.
pub fn yes_no_value(answer: Option<bool>) -> &'static str {
    match answer {
        None => "",
        Some(true) => "yes",
        Some(false) => "no",
    }
}

pub fn parse_yes_no(value: &str) -> Option<bool> {
    match value {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

pub fn parse_client(value: &str) -> Option<MailClient> {
    CLIENTS.into_iter().find(|c| c.name() == value)
}

pub fn parse_change(value: &str) -> Option<RecentChange> {
    CHANGES.into_iter().find(|c| c.name() == value)
}

#[cfg(test)]
mod tests {
    use sendcheck::target::{MailPort, Security};

    use super::*;
    use crate::i18n::Lang;
    use crate::state::{AppState, Password};

    fn form(host: &str, port: MailPort, security: Security, username: &str) -> Form {
        Form {
            host: host.into(),
            port,
            security,
            username: username.into(),
            password: Password::default(),
        }
    }

    #[test]
    fn nothing_answered_is_nothing_said() {
        let answers = Questions::default().person_answers(&AppState::new(Lang::En).form);
        assert_eq!(answers, PersonAnswers::default());
    }

    #[test]
    fn every_answer_reaches_the_diagnosis() {
        let mut q = Questions::default();
        for edit in [
            QuestionEdit::ReceivingWorks(parse_yes_no("yes")),
            QuestionEdit::WebWorks(parse_yes_no("yes")),
            QuestionEdit::OtherServersWork(parse_yes_no("no")),
            QuestionEdit::Client(parse_client("thunderbird")),
            QuestionEdit::Email(" Taro@Example.JP ".into()),
            QuestionEdit::Change(RecentChange::ProviderNotice, true),
            QuestionEdit::Change(RecentChange::NetworkEquipment, true),
            QuestionEdit::Change(RecentChange::NetworkEquipment, true),
            QuestionEdit::ErrorText("  0x800CCC0F  ".into()),
        ] {
            q.apply(edit);
        }
        let answers = q.person_answers(&form(
            " mail.example.jp ",
            MailPort::SMTP,
            Security::None,
            "taro",
        ));
        assert_eq!(answers.receiving_works, Some(true));
        assert_eq!(answers.web_works, Some(true));
        assert_eq!(answers.other_servers_work, Some(false));
        assert_eq!(answers.client, Some(MailClient::Thunderbird));
        assert_eq!(answers.email_domain.as_deref(), Some("example.jp"));
        assert_eq!(answers.error_text.as_deref(), Some("0x800CCC0F"));
        // In the order of the checkboxes, each once.
        assert_eq!(
            answers.recent_changes,
            [RecentChange::NetworkEquipment, RecentChange::ProviderNotice]
        );
        let configured = answers.configured.expect("settings");
        assert_eq!(configured.host, "mail.example.jp");
        assert_eq!(configured.port, 25);
        assert_eq!(configured.security, Some(Security::None));
        assert!(configured.username_given, "not asked: the usual setting");

        q.apply(QuestionEdit::Change(RecentChange::NetworkEquipment, false));
        q.apply(QuestionEdit::Client(parse_client("")));
        q.apply(QuestionEdit::LogsIn(parse_yes_no("no")));
        let answers = q.person_answers(&form("m", MailPort::SUBMISSION, Security::Starttls, " "));
        assert_eq!(answers.recent_changes, [RecentChange::ProviderNotice]);
        assert_eq!(answers.client, None);
        assert!(!answers.configured.expect("settings").username_given);
    }

    #[test]
    fn a_blank_login_test_user_name_is_not_a_mail_program_without_login() {
        let mut q = Questions::default();
        let blank = form(
            "mail.example.jp",
            MailPort::SUBMISSION,
            Security::Starttls,
            "",
        );
        let logs_in = |q: &Questions| {
            q.person_answers(&blank)
                .configured
                .map(|c| c.username_given)
        };
        assert_eq!(logs_in(&q), Some(true));
        q.apply(QuestionEdit::LogsIn(Some(false)));
        assert_eq!(logs_in(&q), Some(false));
        q.apply(QuestionEdit::LogsIn(Some(true)));
        assert_eq!(logs_in(&q), Some(true));
    }

    #[test]
    fn the_email_question_takes_an_address_or_a_domain() {
        let mut q = Questions::default();
        q.apply(QuestionEdit::Email("example.co.jp".into()));
        assert_eq!(q.email_domain().as_deref(), Some("example.co.jp"));
        assert!(!q.email_unreadable());
        q.apply(QuestionEdit::Email("taro at example".into()));
        assert_eq!(q.email_domain(), None);
        assert!(q.email_unreadable());
        q.apply(QuestionEdit::Email("   ".into()));
        assert!(!q.email_unreadable());
    }

    #[test]
    fn values_of_the_selects_read_back() {
        for answer in [None, Some(true), Some(false)] {
            assert_eq!(parse_yes_no(yes_no_value(answer)), answer);
        }
        for client in CLIENTS {
            assert_eq!(parse_client(client.name()), Some(client));
        }
        for change in CHANGES {
            assert_eq!(parse_change(change.name()), Some(change));
        }
        assert_eq!(parse_client("eudora"), None);
    }

    #[test]
    fn the_error_text_is_decoded_as_typed() {
        let knowledge = sendcheck::knowledge::Knowledge::builtin();
        let mut q = Questions::default();
        assert!(q.decoded(knowledge).is_none());
        q.apply(QuestionEdit::ErrorText(
            "The connection to the server was interrupted. 0x800CCC0F".into(),
        ));
        let decoded = q.decoded(knowledge).expect("decoded");
        assert!(decoded.recognised.iter().any(|r| r.code == "0x800CCC0F"));
        q.apply(QuestionEdit::ErrorText("lorem ipsum".into()));
        assert!(q.decoded(knowledge).expect("decoded").is_empty());
    }

    #[test]
    fn since_when_reaches_the_answers_and_unknown_values_say_nothing() {
        let mut q = Questions::default();
        q.apply(QuestionEdit::Since(parse_since("this_week")));
        let form = crate::state::AppState::new(crate::i18n::Lang::En).form;
        assert_eq!(q.person_answers(&form).since, Some(Since::ThisWeek));
        assert_eq!(parse_since(""), None);
        assert_eq!(parse_since("yesterday<script>"), None);
        for since in Since::ALL {
            assert_eq!(parse_since(since.name()), Some(since));
        }
    }
}
