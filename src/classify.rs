//! Statement classification: SQL text → facts that decide where it may run.
//! Pure: no I/O and no allocation on the common path (`classify`). A lexer
//! that understands comments (nested `/* */` and `--`), quoted identifiers,
//! `'…'` with `''`, `E'…'` with backslash escapes, `U&'…'`, and
//! `$tag$…$tag$` strings, so keywords inside them never count.
//! Whatever is not understood is classified as `Kind::Write` (primary).

use crate::conninfo::Isolation;
use std::ops::Range;

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
    /// `DECLARE … WITH HOLD`.
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
}

/// Classify a whole SQL text. Never panics, never allocates.
pub fn classify(sql: &str) -> Facts {
    let _ = sql;
    todo!()
}

/// The byte ranges and kinds of each non-empty statement of `sql` (without
/// the terminating semicolon). Used on the rare multi-statement path.
pub fn statements(sql: &str) -> Vec<(Range<usize>, Facts)> {
    let _ = sql;
    todo!()
}
