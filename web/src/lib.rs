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
//! The page is two wasm modules built from this crate (`entry.rs`): the start module
//! (`pages::StartPage` over `start_state`, the first screen only) and the full module (`app`),
//! which takes over with the start module's [`handoff`].
//!
//! Everything except `hooks`, `components`, `pages`, `app` and `entry` is free of browser APIs
//! and tested natively with `cargo test -p sendcheck-web`.

pub mod answer;
pub mod app;
pub mod auth;
pub mod check;
mod components;
pub mod discover;
#[cfg(target_arch = "wasm32")]
mod entry;
pub mod evidence;
pub mod explain;
pub mod handoff;
mod hooks;
pub mod i18n;
pub mod library;
pub mod local;
pub mod pages;
pub mod questions;
pub mod reach;
pub mod share_link;
pub mod sharpen;
pub mod start_state;
pub mod state;
pub mod stream;
pub mod summary;
pub mod verdict;
pub mod verdict_trail;
pub mod when;
pub mod widget;
