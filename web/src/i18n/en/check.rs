//! English words of the whole check: progress, verdict, questions, local check, network, DNS.

use crate::i18n::{DnsTexts, FindingTexts, LocalTexts, NetworkTexts, ProgressTexts, QuestionTexts};

pub(in crate::i18n) const PROGRESS: ProgressTexts = ProgressTexts {
    heading: "Checking {host} on every mail port",
    deadline: "Done within {seconds} seconds at the latest.",
    remaining: "{seconds} s left",
    overdue: "Finishing…",
    live: "{done} of {total} ports checked",
    waiting: "Connecting…",
    running: "Done so far: {step}",
    not_tested: "Not tested from here",
    summary_heading: "Every port at a glance",
    col_port: "Port",
    col_security: "Security",
    col_result: "Result",
    col_time: "Time",
    details_heading: "Port {port} ({security}) in detail",
    not_tested_headline: "Port {port} could not be tested from sendcheck's servers",
    not_tested_explanation: "sendcheck runs in a cloud that does not open outgoing \
        connections to port 25, so this says nothing about your server. The other ports show \
        whether the server is up; the check from your own computer shows whether your \
        network lets port 25 through.",
    ports_note: "Besides the port you entered, sendcheck always tries the usual ones (587 with \
        STARTTLS, 465 with SSL/TLS, 25), so a blocked port can be told from a server problem.",
    repeat: "Checking again (run {run} of {runs}): the server answered late or broke off, and a \
        fault that comes and goes only shows when the same check is repeated.",
};

pub(in crate::i18n) const FINDINGS: FindingTexts = FindingTexts {
    heading: "What is most likely wrong",
    waiting: "What is most likely wrong, and what to do about it, appears here when the check \
        ends.",
    preparing: "Preparing the explanation…",
    load_failed: "The explanation could not be loaded ({detail}). The results of each port are \
        below; try again, or reload the page.",
    retry: "Try again",
    nothing_found: "sendcheck found nothing specific. The results of each port are below.",
    others_heading: "Other possibilities",
    confidence_label: "How sure:",
    confidence_high: "very likely",
    confidence_medium: "likely",
    confidence_low: "possible",
    evidence_for: "Why sendcheck thinks so",
    evidence_against: "What speaks against it",
    fixes_heading: "What to do",
    audience_server_admin: "Note for your server's administrator",
    audience_provider: "For your mail provider or hosting company",
    audience_network: "For your internet provider or network administrator",
    settings_caption: "Settings for your mail program's outgoing server (SMTP)",
    settings_host: "Server",
    settings_port: "Port",
    settings_security: "Security",
    settings_auth: "Authentication",
    settings_auth_on: "On: the mailbox's user name and password",
    settings_auth_off: "Off",
    use_settings: "Check with these settings",
    steps_heading: "Where to change it",
    decoded_heading: "Your error message",
    decoded_none: "sendcheck does not recognise a code or phrase in this text. It is still kept \
        with your answers.",
    decoded_candidates: "Causes that produce it, most likely first:",
    decoded_truncated: "The text is long: only its beginning was read.",
    decoded_waiting: "Reading the error message…",
    source_outside: "sendcheck's check of port {port}, step \"{step}\", {time}",
    source_runs: "sendcheck's checks of port {port}: {ok} worked, {failed} failed",
    source_not_tested: "sendcheck's check of port {port} (not testable from its servers)",
    source_network: "your network as sendcheck sees it: {network}",
    source_local: "your computer's check of port {port} ({tool})",
    source_said: "your answer: {question}",
    source_error: "your error message: {code}",
    source_knowledge: "sendcheck's data: {reference}",
    source_other: "another observation",
    answer_fields: &[
        ("receiving_works", "does receiving work?"),
        ("web_works", "do web pages open?"),
        ("other_servers_work", "do other mail servers work?"),
        ("client", "your mail program"),
        ("configured", "your outgoing server settings"),
        ("error_text", "the error message"),
        ("email_domain", "your e-mail address"),
        ("security_software", "your security software"),
        ("recent_changes", "what changed recently"),
        ("since", "since when sending fails"),
    ],
    answer_field_other: "one of your answers",
};

