//! Transaction control is the server's to answer: pgtc gives the warning or
//! the error a single PostgreSQL server gives, never one of its own.

mod common;

use common::*;

/// The outcome of each statement: success, or the error's SQLSTATE.
fn through_pgtc(s: &mut pgtc::Session, script: &[&str]) -> Vec<Result<(), String>> {
    script
        .iter()
        .map(|sql| s.exec(sql, None).map(|_| ()).map_err(|e| e.sqlstate))
        .collect()
}

fn on_one_server(c: &Cluster, script: &[&str]) -> Vec<Result<(), String>> {
    let mut d = c.direct(true);
    script
        .iter()
        .map(|sql| {
            d.simple_query(sql)
                .map(|_| ())
                .map_err(|e| e.code().map(|c| c.code().to_string()).unwrap_or_default())
        })
        .collect()
}

#[test]
fn transaction_control_gets_the_servers_own_answers() {
    let c = Cluster::shared();
    let scripts: &[&[&str]] = &[
        &["COMMIT AND CHAIN"],
        &["ROLLBACK AND CHAIN"],
        &["COMMIT", "ROLLBACK", "END", "ABORT"],
        &["BEGIN", "BEGIN", "COMMIT"],
        &["BEGIN", "SELECT 1/0", "BEGIN", "ROLLBACK"],
        &["BEGIN", "SELECT 1/0", "COMMIT AND CHAIN", "ROLLBACK"],
        &[
            "BEGIN",
            "SAVEPOINT a",
            "SELECT 1/0",
            "BEGIN",
            "ROLLBACK TO a",
            "BEGIN",
            "COMMIT",
        ],
        // Too late for the isolation level once a query ran, wherever it ran.
        &[
            "BEGIN",
            "SELECT 1",
            "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
            "COMMIT",
        ],
        &[
            "BEGIN",
            "SELECT 1",
            "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
            "COMMIT",
        ],
        &[
            "BEGIN",
            "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
            "SELECT 1",
            "COMMIT",
        ],
    ];
    for access in ["WRITE_MOSTLY", "READ_MOSTLY"] {
        for script in scripts {
            let want = on_one_server(&c, script);
            let mut s = c.open(&format!("PREFERRED_ACCESS={}", access));
            let got = through_pgtc(&mut s, script);
            assert_eq!(got, want, "{} {:?}", access, script);
            assert!(!s.in_transaction(), "{} {:?}", access, script);
        }
    }
}

#[test]
fn a_begin_in_a_transaction_that_failed_on_the_standby_is_refused_there() {
    let c = Cluster::shared();
    let mut s = c.open("PREFERRED_ACCESS=READ_MOSTLY PRIMARY_SHARE=0");
    until_on(&mut s, "SELECT 1", pgtc::Server::Secondary, CATCH_UP);
    exec(&mut s, "BEGIN");
    // A read that fails where reads run: on the standby.
    let e = s.exec("SELECT 1/0", None).unwrap_err();
    assert_eq!(e.sqlstate, "22012");
    let e = s.exec("BEGIN", None).unwrap_err();
    assert_eq!(e.sqlstate, "25P02", "{}", e);
    // COMMIT of a failed transaction rolls it back, as PostgreSQL does.
    assert_eq!(exec(&mut s, "COMMIT").tag(), "ROLLBACK");
    assert!(!s.in_transaction());
    assert_eq!(exec(&mut s, "SELECT 2").value(0, 0), Some("2"));
}

#[test]
fn prepare_transaction_of_a_transaction_that_failed_on_the_standby_rolls_it_back() {
    let c = Cluster::shared();
    let t = table("prep_failed");
    let mut s = c.open("PREFERRED_ACCESS=READ_MOSTLY PRIMARY_SHARE=0");
    exec(&mut s, &format!("CREATE TABLE {}(id int)", t));
    let count = format!("SELECT count(*) FROM {}", t);
    until_on(&mut s, &count, pgtc::Server::Secondary, CATCH_UP);
    exec(&mut s, "BEGIN");
    let e = s.exec("SELECT 1/0", None).unwrap_err();
    assert_eq!(e.sqlstate, "22012");
    // PostgreSQL answers PREPARE TRANSACTION of a failed transaction with
    // ROLLBACK; the standby, where it failed, may not prepare anything.
    let r = exec(&mut s, "PREPARE TRANSACTION 'pgtc_prep_failed'");
    assert_eq!(r.tag(), "ROLLBACK");
    assert!(!s.in_transaction());
    let r = exec(
        &mut s,
        "SELECT count(*) FROM pg_prepared_xacts WHERE gid = 'pgtc_prep_failed'",
    );
    assert_eq!(r.value(0, 0), Some("0"));
    // Both parts are gone: a new transaction reads on the standby again.
    exec(&mut s, "BEGIN");
    assert_eq!(server_of(&mut s, &count), pgtc::Server::Secondary);
    exec(&mut s, "COMMIT");
}

