//! pgtc's own attributes (PREFERRED_ACCESS, AUTOCOMMIT, …), declared once in
//! [`TABLE`]: name, accepted values or range, default, one-line doc and
//! whether the value is secret. Parsing ([`parse_attr`]), the list of names,
//! the canonical text of a value ([`Attributes::get`]), the connection-string
//! keys, redaction and the C exports `pgtc_attr_*` all read that table; the
//! README's attribute table is checked against it by a test.

use crate::error::{Error, Result, Status};

/// Where read-only work should go (solidDB's PREFERRED_ACCESS).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Everything on the primary (the default): an ordinary driver.
    WriteMostly,
    /// Read-only READ COMMITTED work is balanced over primary and standby.
    ReadMostly,
}

/// Transaction isolation levels PostgreSQL distinguishes (READ UNCOMMITTED
/// behaves as READ COMMITTED in PostgreSQL and is mapped to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Isolation {
    ReadCommitted,
    RepeatableRead,
    Serializable,
}

impl Isolation {
    /// The SQL spelling, e.g. "REPEATABLE READ".
    pub fn sql(self) -> &'static str {
        match self {
            Isolation::ReadCommitted => "READ COMMITTED",
            Isolation::RepeatableRead => "REPEATABLE READ",
            Isolation::Serializable => "SERIALIZABLE",
        }
    }
}

/// What a read does when the standby has not yet replayed the session's
/// last write (`CONSISTENCY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consistency {
    /// Run on the primary at once (the default).
    Fast,
    /// Wait for the standby up to `CONSISTENCY_WAIT_MS`, then the primary.
    Wait,
}

/// Whose writes a session's reads must see (`CONSISTENCY_SCOPE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every write recorded by any connection of the process on the same
    /// cluster (the default): one LSN floor per cluster and process.
    Process,
    /// The session's own writes only (its own LSN floor).
    Session,
}

/// What an error inside a transaction undoes (`ON_ERROR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnError {
    /// PostgreSQL's own behaviour (the default): the transaction is
    /// aborted and every later statement fails with 25P02 until ROLLBACK.
    RollbackTransaction,
    /// Only the failed statement is undone (a savepoint sent with each
    /// statement inside a transaction, in the same round trip); the
    /// transaction goes on.
    RollbackStatement,
}

/// One of pgtc's own attributes with its parsed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attr {
    PreferredAccess(Access),
    Autocommit(bool),
    TxnIsolation(Isolation),
    Consistency(Consistency),
    /// Milliseconds, 0–60000.
    ConsistencyWaitMs(u32),
    /// Percent, 0–100.
    PrimaryShare(u8),
    /// Milliseconds, 1–10000.
    MonitorIntervalMs(u32),
    /// Statements kept prepared per physical connection, 0–10000.
    StatementCache(u32),
    ReadOnly(bool),
    ConsistencyScope(Scope),
    /// Milliseconds, 0 (off) – 600000.
    MaxStandbyLagMs(u32),
    OnError(OnError),
    /// A pool's bound on its logical connections, 1–10000.
    PoolMax(u32),
    /// Logical connections a pool keeps open, 0–10000.
    PoolMin(u32),
    /// Milliseconds an acquire waits, 0–3600000.
    PoolAcquireTimeoutMs(u32),
    /// Milliseconds a pooled connection lives at most (0: no limit).
    PoolMaxLifetimeMs(u32),
    /// Milliseconds an idle connection above POOL_MIN is kept (0: no limit).
    PoolIdleTimeoutMs(u32),
}

/// pgtc's attributes as a set, with their defaults (those of [`TABLE`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attributes {
    pub preferred_access: Access,
    pub autocommit: bool,
    pub txn_isolation: Isolation,
    pub consistency: Consistency,
    pub consistency_wait_ms: u32,
    /// The largest share (percent) of balanced reads that may go to the primary.
    pub primary_share: u8,
    /// How often the monitor samples replay LSN and roles (the first
    /// connection of a server pair sets it for the process).
    pub monitor_interval_ms: u32,
    /// How many `exec_params` statements each physical connection keeps
    /// prepared (0: none).
    pub statement_cache: u32,
    /// Transactions begin READ ONLY on both servers.
    pub read_only: bool,
    /// Whose writes reads must see: the process's or the session's.
    pub consistency_scope: Scope,
    /// Balanced reads leave out a standby whose replay lag may exceed this
    /// many milliseconds (0: no bound).
    pub max_standby_lag_ms: u32,
    /// What an error inside a transaction undoes.
    pub on_error: OnError,
    /// The POOL_* attributes: read by `Pool::open`, no effect on a session.
    pub pool_max: u32,
    pub pool_min: u32,
    pub pool_acquire_timeout_ms: u32,
    pub pool_max_lifetime_ms: u32,
    pub pool_idle_timeout_ms: u32,
}

