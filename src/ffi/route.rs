//! `pgtc_route`: where a statement would run and why (`pgtc_conn_explain`).

use super::{arg_ref, free_handle};
use crate::result::Server;
use std::ffi::{c_char, CString};

/// The routing decision for one statement, as `pgtc_conn_explain` made it:
/// where it would run, where it may run, and the rule behind it. Owned by
/// the caller and released with `pgtc_route_free`; read-only.
pub struct pgtc_route {
    pub(crate) server: Server,
    pub(crate) eligible: Server,
    pub(crate) reason: CString,
}

impl From<crate::session::Route> for pgtc_route {
    fn from(r: crate::session::Route) -> Self {
        pgtc_route {
            server: r.server,
            eligible: r.eligible,
            reason: CString::new(r.reason.replace('\0', " ")).unwrap_or_default(),
        }
    }
}

/// Where the statement would run now: PGTC_SERVER_PRIMARY,
/// PGTC_SERVER_SECONDARY, PGTC_SERVER_BOTH (session state, applied to
/// both), or PGTC_SERVER_NONE (nothing to run it on, or NULL `route`).
#[no_mangle]
pub extern "C" fn pgtc_route_server(route: *const pgtc_route) -> Server {
    ffi_fn!(fallback = Server::None, {
        // SAFETY: `route` is NULL or a live pgtc_route (read-only once returned).
        unsafe { arg_ref(route, "route") }.map_or(Server::None, |r| r.server)
    })
}

/// Where the statement may run: PGTC_SERVER_PRIMARY when it must run there
/// (a write, a locking read, a volatile function, the session's open
/// transaction or pins, isolation above READ COMMITTED, a hint);
/// PGTC_SERVER_BOTH when either server may run it (the choice then depends
/// on PREFERRED_ACCESS, the LSN floor and load). NULL gives PGTC_SERVER_NONE.
#[no_mangle]
pub extern "C" fn pgtc_route_eligible(route: *const pgtc_route) -> Server {
    ffi_fn!(fallback = Server::None, {
        // SAFETY: `route` is NULL or a live pgtc_route (read-only once returned).
        unsafe { arg_ref(route, "route") }.map_or(Server::None, |r| r.eligible)
    })
}

/// One human-readable sentence naming the rule behind the decision (e.g.
/// "rule 6: the session's LSN floor 0/3000100 is beyond the standby's
/// replay LSN 0/3000000"). Borrowed from `route`: valid until
/// `pgtc_route_free(route)`. NULL gives "".
#[no_mangle]
pub extern "C" fn pgtc_route_reason(route: *const pgtc_route) -> *const c_char {
    ffi_fn!(fallback = c"".as_ptr(), {
        // SAFETY: `route` is NULL or a live pgtc_route (read-only once returned).
        unsafe { arg_ref(route, "route") }.map_or(c"".as_ptr(), |r| r.reason.as_ptr())
    })
}

/// Release a route. NULL is a no-op.
#[no_mangle]
pub extern "C" fn pgtc_route_free(route: *mut pgtc_route) {
    ffi_fn!(fallback = (), {
        // SAFETY: `route` is NULL or came from pgtc_conn_explain and is freed once.
        unsafe { free_handle(route) }
    })
}
