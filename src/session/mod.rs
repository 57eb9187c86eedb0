//! A logical session: owns the physical connections to the primary and the
//! standby, keeps the session's state (transaction, LSN floor, pinning,
//! settings), asks `route` where each statement goes, runs it there, and
//! keeps both connections consistent (session settings on both, a
//! transaction begun lazily on each server it touches and ended on all).

use crate::balance::{self, parse_lsn, Role, ServerStats};
use crate::catalog;
use crate::classify::{self, Facts, Kind, PIN_SETTING};
use crate::conninfo::{self, Attr, Attributes, Config, Consistency, HostPort, Isolation};
use crate::error::{Error, Result, Status};
use crate::monitor::{self, Monitor};
use crate::result::{ResultSet, Server};
use crate::route::{self, Blocked, Decision, Input, Rule, Target};
use crate::wire::{show_addr, Conn, Req, TxStatus};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod failover;
use failover::Lost;
mod routing;
mod settings;
mod txn;

/// Read after a commit completed: an LSN at or after the commit record.
const LSN_QUERY: &str = "SELECT pg_current_wal_insert_lsn()";
const SHOW_ISOLATION: &str = "SHOW default_transaction_isolation";
const DISCOVER: &str = "SELECT pg_is_in_recovery(), \
     current_setting('default_transaction_isolation'), \
     CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_walfile_name(pg_current_wal_lsn()) END";
/// The settings made in a session, to copy onto a re-established connection.
const SESSION_SETTINGS: &str = "SELECT name, setting FROM pg_catalog.pg_settings \
     WHERE source = 'session' ORDER BY name <> 'session_authorization', name";
const SET_CONFIG: &str = "SELECT pg_catalog.set_config($1, $2, false)";
/// Longest pause between attempts to reach a lost server again.
const MAX_BACKOFF: Duration = Duration::from_secs(10);

/// Statement counters, per session (`Session::counters`) and for the whole
/// process (`process_counters`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    /// Statements that ran on the primary.
    pub primary: u64,
    /// Statements that ran on the standby.
    pub standby: u64,
    /// Statements applied to both (session settings).
    pub both: u64,
    /// Statements the standby refused as writes (or lost) that were re-run on the primary.
    pub misroutes: u64,
    /// Reads kept on the primary because the standby had not replayed the floor.
    pub floor_kept: u64,
}

/// The process-wide counters, in `Counters` field order.
static PROCESS: [AtomicU64; 5] = [
    AtomicU64::new(0),
    AtomicU64::new(0),
    AtomicU64::new(0),
    AtomicU64::new(0),
    AtomicU64::new(0),
];

/// The counters summed over every session of this process.
pub fn process_counters() -> Counters {
    let v = |i: usize| PROCESS[i].load(Ordering::Relaxed);
    Counters {
        primary: v(0),
        standby: v(1),
        both: v(2),
        misroutes: v(3),
        floor_kept: v(4),
    }
}

#[derive(Clone, Copy)]
enum Count {
    Primary = 0,
    Standby = 1,
    Both = 2,
    Misroute = 3,
    FloorKept = 4,
}

/// Where a statement would run and why (`Session::explain`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Where it would run now.
    pub server: Server,
    /// `Primary` when the statement (or the session's transaction or pins)
    /// requires the primary; `Both` when either server could run it.
    pub eligible: Server,
    /// One sentence naming the rule.
    pub reason: String,
}

struct Phys {
    conn: Conn,
    stats: Arc<ServerStats>,
    /// A transaction block of the logical transaction is open here.
    in_txn: bool,
}

struct Txn {
    isolation: Isolation,
    /// Rule 3: wrote, locked, cursor, savepoint or SET LOCAL.
    on_primary: bool,
    failed: Option<Target>,
    /// Started by AUTOCOMMIT=OFF rather than by BEGIN.
    implicit: bool,
    /// The connection to the primary broke inside this transaction: it is
    /// gone, and COMMIT must fail.
    lost: bool,
}

