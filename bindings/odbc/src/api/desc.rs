//! Descriptors: each statement's implicit ARD, APD, IRD and IPD as DESC
//! handles, read and written through SQLGetDescField / SQLSetDescField /
//! SQLGetDescRec / SQLSetDescRec and copied by SQLCopyDesc. They are
//! views: the records live in the statement's `cols` (ARD), `params`
//! (APD and IPD), `attrs` (the header fields) and its current result
//! (IRD, read-only).

#![allow(non_snake_case, clippy::missing_safety_doc, clippy::too_many_arguments)]

use super::*;
use crate::api::fetch::FetchState;
use crate::handle::{ColBind, ParamBind};

pub const ARD: usize = 0;
pub const APD: usize = 1;
pub const IRD: usize = 2;
pub const IPD: usize = 3;

/// An explicitly allocated descriptor, in the role of an ARD (its
/// records kept as the ARD's are; used as an APD, they become the
/// parameters' application fields).
pub const EXPLICIT: usize = 4;

/// A descriptor handle: one of a statement's four, or one the
/// application allocated (`stmt` 0, `which` EXPLICIT).
pub struct Desc {
    pub stmt: usize,
    pub which: usize,
    pub diags: Mutex<Diags>,
    /// An explicit descriptor's records and the statements using it.
    pub own: Option<Mutex<Explicit>>,
}

#[derive(Default)]
pub struct Explicit {
    /// The records (`cols`, `fx.numeric`) and header (`attrs.row_…`).
    pub st: StmtState,
    /// (statement, ARD or APD) using this descriptor.
    pub users: Vec<(usize, usize)>,
    /// The connection it was allocated on (its statements' only).
    pub dbc: usize,
}

const SQL_DESC_ARRAY_SIZE: SmallInt = 20;
const SQL_DESC_ARRAY_STATUS_PTR: SmallInt = 21;
const SQL_DESC_BIND_OFFSET_PTR: SmallInt = 24;
const SQL_DESC_BIND_TYPE: SmallInt = 25;
const SQL_DESC_PARAMETER_TYPE: SmallInt = 33;
const SQL_DESC_ROWS_PROCESSED_PTR: SmallInt = 34;
const SQL_DESC_CONCISE_TYPE: SmallInt = 2;
const SQL_DESC_COUNT: SmallInt = 1001;
const SQL_DESC_TYPE: SmallInt = 1002;
const SQL_DESC_LENGTH: SmallInt = 1003;
const SQL_DESC_OCTET_LENGTH_PTR: SmallInt = 1004;
const SQL_DESC_PRECISION: SmallInt = 1005;
const SQL_DESC_SCALE: SmallInt = 1006;
const SQL_DESC_DATETIME_INTERVAL_CODE: SmallInt = 1007;
const SQL_DESC_NULLABLE: SmallInt = 1008;
const SQL_DESC_INDICATOR_PTR: SmallInt = 1009;
const SQL_DESC_DATA_PTR: SmallInt = 1010;
const SQL_DESC_NAME: SmallInt = 1011;
const SQL_DESC_UNNAMED: SmallInt = 1012;
const SQL_DESC_OCTET_LENGTH: SmallInt = 1013;
const SQL_DESC_ALLOC_TYPE: SmallInt = 1099;

const SQL_DATETIME: SmallInt = 9;
const SQL_DESC_ALLOC_AUTO: usize = 1;
const SQL_DESC_ALLOC_USER: usize = 2;

/// The statement's implicit descriptor `which`, allocated on first use.
pub unsafe fn implicit(h: H, st: &mut StmtState, which: usize) -> usize {
    if st.fx.descs[which] == 0 {
        let d = Box::new(Desc {
            stmt: h as usize,
            which,
            diags: Mutex::new(Diags::default()),
            own: None,
        });
        st.fx.descs[which] = handle::register(d, Kind::Desc);
    }
    st.fx.descs[which]
}

/// Frees a statement's implicit descriptors and leaves the explicit
/// ones it used (when the statement goes).
pub unsafe fn free_implicit(h: H, st: &mut StmtState) {
    for d in st.fx.descs.iter_mut() {
        if *d != 0 {
            handle::unregister::<Desc>(*d, Kind::Desc);
            *d = 0;
        }
    }
    for e in st.fx.explicit {
        if let Some(own) = desc(e as H).and_then(|d| d.own.as_ref()) {
            lock(own).users.retain(|u| u.0 != h as usize);
        }
    }
}

/// SQLAllocHandle(SQL_HANDLE_DESC): a descriptor of connection `dbc`
/// for SQL_ATTR_APP_ROW_DESC / SQL_ATTR_APP_PARAM_DESC.
pub fn alloc_explicit(dbc: usize) -> usize {
    let d = Box::new(Desc {
        stmt: 0,
        which: EXPLICIT,
        diags: Mutex::new(Diags::default()),
        own: Some(Mutex::new(Explicit {
            st: StmtState::default(),
            users: Vec::new(),
            dbc,
        })),
    });
    handle::register(d, Kind::Desc)
}

