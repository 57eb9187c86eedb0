//! Classification of one statement: its kind and the facts `Facts`
//! gathers, from one pass over its tokens (a few look-ahead copies of the
//! reader on rare statements).

use super::lex::{plain_str, NameBuf, Reader, Tok, DECODED_MAX, T};
use super::names::{
    allowed, class, cmd, deny, deny_class, identity, identity_setting, may_be_identity,
    starts_with_ci, Calls, Class, Cmd, Deny, Ident, Kw,
};
use super::{
    Facts, Hint, Kind, PIN_ADVISORY, PIN_ALL, PIN_HOLD_CURSOR, PIN_LISTEN, PIN_PREPARED,
    PIN_SETTING,
};
use super::{PIN_PROCEDURE, PIN_TEMP};
use crate::attr::Isolation;

mod control;
mod identity;

use control::{finish, modes, savepoint_name, set, share_lock_mode};
use identity::{names_identity, shows_identity, temp_schema, txn_time_word};

/// Where the function calls that `Facts::calls` counts go (see
/// `function_calls`): the schema and name tokens of each. `None` while
/// classifying.
pub(crate) type Sink<'s> = Option<&'s mut dyn FnMut(Option<Tok>, Tok)>;

/// What one statement is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct St {
    pub(crate) kind: Kind,
    locking: bool,
    /// `PIN_*` bits of session state the statement creates.
    pins: u8,
    /// `PIN_*` bits of session state it certainly clears.
    unpins: u8,
    cursor: bool,
    isolation: Option<Isolation>,
    read_only_txn: Option<bool>,
    chain: bool,
    /// A Read statement calls a function to look up (see `Facts::calls`).
    calls: bool,
    ddl: bool,
    no_txn_block: bool,
    share_lock: bool,
    /// A Read statement's answer depends on the server that gives it (see
    /// `Facts::node_identity`).
    identity: bool,
    /// A Read statement reads the transaction's time (`Facts::txn_time`).
    txn_time: bool,
    copy: bool,
    prepare_txn: bool,
    /// A Read statement reads the session's cursors (`pg_cursors`).
    cursor_list: bool,
    /// The text's hint, on its first statement (see `each_statement`).
    pub(crate) hint: Option<Hint>,
}

impl St {
    fn new(kind: Kind) -> St {
        St {
            kind,
            locking: false,
            pins: 0,
            unpins: 0,
            cursor: false,
            isolation: None,
            read_only_txn: None,
            chain: false,
            calls: false,
            ddl: false,
            no_txn_block: false,
            share_lock: false,
            identity: false,
            txn_time: false,
            copy: false,
            prepare_txn: false,
            cursor_list: false,
            hint: None,
        }
    }

    pub(crate) fn facts(&self) -> Facts {
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
            pins_session: self.pins != 0,
            cursor: self.cursor,
            isolation: self.isolation,
            read_only_txn: self.read_only_txn,
            chain: self.chain,
            pins: self.pins,
            unpins: self.unpins,
            hint: self.hint,
            calls: self.calls,
            ddl: self.ddl,
            no_txn_block: self.no_txn_block,
            share_lock: self.share_lock,
            node_identity: self.identity || self.cursor_list,
            cursor_list: self.cursor_list && !self.identity,
            txn_time: self.txn_time,
            copy: self.copy,
            prepare_txn: self.prepare_txn,
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

/// Classify the statement `r` reads, consuming all of it; the calls of a
/// Read statement go to `sink` as they are met.
pub(crate) fn statement(r: &mut Reader, nest: u8, sink: &mut Sink<'_>) -> St {
    let mut st = dispatch(r, nest, sink);
    r.drain();
    if r.lex.unterminated && st.kind != Kind::Write {
        st.kind = Kind::Write;
    }
    if r.lex.unterminated {
        st.unpins = 0;
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
    if st.kind != Kind::Read {
        st.calls = false;
        st.identity = false;
    }
    // Created and cleared by one statement: in which order is unknown.
    st.unpins &= !st.pins;
    st
}

fn dispatch(r: &mut Reader, nest: u8, sink: &mut Sink<'_>) -> St {
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
            if k == Kw::Show {
                st.identity = shows_identity(r);
            }
            let out = scan::<true>(r, Some(first), Mode::Query, true, &mut st, sink);
            if !out.write {
                st.kind = Kind::Read;
            }
        }
        Kw::Explain => return explain(r, nest, sink),
        Kw::Copy => {
            st.copy = true;
            let out = scan::<true>(r, Some(first), Mode::Copy, true, &mut st, sink);
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
                        st.prepare_txn = true;
                    }
                }
            }
            // `PREPARE name [(types)] AS statement`: lives in this session.
            if !two_phase {
                st.pins |= PIN_PREPARED;
            }
        }
        Kw::Set => set(r, &mut st),
        Kw::Reset => {
            st.kind = Kind::SetSession;
            let what = r.next();
            if r.next().is_none() && r.is_word(what, b"all") {
                st.unpins = PIN_SETTING;
            }
        }
        Kw::Discard => {
            st.kind = Kind::SetSession;
            let what = r.next();
            if r.next().is_none() {
                if r.is_word(what, b"all") {
                    st.unpins = PIN_ALL;
                    st.no_txn_block = true;
                } else if what.is_some_and(|t| matches!(r.kw(t), Kw::Temp | Kw::Temporary)) {
                    st.unpins = PIN_TEMP;
                }
            }
        }
        Kw::Lock => {
            st.locking = true;
            st.share_lock = share_lock_mode(r);
        }
        Kw::Listen => st.pins |= PIN_LISTEN,
        Kw::Declare => {
            scan::<false>(r, Some(first), Mode::Declare, true, &mut st, sink);
        }
        Kw::Create => create(r, &mut st, sink),
        Kw::Alter => alter(r, first, &mut st, sink),
        Kw::Other => return command(r, first),
        _ => return generic(r, first),
    }
    st
}

