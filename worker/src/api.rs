//! The HTTP surface: routing, body limits and JSON answers. Bad input is answered here with a
//! specific 4xx and never reaches the engine.

use futures_channel::mpsc;
use futures_util::StreamExt;
use sendcheck::diagnosis::NetworkIdentity;
use sendcheck::wire::{
    ApiError, CheckReport, ErrorBody, InputError, PortResult, ProbePlan, ProbeRequest,
    ProgressEvent, Vantage, WhoAmI, MAX_REQUEST_BYTES, REPORT_VERSION,
};
use serde::Serialize;
use worker::{Env, Method, Request, Response, Result};

use crate::cache::{SharedSlot, SHARED_HEADER};
use crate::check;
use crate::limits::{self, Client, LimitSettings, Refused};
use crate::settings::Settings;
use crate::share::ShareSettings;
use crate::turnstile::Challenge;

const NDJSON: &str = "application/x-ndjson";

pub async fn route(mut req: Request, env: &Env) -> Result<Response> {
    let path = req.path();
    match (req.method(), path.as_str()) {
        (Method::Post, "/api/probe") => probe(&mut req, env).await,
        (_, "/api/probe") => input_error(&InputError::MethodNotAllowed),
        (Method::Get, "/api/whoami") => whoami(&req, env),
        (Method::Get, "/api/share-key") => match ShareSettings::from_env(env) {
            Ok(share) => crate::share::keys(&share),
            Err(problem) => misconfigured(&problem),
        },
        (Method::Get, "/api/discover") => match admit_lookup(&req, env).await {
            Err(refused) => refusal(refused),
            Ok(()) => match crate::discover::answer(&req, env).await {
                Ok(found) => json(&found, 200),
                Err(crate::discover::Refused::Input(e)) => input_error(&e),
                Err(crate::discover::Refused::Misconfigured(problem)) => misconfigured(&problem),
                Err(crate::discover::Refused::Runtime(e)) => Err(e),
            },
        },
        (Method::Get, "/embed" | "/embed/") => crate::embed::page(&req, env).await,
        _ => input_error(&InputError::NotFound),
    }
}

async fn probe(req: &mut Request, env: &Env) -> Result<Response> {
    let settings = match Settings::from_env(env) {
        Ok(settings) => settings,
        Err(problem) => return misconfigured(&problem),
    };
    let declared = req
        .headers()
        .get("content-length")?
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > MAX_REQUEST_BYTES) {
        return input_error(&InputError::BodyTooLarge {
            limit: MAX_REQUEST_BYTES,
        });
    }
    let body = req.bytes().await?;
    let plan = match ProbeRequest::from_body(&body) {
        Ok(plan) => plan,
        Err(e) => return input_error(&e),
    };
    let limits = match LimitSettings::from_env(env) {
        Ok(limits) => limits,
        Err(problem) => return misconfigured(&problem),
    };
    let client = Client::of(req, &limits);
    let shared = SharedSlot::for_plan(&plan, &limits);
    let shareable = shared.is_some();
    let guarded = guard(
        req,
        env,
        &limits,
        &client,
        &plan,
        shareable,
        &settings.doh_url,
    )
    .await;
    if let Err(refused) = guarded {
        return refusal(refused);
    }
    let vantage = Vantage {
        kind: settings.deployment.clone(),
        colo: (settings.deployment == "edge")
            .then(|| req.cf().map(|cf| cf.colo()))
            .flatten(),
    };
    // Only several-port answers are sealed (they are what a share link carries).
    let share = match (!plan.single).then(|| ShareSettings::from_env(env)) {
        None => None,
        Some(Ok(share)) => Some(share),
        Some(Err(problem)) => return misconfigured(&problem),
    };
    let streaming = req
        .headers()
        .get("accept")?
        .is_some_and(|accept| accept.contains(NDJSON));
    if let Some(slot) = &shared {
        if let Some(report) = slot.recall(env).await {
            return answer_shared(report, streaming);
        }
        // Nobody checked this server lately: now it counts against the server's budget.
        let target = limits::admit_target(env, &limits, &plan.host).await;
        if let Err(refused) = target {
            return refusal(refused);
        }
    }
    if streaming && !plan.single {
        return stream(plan, settings, share, vantage, shared, env.clone());
    }
    let single = plan.single;
    match check::run(plan, &settings, vantage, &|_| {}).await {
        Err(e) => input_error(&e),
        Ok(report) if single => match report.ports.into_iter().next() {
            Some(PortResult::Probed { report }) => json(&*report, 200),
            Some(PortResult::NotTested { port, .. }) => {
                input_error(&InputError::PortNotTestableHere { port })
            }
            _ => input_error(&InputError::PortsMissing),
        },
        Ok(mut report) => {
            if let Some(share) = &share {
                share.seal(&mut report);
            }
            if let Some(slot) = &shared {
                slot.remember(env, &report).await;
            }
            json(&report, 200)
        }
    }
}

