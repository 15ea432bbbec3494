//! The view a share link opens (`/#r=…`): first whether sendcheck really produced the result
//! (verified, altered, unverifiable, or a link that cannot be read at all), then the verdict
//! (diagnosed here from what the link holds, as on the live page), what sendcheck saw from
//! outside, port by port, then what the person added, labelled as theirs and unverified.
//! Nothing is probed again.

use yew::prelude::*;

use crate::components::{use_verdict, Header, PortResults, Verdict};
use crate::hooks::use_shared_view;
use crate::i18n::Lang;
use crate::share_link::{outside_summary, person_rows, Opened, SharedView};
use crate::state::{Action, AppState};
use crate::when::local_time;
use crate::widget::checker_url;

#[derive(Properties, PartialEq)]
pub struct SharedResultProps {
    pub state: UseReducerHandle<AppState>,
    /// `location.hash`, starting with `#r=`.
    pub hash: String,
}

#[function_component(SharedResult)]
pub fn shared_result(props: &SharedResultProps) -> Html {
    let lang = props.state.lang;
    let t = lang.share_texts();
    let view = use_shared_view(&props.hash);
    // The verdict of what the link holds, computed here like on the live page (nothing is
    // probed): the report and the person's own part.
    let (report, person) = match &view {
        SharedView::Opened(opened) => (
            opened.report.as_ref().ok().cloned(),
            Some(opened.person.clone()),
        ),
        _ => (None, None),
    };
    let verdict = use_verdict(
        Vec::new(),
        report.clone(),
        person
            .as_ref()
            .map(|p| p.inside.clone())
            .unwrap_or_default(),
        person
            .as_ref()
            .map(|p| p.answers.clone())
            .unwrap_or_default(),
        &props.state.library,
        lang,
    );
    // "Check with these settings" opens the checker with them; a link never probes by itself.
    let on_action = {
        let dispatcher = props.state.dispatcher();
        Callback::from(move |action: Action| match action {
            Action::UseSettings { host, port, .. } => {
                if let Some(window) = web_sys::window() {
                    // If the browser refuses, the person still has the settings on screen.
                    let _ = window
                        .location()
                        .set_href(&checker_url(&host, port, "", lang));
                }
            }
            Action::Submit => {}
            other => dispatcher.dispatch(other),
        })
    };
    let state = view.state();
    let body = match &view {
        SharedView::Checking => html! { <p class="share-headline">{ t.checking }</p> },
        SharedView::Invalid(error) => html! {
            <>
                <h2 class="share-headline">{ t.invalid }</h2>
                { error_note(error.name(), lang) }
            </>
        },
        SharedView::Opened(opened) => banner(opened, lang),
    };
    html! {
        <>
            <Header {lang} on_action={on_action.clone()} />
            <main class="page shared-result">
                <h2 class="share-title">{ t.heading }</h2>
                <section
                    class={classes!("share-banner", format!("share-{state}"))}
                    data-testid="share-verification"
                    data-state={state}
                    role="status"
                    aria-live="polite"
                >
                    { body }
                </section>
                if let (Some(report), SharedView::Opened(opened)) = (&report, &view) {
                    <div class={classes!((opened.state() != "verified").then_some("share-untrusted"))}>
                        <Verdict
                            {lang}
                            report={report.clone()}
                            view={verdict.clone()}
                            library={props.state.library.clone()}
                            {on_action}
                        />
                    </div>
                }
                if let SharedView::Opened(opened) = &view {
                    { content(opened, lang) }
                }
                <p class="share-start-over"><a href="/">{ t.start_over }</a></p>
            </main>
        </>
    }
}

fn banner(opened: &Opened, lang: Lang) -> Html {
    let time = opened
        .report
        .as_ref()
        .map(|r| local_time(r.started_at_unix_ms, lang))
        .unwrap_or_default();
    let banner = opened.banner(lang, &time);
    html! {
        <>
            <h2 class="share-headline" data-testid="share-headline">{ banner.headline }</h2>
            if let Some(detail) = banner.detail {
                <p class="share-detail">{ detail }</p>
            }
        </>
    }
}

fn content(opened: &Opened, lang: Lang) -> Html {
    let t = lang.share_texts();
    // Shown under a warning, never as if it were sendcheck's word.
    let trusted = opened.state() == "verified";
    let outside = match &opened.report {
        Ok(report) => html! {
            <section
                class={classes!("share-outside", (!trusted).then_some("share-untrusted"))}
                aria-labelledby="share-outside-heading"
            >
                <h2 id="share-outside-heading">{ t.outside_heading }</h2>
                <p>{ outside_summary(report, lang) }</p>
                <PortResults {lang} report={report.clone()} />
            </section>
        },
        Err(error) => error_note(error.name(), lang),
    };
    let rows = person_rows(&opened.person, lang);
    html! {
        <>
            { outside }
            <section class="share-person" data-testid="share-person" aria-labelledby="share-person-heading">
                <h2 id="share-person-heading">{ t.person_heading }</h2>
                <p class="hint">{ t.person_note }</p>
                if rows.is_empty() {
                    <p>{ t.person_nothing }</p>
                } else {
                    <dl class="facts">
                        { for rows.into_iter().map(|row| html! {
                            <>
                                <dt>{ row.label }</dt>
                                <dd data-testid="share-person-row" data-key={row.key}>{ row.value }</dd>
                            </>
                        }) }
                    </dl>
                }
            </section>
        </>
    }
}

fn error_note(code: &'static str, lang: Lang) -> Html {
    html! {
        <p class="share-error" data-testid="share-error" data-code={code} role="alert">
            { lang.share_texts().error(code) }
        </p>
    }
}
