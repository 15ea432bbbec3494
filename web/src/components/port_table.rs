//! One row per port of the check: live while it runs (each row advances with its steps, and
//! the whole check counts down to its deadline), then the same rows as the summary. The rows
//! are there from the start, so nothing moves when results arrive.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

use crate::check::{CheckProgress, PortProgress, PortState, DEADLINE_SECONDS};
use crate::i18n::{fill, Lang};

#[derive(Properties, PartialEq)]
pub struct PortTableProps {
    pub lang: Lang,
    pub host: String,
    pub progress: CheckProgress,
    /// The check is running (else: these are its final rows).
    pub live: bool,
}

#[function_component(PortTable)]
pub fn port_table(props: &PortTableProps) -> Html {
    let lang = props.lang;
    let t = &lang.texts().progress_texts;
    let seconds_left = use_countdown(props.live);
    let total = props.progress.ports.len().to_string();
    let done = props.progress.finished().to_string();
    let rows = props
        .progress
        .ports
        .iter()
        .map(|row| port_row(row, lang, &props.host));
    let heading = if props.live {
        fill(t.heading, &[("host", &props.host)])
    } else {
        t.summary_heading.to_owned()
    };
    let deadline = fill(t.deadline, &[("seconds", &DEADLINE_SECONDS.to_string())]);
    html! {
        <section
            class="check"
            data-testid="check"
            data-state={if props.live { "running" } else { "done" }}
            data-events={props.progress.events.to_string()}
            aria-labelledby="check-heading"
        >
            if props.live {
                <h2 id="check-heading">{ heading }</h2>
            } else {
                <h3 id="check-heading">{ heading }</h3>
            }
            <p class="deadline" data-testid="deadline">
                if props.live {
                    { deadline }{ " " }
                    <span class="remaining" data-testid="remaining">
                        { match seconds_left {
                            Some(0) | None => t.overdue.to_owned(),
                            Some(s) => fill(t.remaining, &[("seconds", &s.to_string())]),
                        } }
                    </span>
                    <span
                        class="deadline-bar"
                        style={format!("animation-duration:{DEADLINE_SECONDS}s")}
                        aria-hidden="true"
                    ></span>
                } else {
                    { t.ports_note }
                }
            </p>
            // Polite: a screen reader hears each port finish without being interrupted.
            <p class="visually-hidden" role="status" aria-live="polite" data-testid="progress">
                { fill(t.live, &[("done", &done), ("total", &total)]) }
            </p>
            <div class="table-scroll">
                <table class="ports" data-testid="ports">
                    <thead>
                        <tr>
                            <th scope="col">{ t.col_port }</th>
                            <th scope="col">{ t.col_security }</th>
                            <th scope="col">{ t.col_result }</th>
                            <th scope="col" class="num">{ t.col_time }</th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </section>
    }
}

fn port_row(row: &PortProgress, lang: Lang, host: &str) -> Html {
    let texts = lang.texts();
    let t = &texts.progress_texts;
    let port = row.port.to_string();
    let (mark, class, words) = match &row.state {
        PortState::Waiting => ("…", "waiting", t.waiting.to_owned()),
        PortState::Running => {
            let steps = row
                .steps
                .iter()
                .map(|s| texts.step(s.step.name()))
                .collect::<Vec<_>>()
                .join(" · ");
            ("…", "running", fill(t.running, &[("step", &steps)]))
        }
        PortState::Finished { outcome, success } => {
            let values = [("port", port.as_str()), ("host", host), ("server", host)];
            let headline = fill(texts.outcome(outcome).headline, &values);
            if *success {
                ("✓", "ok", headline)
            } else {
                ("!", "problem", headline)
            }
        }
        PortState::NotTested => ("–", "not-tested", t.not_tested.to_owned()),
    };
    let outcome = match &row.state {
        PortState::Finished { outcome, .. } => *outcome,
        PortState::NotTested => "not_tested",
        _ => "",
    };
    let finished = matches!(row.state, PortState::Finished { .. } | PortState::NotTested);
    html! {
        <tr
            class={class}
            data-testid="port-row"
            data-port={port.clone()}
            data-state={row.state.name()}
            data-outcome={outcome}
            data-steps={row.steps.len().to_string()}
        >
            <th scope="row">
                if finished {
                    <a href={format!("#port-{port}")}>{ &port }</a>
                } else {
                    { &port }
                }
            </th>
            <td>{ texts.security(row.security) }</td>
            <td class="port-state">
                <span class="mark" aria-hidden="true">{ mark }</span>{ " " }{ words }
            </td>
            <td class="num">
                if !row.steps.is_empty() {
                    { texts.ms(row.elapsed_ms()) }
                }
            </td>
        </tr>
    }
}

/// Whole seconds left until the deadline while `live`, ticking once a second; `None` when not
/// live. Counted from when the check appeared, which is when the request was sent.
#[hook]
fn use_countdown(live: bool) -> Option<u64> {
    let started = use_state(js_sys::Date::now);
    let now = use_state(js_sys::Date::now);
    {
        let now = now.clone();
        use_effect_with(live, move |live| {
            let running = Rc::new(Cell::new(*live));
            if *live {
                let running = running.clone();
                spawn_local(async move {
                    while running.get() {
                        sleep(Duration::from_secs(1)).await;
                        if running.get() {
                            now.set(js_sys::Date::now());
                        }
                    }
                });
            }
            move || running.set(false)
        });
    }
    live.then(|| {
        let elapsed = ((*now - *started).max(0.0) / 1000.0) as u64;
        DEADLINE_SECONDS.saturating_sub(elapsed)
    })
}
