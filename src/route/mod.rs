//! Routing: the only place where pgtc's rules are decided. The session's
//! state + the statement's facts + catalog facts + what the balancer knows
//! → what to do with the statement, where, and the rule that decided it.
//!
//! Pure: no I/O, no allocation (the reason sentence is built only when
//! asked for). When a rule needs a fact that costs I/O to learn — the
//! catalog's view of the functions and relations a read names, or the
//! standby catching up under `CONSISTENCY=WAIT` — `decide` returns a
//! question (`Step::CheckCatalog`, `Step::WaitForReplay`) instead of a
//! guess; the session finds the answer, puts it in the input and asks
//! again. What to do after a statement failed (the safety net, reads
//! re-run after a lost connection) is decided here too (`recover`).

use crate::attr::{Access, Consistency, Isolation};
use crate::balance::{format_lsn, Load};
pub use crate::catalog::Blocked;
use crate::classify::{Facts, Hint, Kind, PIN_SETTING};
use crate::result::Server;

mod recover;
#[cfg(test)]
mod tests;

pub use recover::{recover, Failure, Recovery};

/// A physical connection of the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Primary,
    Standby,
}

impl Target {
    /// The other server of the pair.
    pub fn other(self) -> Target {
        match self {
            Target::Primary => Target::Standby,
            Target::Standby => Target::Primary,
        }
    }

    pub fn server(self) -> Server {
        match self {
            Target::Primary => Server::Primary,
            Target::Standby => Server::Secondary,
        }
    }
}

/// What the catalog says about a read that might go to the standby.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogFacts {
    /// Not looked up yet: `decide` asks for it (`Step::CheckCatalog`) when
    /// the answer matters.
    Unchecked,
    /// Looked up (or nothing to look up): what keeps it off the standby.
    Checked(Option<Blocked>),
}

/// What a statement does with a cursor of the open transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CursorUse {
    /// Nothing (or a cursor pgtc does not know: the rules decide).
    None,
    /// `DECLARE … CURSOR FOR` a plain read, without `WITH HOLD`.
    DeclareRead,
    /// `FETCH`, `MOVE` or `CLOSE` of a cursor declared on this server.
    Declared(Target),
    /// `CLOSE ALL` while a cursor of the transaction is open on the standby.
    CloseAll,
}

/// How the session handles a text, before any server is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// One statement or several, run where the rules say.
    Statement,
    /// `BEGIN` / `START TRANSACTION`.
    Begin,
    /// `COMMIT` / `ROLLBACK` (not `ROLLBACK TO`).
    End,
    /// `SET`, `RESET`, `DISCARD`, `SET SESSION CHARACTERISTICS`.
    SessionState,
    /// Several statements, some of them session settings.
    MultiWithSettings,
    /// State of the transaction that a hot standby accepts too: `SAVEPOINT`,
    /// `RELEASE`, `ROLLBACK TO` (`recovers`), `SET LOCAL`, `SET
    /// CONSTRAINTS`, `LOCK … IN ACCESS SHARE MODE`. `refers`: it names a
    /// savepoint made before (`RELEASE`, `ROLLBACK TO`); `recovers`: it
    /// may end a failure (`ROLLBACK TO`).
    TxnState { refers: bool, recovers: bool },
    /// `PREPARE TRANSACTION`: ends the transaction block where it runs.
    Prepare,
}

impl Class {
    pub fn of(facts: &Facts) -> Class {
        match facts.kind {
            Kind::Begin => Class::Begin,
            Kind::TwoPhase if facts.prepare_txn => Class::Prepare,
            Kind::Commit | Kind::Rollback => Class::End,
            Kind::SetSession => Class::SessionState,
            Kind::Multi if facts.session_state => Class::MultiWithSettings,
            Kind::Savepoint | Kind::SetLocal => Class::TxnState {
                refers: false,
                recovers: false,
            },
            Kind::Release => Class::TxnState {
                refers: true,
                recovers: false,
            },
            Kind::RollbackTo => Class::TxnState {
                refers: true,
                recovers: true,
            },
            Kind::Write if facts.share_lock => Class::TxnState {
                refers: false,
                recovers: false,
            },
            _ => Class::Statement,
        }
    }
}