/// SQLFreeHandle(SQL_HANDLE_DESC): an explicit descriptor goes, and the
/// statements using it go back to their implicit ones.
pub unsafe fn free_explicit(h: H) -> SqlReturn {
    guard(|| {
        let Some(d) = desc(h) else {
            return SqlReturn::INVALID_HANDLE;
        };
        let Some(own) = d.own.as_ref() else {
            let mut diags = lock(&d.diags);
            diags.clear();
            diags.push(
                "HY017",
                "an implicitly allocated descriptor cannot be freed",
            );
            return SqlReturn::ERROR;
        };
        let users = std::mem::take(&mut lock(own).users);
        for (s, role) in users {
            if let Some(s) = stmt(s as H) {
                let mut st = lock(&s.st);
                let i = if role == ARD { 0 } else { 1 };
                if st.fx.explicit[i] == h as usize {
                    st.fx.explicit[i] = 0;
                }
            }
        }
        handle::unregister::<Desc>(h as usize, Kind::Desc);
        SqlReturn::SUCCESS
    })
}

/// Copies an explicit descriptor's records into a statement, as its ARD
/// or its APD.
fn apply(own: &StmtState, role: usize, st: &mut StmtState) {
    let a = &own.attrs;
    if role == ARD {
        st.cols = own.cols.clone();
        st.fx.numeric = own.fx.numeric.clone();
        st.attrs.row_array_size = a.row_array_size;
        st.attrs.row_bind_type = a.row_bind_type;
        st.attrs.row_bind_offset_ptr = a.row_bind_offset_ptr;
        st.attrs.row_operation_ptr = a.row_operation_ptr;
        return;
    }
    for (i, c) in own.cols.iter().enumerate() {
        let Some(c) = c else { continue };
        let p = record::<ParamBind>(&mut st.params, i);
        if p.io_type == 0 {
            p.io_type = 1;
        }
        p.c_type = c.c_type;
        p.ptr = c.ptr;
        p.buffer_len = c.buffer_len;
        p.ind_ptr = c.ind_ptr;
    }
    st.attrs.paramset_size = a.row_array_size;
    st.attrs.param_bind_type = a.row_bind_type;
    st.attrs.param_bind_offset_ptr = a.row_bind_offset_ptr;
    st.attrs.param_operation_ptr = a.row_operation_ptr;
}

/// The descriptor a statement uses as its ARD (`row`) or APD.
pub unsafe fn app_desc(h: H, st: &mut StmtState, row: bool) -> usize {
    match st.fx.explicit[usize::from(!row)] {
        0 => implicit(h, st, if row { ARD } else { APD }),
        e => e,
    }
}

/// SQL_ATTR_APP_ROW_DESC / SQL_ATTR_APP_PARAM_DESC: the statement's own
/// implicit descriptor (or NULL, which means it), or an explicitly
/// allocated one of the same connection.
pub unsafe fn set_app_desc(h: H, dbc: usize, st: &mut StmtState, row: bool, v: H) -> Result<(), E> {
    let (role, i) = if row { (ARD, 0) } else { (APD, 1) };
    let leave = |st: &mut StmtState| {
        let old = std::mem::take(&mut st.fx.explicit[i]);
        if let Some(own) = desc(old as H).and_then(|d| d.own.as_ref()) {
            lock(own)
                .users
                .retain(|u| !(u.0 == h as usize && u.1 == role));
        }
    };
    if v.is_null() || v as usize == implicit(h, st, role) {
        leave(st);
        return Ok(());
    }
    let Some(d) = desc(v) else {
        return err("HY024", "the value is not a descriptor handle");
    };
    let Some(own) = d.own.as_ref() else {
        return err(
            "HY017",
            "an implicitly allocated descriptor of another statement cannot be used",
        );
    };
    leave(st);
    let mut o = lock(own);
    if o.dbc != dbc {
        return err("HY024", "the descriptor belongs to another connection");
    }
    apply(&o.st, role, st);
    o.users.push((h as usize, role));
    st.fx.explicit[i] = v as usize;
    Ok(())
}

unsafe fn desc<'a>(h: H) -> Option<&'a Desc> {
    handle::get(h, Kind::Desc)
}

