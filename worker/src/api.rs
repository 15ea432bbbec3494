//! The HTTP surface: routing, body limits and JSON answers. Bad input is answered here with a
//! specific 4xx and never reaches the engine.

use sendcheck::wire::{ApiError, ErrorBody, InputError, ProbeRequest, MAX_REQUEST_BYTES};
use serde::Serialize;
use worker::{Env, Method, Request, Response, Result};

use crate::outside;
use crate::settings::Settings;

pub async fn route(mut req: Request, env: &Env) -> Result<Response> {
    let path = req.path();
    match (req.method(), path.as_str()) {
        (Method::Post, "/api/probe") => probe(&mut req, env).await,
        (_, "/api/probe") => input_error(&InputError::MethodNotAllowed),
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
    let target = match ProbeRequest::from_body(&body) {
        Ok(target) => target,
        Err(e) => return input_error(&e),
    };
    match outside::run(target, &settings).await {
        Ok(report) => json(&report, 200),
        Err(e) => input_error(&e),
    }
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
