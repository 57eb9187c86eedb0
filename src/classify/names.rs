//! Names: the keyword table, statement heads, the functions that must run
//! on the primary (deny list), the harmless volatile built-ins a standby
//! may run (allow list), the words that look like calls but are SQL syntax,
//! and the tracking that tells a function call from the rest.

mod identity;
use identity::as_listed;
pub(crate) use identity::{
    identity, identity_setting, may_be_identity, Ident, FAMILIES, IDENTITY, SETTINGS,
};

use super::lex::{Reader, Tok, T};

// ---------------------------------------------------------------------------
// Keywords
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kw {
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

/// The keywords of up to 16 bytes (`kw_at` knows the two longer ones).
#[rustfmt::skip]
static KEYWORDS: &[(&[u8], Kw)] = &[
    (b"abort", Kw::Abort), (b"alter", Kw::Alter), (b"analyse", Kw::Analyze),
    (b"analyze", Kw::Analyze), (b"and", Kw::And), (b"as", Kw::As), (b"begin", Kw::Begin),
    (b"chain", Kw::Chain), (b"characteristics", Kw::Characteristics), (b"commit", Kw::Commit),
    (b"committed", Kw::Committed), (b"constraints", Kw::Constraints), (b"copy", Kw::Copy),
    (b"create", Kw::Create), (b"cursor", Kw::Cursor), (b"declare", Kw::Declare),
    (b"deferrable", Kw::Deferrable), (b"delete", Kw::Delete), (b"discard", Kw::Discard),
    (b"end", Kw::End), (b"explain", Kw::Explain), (b"for", Kw::For), (b"from", Kw::From),
    (b"global", Kw::Global), (b"hold", Kw::Hold), (b"insert", Kw::Insert), (b"into", Kw::Into),
    (b"isolation", Kw::Isolation), (b"key", Kw::Key), (b"level", Kw::Level),
    (b"listen", Kw::Listen), (b"local", Kw::Local), (b"lock", Kw::Lock), (b"merge", Kw::Merge),
    (b"no", Kw::No), (b"not", Kw::Not), (b"only", Kw::Only), (b"or", Kw::Or),
    (b"policy", Kw::Policy), (b"prepare", Kw::Prepare), (b"prepared", Kw::Prepared),
    (b"read", Kw::Read), (b"release", Kw::Release), (b"repeatable", Kw::Repeatable),
    (b"replace", Kw::Replace), (b"reset", Kw::Reset), (b"rollback", Kw::Rollback),
    (b"savepoint", Kw::Savepoint), (b"select", Kw::Select), (b"serializable", Kw::Serializable),
    (b"session", Kw::Session), (b"set", Kw::Set), (b"share", Kw::Share), (b"show", Kw::Show),
    (b"snapshot", Kw::Snapshot), (b"start", Kw::Start), (b"stdout", Kw::Stdout),
    (b"table", Kw::Table), (b"temp", Kw::Temp), (b"temporary", Kw::Temporary), (b"to", Kw::To),
    (b"transaction", Kw::Transaction), (b"uescape", Kw::Uescape),
    (b"uncommitted", Kw::Uncommitted), (b"update", Kw::Update), (b"values", Kw::Values),
    (b"verbose", Kw::Verbose), (b"with", Kw::With), (b"work", Kw::Work), (b"write", Kw::Write),
];

static KW_MAP: WordMap<Kw, 256> = WordMap::new(Kw::Other).with_all(KEYWORDS);

/// A word of up to 8 bytes, folded and packed little-endian into a `u64`.
/// Folding sets bit 5 of every byte: ASCII letters become lower case,
/// digits and `$` stay, `_` becomes 0x7F (which no identifier has), so two
/// identifiers of up to 8 ASCII bytes pack the same exactly when they are
/// equal but for case. Identifier bytes are never 0, so the length is
/// implied.
pub(crate) const fn pack(w: &[u8]) -> u64 {
    let mut x = 0u64;
    let mut i = 0;
    while i < w.len() {
        x |= ((w[i] | 0x20) as u64) << (8 * i);
        i += 1;
    }
    x
}

/// `pack` of a word of up to 16 bytes, in two (the second 0 when short).
const fn pack2(w: &[u8]) -> (u64, u64) {
    if w.len() <= 8 {
        (pack(w), 0)
    } else {
        let (a, b) = w.split_at(8);
        (pack(a), pack(b))
    }
}

/// `pack` of the `n` bytes (1 to 8) at `s` of `b`, by one 8-byte load when
/// the text goes on that far.
#[inline]
pub(crate) fn pack_at(b: &[u8], s: usize, n: usize) -> u64 {
    match b.get(s..s + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()) {
        Some(c) => (u64::from_le_bytes(c) | 0x2020_2020_2020_2020) & (u64::MAX >> (64 - 8 * n)),
        None => pack(&b[s..s + n]),
    }
}

/// A map from words of up to 16 bytes, in any case, to values: an
/// open-addressing hash table of their `pack2` keys, built at compile time
/// (one multiplication and usually one probe per look-up, where a match
/// or a binary search takes several hard-to-predict branches).
pub(crate) struct WordMap<V: Copy + 'static, const N: usize> {
    lo: [u64; N],
    hi: [u64; N],
    val: [V; N],
}

