//! Process-wide knowledge about each server, shared by every session in the
//! process: role, health, replay LSN (filled by the monitor), statements in
//! flight and recent latency (filled by sessions). One `ServerStats` per
//! server address, found through a registry of weak references.
//!
//! Recent latency is the monitor's probe round trip, the same small query
//! on every server, so a slow statement of one session does not make a
//! server look slow for everyone, and a server that gets no statements
//! still has a current figure.
//!
//! Replay lag is measured in time (`ServerStats::lag_ms`), from the
//! monitor's samples of the primary's WAL position kept in a `LagHistory`:
//! see there for the exact definition.

use crate::conninfo::HostPort;
use once_cell::sync::Lazy;
use parking_lot::{Condvar, Mutex};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;
use std::time::Instant;

/// A server's role as last seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Unknown = 0,
    Primary = 1,
    Standby = 2,
}

/// Shared per-server statistics. All fields are atomics: readers never block
/// writers, and a slightly stale value is acceptable everywhere it is used
/// (the LSN is monotonic, so a stale sample is only ever conservative).
#[derive(Debug)]
pub struct ServerStats {
    pub addr: HostPort,
    inflight: AtomicU32,
    latency_ns: AtomicU64,
    replay_lsn: AtomicU64,
    role: AtomicU8,
    healthy: AtomicBool,
    samples: AtomicU64,
    /// The timeline of a primary (the one it writes), or of a standby (the
    /// one its WAL receiver last received); 0 = unknown. The newer one wins
    /// when two servers both claim to be primary; a standby on an older
    /// timeline than the primary's is left out of reads.
    timeline: AtomicU32,
    /// Sessions of this process whose balanced reads go to this server
    /// now (see `Homed`).
    homed: AtomicU32,
    /// Client backends running a statement at the last activity sample,
    /// beyond this process's own statements and the monitor's query.
    others_active: AtomicU32,
    /// Bumped whenever the role changes: sessions compare it to notice.
    role_changes: AtomicU64,
    /// Signalled after every replay LSN sample (CONSISTENCY=WAIT waits on it).
    replayed: (Mutex<()>, Condvar),
    /// A standby's replay lag: the moment (`now_ns`) as of which its last
    /// sample is known to have had every commit of the primary
    /// (`LagHistory::as_of`); `NO_LAG_BASE` when that is not known.
    lag_base_ns: AtomicU64,
}

/// `ServerStats::lag_base_ns` when the lag is not known.
const NO_LAG_BASE: u64 = u64::MAX;

static EPOCH: Lazy<Instant> = Lazy::new(Instant::now);

/// Nanoseconds on a monotonic clock of the process (the lag's time base).
pub fn now_ns() -> u64 {
    EPOCH.elapsed().as_nanos().min(u128::from(u64::MAX - 1)) as u64
}

static REGISTRY: Lazy<Mutex<HashMap<HostPort, Weak<ServerStats>>>> =
    Lazy::new(|| Mutex::new(HashMap::new()));

/// The shared statistics of the server at `addr` (created on first use).
pub fn server(addr: &HostPort) -> Arc<ServerStats> {
    let mut reg = REGISTRY.lock();
    if let Some(s) = reg.get(addr).and_then(Weak::upgrade) {
        return s;
    }
    reg.retain(|_, w| w.strong_count() > 0);
    let s = Arc::new(ServerStats {
        addr: addr.clone(),
        inflight: AtomicU32::new(0),
        latency_ns: AtomicU64::new(0),
        replay_lsn: AtomicU64::new(0),
        role: AtomicU8::new(Role::Unknown as u8),
        healthy: AtomicBool::new(true),
        samples: AtomicU64::new(0),
        timeline: AtomicU32::new(0),
        homed: AtomicU32::new(0),
        others_active: AtomicU32::new(0),
        role_changes: AtomicU64::new(0),
        replayed: (Mutex::new(()), Condvar::new()),
        lag_base_ns: AtomicU64::new(NO_LAG_BASE),
    });
    reg.insert(addr.clone(), Arc::downgrade(&s));
    s
}

