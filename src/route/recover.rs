//! After a statement failed: re-run it elsewhere, or report it. The safety
//! net (a standby that refused a write, or lost its connection, before
//! anything reached the caller) and reads re-run after the primary's
//! connection broke are rules too, so they are decided here, not in the
//! session.

use super::Target;
use crate::error::{Error, Status};

/// What happened to a statement, as the session saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failure {
    /// Where it ran.
    pub target: Target,
    /// The connection broke under it.
    pub lost: bool,
    /// The standby refused it as a write (SQLSTATE 25006), or because it
    /// reads a relation a standby cannot read (0A000 "… during recovery").
    pub refused: bool,
    /// The statement is provably read-only.
    pub read_only: bool,
    /// A logical transaction is open.
    pub in_txn: bool,
    /// The primary's connection broke inside that transaction.
    pub txn_lost: bool,
    /// The statement began the transaction's block on this server (nothing
    /// of the transaction ran there before it).
    pub began_here: bool,
    /// The standby is usable.
    pub standby_usable: bool,
}

impl Failure {
    /// The facts of `e` for a statement that ran on `target`.
    pub fn of(e: &Error, target: Target) -> Failure {
        Failure {
            target,
            lost: e.status == Status::ConnectionLost,
            refused: e.sqlstate == "25006"
                || (e.sqlstate == "0A000" && e.message.contains("during recovery")),
            read_only: false,
            in_txn: false,
            txn_lost: false,
            began_here: false,
            standby_usable: false,
        }
    }
}

/// What to do about a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    /// Report the error as it is.
    Report,
    /// The primary's connection broke inside a transaction: the
    /// transaction is gone (roll back and retry it).
    Switched,
    /// The primary's connection broke outside a transaction; a write's
    /// outcome is unknown.
    Lost,
    /// Re-run the read on the standby.
    RerunOnStandby,
    /// The safety net: re-run on the primary, after rolling back the
    /// standby's part of the transaction when `rollback_standby`.
    RerunOnPrimary { rollback_standby: bool },
}

/// Decide what to do after a statement failed.
pub fn recover(f: &Failure) -> Recovery {
    match f.target {
        Target::Primary if !f.lost => Recovery::Report,
        Target::Primary if f.txn_lost => Recovery::Switched,
        Target::Primary if f.read_only && !f.in_txn && f.standby_usable => Recovery::RerunOnStandby,
        Target::Primary => Recovery::Lost,
        Target::Standby if !(f.lost || f.refused) => Recovery::Report,
        // Outside a transaction nothing else ran there; inside one, only if
        // this statement opened the standby's part (or that part is gone
        // with the connection).
        Target::Standby if !f.in_txn || f.began_here || f.lost => Recovery::RerunOnPrimary {
            rollback_standby: f.in_txn && !f.lost,
        },
        Target::Standby => Recovery::Report,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(target: Target) -> Failure {
        Failure {
            target,
            lost: false,
            refused: false,
            read_only: true,
            in_txn: false,
            txn_lost: false,
            began_here: false,
            standby_usable: true,
        }
    }

    #[test]
    fn the_safety_net_and_lost_connections() {
        use Recovery::*;
        use Target::*;
        let p = base(Primary);
        assert_eq!(recover(&p), Report);
        assert_eq!(recover(&Failure { lost: true, ..p }), RerunOnStandby);
        let lost_write = Failure {
            lost: true,
            read_only: false,
            ..p
        };
        assert_eq!(recover(&lost_write), Lost);
        let no_standby = Failure {
            lost: true,
            standby_usable: false,
            ..p
        };
        assert_eq!(recover(&no_standby), Lost);
        let in_txn = Failure {
            lost: true,
            in_txn: true,
            txn_lost: true,
            ..p
        };
        assert_eq!(recover(&in_txn), Switched);

        let s = base(Standby);
        assert_eq!(recover(&s), Report, "an ordinary error is the caller's");
        let refused = Failure { refused: true, ..s };
        assert_eq!(
            recover(&refused),
            RerunOnPrimary {
                rollback_standby: false
            }
        );
        let refused_first_in_txn = Failure {
            in_txn: true,
            began_here: true,
            ..refused
        };
        assert_eq!(
            recover(&refused_first_in_txn),
            RerunOnPrimary {
                rollback_standby: true
            }
        );
        // The standby's part of the transaction already ran something: a
        // re-run on the primary would lose it.
        let later_in_txn = Failure {
            in_txn: true,
            ..refused
        };
        assert_eq!(recover(&later_in_txn), Report);
        let lost_in_txn = Failure {
            lost: true,
            in_txn: true,
            ..s
        };
        assert_eq!(
            recover(&lost_in_txn),
            RerunOnPrimary {
                rollback_standby: false
            }
        );
    }

    #[test]
    fn refusals_are_recognised_by_sqlstate() {
        let e = Error::with_sqlstate(
            Status::Sql,
            "cannot execute INSERT in a read-only transaction",
            "25006",
        );
        assert!(Failure::of(&e, Target::Standby).refused);
        let e = Error::with_sqlstate(
            Status::Sql,
            "cannot access temporary or unlogged relations during recovery",
            "0A000",
        );
        assert!(Failure::of(&e, Target::Standby).refused);
        let e = Error::with_sqlstate(Status::Sql, "not supported", "0A000");
        assert!(!Failure::of(&e, Target::Standby).refused);
        let e = Error::new(Status::ConnectionLost, "gone");
        assert!(Failure::of(&e, Target::Standby).lost);
    }
}