/// What the session does with the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Run it on `Decision::target`.
    Run,
    /// Run it on `Decision::target`; then, if it ran on the primary, run its
    /// session settings on the standby too.
    RunThenSettings,
    /// BEGIN on the primary now; the standby joins with the first read.
    Begin,
    /// End the transaction on every server it touched.
    End,
    /// Run it on the primary, then on the standby.
    Everywhere,
    /// Transaction state on the transaction's part on the primary, then
    /// on its part on the standby (which joins for it), so that both parts
    /// agree and the transaction's reads may stay on the standby.
    InBothParts,
    /// A setting run on the primary only; the standby is brought up to
    /// date before it next serves the session.
    SetOnPrimary,
    /// Declare a cursor over a read on `Decision::target`, or use one
    /// declared there, without moving the transaction.
    Cursor,
    /// Send it to `Decision::target` for the server's own answer (its
    /// warning or error), leaving the logical transaction as the server
    /// reports it: transaction control that does not begin or end one.
    Ask,
    /// Nothing to send: a BEGIN with no primary to run it on yet (the
    /// transaction begins with its first statement), or transaction
    /// control with no server to ask.
    Answer,
    /// Refuse it: the transaction was lost with the primary's connection.
    Refuse,
}

/// The rule that decided (numbered as in the README's routing rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// 0: a `/* pgtc:primary */` hint.
    HintPrimary,
    /// 0: a `/* pgtc:standby */` hint, where rules 2–6 allow the standby.
    HintStandby,
    /// 1: PREFERRED_ACCESS is not READ_MOSTLY.
    WriteMostly,
    /// 2: no healthy standby connection.
    NoStandby,
    /// 2: the standby does not have the session's settings yet.
    SettingsBehind,
    /// 2 (reverse): no primary connection; a read-only statement may use the standby.
    NoPrimary,
    /// 3: the session holds state that lives only on the primary.
    SessionPinned,
    /// 3: the transaction wrote, locked, made a cursor or savepoint or SET LOCAL.
    TxnOnPrimary,
    /// 3: the transaction failed on this server; it answers until ROLLBACK.
    TxnFailed,
    /// 3: the primary's connection broke inside the transaction.
    TxnLost,
    /// 4: isolation above READ COMMITTED.
    Isolation,
    /// 5: the statement is not provably read-only.
    NotReadOnly,
    /// 5: the statement looks read-only but may not run on a standby.
    NotStandbySafe(Blocked),
    /// 5: the statement's answer depends on the server that gives it (node
    /// identity: recovery state, backend pid, statistics, settings that
    /// differ, …); the primary's is the one meant.
    NodeIdentity,
    /// 5: it reads the transaction's time, which the primary's part of the
    /// transaction (where it began) gives.
    TxnTime,
    /// 6: the standby has not replayed the session's last commit yet.
    LsnFloor,
    /// 7: the standby's replay lag may exceed MAX_STANDBY_LAG_MS (or is
    /// not known): it is left out of balanced reads.
    StandbyLagging,
    /// 7: the less loaded server.
    Balanced,
    /// 7: the primary was less loaded, but PRIMARY_SHARE caps its share of
    /// balanced reads.
    ShareCap,
    /// Transactions: BEGIN runs on the primary at once.
    Begin,
    /// Transactions: no primary; the transaction begins with its first statement.
    BeginDeferred,
    /// Transactions: BEGIN inside a transaction (PostgreSQL warns).
    AlreadyInTxn,
    /// Transactions: COMMIT/ROLLBACK on every server the transaction touched.
    TxnEnd,
    /// Transactions: COMMIT/ROLLBACK without a transaction (PostgreSQL warns).
    NoTxn,
    /// Session state on both servers.
    SessionState,
    /// Session state on the primary now, on the standby later.
    SessionStateLater,
    /// 3: transaction state the standby accepts: both parts of the
    /// transaction get it, and its reads stay where they run.
    TxnFollows,
    /// 3: a cursor is used on the server that declared it.
    CursorHome,
    /// 3: the transaction's isolation is set after it ran a query on the
    /// standby: the standby answers.
    AfterQuery,
}

