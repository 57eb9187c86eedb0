//! Connecting (connection strings and DSNs) and connection attributes.

use std::ffi::{c_void, CString};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

use crate::sys::{Integer, SqlReturn};

use crate::api::{err, E, R};
use crate::connstr::{self, Pairs};
use crate::handle::{lock, DbcState, Diags};
use crate::types;

/// Connects `st` with an ODBC connection string.
pub fn connect(st: &mut DbcState, shared: &DbcShared, s: &str) -> Result<(), E> {
    let pairs = connstr::parse(s).map_err(|m| E::Odbc("08001", m))?;
    connect_pairs(st, shared, pairs)
}

/// Connects with parsed pairs: a DSN's keys (from odbc.ini) fill in what
/// the pairs leave out. Errors pgtc finds itself before reaching a server
/// (an unknown key, a malformed value) are 08001, with pgtc's message,
/// which names the key; a server's errors keep their SQLSTATE.
pub fn connect_pairs(st: &mut DbcState, shared: &DbcShared, mut pairs: Pairs) -> Result<(), E> {
    if st.session.is_some() {
        return err(
            "08002",
            "connection name in use: the connection is already open",
        );
    }
    let dsn = pairs.get("DSN").unwrap_or("").to_string();
    if !dsn.is_empty() && pairs.get("DRIVER").is_none() {
        for (k, v) in dsn_keys(&dsn)? {
            pairs.add_default(&k, &v);
        }
    }
    // SQL_ATTR_LOGIN_TIMEOUT is libpq's connect_timeout unless the string
    // sets one.
    if st.login_timeout > 0 {
        pairs.add_default("connect_timeout", &st.login_timeout.to_string());
    }
    // SQL_ATTR_CURRENT_CATALOG set before connecting names the database.
    if let Some(db) = st.conn.catalog.clone() {
        if pairs.get("dbname").is_none() && pairs.get("DX").is_none() {
            pairs.add_default("Database", &db);
        }
    }
    let (conninfo, driver) = connstr::translate(&pairs).map_err(|m| E::Odbc("08001", m))?;
    let mut session = pgtc::Session::open(&conninfo).map_err(|e| {
        if e.fields.is_empty() && !e.sqlstate.starts_with("08") {
            E::Odbc("08001", e.message)
        } else {
            E::Pg(e)
        }
    })?;
    let notices = shared.notices.clone();
    session.set_notice_handler(Some(Arc::new(move |n: &pgtc::Notice, _| {
        let mut q = lock(&notices);
        if q.len() < MAX_NOTICES {
            q.push(notice_record(n));
        }
    })));
    if !st.autocommit {
        session.set_attr("AUTOCOMMIT", "OFF").map_err(E::Pg)?;
    }
    if st.read_only {
        session.set_attr("READ_ONLY", "ON").map_err(E::Pg)?;
    }
    for (name, value) in std::mem::take(&mut st.conn.pending) {
        session.set_attr(name, &value).map_err(E::Pg)?;
    }
    if let Some(sql) = &driver.conn_settings {
        // As psqlODBC does: once, right after connecting, its answer
        // dropped; an error fails the connection.
        session.exec(sql, None).map_err(E::Pg)?;
    }
    st.conn.options = driver.options;
    if let Some(n) = driver.fetch {
        st.fetch = n;
    }
    st.dsn = dsn;
    st.session = Some(Arc::new(Mutex::new(session)));
    Ok(())
}

/// Notices kept for one call at most (the rest are dropped).
const MAX_NOTICES: usize = 1000;

/// A server's notice as a diagnostic record: its own SQLSTATE when it is
/// a warning (class 01), else 01000, ODBC's general warning; the message
/// with its severity, e.g. "NOTICE: table t does not exist, skipping".
pub fn notice_record(n: &pgtc::Notice) -> (String, String) {
    let code = n.fields.get(b'C').unwrap_or("");
    let state = if code.len() == 5 && code.starts_with("01") {
        code.to_string()
    } else {
        "01000".to_string()
    };
    (state, format!("{}: {}", n.severity(), n.message()))
}

