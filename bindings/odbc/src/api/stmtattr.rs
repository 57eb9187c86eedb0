//! Statement attributes: SQLSetStmtAttr / SQLGetStmtAttr (ANSI and wide)
//! and ODBC 2's SQLSetStmtOption / SQLGetStmtOption, over the statement's
//! `StmtAttrs`; the cursor is forward-only and read-only, as PostgreSQL's
//! results are, and the driver-specific SQL_ATTR_PGTC_LAST_SERVER says
//! where the last statement ran.

#![allow(non_snake_case, clippy::missing_safety_doc, clippy::too_many_arguments)]

use super::*;

pub const SQL_ATTR_QUERY_TIMEOUT: Integer = 0;
pub const SQL_ATTR_MAX_ROWS: Integer = 1;
pub const SQL_ATTR_NOSCAN: Integer = 2;
pub const SQL_ATTR_MAX_LENGTH: Integer = 3;
pub const SQL_ATTR_ASYNC_ENABLE: Integer = 4;
pub const SQL_ATTR_ROW_BIND_TYPE: Integer = 5;
pub const SQL_ATTR_CURSOR_TYPE: Integer = 6;
pub const SQL_ATTR_CONCURRENCY: Integer = 7;
pub const SQL_ATTR_KEYSET_SIZE: Integer = 8;
pub const SQL_ROWSET_SIZE: Integer = 9;
pub const SQL_ATTR_SIMULATE_CURSOR: Integer = 10;
pub const SQL_ATTR_RETRIEVE_DATA: Integer = 11;
pub const SQL_ATTR_USE_BOOKMARKS: Integer = 12;
pub const SQL_GET_BOOKMARK: Integer = 13;
pub const SQL_ATTR_ROW_NUMBER: Integer = 14;
pub const SQL_ATTR_ENABLE_AUTO_IPD: Integer = 15;
pub const SQL_ATTR_FETCH_BOOKMARK_PTR: Integer = 16;
pub const SQL_ATTR_PARAM_BIND_OFFSET_PTR: Integer = 17;
pub const SQL_ATTR_PARAM_BIND_TYPE: Integer = 18;
pub const SQL_ATTR_PARAM_OPERATION_PTR: Integer = 19;
pub const SQL_ATTR_PARAM_STATUS_PTR: Integer = 20;
pub const SQL_ATTR_PARAMS_PROCESSED_PTR: Integer = 21;
pub const SQL_ATTR_PARAMSET_SIZE: Integer = 22;
pub const SQL_ATTR_ROW_BIND_OFFSET_PTR: Integer = 23;
pub const SQL_ATTR_ROW_OPERATION_PTR: Integer = 24;
pub const SQL_ATTR_ROW_STATUS_PTR: Integer = 25;
pub const SQL_ATTR_ROWS_FETCHED_PTR: Integer = 26;
pub const SQL_ATTR_ROW_ARRAY_SIZE: Integer = 27;
pub const SQL_ATTR_ASYNC_STMT_EVENT: Integer = 29;
pub const SQL_ATTR_APP_ROW_DESC: Integer = 10010;
pub const SQL_ATTR_APP_PARAM_DESC: Integer = 10011;
pub const SQL_ATTR_IMP_ROW_DESC: Integer = 10012;
pub const SQL_ATTR_IMP_PARAM_DESC: Integer = 10013;
pub const SQL_ATTR_METADATA_ID: Integer = 10014;
pub const SQL_ATTR_CURSOR_SCROLLABLE: Integer = -1;
pub const SQL_ATTR_CURSOR_SENSITIVITY: Integer = -2;
/// Driver-specific (SQL_DRIVER_STMT_ATTR_BASE + 1), read-only: where the
/// last statement ran, as text: "primary", "standby", "both" or "none".
/// Declared in bindings/odbc/include/pgtc_odbc.h.
pub const SQL_ATTR_PGTC_LAST_SERVER: Integer = 0x4001;

