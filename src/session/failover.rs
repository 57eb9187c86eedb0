//! Losing and regaining servers: dropping a broken connection, reaching
//! lost servers again (with backoff, or at once when the monitor sees them
//! back, with the session's settings copied onto the new connection), and
//! following a promotion to the new primary.

use super::connect::connect_one;
use super::{Session, LSN_QUERY};
use crate::balance::{self, parse_lsn, Role};
use crate::conninfo::HostPort;
use crate::route::Target;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Longest pause between attempts to reach a lost server again.
const MAX_BACKOFF: Duration = Duration::from_secs(10);

impl Session {
    /// Forget the connection to `target` (it broke, or its server is no
    /// longer what it was), and remember to reach its server again. Losing
    /// the primary inside a transaction loses the transaction.
    pub(super) fn drop_server(&mut self, target: Target) {
        let Some(p) = self.slot(target).take() else {
            return;
        };
        log::warn!("lost the connection to {}", p.conn.addr());
        self.round_trips_before += p.conn.round_trips();
        let mut l = Lost::new(p.conn.addr().clone());
        l.seen_down = !p.stats.healthy() || p.conn.is_broken();
        self.lost.push(l);
        let Some(t) = self.txn.as_mut() else { return };
        match target {
            Target::Primary => {
                t.lost = true;
                if let Some(s) = self.standby.as_mut() {
                    s.roll_back();
                }
            }
            Target::Standby if t.failed == Some(Target::Standby) => t.failed = None,
            Target::Standby => {}
        }
    }

    /// Try to reach servers lost earlier: when its backoff has passed, or
    /// at once when the monitor sees a server back that was down. Settings
    /// made in this session are copied onto the new connection.
    pub(super) fn maybe_reconnect(&mut self) {
        if self.lost.is_empty() {
            return;
        }
        let now = Instant::now();
        let monitor = self.monitor.clone();
        let back = |l: &Lost| {
            l.seen_down
                && monitor
                    .as_ref()
                    .is_some_and(|m| m.servers().iter().any(|s| s.addr == l.addr && s.healthy()))
        };
        if !self.lost.iter().any(|l| now >= l.retry_at || back(l)) {
            return;
        }
        let mut cfg = self.cfg.clone();
        let cap = Duration::from_secs(2);
        cfg.connect_timeout = Some(cfg.connect_timeout.map_or(cap, |t| t.min(cap)));
        let mut still = Vec::new();
        for mut l in std::mem::take(&mut self.lost) {
            if now < l.retry_at && !back(&l) {
                still.push(l);
                continue;
            }
            match connect_one(&l.addr, &cfg) {
                Ok(_) if self.primary.is_none() && self.is_new_primary(&l.addr) => {
                    // Reached by `open_new_primary`, which moves the floor.
                }
                Ok(f) if f.standby && !self.may_place_standby(&l.addr) => {
                    // Another standby serves the session now, or this one
                    // is not eligible: it is chosen again when it is.
                    log::debug!("not using {} again for now", &l.addr);
                }
                Ok(mut f) => {
                    let slot_free = if f.standby {
                        self.standby.is_none()
                    } else {
                        self.primary.is_none()
                    };
                    let placed = slot_free
                        && match self.copy_settings_to(&mut f.conn) {
                            Ok(()) => match self.place(f) {
                                Ok(()) => true,
                                Err(e) => {
                                    log::warn!("{}", e);
                                    false
                                }
                            },
                            Err(e) => {
                                log::warn!(
                                    "re-applying the session's settings on {} failed: {}",
                                    &l.addr,
                                    e
                                );
                                false
                            }
                        };
                    if placed {
                        log::info!("reconnected to {}", &l.addr);
                    } else {
                        l.failed(false);
                        still.push(l);
                    }
                }
                Err(e) => {
                    log::debug!("{}", e);
                    l.failed(true);
                    still.push(l);
                }
            }
        }
        self.lost = still;
    }

