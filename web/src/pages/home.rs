//! The checker, in the order a worried person works through it:
//!
//! 1. the start: their e-mail address, and what their provider publishes, one click from the form;
//! 2. the server settings, the optional password (explained) and Check;
//! 3. while it runs, one live row per port against the deadline, where the verdict will be;
//! 4. the verdict (plain words, what to do, the exact settings) as soon as the first run has
//!    answered; when it rests on the person's side, the step that decides it (the command for
//!    their computer, copy, the paste box) inside the verdict card; share and summary. A repeat
//!    the page makes by itself runs visibly above the verdict; a verdict that changes (a repeat,
//!    an answer, a paste) is marked "was: … now: …", brought into view, focused and announced;
//! 5. folded below: "from your network" and "from the internet" side by side, each port in
//!    detail; then what sharpens the verdict (questions, and the check from their own computer
//!    when it is not in the card), unfolded only when the verdict needs it.
//!
//! The widget (`/embed`) keeps 1–4's verdict (without the step) and the ports, and links to the
//! full page.

use sendcheck::diagnosis::MAX_RUNS;
use sendcheck::wire::CheckReport;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::check::CheckProgress;
use crate::components::{
    discovered_slot, use_verdict, FailureNotice, Header, LocalCheckView, NetworkView, PortResults,
    PortTable, ProbeForm, QuestionsView, ShareBar, StartView, Verdict,
};
use crate::i18n::{fill, Lang};
use crate::state::{Action, AppState, Phase};
use crate::summary::local_words;
use crate::verdict_trail::{PersonSide, Seen, VerdictTrail};
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
    let r = lang.result_texts();

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
    // What the person has seen of the verdict in this check: a first verdict takes the focus,
    // a changed one is marked, brought into view and announced (verdict_trail.rs).
    let trail = use_mut_ref(VerdictTrail::default);
    let seen = match (state.report(), verdict.as_deref()) {
        (Some(report), Some(view)) => Some(trail.borrow_mut().observe(state.check, view, report)),
        _ => None,
    };
    let trail_now = trail.borrow().clone();
    {
        let changed = seen == Some(Seen::Changed);
        use_effect_with(trail_now.moves, move |moves| {
            if *moves > 0 {
                bring_verdict_forward(changed);
            }
        });
    }
    let was = verdict
        .as_deref()
        .and_then(|view| trail_now.was_words(view));
    let announce = match (&was, verdict.as_deref().and_then(|v| v.findings.first())) {
        (Some((was_title, was_confidence)), Some(now)) => fill(
            r.changed_announce,
            &[
                ("was", &verdict_words(lang, was_title, was_confidence)),
                (
                    "now",
                    &verdict_words(lang, &now.title, now.confidence_words),
                ),
            ],
        ),
        _ => String::new(),
    };
    let open = trail_now.sharpen_open;
    // The step that decides a verdict resting on the person's side sits in the verdict card;
    // otherwise the same check waits among the sections that sharpen the verdict.
    let step_in_card = trail_now.step.filter(|_| !state.embed);
    let local_check = |in_card: bool| {
        html! {
            <LocalCheckView
                {lang}
                local={state.local.clone()}
                form={state.form.clone()}
                {open}
                {in_card}
                on_action={on_action.clone()}
            />
        }
    };
    let step = match step_in_card {
        Some(side) => {
            let reason = match side {
                PersonSide::Untested { port } => {
                    fill(r.step_untested, &[("port", &port.to_string())])
                }
                PersonSide::WorksOutside => r.step_works_outside.to_owned(),
            };
            html! {
                <section class="next-step" data-testid="next-step" aria-labelledby="next-step-heading">
                    <h3 id="next-step-heading">{ r.step_heading }</h3>
                    <p>{ reason }</p>
                    { local_check(true) }
                </section>
            }
        }
        None => Html::default(),
    };
    let tables = state.library.tables.ready().cloned();
    let texts = state.library.texts(lang).ready().cloned();

    // Where the check's progress shows while it runs, and the verdict replaces it: the same
    // place, so what arrives does not push anything around. A repeat the page makes by itself
    // runs above the verdict it may change.
    let repeat = state.repeating().map(|(pending, progress)| {
        html! {
            <div class="repeat-note" data-testid="repeat-note" data-run={pending.run.to_string()} role="status">
                <p>
                    <span class="spinner" aria-hidden="true"></span>
                    { fill(t.progress_texts.repeat, &[
                        ("run", &pending.run.to_string()),
                        ("runs", &MAX_RUNS.to_string()),
                    ]) }
                </p>
                <p class="hint">
                    { r.repeat_keeps }{ " " }
                    { fill(r.repeat_ports, &[
                        ("done", &progress.finished().to_string()),
                        ("total", &progress.ports.len().to_string()),
                    ]) }
                </p>
            </div>
        }
    });
    let slot = match (&state.phase, state.report()) {
        (
            Phase::Probing {
                pending, progress, ..
            },
            None,
        ) => html! {
            <>
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
        (Phase::Failed(failure), _) => html! { <FailureNotice {lang} failure={failure.clone()} /> },
        (_, Some(report)) => html! {
            <>
                { for repeat }
                <Verdict
                    {lang}
                    report={report.clone()}
                    view={verdict.clone()}
                    library={state.library.clone()}
                    {was}
                    {step}
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
        _ => Html::default(),
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
                // Read by screen readers when the verdict changes (polite: after what they are
                // reading); always in the page, so the change is heard.
                <p class="visually-hidden" role="status" aria-live="polite" data-testid="verdict-announce">
                    { announce }
                </p>
                if let (Some(report), Some(rows)) = (state.report(), final_rows.as_ref()) {
                    if state.embed {
                        <div class="sides">
                            { internet_side(lang, report, rows) }
                        </div>
                    } else {
                        // Folded: the verdict, its next step and the settings to use come first;
                        // the evidence is for whoever wants it.
                        <details class="more" data-testid="more">
                            <summary>{ r.more_summary }</summary>
                            <div class="sides">
                                <section class="side" data-testid="side-network" aria-labelledby="side-network-heading">
                                    <h2 id="side-network-heading">{ f.network_side }</h2>
                                    <NetworkView {lang} network={state.network.clone()} reach={state.reach.clone()} />
                                    { local_seen(&inside, lang) }
                                </section>
                                { internet_side(lang, report, rows) }
                            </div>
                            <section class="details" aria-labelledby="details-heading">
                                <h2 id="details-heading">{ f.details_heading }</h2>
                                <p class="hint">{ f.details_intro }</p>
                                <PortResults {lang} report={report.clone()} fold_others=true />
                            </section>
                        </details>
                        <section class="sharpen-all" data-testid="sharpen" data-open={open.to_string()} aria-labelledby="sharpen-heading">
                            <h2 id="sharpen-heading">{ f.sharpen_heading }</h2>
                            <p class="hint">{ f.sharpen_intro }{ " " }{ r.follows_hint }</p>
                            <QuestionsView
                                {lang}
                                questions={state.questions.clone()}
                                {tables}
                                {texts}
                                {open}
                                on_action={on_action.clone()}
                            />
                            if step_in_card.is_none() {
                                { local_check(false) }
                            }
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

/// The ports as sendcheck's servers saw them, one row each.
fn internet_side(lang: Lang, report: &CheckReport, rows: &CheckProgress) -> Html {
    html! {
        <section class="side" data-testid="side-internet" aria-labelledby="side-internet-heading">
            <h2 id="side-internet-heading">{ lang.flow_texts().internet_side }</h2>
            <PortTable {lang} host={report.host.clone()} progress={rows.clone()} live=false />
        </section>
    }
}

/// "{title} ({confidence})" in `lang`.
fn verdict_words(lang: Lang, title: &str, confidence: &str) -> String {
    fill(
        lang.result_texts().verdict_words,
        &[("title", title), ("confidence", confidence)],
    )
}

/// Takes the person to the verdict: the keyboard focus on its heading (a screen reader reads
/// it), and, when it changed under them, the card scrolled into view. Not while they type in a
/// text field: the change is announced and marked, but their typing is not interrupted.
fn bring_verdict_forward(changed: bool) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let typing = document.active_element().is_some_and(|active| {
        let tag = active.tag_name().to_ascii_lowercase();
        tag == "textarea"
            || (tag == "input"
                && !matches!(
                    active.get_attribute("type").as_deref(),
                    Some("checkbox" | "radio" | "button" | "submit")
                ))
    });
    if changed && typing {
        return;
    }
    let Some(heading) = document
        .get_element_by_id("verdict-heading")
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    else {
        return;
    };
    if changed {
        if let Some(card) = document
            .query_selector("[data-testid=\"verdict\"]")
            .ok()
            .flatten()
        {
            card.scroll_into_view_with_bool(true);
        }
    }
    // Focus can fail in a detached or hidden document; nothing to do then.
    let _ = heading.focus();
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
