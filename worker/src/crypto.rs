//! Signature checks through the runtime's own crypto instead of ring compiled to wasm.
//!
//! ```text
//!  webpki / rustls ─▶ NativeAlgorithm::verify_signature ─▶ node:crypto verify (workerd, BoringSSL)
//!                                   │ the runtime lacks it, cannot read the key, or the key
//!                                   ▼ is one ring would treat differently
//!                                 ring (the same algorithm, in our wasm)
//! ```
//!
//! workerd implements `node:crypto` in C++, synchronously, so it fits the sans-IO engine where
//! WebCrypto (`crypto.subtle`, async) does not. A P-384 check costs ~0.5 ms there against
//! ~4–5 ms in ring-in-wasm (BENCHMARKS.md). workerd's `verify` ignores the `padding` option
//! (measured: an RSA-PSS signature checked with `padding: RSA_PKCS1_PSS_PADDING` is refused,
//! a PKCS#1 one accepted), so RSA-PSS stays with ring. The module comes from
//! `process.getBuiltinModule` rather than an `import`, so a runtime without it keeps ring.

use js_sys::{Function, Object, Reflect, Uint8Array};
use rustls_pki_types::{AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Checks signatures with the runtime's crypto from now on, if the runtime has it. Cheap to
/// call on every request: only the first call does anything.
pub fn install() {
    if node_crypto().is_some() {
        // Already installed (by an earlier request of this isolate) is as good.
        let _ = sendcheck::tls::install_signature_algorithms(&NATIVE);
    }
}

static NATIVE: [&dyn SignatureVerificationAlgorithm; 10] = [
    &NativeAlgorithm::ecdsa(webpki::ring::ECDSA_P256_SHA256, "sha256", 65),
    &NativeAlgorithm::ecdsa(webpki::ring::ECDSA_P256_SHA384, "sha384", 65),
    &NativeAlgorithm::ecdsa(webpki::ring::ECDSA_P384_SHA256, "sha256", 97),
    &NativeAlgorithm::ecdsa(webpki::ring::ECDSA_P384_SHA384, "sha384", 97),
    &NativeAlgorithm::rsa_pkcs1(webpki::ring::RSA_PKCS1_2048_8192_SHA256, "sha256"),
    &NativeAlgorithm::rsa_pkcs1(webpki::ring::RSA_PKCS1_2048_8192_SHA384, "sha384"),
    &NativeAlgorithm::rsa_pkcs1(webpki::ring::RSA_PKCS1_2048_8192_SHA512, "sha512"),
    &NativeAlgorithm::rsa_pkcs1(
        webpki::ring::RSA_PKCS1_2048_8192_SHA256_ABSENT_PARAMS,
        "sha256",
    ),
    &NativeAlgorithm::rsa_pkcs1(
        webpki::ring::RSA_PKCS1_2048_8192_SHA384_ABSENT_PARAMS,
        "sha384",
    ),
    &NativeAlgorithm::rsa_pkcs1(
        webpki::ring::RSA_PKCS1_2048_8192_SHA512_ABSENT_PARAMS,
        "sha512",
    ),
];

/// One of ring's algorithms, checked natively where the runtime gives the same answer.
#[derive(Debug)]
struct NativeAlgorithm {
    ring: &'static dyn SignatureVerificationAlgorithm,
    hash: &'static str,
    key: KeyShape,
}

/// The public keys whose verdicts BoringSSL and ring agree on.
#[derive(Debug)]
enum KeyShape {
    /// An uncompressed point (ring accepts no other encoding) of this many bytes.
    EcPoint(usize),
    /// RSAPublicKey with a modulus of 2048–8192 bits (ring's bounds for these algorithms) and
    /// the exponent 65537 (ring refuses some exponents BoringSSL accepts; every CA uses this).
    Rsa2048To8192,
}

impl NativeAlgorithm {
    const fn ecdsa(
        ring: &'static dyn SignatureVerificationAlgorithm,
        hash: &'static str,
        point_len: usize,
    ) -> Self {
        Self {
            ring,
            hash,
            key: KeyShape::EcPoint(point_len),
        }
    }

    const fn rsa_pkcs1(
        ring: &'static dyn SignatureVerificationAlgorithm,
        hash: &'static str,
    ) -> Self {
        Self {
            ring,
            hash,
            key: KeyShape::Rsa2048To8192,
        }
    }

    fn accepts(&self, public_key: &[u8]) -> bool {
        match self.key {
            KeyShape::EcPoint(len) => public_key.len() == len && public_key.first() == Some(&4),
            KeyShape::Rsa2048To8192 => rsa_shape(public_key).is_some_and(|(bits, exponent)| {
                (2048..=8192).contains(&bits) && exponent == [1, 0, 1]
            }),
        }
    }
}

impl SignatureVerificationAlgorithm for NativeAlgorithm {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        let native = match node_crypto() {
            Some(crypto) if self.accepts(public_key) => {
                let spki = subject_public_key_info(self.ring.public_key_alg_id(), public_key);
                crypto.verify(self.hash, message, &spki, signature)
            }
            _ => None,
        };
        match native {
            Some(true) => Ok(()),
            Some(false) => Err(InvalidSignature),
            // The runtime could not say (it threw): ring decides.
            None => self.ring.verify_signature(public_key, message, signature),
        }
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        self.ring.public_key_alg_id()
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.ring.signature_alg_id()
    }
}