const SQL_CURSOR_FORWARD_ONLY: usize = 0;
const SQL_CONCUR_READ_ONLY: usize = 1;
const SQL_INSENSITIVE: usize = 1;
const SQL_SENSITIVE: usize = 2;

/// What an attribute holds.
enum Value {
    Int(usize),
    Ptr(usize),
    Text(String),
}

fn bool_value(v: usize, name: &str) -> Result<bool, E> {
    match v {
        0 => Ok(false),
        1 => Ok(true),
        _ => err(
            "HY024",
            format!("invalid value {} for {} (0 or 1)", v, name),
        ),
    }
}

fn changed(st: &mut StmtState, what: &str) {
    st.diags.push(
        "01S02",
        format!(
            "option value changed: {} (forward-only, read-only cursors only)",
            what
        ),
    );
}

/// Where the last statement ran: the current execution's result, else
/// what the last one recorded.
pub fn last_server(st: &StmtState) -> &'static str {
    st.result
        .as_ref()
        .and_then(|r| r.server)
        .or(st.fx.last_server)
        .map_or("none", |s| s.name())
}

unsafe fn set_attr(h: H, dbc: usize, st: &mut StmtState, attr: Integer, v: *mut c_void) -> R {
    let n = v as usize;
    let a = &mut st.attrs;
    match attr {
        SQL_ATTR_QUERY_TIMEOUT => a.query_timeout = n,
        SQL_ATTR_MAX_ROWS => a.max_rows = n,
        SQL_ATTR_NOSCAN => a.noscan = bool_value(n, "SQL_ATTR_NOSCAN")?,
        SQL_ATTR_MAX_LENGTH => a.max_length = n,
        SQL_ATTR_ASYNC_ENABLE => {
            if n != 0 {
                return err("HYC00", "asynchronous execution is not supported");
            }
        }
        SQL_ATTR_ROW_BIND_TYPE => a.row_bind_type = n,
        SQL_ATTR_CURSOR_TYPE => {
            if n != SQL_CURSOR_FORWARD_ONLY {
                changed(st, "SQL_ATTR_CURSOR_TYPE is SQL_CURSOR_FORWARD_ONLY");
            }
        }
        SQL_ATTR_CONCURRENCY => {
            if n != SQL_CONCUR_READ_ONLY {
                changed(st, "SQL_ATTR_CONCURRENCY is SQL_CONCUR_READ_ONLY");
            }
        }
        SQL_ATTR_KEYSET_SIZE => {
            if n != 0 {
                changed(st, "SQL_ATTR_KEYSET_SIZE is 0");
            }
        }
        SQL_ROWSET_SIZE => {
            if n == 0 {
                return err("HY024", "SQL_ROWSET_SIZE must be at least 1");
            }
            st.fx.rowset_size = n;
        }
        SQL_ATTR_SIMULATE_CURSOR => {
            if n != 0 {
                changed(st, "SQL_ATTR_SIMULATE_CURSOR is SQL_SC_NON_UNIQUE");
            }
        }
        SQL_ATTR_RETRIEVE_DATA => a.retrieve_data = bool_value(n, "SQL_ATTR_RETRIEVE_DATA")?,
        SQL_ATTR_USE_BOOKMARKS => {
            if n != 0 {
                return err("HYC00", "bookmarks are not supported");
            }
        }
        SQL_ATTR_ENABLE_AUTO_IPD => {
            if bool_value(n, "SQL_ATTR_ENABLE_AUTO_IPD")? {
                return err("HYC00", "automatic population of the IPD is not supported");
            }
        }
        SQL_ATTR_FETCH_BOOKMARK_PTR => st.fx.fetch_bookmark_ptr = n,
        SQL_ATTR_PARAM_BIND_OFFSET_PTR => a.param_bind_offset_ptr = n,
        SQL_ATTR_PARAM_BIND_TYPE => a.param_bind_type = n,
        SQL_ATTR_PARAM_OPERATION_PTR => a.param_operation_ptr = n,
        SQL_ATTR_PARAM_STATUS_PTR => a.param_status_ptr = n,
        SQL_ATTR_PARAMS_PROCESSED_PTR => a.params_processed_ptr = n,
        SQL_ATTR_PARAMSET_SIZE => {
            if n == 0 {
                return err("HY024", "SQL_ATTR_PARAMSET_SIZE must be at least 1");
            }
            a.paramset_size = n;
        }
        SQL_ATTR_ROW_BIND_OFFSET_PTR => a.row_bind_offset_ptr = n,
        SQL_ATTR_ROW_OPERATION_PTR => a.row_operation_ptr = n,
        SQL_ATTR_ROW_STATUS_PTR => a.row_status_ptr = n,
        SQL_ATTR_ROWS_FETCHED_PTR => a.rows_fetched_ptr = n,
        SQL_ATTR_ROW_ARRAY_SIZE => {
            if n == 0 {
                return err("HY024", "SQL_ATTR_ROW_ARRAY_SIZE must be at least 1");
            }
            a.row_array_size = n;
        }
        SQL_ATTR_METADATA_ID => a.metadata_id = bool_value(n, "SQL_ATTR_METADATA_ID")?,
        SQL_ATTR_CURSOR_SCROLLABLE => {
            if n != 0 {
                return err(
                    "HYC00",
                    "scrollable cursors are not supported (forward-only)",
                );
            }
        }
        SQL_ATTR_CURSOR_SENSITIVITY => match n {
            0 | SQL_INSENSITIVE => st.fx.sensitivity = n,
            SQL_SENSITIVE => {
                st.fx.sensitivity = SQL_INSENSITIVE;
                changed(st, "SQL_ATTR_CURSOR_SENSITIVITY is SQL_INSENSITIVE");
            }
            _ => return err("HY024", format!("invalid cursor sensitivity {}", n)),
        },
        SQL_ATTR_APP_ROW_DESC | SQL_ATTR_APP_PARAM_DESC => {
            desc::set_app_desc(h, dbc, st, attr == SQL_ATTR_APP_ROW_DESC, v)?
        }
        SQL_ATTR_IMP_ROW_DESC | SQL_ATTR_IMP_PARAM_DESC => {
            return err("HY017", "the implementation descriptors cannot be replaced")
        }
        SQL_GET_BOOKMARK | SQL_ATTR_ROW_NUMBER | SQL_ATTR_PGTC_LAST_SERVER => {
            return err(
                "HY092",
                format!("statement attribute {} is read-only", attr),
            )
        }
        SQL_ATTR_ASYNC_STMT_EVENT => {
            return err("HYC00", "asynchronous notification is not supported")
        }
        _ => return err("HY092", format!("invalid statement attribute {}", attr)),
    }
    Ok(SqlReturn::SUCCESS)
}

