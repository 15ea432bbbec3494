//! The optional Turnstile challenge before a login test: when the deployment has a site key
//! (`TURNSTILE_SITE_KEY`) and a secret (`TURNSTILE_SECRET`, a wrangler secret), a request with
//! credentials must carry a token that siteverify accepts. Tokens are single-use and live
//! 300 s (Cloudflare, "Validate the token":
//! https://developers.cloudflare.com/turnstile/get-started/server-side-validation/).
//!
//! Fails closed: no answer within the deadline, an answer that is not JSON, or anything but
//! `"success": true` refuses the login test.

use serde::{Deserialize, Serialize};
use worker::{Env, Fetch, Headers, Method, Request, RequestInit};

use crate::clock::{now, within};
use sendcheck::wire::InputError;

const DEFAULT_VERIFY_URL: &str = "https://challenges.cloudflare.com/turnstile/v0/siteverify";
/// siteverify answers in well under a second; a login test waits no longer than this for it.
const VERIFY_TIMEOUT_MS: u64 = 5_000;
const MAX_ANSWER_BYTES: usize = 16 * 1024;

/// The challenge's configuration; `None` from [`Challenge::from_env`] when it is off.
pub struct Challenge {
    secret: String,
    verify_url: String,
}

#[derive(Serialize)]
struct VerifyRequest<'a> {
    secret: &'a str,
    response: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    remoteip: Option<&'a str>,
}

#[derive(Deserialize)]
struct VerifyAnswer {
    success: bool,
}

impl Challenge {
    /// On when both the site key and the secret are set; one without the other is a mistake.
    pub fn from_env(env: &Env) -> Result<Option<Self>, String> {
        let value = |name: &str| {
            env.secret(name)
                .ok()
                .map(|v| v.to_string())
                .or_else(|| env.var(name).ok().map(|v| v.to_string()))
                .filter(|v| !v.trim().is_empty())
        };
        let verify_url = value("TURNSTILE_VERIFY_URL").unwrap_or_else(|| DEFAULT_VERIFY_URL.into());
        match (value("TURNSTILE_SITE_KEY"), value("TURNSTILE_SECRET")) {
            (None, None) => Ok(None),
            (Some(_), Some(secret)) => Ok(Some(Self { secret, verify_url })),
            (Some(_), None) => {
                Err("TURNSTILE_SITE_KEY is set but the secret TURNSTILE_SECRET is not".into())
            }
            (None, Some(_)) => Err("TURNSTILE_SECRET is set but TURNSTILE_SITE_KEY is not".into()),
        }
    }

    /// `Ok` when siteverify accepts `token` for `client_ip`.
    pub async fn verify(
        &self,
        token: Option<&str>,
        client_ip: Option<&str>,
    ) -> Result<(), InputError> {
        let token = token.ok_or(InputError::ChallengeRequired)?;
        let body = serde_json::to_string(&VerifyRequest {
            secret: &self.secret,
            response: token,
            remoteip: client_ip,
        })
        .map_err(|_| InputError::ChallengeFailed)?;
        let deadline = now().plus(VERIFY_TIMEOUT_MS);
        match within(self.ask(body), deadline).await {
            Some(Ok(true)) => Ok(()),
            _ => Err(InputError::ChallengeFailed),
        }
    }

    async fn ask(&self, body: String) -> Result<bool, worker::Error> {
        let headers = Headers::new();
        headers.set("content-type", "application/json")?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post)
            .with_headers(headers)
            .with_body(Some(wasm_bindgen::JsValue::from_str(&body)));
        let request = Request::new_with_init(&self.verify_url, &init)?;
        let mut response = Fetch::Request(request).send().await?;
        if response.status_code() != 200 {
            return Ok(false);
        }
        let bytes = response.bytes().await?;
        if bytes.len() > MAX_ANSWER_BYTES {
            return Ok(false);
        }
        Ok(serde_json::from_slice::<VerifyAnswer>(&bytes).is_ok_and(|a| a.success))
    }
}
