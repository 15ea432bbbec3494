//! Under the verdict: a link to this result (made from the worker's seal and the person's
//! answers, never the password; the user name only when they tick the box) and a plain-text
//! summary for an e-mail or a support ticket. Each copies itself and says so; where the browser
//! refuses the clipboard, the text stays selectable in a box.

use std::rc::Rc;

use sendcheck::diagnosis::{InsideView, PersonAnswers};
use sendcheck::share::{make_link, LinkOptions};
use sendcheck::wire::CheckReport;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::hooks::copy_to_clipboard;
use crate::i18n::Lang;
use crate::summary::summary_text;
use crate::verdict::VerdictView;

#[derive(Properties, PartialEq)]
pub struct ShareBarProps {
    pub lang: Lang,
    pub report: Rc<CheckReport>,
    pub verdict: Option<Rc<VerdictView>>,
    pub inside: InsideView,
    pub answers: PersonAnswers,
    /// As typed in the form; kept out of the link unless the person opts in.
    pub username: String,
}

/// A text made by a button and whether the clipboard took it.
#[derive(Clone, PartialEq)]
struct Made {
    text: String,
    copied: bool,
}

#[function_component(ShareBar)]
pub fn share_bar(props: &ShareBarProps) -> Html {
    let lang = props.lang;
    let t = lang.share_texts();
    let f = lang.flow_texts();
    let include_username = use_state(|| false);
    let link = use_state(|| None::<Made>);
    let summary = use_state(|| None::<Made>);
    {
        // A new check starts without the previous one's link and summary.
        let (link, summary) = (link.clone(), summary.clone());
        use_effect_with(props.report.clone(), move |_| {
            link.set(None);
            summary.set(None);
        });
    }

    let make_share_link = {
        let (report, inside, answers) = (
            props.report.clone(),
            props.inside.clone(),
            props.answers.clone(),
        );
        let (username, include) = (props.username.clone(), *include_username);
        move || -> Option<String> {
            let seal = report.seal.as_ref()?;
            let origin = web_sys::window()?.location().origin().ok()?;
            let username = username.trim();
            let options = LinkOptions {
                username: (!username.is_empty()).then_some(username),
                include_username: include,
            };
            Some(make_link(&origin, seal, &inside, &answers, options))
        }
    };
    let on_link = {
        let (link, make) = (link.clone(), make_share_link.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(text) = make() else { return };
            copy_into(&link, text);
        })
    };
    let on_summary = {
        let summary = summary.clone();
        let (report, verdict) = (props.report.clone(), props.verdict.clone());
        let local = props.inside.local_checks.clone();
        let link = link.clone();
        Callback::from(move |_: MouseEvent| {
            let link = link.as_ref().map(|l| l.text.clone());
            let text = summary_text(&report, verdict.as_deref(), &local, link.as_deref(), lang);
            copy_into(&summary, text);
        })
    };
    let on_include = {
        let (include_username, link) = (include_username.clone(), link.clone());
        Callback::from(move |e: Event| {
            include_username.set(e.target_unchecked_into::<HtmlInputElement>().checked());
            // The link made before says otherwise about the user name: make it again.
            link.set(None);
        })
    };
    let can_link = props.report.seal.is_some();
    let has_username = !props.username.trim().is_empty();

    html! {
        <section class="share-bar" data-testid="share" aria-labelledby="share-heading">
            <h2 id="share-heading" class="visually-hidden">{ f.share_heading }</h2>
            <div class="share-actions">
                if can_link {
                    <button type="button" class="secondary" data-testid="share-button" onclick={on_link}>
                        { t.button }
                    </button>
                }
                <button type="button" class="secondary" data-testid="summary-button" onclick={on_summary}>
                    { f.summary_button }
                </button>
            </div>
            if can_link && has_username {
                <label class="check-option" for="share-username">
                    <input
                        type="checkbox"
                        id="share-username"
                        data-testid="share-username"
                        checked={*include_username}
                        onchange={on_include}
                    />
                    { " " }{ t.include_username }
                </label>
            }
            <p class="hint">
                if can_link { { t.privacy_note } } else { { t.button_unavailable } }
            </p>
            <div aria-live="polite">
                if let Some(made) = &*link {
                    <p class="copy-state" data-testid="share-copied" data-copied={made.copied.to_string()}>
                        { if made.copied { t.button_copied } else { f.copy_failed } }
                    </p>
                    <label class="visually-hidden" for="share-link">{ f.share_link_label }</label>
                    <input id="share-link" class="share-link" data-testid="share-link" readonly=true value={made.text.clone()} />
                }
                if let Some(made) = &*summary {
                    <p class="copy-state" data-testid="summary-copied" data-copied={made.copied.to_string()}>
                        { if made.copied { f.summary_copied } else { f.copy_failed } }
                    </p>
                    <label for="summary-text">{ f.summary_label }</label>
                    <textarea
                        id="summary-text"
                        data-testid="summary-text"
                        readonly=true
                        rows={(made.text.lines().count().clamp(4, 14)).to_string()}
                        value={made.text.clone()}
                    />
                }
            </div>
        </section>
    }
}

/// Copies `text` and keeps it shown, with whether the clipboard took it.
fn copy_into(made: &UseStateHandle<Option<Made>>, text: String) {
    let made = made.clone();
    spawn_local(async move {
        let copied = copy_to_clipboard(&text).await;
        made.set(Some(Made { text, copied }));
    });
}
