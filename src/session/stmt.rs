//! Prepared statements of a session, and statements with typed or binary
//! parameters. A `Statement` is described once (on the primary, or the
//! standby when there is no primary) and then routed at every execution
//! exactly as its text would be; each physical connection prepares it the
//! first time it runs there (see `wire::stmts`), so a reconnect or failover
//! only costs a Parse pipelined with the next execution. `exec_params`
//! goes through the same machinery with the per-connection statement cache
//! (`STATEMENT_CACHE`).

use super::Session;
use crate::classify::{self, Facts};
use crate::error::{Error, Result, Status};
use crate::result::{ResultSet, Server};
use crate::route::Target;
use crate::wire::{Bound, ColumnDesc, Description, Req, StmtRef, Values, STALE_PLAN};
use parking_lot::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// What a session shares with its statements, which outlive no session
/// by contract but must not crash when they do.
#[derive(Default)]
struct Owner {
    /// False once the session is gone.
    alive: AtomicBool,
    /// Statements freed since the session last looked.
    any_freed: AtomicBool,
    freed: Mutex<Vec<u64>>,
}

/// The session's side of its statements.
pub(super) struct Registry {
    owner: Arc<Owner>,
    next_id: u64,
    /// `next_id` at the last `renew`.
    renewed_at: u64,
}

impl Default for Registry {
    fn default() -> Self {
        let owner = Owner {
            alive: AtomicBool::new(true),
            ..Owner::default()
        };
        Registry {
            owner: Arc::new(owner),
            next_id: 0,
            renewed_at: 0,
        }
    }
}

impl Registry {
    /// Statements were prepared since the last `renew`.
    pub(super) fn prepared_since_renew(&self) -> bool {
        self.next_id != self.renewed_at
    }

    /// Disown every statement handed out (they see their session gone, as
    /// after a close); numbering goes on, so that no new statement takes
    /// the number of one the connections may still know.
    pub(super) fn renew(&mut self) {
        let next = self.next_id;
        *self = Registry::default();
        self.next_id = next;
        self.renewed_at = next;
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        self.owner.alive.store(false, Ordering::Release);
    }
}

/// A statement prepared with `Session::prepare`. It belongs to that
/// session: run it with `Session::exec_prepared` of the same session.
/// Dropping it closes it on the servers (with the session's next request).
pub struct Statement {
    pub(super) id: u64,
    pub(super) sql: String,
    pub(super) desc: Description,
    owner: Arc<Owner>,
    /// What `classify` says of `sql`, read as a session with and without
    /// `standard_conforming_strings` reads it (the one lexer setting):
    /// worked out at the first execution, not at each.
    facts: [OnceLock<Facts>; 2],
}

impl Statement {
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The type OID of each parameter, as the server resolved them.
    pub fn param_types(&self) -> &[u32] {
        &self.desc.param_types
    }

    /// The columns an execution returns (none for a statement without rows).
    pub fn columns(&self) -> &[ColumnDesc] {
        &self.desc.columns
    }

    /// `classify::classify_with(sql, options)`, worked out once.
    pub(super) fn facts(&self, options: classify::Options) -> Facts {
        // Every field of Options picks the slot: a new one must be added here.
        let classify::Options {
            standard_conforming_strings,
        } = options;
        *self.facts[usize::from(standard_conforming_strings)]
            .get_or_init(|| classify::classify_with(&self.sql, options))
    }

    /// Whether it was prepared by `session`.
    pub(super) fn belongs_to(&self, session: &Session) -> bool {
        Arc::ptr_eq(&self.owner, &session.stmts.owner)
    }

    /// Whether the session it belongs to still exists.
    pub fn session_alive(&self) -> bool {
        self.owner.alive.load(Ordering::Acquire)
    }
}

impl Drop for Statement {
    fn drop(&mut self) {
        if self.session_alive() {
            self.owner.freed.lock().push(self.id);
            self.owner.any_freed.store(true, Ordering::Release);
        }
    }
}

impl std::fmt::Debug for Statement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Statement")
            .field("sql", &self.sql)
            .field("param_types", &self.desc.param_types)
            .finish()
    }
}

/// The error of a parameter count the statement does not take, as the
/// server words it (SQLSTATE 08P01), raised before anything is sent.
pub(super) fn count_mismatch(given: usize, wanted: usize) -> Error {
    Error::with_sqlstate(
        Status::InvalidArgument,
        format!(
            "{} parameters given, but the prepared statement requires {}",
            given, wanted
        ),
        "08P01",
    )
}

impl Session {
    /// Prepare `sql` (one statement with parameters `$1 … $n`) and describe
    /// it: `types` gives the type OIDs of the first parameters (0 or absent:
    /// the server infers them). One round trip, to the primary (the standby
    /// when no primary is open). Nothing runs.
    pub fn prepare(&mut self, sql: &str, types: &[u32]) -> Result<Statement> {
        self.close_freed();
        self.follow_topology();
        if self.txn.is_none() {
            self.maybe_reconnect();
        }
        let target = if self.primary.as_ref().is_some_and(|p| p.usable()) {
            Target::Primary
        } else if self.standby.as_ref().is_some_and(|p| p.usable()) {
            Target::Standby
        } else {
            Target::Primary
        };
        self.stmts.next_id += 1;
        let id = self.stmts.next_id;
        let r = self.phys(target)?.conn.describe(id, sql, types);
        if self
            .slot(target)
            .as_ref()
            .is_some_and(|p| p.conn.is_broken())
        {
            self.drop_server(target);
        }
        let desc = r?;
        Ok(Statement {
            id,
            sql: sql.to_string(),
            desc,
            owner: Arc::clone(&self.stmts.owner),
            facts: Default::default(),
        })
    }

