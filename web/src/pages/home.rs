//! The checker: the form, what is happening, and the result, top to bottom.

use yew::prelude::*;

use crate::components::{FailureNotice, Header, ProbeForm, Progress, ReportView};
use crate::hooks::remember_lang_in_address;
use crate::state::{Action, AppState, Phase};

#[derive(Properties, PartialEq)]
pub struct HomeProps {
    pub state: UseReducerHandle<AppState>,
}

#[function_component(Home)]
pub fn home(props: &HomeProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let t = lang.texts();

    let on_action = {
        let dispatcher = state.dispatcher();
        Callback::from(move |action: Action| dispatcher.dispatch(action))
    };
    let on_switch = {
        let dispatcher = state.dispatcher();
        let next = lang.other();
        Callback::from(move |()| {
            dispatcher.dispatch(Action::SwitchLang);
            remember_lang_in_address(next);
        })
    };

    html! {
        <>
            <Header {lang} {on_switch} />
            <main class="page">
                <ProbeForm {lang} form={state.form.clone()} busy={state.is_probing()} {on_action} />
                // Always present and of fixed minimum height, so the progress line and short
                // notices appear without pushing the page around.
                <div class="status-slot">
                    {
                        match &state.phase {
                            Phase::Probing(pending) => html! { <Progress {lang} pending={pending.clone()} /> },
                            Phase::Failed(failure) => html! { <FailureNotice {lang} failure={failure.clone()} /> },
                            Phase::Idle | Phase::Reported(_) => Html::default(),
                        }
                    }
                </div>
                if let Phase::Reported(report) = &state.phase {
                    <ReportView {lang} report={report.clone()} />
                }
            </main>
            <footer class="page-footer">
                <p>{ t.vantage_note }</p>
            </footer>
        </>
    }
}
