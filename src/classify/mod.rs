//! Statement classification: SQL text → facts that decide where it may run.
//! Pure: no I/O and no allocation on the common path (`classify`). A lexer
//! that reads every lexical form as PostgreSQL's does: comments (nested
//! `/* */` and `--`, also inside operators), quoted identifiers with `""`,
//! `U&"…"` names with or without `UESCAPE`, `'…'` with `''` (and backslash
//! escapes when `standard_conforming_strings` is off, see `Options`),
//! `E'…'`, `U&'…'`, `N'…'`, `B'…'`, `X'…'`, strings continued after a
//! newline, and `$tag$…$tag$` strings, so keywords inside them never count.
//! Whatever is not understood is classified as `Kind::Write` (primary).
//!
//! Layout: `lex` (tokens, the statement reader, the routing hint,
//! redaction), `names` (keywords, deny/allow lists, what is a function
//! call), `stmt` (one statement); this file has the public API and how the
//! facts of several statements combine.

mod cursor;
mod lex;
mod names;
mod stmt;
#[cfg(test)]
mod tests;

use crate::attr::Isolation;
pub use cursor::{cursor, Cursor, CursorOp};
use lex::{Lexer, Reader, Tok, T};
use std::ops::Range;
use stmt::{statement, Sink, St};

/// The kind of one statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Nothing but white space, comments and semicolons.
    Empty,
    /// Provably read-only: may run on a hot standby.
    Read,
    /// Must run on the primary: DML, DDL, locking reads, anything unknown.
    Write,
    /// `BEGIN` / `START TRANSACTION` (with optional modes).
    Begin,
    /// `COMMIT` / `END` (also `COMMIT AND CHAIN`, see `Facts::chain`).
    Commit,
    /// `ROLLBACK` / `ABORT` (not `ROLLBACK TO SAVEPOINT`).
    Rollback,
    /// `SAVEPOINT name`.
    Savepoint,
    /// `ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] name`.
    RollbackTo,
    /// `RELEASE [SAVEPOINT] name`.
    Release,
    /// Session state that must be applied to both connections: `SET` (not
    /// LOCAL), `RESET`, `SET SESSION CHARACTERISTICS AS TRANSACTION …`,
    /// `SET ROLE`, `SET SESSION AUTHORIZATION`, `SET TIME ZONE`, `DISCARD …`.
    SetSession,
    /// `SET LOCAL …`, `SET CONSTRAINTS …`: lasts until the transaction ends.
    SetLocal,
    /// `SET TRANSACTION …` (modes of the current transaction).
    SetTransaction,
    /// `PREPARE TRANSACTION`, `COMMIT PREPARED`, `ROLLBACK PREPARED`.
    TwoPhase,
    /// Several statements (see the flags of `Facts`).
    Multi,
}

