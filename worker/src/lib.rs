//! The sendcheck edge worker: the outside view of a mail server.
//!
//! ```text
//!  POST /api/probe ─▶ api::probe ─ parse (shared::wire) ─▶ outside::run ─▶ shared::probe::Probe
//!                                                              │  Action
//!                          resolver (DoH fetch) ◀──────────────┤
//!                          worker::Socket (raw TCP) ◀──────────┘
//!  ◀── ProbeReport JSON, or ApiError JSON (4xx) for bad input
//! ```
//!
//! Static files (the page) are served by the assets binding before this code runs; only
//! `/api/*` and `/embed` (the page as a widget, with its framing policy) reach the worker
//! (`run_worker_first` in wrangler.toml).

mod api;
mod check;
mod clock;
mod discover;
mod embed;
mod outside;
mod resolver;
mod settings;

use worker::{event, Context, Env, Request, Response, Result};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    api::route(req, &env).await
}
