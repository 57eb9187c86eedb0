//! Statements that belong to a transaction follow it: inside a READ
//! COMMITTED transaction that has only read, savepoints, `SET LOCAL`,
//! `SET CONSTRAINTS` and `LOCK … IN ACCESS SHARE MODE` reach both parts of
//! the transaction and its reads stay on the standby; a write still moves
//! the rest to the primary.

mod common;

use common::*;
use pgtc::Server;

/// A READ_MOSTLY session that balances every read to the standby, and a
/// table `t` (column `id int`, filled with `setup`) the standby has
/// replayed.
fn session_with_table(c: &Cluster, t: &str, setup: &[&str]) -> pgtc::Session {
    let mut s = c.open("PREFERRED_ACCESS=READ_MOSTLY PRIMARY_SHARE=0");
    exec(&mut s, &format!("CREATE TABLE {}(id int)", t));
    for sql in setup {
        exec(&mut s, &sql.replace("{t}", t));
    }
    until_on(
        &mut s,
        &format!("SELECT count(*) FROM {}", t),
        Server::Secondary,
        CATCH_UP,
    );
    s
}

#[test]
fn transaction_state_reaches_both_parts_and_reads_stay_on_the_standby() {
    let c = Cluster::shared();
    let t = table("follows");
    let mut s = session_with_table(&c, &t, &[]);
    let read = format!("SELECT count(*) FROM {}", t);
    exec(&mut s, "BEGIN");
    assert_eq!(server_of(&mut s, &read), Server::Secondary);
    for sql in [
        "SAVEPOINT a",
        "SET LOCAL work_mem = '3MB'",
        "SET CONSTRAINTS ALL DEFERRED",
        &format!("LOCK TABLE {} IN ACCESS SHARE MODE", t),
        "SAVEPOINT b",
    ] {
        assert_eq!(server_of(&mut s, sql), Server::Both, "{}", sql);
        assert_eq!(server_of(&mut s, &read), Server::Secondary, "after {}", sql);
    }
    // Both parts have the setting.
    let r = exec(&mut s, "SELECT current_setting('work_mem')");
    assert_eq!(
        (r.server, r.value(0, 0)),
        (Some(Server::Secondary), Some("3MB"))
    );
    let r = exec(
        &mut s,
        "/* pgtc:primary */ SELECT current_setting('work_mem')",
    );
    assert_eq!(
        (r.server, r.value(0, 0)),
        (Some(Server::Primary), Some("3MB"))
    );
    // A read that fails on the standby is recovered with ROLLBACK TO, on
    // both parts, and reads go on there.
    let e = s.exec("SELECT 1/0", None).unwrap_err();
    assert_eq!(e.sqlstate, "22012");
    assert_eq!(server_of(&mut s, "ROLLBACK TO b"), Server::Both);
    assert_eq!(server_of(&mut s, &read), Server::Secondary);
    assert_eq!(server_of(&mut s, "RELEASE a"), Server::Both);
    // A write moves the rest of the transaction to the primary.
    assert_eq!(
        server_of(&mut s, &format!("INSERT INTO {} VALUES (1)", t)),
        Server::Primary
    );
    let r = exec(&mut s, &read);
    assert_eq!(
        (r.server, r.value(0, 0)),
        (Some(Server::Primary), Some("1"))
    );
    assert_eq!(server_of(&mut s, "SAVEPOINT c"), Server::Primary);
    assert_eq!(server_of(&mut s, "ROLLBACK TO c"), Server::Primary);
    exec(&mut s, "COMMIT");
    assert_eq!(c.count_on_primary(&t), 1);
    // SET LOCAL ended with the transaction, on both servers.
    let r = until_on(&mut s, "SHOW work_mem", Server::Secondary, CATCH_UP);
    assert_eq!(r.value(0, 0), Some("4MB"));
    assert_eq!(
        exec(&mut s, "/* pgtc:primary */ SHOW work_mem").value(0, 0),
        Some("4MB")
    );
}