/// Facts about a whole SQL text (one or several statements).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    /// The kind of the single statement, or `Multi` when there are several
    /// non-empty statements, or `Empty`.
    pub kind: Kind,
    /// Number of non-empty statements.
    pub statements: u32,
    /// Every statement is `Read` or `Empty`: the text may run on a standby.
    pub read_only: bool,
    /// A locking read (`FOR UPDATE/NO KEY UPDATE/SHARE/KEY SHARE`), `LOCK`,
    /// or an advisory-lock function.
    pub locking: bool,
    /// Some statement is transaction control (Begin, Commit, Rollback,
    /// Savepoint, RollbackTo, Release, TwoPhase, SetTransaction).
    pub txn_control: bool,
    /// Some statement is `SetSession`.
    pub session_state: bool,
    /// Some statement creates state that lives only in this server session:
    /// temporary tables (`CREATE TEMP|TEMPORARY …`, `SELECT … INTO TEMP`),
    /// `LISTEN`, session-level advisory locks (`pg_advisory_lock`,
    /// `pg_try_advisory_lock`, and `_shared` variants), SQL `PREPARE name AS`,
    /// `DECLARE … WITH HOLD`; or may have (`CALL`, `DO`). Exactly when
    /// `pins` is non-zero.
    pub pins_session: bool,
    /// `DECLARE … CURSOR` (any): the cursor lives on the server that ran it.
    pub cursor: bool,
    /// An isolation level named by `BEGIN`/`START TRANSACTION`,
    /// `SET TRANSACTION` or `SET SESSION CHARACTERISTICS AS TRANSACTION`.
    pub isolation: Option<Isolation>,
    /// `READ ONLY` (true) / `READ WRITE` (false) named by the same.
    pub read_only_txn: Option<bool>,
    /// `COMMIT AND CHAIN` / `ROLLBACK AND CHAIN`.
    pub chain: bool,
    /// The kinds of session-only state the text creates (`PIN_*` bits);
    /// non-zero exactly when `pins_session` is true.
    pub pins: u8,
    /// The kinds of session-only state the text clears (`PIN_*` bits):
    /// `DISCARD ALL` clears all, `DISCARD TEMP` temporary tables, `UNLISTEN *`
    /// listening, `pg_advisory_unlock_all()` advisory locks, `DEALLOCATE ALL`
    /// prepared statements, `CLOSE ALL` held cursors.
    pub unpins: u8,
    /// A routing hint in the text's leading comment.
    pub hint: Option<Hint>,
    /// Some Read statement calls a function that is neither on the deny
    /// list nor on the built-in allow list: its volatility must be looked up
    /// (see `function_calls`) before the text may run on a standby.
    pub calls: bool,
    /// Some statement changes the catalog (CREATE, ALTER, DROP, COMMENT,
    /// GRANT, REVOKE, …): cached catalog facts may be stale after it.
    pub ddl: bool,
    /// Some statement cannot run inside a transaction block (VACUUM,
    /// CREATE/DROP DATABASE, CREATE/DROP TABLESPACE, ALTER SYSTEM,
    /// CREATE/DROP INDEX CONCURRENTLY, REINDEX … CONCURRENTLY / DATABASE /
    /// SYSTEM, DISCARD ALL, CLUSTER without a table, CREATE SUBSCRIPTION …).
    pub no_txn_block: bool,
    /// `LOCK … IN ACCESS SHARE MODE`: a lock a hot standby grants too, so
    /// inside a transaction it follows the transaction's reads.
    pub share_lock: bool,
    /// Some Read statement's answer depends on the server that gives it:
    /// recovery state, WAL position, backend pid, server address, port and
    /// start time, cumulative statistics and activity, locks, replication
    /// slots, sequences' values, and the settings that differ between a
    /// primary and its standby (through `SHOW`, `current_setting()`,
    /// `pg_settings`). Such a read runs on the primary, whose answer is the
    /// one the application means; it is still read-only (a transaction that
    /// asks it keeps its reads where they were).
    pub node_identity: bool,
    /// Some Read statement reads the transaction's time (`now()`,
    /// `current_timestamp`, `transaction_timestamp()`, `localtimestamp`,
    /// `current_date`, `current_time`, `localtime`): one value for the
    /// whole transaction, which only one server can give.
    pub txn_time: bool,
    /// A `COPY` statement: it may switch the connection to COPY mode, so
    /// nothing may be pipelined after it.
    pub copy: bool,
    /// `PREPARE TRANSACTION 'gid'`: it ends the transaction block (prepared
    /// for a later `COMMIT PREPARED`, or rolled back where it failed).
    pub prepare_txn: bool,
    /// The only server-dependent part of the text (see `node_identity`) is
    /// that it reads the session's cursors (`pg_cursors`, `pg_cursor()`):
    /// the server holding them answers.
    pub cursor_list: bool,
}

/// Session-only state that pins a session to the primary (`Facts::pins`).
pub const PIN_TEMP: u8 = 1;
/// `LISTEN`.
pub const PIN_LISTEN: u8 = 2;
/// Session-level advisory locks.
pub const PIN_ADVISORY: u8 = 4;
/// SQL-level `PREPARE name AS …`.
pub const PIN_PREPARED: u8 = 8;
/// `DECLARE … WITH HOLD`.
pub const PIN_HOLD_CURSOR: u8 = 16;
/// `CALL` and `DO`: they may have done any of the above, or `SET`.
pub const PIN_PROCEDURE: u8 = 32;
/// A setting only the primary has: `set_config(…)` ran there (cleared by
/// `RESET ALL`), or the standby refused a `SET` the primary took.
pub const PIN_SETTING: u8 = 64;
/// Every pin kind.
pub const PIN_ALL: u8 = 127;

