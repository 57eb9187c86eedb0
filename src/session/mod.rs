//! A logical session: owns the physical connections to the primary and the
//! standby, keeps the session's state (transaction, LSN floor, pins,
//! settings), asks `route` what to do with each statement, does it, and
//! records what came of it. It performs I/O; it decides nothing that
//! `route` decides.
//!
//! Layout: `connect` (opening, finding each server's role), `phys` (one
//! physical connection and pipelined requests), `txn` (the logical
//! transaction, BEGIN and COMMIT/ROLLBACK over both servers), `routing`
//! (the routing input, answering `route`'s questions, `explain`), `run`
//! (running a statement and recovering from failures as `route` says),
//! `settings` (session state on both servers), `failover` (losing and
//! regaining servers, following a promotion), `notify` (notices and
//! notifications).

use crate::attr::{Access, Scope};
use crate::balance;
use crate::catalog::Catalog;
use crate::classify::{self, Facts, Hint};
use crate::conninfo::{self, Attr, Attributes, Config, Isolation};
use crate::counters::Counter;
pub use crate::counters::{process_counters, Counters};
use crate::error::{Error, Result, Status};
use crate::floor::{self, Floor};
use crate::monitor::Monitor;
use crate::result::{ResultSet, Server};
use crate::route::{self, Action, Rule, Target};
use crate::wire::Req;
pub use crate::wire::{NoticeHandler, Notification};
use std::sync::Arc;
use std::time::Duration;

mod batch;
mod connect;
mod copy;

/// Hooks for pgtc's own tests, compiled only with the `test-hooks` feature.
/// Not part of the API.
#[cfg(feature = "test-hooks")]
#[doc(hidden)]
pub mod test_hooks {
    use std::cell::Cell;

    thread_local! {
        static LOSE_LSN: Cell<bool> = const { Cell::new(false) };
    }

    /// Make the next LSN read that rides after a statement on this thread
    /// come back empty, as when the connection breaks between the commit's
    /// answer and the LSN's.
    pub fn lose_next_lsn_read() {
        LOSE_LSN.with(|l| l.set(true));
    }

    pub(super) fn lsn_lost() -> bool {
        LOSE_LSN.with(|l| l.replace(false))
    }
}
mod failover;
mod notify;
mod phys;
mod reset;
mod routing;
mod run;
mod settings;
mod standbys;
mod stmt;
mod stream;
mod txn;

pub use crate::wire::{ColumnDesc, Values};
pub use batch::BATCH_SETS;
pub use copy::{CopyDirection, CopyInfo};
pub use stmt::Statement;
pub use stream::Stream;

use failover::Lost;
use phys::{Phys, Running};
use txn::{txn_lost, Txn};

/// Read after a commit completed: an LSN at or after the commit record.
const LSN_QUERY: &str = "SELECT pg_current_wal_insert_lsn()";

/// Where a statement would run and why (`Session::explain`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Where it would run now.
    pub server: Server,
    /// `Primary` when the statement (or the session's transaction or pins)
    /// requires the primary; `Both` when either server could run it.
    pub eligible: Server,
    /// One sentence naming the rule.
    pub reason: String,
}

