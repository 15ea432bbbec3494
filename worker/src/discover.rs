//! `GET /api/discover?address=…`: the IO of a discovery. `sendcheck::discovery` plans what
//! to ask and reads the answers; here every DoH query and every autoconfig URL is fetched at
//! once, each under its own deadline, so one slow or hostile server costs its own lookup and
//! never the answer.
//!
//! ```text
//!  address ─▶ DiscoveryPlan::new ─▶ queries ──resolver::answer_body (DoH)─┐ join_all,
//!                                   autoconfig URLs ──fetch (bounded)─────┤ each ≤ 3 s
//!                                   plan.finish(answers, fetched) ◀──────┘ ─▶ Discovery JSON
//! ```

use futures_util::future::{join, join_all};
use futures_util::StreamExt;
use sendcheck::discovery::{
    redirect_allowed, Discovery, DiscoveryPlan, DnsAnswer, Fetched, MAX_DOCUMENT_BYTES,
};
use sendcheck::knowledge::Knowledge;
use sendcheck::wire::InputError;
use worker::{Env, Fetch, Headers, Method, Request, RequestInit, RequestRedirect, Url};

use crate::clock;
use crate::resolver;
use crate::settings::Settings;

/// Each DNS query and each autoconfig URL (with its redirects) gets this long. They run at
/// the same time, so the whole request takes about this long at worst, well under 6 s.
const LOOKUP_DEADLINE_MS: u64 = 3_000;
/// Thunderbird follows redirects; a chain longer than this is not a configuration.
const MAX_REDIRECTS: usize = 3;
/// The `address` query parameter is refused past this many bytes before it is parsed.
const MAX_QUERY_BYTES: usize = 2_048;

/// Why no discovery was made.
pub enum Refused {
    Input(InputError),
    /// A malformed `[vars]` entry: the operator's mistake.
    Misconfigured(String),
    Runtime(worker::Error),
}

/// Runs the discovery for the request's `address` parameter.
pub async fn answer(req: &Request, env: &Env) -> Result<Discovery, Refused> {
    let settings = Settings::from_env(env).map_err(Refused::Misconfigured)?;
    let url = req.url().map_err(Refused::Runtime)?;
    let address = match url.query() {
        Some(q) if q.len() > MAX_QUERY_BYTES => {
            Err(sendcheck::discovery::AddressError::TooLong { len: q.len() })
        }
        _ => Ok(url
            .query_pairs()
            .find(|(key, _)| key == "address")
            .map(|(_, value)| value.into_owned())
            .unwrap_or_default()),
    };
    let plan = address
        .and_then(|a| DiscoveryPlan::new(&a, &settings.autoconfig))
        .map_err(|reason| Refused::Input(InputError::InvalidAddress { reason }))?;
    let deadline = clock::now().plus(LOOKUP_DEADLINE_MS);
    let dns = join_all(plan.queries().iter().map(|q| {
        let url = q.url(&settings.doh_url);
        async move {
            match clock::within(resolver::answer_body(&url), deadline).await {
                None => DnsAnswer::TimedOut,
                Some(Ok(body)) => DnsAnswer::Body(body),
                Some(Err(detail)) => DnsAnswer::Failed {
                    detail: format!("the DNS resolver could not be reached ({detail})"),
                },
            }
        }
    }));
    let autoconfig = join_all(plan.autoconfig_urls().iter().map(|url| async move {
        clock::within(fetch_autoconfig(url), deadline)
            .await
            .unwrap_or(Fetched::TimedOut)
    }));
    let (dns, autoconfig) = join(dns, autoconfig).await;
    Ok(plan.finish(dns, autoconfig, Knowledge::builtin()))
}

/// GETs one autoconfig URL, following redirects only where `redirect_allowed` says (never
/// down to plain http), reading at most `MAX_DOCUMENT_BYTES`.
async fn fetch_autoconfig(first: &str) -> Fetched {
    let mut url = first.to_owned();
    for _ in 0..=MAX_REDIRECTS {
        let mut response = match get(&url).await {
            Ok(response) => response,
            Err(e) => {
                return Fetched::Failed {
                    detail: format!("could not fetch it ({e})"),
                }
            }
        };
        let code = response.status_code();
        if (300..400).contains(&code) {
            let location = response.headers().get("location").ok().flatten();
            let next = location
                .as_deref()
                .and_then(|l| Url::parse(&url).ok()?.join(l).ok())
                .map(String::from);
            match next {
                Some(next) if redirect_allowed(&url, &next) => url = next,
                _ => {
                    return Fetched::RedirectRefused {
                        location: location.unwrap_or_default(),
                    }
                }
            }
            continue;
        }
        if code != 200 {
            return Fetched::Status { code };
        }
        return read_bounded(&mut response).await;
    }
    Fetched::RedirectRefused {
        location: format!("more than {MAX_REDIRECTS} redirects"),
    }
}

async fn get(url: &str) -> worker::Result<worker::Response> {
    let headers = Headers::new();
    headers.set("accept", "application/xml, text/xml;q=0.9, */*;q=0.1")?;
    let mut init = RequestInit::new();
    init.with_method(Method::Get)
        .with_headers(headers)
        .with_redirect(RequestRedirect::Manual);
    Fetch::Request(Request::new_with_init(url, &init)?)
        .send()
        .await
}

/// The body, or `TooLarge` as soon as it passes the bound (declared or streamed).
async fn read_bounded(response: &mut worker::Response) -> Fetched {
    let too_large = Fetched::TooLarge {
        limit: MAX_DOCUMENT_BYTES,
    };
    let declared = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<usize>().ok());
    if declared.is_some_and(|len| len > MAX_DOCUMENT_BYTES) {
        return too_large;
    }
    let mut stream = match response.stream() {
        Ok(stream) => stream,
        // No body at all.
        Err(_) => return Fetched::Document { body: Vec::new() },
    };
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(chunk) if body.len() + chunk.len() > MAX_DOCUMENT_BYTES => return too_large,
            Ok(chunk) => body.extend_from_slice(&chunk),
            Err(e) => {
                return Fetched::Failed {
                    detail: format!("the body broke off ({e})"),
                }
            }
        }
    }
    Fetched::Document { body }
}