/// A routing hint: a leading `/* pgtc:primary */` or `/* pgtc:standby */`
/// comment (before any token; case-insensitive; spaces inside allowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    Primary,
    Standby,
}

/// A function called by a Read statement (see `function_calls`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FnName<'a> {
    /// The schema, when the call is qualified (`s.f(…)`), as written
    /// (without the double quotes of a quoted identifier).
    pub schema: Option<&'a str>,
    pub schema_quoted: bool,
    /// The function name as written (without double quotes if quoted).
    pub name: &'a str,
    /// A quoted name is case-sensitive; an unquoted one folds to lower case.
    pub quoted: bool,
}

/// How the session that runs a text reads it: the settings that change
/// PostgreSQL's lexer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// `standard_conforming_strings` (PostgreSQL's default: on). When off,
    /// a backslash escapes the next character in `'…'` and `N'…'`, as in
    /// `E'…'`: `'a\'b'` is one string. (`backslash_quote` does not change
    /// where a string ends, only whether the server refuses `\'`: a text
    /// it refuses runs nowhere, whatever pgtc decides.)
    pub standard_conforming_strings: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            standard_conforming_strings: true,
        }
    }
}

/// Classify a whole SQL text as a session with the default `Options`
/// reads it. Never panics, never allocates.
pub fn classify(sql: &str) -> Facts {
    classify_with(sql, Options::default())
}

/// Classify a whole SQL text as a session with `opts` reads it. Never
/// panics, never allocates.
pub fn classify_with(sql: &str, opts: Options) -> Facts {
    let mut acc = EMPTY;
    each_statement(sql, opts, |_, st| merge(&mut acc, &st.facts()));
    acc
}

