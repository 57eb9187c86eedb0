//! Streaming one statement's rows through a portal of one physical
//! connection: Parse (when the statement is not prepared here yet), Bind
//! to the unnamed portal, Describe, Execute of at most `fetch` rows and
//! Flush — not Sync, so the portal stays open — then one more Execute and
//! Flush per batch, until the server answers CommandComplete instead of
//! PortalSuspended; the end (or an error, or an early close) sends Sync.
//! Nothing here holds more than one batch of rows.
//!
//! One portal is open per connection at a time, and the connection is
//! not free while it is: any other request (`Conn::send`, `describe`)
//! first reads the rest of the open portal into memory ("parks" it), so
//! that nothing is lost and the other request runs as it would have. The
//! rows parked are handed to the stream with its next batch.

use super::{server_error, Bound, Conn};
use crate::error::{Error, Result, Status};
use crate::result::{ColumnMeta, ResultSet};
use fallible_iterator::FallibleIterator;
use postgres_protocol::message::{backend::Message, frontend};

/// How a batch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Batch {
    /// The portal has more rows (PortalSuspended).
    More,
    /// That was the last batch: its result carries the command tag, and
    /// the connection is free again.
    Done,
}

/// The portal open on a connection.
struct Open {
    id: u64,
    /// The columns of its rows (from the first batch's RowDescription),
    /// given to every batch.
    cols: Vec<(String, ColumnMeta)>,
    /// Rows read so far.
    rows: u64,
}

/// A portal read to its end because another request needed the
/// connection: its remaining rows, and how it ended.
struct Parked {
    id: u64,
    rest: ResultSet,
    res: Result<()>,
}

#[derive(Default)]
pub(super) struct Portals {
    open: Option<Open>,
    parked: Vec<Parked>,
    /// Syncs sent at the end of streams whose ReadyForQuery is still to be
    /// read (with the next request: see `absorb_syncs`). Never while a
    /// portal is open.
    syncs: u32,
}

fn gone(id: u64) -> Error {
    Error::with_sqlstate(
        Status::InvalidState,
        format!(
            "stream {} is not open on this connection (it was closed, or its connection was replaced)",
            id
        ),
        "24000",
    )
}

impl Conn {
    /// Start streaming `b` through the unnamed portal, `fetch` rows at a
    /// time (at least 1), as stream `id`: queue its messages (nothing is
    /// sent until `flush`); then read the first batch with `portal_batch`.
    /// A portal still open here is parked first.
    pub fn portal_open(&mut self, id: u64, b: &Bound<'_>, fetch: usize) -> Result<()> {
        self.park_portal()?;
        let max = i32::try_from(fetch.max(1)).unwrap_or(i32::MAX);
        self.write_bound(b, max, super::stmts::End::Flush)?;
        self.stmts.queued();
        self.portals.open = Some(Open {
            id,
            cols: Vec::new(),
            rows: 0,
        });
        Ok(())
    }

    /// Stream `id` is open here, or parked with rows not yet taken.
    pub fn portal_holds(&self, id: u64) -> bool {
        self.portals.open.as_ref().is_some_and(|o| o.id == id)
            || self.portals.parked.iter().any(|p| p.id == id)
    }

    /// The stream whose portal is open here, if any.
    pub fn portal_open_id(&self) -> Option<u64> {
        self.portals.open.as_ref().map(|o| o.id)
    }

    /// Ask for the next `fetch` rows of stream `id` (Execute and Flush, then
    /// read them with `portal_batch`); true when it was sent. A parked
    /// stream needs no request (false: `portal_batch` hands over its rest).
    /// An error when the stream is not here.
    pub fn portal_more(&mut self, id: u64, fetch: usize) -> Result<bool> {
        if self.portals.parked.iter().any(|p| p.id == id) {
            return Ok(false);
        }
        if self.portals.open.as_ref().is_none_or(|o| o.id != id) {
            return Err(gone(id));
        }
        let max = i32::try_from(fetch.max(1)).unwrap_or(i32::MAX);
        frontend::execute("", max, &mut self.wbuf).map_err(|e| self.proto_error(e.to_string()))?;
        frontend::flush(&mut self.wbuf);
        self.flush()?;
        Ok(true)
    }