/// What a connection handle keeps besides its state lock: reached by the
/// notice handler while a call holds that lock, and by the statements'
/// entry points.
#[derive(Default)]
pub struct DbcShared {
    /// Notices of the session not yet posted on a handle.
    pub notices: Arc<Mutex<Vec<(String, String)>>>,
    /// Where the last statement that ran ended up (a `pgtc::Server` as
    /// u8), for `SQL_ATTR_PGTC_CONN_LAST_SERVER`.
    pub last_server: AtomicU8,
}

impl DbcShared {
    pub fn note_server(&self, s: pgtc::Server) {
        self.last_server.store(s as u8, Ordering::Relaxed);
    }

    pub fn last_server(&self) -> pgtc::Server {
        match self.last_server.load(Ordering::Relaxed) {
            1 => pgtc::Server::Primary,
            2 => pgtc::Server::Secondary,
            3 => pgtc::Server::Both,
            _ => pgtc::Server::None,
        }
    }
}

/// Posts the notices that arrived during a call on `diags`.
pub fn drain_notices(q: &Mutex<Vec<(String, String)>>, diags: &mut Diags) {
    let mut q = lock(q);
    if q.is_empty() {
        return;
    }
    let taken = std::mem::take(&mut *q);
    drop(q);
    for (state, msg) in taken {
        diags.push(&state, msg);
    }
}

/// The connection state of this module's attributes and keys.
#[derive(Default)]
pub struct ConnState {
    /// The type-mapping options of the connection string.
    pub options: types::Options,
    /// pgtc attributes set before connecting, applied once connected.
    pub pending: Vec<(&'static str, String)>,
    pub connection_timeout: u32,
    pub packet_size: u32,
    pub quiet_mode: usize,
    pub trace: u32,
    pub tracefile: String,
    pub odbc_cursors: u32,
    pub metadata_id: bool,
    /// SQL_ATTR_CURRENT_CATALOG set before connecting.
    pub catalog: Option<String>,
}

type GetProfile = unsafe extern "C" fn(
    *const libc::c_char,
    *const libc::c_char,
    *const libc::c_char,
    *mut libc::c_char,
    libc::c_int,
    *const libc::c_char,
) -> libc::c_int;

/// unixODBC's SQLGetPrivateProfileString from libodbcinst: already in the
/// process when the driver manager loaded the driver, else opened.
fn profile_fn() -> Option<GetProfile> {
    let name = c"SQLGetPrivateProfileString";
    unsafe {
        let mut p = libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr());
        if p.is_null() {
            let lib = libc::dlopen(c"libodbcinst.so.2".as_ptr(), libc::RTLD_NOW);
            if !lib.is_null() {
                p = libc::dlsym(lib, name.as_ptr());
            }
        }
        if p.is_null() {
            None
        } else {
            Some(std::mem::transmute::<*mut c_void, GetProfile>(p))
        }
    }
}

fn profile(f: GetProfile, section: &CString, key: Option<&CString>) -> Vec<u8> {
    let mut buf = vec![0u8; 4096];
    loop {
        let n = unsafe {
            f(
                section.as_ptr(),
                key.map_or(std::ptr::null(), |k| k.as_ptr()),
                c"".as_ptr(),
                buf.as_mut_ptr().cast(),
                buf.len() as libc::c_int,
                c"odbc.ini".as_ptr(),
            )
        };
        let n = n.max(0) as usize;
        if n + 2 < buf.len() || buf.len() >= 1 << 20 {
            buf.truncate(n);
            return buf;
        }
        buf.resize(buf.len() * 4, 0);
    }
}

