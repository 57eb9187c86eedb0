//! `pgtc_stream`: the rows of one statement read in batches through a
//! portal, started by `pgtc_conn_stream`. The logic lives in
//! `session::stream`; these exports check arguments, lend the session and
//! convert.

use super::conn::{conn_mut, pgtc_conn};
use super::stmt::{pgtc_stmt, read_params};
use super::{arg_mut, arg_ref, arg_str, free_handle, into_handle, out_ptr};
use super::{pgtc_error, result::pgtc_result};
use crate::error::{Error, Result, Status};
use crate::result::Server;
use crate::session::{Stream, Values};
use std::ffi::{c_char, c_int};

/// The rows of one statement, read `fetch` at a time, from
/// `pgtc_conn_stream` until `pgtc_stream_free`. It belongs to its
/// connection: it is used from the thread using the connection, and freed
/// before the connection is (using it after `pgtc_conn_free` is undefined,
/// as in libpq).
pub struct pgtc_stream {
    conn: *mut pgtc_conn,
    /// None once closed.
    inner: Option<Stream>,
}

impl pgtc_stream {
    fn with<T>(
        &mut self,
        f: impl FnOnce(&mut crate::Session, &mut Option<Stream>) -> Result<T>,
    ) -> Result<T> {
        if self.inner.is_none() {
            return Err(Error::new(
                Status::InvalidState,
                "this stream is closed (pgtc_stream_close); start a new one with pgtc_conn_stream",
            ));
        }
        // SAFETY: `conn` came from a live pgtc_conn when the stream started,
        // and the header requires the stream to be freed before its
        // connection and used by the connection's thread only.
        let mut s = unsafe { conn_mut(self.conn) }?;
        f(&mut s, &mut self.inner)
    }
}

/// Stream one statement with `n_params` text parameters `$1 … $n` (as
/// `pgtc_conn_exec_params` takes them; `params` may be NULL when
/// `n_params` is 0, a NULL element is an SQL NULL) in batches of at most
/// `fetch` rows (at least 1; 0 is PGTC_STATUS_INVALID_ARGUMENT). The
/// statement is routed as `pgtc_conn_exec_params` would route it and its
/// first batch is read before this returns, so a server error (a missing
/// table) comes back here. A statement that is not a single read (a
/// write, several statements) runs whole, and its stream has one batch.
///
/// On success `*stream_out` receives the stream, owned by the caller and
/// released with `pgtc_stream_free`; read the batches with
/// `pgtc_stream_next`. While the stream is open, its portal holds its
/// server connection: another statement the connection runs there first
/// reads the rest of the stream into memory (handed over as the stream's
/// next batch); COMMIT or ROLLBACK closes the streams of its transaction.
#[no_mangle]
pub extern "C" fn pgtc_conn_stream(
    conn: *mut pgtc_conn,
    sql: *const c_char,
    n_params: usize,
    params: *const *const c_char,
    fetch: usize,
    stream_out: *mut *mut pgtc_stream,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        // SAFETY: `stream_out` is NULL or a writable slot (header convention).
        let out = unsafe { out_ptr(stream_out, "stream_out") }?;
        // SAFETY: `conn` is NULL or a live pgtc_conn used by this thread only.
        let mut s = unsafe { conn_mut(conn) }?;
        // SAFETY: `sql` is NULL or a NUL-terminated string.
        let sql = unsafe { arg_str(sql, "sql") }?;
        // SAFETY: `params` is NULL or holds `n_params` string pointers.
        let values = unsafe { super::text_params(n_params, params) }?;
        let inner = s.stream(sql, &[], Values::Text(&values), &[], fetch)?;
        *out = into_handle(pgtc_stream {
            conn,
            inner: Some(inner),
        });
        Ok(())
    })
}

/// `pgtc_conn_stream` with typed or binary parameters, as
/// `pgtc_conn_exec_typed` takes them: `param_types` (NULL: the server
/// infers every type; an element 0 infers that one), `param_formats`
/// (NULL: all text; 1: a binary value of `param_lengths[i]` bytes).
#[no_mangle]
pub extern "C" fn pgtc_conn_stream_typed(
    conn: *mut pgtc_conn,
    sql: *const c_char,
    n_params: usize,
    param_types: *const u32,
    params: *const *const c_char,
    param_lengths: *const c_int,
    param_formats: *const c_int,
    fetch: usize,
    stream_out: *mut *mut pgtc_stream,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        // SAFETY: `stream_out` is NULL or a writable slot (header convention).
        let out = unsafe { out_ptr(stream_out, "stream_out") }?;
        // SAFETY: `conn` is NULL or a live pgtc_conn used by this thread only.
        let mut s = unsafe { conn_mut(conn) }?;
        // SAFETY: `sql` is NULL or a NUL-terminated string.
        let sql = unsafe { arg_str(sql, "sql") }?;
        let types: &[u32] = if param_types.is_null() {
            &[]
        } else {
            // SAFETY: a non-NULL `param_types` holds `n_params` OIDs (contract).
            unsafe { std::slice::from_raw_parts(param_types, n_params) }
        };
        // SAFETY: the arrays hold `n_params` elements as documented.
        let (values, formats) =
            unsafe { read_params(n_params, params, param_lengths, param_formats) }?;
        let inner = s.stream(sql, types, Values::Bytes(&values), &formats, fetch)?;
        *out = into_handle(pgtc_stream {
            conn,
            inner: Some(inner),
        });
        Ok(())
    })
}