    /// Run a statement of `prepare` wherever its text would run now, with
    /// one value per parameter (text, or as `formats` says: see
    /// `exec_typed`). A count that does not match is an error (08P01) and
    /// nothing is sent.
    pub fn exec_prepared(
        &mut self,
        stmt: &Statement,
        values: Values<'_>,
        formats: &[i16],
    ) -> Result<ResultSet> {
        let b = self.bound_of(stmt, values, formats)?;
        let facts = stmt.facts(self.lex_options());
        self.exec_bound(&b, Some(facts))
    }

    /// The request that runs `stmt` with `values`, once checked: a
    /// statement of this session, one value per parameter.
    pub(super) fn bound_of<'a>(
        &self,
        stmt: &'a Statement,
        values: Values<'a>,
        formats: &'a [i16],
    ) -> Result<Bound<'a>> {
        if !Arc::ptr_eq(&stmt.owner, &self.stmts.owner) {
            return Err(Error::invalid_argument(
                "the statement was prepared on another connection",
            ));
        }
        let wanted = stmt.desc.param_types.len();
        if values.len() != wanted {
            return Err(count_mismatch(values.len(), wanted));
        }
        Ok(Bound {
            sql: &stmt.sql,
            types: &stmt.desc.param_types,
            values,
            formats,
            stmt: StmtRef::Prepared(stmt.id),
        })
    }

    /// Run one statement with parameters `$1 … $n`: `types` gives the type
    /// OIDs of the first ones (0 or absent: the server infers them), and
    /// `formats`, as in libpq's PQexecParams, whether each value is text (0)
    /// or binary (1; e.g. the raw bytes of a `bytea`): none means all text,
    /// one applies to all. Through the connection's statement cache unless
    /// `STATEMENT_CACHE` is 0.
    pub fn exec_typed(
        &mut self,
        sql: &str,
        types: &[u32],
        values: Values<'_>,
        formats: &[i16],
    ) -> Result<ResultSet> {
        let cache = self.attrs.statement_cache as usize;
        let b = Bound {
            sql,
            types,
            values,
            formats,
            stmt: if cache == 0 {
                StmtRef::Unnamed
            } else {
                StmtRef::Cached(cache)
            },
        };
        self.exec_bound(&b, None)
    }

    /// Run `b`; `facts`: what `classify` says of its text, when known.
    fn exec_bound(&mut self, b: &Bound<'_>, facts: Option<Facts>) -> Result<ResultSet> {
        self.close_freed();
        let facts = facts.unwrap_or_else(|| classify::classify_with(b.sql, self.lex_options()));
        let r = self.exec_classified(b.sql, Req::Bound(b), &facts);
        match r {
            // The server lost one of pgtc's statements behind its back (a
            // DEALLOCATE of its name), or DDL changed its result columns:
            // the connection forgot it, and a statement that failed outside
            // a transaction (so nothing ran) can run again, prepared anew.
            Err(e)
                if self.txn.is_none()
                    && b.stmt != StmtRef::Unnamed
                    && ((e.sqlstate == "26000" && e.message.contains("\"pgtc_"))
                        || (e.sqlstate == "0A000" && e.message.starts_with(STALE_PLAN))) =>
            {
                log::debug!("preparing again: {}", e.message);
                self.exec_classified(b.sql, Req::Bound(b), &facts)
            }
            r => r,
        }
    }

    /// Close on the servers the statements dropped since the last request.
    pub(super) fn close_freed(&mut self) {
        if !self.stmts.owner.any_freed.swap(false, Ordering::AcqRel) {
            return;
        }
        let ids = std::mem::take(&mut *self.stmts.owner.freed.lock());
        for p in [&mut self.primary, &mut self.standby].into_iter().flatten() {
            for &id in &ids {
                p.conn.forget_stmt(id);
            }
        }
    }

    /// Apply a new `STATEMENT_CACHE` size to both connections.
    pub(super) fn limit_stmt_cache(&mut self, n: u32) {
        for p in [&mut self.primary, &mut self.standby].into_iter().flatten() {
            p.conn.limit_stmt_cache(n as usize);
        }
    }

    /// Parse messages sent on the current connection to `server` (primary
    /// or secondary; 0 when there is none): how often statements were
    /// prepared there.
    pub fn parses(&self, server: Server) -> u64 {
        self.conn_of(server).map_or(0, |c| c.parses())
    }

    /// Executions sent on the current connection to `server` without a
    /// Describe, their statement's result columns being known there.
    pub fn undescribed(&self, server: Server) -> u64 {
        self.conn_of(server).map_or(0, |c| c.undescribed())
    }

    /// Statements in the statement cache of the connection to `server`.
    pub fn stmt_cache_len(&self, server: Server) -> usize {
        self.conn_of(server).map_or(0, |c| c.stmt_cache_len())
    }

    fn conn_of(&self, server: Server) -> Option<&crate::wire::Conn> {
        match server {
            Server::Primary => self.primary.as_ref(),
            Server::Secondary => self.standby.as_ref(),
            _ => None,
        }
        .map(|p| &p.conn)
    }
}
