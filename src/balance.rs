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
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

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
    });
    reg.insert(addr.clone(), Arc::downgrade(&s));
    s
}

/// A snapshot of what the balancer compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Load {
    /// Statements of this process now running on the server.
    pub inflight: u32,
    /// Exponentially weighted mean of the monitor's probe round trip (ns);
    /// 0 = no data yet.
    pub latency_ns: u64,
}

impl ServerStats {
    pub fn load(&self) -> Load {
        Load {
            inflight: self.inflight.load(Ordering::Relaxed),
            latency_ns: self.latency_ns.load(Ordering::Relaxed),
        }
    }

    /// Count a statement in flight until the guard is dropped.
    pub fn start(self: &Arc<Self>) -> InFlight {
        self.inflight.fetch_add(1, Ordering::Relaxed);
        InFlight {
            stats: Arc::clone(self),
        }
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
    /// resets it with `reset_lsn`).
    pub fn note_replay_lsn(&self, lsn: u64) {
        self.replay_lsn.fetch_max(lsn, Ordering::AcqRel);
        self.samples.fetch_add(1, Ordering::Release);
    }

    pub fn reset_lsn(&self) {
        self.replay_lsn.store(0, Ordering::Release);
    }

    /// Number of monitor samples taken so far (lets a waiter see progress).
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
                "{} changed role from {:?} to {:?}",
                crate::wire::show_addr(&self.addr),
                old,
                role
            );
            self.reset_lsn();
        }
    }

    pub fn healthy(&self) -> bool {
        self.healthy.load(Ordering::Acquire)
    }

    pub fn set_healthy(&self, ok: bool) {
        self.healthy.store(ok, Ordering::Release);
    }
}

/// A statement in flight on one server (see `ServerStats::start`).
pub struct InFlight {
    stats: Arc<ServerStats>,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.stats.inflight.fetch_sub(1, Ordering::Relaxed);
    }
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
    fn registry_shares_one_entry_per_address() {
        let a = HostPort {
            host: "registry-test".into(),
            port: 1,
        };
        let s1 = server(&a);
        let s2 = server(&a);
        assert!(Arc::ptr_eq(&s1, &s2));
        {
            let _g = s1.start();
            assert_eq!(s2.load().inflight, 1);
        }
        assert_eq!(s2.load().inflight, 0);
        s1.note_replay_lsn(10);
        s1.note_replay_lsn(5);
        assert_eq!(s2.replay_lsn(), 10);
    }
}
