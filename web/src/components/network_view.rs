//! The person's side as the network sees it: their network (AS number, operator, country, as
//! the edge reports it; honestly unknown when running locally) and what their browser reaches
//! of the mail server's address.

use std::rc::Rc;

use sendcheck::diagnosis::BrowserResult;
use sendcheck::wire::WhoAmI;
use yew::prelude::*;

use crate::i18n::{fill, Lang, NetworkTexts};
use crate::library::Loadable;
use crate::reach::{Reach, RowState, REACH_TIMEOUT_MS};

#[derive(Properties, PartialEq)]
pub struct NetworkProps {
    pub lang: Lang,
    pub network: Loadable<Rc<WhoAmI>>,
    pub reach: Option<Reach>,
}

#[function_component(NetworkView)]
pub fn network_view(props: &NetworkProps) -> Html {
    let t = &props.lang.texts().network;
    let known = props.network.ready().and_then(|w| w.network.as_ref());
    let asn = known.and_then(|n| n.asn).map(|a| a.to_string());
    let state = match &props.network {
        Loadable::Ready(w) if w.network.is_some() => "known",
        Loadable::Ready(_) => "unknown",
        Loadable::Failed(_) => "failed",
        _ => "loading",
    };
    html! {
        <section
            class="network"
            data-testid="network"
            data-asn={asn}
            data-state={state}
            aria-labelledby="network-heading"
        >
            <h3 id="network-heading">{ t.heading }</h3>
            { identity(&props.network, t) }
            <h4>{ t.reach_heading }</h4>
            <p class="hint">{ t.reach_intro }</p>
            { reach(props.reach.as_ref(), t) }
        </section>
    }
}

fn identity(network: &Loadable<Rc<WhoAmI>>, t: &NetworkTexts) -> Html {
    match network {
        Loadable::NotAsked | Loadable::Loading => html! { <p class="hint">{ t.loading }</p> },
        Loadable::Failed(detail) => html! { <p>{ fill(t.failed, &[("detail", detail)]) }</p> },
        Loadable::Ready(whoami) => match &whoami.network {
            Some(n) => html! {
                <dl class="facts">
                    if let Some(asn) = n.asn {
                        <dt>{ t.asn_label }</dt><dd>{ format!("AS{asn}") }</dd>
                    }
                    if let Some(org) = &n.as_org {
                        <dt>{ t.org_label }</dt><dd>{ org }</dd>
                    }
                    if let Some(country) = &n.country {
                        <dt>{ t.country_label }</dt><dd>{ country }</dd>
                    }
                    if let Some(address) = &whoami.address {
                        <dt>{ t.address_label }</dt><dd><code>{ address }</code></dd>
                    }
                    if let Some(rtt) = whoami.client_rtt_ms {
                        <dt>{ t.rtt_label }</dt><dd>{ format!("{rtt} ms") }</dd>
                    }
                </dl>
            },
            None if whoami.vantage.kind == "local" => {
                html! { <p data-testid="network-unknown">{ t.unknown_local }</p> }
            }
            None => html! { <p data-testid="network-unknown">{ t.unknown }</p> },
        },
    }
}

fn reach(reach: Option<&Reach>, t: &NetworkTexts) -> Html {
    let Some(reach) = reach else {
        return html! { <p class="hint">{ t.reach_not_started }</p> };
    };
    let Some(address) = &reach.address else {
        let words = if reach.unresolved {
            t.reach_unresolved
        } else {
            t.reach_waiting
        };
        return html! { <p class="hint" data-testid="reach-waiting">{ words }</p> };
    };
    let rows = reach.rows.iter().map(|row| {
        let (words, ms) = match row.state {
            RowState::Pending => (t.reach_pending.to_owned(), None),
            RowState::Measured {
                result: BrowserResult::Answered,
                elapsed_ms,
            } => (
                fill(t.reach_answered, &[("ms", &elapsed_ms.to_string())]),
                Some(elapsed_ms),
            ),
            RowState::Measured {
                result: BrowserResult::NoAnswer,
                elapsed_ms,
            } => (
                fill(
                    t.reach_no_answer,
                    &[("seconds", &(REACH_TIMEOUT_MS / 1000).to_string())],
                ),
                Some(elapsed_ms),
            ),
            RowState::Measured { elapsed_ms, .. } => (t.reach_unknown.to_owned(), Some(elapsed_ms)),
            RowState::Blocked => (t.reach_blocked.to_owned(), None),
            RowState::Skipped => (t.reach_skipped.to_owned(), None),
        };
        let label = fill(
            t.reach_port,
            &[("port", &row.port.to_string()), ("scheme", row.scheme)],
        );
        html! {
            <li
                data-testid="reach-check"
                data-port={row.port.to_string()}
                data-result={row.state.name()}
                data-ms={ms.map(|m| m.to_string())}
                class={row.state.name()}
            >
                <strong>{ label }</strong>{ ": " }{ words }
            </li>
        }
    });
    html! {
        <>
            <p>{ fill(t.reach_target, &[("address", address)]) }</p>
            <ul class="reach" aria-live="polite">{ for rows }</ul>
        </>
    }
}
