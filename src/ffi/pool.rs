//! `pgtc_pool`: a pool of logical connections (`crate::pool::Pool`), and
//! the `pgtc_conn` handles it hands out.

use super::conn::{close_handle, conn_handle_in, is_open, pgtc_conn};
use super::{arg_ref, arg_str, free_handle, init_logging, into_handle, out_ptr, pgtc_error};
use crate::error::Status;
use crate::pool::{Pool, PoolStats};
use once_cell::sync::Lazy;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::ffi::c_char;

/// A pool of logical connections over the servers of one connection string.
/// Unlike a `pgtc_conn`, a `pgtc_pool` may be used by any number of threads
/// at once (`pgtc_pool_acquire`, `pgtc_pool_release`, `pgtc_pool_get_stats`);
/// only `pgtc_pool_free` must not run beside another call on the same pool.
/// Release it with `pgtc_pool_free`.
pub struct pgtc_pool {
    pool: Pool,
}

/// A pool's figures at one moment (`pgtc_pool_get_stats`). `max` and `min`
/// are POOL_MAX and POOL_MIN; `total` counts the logical connections open
/// now (idle, in use, or being opened), `idle` and `in_use` those idle and
/// handed out, `waiting` the acquirers waiting now. `acquired`, `timeouts`
/// (acquires that failed with PGTC_STATUS_POOL_TIMEOUT), `created`, `closed`
/// and `resets` (releases that cost round trips: a rollback or DISCARD ALL)
/// count since the pool opened; `wait_ns` sums the nanoseconds acquirers
/// spent waiting.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct pgtc_pool_stats {
    pub max: u64,
    pub min: u64,
    pub total: u64,
    pub idle: u64,
    pub in_use: u64,
    pub waiting: u64,
    pub acquired: u64,
    pub timeouts: u64,
    pub created: u64,
    pub closed: u64,
    pub resets: u64,
    pub wait_ns: u64,
}

impl From<PoolStats> for pgtc_pool_stats {
    fn from(s: PoolStats) -> Self {
        pgtc_pool_stats {
            max: s.max,
            min: s.min,
            total: s.total,
            idle: s.idle,
            in_use: s.in_use,
            waiting: s.waiting,
            acquired: s.acquired,
            timeouts: s.timeouts,
            created: s.created,
            closed: s.closed,
            resets: s.resets,
            wait_ns: s.wait_ns,
        }
    }
}

/// The pool of every connection handle handed out by `pgtc_pool_acquire`
/// and not yet released, by handle address (compared, never dereferenced).
static POOLED: Lazy<Mutex<HashMap<usize, usize>>> = Lazy::new(Default::default);

/// A connection handle is being freed: it is no longer pooled.
pub(crate) fn forget(conn: *const pgtc_conn) {
    POOLED.lock().remove(&(conn as usize));
}

/// Open a pool. `conninfo` is a connection string as for `pgtc_conn_open`:
/// its servers and session attributes are those of every connection of the
/// pool (each connection gets them back when it is released), and its
/// POOL_* attributes shape the pool: POOL_MAX (default 10) bounds the
/// logical connections, POOL_MIN (1) are kept open, an acquire waits up to
/// POOL_ACQUIRE_TIMEOUT_MS (30000) in a FIFO queue, connections are closed
/// after POOL_MAX_LIFETIME_MS (1800000; never while in use) and, above
/// POOL_MIN, after POOL_IDLE_TIMEOUT_MS idle (600000); 0 turns the last
/// two off. A value out of range, or POOL_MIN above POOL_MAX, is
/// PGTC_STATUS_INVALID_ATTRIBUTE_VALUE naming the key. One connection is
/// opened at once, so a connection string that cannot connect fails here
/// (as `pgtc_conn_open` would); the rest up to POOL_MIN are opened by the
/// pool's thread, which also retires and replaces connections.
///
/// On success `*pool_out` receives a new pool, owned by the caller and
/// released with `pgtc_pool_free`. On failure `*pool_out` is NULL and,
/// when `err_out` is not NULL, `*err_out` receives an error to release with
/// `pgtc_error_free`.
#[no_mangle]
pub extern "C" fn pgtc_pool_open(
    conninfo: *const c_char,
    pool_out: *mut *mut pgtc_pool,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        // SAFETY: `pool_out` is NULL or a writable slot (header convention).
        let out = unsafe { out_ptr(pool_out, "pool_out") }?;
        // SAFETY: `conninfo` is NULL or a NUL-terminated string.
        let conninfo = unsafe { arg_str(conninfo, "conninfo") }?;
        init_logging();
        let pool = Pool::open(conninfo)?;
        *out = into_handle(pgtc_pool { pool });
        Ok(())
    })
}

