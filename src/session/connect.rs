//! Opening a session: connect to every server of the connection string in
//! parallel, ask each for its role (roles are found, never assumed from
//! the order), and place the primary and the standby.

use super::phys::Phys;
use super::{Counters, Lost, Session};
use crate::balance::{self, Role};
use crate::catalog;
use crate::conninfo::{Config, HostPort, Isolation};
use crate::error::{Error, Result, Status};
use crate::monitor;
use crate::result::ResultSet;
use crate::wire::{Conn, Req};

/// Role, default isolation and (on a primary) the WAL file that tells its
/// timeline, in one round trip.
const DISCOVER: &str = "SELECT pg_is_in_recovery(), \
     current_setting('default_transaction_isolation'), \
     CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_walfile_name(pg_current_wal_lsn()) END";

/// A server reached, and what it said of itself.
pub(super) struct Found {
    pub(super) conn: Conn,
    pub(super) standby: bool,
    isolation: Isolation,
    /// A primary's timeline (0 for a standby).
    timeline: u32,
}

/// The isolation level as `default_transaction_isolation` spells it.
pub(super) fn parse_isolation(s: &str) -> Isolation {
    match s.to_ascii_lowercase().as_str() {
        "serializable" => Isolation::Serializable,
        "repeatable read" => Isolation::RepeatableRead,
        _ => Isolation::ReadCommitted,
    }
}

/// Connect to one server and ask it for its role.
pub(super) fn connect_one(addr: &HostPort, cfg: &Config) -> Result<Found> {
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
    /// Connect to every server of `cfg` in parallel and find out which is
    /// the primary by asking each. One unreachable server leaves the session
    /// degraded but open; none reachable is an error.
    pub fn connect(cfg: Config) -> Result<Session> {
        // When the process knows the roles already, the primary alone.
        let known = known_primary(&cfg).and_then(|addr| match connect_one(&addr, &cfg) {
            Ok(f) if !f.standby => Some(vec![(addr, Ok(f))]),
            Ok(_) => None,
            Err(e) => {
                log::debug!("{}", e);
                None
            }
        });
        let mut found: Vec<(HostPort, Result<Found>)> = if let Some(f) = known {
            f
        } else if cfg.hosts.len() == 1 {
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
            standby_pick: None,
            skipped: Vec::new(),
            home: None,
            last_balanced: None,
            last_timeline: 0,
            lost: Vec::new(),
            monitor: None,
            catalog: None,
            txn: None,
            floor: 0,
            process_floor: crate::floor::of(&cfg),
            lag_out: Default::default(),
            pinned: 0,
            default_isolation: Isolation::ReadCommitted,
            counters: Counters::default(),
            balanced: (0, 0),
            round_trips_before: 0,
            standby_stale: false,
            saved_settings: None,
            saved_dirty: false,
            floor_pending: false,
            dirty: false,
            standby_mark: (0, 0),
            settings_made: false,
            copy: None,
            streams: Default::default(),
            notice: None,
            running: Default::default(),
            stmts: Default::default(),
            cfg,
        };
        let mut errors: Vec<Error> = Vec::new();
        // Primaries first, newest timeline first: of two servers that both
        // claim the role, the one on the older timeline is a former primary
        // that came back without being demoted, and is left alone.
        found.sort_by_key(|(_, r)| match r {
            Ok(f) if !f.standby => (0, u32::MAX - f.timeline),
            Ok(_) => (1, 0),
            Err(_) => (2, 0),
        });
        // What each server said of itself, for the monitor's first round.
        let roles: Vec<(HostPort, bool)> = found
            .iter()
            .filter_map(|(a, r)| r.as_ref().ok().map(|f| (a.clone(), f.standby)))
            .collect();
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
            return Err(no_server(&errors));
        }
        if s.cfg.hosts.len() > 1 {
            let catalog = catalog::attach(&s.cfg);
            let m = monitor::attach(&s.cfg, &catalog);
            // The servers this session asked but keeps no connection to are
            // known to the monitor by their answers until it probes them.
            for st in m.servers() {
                if let Some((_, standby)) = roles.iter().find(|(a, _)| a == &st.addr) {
                    if st.role() == Role::Unknown {
                        st.set_role(if *standby {
                            Role::Standby
                        } else {
                            Role::Primary
                        });
                    }
                }
            }
            s.monitor = Some(m);
            s.catalog = Some(catalog);
        }
        if s.attrs.txn_isolation != Isolation::ReadCommitted {
            s.apply_isolation(s.attrs.txn_isolation)?;
        }
        if s.attrs.read_only {
            s.apply_read_only(true)?;
        }
        s.standby_mark = s.standby_now();
        log::debug!(
            "opened {} (primary: {}, standby: {})",
            s.cfg.redacted(),
            s.primary
                .as_ref()
                .map_or("none".into(), |p| p.conn.addr().to_string()),
            s.standby
                .as_ref()
                .map_or("none".into(), |p| p.conn.addr().to_string())
        );
        Ok(s)
    }

    /// Make a server reached the session's primary or standby connection.
    pub(super) fn place(&mut self, f: Found) -> Result<()> {
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
            running: self.running.clone(),
            savepoint: Default::default(),
        };
        if f.standby {
            if self.standby.is_some() || self.cfg.weight_of(phys.conn.addr()) == 0 {
                // One standby connection per session; the others are
                // opened when its reads move there.
                log::debug!(
                    "{} is another standby; closing the connection until reads go there",
                    phys.conn.addr()
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
                        phys.conn.addr(),
                        theirs,
                        p.conn.addr(),
                        mine
                    )
                } else {
                    format!(
                        "both {} and {} are primaries (not in recovery) on timeline {}; pgtc needs one primary and one hot standby",
                        p.conn.addr(),
                        phys.conn.addr(),
                        mine
                    )
                };
                return Err(Error::new(Status::ConnectFailed, msg));
            }
            self.default_isolation = f.isolation;
            self.last_timeline = self.last_timeline.max(phys.stats.timeline());
            self.primary = Some(phys);
        }
        Ok(())
    }
}

/// The primary of `cfg`'s servers, when a monitor of this process knows
/// every server's role already (so a new session need not ask them all).
fn known_primary(cfg: &Config) -> Option<HostPort> {
    if cfg.hosts.len() < 2 {
        return None;
    }
    let m = monitor::existing(cfg)?;
    let servers = m.servers();
    if servers.iter().any(|s| s.role() == Role::Unknown) {
        return None;
    }
    balance::newest_primary(servers).map(|p| p.addr.clone())
}

/// The error of a session that reached no server: every server's message
/// (once, when they are the same), and the status they share (AUTH_FAILED
/// when authentication is what failed everywhere; a bad TLS file is the
/// same for both), else CONNECT_FAILED.
fn no_server(errors: &[Error]) -> Error {
    let status = match errors.first().map(|e| e.status) {
        Some(s @ (Status::AuthFailed | Status::InvalidAttributeValue))
            if errors.iter().all(|e| e.status == s) =>
        {
            s
        }
        _ => Status::ConnectFailed,
    };
    let mut msgs: Vec<&str> = Vec::new();
    for e in errors {
        if !msgs.contains(&e.message.as_str()) {
            msgs.push(&e.message);
        }
    }
    let msg = msgs.join("; ");
    let state = errors
        .first()
        .map(|e| e.sqlstate.clone())
        .unwrap_or_default();
    Error::with_sqlstate(status, msg, &state)
}