/// What one request to one server produced.
struct Ran {
    res: Result<()>,
    out: ResultSet,
    tx_after: TxStatus,
    extra: Option<String>,
    began: bool,
}

pub struct Session {
    cfg: Config,
    attrs: Attributes,
    primary: Option<Phys>,
    standby: Option<Phys>,
    lost: Vec<Lost>,
    monitor: Option<Arc<Monitor>>,
    txn: Option<Txn>,
    floor: u64,
    /// Why the session is pinned to the primary (`classify::PIN_*` bits);
    /// 0 when it is not.
    pinned: u8,
    default_isolation: Isolation,
    counters: Counters,
    /// Balanced (rule 7) decisions so far, and how many chose the primary
    /// (for PRIMARY_SHARE).
    balanced: (u64, u64),
    /// Round trips of connections this session has dropped.
    round_trips_before: u64,
}

struct Found {
    conn: Conn,
    standby: bool,
    isolation: Isolation,
    /// A primary's timeline (0 for a standby).
    timeline: u32,
}

fn parse_isolation(s: &str) -> Isolation {
    match s.to_ascii_lowercase().as_str() {
        "serializable" => Isolation::Serializable,
        "repeatable read" => Isolation::RepeatableRead,
        _ => Isolation::ReadCommitted,
    }
}

fn connect_one(addr: &HostPort, cfg: &Config) -> Result<Found> {
    let mut conn = Conn::connect(addr, cfg)?;
    let mut r = ResultSet::default();
    conn.run(Req::Simple(DISCOVER), &mut r)?;
    Ok(Found {
        standby: r.value(0, 0) == Some("t"),
        isolation: parse_isolation(r.value(0, 1).unwrap_or("")),
        timeline: r
            .value(0, 2)
            .and_then(balance::timeline_of_walfile)
            .unwrap_or(0),
        conn,
    })
}

impl Session {
    /// Parse the connection string and open the session.
    pub fn open(conninfo: &str) -> Result<Session> {
        let cfg = conninfo::parse(conninfo)?;
        Session::connect(cfg)
    }

