//! Session state on both servers: `SET`, `RESET`, `DISCARD` and
//! `SET SESSION CHARACTERISTICS` run on the primary, then on the standby,
//! so that reads see the same settings wherever they run; and the settings
//! of a session copied onto a connection made again.

use super::connect::parse_isolation;
use super::Session;
use crate::classify::{self, Facts, Kind, PIN_SETTING};
use crate::error::{Error, Result, Status};
use crate::result::{ResultSet, Server};
use crate::route::Target;
use crate::wire::{Conn, Req};

const SHOW_ISOLATION: &str = "SHOW default_transaction_isolation";
/// The settings made in a session, to copy onto another connection: the
/// session authorization and the role first (neither is listed in
/// `pg_settings`, and setting the first resets the second), then every
/// setting `pg_settings` reports with source `session`.
macro_rules! settings_union {
    () => {
        "SELECT 0 AS o, 'session_authorization' AS name, current_setting('session_authorization') AS setting \
         UNION ALL SELECT 1, 'role', current_setting('role') \
         UNION ALL SELECT 2, name, setting FROM pg_catalog.pg_settings \
         WHERE source = 'session' AND name NOT IN ('session_authorization', 'role')"
    };
}
const SESSION_SETTINGS: &str = concat!(
    "SELECT name, setting FROM (",
    settings_union!(),
    ") s ORDER BY o, name"
);
/// The same as one value, after the session's default isolation: what the
/// session keeps while the standby lacks its settings (see
/// `Session::saved_settings`), read in the round trip of the setting.
/// Separated by the ASCII group, record and unit separators.
const SNAPSHOT: &str = concat!(
    "SELECT current_setting('default_transaction_isolation') || chr(29) || \
     coalesce((SELECT string_agg(name || chr(31) || setting, chr(30) ORDER BY o, name) FROM (",
    settings_union!(),
    ") s), '')"
);

/// Parse a `SNAPSHOT` value: the default isolation and the settings.
fn parse_snapshot(v: &str) -> Option<(&str, Vec<(String, String)>)> {
    let (iso, rest) = v.split_once('\u{1d}')?;
    let mut list = Vec::new();
    for rec in rest.split('\u{1e}').filter(|r| !r.is_empty()) {
        let (n, v) = rec.split_once('\u{1f}')?;
        list.push((n.to_string(), v.to_string()));
    }
    Some((iso, list))
}
const SET_CONFIG: &str = "SELECT pg_catalog.set_config($1, $2, false)";
/// Every setting of a session back to its default (`RESET ALL` leaves the
/// role and the session authorization alone).
const RESET_EVERYTHING: &str = "RESET SESSION AUTHORIZATION; RESET ROLE; RESET ALL";

impl Session {
    /// `SET`, `RESET`, `DISCARD`, `SET SESSION CHARACTERISTICS`: on the
    /// primary first, then (when `mirror`) on the standby. A setting the
    /// standby refuses pins the session to the primary. Without `mirror`
    /// the standby is brought up to date later (`sync_standby`), and a
    /// transaction the setting ran in stays on the primary.
    pub(super) fn set_session(
        &mut self,
        req: Req<'_>,
        facts: &Facts,
        mirror: bool,
    ) -> Result<ResultSet> {
        self.implicit_txn(facts);
        if !mirror {
            if let Some(t) = self.txn.as_mut() {
                t.on_primary = true;
            }
        }
        let mut out = None;
        if self.primary.is_some() {
            // A setting the standby does not get is kept in the session too
            // (read in the same round trip), so that a primary connection
            // made again can have it although the standby lacks it.
            let extra = if mirror { SHOW_ISOLATION } else { SNAPSHOT };
            let ran = self.run_on(Target::Primary, req, Some(extra))?;
            if let (Some(v), true) = (ran.extra.as_deref(), ran.res.is_ok()) {
                if mirror {
                    self.default_isolation = parse_isolation(v);
                } else if let Some((iso, list)) = parse_snapshot(v) {
                    self.default_isolation = parse_isolation(iso);
                    self.saved_settings = Some(list);
                    // Inside a transaction they may still be rolled back.
                    self.saved_dirty = self.txn.is_some();
                }
            }
            let r = self.settle(Target::Primary, ran)?;
            if !mirror {
                self.standby_stale = true;
                return Ok(r);
            }
            out = Some(r);
        }
        if self.standby.is_some() {
            let ran = self.run_on(Target::Standby, req, None)?;
            let r = self.settle(Target::Standby, ran);
            match (r, out.as_mut()) {
                (Ok(_), Some(o)) => o.set_server(Server::Both),
                (Ok(r), None) => out = Some(r),
                (Err(e), Some(_)) => {
                    log::warn!("the standby refused a setting the primary took ({}); session pinned to the primary", e);
                    self.pinned |= PIN_SETTING;
                }
                (Err(e), None) => return Err(e),
            }
        }
        out.ok_or_else(|| Error::new(Status::NoPrimary, "no server connection is open"))
    }

