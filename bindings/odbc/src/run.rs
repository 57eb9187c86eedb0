//! Running one statement of a STMT handle through pgtc: text or a
//! prepared statement, with or without bound parameters, and the rows a
//! result still has on the server (fetched `Fetch` rows at a time).
//!
//! With `Fetch=N` (N > 0; the default is `DEFAULT_FETCH`) a statement that
//! returns rows streams: its rows come `N` at a time through a portal
//! (pgtc's `Session::stream`), so a result of any size is read in memory
//! bounded by one batch. A text without parameters streams when it is one
//! read-only statement; a text of several statements (simple protocol) and
//! any other statement without parameters is read whole, as before.
//! `Fetch=0` reads every result whole.
//!
//! SQLRowCount of a streaming result counts the rows read from the server
//! so far (the current batch included) and, after the last batch, all of
//! them: each batch carries a `SELECT n` tag with that count.

use pgtc::session::{Statement, Values};
use pgtc::{ResultSet, Session};

use crate::api::E;
use crate::handle::StmtState;

/// Rows per batch when the connection string sets neither `Fetch` nor
/// `UseDeclareFetch`.
pub const DEFAULT_FETCH: usize = 1000;

/// Parameter values, as pgtc's `exec_typed` takes them.
#[derive(Clone, Copy)]
pub struct Params<'a> {
    pub types: &'a [u32],
    pub values: Values<'a>,
    pub formats: &'a [i16],
}

/// What runs.
#[derive(Clone, Copy)]
#[allow(dead_code)] // Prepared: SQLExecute
pub enum What<'a> {
    Text(&'a str),
    Prepared(&'a Statement),
}

/// The rest of a result that is still on the server. Dropping it (the
/// cursor closed, the statement freed or run again) closes its portal on
/// the server with the connection's next request.
pub struct Stream {
    inner: pgtc::session::Stream,
    /// Rows read from the server so far.
    rows: u64,
}

pub struct Outcome {
    /// The results (chained by `ResultSet::next`); with a stream, the
    /// first holds its first batch of rows.
    pub result: ResultSet,
    pub stream: Option<Stream>,
}

/// Whether a text without parameters streams: one read-only statement.
fn streams_text(sql: &str) -> bool {
    let f = pgtc::classify::classify(sql);
    f.statements == 1 && f.read_only && !f.copy
}

/// Runs `what` on `session`. `fetch` is the connection's `Fetch` (rows
/// per batch; 0: read whole).
pub fn run(
    session: &mut Session,
    what: What<'_>,
    params: Option<Params<'_>>,
    fetch: usize,
) -> pgtc::Result<Outcome> {
    let none = Params {
        types: &[],
        values: Values::Text(&[]),
        formats: &[],
    };
    let stream = match (what, params) {
        (What::Text(sql), None) if fetch == 0 || !streams_text(sql) => {
            return Ok(whole(session.exec(sql, None)?))
        }
        (What::Text(sql), p) if fetch > 0 => {
            let p = p.unwrap_or(none);
            session.stream(sql, p.types, p.values, p.formats, fetch)?
        }
        (What::Text(sql), p) => {
            return Ok(whole(match p {
                Some(p) => session.exec_typed(sql, p.types, p.values, p.formats)?,
                None => session.exec(sql, None)?,
            }))
        }
        (What::Prepared(s), p) if fetch > 0 => {
            let p = p.unwrap_or(none);
            session.stream_prepared(s, p.values, p.formats, fetch)?
        }
        (What::Prepared(s), p) => {
            let p = p.unwrap_or(none);
            return Ok(whole(session.exec_prepared(s, p.values, p.formats)?));
        }
    };
    let mut s = Stream {
        inner: stream,
        rows: 0,
    };
    let first = session.stream_next(&mut s.inner)?.unwrap_or_default();
    let (result, stream) = s.take(first);
    Ok(Outcome { result, stream })
}

fn whole(result: ResultSet) -> Outcome {
    Outcome {
        result,
        stream: None,
    }
}

impl Stream {
    /// Count `batch` and give it back with the stream, which is None once
    /// it was the last batch.
    fn take(mut self, mut batch: ResultSet) -> (ResultSet, Option<Stream>) {
        self.rows += batch.rows() as u64;
        if self.inner.is_done() {
            (batch, None)
        } else {
            batch.set_tag(&format!("SELECT {}", self.rows));
            (batch, Some(self))
        }
    }
}

impl Stream {
    /// Close the stream on the server now (Close of its portal and Sync),
    /// rather than with the connection's next request as dropping it does.
    pub fn close(self, session: &mut Session) -> pgtc::Result<()> {
        session.stream_close(self.inner)
    }
}

impl StmtState {
    /// Closes the current result's stream on the server now (for
    /// SQLCloseCursor and SQLFreeStmt, which have the session at hand):
    /// until a dropped stream is closed, the server keeps its portal, and
    /// with it the snapshot and the locks of its transaction.
    pub fn close_stream(&mut self, session: &mut Session) -> Result<(), E> {
        match self.stream.take() {
            Some(s) => s.close(session).map_err(E::Pg),
            None => Ok(()),
        }
    }

    /// Replaces the current result's rows with the next batch of its
    /// stream: false when there is none (the rows are all read). A server
    /// error in the middle of the stream is returned here, and ends it.
    pub fn next_batch(&mut self, session: &mut Session) -> Result<bool, E> {
        let Some(mut s) = self.stream.take() else {
            return Ok(false);
        };
        match session.stream_next(&mut s.inner).map_err(E::Pg)? {
            None => Ok(false),
            Some(batch) => {
                let (batch, rest) = s.take(batch);
                self.result = Some(batch);
                self.index = 0;
                self.row = None;
                self.getdata = None;
                self.stream = rest;
                Ok(true)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::streams_text;

    #[test]
    fn one_read_streams_and_anything_else_is_read_whole() {
        for sql in [
            "SELECT g FROM generate_series(1, 10) g",
            "select 1;",
            "VALUES (1), (2)",
            "WITH x AS (SELECT 1) SELECT * FROM x",
            "TABLE t",
        ] {
            assert!(streams_text(sql), "{}", sql);
        }
        for sql in [
            "SELECT 1; SELECT 2",
            "INSERT INTO t VALUES (1) RETURNING *",
            "SELECT * FROM t FOR UPDATE",
            "COPY t TO STDOUT",
            "BEGIN",
            "SET work_mem = '1MB'",
            "CREATE TABLE t (a int)",
        ] {
            assert!(!streams_text(sql), "{}", sql);
        }
    }
}