/// What routing looks at.
#[derive(Debug, Clone, Copy)]
pub struct Input {
    pub class: Class,
    pub access: Access,
    pub primary_usable: bool,
    pub standby_usable: bool,
    /// A connection to each server is open (usable or not).
    pub primary_open: bool,
    pub standby_open: bool,
    pub pinned: bool,
    /// The standby's session settings lag the primary's.
    pub standby_stale: bool,
    /// What the statement does with a cursor of the open transaction.
    pub cursor: CursorUse,
    /// `SET TRANSACTION ISOLATION LEVEL …` or `… READ WRITE` in a
    /// transaction that has run a query on the standby but none on the
    /// primary yet.
    pub txn_mode_after_standby_query: bool,
    /// A logical transaction is open.
    pub in_txn: bool,
    /// The open transaction has a transaction block on the primary / the standby.
    pub txn_on: [bool; 2],
    /// Rule 3 applies to the open transaction (or the one the statement opens).
    pub txn_on_primary: bool,
    /// The open transaction failed on this server.
    pub txn_failed_on: Option<Target>,
    /// The primary's connection broke inside the open transaction.
    pub txn_lost: bool,
    /// Effective isolation of the statement's transaction.
    pub isolation: Isolation,
    /// AUTOCOMMIT is on.
    pub autocommit: bool,
    /// The statement (all of it) is provably read-only.
    pub read_only: bool,
    /// Its answer depends on the server that gives it (`Facts::node_identity`).
    pub node_identity: bool,
    /// … and only because it reads the session's cursors (`Facts::cursor_list`).
    pub cursor_list: bool,
    /// Every open cursor of the session was declared on the standby (by the
    /// open transaction, which has not moved to the primary since).
    pub cursors_on_standby: bool,
    /// It reads the transaction's time (`Facts::txn_time`) inside a
    /// transaction block (open, or opened by the statement).
    pub txn_time: bool,
    /// The text contains transaction control.
    pub txn_control: bool,
    /// What the catalog says about it.
    pub catalog: CatalogFacts,
    /// Look the catalog up whenever rules 1–5 leave the statement eligible
    /// for the standby, not only when it would go there (for `explain`).
    pub catalog_always: bool,
    /// The statement's routing hint.
    pub hint: Option<Hint>,
    /// The LSN floor the session routes by (0 = none), and whether it is
    /// the process's (CONSISTENCY_SCOPE=PROCESS) rather than the session's.
    pub floor: u64,
    pub process_floor: bool,
    /// The standby's replay LSN as last sampled (0 = unknown).
    pub standby_replay: u64,
    /// MAX_STANDBY_LAG_MS (0: no bound), and the standby's replay lag in
    /// milliseconds (`ServerStats::lag_ms`; None = unknown; only looked
    /// up when there is a bound).
    pub max_standby_lag_ms: u32,
    pub standby_lag_ms: Option<u64>,
    /// CONSISTENCY, and whether waiting for the standby is still possible
    /// (false once waited, and for `explain`, which never blocks).
    pub consistency: Consistency,
    pub may_wait: bool,
    pub consistency_wait_ms: u32,
    /// PRIMARY_SHARE, and the session's balanced decisions so far (all,
    /// and those that chose the primary).
    pub primary_share: u8,
    pub balanced: (u64, u64),
    pub primary_load: Load,
    pub standby_load: Load,
    /// Where the session's balanced reads went last (its home; None before
    /// the first): rule 7 stays there while the loads are close.
    pub last: Option<Target>,
    /// HOST_WEIGHTS of the primary and of the session's standby.
    pub weights: [u32; 2],
}

/// What to do, where, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub action: Action,
    /// Where the statement runs (for `Run`; the primary for the others).
    pub target: Target,
    pub rule: Rule,
    /// Pins (`classify::PIN_*`) the session takes before running it.
    pub pin: u8,
}

/// One step of deciding: a decision, or a fact to find out first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Go(Decision),
    /// Ask the catalog about the statement, set `Input::catalog`, decide again.
    CheckCatalog,
    /// Wait up to this many milliseconds for the standby to replay the
    /// floor, refresh `standby_replay`, clear `may_wait`, decide again.
    WaitForReplay(u32),
}

