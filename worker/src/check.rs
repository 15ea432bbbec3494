//! A check: every requested port of one host, probed concurrently from this vantage point, so
//! the answer takes as long as the slowest port. The name is resolved once for all ports.

use std::net::IpAddr;

use futures_util::future::join_all;
use sendcheck::probe::ProbeConfig;
use sendcheck::target::{pick_address, Host, MailPort};
use sendcheck::wire::{
    CheckReport, InputError, NotTestedReason, PortResult, ProbePlan, ProgressEvent, Vantage,
    REPORT_VERSION,
};

use crate::clock::{now, within};
use crate::limits::one_login;
use crate::outside::{probe_port, Start};
use crate::resolver;
use crate::settings::Settings;

/// Runs the plan; `emit` hears progress as it happens. `Err` only when the guard refuses the
/// host's address (then nothing was probed).
pub async fn run(
    plan: ProbePlan,
    settings: &Settings,
    vantage: Vantage,
    emit: &dyn Fn(ProgressEvent),
) -> Result<CheckReport, InputError> {
    crate::crypto::install();
    let mut config = ProbeConfig::new(settings.client_name.clone());
    config.trust = settings.trust.clone();
    let at = now();
    let unix_ms = js_sys::Date::now() as u64;
    let address = resolve_once(&plan.host, settings, &config).await?;
    let start = Start {
        at,
        unix_ms,
        address,
    };

    // One login per check (limits::one_login): every other port stops where it would send the
    // password, so it still reports what a login there would meet.
    let login_port = if plan.single {
        plan.targets.first().map(|t| t.port)
    } else {
        one_login::first_choice(&plan.targets, plan.login_port)
    };
    let probes = plan.targets.iter().map(|target| {
        let port = target.port.get();
        let credentials = plan.credentials.clone();
        let mut config = config.clone();
        config.login_elsewhere = login_port != Some(target.port);
        let start = start.clone();
        async move {
            let result = if target.port == MailPort::SMTP && !settings.port_25 {
                PortResult::NotTested {
                    port,
                    security: target.security,
                    reason: NotTestedReason::Port25UnavailableAtVantage,
                }
            } else {
                let on_step = |step: &_| {
                    emit(ProgressEvent::Step {
                        port,
                        step: Clone::clone(step),
                    })
                };
                let report = probe_port(target.clone(), credentials, config, start, on_step).await;
                PortResult::Probed {
                    report: Box::new(report),
                }
            };
            emit(ProgressEvent::Port {
                result: result.clone(),
            });
            result
        }
    });
    let mut ports = join_all(probes).await;
    if let (Some(credentials), Some(first)) = (&plan.credentials, login_port) {
        if let Some(second) = one_login::fallback(&ports, first) {
            let target = plan.targets.iter().find(|t| t.port == second);
            if let Some(target) = target.cloned() {
                let (config, start) = (config.clone(), start.clone());
                let report = probe_port(target, Some(credentials.clone()), config, start, |_| {});
                let result = PortResult::Probed {
                    report: Box::new(report.await),
                };
                emit(ProgressEvent::Port {
                    result: result.clone(),
                });
                if let Some(slot) = ports.iter_mut().find(|p| p.port() == second.get()) {
                    *slot = result;
                }
            }
        }
    }
    crate::alone::reprobe_refused_alone(&mut ports, &plan, &config, &start, login_port, emit).await;
    Ok(CheckReport {
        version: REPORT_VERSION,
        host: plan.host.to_string(),
        vantage,
        started_at_unix_ms: unix_ms,
        total_ms: now().since(at),
        ports,
        seal: None,
    })
}

/// The address every port will use, or why there is none (a DNS failure is a finding, reported
/// per port; an address the guard refuses is a refusal of the whole request).
async fn resolve_once(
    host: &Host,
    settings: &Settings,
    config: &ProbeConfig,
) -> Result<Result<IpAddr, String>, InputError> {
    let name = match host {
        Host::Ip(ip) => return settings.guard.check(*ip).map(|()| Ok(*ip)),
        Host::Name(name) => name,
    };
    let deadline = now().plus(config.resolve_timeout_ms);
    match within(resolver::resolve(&settings.doh_url, name), deadline).await {
        None => Ok(Err(format!(
            "{name}: no answer from the resolver within {} ms",
            config.resolve_timeout_ms
        ))),
        Some(Err(detail)) => Ok(Err(detail)),
        Some(Ok(addresses)) => pick_address(&addresses, Some(&settings.guard)),
    }
}