unsafe fn get_attr(h: H, st: &mut StmtState, attr: Integer) -> Result<Value, E> {
    let a = &st.attrs;
    Ok(match attr {
        SQL_ATTR_QUERY_TIMEOUT => Value::Int(a.query_timeout),
        SQL_ATTR_MAX_ROWS => Value::Int(a.max_rows),
        SQL_ATTR_NOSCAN => Value::Int(a.noscan as usize),
        SQL_ATTR_MAX_LENGTH => Value::Int(a.max_length),
        SQL_ATTR_ASYNC_ENABLE => Value::Int(0),
        SQL_ATTR_ROW_BIND_TYPE => Value::Int(a.row_bind_type),
        SQL_ATTR_CURSOR_TYPE => Value::Int(SQL_CURSOR_FORWARD_ONLY),
        SQL_ATTR_CONCURRENCY => Value::Int(SQL_CONCUR_READ_ONLY),
        SQL_ATTR_KEYSET_SIZE => Value::Int(0),
        SQL_ROWSET_SIZE => Value::Int(st.fx.rowset_size.max(1)),
        SQL_ATTR_SIMULATE_CURSOR => Value::Int(0),
        SQL_ATTR_RETRIEVE_DATA => Value::Int(a.retrieve_data as usize),
        SQL_ATTR_USE_BOOKMARKS => Value::Int(0),
        SQL_GET_BOOKMARK => return err("HYC00", "bookmarks are not supported"),
        SQL_ATTR_ROW_NUMBER => {
            let on_row = st
                .current()
                .is_some_and(|r| st.row.is_some_and(|i| i < r.rows()));
            Value::Int(if on_row { st.fx.fetched } else { 0 })
        }
        SQL_ATTR_ENABLE_AUTO_IPD => Value::Int(0),
        SQL_ATTR_FETCH_BOOKMARK_PTR => Value::Ptr(st.fx.fetch_bookmark_ptr),
        SQL_ATTR_PARAM_BIND_OFFSET_PTR => Value::Ptr(a.param_bind_offset_ptr),
        SQL_ATTR_PARAM_BIND_TYPE => Value::Int(a.param_bind_type),
        SQL_ATTR_PARAM_OPERATION_PTR => Value::Ptr(a.param_operation_ptr),
        SQL_ATTR_PARAM_STATUS_PTR => Value::Ptr(a.param_status_ptr),
        SQL_ATTR_PARAMS_PROCESSED_PTR => Value::Ptr(a.params_processed_ptr),
        SQL_ATTR_PARAMSET_SIZE => Value::Int(a.paramset_size),
        SQL_ATTR_ROW_BIND_OFFSET_PTR => Value::Ptr(a.row_bind_offset_ptr),
        SQL_ATTR_ROW_OPERATION_PTR => Value::Ptr(a.row_operation_ptr),
        SQL_ATTR_ROW_STATUS_PTR => Value::Ptr(a.row_status_ptr),
        SQL_ATTR_ROWS_FETCHED_PTR => Value::Ptr(a.rows_fetched_ptr),
        SQL_ATTR_ROW_ARRAY_SIZE => Value::Int(a.row_array_size),
        SQL_ATTR_METADATA_ID => Value::Int(a.metadata_id as usize),
        SQL_ATTR_CURSOR_SCROLLABLE => Value::Int(0),
        SQL_ATTR_CURSOR_SENSITIVITY => Value::Int(st.fx.sensitivity),
        SQL_ATTR_APP_ROW_DESC => Value::Ptr(desc::app_desc(h, st, true)),
        SQL_ATTR_APP_PARAM_DESC => Value::Ptr(desc::app_desc(h, st, false)),
        SQL_ATTR_IMP_ROW_DESC => Value::Ptr(desc::implicit(h, st, desc::IRD)),
        SQL_ATTR_IMP_PARAM_DESC => Value::Ptr(desc::implicit(h, st, desc::IPD)),
        SQL_ATTR_PGTC_LAST_SERVER => Value::Text(last_server(st).to_string()),
        SQL_ATTR_ASYNC_STMT_EVENT => {
            return err("HYC00", "asynchronous notification is not supported")
        }
        _ => return err("HY092", format!("invalid statement attribute {}", attr)),
    })
}