pub struct Session {
    cfg: Config,
    attrs: Attributes,
    primary: Option<Phys>,
    /// The one standby connection the session holds (of any number of
    /// standbys), opened when a read first goes there.
    standby: Option<Phys>,
    /// Without a standby connection: the standby chosen to open one to.
    standby_pick: Option<Arc<balance::ServerStats>>,
    /// Standbys that could not be opened lately, skipped until their
    /// backoff passes.
    skipped: Vec<Lost>,
    /// The session counted on the standby its reads use (process-wide).
    home: Option<balance::Homed>,
    /// Where the last balanced read went: rule 7 stays there while the
    /// loads are close.
    last_balanced: Option<Target>,
    /// The newest timeline a primary connection of the session was on.
    last_timeline: u32,
    lost: Vec<Lost>,
    monitor: Option<Arc<Monitor>>,
    /// The cluster's catalog facts (with a monitor, i.e. for a server pair).
    catalog: Option<Arc<Catalog>>,
    txn: Option<Txn>,
    /// The session's own LSN floor: the newest commit LSN it recorded.
    floor: u64,
    /// Its cluster's floor in this process (CONSISTENCY_SCOPE=PROCESS),
    /// raised with every commit the session records; read on every
    /// routing decision through this reference (one atomic load).
    process_floor: Arc<Floor>,
    /// Balanced reads leave the standby out for its replay lag
    /// (MAX_STANDBY_LAG_MS), as last logged.
    lag_out: std::sync::atomic::AtomicBool,
    /// Why the session is pinned to the primary (`classify::PIN_*` bits);
    /// 0 when it is not.
    pinned: u8,
    default_isolation: Isolation,
    counters: Counters,
    /// Balanced (rule 7) decisions so far, and how many chose the primary
    /// (for PRIMARY_SHARE).
    balanced: (u64, u64),
    /// Round trips of connections this session has dropped.
    round_trips_before: u64,
    /// The standby's session settings lag the primary's (a setting ran on
    /// the primary only): brought up to date before the standby next
    /// serves the session.
    standby_stale: bool,
    /// The COPY running on one of the connections, if any.
    copy: Option<copy::Active>,
    /// The streams open on the connections.
    streams: stream::Streams,
    /// Where the servers' notices go (None: the log).
    notice: Option<NoticeHandler>,
    /// Which physical connections run a statement now (for `Canceller`).
    running: Arc<Running>,
    /// The statements of `prepare`.
    stmts: stmt::Registry,
    /// The session's settings as the primary had them when the standby
    /// last did not get a setting (`standby_stale`): what a primary
    /// connection made again is given, since the standby cannot tell.
    saved_settings: Option<Vec<(String, String)>>,
    /// `saved_settings` may be out of date (read again outside a
    /// transaction, see `refresh_saved_settings`).
    saved_dirty: bool,
    /// A write committed but the LSN read after it was lost with the
    /// connection: the floor is unknown (no standby read) until the
    /// primary's current LSN is read again (`settle_floor`).
    floor_pending: bool,
    /// Something since the last reset may have changed session state
    /// (`reset::free_of_session_effects`): a reset must clear it.
    dirty: bool,
    /// The standby connection (backend pid, round trips) at the last reset:
    /// it was touched since when either differs.
    standby_mark: (i32, u64),
    /// A statement that sets session state has run (a standby connection
    /// opened later must be given the settings; without any, nothing to
    /// copy).
    settings_made: bool,
}

/// Cancels what a session is running, from any thread: PostgreSQL's cancel
/// request to each server running one of its statements at that moment
/// (over TLS when that connection uses TLS). The statement then fails with
/// SQLSTATE 57014 and the session stays usable. With nothing running it
/// does nothing. Cheap to clone; it does not keep the session open.
#[derive(Clone)]
pub struct Canceller(Arc<Running>);

impl Canceller {
    /// Send the cancel requests; the first failure to reach a server is
    /// returned (after trying every server).
    pub fn cancel(&self) -> Result<()> {
        let mut first = None;
        for key in self.0.keys() {
            if let Err(e) = key.cancel() {
                log::warn!("{}", e);
                first.get_or_insert(e);
            }
        }
        first.map_or(Ok(()), Err)
    }
}

impl Session {
    /// Parse the connection string and open the session.
    pub fn open(conninfo: &str) -> Result<Session> {
        let cfg = conninfo::parse(conninfo)?;
        Session::connect(cfg)
    }

