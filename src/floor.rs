//! The process-wide LSN floor of each cluster (`CONSISTENCY_SCOPE=PROCESS`):
//! the newest commit LSN that any session of the process recorded on that
//! cluster, so that a read on one connection sees a write made on another
//! (a pool's next connection, another thread's session).
//!
//! One `Floor` per cluster (keyed by `Config::cluster_key()`, as the monitor
//! and the catalog are), kept in a registry for the life of the process and
//! found there when a session opens; the session keeps its `Arc`, so routing reads the floor
//! with one atomic load, with no lock and no reference count touched.
//!
//! Raising it (after every committed write) is lock-free: an atomic max.
//! Three rare transitions take a lock, because they may lower what routing
//! reads and must not lose a concurrent raise:
//! - a commit whose LSN could not be read (the connection broke between
//!   the commit's answer and the LSN's) makes the floor *unknown*: routing
//!   reads `u64::MAX`, i.e. no standby read anywhere in the process, until
//!   some session reads the primary's current position (at or after every
//!   commit the primary acknowledged) after the floor became unknown;
//!   any session of the process does this before its next statement, so a
//!   session dropped while its floor is unknown does not leave the process
//!   without standby reads;
//! - a new timeline (a promotion): LSNs of the old timeline say nothing
//!   about standbys of the new one, so the floor moves to the position the
//!   new primary had when it was first seen (which includes everything the
//!   promoted server had), without lowering what another session raised on
//!   the new timeline since.

use crate::conninfo::{ClusterKey, Config};
use once_cell::sync::Lazy;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering::SeqCst};
use std::sync::Arc;

/// What routing reads while the floor is unknown: beyond every replay LSN.
pub const UNKNOWN: u64 = u64::MAX;

/// One cluster's floor in this process.
#[derive(Debug, Default)]
pub struct Floor {
    /// What routing reads: `lsn`, or `UNKNOWN` while a commit's LSN is.
    gate: AtomicU64,
    /// The newest commit LSN recorded on the current timeline (never
    /// `UNKNOWN`).
    lsn: AtomicU64,
    /// The timeline `lsn` belongs to (0 = not known yet).
    timeline: AtomicU32,
    /// The rare transitions, one at a time.
    slow: Mutex<Slow>,
}

#[derive(Debug, Default)]
struct Slow {
    /// A commit's LSN is unknown.
    unknown: bool,
    /// Bumped each time the floor becomes unknown: a position read before
    /// that cannot settle it.
    generation: u64,
}

/// A permit to settle an unknown floor with a position read after it was
/// taken (`Floor::ticket`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket(u64);

/// Every cluster's floor, for the life of the process: a floor must outlive
/// the sessions that raised it, or a session opened after the last one
/// closed (a connection per request, a pool that shrank to nothing) would
/// start from 0 and read a standby that lacks the process's writes. One
/// small entry per cluster the process ever connected to.
static FLOORS: Lazy<Mutex<HashMap<ClusterKey, Arc<Floor>>>> =
    Lazy::new(|| Mutex::new(HashMap::new()));

/// The floor of `cfg`'s cluster in this process (created on first use,
/// kept until the process ends).
pub fn of(cfg: &Config) -> Arc<Floor> {
    let key = cfg.cluster_key();
    Arc::clone(FLOORS.lock().entry(key).or_default())
}

impl Floor {
    /// The floor routing goes by: the newest commit LSN recorded, or
    /// `UNKNOWN`. One atomic load.
    #[inline]
    pub fn routing(&self) -> u64 {
        self.gate.load(SeqCst)
    }

    /// The newest commit LSN recorded (also while the floor is unknown).
    pub fn lsn(&self) -> u64 {
        self.lsn.load(SeqCst)
    }

    /// Whether a commit's LSN is unknown (no standby reads).
    pub fn unknown(&self) -> bool {
        self.routing() == UNKNOWN
    }

    /// Record a commit at or before `lsn`, made on a primary on `timeline`
    /// (0 when not known). Lock-free unless `timeline` is newer than the
    /// floor's. Never lowers the floor on the same timeline.
    pub fn raise(&self, lsn: u64, timeline: u32) {
        let lsn = lsn.min(UNKNOWN - 1);
        if timeline > self.timeline.load(SeqCst) {
            return self.follow_timeline(timeline, lsn);
        }
        // A raise on an older timeline that races with a switch lands on
        // the new one: too high a floor, never too low.
        self.lsn.fetch_max(lsn, SeqCst);
        self.gate.fetch_max(lsn, SeqCst);
    }

    /// A primary on `timeline` whose position was `lsn` when the session
    /// first saw it: on a newer timeline than the floor's, the floor moves
    /// there (down, if it must); on the same one it is raised.
    pub fn follow_timeline(&self, timeline: u32, lsn: u64) {
        let lsn = lsn.min(UNKNOWN - 1);
        let mut g = self.slow.lock();
        let cur = self.timeline.load(SeqCst);
        if timeline <= cur || cur == 0 {
            // Same timeline, or the first one this process learns of.
            self.lsn.fetch_max(lsn, SeqCst);
        } else {
            log::debug!(
                "process LSN floor moves to timeline {} at {}",
                timeline,
                crate::balance::format_lsn(lsn)
            );
            self.lsn.store(lsn, SeqCst);
            // The new primary's position covers every commit the promoted
            // server had; a commit lost with the old primary is not
            // anywhere to be read.
            g.unknown = false;
        }
        // After `lsn`: a raise that sees the new timeline comes after the
        // store in `lsn`'s order, so it is not overwritten.
        if timeline > cur {
            self.timeline.store(timeline, SeqCst);
        }
        self.publish(&g);
    }

