//! Opening a share link in the browser: the address fragment, the published keys
//! (`GET /api/share-key`), the signature check with WebCrypto (Ed25519) and the bounded
//! inflate with `DecompressionStream('deflate-raw')` — browser features, so the page carries
//! no signature or deflate code of its own. What the results mean is decided in
//! [`crate::share_link`]; the link format is `sendcheck::share`.

use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use sendcheck::share::{
    parse_link, read_report, LinkPart, ShareError, ShareKeys, KEY_BYTES, MAX_REPORT_BYTES,
};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::share_link::{key_for, ContentError, Opened, SharedView, Unverifiable, Verification};

/// Where the worker publishes the keys that verify share links.
pub const SHARE_KEY_PATH: &str = "/api/share-key";

/// `location.hash`, kept current when it changes without a reload (a link pasted into the
/// address bar of a tab that already shows the page).
#[hook]
pub fn use_location_hash() -> String {
    let hash = use_state(current_hash);
    {
        let hash = hash.clone();
        use_effect_with((), move |()| {
            let listener = Closure::<dyn Fn()>::new(move || hash.set(current_hash()));
            let window = web_sys::window();
            if let Some(window) = &window {
                // Without the listener only a reload shows a pasted link; nothing else breaks.
                let _ = window.add_event_listener_with_callback(
                    "hashchange",
                    listener.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(window) = &window {
                    let _ = window.remove_event_listener_with_callback(
                        "hashchange",
                        listener.as_ref().unchecked_ref(),
                    );
                }
                drop(listener);
            }
        });
    }
    (*hash).clone()
}

/// Opens the link in `hash` (again whenever it changes): `Checking` until the signature has
/// been checked and the report read.
#[hook]
pub fn use_shared_view(hash: &str) -> SharedView {
    let view = use_state(|| SharedView::Checking);
    {
        let view = view.clone();
        use_effect_with(hash.to_owned(), move |hash| {
            view.set(SharedView::Checking);
            let hash = hash.clone();
            spawn_local(async move {
                let opened = open(&hash).await;
                // A newer link may have replaced this one while it was being checked.
                if current_hash() == hash {
                    view.set(opened);
                }
            });
        });
    }
    (*view).clone()
}

async fn open(hash: &str) -> SharedView {
    let link = match parse_link(hash) {
        Ok(link) => link,
        Err(e) => return SharedView::Invalid(e),
    };
    let keys = fetch_keys().await;
    let verification = match key_for(keys.as_ref(), &link.seal.key_id) {
        Err(why) => Verification::Unverifiable(why),
        Ok(key) => match verify_ed25519(&key, &link.signature, &link.payload).await {
            Some(true) => Verification::Verified,
            Some(false) => Verification::Altered,
            None => Verification::Unverifiable(Unverifiable::NoBrowserSupport),
        },
    };
    // Read even when not verified: the view shows it under the warning.
    let report = inflate(&link.payload)
        .await
        .and_then(|json| read_report(&json).map_err(ContentError::Link))
        .map(Rc::new);
    SharedView::Opened(Rc::new(Opened {
        key_id: link.seal.key_id,
        verification,
        report,
        person: Rc::new(link.person),
    }))
}

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The published keys, or `None` when they cannot be had (offline, an old worker).
async fn fetch_keys() -> Option<ShareKeys> {
    let window = web_sys::window()?;
    let response = JsFuture::from(window.fetch_with_str(SHARE_KEY_PATH))
        .await
        .ok()?;
    let response: web_sys::Response = response.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    let text = JsFuture::from(response.text().ok()?).await.ok()?;
    serde_json::from_str(&text.as_string()?).ok()
}

/// `crypto.subtle.verify` with Ed25519; `None` where the browser cannot (no WebCrypto outside
/// a secure context, no Ed25519 in an old browser).
async fn verify_ed25519(key: &[u8; KEY_BYTES], signature: &[u8], data: &[u8]) -> Option<bool> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).ok()?;
    let subtle = Reflect::get(&crypto, &"subtle".into()).ok()?;
    if subtle.is_undefined() || subtle.is_null() {
        return None;
    }
    let algorithm: JsValue = Object::new().into();
    Reflect::set(&algorithm, &"name".into(), &"Ed25519".into()).ok()?;
    let import = call(
        &subtle,
        "importKey",
        &[
            "raw".into(),
            bytes(key),
            algorithm.clone(),
            false.into(),
            Array::of1(&"verify".into()).into(),
        ],
    )?;
    let public_key = JsFuture::from(import).await.ok()?;
    let verified = call(
        &subtle,
        "verify",
        &[algorithm, public_key, bytes(signature), bytes(data)],
    )?;
    JsFuture::from(verified).await.ok()?.as_bool()
}

/// Inflates the payload through `DecompressionStream`, reading chunk by chunk and stopping
/// at [`MAX_REPORT_BYTES`]: a zip bomb costs at most that much memory.
async fn inflate(payload: &[u8]) -> Result<Vec<u8>, ContentError> {
    let damaged = || {
        ContentError::Link(ShareError::BadEncoding {
            part: LinkPart::Payload,
        })
    };
    let global = js_sys::global();
    let constructor = |name: &str| {
        Reflect::get(&global, &name.into())
            .ok()
            .and_then(|c| c.dyn_into::<Function>().ok())
    };
    let (Some(decompression), Some(response)) =
        (constructor("DecompressionStream"), constructor("Response"))
    else {
        return Err(ContentError::BrowserUnsupported);
    };
    let inflater = Reflect::construct(&decompression, &Array::of1(&"deflate-raw".into()))
        .map_err(|_| ContentError::BrowserUnsupported)?;
    let source =
        Reflect::construct(&response, &Array::of1(&bytes(payload))).map_err(|_| damaged())?;
    let body = Reflect::get(&source, &"body".into()).map_err(|_| damaged())?;
    let inflated = call_value(&body, "pipeThrough", &[inflater]).ok_or_else(damaged)?;
    let reader = call_value(&inflated, "getReader", &[]).ok_or_else(damaged)?;
    let mut out = Vec::new();
    loop {
        let read = call(&reader, "read", &[]).ok_or_else(damaged)?;
        // A damaged deflate stream rejects the read.
        let chunk = JsFuture::from(read).await.map_err(|_| damaged())?;
        if Reflect::get(&chunk, &"done".into()).is_ok_and(|d| d.is_truthy()) {
            return Ok(out);
        }
        let value: Uint8Array = Reflect::get(&chunk, &"value".into())
            .ok()
            .and_then(|v| v.dyn_into().ok())
            .ok_or_else(damaged)?;
        if out.len() + value.length() as usize > MAX_REPORT_BYTES {
            // Stop the inflater; its promise settles on its own and nothing waits for it.
            let _ = call_value(&reader, "cancel", &[]);
            return Err(ContentError::Link(ShareError::TooLarge {
                limit: MAX_REPORT_BYTES,
            }));
        }
        out.extend_from_slice(&value.to_vec());
    }
}

fn bytes(data: &[u8]) -> JsValue {
    Uint8Array::from(data).into()
}

/// `target[method](...args)`.
fn call_value(target: &JsValue, method: &str, args: &[JsValue]) -> Option<JsValue> {
    let function: Function = Reflect::get(target, &method.into()).ok()?.dyn_into().ok()?;
    let args: Array = args.iter().collect();
    function.apply(target, &args).ok()
}

/// `target[method](...args)` that returns a promise.
fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Option<Promise> {
    call_value(target, method, args)?.dyn_into().ok()
}