    /// Which servers this session can use: a connection that is open, not
    /// broken, and not reported down by the monitor; or, for a standby, one
    /// the session has no connection to yet but would open on the first
    /// read that goes there (eligible, and not failing to open lately; see
    /// "Several standbys" in the README).
    pub fn connected(&self) -> Server {
        let ok = |p: &Option<Phys>| p.as_ref().is_some_and(Phys::usable);
        let standby = match &self.standby {
            Some(_) => ok(&self.standby),
            None => self.standby_available(),
        };
        match (ok(&self.primary), standby) {
            (true, true) => Server::Both,
            (true, false) => Server::Primary,
            (false, true) => Server::Secondary,
            (false, false) => Server::None,
        }
    }

    /// Whether the session can still run statements on the primary, known
    /// without a request (one poll(2) per connection): what each server
    /// sent unasked is taken in, so a backend that was terminated has said
    /// so. ODBC's SQL_ATTR_CONNECTION_DEAD asks this.
    pub fn alive(&mut self) -> bool {
        self.idle_check()
    }

    /// A handle that cancels this session's running statement from
    /// another thread.
    pub fn canceller(&self) -> Canceller {
        Canceller(self.running.clone())
    }

    pub fn counters(&self) -> Counters {
        self.counters
    }

    /// Requests this session has sent to its servers (each one round trip;
    /// pipelined queries such as a COMMIT and the LSN read after it count
    /// once).
    pub fn round_trips(&self) -> u64 {
        self.round_trips_before
            + [&self.primary, &self.standby]
                .iter()
                .filter_map(|p| p.as_ref())
                .map(|p| p.conn.round_trips())
                .sum::<u64>()
    }

    fn count(&mut self, c: Counter) {
        self.counters.add(c);
    }

    /// Whether the session is pinned to the primary.
    pub fn pinned(&self) -> bool {
        self.pinned != 0
    }

    pub fn attributes(&self) -> Attributes {
        self.attrs
    }

    /// The LSN floor the session routes by (0 when none): under
    /// CONSISTENCY_SCOPE=PROCESS the newest commit LSN any session of the
    /// process recorded on this cluster (or raised with `raise_lsn_floor`),
    /// under SESSION the newest this session recorded.
    pub fn lsn_floor(&self) -> u64 {
        match self.attrs.consistency_scope {
            Scope::Process => self.floor.max(self.process_floor.lsn()),
            Scope::Session => self.floor,
        }
    }

    /// `lsn_floor` as PostgreSQL writes LSNs ("0/3015FF0"): a token a
    /// writer can hand to a reader on another connection or process.
    pub fn lsn_floor_text(&self) -> String {
        balance::format_lsn(self.lsn_floor())
    }

    /// The replay lag of the session's standby in milliseconds, as
    /// `MAX_STANDBY_LAG_MS` compares it: an upper bound on how long ago the
    /// oldest commit it may still lack became visible on the primary,
    /// measured from the monitor's samples (see the README, "Bounded
    /// staleness"). `Ok(None)` while it is not known (before the first
    /// samples, or behind every primary position the monitor keeps). An
    /// error (SQLSTATE 08003) when the session has no standby.
    pub fn standby_lag_ms(&self) -> Result<Option<u64>> {
        // The standby the session reads from (connected, or chosen to be
        // opened on the next read), else the first the monitor knows.
        let stats = self.standby_stats().or_else(|| {
            self.monitor.as_deref().and_then(|m| {
                m.servers()
                    .iter()
                    .find(|s| s.role() == balance::Role::Standby)
            })
        });
        match stats {
            Some(s) => Ok(s.lag_ms()),
            None => Err(Error::with_sqlstate(
                Status::InvalidState,
                "the connection has no standby, so there is no replay lag to report",
                "08003",
            )),
        }
    }

