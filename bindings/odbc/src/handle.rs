//! The three handle kinds behind ODBC's opaque pointers, the registry
//! that tells a live handle of the right kind from anything else, and the
//! diagnostic records each handle keeps.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use pgtc::{ResultSet, Session};

use crate::getdata::Converted;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Env,
    Dbc,
    Stmt,
    Desc,
}

/// Every live handle, by address: a pointer that is not here (NULL, freed,
/// never allocated) or is here with another kind is SQL_INVALID_HANDLE.
fn registry() -> MutexGuard<'static, HashMap<usize, Kind>> {
    static LIVE: OnceLock<Mutex<HashMap<usize, Kind>>> = OnceLock::new();
    lock(LIVE.get_or_init(Default::default))
}

/// Locks a mutex, taking over one that a caught panic left poisoned (the
/// state it guards stays consistent: every entry point finishes or fails
/// before it changes anything that matters).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// One diagnostic record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    pub sqlstate: String,
    pub native: i32,
    pub message: String,
}

/// The records of the last call on a handle.
#[derive(Debug, Default)]
pub struct Diags(pub Vec<Diag>);

/// The prefix ODBC messages carry: the vendor and the component.
pub const PREFIX: &str = "[pgtc][ODBC]";

impl Diags {
    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn push(&mut self, sqlstate: &str, message: impl AsRef<str>) {
        self.0.push(Diag {
            sqlstate: sqlstate.to_string(),
            native: 0,
            message: format!("{} {}", PREFIX, message.as_ref()),
        });
    }

    /// A pgtc error: the server's SQLSTATE (or pgtc's own), pgtc's
    /// status number as the native error.
    pub fn push_error(&mut self, e: &pgtc::Error) {
        self.0.push(Diag {
            sqlstate: e.sqlstate.clone(),
            native: e.status as i32,
            message: format!("{} {}", PREFIX, e.message),
        });
    }
}

pub struct Env {
    pub st: Mutex<EnvState>,
}

pub struct EnvState {
    pub diags: Diags,
    pub odbc_version: i32,
    pub conns: usize,
}

pub type Shared = Arc<Mutex<Session>>;

pub struct Dbc {
    pub env: usize,
    pub st: Mutex<DbcState>,
    /// What is reached without the state lock (notices, the last server);
    /// its statements hold it too.
    pub shared: Arc<crate::conn::DbcShared>,
}

pub struct DbcState {
    pub diags: Diags,
    pub session: Option<Shared>,
    pub dsn: String,
    pub autocommit: bool,
    pub read_only: bool,
    pub login_timeout: u32,
    pub stmts: Vec<usize>,
    /// SQL_DBMS_VER, asked of the server once.
    pub dbms_ver: Option<String>,
    /// Rows per batch of a streamed result (`Fetch`); 0 reads results whole.
    pub fetch: usize,
    /// Connection keys and attributes of `conn` (type options, pgtc
    /// attributes set before connecting, the notice queue, …).
    pub conn: crate::conn::ConnState,
}

pub struct Stmt {
    pub dbc: usize,
    pub st: Mutex<StmtState>,
    /// The connection's `Dbc::shared`.
    pub conn: Arc<crate::conn::DbcShared>,
}

/// Where SQLGetData stands in the current row.
pub struct GetData {
    pub col: usize,
    pub offset: usize,
    pub value: Converted,
    /// Calls made on this column so far.
    pub calls: usize,
}

/// A parameter bound by SQLBindParameter: its APD record (what the
/// application's buffer holds) and its IPD record (what the server gets).
/// Addresses are kept as integers; 0 is a NULL pointer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParamBind {
    /// SQL_PARAM_INPUT (1), INPUT_OUTPUT (2), OUTPUT (4).
    pub io_type: i16,
    /// The C type of the buffer (SQL_C_…).
    pub c_type: i16,
    /// The SQL type the parameter has (SQL_…; the IPD's type).
    pub sql_type: i16,
    pub column_size: usize,
    pub decimal_digits: i16,
    /// ParameterValuePtr.
    pub ptr: usize,
    pub buffer_len: isize,
    /// StrLen_or_IndPtr (the octet length and the indicator).
    pub ind_ptr: usize,
}

/// A column bound by SQLBindCol (an ARD record).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColBind {
    pub c_type: i16,
    pub ptr: usize,
    pub buffer_len: isize,
    pub ind_ptr: usize,
}

/// Statement attributes (SQLSetStmtAttr), those the descriptors' header
/// fields share included. Pointers are addresses; 0 is NULL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StmtAttrs {
    pub paramset_size: usize,
    /// 0: column-wise binding; else the size of one row of parameters.
    pub param_bind_type: usize,
    pub param_bind_offset_ptr: usize,
    pub param_status_ptr: usize,
    pub params_processed_ptr: usize,
    pub param_operation_ptr: usize,
    pub row_array_size: usize,
    /// 0: column-wise binding; else the size of one row of columns.
    pub row_bind_type: usize,
    pub row_bind_offset_ptr: usize,
    pub row_status_ptr: usize,
    pub rows_fetched_ptr: usize,
    pub row_operation_ptr: usize,
    /// Seconds; 0 is no limit.
    pub query_timeout: usize,
    /// 0 is no limit.
    pub max_rows: usize,
    pub max_length: usize,
    /// SQL_ATTR_NOSCAN: true leaves escape sequences alone.
    pub noscan: bool,
    pub metadata_id: bool,
    pub retrieve_data: bool,
}