/// A snapshot of what the balancer compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Load {
    /// Statements of this process now running on the server.
    pub inflight: u32,
    /// Statements of other processes running there at the last sample.
    pub others_active: u32,
    /// Exponentially weighted mean of the monitor's probe round trip (ns);
    /// 0 = no data yet.
    pub latency_ns: u64,
}

impl ServerStats {
    pub fn load(&self) -> Load {
        Load {
            inflight: self.inflight.load(Ordering::Relaxed),
            others_active: self.others_active.load(Ordering::Relaxed),
            latency_ns: self.latency_ns.load(Ordering::Relaxed),
        }
    }

    /// Count a statement in flight, from its sending until `leave_flight`
    /// after its answer was read.
    pub fn enter_flight(&self) {
        self.inflight.fetch_add(1, Ordering::Relaxed);
    }

    pub fn leave_flight(&self) {
        self.inflight.fetch_sub(1, Ordering::Relaxed);
    }

    /// Fold one probe round trip into the recent latency.
    pub fn record_latency(&self, d: Duration) {
        let ns = d.as_nanos().min(u64::MAX as u128) as u64;
        let old = self.latency_ns.load(Ordering::Relaxed);
        // EWMA with weight 1/8 for the newest sample.
        let new = if old == 0 { ns } else { old - old / 8 + ns / 8 };
        self.latency_ns.store(new, Ordering::Relaxed);
    }

    pub fn replay_lsn(&self) -> u64 {
        self.replay_lsn.load(Ordering::Acquire)
    }

    /// Record a replay LSN sample; never moves backwards (a role change
    /// resets it with `reset_lsn`). Wakes sessions waiting for replay.
    pub fn note_replay_lsn(&self, lsn: u64) {
        let old = self.replay_lsn.fetch_max(lsn, Ordering::AcqRel);
        self.samples.fetch_add(1, Ordering::Release);
        if lsn > old {
            let _g = self.replayed.0.lock();
            self.replayed.1.notify_all();
        }
    }

    /// Wait until the replay LSN is at or past `lsn`, at most until
    /// `deadline`; true if it got there.
    pub fn wait_replayed(&self, lsn: u64, deadline: Instant) -> bool {
        let mut g = self.replayed.0.lock();
        loop {
            if self.replay_lsn() >= lsn {
                return true;
            }
            if self.role() != Role::Standby
                || self.replayed.1.wait_until(&mut g, deadline).timed_out()
            {
                return self.replay_lsn() >= lsn;
            }
        }
    }

    /// Record the number of client backends running a statement, as the
    /// monitor sampled it; `own` is how many of them were this process's.
    pub fn note_activity(&self, active: u32, own: u32) {
        self.others_active
            .store(active.saturating_sub(own), Ordering::Relaxed);
    }

    /// Statements of this process on the server right now.
    pub fn inflight(&self) -> u32 {
        self.inflight.load(Ordering::Relaxed)
    }

    pub fn timeline(&self) -> u32 {
        self.timeline.load(Ordering::Acquire)
    }

    pub fn set_timeline(&self, tli: u32) {
        self.timeline.store(tli, Ordering::Release);
    }

    /// How many role changes this server went through (see `set_role`).
    #[cfg(test)]
    pub fn role_changes(&self) -> u64 {
        self.role_changes.load(Ordering::Acquire)
    }

    pub fn reset_lsn(&self) {
        self.replay_lsn.store(0, Ordering::Release);
    }

    /// Number of monitor samples taken so far (lets a waiter see progress).
    #[allow(dead_code)] // no caller inside the crate yet
    pub fn samples(&self) -> u64 {
        self.samples.load(Ordering::Acquire)
    }

    pub fn role(&self) -> Role {
        match self.role.load(Ordering::Acquire) {
            1 => Role::Primary,
            2 => Role::Standby,
            _ => Role::Unknown,
        }
    }

