//! Prepared statements on both servers, the statement cache of
//! exec_params, typed and binary parameters, against a real pair. Parse
//! messages and round trips are counted, never timed.

mod common;
use common::cabi::{open, s};
use common::*;
use pgtc::ffi::conn::*;
use pgtc::ffi::error::*;
use pgtc::ffi::result::*;
use pgtc::ffi::stmt::*;
use pgtc::session::{Statement, Values};
use pgtc::{ResultSet, Server, Session, Status};
use std::ffi::{c_char, c_int, CString};
use std::ptr::{null, null_mut};

const RM: &str = "PREFERRED_ACCESS=READ_MOSTLY";

fn run(s: &mut Session, st: &Statement, params: &[Option<&str>]) -> ResultSet {
    s.exec_prepared(st, Values::Text(params), &[])
        .unwrap_or_else(|e| panic!("{}: {}", st.sql(), e))
}

/// Statements of pgtc's own prepared in the session's primary backend.
fn prepared_on_primary(s: &mut Session) -> i64 {
    let r = exec(
        s,
        "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'pgtc\\_%'",
    );
    assert_eq!(r.server, Some(Server::Primary));
    r.value(0, 0).unwrap().parse().unwrap()
}

#[test]
fn a_statement_is_described_without_running_and_parsed_once_per_connection() {
    let c = Cluster::shared();
    let t = table("st_once");
    let mut s = c.open(RM);
    exec(
        &mut s,
        &format!("CREATE TABLE {}(id int PRIMARY KEY, v varchar(12))", t),
    );
    exec(&mut s, &format!("INSERT INTO {} VALUES (1, 'one')", t));
    let before = s.round_trips();
    let st = s
        .prepare(&format!("SELECT v, id FROM {} WHERE id = $1", t), &[])
        .unwrap();
    assert_eq!(s.round_trips() - before, 1, "prepare is one round trip");
    // The description answers without another round trip.
    assert_eq!(st.param_types(), &[23]);
    let cols = st.columns();
    assert_eq!(
        cols.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["v", "id"]
    );
    assert_eq!((cols[0].type_oid, cols[0].type_modifier), (1043, 16));
    assert_eq!((cols[0].table_column, cols[1].table_column), (2, 1));
    assert!(cols[0].table_oid > 0);
    let parsed = (s.parses(Server::Primary), s.parses(Server::Secondary));
    // Run it until each server has served it a few times.
    let mut served = [0u32; 2];
    wait_for("the statement to run on both servers", CATCH_UP * 2, || {
        let before = s.round_trips();
        let r = run(&mut s, &st, &[Some("1")]);
        assert_eq!(s.round_trips() - before, 1, "one round trip per execution");
        assert_eq!(rows_of(&r), [[Some("one".to_string()), Some("1".into())]]);
        match r.server {
            Some(Server::Primary) => served[0] += 1,
            Some(Server::Secondary) => served[1] += 1,
            other => panic!("ran on {:?}", other),
        }
        if served.iter().all(|&n| n >= 3) {
            Ok(())
        } else {
            if served[1] >= 3 {
                // Idle servers may keep balancing to the standby: send the
                // session's reads to the primary for the rest.
                s.set_attr("PREFERRED_ACCESS", "WRITE_MOSTLY").unwrap();
            }
            Err(format!("primary {}, standby {}", served[0], served[1]))
        }
    });
    s.set_attr("PREFERRED_ACCESS", "READ_MOSTLY").unwrap();
    assert_eq!(
        (
            s.parses(Server::Primary) - parsed.0,
            s.parses(Server::Secondary) - parsed.1
        ),
        (0, 1),
        "prepared on the primary by the description, once on the standby"
    );
    // A write through a prepared statement goes to the primary and raises
    // the LSN floor; the read after it sees it wherever it runs.
    let ins = s
        .prepare(&format!("INSERT INTO {} VALUES ($1, $2)", t), &[])
        .unwrap();
    assert_eq!(ins.param_types(), &[23, 1043]);
    assert!(ins.columns().is_empty());
    for i in 2..12 {
        let floor = s.lsn_floor();
        let id = i.to_string();
        let r = run(&mut s, &ins, &[Some(&id), Some("written")]);
        assert_eq!((r.server, r.affected()), (Some(Server::Primary), 1));
        assert!(s.lsn_floor() > floor, "the write raised the floor");
        let r = run(&mut s, &st, &[Some(&id)]);
        assert_eq!(r.value(0, 0), Some("written"), "read on {:?}", r.server);
    }
    exec(&mut s, &format!("DROP TABLE {}", t));
}

