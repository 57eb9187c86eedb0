//! Asking `route`: the routing input from the session's state, the answers
//! to the questions `route::decide` asks (catalog facts, waiting for the
//! standby under CONSISTENCY=WAIT), and `explain`, which asks the same way
//! but never waits and always looks at the catalog when it matters.

use super::{Phys, Route, Session};
use crate::attr::Access;
use crate::classify::{self, Cursor, CursorOp, Facts, Kind};
use crate::route::{self, Action, CatalogFacts, Class, CursorUse, Decision, Input, Step, Target};
use std::time::{Duration, Instant};

/// A decision with the input it was made on and the name of the function
/// or relation behind a catalog rule (for the reason sentence).
pub(super) struct Routed {
    pub(super) decision: Decision,
    pub(super) input: Input,
    pub(super) detail: String,
}

impl Session {
    /// Routing input for `facts`, as if the statement were about to run
    /// (the transaction it would join or open is taken into account).
    fn input(&self, sql: &str, facts: &Facts, explain: bool) -> Input {
        let read_only = facts.read_only;
        let opens_txn = self.txn.is_none() && route::opens_txn(self.attrs.autocommit, facts);
        let joins_txn = self.txn.is_some() || opens_txn;
        let class = Class::of(facts);
        let cursor = self.cursor_use(sql, facts);
        let follows = matches!(class, Class::TxnState { .. }) || cursor != CursorUse::None;
        let writes_in_txn =
            joins_txn && !read_only && !follows && facts.kind != Kind::SetTransaction;
        let usable = |p: &Option<Phys>| p.as_ref().is_some_and(|p| !p.conn.is_broken());
        let in_txn_on = |p: &Option<Phys>| p.as_ref().is_some_and(|p| p.in_txn);
        // The standby connection, or the standby to open one to (not into
        // a transaction whose state a new connection would lack).
        let standby_stats = self.standby_stats();
        let standby_usable = match &self.standby {
            Some(_) => usable(&self.standby),
            None => standby_stats.is_some() && self.txn.as_ref().is_none_or(|t| !t.followed),
        } && standby_stats.is_some_and(|s| s.healthy());
        let a = &self.attrs;
        Input {
            class,
            access: a.preferred_access,
            primary_usable: usable(&self.primary),
            standby_usable,
            primary_open: self.primary.is_some(),
            standby_open: self.standby.is_some(),
            pinned: self.pinned != 0,
            // A standby connection opened later gets every setting.
            standby_stale: self.standby_stale && self.standby.is_some(),
            cursor,
            txn_mode_after_standby_query: facts.kind == Kind::SetTransaction
                && self.txn.as_ref().is_some_and(|t| {
                    // READ WRITE is refused after a query only when the
                    // transaction is read-only (the standby always is).
                    let too_late = facts.isolation.is_some()
                        || (facts.read_only_txn == Some(false) && t.read_only);
                    too_late && t.queried == [false, true]
                }),
            in_txn: self.txn.is_some(),
            txn_on: [in_txn_on(&self.primary), in_txn_on(&self.standby)],
            txn_on_primary: self.txn.as_ref().is_some_and(|t| t.on_primary) || writes_in_txn,
            txn_failed_on: self.txn.as_ref().and_then(|t| t.failed),
            txn_lost: self.txn.as_ref().is_some_and(|t| t.lost),
            isolation: match (&self.txn, facts.kind, facts.isolation) {
                (Some(_), Kind::SetTransaction, Some(i)) => i,
                (Some(t), _, _) => t.isolation,
                (None, _, _) => self.default_isolation,
            },
            autocommit: a.autocommit,
            read_only,
            node_identity: facts.node_identity,
            cursor_list: facts.cursor_list,
            cursors_on_standby: self.pinned & classify::PIN_HOLD_CURSOR == 0
                && self.txn.as_ref().is_some_and(|t| {
                    !t.on_primary
                        && !t.cursors.is_empty()
                        && t.cursors.iter().all(|(_, at)| *at == Target::Standby)
                }),
            txn_time: facts.txn_time && joins_txn,
            txn_control: facts.txn_control,
            catalog: if self.catalog.is_some() {
                CatalogFacts::Unchecked
            } else {
                CatalogFacts::Checked(None)
            },
            catalog_always: explain,
            hint: facts.hint,
            floor: self.effective_floor(),
            process_floor: a.consistency_scope == crate::attr::Scope::Process,
            standby_replay: standby_stats.map_or(0, |s| s.replay_lsn()),
            max_standby_lag_ms: a.max_standby_lag_ms,
            standby_lag_ms: if a.max_standby_lag_ms == 0 {
                None
            } else {
                standby_stats.and_then(|s| s.lag_ms())
            },
            consistency: a.consistency,
            may_wait: !explain,
            consistency_wait_ms: a.consistency_wait_ms,
            primary_share: a.primary_share,
            balanced: self.balanced,
            primary_load: self
                .primary
                .as_ref()
                .map(|p| p.stats.load())
                .unwrap_or_default(),
            standby_load: standby_stats.map(|s| s.load()).unwrap_or_default(),
            last: self.last_balanced,
            weights: self.weights(),
        }
    }

