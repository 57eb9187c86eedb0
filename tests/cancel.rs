//! Cancelling a running statement from another thread, on the primary and
//! on the standby, over plain TCP and TLS, through Rust and the C ABI; and
//! statement_timeout reported the same way (SQLSTATE 57014).

mod common;
#[path = "common/tls_pair.rs"]
mod tls_pair;

use common::cabi;
use common::{exec, until_on, wait_for, Cluster, CATCH_UP};
use pgtc::ffi::conn::{pgtc_conn_cancel, pgtc_conn_exec, pgtc_conn_free};
use pgtc::ffi::error::{pgtc_error_free, pgtc_error_message, pgtc_error_sqlstate};
use pgtc::ffi::result::pgtc_result_free;
use pgtc::{Server, Session, Status};
use std::ffi::CString;
use std::ptr::null_mut;
use std::thread;
use tls_pair::TlsPair;

/// A statement that runs until cancelled, marked so it can be found in
/// pg_stat_activity.
fn long_sql(marker: &str, read_only: bool) -> String {
    if read_only {
        // Runs on the standby under READ_MOSTLY (no volatile function).
        format!(
            "SELECT count(*) FROM generate_series(1, 100000000000) AS {}",
            marker
        )
    } else {
        format!("SELECT pg_sleep(600) AS {}", marker)
    }
}

/// Wait until a statement containing `marker` is active on a server.
fn wait_running(d: &mut postgres::Client, marker: &str) {
    wait_for(
        format_args!("a statement with {} to run", marker),
        CATCH_UP,
        || {
            let n: i64 = d
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' \
                     AND query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid()",
                    &[&marker],
                )
                .unwrap()
                .get(0);
            if n > 0 {
                Ok(())
            } else {
                Err("not running".into())
            }
        },
    )
}

/// Run the long statement on `s` while another thread cancels it once it
/// shows up on `d`; the statement must fail with 57014.
fn cancel_while_running(s: &mut Session, d: &mut postgres::Client, marker: &str, ro: bool) {
    let canceller = s.canceller();
    let sql = long_sql(marker, ro);
    let res = thread::scope(|sc| {
        let waiter = sc.spawn(|| {
            wait_running(d, marker);
            canceller.cancel()
        });
        let res = s.exec(&sql, None);
        waiter.join().unwrap().expect("cancel request");
        res
    });
    let e = res.expect_err("the cancelled statement failed");
    assert_eq!(e.status, Status::Sql, "{}", e);
    assert_eq!(e.sqlstate, "57014", "{}", e);
    assert!(e.message.contains("cancel"), "{}", e);
}

#[test]
fn cancel_on_the_primary_and_after() {
    let c = Cluster::shared();
    let mut s = c.open("");
    // Nothing running: harmless.
    s.canceller().cancel().unwrap();
    assert_eq!(exec(&mut s, "SELECT 1").value(0, 0), Some("1"));
    let mut d = c.direct(true);
    let marker = format!("cancel_p_{}", std::process::id());
    cancel_while_running(&mut s, &mut d, &marker, false);
    // The connection is usable, and a cancel after the fact is harmless.
    s.canceller().cancel().unwrap();
    assert_eq!(exec(&mut s, "SELECT 2").value(0, 0), Some("2"));
    // Inside a transaction: the transaction fails, ROLLBACK recovers.
    exec(&mut s, "BEGIN");
    cancel_while_running(&mut s, &mut d, &format!("{}_txn", marker), false);
    exec(&mut s, "ROLLBACK");
    assert_eq!(exec(&mut s, "SELECT 3").value(0, 0), Some("3"));
}

#[test]
fn cancel_on_the_standby() {
    let c = Cluster::shared();
    let mut s = c.open("PREFERRED_ACCESS=READ_MOSTLY PRIMARY_SHARE=0");
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    let mut d = c.direct(false);
    let marker = format!("cancel_s_{}", std::process::id());
    cancel_while_running(&mut s, &mut d, &marker, true);
    let r = until_on(&mut s, "SELECT 4", Server::Secondary, CATCH_UP);
    assert_eq!(r.value(0, 0), Some("4"));
}

