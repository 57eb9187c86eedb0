//! Running one statement of a STMT handle through pgtc: text or a
//! prepared statement, with or without bound parameters, and the rows a
//! result still has on the server (fetched `Fetch` rows at a time).

use pgtc::session::{Statement, Values};
use pgtc::{ResultSet, Session};

use crate::api::E;
use crate::handle::StmtState;

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

/// The rest of a result that is still on the server. No statement
/// streams yet: every result is read whole.
pub enum Stream {}

pub struct Outcome {
    /// The results (chained by `ResultSet::next`); with a stream, the
    /// first holds its first batch of rows.
    pub result: ResultSet,
    pub stream: Option<Stream>,
}

/// Runs `what` on `session`. `fetch` is the connection's `Fetch` (rows
/// per batch; 0: read whole).
pub fn run(
    session: &mut Session,
    what: What<'_>,
    params: Option<Params<'_>>,
    fetch: usize,
) -> pgtc::Result<Outcome> {
    let _ = fetch;
    let result = match (what, params) {
        (What::Text(sql), None) => session.exec(sql, None)?,
        (What::Text(sql), Some(p)) => session.exec_typed(sql, p.types, p.values, p.formats)?,
        (What::Prepared(s), p) => session.exec_prepared(
            s,
            p.map_or(Values::Text(&[]), |p| p.values),
            p.map_or(&[], |p| p.formats),
        )?,
    };
    Ok(Outcome {
        result,
        stream: None,
    })
}

impl StmtState {
    /// Replaces the current result's rows with the next batch of its
    /// stream: false when there is none (the rows are all read).
    pub fn next_batch(&mut self, session: &mut Session) -> Result<bool, E> {
        let _ = session;
        match self.stream.take() {
            None => Ok(false),
            Some(s) => match s {},
        }
    }
}
