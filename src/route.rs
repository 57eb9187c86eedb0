//! Routing: the session's state + the statement's facts + what the balancer
//! knows → where the statement runs, and the rule that decided it. Pure: no
//! I/O, no allocation (the reason sentence is built only when asked for).

use crate::balance::{format_lsn, Load};
use crate::classify::Hint;
use crate::conninfo::{Access, Isolation};

/// A physical connection of the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Primary,
    Standby,
}

/// Why a statement that looks read-only may still not run on a standby.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    /// It calls a function with a VOLATILE overload (it may write).
    VolatileFunction,
    /// It names an unlogged relation, which a standby cannot read.
    Unlogged,
    /// A standby refused this very text before.
    Refused,
    /// The catalog could not be asked, so pgtc cannot prove it read-only.
    Unverified,
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
    /// 2 (reverse): no primary connection; a read-only statement may use the standby.
    NoPrimary,
    /// 3: the session holds state that lives only on the primary.
    SessionPinned,
    /// 3: the transaction wrote, locked, made a cursor or savepoint or SET LOCAL.
    TxnOnPrimary,
    /// 3: the transaction failed on this server; it answers until ROLLBACK.
    TxnFailed,
    /// 4: isolation above READ COMMITTED.
    Isolation,
    /// 5: the statement is not provably read-only.
    NotReadOnly,
    /// 5: the statement looks read-only but may not run on a standby.
    NotStandbySafe(Blocked),
    /// 6: the standby has not replayed the session's last commit yet.
    LsnFloor,
    /// 7: the less loaded server.
    Balanced,
    /// 7: the primary was less loaded, but PRIMARY_SHARE caps its share of
    /// balanced reads.
    ShareCap,
}

/// What routing looks at.
#[derive(Debug, Clone, Copy)]
pub struct Input {
    pub access: Access,
    pub primary_usable: bool,
    pub standby_usable: bool,
    pub pinned: bool,
    /// Rule 3 applies to the open transaction.
    pub txn_on_primary: bool,
    /// The open transaction failed on this server.
    pub txn_failed_on: Option<Target>,
    /// Effective isolation of the statement's transaction.
    pub isolation: Isolation,
    /// The statement (all of it) is provably read-only.
    pub read_only: bool,
    /// What keeps a read-only-looking statement off the standby, if anything.
    pub blocked: Option<Blocked>,
    /// The statement's routing hint.
    pub hint: Option<Hint>,
    /// The session's LSN floor (0 = none).
    pub floor: u64,
    /// The standby's replay LSN as last sampled (0 = unknown).
    pub standby_replay: u64,
    pub primary_load: Load,
    pub standby_load: Load,
}

/// Where to run, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub target: Target,
    pub rule: Rule,
}

