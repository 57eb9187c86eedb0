//! Connecting, disconnecting, connection attributes and SQLEndTran.

#![allow(non_snake_case, clippy::missing_safety_doc, clippy::too_many_arguments)]

use super::*;

unsafe fn driver_connect(
    h: H,
    input: *const c_void,
    in_len: SmallInt,
    output: *mut c_void,
    out_cap: SmallInt,
    out_len: *mut SmallInt,
    wide: bool,
) -> SqlReturn {
    on_dbc(h, |d, st| {
        let Some(s) = text_arg(input, in_len as isize, wide)? else {
            return err("HY009", "the connection string is NULL");
        };
        if out_cap < 0 {
            return err("HY090", "negative output buffer length");
        }
        conn::connect(st, &d.shared, &s)?;
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
    on_dbc(h, |d, st| {
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
        conn::connect_pairs(st, &d.shared, pairs)?;
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
    on_dbc(h, |d, st| {
        if st.session.is_none() {
            return err("08003", "connection not open");
        }
        handle::lock(&d.shared.notices).clear();
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
    on_dbc(h, |d, st| {
        match conn::get_attr(st, &d.shared, attr)? {
            conn::AttrValue::Int(v) => {
                out(value.cast::<u32>(), v);
                out(len, 4);
            }
            conn::AttrValue::Ptr(v) => {
                out(value.cast::<usize>(), v);
                out(len, std::mem::size_of::<usize>() as Integer);
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
