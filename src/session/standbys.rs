//! Several standbys: which one serves the session's reads, opening its
//! connection only when a read first goes there, and moving to another one
//! when it is no longer eligible. Each session is counted on the standby
//! it uses (its home, process-wide), and a session choosing a standby
//! takes the one where fewest are homed per unit of weight, so sessions
//! spread over the standbys instead of statements alternating.
//!
//! A session holds at most one standby connection. Outside a transaction,
//! and only then, it checks that its standby is still eligible
//! (`standby_eligible`); when it is not, the connection is closed and the
//! least-homed eligible standby is chosen instead, to be connected on the
//! first read that goes to it.

use super::connect::connect_one;
use super::failover::Lost;
use super::Session;
use crate::balance::{self, Homed, Role, ServerStats};
use crate::conninfo::HostPort;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The timeline the monitor knows for the server at `addr` (0 = unknown).
fn n_timeline(servers: &[Arc<ServerStats>], addr: &HostPort) -> u32 {
    servers
        .iter()
        .find(|s| &s.addr == addr)
        .map_or(0, |s| s.timeline())
}

/// Whether a standby may serve this session's reads: healthy, in the
/// standby role, on the current primary's timeline or a newer one (an
/// unknown timeline, 0, counts as current), and replayed at or past
/// `floor`.
pub(super) fn standby_eligible(s: &ServerStats, primary_tli: u32, floor: u64) -> bool {
    s.healthy()
        && s.role() == Role::Standby
        && (s.timeline() == 0 || primary_tli == 0 || s.timeline() >= primary_tli)
        && s.replay_lsn() >= floor
}

impl Session {
    /// The timeline standbys must follow: the session's primary's, else the
    /// newest primary the monitor knows (0 = unknown).
    fn primary_timeline(&self) -> u32 {
        if let Some(p) = &self.primary {
            return p.stats.timeline();
        }
        self.monitor
            .as_deref()
            .and_then(|m| balance::newest_primary(m.servers()))
            .map_or(0, |n| n.timeline())
    }

    /// The standby the session's reads would go to: the one it is
    /// connected to, else the one chosen to connect to on first use.
    pub(super) fn standby_stats(&self) -> Option<&Arc<ServerStats>> {
        self.standby
            .as_ref()
            .map(|p| &p.stats)
            .or(self.standby_pick.as_ref())
    }

    /// Outside a transaction: keep the session's standby while it is
    /// eligible (whatever its replay position: rule 6 keeps reads it has
    /// not caught up with on the primary); otherwise close it and choose
    /// the least-homed eligible standby (past the floor if one is, else
    /// any), to be connected when a read first goes there.
    pub(super) fn choose_standby(&mut self) {
        if self.monitor.is_none() || self.txn.is_some() || self.copy.is_some() {
            return;
        }
        let tli = self.primary_timeline();
        let max_lag = self.attrs.max_standby_lag_ms;
        if let Some(p) = &self.standby {
            if p.conn.is_broken() {
                // A broken one is dropped (and its server retried) where
                // the break is seen.
                return;
            }
            if standby_eligible(&p.stats, tli, 0) {
                // Beyond the lag bound, reads move to a standby within it
                // when there is one; else rule 7 keeps them on the primary
                // until this one catches up.
                if p.stats.within_lag(max_lag) || !self.other_within_lag(p.conn.addr(), tli) {
                    return;
                }
                log::debug!(
                    "{} lags beyond MAX_STANDBY_LAG_MS={}; moving the session's reads to another standby",
                    p.conn.addr(),
                    max_lag
                );
                self.close_standby();
            } else {
                log::info!(
                "{} is no longer eligible for reads (health, role or timeline {} behind the primary's {}); closing it",
                p.conn.addr(),
                p.stats.timeline(),
                tli
                );
                self.close_standby();
            }
        }
        if let Some(s) = &self.standby_pick {
            if standby_eligible(s, tli, 0)
                && !self.skipped(&s.addr)
                && (s.within_lag(max_lag) || !self.other_within_lag(&s.addr, tli))
            {
                return;
            }
        }
        let Some(m) = self.monitor.clone() else {
            return;
        };
        let floor = self.effective_floor();
        let weights: Vec<(&Arc<ServerStats>, u32)> = m
            .servers()
            .iter()
            .filter(|s| standby_eligible(s, tli, 0) && !self.skipped(&s.addr))
            .map(|s| (s, self.cfg.weight_of(&s.addr)))
            .collect();
        // Best first: past the floor and within MAX_STANDBY_LAG_MS, within
        // the bound, past the floor, any eligible one.
        let tier = |past: bool, lag: bool| -> Vec<(&Arc<ServerStats>, u32)> {
            weights
                .iter()
                .copied()
                .filter(|(s, _)| {
                    (!past || s.replay_lsn() >= floor) && (!lag || s.within_lag(max_lag))
                })
                .collect()
        };
        let pick = [(true, true), (false, true), (true, false), (false, false)]
            .into_iter()
            .find_map(|(past, lag)| balance::least_homed(&tier(past, lag)))
            .cloned();
        let moved = match (&pick, &self.standby_pick) {
            (Some(a), Some(b)) => !Arc::ptr_eq(a, b),
            (a, b) => a.is_some() != b.is_some(),
        };
        self.standby_pick = pick;
        if moved {
            // Another server: rule 7 starts afresh there.
            self.last_balanced = None;
        }
        self.sync_home();
    }