/// Runs `f` on a descriptor (its role, and the state its records live
/// in), posting the outcome on the descriptor. An explicit descriptor's
/// changes then reach every statement using it.
unsafe fn on_desc(h: H, f: impl FnOnce(usize, &mut StmtState, &mut Diags) -> R) -> SqlReturn {
    guard(|| {
        let Some(d) = desc(h) else {
            return SqlReturn::INVALID_HANDLE;
        };
        let mut diags = lock(&d.diags);
        diags.clear();
        let Some(own) = d.own.as_ref() else {
            let Some(s) = stmt(d.stmt as H) else {
                return SqlReturn::INVALID_HANDLE;
            };
            let mut st = lock(&s.st);
            let r = contain(|| f(d.which, &mut st, &mut diags));
            return finish(&mut diags, r);
        };
        let (r, users, copy) = {
            let mut o = lock(own);
            let r = contain(|| f(EXPLICIT, &mut o.st, &mut diags));
            let copy = Explicit {
                st: StmtState {
                    cols: o.st.cols.clone(),
                    attrs: o.st.attrs.clone(),
                    fx: FetchState {
                        numeric: o.st.fx.numeric.clone(),
                        ..FetchState::default()
                    },
                    ..StmtState::default()
                },
                users: Vec::new(),
                dbc: o.dbc,
            };
            (r, o.users.clone(), copy)
        };
        // The statements' locks are taken after the descriptor's is let go
        // (SQLSetStmtAttr holds a statement's, then takes the descriptor's).
        for (s, role) in users {
            if let Some(s) = stmt(s as H) {
                apply(&copy.st, role, &mut lock(&s.st));
            }
        }
        finish(&mut diags, r)
    })
}

/// The diagnostics of a descriptor handle.
pub unsafe fn diags_of(h: H) -> Option<Vec<handle::Diag>> {
    desc(h).map(|d| lock(&d.diags).0.clone())
}

/// A field's value.
enum Field {
    Int(i64),
    Text(String),
}

/// The width in bytes of a numeric field (SQLSMALLINT, SQLINTEGER or
/// SQLLEN-sized, pointers included).
fn width(field: SmallInt) -> usize {
    match field {
        2 | 8 | 9 | 10 | 13 | 30 | 31 | 33 | 1001 | 1002 | 1005..=1008 | 1012 | 1099 => 2,
        11 | 12 | 25 | 26 | 32 => 4,
        _ => std::mem::size_of::<Len>(),
    }
}

/// The verbose type and interval code of a concise type.
fn verbose(concise: SmallInt) -> (SmallInt, SmallInt) {
    match concise {
        91..=93 => (SQL_DATETIME, concise - 90),
        9..=11 => (SQL_DATETIME, concise - 8),
        t => (t, 0),
    }
}

fn no_record(rec: SmallInt) -> E {
    E::Odbc("07009", format!("invalid descriptor index {}", rec))
}

fn header(which: usize, st: &StmtState, field: SmallInt) -> Option<Field> {
    let a = &st.attrs;
    if field == SQL_DESC_ALLOC_TYPE {
        let t = if which == EXPLICIT {
            SQL_DESC_ALLOC_USER
        } else {
            SQL_DESC_ALLOC_AUTO
        };
        return Some(Field::Int(t as i64));
    }
    let which = which % EXPLICIT;
    let v = match (which, field) {
        (ARD, SQL_DESC_COUNT) => st.cols.len(),
        (APD | IPD, SQL_DESC_COUNT) => st.params.len(),
        (IRD, SQL_DESC_COUNT) => st.current().map_or(0, |r| r.cols()),
        (ARD, SQL_DESC_ARRAY_SIZE) => a.row_array_size,
        (APD, SQL_DESC_ARRAY_SIZE) => a.paramset_size,
        (ARD, SQL_DESC_ARRAY_STATUS_PTR) => a.row_operation_ptr,
        (APD, SQL_DESC_ARRAY_STATUS_PTR) => a.param_operation_ptr,
        (IRD, SQL_DESC_ARRAY_STATUS_PTR) => a.row_status_ptr,
        (IPD, SQL_DESC_ARRAY_STATUS_PTR) => a.param_status_ptr,
        (ARD, SQL_DESC_BIND_OFFSET_PTR) => a.row_bind_offset_ptr,
        (APD, SQL_DESC_BIND_OFFSET_PTR) => a.param_bind_offset_ptr,
        (ARD, SQL_DESC_BIND_TYPE) => a.row_bind_type,
        (APD, SQL_DESC_BIND_TYPE) => a.param_bind_type,
        (IRD, SQL_DESC_ROWS_PROCESSED_PTR) => a.rows_fetched_ptr,
        (IPD, SQL_DESC_ROWS_PROCESSED_PTR) => a.params_processed_ptr,
        _ => return None,
    };
    Some(Field::Int(v as i64))
}