#[test]
fn a_parameter_count_that_does_not_match_is_refused_before_sending() {
    let c = Cluster::shared();
    let mut s = c.open("");
    let st = s.prepare("SELECT $1::int + $2::int", &[]).unwrap();
    assert_eq!(st.param_types().len(), 2);
    let before = s.round_trips();
    for given in [&[Some("1")][..], &[Some("1"), Some("2"), Some("3")], &[]] {
        let e = s.exec_prepared(&st, Values::Text(given), &[]).unwrap_err();
        assert_eq!(
            (e.status, e.sqlstate.as_str()),
            (Status::InvalidArgument, "08P01")
        );
        assert!(e.message.contains("requires 2"), "{}", e.message);
    }
    assert_eq!(s.round_trips(), before, "nothing was sent");
    assert_eq!(
        run(&mut s, &st, &[Some("1"), Some("2")]).value(0, 0),
        Some("3")
    );
    // exec_params: the server says the same.
    let e = s
        .exec("SELECT $1::int + $2::int", Some(&[Some("1")]))
        .unwrap_err();
    assert_eq!(e.sqlstate, "08P01", "{}", e.message);
    // A statement of another session is refused.
    let mut other = c.open("");
    let e = other
        .exec_prepared(&st, Values::Text(&[Some("1"), Some("2")]), &[])
        .unwrap_err();
    assert_eq!(e.status, Status::InvalidArgument);
    // Errors of the text itself come from the server at prepare time.
    let e = s.prepare("SELEC 1", &[]).unwrap_err();
    assert_eq!((e.status, e.sqlstate.as_str()), (Status::Sql, "42601"));
    let e = s.prepare("SELECT 1; SELECT 2", &[]).unwrap_err();
    assert_eq!(e.sqlstate, "42601");
    assert_eq!(exec(&mut s, "SELECT 1").value(0, 0), Some("1"));
}

#[test]
fn typed_parameters_and_binary_bytea_round_trip() {
    let c = Cluster::shared();
    let t = table("st_bytea");
    let mut s = c.open(RM);
    // Types decide how the server reads a parameter.
    let r = s
        .exec_typed(
            "SELECT pg_typeof($1)::text",
            &[20],
            Values::Text(&[Some("7")]),
            &[],
        )
        .unwrap();
    assert_eq!(r.value(0, 0), Some("bigint"));
    let r = s
        .exec_typed(
            "SELECT pg_typeof($1)::text",
            &[25],
            Values::Text(&[Some("7")]),
            &[],
        )
        .unwrap();
    assert_eq!(r.value(0, 0), Some("text"));
    let e = s
        .exec_typed(
            "SELECT pg_typeof($1)::text",
            &[],
            Values::Text(&[Some("7")]),
            &[],
        )
        .unwrap_err();
    assert_eq!(e.sqlstate, "42P18", "no type to infer: {}", e.message);
    let st = s.prepare("SELECT pg_typeof($1)::text", &[1700]).unwrap();
    assert_eq!(st.param_types(), &[1700]);
    assert_eq!(
        run(&mut s, &st, &[Some("1.5")]).value(0, 0),
        Some("numeric")
    );
    // Binary bytea with NUL and high bytes, through the cache and a statement.
    exec(&mut s, &format!("CREATE TABLE {}(id int, b bytea)", t));
    let raw: &[u8] = &[0, 255, b'A', 0, 1];
    let r = s
        .exec_typed(
            &format!("INSERT INTO {} VALUES ($1, $2)", t),
            &[23, 17],
            Values::Bytes(&[Some(b"1"), Some(raw)]),
            &[0, 1],
        )
        .unwrap();
    assert_eq!(r.affected(), 1);
    let ins = s
        .prepare(&format!("INSERT INTO {} VALUES ($1, $2)", t), &[23, 17])
        .unwrap();
    let r = s
        .exec_prepared(&ins, Values::Bytes(&[Some(b"2"), Some(raw)]), &[0, 1])
        .unwrap();
    assert_eq!(r.affected(), 1);
    let r = exec(
        &mut s,
        &format!("SELECT id, encode(b, 'hex') FROM {} ORDER BY id", t),
    );
    assert_eq!(
        rows_of(&r),
        [
            [Some("1".to_string()), Some("00ff410001".to_string())],
            [Some("2".to_string()), Some("00ff410001".to_string())]
        ]
    );
    // Binary int4 is four bytes in network order.
    let r = s
        .exec_typed(
            "SELECT $1::int4 + 1",
            &[23],
            Values::Bytes(&[Some(&[0, 0, 1, 0])]),
            &[1],
        )
        .unwrap();
    assert_eq!(r.value(0, 0), Some("257"));
    // A value that is not valid binary for its type: the server's error.
    let e = s
        .exec_typed(
            "SELECT $1::int4",
            &[23],
            Values::Bytes(&[Some(&[1, 2])]),
            &[1],
        )
        .unwrap_err();
    assert_eq!(
        (e.status, e.sqlstate.as_str()),
        (Status::Sql, "08P01"),
        "{}",
        e.message
    );
    assert!(e.message.contains("insufficient data"), "{}", e.message);
    // Formats that do not fit the parameters: refused before sending.
    let e = s
        .exec_typed(
            "SELECT $1, $2, $3",
            &[],
            Values::Text(&[Some("a"), Some("b"), Some("c")]),
            &[0, 1],
        )
        .unwrap_err();
    assert_eq!(e.status, Status::InvalidArgument);
    exec(&mut s, &format!("DROP TABLE {}", t));
}