    /// What `sql` does with a cursor of the open transaction (only looked
    /// at for a lone statement that may be one, in a transaction).
    fn cursor_use(&self, sql: &str, facts: &Facts) -> CursorUse {
        let Some(t) = &self.txn else {
            return CursorUse::None;
        };
        let may_be_one = facts.cursor || !t.cursors.is_empty();
        if facts.statements != 1 || facts.kind != Kind::Write || !may_be_one {
            return CursorUse::None;
        }
        match classify::cursor(sql) {
            Some(Cursor {
                op:
                    CursorOp::Declare {
                        read_only: true,
                        hold: false,
                    },
                ..
            }) if self.attrs.preferred_access == Access::ReadMostly => CursorUse::DeclareRead,
            Some(Cursor {
                op: CursorOp::CloseAll,
                ..
            }) if t.cursors.iter().any(|(_, at)| *at == Target::Standby) => CursorUse::CloseAll,
            Some(Cursor {
                op: CursorOp::Fetch | CursorOp::Close,
                name,
            }) => t
                .cursors
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(CursorUse::None, |(_, at)| CursorUse::Declared(*at)),
            _ => CursorUse::None,
        }
    }

    /// Ask `route::decide` until it decides, answering its questions.
    pub(super) fn route(&self, sql: &str, facts: &Facts, explain: bool) -> Routed {
        let mut input = self.input(sql, facts, explain);
        let mut detail = String::new();
        loop {
            match route::decide(&input) {
                Step::Go(decision) => {
                    if !explain && input.max_standby_lag_ms != 0 {
                        self.note_lag_state(&input);
                    }
                    return Routed {
                        decision,
                        input,
                        detail,
                    };
                }
                Step::CheckCatalog => {
                    let blocked = self
                        .catalog
                        .as_ref()
                        .and_then(|c| c.blocker(sql, facts, self.lex_options()));
                    if let Some((_, what)) = &blocked {
                        detail.clone_from(what);
                    }
                    input.catalog = CatalogFacts::Checked(blocked.map(|(b, _)| b));
                }
                Step::WaitForReplay(ms) => {
                    input.may_wait = false;
                    if let Some(st) = self.standby_stats() {
                        let deadline = Instant::now() + Duration::from_millis(u64::from(ms));
                        st.wait_replayed(self.effective_floor(), deadline);
                        input.standby_replay = st.replay_lsn();
                    }
                }
            }
        }
    }

    /// Log (debug) when MAX_STANDBY_LAG_MS leaves the standby out of
    /// balanced reads, and when it takes it back.
    fn note_lag_state(&self, i: &Input) {
        use std::sync::atomic::Ordering::Relaxed;
        let out = i.standby_usable && !i.standby_within_lag();
        if self.lag_out.swap(out, Relaxed) != out {
            let lag = i
                .standby_lag_ms
                .map_or("unknown".to_string(), |l| format!("at most {} ms", l));
            if out {
                log::debug!(
                    "standby out of balanced reads: replay lag {} exceeds MAX_STANDBY_LAG_MS={}",
                    lag,
                    i.max_standby_lag_ms
                );
            } else {
                log::debug!(
                    "standby back in balanced reads: replay lag {} within MAX_STANDBY_LAG_MS={}",
                    lag,
                    i.max_standby_lag_ms
                );
            }
        }
    }

    /// `route`, for a statement about to run: when it goes to a standby the
    /// session has no connection to yet, or is a setting mirrored on every
    /// server, open one (routing again, to the primary or another standby,
    /// when that fails). Inside a transaction
    /// that ran state both of its parts must have (a savepoint, SET LOCAL,
    /// SET TRANSACTION), none is opened and the read runs on the primary.
    pub(super) fn route_to_run(&mut self, sql: &str, facts: &Facts) -> Routed {
        let routed = self.route(sql, facts, false);
        let d = routed.decision;
        let runs_there = matches!(
            d.action,
            Action::Run | Action::RunThenSettings | Action::Cursor | Action::Ask
        ) && d.target == Target::Standby;
        // A setting mirrored on every server opens the standby too, so
        // that it runs there now, as with the connection open.
        let mirrored = d.action == Action::Everywhere && routed.input.standby_usable;
        // Not into a transaction whose state a new connection would lack.
        let may_open = self.txn.as_ref().is_none_or(|t| !t.followed);
        if (runs_there || mirrored) && self.standby.is_none() && may_open {
            self.open_standby();
            return self.route(sql, facts, false);
        }
        routed
    }

    /// Where `sql` would run now and why. Runs nothing and changes no
    /// session state (it may look up a function's volatility in the
    /// catalog, which is cached for the process).
    pub fn explain(&self, sql: &str) -> Route {
        let facts = classify::classify_with(sql, self.lex_options());
        let r = self.route(sql, &facts, true);
        Route {
            server: r.decision.servers(&r.input),
            eligible: r.decision.eligible(&r.input),
            reason: r.decision.reason(&r.input, &r.detail),
        }
    }
}