/// Take a connection from the pool, for the caller alone until it is
/// released. An idle connection is handed out at once when no one waits;
/// otherwise, while fewer than POOL_MAX are open, a new one is opened;
/// otherwise the caller waits, in FIFO order behind earlier callers, for a
/// connection to be released, and after POOL_ACQUIRE_TIMEOUT_MS fails with
/// PGTC_STATUS_POOL_TIMEOUT (SQLSTATE 53300; the message names POOL_MAX, how
/// many are in use and how long it waited). A connection whose server
/// connection is known to be broken is never handed out (no query is sent
/// to find out). A failure to open a new connection is reported as
/// `pgtc_conn_open` reports it; a pool being freed is
/// PGTC_STATUS_INVALID_STATE.
///
/// On success `*conn_out` receives an ordinary `pgtc_conn` (every
/// `pgtc_conn_*` call works on it, one thread at a time) that is released
/// with `pgtc_pool_release` or `pgtc_conn_free` — either, once: both give it
/// back to the pool, where it is rolled back and reset, and the handle is
/// invalid afterwards. Statements prepared on it (`pgtc_stmt`) fail once it
/// is released. On failure `*conn_out` is NULL.
#[no_mangle]
pub extern "C" fn pgtc_pool_acquire(
    pool: *mut pgtc_pool,
    conn_out: *mut *mut pgtc_conn,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        // SAFETY: `conn_out` is NULL or a writable slot (header convention).
        let out = unsafe { out_ptr(conn_out, "conn_out") }?;
        // SAFETY: `pool` is NULL or a live pgtc_pool; shared use is allowed.
        let p = unsafe { arg_ref(pool.cast_const(), "pool") }?;
        let (session, lease) = p.pool.acquire()?.into_parts();
        let conn = conn_handle_in(session, Some(lease));
        POOLED.lock().insert(conn as usize, pool as usize);
        *out = conn;
        Ok(())
    })
}

/// Give a connection from `pgtc_pool_acquire` back to `pool`: an open
/// transaction is rolled back; a connection that may have changed session
/// state since it was handed out (settings, prepared statements, temporary
/// tables, LISTEN, advisory locks, WITH HOLD cursors) is reset with
/// DISCARD ALL on each server it used, and pgtc's attributes go back to the
/// pool's; a connection that ran nothing of the kind costs no round trip.
/// A broken connection, one past POOL_MAX_LIFETIME_MS, one whose reset
/// failed, one left unusable by an internal error (PGTC_STATUS_INTERNAL),
/// or one of a freed pool is closed instead. `conn` is invalid
/// afterwards. The same as `pgtc_conn_free(conn)`.
///
/// Misuse does nothing to the connection and logs a warning (the call
/// cannot report): a NULL `pool` or `conn`, a connection of another pool, a
/// connection from `pgtc_conn_open`, or one already released or freed (as
/// long as its address was not handed out again since).
#[no_mangle]
pub extern "C" fn pgtc_pool_release(pool: *mut pgtc_pool, conn: *mut pgtc_conn) {
    ffi_fn!(fallback = (), {
        if pool.is_null() || conn.is_null() {
            log::warn!("pgtc_pool_release: pool or conn is NULL; nothing done");
            return;
        }
        let owner = POOLED.lock().get(&(conn as usize)).copied();
        match owner {
            Some(p) if p == pool as usize => {
                // SAFETY: `conn` is a live handle this pool handed out
                // (recorded above), given back once by the caller.
                unsafe { close_handle(conn) }
            }
            Some(_) => log::warn!(
                "pgtc_pool_release: the connection belongs to another pool; nothing done"
            ),
            None if is_open(conn) => log::warn!(
                "pgtc_pool_release: the connection did not come from a pool (free it with \
                 pgtc_conn_free); nothing done"
            ),
            None => log::warn!(
                "pgtc_pool_release: not an open connection (already released or freed?); \
                 nothing done"
            ),
        }
    })
}

/// Write the pool's figures into `*stats_out` (see `pgtc_pool_stats`).
/// NULL `pool` or `stats_out` is PGTC_STATUS_NULL_ARGUMENT and nothing is
/// written. Any thread may call it at any time while the pool is open.
#[no_mangle]
pub extern "C" fn pgtc_pool_get_stats(
    pool: *const pgtc_pool,
    stats_out: *mut pgtc_pool_stats,
) -> Status {
    ffi_fn!(fallback = Status::Internal, {
        if stats_out.is_null() {
            return Status::NullArgument;
        }
        // SAFETY: `pool` is NULL or a live pgtc_pool; shared use is allowed.
        match unsafe { arg_ref(pool, "pool") } {
            Ok(p) => {
                // SAFETY: `stats_out` is non-NULL and writable (contract).
                unsafe { stats_out.write(p.pool.stats().into()) };
                Status::Ok
            }
            Err(e) => e.status,
        }
    })
}

/// Close the pool and release it. Idle connections are closed at once,
/// acquirers still waiting fail with PGTC_STATUS_INVALID_STATE. Connections
/// still out stay valid: they are closed (not pooled) when they are
/// released with `pgtc_pool_release(pool, conn)` — the freed pool pointer
/// may still be passed there — or freed with `pgtc_conn_free`. No other
/// thread may use `pool` during or after this call. NULL is a no-op.
#[no_mangle]
pub extern "C" fn pgtc_pool_free(pool: *mut pgtc_pool) {
    ffi_fn!(fallback = (), {
        // SAFETY: `pool` is NULL or came from pgtc_pool_open and is freed
        // once (header convention).
        if let Ok(p) = unsafe { arg_ref(pool.cast_const(), "pool") } {
            p.pool.close();
        }
        // SAFETY: as above; no reference to it outlives this line.
        unsafe { free_handle(pool) }
    })
}
