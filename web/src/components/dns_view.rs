//! What the person's mail domain publishes about sending (MX, SRV, autoconfig, a known
//! provider) and the servers it suggests, each a click away from being checked.

use sendcheck::discovery::{Candidate, Discovery, Lookup, LookupOutcome};
use sendcheck::dns::Target;
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

#[function_component(DnsView)]
pub fn dns_view(props: &DnsProps) -> Html {
    let lang = props.lang;
    let t = &lang.texts().dns;
    let query = &props.discovered.query;
    let (state, body) = match &props.discovered.result {
        Loadable::NotAsked | Loadable::Loading => (
            "loading",
            html! { <p class="hint">{ fill(t.loading, &[("domain", query)]) }</p> },
        ),
        Loadable::Failed(detail) => (
            "failed",
            html! { <p>{ fill(t.failed, &[("detail", detail)]) }</p> },
        ),
        Loadable::Ready(discovery) => ("ready", found(discovery, lang, &props.on_action)),
    };
    html! {
        <section class="dns" data-testid="dns" data-query={query.clone()} data-state={state} aria-labelledby="dns-heading">
            <h2 id="dns-heading">{ t.heading }</h2>
            <p class="hint">{ t.intro }</p>
            { body }
        </section>
    }
}

fn found(d: &Discovery, lang: Lang, on_action: &Callback<Action>) -> Html {
    let t = &lang.texts().dns;
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
    let candidates = d.candidates.iter().map(|c| candidate(c, lang, on_action));
    html! {
        <>
            <p data-testid="dns-domain">{ fill(t.domain, &[("domain", d.domain.as_str())]) }</p>
            <dl class="facts">
                <dt>{ t.mx_label }</dt><dd>{ mx }</dd>
                <dt>{ t.submission_label }</dt><dd>{ srv(&d.submission) }</dd>
                <dt>{ t.submissions_label }</dt><dd>{ srv(&d.submissions) }</dd>
                <dt>{ t.autoconfig_label }</dt><dd>{ autoconfig }</dd>
                if let Some(provider) = provider {
                    <dt>{ t.provider_label }</dt><dd>{ provider }</dd>
                }
            </dl>
            <h3>{ t.candidates_heading }</h3>
            if d.candidates.is_empty() {
                <p class="hint">{ t.candidates_none }</p>
            } else {
                <ul class="candidates">{ for candidates }</ul>
            }
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
        on_action.reform(move |_: MouseEvent| Action::UseSettings {
            host: host.clone(),
            port,
            security,
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
            <code>{ format!("{}:{}", c.host, c.port) }</code>{ " " }{ texts.security(c.security) }
            <span class="source">{ " — " }{ sources }</span>
            if c.is_guess() {
                <span class="guess">{ " (" }{ t.guess }{ ")" }</span>
            }
            if let Some(onclick) = use_it {
                { " " }
                <button type="button" class="secondary small" {onclick}>{ t.use_candidate }</button>
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

fn host_of(target: &Target) -> Option<String> {
    target.host().map(|h| h.to_string())
}
