//! Connecting (connection strings and DSNs) and connection attributes.

use std::ffi::{c_void, CString};
use std::sync::{Arc, Mutex};

use crate::sys::{Integer, SqlReturn};

use crate::api::{err, E, R};
use crate::connstr::{self, Pairs};
use crate::handle::{lock, DbcState};

/// Connects `st` with an ODBC connection string.
pub fn connect(st: &mut DbcState, s: &str) -> Result<(), E> {
    let pairs = connstr::parse(s).map_err(|m| E::Odbc("08001", m))?;
    connect_pairs(st, pairs)
}

/// Connects with parsed pairs: a DSN's keys (from odbc.ini) fill in what
/// the pairs leave out. Errors pgtc finds itself before reaching a server
/// (an unknown key, a malformed value) are 08001, with pgtc's message,
/// which names the key; a server's errors keep their SQLSTATE.
pub fn connect_pairs(st: &mut DbcState, mut pairs: Pairs) -> Result<(), E> {
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
    let conninfo = connstr::to_conninfo(&pairs);
    let mut session = pgtc::Session::open(&conninfo).map_err(|e| {
        if e.fields.is_empty() && !e.sqlstate.starts_with("08") {
            E::Odbc("08001", e.message)
        } else {
            E::Pg(e)
        }
    })?;
    if !st.autocommit {
        session.set_attr("AUTOCOMMIT", "OFF").map_err(E::Pg)?;
    }
    if st.read_only {
        session.set_attr("READ_ONLY", "ON").map_err(E::Pg)?;
    }
    st.dsn = dsn;
    st.session = Some(Arc::new(Mutex::new(session)));
    Ok(())
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

pub const SQL_ATTR_ACCESS_MODE: Integer = 101;
pub const SQL_ATTR_AUTOCOMMIT: Integer = 102;
pub const SQL_ATTR_LOGIN_TIMEOUT: Integer = 103;
pub const SQL_ATTR_CURRENT_CATALOG: Integer = 109;
pub const SQL_ATTR_CONNECTION_DEAD: Integer = 1209;

pub enum AttrValue {
    Int(u32),
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

pub fn set_attr(
    st: &mut DbcState,
    attr: Integer,
    value: *mut c_void,
    _len: Integer,
    _wide: bool,
) -> R {
    let v = value as usize as u64;
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
            apply(st, "READ_ONLY", v == 1)?;
            st.read_only = v == 1;
        }
        SQL_ATTR_LOGIN_TIMEOUT => st.login_timeout = v as u32,
        SQL_ATTR_CONNECTION_DEAD => {
            return err("HY092", "SQL_ATTR_CONNECTION_DEAD is read-only");
        }
        _ => {
            return err(
                "HY092",
                format!("connection attribute {} is not supported", attr),
            )
        }
    }
    Ok(SqlReturn::SUCCESS)
}

pub fn get_attr(st: &mut DbcState, attr: Integer) -> Result<AttrValue, E> {
    Ok(match attr {
        SQL_ATTR_AUTOCOMMIT => AttrValue::Int(st.autocommit as u32),
        SQL_ATTR_ACCESS_MODE => AttrValue::Int(st.read_only as u32),
        SQL_ATTR_LOGIN_TIMEOUT => AttrValue::Int(st.login_timeout),
        SQL_ATTR_CONNECTION_DEAD => {
            let dead = match &st.session {
                None => true,
                Some(s) => lock(s).connected() == pgtc::Server::None,
            };
            AttrValue::Int(dead as u32)
        }
        SQL_ATTR_CURRENT_CATALOG => {
            let Some(s) = st.session.clone() else {
                return err("08003", "connection not open");
            };
            let rs = lock(&s)
                .exec("SELECT current_database()", None)
                .map_err(E::Pg)?;
            AttrValue::Text(rs.value(0, 0).unwrap_or("").to_string())
        }
        _ => {
            return err(
                "HY092",
                format!("connection attribute {} is not supported", attr),
            )
        }
    })
}