/// A statement that is Write whatever it contains; scanned for flags only.
fn generic(r: &mut Reader, first: Tok) -> St {
    let mut st = St::new(Kind::Write);
    scan::<false>(r, Some(first), Mode::Plain, true, &mut st, &mut None);
    st
}

/// `CREATE …` after the word CREATE.
fn create(r: &mut Reader, st: &mut St, sink: &mut Sink<'_>) {
    st.ddl = true;
    let mut what = r.next();
    let kw_of = |r: &Reader, t: Option<Tok>| t.map_or(Kw::Other, |t| r.kw(t));
    if kw_of(r, what) == Kw::Or {
        r.next();
        what = r.next();
    }
    if matches!(kw_of(r, what), Kw::Global | Kw::Local) {
        what = r.next();
    }
    let k2 = kw_of(r, what);
    if matches!(k2, Kw::Temp | Kw::Temporary) {
        st.pins |= PIN_TEMP;
    }
    if r.is_word(what, b"database")
        || r.is_word(what, b"tablespace")
        || r.is_word(what, b"subscription")
    {
        st.no_txn_block = true;
    } else {
        // CREATE [UNIQUE] INDEX CONCURRENTLY
        let mut c = *r;
        let index = if r.is_word(what, b"unique") {
            c.next_is(b"index")
        } else {
            r.is_word(what, b"index")
        };
        if index && c.next_is(b"concurrently") {
            st.no_txn_block = true;
        }
    }
    scan::<false>(r, None, Mode::Create, k2 != Kw::Policy, st, sink);
}

/// `ALTER …` after the word ALTER.
fn alter(r: &mut Reader, first: Tok, st: &mut St, sink: &mut Sink<'_>) {
    st.ddl = true;
    let mut c = *r;
    let what = c.next();
    if c.is_word(what, b"system") {
        st.no_txn_block = true;
    } else if c.is_word(what, b"database") {
        // ALTER DATABASE name SET TABLESPACE new
        c.next();
        st.no_txn_block = c.next_is(b"set") && c.next_is(b"tablespace");
    } else if c.is_word(what, b"table") {
        // ALTER TABLE … DETACH PARTITION … CONCURRENTLY
        let (mut detach, mut concurrently) = (false, false);
        while let Some(t) = c.next() {
            detach |= c.is_word(Some(t), b"detach");
            concurrently |= c.is_word(Some(t), b"concurrently");
        }
        st.no_txn_block = detach && concurrently;
    }
    let for_lock = r.peek_kw() != Kw::Policy;
    scan::<false>(r, Some(first), Mode::Plain, for_lock, st, sink);
}