#[test]
fn outside_a_transaction_and_under_write_mostly_they_behave_as_on_one_server() {
    let c = Cluster::shared();
    let t = table("follows_out");
    let mut d = c.direct(true);
    d.batch_execute(&format!("CREATE TABLE {}(id int)", t))
        .unwrap();
    c.wait_replayed();
    let direct = |sql: &str| {
        c.direct(true)
            .simple_query(sql)
            .map(|_| ())
            .map_err(|e| e.code().map(|c| c.code().to_string()).unwrap_or_default())
    };
    let mut s = c.open("PREFERRED_ACCESS=READ_MOSTLY");
    for sql in [
        "SAVEPOINT a".to_string(),
        "RELEASE a".to_string(),
        "ROLLBACK TO a".to_string(),
        "SET LOCAL work_mem = '3MB'".to_string(),
        format!("LOCK TABLE {} IN ACCESS SHARE MODE", t),
    ] {
        let got = s.exec(&sql, None).map(|_| ()).map_err(|e| e.sqlstate);
        assert_eq!(got, direct(&sql), "{}", sql);
        assert!(!s.in_transaction());
    }
    let mut w = c.open("PREFERRED_ACCESS=WRITE_MOSTLY");
    exec(&mut w, "BEGIN");
    for sql in ["SAVEPOINT a", "SET LOCAL work_mem = '3MB'", "RELEASE a"] {
        assert_eq!(server_of(&mut w, sql), Server::Primary, "{}", sql);
    }
    exec(&mut w, "COMMIT");
}

#[test]
fn a_cursor_over_a_read_is_declared_where_reads_run_and_fetched_there() {
    let c = Cluster::shared();
    let t = table("follows_cur");
    let mut s = session_with_table(&c, &t, &["INSERT INTO {t} SELECT generate_series(1, 5)"]);
    exec(&mut s, "BEGIN");
    let declare = format!("DECLARE cur CURSOR FOR SELECT id FROM {} ORDER BY id", t);
    assert_eq!(server_of(&mut s, &declare), Server::Secondary);
    let r = exec(&mut s, "FETCH 2 FROM cur");
    assert_eq!(
        (r.server, r.rows(), r.value(1, 0)),
        (Some(Server::Secondary), 2, Some("2"))
    );
    // A write moves the transaction to the primary; the cursor stays where
    // it was declared.
    exec(&mut s, &format!("INSERT INTO {} VALUES (6)", t));
    assert_eq!(server_of(&mut s, "MOVE 1 IN cur"), Server::Secondary);
    let r = exec(&mut s, "FETCH ALL FROM cur");
    assert_eq!(
        (r.server, r.rows(), r.value(0, 0)),
        (Some(Server::Secondary), 2, Some("4"))
    );
    assert_eq!(server_of(&mut s, "CLOSE cur"), Server::Secondary);
    // A cursor declared after the write is the primary's, and sees it.
    assert_eq!(server_of(&mut s, &declare), Server::Primary);
    let r = exec(&mut s, "FETCH ALL FROM cur");
    assert_eq!((r.server, r.rows()), (Some(Server::Primary), 6));
    exec(&mut s, "COMMIT");
    // Locking and held cursors stay on the primary.
    exec(&mut s, "BEGIN");
    let locking = format!("DECLARE l CURSOR FOR SELECT id FROM {} FOR UPDATE", t);
    assert_eq!(server_of(&mut s, &locking), Server::Primary);
    assert_eq!(server_of(&mut s, "FETCH 1 FROM l"), Server::Primary);
    exec(&mut s, "ROLLBACK");
}

#[test]
fn the_session_s_cursors_are_listed_and_closed_where_they_live() {
    let c = Cluster::shared();
    let t = table("follows_list");
    let mut s = session_with_table(&c, &t, &[]);
    exec(&mut s, "BEGIN");
    let declare = |n: &str| format!("DECLARE {} CURSOR FOR SELECT id FROM {}", n, t);
    assert_eq!(server_of(&mut s, &declare("a")), Server::Secondary);
    assert_eq!(server_of(&mut s, &declare("b")), Server::Secondary);
    // pg_cursors is answered by the server that holds the cursors.
    let r = exec(
        &mut s,
        "SELECT string_agg(name, ',' ORDER BY name) FROM pg_cursors",
    );
    assert_eq!(
        (r.server, r.value(0, 0)),
        (Some(Server::Secondary), Some("a,b"))
    );
    let r = exec(&mut s, "SELECT count(*) FROM pg_catalog.pg_cursor()");
    assert_eq!(r.value(0, 0), Some("2"));
    // Other server-dependent reads are still the primary's.
    let r = exec(
        &mut s,
        "SELECT count(*), pg_is_in_recovery() FROM pg_cursors",
    );
    assert_eq!(r.server, Some(Server::Primary));
    // CLOSE ALL closes them on the standby too.
    assert_eq!(server_of(&mut s, "CLOSE ALL"), Server::Both);
    let e = s.exec("FETCH 1 FROM a", None).unwrap_err();
    assert_eq!(e.sqlstate, "34000");
    exec(&mut s, "ROLLBACK");
    // Outside a transaction the primary's (held) cursors are the session's.
    exec(
        &mut s,
        &format!("DECLARE h CURSOR WITH HOLD FOR SELECT id FROM {}", t),
    );
    let r = exec(&mut s, "SELECT string_agg(name, ',') FROM pg_cursors");
    assert_eq!(
        (r.server, r.value(0, 0)),
        (Some(Server::Primary), Some("h"))
    );
    exec(&mut s, "CLOSE h");
}