fn get_field(which: usize, st: &StmtState, rec: SmallInt, field: SmallInt) -> Result<Field, E> {
    if let Some(f) = header(which, st, field) {
        return Ok(f);
    }
    if matches!(
        field,
        SQL_DESC_COUNT
            | SQL_DESC_ARRAY_SIZE
            | SQL_DESC_ARRAY_STATUS_PTR
            | SQL_DESC_BIND_OFFSET_PTR
            | SQL_DESC_BIND_TYPE
            | SQL_DESC_ROWS_PROCESSED_PTR
    ) {
        return err(
            "HY091",
            format!(
                "descriptor field {} does not apply to this descriptor",
                field
            ),
        );
    }
    if rec <= 0 {
        return Err(no_record(rec));
    }
    let i = rec as usize - 1;
    let int = |v: i64| Ok(Field::Int(v));
    match which % EXPLICIT {
        ARD => {
            let c = st.cols.get(i).cloned().flatten().unwrap_or_default();
            let (ps_p, ps_s) = st.fx.numeric.get(i).copied().flatten().unwrap_or((0, 0));
            match field {
                SQL_DESC_CONCISE_TYPE => int(c.c_type as i64),
                SQL_DESC_TYPE => int(verbose(c.c_type).0 as i64),
                SQL_DESC_DATETIME_INTERVAL_CODE => int(verbose(c.c_type).1 as i64),
                SQL_DESC_DATA_PTR => int(c.ptr as i64),
                SQL_DESC_INDICATOR_PTR | SQL_DESC_OCTET_LENGTH_PTR => int(c.ind_ptr as i64),
                SQL_DESC_OCTET_LENGTH | SQL_DESC_LENGTH => int(c.buffer_len as i64),
                SQL_DESC_PRECISION => int(ps_p as i64),
                SQL_DESC_SCALE => int(ps_s as i64),
                _ => err("HY091", format!("invalid ARD field {}", field)),
            }
        }
        APD | IPD => {
            let p = st.params.get(i).cloned().flatten().unwrap_or_default();
            let apd = which == APD;
            match field {
                SQL_DESC_CONCISE_TYPE => int(if apd { p.c_type } else { p.sql_type } as i64),
                SQL_DESC_TYPE | SQL_DESC_DATETIME_INTERVAL_CODE => {
                    let (t, code) = verbose(if apd { p.c_type } else { p.sql_type });
                    int(if field == SQL_DESC_TYPE { t } else { code } as i64)
                }
                SQL_DESC_DATA_PTR if apd => int(p.ptr as i64),
                SQL_DESC_INDICATOR_PTR | SQL_DESC_OCTET_LENGTH_PTR if apd => int(p.ind_ptr as i64),
                SQL_DESC_OCTET_LENGTH if apd => int(p.buffer_len as i64),
                SQL_DESC_LENGTH | SQL_DESC_PRECISION if !apd => int(p.column_size as i64),
                SQL_DESC_SCALE if !apd => int(p.decimal_digits as i64),
                SQL_DESC_PARAMETER_TYPE if !apd => int(p.io_type as i64),
                SQL_DESC_NULLABLE if !apd => int(1),
                _ => err("HY091", format!("invalid descriptor field {}", field)),
            }
        }
        _ => {
            let rs = st.current().ok_or_else(|| {
                E::Odbc(
                    "HY007",
                    "associated statement is not prepared or executed".into(),
                )
            })?;
            if i >= rs.cols() {
                return Err(no_record(rec));
            }
            let t = super::fetch::sql_type(rs, i, &st.type_options);
            match field {
                SQL_DESC_TYPE => int(verbose(t.sql_type).0 as i64),
                SQL_DESC_DATETIME_INTERVAL_CODE => int(verbose(t.sql_type).1 as i64),
                SQL_DESC_UNNAMED => int(0),
                SQL_DESC_NULLABLE => int(2),
                _ => match info::col_attribute(
                    field as USmallInt,
                    rs.column_name(i).unwrap_or(""),
                    &t,
                )? {
                    info::Attr::Num(v) => int(v as i64),
                    info::Attr::Text(s) => Ok(Field::Text(s)),
                },
            }
        }
    }
}

unsafe fn get_desc_field(
    h: H,
    rec: SmallInt,
    field: SmallInt,
    value: *mut c_void,
    cap: Integer,
    len: *mut Integer,
    wide: bool,
) -> SqlReturn {
    on_desc(h, |d, st, diags| {
        match get_field(d, st, rec, field)? {
            Field::Int(v) => {
                if value.is_null() {
                    return err("HY009", "the value pointer is NULL");
                }
                let w = width(field);
                match w {
                    2 => out(value.cast::<i16>(), v as i16),
                    4 => out(value.cast::<i32>(), v as i32),
                    _ => out(value.cast::<i64>(), v),
                }
                out(len, w as Integer);
            }
            Field::Text(s) => {
                if cap < 0 {
                    return err("HY090", format!("invalid buffer length {}", cap));
                }
                let n = put_bytes(diags, &s, wide, value, cap as isize);
                out(len, int(n));
            }
        }
        Ok(SqlReturn::SUCCESS)
    })
}

fn record<T: Default + Clone>(v: &mut Vec<Option<T>>, i: usize) -> &mut T {
    if v.len() <= i {
        v.resize(i + 1, None);
    }
    v[i].get_or_insert_with(T::default)
}

