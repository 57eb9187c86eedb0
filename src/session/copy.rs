//! COPY through the logical session: `COPY … FROM STDIN` streams the
//! caller's data to the primary (it is a write: it moves a transaction to
//! the primary and raises the LSN floor like any other write), and `COPY …
//! TO STDOUT` streams the server's data back from wherever `route` sends
//! the same text — the standby included, with read-your-writes, exactly as
//! the equivalent `SELECT` would go.
//!
//! One COPY at a time per session: while it runs, the session refuses
//! other statements (`Session::exec`) with a clear error. The data moves
//! in chunks; nothing here holds more than one chunk.

use super::{Session, LSN_QUERY};
use crate::classify::{self, Kind};
use crate::counters::Counter;
use crate::error::{Error, Result, Status};
use crate::result::{ResultSet, Server};
use crate::route::{self, Action, Target};
use crate::wire::{Began, Req, TxStatus};
use bytes::Bytes;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};

use super::phys::Ran;

/// Which way a COPY's data moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyDirection {
    /// The statement completed without COPY mode (a COPY to or from a
    /// server file): there is no data to move.
    None,
    /// `COPY … FROM STDIN`: the caller writes.
    In,
    /// `COPY … TO STDOUT`: the caller reads.
    Out,
}

/// A COPY that started (`Session::copy_start`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopyInfo {
    /// Identifies this COPY among the session's COPYs (never reused in a
    /// process), so that a handle can tell whether it is still the one
    /// running.
    pub id: u64,
    pub direction: CopyDirection,
    /// Binary COPY format (`FORMAT binary`); otherwise text or CSV.
    pub binary: bool,
    /// Number of columns of the data.
    pub cols: usize,
    /// Where it runs.
    pub server: Server,
}

/// The session's running COPY.
pub(super) struct Active {
    info: CopyInfo,
    target: Target,
    /// Read the LSN floor once it is over (a write outside a transaction).
    lsn_after: bool,
    /// Its request opened the transaction's block on its server.
    began: bool,
    /// The server's result once the COPY is over on the server (a COPY TO
    /// STDOUT sent its last chunk, or the statement needed no COPY mode),
    /// kept for `copy_end`; `None` while data flows.
    over: Option<ResultSet>,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn not_copying() -> Error {
    Error::new(
        Status::InvalidState,
        "the connection is not copying: start a COPY … FROM STDIN or COPY … TO STDOUT first",
    )
}

/// What `exec` answers while a COPY runs.
pub(super) fn copy_in_progress() -> Error {
    Error::new(
        Status::InvalidState,
        "the connection is copying: finish the COPY (end or abort it) before running another statement",
    )
}

impl Session {
    /// Whether a COPY is running (then `exec` refuses statements).
    pub fn copying(&self) -> Option<CopyInfo> {
        self.copy.as_ref().map(|a| a.info)
    }

    /// Start a COPY: one `COPY … FROM STDIN` or `COPY … TO STDOUT`
    /// statement, routed as `exec` would route it. Then, for `In`, write
    /// with `copy_write` and finish with `copy_end`; for `Out`, read with
    /// `copy_read` until it returns `None`, then `copy_end`. `copy_abort`
    /// gives up either. A COPY to or from a server file completes here
    /// (direction `None`; `copy_end` gives its tag).
    pub fn copy_start(&mut self, sql: &str) -> Result<CopyInfo> {
        if self.copy.is_some() {
            return Err(copy_in_progress());
        }
        let facts = classify::classify_with(sql, self.lex_options());
        if !facts.copy || facts.statements != 1 {
            return Err(Error::invalid_argument(
                "the COPY API takes one COPY statement (COPY … FROM STDIN or COPY … TO STDOUT)",
            ));
        }
        self.before_statement(&facts);
        let routed = self.route_to_run(sql, &facts);
        let d = routed.decision;
        match d.action {
            Action::Run | Action::RunThenSettings => {}
            Action::Refuse => return Err(super::txn_lost()),
            _ => {
                return Err(Error::invalid_argument(
                    "the COPY API takes one COPY statement (COPY … FROM STDIN or COPY … TO STDOUT)",
                ))
            }
        }
        self.pinned |= d.pin;
        let may_write = self.note_routed(&routed, sql, &facts);
        if let Some(t) = self.txn.as_mut() {
            if facts.kind != Kind::SetTransaction {
                t.queried[d.target as usize] = true;
            }
        }
        let lsn_after = route::lsn_after_statement(!may_write, self.txn.is_some(), d.target);
        let join = self.txn.is_some();
        let server = d.target.server();
        let p = self.phys(d.target)?;
        // As `Phys::send` decides: the transaction's block opens here first.
        let began = join && !p.in_txn && p.conn.tx_status() == TxStatus::Idle;
        if let Err(e) = p.send(Req::Simple(sql), None, join) {
            let tx_after = p.conn.tx_status();
            return Err(self.settle_failed(d.target, e, tx_after));
        }
        let mut out = ResultSet::default();
        let mut res = Ok(());
        if began {
            res = p.conn.recv(&mut out);
            if res.is_ok() {
                p.in_txn = true;
            }
        }
        let begun = res.and_then(|_| p.conn.copy_begin(&mut out));
        let direction = match begun {
            Ok(Began::In(_)) => CopyDirection::In,
            Ok(Began::Out(_)) => CopyDirection::Out,
            Ok(Began::Done) | Err(_) => CopyDirection::None,
        };
        let shape = match begun {
            Ok(Began::In(s) | Began::Out(s)) => Some(s),
            _ => None,
        };
        let info = CopyInfo {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            direction,
            binary: shape.is_some_and(|s| s.binary),
            cols: shape.map_or(0, |s| s.cols),
            server,
        };
        let mut active = Active {
            info,
            target: d.target,
            lsn_after,
            began,
            over: None,
        };
        match begun {
            Ok(Began::In(_) | Began::Out(_)) => {
                self.copy = Some(active);
                Ok(info)
            }
            Ok(Began::Done) => {
                // Completed at once: kept for `copy_end`, which settles it.
                active.over = Some(out);
                self.copy = Some(active);
                Ok(info)
            }
            Err(e) => {
                self.copy = Some(active);
                self.copy_finish(Err(e)).map(|_| info)
            }
        }
    }

