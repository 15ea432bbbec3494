//! A port refused with 421 while another port of the same check got through may have been
//! refused because of the check itself: sendcheck opens its ports at once from one address,
//! and servers count connections per address (Postfix's anvil, Exim's
//! `smtp_accept_max_per_host`, postscreen). Before such a refusal reaches a verdict, that port
//! is probed again alone (issue 9: never blame the server for our own concurrency).

use sendcheck::probe::ProbeConfig;
use sendcheck::smtp::Credentials;
use sendcheck::target::MailPort;
use sendcheck::wire::{OutcomeKind, PortResult, ProbePlan, ProgressEvent};

use crate::clock::now;
use crate::outside::{probe_port, Start};

/// At most this many ports are probed again: a check has three or four.
const MAX_AGAIN: usize = 2;

/// Probes each self-limited port again, one after the other, and puts what it met alone in
/// its place.
pub async fn reprobe_refused_alone(
    ports: &mut [PortResult],
    plan: &ProbePlan,
    config: &ProbeConfig,
    start: &Start,
    login_port: Option<MailPort>,
    emit: &dyn Fn(ProgressEvent),
) {
    let someone_got_through = ports.iter().any(|p| match p {
        PortResult::Probed { report } => report.outcome.kind.is_success(),
        _ => false,
    });
    if !someone_got_through {
        return;
    }
    let again: Vec<u16> = ports
        .iter()
        .filter(|p| refused_for_now(p))
        .map(PortResult::port)
        .take(MAX_AGAIN)
        .collect();
    for port in again {
        let Some(target) = plan.targets.iter().find(|t| t.port.get() == port).cloned() else {
            continue;
        };
        let credentials: Option<Credentials> = plan
            .credentials
            .clone()
            .filter(|_| login_port == Some(target.port));
        let mut config = config.clone();
        config.login_elsewhere = login_port != Some(target.port);
        let fresh = Start {
            at: now(),
            unix_ms: js_sys::Date::now() as u64,
            address: start.address.clone(),
        };
        let report = probe_port(target, credentials, config, fresh, |_| {}).await;
        let result = PortResult::Probed {
            report: Box::new(report),
        };
        emit(ProgressEvent::Port {
            result: result.clone(),
        });
        if let Some(slot) = ports.iter_mut().find(|p| p.port() == port) {
            *slot = result;
        }
    }
}

/// A 421 at the greeting or EHLO: "service not available" now, which a per-address limit says.
fn refused_for_now(result: &PortResult) -> bool {
    let PortResult::Probed { report } = result else {
        return false;
    };
    match &report.outcome.kind {
        OutcomeKind::GreetingRejected { reply } | OutcomeKind::EhloRejected { reply } => {
            reply.code.get() == 421
        }
        _ => false,
    }
}
