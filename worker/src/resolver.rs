//! Name resolution through DNS over HTTPS, so the address guard judges the very address the
//! socket then connects to (the runtime's own resolution would happen out of our sight).

use std::net::IpAddr;

use futures_util::future::join;
use sendcheck::dns::{self, DnsError, RecordType};
use sendcheck::target::Hostname;
use worker::{Fetch, Headers, Method, Request, RequestInit};

/// A and AAAA in parallel; IPv4 first. `Err` carries a sentence for the report.
pub async fn resolve(doh_url: &str, name: &Hostname) -> Result<Vec<IpAddr>, String> {
    let (v4, v6) = join(
        query(doh_url, name, RecordType::A),
        query(doh_url, name, RecordType::Aaaa),
    )
    .await;
    match (v4, v6) {
        (Ok(mut v4), Ok(v6)) => {
            v4.extend(v6);
            Ok(v4)
        }
        (Ok(found), Err(_)) | (Err(_), Ok(found)) => Ok(found),
        (Err(Failure::Dns(DnsError::NoSuchName)), _) => {
            Err(format!("{name}: {}", DnsError::NoSuchName))
        }
        (Err(Failure::Dns(DnsError::NoRecords)), Err(Failure::Dns(DnsError::NoRecords))) => {
            Err(format!("{name}: {}", DnsError::NoRecords))
        }
        (Err(first), _) => Err(format!("{name}: {first}")),
    }
}

enum Failure {
    Dns(DnsError),
    Transport(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Dns(e) => e.fmt(f),
            Self::Transport(e) => write!(f, "the DNS resolver could not be reached ({e})"),
        }
    }
}

async fn query(doh_url: &str, name: &Hostname, record: RecordType) -> Result<Vec<IpAddr>, Failure> {
    let body = answer_body(&dns::query_url(doh_url, name, record))
        .await
        .map_err(Failure::Transport)?;
    dns::parse_answer(&body, record).map_err(Failure::Dns)
}

/// The body of a DoH JSON answer at `url` (from `dns::query_url`), for the caller to parse
/// (addresses here, MX and SRV in discovery). `Err`: why the resolver could not be asked.
pub async fn answer_body(url: &str) -> Result<Vec<u8>, String> {
    let headers = Headers::new();
    headers
        .set("accept", "application/dns-json")
        .map_err(|e| e.to_string())?;
    let mut init = RequestInit::new();
    init.with_method(Method::Get).with_headers(headers);
    let request = Request::new_with_init(url, &init).map_err(|e| e.to_string())?;
    let mut response = Fetch::Request(request)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if response.status_code() != 200 {
        return Err(format!("HTTP {}", response.status_code()));
    }
    response.bytes().await.map_err(|e| e.to_string())
}
