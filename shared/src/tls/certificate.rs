//! What a person needs to see of one certificate: names, dates, key, fingerprint.
//!
//! Read leniently: a field we cannot render is shown as such instead of hiding the rest, since
//! a broken certificate is exactly what the report must describe. Only a certificate whose
//! outer structure is not X.509 at all is refused.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::der::{self, DerError, Reader, Tlv};
use crate::wire::CertificateSummary;

/// Summarizes one DER certificate for the report.
pub fn summarize(cert_der: &[u8]) -> Result<CertificateSummary, MalformedCertificate> {
    ParsedCertificate::parse(cert_der)
        .map(|parsed| parsed.summary(cert_der))
        .map_err(|DerError(reason)| MalformedCertificate { reason })
}

/// The bytes are not an X.509 certificate we can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MalformedCertificate {
    reason: &'static str,
}

impl MalformedCertificate {
    pub fn reason(&self) -> &'static str {
        self.reason
    }
}

impl fmt::Display for MalformedCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the certificate could not be decoded ({})", self.reason)
    }
}

impl std::error::Error for MalformedCertificate {}

/// A summary even for bytes that do not decode: the fingerprint still identifies them.
pub(super) fn summarize_or_describe(cert_der: &[u8]) -> CertificateSummary {
    summarize(cert_der).unwrap_or_else(|error| CertificateSummary {
        subject: format!("({error})"),
        issuer: String::new(),
        sans: Vec::new(),
        not_before_unix: 0,
        not_after_unix: 0,
        key: "unknown".to_owned(),
        sha256: sha256_hex(cert_der),
        self_signed: false,
    })
}

/// The fields of a certificate that the summary and the chain diagnosis use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ParsedCertificate<'a> {
    /// The issuer Name's content octets, compared byte for byte as webpki does.
    pub(super) issuer: &'a [u8],
    pub(super) subject: &'a [u8],
    pub(super) not_before_unix: i64,
    pub(super) not_after_unix: i64,
    spki: &'a [u8],
    extensions: Option<&'a [u8]>,
}

impl<'a> ParsedCertificate<'a> {
    pub(super) fn parse(cert_der: &'a [u8]) -> Result<Self, DerError> {
        let certificate = Reader::new(cert_der).expect(der::SEQUENCE)?;
        let mut tbs = Reader::new(Reader::new(certificate).expect(der::SEQUENCE)?);
        tbs.optional(der::explicit(0))?;
        tbs.expect(der::INTEGER)?;
        tbs.expect(der::SEQUENCE)?;
        let issuer = tbs.expect(der::SEQUENCE)?;
        let mut validity = Reader::new(tbs.expect(der::SEQUENCE)?);
        let not_before_unix = der::time_to_unix(validity.any()?)?;
        let not_after_unix = der::time_to_unix(validity.any()?)?;
        let subject = tbs.expect(der::SEQUENCE)?;
        let spki = tbs.expect(der::SEQUENCE)?;
        tbs.optional(der::implicit(1))?;
        tbs.optional(der::implicit(2))?;
        let extensions = tbs.optional(der::explicit(3))?;
        Ok(Self {
            issuer,
            subject,
            not_before_unix,
            not_after_unix,
            spki,
            extensions,
        })
    }

    /// Issued by itself, judged by name as path building does.
    pub(super) fn is_self_signed(&self) -> bool {
        self.issuer == self.subject
    }

    pub(super) fn subject_alt_names(&self) -> Vec<String> {
        self.extensions
            .and_then(|extensions| find_extension(extensions, OID_SUBJECT_ALT_NAME))
            .map(general_names)
            .unwrap_or_default()
    }

    fn summary(&self, cert_der: &[u8]) -> CertificateSummary {
        CertificateSummary {
            subject: render_name(self.subject),
            issuer: render_name(self.issuer),
            sans: self.subject_alt_names(),
            not_before_unix: self.not_before_unix,
            not_after_unix: self.not_after_unix,
            key: describe_key(self.spki),
            sha256: sha256_hex(cert_der),
            self_signed: self.is_self_signed(),
        }
    }
}

/// Renders a Name's content octets for people: CN first, then the rest most specific first
/// (RFC 4514 order), e.g. `CN=mail.example.jp, O=Example, C=JP`.
pub(super) fn render_name(name: &[u8]) -> String {
    let mut attributes: Vec<(String, String)> = Vec::new();
    let complete = read_attributes(name, &mut attributes).is_ok();
    attributes.reverse();
    attributes.sort_by_key(|(label, _)| label != "CN");
    let mut rendered: Vec<String> = attributes
        .into_iter()
        .map(|(label, value)| format!("{label}={value}"))
        .collect();
    if !complete {
        rendered.push("…".to_owned());
    }
    rendered.join(", ")
}

