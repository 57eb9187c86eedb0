//! Routing rules 1–7 against a real primary + hot standby.

mod common;
use common::*;
use pgtc::{Server, Session, Status};

const RM: &str = "PREFERRED_ACCESS=READ_MOSTLY";

#[test]
fn roles_are_discovered_whatever_the_host_order() {
    let c = Cluster::shared();
    // The tool lists the standby first.
    assert!(c
        .conninfo
        .contains(&format!("port={},{}", c.standby_port, c.primary_port)));
    let mut s = c.open(RM);
    assert_eq!(s.connected(), Server::Both);
    let r = exec(&mut s, "SELECT pg_is_in_recovery()");
    let on_standby = r.value(0, 0) == Some("t");
    assert_eq!(on_standby, r.server == Some(Server::Secondary));
    // Listed the other way round, the same roles.
    let flipped = format!(
        "host=127.0.0.1,127.0.0.1 port={},{} user=pgtc password=pgtc dbname=postgres {}",
        c.primary_port, c.standby_port, RM
    );
    let mut s2 = Session::open(&flipped).unwrap();
    let r = exec(&mut s2, "CREATE TEMP TABLE roles_probe(x int)");
    assert_eq!(r.server, Some(Server::Primary));
}

#[test]
fn rule1_write_mostly_runs_everything_on_the_primary() {
    let c = Cluster::shared();
    let mut s = c.open("");
    for _ in 0..5 {
        let r = exec(&mut s, "SELECT pg_is_in_recovery()");
        assert_eq!(r.server, Some(Server::Primary));
        assert_eq!(r.value(0, 0), Some("f"));
    }
    // Switching at run time: reads go to the standby, but a question about
    // the server itself is still the primary's to answer.
    s.set_attr("preferred_access", "read_mostly").unwrap();
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    let r = exec(&mut s, "SELECT pg_is_in_recovery()");
    assert_eq!(r.server, Some(Server::Primary));
    assert_eq!(r.value(0, 0), Some("f"));
}

#[test]
fn rule2_without_a_standby_reads_go_to_the_primary() {
    let c = Cluster::shared();
    let mut s = Session::open(&format!("{} {}", c.single(true), RM)).unwrap();
    assert_eq!(s.connected(), Server::Primary);
    assert_eq!(server_of(&mut s, "SELECT 1"), Server::Primary);
    // A standby that cannot be reached: the session opens degraded.
    let dead = format!(
        "host=127.0.0.1,127.0.0.1 port={},1 user=pgtc password=pgtc dbname=postgres connect_timeout=2 {}",
        c.primary_port, RM
    );
    let mut s = Session::open(&dead).unwrap();
    assert_eq!(s.connected(), Server::Primary);
    assert_eq!(server_of(&mut s, "SELECT 1"), Server::Primary);
}

#[test]
fn no_server_reachable_is_a_clear_error() {
    let e = match Session::open(
        "host=127.0.0.1,127.0.0.1 port=1,2 user=pgtc password=pgtc connect_timeout=2",
    ) {
        Err(e) => e,
        Ok(_) => panic!("opened without servers"),
    };
    assert_eq!(e.status, Status::ConnectFailed);
    assert_eq!(e.sqlstate, "08001");
    assert!(
        e.message.contains("127.0.0.1:1") && e.message.contains("127.0.0.1:2"),
        "{}",
        e.message
    );
}

#[test]
fn rule3_reads_stay_on_the_standby_until_the_first_write() {
    let c = Cluster::shared();
    let t = table("rule3");
    // PRIMARY_SHARE=0: rule 7 never picks the primary, so only rules 1-6
    // decide (a loaded machine can make the standby's probe look slow).
    let mut s = c.open(&format!("{} PRIMARY_SHARE=0", RM));
    exec(&mut s, &format!("CREATE TABLE {}(id int)", t));
    // Let the standby catch up so rule 6 does not decide.
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    assert_eq!(server_of(&mut s, "BEGIN"), Server::Primary);
    assert_eq!(
        server_of(&mut s, &format!("SELECT count(*) FROM {}", t)),
        Server::Secondary
    );
    assert_eq!(
        server_of(&mut s, &format!("INSERT INTO {} VALUES (1)", t)),
        Server::Primary
    );
    let r = exec(&mut s, &format!("SELECT count(*) FROM {}", t));
    assert_eq!(r.server, Some(Server::Primary));
    assert_eq!(
        r.value(0, 0),
        Some("1"),
        "the transaction reads its own write"
    );
    assert_eq!(exec(&mut s, "COMMIT").server, Some(Server::Both));
    assert!(!s.in_transaction());
    // Locking reads pin the transaction to the primary as well.
    exec(&mut s, "BEGIN");
    assert_eq!(
        server_of(&mut s, &format!("SELECT * FROM {} FOR UPDATE", t)),
        Server::Primary
    );
    assert_eq!(server_of(&mut s, "SELECT 1"), Server::Primary);
    exec(&mut s, "ROLLBACK");
}

