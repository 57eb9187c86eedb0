//! COPY mode of one physical connection: after a `COPY … FROM STDIN` the
//! client streams CopyData to the server and ends with CopyDone (or gives
//! up with CopyFail); after a `COPY … TO STDOUT` the server streams CopyData
//! and ends with CopyDone. Data moves in chunks: nothing here holds more
//! than one chunk (about `CHUNK` bytes) of a COPY at a time.
//!
//! The session drives the phases in order: send the COPY statement like any
//! other (`Conn::send`, `Conn::flush`), `copy_begin` to learn whether the
//! server switched to COPY mode, then `copy_put` / `copy_get`, then
//! `copy_done` or `copy_fail`. Every phase that reads up to ReadyForQuery
//! leaves the connection usable after a server error.

use super::{server_error, Conn, Stream};
use crate::error::{Error, Result};
use crate::result::ResultSet;
use bytes::Bytes;
use fallible_iterator::FallibleIterator;
use postgres_protocol::message::backend::{ErrorResponseBody, Message};
use postgres_protocol::message::frontend;
use std::io::Write;
use std::os::unix::io::AsRawFd;

/// Outgoing data is sent in CopyData messages of at most this many bytes,
/// and written to the socket once this much is queued.
const CHUNK: usize = 64 * 1024;

/// The shape of a COPY's data, as the server announced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Binary COPY format (`FORMAT binary`); otherwise text or CSV.
    pub binary: bool,
    /// Number of columns.
    pub cols: usize,
}

/// What the server did with a COPY statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Began {
    /// It waits for data from the client (`COPY … FROM STDIN`).
    In(Shape),
    /// It is sending data to the client (`COPY … TO STDOUT`).
    Out(Shape),
    /// It completed without COPY mode (a COPY to or from a server file);
    /// its tag is in the result.
    Done,
}

impl Conn {
    /// Read the answer to a COPY statement up to the point where the
    /// server switches to COPY mode, or up to ReadyForQuery when it does
    /// not (a server error is returned then, the connection usable).
    pub fn copy_begin(&mut self, out: &mut ResultSet) -> Result<Began> {
        out.reset();
        self.absorb_syncs()?;
        let mut err: Option<Error> = None;
        loop {
            match self.read_message()? {
                Message::CopyInResponse(b) => {
                    let cols = b
                        .column_formats()
                        .count()
                        .map_err(|e| self.proto_error(e.to_string()))?;
                    return Ok(Began::In(Shape {
                        binary: b.format() == 1,
                        cols,
                    }));
                }
                Message::CopyOutResponse(b) => {
                    let cols = b
                        .column_formats()
                        .count()
                        .map_err(|e| self.proto_error(e.to_string()))?;
                    return Ok(Began::Out(Shape {
                        binary: b.format() == 1,
                        cols,
                    }));
                }
                Message::ReadyForQuery(b) => {
                    self.tx = super::tx_from(b.status());
                    return err.map_or(Ok(Began::Done), Err);
                }
                m => self.copy_other(m, out, &mut err)?,
            }
        }
    }

    /// Queue `data` for a `COPY … FROM STDIN` as CopyData messages, writing
    /// to the server whenever a chunk is full. When the server has already
    /// rejected the data (a bad row), its error is returned here, the COPY
    /// is over on the server and the connection usable.
    pub fn copy_put(&mut self, mut data: &[u8]) -> Result<()> {
        while !data.is_empty() {
            let n = data.len().min(CHUNK);
            let msg =
                frontend::CopyData::new(&data[..n]).map_err(|e| self.proto_error(e.to_string()))?;
            msg.write(&mut self.wbuf);
            data = &data[n..];
            if self.wbuf.len() >= CHUNK {
                self.write_queued()?;
                self.copy_in_answer()?;
            }
        }
        Ok(())
    }

    /// During a COPY FROM STDIN the server speaks only to report an error
    /// (then it ends the COPY: ErrorResponse, ReadyForQuery, and it ignores
    /// the data still coming) or to pass on a notice. Read what it sent
    /// without waiting for more.
    fn copy_in_answer(&mut self) -> Result<()> {
        let mut out = ResultSet::default();
        while !self.rbuf.is_empty() || self.input_waiting() {
            let mut err = None;
            match self.read_message()? {
                Message::ErrorResponse(body) => {
                    let e = with_context(&body);
                    // ReadyForQuery follows at once.
                    loop {
                        match self.read_message()? {
                            Message::ReadyForQuery(b) => {
                                self.tx = super::tx_from(b.status());
                                return Err(e);
                            }
                            m => self.copy_other(m, &mut out, &mut err)?,
                        }
                    }
                }
                m => self.copy_other(m, &mut out, &mut err)?,
            }
        }
        Ok(())
    }

