//! pgtc's attributes through the C ABI against a real pair: the list from
//! `pgtc_attr_*`, and `pgtc_conn_get_attr` reading back defaults, values
//! set by `pgtc_conn_set_attr` and values given in the connection string.

mod common;
use common::cabi::{open, s};
use common::*;
use pgtc::ffi::attr::*;
use pgtc::ffi::conn::*;
use pgtc::ffi::error::*;
use pgtc::Status;
use std::ffi::{c_char, CString};
use std::ptr::{null, null_mut};

/// The attribute's value through `pgtc_conn_get_attr`, with a roomy buffer.
fn get(conn: *const pgtc_conn, name: &str) -> String {
    let name_c = CString::new(name).unwrap();
    let mut buf = [0x55 as c_char; 64];
    let mut err = null_mut();
    let st = pgtc_conn_get_attr(conn, name_c.as_ptr(), buf.as_mut_ptr(), buf.len(), &mut err);
    assert_eq!(st, Status::Ok, "{}: {}", name, s(pgtc_error_message(err)));
    assert!(err.is_null());
    s(buf.as_ptr())
}

fn set(conn: *mut pgtc_conn, name: &str, value: &str) {
    let (n, v) = (CString::new(name).unwrap(), CString::new(value).unwrap());
    let mut err = null_mut();
    let st = pgtc_conn_set_attr(conn, n.as_ptr(), v.as_ptr(), &mut err);
    assert_eq!(
        st,
        Status::Ok,
        "{}={}: {}",
        name,
        value,
        s(pgtc_error_message(err))
    );
}

/// (name, default) of every attribute, from the C list.
fn listed() -> Vec<(String, String)> {
    let n = pgtc_attr_count();
    assert!(n >= 7, "{} attributes", n);
    assert!(pgtc_attr_name(n).is_null());
    assert!(pgtc_attr_default(n).is_null());
    assert!(pgtc_attr_doc(n).is_null());
    assert!(pgtc_attr_name(usize::MAX).is_null());
    (0..n)
        .map(|i| {
            assert!(!s(pgtc_attr_doc(i)).is_empty());
            (s(pgtc_attr_name(i)), s(pgtc_attr_default(i)))
        })
        .collect()
}

#[test]
fn the_list_names_the_documented_attributes_and_defaults() {
    let l = listed();
    let names: Vec<&str> = l.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "PREFERRED_ACCESS",
            "AUTOCOMMIT",
            "TXN_ISOLATION",
            "CONSISTENCY",
            "CONSISTENCY_WAIT_MS",
            "PRIMARY_SHARE",
            "MONITOR_INTERVAL_MS",
            "STATEMENT_CACHE",
            "READ_ONLY",
            "CONSISTENCY_SCOPE",
            "MAX_STANDBY_LAG_MS",
            "ON_ERROR",
            "POOL_MAX",
            "POOL_MIN",
            "POOL_ACQUIRE_TIMEOUT_MS",
            "POOL_MAX_LIFETIME_MS",
            "POOL_IDLE_TIMEOUT_MS"
        ]
    );
    assert_eq!(l[0].1, "WRITE_MOSTLY");
    assert_eq!(l[4].1, "1000");
    // The pointers are static: the same on every call.
    assert_eq!(pgtc_attr_name(0), pgtc_attr_name(0));
}

#[test]
fn a_new_connection_reports_every_default() {
    let c = Cluster::shared();
    let conn = open(&c.conninfo);
    for (name, default) in listed() {
        assert_eq!(get(conn, &name), default, "{}", name);
        // Names are case-insensitive.
        assert_eq!(get(conn, &name.to_ascii_lowercase()), default, "{}", name);
    }
    pgtc_conn_free(conn);
}

#[test]
fn set_then_get_gives_the_canonical_spelling() {
    let c = Cluster::shared();
    let conn = open(&c.conninfo);
    for (name, value, want) in [
        ("preferred_access", "read mostly", "READ_MOSTLY"),
        ("AUTOCOMMIT", "no", "OFF"),
        ("AUTOCOMMIT", "true", "ON"),
        ("TXN_ISOLATION", "Repeatable Read", "REPEATABLE_READ"),
        ("TXN_ISOLATION", "read_uncommitted", "READ_COMMITTED"),
        ("CONSISTENCY", "wait", "WAIT"),
        ("CONSISTENCY_WAIT_MS", " 250 ", "250"),
        ("PRIMARY_SHARE", "0", "0"),
        ("MONITOR_INTERVAL_MS", "20", "20"),
    ] {
        set(conn, name, value);
        assert_eq!(get(conn, name), want, "{}={}", name, value);
    }
    // A refused value leaves the attribute as it was.
    let mut err = null_mut();
    let st = pgtc_conn_set_attr(conn, c"PRIMARY_SHARE".as_ptr(), c"101".as_ptr(), &mut err);
    assert_eq!(st, Status::InvalidAttributeValue);
    pgtc_error_free(err);
    assert_eq!(get(conn, "PRIMARY_SHARE"), "0");
    pgtc_conn_free(conn);
}

