//! Catalog facts routing needs, cached per database for the whole process
//! (one `Catalog` per monitor, i.e. per server pair, user and database):
//!
//! - whether a function may run on a standby: only if every overload of
//!   that name is IMMUTABLE or STABLE in `pg_proc` (default-deny);
//! - which relations are unlogged (a standby cannot read them), and which
//!   are sequences (a standby shows their values WAL-logged ahead);
//! - statement texts a standby has refused before (so they go straight to
//!   the primary next time instead of failing there again).
//!
//! Sessions ask their cluster's `Catalog` directly (`attach` gives every
//! session of a server set, user and database the same one); the monitor
//! keeps the unlogged list fresh through the same `refresh_unlogged` a
//! session uses when it finds the list stale.
//!
//! Lookups run on connections of the catalog's own, never on a session's,
//! so they can never disturb a session's transaction. Each lookup takes an
//! idle connection (or opens one), so concurrent sessions never queue
//! behind one another's lookup. Entries expire after `TTL`, and DDL run
//! through pgtc clears them at once.

use crate::balance::{self, Role, ServerStats};
use crate::classify::{self, Facts, Options};
use crate::conninfo::{ClusterKey, Config};
use crate::error::{Error, Result, Status};
use crate::result::ResultSet;
use crate::wire::{Conn, Req};
use once_cell::sync::Lazy;
use parking_lot::{Mutex, RwLock};
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

/// Why a statement that looks read-only may still not run on a standby.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    /// It calls a function with a VOLATILE overload (it may write).
    VolatileFunction,
    /// It names an unlogged relation, which a standby cannot read.
    Unlogged,
    /// It names a sequence: a standby shows the value WAL-logged ahead of
    /// the primary's (up to 32 past it), a different answer.
    Sequence,
    /// A standby refused this very text before.
    Refused,
    /// The catalog could not be asked, so pgtc cannot prove it read-only.
    Unverified,
}

/// How long a cached fact is trusted when nothing run through pgtc said it
/// changed (other processes may run DDL too).
pub const TTL: Duration = Duration::from_secs(60);
/// How often the monitor refreshes the list of unlogged relations.
pub const UNLOGGED_REFRESH: Duration = Duration::from_secs(2);
/// At most this many refused statement texts are remembered.
const MAX_REFUSED: usize = 4096;
/// At most this many idle lookup connections are kept open.
const MAX_IDLE: usize = 4;
/// A lookup that takes longer than this fails (and the read goes to the primary).
const IO_TIMEOUT: Duration = Duration::from_secs(5);
/// Connecting for a lookup gives up after this long, unless the connection
/// string says otherwise.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

const FUNC_QUERY: &str = "SELECT coalesce(bool_or(p.provolatile = 'v'), false), count(*) \
     FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
     WHERE p.proname = $1 AND ($2::text IS NULL OR n.nspname = $2)";
/// The unlogged relations and the sequences of the database (their names,
/// unqualified), and whether each is a sequence.
const UNLOGGED_QUERY: &str = "SELECT relname, relkind = 'S' FROM pg_catalog.pg_class \
     WHERE relpersistence = 'u' OR relkind = 'S'";

#[derive(Debug, Clone, Copy)]
struct FnEntry {
    volatile: bool,
    at: Instant,
}

struct Unlogged {
    names: HashSet<String>,
    /// The sequences (read as relations, they give the server's own value).
    sequences: HashSet<String>,
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
    /// Idle lookup connections to the primary.
    idle: Mutex<Vec<Conn>>,
}

static CATALOGS: Lazy<Mutex<HashMap<ClusterKey, Weak<Catalog>>>> =
    Lazy::new(|| Mutex::new(HashMap::new()));

