//! Several results and column metadata against a real pair: one result
//! per statement of a text, in order; the results before a failing
//! statement reachable from its error; the text routed as one unit; the
//! RowDescription fields drivers describe columns with.

mod common;
use common::cabi::{open, s};
use common::*;
use pgtc::ffi::conn::*;
use pgtc::ffi::error::*;
use pgtc::ffi::result::*;
use pgtc::{Server, Status};
use std::ffi::CString;
use std::ptr::{null, null_mut};

#[test]
fn every_statement_of_a_text_gives_its_result_in_order() {
    let c = Cluster::shared();
    let t = table("several");
    let mut sess = c.open("");
    let r = exec(
        &mut sess,
        &format!(
            "DROP TABLE IF EXISTS {t}; CREATE TABLE {t}(x int); \
             INSERT INTO {t} VALUES (1),(2); SELECT x, x * 10 AS y FROM {t} ORDER BY x; \
             UPDATE {t} SET x = x + 1; SELECT 'last' AS word"
        ),
    );
    let tags: Vec<&str> = r.iter().map(|x| x.tag()).collect();
    assert_eq!(
        tags,
        [
            "DROP TABLE",
            "CREATE TABLE",
            "INSERT 0 2",
            "SELECT 2",
            "UPDATE 2",
            "SELECT 1"
        ]
    );
    let sel = r.iter().nth(3).unwrap();
    let v = |x: &str| Some(x.to_string());
    assert_eq!(rows_of(sel), [[v("1"), v("10")], [v("2"), v("20")]]);
    assert_eq!(sel.column_name(1), Some("y"));
    assert_eq!(r.iter().nth(4).unwrap().affected(), 2);
    assert!(r.iter().all(|x| x.server == Some(Server::Primary)));

    // The same through the C ABI: the first result owns the others.
    let conn = open(&c.conninfo);
    let sql = CString::new(format!(
        "SELECT 1 AS a; SELECT 2 AS b, 3 AS c; DELETE FROM {t}"
    ))
    .unwrap();
    let mut res = null_mut();
    let mut err = null_mut();
    assert_eq!(
        pgtc_conn_exec(conn, sql.as_ptr(), &mut res, &mut err),
        Status::Ok
    );
    assert_eq!(s(pgtc_result_col_name(res, 0)), "a");
    let second = pgtc_result_next(res);
    assert_eq!(
        (pgtc_result_cols(second), s(pgtc_result_value(second, 0, 1))),
        (2, "3".to_string())
    );
    let third = pgtc_result_next(second);
    assert_eq!(s(pgtc_result_command(third)), "DELETE 2");
    assert_eq!(pgtc_result_server(third), Server::Primary);
    assert!(pgtc_result_next(third).is_null());
    assert!(pgtc_result_next(null()).is_null());
    pgtc_result_free(res);
    // One statement: no next.
    let mut res = null_mut();
    assert_eq!(
        pgtc_conn_exec(conn, c"SELECT 1".as_ptr(), &mut res, &mut err),
        Status::Ok
    );
    assert!(pgtc_result_next(res).is_null());
    pgtc_result_free(res);
    pgtc_conn_free(conn);
    exec(&mut sess, &format!("DROP TABLE {t}"));
}

