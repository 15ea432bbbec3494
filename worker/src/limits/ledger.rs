//! The ledger of one mail server: a SQLite-backed Durable Object named by the server's host
//! name, so its login budgets hold worldwide (the Rate Limiting binding counts per location),
//! and it keeps the server's last report without credentials for the short shared cache.
//!
//! ```text
//!  worker ─POST {"op":"login",…}────▶ TargetLedger(host) ─ logins table ─▶ budget::judge
//!         ─POST {"op":"recall",…}───▶                     ─ shared table: report < max age
//!         ─POST {"op":"remember",…}─▶                     ─ shared table: replace
//! ```
//! A Durable Object runs one request at a time and these requests never await between the
//! read and the write, so two checks cannot both take the last login test.

use serde::{Deserialize, Serialize};
use worker::{
    durable_object, DurableObject, Env, Method, Request, RequestInit, Response, Result, SqlStorage,
    State,
};

use super::budget::{judge, LoginAsk, LoginRow};

/// The binding's name in wrangler.toml.
pub const BINDING: &str = "TARGET_LEDGER";
/// Shared reports older than this are deleted when a new one is stored.
const KEEP_SHARED_MS: u64 = 3_600_000;

/// What the worker asks the ledger.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum LedgerAsk {
    /// Take one login test from the budgets, or say how long to wait.
    Login(LoginAsk),
    /// The report stored under `key` if it is younger than `max_age_ms`.
    Recall {
        key: String,
        now_ms: u64,
        max_age_ms: u64,
    },
    /// Store `report` (JSON) under `key`.
    Remember {
        key: String,
        now_ms: u64,
        report: String,
    },
}

/// The ledger's answer to `Login`.
#[derive(Debug, Serialize, Deserialize)]
pub struct LoginAnswer {
    pub admitted: bool,
    #[serde(default)]
    pub retry_after_s: u32,
}

/// The ledger's answer to `Recall`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Recalled {
    pub report: Option<String>,
}

/// Sends `ask` to the ledger of `host` and reads its JSON answer.
pub async fn ask<T: for<'de> Deserialize<'de>>(
    env: &Env,
    host: &str,
    ask: &LedgerAsk,
) -> Result<T> {
    let stub = env
        .durable_object(BINDING)?
        .id_from_name(host)?
        .get_stub()?;
    let body = serde_json::to_string(ask)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_body(Some(wasm_bindgen::JsValue::from_str(&body)));
    // The URL is not used for routing: the object is already chosen by name.
    let request = Request::new_with_init("https://ledger.invalid/", &init)?;
    let mut response = stub.fetch_with_request(request).await?;
    if response.status_code() != 200 {
        return Err(worker::Error::RustError(format!(
            "target ledger answered HTTP {}",
            response.status_code()
        )));
    }
    response.json::<T>().await
}

#[durable_object]
pub struct TargetLedger {
    state: State,
}

impl DurableObject for TargetLedger {
    fn new(state: State, _env: Env) -> Self {
        let sql = state.storage().sql();
        // Failing here would fail every request to this object, which then names the error.
        let _created = sql
            .exec(
                "CREATE TABLE IF NOT EXISTS logins (at_ms INTEGER NOT NULL, user TEXT NOT NULL, \
                 client TEXT NOT NULL)",
                None,
            )
            .and_then(|_| {
                sql.exec(
                    "CREATE TABLE IF NOT EXISTS shared (key TEXT PRIMARY KEY, \
                     at_ms INTEGER NOT NULL, report TEXT NOT NULL)",
                    None,
                )
            });
        Self { state }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let ask: LedgerAsk = match req.json().await {
            Ok(ask) => ask,
            Err(e) => return Response::error(format!("not a ledger request: {e}"), 400),
        };
        let sql = self.state.storage().sql();
        match ask {
            LedgerAsk::Login(ask) => Response::from_json(&take_login(&sql, &ask)?),
            LedgerAsk::Recall {
                key,
                now_ms,
                max_age_ms,
            } => Response::from_json(&recall(&sql, &key, now_ms, max_age_ms)?),
            LedgerAsk::Remember {
                key,
                now_ms,
                report,
            } => {
                sql.exec(
                    "DELETE FROM shared WHERE at_ms < ?",
                    vec![as_sql(now_ms.saturating_sub(KEEP_SHARED_MS)).into()],
                )?;
                sql.exec(
                    "INSERT OR REPLACE INTO shared (key, at_ms, report) VALUES (?, ?, ?)",
                    vec![key.into(), as_sql(now_ms).into(), report.into()],
                )?;
                Response::from_json(&Recalled { report: None })
            }
        }
    }
}

fn take_login(sql: &SqlStorage, ask: &LoginAsk) -> Result<LoginAnswer> {
    let since = ask.now_ms.saturating_sub(ask.budget.window_ms);
    sql.exec(
        "DELETE FROM logins WHERE at_ms <= ?",
        vec![as_sql(since).into()],
    )?;
    let rows: Vec<LoginRow> = sql
        .exec("SELECT at_ms, user, client FROM logins", None)?
        .to_array()?;
    match judge(&rows, ask) {
        Ok(()) => {
            sql.exec(
                "INSERT INTO logins (at_ms, user, client) VALUES (?, ?, ?)",
                vec![
                    as_sql(ask.now_ms).into(),
                    ask.user.clone().into(),
                    ask.client.clone().into(),
                ],
            )?;
            Ok(LoginAnswer {
                admitted: true,
                retry_after_s: 0,
            })
        }
        Err(retry_after_s) => Ok(LoginAnswer {
            admitted: false,
            retry_after_s,
        }),
    }
}

fn recall(sql: &SqlStorage, key: &str, now_ms: u64, max_age_ms: u64) -> Result<Recalled> {
    #[derive(Deserialize)]
    struct Row {
        report: String,
    }
    let since = now_ms.saturating_sub(max_age_ms);
    let rows: Vec<Row> = sql
        .exec(
            "SELECT report FROM shared WHERE key = ? AND at_ms > ?",
            vec![key.into(), as_sql(since).into()],
        )?
        .to_array()?;
    Ok(Recalled {
        report: rows.into_iter().next().map(|r| r.report),
    })
}

/// Milliseconds since 1970 fit a JavaScript number exactly until the year 287396.
fn as_sql(ms: u64) -> i64 {
    i64::try_from(ms).unwrap_or(i64::MAX)
}