#[wasm_bindgen]
extern "C" {
    /// The `node:crypto` module object.
    type NodeCryptoModule;

    #[wasm_bindgen(method, catch)]
    fn verify(
        this: &NodeCryptoModule,
        algorithm: &str,
        data: &[u8],
        key: &Object,
        signature: &[u8],
    ) -> Result<bool, JsValue>;
}

struct NodeCrypto(NodeCryptoModule);

impl NodeCrypto {
    /// `None` when the runtime threw (a key it cannot read, a hash it lacks).
    fn verify(
        &self,
        hash: &str,
        message: &[u8],
        spki_der: &[u8],
        signature: &[u8],
    ) -> Option<bool> {
        // The key as DER in the options, not a KeyObject: workerd's verify refuses KeyObjects
        // inside an options object, and one call is cheaper than createPublicKey + verify.
        let key = Object::new();
        let set = |name: &str, value: &JsValue| Reflect::set(&key, &JsValue::from_str(name), value);
        set("key", &Uint8Array::from(spki_der)).ok()?;
        set("format", &JsValue::from_str("der")).ok()?;
        set("type", &JsValue::from_str("spki")).ok()?;
        self.0.verify(hash, message, &key, signature).ok()
    }
}

thread_local! {
    /// Looked up once per isolate (wasm has one thread).
    static NODE_CRYPTO: Option<std::rc::Rc<NodeCrypto>> = lookup_node_crypto().map(std::rc::Rc::new);
}

fn node_crypto() -> Option<std::rc::Rc<NodeCrypto>> {
    NODE_CRYPTO.with(Clone::clone)
}

/// `process.getBuiltinModule("node:crypto")`, if this runtime has it.
fn lookup_node_crypto() -> Option<NodeCrypto> {
    let process = Reflect::get(&js_sys::global(), &JsValue::from_str("process")).ok()?;
    let get_builtin = Reflect::get(&process, &JsValue::from_str("getBuiltinModule"))
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    let module = get_builtin
        .call1(&process, &JsValue::from_str("node:crypto"))
        .ok()?;
    let verify = Reflect::get(&module, &JsValue::from_str("verify")).ok()?;
    verify
        .is_function()
        .then(|| NodeCrypto(module.unchecked_into()))
}

/// SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) around the key bits webpki hands us.
fn subject_public_key_info(algorithm: AlgorithmIdentifier, public_key: &[u8]) -> Vec<u8> {
    let mut bits = Vec::with_capacity(public_key.len() + 1);
    bits.push(0); // no unused bits
    bits.extend_from_slice(public_key);
    let mut contents = der(0x30, algorithm.as_ref());
    contents.extend(der(0x03, &bits));
    der(0x30, &contents)
}

/// One DER element: tag, definite length, contents.
fn der(tag: u8, contents: &[u8]) -> Vec<u8> {
    let len = contents.len();
    let mut out = vec![tag];
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let significant = &bytes[bytes.iter().take_while(|b| **b == 0).count()..];
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(significant);
    }
    out.extend_from_slice(contents);
    out
}

/// (modulus bits, exponent bytes) of an RSAPublicKey (RFC 8017 §A.1.1), `None` if it is not
/// one in plain DER.
fn rsa_shape(public_key: &[u8]) -> Option<(usize, &[u8])> {
    let (sequence, rest) = der_element(public_key, 0x30)?;
    if !rest.is_empty() {
        return None;
    }
    let (modulus, rest) = der_element(sequence, 0x02)?;
    let (exponent, rest) = der_element(rest, 0x02)?;
    if !rest.is_empty() {
        return None;
    }
    // A positive INTEGER: one leading zero when the top bit is set, never more.
    let modulus = match modulus {
        [0, first, ..] if first & 0x80 != 0 => &modulus[1..],
        [first, ..] if first & 0x80 == 0 && *first != 0 => modulus,
        _ => return None,
    };
    let top = modulus.first()?;
    Some((modulus.len() * 8 - top.leading_zeros() as usize, exponent))
}

/// The contents of the element with `tag` at the start of `input`, and what follows it.
fn der_element(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&found, rest) = input.split_first()?;
    if found != tag {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = match first {
        0..=0x7f => (usize::from(first), rest),
        0x81 => {
            let (&len, rest) = rest.split_first()?;
            (usize::from(len), rest)
        }
        0x82 => {
            let (len, rest) = rest.split_at_checked(2)?;
            (usize::from(u16::from_be_bytes([len[0], len[1]])), rest)
        }
        _ => return None,
    };
    rest.split_at_checked(len)
}