#[test]
fn the_statement_cache_evicts_the_least_recently_used_and_closes_it() {
    let c = Cluster::shared();
    let mut s = c.open("STATEMENT_CACHE=3");
    assert_eq!(prepared_on_primary(&mut s), 0);
    let sql = |i: usize| format!("SELECT $1::int + {}", i);
    let p0 = s.parses(Server::Primary);
    for i in 0..5 {
        let r = s.exec(&sql(i), Some(&[Some("1")])).unwrap();
        assert_eq!(r.value(0, 0).unwrap(), (i + 1).to_string());
    }
    assert_eq!(s.parses(Server::Primary) - p0, 5);
    assert_eq!(s.stmt_cache_len(Server::Primary), 3);
    assert_eq!(prepared_on_primary(&mut s), 3, "evicted ones are closed");
    // The three most recent are hits: no Parse, one round trip each.
    for i in [2, 3, 4, 4, 2] {
        let before = (s.round_trips(), s.parses(Server::Primary));
        s.exec(&sql(i), Some(&[Some("1")])).unwrap();
        assert_eq!(
            (
                s.round_trips() - before.0,
                s.parses(Server::Primary) - before.1
            ),
            (1, 0)
        );
    }
    // The least recently used now is 3: bringing 0 back evicts it.
    s.exec(&sql(0), Some(&[Some("1")])).unwrap();
    let before = s.parses(Server::Primary);
    for i in [0, 2, 4] {
        s.exec(&sql(i), Some(&[Some("1")])).unwrap();
    }
    assert_eq!(s.parses(Server::Primary), before, "0, 2 and 4 are cached");
    s.exec(&sql(3), Some(&[Some("1")])).unwrap();
    assert_eq!(s.parses(Server::Primary), before + 1, "3 was evicted");
    // STATEMENT_CACHE=0: every execution parses the unnamed statement, and
    // the cached statements are closed with the next request.
    s.set_attr("STATEMENT_CACHE", "0").unwrap();
    assert_eq!(s.stmt_cache_len(Server::Primary), 0);
    let before = s.parses(Server::Primary);
    for _ in 0..3 {
        s.exec(&sql(9), Some(&[Some("1")])).unwrap();
    }
    assert_eq!(s.parses(Server::Primary) - before, 3);
    assert_eq!(prepared_on_primary(&mut s), 0);
    assert_eq!(s.get_attr("statement_cache").unwrap(), "0");
}

