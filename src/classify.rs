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
    let mut acc = EMPTY;
    each_statement(sql, |_, st| merge(&mut acc, &st.facts()));
    acc
}

/// The byte ranges and kinds of each non-empty statement of `sql` (without
/// the terminating semicolon). Used on the rare multi-statement path.
pub fn statements(sql: &str) -> Vec<(Range<usize>, Facts)> {
    let mut out = Vec::new();
    each_statement(sql, |range, st| out.push((range, st.facts())));
    out
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
};

fn merge(acc: &mut Facts, f: &Facts) {
    if f.statements == 0 {
        return;
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
}

/// Split `sql` into statements (on `;` outside quotes, comments and
/// parentheses, as psql does) and classify each non-empty one.
fn each_statement(sql: &str, mut f: impl FnMut(Range<usize>, St)) {
    let b = sql.as_bytes();
    let mut lex = Lexer {
        b,
        pos: 0,
        unterminated: false,
    };
    while lex.pos < b.len() {
        let start = lex.pos;
        lex.unterminated = false;
        let mut r = Reader {
            lex,
            depth: 0,
            ended: false,
            end: b.len(),
        };
        let st = statement(&mut r, 0);
        lex = r.lex;
        if st.kind != Kind::Empty {
            let mut s = start;
            let mut e = r.end.max(s);
            while s < e && is_space(b[s]) {
                s += 1;
            }
            while e > s && is_space(b[e - 1]) {
                e -= 1;
            }
            f(s..e, st);
        }
    }
}

// ---------------------------------------------------------------------------
// Lexer
// ---------------------------------------------------------------------------

/// Token types; only the distinctions classification needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum T {
    /// Identifier or keyword (unquoted).
    Word,
    /// `"quoted identifier"` or `U&"…"`.
    QIdent,
    /// Any string constant, including `$tag$…$tag$`.
    Str,
    Num,
    /// `$1`.
    Param,
    LParen,
    RParen,
    Semi,
    Comma,
    Dot,
    /// Any other operator or punctuation byte.
    Op,
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    t: T,
    s: usize,
    e: usize,
}

#[derive(Clone, Copy)]
struct Lexer<'a> {
    b: &'a [u8],
    pos: usize,
    /// Some string, quoted identifier or comment ran to the end of the text.
    unterminated: bool,
}

const SPACE: u8 = 1;
const IDENT_START: u8 = 2;
const IDENT_CONT: u8 = 4;
const DOLQ_CONT: u8 = 8;

/// Byte classes of PostgreSQL's lexer.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0usize;
    while c < 256 {
        let b = c as u8;
        let mut v = 0;
        if matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
            v |= SPACE;
        }
        if b.is_ascii_alphabetic() || b == b'_' || b >= 0x80 {
            v |= IDENT_START | IDENT_CONT | DOLQ_CONT;
        }
        if b.is_ascii_digit() {
            v |= IDENT_CONT | DOLQ_CONT;
        }
        if b == b'$' {
            v |= IDENT_CONT;
        }
        t[c] = v;
        c += 1;
    }
    t
};

fn is_space(c: u8) -> bool {
    CLASS[c as usize] & SPACE != 0
}

fn is_ident_start(c: u8) -> bool {
    CLASS[c as usize] & IDENT_START != 0
}

fn is_ident_cont(c: u8) -> bool {
    CLASS[c as usize] & IDENT_CONT != 0
}

/// A byte of a dollar-quote tag after the first (no `$`).
fn is_dolq_cont(c: u8) -> bool {
    CLASS[c as usize] & DOLQ_CONT != 0
}

impl<'a> Lexer<'a> {
    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    fn next(&mut self) -> Option<Tok> {
        let b = self.b;
        let n = b.len();
        let mut i = self.pos;
        loop {
            while i < n && is_space(b[i]) {
                i += 1;
            }
            if i >= n {
                self.pos = n;
                return None;
            }
            if b[i] == b'-' && self.at(i + 1) == b'-' {
                i += 2;
                while i < n && b[i] != b'\n' && b[i] != b'\r' {
                    i += 1;
                }
            } else if b[i] == b'/' && self.at(i + 1) == b'*' {
                i = self.block_comment(i + 2);
            } else {
                break;
            }
        }
        let c = b[i];
        let (t, e) = match c {
            b'\'' => (T::Str, self.quoted(i + 1, b'\'', false)),
            b'"' => (T::QIdent, self.quoted(i + 1, b'"', false)),
            b'(' => (T::LParen, i + 1),
            b')' => (T::RParen, i + 1),
            b';' => (T::Semi, i + 1),
            b',' => (T::Comma, i + 1),
            b'e' | b'E' if self.at(i + 1) == b'\'' => (T::Str, self.quoted(i + 2, b'\'', true)),
            b'b' | b'B' | b'x' | b'X' | b'n' | b'N' if self.at(i + 1) == b'\'' => {
                (T::Str, self.quoted(i + 2, b'\'', false))
            }
            b'u' | b'U' if self.at(i + 1) == b'&' && self.at(i + 2) == b'\'' => {
                (T::Str, self.quoted(i + 3, b'\'', false))
            }
            b'u' | b'U' if self.at(i + 1) == b'&' && self.at(i + 2) == b'"' => {
                (T::QIdent, self.quoted(i + 3, b'"', false))
            }
            b'$' => self.dollar(i),
            b'0'..=b'9' => (T::Num, self.number(i)),
            b'.' if self.at(i + 1).is_ascii_digit() => (T::Num, self.number(i)),
            b'.' => (T::Dot, i + 1),
            c if is_ident_start(c) => {
                let mut j = i + 1;
                while j < n && is_ident_cont(b[j]) {
                    j += 1;
                }
                (T::Word, j)
            }
            _ => (T::Op, i + 1),
        };
        self.pos = e;
        Some(Tok { t, s: i, e })
    }

    /// Skip a (nesting) block comment whose body starts at `i`.
    fn block_comment(&mut self, mut i: usize) -> usize {
        let b = self.b;
        let n = b.len();
        let mut depth = 1usize;
        while i < n {
            if b[i] == b'/' && self.at(i + 1) == b'*' {
                depth += 1;
                i += 2;
            } else if b[i] == b'*' && self.at(i + 1) == b'/' {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            } else {
                i += 1;
            }
        }
        self.unterminated = true;
        n
    }

    /// Skip a quoted body starting at `i`, closed by `q` (doubled `q` is an
    /// escape); with `backslash`, `\` escapes the next byte.
    fn quoted(&mut self, mut i: usize, q: u8, backslash: bool) -> usize {
        let b = self.b;
        let n = b.len();
        while i < n {
            let c = b[i];
            if c == q {
                if self.at(i + 1) == q {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i += if backslash && c == b'\\' { 2 } else { 1 };
        }
        self.unterminated = true;
        n
    }

    /// `$1`, `$tag$…$tag$`, or a lone `$`.
    fn dollar(&mut self, i: usize) -> (T, usize) {
        let b = self.b;
        let n = b.len();
        let mut k = i + 1;
        if self.at(k).is_ascii_digit() {
            while k < n && b[k].is_ascii_digit() {
                k += 1;
            }
            return (T::Param, k);
        }
        if k < n && is_ident_start(b[k]) {
            k += 1;
            while k < n && is_dolq_cont(b[k]) {
                k += 1;
            }
        }
        if self.at(k) != b'$' {
            return (T::Op, i + 1);
        }
        let delim = &b[i..=k];
        let mut p = k + 1;
        while p < n {
            if b[p] == b'$' && b[p..].starts_with(delim) {
                return (T::Str, p + delim.len());
            }
            p += 1;
        }
        self.unterminated = true;
        (T::Str, n)
    }

    fn number(&self, mut i: usize) -> usize {
        let b = self.b;
        let n = b.len();
        let digitish = |c: u8| c.is_ascii_digit() || c == b'_';
        if b[i] == b'0'
            && matches!(self.at(i + 1), b'x' | b'X' | b'o' | b'O' | b'b' | b'B')
            && (self.at(i + 2).is_ascii_hexdigit() || self.at(i + 2) == b'_')
        {
            i += 2;
            while i < n && (b[i].is_ascii_hexdigit() || b[i] == b'_') {
                i += 1;
            }
            return i;
        }
        while i < n && digitish(b[i]) {
            i += 1;
        }
        if self.at(i) == b'.' && self.at(i + 1) != b'.' {
            i += 1;
            while i < n && digitish(b[i]) {
                i += 1;
            }
        }
        if matches!(self.at(i), b'e' | b'E') {
            let mut j = i + 1;
            if matches!(self.at(j), b'+' | b'-') {
                j += 1;
            }
            if self.at(j).is_ascii_digit() {
                i = j;
                while i < n && digitish(b[i]) {
                    i += 1;
                }
            }
        }
        i
    }
}

/// The tokens of one statement: stops at a `;` outside parentheses.
#[derive(Clone, Copy)]
struct Reader<'a> {
    lex: Lexer<'a>,
    depth: usize,
    ended: bool,
    /// Where the statement ends (its `;`, or the end of the text).
    end: usize,
}

impl<'a> Reader<'a> {
    fn next(&mut self) -> Option<Tok> {
        if self.ended {
            return None;
        }
        match self.lex.next() {
            None => {
                self.ended = true;
                self.end = self.lex.b.len();
                None
            }
            Some(t) => {
                match t.t {
                    T::Semi if self.depth == 0 => {
                        self.ended = true;
                        self.end = t.s;
                        return None;
                    }
                    T::LParen => self.depth += 1,
                    T::RParen => self.depth = self.depth.saturating_sub(1),
                    _ => {}
                }
                Some(t)
            }
        }
    }

