//! Abuse limits: how often anyone may make this worker open connections to a mail server, and
//! how many login tests a server, a user name and a client get. Nothing is probed when a limit
//! says no; the answer is 429 with `Retry-After` and a code the page explains.
//!
//! ```text
//!  POST /api/probe ─▶ CHECKS_PER_CLIENT (binding, per client address)
//!                  ─▶ CHECKS_PER_TARGET (binding, per host name, all clients)
//!                  ─▶ with a login: Turnstile (when configured) ─▶ TargetLedger(host): budgets
//!  GET /api/discover ─▶ LOOKUPS_PER_CLIENT (binding)
//! ```
//! The Rate Limiting binding counts per Cloudflare location and approximately: good enough to
//! keep one client or one location from hammering a server. Login budgets must hold worldwide,
//! so they live in a Durable Object per server ([`ledger`]).

mod budget;
pub mod ledger;
pub mod one_login;

use std::net::IpAddr;

use sendcheck::target::Host;
use sendcheck::wire::{InputError, Limit};
use sha2::{Digest, Sha256};
use worker::{Env, Request};

use budget::LoginAsk;
pub use budget::LoginBudget;
use ledger::{LedgerAsk, LoginAnswer};

/// Why a request may not go on: over a limit (the person is told), or a deployment mistake
/// (a binding missing from wrangler.toml: the operator is told).
pub enum Refused {
    Input(InputError),
    Misconfigured(String),
}

/// The numbers and switches of the limits, from `[vars]` (README, "Deployment").
#[derive(Debug, Clone)]
pub struct LimitSettings {
    /// `RATE_LIMITS = "off"` turns the bindings off; accepted only with `DEPLOYMENT = "local"`,
    /// for the lab's many checks from one address.
    pub bindings: bool,
    /// `RATE_LIMIT_PERIOD_S`: the bindings' `period` (wrangler.toml), told as `Retry-After`.
    pub period_s: u32,
    /// `LOGIN_WINDOW_S`, `LOGIN_TESTS_PER_CLIENT`, `LOGIN_TESTS_PER_USER`,
    /// `LOGIN_TESTS_PER_TARGET`.
    pub login: LoginBudget,
    /// `SHARED_RESULT_S`: how long a report without credentials answers the same check for
    /// everyone; 0 turns the cache off.
    pub shared_ms: u64,
    /// Under `DEPLOYMENT = "local"` only: tests name their simulated client in
    /// `x-sendcheck-test-client`; at the edge the address is Cloudflare's `CF-Connecting-IP`.
    pub test_clients: bool,
}

const TEST_CLIENT_HEADER: &str = "x-sendcheck-test-client";

impl LimitSettings {
    pub fn from_env(env: &Env) -> Result<Self, String> {
        let var = |name: &str| env.var(name).ok().map(|v| v.to_string());
        let local = var("DEPLOYMENT").is_some_and(|d| d.trim() == "local");
        let bindings = match var("RATE_LIMITS").unwrap_or_default().trim() {
            "" | "on" => true,
            "off" if local => false,
            "off" => return Err("RATE_LIMITS: \"off\" only where DEPLOYMENT is local".into()),
            other => return Err(format!("RATE_LIMITS: {other:?} is not on or off")),
        };
        let number = |name: &str, default: u32| -> Result<u32, String> {
            match var(name).filter(|v| !v.trim().is_empty()) {
                None => Ok(default),
                Some(v) => v
                    .trim()
                    .parse::<u32>()
                    .map_err(|_| format!("{name}: {v:?} is not a whole number")),
            }
        };
        Ok(Self {
            bindings,
            period_s: number("RATE_LIMIT_PERIOD_S", 60)?.max(1),
            login: LoginBudget {
                window_ms: u64::from(number("LOGIN_WINDOW_S", 600)?.max(1)) * 1000,
                per_client_user: number("LOGIN_TESTS_PER_CLIENT", 3)?,
                per_user: number("LOGIN_TESTS_PER_USER", 5)?,
                per_target: number("LOGIN_TESTS_PER_TARGET", 20)?,
            },
            shared_ms: u64::from(number("SHARED_RESULT_S", 60)?) * 1000,
            test_clients: local,
        })
    }
}

/// Who is asking, as the limits count them: the client's address (an IPv6 client by its /64,
/// which one household or one VM usually has whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client(String);

impl Client {
    pub fn of(req: &Request, settings: &LimitSettings) -> Self {
        let header = |name: &str| req.headers().get(name).ok().flatten();
        let named = settings
            .test_clients
            .then(|| header(TEST_CLIENT_HEADER))
            .flatten()
            .filter(|name| !name.is_empty() && name.len() <= 64);
        if let Some(name) = named {
            return Self(format!("test:{name}"));
        }
        let address = header("cf-connecting-ip").and_then(|a| a.trim().parse::<IpAddr>().ok());
        Self(match address {
            Some(IpAddr::V4(v4)) => v4.to_string(),
            Some(IpAddr::V6(v6)) => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
            None => "unknown".to_owned(),
        })
    }
}

