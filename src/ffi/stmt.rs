//! `pgtc_stmt`: a prepared statement of a `pgtc_conn`, and statements with
//! typed or binary parameters (`pgtc_conn_exec_typed`).

use super::conn::{conn_mut, pgtc_conn};
use super::{arg_ref, arg_str, free_handle, into_handle, out_ptr};
use super::{pgtc_error, result::pgtc_result};
use crate::error::{Error, Result, Status};
use crate::session::{Statement, Values};
use std::ffi::{c_char, c_int, CStr, CString};

/// A prepared statement. It belongs to the `pgtc_conn` it was prepared on
/// and is used by the thread using that connection. Release it with
/// `pgtc_stmt_free` before the connection. Its descriptions (parameter
/// types, result columns) are read-only and need no server.
pub struct pgtc_stmt {
    pub(super) conn: *mut pgtc_conn,
    pub(super) stmt: Statement,
    /// Column names as C strings, borrowed by `pgtc_stmt_col_name`.
    names: Vec<CString>,
}

/// The statement behind a handle; None for NULL.
///
/// # Safety
/// `stmt` is NULL or a live `pgtc_stmt` (from `pgtc_conn_prepare`, not freed).
unsafe fn described<'a>(stmt: *const pgtc_stmt) -> Option<&'a pgtc_stmt> {
    // SAFETY: forwarded from this function's contract.
    unsafe { arg_ref(stmt, "stmt") }.ok()
}

/// Parameter values (None: SQL NULL) and their formats (empty: all text).
pub(super) type Params<'a> = (Vec<Option<&'a [u8]>>, Vec<i16>);

/// Read `n` parameters as libpq's PQexecParams does: `values[i]` NULL is an
/// SQL NULL; a text value (format 0) is a NUL-terminated UTF-8 string; a
/// binary value (format 1) is `lengths[i]` bytes. `formats` NULL: all text.
///
/// # Safety
/// `values`, `lengths` and `formats` are NULL or point to arrays of `n`
/// elements; each non-NULL text value is NUL-terminated and each binary one
/// holds `lengths[i]` bytes, all valid for `'a`.
pub(super) unsafe fn read_params<'a>(
    n: usize,
    values: *const *const c_char,
    lengths: *const c_int,
    formats: *const c_int,
) -> Result<Params<'a>> {
    if n > 0 && values.is_null() {
        return Err(Error::new(
            Status::NullArgument,
            "params is NULL but n_params is not 0",
        ));
    }
    let mut out = Vec::with_capacity(n);
    let mut fmts = Vec::with_capacity(if formats.is_null() { 0 } else { n });
    for i in 0..n {
        let f = if formats.is_null() {
            0
        } else {
            // SAFETY: `formats` is non-NULL and holds `n` elements (contract).
            unsafe { *formats.add(i) }
        };
        if f != 0 && f != 1 {
            return Err(Error::invalid_argument(format!(
                "param_formats[{}] is {}: 0 (text) or 1 (binary)",
                i, f
            )));
        }
        if !formats.is_null() {
            fmts.push(f as i16);
        }
        // SAFETY: `values` is non-NULL here and holds `n` pointers (contract).
        let p = unsafe { *values.add(i) };
        if p.is_null() {
            out.push(None);
        } else if f == 0 {
            // SAFETY: a non-NULL text value is a NUL-terminated string.
            let c = unsafe { CStr::from_ptr(p) };
            // Named in the message only when it is wrong: no allocation
            // per parameter on the common path.
            let text = c.to_str().map_err(|e| {
                Error::new(
                    Status::InvalidUtf8,
                    format!(
                        "params[{}] is not valid UTF-8 (at byte {})",
                        i,
                        e.valid_up_to()
                    ),
                )
            })?;
            out.push(Some(text.as_bytes()));
        } else {
            if lengths.is_null() {
                return Err(Error::new(
                    Status::NullArgument,
                    format!("params[{}] is binary but param_lengths is NULL", i),
                ));
            }
            // SAFETY: `lengths` is non-NULL and holds `n` elements (contract).
            let len = unsafe { *lengths.add(i) };
            let len = usize::try_from(len).map_err(|_| {
                Error::invalid_argument(format!("param_lengths[{}] is negative ({})", i, len))
            })?;
            // SAFETY: a binary value holds `lengths[i]` readable bytes.
            out.push(Some(unsafe {
                std::slice::from_raw_parts(p.cast::<u8>(), len)
            }));
        }
    }
    Ok((out, fmts))
}