/// The longest probe sequence a `WordMap` may have (checked at compile
/// time).
const MAX_PROBES: usize = 6;

const fn slot(lo: u64, hi: u64, n: usize) -> usize {
    let h = (lo ^ hi.wrapping_mul(0xC2B2_AE3D_27D4_EB4F)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> (64 - n.trailing_zeros())) as usize
}

impl<V: Copy + 'static, const N: usize> WordMap<V, N> {
    const fn new(none: V) -> Self {
        assert!(N.is_power_of_two());
        WordMap {
            lo: [0; N],
            hi: [0; N],
            val: [none; N],
        }
    }

    /// With `words` (of up to 16 bytes, lower case, distinct) added.
    const fn with_all(mut self, words: &[(&[u8], V)]) -> Self {
        let mut i = 0;
        while i < words.len() {
            let (w, v) = words[i];
            assert!(!w.is_empty() && w.len() <= 16);
            let (lo, hi) = pack2(w);
            let mut k = slot(lo, hi, N);
            let mut probes = 1;
            while self.lo[k] != 0 {
                assert!(!(self.lo[k] == lo && self.hi[k] == hi), "duplicate word");
                k = (k + 1) & (N - 1);
                probes += 1;
            }
            assert!(probes <= MAX_PROBES, "table too full");
            self.lo[k] = lo;
            self.hi[k] = hi;
            self.val[k] = v;
            i += 1;
        }
        self
    }

    /// The value of the word packed as `(lo, hi)`.
    #[inline]
    fn get(&self, lo: u64, hi: u64) -> Option<V> {
        let mut k = slot(lo, hi, N);
        for _ in 0..MAX_PROBES {
            let l = self.lo[k];
            if l == lo && self.hi[k] == hi {
                return Some(self.val[k]);
            }
            if l == 0 {
                return None;
            }
            k = (k + 1) & (N - 1);
        }
        None
    }

    /// The value of the word `s..e` of `b` (1 to 16 bytes).
    #[inline]
    pub(crate) fn get_at(&self, b: &[u8], s: usize, e: usize) -> Option<V> {
        let n = e - s;
        if n <= 8 {
            self.get(pack_at(b, s, n), 0)
        } else {
            self.get(pack_at(b, s, 8), pack_at(b, s + 8, n - 8))
        }
    }
}

/// The keyword an unquoted word is. (`kw_at` in the reader.)
#[cfg(test)]
pub(crate) fn kw(w: &[u8]) -> Kw {
    kw_at(w, 0, w.len())
}

