//! The monitor: one background thread per process and server set, shared by
//! every session on that set. It polls each server's role and, on a
//! standby, its replay LSN, publishing both into the shared `ServerStats`.
//! On the primary it also reads the current WAL position, kept with the
//! probe's time in a `LagHistory`, from which each standby's replay lag in
//! time is derived at each of its samples (primaries are probed first in
//! every round, so a standby is compared with a position a moment old).
//! Sessions only read atomics, so the monitor never blocks a session. It is
//! controlled over a crossbeam channel and stops when the last session that
//! uses it is closed. It also has the database's `Catalog` refresh its list
//! of unlogged relations when that is due.

use crate::balance::{self, Role, ServerStats};
use crate::catalog::Catalog;
use crate::conninfo::{ClusterKey, Config};
use crate::result::ResultSet;
use crate::wire::{Conn, Req};
use crossbeam_channel::{bounded, Receiver, RecvTimeoutError, Sender};
use once_cell::sync::Lazy;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::{Arc, Weak};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long to wait before trying to reach a server that did not answer.
const RETRY_AFTER: Duration = Duration::from_millis(500);
/// A monitor query that takes longer than this marks the server unhealthy.
const IO_TIMEOUT: Duration = Duration::from_secs(2);

/// Role, replay LSN (standby), timeline and the primary's WAL insert
/// position (at or after every commit visible there), for the replay lag.
/// The timeline: on a primary the timeline of the WAL being written (so a
/// promoted server shows its new timeline at once); on a standby the
/// timeline its WAL receiver last received
/// (`pg_stat_wal_receiver.received_tli`: NULL while it streams from no
/// one, and for roles without `pg_read_all_stats`, when the last known
/// value stands).
const PROBE: &str = "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn(), \
     CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_walfile_name(pg_current_wal_lsn()) END, \
     CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_insert_lsn() END, \
     (SELECT received_tli FROM pg_catalog.pg_stat_wal_receiver)";
/// Primary positions kept for the replay lag: as long as the largest
/// MAX_STANDBY_LAG_MS, in at most this many entries (thinned beyond).
const LAG_HISTORY_CAP: usize = 4096;
const LAG_HISTORY_KEEP: Duration =
    Duration::from_millis(crate::attr::MAX_STANDBY_LAG_LIMIT_MS as u64);
/// The WAL page and segment sizes (asked once per connection), for
/// `balance::record_end`.
const WAL_SIZES: &str = "SELECT current_setting('wal_block_size'), \
     (SELECT setting FROM pg_catalog.pg_settings WHERE name = 'wal_segment_size')";
/// PostgreSQL's defaults, when a server does not say.
const DEFAULT_WAL_SIZES: (u64, u64) = (8192, 16 << 20);
/// A standby's lag is logged at debug level at most this often.
const LAG_LOG_EVERY: Duration = Duration::from_secs(1);
/// Client backends running a statement, other than the monitor's own.
const ACTIVITY: &str = "SELECT count(*) FROM pg_catalog.pg_stat_activity \
     WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid()";
/// Server activity is sampled every this many probes.
const ACTIVITY_EVERY: u32 = 10;

enum Ctl {
    Stop,
    Interval(Duration),
}

/// A running monitor; dropping the last reference stops its thread.
pub struct Monitor {
    ctl: Sender<Ctl>,
    thread: Option<JoinHandle<()>>,
    servers: Vec<Arc<ServerStats>>,
}

static MONITORS: Lazy<Mutex<HashMap<ClusterKey, Weak<Monitor>>>> =
    Lazy::new(|| Mutex::new(HashMap::new()));

