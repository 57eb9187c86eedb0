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
const SESSION_SETTINGS: &str = "SELECT name, setting FROM ( \
     SELECT 0 AS o, 'session_authorization' AS name, current_setting('session_authorization') AS setting \
     UNION ALL SELECT 1, 'role', current_setting('role') \
     UNION ALL SELECT 2, name, setting FROM pg_catalog.pg_settings \
     WHERE source = 'session' AND name NOT IN ('session_authorization', 'role')) s \
     ORDER BY o, name";
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
            let ran = self.run_on(Target::Primary, req, Some(SHOW_ISOLATION))?;
            if let Some(i) = ran.extra.as_deref() {
                if ran.res.is_ok() {
                    self.default_isolation = parse_isolation(i);
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
            Ok(()) => self.standby_stale = false,
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

    /// Copy the settings made in this session (everything `pg_settings`
    /// reports with source `session`: SET, SET ROLE, SET SESSION
    /// CHARACTERISTICS, …) from a connection that survived onto `to`.
    pub(super) fn copy_settings_to(&mut self, to: &mut Conn) -> Result<()> {
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