/// The keys of DSN `dsn` in odbc.ini, without `Driver` and `Description`.
fn dsn_keys(dsn: &str) -> Result<Vec<(String, String)>, E> {
    let Some(f) = profile_fn() else {
        return err(
            "08001",
            format!(
                "cannot read data source {}: libodbcinst is not available",
                dsn
            ),
        );
    };
    let section = CString::new(dsn).map_err(|_| E::Odbc("08001", "DSN has a NUL".into()))?;
    let list = profile(f, &section, None);
    let mut out = Vec::new();
    for k in list.split(|&b| b == 0).filter(|k| !k.is_empty()) {
        let key = String::from_utf8_lossy(k).to_string();
        if key.eq_ignore_ascii_case("driver") || key.eq_ignore_ascii_case("description") {
            continue;
        }
        let ck = CString::new(k).expect("split at NUL");
        let v = profile(f, &section, Some(&ck));
        out.push((key, String::from_utf8_lossy(&v).trim().to_string()));
    }
    if out.is_empty() {
        return err(
            "08001",
            format!("data source {} not found in odbc.ini or has no keys", dsn),
        );
    }
    Ok(out)
}

pub const SQL_ATTR_ASYNC_ENABLE: Integer = 4;
pub const SQL_ATTR_ACCESS_MODE: Integer = 101;
pub const SQL_ATTR_AUTOCOMMIT: Integer = 102;
pub const SQL_ATTR_LOGIN_TIMEOUT: Integer = 103;
pub const SQL_ATTR_TRACE: Integer = 104;
pub const SQL_ATTR_TRACEFILE: Integer = 105;
pub const SQL_ATTR_TRANSLATE_LIB: Integer = 106;
pub const SQL_ATTR_TRANSLATE_OPTION: Integer = 107;
pub const SQL_ATTR_TXN_ISOLATION: Integer = 108;
pub const SQL_ATTR_CURRENT_CATALOG: Integer = 109;
pub const SQL_ATTR_ODBC_CURSORS: Integer = 110;
pub const SQL_ATTR_QUIET_MODE: Integer = 111;
pub const SQL_ATTR_PACKET_SIZE: Integer = 112;
pub const SQL_ATTR_CONNECTION_TIMEOUT: Integer = 113;
pub const SQL_ATTR_CONNECTION_DEAD: Integer = 1209;
pub const SQL_ATTR_AUTO_IPD: Integer = 10001;
pub const SQL_ATTR_METADATA_ID: Integer = 10014;

pub const SQL_TXN_READ_UNCOMMITTED: u32 = 1;
pub const SQL_TXN_READ_COMMITTED: u32 = 2;
pub const SQL_TXN_REPEATABLE_READ: u32 = 4;
pub const SQL_TXN_SERIALIZABLE: u32 = 8;

/// The first of ODBC's driver-specific connection attribute numbers
/// pgtc uses: pgtc's attributes from here, in `PGTC_ATTRS`' order.
pub const PGTC_ATTR_BASE: Integer = 0x4100;
/// The first read-only one (`PGTC_FACTS`).
pub const PGTC_FACT_BASE: Integer = 0x4180;

/// pgtc's attributes as driver-specific connection attributes: each
/// one's number is `PGTC_ATTR_BASE` + its index here. Numbers never
/// change: a new attribute is added at the end (the header
/// bindings/odbc/include/pgtc_odbc.h and the README list them too).
pub const PGTC_ATTRS: &[&str] = &[
    "PREFERRED_ACCESS",
    "AUTOCOMMIT",
    "TXN_ISOLATION",
    "CONSISTENCY",
    "CONSISTENCY_WAIT_MS",
    "PRIMARY_SHARE",
    "MONITOR_INTERVAL_MS",
    "STATEMENT_CACHE",
    "READ_ONLY",
    "CONSISTENCY_SCOPE",
    "MAX_STANDBY_LAG_MS",
    "ON_ERROR",
    "POOL_MAX",
    "POOL_MIN",
    "POOL_ACQUIRE_TIMEOUT_MS",
    "POOL_MAX_LIFETIME_MS",
    "POOL_IDLE_TIMEOUT_MS",
];

/// Read-only facts, numbered from `PGTC_FACT_BASE`, stable likewise.
pub const PGTC_FACTS: &[&str] = &["LSN_FLOOR", "STANDBY_LAG_MS", "CONN_LAST_SERVER"];

