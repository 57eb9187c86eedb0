//! Routing that cannot be fooled, against a real pair: every primary-only
//! class of statement stays off the standby (in autocommit and with
//! AUTOCOMMIT=OFF), read-only work still reaches it, pins and unpins,
//! hints, explain and counters.

mod common;
use common::*;
use pgtc::{Server, Session};

const RM: &str = "PREFERRED_ACCESS=READ_MOSTLY";

/// Objects the statements below use; created once per test on `c`.
fn setup(c: &Cluster, p: &str) {
    let mut s = c.open("");
    for sql in [
        format!("CREATE TABLE {p}_t(id int PRIMARY KEY, v text)"),
        format!("INSERT INTO {p}_t SELECT g, 'v' || g FROM generate_series(1, 10) g"),
        format!("CREATE SEQUENCE {p}_seq"),
        format!("CREATE FUNCTION {p}_vol() RETURNS int VOLATILE LANGUAGE sql AS 'SELECT 1'"),
        format!(
            "CREATE FUNCTION {p}_stable(int) RETURNS int STABLE LANGUAGE sql AS 'SELECT $1 + 1'"
        ),
        format!(
            "CREATE FUNCTION {p}_imm(int) RETURNS int IMMUTABLE LANGUAGE sql AS 'SELECT $1 * 2'"
        ),
        format!("CREATE UNLOGGED TABLE {p}_unlogged(id int)"),
        format!("CREATE MATERIALIZED VIEW {p}_mv AS SELECT 1 AS x"),
        format!(
            "CREATE PROCEDURE {p}_proc() LANGUAGE sql AS $$ UPDATE {p}_t SET v = v WHERE id = 1 $$"
        ),
    ] {
        exec(&mut s, &sql);
    }
}

/// Statements that must never run on the standby.
fn primary_only(p: &str) -> Vec<String> {
    [
        "INSERT INTO {p}_t VALUES (100 + (random() * 1000000)::int, 'x') ON CONFLICT DO NOTHING",
        "UPDATE {p}_t SET v = v WHERE id = 1",
        "DELETE FROM {p}_t WHERE id = -1",
        "MERGE INTO {p}_t t USING (SELECT 1 AS id) s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = t.v",
        "CREATE TABLE IF NOT EXISTS {p}_ddl(x int)",
        "ALTER TABLE {p}_t ALTER COLUMN v SET DEFAULT 'd'",
        "TRUNCATE {p}_unlogged",
        "SELECT * INTO TEMP TABLE {p}_into FROM {p}_t WHERE false",
        "CREATE TABLE IF NOT EXISTS {p}_ctas AS SELECT 1 AS x",
        "SELECT * FROM {p}_t WHERE id = 1 FOR UPDATE",
        "SELECT * FROM {p}_t WHERE id = 1 FOR NO KEY UPDATE",
        "SELECT * FROM {p}_t WHERE id = 1 FOR SHARE",
        "SELECT * FROM {p}_t WHERE id = 1 FOR KEY SHARE",
        "WITH u AS (UPDATE {p}_t SET v = v WHERE id = 2 RETURNING id) SELECT count(*) FROM u",
        "EXPLAIN ANALYZE UPDATE {p}_t SET v = v WHERE id = 3",
        "NOTIFY {p}_chan",
        "UNLISTEN {p}_chan",
        "DO $$ BEGIN PERFORM 1; END $$",
        "CALL {p}_proc()",
        "VACUUM {p}_t",
        "ANALYZE {p}_t",
        "REINDEX TABLE {p}_t",
        "REFRESH MATERIALIZED VIEW {p}_mv",
        "SELECT nextval('{p}_seq')",
        "SELECT setval('{p}_seq', 5)",
        "SELECT currval('{p}_seq')",
        "SELECT lastval()",
        "SELECT pg_advisory_xact_lock(42)",
        "SELECT lo_unlink(lo_create(0))",
        "SELECT pg_notify('{p}_chan', 'x')",
        "SELECT txid_current()",
        "SELECT pg_current_xact_id()",
        "SELECT {p}_vol()",
        "SELECT * FROM {p}_unlogged",
        "SELECT count(*) FROM public.{p}_unlogged u",
        "SELECT 1; UPDATE {p}_t SET v = v WHERE id = 4",
        "/* SELECT */ (SELECT id FROM {p}_t WHERE id = 5 FOR UPDATE)",
    ]
    .iter()
    .map(|s| s.replace("{p}", p))
    .collect()
}