/// Apply the rules in order; the first that applies decides.
pub fn decide(i: &Input) -> Step {
    let act = |action, rule| {
        Step::Go(Decision {
            action,
            target: Target::Primary,
            rule,
            pin: 0,
        })
    };
    match i.class {
        // Inside a transaction, BEGIN is the server's to answer (a warning,
        // or 25P02 where the transaction failed); so is COMMIT/ROLLBACK
        // without one (a warning, or 25P01 for AND CHAIN).
        Class::Begin if i.in_txn => ask(i, i.txn_failed_on, Rule::AlreadyInTxn),
        Class::Begin if !i.primary_open => act(Action::Answer, Rule::BeginDeferred),
        Class::Begin => act(Action::Begin, Rule::Begin),
        Class::End if !i.in_txn => ask(i, None, Rule::NoTxn),
        Class::End => act(Action::End, Rule::TxnEnd),
        // Under READ_MOSTLY and outside a transaction, settings are mirrored
        // at once. Otherwise the standby gets them later: WRITE_MOSTLY sends
        // it nothing on the session's behalf, and inside a transaction it
        // may not be able to apply them yet (SET ROLE to a role the
        // transaction created); the transaction then stays on the primary.
        Class::SessionState if i.primary_open && (i.access != Access::ReadMostly || i.in_txn) => {
            act(Action::SetOnPrimary, Rule::SessionStateLater)
        }
        Class::SessionState => act(Action::Everywhere, Rule::SessionState),
        Class::Statement | Class::MultiWithSettings | Class::Prepare if i.txn_lost => {
            act(Action::Refuse, Rule::TxnLost)
        }
        Class::MultiWithSettings if i.txn_control || i.in_txn || !i.autocommit => {
            // pgtc cannot tell which of the settings survive the text's
            // transaction: pin the session to the primary instead.
            let pinned = Input { pinned: true, ..*i };
            statement(&pinned).map(|d| Decision {
                pin: PIN_SETTING,
                ..d
            })
        }
        Class::MultiWithSettings if i.access != Access::ReadMostly => statement(i),
        Class::MultiWithSettings => statement(i).map(|d| Decision {
            action: Action::RunThenSettings,
            ..d
        }),
        Class::TxnState { refers, recovers } => txn_state(i, refers, recovers),
        // A transaction that failed is rolled back by PREPARE TRANSACTION
        // (PostgreSQL answers ROLLBACK): on every server it touched, also
        // where it failed on the standby, which refuses PREPARE TRANSACTION.
        Class::Prepare if i.in_txn && i.txn_failed_on.is_some() => {
            act(Action::End, Rule::TxnFailed)
        }
        Class::Prepare => statement(i),
        Class::Statement if i.in_txn && i.cursor != CursorUse::None => cursor(i),
        // The session's cursors are listed by the server that holds them.
        Class::Statement
            if i.cursor_list
                && i.cursors_on_standby
                && i.read_only
                && i.standby_open
                && i.txn_failed_on.is_none() =>
        {
            Step::Go(Decision {
                action: Action::Cursor,
                target: Target::Standby,
                rule: Rule::CursorHome,
                pin: 0,
            })
        }
        // Too late for the transaction's isolation or READ WRITE: the
        // standby, where its queries ran, refuses it (25001) as one server
        // would.
        Class::Statement if i.txn_mode_after_standby_query && i.standby_open => {
            ask(i, Some(Target::Standby), Rule::AfterQuery)
        }
        Class::Statement => statement(i),
    }
}

/// Cursors of a transaction: one over a read is declared where a read
/// would run (and does not move the transaction); it is then always
/// fetched, moved and closed on that server.
fn cursor(i: &Input) -> Step {
    if let Some(t) = i.txn_failed_on {
        return ask(i, Some(t), Rule::TxnFailed);
    }
    match i.cursor {
        // Closes the cursors of both parts of the transaction.
        CursorUse::CloseAll if i.primary_open && i.txn_on[1] => Step::Go(Decision {
            action: Action::InBothParts,
            target: Target::Primary,
            rule: Rule::CursorHome,
            pin: 0,
        }),
        CursorUse::CloseAll if i.txn_on[1] => Step::Go(Decision {
            action: Action::Cursor,
            target: Target::Standby,
            rule: Rule::CursorHome,
            pin: 0,
        }),
        CursorUse::CloseAll => statement(i),
        CursorUse::Declared(t) => Step::Go(Decision {
            action: Action::Cursor,
            target: t,
            rule: Rule::CursorHome,
            pin: 0,
        }),
        _ => statement(&Input {
            read_only: true,
            ..*i
        })
        .map(|d| Decision {
            action: Action::Cursor,
            ..d
        }),
    }
}

/// `SAVEPOINT`, `RELEASE`, `ROLLBACK TO`, `SET LOCAL`, `SET CONSTRAINTS`,
/// `LOCK … IN ACCESS SHARE MODE` inside a transaction whose reads may still
/// run on the standby: on both parts of it (the standby's joining for it),
/// so that a later read there sees the same savepoints, settings and
/// locks. Where the standby may not serve the transaction, or outside a
/// transaction block, they are statements like any other (on the primary,
/// and the transaction stays there).
fn txn_state(i: &Input, refers: bool, recovers: bool) -> Step {
    if !i.in_txn {
        return statement(i);
    }
    if let (Some(t), false) = (i.txn_failed_on, recovers) {
        return ask(i, Some(t), Rule::TxnFailed);
    }
    let standby_serves = i.access == Access::ReadMostly
        && i.standby_usable
        && !i.standby_stale
        && !i.pinned
        && !i.txn_on_primary
        && i.isolation <= crate::attr::Isolation::ReadCommitted;
    // A savepoint is released or rolled back to only where it was made
    // (the standby's part, if it has one); the others join the standby's
    // part for it.
    let to_standby = if refers {
        i.txn_on[1] && (standby_serves || i.txn_failed_on == Some(Target::Standby))
    } else {
        standby_serves
    };
    if to_standby && i.primary_usable {
        return Step::Go(Decision {
            action: Action::InBothParts,
            target: Target::Primary,
            rule: Rule::TxnFollows,
            pin: 0,
        });
    }
    statement(i)
}