/// Prepare `sql` (one statement with parameters `$1 … $n`) on `conn`, and
/// describe it, in one round trip; nothing runs. `param_types` gives the
/// type OIDs of the first `n_params` parameters (0: the server infers that
/// one); with `param_types` NULL the server infers them all, and
/// `n_params` is either 0 or the number of parameters the statement takes
/// (a different count is PGTC_STATUS_INVALID_ARGUMENT, SQLSTATE 08P01).
///
/// The statement runs, with `pgtc_stmt_exec`, wherever its text would run
/// at that moment (routed like `pgtc_conn_exec`), and is prepared on each
/// server the first time it runs there (again after a reconnect or a
/// failover), with no extra round trip.
///
/// On success `*stmt_out` receives the statement, owned by the caller and
/// released with `pgtc_stmt_free`, which must come before
/// `pgtc_conn_free(conn)`. On failure `*stmt_out` is NULL and, when
/// `err_out` is not NULL, `*err_out` receives the error (a syntax error is
/// PGTC_STATUS_SQL with the server's SQLSTATE).
#[no_mangle]
pub extern "C" fn pgtc_conn_prepare(
    conn: *mut pgtc_conn,
    sql: *const c_char,
    n_params: usize,
    param_types: *const u32,
    stmt_out: *mut *mut pgtc_stmt,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        // SAFETY: `stmt_out` is NULL or a writable slot (header convention).
        let out = unsafe { out_ptr(stmt_out, "stmt_out") }?;
        let raw = conn;
        // SAFETY: `conn` is NULL or a live pgtc_conn used by this thread only.
        let mut conn = unsafe { conn_mut(conn) }?;
        // SAFETY: `sql` is NULL or a NUL-terminated string.
        let sql = unsafe { arg_str(sql, "sql") }?;
        let types: &[u32] = if param_types.is_null() {
            &[]
        } else {
            // SAFETY: a non-NULL `param_types` holds `n_params` OIDs (contract).
            unsafe { std::slice::from_raw_parts(param_types, n_params) }
        };
        let stmt = conn.prepare(sql, types)?;
        let count = stmt.param_types().len();
        if param_types.is_null() && n_params != 0 && n_params != count {
            return Err(Error::with_sqlstate(
                Status::InvalidArgument,
                format!(
                    "n_params is {} but the statement takes {} parameters",
                    n_params, count
                ),
                "08P01",
            ));
        }
        let names = stmt
            .columns()
            .iter()
            .map(|c| CString::new(c.name.replace('\0', "")).unwrap_or_default())
            .collect();
        *out = into_handle(pgtc_stmt {
            conn: raw,
            stmt,
            names,
        });
        Ok(())
    })
}

/// Run `stmt` with its `n_params` text parameters (a NULL element is an SQL
/// NULL; `params` may be NULL when `n_params` is 0). A count that differs
/// from the statement's is PGTC_STATUS_INVALID_ARGUMENT (SQLSTATE 08P01)
/// and nothing is sent. Results and errors as for `pgtc_conn_exec`: on
/// success `*result_out` receives a result to release with
/// `pgtc_result_free`. Uses the statement's connection, so the same thread
/// rules apply; after `pgtc_conn_free` of that connection it fails with
/// SQLSTATE 08003 (freeing the statement first is the contract).
#[no_mangle]
pub extern "C" fn pgtc_stmt_exec(
    stmt: *mut pgtc_stmt,
    n_params: usize,
    params: *const *const c_char,
    result_out: *mut *mut pgtc_result,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        // SAFETY: forwarded from this export's contract (no formats: all text).
        unsafe {
            exec_stmt(
                stmt,
                n_params,
                params,
                std::ptr::null(),
                std::ptr::null(),
                result_out,
            )
        }
    })
}

