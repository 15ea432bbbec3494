//! What the person's mail domain publishes about sending: the servers it suggests first, each
//! saying where it was found and a click away from the form, then (folded) the records behind
//! them (MX, SRV, autoconfig, a known provider).

use sendcheck::discovery::{Candidate, Discovery, Lookup, LookupOutcome};
use sendcheck::dns::Target;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::discover::{candidate_settings, Discovered};
use crate::i18n::{fill, DnsTexts, Lang};
use crate::library::Loadable;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct DnsProps {
    pub lang: Lang,
    pub discovered: Discovered,
    pub on_action: Callback<Action>,
}

/// How many candidates show before "more possibilities": the best few are what a person picks.
const SHOWN: usize = 3;

#[function_component(DnsView)]
pub fn dns_view(props: &DnsProps) -> Html {
    let lang = props.lang;
    let t = &lang.texts().dns;
    let query = &props.discovered.query;
    let (state, body) = match &props.discovered.result {
        Loadable::NotAsked | Loadable::Loading => (
            "loading",
            html! { <p class="hint" role="status">{ fill(t.loading, &[("domain", query)]) }</p> },
        ),
        Loadable::Failed(detail) => (
            "failed",
            html! { <p>{ fill(t.failed, &[("detail", detail)]) }</p> },
        ),
        Loadable::Ready(discovery) => ("ready", found(discovery, lang, &props.on_action)),
    };
    html! {
        <div class="dns" data-testid="dns" data-query={query.clone()} data-state={state} aria-live="polite">
            { body }
        </div>
    }
}

fn found(d: &Discovery, lang: Lang, on_action: &Callback<Action>) -> Html {
    let t = &lang.texts().dns;
    let f = lang.flow_texts();
    let mx = lookup_line(&d.mx, t, |r| {
        host_of(&r.exchange).map(|h| format!("{h} ({})", r.preference))
    });
    let srv = |lookup: &Lookup<sendcheck::dns::SrvRecord>| {
        lookup_line(lookup, t, |r| {
            host_of(&r.target).map(|h| format!("{h}:{}", r.port))
        })
    };
    let autoconfig = if d.autoconfig.servers.is_empty() {
        t.outcome(d.autoconfig.outcome.name()).to_owned()
    } else {
        d.autoconfig
            .servers
            .iter()
            .map(|s| format!("{}:{} ({})", s.hostname, s.port, s.security.name()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let provider = d.provider.as_ref().map(|p| match lang {
        Lang::Ja => p.name_ja.clone(),
        _ => p.name.clone(),
    });
    let (best, rest) = d.candidates.split_at(d.candidates.len().min(SHOWN));
    let domain = d.domain.as_str();
    html! {
        <>
            <h3 data-testid="dns-domain">{ fill(f.found_heading, &[("domain", domain)]) }</h3>
            if d.candidates.is_empty() {
                <p class="hint">{ t.candidates_none }</p>
            } else {
                <p class="hint">{ f.found_use_hint }</p>
                <ul class="candidates">{ for best.iter().map(|c| candidate(c, lang, on_action)) }</ul>
                if !rest.is_empty() {
                    <details class="more-candidates">
                        <summary>{ f.more_candidates }</summary>
                        <ul class="candidates">{ for rest.iter().map(|c| candidate(c, lang, on_action)) }</ul>
                    </details>
                }
            }
            <details class="dns-facts">
                <summary>{ f.where_from }</summary>
                <p class="hint">{ t.intro }</p>
                <dl class="facts">
                    <dt>{ t.mx_label }</dt><dd>{ mx }</dd>
                    <dt>{ t.submission_label }</dt><dd>{ srv(&d.submission) }</dd>
                    <dt>{ t.submissions_label }</dt><dd>{ srv(&d.submissions) }</dd>
                    <dt>{ t.autoconfig_label }</dt><dd>{ autoconfig }</dd>
                    if let Some(provider) = provider {
                        <dt>{ t.provider_label }</dt><dd>{ provider }</dd>
                    }
                </dl>
            </details>
        </>
    }
}

fn candidate(c: &Candidate, lang: Lang, on_action: &Callback<Action>) -> Html {
    let texts = lang.texts();
    let t = &texts.dns;
    let sources = c
        .sources
        .iter()
        .map(|s| t.source(s.name()))
        .collect::<Vec<_>>()
        .join(", ");
    let use_it = candidate_settings(c).map(|(host, port, security)| {
        let on_action = on_action.clone();
        Callback::from(move |_: MouseEvent| {
            on_action.emit(Action::UseSettings {
                host: host.clone(),
                port,
                security,
            });
            // The next step is the check: Enter (or a tap) starts it from here.
            focus_by_id("submit");
        })
    });
    html! {
        <li
            data-testid="dns-candidate"
            data-host={c.host.to_string()}
            data-port={c.port.to_string()}
            data-security={c.security.name()}
            data-guess={c.is_guess().to_string()}
        >
            <span class="candidate-server">
                <code>{ format!("{}:{}", c.host, c.port) }</code>{ " " }{ texts.security(c.security) }
            </span>
            <span class="source">
                { sources }
                if c.is_guess() {
                    { " (" }{ t.guess }{ ")" }
                }
            </span>
            if let Some(onclick) = use_it {
                <button
                    type="button"
                    class="secondary small"
                    data-testid="dns-use"
                    aria-label={format!("{} — {}:{}", t.use_candidate, c.host, c.port)}
                    {onclick}
                >
                    { t.use_candidate }
                </button>
            }
        </li>
    }
}

/// The records of a lookup in one line, or what its outcome was.
fn lookup_line<R>(lookup: &Lookup<R>, t: &DnsTexts, show: impl Fn(&R) -> Option<String>) -> String {
    let shown: Vec<String> = lookup.records.iter().filter_map(show).collect();
    if lookup.outcome == LookupOutcome::Found && !shown.is_empty() {
        shown.join(", ")
    } else if !lookup.records.is_empty() {
        // Records that name no host: "." (RFC 6186, RFC 7505), the service is not offered.
        t.not_available.to_owned()
    } else {
        t.outcome(lookup.outcome.name()).to_owned()
    }
}

/// Moves the keyboard focus to the element with `id`, when there is one.
fn focus_by_id(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        // Focus can fail on a hidden element; the person goes on with Tab.
        let _ = element.focus();
    }
}

fn host_of(target: &Target) -> Option<String> {
    target.host().map(|h| h.to_string())
}
