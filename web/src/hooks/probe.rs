//! `POST /api/probe` with the browser's `fetch`, started whenever the state enters
//! [`Phase::Probing`](crate::state::Phase::Probing), answered with [`Action::Answered`].

use std::rc::Rc;

use js_sys::Reflect;
use sendcheck::wire::ProbeReport;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Headers, RequestInit, Response};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::answer::{fetch_failure, read_answer, PROBE_PATH, PROBE_TIMEOUT_SECONDS};
use crate::state::{Action, AppState, Failure, Pending};

/// Runs each probe the state asks for, once, and reports its answer back to the reducer.
#[hook]
pub fn use_probe(state: &UseReducerHandle<AppState>) {
    let pending = state.pending().cloned();
    let dispatcher = state.dispatcher();
    use_effect_with(pending, move |pending| {
        if let Some(pending) = pending.clone() {
            spawn_local(async move {
                let answer = post_probe(&pending).await.map(Rc::new);
                dispatcher.dispatch(Action::Answered {
                    id: pending.id,
                    answer,
                });
            });
        }
    });
}

async fn post_probe(pending: &Pending) -> Result<ProbeReport, Failure> {
    let body = pending.body().map_err(|e| Failure::Unreachable {
        detail: e.to_string(),
    })?;
    let response = send(&body).await.map_err(|e| js_failure(&e))?;
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise).await.map_err(|e| js_failure(&e))?,
        Err(e) => return Err(js_failure(&e)),
    };
    read_answer(response.status(), &text.as_string().unwrap_or_default())
}

async fn send(body: &str) -> Result<Response, JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let headers = Headers::new()?;
    headers.set("content-type", "application/json")?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(body));
    if let Some(signal) = timeout_signal() {
        init.set_signal(Some(&signal));
    }
    let response = JsFuture::from(window.fetch_with_str_and_init(PROBE_PATH, &init)).await?;
    response.dyn_into()
}

/// `AbortSignal.timeout()`, where the browser has it (older Safari does not: there the page
/// waits for the worker's own deadline).
fn timeout_signal() -> Option<AbortSignal> {
    let class = Reflect::get(&js_sys::global(), &JsValue::from_str("AbortSignal")).ok()?;
    let supported = Reflect::has(&class, &JsValue::from_str("timeout")).unwrap_or(false);
    supported.then(|| AbortSignal::timeout_with_u32(PROBE_TIMEOUT_SECONDS * 1000))
}

fn js_failure(error: &JsValue) -> Failure {
    let field = |name: &str| {
        Reflect::get(error, &JsValue::from_str(name))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    let message = error.as_string().unwrap_or_else(|| field("message"));
    fetch_failure(&field("name"), &message)
}
