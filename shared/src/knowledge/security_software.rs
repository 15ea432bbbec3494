//! Security software and gateways that intercept TLS, recognised by the name of the authority
//! that signs the certificates they substitute. Data: `data/security_software.json`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityProduct {
    pub id: String,
    /// The product as people know it ("Norton", "ウイルスバスター").
    pub name: String,
    pub name_ja: String,
    /// Case-insensitive substrings of the substituted certificate's issuer, or of what the
    /// person typed when asked which security software they use.
    pub patterns: Vec<String>,
    /// Text key: where in the product to turn off scanning of encrypted mail.
    pub setting: String,
    pub source: String,
    pub reviewed: String,
}

/// The product whose pattern occurs in `text` (an issuer name or the person's answer).
pub fn find<'a>(products: &'a [SecurityProduct], text: &str) -> Option<&'a SecurityProduct> {
    let text = text.to_lowercase();
    products.iter().find(|p| {
        p.patterns
            .iter()
            .any(|pattern| !pattern.is_empty() && text.contains(&pattern.to_lowercase()))
    })
}

#[cfg(test)]
mod tests {
    use crate::knowledge::Knowledge;

    #[test]
    fn products_are_named_from_issuers_and_answers() {
        let k = Knowledge::builtin();
        let id = |text: &str| k.security_product(text).map(|p| p.id.as_str());
        assert_eq!(id("CN=Avast Web/Mail Shield Root, O=Avast"), Some("avast"));
        assert_eq!(id("CN=AVG Web/Mail Shield Root"), Some("avg"));
        assert_eq!(id("CN=ESET SSL Filter CA"), Some("eset"));
        assert_eq!(
            id("CN=Kaspersky Anti-Virus Personal Root Certificate"),
            Some("kaspersky")
        );
        assert_eq!(id("Norton Internet Security 2007"), Some("norton"));
        assert_eq!(id("CN=Symantec Mail Security"), Some("norton"));
        assert_eq!(
            id("CN=Bitdefender Personal CA.Net-Defender"),
            Some("bitdefender")
        );
        assert_eq!(id("ウイルスバスター クラウド"), Some("trend_micro"));
        assert_eq!(id("CN=FortiGate CA, O=Fortinet"), Some("fortinet"));
        assert_eq!(id("CN=Zscaler Intermediate Root CA"), Some("zscaler"));
        assert_eq!(id("CN=R11, O=Let's Encrypt, C=US"), None);
        for p in k.security_products() {
            assert!(p.source.len() > 10 && p.reviewed.len() == 7, "{}", p.id);
            assert!(!p.patterns.is_empty(), "{}", p.id);
        }
    }
}
