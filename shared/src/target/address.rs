//! Which addresses a public deployment may probe. `wrangler dev` lets a worker reach private
//! addresses that Cloudflare's edge refuses, so the decision is ours, made on the resolved
//! address we then connect to (never on a name the runtime would resolve again).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use crate::wire::InputError;

/// The kind of network an address belongs to (IANA special-purpose registries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AddressClass {
    Public,
    Loopback,
    Private,
    LinkLocal,
    SharedCgnat,
    Multicast,
    Unspecified,
    Broadcast,
    Documentation,
    Benchmarking,
    Reserved,
}

impl AddressClass {
    pub fn of(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => Self::of_v4(v4),
            IpAddr::V6(v6) => Self::of_v6(v6),
        }
    }

    fn of_v4(ip: Ipv4Addr) -> Self {
        let [a, b, c, _] = ip.octets();
        match (a, b, c) {
            _ if ip.is_unspecified() => Self::Unspecified,
            _ if ip.is_broadcast() => Self::Broadcast,
            (127, _, _) => Self::Loopback,
            (10, _, _) | (172, 16..=31, _) | (192, 168, _) => Self::Private,
            (169, 254, _) => Self::LinkLocal,
            (100, 64..=127, _) => Self::SharedCgnat,
            (224..=239, _, _) => Self::Multicast,
            (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => Self::Documentation,
            (198, 18..=19, _) => Self::Benchmarking,
            (0, _, _) | (192, 0, 0) | (240..=255, _, _) | (192, 88, 99) => Self::Reserved,
            _ => Self::Public,
        }
    }

    fn of_v6(ip: Ipv6Addr) -> Self {
        if let Some(v4) = embedded_v4(ip) {
            return Self::of_v4(v4);
        }
        let s = ip.segments();
        match s[0] {
            _ if ip.is_unspecified() => Self::Unspecified,
            _ if ip.is_loopback() => Self::Loopback,
            0xfc00..=0xfdff => Self::Private,
            0xfe80..=0xfebf => Self::LinkLocal,
            0xff00..=0xffff => Self::Multicast,
            0x2001 if s[1] == 0x0db8 => Self::Documentation,
            0x3fff if s[1] <= 0x0fff => Self::Documentation,
            0x2001 if s[1] == 0x0002 && s[2] == 0 => Self::Benchmarking,
            // Teredo, ORCHID and the rest of IETF protocol assignments.
            0x2001 if s[1] < 0x0200 => Self::Reserved,
            0x2000..=0x3fff => Self::Public,
            _ => Self::Reserved,
        }
    }

    /// "a loopback", "a private" …: fits "X is ___ address".
    pub fn description(self) -> &'static str {
        match self {
            Self::Public => "a public",
            Self::Loopback => "a loopback",
            Self::Private => "a private (RFC 1918 / ULA)",
            Self::LinkLocal => "a link-local",
            Self::SharedCgnat => "a carrier-grade NAT (RFC 6598)",
            Self::Multicast => "a multicast",
            Self::Unspecified => "an unspecified",
            Self::Broadcast => "a broadcast",
            Self::Documentation => "a documentation-only",
            Self::Benchmarking => "a benchmarking-only",
            Self::Reserved => "a reserved",
        }
    }
}

/// IPv4 addresses carried inside IPv6 forms that a runtime would route to the v4 address.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let tail = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    let mapped = s[..5] == [0; 5] && s[5] == 0xffff;
    let nat64 = s[..6] == [0x64, 0xff9b, 0, 0, 0, 0];
    if mapped || nat64 {
        return Some(tail);
    }
    if s[0] == 0x2002 {
        return Some(Ipv4Addr::new(
            (s[1] >> 8) as u8,
            s[1] as u8,
            (s[2] >> 8) as u8,
            s[2] as u8,
        ));
    }
    None
}

/// Decides whether an address may be probed: public addresses always, others only when a
/// configured network contains them (tests name their own namespaces' networks here).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressGuard {
    allowed: Vec<Cidr>,
}

impl AddressGuard {
    /// Parses a comma- or space-separated list such as `198.51.100.0/24, 127.0.0.1`.
    pub fn from_list(list: &str) -> Result<Self, CidrError> {
        let allowed = list
            .split([',', ' ', '\n'])
            .filter(|item| !item.trim().is_empty())
            .map(str::parse)
            .collect::<Result<_, _>>()?;
        Ok(Self { allowed })
    }

    pub fn check(&self, address: IpAddr) -> Result<(), InputError> {
        let class = AddressClass::of(address);
        if class == AddressClass::Public || self.allowed.iter().any(|net| net.contains(address)) {
            Ok(())
        } else {
            Err(InputError::TargetNotAllowed { address, class })
        }
    }
}

