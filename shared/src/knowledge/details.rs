//! Japanese words for the details the engine, the worker and the person's own tools write in
//! English ("the server ended the TLS handshake with the alert …", openssl's "wrong version
//! number", "connection reset by peer").
//!
//! A Japanese sentence must not carry an English clause: the detail it quotes is matched here
//! against what the known sources write, and a detail nobody foresaw is shown as a quotation
//! (「…」), like a server's reply, never as part of the sentence. The raw text itself stays in
//! the report's technical details, so nothing is lost for whoever reads the transcript.

/// The detail as a Japanese phrase, or quoted when it is not a known one. Text already
/// written in Japanese (a Japanese Windows' own error messages) is kept as it is.
pub fn in_japanese(raw: &str) -> String {
    let lower = raw.to_ascii_lowercase();
    if let Some(alert) = alert_name(raw) {
        return alert_words(alert);
    }
    if let Some(words) = PHRASES
        .iter()
        .find(|(needles, _)| needles.iter().any(|n| lower.contains(n)))
        .map(|(_, words)| *words)
    {
        return words.to_owned();
    }
    if !raw.bytes().any(|b| b.is_ascii_alphabetic()) || is_japanese(raw) {
        return raw.to_owned();
    }
    format!("「{}」", raw.trim())
}

/// Known details, each by the fragments that identify it (lowercase), most specific first.
const PHRASES: &[(&[&str], &str)] = &[
    // The engine (shared/src/tls/failure.rs, shared/src/probe).
    (
        &["answered in plain text", "wrong version number", "packet length too long", "unexpected packet format", "http request"],
        "SSL/TLSで始まるはずのところに、暗号化されていない応答が返りました（ポート番号と暗号化の種類の組み合わせが違う可能性があります）",
    ),
    (
        &["answer is not tls", "record layer failure"],
        "サーバーの応答がSSL/TLSの形になっていません",
    ),
    (
        &["no tls version or cipher", "unsupported protocol", "protocol version", "no protocols available", "no shared cipher", "no ciphers available"],
        "サーバーが、現在安全とされるTLSのバージョンや暗号方式に対応していません",
    ),
    (
        &["closed the connection during the tls handshake", "unexpected eof", "remote party has closed the transport stream", "handshake did not finish"],
        "暗号化通信（SSL/TLS）を始める途中で、接続が切れました",
    ),
    (
        &["smtp reply arrived during the tls handshake", "tls completed outside a handshake"],
        "暗号化通信（SSL/TLS）を始める途中で、サーバーが暗号化されていない応答を送ってきました",
    ),
    (
        &["before sendcheck's next command"],
        "sendcheckが次のコマンドを送る前に、サーバーが応答を送ってきました（手順どおりのやりとりではありません）",
    ),
    (
        &["cram-md5 challenge"],
        "サーバーが送ってきたCRAM-MD5の問いかけが正しい形式ではありません",
    ),
    (
        &["does not start with a reply code", "no space or hyphen after its code", "reply line is longer", "reply has more than", "reply is larger than"],
        "サーバーの応答がSMTPの決まった形になっていません",
    ),
    // Names (shared/src/dns.rs, the probe's resolver deadline).
    (
        &["nxdomain", "does not exist", "no such host", "nodename nor servname", "name or service not known"],
        "その名前はDNSに登録されていません",
    ),
    (
        &["no record of the asked type"],
        "その名前にはサーバーのアドレスが登録されていません",
    ),
    (
        &["no answer from the resolver", "resolver could not be reached"],
        "DNSサーバーから時間内に答えがありませんでした",
    ),
    (
        &["resolver failed to answer", "unreadable resolver answer"],
        "DNSサーバーが正しく答えませんでした",
    ),
    // Certificates (shared/src/tls/verify.rs, openssl, .NET).
    (
        &["unknown ca", "unable to get local issuer", "self-signed certificate", "self signed certificate"],
        "証明書の発行元が信頼されていません",
    ),
    (
        &["certificate verify failed", "remote certificate is invalid", "certificate chain was refused"],
        "証明書の検証に失敗しました",
    ),
    (
        &["is not a name a certificate can be checked against"],
        "このサーバー名では証明書を確認できません",
    ),
    (
        &["no peer certificate"],
        "サーバーが証明書を送ってきませんでした",
    ),
    (
        &["certificate expired"],
        "証明書の有効期限が切れています",
    ),
    // Connections (openssl's errno lines, workerd, .NET, PowerShell).
    (
        &["connection reset", "forcibly closed", "network connection lost"],
        "相手側が接続を強制的に切断しました（リセット）",
    ),
    (
        &["broken pipe", "connection closed by the server"],
        "サーバーが接続を閉じました",
    ),
    (
        &["connection refused", "actively refused"],
        "接続を拒否されました（そのポートで待ち受けていません）",
    ),
    (
        &["timed out", "timeout"],
        "時間内に応答がありませんでした",
    ),
    (
        &["did not offer starttls"],
        "サーバーがSTARTTLSを提供していません",
    ),
    (
        &["no tls session", "tls did not come up", "tls failed", "handshake failure", "handshake failed"],
        "暗号化通信（SSL/TLS）を始められませんでした",
    ),
    (
        &["failed with errno"],
        "通信中にエラーが起きました",
    ),
];