    pub fn set_role(&self, role: Role) {
        let old = self.role.swap(role as u8, Ordering::AcqRel);
        if old != role as u8 && old != Role::Unknown as u8 {
            log::info!(
                "{} changed role ({} -> {:?})",
                &self.addr,
                if old == Role::Primary as u8 {
                    "primary"
                } else {
                    "standby"
                },
                role
            );
            self.reset_lsn();
            self.lag_base_ns.store(NO_LAG_BASE, Ordering::Release);
            self.role_changes.fetch_add(1, Ordering::AcqRel);
            let _g = self.replayed.0.lock();
            self.replayed.1.notify_all();
        }
    }

    /// Record what the standby's last sample is known to have replayed:
    /// every commit the primary had at `base` (`now_ns` time), or `None`
    /// when that cannot be said (`LagHistory::as_of`).
    pub fn note_lag_base(&self, base: Option<u64>) {
        self.lag_base_ns
            .store(base.unwrap_or(NO_LAG_BASE), Ordering::Release);
    }

    /// The standby's replay lag in milliseconds: an upper bound on how long
    /// ago the oldest commit it may still lack became visible on the
    /// primary, i.e. `now − t`, where `t` is the time the monitor sent its
    /// newest probe of the primary whose WAL position the standby's last
    /// sample had replayed (see `LagHistory`). Between samples it grows
    /// with the clock, as if the standby replayed nothing meanwhile, so it
    /// is an upper bound at every moment, not only at the samples. `None`
    /// when unknown: before the first samples of both servers, after a
    /// role change, and when the standby is behind every primary position
    /// the monitor keeps. A primary has no lag (`Some(0)`).
    pub fn lag_ms(&self) -> Option<u64> {
        self.lag_ms_at(now_ns())
    }

    /// `lag_ms` at the moment `now` (`now_ns` time).
    fn lag_ms_at(&self, now: u64) -> Option<u64> {
        if self.role() == Role::Primary {
            return Some(0);
        }
        match self.lag_base_ns.load(Ordering::Acquire) {
            NO_LAG_BASE => None,
            base => Some(now.saturating_sub(base) / 1_000_000),
        }
    }

    /// Whether the standby is within a lag bound of `max_ms` milliseconds:
    /// always when the bound is off (0); otherwise when its lag is known
    /// and at most the bound.
    pub fn within_lag(&self, max_ms: u32) -> bool {
        // No clock read while the bound is off.
        max_ms == 0 || within_lag(self.lag_ms(), max_ms)
    }

    pub fn healthy(&self) -> bool {
        self.healthy.load(Ordering::Acquire)
    }

    /// Sessions of this process homed on this server now.
    pub fn homed(&self) -> u32 {
        self.homed.load(Ordering::Relaxed)
    }

    pub fn set_healthy(&self, ok: bool) {
        self.healthy.store(ok, Ordering::Release);
    }
}

/// Whether a replay lag (`ServerStats::lag_ms`) is within a bound of
/// `max_ms` milliseconds: always when the bound is off (0); otherwise when
/// it is known and at most the bound.
pub fn within_lag(lag_ms: Option<u64>, max_ms: u32) -> bool {
    max_ms == 0 || lag_ms.is_some_and(|l| l <= u64::from(max_ms))
}

/// The end of the last WAL record before `insert`, a primary's
/// `pg_current_wal_insert_lsn()`: at the very start of a WAL page the
/// insert position is past the page's header (24 bytes, 40 on a segment's
/// first page), where no record has been written yet and which a standby's
/// replay position never shows. `block` and `segment` are the server's
/// `wal_block_size` and `wal_segment_size`.
pub fn record_end(insert: u64, block: u64, segment: u64) -> u64 {
    const SHORT_HEADER: u64 = 24;
    const LONG_HEADER: u64 = 40;
    if segment > 0 && insert % segment == LONG_HEADER {
        insert - LONG_HEADER
    } else if block > 0 && insert % block == SHORT_HEADER {
        insert - SHORT_HEADER
    } else {
        insert
    }
}