#[test]
fn discard_all_and_deallocate_are_followed() {
    let c = Cluster::shared();
    let mut s = c.open("");
    let q = "SELECT $1::text || 'x'";
    let st = s.prepare("SELECT $1::int * 2", &[]).unwrap();
    s.exec(q, Some(&[Some("a")])).unwrap();
    run(&mut s, &st, &[Some("2")]);
    assert_eq!(prepared_on_primary(&mut s), 2);
    for reset in ["DISCARD ALL", "DEALLOCATE ALL"] {
        exec(&mut s, reset);
        assert_eq!(prepared_on_primary(&mut s), 0, "{}", reset);
        let before = s.parses(Server::Primary);
        assert_eq!(
            s.exec(q, Some(&[Some("a")])).unwrap().value(0, 0),
            Some("ax")
        );
        assert_eq!(run(&mut s, &st, &[Some("2")]).value(0, 0), Some("4"));
        assert_eq!(s.parses(Server::Primary) - before, 2, "prepared again");
        assert_eq!(prepared_on_primary(&mut s), 2);
    }
    // One of pgtc's statements deallocated by name: prepared again too.
    let name = exec(
        &mut s,
        "SELECT name FROM pg_prepared_statements WHERE name LIKE 'pgtc\\_%' \
         AND statement LIKE '%* 2%'",
    )
    .value(0, 0)
    .unwrap()
    .to_string();
    exec(&mut s, &format!("DEALLOCATE {}", name));
    assert_eq!(run(&mut s, &st, &[Some("5")]).value(0, 0), Some("10"));
    // DDL that changes a cached statement's result columns: prepared again
    // (outside a transaction the statement simply runs again).
    let t = table("st_ddl");
    exec(&mut s, &format!("CREATE TABLE {}(a int)", t));
    exec(&mut s, &format!("INSERT INTO {} VALUES (1)", t));
    let star = format!("SELECT * FROM {} WHERE a = $1", t);
    let st_star = s.prepare(&star, &[]).unwrap();
    assert_eq!(s.exec(&star, Some(&[Some("1")])).unwrap().cols(), 1);
    assert_eq!(run(&mut s, &st_star, &[Some("1")]).cols(), 1);
    exec(
        &mut s,
        &format!("ALTER TABLE {} ADD COLUMN b text DEFAULT 'new'", t),
    );
    let r = s.exec(&star, Some(&[Some("1")])).unwrap();
    assert_eq!(
        rows_of(&r),
        [[Some("1".to_string()), Some("new".to_string())]]
    );
    let r = run(&mut s, &st_star, &[Some("1")]);
    assert_eq!(r.cols(), 2);
    // DDL run by a session of this process (this one or another): the
    // cached statement is prepared again before its next use, so a
    // transaction does not meet the stale statement.
    exec(&mut s, &format!("ALTER TABLE {} ADD COLUMN c int", t));
    exec(&mut s, "BEGIN");
    assert_eq!(s.exec(&star, Some(&[Some("1")])).unwrap().cols(), 3);
    exec(&mut s, "COMMIT");
    let mut other = c.open("");
    exec(&mut other, &format!("ALTER TABLE {} ADD COLUMN d int", t));
    exec(&mut s, "BEGIN");
    assert_eq!(s.exec(&star, Some(&[Some("1")])).unwrap().cols(), 4);
    exec(&mut s, "COMMIT");
    // DDL in a transaction of another session that rolls back.
    exec(&mut other, "BEGIN");
    exec(&mut other, &format!("ALTER TABLE {} DROP COLUMN d", t));
    exec(&mut other, "ROLLBACK");
    exec(&mut s, "BEGIN");
    assert_eq!(s.exec(&star, Some(&[Some("1")])).unwrap().cols(), 4);
    exec(&mut s, "COMMIT");
    // DDL from outside the process is not seen: inside a transaction the
    // server's error is reported (the transaction is aborted, as with any
    // error), and the statement is prepared again after it.
    c.direct(true)
        .batch_execute(&format!("ALTER TABLE {} ADD COLUMN e int", t))
        .unwrap();
    exec(&mut s, "BEGIN");
    let e = s.exec(&star, Some(&[Some("1")])).unwrap_err();
    assert_eq!(e.sqlstate, "0A000", "{}", e.message);
    exec(&mut s, "ROLLBACK");
    assert_eq!(s.exec(&star, Some(&[Some("1")])).unwrap().cols(), 5);
    exec(&mut s, &format!("DROP TABLE {}", t));
    // In READ_MOSTLY, DISCARD ALL runs on both servers; the statement runs
    // on both again.
    let mut s = c.open(RM);
    let st = s.prepare("SELECT $1::int * 3", &[]).unwrap();
    let ran_on = |s: &mut Session, want: Server| {
        wait_for(format_args!("a run on the {:?}", want), CATCH_UP, || {
            let r = run(s, &st, &[Some("3")]);
            assert_eq!(r.value(0, 0), Some("9"));
            if r.server == Some(want) {
                Ok(())
            } else {
                Err(format!("{:?}", r.server))
            }
        })
    };
    ran_on(&mut s, Server::Secondary);
    assert_eq!(exec(&mut s, "DISCARD ALL").server, Some(Server::Both));
    ran_on(&mut s, Server::Secondary);
    s.set_attr("PREFERRED_ACCESS", "WRITE_MOSTLY").unwrap();
    ran_on(&mut s, Server::Primary);
}