/// The monitor for the servers of `cfg` (started on first use); it keeps
/// `catalog`'s unlogged list fresh.
pub fn attach(cfg: &Config, catalog: &Arc<Catalog>) -> Arc<Monitor> {
    let key = cfg.cluster_key();
    let mut all = MONITORS.lock();
    if let Some(m) = all.get(&key).and_then(Weak::upgrade) {
        return m;
    }
    all.retain(|_, w| w.strong_count() > 0);
    let servers: Vec<Arc<ServerStats>> = cfg.hosts.iter().map(balance::server).collect();
    let (tx, rx) = bounded(4);
    let mut mcfg = cfg.clone();
    if mcfg.connect_timeout.is_none() {
        mcfg.connect_timeout = Some(IO_TIMEOUT);
    }
    mcfg.application_name = Some("pgtc monitor".into());
    let watched = servers.clone();
    let cat = Arc::clone(catalog);
    let thread = std::thread::Builder::new()
        .name("pgtc-monitor".into())
        .spawn(move || run(mcfg, watched, cat, rx))
        .expect("spawning the pgtc monitor thread");
    let m = Arc::new(Monitor {
        ctl: tx,
        thread: Some(thread),
        servers,
    });
    all.insert(key, Arc::downgrade(&m));
    m
}

/// The monitor already running for the servers of `cfg`, if any: with it
/// the process knows the servers' roles.
pub fn existing(cfg: &Config) -> Option<Arc<Monitor>> {
    MONITORS
        .lock()
        .get(&cfg.cluster_key())
        .and_then(Weak::upgrade)
}

impl Monitor {
    pub fn servers(&self) -> &[Arc<ServerStats>] {
        &self.servers
    }

