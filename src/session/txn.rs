//! Transactions that span two servers: the logical transaction's state,
//! BEGIN on the primary at once (the standby joins lazily, see
//! `Phys::send`), and COMMIT/ROLLBACK on every server the transaction
//! touched, pipelined over both, with the LSN read after a writing commit.

use super::phys::Sent;
use super::{Session, LSN_QUERY};
use crate::classify::{self, CursorOp, Facts, Kind};
use crate::conninfo::Isolation;
use crate::error::{Error, Result, Status};
use crate::result::{ResultSet, Server};
use crate::route::{self, Target};
use crate::wire::{Req, TxStatus};

/// The logical transaction.
#[derive(Debug, Clone)]
pub(super) struct Txn {
    pub(super) isolation: Isolation,
    /// Rule 3: wrote, locked, cursor, savepoint or SET LOCAL.
    pub(super) on_primary: bool,
    /// A statement ran on the primary that may have written through a
    /// function it called: the COMMIT's LSN is read as after a write.
    pub(super) wrote: bool,
    pub(super) failed: Option<Target>,
    /// Started by AUTOCOMMIT=OFF rather than by BEGIN.
    pub(super) implicit: bool,
    /// The connection to the primary broke inside this transaction: it is
    /// gone, and COMMIT must fail.
    pub(super) lost: bool,
    /// A query of it ran on the primary / on the standby (after which its
    /// isolation level can no longer be set there).
    pub(super) queried: [bool; 2],
    /// Cursors declared in it, and where.
    pub(super) cursors: Vec<(String, Target)>,
    /// Its access mode on the primary is READ ONLY (as it began, or as
    /// `SET TRANSACTION` made it).
    pub(super) read_only: bool,
    /// Transaction state that follows it (SAVEPOINT, SET LOCAL, …) ran in
    /// both parts: a standby connection opened now would lack it.
    pub(super) followed: bool,
    /// DDL ran in it: when it ends, committed or not, the statements other
    /// connections prepared meanwhile (against the schema as it was
    /// before) are prepared again at their next use.
    pub(super) ran_ddl: bool,
}

impl Drop for Txn {
    fn drop(&mut self) {
        if self.ran_ddl {
            crate::wire::schema_changed();
        }
    }
}

impl Txn {
    pub(super) fn new(isolation: Isolation, implicit: bool) -> Txn {
        Txn {
            isolation,
            on_primary: false,
            wrote: false,
            failed: None,
            implicit,
            lost: false,
            queried: [false, false],
            cursors: Vec::new(),
            read_only: false,
            followed: false,
            ran_ddl: false,
        }
    }

    /// What a statement that is about to run in it changes: `SET
    /// TRANSACTION` its isolation, anything not read-only rule 3.
    pub(super) fn note_statement(&mut self, facts: &Facts) {
        if facts.kind == Kind::SetTransaction {
            if let Some(i) = facts.isolation {
                self.isolation = i;
            }
            if let Some(ro) = facts.read_only_txn {
                self.read_only = ro;
            }
        } else if !facts.read_only {
            self.on_primary = true;
        }
    }

    /// A server reported the transaction's status after a statement.
    pub(super) fn note_status(&mut self, target: Target, tx: TxStatus) {
        match tx {
            TxStatus::Failed => self.failed = Some(target),
            // ROLLBACK TO SAVEPOINT recovered it.
            TxStatus::InBlock if self.failed == Some(target) => self.failed = None,
            _ => {}
        }
    }
}

/// The tag of a transaction end that sent nothing.
fn answered(tag: &str) -> ResultSet {
    let mut r = ResultSet::with_tag(tag);
    r.server = Some(Server::None);
    r
}

pub(super) fn txn_lost() -> Error {
    Error::with_sqlstate(
        Status::ConnectionSwitched,
        "the connection to the primary was lost during this transaction, which was rolled back; run ROLLBACK and retry the transaction",
        "08006",
    )
}

impl Session {
    /// Transaction control that neither begins nor ends the logical
    /// transaction (a BEGIN inside one, a COMMIT outside one): the server's
    /// answer, warning or error, is the answer.
    pub(super) fn ask(&mut self, target: Target, req: Req<'_>) -> Result<ResultSet> {
        let ran = self.run_on(target, req, None)?;
        self.settle(target, ran)
    }

