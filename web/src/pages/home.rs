//! The checker, in the order a worried person works through it:
//!
//! 1. the start: their e-mail address, and what their provider publishes, one click from the form;
//! 2. the server settings, the optional password (explained) and Check;
//! 3. while it runs, one live row per port against the deadline, where the verdict will be;
//! 4. the verdict (plain words, what to do, the exact settings), share and summary; then "from
//!    your network" and "from the internet" side by side; each port in detail;
//! 5. what sharpens the verdict (questions, the check from their own computer), unfolded only
//!    when the verdict needs it.
//!
//! The widget (`/embed`) keeps 1–4's verdict and the ports, and links to the full page.

use std::rc::Rc;

use sendcheck::diagnosis::MAX_RUNS;
use sendcheck::wire::CheckReport;
use yew::prelude::*;

use crate::check::CheckProgress;
use crate::components::{
    discovered_slot, use_verdict, FailureNotice, Header, LocalCheckView, NetworkView, PortResults,
    PortTable, ProbeForm, QuestionsView, ShareBar, StartView, Verdict,
};
use crate::i18n::{fill, Lang};
use crate::sharpen::needs_sharpening;
use crate::state::{Action, AppState, Phase};
use crate::summary::local_words;
use crate::widget::full_page_url;

#[derive(Properties, PartialEq)]
pub struct HomeProps {
    pub state: UseReducerHandle<AppState>,
}

