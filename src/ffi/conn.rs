//! `pgtc_conn`: a logical session over a primary and a hot standby.

use super::{arg_ref, arg_str, init_logging, into_handle, out_ptr, take_handle};
use super::{pgtc_error, result::pgtc_result, route::pgtc_route};
use crate::counters::process_counters;
pub use crate::counters::Counter;
use crate::error::{Error, Result, Status};
use crate::pool::Lease;
use crate::result::Server;
use crate::session::{Canceller, Session};
use once_cell::sync::Lazy;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::ffi::c_char;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, Ordering};

/// A logical connection: one physical connection to the primary and one to
/// the hot standby. A `pgtc_conn` may move between threads but must be used
/// by one thread at a time (like libpq's PGconn); the one exception is
/// `pgtc_conn_cancel`, which any thread may call at any time while the
/// connection is open. Release it with `pgtc_conn_free`.
pub struct pgtc_conn {
    session: Session,
    /// Set when a panic was caught while the session was in use: its state
    /// may be half-updated, so no later call may touch it.
    poisoned: AtomicBool,
    /// The pool it came from (`pgtc_pool_acquire`), which gets it back
    /// when it is freed or released; None for `pgtc_conn_open`'s.
    lease: Option<Lease>,
}

impl pgtc_conn {
    /// Close the session, or give it back to its pool (closed there when a
    /// panic left it poisoned).
    fn close(self) {
        match self.lease {
            Some(l) if self.poisoned.load(Ordering::Relaxed) => l.discard(self.session),
            Some(l) => l.release(self.session),
            None => drop(self.session),
        }
    }
}

/// The session of a `pgtc_conn`, borrowed for one call. If the call panics
/// while it holds the session, dropping it (during the unwind, before the
/// boundary catches the panic) poisons the connection.
pub(crate) struct InUse<C: Deref<Target = pgtc_conn>>(C);

impl<C: Deref<Target = pgtc_conn>> Deref for InUse<C> {
    type Target = Session;
    fn deref(&self) -> &Session {
        &self.0.session
    }
}

impl DerefMut for InUse<&mut pgtc_conn> {
    fn deref_mut(&mut self) -> &mut Session {
        &mut self.0.session
    }
}

impl<C: Deref<Target = pgtc_conn>> Drop for InUse<C> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.poisoned.store(true, Ordering::Relaxed);
        }
    }
}

fn in_use<C: Deref<Target = pgtc_conn>>(conn: C) -> Result<InUse<C>> {
    if conn.poisoned.load(Ordering::Relaxed) {
        return Err(Error::new(
            Status::Internal,
            "the connection is unusable after an internal error in pgtc; \
             free it with pgtc_conn_free and open a new one",
        ));
    }
    let conn = InUse(conn);
    #[cfg(feature = "test-hooks")]
    super::test_hooks::maybe_panic();
    Ok(conn)
}

/// The cancel handle of every open connection, by handle address. A
/// cancel runs while another thread holds the connection mutably inside
/// an exec call, so it must not touch the `pgtc_conn` itself: it finds the
/// connection's `Canceller` here instead.
static CANCELLERS: Lazy<Mutex<HashMap<usize, Canceller>>> = Lazy::new(Default::default);

/// Hand a new session to C as a `pgtc_conn` that `pgtc_conn_cancel` can
/// reach.
pub(crate) fn conn_handle(session: Session) -> *mut pgtc_conn {
    conn_handle_in(session, None)
}

/// `conn_handle` for a session of a pool, which gets it back when the
/// handle is freed.
pub(crate) fn conn_handle_in(session: Session, lease: Option<Lease>) -> *mut pgtc_conn {
    let canceller = session.canceller();
    let p = into_handle(pgtc_conn {
        session,
        poisoned: AtomicBool::new(false),
        lease,
    });
    CANCELLERS.lock().insert(p as usize, canceller);
    p
}

/// Borrow the session of `conn` for reading; NULL and a poisoned connection
/// are errors.
///
/// # Safety
/// `conn` is NULL or a live `pgtc_conn` from `pgtc_conn_open` that no other
/// thread uses during the call.
pub(crate) unsafe fn conn_ref<'a>(conn: *const pgtc_conn) -> Result<InUse<&'a pgtc_conn>> {
    // SAFETY: forwarded from this function's contract.
    in_use(unsafe { arg_ref(conn, "conn") }?)
}