impl Default for Attributes {
    fn default() -> Self {
        // Every field is overwritten below with the table's default.
        let mut a = Attributes {
            preferred_access: Access::WriteMostly,
            autocommit: true,
            txn_isolation: Isolation::ReadCommitted,
            consistency: Consistency::Fast,
            consistency_wait_ms: 0,
            primary_share: 0,
            monitor_interval_ms: 0,
            statement_cache: 0,
            read_only: false,
            consistency_scope: Scope::Process,
            max_standby_lag_ms: 0,
            on_error: OnError::RollbackTransaction,
            pool_max: 0,
            pool_min: 0,
            pool_acquire_timeout_ms: 0,
            pool_max_lifetime_ms: 0,
            pool_idle_timeout_ms: 0,
        };
        for spec in &TABLE {
            a.apply(
                spec.parse(spec.default)
                    .expect("TABLE defaults are valid values"),
            );
        }
        a
    }
}

impl Attributes {
    pub fn apply(&mut self, attr: Attr) {
        match attr {
            Attr::PreferredAccess(a) => self.preferred_access = a,
            Attr::Autocommit(a) => self.autocommit = a,
            Attr::TxnIsolation(i) => self.txn_isolation = i,
            Attr::Consistency(c) => self.consistency = c,
            Attr::ConsistencyWaitMs(n) => self.consistency_wait_ms = n,
            Attr::PrimaryShare(n) => self.primary_share = n,
            Attr::MonitorIntervalMs(n) => self.monitor_interval_ms = n,
            Attr::StatementCache(n) => self.statement_cache = n,
            Attr::ReadOnly(on) => self.read_only = on,
            Attr::ConsistencyScope(c) => self.consistency_scope = c,
            Attr::MaxStandbyLagMs(n) => self.max_standby_lag_ms = n,
            Attr::OnError(o) => self.on_error = o,
            Attr::PoolMax(n) => self.pool_max = n,
            Attr::PoolMin(n) => self.pool_min = n,
            Attr::PoolAcquireTimeoutMs(n) => self.pool_acquire_timeout_ms = n,
            Attr::PoolMaxLifetimeMs(n) => self.pool_max_lifetime_ms = n,
            Attr::PoolIdleTimeoutMs(n) => self.pool_idle_timeout_ms = n,
        }
    }

    /// The current value of attribute `name` (case-insensitive) in its
    /// canonical spelling, e.g. "READ_MOSTLY", "ON", "1000".
    pub fn get(&self, name: &str) -> Result<String> {
        Ok(spec(name)?.text(self))
    }
}

/// The values an attribute accepts.
#[derive(Debug)]
pub enum Values {
    /// Words (case-insensitive; inner white space may stand for `_`).
    Words {
        /// The canonical spellings, as `Attributes::get` writes them.
        words: &'static [&'static str],
        /// Other accepted spellings and the canonical word each means.
        aliases: &'static [(&'static str, &'static str)],
        /// Said after the list of words in messages and documentation.
        note: &'static str,
    },
    /// A whole number in `min..=max`.
    Range { min: u32, max: u32 },
}

/// One attribute: everything pgtc knows about it.
#[derive(Debug)]
pub struct AttrSpec {
    /// Upper case; matched case-insensitively.
    pub name: &'static str,
    pub values: Values,
    /// The canonical text of the default value.
    pub default: &'static str,
    /// One line for documentation (README, `pgtc_attr_doc`).
    pub doc: &'static str,
    /// The value must never be shown (in logs, `redacted`, errors).
    pub secret: bool,
    /// The typed value from a word's index in `words`, or from the number.
    make: fn(u32) -> Attr,
    /// The inverse of `make` on a set of attributes.
    read: fn(&Attributes) -> u32,
}

/// The values of an on/off attribute.
const ON_OFF: Values = Values::Words {
    words: &["ON", "OFF"],
    aliases: &[
        ("TRUE", "ON"),
        ("YES", "ON"),
        ("1", "ON"),
        ("FALSE", "OFF"),
        ("NO", "OFF"),
        ("0", "OFF"),
    ],
    note: " (also TRUE/FALSE, YES/NO, 1/0)",
};