fn read_attributes(name: &[u8], out: &mut Vec<(String, String)>) -> Result<(), DerError> {
    let mut rdns = Reader::new(name);
    while !rdns.is_empty() {
        let mut set = Reader::new(rdns.expect(der::SET)?);
        while !set.is_empty() {
            let mut attribute = Reader::new(set.expect(der::SEQUENCE)?);
            let oid = attribute.expect(der::OID)?;
            let value = attribute.any()?;
            out.push((attribute_label(oid), render_string(value)));
        }
    }
    Ok(())
}

const OID_SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x11];
const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const OID_RSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
const OID_EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
const OID_P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];
const OID_ED448: &[u8] = &[0x2b, 0x65, 0x71];

fn attribute_label(oid: &[u8]) -> String {
    let label = match oid {
        [0x55, 0x04, 0x03] => "CN",
        [0x55, 0x04, 0x05] => "serialNumber",
        [0x55, 0x04, 0x06] => "C",
        [0x55, 0x04, 0x07] => "L",
        [0x55, 0x04, 0x08] => "ST",
        [0x55, 0x04, 0x09] => "STREET",
        [0x55, 0x04, 0x0a] => "O",
        [0x55, 0x04, 0x0b] => "OU",
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01] => "emailAddress",
        [0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19] => "DC",
        _ => return der::oid_to_dotted(oid),
    };
    label.to_owned()
}

/// Longest attribute value or name we copy into a report.
const MAX_VALUE_CHARS: usize = 256;

/// Decodes the string types that occur in Names; anything else is shown as RFC 4514 hex.
fn render_string(value: Tlv<'_>) -> String {
    let bytes = value.value;
    let text: String = match value.tag {
        // UTF8String, NumericString, PrintableString, IA5String, VisibleString
        0x0c | 0x12 | 0x13 | 0x16 | 0x1a => String::from_utf8_lossy(bytes).into_owned(),
        // TeletexString: in practice Latin-1.
        0x14 => bytes.iter().map(|&b| char::from(b)).collect(),
        // BMPString: UTF-16 big-endian.
        0x1e => char::decode_utf16(
            bytes
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]])),
        )
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect(),
        // UniversalString: UTF-32 big-endian.
        0x1c => bytes
            .chunks_exact(4)
            .map(|quad| {
                char::from_u32(u32::from_be_bytes([quad[0], quad[1], quad[2], quad[3]]))
                    .unwrap_or(char::REPLACEMENT_CHARACTER)
            })
            .collect(),
        _ => format!("#{}", hex(value.whole)),
    };
    printable(&text)
}

/// Bounded, with control characters replaced: a name must not break a report's layout.
fn printable(text: &str) -> String {
    text.chars()
        .take(MAX_VALUE_CHARS)
        .map(|c| {
            if c.is_control() {
                char::REPLACEMENT_CHARACTER
            } else {
                c
            }
        })
        .collect()
}

fn find_extension<'a>(extensions: &'a [u8], wanted: &[u8]) -> Option<&'a [u8]> {
    let mut list = Reader::new(Reader::new(extensions).expect(der::SEQUENCE).ok()?);
    while !list.is_empty() {
        let mut extension = Reader::new(list.expect(der::SEQUENCE).ok()?);
        let oid = extension.expect(der::OID).ok()?;
        extension.optional(der::BOOLEAN).ok()?;
        let value = extension.expect(der::OCTET_STRING).ok()?;
        if oid == wanted {
            return Some(value);
        }
    }
    None
}

/// The DNS names and IP addresses of a GeneralNames value, in certificate order.
fn general_names(value: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    let Ok(list) = Reader::new(value).expect(der::SEQUENCE) else {
        return names;
    };
    let mut list = Reader::new(list);
    while let Ok(name) = list.any() {
        match (name.tag, name.value.len()) {
            (0x82, _) => names.push(printable(&String::from_utf8_lossy(name.value))),
            (0x87, 4) => {
                let mut octets = [0u8; 4];
                octets.copy_from_slice(name.value);
                names.push(IpAddr::from(Ipv4Addr::from(octets)).to_string());
            }
            (0x87, 16) => {
                let mut octets = [0u8; 16];
                octets.copy_from_slice(name.value);
                names.push(IpAddr::from(Ipv6Addr::from(octets)).to_string());
            }
            _ => {}
        }
    }
    names
}

