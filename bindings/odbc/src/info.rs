//! SQLGetInfo, SQLGetFunctions and SQLColAttribute's fields.

use crate::sys::{Len, USmallInt};

use crate::api::{err, E};
use crate::handle::{lock, DbcState};
use crate::types::{self, SqlType};

pub const SQL_API_ALL_FUNCTIONS: USmallInt = 0;
pub const SQL_API_ODBC3_ALL_FUNCTIONS: USmallInt = 999;

/// Every ODBC function this library exports (wide variants share their
/// ANSI function's number), with ODBC's SQL_API_ number. A unit test
/// checks it against the `extern` functions in api.rs.
pub const EXPORTED: &[(&str, USmallInt)] = &[
    ("SQLAllocConnect", 1),
    ("SQLAllocEnv", 2),
    ("SQLAllocStmt", 3),
    ("SQLColAttribute", 6),
    ("SQLConnect", 7),
    ("SQLDescribeCol", 8),
    ("SQLDisconnect", 9),
    ("SQLExecDirect", 11),
    ("SQLFetch", 13),
    ("SQLFreeConnect", 14),
    ("SQLFreeEnv", 15),
    ("SQLFreeStmt", 16),
    ("SQLNumResultCols", 18),
    ("SQLRowCount", 20),
    ("SQLDriverConnect", 41),
    ("SQLGetData", 43),
    ("SQLGetFunctions", 44),
    ("SQLGetInfo", 45),
    ("SQLMoreResults", 61),
    ("SQLAllocHandle", 1001),
    ("SQLCloseCursor", 1003),
    ("SQLEndTran", 1005),
    ("SQLFreeHandle", 1006),
    ("SQLGetConnectAttr", 1007),
    ("SQLGetDiagField", 1010),
    ("SQLGetDiagRec", 1011),
    ("SQLGetEnvAttr", 1012),
    ("SQLSetConnectAttr", 1016),
    ("SQLSetEnvAttr", 1019),
];

pub fn supports(id: USmallInt) -> bool {
    EXPORTED.iter().any(|&(_, i)| i == id)
}

/// SQL_API_ODBC3_ALL_FUNCTIONS: 250 words, bit `id` set when supported.
pub fn functions_bitmap() -> [USmallInt; 250] {
    let mut m = [0; 250];
    for &(_, id) in EXPORTED {
        m[(id >> 4) as usize] |= 1 << (id & 15);
    }
    m
}

/// SQL_API_ALL_FUNCTIONS (ODBC 2): 100 flags for the functions below 100.
pub fn functions_list() -> [USmallInt; 100] {
    let mut m = [0; 100];
    for &(_, id) in EXPORTED {
        if id < 100 {
            m[id as usize] = 1;
        }
    }
    m
}

pub enum Info {
    Text(String),
    U16(u16),
    U32(u32),
}

/// The version of this driver in ODBC's ##.##.#### form.
fn driver_ver() -> String {
    let v: Vec<u32> = env!("CARGO_PKG_VERSION")
        .split('.')
        .map(|p| p.parse().unwrap_or(0))
        .collect();
    format!("{:02}.{:02}.{:04}", v[0], v[1], v[2])
}

fn dbms_ver(st: &mut DbcState) -> Result<String, E> {
    if let Some(v) = &st.dbms_ver {
        return Ok(v.clone());
    }
    let Some(s) = st.session.clone() else {
        return err("08003", "connection not open");
    };
    let rs = lock(&s)
        .exec("SELECT current_setting('server_version_num')", None)
        .map_err(E::Pg)?;
    let n: u32 = rs.value(0, 0).unwrap_or("0").parse().unwrap_or(0);
    let v = format!("{:02}.{:02}.{:04}", n / 10000, 0, n % 10000);
    st.dbms_ver = Some(v.clone());
    Ok(v)
}

/// One value the server knows about the session (current_database(), …).
fn ask(st: &DbcState, sql: &str) -> Result<String, E> {
    let Some(s) = st.session.clone() else {
        return err("08003", "connection not open");
    };
    let rs = lock(&s).exec(sql, None).map_err(E::Pg)?;
    Ok(rs.value(0, 0).unwrap_or("").to_string())
}