/// Terminate the session's backend on one server (found by application
/// name) and wait until it is gone.
fn terminate(c: &Cluster, primary: bool, app: &str) {
    let mut d = c.direct(primary);
    let pids: Vec<i32> = d
        .query(
            "SELECT pid FROM (SELECT pid FROM pg_stat_activity \
             WHERE application_name = $1 OFFSET 0) a WHERE pg_terminate_backend(pid)",
            &[&app],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        pids.len(),
        1,
        "one backend of {} (primary: {})",
        app,
        primary
    );
    wait_for("the terminated backend to exit", CATCH_UP, || {
        let n: i64 = d
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = $1",
                &[&pids[0]],
            )
            .unwrap()
            .get(0);
        (n == 0).then_some(()).ok_or(format!("{} left", n))
    });
}

/// Run `st` until it succeeds on `want`.
fn until_ran_on(s: &mut Session, st: &Statement, want: Server) -> ResultSet {
    wait_for(
        format_args!("a run on the {:?}", want),
        CATCH_UP,
        || match s.exec_prepared(st, Values::Text(&[Some("2")]), &[]) {
            Ok(r) if r.server == Some(want) => Ok(r),
            Ok(r) => Err(format!("ran on {:?}", r.server)),
            Err(e) => Err(e.to_string()),
        },
    )
}

#[test]
fn statements_are_prepared_again_after_a_reconnect() {
    let c = Cluster::shared();
    let app = format!("pgtc_stmt_re_{}", std::process::id());
    let mut s = c.open(&format!("application_name={} {}", app, RM));
    let st = s.prepare("SELECT $1::int + 40", &[]).unwrap();
    s.exec("SELECT $1::int - 1", Some(&[Some("1")])).unwrap();
    until_ran_on(&mut s, &st, Server::Secondary);
    // The primary's backend is killed: the session reconnects and the
    // statement (and the cached one) are prepared on the new connection.
    s.set_attr("PREFERRED_ACCESS", "WRITE_MOSTLY").unwrap();
    until_ran_on(&mut s, &st, Server::Primary);
    terminate(&c, true, &app);
    wait_for("a new primary connection", CATCH_UP, || {
        match s.exec(
            "SELECT 1 FROM pg_stat_activity WHERE pid = pg_backend_pid()",
            None,
        ) {
            Ok(r) if r.server == Some(Server::Primary) && s.connected() == Server::Both => Ok(()),
            Ok(r) => Err(format!("on {:?}, connected {:?}", r.server, s.connected())),
            Err(e) => Err(e.to_string()),
        }
    });
    let r = until_ran_on(&mut s, &st, Server::Primary);
    assert_eq!(r.value(0, 0), Some("42"));
    assert_eq!(
        s.parses(Server::Primary),
        1,
        "one Parse on the new connection"
    );
    assert_eq!(
        s.exec("SELECT $1::int - 1", Some(&[Some("1")]))
            .unwrap()
            .value(0, 0),
        Some("0")
    );
    assert_eq!(s.parses(Server::Primary), 2);
    // The standby's backend is killed: the same there.
    s.set_attr("PREFERRED_ACCESS", "READ_MOSTLY").unwrap();
    terminate(&c, false, &app);
    let r = until_ran_on(&mut s, &st, Server::Secondary);
    assert_eq!(r.value(0, 0), Some("42"));
    assert_eq!(
        s.parses(Server::Secondary),
        1,
        "one Parse on the new connection"
    );
    for _ in 0..5 {
        until_ran_on(&mut s, &st, Server::Secondary);
    }
    assert_eq!(s.parses(Server::Secondary), 1);
}

