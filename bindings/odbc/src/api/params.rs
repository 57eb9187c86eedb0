//! Prepared statements and parameters: SQLPrepare, SQLExecute,
//! SQLBindParameter, SQLNumParams, SQLDescribeParam, data at execution
//! (SQLParamData, SQLPutData), parameter arrays and SQLNativeSql.

#![allow(non_snake_case, clippy::missing_safety_doc, clippy::too_many_arguments)]

use std::collections::HashMap;

use pgtc::session::Values;

use super::*;
use crate::escape;
use crate::handle::ParamBind;
use crate::params::{self as p, NeedData, Pending, Prepared, Put, Value};
use crate::run;

pub const SQL_NEED_DATA: SqlReturn = SqlReturn(99);

/// SQLDescribeParam's size for a parameter of a character type without
/// a length (`varchar`, an inferred type) and of `text`/`bytea`: psqlODBC's
/// MaxVarcharSize and MaxLongVarcharSize defaults.
const PARAM_SIZE: usize = 255;
const LONG_PARAM_SIZE: usize = 8190;

const SQL_PARAM_INPUT: SmallInt = 1;
const SQL_PARAM_INPUT_OUTPUT: SmallInt = 2;
const SQL_PARAM_OUTPUT: SmallInt = 4;
const SQL_PARAM_SUCCESS: u16 = 0;
const SQL_PARAM_ERROR: u16 = 5;
const SQL_PARAM_UNUSED: u16 = 7;
const SQL_PARAM_IGNORE: u16 = 1;

/// A text as it is sent: escapes rewritten (unless SQL_ATTR_NOSCAN),
/// markers numbered. Returns it, its markers, and 1 when it was a
/// `{? = call …}` (parameter 1 is then the return value).
fn translate(sql: &str, noscan: bool) -> Result<(String, usize, usize), E> {
    let (text, skip) = escapes(sql, noscan)?;
    let (text, n) = p::markers(&text);
    Ok((text, n, skip))
}

/// The text with its escapes rewritten (unless `noscan`), and 1 for a
/// `{? = call …}`.
fn escapes(sql: &str, noscan: bool) -> Result<(String, usize), E> {
    if noscan {
        return Ok((sql.to_string(), 0));
    }
    let r = escape::rewrite(sql)?;
    Ok((r.sql, usize::from(r.returns)))
}

unsafe fn session(s: &Stmt) -> Result<(handle::Shared, usize), E> {
    let d = dbc(s.dbc as H).ok_or_else(|| E::Odbc("08003", "connection not open".into()))?;
    let d = lock(&d.st);
    let session = d
        .session
        .clone()
        .ok_or_else(|| E::Odbc("08003", "connection not open".into()))?;
    Ok((session, d.fetch))
}

fn not_waiting(st: &StmtState) -> Result<(), E> {
    if st.need_data.is_some() {
        return err(
            "HY010",
            "function sequence error: the statement is waiting for SQLParamData/SQLPutData",
        );
    }
    Ok(())
}

fn no_cursor(st: &StmtState) -> Result<(), E> {
    if st.current().is_some_and(|r| r.cols() > 0) {
        return err("24000", "invalid cursor state: close the open cursor first");
    }
    Ok(())
}

/// What SQLExecDirect runs: the text with its escapes rewritten, or, when
/// it has markers and parameters are bound, its execution with them.
pub enum Direct {
    Text(String),
    Done(SqlReturn),
}

/// SQLExecDirect's part for escapes and parameters. A text with markers
/// but no bound parameter is sent as it is (so that PostgreSQL's `?`
/// operators work in a statement without parameters).
pub(super) unsafe fn exec_direct(s: &Stmt, st: &mut StmtState, sql: &str) -> Result<Direct, E> {
    not_waiting(st)?;
    st.prepared = None;
    let (text, skip) = escapes(sql, st.attrs.noscan)?;
    if st.params.iter().all(Option::is_none) {
        return Ok(Direct::Text(text));
    }
    let (text, n) = p::markers(&text);
    if n + skip == 0 {
        // Bindings left from an earlier statement: this one has none.
        return Ok(Direct::Text(text));
    }
    execute(s, st, Pending::Direct(text, n, skip), Put::new()).map(Direct::Done)
}