    /// Read the next batch of stream `id` into `out`: its rows, with the
    /// columns, up to PortalSuspended (`More`) or the end (`Done`: the tag
    /// is set, Sync sent and its ReadyForQuery read). A server error in
    /// the middle (a division by zero at some row) ends the stream: Sync
    /// is sent, and the error returned once the connection is ready again.
    /// The rows of the batch that failed are not returned.
    pub fn portal_batch(&mut self, id: u64, out: &mut ResultSet) -> Result<Batch> {
        out.reset();
        if let Some(i) = self.portals.parked.iter().position(|p| p.id == id) {
            let p = self.portals.parked.remove(i);
            *out = p.rest;
            return p.res.map(|_| Batch::Done);
        }
        if self.portals.open.as_ref().is_some_and(|o| o.id == id) {
            // Answers to Syncs sent before this portal's messages.
            self.absorb_syncs()?;
        }
        let Some(open) = self.portals.open.as_mut().filter(|o| o.id == id) else {
            return Err(gone(id));
        };
        for (name, meta) in &open.cols {
            out.push_column(name.as_bytes(), *meta);
        }
        loop {
            let m = match self.read_message() {
                Ok(m) => m,
                Err(e) => {
                    self.portals.open = None;
                    return Err(e);
                }
            };
            match m {
                Message::ParseComplete => self.stmts.parsed(),
                Message::RowDescription(body) => {
                    out.reset();
                    let mut cols = Vec::new();
                    let mut fields = body.fields();
                    while let Some(f) =
                        fields.next().map_err(|e| self.proto_error(e.to_string()))?
                    {
                        let meta = ColumnMeta {
                            type_oid: f.type_oid(),
                            typmod: f.type_modifier(),
                            table_oid: f.table_oid(),
                            column_id: f.column_id(),
                        };
                        out.push_column(f.name().as_bytes(), meta);
                        cols.push((f.name().to_string(), meta));
                    }
                    if let Some(o) = self.portals.open.as_mut() {
                        o.cols = cols;
                    }
                }
                Message::DataRow(body) => {
                    let buf = body.buffer();
                    self.cells.clear();
                    let mut ranges = body.ranges();
                    loop {
                        match ranges.next() {
                            Ok(Some(r)) => self.cells.push(r),
                            Ok(None) => break,
                            Err(e) => return Err(self.proto_error(e.to_string())),
                        }
                    }
                    out.push_row(self.cells.iter().map(|r| r.clone().map(|r| &buf[r])));
                    if let Some(o) = self.portals.open.as_mut() {
                        o.rows += 1;
                    }
                }
                Message::PortalSuspended => return Ok(Batch::More),
                Message::CommandComplete(body) => {
                    let tag = body.tag().map_err(|e| self.proto_error(e.to_string()))?;
                    self.stmts.note_tag(tag);
                    let rows = self.portals.open.as_ref().map_or(0, |o| o.rows);
                    // The server counts the rows of the last Execute only;
                    // the stream's tag counts them all, as a whole read's.
                    match tag.strip_prefix("SELECT ") {
                        Some(n) if n.bytes().all(|b| b.is_ascii_digit()) => {
                            out.set_tag(&format!("SELECT {}", rows))
                        }
                        _ => out.set_tag(tag),
                    }
                    self.sync_later()?;
                    return Ok(Batch::Done);
                }
                Message::EmptyQueryResponse => {
                    self.sync_later()?;
                    return Ok(Batch::Done);
                }
                Message::ErrorResponse(body) => {
                    out.reset();
                    let e = server_error(body.fields());
                    return Err(self.end_portal(Some(e)).err().unwrap_or_else(|| {
                        Error::new(Status::Internal, "a stream failed without an error")
                    }));
                }
                m => self.async_message(m)?, // BindComplete, NoData, notices, …
            }
        }
    }

