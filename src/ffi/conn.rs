//! `pgtc_conn`: a logical session over a primary and a hot standby.

use super::{
    arg_mut, arg_ref, arg_str, boundary, free_handle, init_logging, into_handle, out_ptr,
    with_status,
};
use super::{pgtc_error, result::pgtc_result, route::pgtc_route};
use crate::error::{Error, Status};
use crate::result::Server;
use crate::session::{self, Counters, Session};
use std::ffi::c_char;

/// A logical connection: one physical connection to the primary and one to
/// the hot standby. A `pgtc_conn` may move between threads but must be used
/// by one thread at a time (like libpq's PGconn). Release it with
/// `pgtc_conn_free`.
pub struct pgtc_conn {
    pub(super) session: Session,
}

/// Open a logical connection.
///
/// `conninfo` is a libpq connection string, in `key=value` or
/// `postgresql://` URI form, with a list of two servers in any order
/// (`host=a,b port=5432,5433`); pgtc asks each server for its role. pgtc's
/// attributes (see `pgtc_conn_set_attr`) may be given there too. Both servers are connected in parallel. If one cannot be
/// reached the connection still opens, degraded (see
/// `pgtc_conn_connected`); if none can, the call fails.
///
/// On success `*conn_out` receives a new connection, owned by the caller.
/// On failure `*conn_out` is NULL and, when `err_out` is not NULL,
/// `*err_out` receives an error to release with `pgtc_error_free`.
#[no_mangle]
pub extern "C" fn pgtc_conn_open(
    conninfo: *const c_char,
    conn_out: *mut *mut pgtc_conn,
    err_out: *mut *mut pgtc_error,
) -> Status {
    with_status(err_out, || {
        let out = out_ptr(conn_out, "conn_out")?;
        let conninfo = arg_str(conninfo, "conninfo")?;
        init_logging();
        let session = Session::open(conninfo)?;
        *out = into_handle(pgtc_conn { session });
        Ok(())
    })
}

/// Set one of pgtc's attributes (names and values are case-insensitive).
/// The attributes, their values and defaults are listed by
/// `pgtc_attr_count`, `pgtc_attr_name`, `pgtc_attr_default` and
/// `pgtc_attr_doc` (and in the README); `pgtc_conn_get_attr` reads one back.
///
/// Unknown names and values are errors (PGTC_STATUS_UNKNOWN_ATTRIBUTE,
/// PGTC_STATUS_INVALID_ATTRIBUTE_VALUE); so is changing TXN_ISOLATION inside
/// a transaction (PGTC_STATUS_INVALID_STATE).
#[no_mangle]
pub extern "C" fn pgtc_conn_set_attr(
    conn: *mut pgtc_conn,
    name: *const c_char,
    value: *const c_char,
    err_out: *mut *mut pgtc_error,
) -> Status {
    with_status(err_out, || {
        let conn = arg_mut(conn, "conn")?;
        let name = arg_str(name, "name")?;
        let value = arg_str(value, "value")?;
        conn.session.set_attr(name, value)
    })
}

/// Run SQL text (one statement, or several separated by `;`, sent as one
/// simple query) wherever the routing rules say.
///
/// On success `*result_out` receives the outcome (of the last statement,
/// when there are several), owned by the caller and released with
/// `pgtc_result_free`. On failure `*result_out` is NULL and, when `err_out`
/// is not NULL, `*err_out` receives the error; a statement error leaves the
/// connection usable.
#[no_mangle]
pub extern "C" fn pgtc_conn_exec(
    conn: *mut pgtc_conn,
    sql: *const c_char,
    result_out: *mut *mut pgtc_result,
    err_out: *mut *mut pgtc_error,
) -> Status {
    with_status(err_out, || {
        let out = out_ptr(result_out, "result_out")?;
        let conn = arg_mut(conn, "conn")?;
        let sql = arg_str(sql, "sql")?;
        let inner = conn.session.exec(sql, None)?;
        *out = into_handle(pgtc_result { inner });
        Ok(())
    })
}

