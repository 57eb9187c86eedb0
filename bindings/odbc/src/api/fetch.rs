//! Reading rows: SQLBindCol, SQLFetch / SQLFetchScroll / SQLExtendedFetch
//! (forward only, with row arrays bound column-wise or row-wise) and
//! SQLGetData. Rows come from the current result and, when it streams,
//! from its next batches; a rowset may span two batches.

#![allow(non_snake_case, clippy::missing_safety_doc, clippy::too_many_arguments)]

use super::*;
use crate::handle::ColBind;

/// What the fetch functions keep on a statement besides the shared
/// records (`StmtState::fx`).
#[derive(Default)]
pub struct FetchState {
    /// Rows fetched from the current result so far (SQL_ATTR_MAX_ROWS,
    /// SQL_ATTR_ROW_NUMBER).
    pub fetched: usize,
    /// ODBC 2's SQL_ROWSET_SIZE (SQLExtendedFetch); 0 stands for 1.
    pub rowset_size: usize,
    /// An error met while a rowset was being filled, returned by the
    /// next fetch (the rows before it were delivered first).
    pub pending: Option<E>,
    /// The ARD's SQL_DESC_PRECISION / SQL_DESC_SCALE for SQL_C_NUMERIC
    /// columns, by column index, when the application set them.
    pub numeric: Vec<Option<(u8, i8)>>,
    /// SQLSetCursorName's name.
    pub cursor_name: Option<String>,
    /// Where the last execution ran (SQL_ATTR_PGTC_LAST_SERVER).
    pub last_server: Option<pgtc::Server>,
    /// SQL_ATTR_CURSOR_SENSITIVITY as set (SQL_UNSPECIFIED or
    /// SQL_INSENSITIVE).
    pub sensitivity: usize,
    pub fetch_bookmark_ptr: usize,
    /// The statement's implicit descriptors (ARD, APD, IRD, IPD) once
    /// asked for; 0 until then.
    pub descs: [usize; 4],
    /// Explicitly allocated descriptors used as its ARD and APD (0: the
    /// implicit ones).
    pub explicit: [usize; 2],
}

const SQL_ROW_SUCCESS: u16 = 0;
const SQL_ROW_NOROW: u16 = 3;
const SQL_ROW_ERROR: u16 = 5;
const SQL_ROW_SUCCESS_WITH_INFO: u16 = 6;

unsafe fn session_of(s: &Stmt) -> Result<handle::Shared, E> {
    dbc(s.dbc as H)
        .and_then(|d| lock(&d.st).session.clone())
        .ok_or_else(|| E::Odbc("08003", "connection not open".into()))
}

fn no_result() -> E {
    E::Odbc(
        "HY010",
        "function sequence error: no statement has been executed".into(),
    )
}

fn current(result: &Option<pgtc::ResultSet>, index: usize, open: bool) -> Option<&pgtc::ResultSet> {
    if open {
        result.as_ref()?.iter().nth(index)
    } else {
        None
    }
}

unsafe fn bind_col(
    st: &mut StmtState,
    col: USmallInt,
    c_type: SmallInt,
    ptr: *mut c_void,
    cap: Len,
    ind: *mut Len,
) -> R {
    if col == 0 {
        return err("07009", "bookmark columns are not supported");
    }
    if cap < 0 {
        return err("HY090", format!("invalid buffer length {}", cap));
    }
    if c_type != getdata::SQL_C_DEFAULT && !getdata::known(c_type) {
        return err(
            "HY003",
            format!("C type {} is not supported by this driver", c_type),
        );
    }
    let i = col as usize - 1;
    if ptr.is_null() && ind.is_null() {
        // Unbinds the column. (A NULL buffer with an indicator keeps the
        // indicator bound: fetches then report lengths and NULLs only.)
        if let Some(c) = st.cols.get_mut(i) {
            *c = None;
        }
        while st.cols.last().is_some_and(Option::is_none) {
            st.cols.pop();
        }
        return Ok(SqlReturn::SUCCESS);
    }
    if st.cols.len() <= i {
        st.cols.resize(i + 1, None);
    }
    st.cols[i] = Some(ColBind {
        c_type,
        ptr: ptr as usize,
        buffer_len: cap,
        ind_ptr: ind as usize,
    });
    if let Some(n) = st.fx.numeric.get_mut(i) {
        *n = None;
    }
    Ok(SqlReturn::SUCCESS)
}