/// Statements that may fail (on any server) but must be sent to the primary.
fn primary_only_errors(p: &str) -> Vec<String> {
    [
        "LOCK TABLE {p}_t IN SHARE MODE", // only in a transaction block
        "PREPARE TRANSACTION 'pgtc_gid'", // max_prepared_transactions = 0
        "COMMIT PREPARED 'pgtc_no_such_gid'",
        "ROLLBACK PREPARED 'pgtc_no_such_gid'",
        "COPY {p}_t FROM STDIN", // COPY is not supported through exec
        "CLUSTER {p}_t",         // no index to cluster on
    ]
    .iter()
    .map(|s| s.replace("{p}", p))
    .collect()
}

fn assert_primary_only(c: &Cluster, p: &str, autocommit: bool) {
    let mut s = c.open(&format!(
        "{} AUTOCOMMIT={}",
        RM,
        if autocommit { "on" } else { "off" }
    ));
    for sql in primary_only(p) {
        until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
        if !autocommit {
            // End the transaction the poll opened, as an application would
            // before VACUUM and the like.
            exec(&mut s, "COMMIT");
        }
        let route = s.explain(&sql);
        assert_eq!(
            route.server,
            Server::Primary,
            "explain {}: {}",
            sql,
            route.reason
        );
        assert_eq!(
            route.eligible,
            Server::Primary,
            "eligible {}: {}",
            sql,
            route.reason
        );
        let before = s.counters();
        let r = s
            .exec(&sql, None)
            .unwrap_or_else(|e| panic!("{}: {}", sql, e));
        assert_eq!(r.server, Some(Server::Primary), "{}", sql);
        assert_eq!(s.counters().standby, before.standby, "{}", sql);
        if !autocommit {
            exec(&mut s, "COMMIT");
        }
        // Undo pins so the next statement is judged on its own.
        if s.pinned() {
            exec(&mut s, "DISCARD ALL");
            assert!(
                !s.pinned(),
                "{} left the session pinned after DISCARD ALL",
                sql
            );
        }
    }
    for sql in primary_only_errors(p) {
        until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
        let route = s.explain(&sql);
        assert_eq!(
            route.server,
            Server::Primary,
            "explain {}: {}",
            sql,
            route.reason
        );
        match s.exec(&sql, None) {
            Ok(r) => assert_eq!(r.server, Some(Server::Primary), "{}", sql),
            Err(e) => assert_ne!(e.sqlstate, "25006", "{} reached the standby", sql),
        }
        exec(&mut s, "ROLLBACK");
    }
    assert_eq!(
        s.counters().misroutes,
        0,
        "a statement needed the safety net"
    );
}

#[test]
fn no_primary_only_class_reaches_the_standby_in_autocommit() {
    let c = Cluster::shared();
    let p = table("cls_a");
    setup(&c, &p);
    assert_primary_only(&c, &p, true);
}

#[test]
fn no_primary_only_class_reaches_the_standby_with_autocommit_off() {
    let c = Cluster::shared();
    let p = table("cls_b");
    setup(&c, &p);
    assert_primary_only(&c, &p, false);
}