// ------------------------------------------------------------- C ABI ---

fn err_text(err: *mut pgtc_error) -> (String, String) {
    let r = (s(pgtc_error_message(err)), s(pgtc_error_sqlstate(err)));
    pgtc_error_free(err);
    r
}

#[test]
fn the_c_abi_prepares_describes_and_runs() {
    let c = Cluster::shared();
    let conn = open(&c.conninfo);
    let mut st = null_mut();
    let mut err = null_mut();
    // NULL arguments.
    assert_eq!(
        pgtc_conn_prepare(
            null_mut(),
            c"SELECT 1".as_ptr(),
            0,
            null(),
            &mut st,
            &mut err
        ),
        Status::NullArgument
    );
    pgtc_error_free(err);
    assert_eq!(
        pgtc_conn_prepare(conn, null(), 0, null(), &mut st, null_mut()),
        Status::NullArgument
    );
    assert_eq!(
        pgtc_conn_prepare(
            conn,
            c"SELECT 1".as_ptr(),
            0,
            null(),
            null_mut(),
            null_mut()
        ),
        Status::NullArgument
    );
    let bad = [b'S', 0xff, 0];
    assert_eq!(
        pgtc_conn_prepare(conn, bad.as_ptr().cast(), 0, null(), &mut st, null_mut()),
        Status::InvalidUtf8
    );
    // n_params that does not match an inferred statement.
    let mut err = null_mut();
    assert_eq!(
        pgtc_conn_prepare(
            conn,
            c"SELECT $1::int".as_ptr(),
            3,
            null(),
            &mut st,
            &mut err
        ),
        Status::InvalidArgument
    );
    assert!(st.is_null());
    assert_eq!(err_text(err).1, "08P01");
    // Typed parameters, described without executing.
    let types = [25u32, 23];
    assert_eq!(
        pgtc_conn_prepare(
            conn,
            c"SELECT $1 AS label, $2 + 1 AS next, length($1) AS n".as_ptr(),
            2,
            types.as_ptr(),
            &mut st,
            null_mut()
        ),
        Status::Ok
    );
    assert_eq!(pgtc_stmt_param_count(st), 2);
    assert_eq!(
        (pgtc_stmt_param_type(st, 0), pgtc_stmt_param_type(st, 1)),
        (25, 23)
    );
    assert_eq!(pgtc_stmt_param_type(st, 2), 0);
    assert_eq!(pgtc_stmt_cols(st), 3);
    assert_eq!(s(pgtc_stmt_col_name(st, 1)), "next");
    assert_eq!(pgtc_stmt_col_type(st, 1), 23);
    assert_eq!(pgtc_stmt_col_type_modifier(st, 1), -1);
    assert_eq!(
        (
            pgtc_stmt_col_table(st, 1),
            pgtc_stmt_col_table_column(st, 1)
        ),
        (0, 0)
    );
    assert!(pgtc_stmt_col_name(st, 3).is_null());
    assert_eq!(pgtc_stmt_param_count(null()), 0);
    assert!(pgtc_stmt_col_name(null(), 0).is_null());
    // Run it.
    let a = CString::new("abc").unwrap();
    let b = CString::new("41").unwrap();
    let params = [a.as_ptr(), b.as_ptr()];
    let mut res = null_mut();
    assert_eq!(
        pgtc_stmt_exec(st, 2, params.as_ptr(), &mut res, null_mut()),
        Status::Ok
    );
    assert_eq!(s(pgtc_result_value(res, 0, 1)), "42");
    assert_eq!(s(pgtc_result_value(res, 0, 2)), "3");
    pgtc_result_free(res);
    // A wrong count is refused with 08P01; NULL params with a count too.
    let mut err = null_mut();
    assert_eq!(
        pgtc_stmt_exec(st, 1, params.as_ptr(), &mut res, &mut err),
        Status::InvalidArgument
    );
    assert!(res.is_null());
    let (msg, state) = err_text(err);
    assert_eq!(state, "08P01", "{}", msg);
    assert_eq!(
        pgtc_stmt_exec(st, 2, null(), &mut res, null_mut()),
        Status::NullArgument
    );
    assert_eq!(
        pgtc_stmt_exec(null_mut(), 0, null(), &mut res, null_mut()),
        Status::NullArgument
    );
    let bad = [0xffu8, 0];
    let bad_params = [a.as_ptr(), bad.as_ptr().cast::<c_char>()];
    let mut err = null_mut();
    assert_eq!(
        pgtc_stmt_exec(st, 2, bad_params.as_ptr(), &mut res, &mut err),
        Status::InvalidUtf8
    );
    assert!(err_text(err).0.contains("params[1]"));
    // Binary bytea through pgtc_stmt_exec_formats and pgtc_conn_exec_typed.
    let mut hex = null_mut();
    let bytea = [17u32];
    assert_eq!(
        pgtc_conn_prepare(
            conn,
            c"SELECT encode($1, 'hex')".as_ptr(),
            1,
            bytea.as_ptr(),
            &mut hex,
            null_mut()
        ),
        Status::Ok
    );
    let raw: [u8; 4] = [0xde, 0, 0xbe, 0xef];
    let vals = [raw.as_ptr().cast::<c_char>()];
    let lens: [c_int; 1] = [4];
    let fmts: [c_int; 1] = [1];
    assert_eq!(
        pgtc_stmt_exec_formats(
            hex,
            1,
            vals.as_ptr(),
            lens.as_ptr(),
            fmts.as_ptr(),
            &mut res,
            null_mut()
        ),
        Status::Ok
    );
    assert_eq!(s(pgtc_result_value(res, 0, 0)), "de00beef");
    pgtc_result_free(res);
    assert_eq!(
        pgtc_conn_exec_typed(
            conn,
            c"SELECT length($1), pg_typeof($1)::text".as_ptr(),
            1,
            bytea.as_ptr(),
            vals.as_ptr(),
            lens.as_ptr(),
            fmts.as_ptr(),
            &mut res,
            null_mut()
        ),
        Status::Ok
    );
    assert_eq!(s(pgtc_result_value(res, 0, 0)), "4");
    assert_eq!(s(pgtc_result_value(res, 0, 1)), "bytea");
    pgtc_result_free(res);
    // Binary without lengths, a bad format, a negative length: refused.
    for (lens, fmts, want) in [
        (null(), fmts.as_ptr(), Status::NullArgument),
        (
            lens.as_ptr(),
            [2 as c_int].as_ptr(),
            Status::InvalidArgument,
        ),
        (
            [-1 as c_int].as_ptr(),
            fmts.as_ptr(),
            Status::InvalidArgument,
        ),
    ] {
        assert_eq!(
            pgtc_stmt_exec_formats(hex, 1, vals.as_ptr(), lens, fmts, &mut res, null_mut()),
            want
        );
        assert!(res.is_null());
    }
    // Freeing the connection first is a misuse: the statement then reports
    // it instead of touching freed memory, and can still be freed.
    pgtc_stmt_free(st);
    pgtc_conn_free(conn);
    let mut err = null_mut();
    assert_eq!(
        pgtc_stmt_exec_formats(
            hex,
            1,
            vals.as_ptr(),
            lens.as_ptr(),
            fmts.as_ptr(),
            &mut res,
            &mut err
        ),
        Status::InvalidState
    );
    assert_eq!(err_text(err).1, "08003");
    pgtc_stmt_free(hex);
    pgtc_stmt_free(null_mut());
}

