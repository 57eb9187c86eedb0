//! Catalog facts routing needs, cached per database for the whole process
//! (one `Catalog` per monitor, i.e. per server pair, user and database):
//!
//! - whether a function may run on a standby: only if every overload of
//!   that name is IMMUTABLE or STABLE in `pg_proc` (default-deny);
//! - which relations are unlogged (a standby cannot read them);
//! - statement texts a standby has refused before (so they go straight to
//!   the primary next time instead of failing there again).
//!
//! Lookups run on a connection of the catalog's own, never on a session's,
//! so they can never disturb a session's transaction. Entries expire after
//! `TTL`, and DDL run through pgtc clears them at once.

use crate::balance::{Role, ServerStats};
use crate::conninfo::Config;
use crate::error::{Error, Result, Status};
use crate::result::ResultSet;
use crate::wire::{Conn, Req};
use parking_lot::{Mutex, RwLock};
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a cached fact is trusted when nothing run through pgtc said it
/// changed (other processes may run DDL too).
pub const TTL: Duration = Duration::from_secs(60);
/// How often the monitor refreshes the list of unlogged relations.
pub const UNLOGGED_REFRESH: Duration = Duration::from_secs(2);
/// At most this many refused statement texts are remembered.
const MAX_REFUSED: usize = 4096;

const FUNC_QUERY: &str = "SELECT coalesce(bool_or(p.provolatile = 'v'), false), count(*) \
     FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
     WHERE p.proname = $1 AND ($2::text IS NULL OR n.nspname = $2)";
/// The unlogged relations of the database (their names, unqualified).
pub const UNLOGGED_QUERY: &str =
    "SELECT relname FROM pg_catalog.pg_class WHERE relpersistence = 'u'";

#[derive(Debug, Clone, Copy)]
struct FnEntry {
    volatile: bool,
    at: Instant,
}

struct Unlogged {
    names: HashSet<String>,
    at: Option<Instant>,
    /// The last failed refresh: no new attempt for one interval after it,
    /// so reads do not try again and again while the primary is away.
    failed_at: Option<Instant>,
}

pub struct Catalog {
    cfg: Config,
    servers: Vec<Arc<ServerStats>>,
    funcs: Mutex<HashMap<String, FnEntry>>,
    unlogged: RwLock<Unlogged>,
    refused: Mutex<HashSet<u64>>,
    conn: Mutex<Option<Conn>>,
}

/// A function's name as the catalog stores it: unquoted identifiers fold
/// to lower case, quoted ones are kept.
pub fn fold(name: &str, quoted: bool) -> std::borrow::Cow<'_, str> {
    if quoted || !name.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Borrowed(name)
    } else {
        std::borrow::Cow::Owned(name.to_ascii_lowercase())
    }
}

fn text_hash(sql: &str) -> u64 {
    let mut h = DefaultHasher::new();
    sql.hash(&mut h);
    h.finish()
}

impl Catalog {
    pub fn new(cfg: Config, servers: Vec<Arc<ServerStats>>) -> Catalog {
        Catalog {
            cfg,
            servers,
            funcs: Mutex::new(HashMap::new()),
            unlogged: RwLock::new(Unlogged {
                names: HashSet::new(),
                at: None,
                failed_at: None,
            }),
            refused: Mutex::new(HashSet::new()),
            conn: Mutex::new(None),
        }
    }

    /// Whether the function `schema.name` (schema optional; names already
    /// folded) may write: true if any overload is VOLATILE. A name absent
    /// from `pg_proc` is SQL syntax or a call that will fail anyway: false.
    /// Looked up once per name and cached.
    pub fn is_volatile(&self, schema: Option<&str>, name: &str) -> Result<bool> {
        let key = match schema {
            Some(s) => format!("{}.{}", s, name),
            None => name.to_string(),
        };
        if let Some(e) = self.funcs.lock().get(&key) {
            if e.at.elapsed() < TTL {
                return Ok(e.volatile);
            }
        }
        let mut r = ResultSet::default();
        self.query(Req::Params(FUNC_QUERY, &[Some(name), schema]), &mut r)?;
        let volatile = r.value(0, 0) == Some("t");
        log::debug!(
            "catalog: {} is {} ({} overloads)",
            key,
            if volatile { "volatile" } else { "not volatile" },
            r.value(0, 1).unwrap_or("?")
        );
        self.funcs.lock().insert(
            key,
            FnEntry {
                volatile,
                at: Instant::now(),
            },
        );
        Ok(volatile)
    }