/// The address to probe among those a name resolved to: the first one `guard` allows (any,
/// without a guard), else the guard's refusal of the first one; `Ok(Err(_))` when the name
/// has no address at all (a finding, reported per port, not a refusal of the request).
pub fn pick_address(
    addresses: &[IpAddr],
    guard: Option<&AddressGuard>,
) -> Result<Result<IpAddr, String>, InputError> {
    let mut refusal = None;
    for &address in addresses {
        match guard.map_or(Ok(()), |g| g.check(address)) {
            Ok(()) => return Ok(Ok(address)),
            Err(e) => {
                refusal.get_or_insert(e);
            }
        }
    }
    match refusal {
        Some(refused) => Err(refused),
        None => Ok(Err("the name has no address".to_owned())),
    }
}

/// An address block such as `198.51.100.0/24`; a bare address means just that address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                prefix_eq(u32::from(net).into(), u32::from(ip).into(), self.prefix, 32)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                prefix_eq(u128::from(net), u128::from(ip), self.prefix, 128)
            }
            _ => false,
        }
    }
}

fn prefix_eq(a: u128, b: u128, prefix: u8, bits: u8) -> bool {
    let shift = u32::from(bits - prefix);
    shift >= 128 || (a >> shift) == (b >> shift)
}

impl FromStr for Cidr {
    type Err = CidrError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let bad = || CidrError {
            given: s.to_owned(),
        };
        let (addr, prefix) = match s.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (s, None),
        };
        let network: IpAddr = addr.parse().map_err(|_| bad())?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(bad)?,
            None => max,
        };
        Ok(Self { network, prefix })
    }
}

/// A configured network that is not `ADDRESS[/PREFIX]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CidrError {
    pub given: String,
}

impl fmt::Display for CidrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not an address or an ADDRESS/PREFIX network",
            self.given
        )
    }
}

impl std::error::Error for CidrError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(ip: &str) -> AddressClass {
        AddressClass::of(ip.parse().unwrap())
    }

    #[test]
    fn special_purpose_addresses_are_classified() {
        assert_eq!(class("127.0.0.1"), AddressClass::Loopback);
        assert_eq!(class("10.1.2.3"), AddressClass::Private);
        assert_eq!(class("172.31.255.1"), AddressClass::Private);
        assert_eq!(class("172.32.0.1"), AddressClass::Public);
        assert_eq!(class("192.168.0.1"), AddressClass::Private);
        assert_eq!(class("169.254.169.254"), AddressClass::LinkLocal);
        assert_eq!(class("100.64.0.1"), AddressClass::SharedCgnat);
        assert_eq!(class("100.128.0.1"), AddressClass::Public);
        assert_eq!(class("224.0.0.1"), AddressClass::Multicast);
        assert_eq!(class("0.0.0.0"), AddressClass::Unspecified);
        assert_eq!(class("255.255.255.255"), AddressClass::Broadcast);
        assert_eq!(class("198.51.100.25"), AddressClass::Documentation);
        assert_eq!(class("198.18.0.1"), AddressClass::Benchmarking);
        assert_eq!(class("240.0.0.1"), AddressClass::Reserved);
        assert_eq!(class("8.8.8.8"), AddressClass::Public);
        assert_eq!(class("::1"), AddressClass::Loopback);
        assert_eq!(class("fd00::1"), AddressClass::Private);
        assert_eq!(class("fe80::1"), AddressClass::LinkLocal);
        assert_eq!(class("2001:db8::25"), AddressClass::Documentation);
        assert_eq!(class("2606:4700::1111"), AddressClass::Public);
    }

    #[test]
    fn v4_hidden_in_v6_is_seen_through() {
        assert_eq!(class("::ffff:127.0.0.1"), AddressClass::Loopback);
        assert_eq!(class("64:ff9b::10.0.0.1"), AddressClass::Private);
        assert_eq!(class("2002:c0a8:0101::1"), AddressClass::Private);
    }

    #[test]
    fn guard_refuses_non_public_unless_allowed() {
        let guard = AddressGuard::default();
        assert!(guard.check("203.0.114.1".parse().unwrap()).is_ok());
        assert!(matches!(
            guard.check("127.0.0.1".parse().unwrap()),
            Err(InputError::TargetNotAllowed {
                class: AddressClass::Loopback,
                ..
            })
        ));
        let guard = AddressGuard::from_list("198.51.100.0/24, ::1").unwrap();
        assert!(guard.check("198.51.100.25".parse().unwrap()).is_ok());
        assert!(guard.check("::1".parse().unwrap()).is_ok());
        assert!(guard.check("203.0.113.5".parse().unwrap()).is_err());
        assert!(guard.check("127.0.0.1".parse().unwrap()).is_err());
    }

    #[test]
    fn cidr_parsing_is_strict() {
        assert!("10.0.0.0/8".parse::<Cidr>().is_ok());
        assert!("0.0.0.0/0"
            .parse::<Cidr>()
            .unwrap()
            .contains("10.9.9.9".parse().unwrap()));
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!("example.com".parse::<Cidr>().is_err());
        assert!(AddressGuard::from_list("10.0.0.0/8,nonsense").is_err());
        assert_eq!(
            AddressGuard::from_list("").unwrap(),
            AddressGuard::default()
        );
    }
}
