//! The pool's C ABI from the outside (called as C would): pooled handles
//! are ordinary connections, pgtc_conn_free gives them back, and the bad
//! inputs — a foreign, unpooled or already released connection, a pool
//! freed with connections out, POOL_* values out of range — are handled.

mod common;
use common::cabi::{open, s};
use common::*;
use pgtc::ffi::conn::*;
use pgtc::ffi::error::*;
use pgtc::ffi::pgtc_status_name;
use pgtc::ffi::pool::*;
use pgtc::ffi::result::*;
use pgtc::Status;
use std::ffi::CString;
use std::ptr::{null, null_mut};

fn pool_open(conninfo: &str) -> *mut pgtc_pool {
    let ci = CString::new(conninfo).unwrap();
    let (mut pool, mut err) = (null_mut(), null_mut());
    let st = pgtc_pool_open(ci.as_ptr(), &mut pool, &mut err);
    assert_eq!(st, Status::Ok, "{}", s(pgtc_error_message(err)));
    assert!(err.is_null() && !pool.is_null());
    pool
}

fn acquire(pool: *mut pgtc_pool) -> *mut pgtc_conn {
    let (mut conn, mut err) = (null_mut(), null_mut());
    let st = pgtc_pool_acquire(pool, &mut conn, &mut err);
    assert_eq!(st, Status::Ok, "{}", s(pgtc_error_message(err)));
    assert!(!conn.is_null());
    conn
}

fn stats(pool: *const pgtc_pool) -> pgtc_pool_stats {
    let mut st = pgtc_pool_stats::default();
    assert_eq!(pgtc_pool_get_stats(pool, &mut st), Status::Ok);
    st
}

/// The first value of `sql` run on `conn`, which must succeed ("" when
/// it returns no rows).
fn value(conn: *mut pgtc_conn, sql: &str) -> String {
    let q = CString::new(sql).unwrap();
    let (mut r, mut err) = (null_mut(), null_mut());
    let st = pgtc_conn_exec(conn, q.as_ptr(), &mut r, &mut err);
    assert_eq!(st, Status::Ok, "{}: {}", sql, s(pgtc_error_message(err)));
    let p = pgtc_result_value(r, 0, 0);
    let v = if p.is_null() { String::new() } else { s(p) };
    pgtc_result_free(r);
    v
}

/// Client backends on the primary with this application_name.
fn backends(c: &Cluster, app: &str) -> i64 {
    c.backends(c.primary_port, app)
}

#[test]
fn pool_attributes_out_of_range_and_null_arguments_are_errors() {
    let c = Cluster::shared();
    for (extra, key) in [
        ("POOL_MAX=0", "POOL_MAX"),
        ("POOL_MIN=20001", "POOL_MIN"),
        ("POOL_MAX=1 POOL_MIN=2", "POOL_MIN"),
        ("POOL_ACQUIRE_TIMEOUT_MS=3600001", "POOL_ACQUIRE_TIMEOUT_MS"),
        ("POOL_MAX_LIFETIME_MS=x", "POOL_MAX_LIFETIME_MS"),
        ("POOL_IDLE_TIMEOUT_MS=-1", "POOL_IDLE_TIMEOUT_MS"),
    ] {
        let ci = CString::new(format!("{} {}", c.conninfo, extra)).unwrap();
        let (mut pool, mut err) = (null_mut(), null_mut());
        let st = pgtc_pool_open(ci.as_ptr(), &mut pool, &mut err);
        assert_eq!(st, Status::InvalidAttributeValue, "{}", extra);
        assert!(pool.is_null());
        assert!(s(pgtc_error_message(err)).contains(key), "{}", extra);
        assert_eq!(s(pgtc_error_sqlstate(err)), "22023");
        pgtc_error_free(err);
    }
    let mut pool = null_mut();
    assert_eq!(
        pgtc_pool_open(null(), &mut pool, null_mut()),
        Status::NullArgument
    );
    assert_eq!(
        pgtc_pool_open(c"host=x".as_ptr(), null_mut(), null_mut()),
        Status::NullArgument
    );
    let mut conn = null_mut();
    assert_eq!(
        pgtc_pool_acquire(null_mut(), &mut conn, null_mut()),
        Status::NullArgument
    );
    assert!(conn.is_null());
    let mut st = pgtc_pool_stats::default();
    assert_eq!(pgtc_pool_get_stats(null(), &mut st), Status::NullArgument);
    let pool = pool_open(&format!("{} POOL_MIN=0", c.conninfo));
    assert_eq!(
        pgtc_pool_acquire(pool, null_mut(), null_mut()),
        Status::NullArgument
    );
    assert_eq!(pgtc_pool_get_stats(pool, null_mut()), Status::NullArgument);
    // Void calls with NULL do nothing.
    pgtc_pool_release(null_mut(), null_mut());
    pgtc_pool_release(pool, null_mut());
    pgtc_pool_free(null_mut());
    pgtc_pool_free(pool);
    assert_eq!(
        s(pgtc_status_name(Status::PoolTimeout as u32)),
        "PGTC_STATUS_POOL_TIMEOUT"
    );
}