    fn active(&mut self, want: CopyDirection, what: &str) -> Result<&mut Active> {
        let a = self.copy.as_mut().ok_or_else(not_copying)?;
        if a.info.direction != want {
            return Err(Error::new(
                Status::InvalidState,
                format!(
                    "{} on a COPY {}",
                    what,
                    match a.info.direction {
                        CopyDirection::In => "FROM STDIN (write its data instead)",
                        CopyDirection::Out => "TO STDOUT (read its data instead)",
                        CopyDirection::None => "that has no data (end it)",
                    }
                ),
            ));
        }
        Ok(a)
    }

    /// Send a chunk of a `COPY … FROM STDIN`'s data (any size; sent in
    /// messages of at most 64 KiB). An error of the server about the data
    /// (a bad row) is returned by the first `copy_write` that finds it
    /// waiting (the server rejects the data as it reads it, so a large COPY
    /// stops soon after the bad row), else by `copy_end`; either way the
    /// COPY is over.
    pub fn copy_write(&mut self, data: &[u8]) -> Result<()> {
        let target = self.active(CopyDirection::In, "writing")?.target;
        let r = self.phys(target)?.conn.copy_put(data);
        if let Err(e) = r {
            // Only a broken connection fails here.
            return self.copy_finish(Err(e)).map(|_| ());
        }
        Ok(())
    }

    /// The next chunk of a `COPY … TO STDOUT`'s data (a row, in text and
    /// CSV formats), or `None` after the last one (then `copy_end`). A
    /// server error in the middle is returned here, and the COPY is over.
    pub fn copy_read(&mut self) -> Result<Option<Bytes>> {
        let a = self.active(CopyDirection::Out, "reading")?;
        if a.over.is_some() {
            return Ok(None);
        }
        let target = a.target;
        let mut out = ResultSet::default();
        let r = self.phys(target)?.conn.copy_get(&mut out);
        match r {
            Ok(Some(chunk)) => Ok(Some(chunk)),
            Ok(None) => {
                if let Some(a) = self.copy.as_mut() {
                    a.over = Some(out);
                }
                Ok(None)
            }
            Err(e) => {
                // The COPY is over; the error is the answer.
                self.copy_finish(Err(e)).map(|_| None)
            }
        }
    }

    /// Finish the COPY and return its result (tag `COPY n`, `affected` the
    /// row count). For `COPY … FROM STDIN` the server's error about the
    /// data, if any, is returned here; for `COPY … TO STDOUT` data not read
    /// yet is read and discarded.
    pub fn copy_end(&mut self) -> Result<ResultSet> {
        let a = self.copy.as_mut().ok_or_else(not_copying)?;
        let target = a.target;
        if a.over.is_some() {
            return self.copy_finish(Ok(()));
        }
        let mut out = ResultSet::default();
        let dir = a.info.direction;
        let r = match self.phys(target) {
            Ok(p) if dir == CopyDirection::In => p.conn.copy_done(&mut out),
            Ok(p) => p.conn.copy_drain(&mut out),
            Err(e) => Err(e),
        };
        if let Some(a) = self.copy.as_mut() {
            a.over = Some(out);
        }
        self.copy_finish(r)
    }

