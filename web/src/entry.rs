//! The page's two wasm modules and what each exports to the loader in `index.html`.
//!
//! - The **start module** (built with the `start-module` feature): `run` mounts the start
//!   page (`pages::StartPage`) at once; `handoff` gives what the person did so far;
//!   `unavailable` says in the page that the rest could not be loaded; `leave` unmounts it.
//! - The **full module** (default): `run` mounts the whole page (a share link opens here
//!   directly); `takeover` mounts it with the start module's handoff into a new, hidden
//!   element, announcing `sendcheck:mounted` once rendered, and the loader swaps it in.
//!
//! One crate, one set of components: the linker keeps in each module only what its exports
//! reach, which is what makes the start module small.

use std::cell::RefCell;

use wasm_bindgen::prelude::wasm_bindgen;

fn root() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id("app")
}

#[cfg(feature = "start-module")]
mod exports {
    use super::*;
    use crate::pages::{current_handoff, forget, say_unavailable, StartPage};

    thread_local! {
        static MOUNTED: RefCell<Option<yew::AppHandle<StartPage>>> = const { RefCell::new(None) };
    }

    #[wasm_bindgen]
    pub fn run() {
        let handle = match root() {
            Some(root) => yew::Renderer::<StartPage>::with_root(root).render(),
            None => yew::Renderer::<StartPage>::new().render(),
        };
        MOUNTED.with(|m| *m.borrow_mut() = Some(handle));
    }

    /// What the person did so far, as JSON for the full module's `takeover`.
    #[wasm_bindgen]
    pub fn handoff() -> String {
        current_handoff().map(|h| h.to_json()).unwrap_or_default()
    }

    #[wasm_bindgen]
    pub fn unavailable() {
        say_unavailable();
    }

    /// Unmounts the start page and forgets its state (with any password in it).
    #[wasm_bindgen]
    pub fn leave() {
        if let Some(handle) = MOUNTED.with(|m| m.borrow_mut().take()) {
            handle.destroy();
        }
        forget();
    }
}

#[cfg(not(feature = "start-module"))]
mod exports {
    use std::rc::Rc;

    use sendcheck::diagnosis::{InsideView, PersonAnswers};
    use sendcheck::share::{make_link, LinkOptions, Seal};
    use wasm_bindgen::JsError;

    use super::*;
    use crate::app::{App, AppProps};
    use crate::handoff::Handoff;

    thread_local! {
        static MOUNTED: RefCell<Option<yew::AppHandle<App>>> = const { RefCell::new(None) };
    }

    fn mount(root: Option<web_sys::Element>, props: AppProps) {
        let handle = match root {
            Some(root) => yew::Renderer::<App>::with_root_and_props(root, props).render(),
            None => yew::Renderer::<App>::with_props(props).render(),
        };
        MOUNTED.with(|m| *m.borrow_mut() = Some(handle));
    }

    #[wasm_bindgen]
    pub fn run() {
        mount(root(), AppProps::default());
    }

    /// The link the share button makes, for JavaScript: the e2e tests ask the page's own
    /// encoder through this. Arguments are JSON of the live report's `seal`, the `InsideView`
    /// and the `PersonAnswers`; `username` is the form's user name (kept out of the link
    /// unless `include_username`).
    #[wasm_bindgen(js_name = makeShareLink)]
    pub fn make_share_link(
        origin: &str,
        seal_json: &str,
        inside_json: &str,
        answers_json: &str,
        username: Option<String>,
        include_username: bool,
    ) -> Result<String, JsError> {
        let seal: Seal = serde_json::from_str(seal_json)?;
        let inside: InsideView = serde_json::from_str(inside_json)?;
        let answers: PersonAnswers = serde_json::from_str(answers_json)?;
        let options = LinkOptions {
            username: username.as_deref(),
            include_username,
        };
        Ok(make_link(origin, &seal, &inside, &answers, options))
    }

    /// Mounts the page into `into` with what the start module handed over. A handoff that
    /// cannot be read starts the page afresh (an empty form beats a broken page).
    #[wasm_bindgen]
    pub fn takeover(handoff: &str, into: web_sys::Element) {
        let handoff = Handoff::from_json(handoff).ok().map(Rc::new);
        mount(Some(into), AppProps { handoff });
    }
}
