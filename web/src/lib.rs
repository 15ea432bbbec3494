//! The sendcheck page: a Yew app that asks the worker to probe a mail server and explains
//! the answer in the person's language.
//!
//! ```text
//!  components ──Action──▶ state::AppState (Reducible, pure)
//!      ▲                     │ Phase::Probing{id}: check::ports_to_check (configured + 587/465/25)
//!      │                     ▼
//!      │              hooks::use_probe ──POST /api/probe (NDJSON)──▶ worker
//!      │                     │ stream (pure): ProgressEvent ─▶ Action::Progress ─▶ check::CheckProgress
//!      │                     │                done ─▶ Action::Answered{id}: CheckReport | Failure
//!      │              hooks: whoami, reach (browser fetches), library (data/*.json), discover
//!      │                     ▼
//!      └── verdict (diagnose in the page, memoised) + explain + auth + evidence + i18n (pure)
//! ```
//!
//! Everything except `hooks`, `components`, `pages` and `app` is free of browser APIs and
//! tested natively with `cargo test -p sendcheck-web`.

pub mod answer;
pub mod app;
pub mod auth;
pub mod check;
mod components;
pub mod discover;
pub mod evidence;
pub mod explain;
mod hooks;
pub mod i18n;
pub mod library;
pub mod local;
mod pages;
pub mod questions;
pub mod reach;
pub mod share_link;
pub mod sharpen;
pub mod state;
pub mod stream;
pub mod summary;
pub mod verdict;
pub mod when;
pub mod widget;

/// Mounts the app into `#app` (or the body, if the page has none).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => yew::Renderer::<app::App>::with_root(root).render(),
        None => yew::Renderer::<app::App>::new().render(),
    };
}