impl Default for StmtAttrs {
    fn default() -> Self {
        StmtAttrs {
            paramset_size: 1,
            param_bind_type: 0,
            param_bind_offset_ptr: 0,
            param_status_ptr: 0,
            params_processed_ptr: 0,
            param_operation_ptr: 0,
            row_array_size: 1,
            row_bind_type: 0,
            row_bind_offset_ptr: 0,
            row_status_ptr: 0,
            rows_fetched_ptr: 0,
            row_operation_ptr: 0,
            query_timeout: 0,
            max_rows: 0,
            max_length: 0,
            noscan: false,
            metadata_id: false,
            retrieve_data: true,
        }
    }
}

#[derive(Default)]
pub struct StmtState {
    pub diags: Diags,
    /// What fetching, the statement attributes and the descriptors keep
    /// besides the shared records.
    pub fx: crate::api::fetch::FetchState,
    /// The results of the last execution (chained by `next`), and which
    /// of them is current.
    pub result: Option<ResultSet>,
    pub index: usize,
    /// Whether a result is open (SQLExecDirect ran and it was neither
    /// closed nor consumed by SQLMoreResults).
    pub open: bool,
    /// The current row: None before the first SQLFetch.
    pub row: Option<usize>,
    pub getdata: Option<GetData>,
    /// The rows of the current result still on the server.
    pub stream: Option<crate::run::Stream>,
    /// Parameters bound by SQLBindParameter, by number (index 0 is
    /// parameter 1); None where a number is not bound.
    pub params: Vec<Option<ParamBind>>,
    /// Columns bound by SQLBindCol, by number (index 0 is column 1; the
    /// bookmark column 0 is not supported).
    pub cols: Vec<Option<ColBind>>,
    #[allow(dead_code)] // read by the functions that take them
    pub attrs: StmtAttrs,
    /// The connection's type-mapping options (psqlODBC's BoolsAsChar, …),
    /// copied when the statement is allocated: `types::describe_with`.
    pub type_options: crate::types::Options,
    /// The statement of SQLPrepare.
    pub prepared: Option<crate::params::Prepared>,
    /// An execution waiting for SQLParamData/SQLPutData (SQL_NEED_DATA).
    pub need_data: Option<crate::params::NeedData>,
    /// Rows affected by all the parameter sets of the last execution of
    /// a parameter array (SQLRowCount's answer then).
    pub rows_total: Option<u64>,
}

impl StmtState {
    pub fn current(&self) -> Option<&ResultSet> {
        if self.open {
            self.result.as_ref()?.iter().nth(self.index)
        } else {
            None
        }
    }

    pub fn close(&mut self) {
        // Where it ran outlives the result (SQL_ATTR_PGTC_LAST_SERVER).
        if let Some(s) = self.result.as_ref().and_then(|r| r.server) {
            self.fx.last_server = Some(s);
        }
        self.fx.pending = None;
        self.result = None;
        self.index = 0;
        self.open = false;
        self.row = None;
        self.getdata = None;
        self.stream = None;
        self.rows_total = None;
    }
}

/// Puts `b` in the registry and returns its address for the application.
pub fn register<T>(b: Box<T>, kind: Kind) -> usize {
    let p = Box::into_raw(b) as usize;
    registry().insert(p, kind);
    p
}

/// Removes the handle from the registry and drops it.
///
/// # Safety
/// `p` must have come from `register` with the same `T` and `kind`.
pub unsafe fn unregister<T>(p: usize, kind: Kind) -> bool {
    let mut r = registry();
    if r.get(&p) != Some(&kind) {
        return false;
    }
    r.remove(&p);
    drop(r);
    drop(Box::from_raw(p as *mut T));
    true
}

/// The handle at `p` when it is a live handle of kind `kind`.
///
/// # Safety
/// The application must not free the handle while another thread uses
/// it (ODBC leaves that undefined too).
pub unsafe fn get<'a, T>(p: *mut std::ffi::c_void, kind: Kind) -> Option<&'a T> {
    let r = registry();
    if r.get(&(p as usize)) == Some(&kind) {
        Some(&*(p as *const T))
    } else {
        None
    }
}

pub fn kind_of(p: *mut std::ffi::c_void) -> Option<Kind> {
    registry().get(&(p as usize)).copied()
}

/// Every live handle of one kind.
pub fn all(kind: Kind) -> Vec<usize> {
    registry()
        .iter()
        .filter(|(_, k)| **k == kind)
        .map(|(p, _)| *p)
        .collect()
}
