//! A check from this machine: every requested port of one host, probed concurrently, the name
//! resolved once for all of them by the system's resolver (what a mail program here would use).

use std::net::IpAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use futures_util::future::join_all;
use sendcheck::probe::pump::{pump, Runtime};
use sendcheck::probe::{Probe, ProbeConfig};
use sendcheck::target::{pick_address, AddressGuard, Host, Hostname};
use sendcheck::wire::{
    CheckReport, InputError, PortResult, ProbePlan, ProgressEvent, Vantage, REPORT_VERSION,
};

use crate::runtime::Native;

/// Runs the plan; `emit` hears progress as it happens. With a `guard` (the served vantage),
/// `Err` when it refuses the host's address (then nothing was probed); the local check has no
/// guard: the person may probe whatever their own network reaches.
pub async fn run(
    plan: &ProbePlan,
    config: &ProbeConfig,
    guard: Option<&AddressGuard>,
    vantage: Vantage,
    emit: &(dyn Fn(ProgressEvent) + Sync),
) -> Result<CheckReport, InputError> {
    let runtime = Native::new();
    let at = runtime.now();
    let unix_ms = wall_clock_ms();
    let address = resolve_once(&runtime, &plan.host, config, guard).await?;

    let probes = plan.targets.iter().map(|target| {
        let port = target.port.get();
        let probe = Probe::new(
            target.clone(),
            plan.credentials.clone(),
            config.clone(),
            at,
            unix_ms,
        );
        let address = address.clone();
        async move {
            let on_step = |step: &_| {
                emit(ProgressEvent::Step {
                    port,
                    step: Clone::clone(step),
                })
            };
            let report = pump(&runtime, probe, address, on_step).await;
            let result = PortResult::Probed {
                report: Box::new(report),
            };
            emit(ProgressEvent::Port {
                result: result.clone(),
            });
            result
        }
    });
    let ports = join_all(probes).await;
    Ok(CheckReport {
        version: REPORT_VERSION,
        host: plan.host.to_string(),
        vantage,
        started_at_unix_ms: unix_ms,
        total_ms: runtime.now().since(at),
        ports,
        seal: None,
    })
}

/// Milliseconds since the Unix epoch: certificates are judged against it.
#[allow(clippy::disallowed_methods)] // an adapter is where clocks are read (clippy.toml)
pub fn wall_clock_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// The address every port will use, or why there is none (a DNS failure is a finding, reported
/// per port; an address the guard refuses is a refusal of the whole request).
async fn resolve_once(
    runtime: &Native,
    host: &Host,
    config: &ProbeConfig,
    guard: Option<&AddressGuard>,
) -> Result<Result<IpAddr, String>, InputError> {
    let name = match host {
        Host::Ip(ip) => {
            return match guard {
                Some(guard) => guard.check(*ip).map(|()| Ok(*ip)),
                None => Ok(Ok(*ip)),
            }
        }
        Host::Name(name) => name,
    };
    let deadline = runtime.now().plus(config.resolve_timeout_ms);
    match runtime.within(lookup(name), deadline).await {
        None => Ok(Err(format!(
            "{name}: no answer from the resolver within {} ms",
            config.resolve_timeout_ms
        ))),
        Some(Err(detail)) => Ok(Err(detail)),
        Some(Ok(addresses)) => pick_address(&addresses, guard),
    }
}

/// The system resolver's addresses for `name`, IPv4 first (as the worker orders them).
async fn lookup(name: &Hostname) -> Result<Vec<IpAddr>, String> {
    let found = tokio::net::lookup_host((name.as_str(), 0))
        .await
        .map_err(|e| format!("{name}: {e}"))?;
    let mut addresses: Vec<IpAddr> = found.map(|a| a.ip()).collect();
    addresses.sort_by_key(|a| a.is_ipv6());
    addresses.dedup();
    Ok(addresses)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_guard_any_address_is_taken() {
        let private: IpAddr = "192.168.1.10".parse().unwrap();
        assert_eq!(pick_address(&[private], None), Ok(Ok(private)));
        let guard = AddressGuard::from_list("").unwrap();
        assert!(pick_address(&[private], Some(&guard)).is_err());
        assert_eq!(
            pick_address(&[], None),
            Ok(Err("the name has no address".to_owned()))
        );
    }
}