    /// Raise the LSN floor to `lsn` (text such as "0/3015FF0"); never lowers
    /// it. After this the session reads from the standby only once it has
    /// replayed `lsn`; under CONSISTENCY_SCOPE=PROCESS every session of the
    /// process on this cluster does.
    pub fn raise_lsn_floor(&mut self, lsn: &str) -> Result<()> {
        let v = balance::parse_lsn(lsn).ok_or_else(|| {
            Error::invalid_argument(format!(
                "{:?} is not an LSN (expected two hexadecimal numbers such as 0/3015FF0)",
                lsn.chars().take(40).collect::<String>()
            ))
        })?;
        self.floor = self.floor.max(v);
        if self.attrs.consistency_scope == Scope::Process {
            // Whatever timeline the writer was on: too high, never too low.
            self.process_floor.raise(v, 0);
        }
        Ok(())
    }

    pub fn in_transaction(&self) -> bool {
        self.txn.is_some()
    }

    /// The current value of one of pgtc's attributes, in its canonical
    /// spelling (e.g. "READ_MOSTLY", "ON", "1000").
    pub fn get_attr(&self, name: &str) -> Result<String> {
        self.attrs.get(name)
    }

    /// Set one of pgtc's attributes.
    pub fn set_attr(&mut self, name: &str, value: &str) -> Result<()> {
        match conninfo::parse_attr(name, value)? {
            Attr::PreferredAccess(a) => self.attrs.preferred_access = a,
            Attr::Autocommit(on) => {
                if on && !self.attrs.autocommit && self.txn.as_ref().is_some_and(|t| t.implicit) {
                    // As ODBC does: switching autocommit on commits the open transaction.
                    self.exec("COMMIT", None)?;
                }
                self.attrs.autocommit = on;
            }
            Attr::Consistency(c) => self.attrs.consistency = c,
            Attr::ConsistencyWaitMs(n) => self.attrs.consistency_wait_ms = n,
            Attr::PrimaryShare(n) => self.attrs.primary_share = n,
            Attr::MonitorIntervalMs(n) => {
                self.attrs.monitor_interval_ms = n;
                if let Some(m) = &self.monitor {
                    m.set_interval(Duration::from_millis(u64::from(n)));
                }
            }
            Attr::TxnIsolation(i) => {
                if self.txn.is_some() {
                    return Err(Error::new(
                        Status::InvalidState,
                        "cannot change TXN_ISOLATION inside a transaction",
                    ));
                }
                self.apply_isolation(i)?;
                self.attrs.txn_isolation = i;
            }
            Attr::StatementCache(n) => {
                self.attrs.statement_cache = n;
                self.limit_stmt_cache(n);
            }
            // Both take effect from the next statement's routing.
            Attr::ConsistencyScope(c) => self.attrs.consistency_scope = c,
            Attr::MaxStandbyLagMs(n) => self.attrs.max_standby_lag_ms = n,
            // From the next statement; a savepoint already sent stays
            // until the transaction ends.
            Attr::OnError(o) => self.attrs.on_error = o,
            // A pool's attributes: accepted, no effect on a session.
            a @ (Attr::PoolMax(_)
            | Attr::PoolMin(_)
            | Attr::PoolAcquireTimeoutMs(_)
            | Attr::PoolMaxLifetimeMs(_)
            | Attr::PoolIdleTimeoutMs(_)) => self.attrs.apply(a),
            Attr::ReadOnly(on) => {
                if self.txn.is_some() {
                    return Err(Error::with_sqlstate(
                        Status::InvalidState,
                        "cannot change READ_ONLY inside a transaction",
                        "25001",
                    ));
                }
                self.apply_read_only(on)?;
                self.attrs.read_only = on;
            }
        }
        Ok(())
    }

    /// Make transactions begin READ ONLY (or READ WRITE) on both servers,
    /// as `apply_isolation` does for the isolation level.
    fn apply_read_only(&mut self, on: bool) -> Result<()> {
        let sql = if on {
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"
        } else {
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE"
        };
        let autocommit = std::mem::replace(&mut self.attrs.autocommit, true);
        let r = self.exec(sql, None).map(|_| ());
        self.attrs.autocommit = autocommit;
        r
    }