#[no_mangle]
pub unsafe extern "system" fn SQLBindCol(
    h: H,
    col: USmallInt,
    c_type: SmallInt,
    ptr: *mut c_void,
    cap: Len,
    ind: *mut Len,
) -> SqlReturn {
    on_stmt(h, |_, st| bind_col(st, col, c_type, ptr, cap, ind))
}

/// How column `i` of `rs` is described (the one place fetching and the
/// IRD map a column's type).
pub(crate) fn sql_type(rs: &pgtc::ResultSet, i: usize, o: &types::Options) -> types::SqlType {
    let col = rs.column(i).expect("column in range");
    types::describe_with(col.type_oid, col.typmod, o)
}

/// The C type a column is read as (SQL_C_DEFAULT resolved).
fn c_type_of(rs: &pgtc::ResultSet, i: usize, c: i16, o: &types::Options) -> i16 {
    if c == getdata::SQL_C_DEFAULT {
        getdata::default_c_type(sql_type(rs, i, o).sql_type)
    } else {
        c
    }
}

/// The value's text without its NUL; None for SQL NULL.
fn cell(rs: &pgtc::ResultSet, row: usize, i: usize) -> Option<&[u8]> {
    rs.value_c(row, i).map(|v| &v[..v.len() - 1])
}

/// Writes row `row` of `rs` into element `n` of the bound buffers;
/// returns the row's status.
unsafe fn bind_row(
    rs: &pgtc::ResultSet,
    row: usize,
    n: usize,
    cols: &[Option<ColBind>],
    attrs: &handle::StmtAttrs,
    numeric: &[Option<(u8, i8)>],
    opts: &types::Options,
    diags: &mut Diags,
) -> u16 {
    let offset = if attrs.row_bind_offset_ptr != 0 {
        (attrs.row_bind_offset_ptr as *const Len).read_unaligned()
    } else {
        0
    };
    let mut status = SQL_ROW_SUCCESS;
    for (i, b) in cols.iter().enumerate() {
        let Some(b) = b else { continue };
        let rownum = n + 1;
        if i >= rs.cols() {
            diags.push(
                "07009",
                format!(
                    "row {}: column {} is bound but the result has {}",
                    rownum,
                    i + 1,
                    rs.cols()
                ),
            );
            status = SQL_ROW_ERROR;
            continue;
        }
        let c = c_type_of(rs, i, b.c_type, opts);
        let (data_stride, ind_stride) = if attrs.row_bind_type == 0 {
            (
                getdata::fixed_size(c).unwrap_or(b.buffer_len as usize),
                std::mem::size_of::<Len>(),
            )
        } else {
            (attrs.row_bind_type, attrs.row_bind_type)
        };
        let at = |base: usize, stride: usize| -> *mut u8 {
            if base == 0 {
                std::ptr::null_mut()
            } else {
                (base as isize + offset + (n * stride) as isize) as *mut u8
            }
        };
        let data = at(b.ptr, data_stride);
        let ind = at(b.ind_ptr, ind_stride).cast::<Len>();
        let Some(text) = cell(rs, row, i) else {
            if ind.is_null() {
                diags.push(
                    "22002",
                    format!(
                        "row {}, column {}: NULL value but no indicator variable is bound",
                        rownum,
                        i + 1
                    ),
                );
                status = SQL_ROW_ERROR;
            } else {
                ind.write_unaligned(SQL_NULL_DATA);
            }
            continue;
        };
        let oid = rs.column_type(i).unwrap_or(0);
        let ps = numeric.get(i).copied().flatten();
        match getdata::convert(oid, text, c, ps) {
            Ok(v) => {
                let mut p =
                    getdata::put(&v, text, 0, b.buffer_len as usize, attrs.max_length, data);
                // Without a buffer only the length is asked for.
                p.truncated &= !data.is_null();
                if !ind.is_null() {
                    ind.write_unaligned(p.remaining as Len);
                }
                let cut = !data.is_null() && matches!(v, Converted::Fixed(f) if f.cut);
                if p.truncated || cut {
                    if p.truncated {
                        diags.push(
                            "01004",
                            format!(
                                "row {}, column {}: string data, right truncated",
                                rownum,
                                i + 1
                            ),
                        );
                    }
                    if cut {
                        diags.push(
                            "01S07",
                            format!("row {}, column {}: fractional truncation", rownum, i + 1),
                        );
                    }
                    if status == SQL_ROW_SUCCESS {
                        status = SQL_ROW_SUCCESS_WITH_INFO;
                    }
                }
            }
            Err((s, m)) => {
                diags.push(s, format!("row {}, column {}: {}", rownum, i + 1, m));
                status = SQL_ROW_ERROR;
            }
        }
    }
    status
}

