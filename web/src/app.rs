//! The root component: owns the state, runs the hooks, renders the page.

use yew::prelude::*;

use crate::hooks::use_location_hash;
use crate::hooks::{
    browser_lang, use_discover, use_document_language, use_library, use_probe, use_reach,
    use_whoami, user_agent,
};
use crate::pages::{Home, SharedResult};
use crate::share_link::is_share_fragment;
use crate::state::AppState;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer_eq(|| AppState::new(browser_lang()).with_user_agent(&user_agent()));
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