    /// Whether any unlogged relation exists (then statements are checked
    /// name by name).
    pub fn has_unlogged(&self) -> bool {
        !self.unlogged.read().names.is_empty()
    }

    pub fn is_unlogged(&self, name: &str) -> bool {
        self.unlogged.read().names.contains(name)
    }

    /// True when the unlogged list was never loaded, was invalidated, or is
    /// older than the refresh interval allows, and no refresh failed within
    /// the last interval.
    pub fn unlogged_stale(&self) -> bool {
        let u = self.unlogged.read();
        u.at.is_none_or(|t| t.elapsed() > UNLOGGED_REFRESH * 3)
            && u.failed_at.is_none_or(|t| t.elapsed() > UNLOGGED_REFRESH)
    }

    pub fn set_unlogged(&self, names: HashSet<String>) {
        let mut u = self.unlogged.write();
        u.names = names;
        u.at = Some(Instant::now());
    }

    /// Load the unlogged relations now, on the catalog's connection.
    pub fn refresh_unlogged(&self) -> Result<()> {
        let mut r = ResultSet::default();
        if let Err(e) = self.query(Req::Simple(UNLOGGED_QUERY), &mut r) {
            self.unlogged.write().failed_at = Some(Instant::now());
            return Err(e);
        }
        let names = (0..r.rows())
            .filter_map(|i| r.value(i, 0).map(str::to_string))
            .collect();
        self.set_unlogged(names);
        Ok(())
    }

    /// Forget everything cached: DDL ran.
    pub fn invalidate(&self) {
        self.funcs.lock().clear();
        let mut u = self.unlogged.write();
        u.at = None;
        u.failed_at = None;
        drop(u);
        self.refused.lock().clear();
    }

    /// Remember that a standby refused this text.
    pub fn note_refused(&self, sql: &str) {
        let mut r = self.refused.lock();
        if r.len() >= MAX_REFUSED {
            r.clear();
        }
        r.insert(text_hash(sql));
    }

    /// Did a standby refuse this text before?
    pub fn was_refused(&self, sql: &str) -> bool {
        let r = self.refused.lock();
        !r.is_empty() && r.contains(&text_hash(sql))
    }

    /// Run a catalog query on the primary through the catalog's own
    /// connection (made on first use, re-made after a failure).
    fn query(&self, req: Req<'_>, out: &mut ResultSet) -> Result<()> {
        let mut slot = self.conn.lock();
        if slot.as_ref().is_some_and(|c| c.is_broken()) {
            *slot = None;
        }
        if slot.is_none() {
            let primary = self
                .servers
                .iter()
                .find(|s| s.role() == Role::Primary && s.healthy())
                .ok_or_else(|| {
                    Error::new(Status::NoPrimary, "no primary to look up catalog facts on")
                })?;
            let mut c = Conn::connect(&primary.addr, &self.cfg)?;
            c.set_io_timeout(Some(Duration::from_secs(5)))?;
            *slot = Some(c);
        }
        let c = slot.as_mut().expect("connected above");
        let r = c.run(req, out);
        if c.is_broken() {
            *slot = None;
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_follows_postgresql() {
        assert_eq!(fold("MyFn", false), "myfn");
        assert_eq!(fold("MyFn", true), "MyFn");
        assert!(matches!(
            fold("lower", false),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn refused_texts_are_remembered_until_invalidated() {
        let cfg = crate::conninfo::parse_with_env("host=x user=u dbname=d", &|_| None).unwrap();
        let c = Catalog::new(cfg, Vec::new());
        assert!(!c.was_refused("SELECT f()"));
        c.note_refused("SELECT f()");
        assert!(c.was_refused("SELECT f()"));
        assert!(!c.was_refused("SELECT g()"));
        c.invalidate();
        assert!(!c.was_refused("SELECT f()"));
        assert!(c.unlogged_stale());
        let mut names = HashSet::new();
        names.insert("ul".to_string());
        c.set_unlogged(names);
        assert!(c.has_unlogged() && c.is_unlogged("ul") && !c.is_unlogged("other"));
        assert!(!c.unlogged_stale());
        // No primary known: a lookup is an error, not a guess.
        assert_eq!(
            c.is_volatile(None, "f").unwrap_err().status,
            Status::NoPrimary
        );
        // A failed refresh is not tried again on the next read.
        c.invalidate();
        assert!(c.unlogged_stale());
        assert!(c.refresh_unlogged().is_err());
        assert!(
            !c.unlogged_stale(),
            "a failed refresh would be retried at once"
        );
        c.invalidate();
        assert!(c.unlogged_stale(), "DDL allows a new attempt at once");
    }
}
