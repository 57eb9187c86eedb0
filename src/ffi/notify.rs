//! Notices and notifications: `pgtc_conn_set_notice_handler` (a callback
//! that receives each notice as a borrowed `pgtc_error`) and
//! `pgtc_conn_notification` with its `pgtc_notification` object.

use super::conn::{conn_mut, conn_ref, pgtc_conn};
use super::{arg_ref, free_handle, into_handle, out_ptr, pgtc_error};
use crate::error::Notice;
use crate::result::Server;
use crate::session::{NoticeHandler, Notification};
use std::ffi::{c_char, c_int, c_void, CString};
use std::sync::Arc;
use std::time::Duration;

/// A notice handler: called with the `user_data` given to
/// `pgtc_conn_set_notice_handler`, the notice (read it with
/// `pgtc_error_message`, `pgtc_error_sqlstate` and `pgtc_error_field`;
/// borrowed, valid only during the call) and the server that sent it
/// (PGTC_SERVER_PRIMARY or PGTC_SERVER_SECONDARY).
pub type pgtc_notice_handler =
    Option<extern "C" fn(user_data: *mut c_void, notice: *const pgtc_error, server: Server)>;

/// A C callback and its user data, called from the thread using the
/// connection.
struct CHandler {
    f: extern "C" fn(*mut c_void, *const pgtc_error, Server),
    user_data: *mut c_void,
}

// SAFETY: the callback and `user_data` are only used while a call on the
// connection runs, so on one thread at a time (the connection's own rule);
// the header tells the caller that the callback runs on whichever thread
// is using the connection.
unsafe impl Send for CHandler {}
// SAFETY: as above: never called from two threads at once.
unsafe impl Sync for CHandler {}

impl CHandler {
    fn call(&self, notice: &Notice, server: Server) {
        let e = pgtc_error::from(notice);
        (self.f)(self.user_data, &e, server);
    }
}

/// Send the notices and warnings of both servers of `conn` (`RAISE
/// NOTICE`, deprecation warnings, …) to `handler`, with `user_data`. A
/// NULL `handler` restores the default: notices are logged at info level
/// (see PGTC_LOG). The handler is called on the thread using `conn`, while
/// a call on it (an exec, `pgtc_conn_notification`, …) reads from a
/// server; it must not call pgtc functions on `conn`. The notice it
/// receives belongs to pgtc and is valid only during the call (copy what
/// you keep; never free it). `user_data` is passed through untouched and
/// must stay valid until another handler is set or `conn` is freed.
#[no_mangle]
pub extern "C" fn pgtc_conn_set_notice_handler(
    conn: *mut pgtc_conn,
    handler: pgtc_notice_handler,
    user_data: *mut c_void,
    err_out: *mut *mut pgtc_error,
) -> crate::error::Status {
    ffi_fn!(err_out, {
        // SAFETY: `conn` is NULL or a live pgtc_conn used by this thread only.
        let mut conn = unsafe { conn_mut(conn) }?;
        let h = handler.map(|f| {
            let c = CHandler { f, user_data };
            let h: NoticeHandler = Arc::new(move |n: &Notice, s: Server| c.call(n, s));
            h
        });
        conn.set_notice_handler(h);
        Ok(())
    })
}

/// A notification (`NOTIFY channel, 'payload'`). Owned by the caller and
/// released with `pgtc_notification_free`. Read-only, so it may be read
/// from any thread.
pub struct pgtc_notification {
    channel: CString,
    payload: CString,
    pid: i32,
}

impl From<Notification> for pgtc_notification {
    fn from(n: Notification) -> Self {
        let c = |s: String| CString::new(s.replace('\0', " ")).unwrap_or_default();
        pgtc_notification {
            channel: c(n.channel),
            payload: c(n.payload),
            pid: n.pid,
        }
    }
}