#[test]
fn write_mostly_sends_the_standby_nothing_and_brings_it_up_to_date_later() {
    let c = Cluster::shared();
    let mut s = c.open("PREFERRED_ACCESS=READ_MOSTLY");
    assert_eq!(
        exec(&mut s, "SET work_mem = '7MB'").server,
        Some(pgtc::Server::Both)
    );
    s.set_attr("PREFERRED_ACCESS", "WRITE_MOSTLY").unwrap();
    let r = exec(&mut s, "SET application_name = 'pgtc_wm_later'");
    assert_eq!(r.server, Some(pgtc::Server::Primary));
    assert_eq!(
        exec(&mut s, "RESET work_mem").server,
        Some(pgtc::Server::Primary)
    );
    let on_standby: i64 = c
        .direct(false)
        .query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgtc_wm_later' \
             OR query LIKE '%pgtc_wm_later%' AND pid <> pg_backend_pid()",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(on_standby, 0, "WRITE_MOSTLY sent a setting to the standby");
    // Back to READ_MOSTLY: the standby serves the session with the
    // session's settings, including the RESET.
    s.set_attr("PREFERRED_ACCESS", "READ_MOSTLY").unwrap();
    let r = until_on(
        &mut s,
        "SELECT current_setting('application_name') || ' ' || current_setting('work_mem')",
        pgtc::Server::Secondary,
        CATCH_UP,
    );
    assert_eq!(r.value(0, 0), Some("pgtc_wm_later 4MB"));
}

#[test]
fn a_setting_the_standby_cannot_apply_yet_never_fails_the_transaction() {
    let c = Cluster::shared();
    let role = format!("pgtc_r_{}", std::process::id());
    let mut s = c.open("PREFERRED_ACCESS=READ_MOSTLY");
    until_on(&mut s, "SELECT 1", pgtc::Server::Secondary, CATCH_UP);
    exec(&mut s, "BEGIN");
    exec(&mut s, "SELECT 1");
    exec(&mut s, &format!("CREATE ROLE {}", role));
    // The standby cannot see the uncommitted role: the setting runs on the
    // primary, and the transaction stays there.
    exec(&mut s, &format!("SET ROLE {}", role));
    let r = exec(&mut s, "SELECT current_user");
    assert_eq!(r.value(0, 0), Some(role.as_str()));
    assert_eq!(r.server, Some(pgtc::Server::Primary));
    exec(&mut s, "COMMIT");
    // After the commit the standby has the role, and the session's setting.
    let r = until_on(
        &mut s,
        "SELECT current_user",
        pgtc::Server::Secondary,
        CATCH_UP,
    );
    assert_eq!(r.value(0, 0), Some(role.as_str()));
    exec(&mut s, "RESET ROLE");
    exec(&mut s, &format!("DROP ROLE {}", role));
}

#[test]
fn copy_from_the_client_is_refused_by_the_server_and_the_connection_stays() {
    let c = Cluster::shared();
    let t = table("copy_in");
    let mut s = c.open("PREFERRED_ACCESS=READ_MOSTLY");
    exec(&mut s, &format!("CREATE TABLE {}(id int)", t));
    for sql in [
        format!("COPY {} FROM STDIN", t),
        format!("COPY {} FROM STDOUT", t),
    ] {
        let e = s.exec(&sql, None).unwrap_err();
        assert_eq!(e.sqlstate, "57014", "{}: {}", sql, e);
        assert_eq!(
            s.connected(),
            pgtc::Server::Both,
            "{} broke a connection",
            sql
        );
        assert_eq!(exec(&mut s, "SELECT 1").value(0, 0), Some("1"));
    }
}

/// Under WRITE_MOSTLY the standby never gets the session's settings, so a
/// primary connection made again cannot copy them from it: it gets those
/// the session kept, and not one that a rolled-back transaction undid.
#[test]
fn write_mostly_settings_survive_a_new_primary_connection() {
    let c = Cluster::shared();
    let app = format!("pgtc_wm_re_{}", std::process::id());
    let mut s = c.open(&format!("application_name={}", app));
    exec(&mut s, "SET work_mem = '7MB'");
    exec(&mut s, "BEGIN");
    exec(&mut s, "SET search_path = pg_catalog");
    exec(&mut s, "ROLLBACK");
    exec(&mut s, "SET statement_timeout = '61s'; SELECT 1");
    let before = exec(&mut s, "SHOW search_path");
    let before = before.value(0, 0).map(str::to_string);
    // The primary's backend goes away; the session makes a new connection.
    let mut d = c.direct(true);
    let gone: i64 = d
        .query_one(
            "SELECT count(*) FROM (SELECT pid FROM pg_stat_activity \
             WHERE application_name = $1 OFFSET 0) a WHERE pg_terminate_backend(pid)",
            &[&app],
        )
        .unwrap()
        .get(0);
    assert_eq!(gone, 1);
    let r = wait_for(
        "a statement on a new primary connection",
        CATCH_UP,
        || match s.exec("SHOW work_mem", None) {
            Ok(r) if r.server == Some(pgtc::Server::Primary) => Ok(r),
            Ok(r) => Err(format!("ran on {:?}", r.server)),
            Err(e) => Err(e.to_string()),
        },
    );
    assert_eq!(r.value(0, 0), Some("7MB"));
    let r = exec(&mut s, "SHOW statement_timeout");
    assert_eq!(r.value(0, 0), Some("61s"));
    let r = exec(&mut s, "SHOW search_path");
    assert_eq!(r.value(0, 0).map(str::to_string), before);
    let r = exec(&mut s, "SELECT pg_backend_pid() <> 0");
    assert_eq!(r.server, Some(pgtc::Server::Primary));
}