    /// Transaction state a standby accepts too (`SAVEPOINT`, `SET LOCAL`,
    /// `LOCK … IN ACCESS SHARE MODE`, …): on the transaction's part on the
    /// primary, then on its part on the standby, which joins for it. When
    /// the standby's part cannot follow, it is rolled back and the rest of
    /// the transaction runs on the primary; the primary's answer is the
    /// answer.
    pub(super) fn in_both_parts(&mut self, req: Req<'_>) -> Result<ResultSet> {
        if let Some(t) = self.txn.as_mut() {
            t.followed = true;
        }
        if self.standby.is_none() {
            // No standby connection: the transaction's reads stay on the
            // primary (none is opened into it now), which alone needs it.
            let ran = self.run_on(Target::Primary, req, None)?;
            return self.settle(Target::Primary, ran);
        }
        // Sent to both before either answer is read: one round trip.
        let sent_p = self.phys(Target::Primary)?.send(req, None, true)?;
        let sent_s = self
            .phys(Target::Standby)
            .and_then(|p| p.send(req, None, true));
        let ran = self.phys(Target::Primary)?.receive(sent_p, Server::Primary);
        let primary = self.settle(Target::Primary, ran);
        let standby = match sent_s {
            Ok(s) => match self.phys(Target::Standby) {
                Ok(p) => {
                    let ran = p.receive(s, Server::Secondary);
                    self.settle(Target::Standby, ran)
                }
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        };
        let mut out = primary?;
        match standby {
            Ok(_) => out.set_server(Server::Both),
            Err(e) => {
                log::warn!(
                    "the standby's part of the transaction could not follow ({}); the transaction continues on the primary",
                    e
                );
                if let Some(p) = self.standby.as_mut() {
                    p.roll_back();
                }
                if let Some(t) = self.txn.as_mut() {
                    t.on_primary = true;
                    if t.failed == Some(Target::Standby) {
                        t.failed = None;
                    }
                }
            }
        }
        Ok(out)
    }

    /// A cursor statement where `route` said: the cursor's server. A
    /// declared cursor is remembered there, a closed one forgotten; the
    /// transaction does not move.
    pub(super) fn cursor_statement(
        &mut self,
        target: Target,
        req: Req<'_>,
        sql: &str,
    ) -> Result<ResultSet> {
        let ran = self.run_on(target, req, None)?;
        let out = self.settle(target, ran)?;
        if let (Some(c), Some(t)) = (classify::cursor(sql), self.txn.as_mut()) {
            match c.op {
                CursorOp::Declare { .. } => t.cursors.push((c.name, target)),
                CursorOp::Close => t.cursors.retain(|(n, _)| *n != c.name),
                CursorOp::CloseAll => t.cursors.clear(),
                CursorOp::Fetch => {}
            }
        }
        Ok(out)
    }

    /// BEGIN inside a transaction with no server to ask: PostgreSQL warns
    /// and does nothing.
    pub(super) fn begin_nested(&mut self) -> ResultSet {
        log::warn!("there is already a transaction in progress");
        ResultSet::with_tag("BEGIN")
    }

    /// The access mode the primary begins transactions with.
    pub(super) fn default_read_only(&self) -> bool {
        self.primary
            .as_ref()
            .is_some_and(|p| p.conn.default_transaction_read_only())
    }

    /// BEGIN with no primary to run it on yet: the transaction begins on
    /// the standby with its first statement.
    pub(super) fn begin_deferred(&mut self, facts: &Facts) -> ResultSet {
        self.txn = Some(Txn::new(
            facts.isolation.unwrap_or(self.default_isolation),
            false,
        ));
        answered("BEGIN")
    }

    /// BEGIN on the primary at once, so that errors in its text show here.
    pub(super) fn begin(&mut self, req: Req<'_>, facts: &Facts) -> Result<ResultSet> {
        let ran = self.run_on(Target::Primary, req, None)?;
        if ran.res.is_ok() && ran.tx_after != TxStatus::Idle {
            let mut t = Txn::new(facts.isolation.unwrap_or(self.default_isolation), false);
            t.read_only = facts
                .read_only_txn
                .unwrap_or_else(|| self.default_read_only());
            self.txn = Some(t);
            if let Some(p) = self.primary.as_mut() {
                p.in_txn = true;
            }
        }
        if self.primary.as_ref().is_some_and(|p| p.conn.is_broken()) {
            self.drop_server(Target::Primary);
        }
        ran.res.map(|_| ran.out)
    }

    /// COMMIT or ROLLBACK without a transaction: PostgreSQL warns and does nothing.
    pub(super) fn end_answered(&mut self, facts: &Facts) -> ResultSet {
        answered(if facts.kind == Kind::Commit {
            "COMMIT"
        } else {
            "ROLLBACK"
        })
    }

    /// COMMIT or ROLLBACK on every server the transaction touched: sent to
    /// each first, then each answer read. A server whose part failed is
    /// rolled back even under COMMIT; the LSN after a writing COMMIT rides
    /// in the primary's round trip.
    pub(super) fn end_txn(&mut self, req: Req<'_>, facts: &Facts) -> Result<ResultSet> {
        let Some(t) = self.txn.take() else {
            return Ok(self.end_answered(facts));
        };
        let commit = facts.kind == Kind::Commit;
        if t.lost {
            self.roll_back_everywhere();
            return if commit {
                Err(txn_lost())
            } else {
                Ok(answered("ROLLBACK"))
            };
        }
        let want_lsn = route::lsn_after_commit(commit, t.on_primary || t.wrote, t.failed);
        let mut sent: [Option<Result<Sent>>; 2] = [None, None];
        for (i, target) in [Target::Primary, Target::Standby].into_iter().enumerate() {
            let Some(p) = self.slot(target).as_mut().filter(|p| p.in_txn) else {
                continue;
            };
            let this = if route::rollback_instead(facts.kind, t.failed, target) {
                Req::Simple("ROLLBACK")
            } else {
                req
            };
            let extra = (want_lsn && target == Target::Primary).then_some(LSN_QUERY);
            sent[i] = Some(p.send(this, extra, false));
        }
        let mut results: [Option<Result<ResultSet>>; 2] = [None, None];
        for (i, target) in [Target::Primary, Target::Standby].into_iter().enumerate() {
            let Some(s) = sent[i].take() else { continue };
            let s = match s {
                Ok(s) => s,
                Err(e) => {
                    results[i] = Some(Err(e));
                    continue;
                }
            };
            let Some(p) = self.slot(target).as_mut() else {
                continue;
            };
            let ran = p.receive(s, target.server());
            p.in_txn = ran.tx_after != TxStatus::Idle;
            if ran.res.is_ok() && ran.tx_after == TxStatus::Idle && want_lsn && i == 0 {
                self.learn_floor(ran.extra.as_deref());
            }
            results[i] = Some(ran.res.map(|_| ran.out));
        }
        for target in [Target::Primary, Target::Standby] {
            if self
                .slot(target)
                .as_ref()
                .is_some_and(|p| p.conn.is_broken())
            {
                self.drop_server(target);
            }
        }
        if facts.chain {
            // COMMIT/ROLLBACK AND CHAIN: a new transaction with the same modes.
            let mut next = Txn::new(t.isolation, t.implicit);
            next.read_only = t.read_only;
            self.txn = Some(next);
        }
        let [rp, rs] = results;
        let both = rp.is_some() && rs.is_some();
        let chosen = match (rp, rs) {
            (Some(p), Some(s)) => {
                if let Err(e) = &s {
                    log::warn!("ending the standby's part of the transaction failed: {}", e);
                }
                p
            }
            (Some(p), None) => p,
            (None, Some(s)) => s,
            (None, None) => Ok(answered(if commit { "COMMIT" } else { "ROLLBACK" })),
        };
        let chosen = match chosen {
            // The primary went away under COMMIT: nobody can say whether it
            // committed. Under ROLLBACK: the server rolls back anyway.
            Err(e) if e.status == Status::ConnectionLost && commit => Err(Error::with_sqlstate(
                Status::ConnectionSwitched,
                format!(
                    "{}; the connection broke while COMMIT was in flight, so the transaction may or may not have committed",
                    e.message
                ),
                "08007",
            )),
            Err(e) if e.status == Status::ConnectionLost => Ok(answered("ROLLBACK")),
            other => other,
        };
        chosen.map(|mut r| {
            if both {
                r.set_server(Server::Both);
            }
            r
        })
    }

    /// The logical transaction ended on `ended` (by a statement that ended
    /// it there): end it on the other server too, and learn the floor if it
    /// wrote.
    pub(super) fn finish_txn(&mut self, ended: Target, wrote: bool) {
        self.txn = None;
        if let Some(p) = self.slot(ended.other()).as_mut() {
            p.roll_back();
        }
        if wrote {
            let lsn = self
                .primary
                .as_mut()
                .and_then(|p| p.conn.query_value(LSN_QUERY).ok().flatten());
            self.learn_floor(lsn.as_deref());
        }
    }

    /// Roll back the transaction's part on every server.
    pub(super) fn roll_back_everywhere(&mut self) {
        for target in [Target::Primary, Target::Standby] {
            if let Some(p) = self.slot(target).as_mut() {
                p.roll_back();
            }
        }
    }
}
