//! SQLGetDiagRec and SQLGetDiagField.

#![allow(non_snake_case, clippy::missing_safety_doc, clippy::too_many_arguments)]

use super::*;

/// The diagnostics of any handle, copied out under its lock.
unsafe fn diags_of(kind: SmallInt, h: H) -> Option<Vec<handle::Diag>> {
    let k = match kind {
        SQL_HANDLE_ENV => Kind::Env,
        SQL_HANDLE_DBC => Kind::Dbc,
        SQL_HANDLE_STMT => Kind::Stmt,
        SQL_HANDLE_DESC => return desc::diags_of(h),
        _ => return None,
    };
    match k {
        Kind::Env => env(h).map(|e| lock(&e.st).diags.0.clone()),
        Kind::Dbc => dbc(h).map(|d| lock(&d.st).diags.0.clone()),
        Kind::Stmt => stmt(h).map(|s| lock(&s.st).diags.0.clone()),
        Kind::Desc => None,
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