/// pgtc's attributes, in the order the documentation lists them.
pub const TABLE: [AttrSpec; 17] = [
    AttrSpec {
        name: "PREFERRED_ACCESS",
        values: Values::Words {
            words: &["READ_MOSTLY", "WRITE_MOSTLY"],
            aliases: &[],
            note: "",
        },
        default: "WRITE_MOSTLY",
        doc: "where read-only work runs: WRITE_MOSTLY keeps everything on the primary, \
              READ_MOSTLY balances read-only READ COMMITTED statements over both servers",
        secret: false,
        make: |i| {
            Attr::PreferredAccess(match i {
                0 => Access::ReadMostly,
                _ => Access::WriteMostly,
            })
        },
        read: |a| match a.preferred_access {
            Access::ReadMostly => 0,
            Access::WriteMostly => 1,
        },
    },
    AttrSpec {
        name: "AUTOCOMMIT",
        values: ON_OFF,
        default: "ON",
        doc: "OFF opens an implicit transaction with the first statement, ended by COMMIT \
              or ROLLBACK (as in ODBC); switching it ON commits an open implicit transaction",
        secret: false,
        make: |i| Attr::Autocommit(i == 0),
        read: |a| if a.autocommit { 0 } else { 1 },
    },
    AttrSpec {
        name: "TXN_ISOLATION",
        values: Values::Words {
            words: &["READ_COMMITTED", "REPEATABLE_READ", "SERIALIZABLE"],
            aliases: &[("READ_UNCOMMITTED", "READ_COMMITTED")],
            note: " (also READ_UNCOMMITTED, which PostgreSQL runs as READ_COMMITTED; \
                   a space may replace the underscore)",
        },
        default: "READ_COMMITTED",
        doc: "the isolation level of transactions, applied to both servers; \
              it cannot change inside a transaction",
        secret: false,
        make: |i| {
            Attr::TxnIsolation(match i {
                0 => Isolation::ReadCommitted,
                1 => Isolation::RepeatableRead,
                _ => Isolation::Serializable,
            })
        },
        read: |a| match a.txn_isolation {
            Isolation::ReadCommitted => 0,
            Isolation::RepeatableRead => 1,
            Isolation::Serializable => 2,
        },
    },
    AttrSpec {
        name: "CONSISTENCY",
        values: Values::Words {
            words: &["FAST", "WAIT"],
            aliases: &[],
            note: "",
        },
        default: "FAST",
        doc: "a read the standby has not caught up with: FAST runs it on the primary at once, \
              WAIT waits for the standby up to CONSISTENCY_WAIT_MS, then uses the primary",
        secret: false,
        make: |i| {
            Attr::Consistency(match i {
                0 => Consistency::Fast,
                _ => Consistency::Wait,
            })
        },
        read: |a| match a.consistency {
            Consistency::Fast => 0,
            Consistency::Wait => 1,
        },
    },
    AttrSpec {
        name: "CONSISTENCY_WAIT_MS",
        values: Values::Range {
            min: 0,
            max: 60_000,
        },
        default: "1000",
        doc: "how long (milliseconds) a read waits for the standby with CONSISTENCY=WAIT",
        secret: false,
        make: Attr::ConsistencyWaitMs,
        read: |a| a.consistency_wait_ms,
    },
    AttrSpec {
        name: "PRIMARY_SHARE",
        values: Values::Range { min: 0, max: 100 },
        default: "100",
        doc: "the largest share (percent) of balanced reads that may go to the primary, \
              like solidDB's ReadMostlyLoadPercentAtPrimary",
        secret: false,
        // The range keeps the number within u8.
        make: |n| Attr::PrimaryShare(n as u8),
        read: |a| u32::from(a.primary_share),
    },
    AttrSpec {
        name: "MONITOR_INTERVAL_MS",
        values: Values::Range {
            min: 1,
            max: 10_000,
        },
        default: "10",
        doc: "how often (milliseconds) the monitor samples replay LSN and roles; \
              the first connection to a server pair sets it for the process",
        secret: false,
        make: Attr::MonitorIntervalMs,
        read: |a| a.monitor_interval_ms,
    },
    AttrSpec {
        name: "STATEMENT_CACHE",
        values: Values::Range {
            min: 0,
            max: 10_000,
        },
        default: "100",
        doc: "how many statements of pgtc_conn_exec_params each physical connection keeps \
              prepared (least recently used evicted and closed); 0 prepares none",
        secret: false,
        make: Attr::StatementCache,
        read: |a| a.statement_cache,
    },
    AttrSpec {
        name: "READ_ONLY",
        values: ON_OFF,
        default: "OFF",
        doc: "ON begins every transaction READ ONLY on both servers, so writes fail \
              with SQLSTATE 25006; it cannot change inside a transaction (25001)",
        secret: false,
        make: |i| Attr::ReadOnly(i == 0),
        read: |a| if a.read_only { 0 } else { 1 },
    },
    AttrSpec {
        name: "CONSISTENCY_SCOPE",
        values: Values::Words {
            words: &["PROCESS", "SESSION"],
            aliases: &[],
            note: "",
        },
        default: "PROCESS",
        doc: "whose writes reads must see: PROCESS, every write any connection of the process \
              recorded on the cluster (one LSN floor per cluster); SESSION, the connection's own",
        secret: false,
        make: |i| {
            Attr::ConsistencyScope(match i {
                0 => Scope::Process,
                _ => Scope::Session,
            })
        },
        read: |a| match a.consistency_scope {
            Scope::Process => 0,
            Scope::Session => 1,
        },
    },
    AttrSpec {
        name: "MAX_STANDBY_LAG_MS",
        values: Values::Range {
            min: 0,
            max: MAX_STANDBY_LAG_LIMIT_MS,
        },
        default: "0",
        doc: "balanced reads leave out a standby whose replay lag (an upper bound from the \
              monitor's samples, in milliseconds) exceeds this or is unknown; 0 = no bound",
        secret: false,
        make: Attr::MaxStandbyLagMs,
        read: |a| a.max_standby_lag_ms,
    },
    AttrSpec {
        name: "ON_ERROR",
        values: Values::Words {
            words: &["ROLLBACK_TRANSACTION", "ROLLBACK_STATEMENT"],
            aliases: &[],
            note: "",
        },
        default: "ROLLBACK_TRANSACTION",
        doc: "what an error inside a transaction undoes: ROLLBACK_TRANSACTION leaves the \
              transaction aborted (25P02 until ROLLBACK, as PostgreSQL does); ROLLBACK_STATEMENT \
              undoes only the failed statement, through a savepoint that travels with each \
              statement in its round trip",
        secret: false,
        make: |i| {
            Attr::OnError(match i {
                0 => OnError::RollbackTransaction,
                _ => OnError::RollbackStatement,
            })
        },
        read: |a| match a.on_error {
            OnError::RollbackTransaction => 0,
            OnError::RollbackStatement => 1,
        },
    },
    AttrSpec {
        name: "POOL_MAX",
        values: Values::Range {
            min: 1,
            max: 10_000,
        },
        default: "10",
        doc: "a pool's bound on its logical connections (in use and idle); \
              no effect outside a pool, as for every POOL_* attribute",
        secret: false,
        make: Attr::PoolMax,
        read: |a| a.pool_max,
    },
    AttrSpec {
        name: "POOL_MIN",
        values: Values::Range {
            min: 0,
            max: 10_000,
        },
        default: "1",
        doc: "logical connections a pool keeps open, idle or not (at most POOL_MAX)",
        secret: false,
        make: Attr::PoolMin,
        read: |a| a.pool_min,
    },
    AttrSpec {
        name: "POOL_ACQUIRE_TIMEOUT_MS",
        values: Values::Range {
            min: 0,
            max: 3_600_000,
        },
        default: "30000",
        doc: "how long (milliseconds) an acquire waits in the pool's FIFO queue when all \
              POOL_MAX connections are in use, then fails with PGTC_STATUS_POOL_TIMEOUT; \
              0 fails at once",
        secret: false,
        make: Attr::PoolAcquireTimeoutMs,
        read: |a| a.pool_acquire_timeout_ms,
    },
    AttrSpec {
        name: "POOL_MAX_LIFETIME_MS",
        values: Values::Range {
            min: 0,
            max: 604_800_000,
        },
        default: "1800000",
        doc: "a pooled connection older than this (milliseconds) is closed when it is released \
              or while idle, never while in use; 0 keeps connections without limit",
        secret: false,
        make: Attr::PoolMaxLifetimeMs,
        read: |a| a.pool_max_lifetime_ms,
    },
    AttrSpec {
        name: "POOL_IDLE_TIMEOUT_MS",
        values: Values::Range {
            min: 0,
            max: 604_800_000,
        },
        default: "600000",
        doc: "an idle pooled connection above POOL_MIN is closed after this long (milliseconds) \
              unused; 0 keeps idle connections",
        secret: false,
        make: Attr::PoolIdleTimeoutMs,
        read: |a| a.pool_idle_timeout_ms,
    },
];