/// Transaction control the server answers: on `prefer` if given and open,
/// else on the primary, else on the standby; with neither, nothing to send.
fn ask(i: &Input, prefer: Option<Target>, rule: Rule) -> Step {
    let open = |t: Target| match t {
        Target::Primary => i.primary_open,
        Target::Standby => i.standby_open,
    };
    let target = prefer
        .filter(|t| open(*t))
        .or([Target::Primary, Target::Standby]
            .into_iter()
            .find(|t| open(*t)));
    Step::Go(Decision {
        action: if target.is_some() {
            Action::Ask
        } else {
            Action::Answer
        },
        target: target.unwrap_or(Target::Primary),
        rule,
        pin: 0,
    })
}

/// Whether AUTOCOMMIT=OFF opens a transaction for this statement: not for
/// transaction control itself, nor for statements PostgreSQL refuses inside
/// a transaction block (such as VACUUM).
pub fn opens_txn(autocommit: bool, facts: &Facts) -> bool {
    !autocommit
        && !facts.no_txn_block
        && !matches!(
            facts.kind,
            Kind::Empty | Kind::TwoPhase | Kind::Begin | Kind::Commit | Kind::Rollback
        )
}

/// The LSN floor: a statement is followed (in the same round trip) by the
/// LSN read when it may commit a write by itself — a statement that is not
/// read-only, outside a transaction, on the primary.
pub fn lsn_after_statement(read_only: bool, in_txn: bool, target: Target) -> bool {
    !read_only && !in_txn && target == Target::Primary
}

/// The LSN floor: a COMMIT is followed by the LSN read when its transaction
/// wrote on the primary and failed nowhere.
pub fn lsn_after_commit(commit: bool, wrote: bool, failed_on: Option<Target>) -> bool {
    commit && wrote && failed_on.is_none()
}

/// Whether a transaction end sends ROLLBACK to `on` in place of the
/// application's text: a COMMIT when the transaction failed on the other
/// server, for no part of it may commit (a server where it failed itself
/// turns the COMMIT into a ROLLBACK); a PREPARE TRANSACTION of a
/// transaction that failed anywhere, which PostgreSQL rolls back.
pub fn rollback_instead(kind: Kind, failed_on: Option<Target>, on: Target) -> bool {
    match kind {
        Kind::Commit => failed_on.is_some_and(|f| f != on),
        Kind::TwoPhase => failed_on.is_some(),
        _ => false,
    }
}

impl Step {
    fn map(self, f: impl FnOnce(Decision) -> Decision) -> Step {
        match self {
            Step::Go(d) => Step::Go(f(d)),
            other => other,
        }
    }
}

/// Run the statement on `target`, as `rule` says.
fn run(target: Target, rule: Rule) -> Step {
    Step::Go(Decision {
        action: Action::Run,
        target,
        rule,
        pin: 0,
    })
}

/// Rules 0–7 for a statement that runs on one server.
fn statement(i: &Input) -> Step {
    use Rule::*;
    use Target::*;
    let d = run;
    if let Some(t) = i.txn_failed_on {
        return d(t, TxnFailed);
    }
    if i.hint == Some(Hint::Primary) && i.primary_usable {
        return d(Primary, HintPrimary);
    }
    let hint_standby = i.hint == Some(Hint::Standby);
    if i.access != Access::ReadMostly && !hint_standby {
        if !i.primary_usable && i.standby_usable && i.read_only {
            return d(Standby, NoPrimary);
        }
        return d(Primary, WriteMostly);
    }
    if !i.standby_usable {
        return d(Primary, NoStandby);
    }
    if i.standby_stale {
        return d(Primary, SettingsBehind);
    }
    if i.pinned {
        return d(Primary, SessionPinned);
    }
    if i.txn_on_primary {
        return d(Primary, TxnOnPrimary);
    }
    if i.isolation > crate::attr::Isolation::ReadCommitted {
        return d(Primary, Isolation);
    }
    if !i.read_only {
        return d(Primary, NotReadOnly);
    }
    // A `/* pgtc:standby */` hint names the server whose answer is meant.
    if i.node_identity && !hint_standby {
        return d(Primary, NodeIdentity);
    }
    if i.txn_time {
        return d(Primary, TxnTime);
    }
    // Rule 5 (catalog facts): looked up only when the answer can matter,
    // i.e. when the rules below would send the statement to the standby
    // (or always, for explain).
    match i.catalog {
        CatalogFacts::Checked(Some(b)) => return d(Primary, NotStandbySafe(b)),
        CatalogFacts::Unchecked if i.catalog_always => return Step::CheckCatalog,
        _ => {}
    }
    let step = after_catalog(i);
    match step {
        Step::Go(Decision {
            target: Standby, ..
        }) if i.catalog == CatalogFacts::Unchecked => Step::CheckCatalog,
        other => other,
    }
}

