//! Executing statements and reading their results.

#![allow(non_snake_case, clippy::missing_safety_doc, clippy::too_many_arguments)]

use super::*;
use crate::run;

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
        // Escapes, and bound parameters (which run it there).
        let sql = match super::params::exec_direct(s, st, &sql)? {
            super::params::Direct::Text(t) => t,
            super::params::Direct::Done(r) => return Ok(r),
        };
        let session = session_of(s)?;
        let fetch = dbc(s.dbc as H).map_or(0, |d| lock(&d.st).fetch);
        let timeout = st.attrs.query_timeout;
        let r = cancel::guarded(s, timeout, &session, |sess| {
            run::run(sess, run::What::Text(&sql), None, fetch).map_err(E::Pg)
        });
        st.close();
        st.fx.last_server = r.as_ref().ok().and_then(|o| o.result.server);
        let out = r?;
        st.stream = out.stream;
        let rs = out.result;
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

fn column(
    rs: &pgtc::ResultSet,
    col: USmallInt,
    o: &types::Options,
) -> Result<(String, types::SqlType), E> {
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
    Ok((name, types::describe_with(c.type_oid, c.typmod, o)))
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
        let (n, t) = column(executed(st)?, col, &st.type_options)?;
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
        let (name, t) = column(rs, col, &st.type_options)?;
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
pub unsafe extern "system" fn SQLRowCount(h: H, n: *mut Len) -> SqlReturn {
    on_stmt(h, |_, st| {
        let rs = executed(st)?;
        // A parameter array: the rows of all its sets.
        if let Some(total) = st.rows_total {
            out(n, total as Len);
            return Ok(SqlReturn::SUCCESS);
        }
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
    on_stmt(h, |s, st| {
        if !st.open {
            return Ok(SqlReturn::NO_DATA);
        }
        if st.stream.is_some() {
            if let Ok(session) = session_of(s) {
                // A streamed result is the only one: closed on the server now.
                let _ = st.close_stream(&mut lock(&session));
            }
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
    on_stmt(h, |s, st| {
        let cursor = st.current().is_some_and(|r| r.cols() > 0);
        if !cursor {
            return err("24000", "invalid cursor state: no cursor is open");
        }
        if st.stream.is_some() {
            if let Ok(session) = session_of(s) {
                // Closed on the server now; only a broken connection fails.
                let _ = st.close_stream(&mut lock(&session));
            }
        }
        st.close();
        Ok(SqlReturn::SUCCESS)
    })
}
