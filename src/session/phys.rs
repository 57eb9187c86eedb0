//! One physical connection of a session and what it knows about its part
//! of the logical transaction. Sending is split from receiving so that a
//! request can be pipelined: a lazy BEGIN, the statement and a query read
//! after it (the LSN after a write) go out in one round trip, and COMMIT
//! can be sent to both servers before either answer is read.

use crate::balance::ServerStats;
use crate::error::Result;
use crate::result::{ResultSet, Server};
use crate::wire::{Batch, Bound, CancelKey, Conn, Req, TxStatus};
use parking_lot::Mutex;
use std::sync::Arc;

/// The physical connections that are running a statement of the session
/// now, by their cancel keys: what `Canceller::cancel` cancels. Shared with
/// any thread that may cancel.
#[derive(Default)]
pub(super) struct Running(Mutex<Vec<Arc<CancelKey>>>);

impl Running {
    pub(super) fn enter(&self, conn: &Conn) {
        if let Some(k) = conn.cancel_key() {
            self.0.lock().push(k.clone());
        }
    }

    pub(super) fn leave(&self, conn: &Conn) {
        if let Some(k) = conn.cancel_key() {
            self.0.lock().retain(|r| !Arc::ptr_eq(r, k));
        }
    }

    pub(super) fn keys(&self) -> Vec<Arc<CancelKey>> {
        self.0.lock().clone()
    }
}

pub(super) struct Phys {
    pub(super) conn: Conn,
    pub(super) stats: Arc<ServerStats>,
    /// A transaction block of the logical transaction is open here.
    pub(super) in_txn: bool,
    /// The session's record of where statements run (for cancelling).
    pub(super) running: Arc<Running>,
    /// Where the statement savepoint of `ON_ERROR=ROLLBACK_STATEMENT`
    /// stands in this server's transaction block.
    pub(super) savepoint: Savepoint,
}

/// The savepoint pgtc sends before a statement inside a transaction when
/// `ON_ERROR=ROLLBACK_STATEMENT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Savepoint {
    /// None in this block.
    #[default]
    None,
    /// The newest savepoint of the block: the next guarded statement
    /// releases it and sets it again in the same message.
    Top,
    /// Under savepoints of the application's: left in place (a RELEASE
    /// would release theirs too); the next one nests.
    Buried,
}

/// The statement savepoint's name and the messages that set and use it.
const SET_SAVEPOINT: &str = "SAVEPOINT pgtc_statement";
const RENEW_SAVEPOINT: &str = "RELEASE SAVEPOINT pgtc_statement; SAVEPOINT pgtc_statement";
const UNDO_STATEMENT: &str = "ROLLBACK TO SAVEPOINT pgtc_statement";

/// What was sent by `Phys::send`, to be read by `Phys::receive`.
#[must_use]
pub(super) struct Sent {
    began: bool,
    extra: bool,
    /// A statement savepoint went before the request.
    guarded: bool,
}

/// What one request to one server produced.
pub(super) struct Ran {
    pub(super) res: Result<()>,
    pub(super) out: ResultSet,
    pub(super) tx_after: TxStatus,
    /// The first value of the pipelined extra query, if it answered.
    pub(super) extra: Option<String>,
    /// This request opened the transaction's block on this server.
    pub(super) began: bool,
}

impl Phys {
    /// Open, not broken, and not reported down by the monitor.
    pub(super) fn usable(&self) -> bool {
        !self.conn.is_broken() && self.stats.healthy()
    }

    /// Before a request: forget the statement savepoint of a block that is
    /// over (a guarded statement must not release one that is gone), and
    /// queue a BEGIN when `join_txn` and the logical transaction has no
    /// block here yet. Returns whether it queued the BEGIN.
    fn join_block(&mut self, join_txn: bool) -> Result<bool> {
        if self.conn.tx_status() == TxStatus::Idle {
            self.savepoint = Savepoint::None;
        }
        if join_txn && !self.in_txn {
            match self.conn.tx_status() {
                TxStatus::Idle => {
                    self.conn.send(Req::Simple("BEGIN"))?;
                    return Ok(true);
                }
                _ => self.in_txn = true,
            }
        }
        Ok(false)
    }

