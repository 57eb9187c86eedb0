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
unsafe fn on_stmt(h: H, f: impl FnOnce(&Stmt, &mut StmtState) -> R) -> SqlReturn {
    guard(|| {
        let Some(s) = stmt(h) else {
            return SqlReturn::INVALID_HANDLE;
        };
        let mut st = lock(&s.st);
        st.diags.clear();
        let r = contain(|| f(s, &mut st));
        finish(&mut st.diags, r)
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
        finish(&mut st.diags, r)
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

// ---- handles ----

unsafe fn alloc(kind: SmallInt, input: H, output: *mut H) -> SqlReturn {
    guard(|| match kind {
        SQL_HANDLE_ENV => {
            if output.is_null() {
                return SqlReturn::ERROR;
            }
            let e = Box::new(Env {
                st: Mutex::new(EnvState {
                    diags: Diags::default(),
                    odbc_version: 0,
                    conns: 0,
                }),
            });
            *output = handle::register(e, Kind::Env) as H;
            SqlReturn::SUCCESS
        }
        SQL_HANDLE_DBC => {
            let Some(e) = env(input) else {
                return SqlReturn::INVALID_HANDLE;
            };
            let mut st = lock(&e.st);
            st.diags.clear();
            let r = if output.is_null() {
                err("HY009", "the output handle pointer is NULL")
            } else if st.odbc_version == 0 {
                err(
                    "HY010",
                    "SQL_ATTR_ODBC_VERSION is not set on the environment",
                )
            } else {
                let d = Box::new(Dbc {
                    env: input as usize,
                    st: Mutex::new(DbcState {
                        diags: Diags::default(),
                        session: None,
                        dsn: String::new(),
                        autocommit: true,
                        read_only: false,
                        login_timeout: 0,
                        stmts: Vec::new(),
                        dbms_ver: None,
                    }),
                });
                *output = handle::register(d, Kind::Dbc) as H;
                st.conns += 1;
                Ok(SqlReturn::SUCCESS)
            };
            finish(&mut st.diags, r)
        }
        SQL_HANDLE_STMT => on_dbc(input, |_, st| {
            if output.is_null() {
                return err("HY009", "the output handle pointer is NULL");
            }
            if st.session.is_none() {
                return err("08003", "connection not open");
            }
            let s = Box::new(Stmt {
                dbc: input as usize,
                st: Mutex::new(StmtState::default()),
            });
            let p = handle::register(s, Kind::Stmt);
            st.stmts.push(p);
            *output = p as H;
            Ok(SqlReturn::SUCCESS)
        }),
        SQL_HANDLE_DESC => on_dbc(input, |_, _| {
            err(
                "HYC00",
                "explicitly allocated descriptors are not supported",
            )
        }),
        _ => match handle::kind_of(input) {
            Some(Kind::Env) => on_env(input, |_| {
                err("HY092", format!("invalid handle type {}", kind))
            }),
            Some(Kind::Dbc) => on_dbc(input, |_, _| {
                err("HY092", format!("invalid handle type {}", kind))
            }),
            _ => SqlReturn::INVALID_HANDLE,
        },
    })
}

unsafe fn free_stmt_handle(h: H) -> SqlReturn {
    guard(|| {
        let Some(s) = stmt(h) else {
            return SqlReturn::INVALID_HANDLE;
        };
        if let Some(d) = dbc(s.dbc as H) {
            lock(&d.st).stmts.retain(|&p| p != h as usize);
        }
        handle::unregister::<Stmt>(h as usize, Kind::Stmt);
        SqlReturn::SUCCESS
    })
}

unsafe fn free(kind: SmallInt, h: H) -> SqlReturn {
    match kind {
        SQL_HANDLE_ENV => guard(|| {
            let Some(e) = env(h) else {
                return SqlReturn::INVALID_HANDLE;
            };
            {
                let mut st = lock(&e.st);
                st.diags.clear();
                if st.conns > 0 {
                    st.diags
                        .push("HY010", "the environment still has connections");
                    return SqlReturn::ERROR;
                }
            }
            handle::unregister::<Env>(h as usize, Kind::Env);
            SqlReturn::SUCCESS
        }),
        SQL_HANDLE_DBC => guard(|| {
            let Some(d) = dbc(h) else {
                return SqlReturn::INVALID_HANDLE;
            };
            {
                let mut st = lock(&d.st);
                st.diags.clear();
                if st.session.is_some() {
                    st.diags
                        .push("HY010", "the connection is open: call SQLDisconnect first");
                    return SqlReturn::ERROR;
                }
            }
            if let Some(e) = env(d.env as H) {
                let mut est = lock(&e.st);
                est.conns = est.conns.saturating_sub(1);
            }
            handle::unregister::<Dbc>(h as usize, Kind::Dbc);
            SqlReturn::SUCCESS
        }),
        SQL_HANDLE_STMT => free_stmt_handle(h),
        _ => SqlReturn::INVALID_HANDLE,
    }
}

#[no_mangle]
pub unsafe extern "system" fn SQLAllocHandle(
    kind: SmallInt,
    input: H,
    output: *mut H,
) -> SqlReturn {
    alloc(kind, input, output)
}

#[no_mangle]
pub unsafe extern "system" fn SQLFreeHandle(kind: SmallInt, h: H) -> SqlReturn {
    free(kind, h)
}

#[no_mangle]
pub unsafe extern "system" fn SQLAllocEnv(output: *mut H) -> SqlReturn {
    let r = alloc(SQL_HANDLE_ENV, std::ptr::null_mut(), output);
    if r == SqlReturn::SUCCESS {
        if let Some(e) = env(*output) {
            lock(&e.st).odbc_version = 2;
        }
    }
    r
}

#[no_mangle]
pub unsafe extern "system" fn SQLAllocConnect(e: H, output: *mut H) -> SqlReturn {
    alloc(SQL_HANDLE_DBC, e, output)
}

#[no_mangle]
pub unsafe extern "system" fn SQLAllocStmt(d: H, output: *mut H) -> SqlReturn {
    alloc(SQL_HANDLE_STMT, d, output)
}

#[no_mangle]
pub unsafe extern "system" fn SQLFreeEnv(e: H) -> SqlReturn {
    free(SQL_HANDLE_ENV, e)
}

#[no_mangle]
pub unsafe extern "system" fn SQLFreeConnect(d: H) -> SqlReturn {
    free(SQL_HANDLE_DBC, d)
}

const SQL_CLOSE: USmallInt = 0;
const SQL_DROP: USmallInt = 1;
const SQL_UNBIND: USmallInt = 2;
const SQL_RESET_PARAMS: USmallInt = 3;

#[no_mangle]
pub unsafe extern "system" fn SQLFreeStmt(h: H, option: USmallInt) -> SqlReturn {
    if option == SQL_DROP {
        return free_stmt_handle(h);
    }
    on_stmt(h, |_, st| match option {
        SQL_CLOSE => {
            st.close();
            Ok(SqlReturn::SUCCESS)
        }
        // Nothing is bound yet: columns and parameters come later.
        SQL_UNBIND | SQL_RESET_PARAMS => Ok(SqlReturn::SUCCESS),
        _ => err("HY092", format!("invalid SQLFreeStmt option {}", option)),
    })
}

// ---- environment ----

const SQL_ATTR_ODBC_VERSION: Integer = 200;
const SQL_ATTR_CONNECTION_POOLING: Integer = 201;
const SQL_ATTR_CP_MATCH: Integer = 202;
const SQL_ATTR_OUTPUT_NTS: Integer = 10001;

#[no_mangle]
pub unsafe extern "system" fn SQLSetEnvAttr(
    h: H,
    attr: Integer,
    value: *mut c_void,
    _len: Integer,
) -> SqlReturn {
    on_env(h, |st| {
        let v = value as usize as i64;
        match attr {
            SQL_ATTR_ODBC_VERSION => match v {
                2 | 3 | 380 => {
                    st.odbc_version = v as i32;
                    Ok(SqlReturn::SUCCESS)
                }
                _ => err("HY024", format!("invalid ODBC version {}", v)),
            },
            SQL_ATTR_CONNECTION_POOLING | SQL_ATTR_CP_MATCH => Ok(SqlReturn::SUCCESS),
            SQL_ATTR_OUTPUT_NTS if v == 1 => Ok(SqlReturn::SUCCESS),
            SQL_ATTR_OUTPUT_NTS => err("HYC00", "strings are always NUL-terminated"),
            _ => err("HY092", format!("invalid environment attribute {}", attr)),
        }
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetEnvAttr(
    h: H,
    attr: Integer,
    value: *mut c_void,
    _cap: Integer,
    len: *mut Integer,
) -> SqlReturn {
    on_env(h, |st| {
        let v: i32 = match attr {
            SQL_ATTR_ODBC_VERSION => st.odbc_version,
            SQL_ATTR_CONNECTION_POOLING | SQL_ATTR_CP_MATCH => 0,
            SQL_ATTR_OUTPUT_NTS => 1,
            _ => return err("HY092", format!("invalid environment attribute {}", attr)),
        };
        out(value.cast::<i32>(), v);
        out(len, 4);
        Ok(SqlReturn::SUCCESS)
    })
}

// ---- diagnostics ----

/// The diagnostics of any handle, copied out under its lock.
unsafe fn diags_of(kind: SmallInt, h: H) -> Option<Vec<handle::Diag>> {
    let k = match kind {
        SQL_HANDLE_ENV => Kind::Env,
        SQL_HANDLE_DBC => Kind::Dbc,
        SQL_HANDLE_STMT => Kind::Stmt,
        _ => return None,
    };
    match k {
        Kind::Env => env(h).map(|e| lock(&e.st).diags.0.clone()),
        Kind::Dbc => dbc(h).map(|d| lock(&d.st).diags.0.clone()),
        Kind::Stmt => stmt(h).map(|s| lock(&s.st).diags.0.clone()),
    }
}

unsafe fn diag_rec(
    kind: SmallInt,
    h: H,
    rec: SmallInt,
    state: *mut c_void,
    native: *mut Integer,
    msg: *mut c_void,
    cap: SmallInt,
    len: *mut SmallInt,
    wide: bool,
) -> SqlReturn {
    guard(|| {
        let Some(d) = diags_of(kind, h) else {
            return SqlReturn::INVALID_HANDLE;
        };
        if rec <= 0 || cap < 0 {
            return SqlReturn::ERROR;
        }
        let Some(r) = d.get(rec as usize - 1) else {
            return SqlReturn::NO_DATA;
        };
        if wide {
            strings::put_w(&r.sqlstate, state, 6);
        } else {
            strings::put(&r.sqlstate, state, 6);
        }
        out(native, r.native);
        let w = if wide {
            strings::put_w(&r.message, msg, cap as isize)
        } else {
            strings::put(&r.message, msg, cap as isize)
        };
        out(len, small(w.len));
        if w.truncated && !msg.is_null() {
            SqlReturn::SUCCESS_WITH_INFO
        } else {
            SqlReturn::SUCCESS
        }
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetDiagRec(
    kind: SmallInt,
    h: H,
    rec: SmallInt,
    state: *mut u8,
    native: *mut Integer,
    msg: *mut u8,
    cap: SmallInt,
    len: *mut SmallInt,
) -> SqlReturn {
    diag_rec(
        kind,
        h,
        rec,
        state.cast(),
        native,
        msg.cast(),
        cap,
        len,
        false,
    )
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetDiagRecW(
    kind: SmallInt,
    h: H,
    rec: SmallInt,
    state: *mut u16,
    native: *mut Integer,
    msg: *mut u16,
    cap: SmallInt,
    len: *mut SmallInt,
) -> SqlReturn {
    diag_rec(
        kind,
        h,
        rec,
        state.cast(),
        native,
        msg.cast(),
        cap,
        len,
        true,
    )
}

const SQL_DIAG_RETURNCODE: SmallInt = 1;
const SQL_DIAG_NUMBER: SmallInt = 2;
const SQL_DIAG_ROW_COUNT: SmallInt = 3;
const SQL_DIAG_SQLSTATE: SmallInt = 4;
const SQL_DIAG_NATIVE: SmallInt = 5;
const SQL_DIAG_MESSAGE_TEXT: SmallInt = 6;
const SQL_DIAG_CLASS_ORIGIN: SmallInt = 8;
const SQL_DIAG_SUBCLASS_ORIGIN: SmallInt = 9;
const SQL_DIAG_CONNECTION_NAME: SmallInt = 10;
const SQL_DIAG_SERVER_NAME: SmallInt = 11;

unsafe fn diag_field(
    kind: SmallInt,
    h: H,
    rec: SmallInt,
    id: SmallInt,
    value: *mut c_void,
    cap: SmallInt,
    len: *mut SmallInt,
    wide: bool,
) -> SqlReturn {
    guard(|| {
        let Some(d) = diags_of(kind, h) else {
            return SqlReturn::INVALID_HANDLE;
        };
        // Header fields (record 0).
        match id {
            SQL_DIAG_NUMBER => {
                out(value.cast::<Integer>(), int(d.len()));
                return SqlReturn::SUCCESS;
            }
            SQL_DIAG_RETURNCODE => {
                out(value.cast::<SmallInt>(), if d.is_empty() { 0 } else { -1 });
                return SqlReturn::SUCCESS;
            }
            SQL_DIAG_ROW_COUNT => {
                if kind != SQL_HANDLE_STMT {
                    return SqlReturn::ERROR;
                }
                let n = stmt(h)
                    .and_then(|s| lock(&s.st).current().map(|r| r.affected()))
                    .unwrap_or(0);
                out(value.cast::<Len>(), n as Len);
                return SqlReturn::SUCCESS;
            }
            _ => {}
        }
        if rec <= 0 {
            return SqlReturn::ERROR;
        }
        let Some(r) = d.get(rec as usize - 1) else {
            return SqlReturn::NO_DATA;
        };
        let text = match id {
            SQL_DIAG_NATIVE => {
                out(value.cast::<Integer>(), r.native);
                return SqlReturn::SUCCESS;
            }
            SQL_DIAG_SQLSTATE => r.sqlstate.clone(),
            SQL_DIAG_MESSAGE_TEXT => r.message.clone(),
            // Class 01/07/08/21-HY... from ODBC; everything from the server
            // is ISO 9075 by origin too, as psqlODBC also reports it.
            SQL_DIAG_CLASS_ORIGIN | SQL_DIAG_SUBCLASS_ORIGIN => {
                if r.sqlstate.starts_with("IM") || r.sqlstate.starts_with("HY") {
                    "ODBC 3.0".into()
                } else {
                    "ISO 9075".into()
                }
            }
            SQL_DIAG_CONNECTION_NAME | SQL_DIAG_SERVER_NAME => String::new(),
            _ => return SqlReturn::ERROR,
        };
        let mut scratch = Diags::default();
        let n = put_bytes(&mut scratch, &text, wide, value, cap as isize);
        out(len, small(n));
        if scratch.0.is_empty() {
            SqlReturn::SUCCESS
        } else {
            SqlReturn::SUCCESS_WITH_INFO
        }
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetDiagField(
    kind: SmallInt,
    h: H,
    rec: SmallInt,
    id: SmallInt,
    value: *mut c_void,
    cap: SmallInt,
    len: *mut SmallInt,
) -> SqlReturn {
    diag_field(kind, h, rec, id, value, cap, len, false)
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetDiagFieldW(
    kind: SmallInt,
    h: H,
    rec: SmallInt,
    id: SmallInt,
    value: *mut c_void,
    cap: SmallInt,
    len: *mut SmallInt,
) -> SqlReturn {
    diag_field(kind, h, rec, id, value, cap, len, true)
}

// ---- connecting ----

unsafe fn driver_connect(
    h: H,
    input: *const c_void,
    in_len: SmallInt,
    output: *mut c_void,
    out_cap: SmallInt,
    out_len: *mut SmallInt,
    wide: bool,
) -> SqlReturn {
    on_dbc(h, |_, st| {
        let Some(s) = text_arg(input, in_len as isize, wide)? else {
            return err("HY009", "the connection string is NULL");
        };
        if out_cap < 0 {
            return err("HY090", "negative output buffer length");
        }
        conn::connect(st, &s)?;
        let n = put_chars(&mut st.diags, &s, wide, output, out_cap as isize);
        out(out_len, small(n));
        Ok(SqlReturn::SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLDriverConnect(
    h: H,
    _hwnd: H,
    input: *const u8,
    in_len: SmallInt,
    output: *mut u8,
    out_cap: SmallInt,
    out_len: *mut SmallInt,
    _completion: USmallInt,
) -> SqlReturn {
    driver_connect(
        h,
        input.cast(),
        in_len,
        output.cast(),
        out_cap,
        out_len,
        false,
    )
}

#[no_mangle]
pub unsafe extern "system" fn SQLDriverConnectW(
    h: H,
    _hwnd: H,
    input: *const u16,
    in_len: SmallInt,
    output: *mut u16,
    out_cap: SmallInt,
    out_len: *mut SmallInt,
    _completion: USmallInt,
) -> SqlReturn {
    driver_connect(
        h,
        input.cast(),
        in_len,
        output.cast(),
        out_cap,
        out_len,
        true,
    )
}

unsafe fn connect_dsn(
    h: H,
    dsn: *const c_void,
    dsn_len: SmallInt,
    uid: *const c_void,
    uid_len: SmallInt,
    pwd: *const c_void,
    pwd_len: SmallInt,
    wide: bool,
) -> SqlReturn {
    on_dbc(h, |_, st| {
        let Some(dsn) = text_arg(dsn, dsn_len as isize, wide)? else {
            return err("HY009", "the data source name is NULL");
        };
        let mut pairs = crate::connstr::Pairs(vec![("DSN".into(), dsn)]);
        if let Some(u) = text_arg(uid, uid_len as isize, wide)?.filter(|u| !u.is_empty()) {
            pairs.0.push(("UID".into(), u));
        }
        if let Some(p) = text_arg(pwd, pwd_len as isize, wide)?.filter(|p| !p.is_empty()) {
            pairs.0.push(("PWD".into(), p));
        }
        conn::connect_pairs(st, pairs)?;
        Ok(SqlReturn::SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLConnect(
    h: H,
    dsn: *const u8,
    dsn_len: SmallInt,
    uid: *const u8,
    uid_len: SmallInt,
    pwd: *const u8,
    pwd_len: SmallInt,
) -> SqlReturn {
    connect_dsn(
        h,
        dsn.cast(),
        dsn_len,
        uid.cast(),
        uid_len,
        pwd.cast(),
        pwd_len,
        false,
    )
}

#[no_mangle]
pub unsafe extern "system" fn SQLConnectW(
    h: H,
    dsn: *const u16,
    dsn_len: SmallInt,
    uid: *const u16,
    uid_len: SmallInt,
    pwd: *const u16,
    pwd_len: SmallInt,
) -> SqlReturn {
    connect_dsn(
        h,
        dsn.cast(),
        dsn_len,
        uid.cast(),
        uid_len,
        pwd.cast(),
        pwd_len,
        true,
    )
}

#[no_mangle]
pub unsafe extern "system" fn SQLDisconnect(h: H) -> SqlReturn {
    on_dbc(h, |_, st| {
        if st.session.is_none() {
            return err("08003", "connection not open");
        }
        for p in std::mem::take(&mut st.stmts) {
            handle::unregister::<Stmt>(p, Kind::Stmt);
        }
        st.session = None;
        st.dbms_ver = None;
        Ok(SqlReturn::SUCCESS)
    })
}

unsafe fn set_connect_attr(
    h: H,
    attr: Integer,
    value: *mut c_void,
    len: Integer,
    wide: bool,
) -> SqlReturn {
    on_dbc(h, |_, st| conn::set_attr(st, attr, value, len, wide))
}

unsafe fn get_connect_attr(
    h: H,
    attr: Integer,
    value: *mut c_void,
    cap: Integer,
    len: *mut Integer,
    wide: bool,
) -> SqlReturn {
    on_dbc(h, |_, st| {
        match conn::get_attr(st, attr)? {
            conn::AttrValue::Int(v) => {
                out(value.cast::<u32>(), v);
                out(len, 4);
            }
            conn::AttrValue::Text(s) => {
                let n = put_bytes(&mut st.diags, &s, wide, value, cap as isize);
                out(len, int(n));
            }
        }
        Ok(SqlReturn::SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLSetConnectAttr(
    h: H,
    attr: Integer,
    value: *mut c_void,
    len: Integer,
) -> SqlReturn {
    set_connect_attr(h, attr, value, len, false)
}

#[no_mangle]
pub unsafe extern "system" fn SQLSetConnectAttrW(
    h: H,
    attr: Integer,
    value: *mut c_void,
    len: Integer,
) -> SqlReturn {
    set_connect_attr(h, attr, value, len, true)
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetConnectAttr(
    h: H,
    attr: Integer,
    value: *mut c_void,
    cap: Integer,
    len: *mut Integer,
) -> SqlReturn {
    get_connect_attr(h, attr, value, cap, len, false)
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetConnectAttrW(
    h: H,
    attr: Integer,
    value: *mut c_void,
    cap: Integer,
    len: *mut Integer,
) -> SqlReturn {
    get_connect_attr(h, attr, value, cap, len, true)
}

const SQL_COMMIT: SmallInt = 0;
const SQL_ROLLBACK: SmallInt = 1;

#[no_mangle]
pub unsafe extern "system" fn SQLEndTran(kind: SmallInt, h: H, completion: SmallInt) -> SqlReturn {
    let end = |st: &mut DbcState| -> R {
        let sql = match completion {
            SQL_COMMIT => "COMMIT",
            SQL_ROLLBACK => "ROLLBACK",
            _ => {
                return err(
                    "HY012",
                    format!("invalid transaction operation {}", completion),
                )
            }
        };
        let Some(s) = st.session.clone() else {
            return err("08003", "connection not open");
        };
        let mut s = lock(&s);
        if s.in_transaction() {
            s.exec(sql, None).map_err(E::Pg)?;
        }
        Ok(SqlReturn::SUCCESS)
    };
    match kind {
        SQL_HANDLE_DBC => on_dbc(h, |_, st| end(st)),
        SQL_HANDLE_ENV => {
            if env(h).is_none() {
                return SqlReturn::INVALID_HANDLE;
            }
            let mut worst = SqlReturn::SUCCESS;
            for d in handle::all(Kind::Dbc) {
                let Some(dd) = dbc(d as H) else { continue };
                if dd.env != h as usize || lock(&dd.st).session.is_none() {
                    continue;
                }
                let r = on_dbc(d as H, |_, st| end(st));
                if r == SqlReturn::ERROR {
                    worst = r;
                }
            }
            worst
        }
        _ => SqlReturn::INVALID_HANDLE,
    }
}

// ---- statements ----

unsafe fn exec_direct(h: H, text: *const c_void, len: Integer, wide: bool) -> SqlReturn {
    on_stmt(h, |s, st| {
        let Some(sql) = text_arg(text, len as isize, wide)? else {
            return err("HY009", "the statement text is NULL");
        };
        // Only an open cursor (rows, fetched or not, until SQLCloseCursor)
        // stands in the way; a result without rows does not.
        let cursor = st.current().is_some_and(|r| r.cols() > 0);
        if cursor {
            return err("24000", "invalid cursor state: close the open cursor first");
        }
        let session = session_of(s)?;
        let r = lock(&session).exec(&sql, None);
        st.close();
        let rs = r.map_err(E::Pg)?;
        // ODBC 3: a searched UPDATE or DELETE that touched no row says
        // SQL_NO_DATA.
        let none = rs.next().is_none()
            && rs.cols() == 0
            && rs.affected() == 0
            && (rs.tag().starts_with("UPDATE") || rs.tag().starts_with("DELETE"));
        st.result = Some(rs);
        st.open = true;
        Ok(if none {
            SqlReturn::NO_DATA
        } else {
            SqlReturn::SUCCESS
        })
    })
}

unsafe fn session_of(s: &Stmt) -> Result<handle::Shared, E> {
    dbc(s.dbc as H)
        .and_then(|d| lock(&d.st).session.clone())
        .ok_or_else(|| E::Odbc("08003", "connection not open".into()))
}

#[no_mangle]
pub unsafe extern "system" fn SQLExecDirect(h: H, text: *const u8, len: Integer) -> SqlReturn {
    exec_direct(h, text.cast(), len, false)
}

#[no_mangle]
pub unsafe extern "system" fn SQLExecDirectW(h: H, text: *const u16, len: Integer) -> SqlReturn {
    exec_direct(h, text.cast(), len, true)
}

fn executed(st: &StmtState) -> Result<&pgtc::ResultSet, E> {
    st.current().ok_or_else(|| {
        E::Odbc(
            "HY010",
            "function sequence error: no statement has been executed".into(),
        )
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLNumResultCols(h: H, n: *mut SmallInt) -> SqlReturn {
    on_stmt(h, |_, st| {
        let c = executed(st)?.cols();
        out(n, small(c));
        Ok(SqlReturn::SUCCESS)
    })
}

fn column(rs: &pgtc::ResultSet, col: USmallInt) -> Result<(String, types::SqlType), E> {
    if col == 0 || col as usize > rs.cols() {
        return err(
            "07009",
            format!(
                "invalid column number {} (the result has {})",
                col,
                rs.cols()
            ),
        );
    }
    let i = col as usize - 1;
    let c = rs.column(i).expect("column in range");
    let name = rs.column_name(i).unwrap_or("").to_string();
    Ok((name, types::describe(c.type_oid, c.typmod)))
}

const SQL_NULLABLE_UNKNOWN: SmallInt = 2;

unsafe fn describe_col(
    h: H,
    col: USmallInt,
    name: *mut c_void,
    cap: SmallInt,
    name_len: *mut SmallInt,
    data_type: *mut SmallInt,
    size: *mut ULen,
    decimals: *mut SmallInt,
    nullable: *mut SmallInt,
    wide: bool,
) -> SqlReturn {
    on_stmt(h, |_, st| {
        if cap < 0 {
            return err("HY090", "negative buffer length");
        }
        let (n, t) = column(executed(st)?, col)?;
        let len = put_chars(&mut st.diags, &n, wide, name, cap as isize);
        out(name_len, small(len));
        out(data_type, t.sql_type);
        out(size, t.size);
        out(decimals, t.decimals);
        out(nullable, SQL_NULLABLE_UNKNOWN);
        Ok(SqlReturn::SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLDescribeCol(
    h: H,
    col: USmallInt,
    name: *mut u8,
    cap: SmallInt,
    name_len: *mut SmallInt,
    data_type: *mut SmallInt,
    size: *mut ULen,
    decimals: *mut SmallInt,
    nullable: *mut SmallInt,
) -> SqlReturn {
    describe_col(
        h,
        col,
        name.cast(),
        cap,
        name_len,
        data_type,
        size,
        decimals,
        nullable,
        false,
    )
}

#[no_mangle]
pub unsafe extern "system" fn SQLDescribeColW(
    h: H,
    col: USmallInt,
    name: *mut u16,
    cap: SmallInt,
    name_len: *mut SmallInt,
    data_type: *mut SmallInt,
    size: *mut ULen,
    decimals: *mut SmallInt,
    nullable: *mut SmallInt,
) -> SqlReturn {
    describe_col(
        h,
        col,
        name.cast(),
        cap,
        name_len,
        data_type,
        size,
        decimals,
        nullable,
        true,
    )
}

unsafe fn col_attribute(
    h: H,
    col: USmallInt,
    field: USmallInt,
    text: *mut c_void,
    cap: SmallInt,
    text_len: *mut SmallInt,
    num: *mut Len,
    wide: bool,
) -> SqlReturn {
    on_stmt(h, |_, st| {
        let rs = executed(st)?;
        if field == info::SQL_DESC_COUNT {
            out(num, rs.cols() as Len);
            return Ok(SqlReturn::SUCCESS);
        }
        let (name, t) = column(rs, col)?;
        match info::col_attribute(field, &name, &t)? {
            info::Attr::Num(v) => out(num, v),
            info::Attr::Text(s) => {
                let n = put_bytes(&mut st.diags, &s, wide, text, cap as isize);
                out(text_len, small(n));
            }
        }
        Ok(SqlReturn::SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLColAttribute(
    h: H,
    col: USmallInt,
    field: USmallInt,
    text: *mut c_void,
    cap: SmallInt,
    text_len: *mut SmallInt,
    num: *mut Len,
) -> SqlReturn {
    col_attribute(h, col, field, text, cap, text_len, num, false)
}

#[no_mangle]
pub unsafe extern "system" fn SQLColAttributeW(
    h: H,
    col: USmallInt,
    field: USmallInt,
    text: *mut c_void,
    cap: SmallInt,
    text_len: *mut SmallInt,
    num: *mut Len,
) -> SqlReturn {
    col_attribute(h, col, field, text, cap, text_len, num, true)
}

#[no_mangle]
pub unsafe extern "system" fn SQLFetch(h: H) -> SqlReturn {
    on_stmt(h, |_, st| {
        let rs = executed(st)?;
        if rs.cols() == 0 {
            return err(
                "24000",
                "invalid cursor state: the statement returned no rows",
            );
        }
        let rows = rs.rows();
        let next = st.row.map_or(0, |r| (r + 1).min(rows));
        st.row = Some(next);
        st.getdata = None;
        Ok(if next < rows {
            SqlReturn::SUCCESS
        } else {
            SqlReturn::NO_DATA
        })
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetData(
    h: H,
    col: USmallInt,
    c_type: SmallInt,
    target: *mut c_void,
    cap: Len,
    ind: *mut Len,
) -> SqlReturn {
    on_stmt(h, |_, st| {
        let rs = executed(st)?;
        let row = match st.row {
            Some(r) if r < rs.rows() => r,
            _ => return err("24000", "invalid cursor state: no current row"),
        };
        let (_, t) = column(rs, col)?;
        let i = col as usize - 1;
        if cap < 0 {
            return err("HY090", format!("invalid buffer length {}", cap));
        }
        let c_type = if c_type == getdata::SQL_C_DEFAULT {
            getdata::default_c_type(t.sql_type)
        } else {
            c_type
        };
        let same = st.getdata.as_ref().is_some_and(|g| g.col == i);
        if same {
            let g = st.getdata.as_ref().expect("checked");
            if getdata::exhausted(&g.value, g.offset) && g.calls > 0 {
                return Ok(SqlReturn::NO_DATA);
            }
        } else {
            if rs.is_null(row, i) {
                if ind.is_null() {
                    return err("22002", "indicator variable required but not supplied");
                }
                *ind = SQL_NULL_DATA;
                st.getdata = Some(GetData {
                    col: i,
                    offset: 1,
                    value: Converted::Fixed(Vec::new(), false),
                    calls: 1,
                });
                return Ok(SqlReturn::SUCCESS);
            }
            let oid = rs.column_type(i).unwrap_or(0);
            let text = String::from_utf8_lossy(rs.value_c(row, i).unwrap_or(b""));
            let text = text.strip_suffix('\0').unwrap_or(&text).to_string();
            let value = getdata::convert(oid, &text, c_type)?;
            st.getdata = Some(GetData {
                col: i,
                offset: 0,
                value,
                calls: 0,
            });
        }
        if target.is_null() {
            return err("HY009", "the target buffer is NULL");
        }
        let g = st.getdata.as_mut().expect("set above");
        let p = getdata::piece(&g.value, g.offset, cap as usize);
        std::ptr::copy_nonoverlapping(p.bytes.as_ptr(), target.cast::<u8>(), p.bytes.len());
        out(ind, p.remaining as Len);
        g.offset += p.advance;
        g.calls += 1;
        let cut = matches!(g.value, Converted::Fixed(_, true));
        if p.truncated {
            st.diags.push("01004", "string data, right truncated");
        }
        if cut {
            st.diags.push("01S07", "fractional truncation");
        }
        Ok(SqlReturn::SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLRowCount(h: H, n: *mut Len) -> SqlReturn {
    on_stmt(h, |_, st| {
        let rs = executed(st)?;
        let v = if rs.cols() > 0 && rs.affected() == 0 {
            rs.rows() as Len
        } else {
            rs.affected() as Len
        };
        out(n, v);
        Ok(SqlReturn::SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLMoreResults(h: H) -> SqlReturn {
    on_stmt(h, |_, st| {
        if !st.open {
            return Ok(SqlReturn::NO_DATA);
        }
        let more = st.current().is_some_and(|r| r.next().is_some());
        if more {
            st.index += 1;
            st.row = None;
            st.getdata = None;
            Ok(SqlReturn::SUCCESS)
        } else {
            st.close();
            Ok(SqlReturn::NO_DATA)
        }
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLCloseCursor(h: H) -> SqlReturn {
    on_stmt(h, |_, st| {
        let cursor = st.current().is_some_and(|r| r.cols() > 0);
        if !cursor {
            return err("24000", "invalid cursor state: no cursor is open");
        }
        st.close();
        Ok(SqlReturn::SUCCESS)
    })
}

// ---- information ----

#[no_mangle]
pub unsafe extern "system" fn SQLGetFunctions(
    h: H,
    id: USmallInt,
    supported: *mut USmallInt,
) -> SqlReturn {
    on_dbc(h, |_, _| {
        if supported.is_null() {
            return err("HY009", "the output pointer is NULL");
        }
        match id {
            info::SQL_API_ODBC3_ALL_FUNCTIONS => {
                let map = info::functions_bitmap();
                std::ptr::copy_nonoverlapping(map.as_ptr(), supported, map.len());
            }
            info::SQL_API_ALL_FUNCTIONS => {
                let list = info::functions_list();
                std::ptr::copy_nonoverlapping(list.as_ptr(), supported, list.len());
            }
            _ => *supported = info::supports(id) as USmallInt,
        }
        Ok(SqlReturn::SUCCESS)
    })
}

unsafe fn get_info(
    h: H,
    kind: USmallInt,
    value: *mut c_void,
    cap: SmallInt,
    len: *mut SmallInt,
    wide: bool,
) -> SqlReturn {
    on_dbc(h, |_, st| {
        match info::get_info(st, kind)? {
            info::Info::Text(s) => {
                let n = put_bytes(&mut st.diags, &s, wide, value, cap as isize);
                out(len, small(n));
            }
            info::Info::U16(v) => {
                out(value.cast::<u16>(), v);
                out(len, 2);
            }
            info::Info::U32(v) => {
                out(value.cast::<u32>(), v);
                out(len, 4);
            }
        }
        Ok(SqlReturn::SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetInfo(
    h: H,
    kind: USmallInt,
    value: *mut c_void,
    cap: SmallInt,
    len: *mut SmallInt,
) -> SqlReturn {
    get_info(h, kind, value, cap, len, false)
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetInfoW(
    h: H,
    kind: USmallInt,
    value: *mut c_void,
    cap: SmallInt,
    len: *mut SmallInt,
) -> SqlReturn {
    get_info(h, kind, value, cap, len, true)
}