#[test]
fn statement_timeout_is_57014_too() {
    let c = Cluster::shared();
    let mut s = c.open("");
    exec(&mut s, "SET statement_timeout = '50ms'");
    let e = s.exec("SELECT pg_sleep(30)", None).unwrap_err();
    assert_eq!(
        (e.status, e.sqlstate.as_str()),
        (Status::Sql, "57014"),
        "{}",
        e
    );
    exec(&mut s, "RESET statement_timeout");
    assert_eq!(exec(&mut s, "SELECT 5").value(0, 0), Some("5"));
}

#[test]
fn cancel_over_tls() {
    let _t = common::serial();
    let p = TlsPair::get();
    let mut s = Session::open(&format!(
        "{} sslmode=verify-full sslrootcert={}",
        p.conninfo("localhost", "pgtc"),
        p.file("ca.crt")
    ))
    .unwrap();
    let mut d = p.direct(true);
    let marker = format!("cancel_tls_{}", std::process::id());
    cancel_while_running(&mut s, &mut d, &marker, false);
    assert_eq!(exec(&mut s, "SELECT 6").value(0, 0), Some("6"));
    // And on the standby.
    let mut s = Session::open(&format!(
        "{} sslmode=require PREFERRED_ACCESS=READ_MOSTLY PRIMARY_SHARE=0",
        p.conninfo("127.0.0.1", "pgtc"),
    ))
    .unwrap();
    until_on(&mut s, "SELECT 1", Server::Secondary, CATCH_UP);
    let mut d = p.direct(false);
    cancel_while_running(&mut s, &mut d, &format!("{}_s", marker), true);
    let r = until_on(&mut s, "SELECT 7", Server::Secondary, CATCH_UP);
    assert_eq!(r.value(0, 0), Some("7"));
}

/// A pointer that may cross threads (the C ABI allows pgtc_conn_cancel
/// from any thread).
#[derive(Clone, Copy)]
struct Shared(*mut pgtc::ffi::conn::pgtc_conn);
// SAFETY: pgtc_conn_cancel is documented as callable from any thread
// while the connection is open; nothing else uses the pointer there.
unsafe impl Send for Shared {}

#[test]
fn cancel_through_the_c_abi() {
    let c = Cluster::shared();
    let conn = Shared(cabi::open(&c.conninfo));
    // NULL is an error, not a crash.
    let mut err = null_mut();
    assert_eq!(
        pgtc_conn_cancel(std::ptr::null(), &mut err),
        Status::NullArgument
    );
    pgtc_error_free(err);
    // Idle: harmless.
    assert_eq!(pgtc_conn_cancel(conn.0, null_mut()), Status::Ok);
    let marker = format!("cancel_c_{}", std::process::id());
    let sql = CString::new(long_sql(&marker, false)).unwrap();
    let mut d = c.direct(true);
    let canceller = thread::spawn(move || {
        let conn = conn;
        wait_running(&mut d, &marker);
        let mut err = null_mut();
        let st = pgtc_conn_cancel(conn.0, &mut err);
        assert!(err.is_null());
        st
    });
    let (mut res, mut err) = (null_mut(), null_mut());
    let st = pgtc_conn_exec(conn.0, sql.as_ptr(), &mut res, &mut err);
    assert_eq!(canceller.join().unwrap(), Status::Ok);
    assert_eq!(st, Status::Sql, "{}", cabi::s(pgtc_error_message(err)));
    assert!(res.is_null());
    assert_eq!(cabi::s(pgtc_error_sqlstate(err)), "57014");
    pgtc_error_free(err);
    // Still usable.
    let one = CString::new("SELECT 1").unwrap();
    let st = pgtc_conn_exec(conn.0, one.as_ptr(), &mut res, null_mut());
    assert_eq!(st, Status::Ok);
    pgtc_result_free(res);
    pgtc_conn_free(conn.0);
}