/// Borrow the session of `conn` for a call that may change it; NULL and a
/// poisoned connection are errors.
///
/// # Safety
/// As for `conn_ref`; nothing else reads or writes `*conn` during the call.
pub(crate) unsafe fn conn_mut<'a>(conn: *mut pgtc_conn) -> Result<InUse<&'a mut pgtc_conn>> {
    // SAFETY: forwarded from this function's contract.
    in_use(unsafe { super::arg_mut(conn, "conn") }?)
}

/// Open a logical connection.
///
/// `conninfo` is a libpq connection string, in `key=value` or
/// `postgresql://` URI form, with a list of servers in any order (a
/// primary and one or more standbys)
/// (`host=a,b port=5432,5433`); pgtc asks each server for its role. pgtc's
/// attributes (see `pgtc_conn_set_attr`) may be given there too. The first connection of a process asks every server in parallel and keeps the primary and one standby; later ones, while the process knows the roles, open the primary only, and a standby when a read first goes there. If one cannot be
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
    ffi_fn!(err_out, {
        // SAFETY: `conn_out` is NULL or a writable slot (header convention).
        let out = unsafe { out_ptr(conn_out, "conn_out") }?;
        // SAFETY: `conninfo` is NULL or a NUL-terminated string.
        let conninfo = unsafe { arg_str(conninfo, "conninfo") }?;
        init_logging();
        let session = Session::open(conninfo)?;
        *out = conn_handle(session);
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
    ffi_fn!(err_out, {
        // SAFETY: `conn` is NULL or a live pgtc_conn used by this thread only.
        let mut conn = unsafe { conn_mut(conn) }?;
        // SAFETY: `name` and `value` are NULL or NUL-terminated strings.
        let (name, value) = unsafe { (arg_str(name, "name")?, arg_str(value, "value")?) };
        conn.set_attr(name, value)
    })
}

/// Run SQL text (one statement, or several separated by `;`, sent as one
/// simple query) wherever the routing rules say.
///
/// On success `*result_out` receives the outcome, owned by the caller and
/// released with `pgtc_result_free`; for several statements, the first
/// statement's, with the others' after it in order (`pgtc_result_next`).
/// The text is one unit: routed as a whole, to one server, as the routing
/// rules say for all its statements together. On failure `*result_out`
/// is NULL and, when `err_out` is not NULL, `*err_out` receives the error;
/// a statement error leaves the connection usable. When statement k of
/// several fails, PostgreSQL has run statements 1 … k-1 (and, outside a
/// transaction block, rolls them back with the text's implicit
/// transaction unless they committed): their results are reachable from
/// the error with `pgtc_error_results`.
#[no_mangle]
pub extern "C" fn pgtc_conn_exec(
    conn: *mut pgtc_conn,
    sql: *const c_char,
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
        let inner = conn.exec(sql, None)?;
        *out = into_handle(pgtc_result { inner });
        Ok(())
    })
}

/// Run one statement with `n_params` text parameters `$1 … $n`, typed by
/// the server as libpq's PQexecParams does and never interpolated into the
/// SQL. `params` may be NULL when `n_params` is 0; a NULL element is an SQL
/// NULL. Results and errors as for `pgtc_conn_exec`. Each physical
/// connection keeps the statements run this way prepared (the
/// STATEMENT_CACHE attribute); `pgtc_conn_exec_typed` also takes type OIDs
/// and binary values.
#[no_mangle]
pub extern "C" fn pgtc_conn_exec_params(
    conn: *mut pgtc_conn,
    sql: *const c_char,
    n_params: usize,
    params: *const *const c_char,
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
        // SAFETY: `params` is NULL or holds `n_params` string pointers.
        let values = unsafe { super::text_params(n_params, params) }?;
        let inner = conn.exec(sql, Some(&values))?;
        *out = into_handle(pgtc_result { inner });
        Ok(())
    })
}

/// Which servers the connection can use now: PGTC_SERVER_BOTH when
/// healthy, PGTC_SERVER_PRIMARY or PGTC_SERVER_SECONDARY when degraded to
/// one, PGTC_SERVER_NONE when neither (or `conn` is NULL). A standby
/// counts when its connection is open, or when the connection has none
/// yet but would open one to an eligible standby on its next read.
#[no_mangle]
pub extern "C" fn pgtc_conn_connected(conn: *const pgtc_conn) -> Server {
    ffi_fn!(fallback = Server::None, {
        // SAFETY: `conn` is NULL or a live pgtc_conn used by this thread only.
        unsafe { conn_ref(conn) }.map_or(Server::None, |c| c.connected())
    })
}