/// The catalog of the servers, user and database of `cfg`, shared by every
/// session of the process that uses them (made on first use).
pub fn attach(cfg: &Config) -> Arc<Catalog> {
    let key = cfg.cluster_key();
    let mut all = CATALOGS.lock();
    if let Some(c) = all.get(&key).and_then(Weak::upgrade) {
        return c;
    }
    all.retain(|_, w| w.strong_count() > 0);
    let mut ccfg = cfg.clone();
    if ccfg.connect_timeout.is_none() {
        ccfg.connect_timeout = Some(CONNECT_TIMEOUT);
    }
    ccfg.application_name = Some("pgtc catalog".into());
    let servers = cfg.hosts.iter().map(balance::server).collect();
    let c = Arc::new(Catalog::new(ccfg, servers));
    all.insert(key, Arc::downgrade(&c));
    c
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
                sequences: HashSet::new(),
                at: None,
                failed_at: None,
            }),
            refused: Mutex::new(HashSet::new()),
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Why the read-only-looking text `sql` (with `facts`) may still not
    /// run on a standby: a text a standby refused before, a function with a
    /// VOLATILE overload (or one that could not be looked up), or an
    /// unlogged relation; with the function or relation it names.
    pub fn blocker(&self, sql: &str, facts: &Facts, opts: Options) -> Option<(Blocked, String)> {
        if self.was_refused(sql) {
            return Some((Blocked::Refused, String::new()));
        }
        if facts.calls {
            let mut calls: Vec<(Option<String>, String)> = Vec::new();
            classify::function_calls_with(sql, opts, |f| {
                let schema = f.schema.map(|s| fold(s, f.schema_quoted).into_owned());
                calls.push((schema, fold(f.name, f.quoted).into_owned()));
            });
            for (schema, name) in &calls {
                let shown = match schema {
                    Some(s) => format!("{}.{}()", s, name),
                    None => format!("{}()", name),
                };
                match self.is_volatile(schema.as_deref(), name) {
                    Ok(false) => {}
                    Ok(true) => return Some((Blocked::VolatileFunction, shown)),
                    Err(e) => return Some((Blocked::Unverified, format!("{}: {}", shown, e))),
                }
            }
        }
        if self.unlogged_stale() {
            if let Err(e) = self.refresh_unlogged() {
                log::debug!("catalog: cannot refresh unlogged relations: {}", e);
            }
        }
        if self.has_unlogged() || self.has_sequences() {
            let mut hit: Option<(Blocked, String)> = None;
            classify::identifiers_with(sql, opts, |name, quoted| {
                if hit.is_none() {
                    let n = fold(name, quoted);
                    if self.is_unlogged(&n) {
                        hit = Some((Blocked::Unlogged, name.to_string()));
                    } else if self.is_sequence(&n) {
                        hit = Some((Blocked::Sequence, name.to_string()));
                    }
                }
            });
            if hit.is_some() {
                return hit;
            }
        }
        None
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

    /// Whether any sequence exists.
    pub fn has_sequences(&self) -> bool {
        !self.unlogged.read().sequences.is_empty()
    }

    pub fn is_sequence(&self, name: &str) -> bool {
        self.unlogged.read().sequences.contains(name)
    }

    /// Set the sequences (the list is otherwise refreshed with the
    /// unlogged relations).
    pub fn set_sequences(&self, names: HashSet<String>) {
        self.unlogged.write().sequences = names;
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

    /// Whether the monitor's periodic refresh is due.
    pub fn refresh_due(&self) -> bool {
        let u = self.unlogged.read();
        let recent = |t: Option<Instant>| t.is_some_and(|t| t.elapsed() < UNLOGGED_REFRESH);
        !recent(u.at) && !recent(u.failed_at)
    }

    /// Load the unlogged relations now, on a catalog connection: the one
    /// way the list is refreshed (by the monitor when due, by a session
    /// that finds it stale).
    pub fn refresh_unlogged(&self) -> Result<()> {
        let mut r = ResultSet::default();
        if let Err(e) = self.query(Req::Simple(UNLOGGED_QUERY), &mut r) {
            self.unlogged.write().failed_at = Some(Instant::now());
            return Err(e);
        }
        let (mut names, mut sequences) = (HashSet::new(), HashSet::new());
        for i in 0..r.rows() {
            if let Some(n) = r.value(i, 0) {
                if r.value(i, 1) == Some("t") {
                    sequences.insert(n.to_string());
                } else {
                    names.insert(n.to_string());
                }
            }
        }
        self.set_unlogged(names);
        self.set_sequences(sequences);
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

    /// Run a catalog query on the primary, on an idle catalog connection
    /// or a new one, without holding any lock during the round trip.
    fn query(&self, req: Req<'_>, out: &mut ResultSet) -> Result<()> {
        let idle = self.idle.lock().pop();
        let mut c = match idle {
            Some(c) if !c.is_broken() => c,
            _ => self.connect()?,
        };
        let r = c.run(req, out);
        if !c.is_broken() {
            let mut idle = self.idle.lock();
            if idle.len() < MAX_IDLE {
                idle.push(c);
            }
        }
        r
    }

    fn connect(&self) -> Result<Conn> {
        let primary = self
            .servers
            .iter()
            .find(|s| s.role() == Role::Primary && s.healthy())
            .ok_or_else(|| {
                Error::new(Status::NoPrimary, "no primary to look up catalog facts on")
            })?;
        let mut c = Conn::connect(&primary.addr, &self.cfg)?;
        c.set_io_timeout(Some(IO_TIMEOUT))?;
        Ok(c)
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