/// Rules 6 and 7, once rule 5 found nothing that keeps the statement off
/// the standby.
fn after_catalog(i: &Input) -> Step {
    use Rule::*;
    use Target::*;
    let d = run;
    if !i.primary_usable {
        return d(Standby, NoPrimary);
    }
    if i.floor > i.standby_replay {
        if i.consistency == Consistency::Wait && i.may_wait {
            return Step::WaitForReplay(i.consistency_wait_ms);
        }
        return d(Primary, LsnFloor);
    }
    if i.hint == Some(Hint::Standby) {
        return d(Standby, HintStandby);
    }
    if !i.standby_within_lag() {
        return d(Primary, StandbyLagging);
    }
    match balance_sticky(i.primary_load, i.standby_load, i.weights, i.last) {
        Primary if over_share(i) => d(Standby, ShareCap),
        t => d(t, Balanced),
    }
}

impl Input {
    /// MAX_STANDBY_LAG_MS allows the standby in balanced reads: no bound,
    /// or a known lag within it.
    pub fn standby_within_lag(&self) -> bool {
        crate::balance::within_lag(self.standby_lag_ms, self.max_standby_lag_ms)
    }
}

/// PRIMARY_SHARE: would one more balanced read on the primary put its
/// share of the session's balanced reads above the cap?
fn over_share(i: &Input) -> bool {
    let (total, on_primary) = i.balanced;
    (on_primary + 1) * 100 > u64::from(i.primary_share) * (total + 1)
}

/// The load metric (rule 7): the server with fewer statements running
/// wins, counting this process's statements in flight now plus other
/// clients' statements the monitor saw running at its last activity sample
/// (every ~100 ms); on a tie, a server whose recent latency (the monitor's
/// probe round trip) is more than twice the other's plus 1 ms loses;
/// otherwise the standby, to keep the primary free for writes.
pub fn balance(primary: Load, standby: Load) -> Target {
    let busy = |l: Load| l.inflight.saturating_add(l.others_active);
    let (p, s) = (busy(primary), busy(standby));
    if p != s {
        return if s < p {
            Target::Standby
        } else {
            Target::Primary
        };
    }
    let slower = |a: u64, b: u64| b > 0 && a > 2 * b + 1_000_000;
    if slower(standby.latency_ns, primary.latency_ns) {
        Target::Primary
    } else {
        Target::Standby
    }
}

/// Hysteresis of rule 7, in percent: a session's balanced reads leave the
/// server they went to last only when its load, per unit of weight, is
/// more than this much above the other server's (or the other is idle).
pub const STICKY_PERCENT: u64 = 25;

/// Rule 7 for a session whose last balanced read went to `last`: stay
/// there unless `busy(here) / w(here) > (1 + STICKY_PERCENT/100) ×
/// busy(there) / w(there)` (busy as in `balance`: this process's
/// statements in flight plus other clients' active ones; w: HOST_WEIGHTS).
/// So an idle server draws a session from a busy one, but two servers
/// with 4 and 5 statements in flight keep their sessions. Without a last
/// server, or when both are idle, the less loaded one per unit of weight, and between equals as
/// `balance` decides (latency, then the standby). A server of weight 0
/// takes no balanced read while the other has weight.
pub fn balance_sticky(
    primary: Load,
    standby: Load,
    weights: [u32; 2],
    last: Option<Target>,
) -> Target {
    let [pw, sw] = weights.map(u64::from);
    match (pw, sw) {
        (0, 0) => return Target::Primary,
        (0, _) => return Target::Standby,
        (_, 0) => return Target::Primary,
        _ => {}
    }
    let busy = |l: Load| u64::from(l.inflight.saturating_add(l.others_active));
    let (p, s) = (busy(primary), busy(standby));
    // Both idle: nothing to balance; the standby keeps the primary free
    // for writes (as `balance` decides).
    let last = last.filter(|_| p > 0 || s > 0);
    let Some(last) = last else {
        // p / pw against s / sw.
        return match (p * sw).cmp(&(s * pw)) {
            // Equal per unit of weight: latency, then the standby.
            std::cmp::Ordering::Equal => {
                let idle = |l: Load| Load {
                    inflight: 0,
                    others_active: 0,
                    ..l
                };
                balance(idle(primary), idle(standby))
            }
            std::cmp::Ordering::Less => Target::Primary,
            std::cmp::Ordering::Greater => Target::Standby,
        };
    };
    let (here, there, wh, wt, other) = match last {
        Target::Primary => (p, s, pw, sw, Target::Standby),
        Target::Standby => (s, p, sw, pw, Target::Primary),
    };
    if here * wt * 100 > there * wh * (100 + STICKY_PERCENT) {
        other
    } else {
        last
    }
}

