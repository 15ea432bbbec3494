//! The verdict: the most likely cause first, with the evidence for and against it (each fact
//! saying where it was seen), what to do (exact settings and the steps in the person's mail
//! program; a note for whoever runs the server), then the other possibilities and the decoded
//! error. The diagnosis runs in the page, again only when what it reads changes.

use std::rc::Rc;

use sendcheck::diagnosis::{diagnose, Diagnosis, InsideView, Observations, PersonAnswers};
use sendcheck::knowledge::Knowledge;
use sendcheck::target::MailPort;
use sendcheck::wire::CheckReport;
use yew::prelude::*;

use crate::i18n::{fill, Lang};
use crate::library::Library;
use crate::state::{observations, Action};
use crate::verdict::{verdict_view, DecodedView, EvidenceView, FindingView, FixView, VerdictView};

/// The verdict of a report in `lang`: the diagnosis runs only when the report, the person's
/// side, the answers or the tables change (not on a language switch, nor on any other
/// re-render); the words again only when the diagnosis or the language change.
#[hook]
pub fn use_verdict(
    earlier_runs: Vec<Rc<CheckReport>>,
    report: Option<Rc<CheckReport>>,
    inside: InsideView,
    answers: PersonAnswers,
    library: &Library,
    lang: Lang,
) -> Option<Rc<VerdictView>> {
    let tables = library.tables.ready().cloned();
    let texts = library.texts(lang).ready().cloned();
    let diagnosis = use_memo(
        (earlier_runs, report, inside, answers, tables),
        |(earlier_runs, report, inside, answers, tables)| {
            let tables: &Knowledge = tables.as_deref()?;
            let obs = observations(
                earlier_runs,
                report.as_deref()?,
                inside.clone(),
                answers.clone(),
            );
            let diagnosis = diagnose(&obs, tables);
            Some(Rc::new((obs, diagnosis)))
        },
    );
    let view = use_memo(
        (diagnosis.clone(), lang, texts),
        |(diagnosis, lang, texts)| {
            let (obs, diagnosis): &(Observations, Diagnosis) = diagnosis.as_deref()?;
            Some(Rc::new(verdict_view(
                diagnosis,
                obs,
                texts.as_deref()?,
                *lang,
            )))
        },
    );
    (*view).clone()
}