/// Runs a statement for every parameter set, or stops at SQL_NEED_DATA
/// when a parameter's data comes at execution (`put`: what SQLPutData
/// sent, once it has).
unsafe fn execute(s: &Stmt, st: &mut StmtState, what: Pending, put: Put) -> R {
    let (markers, skip) = match &what {
        Pending::Direct(_, n, skip) => (*n, *skip),
        Pending::Prepared => {
            let prep = st.prepared.as_ref().ok_or_else(|| {
                E::Odbc(
                    "HY010",
                    "function sequence error: no statement is prepared".into(),
                )
            })?;
            let n = prep
                .stmt
                .as_ref()
                .map_or(prep.markers, |s| s.param_types().len());
            (n, prep.skip)
        }
    };
    let need = markers + skip;
    let mut binds: Vec<ParamBind> = Vec::with_capacity(markers);
    for k in skip..need {
        match st.params.get(k).and_then(Option::as_ref) {
            Some(b) => binds.push(b.clone()),
            None => {
                return err(
                    "07002",
                    format!(
                        "COUNT field incorrect: the statement has {} parameters and parameter {} is not bound",
                        need,
                        k + 1
                    ),
                )
            }
        }
    }
    let attrs = st.attrs.clone();
    let size = attrs.paramset_size.max(1);
    if put.is_empty() {
        let mut todo = std::collections::VecDeque::new();
        for row in 0..size {
            if ignored(&attrs, row) {
                continue;
            }
            for (i, b) in binds.iter().enumerate() {
                if b.io_type != SQL_PARAM_OUTPUT && p::at_exec(b, &attrs, row)? {
                    todo.push_back((row, i + skip));
                }
            }
        }
        if !todo.is_empty() {
            st.close();
            st.need_data = Some(NeedData {
                what,
                todo,
                current: None,
                data: HashMap::new(),
            });
            return Ok(SQL_NEED_DATA);
        }
    }
    let types = binds
        .iter()
        .map(|b| p::oid_of(b.sql_type))
        .collect::<Result<Vec<u32>, _>>()?;
    let (shared, fetch) = session(s)?;
    let timeout = st.attrs.query_timeout;
    // Under SQLCancel's and SQL_ATTR_QUERY_TIMEOUT's watch.
    super::cancel::guarded(s, timeout, &shared, |session| {
        execute_on(session, st, what, &binds, &types, &put, fetch, skip)
    })
}

/// `execute` once the values are known: prepares again when the bound
/// types call for it, then runs every set.
unsafe fn execute_on(
    session: &mut pgtc::Session,
    st: &mut StmtState,
    what: Pending,
    binds: &[ParamBind],
    types: &[u32],
    put: &Put,
    fetch: usize,
    skip: usize,
) -> R {
    let types = types.to_vec();
    st.close();

    // A statement prepared with other types than those bound now (the
    // server inferred a type the binding does not match) is prepared
    // again with the bound types; when they match, nothing is sent.
    if let (Pending::Prepared, Some(prep)) = (&what, st.prepared.as_mut()) {
        if let Some(stmt) = prep.stmt.as_ref() {
            let differs = types
                .iter()
                .zip(stmt.param_types())
                .any(|(&t, &have)| t != 0 && t != have);
            // Outside a transaction, types the server refuses (say an int4
            // compared with a text column) are not asked for again: the
            // statement runs as prepared and the server reads the values'
            // text as the types it resolved, as for a character binding.
            // Inside one the refusal has aborted the transaction: it is
            // the error.
            if differs && prep.refused.as_ref() != Some(&types) {
                let in_txn = session.in_transaction();
                match session.prepare(&prep.sql, &types) {
                    Ok(again) => {
                        prep.stmt = Some(again);
                        prep.types = types.clone();
                    }
                    Err(e) if !in_txn && e.sqlstate.starts_with("42") => {
                        prep.refused = Some(types.clone())
                    }
                    Err(e) => return Err(E::Pg(e)),
                }
            }
        }
    }
    let prep = st.prepared.take();
    let r = run_sets(
        session,
        st,
        &what,
        prep.as_ref(),
        binds,
        &types,
        put,
        fetch,
        skip,
    );
    st.prepared = prep;
    r
}

/// Whether set `row` of a parameter array is marked SQL_PARAM_IGNORE.
unsafe fn ignored(attrs: &crate::handle::StmtAttrs, row: usize) -> bool {
    attrs.paramset_size > 1
        && attrs.param_operation_ptr != 0
        && (attrs.param_operation_ptr as *const u16)
            .add(row)
            .read_unaligned()
            == SQL_PARAM_IGNORE
}