/// True while a transaction is open on the connection (after BEGIN, or the
/// first statement with AUTOCOMMIT=OFF, until COMMIT or ROLLBACK).
#[no_mangle]
pub extern "C" fn pgtc_conn_in_transaction(conn: *const pgtc_conn) -> bool {
    ffi_fn!(fallback = false, {
        // SAFETY: `conn` is NULL or a live pgtc_conn used by this thread only.
        unsafe { conn_ref(conn) }.is_ok_and(|c| c.in_transaction())
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
    conn: *const pgtc_conn,
    sql: *const c_char,
    route_out: *mut *mut pgtc_route,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        // SAFETY: `route_out` is NULL or a writable slot (header convention).
        let out = unsafe { out_ptr(route_out, "route_out") }?;
        // SAFETY: `conn` is NULL or a live pgtc_conn used by this thread only.
        let conn = unsafe { conn_ref(conn) }?;
        // SAFETY: `sql` is NULL or a NUL-terminated string.
        let sql = unsafe { arg_str(sql, "sql") }?;
        *out = into_handle(pgtc_route::from(conn.explain(sql)));
        Ok(())
    })
}

/// The value of one of the connection's counters (a `pgtc_counter` value,
/// e.g. PGTC_COUNTER_SECONDARY); 0 for NULL `conn` or an unknown counter.
#[no_mangle]
pub extern "C" fn pgtc_conn_counter(conn: *const pgtc_conn, counter: u32) -> u64 {
    ffi_fn!(fallback = 0, {
        // SAFETY: `conn` is NULL or a live pgtc_conn used by this thread only.
        let conn = unsafe { conn_ref(conn) };
        match (conn, Counter::from_u32(counter)) {
            (Ok(conn), Some(c)) => conn.counters().get(c),
            _ => 0,
        }
    })
}

/// The value of a counter summed over every connection this process has
/// opened (a `pgtc_counter` value); 0 for an unknown counter.
#[no_mangle]
pub extern "C" fn pgtc_process_counter(counter: u32) -> u64 {
    ffi_fn!(fallback = 0, {
        Counter::from_u32(counter).map_or(0, |c| process_counters().get(c))
    })
}

/// True when the session is pinned to the primary because it holds state
/// that lives only there (temporary tables, LISTEN, session advisory locks,
/// prepared statements, held cursors, a procedure's effects, or a setting
/// the standby refused). `DISCARD ALL` and the matching clean-ups unpin it.
#[no_mangle]
pub extern "C" fn pgtc_conn_pinned(conn: *const pgtc_conn) -> bool {
    ffi_fn!(fallback = false, {
        // SAFETY: `conn` is NULL or a live pgtc_conn used by this thread only.
        unsafe { conn_ref(conn) }.is_ok_and(|c| c.pinned())
    })
}

/// Write the LSN floor the connection routes by (e.g. "0/3015FF0", or
/// "0/0" before any write) into `buf` as a NUL-terminated string: under
/// CONSISTENCY_SCOPE=PROCESS (the default) the newest commit LSN any
/// connection of this process recorded on the cluster, under SESSION the
/// newest this connection recorded. A writer hands this token to a reader
/// in another process (or, under SESSION, on another connection), which
/// passes it to `pgtc_conn_raise_lsn_floor` to read the writer's data. `buf_len` of 18
/// bytes always suffices; a smaller buffer that cannot hold the text is
/// PGTC_STATUS_INVALID_ARGUMENT and `buf` is left untouched.
#[no_mangle]
pub extern "C" fn pgtc_conn_lsn_floor(
    conn: *const pgtc_conn,
    buf: *mut c_char,
    buf_len: usize,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        // SAFETY: `conn` is NULL or a live pgtc_conn used by this thread only.
        let conn = unsafe { conn_ref(conn) }?;
        if buf.is_null() {
            return Err(Error::new(Status::NullArgument, "buf is NULL"));
        }
        let text = conn.lsn_floor_text();
        if text.len() + 1 > buf_len {
            return Err(Error::invalid_argument(format!(
                "buf_len {} cannot hold the LSN {} and its NUL",
                buf_len, text
            )));
        }
        // SAFETY: `buf` is non-NULL and points to at least `buf_len` writable
        // bytes (the documented contract); text.len() + 1 <= buf_len.
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), text.len());
            *buf.add(text.len()) = 0;
        }
        Ok(())
    })
}

