//! Networks known to block outbound port 25 (Outbound Port 25 Blocking, "OP25B"): Japanese
//! ISPs and mobile carriers first, then cloud providers. Data: `data/op25b_networks.json`.

use serde::{Deserialize, Serialize};

/// One network (ISP, carrier or cloud) that blocks connections to port 25 outside itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Op25bNetwork {
    /// Stable identifier, used in evidence and share links.
    pub id: String,
    pub name: String,
    pub name_ja: String,
    pub kind: NetworkKind,
    /// Autonomous system numbers the network's customers connect from.
    #[serde(default)]
    pub asns: Vec<u32>,
    /// Case-insensitive substrings of the AS organisation name (as geolocation services and
    /// Cloudflare's `asOrganization` report it).
    #[serde(default)]
    pub org_patterns: Vec<String>,
    pub recommends: Recommendation,
    /// Where the fact comes from: the network's own page (URL or document name).
    pub source: String,
    /// Year and month the entry was last checked against its source, e.g. "2026-11".
    pub reviewed: String,
    /// What is uncertain about the entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NetworkKind {
    /// A fixed-line ISP (FTTH, DSL, cable).
    Isp,
    /// A mobile carrier or MVNO (phones, tethering, mobile routers).
    Mobile,
    /// A cloud or hosting provider (virtual machines).
    Cloud,
    #[serde(other)]
    Other,
}

/// What the network tells its customers to do instead of port 25.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendation {
    /// Usually 587 (submission with AUTH) on the customer's own mail server.
    pub submission_port: u16,
    /// The ISP's own relay, when it offers one. Using it usually needs the ISP account's
    /// credentials, which an office cannot hand to every employee (scenario 001).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relay_host: Option<String>,
    /// Cloud providers lift the block on request for some account types.
    #[serde(default)]
    pub unblock_on_request: bool,
}

/// How an entry was recognised: the ASN is exact, the organisation name a guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    Asn,
    OrgName,
}

/// A network recognised from the person's ASN or AS organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetworkMatch<'a> {
    pub network: &'a Op25bNetwork,
    pub by: MatchedBy,
}

/// Finds the entry for an ASN (exact) or, failing that, an organisation name (substring).
pub fn find<'a>(
    networks: &'a [Op25bNetwork],
    asn: Option<u32>,
    org: Option<&str>,
) -> Option<NetworkMatch<'a>> {
    if let Some(asn) = asn {
        if let Some(network) = networks.iter().find(|n| n.asns.contains(&asn)) {
            return Some(NetworkMatch {
                network,
                by: MatchedBy::Asn,
            });
        }
    }
    let org = org?.to_lowercase();
    if org.trim().is_empty() {
        return None;
    }
    networks
        .iter()
        .find(|n| {
            n.org_patterns
                .iter()
                .any(|p| !p.is_empty() && org.contains(&p.to_lowercase()))
        })
        .map(|network| NetworkMatch {
            network,
            by: MatchedBy::OrgName,
        })
}

#[cfg(test)]
mod tests {
    use crate::knowledge::Knowledge;

    use super::*;

    #[test]
    fn every_entry_is_complete_and_sourced() {
        let k = Knowledge::builtin();
        assert!(k.op25b_networks().len() >= 20);
        let mut ids = std::collections::BTreeSet::new();
        for n in k.op25b_networks() {
            assert!(ids.insert(n.id.as_str()), "duplicate id {}", n.id);
            assert!(!n.name.is_empty() && !n.name_ja.is_empty(), "{}", n.id);
            assert!(n.source.len() > 10, "{} has no source", n.id);
            assert!(is_month(&n.reviewed), "{}: reviewed {:?}", n.id, n.reviewed);
            assert!(
                !n.asns.is_empty() || !n.org_patterns.is_empty(),
                "{} cannot match anything",
                n.id
            );
            assert!(
                !n.asns.is_empty() || n.note.is_some(),
                "{}: say why the ASN is missing",
                n.id
            );
            assert!(matches!(n.recommends.submission_port, 465 | 587 | 2525));
        }
    }

    #[test]
    fn japanese_isps_come_first() {
        let k = Knowledge::builtin();
        let first_cloud = k
            .op25b_networks()
            .iter()
            .position(|n| n.kind == NetworkKind::Cloud)
            .unwrap();
        assert!(k.op25b_networks()[..first_cloud]
            .iter()
            .all(|n| n.kind != NetworkKind::Cloud));
        assert_eq!(k.op25b_networks()[0].id, "ocn");
    }

    #[test]
    fn lookups_by_asn_and_by_organisation() {
        let k = Knowledge::builtin();
        let ocn = k.op25b_network(Some(4713), None).unwrap();
        assert_eq!((ocn.network.id.as_str(), ocn.by), ("ocn", MatchedBy::Asn));
        let nifty = k.op25b_network(None, Some("NIFTY Corporation")).unwrap();
        assert_eq!(
            (nifty.network.id.as_str(), nifty.by),
            ("nifty", MatchedBy::OrgName)
        );
        assert_eq!(
            k.op25b_network(Some(16509), Some("whatever"))
                .unwrap()
                .network
                .id,
            "aws"
        );
        // An unknown ASN still falls back to the organisation name.
        assert_eq!(
            k.op25b_network(Some(64_512), Some("BIGLOBE Inc."))
                .unwrap()
                .network
                .id,
            "biglobe"
        );
        assert_eq!(k.op25b_network(Some(64_512), Some("Example Net")), None);
        assert_eq!(k.op25b_network(None, Some("  ")), None);
        assert_eq!(k.op25b_network(None, None), None);
    }

    fn is_month(s: &str) -> bool {
        let b = s.as_bytes();
        b.len() == 7
            && b[4] == b'-'
            && s[..4].parse::<u16>().is_ok()
            && s[5..].parse::<u8>().is_ok_and(|m| (1..=12).contains(&m))
    }
}
