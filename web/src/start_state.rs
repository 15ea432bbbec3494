//! The start module's state: only what the first screen needs (language, address, the form)
//! and whether Check was pressed before the full module arrived. It reads the same [`Action`]s as the full page's [`crate::state::AppState`], so
//! the start view and the form are the very same components in both modules; actions that
//! belong to a check are not this module's business and change nothing here.
//!
//! Kept apart from `AppState` on purpose: the start module's wasm holds only the code its
//! state can reach, and `AppState`'s reducer reaches the check, the diagnosis and the rest.

use std::rc::Rc;

use sendcheck::embed::EmbedPreset;
use yew::Reducible;

use crate::handoff::Handoff;
use crate::i18n::Lang;
use crate::questions::{QuestionEdit, Questions};
use crate::state::{Action, Form};

#[derive(Debug, Clone, PartialEq)]
pub struct StartState {
    pub lang: Lang,
    pub form: Form,
    /// Only the address is asked on the first screen.
    pub questions: Questions,
    /// Check was pressed: the full module starts the check when it takes over.
    pub submitted: bool,
    /// The full module could not be loaded: said in the page, with what to do.
    pub unavailable: bool,
}

/// What the start module's exported functions ask of its state.
pub enum StartAction {
    Page(Action),
    /// The loader could not fetch or start the full module.
    Unavailable,
}

impl StartState {
    pub fn new(lang: Lang) -> Self {
        Self {
            lang,
            form: Form::default(),
            questions: Questions::default(),
            submitted: false,
            unavailable: false,
        }
    }

    /// The same prefill as the full page (`AppState::with_preset`).
    pub fn with_preset(mut self, preset: &EmbedPreset) -> Self {
        self.form.prefill(preset);
        if let Some(address) = &preset.address {
            self.questions.email.clone_from(address);
        }
        self
    }

    pub fn handoff(&self) -> Handoff {
        Handoff::new(self.lang, &self.form, &self.questions.email, self.submitted)
    }

    fn reduced(mut self, action: StartAction) -> Self {
        let action = match action {
            StartAction::Unavailable => {
                self.unavailable = true;
                return self;
            }
            StartAction::Page(action) => action,
        };
        let Err(action) = self.form.apply(action) else {
            return self;
        };
        match action {
            Action::SwitchLang => self.lang = self.lang.other(),
            Action::Submit => self.submitted = true,
            Action::Answer(QuestionEdit::Email(email)) => self.questions.email = email,
            // The lookup of the address, a check's progress, the questions past the address,
            // the local check, the network and the data files: the full module's.
            _ => {}
        }
        self
    }
}

impl Reducible for StartState {
    type Action = StartAction;

    fn reduce(self: Rc<Self>, action: StartAction) -> Rc<Self> {
        Rc::new(Rc::unwrap_or_clone(self).reduced(action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{AppState, Phase};
    use sendcheck::target::{MailPort, Security};

    fn typed() -> StartState {
        let mut state = StartState::new(Lang::En);
        for action in [
            Action::SwitchLang,
            Action::Answer(QuestionEdit::Email("taro@example.jp".into())),
            Action::EditHost("mail.example.jp".into()),
            Action::ChoosePort(MailPort::SUBMISSIONS),
            Action::EditUsername("taro".into()),
            Action::EditPassword("hunter2".into()),
        ] {
            state = state.reduced(StartAction::Page(action));
        }
        state
    }

    #[test]
    fn the_form_reads_like_the_full_page() {
        let state = typed();
        assert_eq!(state.lang, Lang::Ja);
        assert_eq!(state.form.host, "mail.example.jp");
        assert_eq!(state.form.port, MailPort::SUBMISSIONS);
        assert_eq!(
            state.form.security,
            Security::usual_for(MailPort::SUBMISSIONS)
        );
        assert!(!state.submitted);
    }

    #[test]
    fn what_was_typed_becomes_the_full_pages_state() {
        let state = typed();
        let full = AppState::new(Lang::En).with_handoff(&state.handoff());
        assert_eq!(full.lang, Lang::Ja);
        assert_eq!(full.form, state.form);
        assert_eq!(full.questions.email, "taro@example.jp");
        assert!(matches!(full.phase, Phase::Idle), "nothing was asked yet");
    }

    #[test]
    fn a_check_asked_for_early_starts_when_the_full_module_takes_over() {
        let state = typed().reduced(StartAction::Page(Action::Submit));
        assert!(state.submitted);
        let full = AppState::new(Lang::En).with_handoff(&state.handoff());
        let pending = full.pending().expect("the check is under way");
        assert_eq!(pending.host, "mail.example.jp");
        assert_eq!(pending.run, 1);
        assert!(
            pending.credentials.is_some(),
            "with the login test asked for"
        );
    }

    #[test]
    fn an_early_check_without_a_server_is_the_usual_form_error() {
        let state = StartState::new(Lang::En).reduced(StartAction::Page(Action::Submit));
        let full = AppState::new(Lang::En).with_handoff(&state.handoff());
        assert!(matches!(full.phase, Phase::Failed(_)), "{:?}", full.phase);
    }

    #[test]
    fn the_full_module_missing_is_said() {
        let state = typed().reduced(StartAction::Unavailable);
        assert!(state.unavailable);
    }

    #[test]
    fn a_preset_prefills_like_the_full_page() {
        let preset = EmbedPreset::from_query("?host=smtp.example.jp&port=465&address=a@b.jp");
        let state = StartState::new(Lang::En).with_preset(&preset);
        let full = AppState::new(Lang::En).with_preset(&preset, false);
        assert_eq!(state.form, full.form);
        assert_eq!(state.questions.email, full.questions.email);
    }
}
