//! The exported ODBC entry points. Each one catches panics, checks its
//! handle through the registry (SQL_INVALID_HANDLE otherwise), clears the
//! handle's diagnostics and delegates to plain Rust in this crate.

#![allow(non_snake_case, clippy::missing_safety_doc, clippy::too_many_arguments)]

use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Mutex;

use crate::sys::{Integer, Len, SmallInt, SqlReturn, ULen, USmallInt};

use crate::conn;
use crate::getdata::{self, Converted};
use crate::handle::{
    self, lock, Dbc, DbcState, Diags, Env, EnvState, GetData, Kind, Stmt, StmtState,
};
use crate::info;
use crate::strings::{self, Fail, Written};
use crate::types;

pub mod cancel;
pub mod catalog;
pub mod connect;
pub mod desc;
pub mod diag;
pub mod env;
pub mod exec;
pub mod fetch;
pub mod handles;
pub mod information;
pub mod params;
pub mod stmtattr;

pub use cancel::*;
pub use catalog::*;
pub use connect::*;
pub use desc::*;
pub use diag::*;
pub use env::*;
pub use exec::*;
pub use fetch::*;
pub use handles::*;
pub use information::*;
pub use params::*;
pub use stmtattr::*;

type H = *mut c_void;

pub const SQL_HANDLE_ENV: SmallInt = 1;
pub const SQL_HANDLE_DBC: SmallInt = 2;
pub const SQL_HANDLE_STMT: SmallInt = 3;
pub const SQL_HANDLE_DESC: SmallInt = 4;
const SQL_NULL_DATA: Len = -1;

/// Runs an entry point, turning a panic into SQL_ERROR.
fn guard(f: impl FnOnce() -> SqlReturn) -> SqlReturn {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(SqlReturn::ERROR)
}

/// Runs a body under its handle's lock, turning a panic into an HY000
/// record on that handle (the outer `guard` still catches any other).
fn contain(f: impl FnOnce() -> R) -> R {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        err(
            "HY000",
            "internal error in the driver (a panic; its message went to stderr)",
        )
    })
}

/// What a function's body comes to: a return code, or a record to post
/// and SQL_ERROR.
pub enum E {
    Odbc(&'static str, String),
    Pg(pgtc::Error),
}

impl From<Fail> for E {
    fn from((s, m): Fail) -> E {
        E::Odbc(s, m)
    }
}

pub type R = Result<SqlReturn, E>;

pub fn err<T>(sqlstate: &'static str, msg: impl Into<String>) -> Result<T, E> {
    Err(E::Odbc(sqlstate, msg.into()))
}

/// Posts the outcome on `diags` and returns its code: SUCCESS becomes
/// SUCCESS_WITH_INFO when the call posted a record (a warning).
fn finish(diags: &mut Diags, r: R) -> SqlReturn {
    match r {
        Ok(SqlReturn::SUCCESS) if !diags.0.is_empty() => SqlReturn::SUCCESS_WITH_INFO,
        Ok(ret) => ret,
        Err(E::Odbc(s, m)) => {
            diags.push(s, m);
            SqlReturn::ERROR
        }
        Err(E::Pg(e)) => {
            diags.push_error(&e);
            SqlReturn::ERROR
        }
    }
}

/// `finish`, then the server's notices that arrived during the call as
/// warnings: after an error's record, which ODBC puts first, and making
/// SUCCESS SUCCESS_WITH_INFO.
fn finish_noticed(diags: &mut Diags, r: R, notices: &Mutex<Vec<(String, String)>>) -> SqlReturn {
    let ret = finish(diags, r);
    let before = diags.0.len();
    conn::drain_notices(notices, diags);
    if ret == SqlReturn::SUCCESS && diags.0.len() > before {
        SqlReturn::SUCCESS_WITH_INFO
    } else {
        ret
    }
}

unsafe fn env<'a>(h: H) -> Option<&'a Env> {
    handle::get(h, Kind::Env)
}
unsafe fn dbc<'a>(h: H) -> Option<&'a Dbc> {
    handle::get(h, Kind::Dbc)
}
unsafe fn stmt<'a>(h: H) -> Option<&'a Stmt> {
    handle::get(h, Kind::Stmt)
}

/// Runs `f` on a statement's state with its diagnostics cleared first.
/// The server's notices that arrived meanwhile become 01000 records of
/// this handle (before the call's own records), and the server the
/// current result ran on is noted on the connection.
unsafe fn on_stmt(h: H, f: impl FnOnce(&Stmt, &mut StmtState) -> R) -> SqlReturn {
    guard(|| {
        let Some(s) = stmt(h) else {
            return SqlReturn::INVALID_HANDLE;
        };
        let mut st = lock(&s.st);
        st.diags.clear();
        let r = contain(|| f(s, &mut st));
        if let Some(server) = st.current().and_then(|rs| rs.server) {
            s.conn.note_server(server);
        }
        finish_noticed(&mut st.diags, r, &s.conn.notices)
    })
}

unsafe fn on_dbc(h: H, f: impl FnOnce(&Dbc, &mut DbcState) -> R) -> SqlReturn {
    guard(|| {
        let Some(d) = dbc(h) else {
            return SqlReturn::INVALID_HANDLE;
        };
        let mut st = lock(&d.st);
        st.diags.clear();
        let r = contain(|| f(d, &mut st));
        finish_noticed(&mut st.diags, r, &d.shared.notices)
    })
}

unsafe fn on_env(h: H, f: impl FnOnce(&mut EnvState) -> R) -> SqlReturn {
    guard(|| {
        let Some(e) = env(h) else {
            return SqlReturn::INVALID_HANDLE;
        };
        let mut st = lock(&e.st);
        st.diags.clear();
        let r = contain(|| f(&mut st));
        finish(&mut st.diags, r)
    })
}

unsafe fn out<T>(p: *mut T, v: T) {
    if !p.is_null() {
        p.write_unaligned(v);
    }
}

fn small(n: usize) -> SmallInt {
    n.min(SmallInt::MAX as usize) as SmallInt
}

fn int(n: usize) -> Integer {
    n.min(Integer::MAX as usize) as Integer
}

/// A string output whose length is reported in bytes (UTF-8 or UTF-16),
/// as SQLGetInfo, SQLGetConnectAttr and SQLColAttribute do; a cut value
/// posts 01004.
unsafe fn put_bytes(diags: &mut Diags, s: &str, wide: bool, buf: *mut c_void, cap: isize) -> usize {
    let w = if wide {
        let w = strings::put_w(s, buf, cap / 2);
        Written {
            len: w.len * 2,
            truncated: w.truncated,
        }
    } else {
        strings::put(s, buf, cap)
    };
    if w.truncated && !buf.is_null() {
        diags.push("01004", "string data, right truncated");
    }
    w.len
}

/// A string output whose length is in characters (SQLDescribeCol,
/// SQLGetDiagRec, SQLDriverConnect).
unsafe fn put_chars(diags: &mut Diags, s: &str, wide: bool, buf: *mut c_void, cap: isize) -> usize {
    let w = if wide {
        strings::put_w(s, buf, cap)
    } else {
        strings::put(s, buf, cap)
    };
    if w.truncated && !buf.is_null() {
        diags.push("01004", "string data, right truncated");
    }
    w.len
}

unsafe fn text_arg(p: *const c_void, len: isize, wide: bool) -> Result<Option<String>, E> {
    Ok(if wide {
        strings::arg_w(p.cast(), len)?
    } else {
        strings::arg(p.cast(), len)?
    })
}
