//! `pgtc_error`: an owned error object (status, message, SQLSTATE).

use super::{arg_ref, free_handle};
use crate::error::{Error, Status};
use std::ffi::{c_char, CString};

/// An error: a status code, a message and a SQLSTATE. Created by pgtc when a
/// call fails and `err_out` is not NULL; owned by the caller, who releases
/// it with `pgtc_error_free`. Read-only, so it may be read from any thread.
pub struct pgtc_error {
    status: Status,
    message: CString,
    sqlstate: [u8; 6],
}

impl From<Error> for pgtc_error {
    fn from(e: Error) -> Self {
        let mut sqlstate = [0u8; 6];
        if e.sqlstate.len() == 5 && e.sqlstate.is_ascii() {
            sqlstate[..5].copy_from_slice(e.sqlstate.as_bytes());
        }
        let message = CString::new(e.message.replace('\0', " ")).unwrap_or_default();
        pgtc_error {
            status: e.status,
            message,
            sqlstate,
        }
    }
}

/// The error's message (UTF-8). Borrowed from `error`: valid until
/// `pgtc_error_free(error)`. NULL `error` gives "".
#[no_mangle]
pub extern "C" fn pgtc_error_message(error: *const pgtc_error) -> *const c_char {
    ffi_fn!(fallback = c"".as_ptr(), {
        // SAFETY: `error` is NULL or a live pgtc_error (read-only once returned).
        match unsafe { arg_ref(error, "error") } {
            Ok(e) => e.message.as_ptr(),
            Err(_) => c"".as_ptr(),
        }
    })
}

/// The error's five-character SQLSTATE (e.g. "42P01"), or "" when it has
/// none. Borrowed from `error`: valid until `pgtc_error_free(error)`.
/// NULL `error` gives "".
#[no_mangle]
pub extern "C" fn pgtc_error_sqlstate(error: *const pgtc_error) -> *const c_char {
    ffi_fn!(fallback = c"".as_ptr(), {
        // SAFETY: `error` is NULL or a live pgtc_error (read-only once returned).
        match unsafe { arg_ref(error, "error") } {
            Ok(e) => e.sqlstate.as_ptr().cast(),
            Err(_) => c"".as_ptr(),
        }
    })
}

/// The error's status code (the same value the failing call returned).
/// NULL `error` gives PGTC_STATUS_NULL_ARGUMENT.
#[no_mangle]
pub extern "C" fn pgtc_error_status(error: *const pgtc_error) -> Status {
    ffi_fn!(fallback = Status::Internal, {
        // SAFETY: `error` is NULL or a live pgtc_error (read-only once returned).
        match unsafe { arg_ref(error, "error") } {
            Ok(e) => e.status,
            Err(e) => e.status,
        }
    })
}

/// Release an error. NULL is a no-op.
#[no_mangle]
pub extern "C" fn pgtc_error_free(error: *mut pgtc_error) {
    ffi_fn!(fallback = (), {
        // SAFETY: `error` is NULL or came from pgtc and is freed once.
        unsafe { free_handle(error) }
    })
}
