//! The parsers of what people and resolvers send: the probe request body, the host field, the
//! security word, enhanced status codes, the address guard's network list, a DoH answer, and
//! the report JSON a saved or shared result is read back from.
//!
//! The same input goes to each. Checked: no panic; every accepted value re-parses from its
//! printed form to the same value; every JSON type reads back equal after writing.

#![no_main]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use libfuzzer_sys::fuzz_target;
use sendcheck::dns::{parse_answer, RecordType};
use sendcheck::smtp::EnhancedStatus;
use sendcheck::target::{AddressClass, AddressGuard, Host, Hostname, Security};
use sendcheck::wire::{CheckReport, ProbeReport, ProbeRequest, ProgressEvent, MAX_PORTS};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    probe_request(data);
    host(&text);
    hostname(&text);
    security(&text);
    enhanced_status(&text);
    address_guard(&text, data);
    for record in [RecordType::A, RecordType::Aaaa] {
        if let Err(error) = parse_answer(data, record) {
            let _ = error.to_string();
        }
    }
    json_round_trip::<ProbeReport>(data);
    json_round_trip::<CheckReport>(data);
    json_round_trip::<ProgressEvent>(data);
});

fn probe_request(body: &[u8]) {
    match ProbeRequest::from_body(body) {
        Ok(plan) => {
            assert!(!plan.targets.is_empty() && plan.targets.len() <= MAX_PORTS);
            assert!(!plan.single || plan.targets.len() == 1);
            for (i, target) in plan.targets.iter().enumerate() {
                assert_eq!(target.host, plan.host);
                assert!(
                    plan.targets[..i].iter().all(|t| t.port != target.port),
                    "port {} twice",
                    target.port
                );
            }
        }
        Err(error) => {
            let _ = (error.to_string(), error.code(), error.http_status());
            serde_json::to_string(&error.to_body()).expect("an error body serializes");
        }
    }
    // The loose request itself round-trips (credentials included or, if a version of the
    // request leaves them out when writing, less them).
    if let Ok(request) = serde_json::from_slice::<ProbeRequest>(body) {
        let json = serde_json::to_string(&request).expect("a request serializes");
        let back: ProbeRequest = serde_json::from_str(&json).expect("a request reads back");
        let without_credentials = ProbeRequest {
            credentials: None,
            ..request.clone()
        };
        assert!(
            back == request || back == without_credentials,
            "{request:?} came back as {back:?}"
        );
    }
}

fn host(text: &str) {
    match Host::parse(text) {
        Ok(host) => {
            let shown = host.to_string();
            assert_eq!(
                Host::parse(&shown).as_ref(),
                Ok(&host),
                "{text:?} shown as {shown:?}"
            );
            if let Some(name) = host.name() {
                assert_eq!(name.as_str(), shown);
            }
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
}

fn hostname(text: &str) {
    match Hostname::parse(text) {
        Ok(name) => {
            let s = name.as_str();
            assert!(s.len() <= Hostname::MAX_LEN);
            assert!(s
                .bytes()
                .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.')));
            assert_eq!(Hostname::parse(s).as_ref(), Ok(&name));
            // A valid name is never taken for an address.
            assert_eq!(Host::parse(s), Ok(Host::Name(name.clone())), "{s:?}");
            let json = serde_json::to_string(&name).unwrap();
            assert_eq!(serde_json::from_str::<Hostname>(&json).ok(), Some(name));
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
}

fn security(text: &str) {
    if let Ok(security) = Security::parse(text) {
        assert_eq!(Security::parse(security.name()), Ok(security));
    }
}

fn enhanced_status(text: &str) {
    if let Ok(status) = text.parse::<EnhancedStatus>() {
        assert_eq!(status.to_string().parse::<EnhancedStatus>(), Ok(status));
    }
    if let Some(status) = EnhancedStatus::from_text(text) {
        assert!(matches!(status.class, 2 | 4 | 5));
        assert_eq!(status.to_string().parse::<EnhancedStatus>(), Ok(status));
    }
}

/// The guard parses any list without panicking, and checks any address against it.
fn address_guard(text: &str, data: &[u8]) {
    let mut v4 = [0u8; 4];
    let mut v6 = [0u8; 16];
    for (i, &b) in data.iter().rev().enumerate() {
        v4[i % 4] ^= b;
        v6[i % 16] ^= b;
    }
    let addresses = [
        IpAddr::from(Ipv4Addr::from(v4)),
        IpAddr::from(Ipv6Addr::from(v6)),
    ];
    let guards = [AddressGuard::from_list(text), Ok(AddressGuard::default())];
    for guard in guards {
        let Ok(guard) = guard else {
            continue;
        };
        for address in addresses {
            let class = AddressClass::of(address);
            let _ = class.description();
            if class == AddressClass::Public {
                assert!(guard.check(address).is_ok(), "{address} is public");
            }
        }
    }
}

fn json_round_trip<T>(data: &[u8])
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let Ok(value) = serde_json::from_slice::<T>(data) else {
        return;
    };
    let json = serde_json::to_string(&value).expect("serializes");
    let back: T = serde_json::from_str(&json).expect("reads back what it wrote");
    assert_eq!(back, value, "{json}");
}