/// Fetches the next rowset of `size` rows into the bound columns,
/// reporting each row's status in `status` (an SQLUSMALLINT array; 0:
/// none) and the count in `fetched` (an SQLULEN; 0: none).
unsafe fn fetch_rows(
    s: &Stmt,
    st: &mut StmtState,
    size: usize,
    status: usize,
    fetched: usize,
) -> R {
    if let Some(e) = st.fx.pending.take() {
        return Err(e);
    }
    let rs = current(&st.result, st.index, st.open).ok_or_else(no_result)?;
    if rs.cols() == 0 {
        return err(
            "24000",
            "invalid cursor state: the statement returned no rows",
        );
    }
    if st.row.is_none() {
        st.fx.fetched = 0;
    }
    st.getdata = None;
    let size = size.max(1);
    let mut n = 0;
    let mut errors = 0;
    while n < size {
        if st.attrs.max_rows > 0 && st.fx.fetched >= st.attrs.max_rows {
            break;
        }
        let rows = current(&st.result, st.index, st.open).map_or(0, |r| r.rows());
        let mut next = st.row.map_or(0, |r| (r + 1).min(rows));
        if next >= rows {
            st.row = Some(rows);
            if st.stream.is_none() {
                break;
            }
            let session = session_of(s)?;
            let timeout = st.attrs.query_timeout;
            match cancel::guarded(s, timeout, &session, |sess| st.next_batch(sess)) {
                Ok(true) => next = 0,
                Ok(false) => break,
                Err(e) if n == 0 => return Err(e),
                Err(e) => {
                    st.fx.pending = Some(e);
                    break;
                }
            }
            if current(&st.result, st.index, st.open).map_or(0, |r| r.rows()) == 0 {
                st.row = None;
                continue;
            }
        }
        st.row = Some(next);
        st.fx.fetched += 1;
        let row_status = if st.attrs.retrieve_data && !st.cols.is_empty() {
            let StmtState {
                result,
                index,
                open,
                cols,
                attrs,
                fx,
                diags,
                type_options,
                ..
            } = &mut *st;
            let rs = current(result, *index, *open).expect("a current result");
            bind_row(rs, next, n, cols, attrs, &fx.numeric, type_options, diags)
        } else {
            SQL_ROW_SUCCESS
        };
        if row_status == SQL_ROW_ERROR {
            errors += 1;
        }
        if status != 0 {
            (status as *mut u16).add(n).write_unaligned(row_status);
        }
        n += 1;
    }
    if status != 0 {
        for i in n..size {
            (status as *mut u16).add(i).write_unaligned(SQL_ROW_NOROW);
        }
    }
    out(fetched as *mut ULen, n as ULen);
    if n == 0 {
        return Ok(SqlReturn::NO_DATA);
    }
    if errors == n && size == 1 {
        // The one row failed: the records say why.
        return Ok(SqlReturn::ERROR);
    }
    Ok(SqlReturn::SUCCESS)
}

#[no_mangle]
pub unsafe extern "system" fn SQLFetch(h: H) -> SqlReturn {
    on_stmt(h, |s, st| {
        let a = &st.attrs;
        let (size, status, fetched) = (a.row_array_size, a.row_status_ptr, a.rows_fetched_ptr);
        fetch_rows(s, st, size, status, fetched)
    })
}

