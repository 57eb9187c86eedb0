//! `pgtc_conn_standby_lag_ms`: the replay lag of a connection's standby,
//! as `MAX_STANDBY_LAG_MS` compares it.

use super::conn::{conn_ref, pgtc_conn};
use super::pgtc_error;
use crate::error::{Error, Status};

/// Write the replay lag of the connection's standby, in milliseconds, to
/// `*lag_ms_out`: an upper bound on how long ago the oldest commit the
/// standby may still lack became visible on the primary, measured from the
/// monitor's samples of both servers (the README's "Bounded staleness"
/// section says exactly how). It grows between samples as if the standby
/// replayed nothing meanwhile. -1 when it is not known yet (before the
/// monitor's first samples, after a role change, or when the standby is
/// further behind than the primary positions the monitor keeps).
///
/// A connection without a standby (a single server, or no server of its
/// list is a standby as far as it knows) is PGTC_STATUS_INVALID_STATE with
/// SQLSTATE 08003, and `*lag_ms_out` is left untouched. NULL `conn` or
/// `lag_ms_out` is PGTC_STATUS_NULL_ARGUMENT. On failure `*err_out` (when
/// not NULL) receives an error to release with `pgtc_error_free`. Runs no
/// statement and sends nothing; like every call on `conn`, one thread at a
/// time.
#[no_mangle]
pub extern "C" fn pgtc_conn_standby_lag_ms(
    conn: *const pgtc_conn,
    lag_ms_out: *mut i64,
    err_out: *mut *mut pgtc_error,
) -> Status {
    ffi_fn!(err_out, {
        // SAFETY: `conn` is NULL or a live pgtc_conn used by this thread only.
        let conn = unsafe { conn_ref(conn) }?;
        if lag_ms_out.is_null() {
            return Err(Error::new(Status::NullArgument, "lag_ms_out is NULL"));
        }
        let lag = conn
            .standby_lag_ms()?
            .map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX));
        // SAFETY: non-NULL, and points to a writable int64_t (the contract).
        unsafe { *lag_ms_out = lag };
        Ok(())
    })
}
