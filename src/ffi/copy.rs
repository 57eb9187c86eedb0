//! `pgtc_copy`: one COPY streaming data to or from the client, started by
//! `pgtc_conn_copy`. The logic lives in `session::copy`; these exports check
//! arguments, check that the handle is still its connection's running COPY,
//! and convert.

use super::conn::{conn_mut, pgtc_conn};
use super::{arg_mut, arg_ref, arg_str, free_handle, into_handle, out_ptr};
use super::{pgtc_error, result::pgtc_result};
use crate::error::{Error, Result, Status};
use crate::session::{CopyDirection, CopyInfo, Session};
use bytes::Bytes;
use std::ffi::c_char;

/// Which way a COPY's data moves (`pgtc_direction`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum pgtc_direction {
    /// No data moves: the statement completed without COPY mode (a COPY to
    /// or from a file on the server), or the handle is NULL.
    None = 0,
    /// `COPY … FROM STDIN`: write the data with `pgtc_copy_write`.
    In = 1,
    /// `COPY … TO STDOUT`: read the data with `pgtc_copy_read`.
    Out = 2,
}

/// One COPY on a connection, from `pgtc_conn_copy` until `pgtc_copy_end`
/// or `pgtc_copy_abort`; released with `pgtc_copy_free`, which aborts it
/// if it is still running. It belongs to its connection: it is used from
/// the thread using the connection, and freed before the connection is
/// (using it after `pgtc_conn_free` is undefined, as in libpq).
pub struct pgtc_copy {
    conn: *mut pgtc_conn,
    info: CopyInfo,
    /// The chunk `pgtc_copy_read` lent last.
    chunk: Option<Bytes>,
    /// Ended or aborted (or it failed): later calls are refused.
    over: bool,
}

impl pgtc_copy {
    /// The connection's session, for this COPY while it runs.
    fn session(&mut self) -> Result<super::conn::InUse<&mut pgtc_conn>> {
        if self.over {
            return Err(Error::new(
                Status::InvalidState,
                "this COPY is over (ended or aborted); start a new one with pgtc_conn_copy",
            ));
        }
        // SAFETY: `conn` came from a live pgtc_conn when the COPY started,
        // and the header requires the copy to be freed before its
        // connection and used by the connection's thread only.
        let s = unsafe { conn_mut(self.conn) }?;
        if s.copying().map(|i| i.id) != Some(self.info.id) {
            self.over = true;
            return Err(Error::new(
                Status::InvalidState,
                "this COPY is no longer running on its connection",
            ));
        }
        Ok(s)
    }

    /// Run `f` on the session; the COPY is over when the session says so.
    fn with<T>(&mut self, f: impl FnOnce(&mut Session) -> Result<T>) -> Result<T> {
        let id = self.info.id;
        let mut s = self.session()?;
        let r = f(&mut s);
        let running = s.copying().is_some_and(|i| i.id == id);
        drop(s);
        self.over = !running;
        r
    }
}

/// Start a COPY: `sql` is one `COPY … FROM STDIN` or `COPY … TO STDOUT`
/// statement, routed like any statement (FROM STDIN on the primary, where
/// it raises the LSN floor like any write; TO STDOUT wherever the same
/// `SELECT` would run, the standby included, with read-your-writes).
///
/// On success `*copy_out` receives the COPY, owned by the caller and
/// released with `pgtc_copy_free`; `pgtc_copy_direction` says which way
/// its data moves. Then write (`pgtc_copy_write`) or read
/// (`pgtc_copy_read`) the data in chunks and finish with `pgtc_copy_end`,
/// or give up with `pgtc_copy_abort`. While it runs the connection is
/// copying: `pgtc_conn_exec` and a second `pgtc_conn_copy` fail with
/// PGTC_STATUS_INVALID_STATE. A server error (a missing table, a bad
/// option) is returned here with its SQLSTATE and no COPY starts. Text
/// that is not one COPY statement is PGTC_STATUS_INVALID_ARGUMENT.
#[no_mangle]
pub extern "C" fn pgtc_conn_copy(
    conn: *mut pgtc_conn,
    sql: *const c_char,
    copy_out: *mut *mut pgtc_copy,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        // SAFETY: `copy_out` is NULL or a writable slot (header convention).
        let out = unsafe { out_ptr(copy_out, "copy_out") }?;
        // SAFETY: `conn` is NULL or a live pgtc_conn used by this thread only.
        let mut s = unsafe { conn_mut(conn) }?;
        // SAFETY: `sql` is NULL or a NUL-terminated string.
        let sql = unsafe { arg_str(sql, "sql") }?;
        let info = s.copy_start(sql)?;
        *out = into_handle(pgtc_copy {
            conn,
            info,
            chunk: None,
            over: false,
        });
        Ok(())
    })
}