    /// Whether a standby other than `me` could serve reads within
    /// MAX_STANDBY_LAG_MS (eligible, weight above 0, not being skipped).
    fn other_within_lag(&self, me: &HostPort, tli: u32) -> bool {
        let max_lag = self.attrs.max_standby_lag_ms;
        self.monitor.as_deref().is_some_and(|m| {
            m.servers().iter().any(|s| {
                &s.addr != me
                    && standby_eligible(s, tli, 0)
                    && s.within_lag(max_lag)
                    && self.cfg.weight_of(&s.addr) > 0
                    && !self.skipped(&s.addr)
            })
        })
    }

    /// Close the standby connection (not lost: left by choice).
    fn close_standby(&mut self) {
        if let Some(p) = self.standby.take() {
            self.round_trips_before += p.conn.round_trips();
        }
        self.standby_stale = false;
        self.last_balanced = None;
    }

    /// Without a standby connection: whether an eligible standby (of
    /// weight above 0, not failing to open lately) would be opened on the
    /// first read that goes to one.
    pub(super) fn standby_available(&self) -> bool {
        let Some(m) = self.monitor.as_deref() else {
            return false;
        };
        let tli = self.primary_timeline();
        m.servers().iter().any(|s| {
            standby_eligible(s, tli, 0) && self.cfg.weight_of(&s.addr) > 0 && !self.skipped(&s.addr)
        })
    }

    /// A standby that failed to open recently is skipped until its backoff
    /// passes.
    fn skipped(&self, addr: &HostPort) -> bool {
        let now = Instant::now();
        self.skipped
            .iter()
            .chain(&self.lost)
            .any(|l| &l.addr == addr && !l.due(now))
    }

    /// Open the connection to the chosen standby and give it the session's
    /// settings (when it has made any), as a standby connection made again
    /// gets them. On failure
    /// the standby is skipped for a while (with backoff) and another is
    /// chosen; false when none could be opened.
    pub(super) fn open_standby(&mut self) -> bool {
        let mut tries = self.cfg.hosts.len();
        while self.standby.is_none() && tries > 0 {
            tries -= 1;
            let Some(stats) = self.standby_pick.clone() else {
                return false;
            };
            let mut cfg = self.cfg.clone();
            let cap = Duration::from_secs(2);
            cfg.connect_timeout = Some(cfg.connect_timeout.map_or(cap, |t| t.min(cap)));
            let opened = connect_one(&stats.addr, &cfg).and_then(|mut f| {
                if !f.standby {
                    return Err(crate::error::Error::new(
                        crate::error::Status::ConnectFailed,
                        format!("{} is not a standby", stats.addr),
                    ));
                }
                if self.settings_made || self.standby_stale {
                    self.copy_settings_to(&mut f.conn)?;
                }
                Ok(f)
            });
            match opened.and_then(|f| self.place(f)) {
                Ok(()) if self.standby.is_some() => {
                    log::debug!("opened a standby connection to {}", stats.addr);
                    // It has every setting the session made.
                    self.standby_stale = false;
                    self.saved_settings = None;
                    self.skipped.retain(|l| l.addr != stats.addr);
                    self.standby_pick = None;
                    self.limit_stmt_cache(self.attrs.statement_cache);
                    self.attach_notice_handler();
                    return true;
                }
                Ok(()) => return false,
                Err(e) => {
                    log::warn!(
                        "could not open a standby connection to {}: {}",
                        stats.addr,
                        e
                    );
                    match self.skipped.iter_mut().find(|l| l.addr == stats.addr) {
                        Some(l) => l.failed(true),
                        None => {
                            let mut l = Lost::new(stats.addr.clone());
                            l.failed(true);
                            self.skipped.push(l);
                        }
                    }
                    self.standby_pick = None;
                    self.choose_standby();
                }
            }
        }
        if self.standby.is_none() {
            self.standby_pick = None;
        }
        self.standby.is_some()
    }

    /// Whether a standby reached again may become the session's standby
    /// connection: the slot is free and the standby eligible.
    pub(super) fn may_place_standby(&self, addr: &HostPort) -> bool {
        if self.standby.is_some() {
            return false;
        }
        let Some(m) = self.monitor.as_deref() else {
            return true;
        };
        let tli = self.primary_timeline();
        m.servers()
            .iter()
            .find(|s| &s.addr == addr)
            .is_none_or(|s| s.role() != Role::Standby || standby_eligible(s, tli, 0))
    }