/// The columns of `r`: name, type, type modifier, source table and column.
fn shape_of(r: &ResultSet) -> Vec<(String, u32, i32, u32, i16)> {
    (0..r.cols())
        .map(|i| {
            let c = r.column(i).unwrap();
            (
                r.column_name(i).unwrap().to_string(),
                c.type_oid,
                c.typmod,
                c.table_oid,
                c.column_id,
            )
        })
        .collect()
}

#[test]
fn executions_after_the_first_need_no_describe_and_report_the_same_columns() {
    let c = Cluster::shared();
    let t = table("st_shape");
    let mut s = c.open("");
    exec(
        &mut s,
        &format!("CREATE TABLE {}(id int PRIMARY KEY, v varchar(12))", t),
    );
    exec(&mut s, &format!("INSERT INTO {} VALUES (1, 'one')", t));
    let st = s
        .prepare(
            &format!(
                "SELECT v, id, 2.5::numeric(4,1) AS n FROM {} WHERE id = $1",
                t
            ),
            &[],
        )
        .unwrap();
    let u0 = s.undescribed(Server::Primary);
    let first = run(&mut s, &st, &[Some("1")]);
    assert_eq!(
        s.undescribed(Server::Primary),
        u0,
        "the first execution describes"
    );
    let want = shape_of(&first);
    assert_eq!(want.len(), 3);
    assert_eq!((want[0].1, want[0].2, want[0].4), (1043, 16, 2));
    assert!(want[0].3 > 0);
    assert_eq!((want[2].0.as_str(), want[2].2), ("n", (4 << 16 | 1) + 4));
    for (i, id) in ["1", "2", "1"].iter().enumerate() {
        let r = run(&mut s, &st, &[Some(id)]);
        assert_eq!(s.undescribed(Server::Primary), u0 + 1 + i as u64);
        assert_eq!(shape_of(&r), want, "the columns of execution {}", i + 2);
        // No rows (id 2) still has the columns.
        assert_eq!(r.rows(), usize::from(*id == "1"));
    }
    // The statement cache of exec_params: the same.
    let sql = format!("SELECT id, v FROM {} WHERE id = $1", t);
    let want = shape_of(&s.exec(&sql, Some(&[Some("1")])).unwrap());
    let u1 = s.undescribed(Server::Primary);
    let r = s.exec(&sql, Some(&[Some("1")])).unwrap();
    assert_eq!(s.undescribed(Server::Primary), u1 + 1);
    assert_eq!(
        (shape_of(&r), rows_of(&r)),
        (want, vec![vec![Some("1".to_string()), Some("one".into())]])
    );
    // A statement without rows: no columns, its count.
    let ins = s
        .prepare(&format!("INSERT INTO {} VALUES ($1, 'x')", t), &[])
        .unwrap();
    for id in ["10", "11", "12"] {
        let r = run(&mut s, &ins, &[Some(id)]);
        assert_eq!((r.cols(), r.affected()), (0, 1));
    }
    // DDL from outside the process changes the statement's columns: the
    // server refuses the old statement, which is prepared and described
    // again, so the columns are the new ones.
    let star = s
        .prepare(&format!("SELECT * FROM {} WHERE id = $1", t), &[])
        .unwrap();
    assert_eq!(run(&mut s, &star, &[Some("1")]).cols(), 2);
    assert_eq!(run(&mut s, &star, &[Some("1")]).cols(), 2);
    c.direct(true)
        .batch_execute(&format!("ALTER TABLE {} ADD COLUMN w text DEFAULT 'w'", t))
        .unwrap();
    let r = run(&mut s, &star, &[Some("1")]);
    assert_eq!(
        (
            shape_of(&r).into_iter().map(|c| c.0).collect::<Vec<_>>(),
            rows_of(&r)
        ),
        (
            vec!["id".to_string(), "v".into(), "w".into()],
            vec![vec![
                Some("1".to_string()),
                Some("one".into()),
                Some("w".into())
            ]]
        )
    );
    let u2 = s.undescribed(Server::Primary);
    assert_eq!(run(&mut s, &star, &[Some("1")]).cols(), 3);
    assert_eq!(s.undescribed(Server::Primary), u2 + 1);
    // DISCARD ALL forgets the statements and what was known of them.
    exec(&mut s, "DISCARD ALL");
    let u3 = s.undescribed(Server::Primary);
    let r = run(&mut s, &st, &[Some("1")]);
    assert_eq!((s.undescribed(Server::Primary), r.cols()), (u3, 3));
    // A batch inside a transaction: one Sync for the sets, the known
    // columns for each.
    exec(&mut s, "BEGIN");
    let sets: Vec<Vec<Option<&str>>> = vec![vec![Some("1")], vec![Some("2")], vec![Some("10")]];
    let vals: Vec<Values<'_>> = sets.iter().map(|v| Values::Text(v)).collect();
    let out = s.exec_prepared_batch(&st, &vals, &[]).unwrap();
    let got: Vec<_> = out.into_iter().map(|r| r.unwrap()).collect();
    assert!(got.iter().all(|r| r.cols() == 3));
    assert_eq!(
        got.iter().map(ResultSet::rows).collect::<Vec<_>>(),
        [1, 0, 1]
    );
    exec(&mut s, "COMMIT");
    exec(&mut s, &format!("DROP TABLE {}", t));
}