/// The primary's WAL position as the monitor sampled it over the last
/// minutes, for measuring standbys' replay lag in time.
///
/// Each entry is (t, p): at `t` (`now_ns` time), when the probe was sent,
/// every commit visible on the primary had its commit record at or before
/// `p`, the `pg_current_wal_insert_lsn()` the probe returned (evaluated at
/// or after `t`). A standby whose sample replayed up to `r` therefore had
/// every commit visible at the newest `t` with `p <= r`
/// (`as_of`): whatever it lacks became visible after `t`, so `now − t`
/// bounds its staleness from above (`ServerStats::lag_ms`).
///
/// Entries are kept in order of both time and position (a sample at the
/// same position as the newest entry only moves that entry's time
/// forward). The history covers `keep_ns`; beyond `cap` entries the older
/// half is thinned, one entry in two: dropping an entry can only make
/// `as_of` answer an earlier time, i.e. a larger lag, never a smaller one.
#[derive(Debug)]
pub struct LagHistory {
    entries: VecDeque<(u64, u64)>,
    /// The primary the entries came from, and its timeline.
    source: Option<(HostPort, u32)>,
    cap: usize,
    keep_ns: u64,
}

impl LagHistory {
    pub fn new(cap: usize, keep_ns: u64) -> LagHistory {
        LagHistory {
            entries: VecDeque::new(),
            source: None,
            cap: cap.max(4),
            keep_ns,
        }
    }

    /// Add a sample of the primary at `addr` on `timeline`: at `t` its
    /// position was at most `lsn`. A sample of another primary or
    /// timeline, or one that went backwards, starts the history afresh.
    pub fn note_primary(&mut self, addr: &HostPort, timeline: u32, t: u64, lsn: u64) {
        // Of two servers that both claim the role, the one on the newer
        // timeline is the primary (an old one came back undemoted).
        if self
            .source
            .as_ref()
            .is_some_and(|(a, tli)| a != addr && *tli > timeline)
        {
            return;
        }
        let same = self
            .source
            .as_ref()
            .is_some_and(|(a, tli)| a == addr && *tli == timeline);
        let backwards = self.entries.back().is_some_and(|&(_, p)| lsn < p);
        if !same || backwards {
            self.entries.clear();
            self.source = Some((addr.clone(), timeline));
        }
        match self.entries.back_mut() {
            Some(last) if last.1 == lsn => last.0 = last.0.max(t),
            _ => self.entries.push_back((t, lsn)),
        }
        // Keep one entry older than `keep_ns`, so that a standby behind
        // everything newer still has a (large) lag.
        let horizon = t.saturating_sub(self.keep_ns);
        while self.entries.len() > 1 && self.entries[1].0 <= horizon {
            self.entries.pop_front();
        }
        if self.entries.len() > self.cap {
            let half = self.entries.len() / 2;
            let mut i = 0;
            self.entries.retain(|_| {
                i += 1;
                i > half || i % 2 == 1
            });
        }
    }

    /// The time as of which a standby that replayed up to `replay` had
    /// every commit of the primary: the time of the newest entry at or
    /// below `replay`. `None` when there is none (no sample yet, or the
    /// standby is behind the oldest one kept).
    pub fn as_of(&self, replay: u64) -> Option<u64> {
        let n = self.entries.partition_point(|&(_, p)| p <= replay);
        n.checked_sub(1).map(|i| self.entries[i].0)
    }

    /// The position of the newest sample.
    pub fn newest(&self) -> Option<u64> {
        self.entries.back().map(|&(_, p)| p)
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// `addr` is no longer a primary: forget its samples.
    pub fn demoted(&mut self, addr: &HostPort) {
        if self.source.as_ref().is_some_and(|(a, _)| a == addr) {
            self.entries.clear();
            self.source = None;
        }
    }
}

/// A session's home: the server its balanced reads go to while the loads
/// stay close. Counted in the server's `homed` for as long as it lives, so
/// that new sessions go where fewer are homed.
#[derive(Debug)]
pub struct Homed(Arc<ServerStats>);

impl Homed {
    pub fn new(stats: &Arc<ServerStats>) -> Homed {
        stats.homed.fetch_add(1, Ordering::Relaxed);
        Homed(Arc::clone(stats))
    }

