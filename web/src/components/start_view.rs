//! Where the page starts: the person's e-mail address, and under it what their provider
//! publishes about sending, each server a click away from the settings form. The slot for the
//! discovered servers keeps its height from the start, so nothing below jumps when they arrive.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::DnsView;
use crate::discover::Discovered;
use crate::i18n::Lang;
use crate::questions::QuestionEdit;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct StartProps {
    pub lang: Lang,
    /// As typed (`Questions::email`).
    pub email: String,
    pub email_unreadable: bool,
    pub discovered: Option<Discovered>,
    pub on_action: Callback<Action>,
}

#[function_component(StartView)]
pub fn start_view(props: &StartProps) -> Html {
    let lang = props.lang;
    let t = lang.flow_texts();
    let q = &lang.texts().questions;
    let on_email = props.on_action.reform(|e: InputEvent| {
        Action::Answer(QuestionEdit::Email(
            e.target_unchecked_into::<HtmlInputElement>().value(),
        ))
    });
    // Enter in the address field is not a check yet: the settings come first.
    let onsubmit = Callback::from(|e: SubmitEvent| e.prevent_default());
    html! {
        <section class="start" data-testid="start" aria-labelledby="start-heading">
            <h2 id="start-heading">{ t.start_heading }</h2>
            <p class="hint">{ t.start_intro }</p>
            <form class="field" novalidate=true {onsubmit}>
                <label for="q-email">{ q.email }</label>
                <input
                    id="q-email"
                    type="text"
                    inputmode="email"
                    autocomplete="email"
                    autocapitalize="none"
                    spellcheck="false"
                    enterkeyhint="next"
                    placeholder="taro@example.jp"
                    aria-describedby="q-email-hint"
                    aria-invalid={props.email_unreadable.to_string()}
                    value={props.email.clone()}
                    oninput={on_email}
                />
                <p id="q-email-hint" class="hint">
                    if props.email_unreadable {
                        <span class="field-error" data-testid="email-unreadable">{ q.email_unreadable }</span>
                    } else {
                        { q.email_hint }
                    }
                </p>
            </form>
            <div class="dns-slot">
                if let Some(discovered) = &props.discovered {
                    <DnsView {lang} discovered={discovered.clone()} on_action={props.on_action.clone()} />
                } else {
                    <p class="hint dns-waiting">{ t.start_waiting }</p>
                }
            </div>
        </section>
    }
}
