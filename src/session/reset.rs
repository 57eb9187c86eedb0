//! Making a session fresh again for its next user (a pool's release): its
//! transaction rolled back on every server it touched, and — only when
//! something since the last reset may have changed session state — every
//! server it touched reset with `DISCARD ALL` (settings, SQL and protocol
//! prepared statements, temporary tables, `LISTEN`, advisory locks,
//! `WITH HOLD` cursors), pipelined with what pgtc sets again for its
//! attributes. A clean session costs no round trip. Also the health check
//! a pool makes before it hands a session out, without a request.

use super::connect::parse_isolation;
use super::Session;
use crate::attr::Attributes;
use crate::classify::{Facts, Kind};
use crate::conninfo::Isolation;
use crate::error::{Error, Result, Status};
use crate::result::ResultSet;
use crate::route::Target;
use crate::wire::{Req, TxStatus};
use std::time::Duration;

const SHOW_ISOLATION: &str = "SHOW default_transaction_isolation";

/// Whether a statement text is known to leave the server session as it
/// found it once its transaction has ended: transaction control, and reads
/// that call no function pgtc does not know (no `set_config`, no advisory
/// lock, no cursor kept past the transaction…). Everything else — SET,
/// PREPARE, LISTEN, CREATE TEMP, DECLARE … WITH HOLD, LOAD, DML (whose
/// triggers or functions may set anything), DDL, calls of unknown
/// functions, several statements with any of these — counts as changing it.
pub(super) fn free_of_session_effects(f: &Facts) -> bool {
    let plain = !f.session_state && !f.pins_session && !f.locking && !f.calls;
    match f.kind {
        Kind::Empty
        | Kind::Begin
        | Kind::Commit
        | Kind::Rollback
        | Kind::Savepoint
        | Kind::RollbackTo
        | Kind::Release
        | Kind::SetLocal
        | Kind::SetTransaction => plain,
        Kind::Read => plain,
        Kind::Multi => plain && f.read_only,
        Kind::Write | Kind::SetSession | Kind::TwoPhase => false,
    }
}

impl Session {
    /// Whether a reset of this session would cost round trips: it is in a
    /// transaction, something since the last reset may have changed session
    /// state, statements were prepared, or an attribute that pgtc applies
    /// on the servers differs from `attrs`.
    pub(crate) fn needs_reset(&self, attrs: &Attributes) -> bool {
        self.txn.is_some()
            || self.dirty
            || self.stmts.prepared_since_renew()
            || self.pinned != 0
            || self.standby_stale
            || self.attrs.txn_isolation != attrs.txn_isolation
            || self.attrs.read_only != attrs.read_only
    }

    /// Make the session as fresh as one just opened with attributes
    /// `attrs`: roll back its transaction; when `needs_reset`, `DISCARD ALL`
    /// on every server it touched since the last reset, in one round trip
    /// each (both at once), with the isolation level and READ ONLY pgtc
    /// applies for `attrs`; forget what the servers forgot (the statement
    /// cache, statements of `prepare`, which see their session gone, pins,
    /// queued notifications); attributes and notice handler back to
    /// `attrs` and none. Returns whether anything was sent. An error
    /// leaves the session in no known state: close it.
    pub(crate) fn reset(&mut self, attrs: &Attributes) -> Result<bool> {
        if self.copy.is_some() {
            return Err(Error::new(
                Status::InvalidState,
                "a COPY is in progress; the connection cannot be reset",
            ));
        }
        self.close_freed();
        self.close_all_streams();
        let rolled_back = self.txn.is_some();
        if rolled_back {
            self.exec("ROLLBACK", None)?;
        }
        for p in [&self.primary, &self.standby].into_iter().flatten() {
            if p.conn.tx_status() != TxStatus::Idle || p.in_txn {
                return Err(Error::new(
                    Status::InvalidState,
                    format!("{} is still in a transaction after ROLLBACK", p.conn.addr()),
                ));
            }
        }
        let discard = self.needs_reset(attrs);
        if discard {
            self.discard_all(attrs)?;
        }
        self.stmts.renew();
        // What the standby ran until now left no state (or was discarded).
        self.standby_mark = self.standby_now();
        self.notice = None;
        let interval = self.attrs.monitor_interval_ms;
        self.attrs = *attrs;
        if interval != attrs.monitor_interval_ms {
            if let Some(m) = &self.monitor {
                m.set_interval(Duration::from_millis(u64::from(attrs.monitor_interval_ms)));
            }
        }
        self.limit_stmt_cache(attrs.statement_cache);
        self.attach_notice_handler();
        Ok(rolled_back || discard)
    }

