//! Process-wide knowledge about each server, shared by every session in the
//! process: role, health, replay LSN (filled by the monitor), statements in
//! flight and recent latency (filled by sessions). One `ServerStats` per
//! server address, found through a registry of weak references.
//!
//! Recent latency is the monitor's probe round trip, the same small query
//! on every server, so a slow statement of one session does not make a
//! server look slow for everyone, and a server that gets no statements
//! still has a current figure.

use crate::conninfo::HostPort;
use once_cell::sync::Lazy;
use parking_lot::{Condvar, Mutex};
use std::collections::HashMap;
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
            self.role_changes.fetch_add(1, Ordering::AcqRel);
            let _g = self.replayed.0.lock();
            self.replayed.1.notify_all();
        }
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
