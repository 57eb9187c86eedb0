//! ON_ERROR: what an error inside a transaction undoes. ROLLBACK_TRANSACTION
//! is PostgreSQL's own behaviour; ROLLBACK_STATEMENT undoes the failed
//! statement only, through a savepoint that rides in the statement's round
//! trip.

mod common;

use common::*;

fn count(s: &mut pgtc::Session, t: &str) -> String {
    exec(s, &format!("SELECT count(*) FROM {}", t))
        .value(0, 0)
        .unwrap()
        .to_string()
}

#[test]
fn rollback_transaction_leaves_the_transaction_aborted() {
    let c = Cluster::shared();
    let t = table("onerror_txn");
    let mut s = c.open("");
    assert_eq!(s.get_attr("ON_ERROR").unwrap(), "ROLLBACK_TRANSACTION");
    exec(&mut s, &format!("CREATE TABLE {} (i int)", t));
    exec(&mut s, "BEGIN");
    exec(&mut s, &format!("INSERT INTO {} VALUES (1)", t));
    assert_eq!(s.exec("SELECT 1/0", None).unwrap_err().sqlstate, "22012");
    let e = s
        .exec(&format!("INSERT INTO {} VALUES (2)", t), None)
        .unwrap_err();
    assert_eq!(e.sqlstate, "25P02");
    exec(&mut s, "ROLLBACK");
    assert_eq!(count(&mut s, &t), "0");
    exec(&mut s, &format!("DROP TABLE {}", t));
}

#[test]
fn rollback_statement_undoes_only_the_failed_statement() {
    let c = Cluster::shared();
    let t = table("onerror_stmt");
    let mut s = c.open("ON_ERROR=ROLLBACK_STATEMENT");
    exec(&mut s, &format!("CREATE TABLE {} (i int primary key)", t));
    exec(&mut s, "BEGIN");
    exec(&mut s, &format!("INSERT INTO {} VALUES (1)", t));
    // The failed statement's own writes are undone with it.
    let e = s
        .exec(&format!("INSERT INTO {} VALUES (2), (1)", t), None)
        .unwrap_err();
    assert_eq!(e.sqlstate, "23505");
    assert!(s.in_transaction());
    assert_eq!(s.exec("SELECT 1/0", None).unwrap_err().sqlstate, "22012");
    exec(&mut s, &format!("INSERT INTO {} VALUES (3)", t));
    exec(&mut s, "COMMIT");
    let rows = rows_of(&exec(&mut s, &format!("SELECT i FROM {} ORDER BY i", t)));
    assert_eq!(
        rows,
        vec![vec![Some("1".to_string())], vec![Some("3".to_string())]]
    );
    // Outside a transaction nothing changes: a failed autocommit statement
    // is rolled back by the server as always.
    assert_eq!(s.exec("SELECT 1/0", None).unwrap_err().sqlstate, "22012");
    assert!(!s.in_transaction());
    exec(&mut s, &format!("DROP TABLE {}", t));
}

#[test]
fn the_applications_savepoints_keep_working_under_rollback_statement() {
    let c = Cluster::shared();
    let t = table("onerror_sp");
    let mut s = c.open("ON_ERROR=ROLLBACK_STATEMENT");
    exec(&mut s, &format!("CREATE TABLE {} (i int)", t));
    exec(&mut s, "BEGIN");
    exec(&mut s, &format!("INSERT INTO {} VALUES (1)", t));
    exec(&mut s, "SAVEPOINT a");
    exec(&mut s, &format!("INSERT INTO {} VALUES (2)", t));
    // The statement savepoint after `a` must not take `a` with it.
    exec(&mut s, &format!("INSERT INTO {} VALUES (3)", t));
    assert!(s.exec("SELECT 1/0", None).is_err());
    exec(&mut s, &format!("INSERT INTO {} VALUES (4)", t));
    exec(&mut s, "ROLLBACK TO SAVEPOINT a");
    assert_eq!(count(&mut s, &t), "1");
    exec(&mut s, "RELEASE SAVEPOINT a");
    assert!(s.exec("SELECT 1/0", None).is_err());
    exec(&mut s, &format!("INSERT INTO {} VALUES (5)", t));
    exec(&mut s, "COMMIT");
    assert_eq!(count(&mut s, &t), "2");
    // Set and read back at run time; the next transaction follows it.
    s.set_attr("on_error", "rollback transaction").unwrap();
    assert_eq!(s.get_attr("ON_ERROR").unwrap(), "ROLLBACK_TRANSACTION");
    exec(&mut s, "BEGIN");
    assert!(s.exec("SELECT 1/0", None).is_err());
    assert_eq!(s.exec("SELECT 1", None).unwrap_err().sqlstate, "25P02");
    exec(&mut s, "ROLLBACK");
    exec(&mut s, &format!("DROP TABLE {}", t));
}

#[test]
fn an_implicit_transaction_gets_the_savepoint_too() {
    let c = Cluster::shared();
    let t = table("onerror_implicit");
    let mut s = c.open("ON_ERROR=ROLLBACK_STATEMENT AUTOCOMMIT=OFF");
    exec(&mut s, &format!("CREATE TABLE {} (i int)", t));
    exec(&mut s, "COMMIT");
    exec(&mut s, &format!("INSERT INTO {} VALUES (1)", t));
    assert!(s.exec("SELECT 1/0", None).is_err());
    exec(&mut s, &format!("INSERT INTO {} VALUES (2)", t));
    exec(&mut s, "COMMIT");
    assert_eq!(count(&mut s, &t), "2");
    exec(&mut s, &format!("DROP TABLE {}", t));
    exec(&mut s, "COMMIT");
}