    /// `DISCARD ALL` and pgtc's characteristics on the primary and on the
    /// standby if it was touched since the last reset: sent to both, then
    /// both answers read.
    fn discard_all(&mut self, attrs: &Attributes) -> Result<()> {
        let mut modes = Vec::new();
        if attrs.txn_isolation != Isolation::ReadCommitted {
            modes.push(format!("ISOLATION LEVEL {}", attrs.txn_isolation.sql()));
        }
        if attrs.read_only {
            modes.push("READ ONLY".to_string());
        }
        let characteristics = (!modes.is_empty()).then(|| {
            format!(
                "SET SESSION CHARACTERISTICS AS TRANSACTION {}",
                modes.join(", ")
            )
        });
        let standby_touched = self.standby.is_some() && self.standby_now() != self.standby_mark;
        let mut targets = vec![Target::Primary];
        if standby_touched {
            targets.push(Target::Standby);
        }
        let mut sent = Vec::new();
        for t in targets {
            let Some(p) = self.slot(t).as_mut() else {
                continue;
            };
            let c = &mut p.conn;
            c.send(Req::Simple("DISCARD ALL"))?;
            if let Some(x) = &characteristics {
                c.send(Req::Simple(x))?;
            }
            if t == Target::Primary {
                c.send(Req::Simple(SHOW_ISOLATION))?;
            }
            c.flush()?;
            sent.push(t);
        }
        for t in sent {
            let p = self.slot(t).as_mut().expect("sent to it above");
            let c = &mut p.conn;
            let mut r = ResultSet::default();
            c.recv(&mut r)?;
            if characteristics.is_some() {
                c.recv(&mut r)?;
            }
            if t == Target::Primary {
                let mut iso = ResultSet::default();
                c.recv(&mut iso)?;
                if let Some(v) = iso.value(0, 0) {
                    self.default_isolation = parse_isolation(v);
                }
            }
        }
        // What the servers forgot (the statement caches forgot theirs on
        // DISCARD ALL's command tag).
        self.pinned = 0;
        self.standby_stale = false;
        self.saved_settings = None;
        self.saved_dirty = false;
        self.dirty = false;
        if let Some(p) = self.primary.as_mut() {
            while p.conn.queued_notifications() > 0 {
                let _ = p.conn.notification(Some(Duration::ZERO));
            }
        }
        Ok(())
    }

    /// The standby connection as `standby_mark` records it.
    pub(super) fn standby_now(&self) -> (i32, u64) {
        self.standby
            .as_ref()
            .map_or((0, 0), |p| (p.conn.backend_pid(), p.conn.round_trips()))
    }

    /// Whether a pool may hand this idle session out, known without a
    /// request: what each server sent unasked is taken in (a backend that
    /// was terminated has said so), a broken standby connection is dropped
    /// (the session reaches it again itself), and the primary connection
    /// must be usable (open, not broken, not reported down by the monitor).
    pub(crate) fn idle_check(&mut self) -> bool {
        if let Some(p) = self.standby.as_mut() {
            if !p.conn.poll_idle() {
                self.drop_server(Target::Standby);
            }
        }
        match self.primary.as_mut() {
            Some(p) => p.conn.poll_idle() && p.usable(),
            None => false,
        }
    }

    /// A server the session lost may be reached again (the standby's
    /// connection broke or was never made): `reconnect_lost` would try.
    pub(crate) fn has_lost_server(&self) -> bool {
        !self.lost.is_empty()
    }

    /// Try to reach the servers the session lost again, outside a
    /// transaction, as the session does itself before its next statement
    /// (so that an idle pooled session does it in the background instead).
    pub(crate) fn reconnect_lost(&mut self) {
        if self.txn.is_none() {
            self.maybe_reconnect();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::free_of_session_effects;
    use crate::classify::classify;

    #[test]
    fn only_statements_known_to_leave_no_session_state_are_clean() {
        for sql in [
            "SELECT 1",
            "SELECT * FROM t WHERE id = $1",
            "BEGIN",
            "COMMIT",
            "ROLLBACK",
            "SAVEPOINT a",
            "SET LOCAL work_mem = '1MB'",
            "SELECT 1; SELECT 2",
            "",
        ] {
            assert!(free_of_session_effects(&classify(sql)), "{:?} dirty", sql);
        }
        for sql in [
            "SET work_mem = '1MB'",
            "RESET ALL",
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
            "PREPARE p AS SELECT 1",
            "LISTEN ch",
            "CREATE TEMP TABLE x(i int)",
            "LOAD 'auto_explain'",
            "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
            "SELECT set_config('a.b', 'c', false)",
            "SELECT pg_advisory_lock(1)",
            "SELECT pg_try_advisory_lock(1)",
            "SELECT dblink_connect('x')",
            "SELECT my_function()",
            "INSERT INTO t VALUES (1)",
            "SELECT 1; SET work_mem = '1MB'",
            "DO $$ BEGIN PERFORM 1; END $$",
            "CALL p()",
            "DISCARD ALL",
        ] {
            assert!(!free_of_session_effects(&classify(sql)), "{:?} clean", sql);
        }
    }
}