/// "RSA 2048", "ECDSA P-256", "Ed25519"; the algorithm's OID when we have no name for it.
fn describe_key(spki: &[u8]) -> String {
    let mut reader = Reader::new(spki);
    let Ok(algorithm) = reader.expect(der::SEQUENCE) else {
        return "unknown".to_owned();
    };
    let mut algorithm = Reader::new(algorithm);
    let Ok(oid) = algorithm.expect(der::OID) else {
        return "unknown".to_owned();
    };
    let parameters = algorithm.any().ok();
    let key_bits = reader.expect(der::BIT_STRING).ok();
    match oid {
        OID_RSA | OID_RSA_PSS => {
            let name = if oid == OID_RSA { "RSA" } else { "RSA-PSS" };
            match key_bits.and_then(rsa_modulus_bits) {
                Some(bits) => format!("{name} {bits}"),
                None => name.to_owned(),
            }
        }
        OID_EC_PUBLIC_KEY => match parameters.map(|p| (p.tag, p.value)) {
            Some((der::OID, OID_P256)) => "ECDSA P-256".to_owned(),
            Some((der::OID, OID_P384)) => "ECDSA P-384".to_owned(),
            Some((der::OID, OID_P521)) => "ECDSA P-521".to_owned(),
            Some((der::OID, curve)) => format!("ECDSA {}", der::oid_to_dotted(curve)),
            _ => "ECDSA".to_owned(),
        },
        OID_ED25519 => "Ed25519".to_owned(),
        OID_ED448 => "Ed448".to_owned(),
        other => der::oid_to_dotted(other),
    }
}

/// The size of an RSA key: the bit length of the modulus in RSAPublicKey.
fn rsa_modulus_bits(bit_string: &[u8]) -> Option<usize> {
    let (&unused_bits, key) = bit_string.split_first()?;
    if unused_bits != 0 {
        return None;
    }
    let mut key = Reader::new(Reader::new(key).expect(der::SEQUENCE).ok()?);
    let modulus = key.expect(der::INTEGER).ok()?;
    let significant = match modulus.iter().position(|&b| b != 0) {
        Some(start) => &modulus[start..],
        None => return Some(0),
    };
    let leading = significant
        .first()
        .map_or(0, |b| b.leading_zeros() as usize);
    Some(significant.len() * 8 - leading)
}

pub(super) fn sha256_hex(bytes: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Name with the given (OID, tag, value) attributes, one per RDN, in DER order.
    fn name(attributes: &[(&[u8], u8, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (oid, tag, value) in attributes {
            let mut atv = vec![der::OID, oid.len() as u8];
            atv.extend_from_slice(oid);
            atv.extend([*tag, value.len() as u8]);
            atv.extend_from_slice(value);
            let mut seq = vec![der::SEQUENCE, atv.len() as u8];
            seq.extend(atv);
            out.extend([der::SET, seq.len() as u8]);
            out.extend(seq);
        }
        out
    }

    #[test]
    fn names_render_cn_first_then_most_specific_first() {
        let der = name(&[
            (&[0x55, 0x04, 0x06], 0x13, b"JP"),
            (&[0x55, 0x04, 0x0a], 0x0c, b"Example"),
            (&[0x55, 0x04, 0x03], 0x0c, b"mail.example.jp"),
            (&[0x55, 0x04, 0x0b], 0x0c, b"Mail"),
        ]);
        assert_eq!(
            render_name(&der),
            "CN=mail.example.jp, OU=Mail, O=Example, C=JP"
        );
    }

    #[test]
    fn unusual_strings_and_attributes_stay_readable() {
        let der = name(&[
            (
                &[0x55, 0x04, 0x0a],
                0x1e,
                &[0x30, 0xe1, 0x30, 0xfc, 0x30, 0xeb],
            ),
            (&[0x55, 0x04, 0x03], 0x0c, b"bad\nname"),
            (&[0x2b, 0x06, 0x01], 0x04, &[0xab]),
        ]);
        assert_eq!(
            render_name(&der),
            "CN=bad\u{fffd}name, 1.3.6.1=#0401ab, O=メール"
        );
    }

    #[test]
    fn a_broken_name_shows_what_was_readable() {
        let mut der = name(&[(&[0x55, 0x04, 0x03], 0x0c, b"mail")]);
        der.extend([der::SET, 0x05, 0x30]);
        assert_eq!(render_name(&der), "CN=mail, …");
        assert_eq!(render_name(&[]), "");
    }

    #[test]
    fn rsa_key_size_counts_significant_bits() {
        // BIT STRING content: 0 unused bits, SEQUENCE { INTEGER 00 C0 00, INTEGER 3 }
        let key = [
            0x00, 0x30, 0x08, 0x02, 0x03, 0x00, 0xc0, 0x00, 0x02, 0x01, 0x03,
        ];
        assert_eq!(rsa_modulus_bits(&key), Some(16));
        assert_eq!(rsa_modulus_bits(&[0x01]), None);
        assert_eq!(rsa_modulus_bits(&[]), None);
    }

    #[test]
    fn fingerprints_are_lowercase_hex_without_colons() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn garbage_is_refused_with_a_reason_and_still_fingerprinted() {
        for bytes in [
            &b""[..],
            b"\x30\x03\x02\x01\x01",
            b"220 mail ESMTP\r\n",
            &[0x30; 64],
        ] {
            let error = summarize(bytes).unwrap_err();
            assert!(!error.reason().is_empty());
            let described = summarize_or_describe(bytes);
            assert!(described
                .subject
                .starts_with("(the certificate could not be decoded"));
            assert_eq!(described.sha256, sha256_hex(bytes));
        }
    }
}
