//! Streaming a large result in batches through a portal (see
//! `wire::portal`): `Session::stream` routes one statement exactly as
//! `exec_typed` routes its text, starts it there and reads its first
//! batch at once (so routing, errors and the columns come back as they
//! would from `exec`); `stream_next` reads each next batch of at most
//! `fetch` rows; the last batch carries the command tag. Memory is bounded
//! by the batch.
//!
//! What a stream holds: its portal, and the connection it runs on until
//! its end. Outside a transaction block the portal lives in the implicit
//! transaction of that server until the end (one snapshot for the
//! stream's life; on a standby, a long stream may be cancelled by a
//! recovery conflict, SQLSTATE 40001). Other statements of the session
//! that go to the other server run as always; one that needs the stream's
//! connection first reads the rest of the stream into memory (the stream
//! then hands it over as its next batch), and then runs as it would have:
//! nothing is lost, an autocommit write commits at once. COMMIT or
//! ROLLBACK closes the streams opened inside the transaction: their rest
//! is discarded and their next `stream_next` fails with SQLSTATE 24000.
//!
//! Only a read streams (one statement, provably read-only, routed to run
//! as it is); anything else runs whole, as `exec_typed` would run it, and
//! its stream is complete at once. A stream whose server is lost fails
//! with class 08 at the batch that finds it (it is never started again).
//! `Canceller` cancels the batch being read. A stream dropped without
//! `stream_close` is closed on the server with the session's next request.

use super::phys::Ran;
use super::Session;
use crate::attr::OnError;
use crate::balance::ServerStats;
use crate::classify::{self, Kind};
use crate::counters::Counter;
use crate::error::{Error, Result, Status};
use crate::result::{ResultSet, Server};
use crate::route::{Action, Target};
use crate::wire::{Batch, Bound, StmtRef, TxStatus, Values, STALE_PLAN};
use parking_lot::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Streams dropped without `stream_close`, for their session to close.
#[derive(Default)]
struct Dropped(Mutex<Vec<u64>>);

/// A stream open on one of the connections.
struct Active {
    id: u64,
    target: Target,
    /// Its request opened the transaction's block on its server.
    began: bool,
    /// It started inside a transaction (which closes it when it ends).
    in_txn: bool,
    /// The server it counts as in flight on, until it is over.
    stats: Arc<ServerStats>,
}

/// The session's side of its streams.
#[derive(Default)]
pub(super) struct Streams {
    dropped: Arc<Dropped>,
    active: Vec<Active>,
    /// Streams closed by the end of their transaction, until their next
    /// `stream_next` says so.
    ended: Vec<u64>,
}

/// The rows of one statement, read in batches (`Session::stream`). It
/// belongs to the session that started it. Dropping it before its end
/// closes its portal with the session's next request.
pub struct Stream {
    id: u64,
    fetch: usize,
    server: Server,
    first: Option<ResultSet>,
    done: bool,
    dropped: Arc<Dropped>,
}

impl Stream {
    /// Where it runs.
    pub fn server(&self) -> Server {
        self.server
    }

    /// Rows per batch.
    pub fn fetch(&self) -> usize {
        self.fetch
    }

    /// No batch is left to read (`stream_next` returns `None`).
    pub fn is_done(&self) -> bool {
        self.done && self.first.is_none()
    }

    /// The first batch, not taken yet by `stream_next`: its columns
    /// describe every batch.
    pub fn first(&self) -> Option<&ResultSet> {
        self.first.as_ref()
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        if !self.done {
            self.dropped.0.lock().push(self.id);
        }
    }
}

impl std::fmt::Debug for Stream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stream")
            .field("id", &self.id)
            .field("fetch", &self.fetch)
            .field("server", &self.server)
            .field("done", &self.done)
            .finish()
    }
}

