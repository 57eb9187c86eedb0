//! Stopping a statement: SQLCancel from another thread, and
//! SQL_ATTR_QUERY_TIMEOUT; and the cursor's name (SQLGetCursorName /
//! SQLSetCursorName).
//!
//! A statement that is running holds its state's lock and its session's
//! lock, so what cancels it must be reachable without either: while a
//! statement runs (`guarded`), its session's canceller is listed here by
//! the statement's address.

#![allow(non_snake_case, clippy::missing_safety_doc, clippy::too_many_arguments)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, OnceLock};
use std::time::Duration;

use pgtc::session::Canceller;
use pgtc::Session;

use super::*;

fn running() -> std::sync::MutexGuard<'static, HashMap<usize, Canceller>> {
    static RUNNING: OnceLock<Mutex<HashMap<usize, Canceller>>> = OnceLock::new();
    lock(RUNNING.get_or_init(Default::default))
}

/// Runs `f` on the statement's session with the session locked, so that
/// SQLCancel on `s` from another thread cancels it, and cancelled after
/// `timeout` seconds (0: never), which is then reported as HYT00. Every
/// call that waits on the server for a statement goes through here.
pub fn guarded<T>(
    s: &Stmt,
    timeout: usize,
    session: &handle::Shared,
    f: impl FnOnce(&mut Session) -> Result<T, E>,
) -> Result<T, E> {
    let key = s as *const Stmt as usize;
    let mut sess = lock(session);
    let c = sess.canceller();
    running().insert(key, c.clone());
    let fired = Arc::new(AtomicBool::new(false));
    let timer = (timeout > 0).then(|| {
        let (tx, rx) = mpsc::channel::<()>();
        let fired = fired.clone();
        std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) =
                rx.recv_timeout(Duration::from_secs(timeout as u64))
            {
                fired.store(true, Ordering::SeqCst);
                let _ = c.cancel();
            }
        });
        tx
    });
    let r = f(&mut sess);
    drop(timer);
    running().remove(&key);
    drop(sess);
    match r {
        Err(E::Pg(e)) if e.sqlstate == "57014" && fired.load(Ordering::SeqCst) => err(
            "HYT00",
            format!(
                "timeout expired: the statement ran longer than SQL_ATTR_QUERY_TIMEOUT ({} s) and was cancelled",
                timeout
            ),
        ),
        r => r,
    }
}

#[no_mangle]
pub unsafe extern "system" fn SQLCancel(h: H) -> SqlReturn {
    guard(|| {
        let Some(s) = stmt(h) else {
            return SqlReturn::INVALID_HANDLE;
        };
        let Ok(mut st) = s.st.try_lock() else {
            // A call is under way on the statement (on another thread):
            // cancel what it runs on the server. Its own records say how
            // it ended (57014 when the server stopped it).
            let c = running().get(&(h as usize)).cloned();
            return match c.map(|c| c.cancel()) {
                Some(Err(e)) => {
                    log_cancel_failure(&e);
                    SqlReturn::ERROR
                }
                _ => SqlReturn::SUCCESS,
            };
        };
        st.diags.clear();
        // Idle: nothing runs. During need-data (SQLParamData/SQLPutData)
        // the pending execution is abandoned here.
        crate::params::cancel_need_data(&mut st);
        SqlReturn::SUCCESS
    })
}

fn log_cancel_failure(e: &pgtc::Error) {
    eprintln!("{} SQLCancel: {}", handle::PREFIX, e.message);
}

/// The name of a statement's cursor: the one set, or SQL_CUR followed
/// by the statement's address.
fn cursor_name(h: H, st: &StmtState) -> String {
    st.fx
        .cursor_name
        .clone()
        .unwrap_or_else(|| format!("SQL_CUR{:x}", h as usize))
}

unsafe fn get_cursor_name(
    h: H,
    buf: *mut c_void,
    cap: SmallInt,
    len: *mut SmallInt,
    wide: bool,
) -> SqlReturn {
    on_stmt(h, |_, st| {
        if cap < 0 {
            return err("HY090", "negative buffer length");
        }
        let name = cursor_name(h, st);
        let n = put_chars(&mut st.diags, &name, wide, buf, cap as isize);
        out(len, small(n));
        Ok(SqlReturn::SUCCESS)
    })
}

unsafe fn set_cursor_name(h: H, name: *const c_void, len: SmallInt, wide: bool) -> SqlReturn {
    on_stmt(h, |_, st| {
        let Some(n) = text_arg(name, len as isize, wide)? else {
            return err("HY009", "the cursor name is NULL");
        };
        if st.current().is_some_and(|r| r.cols() > 0) {
            return err("24000", "invalid cursor state: a cursor is open");
        }
        if n.is_empty() || n.len() > 128 {
            return err("34000", format!("invalid cursor name {:?}", n));
        }
        if n.to_ascii_uppercase().starts_with("SQLCUR")
            || n.to_ascii_uppercase().starts_with("SQL_CUR")
        {
            return err(
                "34000",
                format!("cursor names starting {:?} are reserved", &n[..6]),
            );
        }
        st.fx.cursor_name = Some(n);
        Ok(SqlReturn::SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetCursorName(
    h: H,
    buf: *mut u8,
    cap: SmallInt,
    len: *mut SmallInt,
) -> SqlReturn {
    get_cursor_name(h, buf.cast(), cap, len, false)
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetCursorNameW(
    h: H,
    buf: *mut u16,
    cap: SmallInt,
    len: *mut SmallInt,
) -> SqlReturn {
    get_cursor_name(h, buf.cast(), cap, len, true)
}

#[no_mangle]
pub unsafe extern "system" fn SQLSetCursorName(h: H, name: *const u8, len: SmallInt) -> SqlReturn {
    set_cursor_name(h, name.cast(), len, false)
}

#[no_mangle]
pub unsafe extern "system" fn SQLSetCursorNameW(
    h: H,
    name: *const u16,
    len: SmallInt,
) -> SqlReturn {
    set_cursor_name(h, name.cast(), len, true)
}