#[test]
fn read_only_work_reaches_the_standby() {
    let c = Cluster::shared();
    let p = table("cls_r");
    setup(&c, &p);
    let mut s = c.open(RM);
    for sql in [
        format!("SELECT * FROM {p}_t WHERE id = 1"),
        format!("SELECT {p}_stable(1), {p}_imm(2)"),
        format!("SELECT count(*), lower(max(v)), now() FROM {p}_t"),
        "SELECT random(), clock_timestamp(), gen_random_uuid() IS NOT NULL".to_string(),
        format!("SELECT 'INSERT INTO {p}_t VALUES (1)' AS looks_like_a_write"),
        format!("WITH x AS (SELECT id FROM {p}_t) SELECT count(*) FROM x"),
        format!("SELECT x FROM {p}_mv"),
        "SELECT * FROM generate_series(1, 3) AS g(i)".to_string(),
        "SELECT CAST('1.5' AS numeric(10, 2)), COALESCE(NULL, 1), 1 IN (1, 2)".to_string(),
        format!("EXPLAIN SELECT * FROM {p}_t"),
        "SHOW search_path".to_string(),
        "VALUES (1), (2)".to_string(),
        "SELECT 1; SELECT 2".to_string(),
    ] {
        let r = until_on(&mut s, &sql, Server::Secondary, CATCH_UP);
        assert_eq!(
            r.server,
            Some(Server::Secondary),
            "{}: {}",
            sql,
            s.explain(&sql).reason
        );
    }
    // In a READ ONLY transaction at READ COMMITTED, reads stay eligible.
    for begin in ["BEGIN READ ONLY", "BEGIN"] {
        exec(&mut s, begin);
        if begin == "BEGIN" {
            exec(&mut s, "SET TRANSACTION READ ONLY");
        }
        assert_eq!(
            server_of(&mut s, &format!("SELECT count(*) FROM {p}_t")),
            Server::Secondary
        );
        let e = s
            .exec(&format!("UPDATE {p}_t SET v = v WHERE id = 1"), None)
            .unwrap_err();
        assert_eq!(e.sqlstate, "25006", "the primary enforces READ ONLY");
        exec(&mut s, "ROLLBACK");
    }
    assert_eq!(s.counters().misroutes, 0);
}

#[test]
fn savepoints_and_cursors_follow_the_transaction() {
    let c = Cluster::shared();
    let p = table("cls_tx");
    setup(&c, &p);
    for autocommit in ["on", "off"] {
        let mut s = c.open(&format!("{} AUTOCOMMIT={}", RM, autocommit));
        until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
        if autocommit == "on" {
            exec(&mut s, "BEGIN");
        }
        assert_eq!(server_of(&mut s, "SELECT 1"), Server::Secondary);
        // A savepoint reaches both parts of a transaction that has only
        // read, and its reads stay on the standby.
        assert_eq!(server_of(&mut s, "SAVEPOINT a"), Server::Both);
        assert_eq!(server_of(&mut s, "SELECT 1"), Server::Secondary);
        assert_eq!(server_of(&mut s, "ROLLBACK TO SAVEPOINT a"), Server::Both);
        exec(&mut s, "COMMIT");
        until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
        if autocommit == "on" {
            exec(&mut s, "BEGIN");
        }
        // A cursor over a read is declared where reads run, and fetched
        // from there.
        let at = server_of(
            &mut s,
            &format!("DECLARE cur CURSOR FOR SELECT id FROM {p}_t ORDER BY id"),
        );
        let r = exec(&mut s, "FETCH 2 FROM cur");
        assert_eq!(
            (r.server, r.rows(), r.value(1, 0)),
            (Some(at), 2, Some("2"))
        );
        exec(&mut s, "CLOSE cur");
        exec(&mut s, "COMMIT");
    }
}

