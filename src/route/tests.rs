//! The routing rules, one case at a time: every rule, their order, the
//! questions `decide` asks before it decides, and the load metric.

use super::*;
fn base() -> Input {
    Input {
        class: Class::Statement,
        access: Access::ReadMostly,
        primary_usable: true,
        standby_usable: true,
        primary_open: true,
        standby_open: true,
        pinned: false,
        standby_stale: false,
        cursor: CursorUse::None,
        txn_mode_after_standby_query: false,
        in_txn: false,
        txn_on: [false, false],
        txn_on_primary: false,
        txn_failed_on: None,
        txn_lost: false,
        isolation: Isolation::ReadCommitted,
        autocommit: true,
        read_only: true,
        node_identity: false,
        cursor_list: false,
        cursors_on_standby: false,
        txn_time: false,
        txn_control: false,
        catalog: CatalogFacts::Checked(None),
        catalog_always: false,
        hint: None,
        floor: 0,
        process_floor: true,
        standby_replay: 0,
        max_standby_lag_ms: 0,
        standby_lag_ms: None,
        consistency: Consistency::Fast,
        may_wait: true,
        consistency_wait_ms: 1000,
        primary_share: 100,
        balanced: (0, 0),
        primary_load: Load::default(),
        standby_load: Load::default(),
        last: None,
        weights: [1, 1],
    }
}

/// The decision `decide` reaches without asking any question.
fn decision(i: &Input) -> Decision {
    match decide(i) {
        Step::Go(d) => d,
        other => panic!("expected a decision for {:?}, got {:?}", i, other),
    }
}

