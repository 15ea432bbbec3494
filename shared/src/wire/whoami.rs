//! `GET /api/whoami`: the person's network as the edge sees it (the inside view's identity).

use serde::{Deserialize, Serialize};

use crate::diagnosis::NetworkIdentity;
use crate::wire::Vantage;

/// Where the person's request came from. At the edge, Cloudflare tells the worker the client's
/// address, AS number and organisation, and country; under local workerd none of that is
/// known and `network` is absent rather than invented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhoAmI {
    pub version: u32,
    pub vantage: Vantage,
    /// The client's public address (`CF-Connecting-IP`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<NetworkIdentity>,
    /// The edge's TCP round-trip time to the client (`request.cf.clientTcpRtt`), in
    /// milliseconds: a slow or far network shows here before any probe runs. Absent locally
    /// and when the edge did not measure it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_rtt_ms: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_answers_say_unknown_by_leaving_the_network_out() {
        let local = WhoAmI {
            version: 1,
            vantage: Vantage {
                kind: "local".into(),
                colo: None,
            },
            address: None,
            network: None,
            client_rtt_ms: None,
        };
        assert_eq!(
            serde_json::to_string(&local).unwrap(),
            r#"{"version":1,"vantage":{"kind":"local"}}"#
        );
        let edge: WhoAmI = serde_json::from_str(
            r#"{"version":1,"vantage":{"kind":"edge","colo":"NRT"},"address":"203.0.113.9",
                "network":{"asn":4713,"as_org":"NTT Communications Corporation","country":"JP"},
                "client_rtt_ms":23}"#,
        )
        .unwrap();
        assert_eq!(edge.network.unwrap().asn, Some(4713));
        assert_eq!(edge.client_rtt_ms, Some(23));
        // An answer from a worker before the RTT was reported still reads.
        let older: WhoAmI =
            serde_json::from_str(r#"{"version":1,"vantage":{"kind":"edge","colo":"NRT"}}"#)
                .unwrap();
        assert_eq!(older.client_rtt_ms, None);
    }
}
