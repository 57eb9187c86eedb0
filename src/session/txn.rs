//! Transactions that span two servers: BEGIN on the primary at once (the
//! standby joins lazily), and COMMIT/ROLLBACK on every server the
//! transaction touched, with the LSN read after a writing commit.

use super::*;

impl Session {
    pub(super) fn begin(&mut self, req: Req<'_>, facts: &Facts) -> Result<ResultSet> {
        if self.txn.is_some() {
            // PostgreSQL answers a nested BEGIN with a warning; so does pgtc.
            log::warn!("there is already a transaction in progress");
            return Ok(ResultSet::with_tag("BEGIN"));
        }
        let txn = Txn {
            isolation: facts.isolation.unwrap_or(self.default_isolation),
            on_primary: false,
            failed: None,
            implicit: false,
            lost: false,
        };
        if self.primary.is_none() {
            // Degraded to the standby: begin there lazily with the first statement.
            self.txn = Some(txn);
            let mut r = ResultSet::with_tag("BEGIN");
            r.server = Some(Server::None);
            return Ok(r);
        }
        // BEGIN runs at once on the primary so that errors in its text show
        // here; the standby joins lazily with the first read.
        let ran = self.run_on(Target::Primary, req, None)?;
        if ran.res.is_ok() && ran.tx_after != TxStatus::Idle {
            self.txn = Some(txn);
            if let Some(p) = self.primary.as_mut() {
                p.in_txn = true;
            }
        }
        if self.primary.as_ref().is_some_and(|p| p.conn.is_broken()) {
            self.drop_server(Target::Primary);
        }
        ran.res.map(|_| ran.out)
    }

    pub(super) fn end_txn(&mut self, req: Req<'_>, facts: &Facts) -> Result<ResultSet> {
        let Some(t) = self.txn.take() else {
            // No transaction: PostgreSQL warns and does nothing.
            let mut r = ResultSet::with_tag(if facts.kind == Kind::Commit {
                "COMMIT"
            } else {
                "ROLLBACK"
            });
            r.server = Some(Server::None);
            return Ok(r);
        };
        let commit = facts.kind == Kind::Commit;
        if t.lost {
            for target in [Target::Primary, Target::Standby] {
                if let Ok(p) = self.phys(target) {
                    if p.in_txn {
                        let mut r = ResultSet::default();
                        let _ = p.conn.run(Req::Simple("ROLLBACK"), &mut r);
                        p.in_txn = false;
                    }
                }
            }
            if commit {
                return Err(txn_lost());
            }
            let mut r = ResultSet::with_tag("ROLLBACK");
            r.server = Some(Server::None);
            return Ok(r);
        }
        let want_lsn = commit && t.on_primary && t.failed.is_none();
        let mut sent = [false, false];
        let mut results: [Option<Result<ResultSet>>; 2] = [None, None];
        for (i, target) in [Target::Primary, Target::Standby].into_iter().enumerate() {
            let Ok(p) = self.phys(target) else { continue };
            if !p.in_txn {
                continue;
            }
            let this = if commit && t.failed.is_some() && t.failed != Some(target) {
                Req::Simple("ROLLBACK")
            } else {
                req
            };
            let r = p.conn.send(this).and_then(|_| {
                if want_lsn && target == Target::Primary {
                    p.conn.send(Req::Simple(LSN_QUERY))?;
                }
                p.conn.flush()
            });
            match r {
                Ok(()) => sent[i] = true,
                Err(e) => results[i] = Some(Err(e)),
            }
        }
        for (i, target) in [Target::Primary, Target::Standby].into_iter().enumerate() {
            if !sent[i] {
                continue;
            }
            let mut floor = self.floor;
            let Ok(p) = self.phys(target) else { continue };
            let mut out = ResultSet::default();
            let r = p.conn.recv(&mut out);
            let tx_after = p.conn.tx_status();
            if want_lsn && target == Target::Primary && !p.conn.is_broken() {
                let mut x = ResultSet::default();
                if p.conn.recv(&mut x).is_ok() && r.is_ok() && tx_after == TxStatus::Idle {
                    if let Some(lsn) = x.value(0, 0).and_then(parse_lsn) {
                        floor = floor.max(lsn);
                    }
                }
            }
            p.in_txn = tx_after != TxStatus::Idle;
            self.floor = floor;
            out.server = Some(if i == 0 {
                Server::Primary
            } else {
                Server::Secondary
            });
            results[i] = Some(r.map(|_| out));
        }
        for target in [Target::Primary, Target::Standby] {
            if self.phys(target).is_ok_and(|p| p.conn.is_broken()) {
                self.drop_server(target);
            }
        }
        if facts.chain {
            // COMMIT/ROLLBACK AND CHAIN: a new transaction with the same modes.
            self.txn = Some(Txn {
                on_primary: false,
                failed: None,
                ..t
            });
        }
        let [rp, rs] = results;
        let both = rp.is_some() && rs.is_some();
        let chosen = match (rp, rs) {
            (Some(p), Some(s)) => {
                if let Err(e) = &s {
                    log::warn!("ending the standby's part of the transaction failed: {}", e);
                }
                p
            }
            (Some(p), None) => p,
            (None, Some(s)) => s,
            (None, None) => {
                let mut r = ResultSet::with_tag(if commit { "COMMIT" } else { "ROLLBACK" });
                r.server = Some(Server::None);
                Ok(r)
            }
        };
        let chosen = match chosen {
            // The primary went away under COMMIT: nobody can say whether it
            // committed. Under ROLLBACK: the server rolls back anyway.
            Err(e) if e.status == Status::ConnectionLost && commit => Err(Error::with_sqlstate(
                Status::ConnectionSwitched,
                format!(
                    "{}; the connection broke while COMMIT was in flight, so the transaction may or may not have committed",
                    e.message
                ),
                "08007",
            )),
            Err(e) if e.status == Status::ConnectionLost => {
                let mut r = ResultSet::with_tag("ROLLBACK");
                r.server = Some(Server::None);
                Ok(r)
            }
            other => other,
        };
        chosen.map(|mut r| {
            if both {
                r.server = Some(Server::Both);
            }
            r
        })
    }
}