/// Run one statement with `n_params` text parameters `$1 … $n`, typed by
/// the server as libpq's PQexecParams does and never interpolated into the
/// SQL. `params` may be NULL when `n_params` is 0; a NULL element is an SQL
/// NULL. Results and errors as for `pgtc_conn_exec`.
#[no_mangle]
pub extern "C" fn pgtc_conn_exec_params(
    conn: *mut pgtc_conn,
    sql: *const c_char,
    n_params: usize,
    params: *const *const c_char,
    result_out: *mut *mut pgtc_result,
    err_out: *mut *mut pgtc_error,
) -> Status {
    with_status(err_out, || {
        let out = out_ptr(result_out, "result_out")?;
        let conn = arg_mut(conn, "conn")?;
        let sql = arg_str(sql, "sql")?;
        if n_params > 0 && params.is_null() {
            return Err(Error::new(
                Status::NullArgument,
                "params is NULL but n_params is not 0",
            ));
        }
        let mut values: Vec<Option<&str>> = Vec::with_capacity(n_params);
        for i in 0..n_params {
            // SAFETY: the caller passes an array of at least n_params pointers.
            let p = unsafe { *params.add(i) };
            values.push(if p.is_null() {
                None
            } else {
                Some(arg_str(p, &format!("params[{}]", i))?)
            });
        }
        let inner = conn.session.exec(sql, Some(&values))?;
        *out = into_handle(pgtc_result { inner });
        Ok(())
    })
}

/// Which servers the connection currently has open: PGTC_SERVER_BOTH when
/// healthy, PGTC_SERVER_PRIMARY or PGTC_SERVER_SECONDARY when degraded to
/// one, PGTC_SERVER_NONE when neither (or `conn` is NULL).
#[no_mangle]
pub extern "C" fn pgtc_conn_connected(conn: *const pgtc_conn) -> Server {
    boundary(Server::None, || match arg_ref(conn, "conn") {
        Ok(c) => c.session.connected(),
        Err(_) => Server::None,
    })
}

/// True while a transaction is open on the connection (after BEGIN, or the
/// first statement with AUTOCOMMIT=OFF, until COMMIT or ROLLBACK).
#[no_mangle]
pub extern "C" fn pgtc_conn_in_transaction(conn: *const pgtc_conn) -> bool {
    boundary(false, || {
        arg_ref(conn, "conn").is_ok_and(|c| c.session.in_transaction())
    })
}

/// Explain where `sql` would run now and why, without running it and
/// without changing the connection's state (it may look up the volatility
/// of functions the statement calls in the catalog, cached per process).
///
/// On success `*route_out` receives the decision, owned by the caller and
/// released with `pgtc_route_free`. On failure `*route_out` is NULL.
#[no_mangle]
pub extern "C" fn pgtc_conn_explain(
    conn: *mut pgtc_conn,
    sql: *const c_char,
    route_out: *mut *mut pgtc_route,
    err_out: *mut *mut pgtc_error,
) -> Status {
    with_status(err_out, || {
        let out = out_ptr(route_out, "route_out")?;
        let conn = arg_ref(conn, "conn")?;
        let sql = arg_str(sql, "sql")?;
        *out = into_handle(pgtc_route::from(conn.session.explain(sql)));
        Ok(())
    })
}

/// Counters of `pgtc_conn_counter` and `pgtc_process_counter`. The values
/// are stable; pass them as integers.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    /// Statements that ran on the primary.
    Primary = 0,
    /// Statements that ran on the standby.
    Secondary = 1,
    /// Statements applied to both servers (session settings).
    Both = 2,
    /// Statements the standby refused (as a write, or it was lost) that
    /// pgtc re-ran on the primary.
    Misroutes = 3,
    /// Reads kept on the primary because the standby had not yet replayed
    /// the session's last write.
    FloorKept = 4,
}

