//! Running one statement where `route` decided, bringing the session's
//! state in line with what the server reported, and doing what
//! `route::recover` says when it failed (the safety net, a read re-run
//! after a lost connection).

use super::phys::{Ran, Savepoint};
use super::routing::Routed;
use super::{Session, Txn, LSN_QUERY};
use crate::attr::OnError;
use crate::balance::parse_lsn;
use crate::classify::{self, Facts, Kind};
use crate::counters::Counter;
use crate::error::{Error, Result, Status};
use crate::result::{ResultSet, Server};
use crate::route::{self, Blocked, CatalogFacts, Failure, Recovery, Rule, Target};
use crate::wire::{Req, TxStatus};

impl Session {
    /// Account for a statement about to run where `route` decided: the
    /// balance counts, the transaction it opens or joins (and what it may
    /// write there), the floor counter, the debug log. Returns whether it
    /// may write (a write, or a call of a function that may be VOLATILE on
    /// the primary): its floor is then read after it.
    pub(super) fn note_routed(&mut self, routed: &Routed, sql: &str, facts: &Facts) -> bool {
        let d = routed.decision;
        if d.balanced() {
            self.balanced.0 += 1;
            self.balanced.1 += u64::from(d.target == Target::Primary);
            self.last_balanced = Some(d.target);
        }
        self.implicit_txn(facts);
        let may_write = !facts.read_only
            || (facts.calls
                && d.target == Target::Primary
                && self.calls_may_write(routed, sql, facts));
        if let Some(t) = self.txn.as_mut() {
            t.note_statement(facts);
            t.wrote |= may_write;
            t.on_primary |= d.may_have_written();
        }
        if d.rule == Rule::LsnFloor {
            self.count(Counter::FloorKept);
        }
        if log::log_enabled!(log::Level::Debug) {
            log::debug!(
                "[{}] → {:?}: {}",
                classify::redact_with(sql, 120, self.lex_options()),
                d.target,
                d.reason(&routed.input, &routed.detail)
            );
        }
        may_write
    }

    /// Run a statement on the server `route` chose.
    pub(super) fn statement(
        &mut self,
        routed: &Routed,
        req: Req<'_>,
        sql: &str,
        facts: &Facts,
    ) -> Result<ResultSet> {
        let d = routed.decision;
        let may_write = self.note_routed(routed, sql, facts);
        // Nothing is pipelined after a COPY, which may switch the connection
        // to COPY mode; its floor is read once it is done.
        let lsn_after = route::lsn_after_statement(!may_write, self.txn.is_some(), d.target);
        let extra = (lsn_after && !facts.copy).then_some(LSN_QUERY);
        let mut ran = self.run_statement_on(d.target, req, extra, facts)?;
        if lsn_after && facts.copy && ran.res.is_ok() {
            if let Some(p) = self.slot(d.target).as_mut() {
                ran.extra = p.conn.query_value(LSN_QUERY).ok().flatten();
            }
        }
        if lsn_after && ran.res.is_ok() && ran.extra.is_none() {
            self.learn_floor(None);
        }
        let began_here = ran.began;
        if let Some(t) = self.txn.as_mut() {
            if facts.kind != Kind::SetTransaction {
                t.queried[d.target as usize] = true;
            }
        }
        match self.settle(d.target, ran) {
            Err(e) => self.recover(d.target, e, began_here, req, sql, facts),
            ok => ok,
        }
    }

    /// Whether the functions a read calls may write (a VOLATILE overload,
    /// or one that could not be checked): then the LSN floor must cover
    /// the read as a write. The catalog's answer is reused when routing
    /// asked it already, and cached per name otherwise.
    pub(super) fn calls_may_write(&self, routed: &Routed, sql: &str, facts: &Facts) -> bool {
        let writes = |b: Blocked| !matches!(b, Blocked::Unlogged | Blocked::Sequence);
        match routed.input.catalog {
            CatalogFacts::Checked(b) => b.is_some_and(writes),
            CatalogFacts::Unchecked => self
                .catalog
                .as_ref()
                .and_then(|c| c.blocker(sql, facts, self.lex_options()))
                .is_some_and(|(b, _)| writes(b)),
        }
    }

    /// Send `req` to `target` (joining the logical transaction there when
    /// one is open) and read every answer.
    pub(super) fn run_on(
        &mut self,
        target: Target,
        req: Req<'_>,
        extra: Option<&str>,
    ) -> Result<Ran> {
        let join = self.txn.is_some();
        self.phys(target)?.run(req, extra, join, target.server())
    }

    /// `run_on` for an application's statement: with ON_ERROR=
    /// ROLLBACK_STATEMENT, inside a transaction, a savepoint goes with it
    /// in the same round trip (not with a COPY, whose data follows it).
    fn run_statement_on(
        &mut self,
        target: Target,
        req: Req<'_>,
        extra: Option<&str>,
        facts: &Facts,
    ) -> Result<Ran> {
        let guard =
            self.attrs.on_error == OnError::RollbackStatement && self.txn.is_some() && !facts.copy;
        let join = self.txn.is_some();
        let ran = self
            .phys(target)?
            .run_guarded(req, extra, join, guard, target.server())?;
        if guard && (facts.statements > 1 || facts.txn_control) {
            // Savepoints of the application's may now lie above it.
            self.bury_savepoints();
        }
        Ok(ran)
    }

