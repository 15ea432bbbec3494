//! The root component: owns the state, runs the hooks, renders the page.

use sendcheck::embed::EmbedPreset;
use yew::prelude::*;

use crate::hooks::use_location_hash;
use crate::hooks::{
    browser_lang, use_discover, use_document_language, use_library, use_probe, use_reach,
    use_whoami, user_agent,
};
use crate::pages::{Home, SharedResult};
use crate::share_link::is_share_fragment;
use crate::state::AppState;
use crate::widget::is_widget;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer_eq(|| {
        let location = web_sys::window().map(|w| w.location());
        let read = |part: fn(&web_sys::Location) -> Result<String, wasm_bindgen::JsValue>| {
            location
                .as_ref()
                .and_then(|l| part(l).ok())
                .unwrap_or_default()
        };
        // `?host=&port=&address=`: a preset from the widget's host page, or the widget's own
        // link to the full page.
        let preset = EmbedPreset::from_query(&read(web_sys::Location::search));
        AppState::new(browser_lang())
            .with_user_agent(&user_agent())
            .with_preset(&preset, is_widget(&read(web_sys::Location::pathname)))
    });
    use_probe(&state);
    use_whoami(&state);
    use_library(&state);
    use_reach(&state);
    use_discover(&state);
    use_document_language(state.lang);
    let hash = use_location_hash();
    if is_share_fragment(&hash) {
        // A share link opens its result instead of the checker; nothing is probed.
        return html! { <SharedResult {state} {hash} /> };
    }
    html! { <Home {state} /> }
}