    /// Make `i` the session's default isolation on both servers. Never
    /// inside a transaction (callers check), and never opening one, even
    /// with AUTOCOMMIT=OFF: it is a setting of pgtc's, not a statement of
    /// the application's.
    fn apply_isolation(&mut self, i: Isolation) -> Result<()> {
        let sql = format!(
            "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL {}",
            i.sql()
        );
        let autocommit = std::mem::replace(&mut self.attrs.autocommit, true);
        let r = self.exec(&sql, None).map(|_| ());
        self.attrs.autocommit = autocommit;
        r
    }

    /// READ_ONLY=ON holds until it is set OFF: when the primary reports
    /// that its transactions no longer begin read-only (a connection made
    /// again, `RESET ALL`, `DISCARD ALL`), apply it again before the next
    /// statement. Outside transactions only.
    fn keep_read_only(&mut self) {
        let drifted = self.attrs.read_only
            && self.txn.is_none()
            && self
                .primary
                .as_ref()
                .is_some_and(|p| p.usable() && !p.conn.default_transaction_read_only());
        if drifted {
            // Off while it runs, so that the SET itself does not check again.
            self.attrs.read_only = false;
            let r = self.apply_read_only(true);
            self.attrs.read_only = true;
            if let Err(e) = r {
                log::warn!("could not apply READ_ONLY=ON again: {}", e);
            }
        }
    }

    /// Run a statement (or several, for a simple query) with optional text
    /// parameters, as the routing rules say.
    pub fn exec(&mut self, sql: &str, params: Option<&[Option<&str>]>) -> Result<ResultSet> {
        match params {
            Some(p) => self.exec_typed(sql, &[], Values::Text(p), &[]),
            None => self.exec_req(sql, Req::Simple(sql)),
        }
    }

    /// Learn the floor from the LSN read after a committed write: `None`
    /// when that read was lost (the connection broke between the commit's
    /// answer and the LSN's), which leaves the floor unknown until
    /// `settle_floor` reads the primary's position again.
    pub(super) fn learn_floor(&mut self, lsn: Option<&str>) {
        match lsn.and_then(balance::parse_lsn) {
            Some(l) => self.record_floor(l),
            None => {
                log::warn!("the LSN after a committed write could not be read; no standby reads until the primary's position is known");
                self.floor_pending = true;
                // Whatever the scope: the write is the process's too.
                self.process_floor.mark_unknown();
            }
        }
    }

    /// Record a committed write at or before `lsn`: in the session's floor
    /// and in the process's (a session under SESSION scope records its
    /// writes there too, so sessions under PROCESS read them).
    pub(super) fn record_floor(&mut self, lsn: u64) {
        self.floor = self.floor.max(lsn);
        let timeline = self.primary.as_ref().map_or(0, |p| p.stats.timeline());
        self.process_floor.raise(lsn, timeline);
    }

    /// With the session's or the process's floor unknown, read the
    /// primary's current position (at or after every commit it
    /// acknowledged) once a primary connection is usable. Any session of
    /// the process settles the process's floor, so one that closed with its
    /// floor unknown does not keep the others off the standby.
    fn settle_floor(&mut self) {
        // Taken before the position is read: a commit whose LSN became
        // unknown after this is not settled by it.
        let ticket = self.process_floor.ticket();
        if !self.floor_pending && ticket.is_none() {
            return;
        }
        let Some(p) = self.primary.as_mut().filter(|p| p.usable()) else {
            return;
        };
        if let Ok(Some(v)) = p.conn.query_value(LSN_QUERY) {
            if let Some(l) = balance::parse_lsn(&v) {
                if self.floor_pending {
                    self.floor = self.floor.max(l);
                    self.floor_pending = false;
                }
                if let Some(t) = ticket {
                    if self.process_floor.settle(t, l) {
                        log::debug!("process LSN floor known again: {}", balance::format_lsn(l));
                    }
                }
            }
        }
    }

