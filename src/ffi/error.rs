//! `pgtc_error`: an owned error object (status, message, SQLSTATE, every
//! field of the server's ErrorResponse, the results before a failing
//! statement). Notices are handed to C as `pgtc_error`s too.

use super::result::pgtc_result;
use super::{arg_ref, free_handle};
use crate::error::{Error, Notice, Status};
use crate::result::ResultSet;
use std::ffi::{c_char, c_int, CString};

/// An error: a status code, a message, a SQLSTATE and the fields of the
/// server's ErrorResponse. Created by pgtc when a call fails and `err_out`
/// is not NULL; owned by the caller, who releases it with
/// `pgtc_error_free`. Read-only, so it may be read from any thread.
///
/// A notice handed to a notice handler (see
/// `pgtc_conn_set_notice_handler`) is a `pgtc_error` too, with status
/// PGTC_STATUS_OK; it belongs to pgtc and lives only during the call.
pub struct pgtc_error {
    status: Status,
    message: CString,
    sqlstate: [u8; 6],
    /// Every field `pgtc_error_field` answers, by code.
    fields: Vec<(u8, CString)>,
    results: Option<Box<ResultSet>>,
}

fn c_string(s: &str) -> CString {
    CString::new(s.replace('\0', " ")).unwrap_or_default()
}

fn sqlstate_of(code: &str) -> [u8; 6] {
    let mut sqlstate = [0u8; 6];
    if code.len() == 5 && code.is_ascii() {
        sqlstate[..5].copy_from_slice(code.as_bytes());
    }
    sqlstate
}

/// Codes `Error::field` answers for an error pgtc found itself.
const OWN_FIELDS: [u8; 4] = [b'S', b'V', b'C', b'M'];

impl From<Error> for pgtc_error {
    fn from(e: Error) -> Self {
        let fields = if e.fields.is_empty() {
            OWN_FIELDS
                .iter()
                .filter_map(|&c| e.field(c).map(|v| (c, c_string(v))))
                .collect()
        } else {
            e.fields.iter().map(|(c, v)| (c, c_string(v))).collect()
        };
        pgtc_error {
            status: e.status,
            message: c_string(&e.message),
            sqlstate: sqlstate_of(&e.sqlstate),
            fields,
            results: e.results,
        }
    }
}

impl From<&Notice> for pgtc_error {
    fn from(n: &Notice) -> Self {
        pgtc_error {
            status: Status::Ok,
            message: c_string(&n.fields.render_message()),
            sqlstate: sqlstate_of(n.sqlstate()),
            fields: n.fields.iter().map(|(c, v)| (c, c_string(v))).collect(),
            results: None,
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

/// One field of the error by its protocol code, as libpq's
/// PQresultErrorField (the `PG_DIAG_*` values): 'S' severity (localized),
/// 'V' severity ("ERROR", "FATAL", "WARNING", "NOTICE", …), 'C' SQLSTATE,
/// 'M' primary message, 'D' detail, 'H' hint, 'P' position in the
/// statement (1-based, in characters), 'p' internal position, 'q'
/// internal query, 'W' context, 's' schema, 't' table, 'c' column, 'd'
/// data type, 'n' constraint, 'F' source file, 'L' source line, 'R'
/// source routine. NULL when the error has no such field (and for NULL
/// `error`). An error pgtc found itself (no server sent it) has 'S' and
/// 'V' ("ERROR"), 'C' (its SQLSTATE, as `pgtc_error_sqlstate`) and 'M'.
/// Borrowed from `error`: valid until `pgtc_error_free(error)`.
#[no_mangle]
pub extern "C" fn pgtc_error_field(error: *const pgtc_error, field: c_int) -> *const c_char {
    ffi_fn!(fallback = std::ptr::null(), {
        // SAFETY: `error` is NULL or a live pgtc_error (read-only once returned).
        let Ok(e) = (unsafe { arg_ref(error, "error") }) else {
            return std::ptr::null();
        };
        let Ok(code) = u8::try_from(field) else {
            return std::ptr::null();
        };
        e.fields
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(std::ptr::null(), |(_, v)| v.as_ptr())
    })
}

/// For SQL text of several statements that failed in statement k: the
/// result of statement 1, with those of statements 2 … k-1 after it
/// (`pgtc_result_next`), as PostgreSQL ran them before the error; NULL
/// when the first statement failed, for other errors and for NULL
/// `error`. Owned by `error`: valid until `pgtc_error_free(error)`; do not
/// pass it to `pgtc_result_free`.
#[no_mangle]
pub extern "C" fn pgtc_error_results(error: *const pgtc_error) -> *const pgtc_result {
    ffi_fn!(fallback = std::ptr::null(), {
        // SAFETY: `error` is NULL or a live pgtc_error (read-only once returned).
        match unsafe { arg_ref(error, "error") } {
            Ok(e) => e
                .results
                .as_deref()
                .map_or(std::ptr::null(), pgtc_result::from_inner),
            Err(_) => std::ptr::null(),
        }
    })
}

/// The error's status code (the same value the failing call returned;
/// PGTC_STATUS_OK for a notice).
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    fn text(p: *const c_char) -> Option<String> {
        // SAFETY: pgtc returned NULL or a string borrowed from a live error.
        (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_string())
    }

    #[test]
    fn every_status_reaches_c_with_a_sqlstate_and_its_fields() {
        for st in Status::ALL.into_iter().filter(|&st| st != Status::Ok) {
            let e = pgtc_error::from(Error::new(st, "m"));
            let sqlstate = text(pgtc_error_sqlstate(&e)).unwrap();
            assert_eq!(sqlstate.len(), 5, "{:?}", st);
            assert_eq!(
                text(pgtc_error_field(&e, c_int::from(b'C'))),
                Some(sqlstate)
            );
            assert_eq!(
                text(pgtc_error_field(&e, c_int::from(b'M'))).as_deref(),
                Some("m")
            );
            assert_eq!(
                text(pgtc_error_field(&e, c_int::from(b'V'))).as_deref(),
                Some("ERROR")
            );
            assert_eq!(text(pgtc_error_field(&e, c_int::from(b'D'))), None);
            assert!(pgtc_error_results(&e).is_null());
        }
    }

    #[test]
    fn a_notice_is_an_error_object_with_status_ok() {
        let mut n = Notice::default();
        n.fields.set(b'V', "WARNING");
        n.fields.set(b'C', "01000");
        n.fields.set(b'M', "careful");
        n.fields.set(b'H', "look");
        let e = pgtc_error::from(&n);
        assert_eq!(pgtc_error_status(&e), Status::Ok);
        assert_eq!(text(pgtc_error_sqlstate(&e)).as_deref(), Some("01000"));
        assert_eq!(
            text(pgtc_error_message(&e)).as_deref(),
            Some("careful\nHINT:  look")
        );
        assert_eq!(
            text(pgtc_error_field(&e, c_int::from(b'V'))).as_deref(),
            Some("WARNING")
        );
        assert_eq!(text(pgtc_error_field(&e, c_int::from(b'S'))), None);
    }
}
