//! The C ABI of streams (`pgtc_conn_stream`, `pgtc_stream_next`,
//! `pgtc_stream_close`, `pgtc_stream_free`) against a real pair: batches
//! through the ABI, and every bad input answered with a status (NULL
//! arguments, fetch 0, a closed stream, a statement that fails).

mod common;
use common::cabi::{open, s};
use common::*;
use pgtc::ffi::conn::*;
use pgtc::ffi::error::*;
use pgtc::ffi::result::*;
use pgtc::ffi::stmt::*;
use pgtc::ffi::stream::*;
use pgtc::{Server, Status};
use std::ffi::CString;
use std::ptr::{null, null_mut};

/// Start a stream that must start.
fn start(conn: *mut pgtc_conn, sql: &str, fetch: usize) -> *mut pgtc_stream {
    let sql = CString::new(sql).unwrap();
    let mut st = null_mut();
    let mut err = null_mut();
    let status = pgtc_conn_stream(conn, sql.as_ptr(), 0, null(), fetch, &mut st, &mut err);
    assert_eq!(status, Status::Ok, "{}", s(pgtc_error_message(err)));
    assert!(!st.is_null());
    st
}

/// The next batch's (rows, tag), or None at the end.
fn next(st: *mut pgtc_stream) -> Option<(usize, String)> {
    let mut r = null_mut();
    let mut err = null_mut();
    let status = pgtc_stream_next(st, &mut r, &mut err);
    assert_eq!(status, Status::Ok, "{}", s(pgtc_error_message(err)));
    if r.is_null() {
        return None;
    }
    let out = (pgtc_result_rows(r), s(pgtc_result_command(r)));
    pgtc_result_free(r);
    Some(out)
}

/// The status and SQLSTATE of a failed `pgtc_stream_next`.
fn next_fails(st: *mut pgtc_stream) -> (Status, String) {
    let mut r = null_mut();
    let mut err = null_mut();
    let status = pgtc_stream_next(st, &mut r, &mut err);
    assert_ne!(status, Status::Ok);
    assert!(r.is_null());
    let state = s(pgtc_error_sqlstate(err));
    pgtc_error_free(err);
    (status, state)
}

#[test]
fn batches_through_the_c_abi() {
    let c = Cluster::shared();
    let conn = open(&c.conninfo);
    let st = start(conn, "SELECT g FROM generate_series(1, 250) g", 100);
    assert_eq!(pgtc_stream_server(st), Server::Primary);
    assert_eq!(next(st), Some((100, String::new())));
    assert_eq!(next(st), Some((100, String::new())));
    assert_eq!(next(st), Some((50, "SELECT 250".into())));
    assert_eq!(next(st), None);
    assert_eq!(next(st), None, "NULL again after the end");
    pgtc_stream_free(st);
    // With parameters (a NULL element is an SQL NULL).
    let sql = CString::new("SELECT g, $2::text FROM generate_series(1, $1::int) g").unwrap();
    let n = CString::new("30").unwrap();
    let params = [n.as_ptr(), null()];
    let mut st = null_mut();
    let status = pgtc_conn_stream(
        conn,
        sql.as_ptr(),
        2,
        params.as_ptr(),
        20,
        &mut st,
        null_mut(),
    );
    assert_eq!(status, Status::Ok);
    let mut r = null_mut();
    assert_eq!(pgtc_stream_next(st, &mut r, null_mut()), Status::Ok);
    assert_eq!(pgtc_result_rows(r), 20);
    assert!(pgtc_result_is_null(r, 0, 1));
    pgtc_result_free(r);
    // Freed before its end: closed, and the connection goes on.
    pgtc_stream_free(st);
    let one = CString::new("SELECT 1").unwrap();
    let mut r = null_mut();
    assert_eq!(
        pgtc_conn_exec(conn, one.as_ptr(), &mut r, null_mut()),
        Status::Ok
    );
    pgtc_result_free(r);
    pgtc_conn_free(conn);
}

