//! Many executions of one prepared statement, pipelined: every
//! parameter set's Bind/Execute sent in one flush and answered in order,
//! so that N executions cost one round trip per `BATCH_SETS` sets instead
//! of N. What each set does is exactly what `exec_prepared` one set at a
//! time does: outside a transaction block each set has its own Sync, and
//! commits or fails on its own; inside one, the sets of a round trip share
//! one Sync (the server answers them in one go instead of flushing after
//! each), and a failing set aborts the transaction as usual: the server
//! skips the sets after it, which fail with 25P02.

use super::stmt::{count_mismatch, Statement};
use super::{Session, LSN_QUERY};
use crate::counters::Counter;
use crate::error::{Error, Result};
use crate::result::{ResultSet, Server};
use crate::route::{self, Action, Target};
use crate::wire::{Bound, Req, StmtRef, Values};

/// Parameter sets sent before their answers are read. Each answer is a
/// few dozen bytes (more for rows), which the socket buffers hold while
/// the sets are still being written, so the server never waits on a
/// client that is not reading.
pub const BATCH_SETS: usize = 256;

impl Session {
    /// Run `stmt` once per parameter set of `sets` (each as
    /// `exec_prepared` takes it; `formats` applies to every set), routed
    /// once as the statement's text. One result per set, in order. When
    /// the routing rules would do more than run it on the primary (a read
    /// balanced to the standby, a transaction statement…), the sets run
    /// one at a time through `exec_prepared` instead. The outer error is
    /// for a batch that could not be sent at all (a parameter count that
    /// does not match: nothing is sent).
    pub fn exec_prepared_batch(
        &mut self,
        stmt: &Statement,
        sets: &[Values<'_>],
        formats: &[i16],
    ) -> Result<Vec<Result<ResultSet>>> {
        if !stmt.belongs_to(self) {
            return Err(Error::invalid_argument(
                "the statement was prepared on another connection",
            ));
        }
        let wanted = stmt.desc.param_types.len();
        if let Some(v) = sets.iter().find(|v| v.len() != wanted) {
            return Err(count_mismatch(v.len(), wanted));
        }
        let mut out = Vec::with_capacity(sets.len());
        for chunk in sets.chunks(BATCH_SETS) {
            self.batch_chunk(stmt, chunk, formats, &mut out);
        }
        Ok(out)
    }

    fn batch_chunk(
        &mut self,
        stmt: &Statement,
        sets: &[Values<'_>],
        formats: &[i16],
        out: &mut Vec<Result<ResultSet>>,
    ) {
        let one_by_one = |s: &mut Session, out: &mut Vec<Result<ResultSet>>| {
            for v in sets {
                out.push(s.exec_prepared(stmt, *v, formats));
            }
        };
        if sets.len() < 2 || self.copy.is_some() {
            return one_by_one(self, out);
        }
        self.close_freed();
        let sql = stmt.sql.as_str();
        let facts = stmt.facts(self.lex_options());
        self.before_statement(&facts);
        let routed = self.route_to_run(sql, &facts);
        let d = routed.decision;
        let usable = self.primary.as_ref().is_some_and(|p| p.usable());
        if d.action != Action::Run || d.target != Target::Primary || !usable {
            return one_by_one(self, out);
        }
        self.pinned |= d.pin;
        let may_write = self.note_routed(&routed, sql, &facts);
        let lsn_after = route::lsn_after_statement(!may_write, self.txn.is_some(), d.target);
        let bound: Vec<Bound<'_>> = sets
            .iter()
            .map(|v| Bound {
                sql,
                types: &stmt.desc.param_types,
                values: *v,
                formats,
                stmt: StmtRef::Prepared(stmt.id),
            })
            .collect();
        let reqs: Vec<Req<'_>> = bound.iter().map(Req::Bound).collect();
        let join = self.txn.is_some();
        // Inside a transaction block the sets can share one Sync: the
        // server answers them in one go, and after a failure skips the
        // rest, as the aborted block would refuse them one by one.
        let grouped = join && !lsn_after;
        let ran = match self.phys(d.target) {
            Ok(p) if grouped => p.run_group(&bound, Server::Primary),
            Ok(p) => p.run_batch(&reqs, lsn_after.then_some(LSN_QUERY), join, Server::Primary),
            Err(e) => Err(e),
        };
        let mut rans = match ran {
            Ok(r) => r,
            Err(e) => {
                if self.primary.as_ref().is_none_or(|p| p.conn.is_broken()) {
                    self.drop_server(Target::Primary);
                }
                out.extend(sets.iter().map(|_| Err(e.clone())));
                return;
            }
        };
        let lsn = rans.last_mut().and_then(|r| r.extra.take());
        let mut any_ok = false;
        for r in rans {
            let res = self.settle(d.target, r);
            if res.is_ok() {
                any_ok = true;
                self.count(Counter::Primary);
            }
            out.push(res);
        }
        if any_ok {
            // Read after every set: at or past each commit.
            if lsn_after {
                match lsn.as_deref().and_then(crate::balance::parse_lsn) {
                    Some(l) if self.txn.is_none() => self.record_floor(l),
                    Some(_) => {}
                    None => self.learn_floor(None),
                }
            }
            self.note_effects(&facts);
        }
    }
}
