//! Deciding where a statement runs: the routing input from the session's
//! state, the catalog checks for reads that would go to the standby, and
//! `explain`.

use super::*;

impl Session {
    /// Routing input for `facts`, as if the statement were about to run
    /// (the transaction it would join or open is taken into account).
    pub(super) fn input(&self, facts: &Facts) -> Input {
        let read_only = facts.read_only;
        let opens_txn = self.txn.is_none() && self.starts_implicit_txn(facts);
        let joins_txn = self.txn.is_some() || opens_txn;
        let writes_in_txn = joins_txn && !read_only && facts.kind != Kind::SetTransaction;
        let usable = |p: &Option<Phys>| p.as_ref().is_some_and(|p| !p.conn.is_broken());
        let standby_stats = self.standby.as_ref().map(|p| &p.stats);
        Input {
            access: self.attrs.preferred_access,
            primary_usable: usable(&self.primary),
            standby_usable: usable(&self.standby) && standby_stats.is_some_and(|s| s.healthy()),
            pinned: self.pinned != 0,
            txn_on_primary: self.txn.as_ref().is_some_and(|t| t.on_primary) || writes_in_txn,
            txn_failed_on: self.txn.as_ref().and_then(|t| t.failed),
            isolation: match (&self.txn, facts.kind, facts.isolation) {
                (Some(_), Kind::SetTransaction, Some(i)) => i,
                (Some(t), _, _) => t.isolation,
                (None, _, _) => self.default_isolation,
            },
            read_only,
            blocked: None,
            hint: facts.hint,
            floor: self.floor,
            standby_replay: standby_stats.map_or(0, |s| s.replay_lsn()),
            primary_load: self
                .primary
                .as_ref()
                .map(|p| p.stats.load())
                .unwrap_or_default(),
            standby_load: standby_stats.map(|s| s.load()).unwrap_or_default(),
        }
    }

    /// Decide where a statement goes: the rules, and for a statement that
    /// would go to the standby, the catalog checks (functions, unlogged
    /// relations, texts refused before). `check_always` runs the checks
    /// whenever rules 3–5 leave the statement eligible (for `explain`).
    pub(super) fn decide(
        &self,
        sql: &str,
        facts: &Facts,
        check_always: bool,
    ) -> (Decision, Input, String) {
        let mut input = self.input(facts);
        let mut d = route::decide(&input);
        let check = if check_always {
            facts.read_only && !d.primary_required()
        } else {
            d.target == Target::Standby
        };
        let mut detail = String::new();
        if check {
            if let Some((b, what)) = self.standby_blocker(sql, facts) {
                input.blocked = Some(b);
                detail = what;
                d = route::decide(&input);
            }
        }
        if d.rule == Rule::Balanced && d.target == Target::Primary {
            // PRIMARY_SHARE caps the share of balanced reads on the primary.
            let (total, on_primary) = self.balanced;
            let share = u64::from(self.attrs.primary_share);
            if (on_primary + 1) * 100 > share * (total + 1) {
                d = Decision {
                    target: Target::Standby,
                    rule: Rule::ShareCap,
                };
            }
        }
        (d, input, detail)
    }

    /// Why this read-only-looking text may still not run on the standby.
    pub(super) fn standby_blocker(&self, sql: &str, facts: &Facts) -> Option<(Blocked, String)> {
        let cat = self.monitor.as_ref()?.catalog();
        if cat.was_refused(sql) {
            return Some((Blocked::Refused, String::new()));
        }
        if facts.calls {
            let mut calls: Vec<(Option<String>, String)> = Vec::new();
            classify::function_calls(sql, |f| {
                let schema = f
                    .schema
                    .map(|s| catalog::fold(s, f.schema_quoted).into_owned());
                calls.push((schema, catalog::fold(f.name, f.quoted).into_owned()));
            });
            for (schema, name) in &calls {
                let shown = match schema {
                    Some(s) => format!("{}.{}()", s, name),
                    None => format!("{}()", name),
                };
                match cat.is_volatile(schema.as_deref(), name) {
                    Ok(false) => {}
                    Ok(true) => return Some((Blocked::VolatileFunction, shown)),
                    Err(e) => return Some((Blocked::Unverified, format!("{}: {}", shown, e))),
                }
            }
        }
        if cat.unlogged_stale() {
            if let Err(e) = cat.refresh_unlogged() {
                log::debug!("catalog: cannot refresh unlogged relations: {}", e);
            }
        }
        if cat.has_unlogged() {
            let mut hit: Option<String> = None;
            classify::identifiers(sql, |name, quoted| {
                if hit.is_none() && cat.is_unlogged(&catalog::fold(name, quoted)) {
                    hit = Some(name.to_string());
                }
            });
            if let Some(name) = hit {
                return Some((Blocked::Unlogged, name));
            }
        }
        None
    }

    /// Where `sql` would run now and why. Runs nothing and changes no
    /// session state (it may look up a function's volatility in the
    /// catalog, which is cached for the process).
    pub fn explain(&self, sql: &str) -> Route {
        let facts = classify::classify(sql);
        let both_open = self.primary.is_some() && self.standby.is_some();
        let fixed = |server: Server, reason: &str| Route {
            server,
            eligible: server,
            reason: reason.to_string(),
        };
        match facts.kind {
            Kind::Begin if self.txn.is_none() => {
                return fixed(
                    Server::Primary,
                    "BEGIN runs on the primary at once; the standby joins with the transaction's first read",
                )
            }
            Kind::Commit | Kind::Rollback => {
                let parts = (
                    self.primary.as_ref().is_some_and(|p| p.in_txn),
                    self.standby.as_ref().is_some_and(|p| p.in_txn),
                );
                let server = match parts {
                    (true, true) => Server::Both,
                    (true, false) => Server::Primary,
                    (false, true) => Server::Secondary,
                    (false, false) => Server::None,
                };
                return fixed(server, "ends the transaction on every server it touched");
            }
            Kind::SetSession => {
                return Route {
                    server: if both_open { Server::Both } else { Server::Primary },
                    eligible: Server::Both,
                    reason: "session state: runs on the primary, then on the standby, so both have the same settings".into(),
                }
            }
            _ => {}
        }
        let (d, input, detail) = self.decide(sql, &facts, true);
        let server = match d.target {
            Target::Primary => Server::Primary,
            Target::Standby => Server::Secondary,
        };
        Route {
            server,
            eligible: if d.primary_required() {
                Server::Primary
            } else {
                Server::Both
            },
            reason: d.reason(&input, &detail),
        }
    }

    /// Whether AUTOCOMMIT=OFF opens a transaction for this statement (not
    /// for transaction control itself, nor for statements PostgreSQL refuses
    /// inside a transaction block, such as VACUUM).
    pub(super) fn starts_implicit_txn(&self, facts: &Facts) -> bool {
        !self.attrs.autocommit
            && !facts.no_txn_block
            && !matches!(
                facts.kind,
                Kind::Empty | Kind::TwoPhase | Kind::Begin | Kind::Commit | Kind::Rollback
            )
    }
}