    /// Send `req` — after a BEGIN when `join_txn` and the logical
    /// transaction has no block here yet, and followed by `extra` — and
    /// flush, without reading any answer.
    pub(super) fn send(
        &mut self,
        req: Req<'_>,
        extra: Option<&str>,
        join_txn: bool,
    ) -> Result<Sent> {
        self.send_guarded(req, extra, join_txn, false)
    }

    /// `send`, with the statement savepoint of `ON_ERROR=ROLLBACK_STATEMENT`
    /// before `req` when `guard` (inside a transaction only): in the same
    /// flush, so it costs no round trip.
    pub(super) fn send_guarded(
        &mut self,
        req: Req<'_>,
        extra: Option<&str>,
        join_txn: bool,
        guard: bool,
    ) -> Result<Sent> {
        let began = self.join_block(join_txn)?;
        let guarded = guard && (began || self.in_txn);
        if guarded {
            self.conn.send(Req::Simple(match self.savepoint {
                Savepoint::Top => RENEW_SAVEPOINT,
                _ => SET_SAVEPOINT,
            }))?;
        }
        self.conn.send(req)?;
        if let Some(x) = extra {
            self.conn.send(Req::Simple(x))?;
        }
        self.stats.enter_flight();
        self.running.enter(&self.conn);
        if let Err(e) = self.conn.flush() {
            self.running.leave(&self.conn);
            self.stats.leave_flight();
            return Err(e);
        }
        Ok(Sent {
            began,
            extra: extra.is_some(),
            guarded,
        })
    }

    /// Read every answer to what `send` sent; `server` is recorded in the
    /// result as where it ran.
    pub(super) fn receive(&mut self, sent: Sent, server: Server) -> Ran {
        let mut out = ResultSet::default();
        let mut res = Ok(());
        if sent.began {
            res = self.conn.recv(&mut out);
            if res.is_ok() {
                self.in_txn = true;
            }
        }
        // The savepoint's answer: when it failed (an aborted block), the
        // statement's error is the answer and nothing is undone.
        let mut saved = false;
        if sent.guarded {
            let mut sp = ResultSet::default();
            let r = self.conn.recv(&mut sp);
            saved = r.is_ok() && res.is_ok();
            self.savepoint = if saved {
                Savepoint::Top
            } else {
                Savepoint::None
            };
        }
        let res = res.and_then(|_| self.conn.recv(&mut out));
        self.stats.leave_flight();
        let mut tx_after = self.conn.tx_status();
        let mut extra = None;
        if sent.extra && !self.conn.is_broken() {
            let mut x = ResultSet::default();
            if self.conn.recv(&mut x).is_ok() {
                extra = x.value(0, 0).map(str::to_string);
            }
            #[cfg(feature = "test-hooks")]
            if super::test_hooks::lsn_lost() {
                extra = None;
            }
        }
        self.running.leave(&self.conn);
        if saved && res.is_err() && tx_after == TxStatus::Failed && !self.conn.is_broken() {
            // Undo the failed statement only; its error stays the answer.
            // The savepoint stays, the newest of the block.
            let mut r = ResultSet::default();
            match self.conn.run(Req::Simple(UNDO_STATEMENT), &mut r) {
                Ok(()) => tx_after = self.conn.tx_status(),
                Err(e) => log::warn!("could not undo the failed statement: {}", e),
            }
        }
        out.set_server(server);
        let res = res.map_err(|mut e| {
            if let Some(r) = e.results.as_mut() {
                r.set_server(server);
            }
            e
        });
        Ran {
            res,
            out,
            tx_after,
            extra,
            began: sent.began,
        }
    }

