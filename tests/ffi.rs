//! The C ABI from the outside (called as C would): argument checks, error
//! objects, ownership, and a round trip against a real pair.

mod common;
use common::cabi::{open, s};
use common::*;
use pgtc::ffi::conn::*;
use pgtc::ffi::error::*;
use pgtc::ffi::result::*;
use pgtc::ffi::{pgtc_status_name, pgtc_version};
use pgtc::{Server, Status};
use std::ffi::{c_char, CString};
use std::ptr::{null, null_mut};

#[test]
fn null_and_bad_utf8_arguments_are_errors_not_crashes() {
    let mut conn = null_mut();
    let mut err = null_mut();
    assert_eq!(
        pgtc_conn_open(null(), &mut conn, &mut err),
        Status::NullArgument
    );
    assert!(conn.is_null());
    assert_eq!(pgtc_error_status(err), Status::NullArgument);
    assert!(s(pgtc_error_message(err)).contains("conninfo"));
    assert_eq!(s(pgtc_error_sqlstate(err)), "HY009");
    pgtc_error_free(err);
    // err_out may be NULL.
    assert_eq!(
        pgtc_conn_open(null(), &mut conn, null_mut()),
        Status::NullArgument
    );
    assert_eq!(
        pgtc_conn_open(c"host=x".as_ptr(), null_mut(), null_mut()),
        Status::NullArgument
    );
    let bad = [b'h', b'o', b's', b't', b'=', 0xff, 0xfe, 0];
    let mut err = null_mut();
    assert_eq!(
        pgtc_conn_open(bad.as_ptr().cast(), &mut conn, &mut err),
        Status::InvalidUtf8
    );
    pgtc_error_free(err);
    let mut res = null_mut();
    assert_eq!(
        pgtc_conn_exec(null_mut(), c"SELECT 1".as_ptr(), &mut res, null_mut()),
        Status::NullArgument
    );
    assert!(res.is_null());
    assert_eq!(
        pgtc_conn_set_attr(
            null_mut(),
            c"AUTOCOMMIT".as_ptr(),
            c"ON".as_ptr(),
            null_mut()
        ),
        Status::NullArgument
    );
    // Accessors accept NULL and answer neutrally; _free accepts NULL.
    assert_eq!(pgtc_result_rows(null()), 0);
    assert!(pgtc_result_value(null(), 0, 0).is_null());
    assert_eq!(pgtc_result_server(null()), Server::None);
    assert_eq!(s(pgtc_error_message(null())), "");
    assert_eq!(pgtc_conn_connected(null()), Server::None);
    pgtc_result_free(null_mut());
    pgtc_error_free(null_mut());
    pgtc_conn_free(null_mut());
    assert_eq!(s(pgtc_status_name(400)), "PGTC_STATUS_SQL");
    assert_eq!(s(pgtc_status_name(12345)), "PGTC_STATUS_UNKNOWN");
    assert_eq!(s(pgtc_version()), env!("CARGO_PKG_VERSION"));
}

#[test]
fn malformed_conninfo_reports_a_status_and_leaves_conn_null() {
    let mut conn = null_mut();
    let mut err = null_mut();
    let st = pgtc_conn_open(c"host='oops".as_ptr(), &mut conn, &mut err);
    assert_eq!(st, Status::ConninfoSyntax);
    assert!(conn.is_null());
    assert_eq!(pgtc_error_status(err), st);
    pgtc_error_free(err);
}