impl Decision {
    /// Whether the statement itself (or the session's transaction or pins)
    /// requires the primary, as opposed to a choice rules 1, 2, 6 and 7 made
    /// among servers that could both run it.
    pub fn primary_required(&self) -> bool {
        matches!(
            self.rule,
            Rule::HintPrimary
                | Rule::SessionPinned
                | Rule::TxnOnPrimary
                | Rule::Isolation
                | Rule::NotReadOnly
                | Rule::NotStandbySafe(_)
                | Rule::NodeIdentity
                | Rule::TxnTime
                | Rule::TxnLost
        ) || (self.rule == Rule::TxnFailed && self.target == Target::Primary)
    }

    /// Whether the statement went to the primary because it may write (a
    /// VOLATILE function, or one that could not be checked): the rest of
    /// its transaction must then read on the primary too.
    pub fn may_have_written(&self) -> bool {
        matches!(
            self.rule,
            Rule::NotStandbySafe(Blocked::VolatileFunction | Blocked::Unverified)
        )
    }

    /// Whether this decision was rule 7's choice (PRIMARY_SHARE counts these).
    pub fn balanced(&self) -> bool {
        matches!(self.rule, Rule::Balanced | Rule::ShareCap)
    }

    /// Where the text would run: one server, both, or none.
    pub fn servers(&self, i: &Input) -> Server {
        match self.action {
            Action::Run | Action::RunThenSettings | Action::Ask | Action::Cursor => {
                self.target.server()
            }
            Action::Begin => Server::Primary,
            Action::End => match i.txn_on {
                [true, true] => Server::Both,
                [true, false] => Server::Primary,
                [false, true] => Server::Secondary,
                [false, false] => Server::None,
            },
            Action::SetOnPrimary => Server::Primary,
            Action::InBothParts => Server::Both,
            Action::Everywhere if i.primary_open && i.standby_open => Server::Both,
            Action::Everywhere => Server::Primary,
            Action::Answer | Action::Refuse => Server::None,
        }
    }

    /// Which servers could run it: `Primary` when the statement (or the
    /// session's transaction or pins) requires the primary, `Both` when
    /// either could.
    pub fn eligible(&self, i: &Input) -> Server {
        match self.action {
            Action::Run | Action::RunThenSettings | Action::Cursor if self.primary_required() => {
                Server::Primary
            }
            Action::Cursor if self.rule == Rule::CursorHome => self.target.server(),
            Action::Run | Action::RunThenSettings | Action::Cursor => Server::Both,
            Action::Everywhere => Server::Both,
            _ => self.servers(i),
        }
    }