    pub fn stats(&self) -> &Arc<ServerStats> {
        &self.0
    }
}

impl Drop for Homed {
    fn drop(&mut self) {
        self.0.homed.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Among `(server, weight)` candidates, the one to home a new session on:
/// the fewest sessions homed per unit of weight (counting the new one, so
/// that a weight-2 server takes two sessions for every one of a weight-1
/// server); then the fewest statements in flight per unit of weight; then
/// the first listed. Weight 0 is never chosen.
pub fn least_homed<'a>(cands: &[(&'a Arc<ServerStats>, u32)]) -> Option<&'a Arc<ServerStats>> {
    let mut best: Option<(&'a Arc<ServerStats>, u32)> = None;
    for &(s, w) in cands.iter().filter(|(_, w)| *w > 0) {
        let better = match best {
            None => true,
            Some((b, bw)) => {
                // (homed + 1) / w, compared without division.
                let (a1, b1) = (
                    u64::from(s.homed() + 1) * u64::from(bw),
                    u64::from(b.homed() + 1) * u64::from(w),
                );
                let busy = |x: &ServerStats| {
                    let l = x.load();
                    u64::from(l.inflight.saturating_add(l.others_active))
                };
                a1 < b1 || (a1 == b1 && busy(s) * u64::from(bw) < busy(b) * u64::from(w))
            }
        };
        if better {
            best = Some((s, w));
        }
    }
    best.map(|(s, _)| s)
}

/// The primary to trust among `servers`: healthy, in the primary role, and
/// on the newest timeline when several claim the role (an old primary that
/// came back without being demoted is on an older timeline).
pub fn newest_primary(servers: &[Arc<ServerStats>]) -> Option<&Arc<ServerStats>> {
    servers
        .iter()
        .filter(|s| s.role() == Role::Primary && s.healthy())
        .max_by_key(|s| s.timeline())
}

/// The timeline in a WAL file name such as "000000020000000000000003".
pub fn timeline_of_walfile(name: &str) -> Option<u32> {
    name.get(..8).and_then(|h| u32::from_str_radix(h, 16).ok())
}

/// Parse a textual LSN such as "0/3015FF0".
pub fn parse_lsn(s: &str) -> Option<u64> {
    let (hi, lo) = s.trim().split_once('/')?;
    let hi = u64::from_str_radix(hi, 16).ok()?;
    let lo = u64::from_str_radix(lo, 16).ok()?;
    if hi > u32::MAX as u64 || lo > u32::MAX as u64 {
        return None;
    }
    Some(hi << 32 | lo)
}