#[function_component(Home)]
pub fn home(props: &HomeProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let t = lang.texts();
    let f = lang.flow_texts();

    let on_action = {
        let dispatcher = state.dispatcher();
        Callback::from(move |action: Action| dispatcher.dispatch(action))
    };
    // The final rows of a report, made once per report.
    let final_rows = use_memo(state.report().cloned(), |report| {
        report.as_deref().map(CheckProgress::from_report)
    });
    let inside = state.inside();
    let answers = state.answers();
    let verdict = use_verdict(
        state.earlier_runs.clone(),
        state.report().cloned(),
        inside.clone(),
        answers.clone(),
        &state.library,
        lang,
    );
    // Whether the sharpening sections start unfolded: decided once per report, by its first
    // verdict, so answering a question never folds the section being answered.
    let sharpen_open = use_mut_ref(|| None::<(Rc<CheckReport>, bool)>);
    if let (Some(report), Some(view)) = (state.report(), verdict.as_deref()) {
        let decided = sharpen_open
            .borrow()
            .as_ref()
            .is_some_and(|(r, _)| Rc::ptr_eq(r, report));
        if !decided {
            *sharpen_open.borrow_mut() =
                Some((report.clone(), needs_sharpening(Some(view), report)));
        }
    }
    let open = sharpen_open
        .borrow()
        .as_ref()
        .is_some_and(|(_, open)| *open);
    let tables = state.library.tables.ready().cloned();
    let texts = state.library.texts(lang).ready().cloned();

    // Where the check's progress shows while it runs, and the verdict replaces it: the same
    // place, so what arrives does not push anything around.
    let slot = match &state.phase {
        Phase::Probing { pending, progress } => html! {
            <>
                if pending.run > 1 {
                    <p class="repeat-note" data-testid="repeat-note" data-run={pending.run.to_string()}>
                        { fill(t.progress_texts.repeat, &[
                            ("run", &pending.run.to_string()),
                            ("runs", &MAX_RUNS.to_string()),
                        ]) }
                    </p>
                }
                <PortTable
                    key={pending.id}
                    {lang}
                    host={pending.host.clone()}
                    progress={progress.clone()}
                    live=true
                />
                <section class="verdict verdict-pending verdict-waiting" data-testid="verdict-waiting">
                    <p>{ t.findings.waiting }</p>
                </section>
            </>
        },
        Phase::Failed(failure) => html! { <FailureNotice {lang} failure={failure.clone()} /> },
        Phase::Reported(report) => html! {
            <>
                <Verdict
                    {lang}
                    report={report.clone()}
                    view={verdict.clone()}
                    library={state.library.clone()}
                    on_action={on_action.clone()}
                />
                if state.embed {
                    <p class="full-report">
                        <a
                            href={full_page_url(state)}
                            target="_blank"
                            rel="noopener"
                            data-testid="full-report"
                            aria-describedby="full-report-hint"
                        >
                            { f.full_report }
                        </a>
                        { " " }<span id="full-report-hint" class="hint">{ f.full_report_hint }</span>
                    </p>
                } else {
                    <ShareBar
                        {lang}
                        report={report.clone()}
                        verdict={verdict.clone()}
                        inside={inside.clone()}
                        answers={answers.clone()}
                        username={state.form.username.clone()}
                    />
                }
            </>
        },
        Phase::Idle => Html::default(),
    };

    html! {
        <>
            <Header {lang} on_action={on_action.clone()} />
            <main class="page">
                <StartView
                    {lang}
                    email={state.questions.email.clone()}
                    email_unreadable={state.questions.email_unreadable()}
                    found={discovered_slot(lang, state.discovered.as_ref(), &on_action)}
                    on_action={on_action.clone()}
                />
                <ProbeForm {lang} form={state.form.clone()} busy={state.is_probing()} on_action={on_action.clone()} />
                <div class="status-slot" data-testid="results">{ slot }</div>
                if let (Some(report), Some(rows)) = (state.report(), final_rows.as_ref()) {
                    <div class="sides">
                        if !state.embed {
                            <section class="side" data-testid="side-network" aria-labelledby="side-network-heading">
                                <h2 id="side-network-heading">{ f.network_side }</h2>
                                <NetworkView {lang} network={state.network.clone()} reach={state.reach.clone()} />
                                { local_seen(&inside, lang) }
                            </section>
                        }
                        <section class="side" data-testid="side-internet" aria-labelledby="side-internet-heading">
                            <h2 id="side-internet-heading">{ f.internet_side }</h2>
                            <PortTable {lang} host={report.host.clone()} progress={rows.clone()} live=false />
                        </section>
                    </div>
                    if !state.embed {
                        <section class="details" aria-labelledby="details-heading">
                            <h2 id="details-heading">{ f.details_heading }</h2>
                            <p class="hint">{ f.details_intro }</p>
                            <PortResults {lang} report={report.clone()} fold_others=true />
                        </section>
                        <section class="sharpen-all" data-testid="sharpen" data-open={open.to_string()} aria-labelledby="sharpen-heading">
                            <h2 id="sharpen-heading">{ f.sharpen_heading }</h2>
                            <p class="hint">{ f.sharpen_intro }</p>
                            <QuestionsView
                                {lang}
                                questions={state.questions.clone()}
                                {tables}
                                {texts}
                                {open}
                                on_action={on_action.clone()}
                            />
                            <LocalCheckView {lang} local={state.local.clone()} form={state.form.clone()} {open} on_action={on_action.clone()} />
                        </section>
                    }
                }
            </main>
            <footer class="page-footer">
                <p>{ lang.start_texts().vantage_note }</p>
            </footer>
        </>
    }
}

/// What the person's own computer saw, in short, next to their network; the details and the
/// box to paste into are in "Check from your own computer".
fn local_seen(inside: &sendcheck::diagnosis::InsideView, lang: Lang) -> Html {
    let t = &lang.texts().local;
    if inside.local_checks.is_empty() {
        return html! { <p class="hint" data-testid="local-seen-none">{ lang.flow_texts().local_none }</p> };
    }
    let items = inside.local_checks.iter().map(|check| {
        let words = local_words(check, lang);
        html! {
            <li data-testid="local-seen" data-port={check.port.to_string()} data-result={check.result.name()}>
                { crate::i18n::fill(t.result_line, &[("port", &check.port.to_string()), ("result", &words)]) }
            </li>
        }
    });
    html! {
        <>
            <h3>{ t.results_heading }</h3>
            <ul class="local-seen">{ for items }</ul>
        </>
    }
}
