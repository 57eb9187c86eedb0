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
}

/// What was sent by `Phys::send`, to be read by `Phys::receive`.
#[must_use]
pub(super) struct Sent {
    began: bool,
    extra: bool,
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

    /// Send `req` — after a BEGIN when `join_txn` and the logical
    /// transaction has no block here yet, and followed by `extra` — and
    /// flush, without reading any answer.
    pub(super) fn send(
        &mut self,
        req: Req<'_>,
        extra: Option<&str>,
        join_txn: bool,
    ) -> Result<Sent> {
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
        let res = res.and_then(|_| self.conn.recv(&mut out));
        self.stats.leave_flight();
        let tx_after = self.conn.tx_status();
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
        let sent = self.send(req, extra, join_txn)?;
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