/// `pgtc_stmt_exec` with parameter formats, as libpq's PQexecPrepared:
/// `param_formats[i]` 0 is a NUL-terminated text value, 1 a binary value of
/// `param_lengths[i]` bytes (e.g. the raw bytes of a `bytea`, which may
/// hold NUL). `param_formats` NULL: all text; `param_lengths` is read for
/// binary values only and may be NULL when there are none.
#[no_mangle]
pub extern "C" fn pgtc_stmt_exec_formats(
    stmt: *mut pgtc_stmt,
    n_params: usize,
    params: *const *const c_char,
    param_lengths: *const c_int,
    param_formats: *const c_int,
    result_out: *mut *mut pgtc_result,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        // SAFETY: forwarded from this export's contract.
        unsafe {
            exec_stmt(
                stmt,
                n_params,
                params,
                param_lengths,
                param_formats,
                result_out,
            )
        }
    })
}

/// The body of `pgtc_stmt_exec` and `pgtc_stmt_exec_formats`.
///
/// # Safety
/// `stmt` is NULL or a live pgtc_stmt used by this thread only; the arrays
/// are as `read_params` requires; `result_out` is NULL or writable.
unsafe fn exec_stmt(
    stmt: *mut pgtc_stmt,
    n_params: usize,
    params: *const *const c_char,
    param_lengths: *const c_int,
    param_formats: *const c_int,
    result_out: *mut *mut pgtc_result,
) -> Result<()> {
    // SAFETY: `result_out` is NULL or a writable slot (contract).
    let out = unsafe { out_ptr(result_out, "result_out") }?;
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
    let mut conn = unsafe { conn_mut(stmt.conn) }?;
    // SAFETY: the arrays hold `n_params` elements (contract).
    let (values, formats) = unsafe { read_params(n_params, params, param_lengths, param_formats) }?;
    let inner = conn.exec_prepared(&stmt.stmt, Values::Bytes(&values), &formats)?;
    *out = into_handle(pgtc_result { inner });
    Ok(())
}

/// Read `n` values packed in one block, as `pgtc_stmt_exec_packed` takes
/// them: value `i` is the next `lengths[i]` bytes of `values` (-1: an SQL
/// NULL, which takes no bytes), in the format `formats[i % n_params]` says
/// (NULL: all text); text must be UTF-8 and needs no NUL. The lengths must
/// add up to `values_len` exactly.
///
/// # Safety
/// `values` is NULL or holds `values_len` readable bytes; `lengths` is NULL
/// or holds `n` elements and `formats` NULL or `n_params` elements, all
/// valid for `'a`.
unsafe fn read_packed<'a>(
    n: usize,
    n_params: usize,
    values: *const u8,
    values_len: usize,
    lengths: *const i32,
    formats: *const c_int,
) -> Result<Params<'a>> {
    if n > 0 && lengths.is_null() {
        return Err(Error::new(
            Status::NullArgument,
            "lengths is NULL but there are values",
        ));
    }
    if values_len > 0 && values.is_null() {
        return Err(Error::new(
            Status::NullArgument,
            "values is NULL but values_len is not 0",
        ));
    }
    let fmts: Vec<i16> = if formats.is_null() {
        Vec::new()
    } else {
        // SAFETY: a non-NULL `formats` holds `n_params` elements (contract).
        let f = unsafe { std::slice::from_raw_parts(formats, n_params) };
        if let Some(i) = f.iter().position(|&x| x != 0 && x != 1) {
            return Err(Error::invalid_argument(format!(
                "formats[{}] is {}: 0 (text) or 1 (binary)",
                i, f[i]
            )));
        }
        f.iter().map(|&x| x as i16).collect()
    };
    let block: &[u8] = if values_len == 0 {
        &[]
    } else {
        // SAFETY: `values` holds `values_len` readable bytes (contract).
        unsafe { std::slice::from_raw_parts(values, values_len) }
    };
    let lens: &[i32] = if n == 0 {
        &[]
    } else {
        // SAFETY: `lengths` holds `n` elements (contract; non-NULL, checked).
        unsafe { std::slice::from_raw_parts(lengths, n) }
    };
    let mut out = Vec::with_capacity(n);
    let mut at = 0usize;
    for (i, &len) in lens.iter().enumerate() {
        if len == -1 {
            out.push(None);
            continue;
        }
        let len = usize::try_from(len)
            .map_err(|_| Error::invalid_argument(format!("lengths[{}] is {}", i, len)))?;
        let v = block.get(at..at + len).ok_or_else(|| {
            Error::invalid_argument(format!(
                "lengths[{}] ({}) runs past the end of values ({} bytes)",
                i, len, values_len
            ))
        })?;
        at += len;
        let text = fmts.get(i % n_params.max(1)).is_none_or(|&f| f == 0);
        if text {
            if let Err(e) = std::str::from_utf8(v) {
                return Err(Error::new(
                    Status::InvalidUtf8,
                    format!(
                        "value {} is not valid UTF-8 (at byte {})",
                        i,
                        e.valid_up_to()
                    ),
                ));
            }
        }
        out.push(Some(v));
    }
    if at != values_len {
        return Err(Error::invalid_argument(format!(
            "the lengths add up to {} bytes but values_len is {}",
            at, values_len
        )));
    }
    Ok((out, fmts))
}

