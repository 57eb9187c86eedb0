//! The C ABI. No logic lives here: each export checks its arguments,
//! converts handles and strings, calls plain Rust (`session`, `result`,
//! `error`) and converts the outcome back. Every export runs behind the
//! panic boundary of `boundary`/`with_status`, so no panic unwinds into C.
//!
//! Ownership is encoded once, in `into_handle` / `free_handle`: every object
//! pgtc hands out is a `Box` turned into a raw pointer, released exactly once
//! by its `_free` function.
//!
//! The handle types carry their C names (`pgtc_conn`, …) so that cbindgen
//! emits them as they are.
#![allow(non_camel_case_types)]
// Exports take raw pointers from C by design; each is checked before use.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

use crate::error::{Error, Result, Status};
use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

pub mod attr;
pub mod conn;
pub mod error;
pub mod result;
pub mod route;

pub use self::error::pgtc_error;

/// Run `f`; if it panics, return `fallback` instead of unwinding into C.
pub(crate) fn boundary<R>(fallback: R, f: impl FnOnce() -> R) -> R {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

/// Run a fallible export body behind the panic boundary: clear `*err_out`,
/// and on failure store a new `pgtc_error` there (when `err_out` is not
/// NULL) and return its status.
pub(crate) fn with_status(err_out: *mut *mut pgtc_error, f: impl FnOnce() -> Result<()>) -> Status {
    if !err_out.is_null() {
        // SAFETY: the caller passes either NULL or a pointer it owns.
        unsafe { *err_out = std::ptr::null_mut() };
    }
    let outcome = catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(Error::new(
            Status::Internal,
            "internal error in pgtc (a Rust panic was caught at the C boundary)",
        ))
    });
    match outcome {
        Ok(()) => Status::Ok,
        Err(e) => {
            let status = e.status;
            if !err_out.is_null() {
                // SAFETY: as above.
                unsafe { *err_out = into_handle(pgtc_error::from(e)) };
            }
            status
        }
    }
}

/// Box a value and hand it to C.
pub(crate) fn into_handle<T>(v: T) -> *mut T {
    Box::into_raw(Box::new(v))
}

/// Take back and drop a value handed out by `into_handle`; NULL is a no-op.
///
/// # Safety
/// `p` is NULL or came from `into_handle::<T>` and was not freed before.
pub(crate) unsafe fn free_handle<T>(p: *mut T) {
    if !p.is_null() {
        drop(Box::from_raw(p));
    }
}

/// Borrow a handle; NULL is an error naming the argument.
pub(crate) fn arg_ref<'a, T>(p: *const T, name: &str) -> Result<&'a T> {
    // SAFETY: the caller passes NULL or a live handle from pgtc.
    unsafe { p.as_ref() }.ok_or_else(|| null_arg(name))
}

/// Borrow a handle mutably; NULL is an error naming the argument.
pub(crate) fn arg_mut<'a, T>(p: *mut T, name: &str) -> Result<&'a mut T> {
    // SAFETY: the caller passes NULL or a live handle used by one thread at a time.
    unsafe { p.as_mut() }.ok_or_else(|| null_arg(name))
}

/// Borrow a C string as UTF-8; NULL and invalid UTF-8 are errors.
pub(crate) fn arg_str<'a>(p: *const c_char, name: &str) -> Result<&'a str> {
    if p.is_null() {
        return Err(null_arg(name));
    }
    // SAFETY: non-NULL, and the caller promises a NUL-terminated string.
    let c = unsafe { CStr::from_ptr(p) };
    c.to_str().map_err(|e| {
        Error::new(
            Status::InvalidUtf8,
            format!("{} is not valid UTF-8 (at byte {})", name, e.valid_up_to()),
        )
    })
}

/// Check an out-parameter and clear it.
pub(crate) fn out_ptr<'a, T>(p: *mut *mut T, name: &str) -> Result<&'a mut *mut T> {
    // SAFETY: the caller passes NULL or a writable pointer.
    let slot = unsafe { p.as_mut() }.ok_or_else(|| null_arg(name))?;
    *slot = std::ptr::null_mut();
    Ok(slot)
}

fn null_arg(name: &str) -> Error {
    Error::new(Status::NullArgument, format!("{} is NULL", name))
}

static VERSION: &[u8] = concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes();

/// The version of pgtc, e.g. "0.1.0". A static string; never free it.
#[no_mangle]
pub extern "C" fn pgtc_version() -> *const c_char {
    VERSION.as_ptr().cast()
}

/// A short, stable name for a status code, e.g. "PGTC_STATUS_SQL"; a static
/// string ("PGTC_STATUS_UNKNOWN" for a code pgtc does not know). Never free it.
#[no_mangle]
pub extern "C" fn pgtc_status_name(status: u32) -> *const c_char {
    let s: &'static [u8] = match status {
        0 => b"PGTC_STATUS_OK\0",
        100 => b"PGTC_STATUS_NULL_ARGUMENT\0",
        101 => b"PGTC_STATUS_INVALID_UTF8\0",
        102 => b"PGTC_STATUS_INVALID_ARGUMENT\0",
        103 => b"PGTC_STATUS_INVALID_STATE\0",
        104 => b"PGTC_STATUS_BUFFER_TOO_SMALL\0",
        200 => b"PGTC_STATUS_CONNINFO_SYNTAX\0",
        201 => b"PGTC_STATUS_UNKNOWN_ATTRIBUTE\0",
        202 => b"PGTC_STATUS_INVALID_ATTRIBUTE_VALUE\0",
        300 => b"PGTC_STATUS_CONNECT_FAILED\0",
        301 => b"PGTC_STATUS_CONNECTION_LOST\0",
        302 => b"PGTC_STATUS_NO_PRIMARY\0",
        303 => b"PGTC_STATUS_AUTH_FAILED\0",
        304 => b"PGTC_STATUS_CONNECTION_SWITCHED\0",
        400 => b"PGTC_STATUS_SQL\0",
        500 => b"PGTC_STATUS_PROTOCOL\0",
        501 => b"PGTC_STATUS_UNSUPPORTED\0",
        502 => b"PGTC_STATUS_INTERNAL\0",
        _ => b"PGTC_STATUS_UNKNOWN\0",
    };
    s.as_ptr().cast()
}

/// Turn on pgtc's log lines (to stderr) when the environment variable
/// `PGTC_LOG` is set, e.g. `PGTC_LOG=debug`. Called once, by the first open.
pub(crate) fn init_logging() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if let Ok(filter) = std::env::var("PGTC_LOG") {
            let _ = env_logger::Builder::new()
                .parse_filters(&filter)
                .target(env_logger::Target::Stderr)
                .try_init();
        }
    });
}