pub const SQL_FETCH_NEXT: SmallInt = 1;

fn orientation(o: SmallInt) -> Result<(), E> {
    match o {
        SQL_FETCH_NEXT => Ok(()),
        2..=6 | 8 => err(
            "HY106",
            format!(
                "fetch type {} is not supported: the cursor is forward-only (only SQL_FETCH_NEXT)",
                o
            ),
        ),
        _ => err("HY106", format!("invalid fetch type {}", o)),
    }
}

#[no_mangle]
pub unsafe extern "system" fn SQLFetchScroll(h: H, o: SmallInt, offset: Len) -> SqlReturn {
    let _ = offset;
    on_stmt(h, |s, st| {
        orientation(o)?;
        let a = &st.attrs;
        let (size, status, fetched) = (a.row_array_size, a.row_status_ptr, a.rows_fetched_ptr);
        fetch_rows(s, st, size, status, fetched)
    })
}

/// ODBC 2's fetch: the rowset size is SQL_ROWSET_SIZE, and the count and
/// row statuses go to its own arguments.
#[no_mangle]
pub unsafe extern "system" fn SQLExtendedFetch(
    h: H,
    o: USmallInt,
    offset: Len,
    count: *mut ULen,
    status: *mut USmallInt,
) -> SqlReturn {
    let _ = offset;
    on_stmt(h, |s, st| {
        orientation(o as SmallInt)?;
        let size = st.fx.rowset_size.max(1);
        fetch_rows(s, st, size, status as usize, count as usize)
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
        let StmtState {
            result,
            index,
            open,
            row,
            getdata,
            attrs,
            fx,
            diags,
            type_options,
            ..
        } = &mut *st;
        let rs = current(result, *index, *open).ok_or_else(no_result)?;
        let row = match *row {
            Some(r) if r < rs.rows() => r,
            _ => return err("24000", "invalid cursor state: no current row"),
        };
        if attrs.row_array_size > 1 {
            return err(
                "HYC00",
                "SQLGetData with a row array size above 1 is not supported",
            );
        }
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
        if cap < 0 {
            return err("HY090", format!("invalid buffer length {}", cap));
        }
        let c_type = c_type_of(rs, i, c_type, type_options);
        if !getdata::known(c_type) {
            return err(
                "HY003",
                format!("C type {} is not supported by this driver", c_type),
            );
        }
        let text = cell(rs, row, i);
        let max = attrs.max_length;
        match getdata.as_ref() {
            Some(g) if g.col == i => {
                if getdata::exhausted(&g.value, text.unwrap_or(b""), g.offset, max) && g.calls > 0 {
                    return Ok(SqlReturn::NO_DATA);
                }
            }
            _ => {
                let Some(t) = text else {
                    if ind.is_null() {
                        return err("22002", "indicator variable required but not supplied");
                    }
                    ind.write_unaligned(SQL_NULL_DATA);
                    *getdata = Some(GetData {
                        col: i,
                        offset: 1,
                        value: Converted::Null,
                        calls: 1,
                    });
                    return Ok(SqlReturn::SUCCESS);
                };
                let oid = rs.column_type(i).unwrap_or(0);
                let ps = fx.numeric.get(i).copied().flatten();
                let value = getdata::convert(oid, t, c_type, ps)?;
                *getdata = Some(GetData {
                    col: i,
                    offset: 0,
                    value,
                    calls: 0,
                });
            }
        }
        if target.is_null() {
            return err("HY009", "the target buffer is NULL");
        }
        let g = getdata.as_mut().expect("set above");
        let t = text.unwrap_or(b"");
        let p = getdata::put(&g.value, t, g.offset, cap as usize, max, target.cast());
        out(ind, p.remaining as Len);
        g.offset += p.advance;
        g.calls += 1;
        if p.truncated {
            diags.push("01004", "string data, right truncated");
        }
        if matches!(g.value, Converted::Fixed(f) if f.cut) {
            diags.push("01S07", "fractional truncation");
        }
        Ok(SqlReturn::SUCCESS)
    })
}