/// `kw` of the word `s..e` of `b`.
#[inline]
pub(crate) fn kw_at(b: &[u8], s: usize, e: usize) -> Kw {
    let n = e - s;
    if n < 2 {
        return Kw::Other;
    }
    if n <= 16 {
        return KW_MAP.get_at(b, s, e).unwrap_or(Kw::Other);
    }
    let w = &b[s..e];
    if w.eq_ignore_ascii_case(b"default_transaction_isolation") {
        Kw::DefaultTransactionIsolation
    } else if w.eq_ignore_ascii_case(b"default_transaction_read_only") {
        Kw::DefaultTransactionReadOnly
    } else {
        Kw::Other
    }
}

pub(crate) fn starts_with_ci(w: &[u8], prefix: &[u8]) -> bool {
    w.len() >= prefix.len() && w[..prefix.len()].eq_ignore_ascii_case(prefix)
}

pub(crate) fn contains_ci(w: &[u8], needle: &[u8]) -> bool {
    w.windows(needle.len())
        .any(|x| x.eq_ignore_ascii_case(needle))
}

// ---------------------------------------------------------------------------
// Functions that must run on the primary
// ---------------------------------------------------------------------------

/// What calling a function implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Deny {
    No,
    Write,
    /// An advisory lock held until the transaction ends.
    Lock,
    /// An advisory lock held by the session.
    LockPin,
    /// The release of one session-level advisory lock.
    Unlock,
    /// `pg_advisory_unlock_all`: the release of every one.
    UnlockAll,
    /// `set_config`: a setting changed on one server only.
    SetConfig,
}

/// Functions (lower case, sorted) that write, or whose result or effect
/// belongs to one server. Prefix families are handled in `deny`.
#[rustfmt::skip]
pub(crate) static DENY: &[&[u8]] = &[
    b"currval", b"lastval", b"nextval", b"pg_backup_start", b"pg_backup_stop",
    b"pg_cancel_backend", b"pg_copy_logical_replication_slot",
    b"pg_copy_physical_replication_slot", b"pg_create_logical_replication_slot",
    b"pg_create_physical_replication_slot", b"pg_create_restore_point",
    b"pg_current_wal_flush_lsn", b"pg_current_wal_insert_lsn", b"pg_current_wal_lsn",
    b"pg_current_xact_id", b"pg_current_xact_id_if_assigned", b"pg_drop_replication_slot",
    b"pg_export_snapshot", b"pg_logical_emit_message", b"pg_logical_slot_get_binary_changes",
    b"pg_logical_slot_get_changes", b"pg_notify", b"pg_reload_conf",
    b"pg_replication_slot_advance", b"pg_rotate_logfile", b"pg_start_backup", b"pg_stop_backup",
    b"pg_switch_wal", b"pg_terminate_backend", b"set_config", b"setval", b"txid_current",
    b"txid_current_if_assigned",
];

/// Compare a lower-case table entry with a name of any case.
pub(crate) fn cmp_ci(entry: &[u8], name: &[u8]) -> std::cmp::Ordering {
    for (a, b) in entry.iter().zip(name) {
        match a.cmp(&b.to_ascii_lowercase()) {
            std::cmp::Ordering::Equal => {}
            o => return o,
        }
    }
    entry.len().cmp(&name.len())
}

pub(crate) fn deny(name: &[u8]) -> Deny {
    // Only names that begin like one of `DENY` need the look-up.
    let listed =
        name.len() >= 6 && matches!(name[0] | 0x20, b'c' | b'l' | b'n' | b'p' | b's' | b't');
    deny_class(name, if listed { class(name) } else { Class::Other })
}

