//! The named statements prepared on one physical connection: those of
//! `Session::prepare` (by statement id) and the bounded LRU cache that
//! `exec_params` uses (by SQL text and parameter types).
//!
//! A Parse is queued with the request that first needs the statement on
//! this connection (Parse, Bind, Execute and Sync then go out in one round
//! trip) and the statement is counted as prepared from then on; the
//! server's answer confirms it (ParseComplete) or takes it back (an error
//! before the ParseComplete). Statements evicted or freed are closed with
//! the next extended-protocol request, in the same round trip. A new
//! connection starts with none, so statements are prepared again after a
//! reconnect or failover; `DISCARD ALL` and `DEALLOCATE ALL` forget them
//! all, as the server does.
//!
//! An execution of a named statement needs no Describe once one was
//! answered here: the result columns are remembered by statement name
//! (`Shape`). A name is never used twice on a connection, and the server
//! never changes a named statement's result columns (an execution after
//! DDL that would fails with `STALE_PLAN` instead), so the columns
//! remembered are exactly those a Describe would report.

use super::{invalid_sql, server_error, tx_from, Bound, Conn, StmtRef, Values};
use crate::error::{Error, Result};
use crate::result::{Column, ResultSet};
use bytes::{BufMut, BytesMut};
use fallible_iterator::FallibleIterator;
use postgres_protocol::message::{backend::Message, frontend};
use postgres_protocol::IsNull;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// How the server begins its error for a prepared statement whose result
/// columns changed (DDL) since it was prepared (SQLSTATE 0A000).
pub const STALE_PLAN: &str = "cached plan must not change result type";

/// Counts the DDL statements the sessions of this process ran (and the
/// ends of transactions that ran some). A statement of the cache prepared
/// before the count last moved is prepared again before its next use:
/// DDL may have changed the columns it returns, and the server would
/// refuse the old one (`STALE_PLAN`), inside a transaction aborting it.
/// DDL run by other processes is not seen here.
static SCHEMA_EPOCH: AtomicU64 = AtomicU64::new(0);

/// DDL ran (or a transaction that ran some ended): the cached statements
/// of every connection of the process are prepared again at their next use.
pub fn schema_changed() {
    SCHEMA_EPOCH.fetch_add(1, Ordering::AcqRel);
}

/// What follows an execution queued by `write_bound`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum End {
    /// Sync: the request ends here (one ReadyForQuery answers it).
    Sync,
    /// Flush: the portal stays open (see `portal`).
    Flush,
    /// Nothing: more executions of the same request follow.
    Nothing,
}

/// One result column of a described statement (RowDescription).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnDesc {
    pub name: String,
    pub type_oid: u32,
    pub type_modifier: i32,
    /// The table the column comes from (0 when none).
    pub table_oid: u32,
    /// Its column number in that table (0 when none).
    pub table_column: i16,
}

/// What Describe reported for a prepared statement.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Description {
    /// The type OID of each parameter `$1 … $n`, as the server resolved them.
    pub param_types: Vec<u32>,
    /// The result columns (none for a statement that returns no rows).
    pub columns: Vec<ColumnDesc>,
}

/// The result columns of a named statement (none for a statement that
/// returns no rows), as a Describe of a portal bound to it with every
/// result column in text format reported them: a result's columns and
/// names, copied into each result of a later execution.
pub(super) type Shape = Arc<(Vec<Column>, Vec<u8>)>;

/// What follows the BindComplete of an execution queued by `write_bound`.
enum After {
    /// The Describe's answer; its columns are those of the named statement
    /// (remembered when the name is given).
    Described(Option<String>),
    /// No Describe was sent: the result has the statement's known columns.
    Known(Shape),
}

/// An execution queued by `write_bound` for request number `seq`.
struct Exec {
    seq: u64,
    after: After,
}

struct Cached {
    name: String,
    types: Vec<u32>,
    used: u64,
    /// `SCHEMA_EPOCH` when it was prepared.
    epoch: u64,
}

enum What {
    Cache(String),
    Stmt(u64),
}

/// A Parse sent with request number `seq` of the connection.
struct Pending {
    what: What,
    seq: u64,
}