pub(in crate::i18n) const QUESTIONS: QuestionTexts = QuestionTexts {
    heading: "Tell sendcheck more (optional)",
    intro: "Each answer sharpens the verdict, which updates as you answer. The answers stay in \
        this page; only the domain of your address is looked up (see \"What your domain \
        publishes\").",
    receiving: "Does receiving mail work?",
    web: "Do web pages open normally?",
    other_servers: "Does sending through another mail server work from the same network \
        (for example your provider's webmail)?",
    logs_in: "Does your mail program log in to send? (\"My outgoing server (SMTP) requires \
        authentication\" is on)",
    unknown: "Don't know",
    yes: "Yes",
    no: "No",
    client: "Your mail program",
    client_unknown: "Don't know / not listed",
    clients: &[
        ("outlook", "Outlook (Windows)"),
        ("outlook_express", "Windows Live Mail / Outlook Express"),
        ("thunderbird", "Thunderbird"),
        ("apple_mail", "Mail on a Mac"),
        ("ios", "Mail on iPhone / iPad"),
        ("android", "Android (Gmail app or other)"),
        ("gmail_send_as", "Gmail \"Send mail as\" another address"),
        ("becky", "Becky! Internet Mail"),
        ("other", "Another program"),
    ],
    since: "Since when does sending fail?",
    since_options: &[
        ("today", "Since today"),
        ("this_week", "Since a few days ago"),
        ("longer", "For longer (it used to work)"),
        ("never_worked", "It has never worked with these settings"),
    ],
    changes_legend: "What changed recently?",
    changes: &[
        ("password_changed", "The password was changed"),
        (
            "network_equipment",
            "A modem or router was replaced or reset",
        ),
        (
            "os_reinstalled",
            "The computer was set up again or replaced",
        ),
        (
            "security_software",
            "Security software was installed or updated",
        ),
        (
            "mail_client_changed",
            "The mail program was changed or updated",
        ),
        ("provider_notice", "The provider sent a notice"),
    ],
    error_text: "The exact error message",
    error_hint: "Copy it from the error window or the bounce message. sendcheck reads codes \
        such as 0x800CCC0F, 10060 or 535 5.7.8 as you type.",
    recognised: "sendcheck recognises:",
};

pub(in crate::i18n) const LOCAL: LocalTexts = LocalTexts {
    heading: "Check from your own computer",
    intro: "A web page cannot open mail ports (25, 465, 587): browsers forbid it. Whether your \
        network lets them through can only be seen from your computer. Copy these commands \
        into a terminal on the computer that cannot send, then paste what it printed below. \
        They only connect and look at the certificate; they never send mail.",
    os_label: "Your computer's system",
    os_windows: "Windows (PowerShell)",
    os_macos: "macOS (Terminal)",
    os_linux: "Linux (terminal)",
    os_guess_none: "This browser does not say which system it runs on (a phone or tablet has \
        no terminal): run the commands on the computer that cannot send, and choose its \
        system here.",
    open_windows: "Open PowerShell: right-click the Start button → Terminal (or Windows \
        PowerShell). Paste with a right-click, then press Enter.",
    open_macos: "Open Terminal: Finder → Applications → Utilities → Terminal. Paste with \
        ⌘V, then press Return.",
    open_linux: "Open a terminal (often Ctrl+Alt+T), paste with Ctrl+Shift+V, press Enter.",
    need_host: "Enter your outgoing mail server above: the commands are written for it.",
    command_label: "Commands to run",
    copy: "Copy the commands",
    copied: "Copied.",
    copy_failed: "Could not copy: select the text and copy it yourself.",
    output_label: "What the terminal printed",
    output_hint: "Paste everything, from the first line to the last; the rest of your screen \
        does not disturb.",
    read: "Read the result",
    results_heading: "What your computer saw",
    result_line: "Port {port}: {result}",
    results: &[
        ("connected", "connects"),
        ("refused", "refused"),
        (
            "timed_out",
            "no answer (timed out): something drops the connection",
        ),
        ("failed", "failed"),
        ("tls_ok", "encrypted; certificate issued by {issuer}"),
        ("tls_failed", "connects, but encryption fails: {detail}"),
        (
            "tls_no_answer",
            "connects, then says nothing within the time limit",
        ),
        (
            "tls_certificate_invalid",
            "encrypted, but your own tool finds the certificate (issued by {issuer}) invalid: {detail}",
        ),
        ("dns_failed", "the name does not resolve on your computer"),
        ("unknown", "a result this page cannot read"),
    ],
    tool: "({tool})",
    error_empty: "Paste what the terminal printed first.",
    error_too_long: "This is longer than anything the commands print (over {limit} bytes): \
        paste only their output.",
    error_nothing_recognised: "Nothing in this text comes from the commands above. Run them \
        and paste everything they printed, from the first line to the last.",
};

