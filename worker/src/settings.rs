//! Deployment settings from wrangler.toml `[vars]` (or `--var` for tests). Each is parsed once
//! per request; a malformed setting is a deployment error, reported as a 500 with its name.

use sendcheck::discovery::UrlTemplates;
use sendcheck::probe::TrustAnchors;
use sendcheck::target::{AddressGuard, Hostname};
use worker::Env;

/// See the README's "Configuration" table.
pub struct Settings {
    /// Non-public networks the deployment may probe anyway (`ALLOW_NETWORKS`).
    pub guard: AddressGuard,
    /// The name sent with EHLO (`EHLO_NAME`).
    pub client_name: Hostname,
    /// DNS-over-HTTPS JSON endpoint (`DOH_URL`).
    pub doh_url: String,
    /// Whether port 25 can be probed from here (`ALLOW_PORT_25`): Cloudflare's edge refuses
    /// outbound connections to 25, local workerd allows them.
    pub port_25: bool,
    /// `edge` (default), `local` (the test lab's stand-in for the edge) or `this_computer`
    /// (`./dev serve` on the person's machine) (`DEPLOYMENT`), reported as the vantage point.
    pub deployment: String,
    /// Roots certificates are verified against: the public ones, unless a test lab names its
    /// own CA in `TEST_TRUST_ANCHORS` (PEM). Never set in a deployment.
    pub trust: TrustAnchors,
    /// Where discovery fetches Thunderbird autoconfig (`AUTOCONFIG_URL_TEMPLATES`, `{domain}`
    /// placeholders): the two public https locations unless a local lab names its server;
    /// plain http only when `DEPLOYMENT` is `local`.
    pub autoconfig: UrlTemplates,
}

const DEFAULT_EHLO_NAME: &str = "sendcheck.invalid";
const DEFAULT_DOH_URL: &str = "https://cloudflare-dns.com/dns-query";

impl Settings {
    pub fn from_env(env: &Env) -> Result<Self, String> {
        let var = |name: &str| env.var(name).ok().map(|v| v.to_string());
        let guard = AddressGuard::from_list(&var("ALLOW_NETWORKS").unwrap_or_default())
            .map_err(|e| format!("ALLOW_NETWORKS: {e}"))?;
        let client_name = var("EHLO_NAME")
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_EHLO_NAME.to_owned());
        let client_name = Hostname::parse(&client_name)
            .map_err(|e| format!("EHLO_NAME: {client_name:?}: {e}"))?;
        let doh_url = var("DOH_URL")
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_DOH_URL.to_owned());
        let port_25 = match var("ALLOW_PORT_25").unwrap_or_default().trim() {
            "" | "false" | "0" | "no" => false,
            "true" | "1" | "yes" => true,
            other => return Err(format!("ALLOW_PORT_25: {other:?} is not true or false")),
        };
        // `this_computer`: `./dev serve` on the person's own machine, checking real servers —
        // its probes leave from their network, and the diagnosis reads them as inside evidence.
        let deployment = match var("DEPLOYMENT").unwrap_or_default().trim() {
            "" | "edge" => "edge".to_owned(),
            "local" => "local".to_owned(),
            "this_computer" => "this_computer".to_owned(),
            other => {
                return Err(format!(
                    "DEPLOYMENT: {other:?} is not edge, local or this_computer"
                ))
            }
        };
        let lab_ca = var("LAB_TRUST_ANCHORS").filter(|v| !v.trim().is_empty());
        let trust = match var("TEST_TRUST_ANCHORS").filter(|v| !v.trim().is_empty()) {
            None if lab_ca.is_some() => {
                let pem = lab_ca.unwrap_or_default();
                TrustAnchors::public_and_pem(&pem).map_err(|e| format!("LAB_TRUST_ANCHORS: {e}"))?
            }
            None => TrustAnchors::PublicRoots,
            Some(pem) => {
                TrustAnchors::from_pem(&pem).map_err(|e| format!("TEST_TRUST_ANCHORS: {e}"))?
            }
        };
        let autoconfig = UrlTemplates::parse(
            &var("AUTOCONFIG_URL_TEMPLATES").unwrap_or_default(),
            deployment != "edge",
        )
        .map_err(|e| format!("AUTOCONFIG_URL_TEMPLATES: {e}"))?;
        Ok(Self {
            autoconfig,
            trust,
            guard,
            client_name,
            doh_url,
            port_25,
            deployment,
        })
    }
}