/// Call `f` for every function call in the Read statements of `sql` that
/// `Facts::calls` counts: not on the deny list (those make the statement a
/// Write), not on the allow list of harmless volatile built-ins, and not SQL
/// syntax that looks like a call (`IN (`, `COALESCE(`, `CAST(`, type
/// modifiers such as `numeric(10,2)`, column alias lists `AS t(a, b)`, …).
/// Never allocates.
///
/// Names are slices of `sql`, except quoted ones with a doubled quote `""`
/// and `U&"…"` names with escapes, which are decoded; a name that cannot
/// be decoded (the server refuses it) makes the statement a Write, so it
/// is never reported. A `U&"…" UESCAPE 'c'` name is one token, decoded
/// with its escape character. Names longer than 63 bytes are cut as
/// PostgreSQL cuts them. Some syntax is reported
/// although it is no call, where telling it apart would take more than the
/// tokens around it: an alias column list after a table name or a
/// subquery (`FROM t x(a)`, `(SELECT 1) y(b)`), a CTE column list after
/// the first CTE (`WITH a AS (…), b(x) AS (…)`), `CUBE (`/`ROLLUP (` after
/// the first item of a `GROUP BY`, `(a, b) OVERLAPS (c, d)`. Such names are
/// absent from `pg_proc` or harmless there: over-reporting costs a catalog
/// look-up, while a call left out could send a volatile function to a
/// standby, so none is.
pub fn function_calls(sql: &str, f: impl FnMut(FnName<'_>)) {
    function_calls_with(sql, Options::default(), f)
}

/// `function_calls` as a session with `opts` reads `sql`.
pub fn function_calls_with(sql: &str, opts: Options, mut f: impl FnMut(FnName<'_>)) {
    let b = sql.as_bytes();
    each_statement(sql, opts, |range, st| {
        if st.kind != Kind::Read {
            return;
        }
        let scs = opts.standard_conforming_strings;
        let mut report = |schema: Option<Tok>, name: Tok| {
            let (mut sb, mut nb) = ([0; lex::DECODED_MAX], [0; lex::DECODED_MAX]);
            let schema = match schema {
                Some(s) => match name_str(sql, s, scs, &mut sb) {
                    Some(n) => Some((n, s.t == T::QIdent)),
                    None => return,
                },
                None => None,
            };
            if let Some(n) = name_str(sql, name, scs, &mut nb) {
                f(FnName {
                    schema: schema.map(|s| s.0),
                    schema_quoted: schema.is_some_and(|s| s.1),
                    name: n,
                    quoted: name.t == T::QIdent,
                });
            }
        };
        let mut sink: Sink<'_> = Some(&mut report);
        let mut r = Reader::new(b, range.start, opts.standard_conforming_strings);
        statement(&mut r, 0, &mut sink);
    });
}

/// Call `f` for every identifier (unquoted ones as written, quoted ones
/// without their quotes, with a flag) of the Read statements of `sql`, in
/// order; used to spot relations that a standby cannot read (unlogged
/// tables). Never allocates.
///
/// Keywords are reported too (callers look names up). A quoted identifier
/// with a doubled quote `""`, or `U&"…"` with escapes, is reported decoded
/// (not a slice of `sql`); one that cannot be decoded makes its statement
/// a Write, so it is never left out. Names are cut to 63 bytes as
/// PostgreSQL cuts them.
pub fn identifiers(sql: &str, f: impl FnMut(&str, bool)) {
    identifiers_with(sql, Options::default(), f)
}

/// `identifiers` as a session with `opts` reads `sql`.
pub fn identifiers_with(sql: &str, opts: Options, mut f: impl FnMut(&str, bool)) {
    let b = sql.as_bytes();
    each_statement(sql, opts, |range, st| {
        if st.kind != Kind::Read {
            return;
        }
        let scs = opts.standard_conforming_strings;
        let mut lex = Lexer::new(b, range.start, scs);
        let mut nb = [0; lex::DECODED_MAX];
        while let Some(t) = lex.next() {
            if t.s >= range.end {
                break;
            }
            if let Some(name) = name_str(sql, t, scs, &mut nb) {
                f(name, t.t == T::QIdent);
            }
        }
    });
}

/// A list of names (see `node_identity_names`).
pub type Names = &'static [&'static [u8]];

/// The names behind `Facts::node_identity`, lower case: the functions and
/// catalog views, their prefix families (`pg_stat_`, …), and the settings
/// (read through `SHOW`, `current_setting()`); for checking the lists
/// against a server.
pub fn node_identity_names() -> (Names, Names, Names) {
    (names::IDENTITY, names::FAMILIES, names::SETTINGS)
}

/// `sql` for a log line: every string literal, dollar-quoted string and
/// number replaced by `?`, comments dropped, white space folded, cut to at
/// most `max` bytes (on a character boundary) with `…` when cut. A password
/// in `ALTER ROLE … PASSWORD '…'` never appears.
///
/// Quoted identifiers and `$n` parameters are kept; the `…` comes after
/// the `max` bytes kept.
pub fn redact(sql: &str, max: usize) -> String {
    redact_with(sql, max, Options::default())
}

/// `redact` as a session with `opts` reads `sql`.
pub fn redact_with(sql: &str, max: usize, opts: Options) -> String {
    lex::redact(sql, max, opts.standard_conforming_strings)
}

/// The byte ranges and kinds of each non-empty statement of `sql` (without
/// the terminating semicolon). Used on the rare multi-statement path.
/// The text's hint (`Facts::hint`) is the first statement's.
pub fn statements(sql: &str) -> Vec<(Range<usize>, Facts)> {
    statements_with(sql, Options::default())
}

/// `statements` as a session with `opts` reads `sql`.
pub fn statements_with(sql: &str, opts: Options) -> Vec<(Range<usize>, Facts)> {
    let mut out = Vec::new();
    each_statement(sql, opts, |range, st| out.push((range, st.facts())));
    out
}

/// The name a `Word` or `QIdent` token denotes, decoded into `buf` when it
/// must be, as PostgreSQL keeps it (at most 63 bytes).
fn name_str<'x>(sql: &'x str, t: Tok, scs: bool, buf: &'x mut lex::NameBuf) -> Option<&'x str> {
    let b = sql.as_bytes();
    let name = match lex::body(b, t) {
        Some(r) => sql.get(r)?,
        None => std::str::from_utf8(lex::decode(b, t, scs, buf)?).ok()?,
    };
    Some(lex::truncate_name(name))
}
// ---------------------------------------------------------------------------
// Combining statements
// ---------------------------------------------------------------------------

const EMPTY: Facts = Facts {
    kind: Kind::Empty,
    statements: 0,
    read_only: true,
    locking: false,
    txn_control: false,
    session_state: false,
    pins_session: false,
    cursor: false,
    isolation: None,
    read_only_txn: None,
    chain: false,
    pins: 0,
    unpins: 0,
    hint: None,
    calls: false,
    ddl: false,
    no_txn_block: false,
    share_lock: false,
    node_identity: false,
    txn_time: false,
    copy: false,
    prepare_txn: false,
    cursor_list: false,
};

/// Add the facts `f` of a statement to those of the statements before it.
/// Pins and unpins are unions, except that a later statement's pin cancels
/// an earlier one's unpin of the same kind (`SELECT pg_advisory_unlock_all();
/// SELECT pg_advisory_lock(1)` leaves a lock): a caller applies `pins`
/// first, then `unpins`. The hint is the first statement's.
fn merge(acc: &mut Facts, f: &Facts) {
    if f.statements == 0 {
        return;
    }
    if acc.statements == 0 {
        acc.hint = f.hint;
    }
    acc.statements = acc.statements.saturating_add(f.statements);
    acc.kind = if acc.statements == 1 {
        f.kind
    } else {
        Kind::Multi
    };
    acc.read_only &= f.read_only;
    acc.locking |= f.locking;
    acc.txn_control |= f.txn_control;
    acc.session_state |= f.session_state;
    acc.pins_session |= f.pins_session;
    acc.cursor |= f.cursor;
    acc.chain |= f.chain;
    if acc.isolation.is_none() {
        acc.isolation = f.isolation;
    }
    if acc.read_only_txn.is_none() {
        acc.read_only_txn = f.read_only_txn;
    }
    acc.pins |= f.pins;
    acc.unpins = (acc.unpins & !f.pins) | f.unpins;
    acc.calls |= f.calls;
    acc.ddl |= f.ddl;
    acc.no_txn_block |= f.no_txn_block;
    acc.share_lock = acc.statements == 1 && f.share_lock;
    let other = |x: &Facts| x.node_identity && !x.cursor_list;
    acc.cursor_list = (acc.cursor_list || f.cursor_list) && !other(acc) && !other(f);
    acc.node_identity |= f.node_identity;
    acc.txn_time |= f.txn_time;
    acc.copy |= f.copy;
    acc.prepare_txn |= f.prepare_txn;
}

/// Split `sql` into statements (on `;` outside quotes, comments and
/// parentheses, as psql does) and classify each non-empty one. The first
/// statement has the text's hint.
fn each_statement(sql: &str, opts: Options, mut f: impl FnMut(Range<usize>, St)) {
    let b = sql.as_bytes();
    let mut lex = Lexer::new(b, 0, opts.standard_conforming_strings);
    while lex.pos < b.len() {
        let start = lex.pos;
        lex.unterminated = false;
        let mut r = Reader {
            lex,
            depth: 0,
            ended: false,
            end: b.len(),
        };
        let mut st = statement(&mut r, 0, &mut None);
        lex = r.lex;
        if start == 0 {
            st.hint = lex.hint;
        }
        if st.kind != Kind::Empty {
            let mut s = start;
            let mut e = r.end.max(s);
            while s < e && lex::is_space(b[s]) {
                s += 1;
            }
            while e > s && lex::is_space(b[e - 1]) {
                e -= 1;
            }
            f(s..e, st);
        }
    }
}