    /// Follow what the monitor knows about roles: a primary connection to a
    /// server that is no longer the primary to trust (demoted, or another
    /// primary is on a newer timeline) is dropped; when the session has no
    /// primary and its standby was promoted, that connection becomes the
    /// primary connection, and the LSN floor moves to the new timeline.
    pub(super) fn follow_topology(&mut self) {
        // Called before every statement: read the shared state through
        // references only (no reference counts touched on the hot path).
        let Some(m) = self.monitor.as_deref() else {
            return;
        };
        let newest = balance::newest_primary(m.servers());
        let leave_primary = self.primary.as_ref().is_some_and(|p| {
            let demoted = p.stats.role() == Role::Standby;
            let superseded = newest
                .is_some_and(|n| !Arc::ptr_eq(n, &p.stats) && n.timeline() > p.stats.timeline());
            demoted || superseded
        });
        let promoted = self.primary.is_none()
            && self.txn.is_none()
            && self.standby.as_ref().is_some_and(|s| {
                s.stats.role() == Role::Primary
                    && !s.conn.is_broken()
                    && newest.is_some_and(|n| Arc::ptr_eq(n, &s.stats))
            });
        // A standby the session has no connection to was promoted (a
        // primary on a newer timeline than the session's last one).
        let elsewhere = (self.primary.is_none() && self.txn.is_none() && !promoted)
            .then_some(newest)
            .flatten()
            .filter(|n| n.timeline() > self.last_timeline)
            .filter(|n| {
                !self
                    .standby
                    .as_ref()
                    .is_some_and(|s| Arc::ptr_eq(&s.stats, n))
            })
            .map(|n| n.addr.clone());
        if leave_primary {
            if let Some(p) = &self.primary {
                log::warn!("{} is no longer the primary; leaving it", p.conn.addr());
            }
            self.drop_server(Target::Primary);
            // With the primary gone, the standby may be the one to switch to.
            return self.follow_topology();
        }
        if let Some(addr) = elsewhere {
            return self.open_new_primary(&addr);
        }
        if !promoted {
            return;
        }
        {
            let mut p = self.standby.take().expect("checked above");
            p.in_txn = false;
            // The promoted standby lacks settings only the old primary got.
            if self.standby_stale {
                if let Err(e) = self.restore_saved_settings(&mut p.conn) {
                    log::warn!(
                        "giving {} the session's settings failed: {}",
                        p.conn.addr(),
                        e
                    );
                }
                self.standby_stale = false;
                self.saved_settings = None;
            }
            // LSNs of the old timeline say nothing about a standby of the
            // new one: read-your-writes starts from the new primary's
            // position, which includes everything the promoted server had.
            // The process's floor follows, without lowering what another
            // session raised on the new timeline meanwhile; a position
            // that cannot be read leaves both unknown until it is.
            let at = p
                .conn
                .query_value(LSN_QUERY)
                .ok()
                .flatten()
                .as_deref()
                .and_then(parse_lsn);
            let timeline = p.stats.timeline();
            self.floor = at.unwrap_or(0);
            self.process_floor.follow_timeline(timeline, self.floor);
            if at.is_none() {
                self.floor_pending = true;
                self.process_floor.mark_unknown();
            }
            log::warn!(
                "switched to {}, promoted to primary (timeline {})",
                p.conn.addr(),
                p.stats.timeline()
            );
            self.last_timeline = self.last_timeline.max(p.stats.timeline());
            self.primary = Some(p);
            self.last_balanced = None;
        }
    }
}

/// A server the session lost, and when to try it again.
pub(super) struct Lost {
    pub(super) addr: HostPort,
    retry_at: Instant,
    backoff: Duration,
    /// The last attempt could not reach it at all (so the monitor seeing it
    /// healthy means it is back).
    seen_down: bool,
}

/// First pause after a failed attempt; it doubles up to `MAX_BACKOFF`.
const FIRST_BACKOFF: Duration = Duration::from_millis(250);

impl Lost {
    pub(super) fn new(addr: HostPort) -> Lost {
        Lost {
            addr,
            retry_at: Instant::now(),
            backoff: FIRST_BACKOFF,
            seen_down: false,
        }
    }

    /// Its backoff has passed.
    pub(super) fn due(&self, now: Instant) -> bool {
        now >= self.retry_at
    }

    pub(super) fn failed(&mut self, unreachable: bool) {
        self.seen_down = unreachable;
        self.retry_at = Instant::now() + self.backoff;
        self.backoff = (self.backoff * 2).min(MAX_BACKOFF);
    }
}
