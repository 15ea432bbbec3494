//! The start module's page: the header, the address field and the settings form — the same
//! components, in the same places, as the full page's first screen
//! (`home.rs`), so the full module can take over without anything moving. Check pressed here
//! is remembered (`StartState::submitted`) and started by the full module when it arrives.
//! The address is not looked up here: the lookup waits for a pause in typing anyway, by which
//! time the full module is there to do it (and its JSON reader is not needed twice).

use std::cell::RefCell;

use yew::prelude::*;

use crate::app::location_preset;
use crate::components::{waiting_slot, Header, ProbeForm, StartView};
use crate::handoff::Handoff;
use crate::hooks::{browser_lang, use_document_language};
use crate::start_state::{StartAction, StartState};
use crate::state::Action;

thread_local! {
    /// The state as last rendered, and the way to change it from outside (the loader's calls).
    static CURRENT: RefCell<Option<UseReducerHandle<StartState>>> = const { RefCell::new(None) };
}

/// What the person did so far, for the full module (`crate::handoff`).
pub fn current_handoff() -> Option<Handoff> {
    CURRENT.with(|c| c.borrow().as_ref().map(|state| state.handoff()))
}

/// The full module could not be loaded: say so in the page.
pub fn say_unavailable() {
    CURRENT.with(|c| {
        if let Some(state) = c.borrow().as_ref() {
            state.dispatch(StartAction::Unavailable);
        }
    });
}

/// Forgets the state (and the password in it) once the full module has taken over.
pub fn forget() {
    CURRENT.with(|c| c.borrow_mut().take());
}

#[function_component(StartPage)]
pub fn start_page() -> Html {
    let state = use_reducer_eq(|| StartState::new(browser_lang()).with_preset(&location_preset()));
    let on_action = {
        let dispatcher = state.dispatcher();
        Callback::from(move |action: Action| dispatcher.dispatch(StartAction::Page(action)))
    };
    use_document_language(state.lang);
    {
        let current = state.clone();
        use_effect(move || CURRENT.with(|c| *c.borrow_mut() = Some(current)));
    }
    let lang = state.lang;
    let t = lang.start_texts();
    html! {
        <>
            <Header {lang} on_action={on_action.clone()} />
            <main class="page">
                <StartView
                    {lang}
                    email={state.questions.email.clone()}
                    email_unreadable={state.questions.email_unreadable()}
                    found={waiting_slot(lang)}
                    on_action={on_action.clone()}
                />
                <ProbeForm {lang} form={state.form.clone()} busy={state.submitted} on_action={on_action} />
                <div class="status-slot" data-testid="results">
                    if state.unavailable {
                        <p class="field-error" role="alert" data-testid="rest-unavailable">{ t.rest_unavailable }</p>
                    } else if state.submitted {
                        <p class="hint" role="status" data-testid="starting">{ t.starting }</p>
                    }
                </div>
            </main>
            <footer class="page-footer">
                <p>{ t.vantage_note }</p>
            </footer>
        </>
    }
}