    /// One human-readable sentence naming the rule and the facts behind it;
    /// `detail` names the function or relation of a `NotStandbySafe` rule.
    pub fn reason(&self, i: &Input, detail: &str) -> String {
        let server = match self.target {
            Target::Primary => "primary",
            Target::Standby => "standby",
        };
        match self.rule {
            Rule::WriteMostly => "rule 1: PREFERRED_ACCESS is WRITE_MOSTLY, so every statement runs on the primary".into(),
            Rule::NoStandby => "rule 2: no healthy standby connection".into(),
            Rule::SettingsBehind => "rule 2: the standby does not have this session's latest settings yet (it gets them once it has replayed the session's last commit)".into(),
            Rule::NoPrimary => "no primary connection; the statement is read-only, so the standby serves it".into(),
            Rule::SessionPinned => "rule 3: the session holds state that lives only on the primary (temporary table, LISTEN, session advisory lock, prepared statement or held cursor)".into(),
            Rule::TxnOnPrimary => "rule 3: the transaction has written, locked, declared a cursor, set a savepoint or used SET LOCAL".into(),
            Rule::TxnFailed => format!("rule 3: the transaction failed on the {}, which answers until it is rolled back", server),
            Rule::TxnLost => "rule 3: the connection to the primary was lost during this transaction; it must be rolled back and retried".into(),
            Rule::Isolation => format!("rule 4: isolation {} is above READ COMMITTED", i.isolation.sql()),
            Rule::NotReadOnly => "rule 5: the statement is not provably read-only".into(),
            Rule::NotStandbySafe(b) => match b {
                Blocked::VolatileFunction => format!("rule 5: the statement calls {}, which has a VOLATILE overload and may write", detail),
                Blocked::Unlogged => format!("rule 5: the statement reads {}, an unlogged relation that a standby cannot read", detail),
                Blocked::Sequence => format!("rule 5: the statement reads {}, a sequence, whose value a standby shows as WAL-logged ahead of the primary's", detail),
                Blocked::Refused => "rule 5: a standby refused this statement before".into(),
                Blocked::Unverified => format!("rule 5: the functions it calls could not be checked ({}), so it is not provably read-only", detail),
            },
            Rule::TxnTime => "rule 5: it reads the transaction's time (now(), current_timestamp, …), one value for the whole transaction: the primary, where the transaction began, gives it".into(),
            Rule::NodeIdentity => "rule 5: the answer depends on which server gives it (recovery state, backend, address, statistics, locks, sequences or a setting that differs between the servers); the primary answers".into(),
            Rule::ShareCap => "rule 7: the primary is less loaded, but PRIMARY_SHARE caps its share of balanced reads".into(),
            Rule::HintPrimary => "hint: /* pgtc:primary */".into(),
            Rule::HintStandby => "hint: /* pgtc:standby */, and rules 2–6 allow the standby".into(),
            Rule::LsnFloor => format!(
                "rule 6: the {} LSN floor {} is beyond the standby's replay LSN {}",
                if i.process_floor {
                    "process's (CONSISTENCY_SCOPE=PROCESS)"
                } else {
                    "session's"
                },
                if i.floor == u64::MAX {
                    "(unknown: a commit's LSN could not be read yet)".to_string()
                } else {
                    format_lsn(i.floor)
                },
                format_lsn(i.standby_replay)
            ),
            Rule::StandbyLagging => match i.standby_lag_ms {
                Some(l) => format!(
                    "rule 7: the standby's replay lag (at most {} ms) may exceed MAX_STANDBY_LAG_MS ({} ms), so balanced reads leave it out",
                    l, i.max_standby_lag_ms
                ),
                None => format!(
                    "rule 7: the standby's replay lag is not known yet, so MAX_STANDBY_LAG_MS ({} ms) leaves it out of balanced reads",
                    i.max_standby_lag_ms
                ),
            },
            Rule::Balanced if i.last == Some(self.target) => format!(
                "rule 7: the session's reads stay on the {} while the loads are close (in flight: primary {}, standby {})",
                server,
                i.primary_load.inflight,
                i.standby_load.inflight,
            ),
            Rule::Balanced => format!(
                "rule 7: the {} is less loaded (in flight: primary {}, standby {}; latency: primary {} µs, standby {} µs)",
                server,
                i.primary_load.inflight,
                i.standby_load.inflight,
                i.primary_load.latency_ns / 1000,
                i.standby_load.latency_ns / 1000
            ),
            Rule::Begin => "BEGIN runs on the primary at once; the standby joins with the transaction's first read".into(),
            Rule::BeginDeferred => "no primary connection: the transaction begins with its first statement".into(),
            Rule::AlreadyInTxn => format!("a transaction is already in progress: the {} answers (a warning, or an error if the transaction failed)", server),
            Rule::TxnEnd => "ends the transaction on every server it touched".into(),
            Rule::NoTxn => format!("there is no transaction in progress: the {} answers (a warning, or an error for AND CHAIN)", server),
            Rule::SessionState => "session state: runs on the primary, then on the standby, so both have the same settings".into(),
            Rule::AfterQuery => "rule 3: the transaction already ran a query on the standby, which answers SET TRANSACTION as one server would".into(),
            Rule::CursorHome => format!("rule 3: the cursor was declared on the {}, which holds it", server),
            Rule::TxnFollows => "rule 3: transaction state a standby accepts too: it runs on both parts of the transaction, whose reads stay where they run".into(),
            Rule::SessionStateLater => "session state: runs on the primary; the standby gets it before it next serves this session (under WRITE_MOSTLY, or after the transaction, which stays on the primary)".into(),
        }
    }
}