/// The largest MAX_STANDBY_LAG_MS (ten minutes): the monitor keeps the
/// primary's positions for this long.
pub const MAX_STANDBY_LAG_LIMIT_MS: u32 = 600_000;

impl AttrSpec {
    /// Parse a value of this attribute (case-insensitive, trimmed).
    pub fn parse(&self, value: &str) -> Result<Attr> {
        match &self.values {
            Values::Words { words, aliases, .. } => {
                let norm = normalize(value);
                let canonical = aliases
                    .iter()
                    .find(|(alias, _)| *alias == norm)
                    .map_or(norm.as_str(), |(_, word)| word);
                match words.iter().position(|w| *w == canonical) {
                    Some(i) => Ok((self.make)(i as u32)),
                    None => Err(self.bad_value(value)),
                }
            }
            Values::Range { min, max } => match value.trim().parse::<u32>() {
                Ok(n) if (*min..=*max).contains(&n) => Ok((self.make)(n)),
                _ => Err(self.bad_value(value)),
            },
        }
    }

    /// The canonical text of this attribute's value in `attrs`.
    pub fn text(&self, attrs: &Attributes) -> String {
        let v = (self.read)(attrs);
        match &self.values {
            Values::Words { words, .. } => words[v as usize].to_string(),
            Values::Range { .. } => v.to_string(),
        }
    }