    /// `send`, then `receive`.
    pub(super) fn run(
        &mut self,
        req: Req<'_>,
        extra: Option<&str>,
        join_txn: bool,
        server: Server,
    ) -> Result<Ran> {
        self.run_guarded(req, extra, join_txn, false, server)
    }

    /// `send_guarded`, then `receive`.
    pub(super) fn run_guarded(
        &mut self,
        req: Req<'_>,
        extra: Option<&str>,
        join_txn: bool,
        guard: bool,
        server: Server,
    ) -> Result<Ran> {
        let sent = self.send_guarded(req, extra, join_txn, guard)?;
        Ok(self.receive(sent, server))
    }

    /// Start stream `id` of `b` here, `fetch` rows a batch — after a BEGIN
    /// when `join_txn` and the logical transaction has no block here yet,
    /// as `send` does — and flush. Returns whether it sent the BEGIN. The
    /// stream is in flight (for the balance) until its end settles it.
    pub(super) fn open_portal(
        &mut self,
        id: u64,
        b: &Bound<'_>,
        fetch: usize,
        join_txn: bool,
    ) -> Result<bool> {
        let began = self.join_block(join_txn)?;
        self.conn.portal_open(id, b, fetch)?;
        self.stats.enter_flight();
        self.running.enter(&self.conn);
        if let Err(e) = self.conn.flush() {
            self.running.leave(&self.conn);
            self.stats.leave_flight();
            return Err(e);
        }
        Ok(began)
    }

    /// Read the first batch of stream `id` (after the BEGIN's answer when
    /// `began`), cancellable while it is read.
    pub(super) fn first_batch(
        &mut self,
        id: u64,
        began: bool,
        out: &mut ResultSet,
        server: Server,
    ) -> Result<Batch> {
        let mut res = Ok(());
        if began {
            let mut x = ResultSet::default();
            res = self.conn.recv(&mut x);
            if res.is_ok() {
                self.in_txn = true;
            }
        }
        // The portal's answers come whatever the BEGIN's was.
        let r = if self.conn.is_broken() {
            res.clone().map(|_| Batch::Done)
        } else {
            self.conn.portal_batch(id, out)
        };
        self.running.leave(&self.conn);
        out.set_server(server);
        match (res, r) {
            (Err(e), Ok(Batch::More)) => {
                let _ = self.conn.portal_close(id);
                Err(e)
            }
            (Err(e), _) => Err(e),
            (Ok(()), r) => r,
        }
    }

    /// Ask for and read the next batch of stream `id`, cancellable while
    /// it is read.
    pub(super) fn next_batch(
        &mut self,
        id: u64,
        fetch: usize,
        out: &mut ResultSet,
        server: Server,
    ) -> Result<Batch> {
        self.running.enter(&self.conn);
        let r = self
            .conn
            .portal_more(id, fetch)
            .and_then(|_| self.conn.portal_batch(id, out));
        self.running.leave(&self.conn);
        out.set_server(server);
        r
    }

    /// End this server's part of the logical transaction, if it has one,
    /// by rolling it back; the outcome does not matter (a broken
    /// connection has lost the block anyway).
    pub(super) fn roll_back(&mut self) {
        if self.in_txn {
            let mut r = ResultSet::default();
            let _ = self.conn.run(Req::Simple("ROLLBACK"), &mut r);
            self.in_txn = false;
        }
    }
}