/// The statement and its connection for an execution; 08003 once the
/// connection is freed.
///
/// # Safety
/// `stmt` is NULL or a live pgtc_stmt used by this thread only.
unsafe fn for_exec<'a>(
    stmt: *mut pgtc_stmt,
) -> Result<(&'a pgtc_stmt, super::conn::InUse<&'a mut pgtc_conn>)> {
    // SAFETY: forwarded from this function's contract.
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
    let conn = unsafe { conn_mut(stmt.conn) }?;
    Ok((stmt, conn))
}

/// `pgtc_stmt_exec_formats` with the `n_params` values packed in one block
/// instead of an array of pointers, so that a caller that is not C (JNA,
/// ctypes) passes them without allocating a native string per value:
/// value `i` is the next `lengths[i]` bytes of `values` (`values_len` bytes
/// in all; -1 is an SQL NULL and takes none); `formats` (NULL: all text)
/// as for `pgtc_stmt_exec_formats`; text values are UTF-8 and need no NUL.
/// Lengths that do not add up to `values_len` are
/// PGTC_STATUS_INVALID_ARGUMENT and nothing is sent. Results and errors as
/// for `pgtc_stmt_exec`.
#[no_mangle]
pub extern "C" fn pgtc_stmt_exec_packed(
    stmt: *mut pgtc_stmt,
    n_params: usize,
    values: *const u8,
    values_len: usize,
    lengths: *const i32,
    formats: *const c_int,
    result_out: *mut *mut pgtc_result,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        // SAFETY: `result_out` is NULL or a writable slot (header convention).
        let out = unsafe { out_ptr(result_out, "result_out") }?;
        // SAFETY: `stmt` is NULL or a live pgtc_stmt used by this thread only.
        let (stmt, mut conn) = unsafe { for_exec(stmt) }?;
        // SAFETY: the arrays are as this export's contract says.
        let (vals, formats) =
            unsafe { read_packed(n_params, n_params, values, values_len, lengths, formats) }?;
        let inner = conn.exec_prepared(&stmt.stmt, Values::Bytes(&vals), &formats)?;
        *out = into_handle(pgtc_result { inner });
        Ok(())
    })
}