/// The pgtc attribute or fact a driver-specific number stands for.
enum Pgtc {
    Attr(&'static str),
    Fact(usize),
}

fn pgtc_attr(attr: Integer) -> Option<Pgtc> {
    let at = |base: Integer| usize::try_from(attr - base).ok();
    if let Some(n) = at(PGTC_FACT_BASE).filter(|n| *n < PGTC_FACTS.len()) {
        return Some(Pgtc::Fact(n));
    }
    at(PGTC_ATTR_BASE)
        .and_then(|n| PGTC_ATTRS.get(n))
        .map(|n| Pgtc::Attr(n))
}

pub enum AttrValue {
    Int(u32),
    /// A pointer-sized value (SQL_ATTR_QUIET_MODE's window handle).
    Ptr(usize),
    Text(String),
}

fn apply(st: &DbcState, name: &str, on: bool) -> Result<(), E> {
    if let Some(s) = &st.session {
        lock(s)
            .set_attr(name, if on { "ON" } else { "OFF" })
            .map_err(E::Pg)?;
    }
    Ok(())
}

fn in_txn(st: &DbcState) -> bool {
    st.session
        .as_ref()
        .is_some_and(|s| lock(s).in_transaction())
}

/// A pgtc attribute: on the session, or kept until it opens (checked now
/// all the same, so that a bad value fails here).
fn set_pgtc(st: &mut DbcState, name: &'static str, value: &str) -> Result<(), E> {
    match &st.session {
        Some(s) => lock(s).set_attr(name, value).map_err(|e| match e.status {
            pgtc::Status::InvalidAttributeValue => E::Odbc("HY024", e.message),
            pgtc::Status::InvalidState if e.sqlstate.is_empty() => E::Odbc("HY011", e.message),
            _ => E::Pg(e),
        })?,
        None => {
            pgtc::conninfo::parse_attr(name, value).map_err(|e| E::Odbc("HY024", e.message))?;
            st.conn.pending.retain(|(n, _)| *n != name);
            st.conn.pending.push((name, value.to_string()));
        }
    }
    Ok(())
}

fn get_pgtc(st: &DbcState, name: &str) -> Result<String, E> {
    match &st.session {
        Some(s) => lock(s).get_attr(name).map_err(E::Pg),
        None => match st.conn.pending.iter().find(|(n, _)| *n == name) {
            Some((_, v)) => Ok(pgtc::conninfo::parse_attr(name, v)
                .map(|a| {
                    let mut all = pgtc::conninfo::Attributes::default();
                    all.apply(a);
                    all.get(name).unwrap_or_default()
                })
                .unwrap_or_else(|_| v.clone())),
            None => pgtc::conninfo::Attributes::default()
                .get(name)
                .map_err(E::Pg),
        },
    }
}

/// A string attribute value: `len` bytes (SQL_NTS: NUL-terminated) or,
/// for the W functions, UTF-16 with `len` in bytes.
unsafe fn text_value(value: *mut c_void, len: Integer, wide: bool) -> Result<String, E> {
    let s = if wide {
        let chars = if len >= 0 {
            len as isize / 2
        } else {
            len as isize
        };
        crate::strings::arg_w(value.cast(), chars)?
    } else {
        crate::strings::arg(value.cast(), len as isize)?
    };
    s.ok_or_else(|| E::Odbc("HY009", "the attribute value is NULL".into()))
}

fn isolation_word(v: u32) -> Result<&'static str, E> {
    Ok(match v {
        // PostgreSQL runs READ UNCOMMITTED as READ COMMITTED: that is
        // what is stored and reported.
        SQL_TXN_READ_UNCOMMITTED | SQL_TXN_READ_COMMITTED => "READ_COMMITTED",
        SQL_TXN_REPEATABLE_READ => "REPEATABLE_READ",
        SQL_TXN_SERIALIZABLE => "SERIALIZABLE",
        _ => {
            return err(
                "HY024",
                format!("invalid SQL_ATTR_TXN_ISOLATION value {}", v),
            )
        }
    })
}