#[test]
fn bad_input_gets_a_status_never_a_crash() {
    let c = Cluster::shared();
    let conn = open(&c.conninfo);
    let sql = CString::new("SELECT g FROM generate_series(1, 1000) g").unwrap();
    let mut st = null_mut();
    let mut err = null_mut();
    // NULL connection, statement, out-parameter, params with n_params.
    let cases: [(*mut pgtc_conn, *const std::ffi::c_char, usize); 3] = [
        (null_mut(), sql.as_ptr(), 0),
        (conn, null(), 0),
        (conn, sql.as_ptr(), 2),
    ];
    for (cn, q, n) in cases {
        let status = pgtc_conn_stream(cn, q, n, null(), 10, &mut st, &mut err);
        assert_eq!(
            status,
            Status::NullArgument,
            "{}",
            s(pgtc_error_message(err))
        );
        assert!(st.is_null());
        pgtc_error_free(err);
    }
    let status = pgtc_conn_stream(conn, sql.as_ptr(), 0, null(), 10, null_mut(), &mut err);
    assert_eq!(status, Status::NullArgument);
    pgtc_error_free(err);
    // Invalid UTF-8.
    let bad = [0xffu8, 0xfe, 0];
    let status = pgtc_conn_stream(conn, bad.as_ptr().cast(), 0, null(), 10, &mut st, &mut err);
    assert_eq!(status, Status::InvalidUtf8);
    pgtc_error_free(err);
    // fetch 0.
    let status = pgtc_conn_stream(conn, sql.as_ptr(), 0, null(), 0, &mut st, &mut err);
    assert_eq!(
        status,
        Status::InvalidArgument,
        "{}",
        s(pgtc_error_message(err))
    );
    assert!(st.is_null());
    pgtc_error_free(err);
    // A server error at the first batch: no stream.
    let div = CString::new("SELECT 1 / 0").unwrap();
    let status = pgtc_conn_stream(conn, div.as_ptr(), 0, null(), 10, &mut st, &mut err);
    assert_eq!(status, Status::Sql);
    assert_eq!(s(pgtc_error_sqlstate(err)), "22012");
    assert!(st.is_null());
    pgtc_error_free(err);
    // NULL stream and NULL out-parameter for next, close, server, free.
    let mut r = null_mut();
    assert_eq!(
        pgtc_stream_next(null_mut(), &mut r, null_mut()),
        Status::NullArgument
    );
    assert_eq!(
        pgtc_stream_close(null_mut(), null_mut()),
        Status::NullArgument
    );
    assert_eq!(pgtc_stream_server(null()), Server::None);
    pgtc_stream_free(null_mut());
    let st = start(conn, "SELECT g FROM generate_series(1, 1000) g", 10);
    assert_eq!(
        pgtc_stream_next(st, null_mut(), null_mut()),
        Status::NullArgument
    );
    // A closed stream: next and a second close are refused.
    assert_eq!(next(st), Some((10, String::new())));
    assert_eq!(pgtc_stream_close(st, null_mut()), Status::Ok);
    assert_eq!(next_fails(st).0, Status::InvalidState);
    assert_eq!(pgtc_stream_close(st, null_mut()), Status::InvalidState);
    assert_eq!(pgtc_stream_server(st), Server::None);
    pgtc_stream_free(st);
    // An error in the middle, then the end.
    let st = start(
        conn,
        "SELECT 1 / (50 - g) FROM generate_series(1, 100) g",
        10,
    );
    for _ in 0..4 {
        assert_eq!(next(st).map(|b| b.0), Some(10));
    }
    assert_eq!(next_fails(st), (Status::Sql, "22012".into()));
    assert_eq!(next(st), None);
    pgtc_stream_free(st);
    pgtc_conn_free(conn);
}

#[test]
fn a_prepared_statement_streams_with_binary_parameters() {
    let c = Cluster::shared();
    let conn = open(&c.conninfo);
    let sql = CString::new("SELECT g, length($2::bytea) FROM generate_series(1, $1) g").unwrap();
    let types = [23u32, 17];
    let mut stmt = null_mut();
    let mut err = null_mut();
    let status = pgtc_conn_prepare(conn, sql.as_ptr(), 2, types.as_ptr(), &mut stmt, &mut err);
    assert_eq!(status, Status::Ok, "{}", s(pgtc_error_message(err)));
    let n = CString::new("25").unwrap();
    let bytes = [0u8, 1, 0, 2];
    let params = [n.as_ptr(), bytes.as_ptr().cast()];
    let lengths = [0, 4];
    let formats = [0, 1];
    let mut st = null_mut();
    let status = pgtc_stmt_stream(
        stmt,
        2,
        params.as_ptr(),
        lengths.as_ptr(),
        formats.as_ptr(),
        10,
        &mut st,
        &mut err,
    );
    assert_eq!(status, Status::Ok, "{}", s(pgtc_error_message(err)));
    let mut r = null_mut();
    assert_eq!(pgtc_stream_next(st, &mut r, null_mut()), Status::Ok);
    assert_eq!(pgtc_result_rows(r), 10);
    assert_eq!(s(pgtc_result_value(r, 0, 1)), "4");
    pgtc_result_free(r);
    assert_eq!(next(st), Some((10, String::new())));
    assert_eq!(next(st), Some((5, "SELECT 25".into())));
    assert_eq!(next(st), None);
    pgtc_stream_free(st);
    // A parameter count the statement does not take: nothing is sent.
    let status = pgtc_stmt_stream(
        stmt,
        1,
        params.as_ptr(),
        null(),
        null(),
        10,
        &mut st,
        &mut err,
    );
    assert_eq!(status, Status::InvalidArgument);
    assert_eq!(s(pgtc_error_sqlstate(err)), "08P01");
    assert!(st.is_null());
    pgtc_error_free(err);
    // Typed parameters without a prepared statement.
    let sql = CString::new("SELECT g FROM generate_series(1, $1) g WHERE length($2) = 4").unwrap();
    let status = pgtc_conn_stream_typed(
        conn,
        sql.as_ptr(),
        2,
        types.as_ptr(),
        params.as_ptr(),
        lengths.as_ptr(),
        formats.as_ptr(),
        10,
        &mut st,
        &mut err,
    );
    assert_eq!(status, Status::Ok, "{}", s(pgtc_error_message(err)));
    assert_eq!(next(st), Some((10, String::new())));
    assert_eq!(next(st), Some((10, String::new())));
    assert_eq!(next(st), Some((5, "SELECT 25".into())));
    pgtc_stream_free(st);
    let status = pgtc_stmt_stream(null_mut(), 0, null(), null(), null(), 10, &mut st, &mut err);
    assert_eq!(status, Status::NullArgument);
    pgtc_error_free(err);
    pgtc_stmt_free(stmt);
    pgtc_conn_free(conn);
}