/// A statement whose first word `kw` does not know: Write, with the facts
/// of the few commands `cmd` knows. What is checked looks ahead on a copy
/// of the reader; `generic` then reads the statement for its flags.
fn command(r: &mut Reader, first: Tok) -> St {
    let which = if first.t == T::Word {
        cmd(r.bytes(first))
    } else {
        Cmd::Other
    };
    let mut c = *r;
    let mut ddl = false;
    let mut no_txn_block = false;
    let mut pins = 0;
    let mut unpins = 0;
    match which {
        Cmd::Other => {}
        Cmd::Call | Cmd::Do => {
            pins = PIN_PROCEDURE;
            ddl = true;
        }
        Cmd::Comment | Cmd::Grant | Cmd::Revoke => ddl = true,
        // A library loaded in one server's session changes its settings
        // (it drops the placeholders it does not define): the session
        // keeps to the primary, whose settings are then the session's.
        Cmd::Load => pins = PIN_SETTING,
        Cmd::Security => ddl = c.next_is(b"label"),
        Cmd::Import => {
            ddl = c.next_is(b"foreign") && c.next_is(b"schema");
        }
        Cmd::Refresh => {
            ddl = c.next_is(b"materialized") && c.next_is(b"view");
        }
        Cmd::Drop => {
            ddl = true;
            let what = c.next();
            no_txn_block = c.is_word(what, b"database")
                || c.is_word(what, b"tablespace")
                || c.is_word(what, b"subscription")
                || (c.is_word(what, b"index") && c.next_is(b"concurrently"));
        }
        Cmd::Reindex => {
            // REINDEX [(options)] {INDEX | TABLE | SCHEMA | DATABASE | SYSTEM}
            // [CONCURRENTLY] [name]; CONCURRENTLY may also be an option.
            ddl = true;
            let mut concurrently = c.skip_group(b"concurrently");
            let what = c.next();
            no_txn_block = c.is_word(what, b"database")
                || c.is_word(what, b"system")
                || c.is_word(what, b"schema");
            while let Some(t) = c.next() {
                concurrently |= c.is_word(Some(t), b"concurrently");
            }
            no_txn_block |= concurrently;
        }
        Cmd::Vacuum => no_txn_block = true,
        Cmd::Cluster => {
            // CLUSTER [VERBOSE | (options)] with no table: every table.
            c.skip_group(b"");
            if c.is_word(c.peek(), b"verbose") {
                c.next();
            }
            no_txn_block = c.next().is_none();
        }
        Cmd::Unlisten => {
            if c.next().is_some_and(|t| r.bytes(t) == b"*") && c.next().is_none() {
                unpins = PIN_LISTEN;
            }
        }
        Cmd::Deallocate => {
            let mut what = c.next();
            if c.is_word(what, b"prepare") {
                what = c.next();
            }
            if c.is_word(what, b"all") && c.next().is_none() {
                unpins = PIN_PREPARED;
            }
        }
        Cmd::Close => {
            if c.next_is(b"all") && c.next().is_none() {
                unpins = PIN_HOLD_CURSOR;
            }
        }
    }
    let mut st = generic(r, first);
    st.ddl |= ddl;
    st.no_txn_block |= no_txn_block;
    st.pins |= pins;
    st.unpins |= unpins;
    st
}

/// `EXPLAIN [ANALYZE] [VERBOSE] stmt` or `EXPLAIN (options) stmt`. Without
/// ANALYZE nothing runs but the planner: a plan is a read, whatever the
/// statement (a standby plans DML too), and calls nothing to look up.
/// With ANALYZE the statement runs: Read exactly when it is; of one that
/// is not, the pins and `ddl` are kept, never what it would clear.
fn explain(r: &mut Reader, nest: u8, sink: &mut Sink<'_>) -> St {
    let mut analyze = false;
    if r.peek().is_some_and(|t| t.t == T::LParen) {
        let mut c = *r;
        c.next();
        let statement_follows = match c.next() {
            Some(t) if t.t == T::LParen => true,
            Some(t) => matches!(c.kw(t), Kw::Select | Kw::With | Kw::Values | Kw::Table),
            None => false,
        };
        if !statement_follows {
            analyze = explain_options_analyze(r);
        }
    } else {
        while matches!(r.peek_kw(), Kw::Analyze | Kw::Verbose) {
            analyze |= r.next_kw() == Kw::Analyze;
        }
    }
    // The statements EXPLAIN can plan (EXECUTE names a statement prepared
    // in the primary's session; anything else is an error everywhere).
    let plannable = r.peek().is_some_and(|t| {
        t.t == T::LParen
            || matches!(
                r.kw(t),
                Kw::Select
                    | Kw::With
                    | Kw::Values
                    | Kw::Table
                    | Kw::Insert
                    | Kw::Update
                    | Kw::Delete
                    | Kw::Merge
                    | Kw::Declare
                    | Kw::Create
            )
    });
    let mut plan_only = Sink::default();
    let target = if analyze {
        statement(r, nest + 1, sink)
    } else {
        statement(r, nest + 1, &mut plan_only)
    };
    if !plannable {
        return St::new(Kind::Write);
    }
    if target.kind == Kind::Read {
        return St {
            calls: analyze && target.calls,
            ..target
        };
    }
    if !analyze && nest < MAX_NEST {
        let mut st = St::new(Kind::Read);
        st.hint = target.hint;
        return st;
    }
    let mut st = St::new(Kind::Write);
    st.locking = target.locking;
    st.pins = target.pins;
    st.ddl = target.ddl;
    st
}

