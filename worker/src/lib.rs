//! The sendcheck edge worker: the outside view of a mail server.
//!
//! ```text
//!  POST /api/probe ─▶ api::probe ─ parse (shared::wire) ─▶ outside::run ─▶ shared::probe::Probe
//!                                                              │  Action
//!                          resolver (DoH fetch) ◀──────────────┤
//!                          worker::Socket (raw TCP) ◀──────────┘
//!  ◀── ProbeReport JSON, or ApiError JSON (4xx) for bad input
//!  ◀── several ports: CheckReport sealed with SHARE_SIGNING_KEY (share.rs)
//!  GET /api/share-key ─▶ share::keys: the public keys that verify share links
//! ```
//!
//! Static files (the page) are served by the assets binding before this code runs; only
//! `/api/*` and `/embed` (the page as a widget, with its framing policy) reach the worker
//! (`run_worker_first` in wrangler.toml).

mod alone;
mod api;
mod cache;
mod check;
mod clock;
mod crypto;
mod discover;
mod embed;
mod limits;
mod outside;
mod resolver;
mod settings;
mod share;
mod turnstile;

use worker::{event, Context, Env, Request, Response, Result};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    api::route(req, &env).await
}