/// The next notification for a channel `conn` listens on (`LISTEN
/// channel`, which pins the session to the primary): one that arrived
/// during an earlier call, else one the primary sends within `timeout_ms`
/// milliseconds. `timeout_ms` 0 only looks at what has arrived already
/// (a poll); a negative `timeout_ms` waits without limit.
///
/// On success `*note_out` receives the notification, owned by the caller
/// and released with `pgtc_notification_free`, or NULL when none arrived
/// in time (the status is still PGTC_STATUS_OK). Notifications arrive
/// while the connection is idle and during any statement; those that
/// arrive during statements are queued and returned first, in order.
/// Without a connection to the primary: PGTC_STATUS_NO_PRIMARY; a
/// connection lost while waiting: PGTC_STATUS_CONNECTION_LOST (class 08).
#[no_mangle]
pub extern "C" fn pgtc_conn_notification(
    conn: *mut pgtc_conn,
    timeout_ms: c_int,
    note_out: *mut *mut pgtc_notification,
    err_out: *mut *mut pgtc_error,
) -> crate::error::Status {
    ffi_fn!(err_out, {
        // SAFETY: `note_out` is NULL or a writable slot (header convention).
        let out = unsafe { out_ptr(note_out, "note_out") }?;
        // SAFETY: `conn` is NULL or a live pgtc_conn used by this thread only.
        let mut conn = unsafe { conn_mut(conn) }?;
        let timeout = u64::try_from(timeout_ms).ok().map(Duration::from_millis);
        if let Some(n) = conn.notification(timeout)? {
            *out = into_handle(pgtc_notification::from(n));
        }
        Ok(())
    })
}

/// How many notifications arrived with the answers to earlier calls and
/// wait to be taken: that many calls of `pgtc_conn_notification` return
/// one each at once, without reading from the server (a binding can drain
/// them after every statement for free). 0 for NULL `conn`.
#[no_mangle]
pub extern "C" fn pgtc_conn_notifications_queued(conn: *const pgtc_conn) -> usize {
    ffi_fn!(fallback = 0, {
        // SAFETY: `conn` is NULL or a live pgtc_conn used by this thread only.
        unsafe { conn_ref(conn) }.map_or(0, |c| c.queued_notifications())
    })
}

/// The channel the notification was sent on. Borrowed from `note`: valid
/// until `pgtc_notification_free(note)`. NULL `note` gives "".
#[no_mangle]
pub extern "C" fn pgtc_notification_channel(note: *const pgtc_notification) -> *const c_char {
    ffi_fn!(fallback = c"".as_ptr(), {
        // SAFETY: `note` is NULL or a live pgtc_notification.
        unsafe { arg_ref(note, "note") }.map_or(c"".as_ptr(), |n| n.channel.as_ptr())
    })
}

/// The notification's payload ("" when NOTIFY gave none). Borrowed from
/// `note`: valid until `pgtc_notification_free(note)`. NULL `note` gives "".
#[no_mangle]
pub extern "C" fn pgtc_notification_payload(note: *const pgtc_notification) -> *const c_char {
    ffi_fn!(fallback = c"".as_ptr(), {
        // SAFETY: `note` is NULL or a live pgtc_notification.
        unsafe { arg_ref(note, "note") }.map_or(c"".as_ptr(), |n| n.payload.as_ptr())
    })
}

/// The backend process id of the session that sent the notification (as
/// its `pg_backend_pid()`); 0 for NULL `note`.
#[no_mangle]
pub extern "C" fn pgtc_notification_pid(note: *const pgtc_notification) -> i32 {
    ffi_fn!(fallback = 0, {
        // SAFETY: `note` is NULL or a live pgtc_notification.
        unsafe { arg_ref(note, "note") }.map_or(0, |n| n.pid)
    })
}

/// Release a notification. NULL is a no-op.
#[no_mangle]
pub extern "C" fn pgtc_notification_free(note: *mut pgtc_notification) {
    ffi_fn!(fallback = (), {
        // SAFETY: `note` is NULL or came from pgtc and is freed once.
        unsafe { free_handle(note) }
    })
}
