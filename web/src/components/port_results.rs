//! Each port's full result under the verdict: the report of every probed port (what the
//! server said, TLS, login, timings, transcript) and an honest note for a port that could
//! not be tested from sendcheck's servers.

use std::rc::Rc;

use sendcheck::wire::{CheckReport, PortResult, ProbeReport};
use yew::prelude::*;

use crate::components::ReportView;
use crate::explain;
use crate::i18n::{fill, Lang};

#[derive(Properties, PartialEq)]
pub struct PortResultsProps {
    pub lang: Lang,
    pub report: Rc<CheckReport>,
    /// Only the configured port unfolded; the others behind their one-line outcome (the
    /// checker's long page). A share link shows every port open.
    #[prop_or_default]
    pub fold_others: bool,
}

#[function_component(PortResults)]
pub fn port_results(props: &PortResultsProps) -> Html {
    let lang = props.lang;
    let t = &lang.texts().progress_texts;
    // One `Rc` per port for the life of this report, so each port's view re-renders only
    // when its own report or the language changes.
    let ports = use_memo(props.report.clone(), |report| {
        report
            .ports
            .iter()
            .map(|port| match port {
                PortResult::Probed { report } => Ok(Rc::new(ProbeReport::clone(report))),
                other => Err(other.port()),
            })
            .collect::<Vec<_>>()
    });
    // The first port is the one the person's mail program uses (the request lists it first).
    let blocks = ports.iter().enumerate().map(|(i, port)| match port {
        Ok(report) if i == 0 => html! {
            <div class="configured-port"><ReportView {lang} report={report.clone()} /></div>
        },
        Ok(report) if props.fold_others => {
            let headline = explain::outcome(report, lang).headline;
            let port = report.target.port.to_string();
            html! {
                <details class="port-fold" data-port={port.clone()}>
                    <summary>{ fill(t.details_heading, &[
                        ("port", &port),
                        ("security", lang.texts().security(report.target.security)),
                    ]) }{ " — " }{ headline }</summary>
                    <ReportView {lang} report={report.clone()} />
                </details>
            }
        }
        Ok(report) => html! { <ReportView {lang} report={report.clone()} /> },
        Err(port) => {
            let port = port.to_string();
            html! {
                <section
                    class="result result-not-tested"
                    id={format!("port-{port}")}
                    data-testid="not-tested"
                    data-port={port.clone()}
                >
                    <h3 class="headline">{ fill(t.not_tested_headline, &[("port", &port)]) }</h3>
                    <p class="explanation">{ t.not_tested_explanation }</p>
                </section>
            }
        }
    });
    html! {
        <div class="port-results" data-testid="port-results">{ for blocks }</div>
    }
}