/// Run `stmt` once for each of `n_sets` parameter sets, pipelined: the
/// sets go out together, a few hundred per round trip, instead of one
/// round trip each. The sets are packed as for `pgtc_stmt_exec_packed`,
/// set after set (`lengths` holds `n_sets * n_params` elements, `formats`
/// `n_params`, applying to every set). Each set runs as `pgtc_stmt_exec`
/// would run it alone: outside a transaction each commits or fails on its
/// own; inside one, a failing set aborts the transaction and the sets
/// after it fail with 25P02.
///
/// `counts_out` (NULL, or `n_sets` elements) receives each set's affected
/// rows (`pgtc_result_affected`), or -1 for a set that failed. Returns
/// PGTC_STATUS_OK when every set ran; otherwise the status of the first set
/// that failed, with its index in `*failed_out` (when not NULL) and its
/// error in `*err_out`. An error before anything was sent (a bad argument,
/// a closed connection) sets `*failed_out` to `n_sets`.
#[no_mangle]
pub extern "C" fn pgtc_stmt_exec_batch(
    stmt: *mut pgtc_stmt,
    n_sets: usize,
    n_params: usize,
    values: *const u8,
    values_len: usize,
    lengths: *const i32,
    formats: *const c_int,
    counts_out: *mut i64,
    failed_out: *mut usize,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        let failed = |i: usize| {
            if !failed_out.is_null() {
                // SAFETY: a non-NULL `failed_out` is writable (contract).
                unsafe { *failed_out = i };
            }
        };
        failed(n_sets);
        // SAFETY: `stmt` is NULL or a live pgtc_stmt used by this thread only.
        let (stmt, mut conn) = unsafe { for_exec(stmt) }?;
        let n = n_sets.checked_mul(n_params).ok_or_else(|| {
            Error::invalid_argument(format!("{} sets of {} parameters", n_sets, n_params))
        })?;
        if n_params != stmt.stmt.param_types().len() {
            return Err(Error::with_sqlstate(
                Status::InvalidArgument,
                format!(
                    "n_params is {} but the statement takes {} parameters",
                    n_params,
                    stmt.stmt.param_types().len()
                ),
                "08P01",
            ));
        }
        // SAFETY: the arrays are as this export's contract says.
        let (vals, formats) =
            unsafe { read_packed(n, n_params, values, values_len, lengths, formats) }?;
        let sets: Vec<Values<'_>> = if n_params == 0 {
            (0..n_sets).map(|_| Values::Bytes(&[])).collect()
        } else {
            vals.chunks(n_params).map(Values::Bytes).collect()
        };
        let ran = conn.exec_prepared_batch(&stmt.stmt, &sets, &formats)?;
        let mut first: Option<(usize, Error)> = None;
        for (i, r) in ran.into_iter().enumerate() {
            let count = match r {
                Ok(r) => i64::try_from(r.affected()).unwrap_or(i64::MAX),
                Err(e) => {
                    if first.is_none() {
                        first = Some((i, e));
                    }
                    -1
                }
            };
            if !counts_out.is_null() {
                // SAFETY: a non-NULL `counts_out` holds `n_sets` elements.
                unsafe { *counts_out.add(i) = count };
            }
        }
        match first {
            None => Ok(()),
            Some((i, e)) => {
                failed(i);
                Err(e)
            }
        }
    })
}

/// Run one statement with parameters `$1 … $n` as libpq's PQexecParams:
/// `param_types` (NULL: the server infers every type; an element 0 infers
/// that one) gives type OIDs, `param_formats` (NULL: all text) says which
/// values are text (0, NUL-terminated) or binary (1, `param_lengths[i]`
/// bytes, e.g. a `bytea`'s raw bytes). Routed and cached as
/// `pgtc_conn_exec_params`; results and errors as for `pgtc_conn_exec`.
#[no_mangle]
pub extern "C" fn pgtc_conn_exec_typed(
    conn: *mut pgtc_conn,
    sql: *const c_char,
    n_params: usize,
    param_types: *const u32,
    params: *const *const c_char,
    param_lengths: *const c_int,
    param_formats: *const c_int,
    result_out: *mut *mut pgtc_result,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        // SAFETY: `result_out` is NULL or a writable slot (header convention).
        let out = unsafe { out_ptr(result_out, "result_out") }?;
        // SAFETY: `conn` is NULL or a live pgtc_conn used by this thread only.
        let mut conn = unsafe { conn_mut(conn) }?;
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
        let inner = conn.exec_typed(sql, types, Values::Bytes(&values), &formats)?;
        *out = into_handle(pgtc_result { inner });
        Ok(())
    })
}

/// The number of parameters `stmt` takes (SQLDescribeParam's count); 0 for
/// NULL. No server is asked.
#[no_mangle]
pub extern "C" fn pgtc_stmt_param_count(stmt: *const pgtc_stmt) -> usize {
    ffi_fn!(fallback = 0, {
        // SAFETY: `stmt` is NULL or a live pgtc_stmt.
        unsafe { described(stmt) }.map_or(0, |s| s.stmt.param_types().len())
    })
}

