//! `POST /api/probe` for every port of a check, started whenever the state enters
//! [`Phase::Probing`](crate::state::Phase::Probing). The answer streams in as NDJSON: each
//! step and port is reported with [`Action::Progress`] as it arrives, the whole report (or
//! why there is none) with [`Action::Answered`].

use std::rc::Rc;

use js_sys::{Reflect, Uint8Array};
use sendcheck::wire::CheckReport;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Headers, ReadableStreamDefaultReader, RequestInit, Response};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::answer::{fetch_failure, read_check, PROBE_PATH, PROBE_TIMEOUT_SECONDS};
use crate::state::{Action, AppState, Failure, Pending};
use crate::stream::{StreamItem, StreamReader, NDJSON};

/// Runs each check the state asks for, once, and reports its progress and answer back.
#[hook]
pub fn use_probe(state: &UseReducerHandle<AppState>) {
    let pending = state.pending().cloned();
    let dispatcher = state.dispatcher();
    use_effect_with(pending, move |pending| {
        if let Some(pending) = pending.clone() {
            spawn_local(async move {
                let id = pending.id;
                let progress = {
                    let dispatcher = dispatcher.clone();
                    move |item| match item {
                        StreamItem::Progress(event) => {
                            dispatcher.dispatch(Action::Progress { id, event })
                        }
                        StreamItem::Finished(_) => {}
                    }
                };
                let answer = post_check(&pending, progress).await.map(Rc::new);
                dispatcher.dispatch(Action::Answered { id, answer });
            });
        }
    });
}

async fn post_check(
    pending: &Pending,
    on_progress: impl Fn(StreamItem),
) -> Result<CheckReport, Failure> {
    let body = pending.body().map_err(|e| Failure::Unreachable {
        detail: e.to_string(),
    })?;
    let response = send(&body).await.map_err(|e| js_failure(&e))?;
    let streamed = response
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .is_some_and(|t| t.contains(NDJSON));
    let body = response.body().filter(|_| streamed && response.ok());
    let Some(body) = body else {
        // A refusal (or a worker that does not stream): one JSON document.
        let text = match response.text() {
            Ok(promise) => JsFuture::from(promise).await.map_err(|e| js_failure(&e))?,
            Err(e) => return Err(js_failure(&e)),
        };
        return read_check(response.status(), &text.as_string().unwrap_or_default());
    };
    let reader: ReadableStreamDefaultReader =
        body.get_reader().dyn_into().map_err(|e| js_failure(&e))?;
    let mut stream = StreamReader::default();
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|e| js_failure(&e))?;
        let done = Reflect::get(&chunk, &JsValue::from_str("done"))
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return stream.end();
        }
        let value = Reflect::get(&chunk, &JsValue::from_str("value")).unwrap_or(JsValue::NULL);
        let bytes = value
            .dyn_into::<Uint8Array>()
            .map(|a| a.to_vec())
            .unwrap_or_default();
        for item in stream.feed(&bytes) {
            match item {
                StreamItem::Finished(result) => {
                    // Nothing after the end counts; let the worker finish on its own.
                    let _ = reader.cancel();
                    return result;
                }
                progress => on_progress(progress),
            }
        }
    }
}

async fn send(body: &str) -> Result<Response, JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let headers = Headers::new()?;
    headers.set("content-type", "application/json")?;
    headers.set("accept", NDJSON)?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(body));
    if let Some(signal) = timeout_signal(PROBE_TIMEOUT_SECONDS * 1000) {
        init.set_signal(Some(&signal));
    }
    let response = JsFuture::from(window.fetch_with_str_and_init(PROBE_PATH, &init)).await?;
    response.dyn_into()
}

/// `AbortSignal.timeout()`, where the browser has it (older Safari does not: there the page
/// waits for the worker's own deadline).
pub fn timeout_signal(ms: u32) -> Option<AbortSignal> {
    let class = Reflect::get(&js_sys::global(), &JsValue::from_str("AbortSignal")).ok()?;
    let supported = Reflect::has(&class, &JsValue::from_str("timeout")).unwrap_or(false);
    supported.then(|| AbortSignal::timeout_with_u32(ms))
}

/// The `name` and `message` of a JS error (or what a rejected promise carried).
pub fn js_error_parts(error: &JsValue) -> (String, String) {
    let field = |name: &str| {
        Reflect::get(error, &JsValue::from_str(name))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    let message = error.as_string().unwrap_or_else(|| field("message"));
    (field("name"), message)
}

fn js_failure(error: &JsValue) -> Failure {
    let (name, message) = js_error_parts(error);
    fetch_failure(&name, &message)
}
