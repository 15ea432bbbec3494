//! The top of the page: name, what it does, and the language switch.

use yew::prelude::*;

use crate::i18n::Lang;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub lang: Lang,
    pub on_switch: Callback<()>,
}

#[function_component(Header)]
pub fn header(props: &HeaderProps) -> Html {
    let t = props.lang.start_texts();
    let other = props.lang.other();
    let onclick = props.on_switch.reform(|_: MouseEvent| ());
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
