//! DNS over HTTPS, JSON flavour (`application/dns-json`, as served by Cloudflare and Google):
//! the query URL and the parse of its answer. The adapter does the HTTP request.
//!
//! ```text
//!  query_url(resolver, name, type) ──▶ adapter GETs it ──▶ body
//!  body ──▶ parse_answer (A/AAAA) | parse_mx (MX) | parse_srv (SRV) ──▶ records or DnsError
//! ```

use std::fmt;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::target::Hostname;

/// The record types sendcheck asks for: addresses for the probe, MX and SRV for discovery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordType {
    A,
    Aaaa,
    Mx,
    Srv,
}

impl RecordType {
    fn code(self) -> u16 {
        match self {
            Self::A => 1,
            Self::Aaaa => 28,
            Self::Mx => 15,
            Self::Srv => 33,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::A => "A",
            Self::Aaaa => "AAAA",
            Self::Mx => "MX",
            Self::Srv => "SRV",
        }
    }
}

/// At most this many records of the asked type are read from one answer; a real domain has a
/// handful, and everything built from them (candidates, the page) stays small.
pub const MAX_RECORDS: usize = 16;

/// A name a record points to (an MX exchange, an SRV target), or the root `.`, which both
/// RFC 7505 (null MX: "this domain accepts no mail") and RFC 2782/6186 (SRV: "the service is
/// decidedly not available here") use to say "nothing".
/// Read by hand (`wire::tagged`), unknown kinds as `Unknown`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Target {
    Host {
        name: Hostname,
    },
    /// The root name `.`.
    NotAvailable,
    Unknown,
}

impl Target {
    pub fn host(&self) -> Option<&Hostname> {
        match self {
            Self::Host { name } => Some(name),
            _ => None,
        }
    }
}

/// One MX record (RFC 1035 §3.3.9): lower preference is tried first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MxRecord {
    pub preference: u16,
    pub exchange: Target,
}

/// One SRV record (RFC 2782): lower priority first; among equal priorities, weight shares
/// the load (higher weight, more often).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SrvRecord {
    pub priority: u16,
    pub weight: u16,
    pub port: u16,
    pub target: Target,
}

/// `https://resolver/dns-query?name=NAME&type=A`. Names need no escaping: a [`Hostname`]
/// holds only letters, digits, '-' and '.', and a service name (`_submission._tcp.` + a
/// hostname) adds '_'.
pub fn query_url(
    resolver: &str,
    name: &(impl fmt::Display + ?Sized),
    record: RecordType,
) -> String {
    let separator = if resolver.contains('?') { '&' } else { '?' };
    format!("{resolver}{separator}name={name}&type={}", record.name())
}

/// Why a name gave no address.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DnsError {
    /// NXDOMAIN: the name does not exist.
    NoSuchName,
    /// The name exists but has no record of the asked type.
    NoRecords,
    /// SERVFAIL, REFUSED and other RCODEs.
    ResolverError { rcode: u16 },
    /// The resolver's answer was not the JSON we expect.
    BadAnswer { detail: String },
}

impl fmt::Display for DnsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoSuchName => write!(f, "the name does not exist (NXDOMAIN)"),
            Self::NoRecords => write!(f, "the name has no record of the asked type"),
            Self::ResolverError { rcode } => {
                write!(f, "the resolver failed to answer (DNS RCODE {rcode})")
            }
            Self::BadAnswer { detail } => write!(f, "unreadable resolver answer: {detail}"),
        }
    }
}

/// The JSON answer's header and the records of the asked type, at most [`MAX_RECORDS`].
#[derive(Deserialize)]
struct JsonAnswer {
    #[serde(rename = "Status")]
    status: u16,
    #[serde(rename = "Answer", default)]
    answer: Vec<JsonRecord>,
}

#[derive(Deserialize)]
struct JsonRecord {
    #[serde(rename = "type")]
    record_type: u16,
    data: String,
}

/// The addresses of the asked type in a DoH JSON answer (CNAME chains are followed by the
/// resolver; their records are skipped here).
/// Only [`RecordType::A`] and [`RecordType::Aaaa`] give addresses; other types give
/// `NoRecords`.
pub fn parse_answer(body: &[u8], record: RecordType) -> Result<Vec<IpAddr>, DnsError> {
    let addresses: Vec<IpAddr> = records_of(body, record)?
        .iter()
        .filter_map(|data| data.trim().parse::<IpAddr>().ok())
        // An A record holds IPv4, an AAAA record IPv6; anything else is a broken answer.
        .filter(|ip| ip.is_ipv4() == (record == RecordType::A))
        .collect();
    if addresses.is_empty() {
        Err(DnsError::NoRecords)
    } else {
        Ok(addresses)
    }
}