#[test]
fn an_error_in_the_middle_reports_the_results_before_it() {
    let c = Cluster::shared();
    let t = table("mid");
    let mut sess = c.open("");
    exec(
        &mut sess,
        &format!("DROP TABLE IF EXISTS {t}; CREATE TABLE {t}(x int)"),
    );
    let e = sess
        .exec(
            &format!(
                "INSERT INTO {t} VALUES (1); SELECT count(*) FROM {t}; SELECT 1/0; \
                 INSERT INTO {t} VALUES (2)"
            ),
            None,
        )
        .unwrap_err();
    assert_eq!((e.status, e.sqlstate.as_str()), (Status::Sql, "22012"));
    let before = e.results.as_deref().expect("results before the error");
    let got: Vec<(&str, Option<&str>)> = before.iter().map(|r| (r.tag(), r.value(0, 0))).collect();
    assert_eq!(got, [("INSERT 0 1", None), ("SELECT 1", Some("1"))]);
    assert!(before.iter().all(|r| r.server == Some(Server::Primary)));
    // As in PostgreSQL, the text's implicit transaction was rolled back,
    // and nothing after the error ran.
    assert_eq!(
        exec(&mut sess, &format!("SELECT count(*) FROM {t}")).value(0, 0),
        Some("0")
    );
    // A COMMIT inside the text keeps what came before it.
    let e = sess
        .exec(
            &format!("INSERT INTO {t} VALUES (3); COMMIT; SELECT 1/0"),
            None,
        )
        .unwrap_err();
    assert_eq!(e.results.as_deref().map(|r| r.count()), Some(2));
    assert_eq!(
        exec(&mut sess, &format!("SELECT count(*) FROM {t}")).value(0, 0),
        Some("1")
    );
    // The first statement failing: no results.
    let e = sess.exec("SELECT 1/0; SELECT 1", None).unwrap_err();
    assert!(e.results.is_none());
    assert!(!sess.in_transaction());

    // Through the C ABI: the error owns the results before it.
    let conn = open(&c.conninfo);
    let sql = CString::new(format!(
        "SELECT 7 AS n; SELECT * FROM {t}_missing; SELECT 8"
    ))
    .unwrap();
    let mut res = null_mut();
    let mut err = null_mut();
    assert_eq!(
        pgtc_conn_exec(conn, sql.as_ptr(), &mut res, &mut err),
        Status::Sql
    );
    assert!(res.is_null());
    assert_eq!(s(pgtc_error_sqlstate(err)), "42P01");
    let first = pgtc_error_results(err);
    assert_eq!(s(pgtc_result_value(first, 0, 0)), "7");
    assert!(pgtc_result_next(first).is_null());
    pgtc_error_free(err);
    let mut err = null_mut();
    assert_eq!(
        pgtc_conn_exec(conn, c"SELECT 1/0".as_ptr(), &mut res, &mut err),
        Status::Sql
    );
    assert!(pgtc_error_results(err).is_null());
    assert!(pgtc_error_results(null()).is_null());
    pgtc_error_free(err);
    pgtc_conn_free(conn);
    exec(&mut sess, &format!("DROP TABLE {t}"));
}

#[test]
fn a_text_of_several_statements_is_routed_as_one_unit() {
    let c = Cluster::shared();
    let t = table("unit");
    let mut w = c.open("");
    exec(
        &mut w,
        &format!("DROP TABLE IF EXISTS {t}; CREATE TABLE {t}(x int)"),
    );
    let mut sess = c.open("PREFERRED_ACCESS=READ_MOSTLY");
    // Reads only: all of it on the standby (once it serves them).
    let r = until_on(
        &mut sess,
        "SELECT 1 AS a; SELECT 2 AS b",
        Server::Secondary,
        CATCH_UP,
    );
    assert_eq!(r.count(), 2);
    assert!(r.iter().all(|x| x.server == Some(Server::Secondary)));
    assert_eq!(r.next().unwrap().value(0, 0), Some("2"));
    // A statement whose answer depends on the server among reads: the
    // whole text gives the primary's answer.
    let r = exec(&mut sess, "SELECT 1; SELECT pg_is_in_recovery()");
    assert!(r.iter().all(|x| x.server == Some(Server::Primary)));
    assert_eq!(r.next().unwrap().value(0, 0), Some("f"));
    // One write among reads: all of it on the primary.
    for _ in 0..5 {
        let r = exec(
            &mut sess,
            &format!("SELECT 1; INSERT INTO {t} VALUES (1); SELECT count(*) FROM {t}"),
        );
        assert_eq!(r.count(), 3);
        assert!(
            r.iter().all(|x| x.server == Some(Server::Primary)),
            "{:?}",
            r
        );
    }
    exec(&mut w, &format!("DROP TABLE {t}"));
}

