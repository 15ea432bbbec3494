//! The login budgets of one mail server, judged from the login tests it already had in the
//! window. Pure: the ledger (a Durable Object) loads the rows and records the new one.
//!
//! Three budgets, all of one window: per (client, user name) — one person retrying a typo;
//! per user name — a password guesser rotating through addresses; per server — a sprayer
//! rotating through user names. Only admitted tests are recorded, so a flood of refused
//! requests cannot keep the window closed for ever.

use serde::{Deserialize, Serialize};

/// The numbers, from `[vars]` (see `LimitSettings`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginBudget {
    pub window_ms: u64,
    pub per_client_user: u32,
    pub per_user: u32,
    pub per_target: u32,
}

/// One admitted login test of this server, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRow {
    pub at_ms: u64,
    pub user: String,
    pub client: String,
}

/// The login test asked for: who, for which user (both already hashed), when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginAsk {
    pub user: String,
    pub client: String,
    pub now_ms: u64,
    pub budget: LoginBudget,
}

/// `Ok` admits (the caller records the row); `Err` carries the seconds until the budget
/// that refused has room again.
pub fn judge(rows: &[LoginRow], ask: &LoginAsk) -> Result<(), u32> {
    let since = ask.now_ms.saturating_sub(ask.budget.window_ms);
    let recent = rows.iter().filter(|r| r.at_ms > since);
    let same_user = |r: &&LoginRow| r.user == ask.user;
    let same_client_user = |r: &&LoginRow| r.user == ask.user && r.client == ask.client;
    let budgets: [(u32, Vec<u64>); 3] = [
        (
            ask.budget.per_client_user,
            recent
                .clone()
                .filter(same_client_user)
                .map(|r| r.at_ms)
                .collect(),
        ),
        (
            ask.budget.per_user,
            recent.clone().filter(same_user).map(|r| r.at_ms).collect(),
        ),
        (ask.budget.per_target, recent.map(|r| r.at_ms).collect()),
    ];
    let wait_ms = budgets
        .into_iter()
        .filter_map(|(allowed, mut times)| {
            let used = times.len();
            let allowed = allowed as usize;
            if used < allowed {
                return None;
            }
            // Room comes back when the oldest test that keeps the count at the limit leaves.
            times.sort_unstable();
            let freeing = times.get(used - allowed).copied().unwrap_or(ask.now_ms);
            Some((freeing + ask.budget.window_ms).saturating_sub(ask.now_ms))
        })
        .max();
    match wait_ms {
        None => Ok(()),
        Some(ms) => Err(u32::try_from(ms.div_ceil(1000).max(1)).unwrap_or(u32::MAX)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUDGET: LoginBudget = LoginBudget {
        window_ms: 600_000,
        per_client_user: 3,
        per_user: 5,
        per_target: 8,
    };

    fn row(at_ms: u64, user: &str, client: &str) -> LoginRow {
        LoginRow {
            at_ms,
            user: user.into(),
            client: client.into(),
        }
    }

    fn ask(now_ms: u64, user: &str, client: &str) -> LoginAsk {
        LoginAsk {
            user: user.into(),
            client: client.into(),
            now_ms,
            budget: BUDGET,
        }
    }

    #[test]
    fn a_person_retrying_gets_three_tests_then_waits_for_the_oldest_to_leave() {
        let rows = [row(1_000, "u", "a"), row(2_000, "u", "a")];
        assert_eq!(judge(&rows, &ask(3_000, "u", "a")), Ok(()));
        let rows = [
            row(1_000, "u", "a"),
            row(2_000, "u", "a"),
            row(3_000, "u", "a"),
        ];
        // The first test leaves the window at 601 s; asked at 4 s: 597 s to wait.
        assert_eq!(judge(&rows, &ask(4_000, "u", "a")), Err(597));
        // Another user from the same client is not held back by it.
        assert_eq!(judge(&rows, &ask(4_000, "v", "a")), Ok(()));
        // Once the oldest has left the window there is room again.
        assert_eq!(judge(&rows, &ask(601_001, "u", "a")), Ok(()));
    }

    #[test]
    fn a_guesser_rotating_clients_meets_the_per_user_budget() {
        let rows: Vec<_> = (0..5)
            .map(|i| row(1_000 + i, "u", &format!("c{i}")))
            .collect();
        assert!(judge(&rows, &ask(10_000, "u", "new-client")).is_err());
        assert_eq!(judge(&rows, &ask(10_000, "v", "new-client")), Ok(()));
    }

    #[test]
    fn a_sprayer_rotating_users_meets_the_per_server_budget() {
        let rows: Vec<_> = (0..8)
            .map(|i| row(1_000 + i, &format!("u{i}"), &format!("c{i}")))
            .collect();
        assert!(judge(&rows, &ask(10_000, "fresh-user", "fresh-client")).is_err());
    }

    #[test]
    fn the_longest_wait_of_the_budgets_that_refuse_is_told() {
        let mut rows: Vec<_> = (0..3).map(|i| row(100_000 + i, "u", "a")).collect();
        rows.extend((0..5).map(|i| row(1_000 + i, &format!("o{i}"), "z")));
        // per-server (8 used) frees at 601 s, per client+user at 700 s: the later one counts.
        assert_eq!(judge(&rows, &ask(200_000, "u", "a")), Err(500));
    }
}