    /// Whether `addr` is a primary the monitor knows on a newer timeline
    /// than the session's last primary was (a promoted standby the session
    /// had no connection to).
    pub(super) fn is_new_primary(&self, addr: &HostPort) -> bool {
        self.monitor.as_deref().is_some_and(|m| {
            balance::newest_primary(m.servers()).is_some_and(|n| &n.addr == addr)
                && self.last_timeline < n_timeline(m.servers(), addr)
        })
    }

    /// The session lost its primary and the monitor sees `addr`, a standby
    /// it had no connection to, promoted: connect to it (with backoff),
    /// give it the session's settings, and start read-your-writes from its
    /// position on the new timeline, as when its own standby is promoted.
    pub(super) fn open_new_primary(&mut self, addr: &HostPort) {
        if self.skipped(addr) {
            return;
        }
        let mut cfg = self.cfg.clone();
        let cap = Duration::from_secs(2);
        cfg.connect_timeout = Some(cfg.connect_timeout.map_or(cap, |t| t.min(cap)));
        let opened = connect_one(addr, &cfg).and_then(|mut f| {
            if f.standby {
                return Err(crate::error::Error::new(
                    crate::error::Status::ConnectFailed,
                    format!("{} is still a standby", addr),
                ));
            }
            if !self.settings_source() {
                log::warn!(
                    "{}: no connection of the session is left to copy its settings from",
                    addr
                );
            }
            self.copy_settings_to(&mut f.conn)?;
            Ok(f)
        });
        match opened.and_then(|f| self.place(f)) {
            Ok(()) if self.primary.is_some() => {
                self.skipped.retain(|l| &l.addr != addr);
                self.lost.retain(|l| &l.addr != addr);
                if let Some(p) = self.primary.as_mut() {
                    self.floor = p
                        .conn
                        .query_value(super::LSN_QUERY)
                        .ok()
                        .flatten()
                        .as_deref()
                        .and_then(balance::parse_lsn)
                        .unwrap_or(0);
                    self.floor_pending = false;
                    self.last_timeline = p.stats.timeline();
                    log::warn!(
                        "switched to {}, the primary now (timeline {})",
                        p.conn.addr(),
                        p.stats.timeline()
                    );
                }
                self.last_balanced = None;
            }
            Ok(()) => {}
            Err(e) => {
                log::warn!("could not connect to the new primary {}: {}", addr, e);
                match self.skipped.iter_mut().find(|l| &l.addr == addr) {
                    Some(l) => l.failed(true),
                    None => {
                        let mut l = Lost::new(addr.clone());
                        l.failed(true);
                        self.skipped.push(l);
                    }
                }
            }
        }
    }

    /// Whether a connection is left to copy the session's settings from.
    fn settings_source(&self) -> bool {
        self.primary.is_some()
            || self.standby.is_some()
            || (self.standby_stale && self.saved_settings.is_some())
    }

    /// Count a READ_MOSTLY session on the standby its reads use now
    /// (connected or chosen), process-wide, so that the next session
    /// chooses the standby where fewer are homed.
    pub(super) fn sync_home(&mut self) {
        let reads = self.attrs.preferred_access == crate::attr::Access::ReadMostly;
        let homed = self.standby_stats().filter(|_| reads);
        let same = match (homed, &self.home) {
            (Some(s), Some(h)) => Arc::ptr_eq(s, h.stats()),
            (None, None) => true,
            _ => false,
        };
        if !same {
            self.home = homed.map(Homed::new);
        }
    }

    /// The HOST_WEIGHTS of the primary and of the session's standby.
    pub(super) fn weights(&self) -> [u32; 2] {
        let w = |s: Option<&Arc<ServerStats>>| s.map_or(1, |s| self.cfg.weight_of(&s.addr));
        [
            w(self.primary.as_ref().map(|p| &p.stats)),
            w(self.standby_stats()),
        ]
    }

    /// The address of the standby the session is connected to, if any.
    pub fn standby_addr(&self) -> Option<String> {
        self.standby.as_ref().map(|p| p.conn.addr().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eligible_standbys_are_healthy_current_and_past_the_floor() {
        let s = balance::server(&HostPort {
            host: "eligible-test".into(),
            port: 1,
        });
        s.set_role(Role::Standby);
        s.note_replay_lsn(100);
        // Unknown timelines count as current.
        assert!(standby_eligible(&s, 0, 100));
        assert!(standby_eligible(&s, 2, 0));
        s.set_timeline(1);
        assert!(standby_eligible(&s, 1, 50));
        // Behind the floor, on an older timeline, down, or not a standby.
        assert!(!standby_eligible(&s, 1, 101));
        assert!(!standby_eligible(&s, 2, 0));
        s.set_timeline(2);
        assert!(standby_eligible(&s, 2, 0));
        s.set_healthy(false);
        assert!(!standby_eligible(&s, 2, 0));
        s.set_healthy(true);
        s.set_role(Role::Primary);
        assert!(!standby_eligible(&s, 2, 0));
    }
}
