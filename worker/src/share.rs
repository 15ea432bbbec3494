//! The worker's side of share links: it seals every several-port report it answers with
//! `SHARE_SIGNING_KEY`, and publishes the public keys at `GET /api/share-key` so anyone can
//! check a link (see `sendcheck::share` for the format).

use sendcheck::share::{seal, PublicShareKey, ShareKeys, SigningKey};
use sendcheck::wire::CheckReport;
use worker::{Env, Response, Result};

/// `SHARE_SIGNING_KEY` (a secret: base64url of a random 32-byte Ed25519 seed) and
/// `SHARE_PREVIOUS_KEYS` (older public keys whose links still verify). Read only on the
/// routes that use them, so other requests pay no CPU for the key.
pub struct ShareSettings {
    /// `None`: reports go out unsealed and the page says links cannot be verified here.
    pub signing: Option<SigningKey>,
    pub previous: Vec<PublicShareKey>,
}

impl ShareSettings {
    pub fn from_env(env: &Env) -> std::result::Result<Self, String> {
        let var = |name: &str| {
            env.var(name)
                .ok()
                .map(|v| v.to_string())
                .filter(|v| !v.trim().is_empty())
        };
        let signing = var("SHARE_SIGNING_KEY")
            .map(|seed| SigningKey::from_seed_base64url(&seed))
            .transpose()
            .map_err(|e| format!("SHARE_SIGNING_KEY: {e}"))?;
        let previous = ShareKeys::parse_list(&var("SHARE_PREVIOUS_KEYS").unwrap_or_default())
            .map_err(|e| format!("SHARE_PREVIOUS_KEYS: {e}"))?;
        Ok(Self { signing, previous })
    }

    /// The current key first, then the previous ones (each once).
    pub fn published(&self) -> ShareKeys {
        let mut keys: Vec<PublicShareKey> = self
            .signing
            .iter()
            .map(|k| k.public_key().clone())
            .collect();
        for key in &self.previous {
            if !keys.iter().any(|k| k.key_id == key.key_id) {
                keys.push(key.clone());
            }
        }
        ShareKeys { keys }
    }

    /// Seals the report in place when this deployment has a key.
    pub fn seal(&self, report: &mut CheckReport) {
        if let Some(key) = &self.signing {
            report.seal = seal(report, key);
        }
    }
}

/// `GET /api/share-key`: public, cacheable for a few minutes, readable from any origin (a
/// third party may verify links on its own).
pub fn keys(settings: &ShareSettings) -> Result<Response> {
    let response = Response::from_json(&settings.published())?;
    let headers = response.headers();
    headers.set("cache-control", "public, max-age=300")?;
    headers.set("access-control-allow-origin", "*")?;
    Ok(response)
}