fn counter_value(c: &Counters, which: u32) -> u64 {
    match which {
        0 => c.primary,
        1 => c.standby,
        2 => c.both,
        3 => c.misroutes,
        4 => c.floor_kept,
        _ => 0,
    }
}

/// The value of one of the connection's counters (a `pgtc_counter` value,
/// e.g. PGTC_COUNTER_SECONDARY); 0 for NULL `conn` or an unknown counter.
#[no_mangle]
pub extern "C" fn pgtc_conn_counter(conn: *const pgtc_conn, counter: u32) -> u64 {
    boundary(0, || {
        arg_ref(conn, "conn").map_or(0, |c| counter_value(&c.session.counters(), counter))
    })
}

/// The value of a counter summed over every connection this process has
/// opened (a `pgtc_counter` value); 0 for an unknown counter.
#[no_mangle]
pub extern "C" fn pgtc_process_counter(counter: u32) -> u64 {
    boundary(0, || counter_value(&session::process_counters(), counter))
}

/// True when the session is pinned to the primary because it holds state
/// that lives only there (temporary tables, LISTEN, session advisory locks,
/// prepared statements, held cursors, a procedure's effects, or a setting
/// the standby refused). `DISCARD ALL` and the matching clean-ups unpin it.
#[no_mangle]
pub extern "C" fn pgtc_conn_pinned(conn: *const pgtc_conn) -> bool {
    boundary(false, || {
        arg_ref(conn, "conn").is_ok_and(|c| c.session.pinned())
    })
}

/// Write the connection's LSN floor (e.g. "0/3015FF0", or "0/0" before its
/// first write) into `buf` as a NUL-terminated string. A writer hands this
/// token to a reader on another connection or process, which passes it to
/// `pgtc_conn_raise_lsn_floor` to read the writer's data. `buf_len` of 18
/// bytes always suffices; a smaller buffer that cannot hold the text is
/// PGTC_STATUS_INVALID_ARGUMENT and `buf` is left untouched.
#[no_mangle]
pub extern "C" fn pgtc_conn_lsn_floor(
    conn: *const pgtc_conn,
    buf: *mut c_char,
    buf_len: usize,
    err_out: *mut *mut pgtc_error,
) -> Status {
    with_status(err_out, || {
        let conn = arg_ref(conn, "conn")?;
        if buf.is_null() {
            return Err(Error::new(Status::NullArgument, "buf is NULL"));
        }
        let text = conn.session.lsn_floor_text();
        if text.len() + 1 > buf_len {
            return Err(Error::invalid_argument(format!(
                "buf_len {} cannot hold the LSN {} and its NUL",
                buf_len, text
            )));
        }
        // SAFETY: buf points to at least buf_len writable bytes (caller's promise).
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), text.len());
            *buf.add(text.len()) = 0;
        }
        Ok(())
    })
}

/// Raise the connection's LSN floor to `lsn` (text such as "0/3015FF0",
/// from `pgtc_conn_lsn_floor` of a writer); never lowers it. From then on
/// the connection reads from the standby only once it has replayed `lsn`.
/// Text that is not an LSN is PGTC_STATUS_INVALID_ARGUMENT.
#[no_mangle]
pub extern "C" fn pgtc_conn_raise_lsn_floor(
    conn: *mut pgtc_conn,
    lsn: *const c_char,
    err_out: *mut *mut pgtc_error,
) -> Status {
    with_status(err_out, || {
        let conn = arg_mut(conn, "conn")?;
        let lsn = arg_str(lsn, "lsn")?;
        conn.session.raise_lsn_floor(lsn)
    })
}

/// Close both physical connections and release the connection. An open
/// transaction is rolled back by the servers. NULL is a no-op.
#[no_mangle]
pub extern "C" fn pgtc_conn_free(conn: *mut pgtc_conn) {
    // SAFETY: `conn` is NULL or came from pgtc_conn_open and is freed once.
    boundary((), || unsafe { free_handle(conn) })
}