/// Raise the connection's LSN floor to `lsn` (text such as "0/3015FF0",
/// from `pgtc_conn_lsn_floor` of a writer); never lowers it. From then on
/// the connection reads from the standby only once it has replayed `lsn`;
/// under CONSISTENCY_SCOPE=PROCESS so does every connection of this
/// process on the same cluster (the process's floor is raised too).
/// Text that is not an LSN is PGTC_STATUS_INVALID_ARGUMENT.
#[no_mangle]
pub extern "C" fn pgtc_conn_raise_lsn_floor(
    conn: *mut pgtc_conn,
    lsn: *const c_char,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        // SAFETY: `conn` is NULL or a live pgtc_conn used by this thread only.
        let mut conn = unsafe { conn_mut(conn) }?;
        // SAFETY: `lsn` is NULL or a NUL-terminated string.
        let lsn = unsafe { arg_str(lsn, "lsn") }?;
        conn.raise_lsn_floor(lsn)
    })
}

/// Cancel the statement running on `conn`, from any thread — the one
/// exception to "one thread at a time": another thread may be inside
/// `pgtc_conn_exec` (or any call that runs statements) on the same
/// connection. pgtc sends PostgreSQL's cancel request (over TLS when the
/// connection uses TLS) to each server running one of the connection's
/// statements at that moment; the blocked call then returns
/// PGTC_STATUS_SQL with SQLSTATE 57014, and the connection stays usable.
/// When nothing runs, nothing happens and the call succeeds. As with
/// libpq's PQcancel, a statement that completes just as the request
/// arrives is not affected, and whether the cancel took effect is learned
/// only from the statement's outcome.
///
/// `conn` must stay open (not passed to `pgtc_conn_free`) until this call
/// returns. NULL is PGTC_STATUS_NULL_ARGUMENT. A server that cannot be
/// reached for the request is PGTC_STATUS_CONNECT_FAILED (SQLSTATE 08006);
/// `*err_out` then receives an error to release with `pgtc_error_free`.
#[no_mangle]
pub extern "C" fn pgtc_conn_cancel(
    conn: *const pgtc_conn,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        if conn.is_null() {
            return Err(Error::new(Status::NullArgument, "conn is NULL"));
        }
        // Never dereferenced: another thread may hold it mutably.
        let canceller = CANCELLERS.lock().get(&(conn as usize)).cloned();
        match canceller {
            Some(c) => c.cancel(),
            None => Err(Error::invalid_argument(
                "conn is not an open connection (already freed?)",
            )),
        }
    })
}

/// Whether `conn` is a connection handle that is open now (not freed),
/// known without touching it.
pub(crate) fn is_open(conn: *const pgtc_conn) -> bool {
    CANCELLERS.lock().contains_key(&(conn as usize))
}

/// Free a connection handle: close its session, or give it back to its
/// pool.
///
/// # Safety
/// `conn` is NULL or a live `pgtc_conn` that no other thread uses, and it
/// is not used afterwards.
pub(crate) unsafe fn close_handle(conn: *mut pgtc_conn) {
    CANCELLERS.lock().remove(&(conn as usize));
    super::pool::forget(conn);
    // SAFETY: forwarded from this function's contract.
    if let Some(c) = unsafe { take_handle(conn) } {
        c.close();
    }
}

/// Close both physical connections and release the connection. An open
/// transaction is rolled back by the servers. NULL is a no-op.
///
/// A connection from `pgtc_pool_acquire` is not closed: it goes back to its
/// pool, exactly as `pgtc_pool_release` does (rolled back and reset there;
/// closed when its pool was freed). Either call releases the handle, once.
#[no_mangle]
pub extern "C" fn pgtc_conn_free(conn: *mut pgtc_conn) {
    ffi_fn!(fallback = (), {
        // SAFETY: `conn` is NULL or came from pgtc_conn_open or
        // pgtc_pool_acquire and is freed once (header convention); a
        // poisoned connection is freed too.
        unsafe { close_handle(conn) }
    })
}