impl Phys {
    /// Executions of one statement inside the logical transaction (its
    /// block is begun here first when this server has none yet), sent as
    /// one request with one Sync (`Conn::send_group`) in one flush: one
    /// `Ran` per set, in order. The sets after one that failed did not run
    /// and get 25P02, as they would one by one in the aborted block.
    pub(super) fn run_group(&mut self, sets: &[Bound<'_>], server: Server) -> Result<Vec<Ran>> {
        let mut began = false;
        if !self.in_txn {
            match self.conn.tx_status() {
                TxStatus::Idle => {
                    self.conn.send(Req::Simple("BEGIN"))?;
                    began = true;
                }
                _ => self.in_txn = true,
            }
        }
        let queued = self.conn.send_group(sets);
        self.stats.enter_flight();
        self.running.enter(&self.conn);
        let r = (|| -> Result<Vec<Result<ResultSet>>> {
            self.conn.flush()?;
            if began {
                let mut out = ResultSet::default();
                let opened = self.conn.recv(&mut out);
                if opened.is_ok() {
                    self.in_txn = true;
                }
                if let Err(e) = opened {
                    if queued.is_ok() {
                        let _ = self.conn.recv_group(sets.len());
                    }
                    return Ok(sets.iter().map(|_| Err(e.clone())).collect());
                }
            }
            match &queued {
                Ok(()) => self.conn.recv_group(sets.len()),
                Err(e) => Ok(sets.iter().map(|_| Err(e.clone())).collect()),
            }
        })();
        self.running.leave(&self.conn);
        self.stats.leave_flight();
        let tx_after = self.conn.tx_status();
        Ok(r?
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let (res, mut out) = match r {
                    Ok(out) => (Ok(()), out),
                    Err(e) => (Err(e), ResultSet::default()),
                };
                out.set_server(server);
                Ran {
                    res,
                    out,
                    tx_after,
                    extra: None,
                    began: began && i == 0,
                }
            })
            .collect())
    }

    /// `run` for several requests sent in one flush (pipelined), each
    /// answered up to its own ReadyForQuery: one `Ran` per request, in
    /// order (`extra`, after the last, answers in the last one's). A
    /// request that could not be queued (a value too large for the
    /// protocol) gets its error in its place and the others still run.
    pub(super) fn run_batch(
        &mut self,
        reqs: &[Req<'_>],
        extra: Option<&str>,
        join_txn: bool,
        server: Server,
    ) -> Result<Vec<Ran>> {
        let mut began = false;
        if join_txn && !self.in_txn {
            match self.conn.tx_status() {
                TxStatus::Idle => {
                    self.conn.send(Req::Simple("BEGIN"))?;
                    began = true;
                }
                _ => self.in_txn = true,
            }
        }
        let queued: Vec<Result<()>> = reqs.iter().map(|r| self.conn.send(*r)).collect();
        if let Some(x) = extra {
            self.conn.send(Req::Simple(x))?;
        }
        self.stats.enter_flight();
        self.running.enter(&self.conn);
        if let Err(e) = self.conn.flush() {
            self.running.leave(&self.conn);
            self.stats.leave_flight();
            return Err(e);
        }
        let mut opened = Ok(());
        if began {
            let mut out = ResultSet::default();
            opened = self.conn.recv(&mut out);
            if opened.is_ok() {
                self.in_txn = true;
            }
        }
        let mut rans = Vec::with_capacity(reqs.len());
        for (i, q) in queued.into_iter().enumerate() {
            let mut out = ResultSet::default();
            let res = match (&opened, q) {
                (_, Err(e)) => Err(e),
                (Err(e), Ok(())) => {
                    // The answer to this request still comes: read it.
                    let _ = self.conn.recv(&mut out);
                    out = ResultSet::default();
                    Err(e.clone())
                }
                (Ok(()), Ok(())) => self.conn.recv(&mut out),
            };
            out.set_server(server);
            let res = res.map_err(|mut e| {
                if let Some(r) = e.results.as_mut() {
                    r.set_server(server);
                }
                e
            });
            rans.push(Ran {
                res,
                out,
                tx_after: self.conn.tx_status(),
                extra: None,
                began: began && i == 0,
            });
        }
        self.stats.leave_flight();
        if extra.is_some() && !self.conn.is_broken() {
            let mut x = ResultSet::default();
            if self.conn.recv(&mut x).is_ok() {
                if let Some(last) = rans.last_mut() {
                    last.extra = x.value(0, 0).map(str::to_string);
                }
            }
        }
        self.running.leave(&self.conn);
        Ok(rans)
    }
}