fn check(i: Input, target: Target, rule: Rule) {
    let d = decision(&i);
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
            isolation: crate::attr::Isolation::RepeatableRead,
            ..base()
        },
        Primary,
        Isolation,
    );
    check(
        Input {
            isolation: crate::attr::Isolation::Serializable,
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
            catalog: CatalogFacts::Checked(Some(Blocked::VolatileFunction)),
            ..base()
        },
        Primary,
        NotStandbySafe(Blocked::VolatileFunction),
    );
    check(
        Input {
            catalog: CatalogFacts::Checked(Some(Blocked::Unlogged)),
            hint: Some(Hint::Standby),
            ..base()
        },
        Primary,
        NotStandbySafe(Blocked::Unlogged),
    );
    assert!(decision(&Input {
        catalog: CatalogFacts::Checked(Some(Blocked::Refused)),
        ..base()
    })
    .primary_required());
    assert!(!decision(&Input {
        floor: 2,
        standby_replay: 1,
        ..base()
    })
    .primary_required());
    assert!(!decision(&Input {
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

#[test]
fn balanced_reads_stay_home_while_the_loads_are_close() {
    let l = |inflight| Load {
        inflight,
        others_active: 0,
        latency_ns: 100_000,
    };
    let (p, s) = (Target::Primary, Target::Standby);
    // Close loads: the session stays where it was.
    for last in [p, s] {
        for (a, b) in [(1, 1), (2, 2), (5, 4), (4, 5), (8, 7)] {
            assert_eq!(balance_sticky(l(a), l(b), [1, 1], Some(last)), last);
        }
    }
    // Both idle: the standby, as without a last server.
    assert_eq!(balance_sticky(l(0), l(0), [1, 1], Some(p)), s);
    // Clearly busier, or the other server idle: it moves.
    assert_eq!(balance_sticky(l(0), l(1), [1, 1], Some(s)), p);
    assert_eq!(balance_sticky(l(1), l(0), [1, 1], Some(p)), s);
    assert_eq!(balance_sticky(l(3), l(2), [1, 1], Some(p)), s);
    assert_eq!(balance_sticky(l(6), l(8), [1, 1], Some(s)), p);
    // Others' statements count as load too.
    let others = Load {
        others_active: 4,
        ..l(3)
    };
    assert_eq!(balance_sticky(l(3), others, [1, 1], Some(s)), p);
    // Weights scale the load: a weight-2 standby with 2 in flight is as
    // loaded as a weight-1 primary with 1.
    assert_eq!(balance_sticky(l(1), l(2), [1, 2], Some(s)), s);
    assert_eq!(balance_sticky(l(1), l(2), [1, 2], Some(p)), p);
    assert_eq!(balance_sticky(l(1), l(4), [1, 2], Some(s)), p);
    assert_eq!(balance_sticky(l(2), l(2), [1, 2], Some(p)), s);
    // Weight 0 takes no balanced read.
    assert_eq!(balance_sticky(l(0), l(9), [0, 1], Some(p)), s);
    assert_eq!(balance_sticky(l(9), l(0), [1, 0], Some(s)), p);
    // No home yet: as `balance`, per unit of weight.
    assert_eq!(balance_sticky(l(1), l(1), [1, 1], None), s);
    assert_eq!(balance_sticky(l(1), l(2), [1, 1], None), p);
    assert_eq!(balance_sticky(l(1), l(2), [1, 2], None), s);
    // The rule and its reason.
    let home = Input {
        last: Some(p),
        primary_load: l(1),
        standby_load: l(1),
        ..base()
    };
    check(home, p, Rule::Balanced);
    let d = decision(&home);
    assert!(
        d.reason(&home, "").contains("stay on the primary"),
        "{}",
        d.reason(&home, "")
    );
}

#[test]
fn catalog_facts_are_asked_for_only_when_they_matter() {
    let unchecked = Input {
        catalog: CatalogFacts::Unchecked,
        ..base()
    };
    // Headed for the standby: ask first.
    assert_eq!(decide(&unchecked), Step::CheckCatalog);
    // Headed for the primary anyway: no lookup.
    for i in [
        Input {
            access: Access::WriteMostly,
            ..unchecked
        },
        Input {
            read_only: false,
            ..unchecked
        },
        Input {
            floor: 10,
            standby_replay: 1,
            ..unchecked
        },
    ] {
        assert!(
            matches!(decide(&i), Step::Go(d) if d.target == Target::Primary),
            "{:?}",
            i
        );
    }
    // explain looks whenever rules 1–5 leave the standby eligible.
    let explain = Input {
        floor: 10,
        standby_replay: 1,
        catalog_always: true,
        ..unchecked
    };
    assert_eq!(decide(&explain), Step::CheckCatalog);
    // A read the share cap sends to the standby is checked too.
    let capped = Input {
        primary_share: 0,
        standby_load: Load {
            inflight: 3,
            ..Load::default()
        },
        ..unchecked
    };
    assert_eq!(decide(&capped), Step::CheckCatalog);
}

#[test]
fn consistency_wait_asks_to_wait_once() {
    let behind = Input {
        floor: 10,
        standby_replay: 1,
        consistency: Consistency::Wait,
        consistency_wait_ms: 250,
        ..base()
    };
    assert_eq!(decide(&behind), Step::WaitForReplay(250));
    let waited_in_vain = Input {
        may_wait: false,
        ..behind
    };
    check(waited_in_vain, Target::Primary, Rule::LsnFloor);
    let caught_up = Input {
        may_wait: false,
        standby_replay: 10,
        ..behind
    };
    check(caught_up, Target::Standby, Rule::Balanced);
}

#[test]
fn primary_share_caps_balanced_reads_on_the_primary() {
    let primary_idler = Input {
        standby_load: Load {
            inflight: 2,
            ..Load::default()
        },
        primary_share: 50,
        ..base()
    };
    check(
        Input {
            primary_share: 100,
            ..primary_idler
        },
        Target::Primary,
        Rule::Balanced,
    );
    // The first balanced read would make the primary's share 100 %.
    check(primary_idler, Target::Standby, Rule::ShareCap);
    check(
        Input {
            balanced: (1, 1),
            ..primary_idler
        },
        Target::Standby,
        Rule::ShareCap,
    );
    check(
        Input {
            balanced: (3, 1),
            ..primary_idler
        },
        Target::Primary,
        Rule::Balanced,
    );
}

#[test]
fn transaction_control_and_session_state() {
    let act = |i: Input| {
        let d = decision(&i);
        (d.action, d.rule, d.servers(&i), d.eligible(&i))
    };
    use Action::*;
    let begin = Input {
        class: Class::Begin,
        ..base()
    };
    assert_eq!(
        act(begin),
        (Begin, Rule::Begin, Server::Primary, Server::Primary)
    );
    assert_eq!(
        act(Input {
            in_txn: true,
            ..begin
        }),
        (Ask, Rule::AlreadyInTxn, Server::Primary, Server::Primary)
    );
    assert_eq!(
        act(Input {
            primary_open: false,
            ..begin
        }),
        (Answer, Rule::BeginDeferred, Server::None, Server::None)
    );
    // A BEGIN in a transaction that failed on the standby: the standby
    // answers (25P02), as one server would.
    assert_eq!(
        act(Input {
            in_txn: true,
            txn_failed_on: Some(Target::Standby),
            ..begin
        })
        .2,
        Server::Secondary
    );
    let end = Input {
        class: Class::End,
        in_txn: true,
        txn_on: [true, true],
        ..base()
    };
    assert_eq!(act(end), (End, Rule::TxnEnd, Server::Both, Server::Both));
    assert_eq!(
        act(Input {
            txn_on: [false, true],
            ..end
        })
        .2,
        Server::Secondary
    );
    assert_eq!(
        act(Input {
            in_txn: false,
            ..end
        }),
        (Ask, Rule::NoTxn, Server::Primary, Server::Primary)
    );
    // PREPARE TRANSACTION of a failed transaction rolls it back everywhere
    // (the standby would refuse PREPARE TRANSACTION itself); otherwise it
    // is a statement for the primary.
    let prepare = Input {
        class: Class::Prepare,
        read_only: false,
        in_txn: true,
        txn_on: [true, true],
        ..base()
    };
    assert_eq!(
        act(Input {
            txn_failed_on: Some(Target::Standby),
            ..prepare
        })
        .1,
        Rule::TxnFailed
    );
    assert_eq!(
        act(Input {
            txn_failed_on: Some(Target::Standby),
            ..prepare
        })
        .0,
        End
    );
    assert_eq!(act(prepare).0, Run);
    assert_eq!(act(prepare).2, Server::Primary);
    let set = Input {
        class: Class::SessionState,
        ..base()
    };
    assert_eq!(
        act(set),
        (Everywhere, Rule::SessionState, Server::Both, Server::Both)
    );
    assert_eq!(
        act(Input {
            standby_open: false,
            ..set
        })
        .2,
        Server::Primary
    );
    // Several statements with settings: run, then the settings on the
    // standby; inside a transaction (or with transaction control) the
    // session is pinned instead.
    let multi = Input {
        class: Class::MultiWithSettings,
        ..base()
    };
    let d = decision(&multi);
    assert_eq!((d.action, d.pin), (RunThenSettings, 0));
    for i in [
        Input {
            in_txn: true,
            ..multi
        },
        Input {
            txn_control: true,
            ..multi
        },
        Input {
            autocommit: false,
            ..multi
        },
    ] {
        let d = decision(&i);
        assert_eq!(
            (d.action, d.target, d.rule, d.pin),
            (Run, Target::Primary, Rule::SessionPinned, PIN_SETTING)
        );
    }
    // A transaction whose primary connection broke refuses statements.
    let lost = Input {
        in_txn: true,
        txn_lost: true,
        ..base()
    };
    let d = decision(&lost);
    assert_eq!((d.action, d.rule), (Refuse, Rule::TxnLost));
    assert!(!d.reason(&lost, "").is_empty());
}

#[test]
fn when_the_lsn_is_read_and_a_commit_becomes_a_rollback() {
    use Target::*;
    assert!(lsn_after_statement(false, false, Primary));
    assert!(!lsn_after_statement(true, false, Primary));
    assert!(
        !lsn_after_statement(false, true, Primary),
        "the COMMIT reads it"
    );
    assert!(!lsn_after_statement(false, false, Standby));
    assert!(lsn_after_commit(true, true, None));
    assert!(!lsn_after_commit(false, true, None), "ROLLBACK");
    assert!(!lsn_after_commit(true, false, None), "read only");
    assert!(!lsn_after_commit(true, true, Some(Standby)));
    assert!(rollback_instead(Kind::Commit, Some(Standby), Primary));
    assert!(!rollback_instead(Kind::Commit, Some(Primary), Primary));
    assert!(!rollback_instead(Kind::Commit, None, Primary));
    assert!(!rollback_instead(Kind::Rollback, Some(Standby), Primary));
    assert!(rollback_instead(Kind::TwoPhase, Some(Standby), Primary));
    assert!(rollback_instead(Kind::TwoPhase, Some(Primary), Primary));
    assert!(rollback_instead(Kind::TwoPhase, Some(Standby), Standby));
}

#[test]
fn a_rule_that_holds_holds_whatever_the_balancer_would_choose() {
    // Every rule that requires the primary decides the same under every
    // PRIMARY_SHARE and CONSISTENCY, whichever server is less loaded, with
    // the catalog fact known or still to be looked up.
    let required: [(Input, Rule); 7] = [
        (
            Input {
                node_identity: true,
                ..base()
            },
            Rule::NodeIdentity,
        ),
        (
            Input {
                pinned: true,
                ..base()
            },
            Rule::SessionPinned,
        ),
        (
            Input {
                txn_on_primary: true,
                in_txn: true,
                ..base()
            },
            Rule::TxnOnPrimary,
        ),
        (
            Input {
                isolation: crate::attr::Isolation::Serializable,
                ..base()
            },
            Rule::Isolation,
        ),
        (
            Input {
                read_only: false,
                ..base()
            },
            Rule::NotReadOnly,
        ),
        (
            Input {
                catalog: CatalogFacts::Checked(Some(Blocked::VolatileFunction)),
                ..base()
            },
            Rule::NotStandbySafe(Blocked::VolatileFunction),
        ),
        (
            Input {
                hint: Some(Hint::Primary),
                ..base()
            },
            Rule::HintPrimary,
        ),
    ];
    let busy = Load {
        inflight: 5,
        ..Load::default()
    };
    for (i, rule) in required {
        for share in [0, 1, 50, 99, 100] {
            for consistency in [Consistency::Fast, Consistency::Wait] {
                for (p, s) in [(busy, Load::default()), (Load::default(), busy)] {
                    for balanced in [(0, 0), (10, 0), (10, 10)] {
                        let i = Input {
                            primary_share: share,
                            consistency,
                            primary_load: p,
                            standby_load: s,
                            balanced,
                            floor: 5,
                            standby_replay: 9,
                            ..i
                        };
                        let d = decision(&i);
                        assert_eq!((d.target, d.rule), (Target::Primary, rule), "{:?}", i);
                    }
                }
            }
        }
    }
    // A volatile call not yet looked up is looked up before any server is
    // chosen for it, whatever the balancer prefers.
    for share in [0, 50, 100] {
        for (p, s) in [(busy, Load::default()), (Load::default(), busy)] {
            let i = Input {
                catalog: CatalogFacts::Unchecked,
                primary_share: share,
                primary_load: p,
                standby_load: s,
                ..base()
            };
            match decide(&i) {
                Step::CheckCatalog => {}
                Step::Go(d) => assert_eq!(d.target, Target::Primary, "{:?}", i),
                other => panic!("{:?} for {:?}", other, i),
            }
        }
    }
}

#[test]
fn transaction_state_follows_the_transaction() {
    let state = |refers, recovers| Input {
        class: Class::TxnState { refers, recovers },
        in_txn: true,
        txn_on: [true, true],
        read_only: false,
        ..base()
    };
    let d = decision(&state(false, false));
    assert_eq!((d.action, d.rule), (Action::InBothParts, Rule::TxnFollows));
    // Once the transaction wrote, or under WRITE_MOSTLY, or with no
    // standby: a statement like any other, on the primary.
    for i in [
        Input {
            txn_on_primary: true,
            ..state(false, false)
        },
        Input {
            access: Access::WriteMostly,
            ..state(false, false)
        },
        Input {
            standby_usable: false,
            ..state(false, false)
        },
        Input {
            in_txn: false,
            ..state(false, false)
        },
    ] {
        let d = decision(&i);
        assert_eq!(
            (d.action, d.target),
            (Action::Run, Target::Primary),
            "{:?}",
            i
        );
    }
    // RELEASE / ROLLBACK TO only where a savepoint can be: the standby's
    // part must exist.
    let d = decision(&Input {
        txn_on: [true, false],
        ..state(true, true)
    });
    assert_eq!((d.action, d.target), (Action::Run, Target::Primary));
    // In a failed transaction: ROLLBACK TO recovers both parts; anything
    // else is the failed server's to refuse.
    let failed = Input {
        txn_failed_on: Some(Target::Standby),
        ..state(true, true)
    };
    assert_eq!(decision(&failed).action, Action::InBothParts);
    let d = decision(&Input {
        txn_failed_on: Some(Target::Standby),
        ..state(false, false)
    });
    assert_eq!((d.action, d.target), (Action::Ask, Target::Standby));
}

#[test]
fn node_identity_needs_the_primary_without_writing() {
    use Target::*;
    let ident = Input {
        node_identity: true,
        ..base()
    };
    // Where rule 5 is: before the catalog is asked, whatever the balancer,
    // PRIMARY_SHARE or the LSN floor would choose.
    check(ident, Primary, Rule::NodeIdentity);
    for i in [
        Input {
            catalog: CatalogFacts::Unchecked,
            catalog_always: true,
            ..ident
        },
        Input {
            primary_share: 0,
            ..ident
        },
        Input {
            primary_load: Load {
                inflight: 9,
                others_active: 9,
                latency_ns: 9_000_000,
            },
            ..ident
        },
        Input {
            in_txn: true,
            txn_on: [true, true],
            ..ident
        },
    ] {
        let d = decision(&i);
        assert_eq!(
            (d.action, d.target, d.rule),
            (Action::Run, Primary, Rule::NodeIdentity)
        );
        assert!(d.primary_required());
        assert_eq!(d.eligible(&i), Server::Primary);
        assert!(!d.balanced(), "not counted as a balanced read");
        assert!(d.reason(&i, "").contains("the primary answers"));
    }
    // Earlier rules still come first.
    check(
        Input {
            standby_usable: false,
            ..ident
        },
        Primary,
        Rule::NoStandby,
    );
    check(
        Input {
            read_only: false,
            ..ident
        },
        Primary,
        Rule::NotReadOnly,
    );
    // No primary: a read-only statement may still be answered by the standby.
    check(
        Input {
            access: Access::WriteMostly,
            primary_usable: false,
            ..ident
        },
        Standby,
        Rule::NoPrimary,
    );
    // A standby hint names the server whose answer is meant.
    check(
        Input {
            hint: Some(Hint::Standby),
            ..ident
        },
        Standby,
        Rule::HintStandby,
    );
    // A sequence read as a relation: the catalog's own reason.
    let seq = Input {
        catalog: CatalogFacts::Checked(Some(Blocked::Sequence)),
        ..base()
    };
    let d = decision(&seq);
    assert_eq!(d.rule, Rule::NotStandbySafe(Blocked::Sequence));
    assert!(d.primary_required());
    assert!(d.reason(&seq, "s1").contains("s1, a sequence"));
    // An ordinary read is balanced as before.
    check(base(), Standby, Rule::Balanced);
}

#[test]
fn max_standby_lag_leaves_a_lagging_or_unknown_standby_out_of_balanced_reads() {
    // Off: an unknown lag does not matter.
    check(base(), Target::Standby, Rule::Balanced);
    let bound = |lag: Option<u64>| Input {
        max_standby_lag_ms: 500,
        standby_lag_ms: lag,
        ..base()
    };
    check(bound(Some(500)), Target::Standby, Rule::Balanced);
    check(bound(Some(501)), Target::Primary, Rule::StandbyLagging);
    check(bound(None), Target::Primary, Rule::StandbyLagging);
    let i = bound(Some(2400));
    let reason = decision(&i).reason(&i, "");
    assert!(
        reason.contains("2400 ms") && reason.contains("MAX_STANDBY_LAG_MS (500 ms)"),
        "{}",
        reason
    );
    assert!(decision(&bound(None))
        .reason(&bound(None), "")
        .contains("not known"));
    // Not a balanced choice: PRIMARY_SHARE=0 does not send it back.
    let capped = Input {
        primary_share: 0,
        ..bound(Some(9000))
    };
    check(capped, Target::Primary, Rule::StandbyLagging);
    assert!(!decision(&capped).balanced());
    assert_eq!(decision(&capped).eligible(&capped), Server::Both);
    // Only balanced reads: the floor (rule 6) decides first, a hint
    // naming the standby and a lost primary still use it.
    let floor = Input {
        floor: 10,
        ..bound(Some(9000))
    };
    check(floor, Target::Primary, Rule::LsnFloor);
    let hinted = Input {
        hint: Some(Hint::Standby),
        ..bound(Some(9000))
    };
    check(hinted, Target::Standby, Rule::HintStandby);
    let no_primary = Input {
        primary_usable: false,
        ..bound(Some(9000))
    };
    check(no_primary, Target::Standby, Rule::NoPrimary);
}