pub(in crate::i18n) const NETWORK: NetworkTexts = NetworkTexts {
    heading: "Your network",
    loading: "Looking up your network…",
    asn_label: "Network (AS)",
    org_label: "Operated by",
    country_label: "Country",
    address_label: "Your address",
    rtt_label: "Round trip to sendcheck",
    unknown_local: "Unknown: sendcheck is running locally, so it cannot see which network you \
        connect from.",
    unknown: "Unknown: sendcheck could not see which network you connect from.",
    failed: "Your network could not be looked up ({detail}).",
    reach_heading: "What your browser reaches",
    reach_intro: "Your browser connects to the mail server's address on the web ports. A quick \
        answer, or a quick refusal, means your network lets connections to that address \
        through; no answer means something on the way drops them. This says nothing about \
        ports 25, 465 and 587, which browsers never open: \"Check from your own \
        computer\" does.",
    reach_not_started: "Runs with the check.",
    reach_waiting: "Waiting for the server's address from the check…",
    reach_unresolved: "Not tried: the server's name did not resolve, so there is no address to \
        reach.",
    reach_target: "Address: {address}",
    reach_port: "Port {port} ({scheme})",
    reach_pending: "Trying…",
    reach_answered: "Reached: an answer or a refusal after {ms} ms. Nothing on the way drops \
        it.",
    reach_no_answer: "No answer within {seconds} s: something on the way drops the \
        connection, or nothing is at that address.",
    reach_blocked: "Not tried: this page is loaded over HTTPS, and the browser refuses plain \
        HTTP from it. This says nothing about your network.",
    reach_skipped: "Not tried: your mail program does not use port 2525.",
    reach_unknown: "A result this page cannot read.",
};

pub(in crate::i18n) const DNS: DnsTexts = DnsTexts {
    heading: "What your domain publishes",
    intro: "sendcheck asks the DNS and the domain's automatic configuration which servers mail \
        programs should send through.",
    loading: "Looking up {domain}…",
    failed: "The domain could not be looked up ({detail}).",
    domain: "Domain: {domain}",
    mx_label: "Receives mail at (MX)",
    submission_label: "Submission with STARTTLS (SRV _submission)",
    submissions_label: "Submission with SSL/TLS (SRV _submissions)",
    autoconfig_label: "Automatic configuration",
    provider_label: "Known provider",
    not_available: "published as not available",
    candidates_heading: "Servers to send through",
    candidates_none: "Nothing found to suggest: ask your provider for the outgoing server.",
    use_candidate: "Use these settings",
    guess: "a guess: nobody published it",
    sources: &[
        ("srv", "DNS SRV record"),
        ("autoconfig", "automatic configuration"),
        ("provider", "sendcheck's list of providers"),
        ("mx_guess", "guessed from the MX"),
        ("domain_guess", "guessed from the domain"),
        ("unknown", "another source"),
    ],
    outcomes: &[
        ("found", "found"),
        ("not_available", "published as not available"),
        ("no_records", "none"),
        ("no_such_name", "the domain does not exist"),
        ("resolver_error", "the DNS did not answer properly"),
        ("unreadable", "unreadable answer"),
        ("too_large", "too large"),
        ("timed_out", "no answer in time"),
        ("fetch_failed", "could not be fetched"),
        ("not_asked", "not asked"),
        ("unknown", "unknown"),
    ],
};