fn ended_by_txn() -> Error {
    Error::with_sqlstate(
        Status::InvalidState,
        "the stream was closed by the end of its transaction (COMMIT or ROLLBACK); its remaining rows were discarded",
        "24000",
    )
}

/// Whether a stream whose first batch failed with `e` may start again
/// (nothing ran: a statement the server did not have, or a read).
fn again(e: &Error, b: &Bound<'_>, lex: classify::Options) -> bool {
    let prepared = b.stmt != StmtRef::Unnamed;
    (prepared && e.sqlstate == "26000" && e.message.contains("\"pgtc_"))
        || (prepared && e.sqlstate == "0A000" && e.message.starts_with(STALE_PLAN))
        || (e.status == Status::ConnectionLost && classify::classify_with(b.sql, lex).read_only)
}

fn lost_stream() -> Error {
    Error::with_sqlstate(
        Status::ConnectionLost,
        "the connection the stream was reading from was lost or replaced; the rest of its rows is gone (it is not started again)",
        "08006",
    )
}

impl Session {
    /// Stream one statement with parameters `$1 … $n` (as `exec_typed`
    /// takes them) in batches of at most `fetch` rows (at least 1). The
    /// statement is routed as `exec_typed` routes it and started there; the
    /// first batch is read before this returns (take it with the first
    /// `stream_next`), so a server error comes back here. A statement that
    /// is not a single read runs whole, and the stream is complete at once.
    pub fn stream(
        &mut self,
        sql: &str,
        types: &[u32],
        values: Values<'_>,
        formats: &[i16],
        fetch: usize,
    ) -> Result<Stream> {
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
        self.stream_bound(&b, fetch)
    }

    /// `stream` for a statement of `prepare`, with one value per parameter.
    pub fn stream_prepared(
        &mut self,
        stmt: &super::Statement,
        values: Values<'_>,
        formats: &[i16],
        fetch: usize,
    ) -> Result<Stream> {
        let b = self.bound_of(stmt, values, formats)?;
        self.stream_bound(&b, fetch)
    }

    /// Start a stream; once more when its first batch failed before
    /// anything reached the caller, as `exec` does: the statement lost
    /// behind pgtc's back or made stale by DDL (prepared again), or the
    /// connection lost outside a transaction (routed again).
    fn stream_bound(&mut self, b: &Bound<'_>, fetch: usize) -> Result<Stream> {
        match self.stream_start(b, fetch) {
            Err(e) if self.txn.is_none() && again(&e, b, self.lex_options()) => {
                log::debug!("starting the stream again: {}", e.message);
                self.stream_start(b, fetch)
            }
            r => r,
        }
    }

