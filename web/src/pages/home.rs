//! The checker, top to bottom: the form; the check's live progress, then its per-port
//! summary; the verdict; the questions and the check from the person's own computer, which
//! refine the verdict; the person's network; what the domain publishes; each port in detail.

use yew::prelude::*;

use crate::check::CheckProgress;
use crate::components::{
    DnsView, FailureNotice, Header, LocalCheckView, NetworkView, PortResults, PortTable, ProbeForm,
    QuestionsView, Verdict,
};
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
    // The final rows of a report, made once per report.
    let final_rows = use_memo(state.report().cloned(), |report| {
        report.as_deref().map(CheckProgress::from_report)
    });
    let tables = state.library.tables.ready().cloned();
    let texts = state.library.texts(lang).ready().cloned();

    html! {
        <>
            <Header {lang} {on_switch} />
            <main class="page">
                <ProbeForm {lang} form={state.form.clone()} busy={state.is_probing()} on_action={on_action.clone()} />
                // Always present and of fixed minimum height, so the check's rows and short
                // notices appear without pushing the page around.
                <div class="status-slot">
                    {
                        match &state.phase {
                            Phase::Probing { pending, progress } => html! {
                                <PortTable
                                    key={pending.id}
                                    {lang}
                                    host={pending.host.clone()}
                                    progress={progress.clone()}
                                    live=true
                                />
                            },
                            Phase::Failed(failure) => html! { <FailureNotice {lang} failure={failure.clone()} /> },
                            Phase::Reported(report) => match final_rows.as_ref() {
                                Some(rows) => html! {
                                    <PortTable {lang} host={report.host.clone()} progress={rows.clone()} live=false />
                                },
                                None => Html::default(),
                            },
                            Phase::Idle => Html::default(),
                        }
                    }
                </div>
                if state.is_probing() {
                    // Where the verdict will be: held open while the check runs, so it does not
                    // push the questions below it down when it arrives.
                    <section class="verdict verdict-pending verdict-waiting" data-testid="verdict-waiting">
                        <p>{ t.findings.waiting }</p>
                    </section>
                }
                if let Some(report) = state.report() {
                    <Verdict
                        {lang}
                        report={report.clone()}
                        inside={state.inside()}
                        answers={state.answers()}
                        library={state.library.clone()}
                        on_action={on_action.clone()}
                    />
                }
                <QuestionsView
                    {lang}
                    questions={state.questions.clone()}
                    {tables}
                    {texts}
                    on_action={on_action.clone()}
                />
                <LocalCheckView {lang} local={state.local.clone()} form={state.form.clone()} on_action={on_action.clone()} />
                <NetworkView {lang} network={state.network.clone()} reach={state.reach.clone()} />
                if let Some(discovered) = &state.discovered {
                    <DnsView {lang} discovered={discovered.clone()} on_action={on_action.clone()} />
                }
                if let Some(report) = state.report() {
                    <PortResults {lang} report={report.clone()} />
                }
            </main>
            <footer class="page-footer">
                <p>{ t.vantage_note }</p>
            </footer>
        </>
    }
}