#[test]
fn columns_carry_type_modifier_source_table_and_number() {
    let c = Cluster::shared();
    let t = table("meta");
    let mut sess = c.open("");
    exec(
        &mut sess,
        &format!(
            "DROP TABLE IF EXISTS {t}; \
             CREATE TABLE {t}(id int, gone int, name varchar(10), price numeric(10,2), at timestamp(3)); \
             ALTER TABLE {t} DROP COLUMN gone; \
             INSERT INTO {t} VALUES (1, 'héllo', 1.5, now()), (2, NULL, NULL, NULL)"
        ),
    );
    let oid: u32 = exec(&mut sess, &format!("SELECT '{t}'::regclass::oid"))
        .value(0, 0)
        .unwrap()
        .parse()
        .unwrap();
    let sql = format!("SELECT id, name, price, at, id + 1 AS expr FROM {t} ORDER BY id");
    let r = exec(&mut sess, &sql);
    let cols: Vec<(i32, u32, i16)> = (0..r.cols())
        .map(|i| {
            let c = r.column(i).unwrap();
            (c.typmod, c.table_oid, c.column_id)
        })
        .collect();
    assert_eq!(
        cols,
        [
            (-1, oid, 1),
            (14, oid, 3), // varchar(10): 10 + 4; attribute 2 was dropped
            ((10 << 16 | 2) + 4, oid, 4),
            (3, oid, 5),
            (-1, 0, 0)
        ]
    );
    assert_eq!(r.value_len(0, 1), "héllo".len());
    assert_eq!(r.value_len(0, 1), 6);
    assert_eq!(r.value_len(1, 1), 0);
    assert!(r.is_null(1, 1));
    assert_eq!(r.value_len(0, 0), 1);

    // Through the C ABI, with its answers out of range.
    let conn = open(&c.conninfo);
    let csql = CString::new(sql).unwrap();
    let mut res = null_mut();
    let mut err = null_mut();
    assert_eq!(
        pgtc_conn_exec(conn, csql.as_ptr(), &mut res, &mut err),
        Status::Ok
    );
    assert_eq!(pgtc_result_col_typmod(res, 1), 14);
    assert_eq!(pgtc_result_col_typmod(res, 2), 655366);
    assert_eq!(pgtc_result_col_typmod(res, 0), -1);
    assert_eq!(pgtc_result_col_typmod(res, 99), -1);
    assert_eq!(pgtc_result_col_table(res, 1), oid);
    assert_eq!(pgtc_result_col_table(res, 4), 0);
    assert_eq!(pgtc_result_col_table(res, 99), 0);
    assert_eq!(pgtc_result_col_number(res, 1), 3);
    assert_eq!(pgtc_result_col_number(res, 4), 0);
    assert_eq!(pgtc_result_col_number(res, 99), 0);
    assert_eq!(pgtc_result_value_len(res, 0, 1), 6);
    assert_eq!(pgtc_result_value_len(res, 1, 1), 0);
    assert_eq!(pgtc_result_value_len(res, 9, 0), 0);
    assert_eq!(pgtc_result_value_len(null(), 0, 0), 0);
    assert_eq!(pgtc_result_col_typmod(null(), 0), -1);
    assert_eq!(pgtc_result_col_table(null(), 0), 0);
    assert_eq!(pgtc_result_col_number(null(), 0), 0);
    pgtc_result_free(res);
    // Parameters (the extended protocol) describe columns the same way.
    let p = [c"1".as_ptr()];
    let csql = CString::new(format!("SELECT name FROM {t} WHERE id = $1")).unwrap();
    assert_eq!(
        pgtc_conn_exec_params(conn, csql.as_ptr(), 1, p.as_ptr(), &mut res, &mut err),
        Status::Ok
    );
    assert_eq!(
        (
            pgtc_result_col_typmod(res, 0),
            pgtc_result_col_table(res, 0),
            pgtc_result_col_number(res, 0)
        ),
        (14, oid, 3)
    );
    assert_eq!(pgtc_result_value_len(res, 0, 0), 6);
    pgtc_result_free(res);
    pgtc_conn_free(conn);
    exec(&mut sess, &format!("DROP TABLE {t}"));
}