/// A check from this client (at this location): counted whether or not it is answered from
/// the shared cache.
pub async fn admit_client(
    env: &Env,
    settings: &LimitSettings,
    client: &Client,
) -> Result<(), Refused> {
    take(env, settings, "CHECKS_PER_CLIENT", &client.0, Limit::Client).await
}

/// A check that opens connections to this server, from all clients (at this location).
pub async fn admit_target(env: &Env, settings: &LimitSettings, host: &Host) -> Result<(), Refused> {
    take(
        env,
        settings,
        "CHECKS_PER_TARGET",
        &target_key(host),
        Limit::Target,
    )
    .await
}

/// An address lookup may run (it makes a dozen DNS and autoconfig requests).
pub async fn admit_lookup(
    env: &Env,
    settings: &LimitSettings,
    client: &Client,
) -> Result<(), Refused> {
    take(
        env,
        settings,
        "LOOKUPS_PER_CLIENT",
        &client.0,
        Limit::Client,
    )
    .await
}

/// One login test of `username` at the server `target` ([`login_target`]) from `client`,
/// taken from the server's worldwide budgets. The ledger sees the user name only hashed with
/// the server's key.
pub async fn admit_login(
    env: &Env,
    settings: &LimitSettings,
    client: &Client,
    target: &str,
    username: &str,
) -> Result<(), Refused> {
    let ask = LedgerAsk::Login(LoginAsk {
        user: user_hash(target, username),
        client: client.0.clone(),
        now_ms: js_sys::Date::now() as u64,
        budget: settings.login,
    });
    let answer: LoginAnswer = ledger::ask(env, target, &ask)
        .await
        .map_err(|e| Refused::Misconfigured(format!("{}: {e}", ledger::BINDING)))?;
    if answer.admitted {
        Ok(())
    } else {
        Err(Refused::Input(InputError::RateLimited {
            limit: Limit::Login,
            retry_after_s: answer.retry_after_s.max(1),
        }))
    }
}

/// The name a server's check budget and shared result go by: its host name in lower case (or
/// address).
pub fn target_key(host: &Host) -> String {
    host.to_string().to_ascii_lowercase()
}

/// The key of a server's login budgets: its lowest resolved address, so that another name for
/// the same server (an alias, the bare address) draws on the same budget. The host name when
/// it does not resolve (the probe then finds no address either, and tries no login).
pub async fn login_target(host: &Host, doh_url: &str) -> String {
    let name = match host {
        Host::Ip(ip) => return ip.to_string(),
        Host::Name(name) => name,
    };
    let deadline = crate::clock::now().plus(3_000);
    match crate::clock::within(crate::resolver::resolve(doh_url, name), deadline).await {
        Some(Ok(addresses)) => addresses
            .iter()
            .min()
            .map_or_else(|| target_key(host), IpAddr::to_string),
        _ => target_key(host),
    }
}

async fn take(
    env: &Env,
    settings: &LimitSettings,
    binding: &str,
    key: &str,
    limit: Limit,
) -> Result<(), Refused> {
    if !settings.bindings {
        return Ok(());
    }
    let limiter = env
        .rate_limiter(binding)
        .map_err(|e| Refused::Misconfigured(format!("{binding}: {e}")))?;
    // A limiter that cannot answer refuses: failing open would make it a switch for abusers.
    let outcome = limiter
        .limit(key.to_owned())
        .await
        .map_err(|e| Refused::Misconfigured(format!("{binding}: {e}")))?;
    if outcome.success {
        Ok(())
    } else {
        Err(Refused::Input(InputError::RateLimited {
            limit,
            retry_after_s: settings.period_s,
        }))
    }
}

/// SHA-256 of the server and the user name (trimmed, lower case: servers mostly compare them
/// so), hex: the ledger can count per user without keeping anyone's address.
fn user_hash(target: &str, username: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(target.as_bytes());
    hasher.update([0]);
    hasher.update(username.trim().to_lowercase().as_bytes());
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_hash_is_per_server_and_ignores_case_and_spaces() {
        let a = user_hash("mail.example.jp", "Taro@Example.jp ");
        assert_eq!(a, user_hash("mail.example.jp", "taro@example.jp"));
        assert_ne!(a, user_hash("smtp.example.jp", "taro@example.jp"));
        assert_eq!(a.len(), 64);
        assert!(!a.contains("taro"));
    }
}