    /// Give up the COPY. `COPY … FROM STDIN`: CopyFail with `reason`, the
    /// server copies nothing (it answers 57014, which is the expected
    /// answer, not an error). `COPY … TO STDOUT`: the rest of the data is
    /// read and discarded (the protocol has no way to stop it). The
    /// connection stays usable; an error is returned only when it broke.
    pub fn copy_abort(&mut self, reason: &str) -> Result<()> {
        let a = self.copy.as_mut().ok_or_else(not_copying)?;
        let target = a.target;
        let dir = a.info.direction;
        if a.over.is_some() {
            // Nothing is in flight any more: ending it settles it.
            return self.copy_end().map(|_| ()).or_else(keep_usable);
        }
        let mut out = ResultSet::default();
        let r = match self.phys(target) {
            Ok(p) if dir == CopyDirection::In => p.conn.copy_fail(reason).map(|refused| {
                if let Some(e) = refused {
                    log::debug!("COPY aborted: {}", e);
                }
            }),
            Ok(p) => p.conn.copy_drain(&mut out),
            Err(e) => Err(e),
        };
        // The server's answer to CopyFail is an error; nothing was copied.
        let aborted = Err(Error::with_sqlstate(
            Status::Sql,
            "COPY aborted by the client",
            "57014",
        ));
        let r = match r {
            Ok(()) if dir == CopyDirection::In => aborted,
            other => other,
        };
        self.copy_finish(r).map(|_| ()).or_else(keep_usable)
    }

    /// The COPY is over on its server (`res` says how): bring the session
    /// in line as for any statement (transaction state, LSN floor, a broken
    /// connection) and forget the COPY. Returns the result kept for it.
    fn copy_finish(&mut self, res: Result<()>) -> Result<ResultSet> {
        let Some(mut a) = self.copy.take() else {
            return Err(not_copying());
        };
        let out = a.over.take().unwrap_or_default();
        let p = self.slot(a.target).as_mut();
        let (tx_after, mut extra) = match p {
            Some(p) => {
                p.stats.leave_flight();
                (p.conn.tx_status(), None::<String>)
            }
            None => (TxStatus::Idle, None),
        };
        if res.is_ok() && a.lsn_after {
            if let Some(p) = self.slot(a.target).as_mut() {
                extra = p.conn.query_value(LSN_QUERY).ok().flatten();
            }
            if extra.is_none() {
                self.learn_floor(None);
            }
        }
        let mut out = out;
        out.server = Some(a.info.server);
        let ran = Ran {
            res,
            out,
            tx_after,
            extra,
            began: a.began,
        };
        let r = self.settle(a.target, ran);
        if let Ok(r) = &r {
            match r.server {
                Some(Server::Primary) => self.count(Counter::Primary),
                Some(Server::Secondary) => self.count(Counter::Secondary),
                _ => {}
            }
        }
        r
    }

    /// A COPY statement that could not be sent: settle it as a failure.
    fn settle_failed(&mut self, target: Target, e: Error, tx_after: TxStatus) -> Error {
        let ran = Ran {
            res: Err(e),
            out: ResultSet::default(),
            tx_after,
            extra: None,
            began: false,
        };
        match self.settle(target, ran) {
            Err(e) => e,
            Ok(_) => Error::with_sqlstate(
                Status::ConnectionLost,
                "the COPY statement could not be sent",
                "08006",
            ),
        }
    }

    /// Run a `COPY … FROM STDIN`, streaming `src` to the server in chunks
    /// of `chunk` bytes; on a read error of `src` the COPY is aborted.
    pub fn copy_in(&mut self, sql: &str, src: &mut dyn Read, chunk: usize) -> Result<ResultSet> {
        let info = self.copy_start(sql)?;
        if info.direction != CopyDirection::In {
            return self.copy_end_expecting(info, CopyDirection::In);
        }
        let mut buf = vec![0u8; chunk.max(1)];
        loop {
            let n = match src.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let why = format!("reading the data to copy failed: {}", e);
                    self.copy_abort(&why)?;
                    return Err(Error::invalid_argument(why));
                }
            };
            self.copy_write(&buf[..n])?;
        }
        self.copy_end()
    }

    /// Run a `COPY … TO STDOUT`, writing its data to `dst` chunk by chunk;
    /// on a write error of `dst` the rest of the data is discarded.
    pub fn copy_out(&mut self, sql: &str, dst: &mut dyn Write) -> Result<ResultSet> {
        let info = self.copy_start(sql)?;
        if info.direction != CopyDirection::Out {
            return self.copy_end_expecting(info, CopyDirection::Out);
        }
        while let Some(chunk) = self.copy_read()? {
            if let Err(e) = dst.write_all(&chunk) {
                self.copy_abort("the destination failed")?;
                return Err(Error::invalid_argument(format!(
                    "writing the copied data failed: {}",
                    e
                )));
            }
        }
        self.copy_end()
    }

    /// A COPY started by `copy_in`/`copy_out` went the other way (or
    /// nowhere): end it and say so.
    fn copy_end_expecting(&mut self, info: CopyInfo, want: CopyDirection) -> Result<ResultSet> {
        let r = match info.direction {
            CopyDirection::None => return self.copy_end(),
            _ => self.copy_abort("the statement copies the other way"),
        };
        r?;
        Err(Error::invalid_argument(match want {
            CopyDirection::In => "the statement is not a COPY … FROM STDIN",
            _ => "the statement is not a COPY … TO STDOUT",
        }))
    }
}

/// An abort reaches its goal whenever the server ended the COPY, even with
/// an error about it; only a broken connection is worth reporting.
fn keep_usable(e: Error) -> Result<()> {
    match e.status {
        Status::Sql => Ok(()),
        _ => Err(e),
    }
}