#[test]
fn session_state_pins_and_the_matching_clean_up_unpins() {
    let c = Cluster::shared();
    let p = table("cls_pin");
    setup(&c, &p);
    let mut s = c.open(RM);
    let cases: Vec<(String, &str)> = vec![
        (format!("CREATE TEMP TABLE {p}_tmp(x int)"), "DISCARD TEMP"),
        ("LISTEN pgtc_pin_chan".into(), "UNLISTEN *"),
        (
            "SELECT pg_advisory_lock(7)".into(),
            "SELECT pg_advisory_unlock_all()",
        ),
        ("PREPARE pgtc_ps AS SELECT 1".into(), "DEALLOCATE ALL"),
        (
            format!("DECLARE held CURSOR WITH HOLD FOR SELECT * FROM {p}_t"),
            "CLOSE ALL",
        ),
        (format!("CALL {p}_proc()"), "DISCARD ALL"),
        ("DO $$ BEGIN PERFORM 1; END $$".into(), "DISCARD ALL"),
        (
            "SELECT set_config('application_name', 'only_primary', false)".into(),
            "DISCARD ALL",
        ),
    ];
    for (pin, unpin) in cases {
        until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
        exec(&mut s, &pin);
        assert!(s.pinned(), "{} did not pin", pin);
        let r = exec(&mut s, "SELECT 1");
        assert_eq!(r.server, Some(Server::Primary), "pinned by {}", pin);
        assert!(
            s.explain("SELECT 1").reason.contains("rule 3"),
            "{}",
            s.explain("SELECT 1").reason
        );
        exec(&mut s, unpin);
        assert!(!s.pinned(), "{} did not unpin {}", unpin, pin);
        let r = until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
        assert_eq!(r.server, Some(Server::Secondary), "after {}", unpin);
    }
    // DISCARD ALL undoes every pin at once.
    exec(&mut s, &format!("CREATE TEMP TABLE {p}_tmp2(x int)"));
    exec(&mut s, "LISTEN pgtc_pin_chan2");
    exec(&mut s, "DISCARD ALL");
    assert!(!s.pinned());
    // Temporary tables are read where they live.
    exec(
        &mut s,
        &format!("CREATE TEMP TABLE {p}_tmp3 AS SELECT 1 AS x"),
    );
    let r = exec(&mut s, &format!("SELECT x FROM {p}_tmp3"));
    assert_eq!(
        (r.server, r.value(0, 0)),
        (Some(Server::Primary), Some("1"))
    );
}

#[test]
fn role_and_authorization_changes_apply_to_both_servers() {
    let c = Cluster::shared();
    let role = table("cls_role");
    let mut admin = c.open("");
    exec(&mut admin, &format!("CREATE ROLE {} NOLOGIN", role));
    let mut s = c.open(RM);
    assert_eq!(
        server_of(&mut s, &format!("SET ROLE {}", role)),
        Server::Both
    );
    let r = until_on(&mut s, "SELECT current_user", Server::Secondary, CATCH_UP);
    assert_eq!(r.value(0, 0), Some(role.as_str()));
    let r = exec(&mut s, "/* pgtc:primary */ SELECT current_user");
    assert_eq!(
        (r.server, r.value(0, 0)),
        (Some(Server::Primary), Some(role.as_str()))
    );
    exec(&mut s, "RESET ROLE");
    assert_eq!(
        server_of(&mut s, &format!("SET SESSION AUTHORIZATION {}", role)),
        Server::Both
    );
    let r = until_on(&mut s, "SELECT session_user", Server::Secondary, CATCH_UP);
    assert_eq!(r.value(0, 0), Some(role.as_str()));
    exec(&mut s, "RESET SESSION AUTHORIZATION");
    let r = until_on(&mut s, "SELECT session_user", Server::Secondary, CATCH_UP);
    assert_eq!(r.value(0, 0), Some("pgtc"));
}

#[test]
fn hints_choose_within_the_rules() {
    let c = Cluster::shared();
    let p = table("cls_hint");
    setup(&c, &p);
    let mut s = c.open(RM);
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    assert_eq!(
        server_of(&mut s, "/* pgtc:primary */ SELECT 1"),
        Server::Primary
    );
    assert_eq!(
        server_of(&mut s, "/*pgtc:PRIMARY*/SELECT 1"),
        Server::Primary
    );
    // A hint that is not the leading comment is only a comment.
    assert_eq!(
        server_of(&mut s, "SELECT 1 /* pgtc:primary */"),
        Server::Secondary
    );
    // The standby hint never sends a write to the standby.
    let r = exec(
        &mut s,
        &format!("/* pgtc:standby */ UPDATE {p}_t SET v = v WHERE id = 1"),
    );
    assert_eq!(r.server, Some(Server::Primary));
    // With WRITE_MOSTLY, the standby hint sends an eligible read to the standby.
    let mut w = c.open("");
    let r = until_on(
        &mut w,
        "/* pgtc:standby */ SELECT pg_is_in_recovery()",
        Server::Secondary,
        CATCH_UP,
    );
    assert_eq!(r.value(0, 0), Some("t"));
    assert_eq!(server_of(&mut w, "SELECT 1"), Server::Primary);
    let route = w.explain("/* pgtc:standby */ SELECT 1");
    assert_eq!(route.eligible, Server::Both);
}

