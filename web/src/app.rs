//! The root component: owns the state, runs the hooks, renders the page.

use std::rc::Rc;

use sendcheck::embed::EmbedPreset;
use yew::prelude::*;

use crate::handoff::Handoff;
use crate::hooks::use_location_hash;
use crate::hooks::{
    browser_lang, use_discover, use_document_language, use_library, use_probe, use_reach,
    use_whoami, user_agent,
};
use crate::pages::{Home, SharedResult};
use crate::share_link::is_share_fragment;
use crate::state::AppState;
use crate::widget::is_widget;

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// What the person did in the start module, when this module takes over from it.
    #[prop_or_default]
    pub handoff: Option<Rc<Handoff>>,
}

/// A part of the page's address (`Location::search`, `Location::pathname`), or "".
pub fn location_part(
    part: fn(&web_sys::Location) -> Result<String, wasm_bindgen::JsValue>,
) -> String {
    web_sys::window()
        .and_then(|w| part(&w.location()).ok())
        .unwrap_or_default()
}

/// `?host=&port=&address=`: a preset from the widget's host page, or the widget's own link to
/// the full page.
pub fn location_preset() -> EmbedPreset {
    EmbedPreset::from_query(&location_part(web_sys::Location::search))
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let handoff = props.handoff.clone();
    let state = use_reducer_eq(move || {
        let state = AppState::new(browser_lang())
            .with_user_agent(&user_agent())
            .with_preset(
                &location_preset(),
                is_widget(&location_part(web_sys::Location::pathname)),
            );
        match handoff {
            Some(handoff) => state.with_handoff(&handoff),
            None => state,
        }
    });
    use_probe(&state);
    use_whoami(&state);
    use_library(&state);
    use_reach(&state);
    let dispatcher = state.dispatcher();
    use_discover(
        crate::discover::discovery_query(&state.questions, &state.form.host),
        state.discovered.as_ref().map(|d| d.query.clone()),
        Callback::from(move |action| dispatcher.dispatch(action)),
    );
    use_document_language(state.lang);
    use_effect_with((), |()| announce_mounted());
    let hash = use_location_hash();
    if is_share_fragment(&hash) {
        // A share link opens its result instead of the checker; nothing is probed.
        return html! { <SharedResult {state} {hash} /> };
    }
    html! { <Home {state} /> }
}

/// Tells the page's loader (`index.html`) that this module has rendered: it then shows it in
/// place of the start module.
pub fn announce_mounted() {
    if let Some(window) = web_sys::window() {
        if let Ok(event) = web_sys::Event::new("sendcheck:mounted") {
            let _ = window.dispatch_event(&event);
        }
    }
}
