//! The published public keys (`GET /api/share-key`) and the key id that names each one.
//! A key id is derived from the key itself, so a reader checks it rather than trusting it.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::share::base64url;

/// The only signature algorithm of seal version 1.
pub const ED25519: &str = "Ed25519";
/// Length of an Ed25519 public key and of a signing seed.
pub const KEY_BYTES: usize = 32;
/// Length of an Ed25519 signature.
pub const SIGNATURE_BYTES: usize = 64;
/// Bytes of SHA-256 of the public key that make its id (11 base64url characters).
pub const KEY_ID_BYTES: usize = 8;

/// The answer of `GET /api/share-key`: the key that signs now first, then older ones still
/// accepted (`SHARE_PREVIOUS_KEYS`), so links signed before a rotation still verify.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareKeys {
    #[serde(default)]
    pub keys: Vec<PublicShareKey>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicShareKey {
    pub key_id: String,
    /// `Ed25519`.
    pub alg: String,
    /// The raw 32-byte public key, base64url.
    pub public_key: String,
}

/// base64url of the first [`KEY_ID_BYTES`] of SHA-256 of the raw public key.
pub fn key_id(public_key: &[u8]) -> String {
    let digest = Sha256::digest(public_key);
    base64url::encode(&digest[..KEY_ID_BYTES])
}

impl PublicShareKey {
    pub fn new(public_key: &[u8; KEY_BYTES]) -> Self {
        Self {
            key_id: key_id(public_key),
            alg: ED25519.to_owned(),
            public_key: base64url::encode(public_key),
        }
    }

    /// Reads one key as written in `SHARE_PREVIOUS_KEYS` (base64url of the 32 raw bytes).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        match base64url::decode(text).map(<[u8; KEY_BYTES]>::try_from) {
            Some(Ok(bytes)) => Ok(Self::new(&bytes)),
            _ => Err(format!(
                "{text:?} is not a base64url Ed25519 public key of {KEY_BYTES} bytes"
            )),
        }
    }

    /// The raw key, if this entry is an Ed25519 key whose id really is derived from it.
    pub fn ed25519_bytes(&self) -> Option<[u8; KEY_BYTES]> {
        if self.alg != ED25519 {
            return None;
        }
        let bytes: [u8; KEY_BYTES] = base64url::decode(&self.public_key)?.try_into().ok()?;
        (key_id(&bytes) == self.key_id).then_some(bytes)
    }
}

impl ShareKeys {
    /// Reads `SHARE_PREVIOUS_KEYS`: public keys separated by commas, spaces or newlines.
    pub fn parse_list(list: &str) -> Result<Vec<PublicShareKey>, String> {
        list.split([',', ' ', '\n', '\r', '\t'])
            .filter(|k| !k.is_empty())
            .map(PublicShareKey::parse)
            .collect()
    }

    /// The raw public key named `key_id`, ignoring entries whose id does not match their key.
    pub fn find(&self, key_id: &str) -> Option<[u8; KEY_BYTES]> {
        self.keys
            .iter()
            .filter(|k| k.key_id == key_id)
            .find_map(PublicShareKey::ed25519_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_are_derived_from_the_key_and_checked() {
        let key = PublicShareKey::new(&[7; KEY_BYTES]);
        assert_eq!(key.key_id.len(), 11);
        assert_eq!(key.key_id, key_id(&[7; KEY_BYTES]));
        let keys = ShareKeys {
            keys: vec![
                // An entry that lies about its id is never used.
                PublicShareKey {
                    key_id: key_id(&[9; KEY_BYTES]),
                    ..PublicShareKey::new(&[8; KEY_BYTES])
                },
                key.clone(),
            ],
        };
        assert_eq!(keys.find(&key.key_id), Some([7; KEY_BYTES]));
        assert_eq!(keys.find(&key_id(&[9; KEY_BYTES])), None);
        assert_eq!(keys.find("AAAAAAAAAAA"), None);
        let other_alg = PublicShareKey {
            alg: "Ed448".to_owned(),
            ..key
        };
        assert_eq!(other_alg.ed25519_bytes(), None);
    }

    #[test]
    fn previous_keys_read_from_a_list() {
        let a = base64url::encode(&[1; KEY_BYTES]);
        let b = base64url::encode(&[2; KEY_BYTES]);
        let keys = ShareKeys::parse_list(&format!(" {a},\n{b} ")).unwrap();
        assert_eq!(keys.len(), 2);
        assert_eq!(keys[1], PublicShareKey::new(&[2; KEY_BYTES]));
        assert_eq!(ShareKeys::parse_list("").unwrap(), vec![]);
        let short = base64url::encode(&[1; 31]);
        assert!(ShareKeys::parse_list(&format!("{a},{short}"))
            .unwrap_err()
            .contains("32 bytes"));
        assert!(ShareKeys::parse_list("not base64!").is_err());
    }

    #[test]
    fn the_answer_pins_its_json_shape() {
        let keys = ShareKeys {
            keys: vec![PublicShareKey::new(&[0; KEY_BYTES])],
        };
        let json = serde_json::to_value(&keys).unwrap();
        assert_eq!(json["keys"][0]["alg"], "Ed25519");
        assert_eq!(
            json["keys"][0]["public_key"],
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        );
        assert_eq!(json["keys"][0]["key_id"], key_id(&[0; KEY_BYTES]));
    }
}