/// Which way the COPY's data moves; PGTC_DIRECTION_NONE for NULL.
#[no_mangle]
pub extern "C" fn pgtc_copy_direction(copy: *const pgtc_copy) -> pgtc_direction {
    ffi_fn!(fallback = pgtc_direction::None, {
        // SAFETY: `copy` is NULL or a live pgtc_copy.
        match unsafe { arg_ref(copy, "copy") }.map(|c| c.info.direction) {
            Ok(CopyDirection::In) => pgtc_direction::In,
            Ok(CopyDirection::Out) => pgtc_direction::Out,
            _ => pgtc_direction::None,
        }
    })
}

/// Whether the data is in PostgreSQL's binary COPY format (`FORMAT
/// binary`); false for text and CSV, and for NULL.
#[no_mangle]
pub extern "C" fn pgtc_copy_binary(copy: *const pgtc_copy) -> bool {
    ffi_fn!(fallback = false, {
        // SAFETY: `copy` is NULL or a live pgtc_copy.
        unsafe { arg_ref(copy, "copy") }.is_ok_and(|c| c.info.binary)
    })
}

/// Number of columns of the COPY's data; 0 for NULL.
#[no_mangle]
pub extern "C" fn pgtc_copy_cols(copy: *const pgtc_copy) -> usize {
    ffi_fn!(fallback = 0, {
        // SAFETY: `copy` is NULL or a live pgtc_copy.
        unsafe { arg_ref(copy, "copy") }.map_or(0, |c| c.info.cols)
    })
}

/// Send `len` bytes of a `COPY … FROM STDIN`'s data (any split: rows may
/// span calls). The bytes are copied before the call returns. A server
/// error about the data (a bad row, SQLSTATE 22P02 with the line in its
/// CONTEXT) is returned by the first `pgtc_copy_write` that finds it
/// waiting — soon after the bad row, however much data follows — or else by
/// `pgtc_copy_end`; either way the COPY is over and the connection usable.
/// `data` may be NULL when `len` is 0. On a COPY TO STDOUT, or a COPY that is over:
/// PGTC_STATUS_INVALID_STATE.
#[no_mangle]
pub extern "C" fn pgtc_copy_write(
    copy: *mut pgtc_copy,
    data: *const c_char,
    len: usize,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        // SAFETY: `copy` is NULL or a live pgtc_copy used by this thread only.
        let c = unsafe { arg_mut(copy, "copy") }?;
        if data.is_null() && len > 0 {
            return Err(Error::new(
                Status::NullArgument,
                "data is NULL but len is not 0",
            ));
        }
        let bytes: &[u8] = if len == 0 {
            &[]
        } else {
            // SAFETY: non-NULL, and points to `len` readable bytes (contract).
            unsafe { std::slice::from_raw_parts(data.cast::<u8>(), len) }
        };
        c.with(|s| s.copy_write(bytes))
    })
}