unsafe fn get_stmt_attr(
    h: H,
    attr: Integer,
    value: *mut c_void,
    cap: Integer,
    len: *mut Integer,
    wide: bool,
) -> SqlReturn {
    on_stmt(h, |_, st| {
        match get_attr(h, st, attr)? {
            Value::Int(n) | Value::Ptr(n) => {
                if value.is_null() {
                    return err("HY009", "the value pointer is NULL");
                }
                out(value.cast::<ULen>(), n as ULen);
                out(len, std::mem::size_of::<ULen>() as Integer);
            }
            Value::Text(t) => {
                if cap < 0 {
                    return err("HY090", format!("invalid buffer length {}", cap));
                }
                let n = put_bytes(&mut st.diags, &t, wide, value, cap as isize);
                out(len, int(n));
            }
        }
        Ok(SqlReturn::SUCCESS)
    })
}

#[no_mangle]
pub unsafe extern "system" fn SQLSetStmtAttr(
    h: H,
    attr: Integer,
    value: *mut c_void,
    len: Integer,
) -> SqlReturn {
    let _ = len;
    on_stmt(h, |s, st| set_attr(h, s.dbc, st, attr, value))
}

#[no_mangle]
pub unsafe extern "system" fn SQLSetStmtAttrW(
    h: H,
    attr: Integer,
    value: *mut c_void,
    len: Integer,
) -> SqlReturn {
    SQLSetStmtAttr(h, attr, value, len)
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetStmtAttr(
    h: H,
    attr: Integer,
    value: *mut c_void,
    cap: Integer,
    len: *mut Integer,
) -> SqlReturn {
    get_stmt_attr(h, attr, value, cap, len, false)
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetStmtAttrW(
    h: H,
    attr: Integer,
    value: *mut c_void,
    cap: Integer,
    len: *mut Integer,
) -> SqlReturn {
    get_stmt_attr(h, attr, value, cap, len, true)
}

#[no_mangle]
pub unsafe extern "system" fn SQLSetStmtOption(h: H, option: USmallInt, value: ULen) -> SqlReturn {
    SQLSetStmtAttr(h, option as Integer, value as *mut c_void, 0)
}

#[no_mangle]
pub unsafe extern "system" fn SQLGetStmtOption(
    h: H,
    option: USmallInt,
    value: *mut c_void,
) -> SqlReturn {
    get_stmt_attr(
        h,
        option as Integer,
        value,
        256,
        std::ptr::null_mut(),
        false,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stmt() -> Mutex<StmtState> {
        Mutex::new(StmtState::default())
    }

    unsafe fn set(s: &Mutex<StmtState>, attr: Integer, v: usize) -> Result<Vec<String>, String> {
        let mut st = lock(s);
        st.diags.clear();
        match set_attr(std::ptr::null_mut(), 0, &mut st, attr, v as *mut c_void) {
            Ok(_) => Ok(st.diags.0.iter().map(|d| d.sqlstate.clone()).collect()),
            Err(E::Odbc(state, _)) => Err(state.to_string()),
            Err(E::Pg(e)) => Err(e.sqlstate),
        }
    }

    unsafe fn get(s: &Mutex<StmtState>, attr: Integer) -> Result<usize, String> {
        let mut st = lock(s);
        match get_attr(std::ptr::null_mut(), &mut st, attr) {
            Ok(Value::Int(n) | Value::Ptr(n)) => Ok(n),
            Ok(Value::Text(t)) => Err(t),
            Err(E::Odbc(state, _)) => Err(state.to_string()),
            Err(E::Pg(e)) => Err(e.sqlstate),
        }
    }

    #[test]
    fn every_settable_attribute_reads_back() {
        unsafe {
            let s = stmt();
            for (attr, v) in [
                (SQL_ATTR_QUERY_TIMEOUT, 30),
                (SQL_ATTR_MAX_ROWS, 10),
                (SQL_ATTR_NOSCAN, 1),
                (SQL_ATTR_MAX_LENGTH, 100),
                (SQL_ATTR_ROW_BIND_TYPE, 24),
                (SQL_ROWSET_SIZE, 4),
                (SQL_ATTR_RETRIEVE_DATA, 0),
                (SQL_ATTR_FETCH_BOOKMARK_PTR, 0x1000),
                (SQL_ATTR_PARAM_BIND_OFFSET_PTR, 0x1008),
                (SQL_ATTR_PARAM_BIND_TYPE, 16),
                (SQL_ATTR_PARAM_OPERATION_PTR, 0x1010),
                (SQL_ATTR_PARAM_STATUS_PTR, 0x1018),
                (SQL_ATTR_PARAMS_PROCESSED_PTR, 0x1020),
                (SQL_ATTR_PARAMSET_SIZE, 7),
                (SQL_ATTR_ROW_BIND_OFFSET_PTR, 0x1028),
                (SQL_ATTR_ROW_OPERATION_PTR, 0x1030),
                (SQL_ATTR_ROW_STATUS_PTR, 0x1038),
                (SQL_ATTR_ROWS_FETCHED_PTR, 0x1040),
                (SQL_ATTR_ROW_ARRAY_SIZE, 3),
                (SQL_ATTR_METADATA_ID, 1),
                (SQL_ATTR_CURSOR_SENSITIVITY, SQL_INSENSITIVE),
            ] {
                assert_eq!(set(&s, attr, v), Ok(vec![]), "attribute {}", attr);
                assert_eq!(get(&s, attr), Ok(v), "attribute {}", attr);
            }
            // The shared records hold them, with their meaning.
            let st = lock(&s);
            assert_eq!(st.attrs.paramset_size, 7);
            assert_eq!(st.attrs.param_status_ptr, 0x1018);
            assert_eq!(st.attrs.row_array_size, 3);
            assert!(!st.attrs.retrieve_data && st.attrs.noscan && st.attrs.metadata_id);
        }
    }

    #[test]
    fn forward_only_cursors_and_bad_values() {
        unsafe {
            let s = stmt();
            let changed = Ok(vec!["01S02".to_string()]);
            assert_eq!(set(&s, SQL_ATTR_CURSOR_TYPE, 3), changed);
            assert_eq!(get(&s, SQL_ATTR_CURSOR_TYPE), Ok(SQL_CURSOR_FORWARD_ONLY));
            assert_eq!(set(&s, SQL_ATTR_CURSOR_TYPE, 0), Ok(vec![]));
            assert_eq!(set(&s, SQL_ATTR_CONCURRENCY, 2), changed);
            assert_eq!(get(&s, SQL_ATTR_CONCURRENCY), Ok(SQL_CONCUR_READ_ONLY));
            assert_eq!(set(&s, SQL_ATTR_CURSOR_SENSITIVITY, SQL_SENSITIVE), changed);
            assert_eq!(get(&s, SQL_ATTR_CURSOR_SENSITIVITY), Ok(SQL_INSENSITIVE));
            assert_eq!(set(&s, SQL_ATTR_KEYSET_SIZE, 5), changed);
            assert_eq!(set(&s, SQL_ATTR_CURSOR_SCROLLABLE, 1), Err("HYC00".into()));
            assert_eq!(set(&s, SQL_ATTR_ASYNC_ENABLE, 1), Err("HYC00".into()));
            assert_eq!(set(&s, SQL_ATTR_ASYNC_ENABLE, 0), Ok(vec![]));
            assert_eq!(set(&s, SQL_ATTR_USE_BOOKMARKS, 1), Err("HYC00".into()));
            assert_eq!(set(&s, SQL_ATTR_ENABLE_AUTO_IPD, 1), Err("HYC00".into()));
            assert_eq!(set(&s, SQL_ATTR_ROW_ARRAY_SIZE, 0), Err("HY024".into()));
            assert_eq!(set(&s, SQL_ATTR_PARAMSET_SIZE, 0), Err("HY024".into()));
            assert_eq!(set(&s, SQL_ATTR_NOSCAN, 2), Err("HY024".into()));
            assert_eq!(set(&s, SQL_ATTR_IMP_ROW_DESC, 1), Err("HY017".into()));
            assert_eq!(set(&s, SQL_ATTR_ROW_NUMBER, 1), Err("HY092".into()));
            assert_eq!(set(&s, SQL_ATTR_PGTC_LAST_SERVER, 1), Err("HY092".into()));
            assert_eq!(set(&s, 12345, 1), Err("HY092".into()));
            assert_eq!(get(&s, 12345), Err("HY092".into()));
            assert_eq!(get(&s, SQL_ATTR_ROW_NUMBER), Ok(0));
            // Nothing has run.
            assert_eq!(get(&s, SQL_ATTR_PGTC_LAST_SERVER), Err("none".into()));
            lock(&s).fx.last_server = Some(pgtc::Server::Secondary);
            assert_eq!(get(&s, SQL_ATTR_PGTC_LAST_SERVER), Err("standby".into()));
        }
    }
}
