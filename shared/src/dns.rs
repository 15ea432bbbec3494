//! DNS over HTTPS, JSON flavour (`application/dns-json`, as served by Cloudflare and Google):
//! the query URL and the parse of its answer. The adapter does the HTTP request.

use std::fmt;
use std::net::IpAddr;

use serde::Deserialize;

use crate::target::Hostname;

/// The record types the probe asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordType {
    A,
    Aaaa,
}

impl RecordType {
    fn code(self) -> u16 {
        match self {
            Self::A => 1,
            Self::Aaaa => 28,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::A => "A",
            Self::Aaaa => "AAAA",
        }
    }
}

/// `https://resolver/dns-query?name=NAME&type=A`. Host names need no escaping: [`Hostname`]
/// holds only letters, digits, '-' and '.'.
pub fn query_url(resolver: &str, name: &Hostname, record: RecordType) -> String {
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
            Self::NoRecords => write!(f, "the name has no address record"),
            Self::ResolverError { rcode } => {
                write!(f, "the resolver failed to answer (DNS RCODE {rcode})")
            }
            Self::BadAnswer { detail } => write!(f, "unreadable resolver answer: {detail}"),
        }
    }
}

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
pub fn parse_answer(body: &[u8], record: RecordType) -> Result<Vec<IpAddr>, DnsError> {
    let answer: JsonAnswer = serde_json::from_slice(body).map_err(|e| DnsError::BadAnswer {
        detail: e.to_string(),
    })?;
    match answer.status {
        0 => {}
        3 => return Err(DnsError::NoSuchName),
        rcode => return Err(DnsError::ResolverError { rcode }),
    }
    let addresses: Vec<IpAddr> = answer
        .answer
        .iter()
        .filter(|r| r.record_type == record.code())
        .filter_map(|r| r.data.trim().parse::<IpAddr>().ok())
        // An A record holds IPv4, an AAAA record IPv6; anything else is a broken answer.
        .filter(|ip| ip.is_ipv4() == (record == RecordType::A))
        .collect();
    if addresses.is_empty() {
        Err(DnsError::NoRecords)
    } else {
        Ok(addresses)
    }
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
    }
}