#[test]
fn values_from_the_connection_string_are_read_back() {
    let c = Cluster::shared();
    let conn = open(&format!(
        "{} autocommit=off PREFERRED_ACCESS=read_mostly consistency_wait_ms=5",
        c.conninfo
    ));
    assert_eq!(get(conn, "AUTOCOMMIT"), "OFF");
    assert_eq!(get(conn, "PREFERRED_ACCESS"), "READ_MOSTLY");
    assert_eq!(get(conn, "CONSISTENCY_WAIT_MS"), "5");
    pgtc_conn_free(conn);
}

#[test]
fn unknown_names_small_buffers_and_null_arguments_are_errors() {
    let c = Cluster::shared();
    let conn = open(&c.conninfo);
    let mut buf = [0x55 as c_char; 64];

    let mut err = null_mut();
    let st = pgtc_conn_get_attr(
        conn,
        c"LOAD_BALANCE".as_ptr(),
        buf.as_mut_ptr(),
        64,
        &mut err,
    );
    assert_eq!(st, Status::UnknownAttribute);
    assert_eq!(pgtc_error_status(err), Status::UnknownAttribute);
    let m = s(pgtc_error_message(err));
    assert!(
        m.contains("LOAD_BALANCE") && m.contains("PREFERRED_ACCESS"),
        "{}",
        m
    );
    pgtc_error_free(err);

    // "WRITE_MOSTLY" needs 13 bytes with its NUL.
    for len in [1usize, 5, 12] {
        let mut buf = [0x55 as c_char; 16];
        let mut err = null_mut();
        let st = pgtc_conn_get_attr(
            conn,
            c"PREFERRED_ACCESS".as_ptr(),
            buf.as_mut_ptr(),
            len,
            &mut err,
        );
        assert_eq!(st as u32, 104, "len {}", len);
        assert_eq!(st, Status::BufferTooSmall);
        let m = s(pgtc_error_message(err));
        assert!(m.contains("13 bytes"), "{}", m);
        pgtc_error_free(err);
        assert_eq!(buf[0], 0, "len {}", len);
        assert!(buf[1..].iter().all(|&b| b == 0x55), "wrote past buf[0]");
    }
    // len 0: nothing is written at all.
    let mut one = [0x55 as c_char; 1];
    let st = pgtc_conn_get_attr(
        conn,
        c"PREFERRED_ACCESS".as_ptr(),
        one.as_mut_ptr(),
        0,
        null_mut(),
    );
    assert_eq!(st, Status::BufferTooSmall);
    assert_eq!(one[0], 0x55);
    // Exactly enough.
    let mut exact = [0x55 as c_char; 13];
    let st = pgtc_conn_get_attr(
        conn,
        c"PREFERRED_ACCESS".as_ptr(),
        exact.as_mut_ptr(),
        13,
        null_mut(),
    );
    assert_eq!(st, Status::Ok);
    assert_eq!(s(exact.as_ptr()), "WRITE_MOSTLY");

    let name = c"AUTOCOMMIT".as_ptr();
    let mut err = null_mut();
    let st = pgtc_conn_get_attr(null(), name, buf.as_mut_ptr(), 64, &mut err);
    assert_eq!(st, Status::NullArgument);
    assert!(s(pgtc_error_message(err)).contains("conn"));
    pgtc_error_free(err);
    let mut err = null_mut();
    let st = pgtc_conn_get_attr(conn, null(), buf.as_mut_ptr(), 64, &mut err);
    assert_eq!(st, Status::NullArgument);
    assert!(s(pgtc_error_message(err)).contains("name"));
    pgtc_error_free(err);
    let mut err = null_mut();
    let st = pgtc_conn_get_attr(conn, name, null_mut(), 64, &mut err);
    assert_eq!(st, Status::NullArgument);
    assert!(s(pgtc_error_message(err)).contains("buf"));
    pgtc_error_free(err);
    // err_out may be NULL.
    assert_eq!(
        pgtc_conn_get_attr(conn, name, null_mut(), 64, null_mut()),
        Status::NullArgument
    );
    let bad = [b'A', 0xff, 0];
    assert_eq!(
        pgtc_conn_get_attr(conn, bad.as_ptr().cast(), buf.as_mut_ptr(), 64, null_mut()),
        Status::InvalidUtf8
    );
    pgtc_conn_free(conn);
}