/// Stream a statement of `pgtc_conn_prepare` with its `n_params`
/// parameters, as `pgtc_stmt_exec_formats` takes them (`param_formats`
/// NULL: all text; binary values are `param_lengths[i]` bytes), in batches
/// of at most `fetch` rows; otherwise as `pgtc_conn_stream`. A count that
/// differs from the statement's is PGTC_STATUS_INVALID_ARGUMENT (SQLSTATE
/// 08P01) and nothing is sent; after `pgtc_conn_free` of its connection it
/// fails with SQLSTATE 08003.
#[no_mangle]
pub extern "C" fn pgtc_stmt_stream(
    stmt: *mut pgtc_stmt,
    n_params: usize,
    params: *const *const c_char,
    param_lengths: *const c_int,
    param_formats: *const c_int,
    fetch: usize,
    stream_out: *mut *mut pgtc_stream,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        // SAFETY: `stream_out` is NULL or a writable slot (header convention).
        let out = unsafe { out_ptr(stream_out, "stream_out") }?;
        // SAFETY: `stmt` is NULL or a live pgtc_stmt used by this thread only.
        let stmt = unsafe { arg_ref(stmt, "stmt") }?;
        if !stmt.stmt.session_alive() {
            return Err(Error::with_sqlstate(
                Status::InvalidState,
                "the connection this statement was prepared on has been freed",
                "08003",
            ));
        }
        // SAFETY: the statement's connection is still alive (checked above)
        // and used by this thread only (contract).
        let mut s = unsafe { conn_mut(stmt.conn) }?;
        // SAFETY: the arrays hold `n_params` elements (contract).
        let (values, formats) =
            unsafe { read_params(n_params, params, param_lengths, param_formats) }?;
        let inner = s.stream_prepared(&stmt.stmt, Values::Bytes(&values), &formats, fetch)?;
        *out = into_handle(pgtc_stream {
            conn: stmt.conn,
            inner: Some(inner),
        });
        Ok(())
    })
}

/// The next batch of the stream: on success `*result_out` receives a
/// result (owned by the caller, released with `pgtc_result_free`) with at
/// most `fetch` rows and the statement's columns — the first call gives
/// the batch `pgtc_conn_stream` read — or NULL after the last batch. The
/// last batch (possibly without rows) carries the command tag, counting
/// every row of the stream (`SELECT n`). A server error in the middle (a
/// division by zero at some row) is returned by the batch that reaches it,
/// with its SQLSTATE, and ends the stream; a lost server fails with class
/// 08 (the stream is never started again); a stream its transaction's
/// COMMIT or ROLLBACK closed fails with 24000. After the end, NULL again.
/// On a closed stream: PGTC_STATUS_INVALID_STATE.
#[no_mangle]
pub extern "C" fn pgtc_stream_next(
    stream: *mut pgtc_stream,
    result_out: *mut *mut pgtc_result,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        // SAFETY: `result_out` is NULL or a writable slot (header convention).
        let out = unsafe { out_ptr(result_out, "result_out") }?;
        // SAFETY: `stream` is NULL or a live pgtc_stream used by this thread only.
        let st = unsafe { arg_mut(stream, "stream") }?;
        let batch = st.with(|s, inner| match inner.as_mut() {
            Some(i) => s.stream_next(i),
            None => Ok(None),
        })?;
        if let Some(inner) = batch {
            *out = into_handle(pgtc_result { inner });
        }
        Ok(())
    })
}

/// Close the stream before its end: the server drops the rows not read
/// (Close of the portal and Sync) and its connection is free again. Later
/// `pgtc_stream_next` calls fail with PGTC_STATUS_INVALID_STATE; release
/// the handle with `pgtc_stream_free`. An error only when the connection
/// broke; closing twice is PGTC_STATUS_INVALID_STATE.
#[no_mangle]
pub extern "C" fn pgtc_stream_close(
    stream: *mut pgtc_stream,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        // SAFETY: `stream` is NULL or a live pgtc_stream used by this thread only.
        let st = unsafe { arg_mut(stream, "stream") }?;
        st.with(|s, inner| match inner.take() {
            Some(i) => s.stream_close(i),
            None => Ok(()),
        })
    })
}

/// Where the stream runs: PGTC_SERVER_PRIMARY or PGTC_SERVER_SECONDARY
/// (PGTC_SERVER_NONE for NULL).
#[no_mangle]
pub extern "C" fn pgtc_stream_server(stream: *const pgtc_stream) -> Server {
    ffi_fn!(fallback = Server::None, {
        // SAFETY: `stream` is NULL or a live pgtc_stream.
        unsafe { arg_ref(stream, "stream") }
            .ok()
            .and_then(|s| s.inner.as_ref())
            .map_or(Server::None, Stream::server)
    })
}

/// Release a stream. One still open is closed first, as by
/// `pgtc_stream_close` (if the connection is in use by a panic or gone
/// bad, it is closed with the connection's next request instead). Must
/// be called before its connection is freed. NULL is a no-op.
#[no_mangle]
pub extern "C" fn pgtc_stream_free(stream: *mut pgtc_stream) {
    ffi_fn!(fallback = (), {
        // SAFETY: `stream` is NULL or a live pgtc_stream used by this thread only.
        if let Ok(st) = unsafe { arg_mut(stream, "stream") } {
            if st.inner.as_ref().is_some_and(|i| !i.is_done()) {
                let _ = st.with(|s, inner| match inner.take() {
                    Some(i) => s.stream_close(i),
                    None => Ok(()),
                });
            }
        }
        // SAFETY: `stream` is NULL or came from pgtc_conn_stream and is
        // freed once (header convention).
        unsafe { free_handle(stream) }
    })
}