    /// What the attribute accepts, in words (for error messages).
    pub fn allowed(&self) -> String {
        match &self.values {
            Values::Words { words, note, .. } => format!("{}{}", words.join(", "), note),
            Values::Range { min, max } => format!("a whole number from {} to {}", min, max),
        }
    }

    fn bad_value(&self, value: &str) -> Error {
        let shown = if self.secret {
            "(not shown)".to_string()
        } else {
            show(value)
        };
        Error::new(
            Status::InvalidAttributeValue,
            format!(
                "invalid value {} for attribute {}; allowed values: {}",
                shown,
                self.name,
                self.allowed()
            ),
        )
    }
}

/// Parse one pgtc attribute (case-insensitive name and value).
pub fn parse_attr(name: &str, value: &str) -> Result<Attr> {
    spec(name)?.parse(value)
}

/// The table entry of attribute `name` (case-insensitive), if there is one.
pub fn lookup(name: &str) -> Option<&'static AttrSpec> {
    let name = name.trim();
    TABLE.iter().find(|s| s.name.eq_ignore_ascii_case(name))
}

/// pgtc's attribute names, in the order of [`TABLE`].
pub fn names() -> impl Iterator<Item = &'static str> {
    TABLE.iter().map(|s| s.name)
}

fn spec(name: &str) -> Result<&'static AttrSpec> {
    lookup(name).ok_or_else(|| {
        Error::new(
            Status::UnknownAttribute,
            format!(
                "unknown attribute {}; known: {}",
                show(name.trim()),
                names().collect::<Vec<_>>().join(", ")
            ),
        )
    })
}

/// Longest piece of user input quoted in an error message.
const SHOW_MAX_CHARS: usize = 64;

/// Quote a piece of user input for an error message: escaped, and cut
/// short when long.
pub(crate) fn show(s: &str) -> String {
    if s.chars().count() > SHOW_MAX_CHARS {
        let cut: String = s.chars().take(SHOW_MAX_CHARS).collect();
        format!("{:?}...", cut)
    } else {
        format!("{:?}", s)
    }
}

/// Upper-case, trimmed, inner runs of white space replaced by one `_`.
fn normalize(value: &str) -> String {
    value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("_")
        .to_ascii_uppercase()
}

