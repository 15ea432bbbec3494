//! English. Written for someone whose mail stopped sending, not for a mail administrator:
//! say what happened, what it usually means, and what to try.

use super::{AuthTexts, CertificateTexts, OutcomeText, SkippedTexts, Texts, VerdictTexts};

mod check;

pub static TEXTS: Texts = Texts {
    start: &super::start::EN,

    empty_host: "Enter the name of your outgoing mail server first, e.g. smtp.example.jp.",
    missing_username: "To test the login, enter the user name too, or clear the password to \
        check without logging in.",
    missing_password: "To test the login, enter the password too, or clear the user name to \
        check without logging in.",
    server_said: "The checker says:",
    technical_detail: "Technical detail:",
    input_errors: &[
        ("body_too_large", "The request was too large."),
        (
            "malformed_body",
            "The request was not understood. Reload the page and try again.",
        ),
        (
            "invalid_host",
            "This is not a valid server name. Check for spaces, full-width characters or \
             extra parts such as \"http://\" or \"@\".",
        ),
        (
            "port_not_allowed",
            "This port cannot be checked. Choose 587, 465, 25 or 2525.",
        ),
        (
            "unknown_security",
            "Unknown security setting. Choose STARTTLS, SSL/TLS or none.",
        ),
        (
            "ports_missing",
            "The request named no port. Reload the page and try again.",
        ),
        (
            "duplicate_port",
            "The request named a port twice. Reload the page and try again.",
        ),
        (
            "invalid_credentials",
            "A login test needs both a user name and a password.",
        ),
        (
            "port_not_testable_here",
            "This port cannot be checked from where sendcheck runs: its network does not allow \
             outgoing connections to it, so a test would say nothing about your server. \
             Check 587 or 465 instead.",
        ),
        (
            "target_not_allowed",
            "This address cannot be checked: it belongs to a private or special network that \
             cannot be reached from the internet.",
        ),
        (
            "not_found",
            "The checker's address was not found. Reload the page and try again.",
        ),
        (
            "method_not_allowed",
            "The checker was asked in the wrong way. Reload the page and try again.",
        ),
        (
            "invalid_address",
            "This is not an e-mail address or domain. Enter it like taro@example.jp or \
             example.jp, without spaces or extra characters.",
        ),
        (
            "rate_limited",
            "Too many checks came from your internet connection in the last minute, so \
             sendcheck is pausing for you. Wait a minute and try again. (One connection may \
             make sendcheck contact mail servers only so often, so that it cannot be used to \
             flood them.)",
        ),
        (
            "target_busy",
            "This mail server was checked many times in the last minute, by you or by other \
             visitors. So as not to flood it, sendcheck waits a little: try again in a minute.",
        ),
        (
            "login_limited",
            "The login was not tested. To protect mail accounts from password guessing, \
             sendcheck tests the login of one account only a few times: normally 3 times in \
             10 minutes from one connection, and only a few more from everyone together. \
             Check the user name and password carefully, then try again after the wait shown \
             below.",
        ),
        (
            "challenge_required",
            "Before the login is tested, please complete the check that you are a person (the \
             box above the Check button). sendcheck asks for it so that nobody can use it to \
             guess other people's passwords.",
        ),
        (
            "challenge_failed",
            "The check that you are a person could not be confirmed: it may have expired, and \
             each one can be used only once. Please complete it again, then press Check.",
        ),
    ],
    input_error_other: "The checker did not accept this request.",
    unreachable: OutcomeText {
        headline: "sendcheck could not be reached",
        explanation: "Your browser could not reach the sendcheck service, so nothing was checked. \
            Make sure this device is online and try again in a moment. \
            This says nothing about your mail server.",
    },
    timed_out: OutcomeText {
        headline: "sendcheck did not answer in time",
        explanation: "The check did not finish within {seconds} seconds, so there is no result. \
            Try again; if it happens again, sendcheck may be overloaded.",
    },
    unreadable: OutcomeText {
        headline: "sendcheck's answer could not be read",
        explanation: "The service answered (HTTP {status}), but this page could not understand \
            the answer. Reload the page to get its newest version and try again.",
    },

    outcomes: &[
        (
            "completed",
            OutcomeText {
                headline: "The mail server answers on port {port}",
                explanation: "sendcheck connected to {server} from the internet, and it greeted \
                    and introduced itself like a working mail server. The server and this port \
                    work. If your mail program still cannot send, the cause is probably on your \
                    side: your internet provider may block this port (port 25 especially), \
                    security software may interfere, or the account settings (user name, \
                    password) may be wrong.",
            },
        ),
        (
            "dns_failed",
            OutcomeText {
                headline: "The server name was not found",
                explanation: "The name {host} could not be turned into an internet address \
                    ({detail}). Compare the outgoing mail server in your mail program with what \
                    your provider gave you, letter by letter. If it is right, the domain's DNS \
                    settings may be broken or the domain may have expired.",
            },
        ),
        (
            "connection_refused",
            OutcomeText {
                headline: "Connection refused",
                explanation: "Nothing is accepting connections on port {port} at {server}. \
                    The server is reachable, but this port is closed (the mail service is not \
                    listening on it) or a firewall rejects it. Try another port (587 or 465), \
                    or ask your provider which port to use.",
            },
        ),
        (
            "connect_timeout",
            OutcomeText {
                headline: "No answer from the server",
                explanation: "sendcheck tried to connect to {server} on port {port} and got no \
                    answer at all. A firewall is silently dropping connections to this port, or \
                    the server is switched off or cut off from the network. This also fails from \
                    the internet, so it is not only your own network.",
            },
        ),
        (
            "connect_failed",
            OutcomeText {
                headline: "The connection could not be opened",
                explanation: "Connecting to {server} on port {port} failed ({detail}). Try again \
                    in a moment; if it keeps failing, the server or the network in front of it \
                    has a problem.",
            },
        ),
        (
            "connection_reset",
            OutcomeText {
                headline: "The connection was cut off",
                explanation: "{server} accepted the connection on port {port} and then abruptly \
                    cut it. Usually a firewall or security filter in front of the server does \
                    this, or the mail service is crashing.",
            },
        ),
        (
            "greeting_timeout",
            OutcomeText {
                headline: "The server does not say hello",
                explanation: "The connection to {server} on port {port} opened, but the mail \
                    server never sent its greeting. The server may be overloaded, the mail \
                    service may be stuck, or a device in between accepts connections without a \
                    mail server behind it. Mail programs call this \"server not responding\". \
                    If you chose STARTTLS on a port that expects SSL/TLS (usually 465), the \
                    server is waiting for encryption first: choose SSL/TLS.",
            },
        ),
        (
            "greeting_rejected",
            OutcomeText {
                headline: "The server turned the connection away",
                explanation: "{server} answered on port {port} but refused to serve: \"{reply}\". \
                    421 means busy or temporarily unavailable, often from overload: trying again \
                    later may work. 554 means it offers no service to this connection, sometimes \
                    because it blocks the network the connection comes from.",
            },
        ),
        (
            "closed_before_greeting",
            OutcomeText {
                headline: "The server hung up at once",
                explanation: "{server} accepted the connection on port {port} and closed it \
                    before greeting. The server may be overloaded and limiting connections, or \
                    it refuses connections from where sendcheck runs.",
            },
        ),
        (
            "closed_during_dialogue",
            OutcomeText {
                headline: "The server hung up in the middle",
                explanation: "{server} closed the connection in the middle of the conversation \
                    (step: {step}). The server may be overloaded or crashing, or a filter in \
                    between cuts the conversation.",
            },
        ),
        (
            "ehlo_rejected",
            OutcomeText {
                headline: "The server refused our introduction",
                explanation: "The server greeted, but refused both EHLO and HELO (how a sender \
                    introduces itself): \"{reply}\". It may be refusing connections from \
                    sendcheck's network, or its configuration is broken.",
            },
        ),
        (
            "connection_lost",
            OutcomeText {
                headline: "The connection broke",
                explanation: "The connection to {server} on port {port} broke in the middle of \
                    the conversation ({detail}). The server or the network in between dropped \
                    it. Try again; if it keeps happening, the server or its network is unstable.",
            },
        ),
        (
            "start_tls_not_offered",
            OutcomeText {
                headline: "The server does not offer encryption (STARTTLS)",
                explanation: "{server} answers on port {port} but does not offer STARTTLS. A mail \
                    program set to STARTTLS cannot connect securely, and without it a password \
                    would cross the network unencrypted. Ask the server's administrator to \
                    enable STARTTLS, or ask your provider whether port 465 (SSL/TLS) is available.",
            },
        ),
        (
            "start_tls_refused",
            OutcomeText {
                headline: "The server refused to switch to encryption",
                explanation: "{server} lists STARTTLS but refused it: \"{reply}\". Its encryption \
                    setup is probably broken (for example a missing or unreadable certificate); \
                    only the server's administrator can fix it.",
            },
        ),
        (
            "tls_handshake_failed",
            OutcomeText {
                headline: "Encryption could not be set up",
                explanation: "sendcheck and {server} could not agree on encryption on port {port} \
                    ({detail}). The server may only support old, insecure versions of TLS, or its \
                    encryption setup is broken. Mail programs show this as a security or \
                    connection error.",
            },
        ),
        (
            "plaintext_instead_of_tls",
            OutcomeText {
                headline: "This port does not use SSL/TLS",
                explanation: "sendcheck started with encryption (SSL/TLS) on port {port}, but the \
                    server answered unencrypted, as servers do on STARTTLS ports: \"{detail}\". \
                    In your mail program, set the security for this port to STARTTLS (or use \
                    port 465 for SSL/TLS).",
            },
        ),
        (
            "certificate_untrusted",
            OutcomeText {
                headline: "The server's certificate would not be trusted",
                explanation: "The conversation with {server} on port {port} worked, but its \
                    certificate (its proof of identity) does not check out, so mail programs \
                    warn or refuse to send. The problems are listed below. Only the server's \
                    administrator or hosting provider can fix this: send them this page.",
            },
        ),
        (
            "auth_not_offered",
            OutcomeText {
                headline: "The server does not offer login",
                explanation: "{server} does not offer AUTH on port {port}, the login mail \
                    programs use to send. This port probably only takes mail between servers. \
                    Ask your provider which port is for sending with a login (usually 587 or 465).",
            },
        ),
        (
            "auth_mechanism_unsupported",
            OutcomeText {
                headline: "The server's login methods are unusual",
                explanation: "{server} offers only these login methods: {detail}. sendcheck could \
                    not test a login with them. Most mail programs support them, so this alone \
                    is not necessarily the problem.",
            },
        ),
        (
            "auth_rejected",
            OutcomeText {
                headline: "The server refused the login",
                explanation: "The server works, but refused the login: \"{reply}\". What this \
                    answer means and what to try is explained under \"Login\" below.",
            },
        ),
        (
            "reply_timeout",
            OutcomeText {
                headline: "The server stopped answering",
                explanation: "The server greeted, but then did not answer in time (step: {step}). \
                    It may be overloaded or stuck, or a device in between holds back the \
                    traffic.",
            },
        ),
        (
            "reply_too_long",
            OutcomeText {
                headline: "The server's answer was far too long",
                explanation: "At the step \"{step}\" the server sent an answer much longer than \
                    any mail server would. Something other than a mail server may be listening \
                    on this port, or the server is broken.",
            },
        ),
        (
            "malformed_reply",
            OutcomeText {
                headline: "The server's answer is not mail",
                explanation: "What came back on port {port} is not in the form mail servers use \
                    ({detail}). Another kind of service may be listening on this port. This also \
                    happens when connecting with STARTTLS or without encryption to a port that \
                    expects SSL/TLS from the start.",
            },
        ),
        (
            "deadline_reached",
            OutcomeText {
                headline: "The server was too slow",
                explanation: "The server answered so slowly that the check stopped after {at} ms \
                    (step: {step}). Mail programs give up on a server this slow. It may be \
                    overloaded.",
            },
        ),
    ],
    outcome_unknown: OutcomeText {
        headline: "The check ended in a way this page cannot explain yet",
        explanation: "This page has no explanation for this result yet. The technical record \
            below shows what happened.",
    },
    outcome_completed_login: OutcomeText {
        headline: "The mail server works and your login was accepted",
        explanation: "sendcheck connected to {server} on port {port} from the internet, \
            encrypted the connection, checked the certificate and logged in with your user name \
            and password: everything a mail program needs worked. If yours still cannot send, \
            compare its settings with these ({host}, port {port}, {security}, the same user \
            name and password); otherwise your internet provider or security software may be \
            blocking the connection.",
    },
    target_label: "Checked",
    target_value: "{host}, port {port}, {security}",
    address_label: "Connected to",
    started_label: "Started",
    total_label: "Total time",
    greeting_heading: "Greeting from the server",
    greeting_hint: "The first thing a mail server says; 220 means \"ready\".",
    capabilities_heading: "What the server offers (EHLO)",
    capabilities_hint: "AUTH lists the ways to log in; STARTTLS means the connection can \
        switch to encryption.",
    capabilities_none: "The server only answered the older HELO, so it listed nothing.",
    capabilities_after_tls_heading: "What the server offers once encrypted",
    auth: AuthTexts {
        heading: "Login (AUTH)",
        hint: "How the server lets mail programs log in before they send.",
        offered_before_label: "Offered before encryption",
        offered_after_label: "Offered once encrypted",
        offered_none: "none",
        no_tls: "encryption never came up",
        cleartext_warning: OutcomeText {
            headline: "Passwords could cross the network unencrypted",
            explanation: "Before the connection is encrypted, the server already offers to log \
                in with {mechanisms}. These send the password merely encoded, not encrypted: a \
                mail program set to no encryption (or tricked into skipping STARTTLS) would send \
                it readable by anyone along the way. sendcheck itself never does. Make sure your \
                mail program uses STARTTLS or SSL/TLS, and ask the server's administrator to \
                offer login only after STARTTLS.",
        },
        only_inside_tls: "Login is offered only once the connection is encrypted. That is \
            correct: the password never crosses the network in the clear.",
        mechanism_label: "Method",
        reply_label: "The server's answer",
        verdicts: VerdictTexts {
            accepted: OutcomeText {
                headline: "The login worked",
                explanation: "The server accepted the user name and password ({code}). Use \
                    exactly these in your mail program's outgoing server (SMTP) settings.",
            },
            wrong_password: OutcomeText {
                headline: "Wrong user name or password",
                explanation: "The server says the user name or password is wrong ({code}). \
                    Check both where they are saved: in your mail program's outgoing server \
                    (SMTP) settings, which some programs keep apart from the incoming ones; the \
                    user name is often the whole mail address. If you send through Gmail's \
                    \"Send mail as\", they are in Gmail: Settings → Accounts (and Import) → Send \
                    mail as → edit info. A common cause: the mailbox password was changed (by you, or by \
                    your provider during maintenance) and the old one is still saved there.",
            },
            app_password: OutcomeText {
                headline: "The provider wants an app password or a stronger login",
                explanation: "The server did not accept this way of logging in ({code}): the \
                    provider wants a stronger method than the plain password. Providers with \
                    2-step verification (Gmail, Yahoo, iCloud and others) want an app password: \
                    create one in your account's security settings and use it in your mail \
                    program instead of your usual password.",
            },
            web_login_first: OutcomeText {
                headline: "Sign in on the provider's website first",
                explanation: "The provider holds back this login until you sign in on its \
                    website ({code}), usually after a sign-in it found unusual. Sign in to your \
                    webmail in a browser, confirm any security notice, then try again. If your \
                    account uses 2-step verification, create an app password and use that \
                    instead.",
            },
            encryption_required: OutcomeText {
                headline: "This login needs encryption",
                explanation: "The server accepts this login method only over an encrypted \
                    connection ({code}). Set your mail program's security to STARTTLS or \
                    SSL/TLS.",
            },
            try_later: OutcomeText {
                headline: "A temporary problem at the server",
                explanation: "The server could not check the login just now ({code}): a \
                    temporary problem on its side. Your password may well be right. Try again \
                    in a few minutes; if it lasts, tell your provider.",
            },
            starttls_first: OutcomeText {
                headline: "The server wants encryption or a login first",
                explanation: "The server answered {code}: it wants the connection encrypted \
                    (STARTTLS) first, or a login before this step. Set your mail program's \
                    security to STARTTLS or SSL/TLS, and turn on \"my outgoing server requires \
                    authentication\" (or similar).",
            },
            basic_auth_disabled: OutcomeText {
                headline: "Login with just a password is turned off",
                explanation: "The provider (this answer comes from Microsoft 365 and \
                    Outlook.com) has turned off logging in with only a user name and password, \
                    \"basic authentication\", for this account ({code}). The password may be \
                    right; it is just not accepted this way. Use a mail program that signs in \
                    with modern authentication (OAuth: it opens a Microsoft sign-in window), or \
                    ask whoever runs your organization's Microsoft 365 to turn on SMTP AUTH \
                    (\"Authenticated SMTP\") for this mailbox.",
            },
            other: OutcomeText {
                headline: "The server refused the login",
                explanation: "The server refused the login ({code}) in its own words: \
                    \"{text}\". This page has no explanation for this answer; the words \
                    usually say what is wrong, and your provider can tell you more.",
            },
        },
        skipped: SkippedTexts {
            no_credentials: "No login was tried: no user name and password were entered. They \
                are optional; fill them in above to test the login too.",
            cleartext_refused: "sendcheck did not send your password because this connection \
                is not encrypted: it would have crossed the network readable by anyone along the \
                way. Choose STARTTLS or SSL/TLS to test the login.",
            certificate_untrusted: "sendcheck did not send your password because the \
                certificate could not be verified — your mail program would refuse it too. Once \
                the certificate is fixed, the login can be tested.",
            not_offered: "No login was tried: the server does not offer login (AUTH) here.",
            no_supported_mechanism: "No login was tried: the server offers only login methods \
                sendcheck does not test (it uses PLAIN and LOGIN).",
            tried_on_another_port: "Not tried here: sendcheck tries your password only once \
                per check, on one port (the one that shows the login result), so the server is \
                not asked to judge it twice. Everything a login needs works on this port too: \
                the connection is encrypted, the certificate checks out, and the server offers a \
                login method sendcheck can use.",
            other: "No login was tried.",
        },
    },
    tls_heading: "Encryption (TLS)",
    tls_session_label: "Connection",
    tls_verified: "The certificate checks out: mail programs will trust this server.",
    tls_problems: "Why mail programs would not trust it:",
    certificate: CertificateTexts {
        expired: "The certificate expired on {date}.",
        not_yet_valid:
            "The certificate is only valid from {date} (or the server's clock is wrong).",
        name_mismatch:
            "The certificate is for {presented}, not for {expected}. A mail program set \
            to {expected} refuses it: use a name the certificate covers as the server name, or \
            have the certificate replaced.",
        unknown_issuer: "The certificate was issued by \"{issuer}\", which mail programs do not \
            trust.",
        self_signed: "The certificate is self-signed: nothing vouches for it, so mail programs \
            do not trust it.",
        incomplete_chain: "The server does not send the intermediate certificate (\"{issuer}\") \
            that links its own to a trusted authority. Browsers often fill this gap by \
            themselves; mail programs do not.",
        no_certificate: "The server sent no certificate.",
        other: "The certificate was refused: {detail}",
        unknown: "The certificate has another problem this page cannot describe yet.",
    },
    cert_subject_label: "Issued to",
    cert_issuer_label: "Issued by",
    cert_validity: "{from} to {until}",
    cert_validity_label: "Valid",
    cert_names_label: "Names it covers",
    cert_fingerprint_label: "SHA-256 fingerprint",
    steps_heading: "Steps and timings",
    steps: &[
        ("resolve", "Name lookup (DNS)"),
        ("connect", "Connect"),
        ("greeting", "Wait for greeting"),
        ("ehlo", "EHLO (introduction)"),
        ("helo", "HELO (older introduction)"),
        ("start_tls", "STARTTLS (switch to encryption)"),
        ("tls_handshake", "TLS handshake (encryption)"),
        ("ehlo_after_tls", "EHLO again, encrypted"),
        ("auth", "Login (AUTH)"),
        ("quit", "QUIT (goodbye)"),
        ("unknown", "Another step"),
    ],
    step_ok: "OK",
    step_failed: "Failed",
    duration: "{ms} ms",
    round_trip_one: "1 round trip",
    round_trips: "{n} round trips",
    transcript_summary: "Show the whole conversation ({count} lines)",
    transcript_legend:
        "→ sent by sendcheck, ← sent by the server, · a note by sendcheck; times in ms from \
        the start.",
    transcript_client: "→",
    transcript_server: "←",
    transcript_note: "·",
    transcript_empty: "Nothing was exchanged.",
    progress_texts: check::PROGRESS,
    findings: check::FINDINGS,
    questions: check::QUESTIONS,
    local: check::LOCAL,
    network: check::NETWORK,
    dns: check::DNS,
};