/// SQLSetConnectAttr. `value` is an integer or a pointer, as `attr` says.
///
/// # Safety
/// A string attribute's `value` points to `len` bytes (or a NUL-terminated
/// string).
pub unsafe fn set_attr(
    st: &mut DbcState,
    attr: Integer,
    value: *mut c_void,
    len: Integer,
    wide: bool,
) -> R {
    let v = value as usize as u64;
    let open = st.session.is_some();
    match attr {
        SQL_ATTR_AUTOCOMMIT => {
            if v > 1 {
                return err("HY024", format!("invalid SQL_ATTR_AUTOCOMMIT value {}", v));
            }
            apply(st, "AUTOCOMMIT", v == 1)?;
            st.autocommit = v == 1;
        }
        SQL_ATTR_ACCESS_MODE => {
            if v > 1 {
                return err("HY024", format!("invalid SQL_ATTR_ACCESS_MODE value {}", v));
            }
            if in_txn(st) {
                return err(
                    "HY011",
                    "SQL_ATTR_ACCESS_MODE cannot change inside a transaction",
                );
            }
            apply(st, "READ_ONLY", v == 1)?;
            st.read_only = v == 1;
        }
        SQL_ATTR_TXN_ISOLATION => {
            let word = isolation_word(v as u32)?;
            if in_txn(st) {
                return err(
                    "HY011",
                    "SQL_ATTR_TXN_ISOLATION cannot change inside a transaction",
                );
            }
            set_pgtc(st, "TXN_ISOLATION", word)?;
        }
        SQL_ATTR_LOGIN_TIMEOUT => st.login_timeout = v as u32,
        SQL_ATTR_CONNECTION_TIMEOUT => st.conn.connection_timeout = v as u32,
        SQL_ATTR_PACKET_SIZE => {
            if open {
                return err("HY011", "SQL_ATTR_PACKET_SIZE cannot change once connected");
            }
            st.conn.packet_size = v as u32;
        }
        SQL_ATTR_QUIET_MODE => st.conn.quiet_mode = value as usize,
        SQL_ATTR_TRACE => {
            if v > 1 {
                return err("HY024", format!("invalid SQL_ATTR_TRACE value {}", v));
            }
            st.conn.trace = v as u32;
        }
        SQL_ATTR_TRACEFILE => st.conn.tracefile = text_value(value, len, wide)?,
        SQL_ATTR_ODBC_CURSORS => {
            if v > 2 {
                return err(
                    "HY024",
                    format!("invalid SQL_ATTR_ODBC_CURSORS value {}", v),
                );
            }
            if open {
                return err(
                    "HY011",
                    "SQL_ATTR_ODBC_CURSORS cannot change once connected",
                );
            }
            st.conn.odbc_cursors = v as u32;
        }
        SQL_ATTR_ASYNC_ENABLE => {
            if v != 0 {
                return err("HYC00", "asynchronous execution is not supported");
            }
        }
        SQL_ATTR_METADATA_ID => {
            if v > 1 {
                return err("HY024", format!("invalid SQL_ATTR_METADATA_ID value {}", v));
            }
            st.conn.metadata_id = v == 1;
        }
        SQL_ATTR_CURRENT_CATALOG => {
            let db = text_value(value, len, wide)?;
            match st.session.clone() {
                None => st.conn.catalog = Some(db),
                Some(s) => {
                    let rs = lock(&s)
                        .exec("SELECT current_database()", None)
                        .map_err(E::Pg)?;
                    if rs.value(0, 0) != Some(db.as_str()) {
                        return err(
                            "HYC00",
                            format!(
                                "cannot switch to database {:?}: a PostgreSQL connection stays \
                                 in its database; connect again with Database={}",
                                db, db
                            ),
                        );
                    }
                }
            }
        }
        SQL_ATTR_TRANSLATE_LIB | SQL_ATTR_TRANSLATE_OPTION => {
            return err("HYC00", "translation libraries are not supported");
        }
        SQL_ATTR_CONNECTION_DEAD | SQL_ATTR_AUTO_IPD => {
            return err(
                "HY092",
                format!("connection attribute {} is read-only", attr),
            );
        }
        _ => match pgtc_attr(attr) {
            Some(Pgtc::Attr(name)) => {
                let value = text_value(value, len, wide)?;
                set_pgtc(st, name, &value)?;
                // The ODBC attributes that mirror pgtc's follow them.
                match name {
                    "AUTOCOMMIT" => st.autocommit = get_pgtc(st, name)? == "ON",
                    "READ_ONLY" => st.read_only = get_pgtc(st, name)? == "ON",
                    _ => {}
                }
            }
            Some(Pgtc::Fact(n)) => {
                return err(
                    "HY092",
                    format!(
                        "connection attribute {} ({}) is read-only",
                        attr, PGTC_FACTS[n]
                    ),
                )
            }
            None => {
                return err(
                    "HY092",
                    format!("connection attribute {} is not supported", attr),
                )
            }
        },
    }
    Ok(SqlReturn::SUCCESS)
}