/// `deny` of a name whose `class` is known.
#[inline]
pub(crate) fn deny_class(name: &[u8], class: Class) -> Deny {
    if class == Class::Deny {
        return if name.eq_ignore_ascii_case(b"set_config") {
            Deny::SetConfig
        } else {
            Deny::Write
        };
    }
    if name.len() < 3 {
        return Deny::No;
    }
    match name[0] | 0x20 {
        b'l' if starts_with_ci(name, b"lo_") => Deny::Write,
        b'd' if starts_with_ci(name, b"dblink") => Deny::Write,
        b'p' if starts_with_ci(name, b"pg_") => {
            if starts_with_ci(name, b"pg_advisory") || starts_with_ci(name, b"pg_try_advisory") {
                if contains_ci(name, b"xact") {
                    Deny::Lock
                } else if name.eq_ignore_ascii_case(b"pg_advisory_unlock_all") {
                    Deny::UnlockAll
                } else if contains_ci(name, b"unlock") {
                    Deny::Unlock
                } else {
                    Deny::LockPin
                }
            } else if starts_with_ci(name, b"pg_stat_reset")
                || starts_with_ci(name, b"pg_replication_origin_")
            {
                Deny::Write
            } else {
                Deny::No
            }
        }
        _ => Deny::No,
    }
}

// ---------------------------------------------------------------------------
// Statement heads
// ---------------------------------------------------------------------------

/// First words of statements that `kw` does not know (they matter only
/// there, so the per-token keyword match stays small).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmd {
    Other,
    Call,
    Close,
    Cluster,
    Comment,
    Deallocate,
    Do,
    Drop,
    Grant,
    Import,
    Load,
    Refresh,
    Reindex,
    Revoke,
    Security,
    Unlisten,
    Vacuum,
}

pub(crate) fn cmd(w: &[u8]) -> Cmd {
    const CALL: u64 = pack(b"call");
    const CLOSE: u64 = pack(b"close");
    const CLUSTER: u64 = pack(b"cluster");
    const COMMENT: u64 = pack(b"comment");
    const DO: u64 = pack(b"do");
    const DROP: u64 = pack(b"drop");
    const GRANT: u64 = pack(b"grant");
    const IMPORT: u64 = pack(b"import");
    const LOAD: u64 = pack(b"load");
    const REFRESH: u64 = pack(b"refresh");
    const REINDEX: u64 = pack(b"reindex");
    const REVOKE: u64 = pack(b"revoke");
    const SECURITY: u64 = pack(b"security");
    const UNLISTEN: u64 = pack(b"unlisten");
    const VACUUM: u64 = pack(b"vacuum");
    if w.len() > 8 {
        return if w.eq_ignore_ascii_case(b"deallocate") {
            Cmd::Deallocate
        } else {
            Cmd::Other
        };
    }
    if w.len() < 2 {
        return Cmd::Other;
    }
    match pack(w) {
        CALL => Cmd::Call,
        CLOSE => Cmd::Close,
        CLUSTER => Cmd::Cluster,
        COMMENT => Cmd::Comment,
        LOAD => Cmd::Load,
        DO => Cmd::Do,
        DROP => Cmd::Drop,
        GRANT => Cmd::Grant,
        IMPORT => Cmd::Import,
        REFRESH => Cmd::Refresh,
        REINDEX => Cmd::Reindex,
        REVOKE => Cmd::Revoke,
        SECURITY => Cmd::Security,
        UNLISTEN => Cmd::Unlisten,
        VACUUM => Cmd::Vacuum,
        _ => Cmd::Other,
    }
}

// ---------------------------------------------------------------------------
// Function calls
// ---------------------------------------------------------------------------

/// Volatile built-ins (lower case, sorted) that are harmless on a standby:
/// not reported by `function_calls` when unqualified or qualified with
/// `pg_catalog`. Some answer for the server that runs them (they are in
/// `IDENTITY` too): such a read runs on the primary, unless a
/// `/* pgtc:standby */` hint asks for the standby's answer.
#[rustfmt::skip]
pub(crate) static ALLOW: &[&[u8]] = &[
    b"clock_timestamp", b"gen_random_uuid", b"pg_is_in_recovery", b"pg_last_wal_receive_lsn",
    b"pg_last_wal_replay_lsn", b"pg_last_xact_replay_timestamp", b"pg_sleep", b"pg_sleep_for",
    b"pg_sleep_until", b"random", b"random_normal", b"timeofday",
];