    /// Sample at a new interval from now on.
    pub fn set_interval(&self, every: Duration) {
        let _ = self.ctl.send(Ctl::Interval(every));
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        let _ = self.ctl.send(Ctl::Stop);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct Watched {
    stats: Arc<ServerStats>,
    conn: Option<Conn>,
    retry_at: Instant,
    probes: u32,
    /// When the lag was last logged at debug level.
    lag_logged: Option<Instant>,
    /// The server's WAL block and segment sizes in bytes.
    wal_sizes: (u64, u64),
}

fn run(cfg: Config, servers: Vec<Arc<ServerStats>>, catalog: Arc<Catalog>, ctl: Receiver<Ctl>) {
    let mut watched: Vec<Watched> = servers
        .into_iter()
        .map(|stats| Watched {
            stats,
            conn: None,
            retry_at: Instant::now(),
            probes: 0,
            lag_logged: None,
            wal_sizes: DEFAULT_WAL_SIZES,
        })
        .collect();
    let mut history = balance::LagHistory::new(LAG_HISTORY_CAP, LAG_HISTORY_KEEP.as_nanos() as u64);
    let mut every = Duration::from_millis(u64::from(cfg.attrs.monitor_interval_ms.max(1)));
    loop {
        // Primaries first: a standby's replay is then compared with the
        // primary's position of the same round.
        watched.sort_by_key(|w| w.stats.role() != Role::Primary);
        for w in watched.iter_mut() {
            poll(&cfg, w, &mut history);
        }
        // Only while a primary answers the monitor, so that a lost primary
        // never holds up the next probes.
        let primary_up = watched
            .iter()
            .any(|w| w.conn.is_some() && w.stats.role() == Role::Primary && w.stats.healthy());
        if primary_up && catalog.refresh_due() {
            if let Err(e) = catalog.refresh_unlogged() {
                log::debug!("monitor: cannot refresh unlogged relations: {}", e);
            }
        }
        match ctl.recv_timeout(every) {
            Ok(Ctl::Stop) | Err(RecvTimeoutError::Disconnected) => break,
            Ok(Ctl::Interval(d)) => every = d,
            Err(RecvTimeoutError::Timeout) => {}
        }
    }
}

fn poll(cfg: &Config, w: &mut Watched, history: &mut balance::LagHistory) {
    if w.conn.is_none() {
        if Instant::now() < w.retry_at {
            return;
        }
        match Conn::connect(&w.stats.addr, cfg) {
            Ok(mut c) => {
                let _ = c.set_io_timeout(Some(IO_TIMEOUT));
                w.wal_sizes = wal_sizes(&mut c);
                w.conn = Some(c);
            }
            Err(e) => {
                log::debug!("monitor: {}", e);
                w.stats.set_healthy(false);
                w.retry_at = Instant::now() + RETRY_AFTER;
                return;
            }
        }
    }
    let conn = w.conn.as_mut().expect("connected above");
    let mut r = ResultSet::default();
    let started = Instant::now();
    let sent_ns = balance::now_ns();
    match conn.run(Req::Simple(PROBE), &mut r) {
        Ok(()) => {
            w.stats.record_latency(started.elapsed());
            let standby = r.value(0, 0) == Some("t");
            if let Some(tli) = r.value(0, 2).and_then(balance::timeline_of_walfile) {
                w.stats.set_timeline(tli);
            }
            w.stats.set_role(if standby {
                Role::Standby
            } else {
                Role::Primary
            });
            if standby {
                history.demoted(&w.stats.addr);
                if let Some(lsn) = r.value(0, 1).and_then(balance::parse_lsn) {
                    w.stats.note_replay_lsn(lsn);
                    note_lag(&w.stats, &mut w.lag_logged, history, lsn);
                }
                if let Some(tli) = r.value(0, 4).and_then(|v| v.parse::<u32>().ok()) {
                    w.stats.set_timeline(tli);
                }
            } else if let Some(lsn) = r.value(0, 3).and_then(balance::parse_lsn) {
                let (block, segment) = w.wal_sizes;
                let end = balance::record_end(lsn, block, segment);
                history.note_primary(&w.stats.addr, w.stats.timeline(), sent_ns, end);
            }
            w.stats.set_healthy(true);
            w.probes = w.probes.wrapping_add(1);
            if w.probes % ACTIVITY_EVERY == 1 {
                let own = w.stats.inflight();
                if conn.run(Req::Simple(ACTIVITY), &mut r).is_ok() {
                    if let Some(n) = r.value(0, 0).and_then(|v| v.parse::<u32>().ok()) {
                        w.stats.note_activity(n, own);
                    }
                }
            }
        }
        Err(e) => {
            log::debug!("monitor: {}", e);
            w.stats.set_healthy(false);
            w.conn = None;
            w.retry_at = Instant::now() + RETRY_AFTER;
        }
    }
}

/// The server's WAL block and segment sizes (PostgreSQL's defaults when it
/// does not answer).
fn wal_sizes(c: &mut Conn) -> (u64, u64) {
    let mut r = ResultSet::default();
    if c.run(Req::Simple(WAL_SIZES), &mut r).is_err() {
        return DEFAULT_WAL_SIZES;
    }
    let num = |col| r.value(0, col).and_then(|v: &str| v.parse::<u64>().ok());
    (
        num(0).unwrap_or(DEFAULT_WAL_SIZES.0),
        num(1).unwrap_or(DEFAULT_WAL_SIZES.1),
    )
}

/// A standby's sample replayed up to `replay`: its lag is now measured
/// from the newest primary position it had (`LagHistory::as_of`). Logged
/// at trace level on every sample and at debug level at most every
/// `LAG_LOG_EVERY`.
fn note_lag(
    stats: &ServerStats,
    logged: &mut Option<Instant>,
    history: &balance::LagHistory,
    replay: u64,
) {
    stats.note_lag_base(history.as_of(replay));
    let lag = stats.lag_ms();
    let shown = lag.map_or("unknown".to_string(), |l| format!("at most {} ms", l));
    log::trace!(
        "monitor: {} replayed {} (primary at {}): replay lag {}",
        stats.addr,
        balance::format_lsn(replay),
        history.newest().map_or("?".into(), balance::format_lsn),
        shown
    );
    if log::log_enabled!(log::Level::Debug) && logged.is_none_or(|t| t.elapsed() >= LAG_LOG_EVERY) {
        *logged = Some(Instant::now());
        log::debug!("monitor: standby {} replay lag {}", stats.addr, shown);
    }
}