#[test]
fn exec_round_trip_through_the_c_abi() {
    let c = Cluster::shared();
    let conn = open(&format!("{} PREFERRED_ACCESS=READ_MOSTLY", c.conninfo));
    assert_eq!(pgtc_conn_connected(conn), Server::Both);
    let mut res = null_mut();
    let mut err = null_mut();
    let st = pgtc_conn_exec(
        conn,
        c"SELECT 1 AS one, NULL::text AS nothing, 'x' AS x".as_ptr(),
        &mut res,
        &mut err,
    );
    assert_eq!(st, Status::Ok);
    assert_eq!((pgtc_result_rows(res), pgtc_result_cols(res)), (1, 3));
    assert_eq!(s(pgtc_result_col_name(res, 0)), "one");
    assert!(pgtc_result_col_name(res, 3).is_null());
    assert_eq!(pgtc_result_col_type(res, 0), 23);
    assert_eq!(s(pgtc_result_value(res, 0, 0)), "1");
    assert!(pgtc_result_value(res, 0, 1).is_null());
    assert!(pgtc_result_is_null(res, 0, 1));
    assert!(pgtc_result_value(res, 5, 0).is_null());
    assert!(!pgtc_result_is_null(res, 5, 0));
    assert_eq!(s(pgtc_result_command(res)), "SELECT 1");
    assert_ne!(pgtc_result_server(res), Server::None);
    pgtc_result_free(res);

    // A statement error: status, message, SQLSTATE; result_out stays NULL.
    let mut res = null_mut();
    let st = pgtc_conn_exec(
        conn,
        c"SELECT * FROM missing_table_ffi".as_ptr(),
        &mut res,
        &mut err,
    );
    assert_eq!(st, Status::Sql);
    assert!(res.is_null());
    assert_eq!(s(pgtc_error_sqlstate(err)), "42P01");
    assert!(s(pgtc_error_message(err)).contains("missing_table_ffi"));
    pgtc_error_free(err);

    // Parameters, including SQL NULL and a missing array.
    let p1 = CString::new("20").unwrap();
    let params = [p1.as_ptr(), null()];
    let mut res = null_mut();
    let st = pgtc_conn_exec_params(
        conn,
        c"SELECT $1::int * 2, $2::text IS NULL".as_ptr(),
        2,
        params.as_ptr(),
        &mut res,
        null_mut(),
    );
    assert_eq!(st, Status::Ok);
    assert_eq!(s(pgtc_result_value(res, 0, 0)), "40");
    assert_eq!(s(pgtc_result_value(res, 0, 1)), "t");
    pgtc_result_free(res);
    let mut res = null_mut();
    assert_eq!(
        pgtc_conn_exec_params(conn, c"SELECT 1".as_ptr(), 1, null(), &mut res, null_mut()),
        Status::NullArgument
    );
    let bad = [0x61u8, 0xff, 0];
    let params = [bad.as_ptr().cast::<c_char>()];
    assert_eq!(
        pgtc_conn_exec_params(
            conn,
            c"SELECT $1".as_ptr(),
            1,
            params.as_ptr(),
            &mut res,
            null_mut()
        ),
        Status::InvalidUtf8
    );
    // Attributes.
    let mut err = null_mut();
    assert_eq!(
        pgtc_conn_set_attr(
            conn,
            c"preferred_access".as_ptr(),
            c"nope".as_ptr(),
            &mut err
        ),
        Status::InvalidAttributeValue
    );
    pgtc_error_free(err);
    assert_eq!(
        pgtc_conn_set_attr(
            conn,
            c"Preferred_Access".as_ptr(),
            c"write_mostly".as_ptr(),
            null_mut()
        ),
        Status::Ok
    );
    let mut res = null_mut();
    pgtc_conn_exec(conn, c"SELECT 1".as_ptr(), &mut res, null_mut());
    assert_eq!(pgtc_result_server(res), Server::Primary);
    pgtc_result_free(res);
    pgtc_conn_free(conn);
}

#[test]
fn explain_and_counters_through_the_c_abi() {
    use pgtc::ffi::route::*;
    let c = Cluster::shared();
    let conn = open(&format!("{} PREFERRED_ACCESS=READ_MOSTLY", c.conninfo));
    let mut route = null_mut();
    let mut err = null_mut();
    let st = pgtc_conn_explain(
        conn,
        c"SELECT 1 FROM pg_class FOR UPDATE".as_ptr(),
        &mut route,
        &mut err,
    );
    assert_eq!(st, Status::Ok);
    assert_eq!(pgtc_route_server(route), Server::Primary);
    assert_eq!(pgtc_route_eligible(route), Server::Primary);
    assert!(
        s(pgtc_route_reason(route)).starts_with("rule 5"),
        "{}",
        s(pgtc_route_reason(route))
    );
    pgtc_route_free(route);
    let mut route = null_mut();
    assert_eq!(
        pgtc_conn_explain(
            conn,
            c"SET work_mem = '8MB'".as_ptr(),
            &mut route,
            null_mut()
        ),
        Status::Ok
    );
    assert_eq!(pgtc_route_server(route), Server::Both);
    pgtc_route_free(route);
    // NULL handling.
    let mut route = null_mut();
    assert_eq!(
        pgtc_conn_explain(conn, null(), &mut route, null_mut()),
        Status::NullArgument
    );
    assert!(route.is_null());
    assert_eq!(
        pgtc_conn_explain(conn, c"SELECT 1".as_ptr(), null_mut(), null_mut()),
        Status::NullArgument
    );
    assert_eq!(pgtc_route_server(null()), Server::None);
    assert_eq!(s(pgtc_route_reason(null())), "");
    pgtc_route_free(null_mut());

    // Counters: one write on the primary, one setting on both.
    let before = pgtc_process_counter(Counter::Primary as u32);
    let mut res = null_mut();
    assert_eq!(
        pgtc_conn_exec(
            conn,
            c"CREATE TEMP TABLE ffi_pin(x int)".as_ptr(),
            &mut res,
            null_mut()
        ),
        Status::Ok
    );
    pgtc_result_free(res);
    assert!(pgtc_conn_pinned(conn));
    let mut res = null_mut();
    assert_eq!(
        pgtc_conn_exec(conn, c"DISCARD ALL".as_ptr(), &mut res, null_mut()),
        Status::Ok
    );
    pgtc_result_free(res);
    assert!(!pgtc_conn_pinned(conn));
    assert_eq!(pgtc_conn_counter(conn, Counter::Primary as u32), 1);
    assert_eq!(pgtc_conn_counter(conn, Counter::Both as u32), 1);
    assert_eq!(pgtc_conn_counter(conn, Counter::Misroutes as u32), 0);
    assert_eq!(pgtc_conn_counter(conn, 999), 0);
    assert_eq!(pgtc_conn_counter(null(), 0), 0);
    assert!(pgtc_process_counter(Counter::Primary as u32) > before);
    pgtc_conn_free(conn);
}