pub fn get_attr(st: &mut DbcState, shared: &DbcShared, attr: Integer) -> Result<AttrValue, E> {
    Ok(match attr {
        SQL_ATTR_AUTOCOMMIT => AttrValue::Int(st.autocommit as u32),
        SQL_ATTR_ACCESS_MODE => AttrValue::Int(st.read_only as u32),
        SQL_ATTR_LOGIN_TIMEOUT => AttrValue::Int(st.login_timeout),
        SQL_ATTR_TXN_ISOLATION => AttrValue::Int(match get_pgtc(st, "TXN_ISOLATION")?.as_str() {
            "REPEATABLE_READ" => SQL_TXN_REPEATABLE_READ,
            "SERIALIZABLE" => SQL_TXN_SERIALIZABLE,
            _ => SQL_TXN_READ_COMMITTED,
        }),
        SQL_ATTR_CONNECTION_TIMEOUT => AttrValue::Int(st.conn.connection_timeout),
        SQL_ATTR_PACKET_SIZE => AttrValue::Int(st.conn.packet_size),
        SQL_ATTR_QUIET_MODE => AttrValue::Ptr(st.conn.quiet_mode),
        SQL_ATTR_TRACE => AttrValue::Int(st.conn.trace),
        SQL_ATTR_TRACEFILE => AttrValue::Text(st.conn.tracefile.clone()),
        SQL_ATTR_ODBC_CURSORS => AttrValue::Int(st.conn.odbc_cursors),
        SQL_ATTR_ASYNC_ENABLE | SQL_ATTR_AUTO_IPD => AttrValue::Int(0),
        SQL_ATTR_METADATA_ID => AttrValue::Int(st.conn.metadata_id as u32),
        SQL_ATTR_CONNECTION_DEAD => {
            // One poll(2) per server connection, no request.
            let dead = match &st.session {
                None => true,
                Some(s) => !lock(s).alive(),
            };
            AttrValue::Int(dead as u32)
        }
        SQL_ATTR_CURRENT_CATALOG => {
            let Some(s) = st.session.clone() else {
                return Ok(AttrValue::Text(st.conn.catalog.clone().unwrap_or_default()));
            };
            let rs = lock(&s)
                .exec("SELECT current_database()", None)
                .map_err(E::Pg)?;
            AttrValue::Text(rs.value(0, 0).unwrap_or("").to_string())
        }
        _ => match pgtc_attr(attr) {
            Some(Pgtc::Attr(name)) => AttrValue::Text(get_pgtc(st, name)?),
            Some(Pgtc::Fact(n)) => {
                let Some(s) = st.session.clone() else {
                    return err("08003", "connection not open");
                };
                let s = lock(&s);
                AttrValue::Text(match PGTC_FACTS[n] {
                    "LSN_FLOOR" => s.lsn_floor_text(),
                    "STANDBY_LAG_MS" => match s.standby_lag_ms().map_err(E::Pg)? {
                        Some(ms) => ms.to_string(),
                        None => String::new(),
                    },
                    _ => shared.last_server().name().to_string(),
                })
            }
            None => {
                return err(
                    "HY092",
                    format!("connection attribute {} is not supported", attr),
                )
            }
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn driver_specific_numbers_never_change() {
        // Appending is the only change allowed: these numbers are in
        // applications' code.
        let fixed = [
            (0x4100, "PREFERRED_ACCESS"),
            (0x4101, "AUTOCOMMIT"),
            (0x4102, "TXN_ISOLATION"),
            (0x4103, "CONSISTENCY"),
            (0x4104, "CONSISTENCY_WAIT_MS"),
            (0x4105, "PRIMARY_SHARE"),
            (0x4106, "MONITOR_INTERVAL_MS"),
            (0x4107, "STATEMENT_CACHE"),
            (0x4108, "READ_ONLY"),
            (0x4109, "CONSISTENCY_SCOPE"),
            (0x410a, "MAX_STANDBY_LAG_MS"),
            (0x410b, "ON_ERROR"),
            (0x410c, "POOL_MAX"),
            (0x410d, "POOL_MIN"),
            (0x410e, "POOL_ACQUIRE_TIMEOUT_MS"),
            (0x410f, "POOL_MAX_LIFETIME_MS"),
            (0x4110, "POOL_IDLE_TIMEOUT_MS"),
        ];
        for (n, name) in fixed {
            assert_eq!(PGTC_ATTRS[(n - PGTC_ATTR_BASE) as usize], name);
        }
        let facts = [
            (0x4180, "LSN_FLOOR"),
            (0x4181, "STANDBY_LAG_MS"),
            (0x4182, "CONN_LAST_SERVER"),
        ];
        for (n, name) in facts {
            assert_eq!(PGTC_FACTS[(n - PGTC_FACT_BASE) as usize], name);
        }
        assert!(PGTC_ATTR_BASE + (PGTC_ATTRS.len() as Integer) <= PGTC_FACT_BASE);
    }

    #[test]
    fn every_pgtc_attribute_has_a_number() {
        for name in pgtc::conninfo::attr_names() {
            assert!(
                PGTC_ATTRS.contains(&name),
                "{} has no ODBC attribute number",
                name
            );
        }
        assert_eq!(PGTC_ATTRS.len(), pgtc::conninfo::attr_names().count());
    }

    #[test]
    fn the_header_and_the_readme_list_the_numbers() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let header = std::fs::read_to_string(dir.join("include/pgtc_odbc.h")).unwrap();
        let readme = std::fs::read_to_string(dir.join("../../README.md")).unwrap();
        let all = PGTC_ATTRS
            .iter()
            .enumerate()
            .map(|(i, n)| (PGTC_ATTR_BASE + i as Integer, *n))
            .chain(
                PGTC_FACTS
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (PGTC_FACT_BASE + i as Integer, *n)),
            );
        for (n, name) in all {
            let line = format!("#define SQL_ATTR_PGTC_{} 0x{:x}", name, n);
            assert!(header.contains(&line), "pgtc_odbc.h lacks {:?}", line);
            let row = format!("| `SQL_ATTR_PGTC_{}` | 0x{:x} |", name, n);
            assert!(readme.contains(&row), "README lacks {:?}", row);
        }
    }

    #[test]
    fn notices_keep_a_warning_class_and_are_01000_otherwise() {
        let n = |code: &str, sev: &str| {
            let mut f = pgtc::Fields::default();
            f.set(b'C', code);
            f.set(b'V', sev);
            f.set(b'M', "hello");
            pgtc::Notice { fields: f }
        };
        assert_eq!(
            notice_record(&n("00000", "NOTICE")),
            ("01000".to_string(), "NOTICE: hello".to_string())
        );
        assert_eq!(notice_record(&n("01P01", "WARNING")).0, "01P01");
        assert_eq!(notice_record(&n("42P07", "NOTICE")).0, "01000");
    }
}
