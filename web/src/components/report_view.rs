//! A probe's report: the outcome in plain words first, then the login test, then the
//! evidence — greeting, capabilities, TLS, timings, transcript — for whoever has to fix it.

use std::rc::Rc;

use sendcheck::smtp::{Capabilities, Reply};
use sendcheck::wire::{ProbeReport, StepRecord, StepStatus, TranscriptLine};
use yew::prelude::*;

use crate::components::{auth_view, tls_view};
use crate::evidence;
use crate::explain;
use crate::i18n::{fill, Lang, Texts};
use crate::when;

#[derive(Properties, PartialEq)]
pub struct ReportViewProps {
    pub lang: Lang,
    pub report: Rc<ProbeReport>,
}

/// What makes the ids of one report unique when a check shows several (one per port).
fn ids(report: &ProbeReport) -> impl Fn(&str) -> String {
    let port = report.target.port;
    move |name: &str| format!("p{port}-{name}")
}

#[function_component(ReportView)]
pub fn report_view(props: &ReportViewProps) -> Html {
    let lang = props.lang;
    let t = lang.texts();
    let report = &*props.report;
    let kind = report.outcome.kind.name();
    let success = report.outcome.kind.is_success();
    let words = explain::outcome(report, lang);
    let problems = explain::certificate_problems(report);
    let class = if success {
        "result result-ok"
    } else {
        "result result-problem"
    };

    // The verdict above takes the focus when a check reports, not each port's result.
    let id = ids(report);
    let port = report.target.port.to_string();

    html! {
        <section
            {class}
            id={format!("port-{port}")}
            data-testid="result"
            data-outcome={kind}
            data-port={port.clone()}
            aria-labelledby={id("headline")}
        >
            <p class="result-port">
                { fill(lang.texts().progress_texts.details_heading, &[
                    ("port", &port),
                    ("security", t.security(report.target.security)),
                ]) }
            </p>
            <div class="headline-row">
                <span class="mark" aria-hidden="true">{ if success { "✓" } else { "!" } }</span>
                <h3 id={id("headline")} class="headline" data-testid="headline">
                    { words.headline }
                </h3>
            </div>
            if success {
                <p class="explanation" data-testid="summary">{ words.explanation }</p>
            } else {
                <p class="explanation" data-testid="problem">{ words.explanation }</p>
            }
            if !problems.is_empty() {
                { tls_view::certificate_problems(problems, lang) }
            }
            <dl class="facts">
                <dt>{ t.target_label }</dt>
                <dd>{ explain::target(&report.target, lang) }</dd>
                if let Some(address) = &report.address {
                    <dt>{ t.address_label }</dt>
                    <dd><code>{ address }</code></dd>
                }
                <dt>{ t.started_label }</dt>
                <dd>{ when::local_time(report.started_at_unix_ms, lang) }</dd>
                <dt>{ t.total_label }</dt>
                <dd>{ t.ms(report.total_ms) }</dd>
            </dl>
            // Right after the facts: when a login was tried, its result is what the person
            // came for.
            if let Some(auth) = &report.auth {
                { auth_view::auth_block(auth, report.target.security, lang, &id("auth-heading")) }
            }
            // The timeline and the certificate in short, then what the server said, folded:
            // it is for whoever fixes the server.
            if !report.steps.is_empty() {
                { steps_block(&report.steps, report.total_ms, t, &id("steps-heading")) }
            }
            if let Some(tls) = &report.tls {
                { tls_view::tls_block(tls, lang, &id("tls-heading")) }
            }
            if report.greeting.is_some() || report.capabilities.is_some() {
                <details class="block technical" data-testid="technical">
                    <summary>{ lang.flow_texts().technical_details }</summary>
                    if let Some(greeting) = &report.greeting {
                        { greeting_block(greeting, t, &id("greeting-heading")) }
                    }
                    if let Some(capabilities) = &report.capabilities {
                        { capabilities_block(capabilities, t.capabilities_heading, "capabilities", t, &id("capabilities-heading")) }
                    }
                    if let Some(capabilities) = &report.capabilities_after_tls {
                        { capabilities_block(capabilities, t.capabilities_after_tls_heading, "capabilities-after-tls", t, &id("capabilities-after-tls-heading")) }
                    }
                </details>
            }
            { transcript_block(&report.transcript, t) }
        </section>
    }
}

// The blocks of a port are groups, not regions: every port has the same blocks under the same
// headings, and a page's landmarks must each have a name of their own.
fn greeting_block(greeting: &Reply, t: &Texts, heading_id: &str) -> Html {
    html! {
        <div class="block" role="group" aria-labelledby={heading_id.to_owned()}>
            <h4 id={heading_id.to_owned()}>{ t.greeting_heading }</h4>
            <p class="hint">{ t.greeting_hint }</p>
            <pre class="wire" data-testid="greeting">{ evidence::reply_lines(greeting).join("\n") }</pre>
        </div>
    }
}

/// The EHLO list; shown twice when TLS came up, since servers often offer AUTH only inside it.
fn capabilities_block(
    capabilities: &Capabilities,
    heading: &'static str,
    testid: &'static str,
    t: &Texts,
    heading_id: &str,
) -> Html {
    let items = capabilities
        .extensions
        .iter()
        .map(|extension| html! { <li>{ evidence::extension_line(extension) }</li> });
    html! {
        <div class="block" role="group" aria-labelledby={heading_id.to_owned()}>
            <h4 id={heading_id.to_owned()}>{ heading }</h4>
            if capabilities.extensions.is_empty() {
                <p class="hint">{ t.capabilities_none }</p>
            } else {
                <p class="hint">{ t.capabilities_hint }</p>
            }
            <ul class="capabilities" data-testid={testid}>{ for items }</ul>
        </div>
    }
}

/// One row per step, no header row: each cell says its unit, and the rows stay one per step.
fn steps_block(steps: &[StepRecord], total_ms: u64, t: &Texts, heading_id: &str) -> Html {
    let rows = steps.iter().map(|record| {
        let (status, status_class) = match record.status {
            StepStatus::Ok => (t.step_ok, "ok"),
            StepStatus::Failed => (t.step_failed, "failed"),
        };
        // A bar as wide as the step's share of the total, so a slow step stands out.
        let share = record
            .duration_ms
            .saturating_mul(100)
            .checked_div(total_ms)
            .unwrap_or(0)
            .min(100);
        html! {
            <tr data-step={record.step.name()} class={status_class}>
                <th scope="row">{ t.step(record.step.name()) }</th>
                <td class="num">
                    { t.ms(record.duration_ms) }
                    <span class="bar" style={format!("width:{share}%")} aria-hidden="true"></span>
                </td>
                <td class="num">{ t.round_trips(record.round_trips) }</td>
                <td class="status">{ status }</td>
            </tr>
        }
    });
    html! {
        <div class="block" role="group" aria-labelledby={heading_id.to_owned()}>
            <h4 id={heading_id.to_owned()}>{ t.steps_heading }</h4>
            <div class="table-scroll">
                <table class="steps" data-testid="steps" aria-labelledby={heading_id.to_owned()}>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </div>
    }
}

fn transcript_block(lines: &[TranscriptLine], t: &Texts) -> Html {
    let summary = fill(t.transcript_summary, &[("count", &lines.len().to_string())]);
    html! {
        <details class="block transcript" data-testid="transcript">
            <summary>{ summary }</summary>
            if lines.is_empty() {
                <p class="hint">{ t.transcript_empty }</p>
            } else {
                <p class="hint">{ t.transcript_legend }</p>
                <pre class="wire">{ evidence::transcript_text(lines, t) }</pre>
            }
        </details>
    }
}