/// Read the next chunk of a `COPY … TO STDOUT`'s data (one row in text
/// and CSV formats). `*data_out` points to `*len_out` bytes, not
/// NUL-terminated, borrowed from the copy until the next call on it or its
/// free. After the last chunk the call succeeds with `*data_out` NULL and
/// `*len_out` 0; then call `pgtc_copy_end`. A server error in the middle is
/// returned with its SQLSTATE and ends the COPY (the connection stays
/// usable). On a COPY FROM STDIN, or one that is over:
/// PGTC_STATUS_INVALID_STATE.
#[no_mangle]
pub extern "C" fn pgtc_copy_read(
    copy: *mut pgtc_copy,
    data_out: *mut *const c_char,
    len_out: *mut usize,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        // SAFETY: `copy` is NULL or a live pgtc_copy used by this thread only.
        let c = unsafe { arg_mut(copy, "copy") }?;
        // SAFETY: `data_out` and `len_out` are NULL or writable (header convention).
        let (data, len) = unsafe { (data_out.as_mut(), len_out.as_mut()) };
        let (Some(data), Some(len)) = (data, len) else {
            return Err(Error::new(
                Status::NullArgument,
                "data_out or len_out is NULL",
            ));
        };
        *data = std::ptr::null();
        *len = 0;
        c.chunk = None;
        c.chunk = c.with(|s| s.copy_read())?;
        if let Some(b) = &c.chunk {
            *data = b.as_ptr().cast();
            *len = b.len();
        }
        Ok(())
    })
}

/// Finish the COPY. On success `*result_out` (may be NULL when the result
/// is not wanted) receives its result, owned by the caller and released
/// with `pgtc_result_free`: tag `COPY n`, `pgtc_result_affected` the row
/// count, `pgtc_result_server` where it ran. For `COPY … FROM STDIN` the
/// server's error about the data, if any, is returned here with its
/// SQLSTATE (nothing was copied); for `COPY … TO STDOUT` data not read yet
/// is discarded. Either way the COPY is over and the connection usable.
#[no_mangle]
pub extern "C" fn pgtc_copy_end(
    copy: *mut pgtc_copy,
    result_out: *mut *mut pgtc_result,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        if !result_out.is_null() {
            // SAFETY: non-NULL, and a writable slot (header convention).
            unsafe { *result_out = std::ptr::null_mut() };
        }
        // SAFETY: `copy` is NULL or a live pgtc_copy used by this thread only.
        let c = unsafe { arg_mut(copy, "copy") }?;
        c.chunk = None;
        let inner = c.with(Session::copy_end)?;
        if !result_out.is_null() {
            // SAFETY: as above.
            unsafe { *result_out = into_handle(pgtc_result { inner }) };
        }
        Ok(())
    })
}

/// Give up the COPY. `COPY … FROM STDIN`: the server is told to fail it
/// with `reason` (NULL: a default text), copies nothing and answers with
/// SQLSTATE 57014, which is the expected outcome and not reported; inside
/// a transaction block the transaction is then failed, as PostgreSQL
/// fails it (roll it back). `COPY … TO STDOUT`: the rest of the data is
/// read and discarded. The connection stays usable; an error is returned
/// only when the connection broke.
#[no_mangle]
pub extern "C" fn pgtc_copy_abort(
    copy: *mut pgtc_copy,
    reason: *const c_char,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        // SAFETY: `copy` is NULL or a live pgtc_copy used by this thread only.
        let c = unsafe { arg_mut(copy, "copy") }?;
        let reason = if reason.is_null() {
            "COPY aborted by the client"
        } else {
            // SAFETY: `reason` is a NUL-terminated string (contract).
            unsafe { arg_str(reason, "reason") }?
        };
        c.chunk = None;
        c.with(|s| s.copy_abort(reason))
    })
}

/// Release a COPY. One still running is aborted first as by
/// `pgtc_copy_abort` (the connection stays usable). Must be called before
/// its connection is freed. NULL is a no-op.
#[no_mangle]
pub extern "C" fn pgtc_copy_free(copy: *mut pgtc_copy) {
    ffi_fn!(fallback = (), {
        // SAFETY: `copy` is NULL or a live pgtc_copy used by this thread only.
        if let Ok(c) = unsafe { arg_mut(copy, "copy") } {
            if !c.over {
                let _ = c.with(|s| s.copy_abort("COPY abandoned by the client"));
            }
        }
        // SAFETY: `copy` is NULL or came from pgtc_conn_copy and is freed
        // once (header convention).
        unsafe { free_handle(copy) }
    })
}