    /// The portal completed: send Sync (the server ends the implicit
    /// transaction at once) without waiting for its ReadyForQuery, which
    /// is read before the connection's next request (`absorb_syncs`), so
    /// that a stream of less than one batch costs one round trip, as
    /// `exec` does. The transaction status stays the one before the
    /// stream (a read that completed does not change it).
    fn sync_later(&mut self) -> Result<()> {
        self.portals.open = None;
        frontend::sync(&mut self.wbuf);
        self.flush()?;
        // Not a round trip: nothing waits for its answer.
        self.flushes -= 1;
        self.portals.syncs += 1;
        Ok(())
    }

    /// Read the ReadyForQuery of the Syncs `sync_later` sent (already on
    /// their way: this waits for no round trip). Only a broken connection
    /// fails here.
    pub(super) fn absorb_syncs(&mut self) -> Result<()> {
        while self.portals.syncs > 0 {
            self.portals.syncs -= 1;
            if let Err(e) = self.until_ready(None) {
                if self.broken {
                    return Err(e);
                }
                log::warn!("the Sync after a stream failed: {}", e);
            }
        }
        Ok(())
    }

    /// The portal is over on the server (done, or failed with `err`):
    /// Sync and read up to ReadyForQuery. Returns `err` (or the error the
    /// Sync got) once the connection is ready again.
    fn end_portal(&mut self, err: Option<Error>) -> Result<()> {
        self.portals.open = None;
        frontend::sync(&mut self.wbuf);
        self.flush()?;
        self.until_ready(err)
    }

    /// Read up to ReadyForQuery, keeping the first error.
    fn until_ready(&mut self, mut err: Option<Error>) -> Result<()> {
        loop {
            match self.read_message()? {
                Message::ParseComplete => self.stmts.parsed(),
                Message::ErrorResponse(body) if err.is_none() => {
                    err = Some(server_error(body.fields()))
                }
                Message::ReadyForQuery(b) => {
                    self.tx = super::tx_from(b.status());
                    self.stmts_settled(err.as_ref());
                    return err.map_or(Ok(()), Err);
                }
                m => self.async_message(m)?,
            }
        }
    }

    /// Close stream `id` before its end: Close of the portal and Sync (the
    /// server drops the rest), or forget its parked rows. Nothing happens
    /// for a stream that is not here.
    pub fn portal_close(&mut self, id: u64) -> Result<()> {
        self.portals.parked.retain(|p| p.id != id);
        if self.portals.open.as_ref().is_none_or(|o| o.id != id) {
            return Ok(());
        }
        self.portals.open = None;
        frontend::close(b'P', "", &mut self.wbuf).map_err(|e| self.proto_error(e.to_string()))?;
        frontend::sync(&mut self.wbuf);
        self.flush()?;
        self.until_ready(None)
    }

    /// Another request needs the connection: read the rest of the open
    /// portal (Execute of all its rows, Sync) and keep it for its stream.
    /// A server error is kept for the stream too; only a broken
    /// connection fails here.
    pub(super) fn park_portal(&mut self) -> Result<()> {
        // Without an open portal, the ReadyForQuery of a Sync sent after a
        // stream's end is read by whoever reads the next answer (`recv`,
        // `describe`, `portal_batch`, …): the next request goes out first,
        // so waiting for that Sync's answer costs no wake-up of its own.
        let Some(id) = self.portal_open_id() else {
            return Ok(());
        };
        self.absorb_syncs()?;
        log::debug!(
            "another request needs the connection: reading the rest of stream {} first",
            id
        );
        frontend::execute("", 0, &mut self.wbuf).map_err(|e| self.proto_error(e.to_string()))?;
        frontend::flush(&mut self.wbuf);
        self.flush()?;
        let mut rest = ResultSet::default();
        let res = self.portal_batch(id, &mut rest).map(|_| ());
        if self.broken {
            return res;
        }
        self.portals.parked.push(Parked { id, rest, res });
        // The request that follows reads only its own answers.
        self.absorb_syncs()
    }
}
