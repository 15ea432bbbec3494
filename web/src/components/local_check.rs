//! The check from the person's own computer: the commands for their system and server, a
//! copy button, and the box where they paste what the terminal printed, read back line by
//! line into what each port did.

use sendcheck::diagnosis::LocalCheck;
use sendcheck::inside::{LocalOutputError, Os};
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::hooks::copy_to_clipboard;
use crate::i18n::{fill, Lang, LocalTexts};
use crate::local::{script_for, Local};
use crate::state::{Action, Form};

#[derive(Properties, PartialEq)]
pub struct LocalCheckProps {
    pub lang: Lang,
    pub local: Local,
    pub form: Form,
    /// Unfolded at first (the verdict needs it); the person folds it as they like.
    pub open: bool,
    /// In the verdict card, as the step that decides it: always open, under the card's own
    /// heading.
    #[prop_or_default]
    pub in_card: bool,
    pub on_action: Callback<Action>,
}

#[function_component(LocalCheckView)]
pub fn local_check_view(props: &LocalCheckProps) -> Html {
    let lang = props.lang;
    let t = &lang.texts().local;
    let local = &props.local;
    let form = &props.form;
    // Written again only when the server, the ports or the system change.
    let script = use_memo(
        (form.host.clone(), form.port, form.security, local.os),
        |(host, port, security, os)| {
            let form = Form {
                host: host.clone(),
                port: *port,
                security: *security,
                username: String::new(),
                password: Default::default(),
            };
            script_for(&form, *os).map(|s| s.text)
        },
    );
    let copied = use_state(|| None::<bool>);
    {
        // A new script is not copied yet.
        let copied = copied.clone();
        use_effect_with(script.clone(), move |_| copied.set(None));
    }
    let on_copy = {
        let (script, copied) = (script.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            let (script, copied) = (script.clone(), copied.clone());
            spawn_local(async move {
                let text = script.as_deref().unwrap_or_default();
                copied.set(Some(copy_to_clipboard(text).await));
            });
        })
    };
    let on_os = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(os) = Os::from_name(&value) {
                on_action.emit(Action::ChooseOs(os));
            }
        })
    };
    let on_output = props.on_action.reform(|e: InputEvent| {
        Action::EditLocalOutput(e.target_unchecked_into::<HtmlTextAreaElement>().value())
    });
    let on_read = props
        .on_action
        .reform(|_: MouseEvent| Action::ReadLocalOutput);
    let systems = [
        (Os::Windows, t.os_windows),
        (Os::MacOs, t.os_macos),
        (Os::Linux, t.os_linux),
    ];
    let open_terminal = match local.os {
        Os::Windows => t.open_windows,
        Os::MacOs => t.open_macos,
        _ => t.open_linux,
    };

    let body = html! {
        <>
            <p class="hint">{ t.intro }</p>
            <div class="field">
                <label for="os">{ t.os_label }</label>
                <select id="os" onchange={on_os} aria-describedby="os-hint">
                    { for systems.iter().map(|(os, words)| html! {
                        <option value={os.name()} selected={*os == local.os}>{ *words }</option>
                    }) }
                </select>
                <p id="os-hint" class="hint">
                    if local.os_unknown { { t.os_guess_none }{ " " } }
                    { open_terminal }
                </p>
            </div>
            if let Some(text) = script.as_ref() {
                <div class="command">
                    <div class="command-head">
                        <span id="local-command-label">{ t.command_label }</span>
                        <button type="button" class="secondary" data-testid="copy-command" onclick={on_copy}>
                            { t.copy }
                        </button>
                        <span class="copy-state" aria-live="polite">
                            { match *copied {
                                Some(true) => t.copied,
                                Some(false) => t.copy_failed,
                                None => "",
                            } }
                        </span>
                    </div>
                    <pre
                        class="wire script"
                        data-testid="local-command"
                        data-os={local.os.name()}
                        tabindex="0"
                        aria-labelledby="local-command-label"
                    >{ text }</pre>
                </div>
            } else {
                <p class="hint" data-testid="local-need-host">{ t.need_host }</p>
            }
            <div class="field">
                <label for="local-output">{ t.output_label }</label>
                <textarea
                    id="local-output"
                    rows="5"
                    spellcheck="false"
                    aria-describedby="local-output-hint"
                    value={local.output.clone()}
                    oninput={on_output}
                />
                <p id="local-output-hint" class="hint">{ t.output_hint }</p>
            </div>
            <button id="local-read" type="button" class="secondary" onclick={on_read}>{ t.read }</button>
            <div class="local-results" aria-live="polite">
                { match &local.read {
                    Some(Ok(checks)) => results(checks, lang),
                    Some(Err(error)) => html! {
                        <p class="notice notice-input" data-testid="local-output-error" data-error={error.name()} role="alert">
                            { output_error(*error, t) }
                        </p>
                    },
                    None => Html::default(),
                } }
            </div>
        </>
    };
    if props.in_card {
        return html! {
            <div class="local local-in-card" data-testid="local" data-place="verdict">{ body }</div>
        };
    }
    html! {
        <details class="local sharpen" data-testid="local" data-place="sharpen" open={props.open}>
            <summary><h3 id="local-heading">{ t.heading }</h3></summary>
            { body }
        </details>
    }
}

fn results(checks: &[LocalCheck], lang: Lang) -> Html {
    let t = &lang.texts().local;
    let items = checks.iter().map(|check| {
        // One wording for a local result, the summary's (its detail in the person's language).
        let result = crate::summary::local_words(check, lang);
        let line = fill(
            t.result_line,
            &[("port", &check.port.to_string()), ("result", &result)],
        );
        html! {
            <li
                data-testid="local-check"
                data-port={check.port.to_string()}
                data-result={check.result.name()}
                class={if check.result.connected() { "ok" } else { "problem" }}
            >
                { line }
                if let Some(tool) = &check.tool {
                    { " " }<span class="source">{ fill(t.tool, &[("tool", tool)]) }</span>
                }
            </li>
        }
    });
    html! {
        <>
            <h3>{ t.results_heading }</h3>
            <ul class="local-checks">{ for items }</ul>
        </>
    }
}

fn output_error(error: LocalOutputError, t: &LocalTexts) -> String {
    match error {
        LocalOutputError::Empty => t.error_empty.to_owned(),
        LocalOutputError::TooLong { limit } => {
            fill(t.error_too_long, &[("limit", &limit.to_string())])
        }
        _ => t.error_nothing_recognised.to_owned(),
    }
}
