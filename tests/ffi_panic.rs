//! A panic inside pgtc, driven through the C boundary with the `test-hooks`
//! feature (enabled for the crate's tests only): the export answers with its
//! fallback instead of unwinding into the caller (an unwind out of an
//! `extern "C"` function would abort this test process), the error says it
//! was an internal error, and the connection is unusable from then on.

mod common;
use common::*;
use pgtc::ffi::conn::*;
use pgtc::ffi::error::*;
use pgtc::ffi::result::*;
use pgtc::ffi::route::pgtc_route_free;
use pgtc::ffi::test_hooks::panic_on_next_conn_use;
use pgtc::{Server, Status};
use std::ffi::{c_char, CStr, CString};
use std::ptr::null_mut;

fn message(err: *mut pgtc_error) -> String {
    assert!(!err.is_null());
    let m = unsafe { CStr::from_ptr(pgtc_error_message(err)) };
    let m = m.to_str().unwrap().to_string();
    pgtc_error_free(err);
    m
}

fn open(conninfo: &str) -> *mut pgtc_conn {
    let ci = CString::new(conninfo).unwrap();
    let mut conn = null_mut();
    let mut err = null_mut();
    let st = pgtc_conn_open(ci.as_ptr(), &mut conn, &mut err);
    assert_eq!(st, Status::Ok);
    conn
}

/// Run `sql`; the status and, on failure, the error message.
fn exec(conn: *mut pgtc_conn, sql: &std::ffi::CStr) -> (Status, String) {
    let mut res = null_mut();
    let mut err = null_mut();
    let st = pgtc_conn_exec(conn, sql.as_ptr(), &mut res, &mut err);
    if st == Status::Ok {
        assert!(err.is_null());
        pgtc_result_free(res);
        (st, String::new())
    } else {
        assert!(res.is_null(), "no result on failure");
        (st, message(err))
    }
}

const UNUSABLE: &str = "the connection is unusable after an internal error";

/// Every call on a poisoned connection fails clearly (or gives the accessor's
/// NULL-argument answer), without touching the session.
fn assert_poisoned(conn: *mut pgtc_conn) {
    let (st, m) = exec(conn, c"SELECT 1");
    assert_eq!(st, Status::Internal);
    assert!(m.contains(UNUSABLE), "{}", m);

    let mut err = null_mut();
    let st = pgtc_conn_set_attr(conn, c"AUTOCOMMIT".as_ptr(), c"OFF".as_ptr(), &mut err);
    assert_eq!(st, Status::Internal);
    assert!(message(err).contains(UNUSABLE));

    let (mut route, mut err) = (null_mut(), null_mut());
    let st = pgtc_conn_explain(conn, c"SELECT 1".as_ptr(), &mut route, &mut err);
    assert_eq!(st, Status::Internal);
    assert!(route.is_null());
    assert!(message(err).contains(UNUSABLE));
    pgtc_route_free(route);

    let mut buf = [0 as c_char; 32];
    let mut err = null_mut();
    let st = pgtc_conn_lsn_floor(conn, buf.as_mut_ptr(), buf.len(), &mut err);
    assert_eq!(st, Status::Internal);
    assert!(message(err).contains(UNUSABLE));

    let mut err = null_mut();
    let st = pgtc_conn_raise_lsn_floor(conn, c"0/1".as_ptr(), &mut err);
    assert_eq!(st, Status::Internal);
    assert!(message(err).contains(UNUSABLE));

    let (mut lag, mut err) = (7i64, null_mut());
    let st = pgtc::ffi::lag::pgtc_conn_standby_lag_ms(conn, &mut lag, &mut err);
    assert_eq!((st, lag), (Status::Internal, 7));
    assert!(message(err).contains(UNUSABLE));

    assert_eq!(pgtc_conn_connected(conn), Server::None);
    assert!(!pgtc_conn_in_transaction(conn));
    assert!(!pgtc_conn_pinned(conn));
    assert_eq!(pgtc_conn_counter(conn, Counter::Primary as u32), 0);
}

#[test]
fn a_caught_panic_is_an_internal_error_and_poisons_the_connection() {
    let c = Cluster::shared();
    let conn = open(&format!("{} PREFERRED_ACCESS=READ_MOSTLY", c.conninfo));
    assert_eq!(exec(conn, c"CREATE TEMP TABLE t (x int)").0, Status::Ok);
    assert!(pgtc_conn_counter(conn, Counter::Primary as u32) > 0);

    panic_on_next_conn_use();
    let (st, m) = exec(conn, c"SELECT 1");
    assert_eq!(st, Status::Internal);
    assert!(m.starts_with("internal error in pgtc"), "{}", m);
    assert!(m.contains("panic"), "{}", m);
    assert_poisoned(conn);
    // Freeing a poisoned connection still releases it.
    pgtc_conn_free(conn);

    // The poison is per connection: a new one works.
    let conn = open(&c.conninfo);
    assert_eq!(exec(conn, c"SELECT 1"), (Status::Ok, String::new()));
    pgtc_conn_free(conn);
}

#[test]
fn a_panic_in_an_accessor_gives_its_fallback_and_poisons_too() {
    let c = Cluster::shared();
    let conn = open(&c.conninfo);
    assert_eq!(pgtc_conn_connected(conn), Server::Both);
    panic_on_next_conn_use();
    assert_eq!(pgtc_conn_connected(conn), Server::None);
    assert_poisoned(conn);
    pgtc_conn_free(conn);
}