/// The type OID the server resolved for parameter `i` (0-based) of `stmt`;
/// 0 for NULL or `i` out of range.
#[no_mangle]
pub extern "C" fn pgtc_stmt_param_type(stmt: *const pgtc_stmt, i: usize) -> u32 {
    ffi_fn!(fallback = 0, {
        // SAFETY: `stmt` is NULL or a live pgtc_stmt.
        unsafe { described(stmt) }.map_or(0, |s| s.stmt.param_types().get(i).copied().unwrap_or(0))
    })
}

/// The number of columns an execution of `stmt` returns (0 for a statement
/// without rows, or NULL), known without executing it.
#[no_mangle]
pub extern "C" fn pgtc_stmt_cols(stmt: *const pgtc_stmt) -> usize {
    ffi_fn!(fallback = 0, {
        // SAFETY: `stmt` is NULL or a live pgtc_stmt.
        unsafe { described(stmt) }.map_or(0, |s| s.stmt.columns().len())
    })
}

/// The name of result column `col` (0-based) of `stmt`, or NULL when out of
/// range. Borrowed from `stmt`: valid until `pgtc_stmt_free(stmt)`.
#[no_mangle]
pub extern "C" fn pgtc_stmt_col_name(stmt: *const pgtc_stmt, col: usize) -> *const c_char {
    ffi_fn!(fallback = std::ptr::null(), {
        // SAFETY: `stmt` is NULL or a live pgtc_stmt.
        unsafe { described(stmt) }
            .and_then(|s| s.names.get(col))
            .map_or(std::ptr::null(), |n| CStr::as_ptr(n))
    })
}

/// The type OID of result column `col` of `stmt`; 0 when out of range.
#[no_mangle]
pub extern "C" fn pgtc_stmt_col_type(stmt: *const pgtc_stmt, col: usize) -> u32 {
    ffi_fn!(fallback = 0, {
        // SAFETY: `stmt` is NULL or a live pgtc_stmt.
        unsafe { described(stmt) }
            .and_then(|s| s.stmt.columns().get(col))
            .map_or(0, |c| c.type_oid)
    })
}

/// The type modifier of result column `col` of `stmt` (e.g. the length of
/// a `varchar(n)` plus 4); -1 when it has none or `col` is out of range.
#[no_mangle]
pub extern "C" fn pgtc_stmt_col_type_modifier(stmt: *const pgtc_stmt, col: usize) -> i32 {
    ffi_fn!(fallback = -1, {
        // SAFETY: `stmt` is NULL or a live pgtc_stmt.
        unsafe { described(stmt) }
            .and_then(|s| s.stmt.columns().get(col))
            .map_or(-1, |c| c.type_modifier)
    })
}

/// The OID of the table result column `col` of `stmt` comes from, 0 when it
/// is not a table column (or `col` is out of range).
#[no_mangle]
pub extern "C" fn pgtc_stmt_col_table(stmt: *const pgtc_stmt, col: usize) -> u32 {
    ffi_fn!(fallback = 0, {
        // SAFETY: `stmt` is NULL or a live pgtc_stmt.
        unsafe { described(stmt) }
            .and_then(|s| s.stmt.columns().get(col))
            .map_or(0, |c| c.table_oid)
    })
}

/// The column number (1-based, as `pg_attribute.attnum`) in that table of
/// result column `col` of `stmt`; 0 when none.
#[no_mangle]
pub extern "C" fn pgtc_stmt_col_table_column(stmt: *const pgtc_stmt, col: usize) -> c_int {
    ffi_fn!(fallback = 0, {
        // SAFETY: `stmt` is NULL or a live pgtc_stmt.
        unsafe { described(stmt) }
            .and_then(|s| s.stmt.columns().get(col))
            .map_or(0, |c| c_int::from(c.table_column))
    })
}

/// Release a statement of `pgtc_conn_prepare`; the servers close it with
/// the connection's next request. NULL is a no-op. Call it before
/// `pgtc_conn_free` of its connection (after it, the statement is released
/// without touching the freed connection).
#[no_mangle]
pub extern "C" fn pgtc_stmt_free(stmt: *mut pgtc_stmt) {
    ffi_fn!(fallback = (), {
        // SAFETY: `stmt` is NULL or came from pgtc_conn_prepare and is freed
        // once (header convention).
        unsafe { free_handle(stmt) }
    })
}