/// The MX records of a DoH JSON answer (`"data":"10 mx.example.com."`), lowest preference
/// first. A null MX (`0 .`, RFC 7505) is kept as [`Target::NotAvailable`].
pub fn parse_mx(body: &[u8]) -> Result<Vec<MxRecord>, DnsError> {
    let data = records_of(body, RecordType::Mx)?;
    let mut records = readable(&data, "MX", |fields| match fields {
        [preference, exchange] => Some(MxRecord {
            preference: preference.parse().ok()?,
            exchange: target(exchange)?,
        }),
        _ => None,
    })?;
    records.sort_by_key(|r| r.preference);
    Ok(records)
}

/// The SRV records of a DoH JSON answer (`"data":"0 1 587 mail.example.com."`), by priority
/// then by weight, heaviest first. A target of `.` is kept as [`Target::NotAvailable`].
pub fn parse_srv(body: &[u8]) -> Result<Vec<SrvRecord>, DnsError> {
    let data = records_of(body, RecordType::Srv)?;
    let mut records = readable(&data, "SRV", |fields| match fields {
        [priority, weight, port, name] => Some(SrvRecord {
            priority: priority.parse().ok()?,
            weight: weight.parse().ok()?,
            port: port.parse().ok()?,
            target: target(name)?,
        }),
        _ => None,
    })?;
    records.sort_by_key(|r| (r.priority, std::cmp::Reverse(r.weight)));
    Ok(records)
}

/// The `data` strings of the records of type `record` (at most [`MAX_RECORDS`]), after the
/// status is checked; a CNAME on the way is the resolver's business and skipped here.
fn records_of(body: &[u8], record: RecordType) -> Result<Vec<String>, DnsError> {
    let answer: JsonAnswer = serde_json::from_slice(body).map_err(|e| DnsError::BadAnswer {
        detail: e.to_string(),
    })?;
    match answer.status {
        0 => {}
        3 => return Err(DnsError::NoSuchName),
        rcode => return Err(DnsError::ResolverError { rcode }),
    }
    Ok(answer
        .answer
        .into_iter()
        .filter(|r| r.record_type == record.code())
        .take(MAX_RECORDS)
        .map(|r| r.data)
        .collect())
}

/// Parses each record's whitespace-separated fields with `read`. Records of the type that
/// were there but none readable is a broken answer, not an empty one.
fn readable<T>(
    data: &[String],
    kind: &str,
    read: impl Fn(&[&str]) -> Option<T>,
) -> Result<Vec<T>, DnsError> {
    let records: Vec<T> = data
        .iter()
        .filter_map(|d| read(&d.split_whitespace().take(5).collect::<Vec<_>>()))
        .collect();
    match (records.is_empty(), data.first()) {
        (false, _) => Ok(records),
        (true, None) => Err(DnsError::NoRecords),
        (true, Some(first)) => Err(DnsError::BadAnswer {
            detail: format!(
                "unreadable {kind} record {:?}",
                first.chars().take(80).collect::<String>()
            ),
        }),
    }
}