/// Every limit a check must pass before anything is probed: the client's checks, the
/// server's checks (here unless the answer may come from the shared cache, which opens no
/// connection: then after the cache missed), and for a login test the challenge and the
/// server's login budgets.
async fn guard(
    req: &Request,
    env: &Env,
    limits: &LimitSettings,
    client: &Client,
    plan: &ProbePlan,
    shareable: bool,
    doh_url: &str,
) -> std::result::Result<(), Refused> {
    limits::admit_client(env, limits, client).await?;
    if !shareable {
        limits::admit_target(env, limits, &plan.host).await?;
    }
    let Some(credentials) = &plan.credentials else {
        return Ok(());
    };
    match Challenge::from_env(env) {
        Err(problem) => return Err(Refused::Misconfigured(problem)),
        Ok(None) => {}
        Ok(Some(challenge)) => {
            let ip = req.headers().get("cf-connecting-ip").ok().flatten();
            challenge
                .verify(plan.turnstile_token.as_deref(), ip.as_deref())
                .await
                .map_err(Refused::Input)?;
        }
    }
    let target = limits::login_target(&plan.host, doh_url).await;
    limits::admit_login(env, limits, client, &target, credentials.username()).await
}

async fn admit_lookup(req: &Request, env: &Env) -> std::result::Result<(), Refused> {
    let limits = LimitSettings::from_env(env).map_err(Refused::Misconfigured)?;
    let client = Client::of(req, &limits);
    limits::admit_lookup(env, &limits, &client).await
}

/// A report from the shared cache, in the shape the client asked for, marked with when it
/// was checked.
fn answer_shared(report: CheckReport, streaming: bool) -> Result<Response> {
    let checked_at = report.started_at_unix_ms.to_string();
    let response = if streaming {
        let mut events: Vec<ProgressEvent> = report
            .ports
            .iter()
            .map(|result| ProgressEvent::Port {
                result: result.clone(),
            })
            .collect();
        events.push(ProgressEvent::Done {
            report: Box::new(report),
        });
        let mut body = Vec::new();
        for event in &events {
            body.extend(serde_json::to_vec(event).unwrap_or_default());
            body.push(b'\n');
        }
        let response = Response::from_bytes(body)?;
        response.headers().set("content-type", NDJSON)?;
        response.headers().set("cache-control", "no-store")?;
        response
    } else {
        json(&report, 200)?
    };
    response.headers().set(SHARED_HEADER, &checked_at)?;
    Ok(response)
}

/// 429 with `Retry-After` for a limit, 403 for a challenge, 500 for a missing binding.
fn refusal(refused: Refused) -> Result<Response> {
    match refused {
        Refused::Misconfigured(problem) => misconfigured(&problem),
        Refused::Input(error) => {
            let response = input_error(&error)?;
            if let Some(seconds) = error.retry_after_s() {
                response
                    .headers()
                    .set("retry-after", &seconds.to_string())?;
            }
            Ok(response)
        }
    }
}