#[test]
fn rule4_isolation_above_read_committed_stays_on_the_primary() {
    let c = Cluster::shared();
    let mut s = c.open(RM);
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    exec(&mut s, "BEGIN ISOLATION LEVEL REPEATABLE READ");
    for _ in 0..3 {
        assert_eq!(server_of(&mut s, "SELECT 1"), Server::Primary);
    }
    exec(&mut s, "COMMIT");
    exec(
        &mut s,
        "START TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY",
    );
    assert_eq!(server_of(&mut s, "SELECT 1"), Server::Primary);
    exec(&mut s, "COMMIT");
    exec(&mut s, "BEGIN");
    exec(&mut s, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    assert_eq!(server_of(&mut s, "SELECT 1"), Server::Primary);
    exec(&mut s, "COMMIT");
    // The session default, by attribute …
    let mut s = c.open(&format!("{} TXN_ISOLATION=REPEATABLE_READ", RM));
    assert_eq!(server_of(&mut s, "SELECT 1"), Server::Primary);
    let r = exec(&mut s, "SHOW transaction_isolation");
    assert_eq!(r.value(0, 0), Some("repeatable read"));
    s.set_attr("TXN_ISOLATION", "read_committed").unwrap();
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    // … and by SQL.
    assert_eq!(
        server_of(
            &mut s,
            "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE"
        ),
        Server::Both
    );
    assert_eq!(server_of(&mut s, "SELECT 1"), Server::Primary);
    exec(
        &mut s,
        "SET default_transaction_isolation = 'read committed'",
    );
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
}

#[test]
fn rule5_statements_that_are_not_provably_read_only_go_to_the_primary() {
    let c = Cluster::shared();
    let t = table("rule5");
    let mut s = c.open(RM);
    exec(
        &mut s,
        &format!("CREATE TABLE {}(id int primary key, v text)", t),
    );
    exec(&mut s, &format!("CREATE SEQUENCE {}_seq", t));
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    let primary_only = [
        format!("INSERT INTO {} VALUES (1, 'a')", t),
        format!("UPDATE {} SET v = 'b' WHERE id = 1", t),
        format!("SELECT * FROM {} FOR UPDATE", t),
        format!("SELECT * FROM {} FOR SHARE", t),
        format!(
            "WITH d AS (DELETE FROM {} WHERE id = 99 RETURNING *) SELECT * FROM d",
            t
        ),
        format!("SELECT nextval('{}_seq')", t),
        "SELECT pg_advisory_xact_lock(1) WHERE false".to_string(),
        format!("SELECT 1; DELETE FROM {} WHERE id = 99", t),
    ];
    for sql in &primary_only {
        // Each write moves the floor; reads in between would go to the
        // primary by rule 6 anyway, so only the write itself is checked.
        let r = s.exec(sql, None);
        match r {
            Ok(r) => assert_eq!(r.server, Some(Server::Primary), "{}", sql),
            Err(e) => panic!("{}: {}", sql, e),
        }
    }
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    // Write keywords inside strings, comments and identifiers do not count.
    let reads = [
        "SELECT 'INSERT INTO x VALUES (1)'",
        "SELECT 1 -- DELETE FROM x",
        "/* UPDATE x SET y = 1 */ SELECT 1",
        "SELECT $$DROP TABLE x$$",
        "SELECT 1 AS \"insert\"",
        "  (SELECT 1)",
        "SELECT 1; SELECT 2",
    ];
    for sql in reads {
        assert_eq!(server_of(&mut s, sql), Server::Secondary, "{}", sql);
    }
}

#[test]
fn rule6_reads_after_a_write_wait_for_the_standby_to_replay_it() {
    // An apply delay of 300 ms: the standby is known to be behind.
    let c = Cluster::new(300);
    let t = table("rule6");
    let mut s = c.open(RM);
    exec(&mut s, &format!("CREATE TABLE {}(id int)", t));
    for i in 0..5 {
        let w = exec(&mut s, &format!("INSERT INTO {} VALUES ({})", t, i));
        assert_eq!(w.server, Some(Server::Primary));
        assert!(s.lsn_floor() > 0);
        // Read right after the committed write: sees it, and was not served
        // by a standby that had not replayed it.
        let r = exec(
            &mut s,
            &format!("SELECT count(*) FROM {} WHERE id = {}", t, i),
        );
        assert_eq!(r.value(0, 0), Some("1"), "read {} missed its own write", i);
        assert_eq!(r.server, Some(Server::Primary));
    }
    assert!(s.counters().floor_kept >= 5);
    // Once the standby has replayed the floor, reads land on it and see the rows.
    let r = until_on(
        &mut s,
        &format!("SELECT count(*) FROM {}", t),
        Server::Secondary,
        CATCH_UP,
    );
    assert_eq!(
        r.server,
        Some(Server::Secondary),
        "reads never returned to the standby"
    );
    assert_eq!(r.value(0, 0), Some("5"));
    // The same through an explicit transaction.
    exec(&mut s, "BEGIN");
    exec(&mut s, &format!("INSERT INTO {} VALUES (100)", t));
    exec(&mut s, "COMMIT");
    let r = exec(
        &mut s,
        &format!("SELECT count(*) FROM {} WHERE id = 100", t),
    );
    assert_eq!(
        (r.value(0, 0), r.server),
        (Some("1"), Some(Server::Primary))
    );
    // And with AUTOCOMMIT=OFF.
    s.set_attr("AUTOCOMMIT", "OFF").unwrap();
    exec(&mut s, &format!("INSERT INTO {} VALUES (101)", t));
    exec(&mut s, "COMMIT");
    let r = exec(
        &mut s,
        &format!("SELECT count(*) FROM {} WHERE id = 101", t),
    );
    assert_eq!(
        (r.value(0, 0), r.server),
        (Some("1"), Some(Server::Primary))
    );
    exec(&mut s, "COMMIT");
}

#[test]
fn rule7_balanced_reads_avoid_the_busier_server() {
    // A pair of its own: the load it creates must not sway other tests.
    let c = &Cluster::new(0);
    let mut s = c.open(RM);
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    // Other sessions of this process keep three statements in flight on
    // the standby: a margin the hysteresis cannot absorb even when the
    // monitor's last sample of the primary saw a stray active backend.
    let ready = std::sync::Arc::new(std::sync::Barrier::new(3));
    let busy: Vec<_> = (0..3)
        .map(|_| {
            let conninfo = format!("{} {}", c.conninfo, RM);
            let ready = ready.clone();
            std::thread::spawn(move || {
                let mut b = Session::open(&conninfo).unwrap();
                until_on(&mut b, "SELECT 1", Server::Secondary, CATCH_UP);
                ready.wait();
                // The hint makes sure the busy statement is on the standby,
                // whatever the balancer would have said (that is not what is
                // tested here).
                b.exec("/* pgtc:standby */ SELECT pg_sleep(3)", None)
                    .unwrap()
                    .server
            })
        })
        .collect();
    // The read below must come while those statements are in flight.
    c.wait_direct(
        false,
        "SELECT count(*)::text FROM pg_stat_activity \
         WHERE state = 'active' AND query LIKE '%SELECT pg_sleep(3)'",
        "3",
    );
    let during = server_of(&mut s, "SELECT 1");
    for b in busy {
        assert_eq!(b.join().unwrap(), Some(Server::Secondary));
    }
    assert_eq!(
        during,
        Server::Primary,
        "a read went to the standby while it was busier"
    );
    let after = until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    assert_eq!(after.server, Some(Server::Secondary));
}

#[test]
fn session_settings_apply_to_both_servers() {
    let c = Cluster::shared();
    let mut s = c.open(RM);
    let r = exec(&mut s, "SET application_name = 'pgtc_both'");
    assert_eq!(r.server, Some(Server::Both));
    for primary in [true, false] {
        let mut d = c.direct(primary);
        let n: i64 = d
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgtc_both'",
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(
            n,
            1,
            "setting missing on the {}",
            if primary { "primary" } else { "standby" }
        );
    }
    let r = until_on(&mut s, "SHOW application_name", Server::Secondary, CATCH_UP);
    assert_eq!(r.value(0, 0), Some("pgtc_both"));
}

#[test]
fn safety_net_reruns_on_the_primary_what_the_standby_refuses_as_a_write() {
    let c = Cluster::shared();
    let t = table("net");
    let mut s = c.open(RM);
    exec(&mut s, &format!("CREATE TABLE {}(id int)", t));
    exec(
        &mut s,
        &format!("CREATE FUNCTION {t}_add(int) RETURNS int STABLE LANGUAGE sql AS 'SELECT $1'"),
    );
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    // pgtc learns (and caches) that the function is STABLE: it reads on the standby.
    let r = until_on(
        &mut s,
        &format!("SELECT {}_add(1)", t),
        Server::Secondary,
        CATCH_UP,
    );
    assert_eq!(r.server, Some(Server::Secondary));
    // Another process makes it a VOLATILE function that writes; pgtc's cache
    // still says STABLE until it expires.
    c.direct(true)
        .batch_execute(&format!(
            "CREATE OR REPLACE FUNCTION {t}_add(int) RETURNS int VOLATILE LANGUAGE sql \
             AS $$ INSERT INTO {t} VALUES ($1) RETURNING $1 $$"
        ))
        .unwrap();
    // That change was not made through this session, so no LSN floor waits
    // for it: wait until the standby has replayed it.
    c.wait_direct(
        false,
        &format!("SELECT provolatile::text FROM pg_proc WHERE proname = '{t}_add'"),
        "v",
    );
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    // The standby refuses it (25006); pgtc re-runs it on the primary.
    let r = exec(&mut s, &format!("SELECT {}_add(7)", t));
    assert_eq!(
        (r.server, r.value(0, 0)),
        (Some(Server::Primary), Some("7"))
    );
    assert_eq!(s.counters().misroutes, 1);
    assert_eq!(c.count_on_primary(&t), 1, "the write ran exactly once");
    // The refused text goes straight to the primary from now on.
    let r = exec(&mut s, &format!("SELECT {}_add(7)", t));
    assert_eq!(r.server, Some(Server::Primary));
    assert_eq!(s.counters().misroutes, 1);
    assert!(s
        .explain(&format!("SELECT {}_add(7)", t))
        .reason
        .contains("refused"));
    // The same as the first statement of a transaction.
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    exec(&mut s, "BEGIN");
    let r = exec(&mut s, &format!("SELECT {}_add(8)", t));
    assert_eq!(r.server, Some(Server::Primary));
    assert_eq!(s.counters().misroutes, 2);
    assert_eq!(server_of(&mut s, "SELECT 1"), Server::Primary);
    exec(&mut s, "COMMIT");
    assert_eq!(c.count_on_primary(&t), 3);
}

#[test]
fn the_lsn_floor_costs_no_extra_round_trip() {
    let c = Cluster::shared();
    let t = table("rt");
    let mut s = c.open(RM);
    exec(&mut s, &format!("CREATE TABLE {}(id int)", t));
    let before = (s.round_trips(), s.lsn_floor());
    exec(&mut s, &format!("INSERT INTO {} VALUES (1)", t));
    assert_eq!(
        s.round_trips() - before.0,
        1,
        "an autocommit write is one round trip"
    );
    assert!(s.lsn_floor() > before.1, "and it moved the floor");
    let before = (s.round_trips(), s.lsn_floor());
    exec(&mut s, "BEGIN");
    exec(&mut s, &format!("INSERT INTO {} VALUES (2)", t));
    exec(&mut s, "COMMIT");
    assert_eq!(
        s.round_trips() - before.0,
        3,
        "BEGIN, INSERT, COMMIT: three round trips"
    );
    assert!(s.lsn_floor() > before.1);
}

/// The LSN after a committed write rides in the write's round trip; when
/// that read is lost (the connection broke between the commit's answer and
/// the LSN's), the floor is unknown rather than left where it was: the
/// next read still sees the write, on the primary, while the standby lags.
#[test]
fn a_write_whose_lsn_read_was_lost_is_still_read_back() {
    let c = Cluster::new(300);
    let t = table("lost_lsn");
    let mut s = c.open("PREFERRED_ACCESS=READ_MOSTLY PRIMARY_SHARE=0 CONSISTENCY=FAST");
    exec(&mut s, &format!("CREATE TABLE {}(id int)", t));
    let count = format!("SELECT count(*) FROM {}", t);
    until_on(&mut s, &count, Server::Secondary, CATCH_UP);
    for (n, in_txn) in [(1, false), (2, true)] {
        pgtc::session::test_hooks::lose_next_lsn_read();
        let insert = format!("INSERT INTO {} VALUES ({})", t, n);
        if in_txn {
            exec(&mut s, "BEGIN");
            exec(&mut s, &insert);
            exec(&mut s, "COMMIT");
        } else {
            exec(&mut s, &insert);
        }
        let r = exec(&mut s, &count);
        let want = n.to_string();
        assert_eq!(
            (r.server, r.value(0, 0)),
            (Some(Server::Primary), Some(want.as_str())),
            "after write {}",
            n
        );
    }
    // Once the standby has replayed, reads go back to it.
    until_on(&mut s, &count, Server::Secondary, CATCH_UP);
}
