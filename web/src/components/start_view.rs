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
    /// What shows under the address: [`discovered_slot`] in the full page; the start module,
    /// which leaves the lookup to the full one, shows [`waiting_slot`].
    pub found: Html,
    pub on_action: Callback<Action>,
}

/// The discovered servers, or the hint of what will show there.
pub fn discovered_slot(
    lang: Lang,
    discovered: Option<&Discovered>,
    on_action: &Callback<Action>,
) -> Html {
    match discovered {
        Some(discovered) => html! {
            <DnsView {lang} discovered={discovered.clone()} on_action={on_action.clone()} />
        },
        None => waiting_slot(lang),
    }
}

/// Before an address has been looked up.
pub fn waiting_slot(lang: Lang) -> Html {
    html! { <p class="hint dns-waiting">{ lang.start_texts().start_waiting }</p> }
}

#[function_component(StartView)]
pub fn start_view(props: &StartProps) -> Html {
    let lang = props.lang;
    let t = lang.start_texts();
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
                <label for="q-email">{ t.email }</label>
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
                        <span class="field-error" data-testid="email-unreadable">{ t.email_unreadable }</span>
                    } else {
                        { t.email_hint }
                    }
                </p>
            </form>
            <div class="dns-slot">{ props.found.clone() }</div>
        </section>
    }
}