fn set_field(which: usize, st: &mut StmtState, rec: SmallInt, field: SmallInt, v: usize) -> R {
    if which == IRD {
        return err(
            "HY016",
            "the implementation row descriptor cannot be modified",
        );
    }
    let a = &mut st.attrs;
    let which = which % EXPLICIT;
    match (which, field) {
        (_, SQL_DESC_ALLOC_TYPE) => return err("HY091", "SQL_DESC_ALLOC_TYPE is read-only"),
        (ARD, SQL_DESC_COUNT) => {
            st.cols.resize(v, None);
            return Ok(SqlReturn::SUCCESS);
        }
        (APD | IPD, SQL_DESC_COUNT) => {
            st.params.resize(v, None);
            return Ok(SqlReturn::SUCCESS);
        }
        (ARD, SQL_DESC_ARRAY_SIZE) | (APD, SQL_DESC_ARRAY_SIZE) if v == 0 => {
            return err("HY024", "SQL_DESC_ARRAY_SIZE must be at least 1")
        }
        (ARD, SQL_DESC_ARRAY_SIZE) => a.row_array_size = v,
        (APD, SQL_DESC_ARRAY_SIZE) => a.paramset_size = v,
        (ARD, SQL_DESC_ARRAY_STATUS_PTR) => a.row_operation_ptr = v,
        (APD, SQL_DESC_ARRAY_STATUS_PTR) => a.param_operation_ptr = v,
        (IPD, SQL_DESC_ARRAY_STATUS_PTR) => a.param_status_ptr = v,
        (ARD, SQL_DESC_BIND_OFFSET_PTR) => a.row_bind_offset_ptr = v,
        (APD, SQL_DESC_BIND_OFFSET_PTR) => a.param_bind_offset_ptr = v,
        (ARD, SQL_DESC_BIND_TYPE) => a.row_bind_type = v,
        (APD, SQL_DESC_BIND_TYPE) => a.param_bind_type = v,
        (IPD, SQL_DESC_ROWS_PROCESSED_PTR) => a.params_processed_ptr = v,
        (_, SQL_DESC_COUNT | 20 | 21 | 24 | 25 | 34) => {
            return err(
                "HY091",
                format!(
                    "descriptor field {} does not apply to this descriptor",
                    field
                ),
            )
        }
        _ => {
            if rec <= 0 {
                return Err(no_record(rec));
            }
            let i = rec as usize - 1;
            let small = v as isize as i16;
            match which {
                ARD => {
                    if matches!(field, SQL_DESC_PRECISION | SQL_DESC_SCALE) {
                        if st.fx.numeric.len() <= i {
                            st.fx.numeric.resize(i + 1, None);
                        }
                        // Unset, the precision is 38 (the most SQL_NUMERIC_STRUCT's
                        // 128 bits hold in full) and the scale 0.
                        let e = st.fx.numeric[i].get_or_insert((38, 0));
                        if field == SQL_DESC_PRECISION {
                            e.0 = v as u8;
                        } else {
                            e.1 = v as i8;
                        }
                        record::<ColBind>(&mut st.cols, i);
                        return Ok(SqlReturn::SUCCESS);
                    }
                    let c = record::<ColBind>(&mut st.cols, i);
                    match field {
                        SQL_DESC_CONCISE_TYPE | SQL_DESC_TYPE => c.c_type = small,
                        SQL_DESC_DATETIME_INTERVAL_CODE => {
                            if verbose(c.c_type).0 == SQL_DATETIME {
                                c.c_type = 90 + small;
                            }
                        }
                        SQL_DESC_DATA_PTR => c.ptr = v,
                        SQL_DESC_INDICATOR_PTR | SQL_DESC_OCTET_LENGTH_PTR => c.ind_ptr = v,
                        SQL_DESC_OCTET_LENGTH | SQL_DESC_LENGTH => c.buffer_len = v as isize,
                        _ => return err("HY091", format!("invalid ARD field {}", field)),
                    }
                }
                _ => {
                    let apd = which == APD;
                    let p = record::<ParamBind>(&mut st.params, i);
                    if p.io_type == 0 {
                        p.io_type = 1;
                    }
                    match field {
                        SQL_DESC_CONCISE_TYPE | SQL_DESC_TYPE if apd => p.c_type = small,
                        SQL_DESC_CONCISE_TYPE | SQL_DESC_TYPE => p.sql_type = small,
                        SQL_DESC_DATA_PTR if apd => p.ptr = v,
                        SQL_DESC_INDICATOR_PTR | SQL_DESC_OCTET_LENGTH_PTR if apd => p.ind_ptr = v,
                        SQL_DESC_OCTET_LENGTH if apd => p.buffer_len = v as isize,
                        SQL_DESC_LENGTH | SQL_DESC_PRECISION if !apd => p.column_size = v,
                        SQL_DESC_SCALE if !apd => p.decimal_digits = small,
                        SQL_DESC_PARAMETER_TYPE if !apd => p.io_type = small,
                        _ => return err("HY091", format!("invalid descriptor field {}", field)),
                    }
                }
            }
        }
    }
    Ok(SqlReturn::SUCCESS)
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetDescField(
    h: H,
    rec: SmallInt,
    field: SmallInt,
    value: *mut c_void,
    cap: Integer,
    len: *mut Integer,
) -> SqlReturn {
    get_desc_field(h, rec, field, value, cap, len, false)
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetDescFieldW(
    h: H,
    rec: SmallInt,
    field: SmallInt,
    value: *mut c_void,
    cap: Integer,
    len: *mut Integer,
) -> SqlReturn {
    get_desc_field(h, rec, field, value, cap, len, true)
}

#[no_mangle]
pub unsafe extern "system" fn SQLSetDescField(
    h: H,
    rec: SmallInt,
    field: SmallInt,
    value: *mut c_void,
    len: Integer,
) -> SqlReturn {
    let _ = len;
    on_desc(h, |d, st, _| set_field(d, st, rec, field, value as usize))
}

#[no_mangle]
pub unsafe extern "system" fn SQLSetDescFieldW(
    h: H,
    rec: SmallInt,
    field: SmallInt,
    value: *mut c_void,
    len: Integer,
) -> SqlReturn {
    SQLSetDescField(h, rec, field, value, len)
}

unsafe fn get_desc_rec(
    h: H,
    rec: SmallInt,
    name: *mut c_void,
    cap: SmallInt,
    name_len: *mut SmallInt,
    typ: *mut SmallInt,
    sub: *mut SmallInt,
    length: *mut Len,
    precision: *mut SmallInt,
    scale: *mut SmallInt,
    nullable: *mut SmallInt,
    wide: bool,
) -> SqlReturn {
    on_desc(h, |d, st, diags| {
        if rec <= 0 {
            return Err(no_record(rec));
        }
        let count = match header(d, st, SQL_DESC_COUNT) {
            Some(Field::Int(n)) => n,
            _ => 0,
        };
        if rec as i64 > count {
            return Ok(SqlReturn::NO_DATA);
        }
        let num = |f| match get_field(d, st, rec, f) {
            Ok(Field::Int(v)) => v,
            _ => 0,
        };
        let n = if (d % EXPLICIT) == IRD {
            match get_field(d, st, rec, SQL_DESC_NAME)? {
                Field::Text(s) => s,
                Field::Int(_) => String::new(),
            }
        } else {
            String::new()
        };
        let w = put_chars(diags, &n, wide, name, cap as isize);
        out(name_len, small(w));
        out(typ, num(SQL_DESC_TYPE) as SmallInt);
        out(sub, num(SQL_DESC_DATETIME_INTERVAL_CODE) as SmallInt);
        let len_field = if (d % EXPLICIT) == IRD || (d % EXPLICIT) == IPD {
            SQL_DESC_LENGTH
        } else {
            SQL_DESC_OCTET_LENGTH
        };
        out(length, num(len_field) as Len);
        out(precision, num(SQL_DESC_PRECISION) as SmallInt);
        out(scale, num(SQL_DESC_SCALE) as SmallInt);
        out(
            nullable,
            if (d % EXPLICIT) >= IRD {
                num(SQL_DESC_NULLABLE) as SmallInt
            } else {
                0
            },
        );
        Ok(SqlReturn::SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetDescRec(
    h: H,
    rec: SmallInt,
    name: *mut u8,
    cap: SmallInt,
    name_len: *mut SmallInt,
    typ: *mut SmallInt,
    sub: *mut SmallInt,
    length: *mut Len,
    precision: *mut SmallInt,
    scale: *mut SmallInt,
    nullable: *mut SmallInt,
) -> SqlReturn {
    get_desc_rec(
        h,
        rec,
        name.cast(),
        cap,
        name_len,
        typ,
        sub,
        length,
        precision,
        scale,
        nullable,
        false,
    )
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetDescRecW(
    h: H,
    rec: SmallInt,
    name: *mut u16,
    cap: SmallInt,
    name_len: *mut SmallInt,
    typ: *mut SmallInt,
    sub: *mut SmallInt,
    length: *mut Len,
    precision: *mut SmallInt,
    scale: *mut SmallInt,
    nullable: *mut SmallInt,
) -> SqlReturn {
    get_desc_rec(
        h,
        rec,
        name.cast(),
        cap,
        name_len,
        typ,
        sub,
        length,
        precision,
        scale,
        nullable,
        true,
    )
}

#[no_mangle]
pub unsafe extern "system" fn SQLSetDescRec(
    h: H,
    rec: SmallInt,
    typ: SmallInt,
    sub: SmallInt,
    length: Len,
    precision: SmallInt,
    scale: SmallInt,
    data: *mut c_void,
    octet_len: *mut Len,
    ind: *mut Len,
) -> SqlReturn {
    on_desc(h, |d, st, _| {
        if rec <= 0 {
            return Err(no_record(rec));
        }
        let concise = if typ == SQL_DATETIME { 90 + sub } else { typ };
        set_field(d, st, rec, SQL_DESC_CONCISE_TYPE, concise as isize as usize)?;
        if d % EXPLICIT == ARD || d % EXPLICIT == APD {
            set_field(d, st, rec, SQL_DESC_OCTET_LENGTH, length as usize)?;
            set_field(d, st, rec, SQL_DESC_DATA_PTR, data as usize)?;
            set_field(d, st, rec, SQL_DESC_INDICATOR_PTR, ind as usize)?;
            if octet_len != ind && !octet_len.is_null() {
                set_field(d, st, rec, SQL_DESC_OCTET_LENGTH_PTR, octet_len as usize)?;
            }
        } else {
            set_field(d, st, rec, SQL_DESC_LENGTH, length as usize)?;
        }
        if (d % EXPLICIT) != APD {
            set_field(d, st, rec, SQL_DESC_PRECISION, precision as usize)?;
            set_field(d, st, rec, SQL_DESC_SCALE, scale as isize as usize)?;
        }
        Ok(SqlReturn::SUCCESS)
    })
}

/// Copies the records and header of one descriptor to another of the
/// same kind (an ARD or explicit descriptor to an ARD or explicit one, APD
/// to APD, IPD to IPD), on the same or another statement.
#[no_mangle]
pub unsafe extern "system" fn SQLCopyDesc(src: H, dst: H) -> SqlReturn {
    let (Some(from), Some(_)) = (desc(src), desc(dst)) else {
        return SqlReturn::INVALID_HANDLE;
    };
    // Read the source first (its statement may be the destination's).
    let snapshot = |st: &StmtState| {
        (
            st.cols.clone(),
            st.params.clone(),
            st.attrs.clone(),
            st.fx.numeric.clone(),
        )
    };
    let copied = match from.own.as_ref() {
        Some(own) => snapshot(&lock(own).st),
        None => match stmt(from.stmt as H) {
            Some(s) => snapshot(&lock(&s.st)),
            None => return SqlReturn::INVALID_HANDLE,
        },
    };
    let rows = |w: usize| w == ARD || w == EXPLICIT;
    let which = from.which;
    on_desc(dst, |d, st, _| {
        if d == IRD {
            return err(
                "HY016",
                "the implementation row descriptor cannot be modified",
            );
        }
        let (cols, params, attrs, numeric) = copied;
        if rows(d) && rows(which) {
            st.cols = cols;
            st.fx.numeric = numeric;
            st.attrs.row_array_size = attrs.row_array_size;
            st.attrs.row_bind_type = attrs.row_bind_type;
            st.attrs.row_bind_offset_ptr = attrs.row_bind_offset_ptr;
            st.attrs.row_operation_ptr = attrs.row_operation_ptr;
        } else if d == which && d == APD {
            st.params = params;
            st.attrs.paramset_size = attrs.paramset_size;
            st.attrs.param_bind_type = attrs.param_bind_type;
            st.attrs.param_bind_offset_ptr = attrs.param_bind_offset_ptr;
            st.attrs.param_operation_ptr = attrs.param_operation_ptr;
        } else if d == which && d == IPD {
            st.params = params;
            st.attrs.param_status_ptr = attrs.param_status_ptr;
            st.attrs.params_processed_ptr = attrs.params_processed_ptr;
        } else {
            return err(
                "HYC00",
                "copying between descriptors of different kinds is not supported",
            );
        }
        Ok(SqlReturn::SUCCESS)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(r: Result<Field, E>) -> i64 {
        match r {
            Ok(Field::Int(v)) => v,
            _ => panic!("not a number"),
        }
    }

    fn state(r: R) -> &'static str {
        match r {
            Ok(_) => "",
            Err(E::Odbc(s, _)) => s,
            Err(E::Pg(_)) => "pg",
        }
    }

    #[test]
    fn ard_fields_are_the_column_bindings_and_row_attributes() {
        let mut st = StmtState::default();
        assert_eq!(
            state(set_field(ARD, &mut st, 2, SQL_DESC_CONCISE_TYPE, 4)),
            ""
        );
        assert_eq!(
            state(set_field(ARD, &mut st, 2, SQL_DESC_DATA_PTR, 0x100)),
            ""
        );
        assert_eq!(
            state(set_field(ARD, &mut st, 2, SQL_DESC_OCTET_LENGTH, 8)),
            ""
        );
        assert_eq!(
            state(set_field(ARD, &mut st, 2, SQL_DESC_INDICATOR_PTR, 0x200)),
            ""
        );
        let c = st.cols[1].clone().unwrap();
        assert_eq!(
            (c.c_type, c.ptr, c.buffer_len, c.ind_ptr),
            (4, 0x100, 8, 0x200)
        );
        assert!(st.cols[0].is_none());
        assert_eq!(int(get_field(ARD, &st, 0, SQL_DESC_COUNT)), 2);
        assert_eq!(
            state(set_field(ARD, &mut st, 0, SQL_DESC_ARRAY_SIZE, 5)),
            ""
        );
        assert_eq!(st.attrs.row_array_size, 5);
        assert_eq!(
            state(set_field(ARD, &mut st, 0, SQL_DESC_ARRAY_SIZE, 0)),
            "HY024"
        );
        assert_eq!(
            state(set_field(ARD, &mut st, 0, SQL_DESC_BIND_TYPE, 32)),
            ""
        );
        assert_eq!(st.attrs.row_bind_type, 32);
        // A datetime type is SQL_DATETIME with its interval code.
        set_field(ARD, &mut st, 1, SQL_DESC_CONCISE_TYPE, 93).ok();
        assert_eq!(int(get_field(ARD, &st, 1, SQL_DESC_TYPE)), 9);
        assert_eq!(
            int(get_field(ARD, &st, 1, SQL_DESC_DATETIME_INTERVAL_CODE)),
            3
        );
        // Numeric precision and scale, 38 until set.
        set_field(ARD, &mut st, 1, SQL_DESC_SCALE, 2).ok();
        assert_eq!(st.fx.numeric[0], Some((38, 2)));
        assert_eq!(int(get_field(ARD, &st, 0, SQL_DESC_ALLOC_TYPE)), 1);
        assert_eq!(int(get_field(EXPLICIT, &st, 0, SQL_DESC_ALLOC_TYPE)), 2);
        assert_eq!(state(set_field(ARD, &mut st, 0, SQL_DESC_COUNT, 1)), "");
        assert_eq!(st.cols.len(), 1);
        assert_eq!(
            state(set_field(ARD, &mut st, 0, SQL_DESC_ROWS_PROCESSED_PTR, 1)),
            "HY091"
        );
        assert_eq!(
            state(set_field(ARD, &mut st, 0, SQL_DESC_DATA_PTR, 1)),
            "07009"
        );
    }

    #[test]
    fn apd_ipd_share_the_parameter_records_and_the_ird_is_read_only() {
        let mut st = StmtState::default();
        set_field(APD, &mut st, 1, SQL_DESC_CONCISE_TYPE, 1).ok();
        set_field(IPD, &mut st, 1, SQL_DESC_CONCISE_TYPE, 12).ok();
        set_field(IPD, &mut st, 1, SQL_DESC_LENGTH, 40).ok();
        let p = st.params[0].clone().unwrap();
        assert_eq!(
            (p.c_type, p.sql_type, p.column_size, p.io_type),
            (1, 12, 40, 1)
        );
        assert_eq!(int(get_field(IPD, &st, 1, SQL_DESC_PARAMETER_TYPE)), 1);
        assert_eq!(int(get_field(APD, &st, 0, SQL_DESC_COUNT)), 1);
        set_field(APD, &mut st, 0, SQL_DESC_ARRAY_SIZE, 9).ok();
        assert_eq!(st.attrs.paramset_size, 9);
        set_field(IPD, &mut st, 0, SQL_DESC_ROWS_PROCESSED_PTR, 0x300).ok();
        assert_eq!(st.attrs.params_processed_ptr, 0x300);
        assert_eq!(
            state(set_field(IRD, &mut st, 1, SQL_DESC_CONCISE_TYPE, 1)),
            "HY016"
        );
        assert_eq!(int(get_field(IRD, &st, 0, SQL_DESC_COUNT)), 0);
        assert!(get_field(IRD, &st, 1, SQL_DESC_CONCISE_TYPE).is_err());
    }

    #[test]
    fn an_explicit_descriptor_becomes_an_ard_or_the_application_half_of_an_apd() {
        let mut own = StmtState::default();
        set_field(EXPLICIT, &mut own, 1, SQL_DESC_CONCISE_TYPE, 4).ok();
        set_field(EXPLICIT, &mut own, 1, SQL_DESC_DATA_PTR, 0x10).ok();
        set_field(EXPLICIT, &mut own, 0, SQL_DESC_ARRAY_SIZE, 2).ok();
        let mut st = StmtState::default();
        apply(&own, ARD, &mut st);
        assert_eq!(st.cols[0].as_ref().map(|c| c.ptr), Some(0x10));
        assert_eq!(st.attrs.row_array_size, 2);
        let mut st = StmtState::default();
        set_field(IPD, &mut st, 1, SQL_DESC_CONCISE_TYPE, 12).ok();
        apply(&own, APD, &mut st);
        let p = st.params[0].clone().unwrap();
        assert_eq!((p.c_type, p.ptr, p.sql_type), (4, 0x10, 12));
        assert_eq!(st.attrs.paramset_size, 2);
    }
}
