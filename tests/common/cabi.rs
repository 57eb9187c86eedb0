//! Driving the C ABI from Rust tests: borrowed C strings as Rust strings,
//! and opening a connection that must open.

use pgtc::ffi::conn::{pgtc_conn, pgtc_conn_open};
use pgtc::ffi::error::pgtc_error_message;
use pgtc::Status;
use std::ffi::{c_char, CStr, CString};
use std::ptr::null_mut;

/// A string pgtc returned (never NULL here), copied.
pub fn s(p: *const c_char) -> String {
    assert!(!p.is_null());
    // SAFETY: pgtc returned a NUL-terminated string that lives at least as
    // long as its owner, which the caller still holds.
    unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_string()
}

/// `pgtc_conn_open` that must succeed, and leave no error behind.
pub fn open(conninfo: &str) -> *mut pgtc_conn {
    let ci = CString::new(conninfo).unwrap();
    let mut conn = null_mut();
    let mut err = null_mut();
    let st = pgtc_conn_open(ci.as_ptr(), &mut conn, &mut err);
    assert_eq!(st, Status::Ok, "{}", s(pgtc_error_message(err)));
    assert!(err.is_null());
    conn
}