/// `the server ended the TLS handshake with the alert "handshake_failure"…` → the alert.
fn alert_name(raw: &str) -> Option<&str> {
    let rest = raw.split_once("with the alert \"")?.1;
    rest.split_once('"').map(|(alert, _)| alert)
}

/// What an alert (RFC 8446 §6) tells the person; the alert's own name is a code, quoted.
fn alert_words(alert: &str) -> String {
    let why = match alert {
        "handshake_failure" | "insufficient_security" => {
            "こちらが提示した現在の暗号方式をどれも受け付けませんでした"
        }
        "protocol_version" => "TLS 1.2にもTLS 1.3にも対応していません",
        "unrecognized_name" => "このサーバー名用の証明書を持っていません",
        "internal_error" => "サーバー側の暗号化の設定が壊れています",
        "access_denied" => "接続を拒否しました",
        _ => {
            return format!(
                "サーバーが暗号化通信（SSL/TLS）の開始を打ち切りました（警告「{alert}」）"
            )
        }
    };
    format!("サーバーが暗号化通信（SSL/TLS）の開始を打ち切りました：{why}")
}

/// Mostly Japanese already (a localised Windows writes its errors in Japanese).
fn is_japanese(text: &str) -> bool {
    let japanese = text.chars().filter(|c| !c.is_ascii()).count();
    japanese * 2 >= text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engine_s_tls_failures_read_in_japanese() {
        assert_eq!(
            in_japanese(
                "the server ended the TLS handshake with the alert \"protocol_version\": it supports neither TLS 1.2 nor TLS 1.3"
            ),
            "サーバーが暗号化通信（SSL/TLS）の開始を打ち切りました：TLS 1.2にもTLS 1.3にも対応していません"
        );
        assert_eq!(
            in_japanese("the server ended the TLS handshake with the alert \"bad_record_mac\""),
            "サーバーが暗号化通信（SSL/TLS）の開始を打ち切りました（警告「bad_record_mac」）"
        );
        assert!(
            in_japanese("the server closed the connection during the TLS handshake")
                .starts_with("暗号化通信（SSL/TLS）を始める途中")
        );
    }

    #[test]
    fn the_person_s_tools_read_in_japanese() {
        assert!(in_japanese("wrong version number").contains("暗号化されていない応答"));
        assert!(in_japanese("connection reset by peer").contains("リセット"));
        assert_eq!(
            in_japanese(
                "Authentication failed because the remote party has closed the transport stream."
            ),
            "暗号化通信（SSL/TLS）を始める途中で、接続が切れました"
        );
    }

    #[test]
    fn unknown_english_is_quoted_and_japanese_kept() {
        assert_eq!(in_japanese(" quantum flux "), "「quantum flux」");
        assert_eq!(
            in_japanese("リモート ホストによって接続が切断されました"),
            "リモート ホストによって接続が切断されました"
        );
        assert_eq!(in_japanese("0x2746"), "「0x2746」");
        assert_eq!(in_japanese("10054"), "10054");
    }
}