    fn stream_start(&mut self, b: &Bound<'_>, fetch: usize) -> Result<Stream> {
        if fetch == 0 {
            return Err(Error::invalid_argument(
                "a stream needs at least 1 row per batch (fetch 0)",
            ));
        }
        if self.copy.is_some() {
            return Err(super::copy::copy_in_progress());
        }
        self.close_freed();
        self.close_dropped_streams();
        let sql = b.sql;
        let facts = classify::classify_with(sql, self.lex_options());
        self.before_statement(&facts);
        let routed = self.route_to_run(sql, &facts);
        let d = routed.decision;
        let streams = d.action == Action::Run
            && facts.read_only
            && !facts.copy
            && facts.statements == 1
            && facts.kind != Kind::SetTransaction
            && !(facts.calls
                && d.target == Target::Primary
                && self.calls_may_write(&routed, sql, &facts))
            // The statement savepoint of ON_ERROR=ROLLBACK_STATEMENT does
            // not guard a portal yet: inside a transaction such a read runs
            // whole, so that its error undoes it alone, as promised.
            && !(self.attrs.on_error == OnError::RollbackStatement
                && (self.txn.is_some() || crate::route::opens_txn(self.attrs.autocommit, &facts)));
        let whole = |r: ResultSet, this: &Session| Stream {
            id: 0,
            fetch,
            server: r.server.unwrap_or(Server::None),
            first: Some(r),
            done: true,
            dropped: Arc::clone(&this.streams.dropped),
        };
        if !streams {
            let r = self.exec_routed(sql, crate::wire::Req::Bound(b), &facts, &routed)?;
            return Ok(whole(r, self));
        }
        self.pinned |= d.pin;
        self.note_routed(&routed, sql, &facts);
        if let Some(t) = self.txn.as_mut() {
            t.queried[d.target as usize] = true;
        }
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let join = self.txn.is_some();
        let server = d.target.server();
        let p = self.phys(d.target)?;
        let began = match p.open_portal(id, b, fetch, join) {
            Ok(began) => began,
            Err(e) => {
                // Nothing is in flight: settle the failure only.
                let tx_after = self
                    .slot(d.target)
                    .as_ref()
                    .map_or(TxStatus::Idle, |p| p.conn.tx_status());
                let ran = Ran {
                    res: Err(e),
                    out: ResultSet::default(),
                    tx_after,
                    extra: None,
                    began: false,
                };
                return Err(self.settle(d.target, ran).err().unwrap_or_else(lost_stream));
            }
        };
        let mut out = ResultSet::default();
        let Some(p) = self.slot(d.target).as_mut() else {
            return Err(lost_stream());
        };
        let r = p.first_batch(id, began, &mut out, server);
        let a = Active {
            id,
            target: d.target,
            began,
            in_txn: join,
            stats: Arc::clone(&p.stats),
        };
        let count = match server {
            Server::Secondary => Counter::Secondary,
            _ => Counter::Primary,
        };
        match r {
            Ok(Batch::More) => {
                self.streams.active.push(a);
                self.count(count);
                Ok(Stream {
                    id,
                    fetch,
                    server,
                    first: Some(out),
                    done: false,
                    dropped: Arc::clone(&self.streams.dropped),
                })
            }
            Ok(Batch::Done) => {
                let out = self.over_with(&a, Ok(()), out)?;
                self.count(count);
                Ok(whole(out, self))
            }
            Err(e) => Err(self.over(&a, Err(e)).err().unwrap_or_else(lost_stream)),
        }
    }

    /// The next batch of `s`: its first one (read by `stream`), then each
    /// next one read from the server; the last carries the command tag
    /// (`SELECT n` counting every row of the stream). `None` once the last
    /// one was returned. A server error in the middle is returned by the
    /// batch that hits it, and ends the stream.
    pub fn stream_next(&mut self, s: &mut Stream) -> Result<Option<ResultSet>> {
        if let Some(first) = s.first.take() {
            return Ok(Some(first));
        }
        if s.done {
            return Ok(None);
        }
        if !Arc::ptr_eq(&s.dropped, &self.streams.dropped) {
            return Err(Error::invalid_argument(
                "the stream was started on another connection",
            ));
        }
        self.close_dropped_streams();
        if let Some(i) = self.streams.ended.iter().position(|&id| id == s.id) {
            self.streams.ended.remove(i);
            s.done = true;
            return Err(ended_by_txn());
        }
        let Some(i) = self.streams.active.iter().position(|a| a.id == s.id) else {
            s.done = true;
            return Err(lost_stream());
        };
        let target = self.streams.active[i].target;
        let here = self
            .slot(target)
            .as_ref()
            .is_some_and(|p| p.conn.portal_holds(s.id));
        if !here {
            let a = self.streams.active.remove(i);
            s.done = true;
            return Err(self
                .over(&a, Err(lost_stream()))
                .err()
                .unwrap_or_else(lost_stream));
        }
        let mut out = ResultSet::default();
        let r = match self.slot(target).as_mut() {
            Some(p) => p.next_batch(s.id, s.fetch, &mut out, s.server),
            None => Err(lost_stream()),
        };
        match r {
            Ok(Batch::More) => Ok(Some(out)),
            Ok(Batch::Done) => {
                let a = self.streams.active.remove(i);
                s.done = true;
                self.over_with(&a, Ok(()), out).map(Some)
            }
            Err(e) => {
                let a = self.streams.active.remove(i);
                s.done = true;
                self.over(&a, Err(e)).map(|_| None)
            }
        }
    }

