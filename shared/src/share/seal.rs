//! Sealing a report (the worker) and opening a link natively (tests, tools, fuzzing): Ed25519
//! with ring, deflate-raw with miniz_oxide. Behind the `seal` feature: the page verifies with
//! WebCrypto and inflates with `DecompressionStream` instead.

use ring::signature::{Ed25519KeyPair, KeyPair, UnparsedPublicKey, ED25519};

use crate::share::keys::KEY_BYTES;
use crate::share::{
    base64url, parse_link, read_report, LinkPart, PersonPart, PublicShareKey, Seal, ShareError,
    ShareKeys, SharedLink, MAX_REPORT_BYTES, SEAL_VERSION,
};
use crate::wire::CheckReport;

/// Measured on a three-port report of 5 KB JSON (natively, release): level 6 makes 965 B in
/// 59 µs, level 9 the same, level 1 1131 B in 41 µs. Signing takes about 50 µs. Built as the
/// worker is (wasm, opt-level z) and run in V8, a whole seal takes about 0.4 ms warm (0.8 ms the
/// first time), signing 0.15 ms of it: a small share of the free plan's 10 ms.
const DEFLATE_LEVEL: u8 = 6;

/// The worker's signing key, from the 32-byte seed in `SHARE_SIGNING_KEY`.
pub struct SigningKey {
    pair: Ed25519KeyPair,
    public: PublicShareKey,
}

/// A link whose signature verified, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub report: CheckReport,
    pub person: PersonPart,
    pub key_id: String,
}

impl SigningKey {
    pub fn from_seed(seed: &[u8; KEY_BYTES]) -> Result<Self, String> {
        let pair = Ed25519KeyPair::from_seed_unchecked(seed)
            .map_err(|e| format!("not an Ed25519 seed: {e}"))?;
        let public: [u8; KEY_BYTES] = pair
            .public_key()
            .as_ref()
            .try_into()
            .map_err(|_| "ring returned a public key of an unexpected length".to_owned())?;
        Ok(Self {
            pair,
            public: PublicShareKey::new(&public),
        })
    }

    /// Reads `SHARE_SIGNING_KEY`: base64url (no padding) of a random 32-byte seed, e.g.
    /// `openssl rand -base64 32 | tr '+/' '-_' | tr -d =`.
    pub fn from_seed_base64url(text: &str) -> Result<Self, String> {
        let seed: [u8; KEY_BYTES] = base64url::decode(text.trim().trim_end_matches('='))
            .and_then(|s| s.try_into().ok())
            .ok_or_else(|| format!("not base64url of a {KEY_BYTES}-byte seed"))?;
        Self::from_seed(&seed)
    }

    pub fn public_key(&self) -> &PublicShareKey {
        &self.public
    }

    pub fn key_id(&self) -> &str {
        &self.public.key_id
    }

    /// The Ed25519 signature over `message` (what [`seal`] does to a payload; tests and the
    /// fuzzer sign payloads of their own).
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        self.pair.sign(message).as_ref().to_vec()
    }
}

/// Seals `report` (any seal it already has is left out of what is signed). `None` only if the
/// report cannot be serialized, which our own plain types never fail to.
pub fn seal(report: &CheckReport, key: &SigningKey) -> Option<Seal> {
    let json = if report.seal.is_some() {
        let unsealed = CheckReport {
            seal: None,
            ..report.clone()
        };
        serde_json::to_vec(&unsealed)
    } else {
        serde_json::to_vec(report)
    }
    .ok()?;
    let payload = miniz_oxide::deflate::compress_to_vec(&json, DEFLATE_LEVEL);
    Some(Seal {
        v: SEAL_VERSION,
        key_id: key.key_id().to_owned(),
        sig: base64url::encode(&key.sign(&payload)),
        payload: base64url::encode(&payload),
    })
}

/// Checks the link's signature over its payload bytes with the key its id names.
pub fn verify(link: &SharedLink, keys: &ShareKeys) -> Result<(), ShareError> {
    let key_id = &link.seal.key_id;
    let public = keys.find(key_id).ok_or_else(|| ShareError::UnknownKey {
        key_id: key_id.clone(),
    })?;
    UnparsedPublicKey::new(&ED25519, public)
        .verify(&link.payload, &link.signature)
        .map_err(|_| ShareError::BadSignature)
}

/// Inflates a deflate-raw payload, refusing to produce more than [`MAX_REPORT_BYTES`].
pub fn inflate(payload: &[u8]) -> Result<Vec<u8>, ShareError> {
    use miniz_oxide::inflate::{decompress_to_vec_with_limit, TINFLStatus};
    decompress_to_vec_with_limit(payload, MAX_REPORT_BYTES).map_err(|e| match e.status {
        TINFLStatus::HasMoreOutput => ShareError::TooLarge {
            limit: MAX_REPORT_BYTES,
        },
        _ => ShareError::BadEncoding {
            part: LinkPart::Payload,
        },
    })
}

/// Reads, verifies, inflates and parses a link, in that order: nothing unsigned is inflated.
pub fn open(link: &str, keys: &ShareKeys) -> Result<Opened, ShareError> {
    let link = parse_link(link)?;
    verify(&link, keys)?;
    let report = read_report(&inflate(&link.payload)?)?;
    Ok(Opened {
        report,
        person: link.person,
        key_id: link.seal.key_id,
    })
}

#[cfg(test)]
mod tests;
