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
        let session = session_of(s)?;
        let fetch = dbc(s.dbc as H).map_or(0, |d| lock(&d.st).fetch);
        let r = run::run(&mut lock(&session), run::What::Text(&sql), None, fetch);
        st.close();
        let out = r.map_err(E::Pg)?;
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
    on_stmt(h, |s, st| {
        let rs = executed(st)?;
        if rs.cols() == 0 {
            return err(
                "24000",
                "invalid cursor state: the statement returned no rows",
            );
        }
        let mut rows = rs.rows();
        let mut next = st.row.map_or(0, |r| (r + 1).min(rows));
        if next >= rows && st.stream.is_some() {
            let session = session_of(s)?;
            if st.next_batch(&mut lock(&session))? {
                next = 0;
                rows = executed(st)?.rows();
            }
        }
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
