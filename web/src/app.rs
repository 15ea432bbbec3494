//! The root component: owns the state, runs the hooks, renders the page.

use yew::prelude::*;

use crate::hooks::{browser_lang, use_document_language, use_probe};
use crate::pages::Home;
use crate::state::AppState;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer_eq(|| AppState::new(browser_lang()));
    use_probe(&state);
    use_document_language(state.lang);
    html! { <Home {state} /> }
}