#[derive(Properties, PartialEq)]
pub struct VerdictProps {
    pub lang: Lang,
    pub report: Rc<CheckReport>,
    /// `None` while the tables or texts are on their way (or failed).
    pub view: Option<Rc<VerdictView>>,
    pub library: Library,
    /// The verdict before it changed (title, confidence), while the change is the news.
    #[prop_or_default]
    pub was: Option<(String, &'static str)>,
    /// The step that decides a verdict resting on the person's side, in the card.
    #[prop_or_default]
    pub step: Html,
    pub on_action: Callback<Action>,
}

#[function_component(Verdict)]
pub fn verdict(props: &VerdictProps) -> Html {
    let lang = props.lang;
    let t = &lang.texts().findings;
    let view = &props.view;

    // The page moves the focus to `#verdict-heading` (pages/home.rs): once per check when the
    // verdict first shows, and again whenever it changes.
    let Some(view) = view.as_ref() else {
        return match props.library.failure(lang) {
            Some(detail) => {
                let retry = props.on_action.reform(|_: MouseEvent| Action::RetryLibrary);
                html! {
                    <section class="verdict verdict-pending" data-testid="verdict-unavailable" role="alert">
                        <p>{ fill(t.load_failed, &[("detail", detail)]) }</p>
                        <button type="button" class="secondary" onclick={retry}>{ t.retry }</button>
                    </section>
                }
            }
            None => html! {
                <section class="verdict verdict-pending verdict-waiting" data-testid="verdict-preparing" aria-busy="true">
                    <p><span class="spinner" aria-hidden="true"></span>{ t.preparing }</p>
                </section>
            },
        };
    };
    let Some((top, others)) = view.findings.split_first() else {
        return html! {
            <section class="verdict" data-testid="verdict" data-cause="" aria-labelledby="verdict-heading">
                <h2 id="verdict-heading" tabindex="-1">{ t.nothing_found }</h2>
                { props.step.clone() }
            </section>
        };
    };
    let others = others.iter().map(|finding| {
        html! {
            <details class="other-finding">
                <summary>
                    { &finding.title }{ " — " }<span class="confidence">{ finding.confidence_words }</span>
                </summary>
                { finding_body(finding, lang, &props.on_action, Html::default()) }
            </details>
        }
    });
    html! {
        <>
            <section
                class={format!("verdict verdict-{}", top.confidence)}
                data-testid="verdict"
                data-cause={top.cause}
                aria-labelledby="verdict-heading"
            >
                <p class="verdict-kicker">{ t.heading }</p>
                <h2 id="verdict-heading" tabindex="-1">{ &top.title }</h2>
                if let Some((was_title, was_confidence)) = &props.was {
                    <p class="verdict-change" data-testid="verdict-change">
                        { fill(lang.result_texts().changed, &[
                            ("was", &fill(lang.result_texts().verdict_words, &[
                                ("title", was_title),
                                ("confidence", was_confidence),
                            ])),
                            ("now", &fill(lang.result_texts().verdict_words, &[
                                ("title", &top.title),
                                ("confidence", top.confidence_words),
                            ])),
                        ]) }
                    </p>
                }
                { finding_body(top, lang, &props.on_action, props.step.clone()) }
            </section>
            if !view.findings[1..].is_empty() {
                <section class="other-findings" data-testid="other-findings" aria-labelledby="others-heading">
                    <h2 id="others-heading">{ t.others_heading }</h2>
                    { for others }
                </section>
            }
            if let Some(decoded) = &view.decoded {
                { decoded_block(decoded, lang, "decoded-error") }
            }
        </>
    }
}

/// What the decoder recognised in the person's error text (also shown live under the field).
pub fn decoded_block(decoded: &DecodedView, lang: Lang, testid: &'static str) -> Html {
    let t = &lang.texts().findings;
    let recognised = decoded.recognised.iter().map(|(code, meaning)| {
        html! { <li data-code={code.clone()}><code>{ code }</code>{ " — " }{ meaning }</li> }
    });
    let candidates = decoded.candidates.iter().map(|(cause, title)| {
        html! { <li data-cause={*cause}>{ title }</li> }
    });
    html! {
        <section class="decoded" data-testid={testid} aria-label={t.decoded_heading}>
            <h3>{ t.decoded_heading }</h3>
            if decoded.recognised.is_empty() {
                <p class="hint">{ t.decoded_none }</p>
            } else {
                <ul class="recognised">{ for recognised }</ul>
            }
            if !decoded.candidates.is_empty() {
                <p>{ t.decoded_candidates }</p>
                <ol class="candidates" data-testid="decoded-candidates">{ for candidates }</ol>
            }
            if decoded.truncated {
                <p class="hint">{ t.decoded_truncated }</p>
            }
        </section>
    }
}

/// One finding; `step` (the top finding's deciding step, or nothing) comes right after how
/// sure the verdict is, before what to do.
fn finding_body(
    finding: &FindingView,
    lang: Lang,
    on_action: &Callback<Action>,
    step: Html,
) -> Html {
    let t = &lang.texts().findings;
    let person = finding
        .person_fixes
        .iter()
        .map(|fix| person_fix(fix, lang, on_action));
    let others = finding.other_fixes.iter().map(other_fix);
    html! {
        <article
            class="finding"
            data-testid="finding"
            data-cause={finding.cause}
            data-confidence={finding.confidence}
        >
            <p class="summary">{ &finding.summary }</p>
            <p class="confidence-line">
                { t.confidence_label }{ " " }
                <strong class={format!("confidence confidence-{}", finding.confidence)}>
                    { finding.confidence_words }
                </strong>
            </p>
            { step }
            if !finding.person_fixes.is_empty() {
                <h3>{ t.fixes_heading }</h3>
                <ol class="fixes">{ for person }</ol>
            }
            if !finding.evidence_for.is_empty() || !finding.evidence_against.is_empty() {
                <details class="why">
                    <summary>{ t.evidence_for }</summary>
                    if !finding.evidence_for.is_empty() {
                        <ul class="evidence" data-testid="evidence-for">
                            { for finding.evidence_for.iter().map(evidence_item) }
                        </ul>
                    }
                    if !finding.evidence_against.is_empty() {
                        <h4>{ t.evidence_against }</h4>
                        <ul class="evidence against" data-testid="evidence-against">
                            { for finding.evidence_against.iter().map(evidence_item) }
                        </ul>
                    }
                </details>
            }
            { for others }
        </article>
    }
}

fn evidence_item(evidence: &EvidenceView) -> Html {
    html! {
        <li data-source={evidence.kind}>
            { &evidence.fact }
            <span class="source">
                { " — " }
                if let Some(link) = &evidence.link {
                    <a href={link.clone()} rel="noopener noreferrer" target="_blank">{ &evidence.source }</a>
                } else {
                    { &evidence.source }
                }
            </span>
        </li>
    }
}

fn person_fix(fix: &FixView, lang: Lang, on_action: &Callback<Action>) -> Html {
    let texts = lang.texts();
    let t = &texts.findings;
    let settings = fix.settings.as_ref().map(|s| {
        let recheck = MailPort::new(s.port).map(|port| {
            let (host, security) = (s.host.clone(), s.security);
            let on_action = on_action.clone();
            Callback::from(move |_: MouseEvent| {
                on_action.emit(Action::UseSettings {
                    host: host.clone(),
                    port,
                    security,
                });
                on_action.emit(Action::Submit);
            })
        });
        html! {
            <div class="settings-box">
                <table
                    class="settings"
                    data-testid="fix-settings"
                    data-port={s.port.to_string()}
                    data-security={s.security.name()}
                >
                    <caption>{ t.settings_caption }</caption>
                    <tbody>
                        <tr><th scope="row">{ t.settings_host }</th><td><code>{ &s.host }</code></td></tr>
                        <tr><th scope="row">{ t.settings_port }</th><td><code>{ s.port }</code></td></tr>
                        <tr><th scope="row">{ t.settings_security }</th><td>{ texts.security(s.security) }</td></tr>
                        <tr>
                            <th scope="row">{ t.settings_auth }</th>
                            <td>{ if s.authentication { t.settings_auth_on } else { t.settings_auth_off } }</td>
                        </tr>
                    </tbody>
                </table>
                if let Some(onclick) = recheck {
                    <button type="button" class="secondary" {onclick}>{ t.use_settings }</button>
                }
            </div>
        }
    });
    html! {
        <li class="fix" data-testid="fix" data-audience={fix.audience}>
            <p>{ &fix.action }</p>
            { for settings }
            if !fix.guide.is_empty() {
                <div class="guide" data-testid="fix-guide">
                    <h4>{ t.steps_heading }</h4>
                    { for fix.guide.iter().map(|step| html! { <p class="guide-step">{ step }</p> }) }
                </div>
            }
        </li>
    }
}

/// A fix for someone else, folded away: the person hands it on.
fn other_fix(fix: &FixView) -> Html {
    html! {
        <details class="fix fix-other" data-testid="fix" data-audience={fix.audience}>
            <summary>{ fix.audience_words }</summary>
            <p>{ &fix.action }</p>
            if !fix.guide.is_empty() {
                <div class="guide" data-testid="fix-guide">
                    { for fix.guide.iter().map(|step| html! { <p class="guide-step">{ step }</p> }) }
                </div>
            }
        </details>
    }
}