/// Apply the routing rules in order; the first that applies decides.
pub fn decide(i: &Input) -> Decision {
    use Rule::*;
    use Target::*;
    let d = |target, rule| Decision { target, rule };
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
    if i.pinned {
        return d(Primary, SessionPinned);
    }
    if i.txn_on_primary {
        return d(Primary, TxnOnPrimary);
    }
    if i.isolation > crate::conninfo::Isolation::ReadCommitted {
        return d(Primary, Isolation);
    }
    if !i.read_only {
        return d(Primary, NotReadOnly);
    }
    if let Some(b) = i.blocked {
        return d(Primary, NotStandbySafe(b));
    }
    if !i.primary_usable {
        return d(Standby, NoPrimary);
    }
    if i.floor > i.standby_replay {
        return d(Primary, LsnFloor);
    }
    if hint_standby {
        return d(Standby, HintStandby);
    }
    d(balance(i.primary_load, i.standby_load), Balanced)
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
        ) || (self.rule == Rule::TxnFailed && self.target == Target::Primary)
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
            Rule::NoPrimary => "no primary connection; the statement is read-only, so the standby serves it".into(),
            Rule::SessionPinned => "rule 3: the session holds state that lives only on the primary (temporary table, LISTEN, session advisory lock, prepared statement or held cursor)".into(),
            Rule::TxnOnPrimary => "rule 3: the transaction has written, locked, declared a cursor, set a savepoint or used SET LOCAL".into(),
            Rule::TxnFailed => format!("rule 3: the transaction failed on the {}, which answers until it is rolled back", server),
            Rule::Isolation => format!("rule 4: isolation {} is above READ COMMITTED", i.isolation.sql()),
            Rule::NotReadOnly => "rule 5: the statement is not provably read-only".into(),
            Rule::NotStandbySafe(b) => match b {
                Blocked::VolatileFunction => format!("rule 5: the statement calls {}, which has a VOLATILE overload and may write", detail),
                Blocked::Unlogged => format!("rule 5: the statement reads {}, an unlogged relation that a standby cannot read", detail),
                Blocked::Refused => "rule 5: a standby refused this statement before".into(),
                Blocked::Unverified => format!("rule 5: the functions it calls could not be checked ({}), so it is not provably read-only", detail),
            },
            Rule::ShareCap => "rule 7: the primary is less loaded, but PRIMARY_SHARE caps its share of balanced reads".into(),
            Rule::HintPrimary => "hint: /* pgtc:primary */".into(),
            Rule::HintStandby => "hint: /* pgtc:standby */, and rules 2–6 allow the standby".into(),
            Rule::LsnFloor => format!(
                "rule 6: the session's LSN floor {} is beyond the standby's replay LSN {}",
                format_lsn(i.floor),
                format_lsn(i.standby_replay)
            ),
            Rule::Balanced => format!(
                "rule 7: the {} is less loaded (in flight: primary {}, standby {}; latency: primary {} µs, standby {} µs)",
                server,
                i.primary_load.inflight,
                i.standby_load.inflight,
                i.primary_load.latency_ns / 1000,
                i.standby_load.latency_ns / 1000
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Input {
        Input {
            access: Access::ReadMostly,
            primary_usable: true,
            standby_usable: true,
            pinned: false,
            txn_on_primary: false,
            txn_failed_on: None,
            isolation: Isolation::ReadCommitted,
            read_only: true,
            blocked: None,
            hint: None,
            floor: 0,
            standby_replay: 0,
            primary_load: Load::default(),
            standby_load: Load::default(),
        }
    }

    fn check(i: Input, target: Target, rule: Rule) {
        let d = decide(&i);
        assert_eq!((d.target, d.rule), (target, rule), "{:?}", i);
        assert!(!d.reason(&i, "f").is_empty());
    }

    #[test]
    fn rules_in_order() {
        use Rule::*;
        use Target::*;
        check(base(), Standby, Balanced);
        check(
            Input {
                access: Access::WriteMostly,
                ..base()
            },
            Primary,
            WriteMostly,
        );
        check(
            Input {
                standby_usable: false,
                ..base()
            },
            Primary,
            NoStandby,
        );
        check(
            Input {
                pinned: true,
                ..base()
            },
            Primary,
            SessionPinned,
        );
        check(
            Input {
                txn_on_primary: true,
                ..base()
            },
            Primary,
            TxnOnPrimary,
        );
        check(
            Input {
                isolation: crate::conninfo::Isolation::RepeatableRead,
                ..base()
            },
            Primary,
            Isolation,
        );
        check(
            Input {
                isolation: crate::conninfo::Isolation::Serializable,
                ..base()
            },
            Primary,
            Isolation,
        );
        check(
            Input {
                read_only: false,
                ..base()
            },
            Primary,
            NotReadOnly,
        );
        check(
            Input {
                floor: 100,
                standby_replay: 99,
                ..base()
            },
            Primary,
            LsnFloor,
        );
        check(
            Input {
                floor: 100,
                standby_replay: 100,
                ..base()
            },
            Standby,
            Balanced,
        );
        check(
            Input {
                txn_failed_on: Some(Standby),
                read_only: false,
                ..base()
            },
            Standby,
            TxnFailed,
        );
        check(
            Input {
                primary_usable: false,
                ..base()
            },
            Standby,
            NoPrimary,
        );
        check(
            Input {
                primary_usable: false,
                read_only: false,
                ..base()
            },
            Primary,
            NotReadOnly,
        );
        // Earlier rules win over later ones.
        check(
            Input {
                read_only: false,
                floor: 5,
                ..base()
            },
            Primary,
            NotReadOnly,
        );
        check(
            Input {
                access: Access::WriteMostly,
                pinned: true,
                ..base()
            },
            Primary,
            WriteMostly,
        );
    }

    #[test]
    fn hints_and_blockers() {
        use Rule::*;
        use Target::*;
        check(
            Input {
                hint: Some(Hint::Primary),
                ..base()
            },
            Primary,
            HintPrimary,
        );
        check(
            Input {
                hint: Some(Hint::Standby),
                access: Access::WriteMostly,
                ..base()
            },
            Standby,
            HintStandby,
        );
        // A standby hint never overrides a write, a transaction or the floor.
        check(
            Input {
                hint: Some(Hint::Standby),
                read_only: false,
                ..base()
            },
            Primary,
            NotReadOnly,
        );
        check(
            Input {
                hint: Some(Hint::Standby),
                txn_on_primary: true,
                ..base()
            },
            Primary,
            TxnOnPrimary,
        );
        check(
            Input {
                hint: Some(Hint::Standby),
                floor: 9,
                standby_replay: 1,
                ..base()
            },
            Primary,
            LsnFloor,
        );
        check(
            Input {
                hint: Some(Hint::Standby),
                standby_usable: false,
                ..base()
            },
            Primary,
            NoStandby,
        );
        check(
            Input {
                blocked: Some(Blocked::VolatileFunction),
                ..base()
            },
            Primary,
            NotStandbySafe(Blocked::VolatileFunction),
        );
        check(
            Input {
                blocked: Some(Blocked::Unlogged),
                hint: Some(Hint::Standby),
                ..base()
            },
            Primary,
            NotStandbySafe(Blocked::Unlogged),
        );
        assert!(decide(&Input {
            blocked: Some(Blocked::Refused),
            ..base()
        })
        .primary_required());
        assert!(!decide(&Input {
            floor: 2,
            standby_replay: 1,
            ..base()
        })
        .primary_required());
        assert!(!decide(&Input {
            access: Access::WriteMostly,
            ..base()
        })
        .primary_required());
    }

    #[test]
    fn balance_prefers_fewer_in_flight_then_latency_then_standby() {
        let l = |inflight, us: u64| Load {
            inflight,
            others_active: 0,
            latency_ns: us * 1000,
        };
        assert_eq!(balance(l(0, 0), l(0, 0)), Target::Standby);
        // Other clients' running statements count as load too.
        let busy = |inflight, others| Load {
            inflight,
            others_active: others,
            latency_ns: 100_000,
        };
        assert_eq!(balance(busy(0, 0), busy(0, 3)), Target::Primary);
        assert_eq!(balance(busy(0, 4), busy(1, 0)), Target::Standby);
        assert_eq!(balance(busy(2, 1), busy(0, 3)), Target::Standby);
        assert_eq!(balance(l(0, 100), l(1, 100)), Target::Primary);
        assert_eq!(balance(l(3, 100), l(1, 100)), Target::Standby);
        // Tie on in-flight: latency decides only when clearly worse.
        assert_eq!(balance(l(0, 100), l(0, 900)), Target::Standby);
        assert_eq!(balance(l(0, 100), l(0, 1300)), Target::Primary);
        assert_eq!(balance(l(0, 1300), l(0, 100)), Target::Standby);
        // No latency data for the primary yet: the standby.
        assert_eq!(balance(l(0, 0), l(0, 5000)), Target::Standby);
    }
}