/// Reads parameter set `row`: each value (None: NULL).
unsafe fn values(
    binds: &[ParamBind],
    attrs: &crate::handle::StmtAttrs,
    put: &Put,
    row: usize,
    skip: usize,
) -> Result<Vec<Option<Vec<u8>>>, E> {
    let mut vals = Vec::with_capacity(binds.len());
    for (i, b) in binds.iter().enumerate() {
        let v = if b.io_type == SQL_PARAM_OUTPUT {
            Value::Null
        } else {
            match put.get(&(row, i + skip)) {
                Some(None) => Value::Null,
                Some(Some(bytes)) => p::convert(p::resolve(b.c_type, b.sql_type), bytes)?,
                None => p::read(b, attrs, row)?.1,
            }
        };
        vals.push(match v {
            Value::Null => None,
            Value::Text(t) => Some(t.into_bytes()),
            Value::Bytes(x) => Some(x),
        });
    }
    Ok(vals)
}

/// The format of each parameter: binary (1) for binary data sent as a
/// bytea, text (0) for everything else.
fn formats(binds: &[ParamBind], types: &[u32]) -> Vec<i16> {
    binds
        .iter()
        .zip(types)
        .map(|(b, &t)| {
            i16::from(t == p::BYTEA && p::resolve(b.c_type, b.sql_type) == p::SQL_C_BINARY)
        })
        .collect()
}

/// One parameter set before it runs.
enum Set {
    Ignored,
    Failed(E),
    Ready(Vec<Option<Vec<u8>>>),
}

unsafe fn run_sets(
    session: &mut pgtc::Session,
    st: &mut StmtState,
    what: &Pending,
    prep: Option<&Prepared>,
    binds: &[ParamBind],
    types: &[u32],
    put: &Put,
    fetch: usize,
    skip: usize,
) -> R {
    let attrs = st.attrs.clone();
    let size = attrs.paramset_size.max(1);
    let formats = formats(binds, types);
    let sets: Vec<Set> = (0..size)
        .map(|row| {
            if ignored(&attrs, row) {
                Set::Ignored
            } else {
                match values(binds, &attrs, put, row, skip) {
                    Ok(v) => Set::Ready(v),
                    Err(e) => Set::Failed(e),
                }
            }
        })
        .collect();
    let ready_sets = sets.iter().filter(|s| matches!(s, Set::Ready(_))).count();
    // An array through SQLExecDirect is prepared first (one round trip)
    // so that its sets are pipelined too.
    let direct_stmt = match what {
        Pending::Direct(sql, _, _) if ready_sets > 1 => {
            Some(session.prepare(sql, types).map_err(E::Pg)?)
        }
        _ => None,
    };
    let stmt = match what {
        Pending::Prepared => prep.and_then(|p| p.stmt.as_ref()),
        Pending::Direct(..) => direct_stmt.as_ref(),
    };
    // The outcome of each set that ran, in order.
    let ready: Vec<&Vec<Option<Vec<u8>>>> = sets
        .iter()
        .filter_map(|s| match s {
            Set::Ready(v) => Some(v),
            _ => None,
        })
        .collect();
    let mut outcomes: std::collections::VecDeque<Result<run::Outcome, E>> = match stmt {
        // Several sets of a prepared statement: pipelined.
        Some(stmt) if ready.len() > 1 => {
            let refs: Vec<Vec<Option<&[u8]>>> = ready
                .iter()
                .map(|v| v.iter().map(|x| x.as_deref()).collect())
                .collect();
            let vals: Vec<Values<'_>> = refs.iter().map(|r| Values::Bytes(r)).collect();
            session
                .exec_prepared_batch(stmt, &vals, &formats)
                .map_err(E::Pg)?
                .into_iter()
                .map(|r| {
                    r.map(|result| run::Outcome {
                        result,
                        stream: None,
                    })
                    .map_err(E::Pg)
                })
                .collect()
        }
        _ => ready
            .iter()
            .map(|v| {
                let refs: Vec<Option<&[u8]>> = v.iter().map(|x| x.as_deref()).collect();
                let params = run::Params {
                    types,
                    values: Values::Bytes(&refs),
                    formats: &formats,
                };
                let w = match (what, stmt) {
                    (Pending::Direct(sql, _, _), _) => run::What::Text(sql),
                    (Pending::Prepared, Some(stmt)) => run::What::Prepared(stmt),
                    (Pending::Prepared, None) => {
                        let sql = prep.map_or("", |p| p.sql.as_str());
                        return run::run(session, run::What::Text(sql), None, fetch).map_err(E::Pg);
                    }
                };
                run::run(session, w, Some(params), fetch).map_err(E::Pg)
            })
            .collect(),
    };
    let status = |row: usize, v: u16| {
        if attrs.param_status_ptr != 0 {
            (attrs.param_status_ptr as *mut u16)
                .add(row)
                .write_unaligned(v);
        }
    };
    let (mut failed, mut processed, mut total) = (0usize, 0usize, 0u64);
    let mut last: Option<run::Outcome> = None;
    let mut first_err: Option<E> = None;
    for (row, set) in sets.into_iter().enumerate() {
        let r = match set {
            Set::Ignored => {
                status(row, SQL_PARAM_UNUSED);
                continue;
            }
            Set::Failed(e) => Err(e),
            Set::Ready(_) => outcomes.pop_front().expect("one outcome per set that ran"),
        };
        processed += 1;
        match r {
            Ok(out) => {
                total += out.result.affected();
                status(row, SQL_PARAM_SUCCESS);
                last = Some(out);
            }
            Err(e) => {
                failed += 1;
                status(row, SQL_PARAM_ERROR);
                if size == 1 {
                    first_err = Some(e);
                    continue;
                }
                match &e {
                    E::Odbc(s, m) => st
                        .diags
                        .push(s, format!("{} (parameter set {})", m, row + 1)),
                    E::Pg(pe) => {
                        st.diags.push_error(pe);
                        let d = st.diags.0.last_mut().expect("pushed");
                        d.message = format!("{} (parameter set {})", d.message, row + 1);
                    }
                }
            }
        }
    }
    if attrs.params_processed_ptr != 0 {
        (attrs.params_processed_ptr as *mut ULen).write_unaligned(processed);
    }
    if let Some(e) = first_err {
        return Err(e);
    }
    let Some(out) = last else {
        return if failed > 0 {
            Ok(SqlReturn::ERROR)
        } else {
            // Every set was ignored.
            Ok(SqlReturn::NO_DATA)
        };
    };
    st.stream = out.stream;
    let rs = out.result;
    let none = size == 1
        && rs.next().is_none()
        && rs.cols() == 0
        && rs.affected() == 0
        && (rs.tag().starts_with("UPDATE") || rs.tag().starts_with("DELETE"));
    if skip == 1 && size == 1 {
        return_value(st, &rs)?;
    }
    st.result = Some(rs);
    st.open = true;
    if size > 1 {
        st.rows_total = Some(total);
    }
    // A set that failed makes the call fail, with the status array saying
    // which: applications that look only at the return code (pyodbc's
    // executemany among them) must not take lost rows for success.
    Ok(if failed > 0 {
        SqlReturn::ERROR
    } else if none {
        SqlReturn::NO_DATA
    } else {
        SqlReturn::SUCCESS
    })
}