    fn peek(&self) -> Option<Tok> {
        let mut c = *self;
        c.next()
    }

    fn drain(&mut self) {
        while self.next().is_some() {}
    }

    fn bytes(&self, t: Tok) -> &'a [u8] {
        &self.lex.b[t.s..t.e]
    }

    /// The keyword a token is (`Kw::Other` for anything but a known
    /// unquoted word).
    fn kw(&self, t: Tok) -> Kw {
        if t.t == T::Word {
            kw(self.bytes(t))
        } else {
            Kw::Other
        }
    }

    fn next_kw(&mut self) -> Kw {
        match self.next() {
            Some(t) => self.kw(t),
            None => Kw::Other,
        }
    }

    fn peek_kw(&self) -> Kw {
        match self.peek() {
            Some(t) => self.kw(t),
            None => Kw::Other,
        }
    }

    /// The name a `Word` or `QIdent` token denotes, for function look-up.
    /// `None` if it is something else, or a `U&"…"` name with escapes
    /// (which cannot be checked without decoding).
    fn name(&self, t: Tok) -> Option<&'a [u8]> {
        let w = self.bytes(t);
        match t.t {
            T::Word => Some(w),
            T::QIdent => {
                let body = if w[0] == b'"' {
                    &w[1..]
                } else {
                    &w[3.min(w.len())..]
                };
                let body = body.strip_suffix(b"\"").unwrap_or(body);
                if w[0] != b'"' && body.contains(&b'\\') {
                    None
                } else {
                    Some(body)
                }
            }
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------
// Keywords
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kw {
    Other,
    Abort,
    Alter,
    Analyze,
    And,
    As,
    Begin,
    Chain,
    Characteristics,
    Commit,
    Committed,
    Constraints,
    Copy,
    Create,
    Cursor,
    Declare,
    DefaultTransactionIsolation,
    DefaultTransactionReadOnly,
    Deferrable,
    Delete,
    Discard,
    End,
    Explain,
    For,
    From,
    Global,
    Hold,
    Insert,
    Into,
    Isolation,
    Key,
    Level,
    Listen,
    Local,
    Lock,
    Merge,
    No,
    Not,
    Only,
    Or,
    Policy,
    Prepare,
    Prepared,
    Read,
    Release,
    Repeatable,
    Replace,
    Reset,
    Rollback,
    Savepoint,
    Select,
    Serializable,
    Session,
    Set,
    Share,
    Show,
    Snapshot,
    Start,
    Stdout,
    Table,
    Temp,
    Temporary,
    To,
    Transaction,
    Uescape,
    Uncommitted,
    Update,
    Values,
    Verbose,
    With,
    Work,
    Write,
}

const K_ABORT: u64 = pack(b"abort");
const K_ALTER: u64 = pack(b"alter");
const K_ANALYSE: u64 = pack(b"analyse");
const K_ANALYZE: u64 = pack(b"analyze");
const K_AND: u64 = pack(b"and");
const K_AS: u64 = pack(b"as");
const K_BEGIN: u64 = pack(b"begin");
const K_CHAIN: u64 = pack(b"chain");
const K_COMMIT: u64 = pack(b"commit");
const K_COPY: u64 = pack(b"copy");
const K_CREATE: u64 = pack(b"create");
const K_CURSOR: u64 = pack(b"cursor");
const K_DECLARE: u64 = pack(b"declare");
const K_DELETE: u64 = pack(b"delete");
const K_DISCARD: u64 = pack(b"discard");
const K_END: u64 = pack(b"end");
const K_EXPLAIN: u64 = pack(b"explain");
const K_FOR: u64 = pack(b"for");
const K_FROM: u64 = pack(b"from");
const K_GLOBAL: u64 = pack(b"global");
const K_HOLD: u64 = pack(b"hold");
const K_INSERT: u64 = pack(b"insert");
const K_INTO: u64 = pack(b"into");
const K_KEY: u64 = pack(b"key");
const K_LEVEL: u64 = pack(b"level");
const K_LISTEN: u64 = pack(b"listen");
const K_LOCAL: u64 = pack(b"local");
const K_LOCK: u64 = pack(b"lock");
const K_MERGE: u64 = pack(b"merge");
const K_NO: u64 = pack(b"no");
const K_NOT: u64 = pack(b"not");
const K_ONLY: u64 = pack(b"only");
const K_OR: u64 = pack(b"or");
const K_POLICY: u64 = pack(b"policy");
const K_PREPARE: u64 = pack(b"prepare");
const K_PREPARED: u64 = pack(b"prepared");
const K_READ: u64 = pack(b"read");
const K_RELEASE: u64 = pack(b"release");
const K_REPLACE: u64 = pack(b"replace");
const K_RESET: u64 = pack(b"reset");
const K_ROLLBACK: u64 = pack(b"rollback");
const K_SELECT: u64 = pack(b"select");
const K_SESSION: u64 = pack(b"session");
const K_SET: u64 = pack(b"set");
const K_SHARE: u64 = pack(b"share");
const K_SHOW: u64 = pack(b"show");
const K_SNAPSHOT: u64 = pack(b"snapshot");
const K_START: u64 = pack(b"start");
const K_STDOUT: u64 = pack(b"stdout");
const K_TABLE: u64 = pack(b"table");
const K_TEMP: u64 = pack(b"temp");
const K_TO: u64 = pack(b"to");
const K_UESCAPE: u64 = pack(b"uescape");
const K_UPDATE: u64 = pack(b"update");
const K_VALUES: u64 = pack(b"values");
const K_VERBOSE: u64 = pack(b"verbose");
const K_WITH: u64 = pack(b"with");
const K_WORK: u64 = pack(b"work");
const K_WRITE: u64 = pack(b"write");

/// A word of up to 8 bytes, lower-cased, packed little-endian into a `u64`
/// (identifier bytes are never 0, so the length is implied).
const fn pack(w: &[u8]) -> u64 {
    let mut x = 0u64;
    let mut i = 0;
    while i < w.len() {
        x |= (w[i].to_ascii_lowercase() as u64) << (8 * i);
        i += 1;
    }
    x
}

/// The keyword an unquoted word is. Words of up to 8 bytes are matched as
/// one integer; longer ones by comparison with the few long keywords.
fn kw(w: &[u8]) -> Kw {
    let n = w.len();
    if n < 2 {
        return Kw::Other;
    }
    if n <= 8 {
        return match pack(w) {
            K_ABORT => Kw::Abort,
            K_ALTER => Kw::Alter,
            K_ANALYSE => Kw::Analyze,
            K_ANALYZE => Kw::Analyze,
            K_AND => Kw::And,
            K_AS => Kw::As,
            K_BEGIN => Kw::Begin,
            K_CHAIN => Kw::Chain,
            K_COMMIT => Kw::Commit,
            K_COPY => Kw::Copy,
            K_CREATE => Kw::Create,
            K_CURSOR => Kw::Cursor,
            K_DECLARE => Kw::Declare,
            K_DELETE => Kw::Delete,
            K_DISCARD => Kw::Discard,
            K_END => Kw::End,
            K_EXPLAIN => Kw::Explain,
            K_FOR => Kw::For,
            K_FROM => Kw::From,
            K_GLOBAL => Kw::Global,
            K_HOLD => Kw::Hold,
            K_INSERT => Kw::Insert,
            K_INTO => Kw::Into,
            K_KEY => Kw::Key,
            K_LEVEL => Kw::Level,
            K_LISTEN => Kw::Listen,
            K_LOCAL => Kw::Local,
            K_LOCK => Kw::Lock,
            K_MERGE => Kw::Merge,
            K_NO => Kw::No,
            K_NOT => Kw::Not,
            K_ONLY => Kw::Only,
            K_OR => Kw::Or,
            K_POLICY => Kw::Policy,
            K_PREPARE => Kw::Prepare,
            K_PREPARED => Kw::Prepared,
            K_READ => Kw::Read,
            K_RELEASE => Kw::Release,
            K_REPLACE => Kw::Replace,
            K_RESET => Kw::Reset,
            K_ROLLBACK => Kw::Rollback,
            K_SELECT => Kw::Select,
            K_SESSION => Kw::Session,
            K_SET => Kw::Set,
            K_SHARE => Kw::Share,
            K_SHOW => Kw::Show,
            K_SNAPSHOT => Kw::Snapshot,
            K_START => Kw::Start,
            K_STDOUT => Kw::Stdout,
            K_TABLE => Kw::Table,
            K_TEMP => Kw::Temp,
            K_TO => Kw::To,
            K_UESCAPE => Kw::Uescape,
            K_UPDATE => Kw::Update,
            K_VALUES => Kw::Values,
            K_VERBOSE => Kw::Verbose,
            K_WITH => Kw::With,
            K_WORK => Kw::Work,
            K_WRITE => Kw::Write,
            _ => Kw::Other,
        };
    }
    const LONG: &[(&[u8], Kw)] = &[
        (b"committed", Kw::Committed),
        (b"isolation", Kw::Isolation),
        (b"savepoint", Kw::Savepoint),
        (b"temporary", Kw::Temporary),
        (b"deferrable", Kw::Deferrable),
        (b"repeatable", Kw::Repeatable),
        (b"constraints", Kw::Constraints),
        (b"transaction", Kw::Transaction),
        (b"uncommitted", Kw::Uncommitted),
        (b"serializable", Kw::Serializable),
        (b"characteristics", Kw::Characteristics),
        (
            b"default_transaction_isolation",
            Kw::DefaultTransactionIsolation,
        ),
        (
            b"default_transaction_read_only",
            Kw::DefaultTransactionReadOnly,
        ),
    ];
    for &(name, kw) in LONG {
        if name.len() == n && name.eq_ignore_ascii_case(w) {
            return kw;
        }
    }
    Kw::Other
}

fn starts_with_ci(w: &[u8], prefix: &[u8]) -> bool {
    w.len() >= prefix.len() && w[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn contains_ci(w: &[u8], needle: &[u8]) -> bool {
    w.windows(needle.len())
        .any(|x| x.eq_ignore_ascii_case(needle))
}

// ---------------------------------------------------------------------------
// Functions that must run on the primary
// ---------------------------------------------------------------------------

/// What calling a function implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Deny {
    No,
    Write,
    /// An advisory lock held until the transaction ends.
    Lock,
    /// An advisory lock held by the session.
    LockPin,
}

/// Functions (lower case, sorted) that write, or whose result or effect
/// belongs to one server. Prefix families are handled in `deny`.
static DENY: &[&[u8]] = &[
    b"currval",
    b"lastval",
    b"nextval",
    b"pg_backup_start",
    b"pg_backup_stop",
    b"pg_cancel_backend",
    b"pg_copy_logical_replication_slot",
    b"pg_copy_physical_replication_slot",
    b"pg_create_logical_replication_slot",
    b"pg_create_physical_replication_slot",
    b"pg_create_restore_point",
    b"pg_current_wal_flush_lsn",
    b"pg_current_wal_insert_lsn",
    b"pg_current_wal_lsn",
    b"pg_current_xact_id",
    b"pg_current_xact_id_if_assigned",
    b"pg_drop_replication_slot",
    b"pg_export_snapshot",
    b"pg_logical_emit_message",
    b"pg_logical_slot_get_binary_changes",
    b"pg_logical_slot_get_changes",
    b"pg_notify",
    b"pg_reload_conf",
    b"pg_replication_slot_advance",
    b"pg_rotate_logfile",
    b"pg_start_backup",
    b"pg_stop_backup",
    b"pg_switch_wal",
    b"pg_terminate_backend",
    b"set_config",
    b"setval",
    b"txid_current",
    b"txid_current_if_assigned",
];

/// Compare a lower-case table entry with a name of any case.
fn cmp_ci(entry: &[u8], name: &[u8]) -> std::cmp::Ordering {
    for (a, b) in entry.iter().zip(name) {
        match a.cmp(&b.to_ascii_lowercase()) {
            std::cmp::Ordering::Equal => {}
            o => return o,
        }
    }
    entry.len().cmp(&name.len())
}

fn deny(name: &[u8]) -> Deny {
    if name.len() < 3 {
        return Deny::No;
    }
    let exact = |name: &[u8]| {
        if DENY.binary_search_by(|e| cmp_ci(e, name)).is_ok() {
            Deny::Write
        } else {
            Deny::No
        }
    };
    match name[0] | 0x20 {
        b'l' if starts_with_ci(name, b"lo_") => Deny::Write,
        b'd' if starts_with_ci(name, b"dblink") => Deny::Write,
        b'p' => {
            if starts_with_ci(name, b"pg_advisory") || starts_with_ci(name, b"pg_try_advisory") {
                if contains_ci(name, b"xact") {
                    Deny::Lock
                } else {
                    Deny::LockPin
                }
            } else if starts_with_ci(name, b"pg_stat_reset")
                || starts_with_ci(name, b"pg_replication_origin_")
            {
                Deny::Write
            } else {
                exact(name)
            }
        }
        b'c' | b'l' | b'n' | b's' | b't' => exact(name),
        _ => Deny::No,
    }
}

// ---------------------------------------------------------------------------
// One statement
// ---------------------------------------------------------------------------

/// What one statement is.
#[derive(Debug, Clone, Copy)]
struct St {
    kind: Kind,
    locking: bool,
    pins: bool,
    cursor: bool,
    isolation: Option<Isolation>,
    read_only_txn: Option<bool>,
    chain: bool,
}

impl St {
    fn new(kind: Kind) -> St {
        St {
            kind,
            locking: false,
            pins: false,
            cursor: false,
            isolation: None,
            read_only_txn: None,
            chain: false,
        }
    }

    fn facts(&self) -> Facts {
        let k = self.kind;
        Facts {
            kind: k,
            statements: u32::from(k != Kind::Empty),
            read_only: matches!(k, Kind::Read | Kind::Empty),
            locking: self.locking,
            txn_control: matches!(
                k,
                Kind::Begin
                    | Kind::Commit
                    | Kind::Rollback
                    | Kind::Savepoint
                    | Kind::RollbackTo
                    | Kind::Release
                    | Kind::TwoPhase
                    | Kind::SetTransaction
            ),
            session_state: k == Kind::SetSession,
            pins_session: self.pins,
            cursor: self.cursor,
            isolation: self.isolation,
            read_only_txn: self.read_only_txn,
            chain: self.chain,
        }
    }

    fn set_isolation(&mut self, i: Isolation) {
        if self.isolation.is_none() {
            self.isolation = Some(i);
        }
    }

    fn set_read_only(&mut self, ro: bool) {
        if self.read_only_txn.is_none() {
            self.read_only_txn = Some(ro);
        }
    }
}

/// How far `EXPLAIN EXPLAIN …` may nest before we give up (→ Write).
const MAX_NEST: u8 = 4;

/// Classify the statement `r` reads, consuming all of it.
fn statement(r: &mut Reader, nest: u8) -> St {
    let mut st = dispatch(r, nest);
    r.drain();
    if r.lex.unterminated && st.kind != Kind::Write {
        st.kind = Kind::Write;
    }
    if !matches!(
        st.kind,
        Kind::Begin | Kind::SetTransaction | Kind::SetSession
    ) {
        st.isolation = None;
        st.read_only_txn = None;
    }
    if !matches!(st.kind, Kind::Commit | Kind::Rollback) {
        st.chain = false;
    }
    st
}

fn dispatch(r: &mut Reader, nest: u8) -> St {
    let mut parens = 0usize;
    let first = loop {
        match r.next() {
            Some(t) if t.t == T::LParen => parens += 1,
            other => break other,
        }
    };
    let Some(first) = first else {
        return St::new(if parens > 0 { Kind::Write } else { Kind::Empty });
    };
    if nest > MAX_NEST {
        return St::new(Kind::Write);
    }
    let k = r.kw(first);
    if parens > 0 && !matches!(k, Kw::Select | Kw::With | Kw::Values | Kw::Table) {
        return generic(r, first);
    }
    let mut st = St::new(Kind::Write);
    match k {
        Kw::Select | Kw::With | Kw::Values | Kw::Table | Kw::Show => {
            let out = scan(r, Some(first), Mode::Plain, true, &mut st);
            if !out.write {
                st.kind = Kind::Read;
            }
        }
        Kw::Explain => return explain(r, nest),
        Kw::Copy => {
            let out = scan(r, Some(first), Mode::Copy, true, &mut st);
            if !out.write && out.copy_to_stdout {
                st.kind = Kind::Read;
            }
        }
        Kw::Begin => {
            if matches!(r.peek_kw(), Kw::Work | Kw::Transaction) {
                r.next();
            }
            if modes(r, &mut st) {
                st.kind = Kind::Begin;
            }
        }
        Kw::Start => {
            if r.next_kw() == Kw::Transaction && modes(r, &mut st) {
                st.kind = Kind::Begin;
            }
        }
        Kw::Commit | Kw::End | Kw::Rollback | Kw::Abort => finish(r, k, &mut st),
        Kw::Savepoint => {
            if r.next().is_some_and(|t| matches!(t.t, T::Word | T::QIdent)) && r.next().is_none() {
                st.kind = Kind::Savepoint;
            }
        }
        Kw::Release => {
            if savepoint_name(r) {
                st.kind = Kind::Release;
            }
        }
        Kw::Prepare => {
            let mut two_phase = false;
            if r.peek_kw() == Kw::Transaction {
                let mut c = *r;
                c.next();
                if c.peek().is_some_and(|t| t.t == T::Str) {
                    two_phase = true;
                    c.next();
                    if c.next().is_none() {
                        st.kind = Kind::TwoPhase;
                    }
                }
            }
            // `PREPARE name [(types)] AS statement`: lives in this session.
            st.pins = !two_phase;
        }
        Kw::Set => set(r, &mut st),
        Kw::Reset | Kw::Discard => st.kind = Kind::SetSession,
        Kw::Lock => st.locking = true,
        Kw::Listen => st.pins = true,
        Kw::Declare => {
            scan(r, Some(first), Mode::Declare, true, &mut st);
        }
        Kw::Create => {
            let mut k2 = r.next_kw();
            if k2 == Kw::Or {
                r.next();
                k2 = r.next_kw();
            }
            if matches!(k2, Kw::Global | Kw::Local) {
                k2 = r.next_kw();
            }
            if matches!(k2, Kw::Temp | Kw::Temporary) {
                st.pins = true;
            }
            scan(r, None, Mode::Create, k2 != Kw::Policy, &mut st);
        }
        Kw::Alter => {
            let for_lock = r.peek_kw() != Kw::Policy;
            scan(r, Some(first), Mode::Plain, for_lock, &mut st);
        }
        _ => return generic(r, first),
    }
    st
}

/// A statement that is Write whatever it contains; scanned for flags only.
fn generic(r: &mut Reader, first: Tok) -> St {
    let mut st = St::new(Kind::Write);
    scan(r, Some(first), Mode::Plain, true, &mut st);
    st
}

/// `EXPLAIN [ANALYZE] [VERBOSE] stmt` or `EXPLAIN (options) stmt`: Read
/// exactly when `stmt` is.
fn explain(r: &mut Reader, nest: u8) -> St {
    if r.peek().is_some_and(|t| t.t == T::LParen) {
        let mut c = *r;
        c.next();
        let statement_follows = match c.next() {
            Some(t) if t.t == T::LParen => true,
            Some(t) => matches!(c.kw(t), Kw::Select | Kw::With | Kw::Values | Kw::Table),
            None => false,
        };
        if !statement_follows {
            let d = r.depth;
            r.next();
            while let Some(t) = r.next() {
                if t.t == T::RParen && r.depth == d {
                    break;
                }
            }
        }
    } else {
        while matches!(r.peek_kw(), Kw::Analyze | Kw::Verbose) {
            r.next();
        }
    }
    let target = statement(r, nest + 1);
    if target.kind == Kind::Read {
        return target;
    }
    let mut st = St::new(Kind::Write);
    st.locking = target.locking;
    st.pins = target.pins;
    st
}

/// `COMMIT | END | ROLLBACK | ABORT …` after the first word `k`.
fn finish(r: &mut Reader, k: Kw, st: &mut St) {
    let commit = matches!(k, Kw::Commit | Kw::End);
    if matches!(k, Kw::Commit | Kw::Rollback) && r.peek_kw() == Kw::Prepared {
        r.next();
        if r.next().is_some_and(|t| t.t == T::Str) && r.next().is_none() {
            st.kind = Kind::TwoPhase;
        }
        return;
    }
    if matches!(r.peek_kw(), Kw::Work | Kw::Transaction) {
        r.next();
    }
    if k == Kw::Rollback && r.peek_kw() == Kw::To {
        r.next();
        if savepoint_name(r) {
            st.kind = Kind::RollbackTo;
        }
        return;
    }
    // [AND [NO] CHAIN]
    let chain = match r.next() {
        None => Some(false),
        Some(t) if r.kw(t) == Kw::And => {
            let mut k2 = r.next_kw();
            let chain = k2 != Kw::No;
            if !chain {
                k2 = r.next_kw();
            }
            (k2 == Kw::Chain && r.next().is_none()).then_some(chain)
        }
        Some(_) => None,
    };
    if let Some(chain) = chain {
        st.kind = if commit { Kind::Commit } else { Kind::Rollback };
        st.chain = chain;
    }
}

/// `[SAVEPOINT] name` and nothing more.
fn savepoint_name(r: &mut Reader) -> bool {
    let is_name = |t: Tok| matches!(t.t, T::Word | T::QIdent);
    let Some(t) = r.next() else { return false };
    if !is_name(t) {
        return false;
    }
    if r.kw(t) == Kw::Savepoint {
        match r.next() {
            // `RELEASE savepoint`: a savepoint named "savepoint".
            None => true,
            Some(t2) => is_name(t2) && r.next().is_none(),
        }
    } else {
        r.next().is_none()
    }
}

/// Transaction modes (of BEGIN, START TRANSACTION, SET TRANSACTION, SET
/// SESSION CHARACTERISTICS AS TRANSACTION) up to the end of the statement.
/// False if something else is there.
fn modes(r: &mut Reader, st: &mut St) -> bool {
    while let Some(t) = r.next() {
        if t.t == T::Comma {
            continue;
        }
        match r.kw(t) {
            Kw::Isolation => {
                if r.next_kw() != Kw::Level {
                    return false;
                }
                let level = match r.next_kw() {
                    Kw::Serializable => Isolation::Serializable,
                    Kw::Repeatable if r.next_kw() == Kw::Read => Isolation::RepeatableRead,
                    Kw::Read if matches!(r.next_kw(), Kw::Committed | Kw::Uncommitted) => {
                        Isolation::ReadCommitted
                    }
                    _ => return false,
                };
                st.set_isolation(level);
            }
            Kw::Read => match r.next_kw() {
                Kw::Only => st.set_read_only(true),
                Kw::Write => st.set_read_only(false),
                _ => return false,
            },
            Kw::Not => {
                if r.next_kw() != Kw::Deferrable {
                    return false;
                }
            }
            Kw::Deferrable => {}
            _ => return false,
        }
    }
    true
}

/// `SET …` after the word SET.
fn set(r: &mut Reader, st: &mut St) {
    let Some(t) = r.next() else { return };
    match r.kw(t) {
        Kw::Local | Kw::Constraints => st.kind = Kind::SetLocal,
        Kw::Transaction => {
            if r.peek_kw() == Kw::Snapshot {
                r.next();
                if r.next().is_some_and(|t| t.t == T::Str) && r.next().is_none() {
                    st.kind = Kind::SetTransaction;
                }
            } else if modes(r, st) {
                st.kind = Kind::SetTransaction;
            }
        }
        Kw::Session => {
            let Some(t2) = r.next() else { return };
            if r.kw(t2) == Kw::Characteristics {
                if r.next_kw() == Kw::As && r.next_kw() == Kw::Transaction && modes(r, st) {
                    st.kind = Kind::SetSession;
                }
            } else {
                set_var(r, t2, st);
                st.kind = Kind::SetSession;
            }
        }
        _ => {
            set_var(r, t, st);
            st.kind = Kind::SetSession;
        }
    }
}

/// `SET [SESSION] name {TO | =} value`: notes the session defaults
/// `default_transaction_isolation` / `default_transaction_read_only`, which
/// mean the same as `SET SESSION CHARACTERISTICS AS TRANSACTION …`.
fn set_var(r: &mut Reader, name: Tok, st: &mut St) {
    let which = r.kw(name);
    if !matches!(
        which,
        Kw::DefaultTransactionIsolation | Kw::DefaultTransactionReadOnly
    ) {
        return;
    }
    match r.next() {
        Some(t) if r.kw(t) == Kw::To || r.bytes(t) == b"=" => {}
        _ => return,
    }
    let Some(v) = r.next() else { return };
    let w = r.bytes(v);
    let value = match v.t {
        T::Word | T::Num => w,
        T::Str if w.len() >= 2 && w[0] == b'\'' && w[w.len() - 1] == b'\'' => &w[1..w.len() - 1],
        _ => return,
    };
    let is = |s: &[u8]| value.eq_ignore_ascii_case(s);
    if which == Kw::DefaultTransactionIsolation {
        if is(b"serializable") {
            st.set_isolation(Isolation::Serializable);
        } else if is(b"repeatable read") {
            st.set_isolation(Isolation::RepeatableRead);
        } else if is(b"read committed") || is(b"read uncommitted") {
            st.set_isolation(Isolation::ReadCommitted);
        }
    } else if is(b"on") || is(b"true") || is(b"yes") || is(b"1") {
        st.set_read_only(true);
    } else if is(b"off") || is(b"false") || is(b"no") || is(b"0") {
        st.set_read_only(false);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Plain,
    /// `CREATE …`: `pg_temp.name` creates a temporary object.
    Create,
    /// `DECLARE …`: CURSOR and WITH HOLD before the `FOR query`.
    Declare,
    /// `COPY …`: direction (`TO STDOUT` / `FROM`).
    Copy,
}

struct ScanOut {
    /// Something in the statement writes or must run on the primary.
    write: bool,
    /// `COPY`: the direction is `TO STDOUT`.
    copy_to_stdout: bool,
}

/// Scan the rest of a statement in one pass for what makes it a write or
/// sets flags: INSERT/UPDATE/DELETE/MERGE, SELECT … INTO, locking clauses
/// (when `for_lock`), calls of denied functions, plus what `mode` asks.
/// `prev` is the token read just before (the statement's first word).
fn scan(r: &mut Reader, prev: Option<Tok>, mode: Mode, for_lock: bool, st: &mut St) -> ScanOut {
    let mut write = false;
    let mut prev = prev;
    let mut prev_kw = prev.map_or(Kw::Other, |p| r.kw(p));
    // 0: nothing; 1: after FOR; 2: after FOR NO; 3: after FOR [NO] KEY.
    let mut for_state = 0u8;
    let mut after_into = false;
    let mut declare_head = mode == Mode::Declare;
    // 0: direction not seen; 1: after TO; 2: TO STDOUT; 3: anything else.
    let mut copy = 0u8;
    while let Some(t) = r.next() {
        let k = r.kw(t);
        if for_lock {
            for_state = match (for_state, k) {
                (1 | 3, Kw::Update | Kw::Share) => {
                    st.locking = true;
                    write = true;
                    0
                }
                (1, Kw::No) => 2,
                (1 | 2, Kw::Key) => 3,
                (_, Kw::For) => 1,
                _ => 0,
            };
        }
        if after_into {
            after_into = false;
            match k {
                Kw::Local | Kw::Global => after_into = true,
                Kw::Temp | Kw::Temporary => st.pins = true,
                _ if t.t == T::Word && starts_with_ci(r.bytes(t), b"pg_temp") => st.pins = true,
                _ => {}
            }
        }
        match k {
            Kw::Insert | Kw::Update | Kw::Delete | Kw::Merge => write = true,
            // `U&"…" UESCAPE '!'`: a name that cannot be checked undecoded.
            Kw::Uescape if prev.is_some_and(|p| p.t == T::QIdent) => write = true,
            Kw::Into if !matches!(prev_kw, Kw::Insert | Kw::Merge) => {
                write = true;
                after_into = true;
            }
            _ => {}
        }
        match t.t {
            T::LParen => {
                if let Some(name) = prev.and_then(|p| r.name(p)) {
                    match deny(name) {
                        Deny::No => {}
                        Deny::Write => write = true,
                        Deny::Lock => {
                            write = true;
                            st.locking = true;
                        }
                        Deny::LockPin => {
                            write = true;
                            st.locking = true;
                            st.pins = true;
                        }
                    }
                } else if prev.is_some_and(|p| p.t == T::QIdent) {
                    // A `U&"…"` name with escapes: cannot tell what it is.
                    write = true;
                }
            }
            T::Dot
                if mode == Mode::Create
                    && prev
                        .and_then(|p| r.name(p))
                        .is_some_and(|n| n.eq_ignore_ascii_case(b"pg_temp")) =>
            {
                st.pins = true;
            }
            _ => {}
        }
        match mode {
            Mode::Declare if declare_head => match k {
                Kw::Cursor => st.cursor = true,
                Kw::Hold if prev_kw == Kw::With => st.pins = true,
                Kw::For if r.depth == 0 => declare_head = false,
                _ => {}
            },
            Mode::Copy => {
                if copy == 1 {
                    copy = if k == Kw::Stdout { 2 } else { 3 };
                } else if copy == 0 && r.depth == 0 {
                    match k {
                        Kw::To => copy = 1,
                        Kw::From => copy = 3,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        prev = Some(t);
        prev_kw = k;
    }
    ScanOut {
        write,
        copy_to_stdout: copy == 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Kind::*;

    /// Flags: R read_only, L locking, P pins_session, C cursor,
    /// T txn_control, S session_state, H chain.
    fn check(sql: &str, kind: Kind, flags: &str) {
        let f = classify(sql);
        let want = |c: char| flags.contains(c);
        let got = (
            f.kind,
            f.read_only,
            f.locking,
            f.pins_session,
            f.cursor,
            f.txn_control,
            f.session_state,
            f.chain,
        );
        let exp = (
            kind,
            want('R'),
            want('L'),
            want('P'),
            want('C'),
            want('T'),
            want('S'),
            want('H'),
        );
        assert_eq!(
            got, exp,
            "\n  sql: {sql:?}\n  (kind, read_only, locking, pins, cursor, txn, session, chain)"
        );
    }

    #[rustfmt::skip]
    const CASES: &[(&str, Kind, &str)] = &[
        // Empty
        ("", Empty, "R"),
        ("   \n\t ", Empty, "R"),
        (";;; ;", Empty, "R"),
        ("-- just a comment\n", Empty, "R"),
        ("/* a /* nested */ comment */ ; -- x", Empty, "R"),
        // Plain reads
        ("SELECT 1", Read, "R"),
        ("select * from t where id = $1", Read, "R"),
        ("SeLeCt a, b FROM t ORDER BY a LIMIT 10", Read, "R"),
        ("  ((SELECT 1)) UNION (SELECT 2)", Read, "R"),
        ("/* lead */ -- c\n (select 1)", Read, "R"),
        ("VALUES (1, 'a'), (2, 'b')", Read, "R"),
        ("TABLE accounts", Read, "R"),
        ("SHOW transaction_isolation", Read, "R"),
        ("show all", Read, "R"),
        ("WITH x AS (SELECT 1) SELECT * FROM x", Read, "R"),
        ("WITH RECURSIVE r(n) AS (VALUES (1) UNION ALL SELECT n+1 FROM r WHERE n < 5) SELECT * FROM r", Read, "R"),
        ("SELECT substring(name FROM 1 FOR 2) FROM t", Read, "R"),
        ("SELECT overlay('abc' placing 'x' from 1 for 1)", Read, "R"),
        ("SELECT * FROM t FOR READ ONLY", Read, "R"),
        ("SELECT count(*), coalesce(max(x), 0) FROM t", Read, "R"),
        ("SELECT 1;", Read, "R"),
        ("SELECT 'é' AS ünïcode, \"naïve\" FROM t", Read, "R"),
        ("SELECT 1.5e10, .5, 0x1F, 1_000, $2::int", Read, "R"),
        // Write keywords hidden in strings, comments and quoted identifiers
        ("SELECT 'DELETE FROM t'", Read, "R"),
        ("SELECT 'it''s; DELETE FROM t'", Read, "R"),
        ("SELECT E'a\\'; DELETE FROM t; --'", Read, "R"),
        ("SELECT e'\\\\'", Read, "R"),
        ("SELECT $$ INSERT INTO t VALUES (1); $$", Read, "R"),
        ("SELECT $fn$ UPDATE t SET x = 1; $x$ $fn$", Read, "R"),
        ("SELECT U&'d\\0061t\\+000061 update'", Read, "R"),
        ("SELECT B'1010', X'FF', N'insert'", Read, "R"),
        ("SELECT U&'d!0061t!+000061' UESCAPE '!'", Read, "R"),
        ("SELECT U&\"nextv\\0061l\"('s')", Write, ""),
        ("SELECT U&\"nextv!0061l\" UESCAPE '!' ('s')", Write, ""),
        ("SELECT \"update\", \"delete\" FROM \"insert\"", Read, "R"),
        ("SELECT \"a\"\"b\" FROM \"for\" \"update\"", Read, "R"),
        ("SELECT 1 -- FOR UPDATE\n", Read, "R"),
        ("SELECT 1 /* outer /* DELETE */ still comment; UPDATE */ FROM t", Read, "R"),
        ("SELECT a$$b FROM t", Read, "R"),
        ("SELECT 'nextval(1)', \"setval\" FROM t", Read, "R"),
        // Data-modifying statements and CTEs
        ("INSERT INTO t VALUES (1)", Write, ""),
        ("update t set x = 1", Write, ""),
        ("DELETE FROM t WHERE id = 1", Write, ""),
        ("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE", Write, ""),
        ("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", Write, ""),
        ("WITH u AS (UPDATE t SET x = 1 RETURNING *) SELECT count(*) FROM u", Write, ""),
        ("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", Write, ""),
        ("(SELECT 1) UNION (SELECT 2 FROM t) ; ", Read, "R"),
        // SELECT INTO
        ("SELECT * INTO newtab FROM t", Write, ""),
        ("SELECT * INTO TEMP tmp FROM t", Write, "P"),
        ("select * into temporary table tmp from t", Write, "P"),
        ("SELECT * INTO LOCAL TEMP tmp FROM t", Write, "P"),
        ("SELECT * INTO UNLOGGED tab FROM t", Write, ""),
        ("SELECT * INTO pg_temp.x FROM t", Write, "P"),
        ("INSERT INTO temp VALUES (1)", Write, ""),
        // Locking clauses
        ("SELECT * FROM t FOR UPDATE", Write, "L"),
        ("SELECT * FROM t FOR NO KEY UPDATE SKIP LOCKED", Write, "L"),
        ("SELECT * FROM t for share", Write, "L"),
        ("SELECT * FROM t FOR KEY SHARE NOWAIT", Write, "L"),
        ("SELECT * FROM t FOR UPDATE OF t", Write, "L"),
        ("SELECT substring(x FROM 1 FOR key) FROM t", Read, "R"),
        ("LOCK TABLE t IN ACCESS EXCLUSIVE MODE", Write, "L"),
        ("lock t", Write, "L"),
        // Functions on the deny list
        ("SELECT nextval('s')", Write, ""),
        ("SELECT pg_catalog.nextval('s')", Write, ""),
        ("SELECT \"nextval\"('s')", Write, ""),
        ("SELECT pg_catalog.\"setval\"('s', 1)", Write, ""),
        ("SELECT NEXTVAL /* gap */ ('s')", Write, ""),
        ("SELECT currval('s'), lastval()", Write, ""),
        ("SELECT set_config('a.b', 'c', false)", Write, ""),
        ("SELECT pg_notify('ch', 'x')", Write, ""),
        ("SELECT txid_current()", Write, ""),
        ("SELECT pg_current_wal_lsn()", Write, ""),
        ("SELECT pg_stat_reset_shared('bgwriter')", Write, ""),
        ("SELECT * FROM dblink_exec('x', 'y')", Write, ""),
        ("SELECT lo_creat(-1)", Write, ""),
        ("SELECT lo_import('/tmp/x')", Write, ""),
        ("SELECT pg_terminate_backend(123)", Write, ""),
        ("SELECT pg_advisory_lock(1)", Write, "LP"),
        ("SELECT pg_try_advisory_lock_shared(1, 2)", Write, "LP"),
        ("SELECT pg_advisory_unlock_all()", Write, "LP"),
        ("SELECT pg_advisory_xact_lock(1)", Write, "L"),
        ("SELECT PG_TRY_ADVISORY_XACT_LOCK(1)", Write, "L"),
        ("UPDATE t SET x = 1 WHERE pg_try_advisory_lock(id)", Write, "LP"),
        ("SELECT nextvalue(1), mynextval('s'), setvalue", Read, "R"),
        ("SELECT nextval", Read, "R"),
        // EXPLAIN
        ("EXPLAIN SELECT 1", Read, "R"),
        ("EXPLAIN ANALYZE SELECT * FROM t", Read, "R"),
        ("explain analyse verbose select 1", Read, "R"),
        ("EXPLAIN (ANALYZE, BUFFERS) SELECT 1", Read, "R"),
        ("EXPLAIN (ANALYZE true, FORMAT JSON, COSTS off) WITH x AS (SELECT 1) SELECT * FROM x", Read, "R"),
        ("EXPLAIN (SELECT 1)", Read, "R"),
        ("EXPLAIN INSERT INTO t VALUES (1)", Write, ""),
        ("EXPLAIN ANALYZE DELETE FROM t", Write, ""),
        ("EXPLAIN (ANALYZE) UPDATE t SET x = 1", Write, ""),
        ("EXPLAIN SELECT * FROM t FOR UPDATE", Write, "L"),
        ("EXPLAIN ANALYZE SELECT nextval('s')", Write, ""),
        ("EXPLAIN EXECUTE p(1)", Write, ""),
        ("EXPLAIN", Write, ""),
        // COPY
        ("COPY t TO STDOUT", Read, "R"),
        ("COPY public.t (a, b) TO STDOUT WITH (FORMAT csv)", Read, "R"),
        ("COPY (SELECT * FROM t WHERE x > 1) TO STDOUT", Read, "R"),
        ("COPY (SELECT a FROM t) TO stdout (format binary)", Read, "R"),
        ("COPY t FROM STDIN", Write, ""),
        ("COPY t (a, b) FROM '/tmp/x.csv'", Write, ""),
        ("COPY (DELETE FROM t RETURNING *) TO STDOUT", Write, ""),
        ("COPY (SELECT nextval('s')) TO STDOUT", Write, ""),
        ("COPY t TO '/tmp/server-file'", Write, ""),
        ("COPY t TO PROGRAM 'gzip > /tmp/x'", Write, ""),
        // Cursors: on the primary
        ("FETCH 10 FROM c", Write, ""),
        ("MOVE NEXT IN c", Write, ""),
        ("CLOSE c", Write, ""),
        ("DECLARE c CURSOR FOR SELECT 1", Write, "C"),
        ("DECLARE c NO SCROLL CURSOR WITHOUT HOLD FOR SELECT * FROM t", Write, "C"),
        ("DECLARE c CURSOR WITH HOLD FOR SELECT 1", Write, "CP"),
        ("DECLARE c BINARY INSENSITIVE SCROLL CURSOR WITH HOLD FOR SELECT * FROM t FOR UPDATE", Write, "CPL"),
        ("DECLARE c CURSOR FOR WITH hold AS (SELECT 1) SELECT * FROM hold", Write, "C"),
        // Transactions
        ("BEGIN", Begin, "T"),
        ("begin work", Begin, "T"),
        ("BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE", Begin, "T"),
        ("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY, DEFERRABLE", Begin, "T"),
        ("BEGIN READ WRITE NOT DEFERRABLE ISOLATION LEVEL READ COMMITTED", Begin, "T"),
        ("START TRANSACTION", Begin, "T"),
        ("start transaction read only", Begin, "T"),
        ("BEGIN SOMETHING", Write, ""),
        ("START", Write, ""),
        ("COMMIT", Commit, "T"),
        ("commit work", Commit, "T"),
        ("END", Commit, "T"),
        ("END TRANSACTION", Commit, "T"),
        ("COMMIT AND CHAIN", Commit, "TH"),
        ("COMMIT AND NO CHAIN", Commit, "T"),
        ("COMMIT PREPARED 'tx1'", TwoPhase, "T"),
        ("ROLLBACK", Rollback, "T"),
        ("ABORT", Rollback, "T"),
        ("rollback transaction and chain", Rollback, "TH"),
        ("ROLLBACK TO SAVEPOINT sp1", RollbackTo, "T"),
        ("ROLLBACK WORK TO sp1", RollbackTo, "T"),
        ("ROLLBACK TO \"my sp\"", RollbackTo, "T"),
        ("ROLLBACK PREPARED 'tx1'", TwoPhase, "T"),
        ("PREPARE TRANSACTION 'tx1'", TwoPhase, "T"),
        ("SAVEPOINT sp1", Savepoint, "T"),
        ("RELEASE SAVEPOINT sp1", Release, "T"),
        ("RELEASE sp1", Release, "T"),
        ("SAVEPOINT", Write, ""),
        ("DO $$ BEGIN PERFORM 1; END $$", Write, ""),
        // SET and friends
        ("SET search_path = a, b", SetSession, "S"),
        ("SET SESSION search_path TO a", SetSession, "S"),
        ("SET TIME ZONE 'UTC'", SetSession, "S"),
        ("SET ROLE admin", SetSession, "S"),
        ("SET SESSION AUTHORIZATION DEFAULT", SetSession, "S"),
        ("SET LOCAL statement_timeout = '5s'", SetLocal, ""),
        ("SET CONSTRAINTS ALL DEFERRED", SetLocal, ""),
        ("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", SetTransaction, "T"),
        ("SET TRANSACTION READ ONLY", SetTransaction, "T"),
        ("SET TRANSACTION SNAPSHOT '00000003-0000001B-1'", SetTransaction, "T"),
        ("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ", SetSession, "S"),
        ("SET default_transaction_isolation = 'serializable'", SetSession, "S"),
        ("RESET ALL", SetSession, "S"),
        ("reset search_path", SetSession, "S"),
        ("DISCARD ALL", SetSession, "S"),
        // Session-pinning DDL and the rest
        ("CREATE TEMP TABLE x (a int)", Write, "P"),
        ("CREATE TEMPORARY VIEW v AS SELECT 1", Write, "P"),
        ("create local temporary table x (a int)", Write, "P"),
        ("CREATE GLOBAL TEMP SEQUENCE s", Write, "P"),
        ("CREATE OR REPLACE TEMP VIEW v AS SELECT 1", Write, "P"),
        ("CREATE TABLE pg_temp.x (a int)", Write, "P"),
        ("CREATE FUNCTION \"pg_temp\".f() RETURNS int AS 'SELECT 1' LANGUAGE sql", Write, "P"),
        ("CREATE TABLE x (a int)", Write, ""),
        ("CREATE UNLOGGED TABLE x (a int)", Write, ""),
        ("CREATE POLICY p ON t FOR UPDATE USING (true)", Write, ""),
        ("CREATE TABLE x AS SELECT * FROM t", Write, ""),
        ("LISTEN ch", Write, "P"),
        ("UNLISTEN *", Write, ""),
        ("NOTIFY ch, 'x'", Write, ""),
        ("PREPARE q (int) AS SELECT $1", Write, "P"),
        ("prepare q as select 1", Write, "P"),
        ("PREPARE transaction AS SELECT 1", Write, "P"),
        ("EXECUTE q(1)", Write, ""),
        ("DEALLOCATE q", Write, ""),
        ("VACUUM ANALYZE t", Write, ""),
        ("CALL p(1)", Write, ""),
        ("TRUNCATE t", Write, ""),
        ("\"select\" 1", Write, ""),
        ("(BEGIN)", Write, ""),
        ("((", Write, ""),
        ("42", Write, ""),
        // Multi-statement texts
        ("SELECT 1; SELECT 2", Multi, "R"),
        ("SELECT 1; INSERT INTO t VALUES (1)", Multi, ""),
        ("BEGIN; SELECT 1; COMMIT", Multi, "T"),
        ("SET search_path = x; SELECT 1", Multi, "S"),
        ("SELECT 1;;; ;", Read, "R"),
        ("SELECT 'a;b'; SELECT \"c;d\"; SELECT $$;$$", Multi, "R"),
        ("SELECT 1 /* ; */ ; -- ;\n SELECT 2", Multi, "R"),
        ("SELECT 1; SELECT pg_advisory_lock(1)", Multi, "LP"),
        ("SELECT 1; DECLARE c CURSOR WITH HOLD FOR SELECT 1", Multi, "CP"),
        ("CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); DELETE FROM b)", Write, ""),
        // Unterminated: Write, no panic
        ("SELECT 'abc", Write, ""),
        ("SELECT E'abc\\'", Write, ""),
        ("SELECT \"abc", Write, ""),
        ("SELECT $$abc", Write, ""),
        ("SELECT $a$ abc $b$", Write, ""),
        ("SELECT 1 /* abc", Write, ""),
        ("SELECT 1 /* a /* b */", Write, ""),
        ("/* abc", Write, ""),
        ("BEGIN /* x", Write, ""),
        ("SELECT 1; SELECT 'x", Multi, ""),
        ("SELECT U&'abc", Write, ""),
    ];

    #[test]
    fn table() {
        assert!(CASES.len() >= 80);
        for &(sql, kind, flags) in CASES {
            check(sql, kind, flags);
        }
    }

    #[test]
    fn deny_table_sorted_and_lowercase() {
        for w in DENY.windows(2) {
            assert!(w[0] < w[1], "{:?}", std::str::from_utf8(w[1]));
        }
        for e in DENY {
            assert!(!e.iter().any(u8::is_ascii_uppercase));
            assert_eq!(deny(e), Deny::Write);
        }
        for name in [
            "pg_backup_start",
            "PG_BACKUP_STOP",
            "pg_stat_reset",
            "dblink",
            "lo_export",
            "pg_replication_origin_create",
        ] {
            assert_eq!(deny(name.as_bytes()), Deny::Write, "{name}");
        }
        for name in [
            "count",
            "now",
            "pg_sleep",
            "lower",
            "pg_",
            "lo",
            "pg_backend_pid",
        ] {
            assert_eq!(deny(name.as_bytes()), Deny::No, "{name}");
        }
        for name in [
            "pg_advisory_lock",
            "pg_advisory_lock_shared",
            "pg_try_advisory_lock",
            "pg_try_advisory_lock_shared",
            "pg_advisory_unlock",
            "pg_advisory_unlock_shared",
            "pg_advisory_unlock_all",
        ] {
            assert_eq!(deny(name.as_bytes()), Deny::LockPin, "{name}");
        }
        for name in [
            "pg_advisory_xact_lock",
            "pg_advisory_xact_lock_shared",
            "pg_try_advisory_xact_lock",
            "pg_try_advisory_xact_lock_shared",
        ] {
            assert_eq!(deny(name.as_bytes()), Deny::Lock, "{name}");
        }
    }

    #[test]
    fn keyword_table() {
        let words = [
            "abort",
            "alter",
            "analyse",
            "analyze",
            "and",
            "as",
            "begin",
            "chain",
            "characteristics",
            "commit",
            "committed",
            "constraints",
            "copy",
            "create",
            "cursor",
            "declare",
            "default_transaction_isolation",
            "default_transaction_read_only",
            "deferrable",
            "delete",
            "discard",
            "end",
            "explain",
            "for",
            "from",
            "global",
            "hold",
            "insert",
            "into",
            "isolation",
            "key",
            "level",
            "listen",
            "local",
            "lock",
            "merge",
            "no",
            "not",
            "only",
            "or",
            "policy",
            "prepare",
            "prepared",
            "read",
            "release",
            "repeatable",
            "replace",
            "reset",
            "rollback",
            "savepoint",
            "select",
            "serializable",
            "session",
            "set",
            "share",
            "show",
            "snapshot",
            "start",
            "stdout",
            "table",
            "temp",
            "temporary",
            "to",
            "transaction",
            "uescape",
            "uncommitted",
            "update",
            "values",
            "verbose",
            "with",
            "work",
            "write",
        ];
        for w in words {
            assert_ne!(kw(w.as_bytes()), Kw::Other, "{w}");
            assert_eq!(kw(w.to_ascii_uppercase().as_bytes()), kw(w.as_bytes()));
        }
        for w in [
            "selec",
            "selects",
            "x",
            "",
            "id",
            "\u{e9}",
            "nam\u{e9}",
            "table_",
            "ßelect",
        ] {
            assert_eq!(kw(w.as_bytes()), Kw::Other, "{w}");
        }
        assert_eq!(kw(b"SeLeCt"), Kw::Select);
        assert_eq!(
            kw(b"DEFAULT_TRANSACTION_READ_ONLY"),
            Kw::DefaultTransactionReadOnly
        );
    }

    #[test]
    fn transaction_modes() {
        let f = classify("BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE");
        assert_eq!(f.isolation, Some(Isolation::Serializable));
        assert_eq!(f.read_only_txn, Some(true));
        let f = classify("start transaction read write, isolation level repeatable read");
        assert_eq!(f.kind, Begin);
        assert_eq!(f.isolation, Some(Isolation::RepeatableRead));
        assert_eq!(f.read_only_txn, Some(false));
        let f = classify("BEGIN ISOLATION LEVEL READ UNCOMMITTED");
        assert_eq!(f.isolation, Some(Isolation::ReadCommitted));
        let f = classify("BEGIN");
        assert_eq!((f.isolation, f.read_only_txn), (None, None));
        let f = classify("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
        assert_eq!(f.kind, SetTransaction);
        assert_eq!(f.isolation, Some(Isolation::ReadCommitted));
        let f = classify(
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY, ISOLATION LEVEL SERIALIZABLE",
        );
        assert_eq!(f.kind, SetSession);
        assert!(f.session_state && !f.txn_control);
        assert_eq!(f.isolation, Some(Isolation::Serializable));
        assert_eq!(f.read_only_txn, Some(true));
        let f = classify("SET default_transaction_isolation TO 'repeatable read'");
        assert_eq!(f.isolation, Some(Isolation::RepeatableRead));
        let f = classify("set session default_transaction_read_only = on");
        assert_eq!(f.read_only_txn, Some(true));
        let f = classify("SET default_transaction_read_only TO 'off'");
        assert_eq!(f.read_only_txn, Some(false));
        let f = classify("SET default_transaction_isolation = DEFAULT");
        assert_eq!((f.kind, f.isolation), (SetSession, None));
        // Taken from the first statement that names them.
        let f = classify("BEGIN READ ONLY; SET TRANSACTION ISOLATION LEVEL SERIALIZABLE; COMMIT");
        assert_eq!(f.kind, Multi);
        assert_eq!(f.statements, 3);
        assert_eq!(f.isolation, Some(Isolation::Serializable));
        assert_eq!(f.read_only_txn, Some(true));
        // Not a valid mode list: Write, and nothing leaks.
        let f = classify("BEGIN ISOLATION LEVEL SERIALIZABLE, SOMETHING");
        assert_eq!((f.kind, f.isolation, f.txn_control), (Write, None, false));
        let f = classify("BEGIN ISOLATION LEVEL SERIALIZABLE 'x");
        assert_eq!((f.kind, f.isolation), (Write, None));
        let f = classify("ROLLBACK AND CHAIN; COMMIT");
        assert!(f.chain);
    }

    #[test]
    fn counts() {
        assert_eq!(classify("").statements, 0);
        assert_eq!(classify("SELECT 1").statements, 1);
        assert_eq!(classify(";SELECT 1;;SELECT 2;").statements, 2);
        assert_eq!(classify("BEGIN; SELECT 1; COMMIT").statements, 3);
        let f = classify("SELECT 1; SELECT 2");
        assert!(f.read_only && !f.txn_control && !f.session_state);
    }

    #[test]
    fn statement_ranges() {
        let sql = "  SELECT 1 ;\n/* c */ INSERT INTO t VALUES ('a;b') ;; BEGIN  ";
        let st = statements(sql);
        let parts: Vec<&str> = st.iter().map(|(r, _)| &sql[r.clone()]).collect();
        assert_eq!(
            parts,
            ["SELECT 1", "/* c */ INSERT INTO t VALUES ('a;b')", "BEGIN"]
        );
        let kinds: Vec<Kind> = st.iter().map(|(_, f)| f.kind).collect();
        assert_eq!(kinds, [Read, Write, Begin]);
        for (r, f) in &st {
            assert_eq!(*f, classify(&sql[r.clone()]));
        }
        assert!(statements("").is_empty());
        assert!(statements(" ; -- x\n ;").is_empty());
        let st = statements("SELECT 1; SELECT 'x");
        assert_eq!(st.len(), 2);
        assert_eq!(st[1].1.kind, Write);
        assert_eq!(&"SELECT 1; SELECT 'x"[st[1].0.clone()], "SELECT 'x");
        // Multibyte characters around the boundaries.
        let sql = "SELECT 'ä';ö;SELECT 1";
        let st = statements(sql);
        assert_eq!(st.len(), 3);
        assert_eq!(&sql[st[1].0.clone()], "ö");
    }

    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }
    }

    #[test]
    fn random_input_never_panics() {
        const PIECES: &[&str] = &[
            "'",
            "\"",
            "$",
            "$$",
            "$a$",
            "E'",
            "e'\\'",
            "U&'",
            "U&\"",
            "B'",
            "X'",
            "\\",
            "--",
            "/*",
            "*/",
            "\n",
            " ",
            ";",
            "(",
            ")",
            ",",
            ".",
            "=",
            "1",
            "$1",
            "0x",
            "1e",
            "é",
            "€",
            "\u{10348}",
            "SELECT",
            "select",
            "INSERT",
            "into",
            "FOR",
            "update",
            "SHARE",
            "NO",
            "KEY",
            "BEGIN",
            "COMMIT",
            "ROLLBACK",
            "TO",
            "SAVEPOINT",
            "SET",
            "LOCAL",
            "SESSION",
            "TRANSACTION",
            "ISOLATION",
            "LEVEL",
            "READ",
            "ONLY",
            "EXPLAIN",
            "ANALYZE",
            "COPY",
            "STDOUT",
            "FROM",
            "DECLARE",
            "CURSOR",
            "WITH",
            "HOLD",
            "CREATE",
            "TEMP",
            "PREPARE",
            "nextval",
            "pg_advisory_lock",
            "pg_temp",
            "AND",
            "CHAIN",
            "x",
        ];
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        let mut buf = Vec::new();
        for round in 0..30_000 {
            buf.clear();
            let len = (rng.next() % 40) as usize;
            for _ in 0..len {
                let r = rng.next();
                if round % 3 == 0 {
                    // Raw bytes.
                    buf.push(r as u8);
                } else if r.is_multiple_of(5) {
                    buf.push((r >> 8) as u8);
                } else {
                    buf.extend_from_slice(PIECES[(r >> 8) as usize % PIECES.len()].as_bytes());
                    if r & 0x10000 != 0 {
                        buf.push(b' ');
                    }
                }
            }
            let sql = String::from_utf8_lossy(&buf);
            let whole = classify(&sql);
            let parts = statements(&sql);
            assert_eq!(whole.statements as usize, parts.len(), "{sql:?}");
            let mut acc = EMPTY;
            for (r, f) in &parts {
                let slice = sql.get(r.clone()).expect("range on a char boundary");
                assert_eq!(classify(slice), *f, "{sql:?} / {slice:?}");
                merge(&mut acc, f);
            }
            assert_eq!(acc, whole, "{sql:?}");
        }
    }

    #[test]
    fn deep_nesting_never_panics() {
        let s = "EXPLAIN ".repeat(10_000) + "SELECT 1";
        assert_eq!(classify(&s).kind, Write);
        let s = "(".repeat(100_000);
        assert_eq!(classify(&s).kind, Write);
        let s = "/*".repeat(100_000);
        assert_eq!(classify(&s).kind, Write);
        let s = "SELECT ".to_string() + &"$a".repeat(50_000);
        let _ = classify(&s);
        let s = "$a$".to_string() + &"$a".repeat(50_000);
        assert_eq!(classify(&s).kind, Write);
    }

    /// `cargo test --release --lib classify::tests::bench -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn bench() {
        let texts = [
            "SELECT id, name, email FROM users WHERE id = $1 AND active",
            "select count(*) from orders o join items i on i.order_id = o.id where o.ts > now()",
            "INSERT INTO t (a, b) VALUES ($1, $2)",
            "BEGIN ISOLATION LEVEL REPEATABLE READ",
        ];
        for sql in texts {
            let n = 2_000_000u32;
            let t0 = std::time::Instant::now();
            for _ in 0..n {
                std::hint::black_box(classify(std::hint::black_box(sql)));
            }
            let ns = t0.elapsed().as_nanos() as f64 / f64::from(n);
            println!("{ns:7.1} ns  {} bytes  {sql}", sql.len());
        }
    }
}