    /// The floor routing goes by (`u64::MAX` while it is unknown: none of
    /// the standby's positions): the session's own under
    /// CONSISTENCY_SCOPE=SESSION; with PROCESS, also the process's floor of
    /// the cluster, one atomic load.
    pub(super) fn effective_floor(&self) -> u64 {
        let own = if self.floor_pending {
            floor::UNKNOWN
        } else {
            self.floor
        };
        match self.attrs.consistency_scope {
            Scope::Process => own.max(self.process_floor.routing()),
            Scope::Session => own,
        }
    }

    /// What comes before every statement (exec, prepared or COPY): follow
    /// a promotion; outside a transaction, reach lost servers again, keep
    /// READ_ONLY, bring the standby's settings up to date once it has
    /// replayed the session's writes; learn an unknown floor; hand notices
    /// to the handler.
    pub(super) fn before_statement(&mut self, facts: &Facts) {
        if !reset::free_of_session_effects(facts) {
            self.dirty = true;
        }
        self.follow_topology();
        if self.txn.is_none() {
            self.maybe_reconnect();
            self.keep_read_only();
            let may_use_standby = self.attrs.preferred_access == Access::ReadMostly
                || facts.hint == Some(Hint::Standby);
            // Reads go to a standby under WRITE_MOSTLY too while there is
            // no usable primary.
            let no_primary = !self.primary.as_ref().is_some_and(Phys::usable);
            if may_use_standby || no_primary {
                self.choose_standby();
            }
            // Once the standby has replayed the session's last commit it
            // can take every setting the session made (roles it created…).
            let replayed = self
                .standby
                .as_ref()
                .is_some_and(|p| p.stats.replay_lsn() >= self.floor);
            // A failed bring-up pinned the session: try again only once
            // that pin is cleared (RESET ALL, DISCARD ALL).
            let settings_pinned = self.pinned & classify::PIN_SETTING != 0;
            if self.standby_stale && may_use_standby && replayed && !settings_pinned {
                self.sync_standby();
            }
            self.refresh_saved_settings();
        }
        // After a reconnect, so that a primary connection made just now
        // settles an unknown floor at once.
        self.settle_floor();
        self.sync_home();
        self.attach_notice_handler();
    }

    /// Run `req`, whose text is `sql`, as the routing rules say.
    fn exec_req(&mut self, sql: &str, req: Req<'_>) -> Result<ResultSet> {
        let facts = classify::classify_with(sql, self.lex_options());
        self.exec_classified(sql, req, &facts)
    }

    /// `exec_req` of a text whose `classify` facts are `facts`.
    fn exec_classified(&mut self, sql: &str, req: Req<'_>, facts: &Facts) -> Result<ResultSet> {
        if self.copy.is_some() {
            return Err(copy::copy_in_progress());
        }
        self.close_dropped_streams();
        self.before_statement(facts);
        let routed = self.route_to_run(sql, facts);
        self.exec_routed(sql, req, facts, &routed)
    }

