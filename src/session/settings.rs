//! Session state on both servers: `SET`, `RESET`, `DISCARD` and
//! `SET SESSION CHARACTERISTICS` run on the primary, then on the standby,
//! so that reads see the same settings wherever they run.

use super::*;

impl Session {
    /// `SET`, `RESET`, `DISCARD`, `SET SESSION CHARACTERISTICS`: on the
    /// primary first, then on the standby, so reads see the same settings
    /// wherever they run. A setting the standby refuses pins the session to
    /// the primary.
    pub(super) fn set_session(&mut self, req: Req<'_>, facts: &Facts) -> Result<ResultSet> {
        self.implicit_txn(facts);
        let mut out = None;
        if self.primary.is_some() {
            let ran = self.run_on(Target::Primary, req, Some(SHOW_ISOLATION))?;
            if let Some(i) = ran.extra.as_deref() {
                if ran.res.is_ok() {
                    self.default_isolation = parse_isolation(i);
                }
            }
            out = Some(self.settle(Target::Primary, ran)?);
        }
        if self.standby.is_some() {
            let ran = self.run_on(Target::Standby, req, None)?;
            let r = self.settle(Target::Standby, ran);
            match (r, out.as_mut()) {
                (Ok(_), Some(o)) => o.server = Some(Server::Both),
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

    /// Several statements, some of them session settings: run the whole text
    /// on the primary, then the settings on the standby. With transaction
    /// control in the same text pgtc cannot tell which settings survive, so
    /// the session is pinned to the primary instead.
    pub(super) fn multi_with_settings(
        &mut self,
        req: Req<'_>,
        sql: &str,
        facts: &Facts,
    ) -> Result<ResultSet> {
        if facts.txn_control || self.txn.is_some() || !self.attrs.autocommit {
            self.pinned |= PIN_SETTING;
            return self.statement(req, facts);
        }
        let r = self.statement(req, facts)?;
        if r.server != Some(Server::Primary) {
            return Ok(r);
        }
        if let Some(p) = self.standby.as_mut() {
            for (range, f) in classify::statements(sql) {
                if f.kind != Kind::SetSession {
                    continue;
                }
                let text = &sql[range];
                let mut x = ResultSet::default();
                if let Err(e) = p.conn.run(Req::Simple(text), &mut x) {
                    log::warn!(
                        "the standby refused a setting ({}); session pinned to the primary",
                        e
                    );
                    self.pinned |= PIN_SETTING;
                    break;
                }
            }
        }
        Ok(r)
    }
}
