//! Losing and regaining servers: dropping a broken connection, reaching
//! lost servers again (with backoff, or at once when the monitor sees them
//! back), copying the session's settings onto a new connection, and
//! following a promotion to the new primary.

use super::*;

impl Session {
    pub(super) fn drop_server(&mut self, target: Target) {
        let slot = match target {
            Target::Primary => &mut self.primary,
            Target::Standby => &mut self.standby,
        };
        if let Some(p) = slot.take() {
            log::warn!("lost the connection to {}", show_addr(p.conn.addr()));
            self.lost.push(p.conn.addr().clone());
            if target == Target::Primary {
                if let Some(t) = self.txn.as_mut() {
                    t.lost = true;
                    if let Some(s) = self.standby.as_mut() {
                        let mut r = ResultSet::default();
                        let _ = s.conn.run(Req::Simple("ROLLBACK"), &mut r);
                        s.in_txn = false;
                    }
                }
            } else if let Some(t) = self.txn.as_mut() {
                if t.failed == Some(Target::Standby) {
                    t.failed = None;
                }
            }
        }
    }

    /// Copy the settings made in this session (everything `pg_settings`
    /// reports with source `session`: SET, SET ROLE, SET SESSION
    /// CHARACTERISTICS, …) from a connection that survived onto `to`.
    pub(super) fn copy_settings_to(&mut self, to: &mut Conn) -> Result<()> {
        let from = match (self.primary.as_mut(), self.standby.as_mut()) {
            (Some(p), _) => p,
            (None, Some(s)) => s,
            (None, None) => return Ok(()),
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

    /// Try to reach servers lost earlier, with exponential backoff; settings
    /// made in this session are re-applied on a new connection.
    pub(super) fn maybe_reconnect(&mut self) {
        if self.lost.is_empty() || Instant::now() < self.retry_at {
            return;
        }
        let mut cfg = self.cfg.clone();
        let cap = Duration::from_secs(2);
        cfg.connect_timeout = Some(cfg.connect_timeout.map_or(cap, |t| t.min(cap)));
        let mut still = Vec::new();
        for addr in std::mem::take(&mut self.lost) {
            match connect_one(&addr, &cfg) {
                Ok(mut f) => {
                    let ok = match self.copy_settings_to(&mut f.conn) {
                        Ok(()) => true,
                        Err(e) => {
                            log::warn!(
                                "re-applying the session's settings on {} failed: {}",
                                show_addr(&addr),
                                e
                            );
                            false
                        }
                    };
                    let slot_free = if f.standby {
                        self.standby.is_none()
                    } else {
                        self.primary.is_none()
                    };
                    if ok && slot_free {
                        log::info!("reconnected to {}", show_addr(&addr));
                        if let Err(e) = self.place(f) {
                            log::warn!("{}", e);
                            still.push(addr);
                        }
                    } else {
                        still.push(addr);
                    }
                }
                Err(_) => still.push(addr),
            }
        }
        self.lost = still;
        if self.lost.is_empty() {
            self.backoff = Duration::from_millis(250);
        } else {
            self.retry_at = Instant::now() + self.backoff;
            self.backoff = (self.backoff * 2).min(MAX_BACKOFF);
        }
    }
}