    /// Whether the server has sent something not read yet (never waits).
    fn input_waiting(&self) -> bool {
        #[allow(unreachable_patterns)] // streams without a descriptor of their own
        let fd = match &self.stream {
            Stream::Tcp(s) => s.as_raw_fd(),
            Stream::Unix(s) => s.as_raw_fd(),
            _ => return false,
        };
        let mut p = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd, a count of 1, and no wait.
        let n = unsafe { libc::poll(&mut p, 1, 0) };
        n > 0 && p.revents & (libc::POLLIN | libc::POLLHUP | libc::POLLERR) != 0
    }

    /// The next chunk of a `COPY … TO STDOUT` (one CopyData message: a row
    /// in text and CSV formats). `None` once the COPY is over: the server's
    /// tag is then in `out`, or its error is returned (after ReadyForQuery,
    /// so the connection stays usable).
    pub fn copy_get(&mut self, out: &mut ResultSet) -> Result<Option<Bytes>> {
        let mut err: Option<Error> = None;
        loop {
            match self.read_message()? {
                Message::CopyData(body) if err.is_none() => return Ok(Some(body.into_bytes())),
                Message::ReadyForQuery(b) => {
                    self.tx = super::tx_from(b.status());
                    return err.map_or(Ok(None), Err);
                }
                m => self.copy_other(m, out, &mut err)?,
            }
        }
    }

    /// End a `COPY … FROM STDIN` (CopyDone) and read the outcome: the tag
    /// in `out` (`COPY n`), or the server's error, such as a bad row
    /// reported as it read the data.
    pub fn copy_done(&mut self, out: &mut ResultSet) -> Result<()> {
        frontend::copy_done(&mut self.wbuf);
        self.write_queued()?;
        self.copy_drain(out)
    }

    /// Give up a `COPY … FROM STDIN` (CopyFail with `reason`): the server
    /// copies nothing and answers with an error (SQLSTATE 57014), which is
    /// returned as `Ok(Some(..))`; the connection stays usable.
    pub fn copy_fail(&mut self, reason: &str) -> Result<Option<Error>> {
        self.wbuf.clear();
        frontend::copy_fail(reason, &mut self.wbuf).map_err(|e| self.proto_error(e.to_string()))?;
        self.write_queued()?;
        let mut out = ResultSet::default();
        match self.copy_drain(&mut out) {
            Ok(()) => Ok(None),
            Err(e) if !self.broken => Ok(Some(e)),
            Err(e) => Err(e),
        }
    }

    /// Read and discard the rest of a COPY up to ReadyForQuery: its tag
    /// goes to `out`, a server error is returned.
    pub fn copy_drain(&mut self, out: &mut ResultSet) -> Result<()> {
        while self.copy_get(out)?.is_some() {}
        Ok(())
    }

    /// Write what is queued, without counting a request: COPY data is part
    /// of the one request that was the COPY statement.
    fn write_queued(&mut self) -> Result<()> {
        if self.broken {
            self.wbuf.clear();
            return Err(super::lost(&self.addr, "connection is broken"));
        }
        let r = self.stream.write_all(&self.wbuf);
        self.wbuf.clear();
        r.map_err(|e| self.io_error(e, false))
    }

    /// A message of a COPY's answer other than its data and the end.
    fn copy_other(
        &mut self,
        m: Message,
        out: &mut ResultSet,
        err: &mut Option<Error>,
    ) -> Result<()> {
        match m {
            Message::CommandComplete(body) => {
                let tag = body.tag().map_err(|e| self.proto_error(e.to_string()))?;
                out.set_tag(tag);
            }
            Message::ErrorResponse(body) if err.is_none() => *err = Some(with_context(&body)),
            Message::ParameterStatus(p) => self.note_parameter(&p),
            Message::NoticeResponse(body) => {
                if log::log_enabled!(log::Level::Debug) {
                    let n = server_error(body.fields());
                    log::debug!("notice from {}: {}", &self.addr, n.message);
                }
            }
            Message::CopyInResponse(_) | Message::CopyOutResponse(_) => {
                return Err(self.proto_error("a second COPY response in one statement".into()));
            }
            _ => {} // CopyDone, data after an error, notifications
        }
        Ok(())
    }
}

/// A server error with its CONTEXT line, which for a COPY names the line
/// and column that failed ("COPY t, line 3, column id: \"x\"").
fn with_context(body: &ErrorResponseBody) -> Error {
    let mut e = server_error(body.fields());
    let mut fields = body.fields();
    while let Ok(Some(f)) = fields.next() {
        if f.type_() == b'W' {
            e.message.push_str("\nCONTEXT:  ");
            e.message
                .push_str(&String::from_utf8_lossy(f.value_bytes()));
        }
    }
    e
}