    /// The session settings among the statements of `sql`, run on the
    /// standby after the whole text ran on the primary. A setting the
    /// standby refuses pins the session to the primary.
    pub(super) fn settings_on_standby(&mut self, sql: &str) {
        let opts = self.lex_options();
        let Some(p) = self.standby.as_mut() else {
            return;
        };
        for (range, f) in classify::statements_with(sql, opts) {
            if f.kind != Kind::SetSession {
                continue;
            }
            let mut x = ResultSet::default();
            if let Err(e) = p.conn.run(Req::Simple(&sql[range]), &mut x) {
                log::warn!(
                    "the standby refused a setting ({}); session pinned to the primary",
                    e
                );
                self.pinned |= PIN_SETTING;
                break;
            }
        }
    }

    /// Bring the standby's session settings up to date with the primary's:
    /// reset everything there, then copy the primary's. When that fails the
    /// session is pinned to the primary, whose settings are the session's.
    pub(super) fn sync_standby(&mut self) {
        if self.primary.is_none() {
            return; // nothing to copy from: the standby stays as it is
        }
        let Some(mut s) = self.standby.take() else {
            self.standby_stale = false;
            return;
        };
        let mut r = ResultSet::default();
        let reset = s
            .conn
            .run(Req::Simple(RESET_EVERYTHING), &mut r)
            .and_then(|_| self.copy_settings_to(&mut s.conn));
        match reset {
            Ok(()) => {
                self.standby_stale = false;
                self.saved_settings = None;
            }
            Err(e) => {
                log::warn!(
                    "bringing the standby's settings up to date failed ({}); session pinned to the primary",
                    e
                );
                self.pinned |= PIN_SETTING;
            }
        }
        self.standby = Some(s);
    }

    /// Read the session's settings on the primary again when those kept
    /// may be out of date (settings made inside a transaction that has
    /// ended since, or among several statements): one round trip, only
    /// while the standby lacks the settings.
    pub(super) fn refresh_saved_settings(&mut self) {
        if !self.saved_dirty || self.txn.is_some() || !self.standby_stale {
            return;
        }
        let Some(p) = self.primary.as_mut().filter(|p| p.usable()) else {
            return;
        };
        match p.conn.query_value(SNAPSHOT) {
            Ok(Some(v)) => {
                if let Some((_, list)) = parse_snapshot(&v) {
                    self.saved_settings = Some(list);
                    self.saved_dirty = false;
                }
            }
            Ok(None) => {}
            Err(e) => log::debug!("reading the session's settings failed: {}", e),
        }
    }

    /// Give a connection to the primary, made again, the session's
    /// settings while the standby lacks them: reset, then those kept.
    pub(super) fn restore_saved_settings(&mut self, to: &mut Conn) -> Result<()> {
        let Some(list) = self.saved_settings.clone() else {
            return Ok(());
        };
        if self.saved_dirty {
            log::warn!(
                "the session's settings made since its last transaction may be missing on {}",
                to.addr()
            );
        }
        let mut r = ResultSet::default();
        to.run(Req::Simple(RESET_EVERYTHING), &mut r)?;
        for (name, value) in &list {
            to.run(Req::Params(SET_CONFIG, &[Some(name), Some(value)]), &mut r)?;
        }
        Ok(())
    }

    /// Copy the settings made in this session (everything `pg_settings`
    /// reports with source `session`: SET, SET ROLE, SET SESSION
    /// CHARACTERISTICS, …) from a connection that survived onto `to`; onto
    /// a primary connection made while the standby lacks them, those the
    /// session kept.
    pub(super) fn copy_settings_to(&mut self, to: &mut Conn) -> Result<()> {
        if self.primary.is_none() && self.standby_stale && self.saved_settings.is_some() {
            return self.restore_saved_settings(to);
        }
        let Some(from) = self.primary.as_mut().or(self.standby.as_mut()) else {
            return Ok(());
        };
        let mut settings = ResultSet::default();
        from.conn
            .run(Req::Simple(SESSION_SETTINGS), &mut settings)?;
        let mut r = ResultSet::default();
        for i in 0..settings.rows() {
            let (name, value) = (settings.value(i, 0), settings.value(i, 1));
            to.run(Req::Params(SET_CONFIG, &[name, value]), &mut r)?;
        }
        Ok(())
    }
}