/// Reads EXPLAIN's `( option [value], … )` group; whether ANALYZE is on
/// (`ANALYZE`, `ANALYZE true|on|1|yes`, not `ANALYZE false|off|0|no`).
fn explain_options_analyze(r: &mut Reader) -> bool {
    let mut analyze = false;
    let d = r.depth;
    r.next(); // (
    let mut at_option = true;
    while let Some(t) = r.next() {
        match t.t {
            T::RParen if r.depth == d => break,
            T::Comma if r.depth == d + 1 => at_option = true,
            _ if at_option => {
                at_option = false;
                if r.kw(t) == Kw::Analyze {
                    analyze = match r.peek() {
                        Some(v) if matches!(v.t, T::Word | T::Str | T::Num) => {
                            let w = r.bytes(v);
                            let w = w.strip_prefix(b"'").unwrap_or(w);
                            let w = w.strip_suffix(b"'").unwrap_or(w);
                            ![&b"false"[..], b"off", b"0", b"no"]
                                .iter()
                                .any(|f| f.eq_ignore_ascii_case(w))
                        }
                        _ => true,
                    };
                }
            }
            _ => {}
        }
    }
    analyze
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A statement that is Write whatever it contains.
    Plain,
    /// `SELECT`, `WITH`, `VALUES`, `TABLE`, `SHOW`: Read unless something
    /// in it writes; function calls are looked for.
    Query,
    /// `CREATE …`: `pg_temp.name` creates a temporary object.
    Create,
    /// `DECLARE …`: CURSOR and WITH HOLD before the `FOR query`.
    Declare,
    /// `COPY …`: direction (`TO STDOUT` / `FROM`); function calls are
    /// looked for in the `(query)`.
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
/// (when `for_lock`), calls of denied functions, quoted names that are not
/// plain slices of the text, plus what `mode` asks; in `Query` and `Copy`
/// mode, the calls of functions to look up (to `sink`). `first` is the
/// token read just before (the statement's first word).
fn scan<const DETECT: bool>(
    r: &mut Reader,
    first: Option<Tok>,
    mode: Mode,
    for_lock: bool,
    st: &mut St,
    sink: &mut Sink<'_>,
) -> ScanOut {
    let mut write = false;
    let mut prev = first;
    let mut prev_kw = prev.map_or(Kw::Other, |p| r.kw(p));
    // 0: nothing; 1: after FOR; 2: after FOR NO; 3: after FOR [NO] KEY.
    let mut for_state = 0u8;
    let mut after_into = false;
    let mut declare_head = mode == Mode::Declare;
    // 0: direction not seen; 1: after TO; 2: TO STDOUT; 3: anything else.
    let mut copy = 0u8;
    // Function calls matter in Query and Copy mode only (a constant, so
    // that the other modes pay nothing for them).
    let detect = DETECT;
    debug_assert_eq!(detect, matches!(mode, Mode::Query | Mode::Copy));
    let mut calls = Calls::default();
    let mut prev2: Option<Tok> = None;
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
                Kw::Temp | Kw::Temporary => st.pins |= PIN_TEMP,
                _ if t.t == T::Word && starts_with_ci(r.bytes(t), b"pg_temp") => {
                    st.pins |= PIN_TEMP
                }
                _ => {}
            }
        }
        match k {
            Kw::Insert | Kw::Update | Kw::Delete | Kw::Merge => write = true,
            // SELECT … INTO creates a table.
            Kw::Into if !matches!(prev_kw, Kw::Insert | Kw::Merge) => {
                write = true;
                st.ddl = true;
                after_into = true;
            }
            _ => {}
        }
        match t.t {
            T::LParen => {
                let mut nb: NameBuf;
                let name = match prev.map(|p| (p, r.name(p))) {
                    Some((_, Some(n))) => Some(n),
                    Some((p, None)) if p.t == T::QIdent => {
                        nb = [0; DECODED_MAX];
                        r.name_in(p, &mut nb)
                    }
                    _ => None,
                };
                let (class, cand) = if detect {
                    let class = name.map_or(Class::Other, class);
                    (class, calls.lparen(r, prev, prev2, r.depth, class))
                } else {
                    (Class::Other, None)
                };
                if let Some(name) = name {
                    let denied = if detect {
                        deny_class(name, class)
                    } else {
                        deny(name)
                    };
                    match denied {
                        Deny::No => {
                            if let Some((schema, name_tok)) = cand {
                                let mut sb: NameBuf;
                                let schema_name = match schema.map(|s| (s, r.name(s))) {
                                    Some((s, Some(n))) => Some((n, s.t == T::QIdent)),
                                    Some((s, None)) if s.t == T::QIdent => {
                                        sb = [0; DECODED_MAX];
                                        r.name_in(s, &mut sb).map(|n| (n, true))
                                    }
                                    _ => None,
                                };
                                let quoted = name_tok.t == T::QIdent;
                                let reported = !allowed(schema_name, class, name, quoted)
                                    && (mode == Mode::Query || (copy == 0 && r.depth >= 2));
                                if reported {
                                    st.calls = true;
                                    if let Some(f) = sink.as_mut() {
                                        f(schema, name_tok);
                                    }
                                }
                            }
                        }
                        Deny::Write => write = true,
                        Deny::SetConfig => {
                            write = true;
                            st.pins |= PIN_SETTING;
                        }
                        Deny::Lock | Deny::Unlock => {
                            write = true;
                            st.locking = true;
                        }
                        Deny::LockPin => {
                            write = true;
                            st.locking = true;
                            st.pins |= PIN_ADVISORY;
                        }
                        Deny::UnlockAll => {
                            write = true;
                            st.locking = true;
                            if mode == Mode::Query && unlock_all_alone(r, first) {
                                st.unpins |= PIN_ADVISORY;
                            }
                        }
                    }
                }
            }
            // A quoted name that is not a plain slice of the text (a
            // `U&"…"` name with escapes, a doubled `""`) is decoded where
            // it is checked or reported; one that cannot be decoded (the
            // server refuses it, or it is too long) is never read.
            T::QIdent if r.name(t).is_none() && !r.decodes(t) => write = true,
            T::Dot if detect => calls.dot(t, prev, prev2),
            T::Dot
                if mode == Mode::Create
                    && prev.is_some_and(|p| {
                        let mut nb = [0; DECODED_MAX];
                        r.name_in(p, &mut nb)
                            .is_some_and(|n| n.eq_ignore_ascii_case(b"pg_temp"))
                    }) =>
            {
                st.pins |= PIN_TEMP;
            }
            T::RParen if detect => calls.rparen(t, r.depth),
            _ => {}
        }
        let may_name = match t.t {
            T::Word => may_be_identity(r.bytes(t)),
            T::QIdent => true,
            _ => false,
        };
        if detect && !st.identity && may_name {
            match names_identity(r, t, prev, prev2) {
                Some(Ident::Cursors) => st.cursor_list = true,
                Some(_) => st.identity = true,
                None => {}
            }
        }
        if detect && t.t == T::Word && !st.txn_time {
            st.txn_time = txn_time_word(r.bytes(t));
        }
        // A relation of the session's temporary schema (`pg_temp.x`,
        // `pg_temp_3.x`) lives in the primary's session only.
        if detect && t.t == T::Dot && prev.and_then(|p| r.name(p)).is_some_and(temp_schema) {
            st.identity = true;
        }
        match mode {
            Mode::Declare if declare_head => match k {
                Kw::Cursor => st.cursor = true,
                Kw::Hold if prev_kw == Kw::With => st.pins |= PIN_HOLD_CURSOR,
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
        prev2 = prev;
        prev = Some(t);
        prev_kw = k;
    }
    ScanOut {
        write,
        copy_to_stdout: copy == 2,
    }
}

/// The statement that starts with `first` is exactly
/// `SELECT [pg_catalog.]pg_advisory_unlock_all()`: then it certainly
/// releases every advisory lock.
fn unlock_all_alone(r: &Reader, first: Option<Tok>) -> bool {
    let Some(first) = first.filter(|&t| r.kw(t) == Kw::Select) else {
        return false;
    };
    let mut c = Reader::new(r.lex.b, first.e, r.lex.scs);
    let mut name = c.next();
    if c.peek().is_some_and(|t| t.t == T::Dot) {
        if !name
            .and_then(|t| c.name(t))
            .is_some_and(|n| n.eq_ignore_ascii_case(b"pg_catalog"))
        {
            return false;
        }
        c.next();
        name = c.next();
    }
    c.is_word(name, b"pg_advisory_unlock_all")
        && c.next().is_some_and(|t| t.t == T::LParen)
        && c.next().is_some_and(|t| t.t == T::RParen)
        && c.next().is_none()
}