pub fn get_info(st: &mut DbcState, kind: USmallInt) -> Result<Info, E> {
    use Info::*;
    let yn = |b: bool| Text(if b { "Y" } else { "N" }.into());
    Ok(match kind {
        0 => U16(0),                         // SQL_MAX_DRIVER_CONNECTIONS: no limit
        1 => U16(0),                         // SQL_MAX_CONCURRENT_ACTIVITIES
        2 => Text(st.dsn.clone()),           // SQL_DATA_SOURCE_NAME
        6 => Text("libpgtc_odbc.so".into()), // SQL_DRIVER_NAME
        7 => Text(driver_ver()),             // SQL_DRIVER_VER
        13 => Text(String::new()),           // SQL_SERVER_NAME
        14 => Text("\\".into()),             // SQL_SEARCH_PATTERN_ESCAPE
        16 => Text(ask(st, "SELECT current_database()")?), // SQL_DATABASE_NAME
        17 => Text("PostgreSQL".into()),     // SQL_DBMS_NAME
        18 => Text(dbms_ver(st)?),           // SQL_DBMS_VER
        23 | 24 => U16(2),                   // SQL_CURSOR_COMMIT/ROLLBACK_BEHAVIOR: SQL_CB_PRESERVE
        25 => yn(st.read_only),              // SQL_DATA_SOURCE_READ_ONLY
        26 => U32(2),                        // SQL_DEFAULT_TXN_ISOLATION: READ COMMITTED
        29 => Text("\"".into()),             // SQL_IDENTIFIER_QUOTE_CHAR
        30 | 32 | 35 => U16(63),             // SQL_MAX_COLUMN/SCHEMA/TABLE_NAME_LEN
        36 | 37 => yn(true),                 // SQL_MULT_RESULT_SETS, SQL_MULTIPLE_ACTIVE_TXN
        39 => Text("schema".into()),         // SQL_SCHEMA_TERM
        41 => Text(".".into()),              // SQL_CATALOG_NAME_SEPARATOR
        44 => U32(1),                        // SQL_SCROLL_OPTIONS: SQL_SO_FORWARD_ONLY
        45 => Text("table".into()),          // SQL_TABLE_TERM
        46 => U16(2),                        // SQL_TXN_CAPABLE: SQL_TC_ALL
        47 => Text(ask(st, "SELECT current_user")?), // SQL_USER_NAME
        77 => Text("03.51".into()),          // SQL_DRIVER_ODBC_VER
        81 => U32(3),                        // SQL_GETDATA_EXTENSIONS: ANY_COLUMN | ANY_ORDER
        94 => Text(String::new()),           // SQL_SPECIAL_CHARACTERS
        111 => yn(false),                    // SQL_NEED_LONG_DATA_LEN
        10021 => U32(0),                     // SQL_ASYNC_MODE: SQL_AM_NONE
        _ => {
            return err(
                "HY096",
                format!("information type {} is not supported", kind),
            )
        }
    })
}

pub const SQL_DESC_COUNT: USmallInt = 1001;

pub enum Attr {
    Num(Len),
    Text(String),
}

fn is_char(t: &SqlType) -> bool {
    matches!(
        t.sql_type,
        types::SQL_CHAR | types::SQL_VARCHAR | types::SQL_LONGVARCHAR
    )
}

fn is_number(t: &SqlType) -> bool {
    !t.unsigned
}

/// Field `field` of a column named `name` of type `t`.
pub fn col_attribute(field: USmallInt, name: &str, t: &SqlType) -> Result<Attr, E> {
    use Attr::*;
    Ok(match field {
        1 | 1011 | 18 | 22 => Text(name.into()), // NAME, DESC_NAME, LABEL, BASE_COLUMN_NAME
        2 | 1002 => Num(t.sql_type as Len),      // CONCISE_TYPE, TYPE
        3 | 4 | 1003 | 1005 => Num(t.size.min(i32::MAX as usize) as Len), // LENGTH, PRECISION
        5 | 1006 => Num(t.decimals as Len),      // SCALE
        6 => Num(t.display.min(i32::MAX as usize) as Len), // DISPLAY_SIZE
        7 | 1008 => Num(2),                      // NULLABLE: unknown
        8 => Num(t.unsigned as Len),             // UNSIGNED
        9 => Num(0),                             // FIXED_PREC_SCALE
        10 => Num(2),                            // UPDATABLE: unknown
        11 => Num(0),                            // AUTO_UNIQUE_VALUE
        12 => Num(is_char(t) as Len),            // CASE_SENSITIVE
        13 => Num(3),                            // SEARCHABLE: SQL_SEARCHABLE
        14 | 29 => Text(t.type_name.into()),     // TYPE_NAME, LOCAL_TYPE_NAME
        15..=17 | 23 => Text(String::new()),     // TABLE, SCHEMA, CATALOG, BASE_TABLE names
        27 | 28 => Text(if is_char(t) { "'" } else { "" }.into()), // LITERAL_PREFIX/SUFFIX
        32 => Num(if is_number(t) { 10 } else { 0 }), // NUM_PREC_RADIX
        1012 => Num(0),                          // UNNAMED: SQL_NAMED
        1013 => {
            // OCTET_LENGTH: UTF-8 needs up to 4 bytes a character.
            let n = if is_char(t) {
                t.size.saturating_mul(4)
            } else {
                t.size
            };
            Num(n.min(i32::MAX as usize) as Len)
        }
        _ => {
            return err(
                "HY091",
                format!("column attribute {} is not supported", field),
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The list answers SQLGetFunctions: it must be exactly what api.rs
    /// exports, wide variants folded into their ANSI names.
    #[test]
    fn exported_list_matches_the_entry_points() {
        let src = include_str!("api.rs");
        let mut found: Vec<String> = src
            .split("pub unsafe extern \"system\" fn ")
            .skip(1)
            .map(|s| s.split('(').next().unwrap().to_string())
            .map(|n| {
                if n.ends_with('W') {
                    n[..n.len() - 1].to_string()
                } else {
                    n
                }
            })
            .collect();
        found.sort();
        found.dedup();
        let mut listed: Vec<String> = EXPORTED.iter().map(|(n, _)| n.to_string()).collect();
        listed.sort();
        assert_eq!(found, listed);
    }

    #[test]
    fn bitmap_and_list() {
        let m = functions_bitmap();
        assert_ne!(m[1001 >> 4] & (1 << (1001 & 15)), 0);
        assert_eq!(
            m[1021 >> 4] & (1 << (1021 & 15)),
            0,
            "no SQLFetchScroll yet"
        );
        let l = functions_list();
        assert_eq!(l[13], 1);
        assert_eq!(l[19], 0, "no SQLPrepare yet");
    }
}