    /// Connect to every server of `cfg` in parallel and find out which is
    /// the primary by asking each. One unreachable server leaves the session
    /// degraded but open; none reachable is an error.
    pub fn connect(cfg: Config) -> Result<Session> {
        let found: Vec<(HostPort, Result<Found>)> = if cfg.hosts.len() == 1 {
            vec![(cfg.hosts[0].clone(), connect_one(&cfg.hosts[0], &cfg))]
        } else {
            std::thread::scope(|s| {
                let hs: Vec<_> = cfg
                    .hosts
                    .iter()
                    .map(|h| (h.clone(), s.spawn(|| connect_one(h, &cfg))))
                    .collect();
                hs.into_iter()
                    .map(|(h, j)| {
                        let r = j.join().unwrap_or_else(|_| {
                            Err(Error::new(Status::Internal, "connecting thread panicked"))
                        });
                        (h, r)
                    })
                    .collect()
            })
        };
        let mut s = Session {
            attrs: cfg.attrs,
            primary: None,
            standby: None,
            lost: Vec::new(),
            monitor: None,
            txn: None,
            floor: 0,
            pinned: 0,
            default_isolation: Isolation::ReadCommitted,
            counters: Counters::default(),
            balanced: (0, 0),
            round_trips_before: 0,
            cfg,
        };
        let mut errors: Vec<Error> = Vec::new();
        let mut found = found;
        // Primaries first, newest timeline first: of two servers that both
        // claim the role, the one on the older timeline is a former primary
        // that came back without being demoted, and is left alone.
        found.sort_by_key(|(_, r)| match r {
            Ok(f) if !f.standby => (0, u32::MAX - f.timeline),
            Ok(_) => (1, 0),
            Err(_) => (2, 0),
        });
        for (addr, r) in found {
            match r {
                Ok(f) => {
                    if let Err(e) = s.place(f) {
                        if e.status != Status::ConnectFailed || s.primary.is_none() {
                            return Err(e);
                        }
                        log::warn!("{}", e);
                        s.lost.push(Lost::new(addr));
                    }
                }
                Err(e) => {
                    log::warn!("{}", e);
                    s.lost.push(Lost::new(addr));
                    errors.push(e);
                }
            }
        }
        if s.primary.is_none() && s.standby.is_none() {
            let status = if errors.iter().all(|e| e.status == Status::AuthFailed) {
                Status::AuthFailed
            } else {
                Status::ConnectFailed
            };
            let msg = errors
                .iter()
                .map(|e| e.message.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            let state = errors
                .first()
                .map(|e| e.sqlstate.clone())
                .unwrap_or_default();
            return Err(Error::with_sqlstate(status, msg, &state));
        }
        if s.cfg.hosts.len() > 1 {
            s.monitor = Some(monitor::attach(&s.cfg));
        }
        if s.attrs.txn_isolation != Isolation::ReadCommitted {
            s.apply_isolation(s.attrs.txn_isolation)?;
        }
        log::debug!(
            "opened {} (primary: {}, standby: {})",
            s.cfg.redacted(),
            s.primary
                .as_ref()
                .map_or("none".into(), |p| show_addr(p.conn.addr())),
            s.standby
                .as_ref()
                .map_or("none".into(), |p| show_addr(p.conn.addr()))
        );
        Ok(s)
    }

    fn place(&mut self, f: Found) -> Result<()> {
        let stats = balance::server(f.conn.addr());
        if !f.standby && f.timeline > 0 {
            stats.set_timeline(f.timeline);
        }
        stats.set_role(if f.standby {
            Role::Standby
        } else {
            Role::Primary
        });
        let phys = Phys {
            conn: f.conn,
            stats,
            in_txn: false,
        };
        if f.standby {
            if self.standby.is_some() {
                log::warn!(
                    "{} is a second standby; pgtc uses one",
                    show_addr(phys.conn.addr())
                );
                return Ok(());
            }
            self.standby = Some(phys);
        } else {
            if let Some(p) = &self.primary {
                let (mine, theirs) = (p.stats.timeline(), f.timeline);
                let msg = if theirs < mine {
                    format!(
                        "{} claims to be a primary on timeline {}, but {} is the primary on the newer timeline {}: not using it",
                        show_addr(phys.conn.addr()),
                        theirs,
                        show_addr(p.conn.addr()),
                        mine
                    )
                } else {
                    format!(
                        "both {} and {} are primaries (not in recovery) on timeline {}; pgtc needs one primary and one hot standby",
                        show_addr(p.conn.addr()),
                        show_addr(phys.conn.addr()),
                        mine
                    )
                };
                return Err(Error::new(Status::ConnectFailed, msg));
            }
            self.default_isolation = f.isolation;
            self.primary = Some(phys);
        }
        Ok(())
    }

    /// Which servers this session has a usable connection to: open, not
    /// broken, and not reported down by the monitor.
    pub fn connected(&self) -> Server {
        let ok = |p: &Option<Phys>| {
            p.as_ref()
                .is_some_and(|p| !p.conn.is_broken() && p.stats.healthy())
        };
        match (ok(&self.primary), ok(&self.standby)) {
            (true, true) => Server::Both,
            (true, false) => Server::Primary,
            (false, true) => Server::Secondary,
            (false, false) => Server::None,
        }
    }

    pub fn counters(&self) -> Counters {
        self.counters
    }

    /// Requests this session has sent to its servers (each one round trip;
    /// pipelined queries such as a COMMIT and the LSN read after it count
    /// once).
    pub fn round_trips(&self) -> u64 {
        self.round_trips_before
            + [&self.primary, &self.standby]
                .iter()
                .filter_map(|p| p.as_ref())
                .map(|p| p.conn.round_trips())
                .sum::<u64>()
    }

    fn count(&mut self, c: Count) {
        let f = match c {
            Count::Primary => &mut self.counters.primary,
            Count::Standby => &mut self.counters.standby,
            Count::Both => &mut self.counters.both,
            Count::Misroute => &mut self.counters.misroutes,
            Count::FloorKept => &mut self.counters.floor_kept,
        };
        *f += 1;
        PROCESS[c as usize].fetch_add(1, Ordering::Relaxed);
    }

    /// Whether the session is pinned to the primary.
    pub fn pinned(&self) -> bool {
        self.pinned != 0
    }

    pub fn attributes(&self) -> Attributes {
        self.attrs
    }

    /// The session's LSN floor (0 when it has not written).
    pub fn lsn_floor(&self) -> u64 {
        self.floor
    }

    /// The LSN floor as PostgreSQL writes LSNs ("0/3015FF0"): a token a
    /// writer can hand to a reader on another connection or process.
    pub fn lsn_floor_text(&self) -> String {
        balance::format_lsn(self.floor)
    }

    /// Raise the LSN floor to `lsn` (text such as "0/3015FF0"); never lowers
    /// it. After this the session reads from the standby only once it has
    /// replayed `lsn`.
    pub fn raise_lsn_floor(&mut self, lsn: &str) -> Result<()> {
        let v = parse_lsn(lsn).ok_or_else(|| {
            Error::invalid_argument(format!(
                "{:?} is not an LSN (expected two hexadecimal numbers such as 0/3015FF0)",
                lsn.chars().take(40).collect::<String>()
            ))
        })?;
        self.floor = self.floor.max(v);
        Ok(())
    }

    pub fn in_transaction(&self) -> bool {
        self.txn.is_some()
    }

    /// The current value of one of pgtc's attributes, in its canonical
    /// spelling (e.g. "READ_MOSTLY", "ON", "1000").
    pub fn get_attr(&self, name: &str) -> Result<String> {
        self.attrs.get(name)
    }

    /// Set one of pgtc's attributes.
    pub fn set_attr(&mut self, name: &str, value: &str) -> Result<()> {
        match conninfo::parse_attr(name, value)? {
            Attr::PreferredAccess(a) => self.attrs.preferred_access = a,
            Attr::Autocommit(on) => {
                if on && !self.attrs.autocommit && self.txn.as_ref().is_some_and(|t| t.implicit) {
                    // As ODBC does: switching autocommit on commits the open transaction.
                    self.exec("COMMIT", None)?;
                }
                self.attrs.autocommit = on;
            }
            Attr::Consistency(c) => self.attrs.consistency = c,
            Attr::ConsistencyWaitMs(n) => self.attrs.consistency_wait_ms = n,
            Attr::PrimaryShare(n) => self.attrs.primary_share = n,
            Attr::MonitorIntervalMs(n) => {
                self.attrs.monitor_interval_ms = n;
                if let Some(m) = &self.monitor {
                    m.set_interval(Duration::from_millis(u64::from(n)));
                }
            }
            Attr::TxnIsolation(i) => {
                if self.txn.is_some() {
                    return Err(Error::new(
                        Status::InvalidState,
                        "cannot change TXN_ISOLATION inside a transaction",
                    ));
                }
                self.apply_isolation(i)?;
                self.attrs.txn_isolation = i;
            }
        }
        Ok(())
    }

    /// Make `i` the session's default isolation on both servers. Never
    /// inside a transaction (callers check), and never opening one, even
    /// with AUTOCOMMIT=OFF: it is a setting of pgtc's, not a statement of
    /// the application's.
    fn apply_isolation(&mut self, i: Isolation) -> Result<()> {
        let sql = format!(
            "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL {}",
            i.sql()
        );
        let autocommit = std::mem::replace(&mut self.attrs.autocommit, true);
        let r = self.exec(&sql, None).map(|_| ());
        self.attrs.autocommit = autocommit;
        r
    }

    /// Run a statement (or several, for a simple query) with optional text
    /// parameters, wherever the routing rules say.
    pub fn exec(&mut self, sql: &str, params: Option<&[Option<&str>]>) -> Result<ResultSet> {
        let facts = classify::classify(sql);
        let req = match params {
            Some(p) => Req::Params(sql, p),
            None => Req::Simple(sql),
        };
        self.follow_topology();
        if self.txn.is_none() {
            self.maybe_reconnect();
        }
        let r = match facts.kind {
            Kind::Begin => self.begin(req, &facts),
            Kind::Commit | Kind::Rollback => self.end_txn(req, &facts),
            Kind::SetSession => self.set_session(req, &facts),
            Kind::Multi if facts.session_state => self.multi_with_settings(req, sql, &facts),
            _ => self.statement(req, &facts),
        };
        if let Ok(r) = &r {
            match r.server {
                Some(Server::Primary) => self.count(Count::Primary),
                Some(Server::Secondary) => self.count(Count::Standby),
                Some(Server::Both) => self.count(Count::Both),
                _ => {}
            }
            self.note_effects(&facts);
        }
        r
    }

    /// What a statement that succeeded changes beyond its transaction:
    /// pins, unpins and cached catalog facts.
    fn note_effects(&mut self, facts: &Facts) {
        if facts.pins != 0 && self.pinned & facts.pins != facts.pins {
            log::debug!(
                "session pinned to the primary (reasons {:#04x})",
                facts.pins
            );
            self.pinned |= facts.pins;
        }
        if facts.unpins != 0 && self.txn.is_none() && self.pinned != 0 {
            self.pinned &= !facts.unpins;
            log::debug!("session pins now {:#04x}", self.pinned);
        }
        if facts.ddl {
            if let Some(m) = &self.monitor {
                m.catalog().invalidate();
            }
        }
    }

    fn implicit_txn(&mut self, facts: &Facts) {
        if self.txn.is_none() && self.starts_implicit_txn(facts) {
            self.txn = Some(Txn {
                isolation: self.default_isolation,
                on_primary: false,
                failed: None,
                implicit: true,
                lost: false,
            });
        }
    }

    fn statement(&mut self, req: Req<'_>, facts: &Facts) -> Result<ResultSet> {
        if self.txn.as_ref().is_some_and(|t| t.lost) {
            return Err(txn_lost());
        }
        let sql = req_sql(req);
        let (mut d, mut input, mut detail) = self.decide(sql, facts, false);
        if d.rule == Rule::LsnFloor && self.attrs.consistency == Consistency::Wait {
            // CONSISTENCY=WAIT: give the standby up to CONSISTENCY_WAIT_MS
            // to replay the floor, then decide again.
            let wait = Duration::from_millis(u64::from(self.attrs.consistency_wait_ms));
            if let Some(st) = self.standby.as_ref().map(|p| Arc::clone(&p.stats)) {
                if st.wait_replayed(self.floor, Instant::now() + wait) {
                    (d, input, detail) = self.decide(sql, facts, false);
                }
            }
        }
        if matches!(d.rule, Rule::Balanced | Rule::ShareCap) {
            self.balanced.0 += 1;
            self.balanced.1 += u64::from(d.target == Target::Primary);
        }
        self.implicit_txn(facts);
        if let Some(t) = self.txn.as_mut() {
            if facts.kind == Kind::SetTransaction {
                if let Some(i) = facts.isolation {
                    t.isolation = i;
                }
            } else if !facts.read_only {
                t.on_primary = true;
            }
        }
        if d.rule == Rule::LsnFloor {
            self.count(Count::FloorKept);
        }
        if log::log_enabled!(log::Level::Debug) {
            log::debug!(
                "[{}] → {:?}: {}",
                classify::redact(sql, 120),
                d.target,
                d.reason(&input, &detail)
            );
        }
        let autocommit_write = !facts.read_only && self.txn.is_none();
        let extra = if autocommit_write && d.target == Target::Primary {
            Some(LSN_QUERY)
        } else {
            None
        };
        let ran = self.run_on(d.target, req, extra)?;
        let began_here = ran.began;
        let res = self.settle(d.target, ran);
        match res {
            Err(e) if d.target == Target::Primary && e.status == Status::ConnectionLost => {
                self.primary_lost(req, facts, e)
            }
            Err(e) if d.target == Target::Standby && self.can_rerun(&e, began_here) => {
                self.count(Count::Misroute);
                if let Some(m) = &self.monitor {
                    if e.status != Status::ConnectionLost {
                        m.catalog().note_refused(sql);
                    }
                }
                log::warn!(
                    "re-running on the primary a statement the standby could not run: {}",
                    e
                );
                if let Some(t) = self.txn.as_mut() {
                    t.on_primary = true;
                }
                let ran = self.run_on(Target::Primary, req, None)?;
                self.settle(Target::Primary, ran)
            }
            r => r,
        }
    }

    /// The primary's connection broke under a statement. Inside a
    /// transaction, the transaction is gone (the "connection switched"
    /// contract: ROLLBACK, then retry it). A read outside a transaction is
    /// re-run on the standby; a write's outcome is unknown.
    fn primary_lost(&mut self, req: Req<'_>, facts: &Facts, e: Error) -> Result<ResultSet> {
        if self.txn.as_ref().is_some_and(|t| t.lost) {
            return Err(Error::with_sqlstate(
                Status::ConnectionSwitched,
                format!(
                    "{}; the transaction was rolled back: run ROLLBACK and retry it",
                    e.message
                ),
                "08006",
            ));
        }
        let standby_ok = self
            .standby
            .as_ref()
            .is_some_and(|p| !p.conn.is_broken() && p.stats.healthy());
        if facts.read_only && self.txn.is_none() && standby_ok {
            log::warn!("re-running a read on the standby: {}", e);
            let ran = self.run_on(Target::Standby, req, None)?;
            return self.settle(Target::Standby, ran);
        }
        Err(Error::with_sqlstate(
            Status::ConnectionLost,
            if facts.read_only {
                e.message
            } else {
                format!("{}; the statement may or may not have run", e.message)
            },
            "08006",
        ))
    }

    /// The safety net: a statement the standby refused as a write (25006),
    /// or because it reads a relation a standby cannot read (0A000 on an
    /// unlogged or temporary relation), or whose standby connection was
    /// lost, before anything reached the caller and outside a transaction
    /// that already ran on the standby, may be re-run on the primary.
    fn can_rerun(&mut self, e: &Error, began_here: bool) -> bool {
        let lost = e.status == Status::ConnectionLost;
        let refused = e.sqlstate == "25006"
            || (e.sqlstate == "0A000" && e.message.contains("during recovery"));
        if !(lost || refused) {
            return false;
        }
        if lost {
            self.drop_server(Target::Standby);
        }
        match self.txn.as_mut() {
            None => true,
            Some(t) if began_here || lost => {
                t.failed = None;
                if !lost {
                    if let Some(p) = self.standby.as_mut() {
                        let mut r = ResultSet::default();
                        if p.conn.run(Req::Simple("ROLLBACK"), &mut r).is_ok() {
                            p.in_txn = false;
                        }
                    }
                }
                true
            }
            Some(_) => false,
        }
    }

    fn phys(&mut self, target: Target) -> Result<&mut Phys> {
        let (slot, what) = match target {
            Target::Primary => (&mut self.primary, "primary"),
            Target::Standby => (&mut self.standby, "standby"),
        };
        slot.as_mut().ok_or_else(|| {
            Error::with_sqlstate(
                if target == Target::Primary {
                    Status::NoPrimary
                } else {
                    Status::ConnectionLost
                },
                format!("no connection to the {} is open", what),
                "08003",
            )
        })
    }

    /// Send `req` (after a lazy BEGIN when the logical transaction has not
    /// touched this server yet, and followed by `extra` in the same round
    /// trip) and read every response.
    fn run_on(&mut self, target: Target, req: Req<'_>, extra: Option<&str>) -> Result<Ran> {
        let in_txn = self.txn.is_some();
        let p = self.phys(target)?;
        let mut began = false;
        if in_txn && !p.in_txn {
            match p.conn.tx_status() {
                TxStatus::Idle => {
                    p.conn.send(Req::Simple("BEGIN"))?;
                    began = true;
                }
                _ => p.in_txn = true,
            }
        }
        p.conn.send(req)?;
        if let Some(x) = extra {
            p.conn.send(Req::Simple(x))?;
        }
        let _flight = p.stats.start();
        let mut out = ResultSet::default();
        let res = p.conn.flush().and_then(|_| {
            if began {
                p.conn.recv(&mut out)?;
                p.in_txn = true;
            }
            Ok(())
        });
        let res = res.and_then(|_| p.conn.recv(&mut out));
        let tx_after = p.conn.tx_status();
        let mut extra_val = None;
        if extra.is_some() && !p.conn.is_broken() {
            let mut x = ResultSet::default();
            if p.conn.recv(&mut x).is_ok() {
                extra_val = x.value(0, 0).map(str::to_string);
            }
        }
        out.server = Some(match target {
            Target::Primary => Server::Primary,
            Target::Standby => Server::Secondary,
        });
        Ok(Ran {
            res,
            out,
            tx_after,
            extra: extra_val,
            began,
        })
    }

    /// Bring the session's state in line with what the server reported.
    fn settle(&mut self, target: Target, ran: Ran) -> Result<ResultSet> {
        let broken = self
            .phys(target)
            .map(|p| p.conn.is_broken())
            .unwrap_or(true);
        if broken {
            self.drop_server(target);
        }
        if ran.res.is_ok() && ran.tx_after == TxStatus::Idle {
            if let Some(lsn) = ran.extra.as_deref().and_then(parse_lsn) {
                self.floor = self.floor.max(lsn);
            }
        }
        match (self.txn.is_some(), ran.tx_after) {
            (true, TxStatus::Failed) => {
                if let Some(t) = self.txn.as_mut() {
                    t.failed = Some(target);
                }
            }
            (true, TxStatus::InBlock) => {
                if let Some(t) = self.txn.as_mut() {
                    if t.failed == Some(target) {
                        t.failed = None; // ROLLBACK TO SAVEPOINT recovered it
                    }
                }
            }
            (true, TxStatus::Idle) if !broken => {
                // The statement itself ended the transaction on this server
                // (a COMMIT inside a multi-statement text, PREPARE TRANSACTION).
                if let Ok(p) = self.phys(target) {
                    p.in_txn = false;
                }
                let wrote = self.txn.as_ref().is_some_and(|t| t.on_primary);
                self.finish_txn(target, wrote);
            }
            (false, TxStatus::InBlock | TxStatus::Failed) => {
                // A transaction was opened by text pgtc did not see as BEGIN.
                self.txn = Some(Txn {
                    isolation: self.default_isolation,
                    on_primary: target == Target::Primary,
                    failed: (ran.tx_after == TxStatus::Failed).then_some(target),
                    implicit: false,
                    lost: false,
                });
                if let Ok(p) = self.phys(target) {
                    p.in_txn = true;
                }
            }
            _ => {}
        }
        ran.res.map(|_| ran.out)
    }

    /// The logical transaction ended on `ended`: end it on the other server
    /// too, and learn the floor if it wrote.
    fn finish_txn(&mut self, ended: Target, wrote: bool) {
        self.txn = None;
        let other = match ended {
            Target::Primary => Target::Standby,
            Target::Standby => Target::Primary,
        };
        if let Ok(p) = self.phys(other) {
            if p.in_txn {
                let mut r = ResultSet::default();
                let _ = p.conn.run(Req::Simple("ROLLBACK"), &mut r);
                p.in_txn = false;
            }
        }
        if wrote {
            if let Ok(p) = self.phys(Target::Primary) {
                if let Ok(Some(v)) = p.conn.query_value(LSN_QUERY) {
                    if let Some(lsn) = parse_lsn(&v) {
                        self.floor = self.floor.max(lsn);
                    }
                }
            }
        }
    }
}

fn req_sql<'a>(req: Req<'a>) -> &'a str {
    match req {
        Req::Simple(s) | Req::Params(s, _) => s,
    }
}

fn txn_lost() -> Error {
    Error::with_sqlstate(
        Status::ConnectionSwitched,
        "the connection to the primary was lost during this transaction, which was rolled back; run ROLLBACK and retry the transaction",
        "08006",
    )
}