/// The README's attribute table as it must read: a header and one row per
/// attribute (name, values, default, meaning).
#[cfg(test)]
pub fn readme_table() -> String {
    let mut out = String::from("| attribute | values | default | meaning |\n|---|---|---|---|\n");
    for s in &TABLE {
        let values = match &s.values {
            Values::Words { words, note, .. } => {
                let quoted: Vec<String> = words.iter().map(|w| format!("`{}`", w)).collect();
                format!("{}{}", quoted.join(", "), note)
            }
            Values::Range { min, max } => format!("{}–{}", min, max),
        };
        out.push_str(&format!(
            "| `{}` | {} | `{}` | {} |\n",
            s.name, values, s.default, s.doc
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_and_bound_round_trips_through_get() {
        for s in &TABLE {
            let mut a = Attributes::default();
            assert_eq!(a.get(s.name).unwrap(), s.default, "{}", s.name);
            let samples: Vec<String> = match &s.values {
                Values::Words { words, aliases, .. } => {
                    for (alias, word) in *aliases {
                        assert!(words.contains(word), "{} alias {}", s.name, alias);
                        a.apply(s.parse(alias).unwrap());
                        assert_eq!(a.get(s.name).unwrap(), *word);
                    }
                    words.iter().map(|w| w.to_string()).collect()
                }
                Values::Range { min, max } => vec![min.to_string(), max.to_string()],
            };
            for v in samples {
                a.apply(s.parse(&v).unwrap());
                assert_eq!(a.get(&s.name.to_ascii_lowercase()).unwrap(), v);
                // Lower case and spaces for underscores are accepted too.
                let loose = v.to_ascii_lowercase().replace('_', " ");
                assert_eq!(s.parse(&loose).unwrap(), s.parse(&v).unwrap());
            }
        }
    }

    #[test]
    fn defaults_are_the_documented_ones() {
        let d = Attributes::default();
        assert_eq!(d.preferred_access, Access::WriteMostly);
        assert!(d.autocommit);
        assert_eq!(d.txn_isolation, Isolation::ReadCommitted);
        assert_eq!(d.consistency, Consistency::Fast);
        assert_eq!(
            (
                d.consistency_wait_ms,
                d.primary_share,
                d.monitor_interval_ms
            ),
            (1000, 100, 10)
        );
        assert_eq!(d.statement_cache, 100);
        assert!(!d.read_only);
        assert_eq!(d.consistency_scope, Scope::Process);
        assert_eq!(d.max_standby_lag_ms, 0);
        assert_eq!(d.on_error, OnError::RollbackTransaction);
    }

    #[test]
    fn get_of_an_unknown_name_lists_the_known_ones() {
        let e = Attributes::default().get("LOAD_BALANCE").unwrap_err();
        assert_eq!(e.status, Status::UnknownAttribute);
        assert!(
            e.message.contains("LOAD_BALANCE") && e.message.contains("MONITOR_INTERVAL_MS"),
            "{}",
            e
        );
    }

    #[test]
    fn every_value_fits_the_32_bytes_the_header_promises() {
        for s in &TABLE {
            let longest = match &s.values {
                Values::Words { words, .. } => words.iter().map(|w| w.len()).max().unwrap(),
                Values::Range { max, .. } => max.to_string().len(),
            };
            assert!(longest < 32, "{}", s.name);
        }
    }

    #[test]
    fn names_are_upper_case_and_distinct() {
        let names: Vec<&str> = names().collect();
        for (i, n) in names.iter().enumerate() {
            assert_eq!(*n, n.to_ascii_uppercase());
            assert!(!names[..i].contains(n), "{} twice", n);
        }
    }

    #[test]
    fn the_readme_attribute_table_matches() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
        let readme = std::fs::read_to_string(&path).unwrap();
        let want = readme_table();
        let header = want.lines().next().unwrap();
        let start = readme
            .find(header)
            .unwrap_or_else(|| panic!("README.md has no line {:?}; expected:\n{}", header, want));
        let got: String = readme[start..]
            .lines()
            .take_while(|l| l.starts_with('|'))
            .map(|l| format!("{}\n", l))
            .collect();
        assert_eq!(
            got, want,
            "README.md's attribute table differs from attr::TABLE"
        );
        // No other table of the README describes an attribute.
        for name in names() {
            let row = format!("| `{}` |", name);
            assert_eq!(readme.matches(&row).count(), 1, "{}", name);
        }
    }

    #[test]
    fn the_set_attr_doc_points_to_the_table_instead_of_copying_it() {
        // The header carries the export's doc comment as C programmers read it.
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("include/pgtc.h");
        let header = std::fs::read_to_string(path).unwrap();
        let end = header
            .find(" pgtc_conn_set_attr(")
            .expect("include/pgtc.h declares pgtc_conn_set_attr");
        let start = header[..end].rfind("/**").unwrap();
        let doc = &header[start..end];
        assert!(doc.contains("pgtc_attr_doc"), "{}", doc);
        for s in &TABLE {
            if let Values::Range { max, .. } = s.values {
                assert!(
                    !doc.contains(&max.to_string()),
                    "{} copied: {}",
                    s.name,
                    doc
                );
            }
            assert!(!doc.contains(s.doc), "{} copied: {}", s.name, doc);
        }
    }
}