    /// Run `req` where `routed` says (`before_statement` done).
    fn exec_routed(
        &mut self,
        sql: &str,
        req: Req<'_>,
        facts: &Facts,
        routed: &routing::Routed,
    ) -> Result<ResultSet> {
        let facts = *facts;
        let d = routed.decision;
        if d.action == Action::End {
            self.end_txn_streams();
        }
        self.pinned |= d.pin;
        if matches!(
            facts.kind,
            classify::Kind::Savepoint | classify::Kind::RollbackTo | classify::Kind::Release
        ) {
            self.bury_savepoints();
        }
        let r = match d.action {
            Action::Run => self.statement(routed, req, sql, &facts),
            Action::RunThenSettings => self.statement_with_settings(routed, req, sql, &facts),
            Action::Begin => self.begin(req, &facts),
            Action::End => self.end_txn(req, &facts),
            Action::Everywhere => self.set_session(req, &facts, true),
            Action::SetOnPrimary => self.set_session(req, &facts, false),
            Action::InBothParts => self.in_both_parts(req),
            Action::Cursor => self.cursor_statement(d.target, req, sql),
            Action::Ask => self.ask(d.target, req),
            Action::Answer => Ok(match d.rule {
                Rule::AlreadyInTxn => self.begin_nested(),
                Rule::BeginDeferred => self.begin_deferred(&facts),
                _ => self.end_answered(&facts),
            }),
            Action::Refuse => Err(txn_lost()),
        };
        if facts.session_state {
            // Even when it failed: a text of several statements may have
            // set something before the one that failed.
            self.settings_made = true;
        }
        if let Ok(r) = &r {
            if facts.session_state && d.action == Action::Run && r.server == Some(Server::Primary) {
                // Settings among several statements, run on the primary only.
                self.standby_stale = true;
                self.saved_dirty = true;
            }
            match r.server {
                Some(Server::Primary) => self.count(Counter::Primary),
                Some(Server::Secondary) => self.count(Counter::Secondary),
                Some(Server::Both) => self.count(Counter::Both),
                _ => {}
            }
            self.note_effects(&facts);
        }
        r
    }

    /// What a statement that succeeded changes beyond its transaction:
    /// pins, unpins and cached catalog facts.
    fn note_effects(&mut self, facts: &Facts) {
        if facts.pins != 0 && self.pinned & facts.pins != facts.pins {
            log::debug!(
                "session pinned to the primary (reasons {:#04x})",
                facts.pins
            );
            self.pinned |= facts.pins;
        }
        // `CLOSE ALL` closed the transaction's cursors, wherever they were.
        if facts.unpins & classify::PIN_HOLD_CURSOR != 0 {
            if let Some(t) = self.txn.as_mut() {
                t.cursors.clear();
            }
        }
        if facts.unpins != 0 && self.txn.is_none() && self.pinned != 0 {
            self.pinned &= !facts.unpins;
            log::debug!("session pins now {:#04x}", self.pinned);
        }
        if facts.ddl {
            if let Some(c) = &self.catalog {
                c.invalidate();
            }
            crate::wire::schema_changed();
            if let Some(t) = self.txn.as_mut() {
                t.ran_ddl = true;
            }
        }
    }

    /// AUTOCOMMIT=OFF: open the transaction this statement begins.
    fn implicit_txn(&mut self, facts: &Facts) {
        if self.txn.is_none() && route::opens_txn(self.attrs.autocommit, facts) {
            let mut t = Txn::new(self.default_isolation, true);
            t.read_only = self.default_read_only();
            self.txn = Some(t);
        }
    }

    /// How the servers read this session's SQL text: their
    /// `standard_conforming_strings` as the primary (else the standby) last
    /// reported it; the settings are mirrored, so both read it alike.
    fn lex_options(&self) -> classify::Options {
        let conn = self.primary.as_ref().or(self.standby.as_ref());
        classify::Options {
            standard_conforming_strings: conn.is_none_or(|p| p.conn.standard_conforming_strings()),
        }
    }

    fn slot(&mut self, target: Target) -> &mut Option<Phys> {
        match target {
            Target::Primary => &mut self.primary,
            Target::Standby => &mut self.standby,
        }
    }

    /// The connection to `target`, or the error a statement gets without one.
    fn phys(&mut self, target: Target) -> Result<&mut Phys> {
        let notice = self.notice.clone();
        let p = self.slot(target).as_mut().ok_or_else(|| {
            let (status, what) = match target {
                Target::Primary => (Status::NoPrimary, "primary"),
                Target::Standby => (Status::ConnectionLost, "standby"),
            };
            Error::with_sqlstate(
                status,
                format!("no connection to the {} is open", what),
                "08003",
            )
        })?;
        p.conn.set_notice_handler(notice.as_ref(), target.server());
        Ok(p)
    }
}