    /// A commit's LSN could not be read: no standby reads in the process
    /// until a position read after this settles it.
    pub fn mark_unknown(&self) {
        let mut g = self.slow.lock();
        g.unknown = true;
        g.generation += 1;
        self.gate.store(UNKNOWN, SeqCst);
    }

    /// While the floor is unknown: a ticket to take before reading the
    /// primary's position.
    pub fn ticket(&self) -> Option<Ticket> {
        if !self.unknown() {
            return None;
        }
        let g = self.slow.lock();
        g.unknown.then_some(Ticket(g.generation))
    }

    /// Settle the unknown floor with `lsn`, the primary's position read
    /// after `ticket` was taken; a position read before the floor last
    /// became unknown settles nothing. Returns whether it settled it.
    pub fn settle(&self, ticket: Ticket, lsn: u64) -> bool {
        let mut g = self.slow.lock();
        if !g.unknown || g.generation != ticket.0 {
            return false;
        }
        self.lsn.fetch_max(lsn.min(UNKNOWN - 1), SeqCst);
        g.unknown = false;
        self.publish(&g);
        true
    }

    /// Make `gate` show `lsn` again (or `UNKNOWN`), without losing a raise
    /// that runs meanwhile: a raise updates `lsn` before `gate`, so if
    /// `lsn` is still what was stored, every raise so far is in `gate` or
    /// will be max-ed into it after the store.
    fn publish(&self, g: &Slow) {
        if g.unknown {
            self.gate.store(UNKNOWN, SeqCst);
            return;
        }
        loop {
            let v = self.lsn.load(SeqCst);
            self.gate.store(v, SeqCst);
            if self.lsn.load(SeqCst) == v {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raises_are_a_max_and_never_lower_it() {
        let f = Floor::default();
        f.raise(100, 1);
        f.raise(50, 1);
        f.raise(70, 0);
        assert_eq!((f.routing(), f.lsn()), (100, 100));
    }

    #[test]
    fn an_unknown_floor_holds_until_a_later_position_settles_it() {
        let f = Floor::default();
        f.raise(100, 1);
        assert_eq!(f.ticket(), None);
        let early = {
            f.mark_unknown();
            f.ticket().unwrap()
        };
        assert_eq!(f.routing(), UNKNOWN);
        // Raises while unknown are kept, but routing still sees UNKNOWN.
        f.raise(150, 1);
        assert_eq!((f.routing(), f.lsn()), (UNKNOWN, 150));
        // The floor became unknown again after `early` was taken: a
        // position read with it may precede the second commit.
        f.mark_unknown();
        assert!(!f.settle(early, 400));
        assert!(f.unknown());
        let t = f.ticket().unwrap();
        assert!(f.settle(t, 120));
        assert_eq!((f.routing(), f.lsn()), (150, 150));
        assert!(!f.settle(t, 999), "settled once");
        assert_eq!(f.routing(), 150);
    }

    #[test]
    fn a_new_timeline_moves_the_floor_without_losing_its_own_raises() {
        let f = Floor::default();
        f.raise(1000, 1);
        // A session on the new timeline wrote before another one followed
        // the promotion: its raise switches the floor itself.
        f.raise(600, 2);
        assert_eq!((f.routing(), f.lsn()), (600, 600));
        // The follower read the new primary's position earlier (500): the
        // floor is not lowered below the raise made on timeline 2.
        f.follow_timeline(2, 500);
        assert_eq!(f.routing(), 600);
        // Following a promotion also settles an unknown floor of the old
        // timeline.
        f.mark_unknown();
        f.follow_timeline(3, 700);
        assert_eq!((f.routing(), f.lsn()), (700, 700));
        // The first timeline a process learns of never lowers anything.
        let g = Floor::default();
        g.raise(900, 0);
        g.follow_timeline(4, 10);
        assert_eq!(g.routing(), 900);
    }

    #[test]
    fn concurrent_raises_all_land() {
        let f = Arc::new(Floor::default());
        f.raise(1, 1);
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let f = Arc::clone(&f);
                std::thread::spawn(move || {
                    for i in 0..10_000u64 {
                        f.raise(i * 4 + t, 1);
                        if i % 1000 == 0 {
                            f.mark_unknown();
                            let k = f.ticket();
                            if let Some(k) = k {
                                f.settle(k, 0);
                            }
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        if let Some(k) = f.ticket() {
            f.settle(k, 0);
        }
        assert_eq!(f.routing(), 9_999 * 4 + 3);
    }

    #[test]
    fn one_floor_per_cluster() {
        let a = crate::conninfo::parse("host=h1,h2 port=1,2 user=u dbname=d").unwrap();
        let b = crate::conninfo::parse("host=h2,h1 port=2,1 user=u dbname=d").unwrap();
        let c = crate::conninfo::parse("host=h1,h2 port=1,2 user=u dbname=other").unwrap();
        let (fa, fb, fc) = (of(&a), of(&b), of(&c));
        assert!(Arc::ptr_eq(&fa, &fb));
        assert!(!Arc::ptr_eq(&fa, &fc));
    }
}