#[derive(Default)]
pub(super) struct Stmts {
    next: u64,
    clock: u64,
    cache: HashMap<String, Cached>,
    stmts: HashMap<u64, String>,
    /// Parses sent whose answer has not been read yet, oldest first.
    pending: VecDeque<Pending>,
    /// Statements to close with the next extended-protocol request.
    closing: Vec<String>,
    /// Requests queued and requests answered (ReadyForQuery) so far.
    queued: u64,
    done: u64,
    /// The named statement the last `Bound` request ran (a cached one is
    /// the one last used at `clock`).
    last: Option<StmtRef>,
    /// Parse messages sent on this connection for `Bound` requests and
    /// descriptions.
    pub(super) parses: u64,
    /// The result columns of the named statements here, once a Describe
    /// of one of their portals was answered.
    shapes: HashMap<String, Shape>,
    /// Executions queued (outside streams) whose BindComplete has not been
    /// read yet, oldest first.
    execs: VecDeque<Exec>,
    /// The statement whose portal's Describe is answered next.
    learning: Option<String>,
    /// Executions sent without a Describe.
    pub(super) undescribed: u64,
}

/// How a request names its statement, once resolved on one connection.
pub(super) struct Use<'a> {
    pub(super) name: &'a str,
    /// A Parse must be sent first.
    pub(super) parse: bool,
    /// The statement's result columns, when they are known here.
    pub(super) shape: Option<Shape>,
}

impl Stmts {
    fn fresh_name(&mut self) -> String {
        self.next += 1;
        format!("pgtc_{}", self.next)
    }