/// Answers at once with an NDJSON stream: one `ProgressEvent` per line as the probes advance,
/// then `done` with the whole report.
fn stream(
    plan: ProbePlan,
    settings: Settings,
    share: Option<ShareSettings>,
    vantage: Vantage,
    shared: Option<SharedSlot>,
    env: Env,
) -> Result<Response> {
    let (sender, receiver) = mpsc::unbounded::<ProgressEvent>();
    wasm_bindgen_futures::spawn_local(async move {
        let emit = |event: ProgressEvent| {
            let _receiver_gone = sender.unbounded_send(event);
        };
        let last = match check::run(plan, &settings, vantage, &emit).await {
            Ok(mut report) => {
                if let Some(share) = &share {
                    share.seal(&mut report);
                }
                if let Some(slot) = &shared {
                    slot.remember(&env, &report).await;
                }
                ProgressEvent::Done {
                    report: Box::new(report),
                }
            }
            Err(e) => ProgressEvent::Error {
                error: e.to_body().error,
            },
        };
        emit(last);
    });
    let lines = receiver.map(|event| {
        let mut line = serde_json::to_vec(&event).unwrap_or_default();
        line.push(b'\n');
        Ok::<Vec<u8>, worker::Error>(line)
    });
    let response = Response::from_stream(lines)?;
    response.headers().set("content-type", NDJSON)?;
    response.headers().set("cache-control", "no-store")?;
    Ok(response)
}

/// The person's network identity from Cloudflare's view of this request; absent locally.
fn whoami(req: &Request, env: &Env) -> Result<Response> {
    let settings = match Settings::from_env(env) {
        Ok(settings) => settings,
        Err(problem) => return misconfigured(&problem),
    };
    let edge = settings.deployment == "edge";
    let cf = req.cf().filter(|_| edge);
    let network = cf.map(|cf| NetworkIdentity {
        asn: cf.asn(),
        as_org: cf.as_organization(),
        country: cf.country(),
    });
    let answer = WhoAmI {
        version: REPORT_VERSION,
        vantage: Vantage {
            kind: settings.deployment.clone(),
            colo: cf.map(|cf| cf.colo()),
        },
        address: req.headers().get("cf-connecting-ip")?.filter(|_| edge),
        network,
        client_rtt_ms: cf.and_then(|_| client_tcp_rtt(req)),
    };
    json(&answer, 200)
}

/// `request.cf.clientTcpRtt`: the edge's TCP round trip to the client, in milliseconds.
/// The `worker` crate's `Cf` has no accessor for it, so it is read from the raw object.
fn client_tcp_rtt(req: &Request) -> Option<u32> {
    let raw: &wasm_bindgen::JsValue = req.inner().as_ref();
    let cf = js_sys::Reflect::get(raw, &"cf".into()).ok()?;
    let rtt = js_sys::Reflect::get(&cf, &"clientTcpRtt".into())
        .ok()?
        .as_f64()?;
    // Absent or zero when the edge did not measure it (HTTP/3, a request over a Worker).
    (rtt.is_finite() && rtt > 0.0 && rtt < 600_000.0).then_some(rtt.round() as u32)
}

fn input_error(error: &InputError) -> Result<Response> {
    json(&error.to_body(), error.http_status())
}

/// A deployment mistake (a malformed `[vars]` entry), named so the operator can fix it.
fn misconfigured(problem: &str) -> Result<Response> {
    let body = ApiError {
        error: ErrorBody {
            code: "misconfigured".to_owned(),
            message: format!("the service is misconfigured: {problem}"),
        },
    };
    json(&body, 500)
}

fn json<T: Serialize>(body: &T, status: u16) -> Result<Response> {
    let response = Response::from_json(body)?.with_status(status);
    response.headers().set("cache-control", "no-store")?;
    Ok(response)
}