#[test]
fn explain_names_the_rule_and_runs_nothing() {
    let c = Cluster::new(300);
    let p = table("cls_ex");
    setup(&c, &p);
    let mut s = c.open(RM);
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    let count = |s: &mut Session| {
        exec(s, &format!("/* pgtc:primary */ SELECT count(*) FROM {p}_t"))
            .value(0, 0)
            .unwrap()
            .to_string()
    };
    let before = count(&mut s);
    let floor = s.lsn_floor();
    let cases: Vec<(String, Server, Server, &str)> = vec![
        (
            format!("INSERT INTO {p}_t VALUES (999, 'x')"),
            Server::Primary,
            Server::Primary,
            "rule 5",
        ),
        (
            format!("SELECT {p}_vol()"),
            Server::Primary,
            Server::Primary,
            "VOLATILE",
        ),
        (
            format!("SELECT * FROM {p}_unlogged"),
            Server::Primary,
            Server::Primary,
            "unlogged",
        ),
        ("SELECT 1".into(), Server::Secondary, Server::Both, "rule 7"),
        (
            "SET work_mem = '8MB'".into(),
            Server::Both,
            Server::Both,
            "session state",
        ),
        (
            "/* pgtc:primary */ SELECT 1".into(),
            Server::Primary,
            Server::Primary,
            "hint",
        ),
        ("BEGIN".into(), Server::Primary, Server::Primary, "BEGIN"),
    ];
    for (sql, server, eligible, words) in &cases {
        let r = s.explain(sql);
        assert_eq!(
            (r.server, r.eligible),
            (*server, *eligible),
            "{}: {}",
            sql,
            r.reason
        );
        assert!(r.reason.contains(words), "{}: {}", sql, r.reason);
    }
    assert_eq!(count(&mut s), before, "explain ran the INSERT");
    assert_eq!(s.lsn_floor(), floor);
    assert!(!s.in_transaction(), "explain opened a transaction");
    // Rule 6 after a write, while the standby lags.
    exec(&mut s, &format!("UPDATE {p}_t SET v = v WHERE id = 1"));
    let r = s.explain("SELECT 1");
    assert_eq!(
        (r.server, r.eligible),
        (Server::Primary, Server::Both),
        "{}",
        r.reason
    );
    assert!(r.reason.contains("rule 6"), "{}", r.reason);
    // Rules 1, 3 and 4.
    s.set_attr("PREFERRED_ACCESS", "WRITE_MOSTLY").unwrap();
    assert!(s.explain("SELECT 1").reason.contains("rule 1"));
    s.set_attr("PREFERRED_ACCESS", "READ_MOSTLY").unwrap();
    exec(&mut s, "BEGIN ISOLATION LEVEL REPEATABLE READ");
    assert!(s.explain("SELECT 1").reason.contains("rule 4"));
    exec(&mut s, "ROLLBACK");
    exec(&mut s, "BEGIN");
    exec(&mut s, &format!("UPDATE {p}_t SET v = v WHERE id = 1"));
    let r = s.explain("SELECT 1");
    assert!(r.reason.contains("rule 3"), "{}", r.reason);
    assert_eq!(r.eligible, Server::Primary);
    exec(&mut s, "ROLLBACK");
}

#[test]
fn counters_per_connection_and_per_process() {
    let c = Cluster::shared();
    let p = table("cls_cnt");
    setup(&c, &p);
    let process_before = pgtc::session::process_counters();
    let mut s = c.open(RM);
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    let base = s.counters();
    exec(&mut s, &format!("UPDATE {p}_t SET v = v WHERE id = 1"));
    exec(&mut s, "SET work_mem = '4MB'");
    let after = s.counters();
    assert_eq!(after.primary, base.primary + 1);
    assert_eq!(after.both, base.both + 1);
    let r = until_on(&mut s, "SELECT 2", Server::Secondary, CATCH_UP);
    assert_eq!(r.server, Some(Server::Secondary));
    assert!(s.counters().standby > after.standby);
    let process_after = pgtc::session::process_counters();
    assert!(process_after.primary > process_before.primary);
    assert!(process_after.standby > process_before.standby);
    assert!(process_after.both > process_before.both);
}