/// Round trips of `script` run inside a transaction (after BEGIN and a
/// first statement), under `on_error`.
fn round_trips_of(c: &Cluster, on_error: &str, t: &str, script: &[String]) -> u64 {
    let mut s = c.open(&format!("ON_ERROR={}", on_error));
    exec(&mut s, "BEGIN");
    exec(&mut s, &format!("INSERT INTO {} VALUES (0)", t));
    let before = s.round_trips();
    for sql in script {
        exec(&mut s, sql);
    }
    let n = s.round_trips() - before;
    exec(&mut s, "ROLLBACK");
    n
}

#[test]
fn the_statement_savepoint_costs_no_round_trip() {
    let c = Cluster::shared();
    let t = table("onerror_rt");
    let mut s = c.open("");
    exec(&mut s, &format!("CREATE TABLE {} (i int)", t));
    let script: Vec<String> = (1..=5)
        .map(|i| format!("INSERT INTO {} VALUES ({})", t, i))
        .chain(std::iter::once(format!("SELECT count(*) FROM {}", t)))
        .collect();
    let plain = round_trips_of(&c, "ROLLBACK_TRANSACTION", &t, &script);
    let guarded = round_trips_of(&c, "ROLLBACK_STATEMENT", &t, &script);
    assert_eq!(plain, script.len() as u64);
    assert_eq!(guarded, plain);
    exec(&mut s, &format!("DROP TABLE {}", t));
}

#[test]
fn a_read_that_fails_on_the_standby_is_undone_there_alone() {
    let c = Cluster::shared();
    let t = table("onerror_standby");
    let mut s = c.open("PREFERRED_ACCESS=READ_MOSTLY PRIMARY_SHARE=0 ON_ERROR=ROLLBACK_STATEMENT");
    exec(&mut s, &format!("CREATE TABLE {} (i int)", t));
    until_on(&mut s, "SELECT 1", pgtc::Server::Secondary, CATCH_UP);
    exec(&mut s, "BEGIN");
    assert_eq!(server_of(&mut s, "SELECT 1"), pgtc::Server::Secondary);
    let e = s.exec("SELECT 1/0", None).unwrap_err();
    assert_eq!(e.sqlstate, "22012");
    // The transaction goes on, on the standby and then on the primary.
    exec(&mut s, "SELECT 2");
    exec(&mut s, &format!("INSERT INTO {} VALUES (1)", t));
    assert!(s.exec("SELECT 1/0", None).is_err());
    exec(&mut s, "COMMIT");
    assert_eq!(count(&mut s, &t), "1");
    exec(&mut s, &format!("DROP TABLE {}", t));
}

#[test]
fn rollback_statement_holds_for_a_read_asked_as_a_stream() {
    let c = Cluster::shared();
    let t = table("onerror_stream");
    let mut s = c.open("ON_ERROR=ROLLBACK_STATEMENT");
    exec(&mut s, &format!("CREATE TABLE {} (i int)", t));
    exec(&mut s, "BEGIN");
    exec(&mut s, &format!("INSERT INTO {} VALUES (1)", t));
    // A read that fails inside the transaction, asked for as a stream:
    // its error undoes it alone, as for any other statement.
    let sql = "SELECT 1 / (g - 3) FROM generate_series(1, 5) g";
    let e = match s.stream(sql, &[], pgtc::session::Values::Text(&[]), &[], 2) {
        Err(e) => e,
        Ok(mut st) => loop {
            match s.stream_next(&mut st) {
                Ok(Some(_)) => continue,
                Ok(None) => panic!("the division by zero was not reported"),
                Err(e) => break e,
            }
        },
    };
    assert_eq!(e.sqlstate, "22012");
    assert!(s.in_transaction());
    exec(&mut s, &format!("INSERT INTO {} VALUES (2)", t));
    exec(&mut s, "COMMIT");
    assert_eq!(count(&mut s, &t), "2");
    exec(&mut s, &format!("DROP TABLE {}", t));
}

#[test]
fn rollback_statement_holds_with_autocommit_off_around_streams() {
    let c = Cluster::shared();
    let t = table("onerror_ac");
    let mut s = c.open("ON_ERROR=ROLLBACK_STATEMENT");
    exec(&mut s, &format!("CREATE TABLE {} (i int)", t));
    s.set_attr("AUTOCOMMIT", "OFF").unwrap();
    let read = |s: &mut pgtc::Session, sql: &str| -> Result<(), pgtc::Error> {
        let mut st = s.stream(sql, &[], pgtc::session::Values::Text(&[]), &[], 2)?;
        while s.stream_next(&mut st)?.is_some() {}
        Ok(())
    };
    // The first statement of a transaction AUTOCOMMIT=OFF opens is a read
    // that fails: it alone is undone.
    let e = read(&mut s, "SELECT 1 / (g - 3) FROM generate_series(1, 5) g").unwrap_err();
    assert_eq!(e.sqlstate, "22012");
    exec(&mut s, &format!("INSERT INTO {} VALUES (1)", t));
    exec(&mut s, "COMMIT");
    // A transaction that wrote, then rolled back; the next one starts
    // with a read and goes on writing.
    exec(&mut s, &format!("INSERT INTO {} VALUES (2)", t));
    read(&mut s, &format!("SELECT i FROM {}", t)).unwrap();
    exec(&mut s, "ROLLBACK");
    read(&mut s, &format!("SELECT i FROM {}", t)).unwrap();
    exec(&mut s, &format!("INSERT INTO {} VALUES (3)", t));
    exec(&mut s, "COMMIT");
    s.set_attr("AUTOCOMMIT", "ON").unwrap();
    assert_eq!(count(&mut s, &t), "2");
    exec(&mut s, &format!("DROP TABLE {}", t));
}