#[test]
fn the_transaction_time_is_the_primarys_and_temporary_schemas_stay_there() {
    let c = Cluster::shared();
    let t = table("follows_time");
    let mut s = c.open("PREFERRED_ACCESS=READ_MOSTLY PRIMARY_SHARE=0");
    exec(&mut s, &format!("CREATE TABLE {}(id int)", t));
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    exec(&mut s, "BEGIN");
    assert_eq!(server_of(&mut s, "SELECT 1"), Server::Secondary);
    let first = exec(&mut s, "SELECT now()::text");
    assert_eq!(first.server, Some(Server::Primary));
    exec(&mut s, "SELECT pg_sleep(0.02)");
    exec(&mut s, &format!("INSERT INTO {} VALUES (1)", t));
    let again = exec(
        &mut s,
        "SELECT now()::text, (current_timestamp = transaction_timestamp())::text",
    );
    assert_eq!(
        again.value(0, 0),
        first.value(0, 0),
        "one time per transaction"
    );
    assert_eq!(again.value(0, 1), Some("true"));
    exec(&mut s, "COMMIT");
    // Outside a transaction block every statement is a transaction of its
    // own: the time is balanced like any read.
    let r = until_on(
        &mut s,
        "SELECT now() IS NOT NULL",
        Server::Secondary,
        CATCH_UP,
    );
    assert_eq!(r.value(0, 0), Some("t"));

    // A temporary table made where pgtc cannot see it (inside a function)
    // is read through pg_temp on the primary, whose session has it.
    let f = format!("{}_mk", t);
    exec(
        &mut s,
        &format!(
            "CREATE FUNCTION {}() RETURNS void LANGUAGE plpgsql VOLATILE AS \
             $$BEGIN CREATE TEMP TABLE IF NOT EXISTS tmp_follows(a int); END$$",
            f
        ),
    );
    assert_eq!(
        server_of(&mut s, &format!("SELECT {}()", f)),
        Server::Primary
    );
    let r = exec(&mut s, "SELECT count(*) FROM pg_temp.tmp_follows");
    assert_eq!(
        (r.server, r.value(0, 0)),
        (Some(Server::Primary), Some("0"))
    );
    exec(&mut s, &format!("DROP FUNCTION {}()", f));
}

#[test]
fn a_write_made_through_a_volatile_function_is_read_back() {
    // A lagging standby: a read that ignored the write would see old data.
    let c = Cluster::new(300);
    let t = table("follows_vol");
    let mut s = c.open("PREFERRED_ACCESS=READ_MOSTLY");
    exec(&mut s, &format!("CREATE TABLE {}(id int)", t));
    exec(
        &mut s,
        &format!(
            "CREATE FUNCTION {t}_add() RETURNS int LANGUAGE sql VOLATILE AS \
             'INSERT INTO {t} VALUES (1) RETURNING 1'",
            t = t
        ),
    );
    let read = format!("SELECT count(*) FROM {}", t);
    until_on(&mut s, &read, Server::Secondary, CATCH_UP);
    for n in 1..=3 {
        // Autocommit, then inside a transaction.
        let r = if n < 3 {
            exec(&mut s, &format!("SELECT {}_add()", t))
        } else {
            exec(&mut s, "BEGIN");
            exec(&mut s, &format!("SELECT {}_add()", t));
            let inside = exec(&mut s, &read);
            assert_eq!(
                inside.value(0, 0),
                Some("3"),
                "the transaction reads its write"
            );
            exec(&mut s, "COMMIT")
        };
        assert!(matches!(r.server, Some(Server::Primary | Server::Both)));
        let r = exec(&mut s, &read);
        assert_eq!(
            r.value(0, 0),
            Some(n.to_string().as_str()),
            "read {} missed the write",
            n
        );
    }
}
