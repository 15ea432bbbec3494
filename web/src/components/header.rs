//! The top of the page: name, what it does, and the language switch.

use yew::prelude::*;

use crate::hooks::remember_lang_in_address;
use crate::i18n::Lang;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub lang: Lang,
    /// Receives `SwitchLang`; the address keeps the new language (`?lang=`) for a reload.
    pub on_action: Callback<Action>,
}

#[function_component(Header)]
pub fn header(props: &HeaderProps) -> Html {
    let t = props.lang.start_texts();
    let other = props.lang.other();
    let onclick = props.on_action.reform(move |_: MouseEvent| {
        remember_lang_in_address(other);
        Action::SwitchLang
    });
    html! {
        <header class="page-header">
            <div class="topbar">
                <span class="brand">{ t.brand }</span>
                // The button names the other language in that language, so a person who cannot
                // read the current one still finds it.
                <button id="lang" type="button" class="lang-switch" title={t.switch_label} {onclick}>
                    <span lang={other.tag()}>{ other.start_texts().lang_name }</span>
                </button>
            </div>
            <h1>{ t.heading }</h1>
            <p class="intro">{ t.intro }</p>
        </header>
    }
}