/// `{? = call f(…)}`: the first column of the first row goes to
/// parameter 1 when it is bound for output.
unsafe fn return_value(st: &mut StmtState, rs: &pgtc::ResultSet) -> Result<(), E> {
    let Some(b) = st.params.first().cloned().flatten() else {
        return Ok(());
    };
    if b.io_type == SQL_PARAM_INPUT || (b.ptr == 0 && b.ind_ptr == 0) {
        return Ok(());
    }
    let ind = b.ind_ptr as *mut Len;
    if rs.rows() == 0 || rs.cols() == 0 || rs.is_null(0, 0) {
        if ind.is_null() {
            return err("22002", "indicator variable required but not supplied");
        }
        ind.write_unaligned(-1);
        return Ok(());
    }
    let oid = rs.column_type(0).unwrap_or(0);
    let cell = rs.value_c(0, 0).unwrap_or(b"\0");
    let text = cell.strip_suffix(b"\0").unwrap_or(cell);
    let c = p::resolve(b.c_type, b.sql_type);
    let v = getdata::convert(oid, text, c, None)?;
    let cap = getdata::fixed_size(c).unwrap_or(b.buffer_len.max(0) as usize);
    let piece = getdata::put(&v, text, 0, cap, 0, b.ptr as *mut u8);
    out(ind, piece.remaining as Len);
    if piece.truncated {
        st.diags.push("01004", "string data, right truncated");
    }
    Ok(())
}