    /// The statement `r` names for `sql`, added (and a Parse counted) when
    /// it is not prepared here yet; Close messages for the statements
    /// evicted or freed so far are written to `wbuf` first.
    pub(super) fn resolve(
        &mut self,
        r: StmtRef,
        sql: &str,
        types: &[u32],
        wbuf: &mut BytesMut,
    ) -> Use<'_> {
        let parse = match r {
            StmtRef::Cached(capacity) => self.cached(sql, types, capacity),
            StmtRef::Prepared(id) => self.stmt(id),
            StmtRef::Unnamed => {
                self.parses += 1;
                true
            }
        };
        self.write_closes(wbuf);
        self.last = Some(r);
        let name = match r {
            StmtRef::Cached(_) => self.cache.get(sql).map_or("", |c| c.name.as_str()),
            StmtRef::Prepared(id) => self.stmts.get(&id).map_or("", String::as_str),
            StmtRef::Unnamed => "",
        };
        let shape = if parse || name.is_empty() {
            None
        } else {
            self.shapes.get(name).cloned()
        };
        Use { name, parse, shape }
    }

    /// Write Close for the statements evicted or freed so far.
    pub(super) fn write_closes(&mut self, wbuf: &mut BytesMut) {
        for name in self.closing.drain(..) {
            // A name of pgtc's own never holds a NUL.
            let _ = frontend::close(b'S', &name, wbuf);
            self.shapes.remove(&name);
        }
    }

    /// Make sure the cache holds `sql` with `types`, adding it (and
    /// evicting the least recently used beyond `capacity`) when it does
    /// not; true when it was added.
    fn cached(&mut self, sql: &str, types: &[u32], capacity: usize) -> bool {
        self.clock += 1;
        let clock = self.clock;
        let epoch = SCHEMA_EPOCH.load(Ordering::Acquire);
        if let Some(c) = self.cache.get_mut(sql) {
            if c.types.as_slice() == types && c.epoch == epoch {
                c.used = clock;
                return false;
            }
        }
        if let Some(old) = self.cache.remove(sql) {
            self.closing.push(old.name);
        }
        while self.cache.len() >= capacity.max(1) {
            self.evict_oldest();
        }
        let name = self.fresh_name();
        self.cache.insert(
            sql.to_string(),
            Cached {
                name,
                types: types.to_vec(),
                used: clock,
                epoch,
            },
        );
        self.pending.push_back(Pending {
            what: What::Cache(sql.to_string()),
            seq: self.queued + 1,
        });
        self.parses += 1;
        true
    }

    fn evict_oldest(&mut self) {
        let oldest = self
            .cache
            .iter()
            .min_by_key(|(_, c)| c.used)
            .map(|(k, _)| k.clone());
        if let Some(k) = oldest {
            if let Some(c) = self.cache.remove(&k) {
                self.closing.push(c.name);
            }
        }
    }

    /// Shrink the cache to `capacity` entries (closing the others).
    pub(super) fn limit_cache(&mut self, capacity: usize) {
        while self.cache.len() > capacity {
            self.evict_oldest();
        }
    }

    /// Statements in the cache.
    pub(super) fn cache_len(&self) -> usize {
        self.cache.len()
    }

    /// Make sure statement `id` (of `Session::prepare`) is prepared here;
    /// true when it was added.
    fn stmt(&mut self, id: u64) -> bool {
        if self.stmts.contains_key(&id) {
            return false;
        }
        let name = self.fresh_name();
        self.stmts.insert(id, name);
        self.pending.push_back(Pending {
            what: What::Stmt(id),
            seq: self.queued + 1,
        });
        self.parses += 1;
        true
    }

    /// Statement `id` is no longer needed: close it here if it was prepared.
    pub(super) fn forget(&mut self, id: u64) {
        if let Some(name) = self.stmts.remove(&id) {
            self.closing.push(name);
        }
    }

    /// A request was queued (each is answered by one ReadyForQuery).
    pub(super) fn queued(&mut self) {
        self.queued += 1;
    }

    /// The request being queued could not be: take back what `cached` /
    /// `stmt` added for it.
    pub(super) fn unsent(&mut self) {
        self.drop_pending(self.queued + 1);
    }

    /// A ParseComplete: the oldest pending Parse succeeded.
    pub(super) fn parsed(&mut self) {
        self.pending.pop_front();
    }

    /// A request was answered (ReadyForQuery): its Parses that were not
    /// confirmed failed, so those statements do not exist on the server.
    pub(super) fn answered(&mut self) {
        self.done += 1;
        self.drop_pending(self.done);
        while self.execs.front().is_some_and(|e| e.seq <= self.done) {
            self.execs.pop_front();
        }
        self.learning = None;
    }

    /// An execution of the statement `r` names for `sql` was queued with
    /// request number `queued + 1`; `known` when it went without a Describe.
    fn queued_exec(&mut self, r: StmtRef, sql: &str, known: Option<Shape>) {
        let after = match known {
            Some(shape) => {
                self.undescribed += 1;
                After::Known(shape)
            }
            None => {
                let name = match r {
                    StmtRef::Cached(_) => self.cache.get(sql).map(|c| c.name.as_str()),
                    StmtRef::Prepared(id) => self.stmts.get(&id).map(String::as_str),
                    StmtRef::Unnamed => None,
                };
                After::Described(
                    name.filter(|n| !n.is_empty() && !self.shapes.contains_key(*n))
                        .map(str::to_string),
                )
            }
        };
        self.execs.push_back(Exec {
            seq: self.queued + 1,
            after,
        });
    }

    /// A BindComplete of the request being answered: the execution it
    /// starts, when `write_bound` queued it (streams' are not).
    fn bind_complete(&mut self) -> Option<After> {
        let answering = self.done + 1;
        while self.execs.front().is_some_and(|e| e.seq < answering) {
            self.execs.pop_front();
        }
        if self.execs.front().is_some_and(|e| e.seq == answering) {
            return self.execs.pop_front().map(|e| e.after);
        }
        None
    }

    fn drop_pending(&mut self, up_to: u64) {
        while self.pending.front().is_some_and(|p| p.seq <= up_to) {
            match self.pending.pop_front().map(|p| p.what) {
                Some(What::Cache(sql)) => {
                    self.cache.remove(&sql);
                }
                Some(What::Stmt(id)) => {
                    self.stmts.remove(&id);
                }
                None => {}
            }
        }
    }

    /// A command completed: `DISCARD ALL` and `DEALLOCATE ALL` removed
    /// every prepared statement of the server session.
    pub(super) fn note_tag(&mut self, tag: &str) {
        if tag == "DISCARD ALL" || tag == "DEALLOCATE ALL" {
            self.cache.clear();
            self.stmts.clear();
            self.closing.clear();
            self.shapes.clear();
        }
    }

    /// The last statement run can no longer run as prepared ("cached plan
    /// must not change result type" after DDL): close it and prepare it
    /// again next time.
    pub(super) fn stale_last(&mut self) {
        let removed = match self.last.take() {
            Some(StmtRef::Cached(_)) => {
                let clock = self.clock;
                let key = self
                    .cache
                    .iter()
                    .find(|(_, c)| c.used == clock)
                    .map(|(k, _)| k.clone());
                key.and_then(|k| self.cache.remove(&k)).map(|c| c.name)
            }
            Some(StmtRef::Prepared(id)) => self.stmts.remove(&id),
            _ => None,
        };
        self.closing.extend(removed);
    }

    /// The server said a statement does not exist (SQLSTATE 26000, e.g.
    /// after a `DEALLOCATE` of one of pgtc's names): forget the ones named
    /// in `message` so that they are prepared again.
    pub(super) fn note_missing(&mut self, message: &str) {
        let named = |n: &str| message.contains(&format!("\"{}\"", n));
        self.shapes.retain(|n, _| !named(n));
        self.cache.retain(|_, c| !named(&c.name));
        self.stmts.retain(|_, n| !named(n));
    }
}