// ---------------------------------------------------------------------------
// Node identity: answers that depend on which server gives them
// ---------------------------------------------------------------------------

/// Unqualified, unquoted words (lower case, sorted) that a `(` may follow
/// without a function call: PostgreSQL's reserved keywords and "column
/// name" keywords, none of which can name a function unqualified (the
/// special forms among them, such as `SUBSTRING(…)` or `EXTRACT(…)`, call
/// fixed `pg_catalog` functions), plus `IS`, `JOIN`, `LIKE`, `ILIKE`,
/// `TABLESAMPLE` and `OPERATOR(…)`. Unreserved keywords that take a `(`
/// (`FILTER`, `OVER`, `GROUP BY CUBE`, …) can also name a function, so
/// they are told apart by what comes before them (see `Calls::call`).
#[rustfmt::skip]
pub(crate) static SYNTAX: &[&[u8]] = &[
    b"all", b"analyse", b"analyze", b"and", b"any", b"array", b"as", b"asc", b"asymmetric",
    b"between", b"bigint", b"bit", b"boolean", b"both", b"case", b"cast", b"char", b"character",
    b"check", b"coalesce", b"collate", b"column", b"constraint", b"create", b"current_catalog",
    b"current_date", b"current_role", b"current_time", b"current_timestamp", b"current_user",
    b"dec", b"decimal", b"default", b"deferrable", b"desc", b"distinct", b"do", b"else", b"end",
    b"except", b"exists", b"extract", b"false", b"fetch", b"float", b"for", b"foreign", b"from",
    b"grant", b"greatest", b"group", b"grouping", b"having", b"ilike", b"in", b"initially",
    b"inout", b"int", b"integer", b"intersect", b"interval", b"into", b"is", b"join", b"json",
    b"json_array", b"json_arrayagg", b"json_exists", b"json_object", b"json_objectagg",
    b"json_query", b"json_scalar", b"json_serialize", b"json_table", b"json_value", b"lateral",
    b"leading", b"least", b"like", b"limit", b"localtime", b"localtimestamp", b"merge_action",
    b"national", b"nchar", b"none", b"normalize", b"not", b"null", b"nullif", b"numeric",
    b"offset", b"on", b"only", b"operator", b"or", b"order", b"out", b"overlay", b"placing",
    b"position", b"precision", b"primary", b"real", b"references", b"returning", b"row", b"select",
    b"session_user", b"setof", b"smallint", b"some", b"substring", b"symmetric", b"system_user",
    b"table", b"tablesample", b"then", b"time", b"timestamp", b"to", b"trailing", b"treat",
    b"trim", b"true", b"union", b"unique", b"user", b"using", b"values", b"varchar", b"variadic",
    b"when", b"where", b"window", b"with", b"xmlattributes", b"xmlconcat", b"xmlelement",
    b"xmlexists", b"xmlforest", b"xmlnamespaces", b"xmlparse", b"xmlpi", b"xmlroot",
    b"xmlserialize", b"xmltable",
];

/// What a name before a `(` is, by the tables `DENY`, `ALLOW`, `SYNTAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Other,
    Deny,
    Allow,
    Syntax,
}

const GROUPS: [(&[&[u8]], Class); 3] = [
    (DENY, Class::Deny),
    (ALLOW, Class::Allow),
    (SYNTAX, Class::Syntax),
];

/// How many names of the tables have `short` (up to 16 bytes) lengths.
const fn count(short: bool) -> usize {
    let mut n = 0;
    let mut g = 0;
    while g < GROUPS.len() {
        let mut i = 0;
        while i < GROUPS[g].0.len() {
            if (GROUPS[g].0[i].len() <= 16) == short {
                n += 1;
            }
            i += 1;
        }
        g += 1;
    }
    n
}

const fn less(a: &[u8], b: &[u8]) -> bool {
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
        i += 1;
    }
    a.len() < b.len()
}