    /// The application set, released or rolled back to a savepoint of its
    /// own: the statement savepoint is no longer the newest (or is gone),
    /// so the next one nests instead of releasing it.
    pub(super) fn bury_savepoints(&mut self) {
        for target in [Target::Primary, Target::Standby] {
            if let Some(p) = self.slot(target).as_mut() {
                if p.savepoint == Savepoint::Top {
                    p.savepoint = Savepoint::Buried;
                }
            }
        }
    }

    /// Bring the session's state in line with what the server reported.
    pub(super) fn settle(&mut self, target: Target, ran: Ran) -> Result<ResultSet> {
        let broken = self
            .slot(target)
            .as_ref()
            .is_none_or(|p| p.conn.is_broken());
        if broken {
            self.drop_server(target);
        }
        if ran.res.is_ok() && ran.tx_after == TxStatus::Idle {
            if let Some(lsn) = ran.extra.as_deref().and_then(parse_lsn) {
                self.record_floor(lsn);
            }
        }
        match (self.txn.as_mut(), ran.tx_after) {
            (Some(t), TxStatus::Failed | TxStatus::InBlock) => t.note_status(target, ran.tx_after),
            (Some(t), TxStatus::Idle) if !broken => {
                // The statement itself ended the transaction on this server
                // (a COMMIT inside a multi-statement text, PREPARE TRANSACTION).
                let wrote = t.on_primary || t.wrote;
                if let Some(p) = self.slot(target).as_mut() {
                    p.in_txn = false;
                }
                self.finish_txn(target, wrote);
            }
            (None, TxStatus::InBlock | TxStatus::Failed) => {
                // A transaction was opened by text pgtc did not see as BEGIN.
                let mut t = Txn::new(self.default_isolation, false);
                t.on_primary = target == Target::Primary;
                t.note_status(target, ran.tx_after);
                self.txn = Some(t);
                if let Some(p) = self.slot(target).as_mut() {
                    p.in_txn = true;
                }
            }
            _ => {}
        }
        ran.res.map(|_| ran.out)
    }

    /// A statement failed on `target`: do what `route::recover` says.
    fn recover(
        &mut self,
        target: Target,
        e: Error,
        began_here: bool,
        req: Req<'_>,
        sql: &str,
        facts: &Facts,
    ) -> Result<ResultSet> {
        // A read the primary dropped, in a session without a standby
        // connection: open one to re-run it there.
        let orphan = target == Target::Primary
            && self.primary.is_none()
            && self.standby.is_none()
            && facts.read_only
            && self.txn.is_none();
        if orphan {
            self.choose_standby();
            self.open_standby();
        }
        let f = Failure {
            read_only: facts.read_only,
            in_txn: self.txn.is_some(),
            txn_lost: self.txn.as_ref().is_some_and(|t| t.lost),
            began_here,
            standby_usable: self.standby.as_ref().is_some_and(|p| p.usable()),
            ..Failure::of(&e, target)
        };
        match route::recover(&f) {
            Recovery::Report => Err(e),
            Recovery::Switched => Err(Error::with_sqlstate(
                Status::ConnectionSwitched,
                format!(
                    "{}; the transaction was rolled back: run ROLLBACK and retry it",
                    e.message
                ),
                "08006",
            )),
            Recovery::Lost => Err(Error::with_sqlstate(
                Status::ConnectionLost,
                if facts.read_only {
                    e.message
                } else {
                    format!("{}; the statement may or may not have run", e.message)
                },
                "08006",
            )),
            Recovery::RerunOnStandby => {
                log::warn!("re-running a read on the standby: {}", e);
                let ran = self.run_statement_on(Target::Standby, req, None, facts)?;
                self.settle(Target::Standby, ran)
            }
            Recovery::RerunOnPrimary { rollback_standby } => {
                if f.lost {
                    self.drop_server(Target::Standby);
                }
                if let Some(t) = self.txn.as_mut() {
                    t.failed = None;
                    t.on_primary = true;
                }
                if rollback_standby {
                    if let Some(p) = self.standby.as_mut() {
                        p.roll_back();
                    }
                }
                self.count(Counter::Misroutes);
                if !f.lost {
                    if let Some(c) = &self.catalog {
                        c.note_refused(sql);
                    }
                }
                log::warn!(
                    "re-running on the primary a statement the standby could not run: {}",
                    e
                );
                // A statement a standby refused may have written: the LSN
                // floor covers it (read after it outside a transaction, at
                // the COMMIT inside one).
                let in_txn = self.txn.is_some();
                if let Some(t) = self.txn.as_mut() {
                    t.wrote = true;
                }
                let extra = (!in_txn).then_some(LSN_QUERY);
                let ran = self.run_statement_on(Target::Primary, req, extra, facts)?;
                if !in_txn && ran.res.is_ok() && ran.extra.is_none() {
                    self.learn_floor(None);
                }
                self.settle(Target::Primary, ran)
            }
        }
    }

    /// Several statements with settings that ran: if on the primary, run
    /// the settings on the standby too; a setting the standby refuses pins
    /// the session to the primary.
    pub(super) fn statement_with_settings(
        &mut self,
        routed: &Routed,
        req: Req<'_>,
        sql: &str,
        facts: &Facts,
    ) -> Result<ResultSet> {
        let r = self.statement(routed, req, sql, facts)?;
        if r.server == Some(Server::Primary) {
            self.settings_on_standby(sql);
        }
        Ok(r)
    }
}