fn target(name: &str) -> Option<Target> {
    if name == "." {
        return Some(Target::NotAvailable);
    }
    Hostname::parse(name).ok().map(|name| Target::Host { name })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_url_appends_parameters() {
        let name = Hostname::parse("mail.example.jp").unwrap();
        assert_eq!(
            query_url("https://cloudflare-dns.com/dns-query", &name, RecordType::A),
            "https://cloudflare-dns.com/dns-query?name=mail.example.jp&type=A"
        );
        assert_eq!(
            query_url("http://127.0.0.1:5380/q?x=1", &name, RecordType::Aaaa),
            "http://127.0.0.1:5380/q?x=1&name=mail.example.jp&type=AAAA"
        );
    }

    #[test]
    fn cloudflare_style_answer_with_cname() {
        let body = br#"{"Status":0,"TC":false,"Question":[{"name":"smtp.example.jp","type":1}],
            "Answer":[{"name":"smtp.example.jp","type":5,"TTL":300,"data":"mx.example.jp."},
                      {"name":"mx.example.jp","type":1,"TTL":300,"data":"203.0.113.25"}]}"#;
        assert_eq!(
            parse_answer(body, RecordType::A),
            Ok(vec!["203.0.113.25".parse().unwrap()])
        );
    }

    #[test]
    fn an_address_of_the_wrong_family_is_not_taken() {
        let body = br#"{"Status":0,"Answer":[{"type":1,"data":"2001:db8::25"}]}"#;
        assert_eq!(parse_answer(body, RecordType::A), Err(DnsError::NoRecords));
    }

    fn host(name: &str) -> Target {
        Target::Host {
            name: Hostname::parse(name).unwrap(),
        }
    }

    #[test]
    fn mx_records_sorted_by_preference() {
        let body = br#"{"Status":0,"Answer":[
            {"name":"example.com","type":15,"TTL":300,"data":"20 mx2.example.com."},
            {"name":"example.com","type":15,"TTL":300,"data":"10 MX1.example.com."},
            {"name":"example.com","type":1,"TTL":300,"data":"192.0.2.1"}]}"#;
        assert_eq!(
            parse_mx(body),
            Ok(vec![
                MxRecord {
                    preference: 10,
                    exchange: host("mx1.example.com")
                },
                MxRecord {
                    preference: 20,
                    exchange: host("mx2.example.com")
                },
            ])
        );
    }

    #[test]
    fn rfc7505_null_mx_is_not_available() {
        let body = br#"{"Status":0,"Answer":[{"name":"example.com","type":15,"data":"0 ."}]}"#;
        assert_eq!(
            parse_mx(body),
            Ok(vec![MxRecord {
                preference: 0,
                exchange: Target::NotAvailable
            }])
        );
    }

    #[test]
    fn srv_records_by_priority_then_heaviest_weight() {
        let body = br#"{"Status":0,"Answer":[
            {"name":"_submission._tcp.example.com","type":33,"data":"10 5 587 backup.example.com."},
            {"name":"_submission._tcp.example.com","type":33,"data":"0 1 587 light.example.com."},
            {"name":"_submission._tcp.example.com","type":33,"data":"0 9 587 heavy.example.com."}]}"#;
        let targets: Vec<(u16, u16, Target)> = parse_srv(body)
            .unwrap()
            .into_iter()
            .map(|r| (r.priority, r.weight, r.target))
            .collect();
        assert_eq!(
            targets,
            vec![
                (0, 9, host("heavy.example.com")),
                (0, 1, host("light.example.com")),
                (10, 5, host("backup.example.com")),
            ]
        );
    }

    #[test]
    fn rfc6186_dot_target_means_not_available() {
        let body = br#"{"Status":0,"Answer":[{"type":33,"data":"0 0 0 ."}]}"#;
        assert_eq!(
            parse_srv(body),
            Ok(vec![SrvRecord {
                priority: 0,
                weight: 0,
                port: 0,
                target: Target::NotAvailable
            }])
        );
    }

    #[test]
    fn records_of_the_type_that_cannot_be_read_are_a_bad_answer() {
        for data in [
            "587 mail.example.com.",
            "0 1 99999 mail.example.com.",
            "0 1 587 bad_name.example.com.",
            "0 1 587 a.example.com. extra",
            "",
        ] {
            let body = serde_json::json!({"Status":0,"Answer":[{"type":33,"data":data}]});
            assert!(
                matches!(
                    parse_srv(body.to_string().as_bytes()),
                    Err(DnsError::BadAnswer { .. })
                ),
                "{data:?}"
            );
        }
        // An MX record is not an SRV record: the SRV answer is empty.
        let body = br#"{"Status":0,"Answer":[{"type":15,"data":"10 mx.example.com."}]}"#;
        assert_eq!(parse_srv(body), Err(DnsError::NoRecords));
        assert_eq!(parse_answer(body, RecordType::A), Err(DnsError::NoRecords));
    }

    #[test]
    fn at_most_max_records_are_read() {
        let answer: Vec<_> = (0..1000)
            .map(|i| serde_json::json!({"type":15,"data":format!("{i} mx{i}.example.com.")}))
            .collect();
        let body = serde_json::json!({"Status":0,"Answer":answer}).to_string();
        assert_eq!(parse_mx(body.as_bytes()).unwrap().len(), MAX_RECORDS);
    }

    #[test]
    fn failures_are_named() {
        assert_eq!(
            parse_answer(br#"{"Status":3}"#, RecordType::A),
            Err(DnsError::NoSuchName)
        );
        assert_eq!(
            parse_answer(br#"{"Status":0}"#, RecordType::A),
            Err(DnsError::NoRecords)
        );
        assert_eq!(
            parse_answer(br#"{"Status":2,"Answer":[]}"#, RecordType::A),
            Err(DnsError::ResolverError { rcode: 2 })
        );
        assert!(matches!(
            parse_answer(b"<html>", RecordType::A),
            Err(DnsError::BadAnswer { .. })
        ));
        assert_eq!(parse_mx(br#"{"Status":3}"#), Err(DnsError::NoSuchName));
        assert_eq!(
            parse_srv(br#"{"Status":2}"#),
            Err(DnsError::ResolverError { rcode: 2 })
        );
    }
}