/// The names of the three tables, in one look-up: those of up to 16 bytes
/// hashed, the longer ones sorted.
struct Names {
    short: WordMap<Class, 512>,
    long: [(&'static [u8], Class); count(false)],
}

static NAMES: Names = {
    let empty: &[u8] = b"";
    let mut short_words = [(empty, Class::Other); count(true)];
    let mut long: [(&[u8], Class); count(false)] = [(b"", Class::Other); count(false)];
    let (mut ns, mut nl) = (0, 0);
    let mut g = 0;
    while g < GROUPS.len() {
        let (words, class) = GROUPS[g];
        let mut i = 0;
        while i < words.len() {
            let w = words[i];
            if w.len() <= 16 {
                short_words[ns] = (w, class);
                ns += 1;
            } else {
                // Insertion sort.
                let mut j = nl;
                while j > 0 && less(w, long[j - 1].0) {
                    long[j] = long[j - 1];
                    j -= 1;
                }
                long[j] = (w, class);
                nl += 1;
            }
            i += 1;
        }
        g += 1;
    }
    Names {
        short: WordMap::new(Class::Other).with_all(&short_words),
        long,
    }
};

/// The class of a name, in any case.
#[inline]
pub(crate) fn class(w: &[u8]) -> Class {
    let found = if w.is_empty() {
        None
    } else if w.len() <= 16 {
        NAMES.short.get_at(w, 0, w.len())
    } else {
        NAMES
            .long
            .binary_search_by(|e| cmp_ci(e.0, w))
            .ok()
            .map(|i| NAMES.long[i].1)
    };
    found.unwrap_or(Class::Other)
}

/// A call of `[schema.]name`, of class `class`, is on the allow list.
/// (Those of `IDENTITY` are reported: a `/* pgtc:standby */` hint may send
/// such a read to the standby, where a volatile one must not run.)
pub(crate) fn allowed(
    schema: Option<(&[u8], bool)>,
    class: Class,
    name: &[u8],
    quoted: bool,
) -> bool {
    // `class` folds case (and maps `_` and 0x7F alike): a quoted name, as
    // written, must be the table's lower-case entry.
    class == Class::Allow
        && (!quoted || name.iter().all(as_listed))
        && match schema {
            None => true,
            Some((s, true)) => s == b"pg_catalog",
            Some((s, false)) => s.eq_ignore_ascii_case(b"pg_catalog"),
        }
}

/// Tells a function call from SQL syntax that looks like one, at each `(`
/// of a statement, from the tokens just before it (`prev`, `prev2`), the
/// last qualified name read, and which open parentheses are a call's
/// argument list. Costs nothing on tokens other than `.`, `(` and `)`.
#[derive(Clone, Copy, Default)]
pub(crate) struct Calls {
    /// The last `name.` read: the start of its dot, the name, and the
    /// token before the name.
    qual: Option<(usize, Tok, Option<Tok>)>,
    /// The start of the last `)` read, and whether it closed a call's
    /// arguments.
    close: (usize, bool),
    /// Bit `d`: the `(` open at depth `d + 1` began a call's arguments.
    open: u64,
}

impl Calls {
    /// A `.` (`dot`) read after `prev`, itself after `prev2`.
    #[inline]
    pub(crate) fn dot(&mut self, dot: Tok, prev: Option<Tok>, prev2: Option<Tok>) {
        if let Some(p) = prev {
            if matches!(p.t, T::Word | T::QIdent) {
                self.qual = Some((dot.s, p, prev2));
            }
        }
    }

    /// A `)` read; `depth` is the reader's depth after it.
    #[inline]
    pub(crate) fn rparen(&mut self, t: Tok, depth: usize) {
        self.close = (t.s, depth < 64 && self.open & (1u64 << depth) != 0);
    }

    /// A `(` read after `prev`, itself after `prev2`; `depth` is the
    /// reader's depth after it; `class`: the `class` of `prev`'s name.
    /// Returns the schema and name tokens of the
    /// function it calls, or `None` when it follows no name or the name is
    /// SQL syntax: a type modifier (`::numeric(10,2)`), an alias or CTE
    /// column list (`AS t(a, b)`, `f() t(a, b)`, `WITH t(a) AS`,
    /// `WITH RECURSIVE t(a) AS`), a `TABLESAMPLE` method, a word of
    /// `SYNTAX`, `FILTER (`/`OVER (`/`REPEATABLE (` after a call,
    /// `GROUP BY (`, `BY CUBE (`, `BY ROLLUP (`, `GROUPING SETS (`,
    /// `CHARACTER VARYING (`, `NOT MATERIALIZED (`, `TIME ZONE (`.
    /// Some alias column lists are reported (after a table name,
    /// `FROM t x(a)`, or a subquery), and CTE column lists after the first
    /// CTE: over-reporting costs a catalog look-up of a name that is
    /// absent or harmless, under-reporting a volatile function would be a
    /// routing bug.
    pub(crate) fn lparen(
        &mut self,
        r: &Reader,
        prev: Option<Tok>,
        prev2: Option<Tok>,
        depth: usize,
        class: Class,
    ) -> Option<(Option<Tok>, Tok)> {
        let (call, continues) = self.call(r, prev, prev2, class);
        if (1..=64).contains(&depth) {
            let bit = 1u64 << (depth - 1);
            if call.is_some() || continues {
                self.open |= bit;
            } else {
                self.open &= !bit;
            }
        }
        call
    }

    /// `lparen`'s answer, and whether the `(` continues a call's syntax
    /// (`f(x) FILTER (…)`, `WITHIN GROUP (…)`), so that what follows its
    /// `)` is told apart as after a call.
    fn call(
        &self,
        r: &Reader,
        prev: Option<Tok>,
        prev2: Option<Tok>,
        class: Class,
    ) -> (Option<(Option<Tok>, Tok)>, bool) {
        let Some(name) = prev.filter(|p| matches!(p.t, T::Word | T::QIdent)) else {
            return (None, false);
        };
        let (schema, before) = match (prev2, self.qual) {
            (Some(d), Some((dot, s, before))) if d.t == T::Dot && d.s == dot => (Some(s), before),
            _ => (None, prev2),
        };
        if let Some(p) = before {
            let b = r.lex.b;
            match p.t {
                T::Op if b[p.s] == b':' && p.s > 0 && b[p.s - 1] == b':' => return (None, false),
                T::RParen if self.close == (p.s, true) => return (None, true),
                T::Word => {
                    let w = r.bytes(p);
                    if w.eq_ignore_ascii_case(b"as")
                        || w.eq_ignore_ascii_case(b"with")
                        || w.eq_ignore_ascii_case(b"recursive")
                    {
                        return (None, false);
                    }
                    if w.eq_ignore_ascii_case(b"tablesample") {
                        // Its method's arguments: `REPEATABLE (…)` may follow.
                        return (None, true);
                    }
                }
                _ => {}
            }
        }
        if schema.is_none() && name.t == T::Word {
            if class == Class::Syntax {
                let within_group =
                    r.bytes(name).eq_ignore_ascii_case(b"group") && r.is_word(before, b"within");
                return (None, within_group);
            }
            let w = r.bytes(name);
            let after = |words: &[&[u8]]| words.iter().any(|x| r.is_word(before, x));
            let is = |x: &[u8]| w.eq_ignore_ascii_case(x);
            let syntax_here = match w.len() {
                2 => is(b"by") && after(&[b"group", b"order", b"partition"]),
                4 => {
                    (is(b"cube") && after(&[b"by"]))
                        || (is(b"sets") && after(&[b"grouping"]))
                        || (is(b"zone") && after(&[b"time"]))
                }
                6 => is(b"rollup") && after(&[b"by"]),
                7 => is(b"varying") && after(&[b"character", b"char", b"bit", b"nchar"]),
                12 => is(b"materialized") && after(&[b"not"]),
                _ => false,
            };
            if syntax_here {
                return (None, false);
            }
        }
        (Some((schema, name)), false)
    }
}