/// Format an LSN the way PostgreSQL does ("0/3015FF0").
pub fn format_lsn(lsn: u64) -> String {
    format!("{:X}/{:X}", lsn >> 32, lsn & 0xFFFF_FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lsn_round_trip() {
        assert_eq!(parse_lsn("0/3015FF0"), Some(0x3015FF0));
        assert_eq!(parse_lsn("1A/0"), Some(0x1A_0000_0000));
        assert_eq!(format_lsn(0x1A_0000_00FF), "1A/FF");
        assert_eq!(
            parse_lsn(&format_lsn(0xDEAD_BEEF_0102)),
            Some(0xDEAD_BEEF_0102)
        );
        assert_eq!(parse_lsn("garbage"), None);
        assert_eq!(parse_lsn("1/100000000"), None);
        assert_eq!(parse_lsn(""), None);
    }

    #[test]
    fn timelines_and_the_newest_primary() {
        assert_eq!(timeline_of_walfile("000000020000000000000003"), Some(2));
        assert_eq!(timeline_of_walfile("0000000A00000001000000FF"), Some(10));
        assert_eq!(timeline_of_walfile("zz"), None);
        let a = server(&HostPort {
            host: "tli-a".into(),
            port: 1,
        });
        let b = server(&HostPort {
            host: "tli-b".into(),
            port: 1,
        });
        a.set_role(Role::Primary);
        b.set_role(Role::Primary);
        a.set_timeline(1);
        b.set_timeline(2);
        let both = [Arc::clone(&a), Arc::clone(&b)];
        assert!(Arc::ptr_eq(newest_primary(&both).unwrap(), &b));
        b.set_healthy(false);
        assert!(Arc::ptr_eq(newest_primary(&both).unwrap(), &a));
        // A role change is counted and forgets the replay position.
        a.note_replay_lsn(50);
        let changes = a.role_changes();
        a.set_role(Role::Standby);
        assert_eq!((a.role_changes(), a.replay_lsn()), (changes + 1, 0));
        // Waiting for replay: already there, or times out.
        a.note_replay_lsn(70);
        assert!(a.wait_replayed(70, Instant::now()));
        assert!(!a.wait_replayed(71, Instant::now() + std::time::Duration::from_millis(20)));
        a.note_activity(5, 2);
        assert_eq!(a.load().others_active, 3);
        a.note_activity(1, 2);
        assert_eq!(a.load().others_active, 0);
    }

    #[test]
    fn lag_is_the_age_of_the_newest_primary_position_replayed() {
        let p = HostPort {
            host: "lag-primary".into(),
            port: 1,
        };
        let ms = 1_000_000u64;
        let mut h = LagHistory::new(64, 60_000 * ms);
        assert_eq!(h.as_of(100), None, "no sample yet");
        // The primary at 1000 ms: position 100; 1010 ms: 200; 1020: 200
        // (no writes); 1030: 350.
        h.note_primary(&p, 1, 1000 * ms, 100);
        h.note_primary(&p, 1, 1010 * ms, 200);
        h.note_primary(&p, 1, 1020 * ms, 200);
        h.note_primary(&p, 1, 1030 * ms, 350);
        assert_eq!(h.len(), 3, "an unchanged position moves its entry's time");
        // Behind the oldest sample: unknown.
        assert_eq!(h.as_of(99), None);
        // Replayed 100 but not 200: it had what the primary had at 1000.
        assert_eq!(h.as_of(100), Some(1000 * ms));
        assert_eq!(h.as_of(199), Some(1000 * ms));
        // 200 was still the position at 1020.
        assert_eq!(h.as_of(200), Some(1020 * ms));
        assert_eq!(h.as_of(349), Some(1020 * ms));
        // Caught up with the newest sample: as of that probe.
        assert_eq!(h.as_of(350), Some(1030 * ms));
        assert_eq!(h.as_of(u64::MAX), Some(1030 * ms));
        assert_eq!(h.newest(), Some(350));

        // What a standby reports from that base.
        let s = server(&HostPort {
            host: "lag-standby".into(),
            port: 1,
        });
        s.set_role(Role::Standby);
        assert_eq!(s.lag_ms(), None);
        assert!(!s.within_lag(1000) && s.within_lag(0));
        // Its sample had everything the primary had at 1000 ms: at 1300 ms
        // the lag is 300 ms, and it keeps growing until the next sample.
        s.note_lag_base(h.as_of(150));
        assert_eq!(s.lag_ms_at(1300 * ms), Some(300));
        assert_eq!(s.lag_ms_at(1450 * ms + 999_999), Some(450));
        // Against the clock: at least the time since that base.
        let base = now_ns();
        s.note_lag_base(Some(base));
        let l = s.lag_ms().unwrap();
        assert!(l <= (now_ns() - base) / ms, "{}", l);
        assert!(s.within_lag(u32::try_from(l).unwrap() + 60_000));
        // A role change forgets it; a primary has none.
        s.set_role(Role::Primary);
        assert_eq!(s.lag_ms(), Some(0));
        s.set_role(Role::Standby);
        assert_eq!(s.lag_ms(), None);

        // Another primary or timeline, or a position going back, starts
        // afresh.
        h.note_primary(&p, 2, 1040 * ms, 400);
        assert_eq!((h.len(), h.as_of(350)), (1, None));
        h.note_primary(&p, 2, 1050 * ms, 300);
        assert_eq!((h.len(), h.as_of(350)), (1, Some(1050 * ms)));
    }

    #[test]
    fn a_page_header_is_no_record() {
        let (b, seg) = (8192, 16 << 20);
        assert_eq!(record_end(0x300_0028, b, seg), 0x300_0000);
        assert_eq!(record_end(0x300_2018, b, seg), 0x300_2000);
        assert_eq!(record_end(0x300_2050, b, seg), 0x300_2050);
        // 40 bytes into a page that is not a segment's first: a record's end.
        assert_eq!(record_end(0x300_2028, b, seg), 0x300_2028);
    }

    #[test]
    fn a_lag_history_is_bounded_and_only_ever_overstates_the_lag() {
        let p = HostPort {
            host: "lag-thin".into(),
            port: 1,
        };
        let ms = 1_000_000u64;
        let mut full = LagHistory::new(usize::MAX, u64::MAX);
        let mut h = LagHistory::new(32, 500 * ms);
        for i in 0..1000u64 {
            full.note_primary(&p, 1, i * ms, i * 10);
            h.note_primary(&p, 1, i * ms, i * 10);
            assert!(h.len() <= 33);
        }
        // Only what is older than 500 ms (and one entry beyond) is dropped.
        assert!(h.as_of(10 * 400).is_some());
        for r in (0..10_000).step_by(7) {
            match (h.as_of(r), full.as_of(r)) {
                (Some(thin), Some(exact)) => assert!(thin <= exact, "{}", r),
                (None, _) => {}
                (Some(_), None) => panic!("known only when thinned at {}", r),
            }
        }
        // The newest samples keep their full resolution.
        assert_eq!(h.as_of(9_990), Some(999 * ms));
        assert_eq!(h.as_of(9_985), Some(998 * ms));
    }

    #[test]
    fn sessions_home_where_fewest_are_homed_per_weight() {
        let hp = |h: &str| HostPort {
            host: h.into(),
            port: 1,
        };
        let (a, b, c) = (
            server(&hp("home-a")),
            server(&hp("home-b")),
            server(&hp("home-c")),
        );
        let mut homes = Vec::new();
        // Weights 1, 2, 0: b takes two sessions for each of a's, c none.
        for _ in 0..6 {
            let pick = least_homed(&[(&a, 1), (&b, 2), (&c, 0)]).unwrap();
            homes.push(Homed::new(pick));
        }
        assert_eq!((a.homed(), b.homed(), c.homed()), (2, 4, 0));
        // Leaving a home is counted.
        homes.retain(|h| !Arc::ptr_eq(h.stats(), &a));
        assert_eq!(a.homed(), 0);
        assert!(Arc::ptr_eq(least_homed(&[(&b, 1), (&a, 1)]).unwrap(), &a));
        // Equal homes: the one with fewer statements in flight.
        drop(homes);
        b.enter_flight();
        assert!(Arc::ptr_eq(least_homed(&[(&b, 1), (&a, 1)]).unwrap(), &a));
        b.leave_flight();
        assert!(Arc::ptr_eq(least_homed(&[(&b, 1), (&a, 1)]).unwrap(), &b));
        assert!(least_homed(&[(&c, 0)]).is_none());
    }

    #[test]
    fn registry_shares_one_entry_per_address() {
        let a = HostPort {
            host: "registry-test".into(),
            port: 1,
        };
        let s1 = server(&a);
        let s2 = server(&a);
        assert!(Arc::ptr_eq(&s1, &s2));
        s1.enter_flight();
        assert_eq!(s2.load().inflight, 1);
        s1.leave_flight();
        assert_eq!(s2.load().inflight, 0);
        s1.note_replay_lsn(10);
        s1.note_replay_lsn(5);
        assert_eq!(s2.replay_lsn(), 10);
    }
}