unsafe fn prepare(h: H, text: *const c_void, len: Integer, wide: bool) -> SqlReturn {
    on_stmt(h, |s, st| {
        let Some(sql) = text_arg(text, len as isize, wide)? else {
            return err("HY009", "the statement text is NULL");
        };
        not_waiting(st)?;
        no_cursor(st)?;
        st.close();
        st.prepared = None;
        let (sql, markers, skip) = translate(&sql, st.attrs.noscan)?;
        let mut types = Vec::with_capacity(markers);
        for k in skip..skip + markers {
            let t = match st.params.get(k).and_then(Option::as_ref) {
                Some(b) => p::oid_of(b.sql_type).unwrap_or(0),
                None => 0,
            };
            types.push(t);
        }
        let (session, _) = session(s)?;
        let r = lock(&session).prepare(&sql, &types);
        let stmt = match r {
            Ok(stmt) => Some(stmt),
            // Several statements in one text: run as text by SQLExecute.
            Err(e) if markers == 0 && e.message.contains("multiple commands") => None,
            Err(e) => return Err(E::Pg(e)),
        };
        st.prepared = Some(Prepared {
            sql,
            stmt,
            types,
            markers,
            skip,
            refused: None,
        });
        Ok(SqlReturn::SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLPrepare(h: H, text: *const u8, len: Integer) -> SqlReturn {
    prepare(h, text.cast(), len, false)
}

#[no_mangle]
pub unsafe extern "system" fn SQLPrepareW(h: H, text: *const u16, len: Integer) -> SqlReturn {
    prepare(h, text.cast(), len, true)
}

#[no_mangle]
pub unsafe extern "system" fn SQLExecute(h: H) -> SqlReturn {
    on_stmt(h, |s, st| {
        not_waiting(st)?;
        if st.prepared.is_none() {
            return err("HY010", "function sequence error: no statement is prepared");
        }
        no_cursor(st)?;
        execute(s, st, Pending::Prepared, Put::new())
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLBindParameter(
    h: H,
    n: USmallInt,
    io_type: SmallInt,
    c_type: SmallInt,
    sql_type: SmallInt,
    column_size: ULen,
    decimal_digits: SmallInt,
    ptr: *mut c_void,
    buffer_len: Len,
    ind: *mut Len,
) -> SqlReturn {
    on_stmt(h, |_, st| {
        not_waiting(st)?;
        if n == 0 {
            return err(
                "07009",
                "invalid descriptor index: parameters are numbered from 1",
            );
        }
        if !matches!(
            io_type,
            SQL_PARAM_INPUT | SQL_PARAM_INPUT_OUTPUT | SQL_PARAM_OUTPUT
        ) {
            return err("HY105", format!("invalid parameter type {}", io_type));
        }
        p::oid_of(sql_type)?;
        p::fixed_size(p::resolve(c_type, sql_type))?;
        if buffer_len < 0 {
            return err("HY090", format!("invalid buffer length {}", buffer_len));
        }
        if ptr.is_null() && ind.is_null() && io_type != SQL_PARAM_OUTPUT {
            return err("HY009", "both the value and the indicator pointer are NULL");
        }
        let i = n as usize - 1;
        if st.params.len() <= i {
            st.params.resize(i + 1, None);
        }
        st.params[i] = Some(ParamBind {
            io_type,
            c_type,
            sql_type,
            column_size,
            decimal_digits,
            ptr: ptr as usize,
            buffer_len,
            ind_ptr: ind as usize,
        });
        Ok(SqlReturn::SUCCESS)
    })
}

fn prepared(st: &StmtState) -> Result<&Prepared, E> {
    st.prepared.as_ref().ok_or_else(|| {
        E::Odbc(
            "HY010",
            "function sequence error: no statement is prepared".into(),
        )
    })
}

fn param_count(p: &Prepared) -> usize {
    p.stmt.as_ref().map_or(p.markers, |s| s.param_types().len()) + p.skip
}

#[no_mangle]
pub unsafe extern "system" fn SQLNumParams(h: H, n: *mut SmallInt) -> SqlReturn {
    on_stmt(h, |_, st| {
        not_waiting(st)?;
        let c = param_count(prepared(st)?);
        out(n, small(c));
        Ok(SqlReturn::SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLDescribeParam(
    h: H,
    n: USmallInt,
    data_type: *mut SmallInt,
    size: *mut ULen,
    decimals: *mut SmallInt,
    nullable: *mut SmallInt,
) -> SqlReturn {
    on_stmt(h, |_, st| {
        not_waiting(st)?;
        let prep = prepared(st)?;
        let count = param_count(prep);
        if n == 0 || n as usize > count {
            return err(
                "07009",
                format!(
                    "invalid parameter number {} (the statement has {})",
                    n, count
                ),
            );
        }
        let i = n as usize - 1;
        let (oid, typmod) = match prep.stmt.as_ref() {
            Some(stmt) if prep.skip == 1 && i == 0 => stmt
                .columns()
                .first()
                .map_or((0, -1), |c| (c.type_oid, c.type_modifier)),
            Some(stmt) => (stmt.param_types()[i - prep.skip], -1),
            None => (0, -1),
        };
        let t = types::describe(oid, typmod);
        out(data_type, t.sql_type);
        // A parameter has no length limit of its own: applications size
        // their buffers from this (pyodbc's fast_executemany allocates it
        // for every row), so say what psqlODBC says by default.
        let size_ = if t.size >= types::UNBOUNDED {
            match t.sql_type {
                types::SQL_LONGVARCHAR | types::SQL_LONGVARBINARY => LONG_PARAM_SIZE,
                _ => PARAM_SIZE,
            }
        } else {
            t.size
        };
        let t = types::SqlType { size: size_, ..t };
        out(size, t.size);
        out(decimals, t.decimals);
        out(nullable, 2); // SQL_NULLABLE_UNKNOWN
        Ok(SqlReturn::SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLParamData(h: H, value: *mut *mut c_void) -> SqlReturn {
    on_stmt(h, |s, st| {
        let attrs = st.attrs.clone();
        let Some(nd) = st.need_data.as_mut() else {
            return err(
                "HY010",
                "function sequence error: no execution is waiting for data",
            );
        };
        if let Some(cur) = nd.current {
            nd.data.entry(cur).or_insert_with(|| Some(Vec::new()));
        }
        if nd.todo.is_empty() {
            let nd = st.need_data.take().expect("checked");
            return execute(s, st, nd.what, nd.data);
        }
        let (row, k) = nd.todo.pop_front().expect("not empty");
        nd.current = Some((row, k));
        let b = st.params[k].clone().expect("checked at execution");
        let (token, _) = p::addresses(&b, &attrs, row)?;
        out(value, token as *mut c_void);
        Ok(SQL_NEED_DATA)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLPutData(h: H, data: *mut c_void, len: Len) -> SqlReturn {
    on_stmt(h, |_, st| {
        let Some(key) = st.need_data.as_ref().and_then(|nd| nd.current) else {
            return err(
                "HY010",
                "function sequence error: SQLParamData has not asked for a parameter",
            );
        };
        let b = st.params[key.1].clone().expect("checked at execution");
        let c = p::resolve(b.c_type, b.sql_type);
        let nd = st.need_data.as_mut().expect("checked");
        if len == p::SQL_NULL_DATA {
            nd.data.insert(key, None);
            return Ok(SqlReturn::SUCCESS);
        }
        let fixed = p::fixed_size(c)?;
        let n = match fixed {
            Some(n) => n,
            None if len == p::SQL_NTS && c == p::SQL_C_CHAR && !data.is_null() => {
                std::ffi::CStr::from_ptr(data as *const std::ffi::c_char)
                    .to_bytes()
                    .len()
            }
            None if len == p::SQL_NTS && c == p::SQL_C_WCHAR && !data.is_null() => {
                let w = data as *const u16;
                let mut n = 0;
                while w.add(n).read_unaligned() != 0 {
                    n += 1;
                }
                n * 2
            }
            None if len >= 0 => len as usize,
            None => return err("HY090", format!("invalid string or buffer length {}", len)),
        };
        if data.is_null() && n > 0 {
            return err("HY009", "the data pointer is NULL");
        }
        let bytes = if n == 0 {
            &[][..]
        } else {
            std::slice::from_raw_parts(data as *const u8, n)
        };
        match nd.data.get_mut(&key) {
            None => {
                nd.data.insert(key, Some(bytes.to_vec()));
            }
            Some(None) => return err("HY020", "attempt to add data to a NULL value"),
            Some(Some(_)) if fixed.is_some() => {
                return err("HY019", "non-character and non-binary data sent in pieces")
            }
            Some(Some(v)) => v.extend_from_slice(bytes),
        }
        Ok(SqlReturn::SUCCESS)
    })
}

unsafe fn native_sql(
    h: H,
    text: *const c_void,
    len: Integer,
    buf: *mut c_void,
    cap: Integer,
    out_len: *mut Integer,
    wide: bool,
) -> SqlReturn {
    on_dbc(h, |_, d| {
        let Some(sql) = text_arg(text, len as isize, wide)? else {
            return err("HY009", "the statement text is NULL");
        };
        if cap < 0 {
            return err("HY090", format!("invalid buffer length {}", cap));
        }
        let native = escape::rewrite(&sql)?.sql;
        let n = put_chars(&mut d.diags, &native, wide, buf, cap as isize);
        out(out_len, int(n));
        Ok(SqlReturn::SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLNativeSql(
    h: H,
    text: *const u8,
    len: Integer,
    buf: *mut u8,
    cap: Integer,
    out_len: *mut Integer,
) -> SqlReturn {
    native_sql(h, text.cast(), len, buf.cast(), cap, out_len, false)
}

#[no_mangle]
pub unsafe extern "system" fn SQLNativeSqlW(
    h: H,
    text: *const u16,
    len: Integer,
    buf: *mut u16,
    cap: Integer,
    out_len: *mut Integer,
) -> SqlReturn {
    native_sql(h, text.cast(), len, buf.cast(), cap, out_len, true)
}

/// Parameter arrays against a real server, with the statement attributes
/// filled in directly; ignored by a plain `cargo test`, run by
/// bindings/odbc/test with PGTC_ODBC_TEST_CONN holding an ODBC connection
/// string (DSN-less, `Driver=` is ignored).
#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr::null_mut;

    unsafe fn exec(st: H, sql: &str) -> SqlReturn {
        SQLExecDirect(st, sql.as_ptr(), sql.len() as Integer)
    }

    unsafe fn first(st: H, sql: &str) -> String {
        assert!(matches!(exec(st, sql), SqlReturn::SUCCESS));
        assert_eq!(SQLFetch(st), SqlReturn::SUCCESS);
        let mut buf = [0u8; 256];
        let mut ind: Len = 0;
        SQLGetData(st, 1, 1, buf.as_mut_ptr().cast(), 256, &mut ind);
        SQLCloseCursor(st);
        String::from_utf8_lossy(&buf[..ind.max(0) as usize]).into_owned()
    }

    #[test]
    #[ignore = "needs a server: bindings/odbc/test runs it with PGTC_ODBC_TEST_CONN set"]
    fn parameter_arrays_on_a_server() {
        let conn = std::env::var("PGTC_ODBC_TEST_CONN")
            .expect("PGTC_ODBC_TEST_CONN: an ODBC connection string to a running pair");
        unsafe {
            let (mut e, mut d, mut st): (H, H, H) = (null_mut(), null_mut(), null_mut());
            assert_eq!(
                SQLAllocHandle(SQL_HANDLE_ENV, null_mut(), &mut e),
                SqlReturn::SUCCESS
            );
            SQLSetEnvAttr(e, 200, 3 as H, 0);
            assert_eq!(
                SQLAllocHandle(SQL_HANDLE_DBC, e, &mut d),
                SqlReturn::SUCCESS
            );
            let r = SQLDriverConnect(
                d,
                null_mut(),
                conn.as_ptr(),
                conn.len() as SmallInt,
                null_mut(),
                0,
                null_mut(),
                0,
            );
            assert!(matches!(
                r,
                SqlReturn::SUCCESS | SqlReturn::SUCCESS_WITH_INFO
            ));
            assert_eq!(
                SQLAllocHandle(SQL_HANDLE_STMT, d, &mut st),
                SqlReturn::SUCCESS
            );
            exec(st, "DROP TABLE IF EXISTS odbc_arr_rs");
            exec(st, "CREATE TABLE odbc_arr_rs (id int PRIMARY KEY, v text)");

            const N: usize = 1000;
            let ids: Vec<i32> = (0..N as i32)
                .map(|i| if i == 600 { 599 } else { i })
                .collect();
            let names: Vec<[u8; 12]> = (0..N)
                .map(|i| {
                    let mut b = [0u8; 12];
                    let s = format!("n{}", i);
                    b[..s.len()].copy_from_slice(s.as_bytes());
                    b
                })
                .collect();
            let mut inds: Vec<Len> = vec![p::SQL_NTS; N];
            inds[3] = p::SQL_NULL_DATA;
            let mut status = vec![99u16; N];
            let mut ops = vec![0u16; N];
            ops[10] = SQL_PARAM_IGNORE;
            let mut processed: ULen = 0;
            let sql = "INSERT INTO odbc_arr_rs VALUES (?, ?)";
            assert_eq!(
                SQLPrepare(st, sql.as_ptr(), sql.len() as Integer),
                SqlReturn::SUCCESS
            );
            assert_eq!(
                SQLBindParameter(
                    st,
                    1,
                    1,
                    p::SQL_C_SLONG,
                    4,
                    0,
                    0,
                    ids.as_ptr() as H,
                    0,
                    null_mut()
                ),
                SqlReturn::SUCCESS
            );
            assert_eq!(
                SQLBindParameter(
                    st,
                    2,
                    1,
                    p::SQL_C_CHAR,
                    12,
                    0,
                    0,
                    names.as_ptr() as H,
                    12,
                    inds.as_mut_ptr()
                ),
                SqlReturn::SUCCESS
            );
            {
                let s = handle::get::<Stmt>(st, Kind::Stmt).unwrap();
                let mut g = lock(&s.st);
                g.attrs.paramset_size = N;
                g.attrs.param_status_ptr = status.as_mut_ptr() as usize;
                g.attrs.params_processed_ptr = &mut processed as *mut ULen as usize;
                g.attrs.param_operation_ptr = ops.as_ptr() as usize;
            }
            let session = || {
                let s = handle::get::<Stmt>(st, Kind::Stmt).unwrap();
                let d = handle::get::<Dbc>(s.dbc as H, Kind::Dbc).unwrap();
                let sh = lock(&d.st).session.clone().unwrap();
                sh
            };
            let before = lock(&session()).round_trips();
            assert_eq!(SQLExecute(st), SqlReturn::ERROR);
            // 999 sets pipelined 256 at a time: 4 round trips.
            let trips = lock(&session()).round_trips() - before;
            assert_eq!(trips, 4, "{} round trips", trips);
            {
                let s = handle::get::<Stmt>(st, Kind::Stmt).unwrap();
                let g = lock(&s.st);
                assert_eq!(g.diags.0.len(), 1);
                assert_eq!(g.diags.0[0].sqlstate, "23505");
                assert!(g.diags.0[0].message.contains("parameter set 601"));
            }
            assert_eq!(processed, N - 1);
            assert_eq!(status[600], SQL_PARAM_ERROR);
            assert_eq!(status[10], SQL_PARAM_UNUSED);
            let ok = status.iter().filter(|&&s| s == SQL_PARAM_SUCCESS).count();
            assert_eq!(ok, N - 2);
            let mut rows: Len = 0;
            assert_eq!(SQLRowCount(st, &mut rows), SqlReturn::SUCCESS);
            assert_eq!(rows as usize, N - 2);
            {
                let s = handle::get::<Stmt>(st, Kind::Stmt).unwrap();
                let mut g = lock(&s.st);
                g.attrs = crate::handle::StmtAttrs::default();
            }
            SQLFreeStmt(st, 3);
            assert_eq!(
                first(st, "SELECT count(*)::text FROM odbc_arr_rs"),
                (N - 2).to_string()
            );
            assert_eq!(
                first(st, "SELECT count(v)::text FROM odbc_arr_rs"),
                (N - 3).to_string()
            );
            assert_eq!(
                first(st, "SELECT v FROM odbc_arr_rs WHERE id = 999"),
                "n999"
            );
            // Data at execution in an array: set by set, then parameter
            // by parameter, each token the address of that set's value.
            let ids3: [i32; 3] = [5001, 5002, 5003];
            let mut dae: [Len; 3] = [p::SQL_DATA_AT_EXEC; 3];
            dae[1] = p::SQL_NTS;
            let mut names3 = [[0u8; 8]; 3];
            names3[1][..3].copy_from_slice(b"mid");
            let sql = "INSERT INTO odbc_arr_rs VALUES (?, ?)";
            SQLPrepare(st, sql.as_ptr(), sql.len() as Integer);
            SQLBindParameter(
                st,
                1,
                1,
                p::SQL_C_SLONG,
                4,
                0,
                0,
                ids3.as_ptr() as H,
                0,
                null_mut(),
            );
            SQLBindParameter(
                st,
                2,
                1,
                p::SQL_C_CHAR,
                12,
                0,
                0,
                names3.as_ptr() as H,
                8,
                dae.as_mut_ptr(),
            );
            {
                let s = handle::get::<Stmt>(st, Kind::Stmt).unwrap();
                lock(&s.st).attrs.paramset_size = 3;
            }
            assert_eq!(SQLExecute(st), SQL_NEED_DATA);
            let mut token: H = null_mut();
            assert_eq!(SQLParamData(st, &mut token), SQL_NEED_DATA);
            assert_eq!(token as usize, names3.as_ptr() as usize);
            SQLPutData(st, b"fir".as_ptr() as H, 3);
            SQLPutData(st, b"st".as_ptr() as H, 2);
            assert_eq!(SQLParamData(st, &mut token), SQL_NEED_DATA);
            assert_eq!(token as usize, names3.as_ptr() as usize + 16);
            SQLPutData(st, b"last".as_ptr() as H, 4);
            assert_eq!(SQLParamData(st, &mut token), SqlReturn::SUCCESS);
            {
                let s = handle::get::<Stmt>(st, Kind::Stmt).unwrap();
                lock(&s.st).attrs = crate::handle::StmtAttrs::default();
            }
            SQLFreeStmt(st, 3);
            assert_eq!(
                first(
                    st,
                    "SELECT string_agg(v, ',' ORDER BY id) FROM odbc_arr_rs WHERE id > 5000"
                ),
                "first,mid,last"
            );
            exec(st, "DROP TABLE odbc_arr_rs");
            SQLFreeHandle(SQL_HANDLE_STMT, st);
            SQLDisconnect(d);
            SQLFreeHandle(SQL_HANDLE_DBC, d);
            SQLFreeHandle(SQL_HANDLE_ENV, e);
        }
    }
}