impl Conn {
    /// Queue Close for the statements evicted or freed since the last
    /// request (their CloseComplete is read with this request's answers).
    pub(super) fn queue_closes(&mut self) {
        self.stmts.write_closes(&mut self.wbuf);
    }

    /// Queue Parse (when the statement is not prepared here yet), Bind,
    /// Describe, Execute and Sync for `b`.
    pub(super) fn send_bound(&mut self, b: &Bound<'_>) -> Result<()> {
        self.write_bound(b, 0, End::Sync)
    }

    /// Queue executions of `sets` as one request: each one's Bind,
    /// Describe and Execute, and one Sync after the last, so that the
    /// server answers them in one go (one ReadyForQuery, one flush of its
    /// output) instead of one each. Read the answers with `recv_group`.
    /// After a set fails the server skips the others up to the Sync; inside
    /// a transaction block that is what running them one by one does (the
    /// block is aborted), which is where callers use it: outside one, the
    /// sets would be one implicit transaction. A set that cannot be
    /// queued (a value too large) leaves nothing queued.
    pub fn send_group(&mut self, sets: &[Bound<'_>]) -> Result<()> {
        self.park_portal()?;
        let mark = self.wbuf.len();
        for (i, b) in sets.iter().enumerate() {
            let end = if i + 1 == sets.len() {
                End::Sync
            } else {
                End::Nothing
            };
            if let Err(e) = self.write_bound(b, 0, end) {
                self.wbuf.truncate(mark);
                self.stmts.unsent();
                return Err(e);
            }
        }
        self.stmts.queued();
        Ok(())
    }

    /// Queue Parse (when needed), Bind to the unnamed portal, Describe of
    /// the portal and Execute of at most `max_rows` rows (0: all), then
    /// what `end` says.
    pub(super) fn write_bound(&mut self, b: &Bound<'_>, max_rows: i32, end: End) -> Result<()> {
        let n = b.values.len();
        if n > i16::MAX as usize || b.types.len() > i16::MAX as usize {
            return Err(Error::invalid_argument(format!(
                "{} parameters given; PostgreSQL accepts at most {}",
                n.max(b.types.len()),
                i16::MAX
            )));
        }
        if b.formats.len() > 1 && b.formats.len() != n {
            return Err(Error::invalid_argument(format!(
                "{} parameter formats given for {} parameters (give none, one, or one per parameter)",
                b.formats.len(),
                n
            )));
        }
        if let Some(f) = b.formats.iter().find(|f| !matches!(f, 0 | 1)) {
            return Err(Error::invalid_argument(format!(
                "parameter format {} is neither 0 (text) nor 1 (binary)",
                f
            )));
        }
        let mark = self.wbuf.len();
        let u = self.stmts.resolve(b.stmt, b.sql, b.types, &mut self.wbuf);
        // A stream reads its columns from the Describe (see `portal`).
        let known = match end {
            End::Flush => None,
            _ => u.shape.clone(),
        };
        let described = known.is_none();
        let wbuf = &mut self.wbuf;
        let r = (|| -> Result<()> {
            if u.parse {
                frontend::parse(u.name, b.sql, b.types.iter().copied(), wbuf)
                    .map_err(|e| invalid_sql(e.to_string()))?;
            }
            let formats = if b.formats.is_empty() {
                &[0][..]
            } else {
                b.formats
            };
            let bound = match b.values {
                Values::Text(v) => frontend::bind(
                    "",
                    u.name,
                    formats.iter().copied(),
                    v.iter(),
                    |p, buf| put_value(p.map(str::as_bytes), buf),
                    std::iter::once(0i16),
                    wbuf,
                ),
                Values::Bytes(v) => frontend::bind(
                    "",
                    u.name,
                    formats.iter().copied(),
                    v.iter(),
                    |p, buf| put_value(*p, buf),
                    std::iter::once(0i16),
                    wbuf,
                ),
            };
            bound.map_err(|_| invalid_sql("a parameter is too large".into()))?;
            if described {
                frontend::describe(b'P', "", wbuf).map_err(|e| invalid_sql(e.to_string()))?;
            }
            frontend::execute("", max_rows, wbuf).map_err(|e| invalid_sql(e.to_string()))?;
            match end {
                End::Sync => frontend::sync(wbuf),
                End::Flush => frontend::flush(wbuf),
                End::Nothing => {}
            }
            Ok(())
        })();
        if r.is_err() {
            self.wbuf.truncate(mark);
            self.stmts.unsent();
        } else if end != End::Flush {
            self.stmts.queued_exec(b.stmt, b.sql, known);
        }
        r
    }

    /// A BindComplete arrived while reading into `target`: the execution
    /// it starts takes its statement's known columns, or the answer to its
    /// Describe is remembered as them.
    pub(super) fn bind_complete(&mut self, target: &mut ResultSet) {
        match self.stmts.bind_complete() {
            Some(After::Known(shape)) => target.set_columns(&shape.0, &shape.1),
            Some(After::Described(name)) => self.stmts.learning = name,
            None => self.stmts.learning = None,
        }
    }

    /// The Describe of the execution being read answered with `columns`
    /// (none: NoData): remember them for its statement.
    pub(super) fn described(&mut self, columns: impl FnOnce() -> Shape) {
        if let Some(name) = self.stmts.learning.take() {
            self.stmts.shapes.insert(name, columns());
        }
    }

    /// Executions sent without a Describe on this connection.
    pub fn undescribed(&self) -> u64 {
        self.stmts.undescribed
    }

    /// Prepare statement `id` here (unless it is already) and describe it,
    /// in one round trip: its parameter types and result columns.
    pub fn describe(&mut self, id: u64, sql: &str, types: &[u32]) -> Result<Description> {
        self.park_portal()?;
        if types.len() > i16::MAX as usize {
            return Err(Error::invalid_argument(format!(
                "{} parameter types given; PostgreSQL accepts at most {}",
                types.len(),
                i16::MAX
            )));
        }
        let mark = self.wbuf.len();
        let u = self
            .stmts
            .resolve(StmtRef::Prepared(id), sql, types, &mut self.wbuf);
        let r = (|| -> Result<()> {
            if u.parse {
                frontend::parse(u.name, sql, types.iter().copied(), &mut self.wbuf)
                    .map_err(|e| invalid_sql(e.to_string()))?;
            }
            frontend::describe(b'S', u.name, &mut self.wbuf)
                .map_err(|e| invalid_sql(e.to_string()))?;
            frontend::sync(&mut self.wbuf);
            Ok(())
        })();
        if let Err(e) = r {
            self.wbuf.truncate(mark);
            self.stmts.unsent();
            return Err(e);
        }
        self.stmts.queued();
        self.flush()?;
        self.absorb_syncs()?;
        let mut d = Description::default();
        let mut err: Option<Error> = None;
        loop {
            match self.read_message()? {
                Message::ParseComplete => self.stmts.parsed(),
                Message::ParameterDescription(body) => {
                    let mut it = body.parameters();
                    while let Some(t) = it.next().map_err(|e| self.proto_error(e.to_string()))? {
                        d.param_types.push(t);
                    }
                }
                Message::RowDescription(body) => {
                    let mut fields = body.fields();
                    while let Some(f) =
                        fields.next().map_err(|e| self.proto_error(e.to_string()))?
                    {
                        d.columns.push(ColumnDesc {
                            name: f.name().to_string(),
                            type_oid: f.type_oid(),
                            type_modifier: f.type_modifier(),
                            table_oid: f.table_oid(),
                            table_column: f.column_id(),
                        });
                    }
                }
                Message::ErrorResponse(body) if err.is_none() => {
                    err = Some(server_error(body.fields()));
                }
                Message::ParameterStatus(p) => self.note_parameter(&p),
                Message::ReadyForQuery(b) => {
                    self.tx = tx_from(b.status());
                    self.stmts_settled(err.as_ref());
                    return match err {
                        None => Ok(d),
                        Some(e) => Err(e),
                    };
                }
                _ => {} // NoData, notices, notifications
            }
        }
    }

    /// A request was answered, with `err` if it failed.
    pub(super) fn stmts_settled(&mut self, err: Option<&Error>) {
        match err {
            Some(e) if e.sqlstate == "26000" => self.stmts.note_missing(&e.message),
            Some(e) if e.sqlstate == "0A000" && e.message.starts_with(STALE_PLAN) => {
                self.stmts.stale_last()
            }
            _ => {}
        }
        self.stmts.answered();
    }

    /// Statement `id` of `Session::prepare` was freed: close it here with
    /// the next request, if it was prepared here.
    pub fn forget_stmt(&mut self, id: u64) {
        self.stmts.forget(id);
    }

    /// Keep at most `capacity` statements in the cache (closing the others
    /// with the next request).
    pub fn limit_stmt_cache(&mut self, capacity: usize) {
        self.stmts.limit_cache(capacity);
    }

    /// Statements in this connection's cache.
    pub fn stmt_cache_len(&self) -> usize {
        self.stmts.cache_len()
    }

    /// Parse messages sent on this connection.
    pub fn parses(&self) -> u64 {
        self.stmts.parses
    }
}

fn put_value(
    v: Option<&[u8]>,
    buf: &mut BytesMut,
) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
    match v {
        Some(b) => {
            buf.put_slice(b);
            Ok(IsNull::No)
        }
        None => Ok(IsNull::Yes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_evicts_the_least_recently_used_and_closes_it() {
        let mut s = Stmts::default();
        assert!(s.cached("a", &[], 2));
        s.parsed();
        assert!(s.cached("b", &[], 2));
        s.parsed();
        assert!(!s.cached("a", &[], 2), "a hit");
        let b_name = s.cache["b"].name.clone();
        assert!(s.cached("c", &[], 2));
        s.parsed();
        assert_eq!(
            s.closing.drain(..).collect::<Vec<_>>(),
            vec![b_name],
            "b was the least recently used"
        );
        assert!(!s.cached("a", &[], 2));
        assert_eq!(s.parses, 3);
    }

    #[test]
    fn other_types_replace_the_entry() {
        let mut s = Stmts::default();
        assert!(s.cached("a", &[], 5));
        s.parsed();
        let old = s.cache["a"].name.clone();
        assert!(s.cached("a", &[23], 5));
        assert_eq!(s.closing.drain(..).collect::<Vec<_>>(), vec![old]);
        assert_eq!(s.cache_len(), 1);
    }

    #[test]
    fn a_parse_that_failed_is_forgotten() {
        let mut s = Stmts::default();
        assert!(s.stmt(1));
        assert!(s.cached("x", &[], 5));
        s.parsed(); // statement 1 confirmed, "x" not
        s.queued();
        s.answered();
        assert!(!s.stmt(1));
        assert!(s.cached("x", &[], 5));
    }

    #[test]
    fn an_earlier_request_answered_keeps_a_later_parse() {
        let mut s = Stmts::default();
        s.queued(); // a BEGIN pipelined before the statement
        assert!(s.stmt(1));
        s.queued();
        s.answered(); // the BEGIN's ReadyForQuery
        assert!(!s.stmt(1), "still pending, not failed");
        s.parsed();
        s.answered();
        assert!(!s.stmt(1));
    }

    #[test]
    fn discard_all_forgets_everything_without_closing() {
        let mut s = Stmts::default();
        assert!(s.stmt(1));
        assert!(s.cached("x", &[], 5));
        s.parsed();
        s.parsed();
        s.forget(1);
        s.note_tag("DISCARD ALL");
        assert!(s.closing.drain(..).collect::<Vec<_>>().is_empty());
        assert!(s.stmt(1));
        assert!(s.cached("x", &[], 5));
    }

    #[test]
    fn a_stale_statement_is_closed_and_prepared_again() {
        let mut s = Stmts::default();
        let mut buf = BytesMut::new();
        let _ = s.resolve(StmtRef::Cached(5), "a", &[], &mut buf);
        let _ = s.resolve(StmtRef::Cached(5), "b", &[], &mut buf);
        s.parsed();
        s.parsed();
        let b = s.cache["b"].name.clone();
        s.stale_last();
        assert_eq!(s.closing, vec![b]);
        assert!(!s.cached("a", &[], 5));
        assert!(s.cached("b", &[], 5));
    }

    #[test]
    fn a_missing_statement_is_prepared_again() {
        let mut s = Stmts::default();
        assert!(s.stmt(7));
        let name = s.stmts[&7].clone();
        s.parsed();
        s.note_missing(&format!("prepared statement \"{}\" does not exist", name));
        assert!(s.stmt(7));
    }
}