#[test]
fn a_pooled_handle_is_an_ordinary_connection_and_conn_free_gives_it_back() {
    let c = Cluster::shared();
    let pool = pool_open(&format!(
        "{} application_name=ffi_pool_back POOL_MAX=1 POOL_MIN=0 POOL_ACQUIRE_TIMEOUT_MS=100",
        c.conninfo
    ));
    let conn = acquire(pool);
    let pid = value(conn, "SELECT pg_backend_pid()");
    assert!(!pgtc_conn_in_transaction(conn));
    assert_eq!(pgtc_conn_cancel(conn, null_mut()), Status::Ok);
    // The pool is exhausted: the next acquire times out, clearly.
    let (mut other, mut err) = (null_mut(), null_mut());
    assert_eq!(
        pgtc_pool_acquire(pool, &mut other, &mut err),
        Status::PoolTimeout
    );
    assert!(other.is_null());
    assert_eq!(s(pgtc_error_sqlstate(err)), "53300");
    assert!(s(pgtc_error_message(err)).contains("POOL_MAX=1"));
    pgtc_error_free(err);
    value(conn, "BEGIN");
    value(conn, "SET LOCAL work_mem = '1MB'; SELECT 1");
    pgtc_conn_free(conn);
    let st = stats(pool);
    assert_eq!(
        (st.total, st.idle, st.in_use, st.timeouts),
        (1, 1, 0, 1),
        "{:?}",
        st
    );
    let conn = acquire(pool);
    assert_eq!(
        value(conn, "SELECT pg_backend_pid()"),
        pid,
        "the same connection"
    );
    assert!(!pgtc_conn_in_transaction(conn), "rolled back on release");
    pgtc_pool_release(pool, conn);
    assert_eq!(stats(pool).in_use, 0);
    pgtc_pool_free(pool);
    wait_for(
        "the pool's backends to close",
        CATCH_UP,
        || match backends(&c, "ffi_pool_back") {
            0 => Ok(()),
            n => Err(n.to_string()),
        },
    );
}

#[test]
fn releasing_a_foreign_unpooled_or_released_connection_does_nothing() {
    let c = Cluster::shared();
    let a = pool_open(&format!("{} POOL_MAX=2 POOL_MIN=0", c.conninfo));
    let b = pool_open(&format!("{} POOL_MAX=2 POOL_MIN=0", c.conninfo));
    let from_a = acquire(a);
    // Another pool's connection: nothing happens to it.
    pgtc_pool_release(b, from_a);
    assert_eq!(value(from_a, "SELECT 1"), "1");
    assert_eq!(stats(a).in_use, 1);
    assert_eq!(stats(b).in_use, 0);
    // A connection that was never pooled: likewise.
    let plain = open(&c.conninfo);
    pgtc_pool_release(a, plain);
    assert_eq!(value(plain, "SELECT 2"), "2");
    pgtc_conn_free(plain);
    // Released once it goes back; a second release of the same pointer is
    // noticed and does nothing.
    pgtc_pool_release(a, from_a);
    let after = stats(a);
    assert_eq!((after.in_use, after.idle), (0, 1));
    pgtc_pool_release(a, from_a);
    assert_eq!(stats(a), after);
    pgtc_pool_free(a);
    pgtc_pool_free(b);
}

#[test]
fn connections_out_when_the_pool_is_freed_stay_valid_and_close_on_release() {
    let c = Cluster::shared();
    let app = "ffi_pool_freed";
    let pool = pool_open(&format!(
        "{} application_name={} POOL_MAX=3 POOL_MIN=0",
        c.conninfo, app
    ));
    let (x, y, z) = (acquire(pool), acquire(pool), acquire(pool));
    pgtc_conn_free(z); // idle now
    assert_eq!(backends(&c, app), 3);
    pgtc_pool_free(pool);
    // The idle one is closed at once; those out still work.
    wait_for(
        "the idle connection to close",
        CATCH_UP,
        || match backends(&c, app) {
            2 => Ok(()),
            n => Err(n.to_string()),
        },
    );
    assert_eq!(value(x, "SELECT 3"), "3");
    assert_eq!(value(y, "SELECT 4"), "4");
    pgtc_conn_free(x);
    pgtc_pool_release(pool, y); // the freed pool's pointer still names it
    wait_for("every connection to close", CATCH_UP, || {
        match backends(&c, app) {
            0 => Ok(()),
            n => Err(n.to_string()),
        }
    });
}

/// A pooled connection on which a panic was caught may hold half-updated
/// state: freeing it closes it instead of giving it to the next user.
#[test]
fn a_poisoned_pooled_connection_is_closed_not_returned() {
    let c = Cluster::shared();
    let pool = pool_open(&format!("{} POOL_MAX=1 POOL_MIN=0", c.conninfo));
    let conn = acquire(pool);
    let pid = value(conn, "SELECT pg_backend_pid()");
    pgtc::ffi::test_hooks::panic_on_next_conn_use();
    let (mut r, mut err) = (null_mut(), null_mut());
    assert_eq!(
        pgtc_conn_exec(conn, c"SELECT 1".as_ptr(), &mut r, &mut err),
        Status::Internal
    );
    pgtc_error_free(err);
    let closed = stats(pool).closed;
    pgtc_conn_free(conn);
    let st = stats(pool);
    assert_eq!(
        (st.closed, st.total, st.idle),
        (closed + 1, 0, 0),
        "{:?}",
        st
    );
    let conn = acquire(pool);
    assert_ne!(value(conn, "SELECT pg_backend_pid()"), pid);
    pgtc_conn_free(conn);
    pgtc_pool_free(pool);
}