    /// Close `s` before its end: the server drops the rest (Close of the
    /// portal, Sync). An error only when the connection broke.
    pub fn stream_close(&mut self, mut s: Stream) -> Result<()> {
        let was_done = s.done;
        s.done = true;
        s.first = None;
        if was_done || !Arc::ptr_eq(&s.dropped, &self.streams.dropped) {
            return Ok(());
        }
        self.streams.ended.retain(|&id| id != s.id);
        self.close_stream(s.id)
    }

    /// How many streams are open (started, not yet over or closed).
    pub fn streaming(&self) -> usize {
        self.streams.active.len()
    }

    fn close_stream(&mut self, id: u64) -> Result<()> {
        let Some(i) = self.streams.active.iter().position(|a| a.id == id) else {
            return Ok(());
        };
        let a = self.streams.active.remove(i);
        let r = match self.slot(a.target).as_mut() {
            Some(p) => p.conn.portal_close(id),
            None => Ok(()),
        };
        match r {
            Ok(()) => self.over(&a, Ok(())).map(|_| ()),
            Err(e) => self.over(&a, Err(e)).map(|_| ()),
        }
    }

    /// Close the streams dropped since the last request.
    pub(super) fn close_dropped_streams(&mut self) {
        let ids = std::mem::take(&mut *self.streams.dropped.0.lock());
        for id in ids {
            self.streams.ended.retain(|&e| e != id);
            if let Err(e) = self.close_stream(id) {
                log::warn!("closing a dropped stream: {}", e);
            }
        }
    }

    /// Close every stream (a reset of the session).
    pub(super) fn close_all_streams(&mut self) {
        self.close_dropped_streams();
        let ids: Vec<u64> = self.streams.active.iter().map(|a| a.id).collect();
        for id in ids {
            if let Err(e) = self.close_stream(id) {
                log::warn!("closing a stream: {}", e);
            }
        }
        self.streams.ended.clear();
    }

    /// COMMIT or ROLLBACK is about to run: close the streams opened inside
    /// the transaction (their rest is discarded).
    pub(super) fn end_txn_streams(&mut self) {
        let ids: Vec<u64> = self
            .streams
            .active
            .iter()
            .filter(|a| a.in_txn)
            .map(|a| a.id)
            .collect();
        for id in ids {
            if let Err(e) = self.close_stream(id) {
                log::warn!("closing a stream at the end of its transaction: {}", e);
            }
            self.streams.ended.push(id);
        }
    }

    /// A stream is over on `target` (`res` says how): settle it as any
    /// statement (transaction state, a broken connection).
    fn over(&mut self, a: &Active, res: Result<()>) -> Result<ResultSet> {
        self.over_with(a, res, ResultSet::default())
    }

    fn over_with(&mut self, a: &Active, res: Result<()>, out: ResultSet) -> Result<ResultSet> {
        a.stats.leave_flight();
        if !a.in_txn && self.txn.is_some() {
            // It ran in its own implicit transaction, not in the one the
            // session opened since: only a broken connection matters.
            if self
                .slot(a.target)
                .as_ref()
                .is_none_or(|p| p.conn.is_broken())
            {
                self.drop_server(a.target);
            }
            return res.map(|_| out);
        }
        let tx_after = self
            .slot(a.target)
            .as_ref()
            .map_or(TxStatus::Idle, |p| p.conn.tx_status());
        let ran = Ran {
            res,
            out,
            tx_after,
            extra: None,
            began: a.began,
        };
        self.settle(a.target, ran)
    }
}
