//! Type facts for the catalog results, from `types::describe` (the
//! mapping SQLDescribeCol uses), the reshaping of query rows into ODBC's
//! result sets, and SQLGetTypeInfo.

use pgtc::ResultSet;

use super::*;
use crate::types::{self, SqlType};

/// What ODBC's catalog results say of a column of one type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub data_type: i16,
    pub column_size: Option<i32>,
    pub buffer_length: Option<i32>,
    /// None where the type has no decimal digits (character, binary,
    /// bit, GUID, approximate numbers): SQLDescribeCol's 0.
    pub decimal_digits: Option<i16>,
    pub radix: Option<i16>,
    pub sql_data_type: i16,
    pub datetime_sub: Option<i16>,
    pub char_octet_length: Option<i32>,
}

const SQL_DATETIME: i16 = 9;

fn clamp(n: usize) -> i32 {
    n.min(i32::MAX as usize) as i32
}

/// The facts of type `oid` with modifier `typmod`, from `types::describe`.
pub fn facts(oid: u32, typmod: i32) -> Facts {
    facts_of(&types::describe(oid, typmod))
}

pub fn facts_of(t: &SqlType) -> Facts {
    use types::*;
    let chars = matches!(t.sql_type, SQL_CHAR | SQL_VARCHAR | SQL_LONGVARCHAR);
    let binary = t.sql_type == SQL_LONGVARBINARY;
    let buffer = match t.sql_type {
        _ if chars => t.size.saturating_mul(4),
        SQL_BIT => 1,
        SQL_SMALLINT => 2,
        SQL_INTEGER | SQL_REAL => 4,
        SQL_BIGINT | SQL_DOUBLE => 8,
        SQL_NUMERIC => t.size + 2,
        SQL_TYPE_DATE | SQL_TYPE_TIME => 6,
        SQL_TYPE_TIMESTAMP | SQL_GUID => 16,
        _ => t.size,
    };
    let exact = matches!(
        t.sql_type,
        SQL_NUMERIC | SQL_SMALLINT | SQL_INTEGER | SQL_BIGINT
    );
    let datetime_sub = match t.sql_type {
        SQL_TYPE_DATE => Some(1),
        SQL_TYPE_TIME => Some(2),
        SQL_TYPE_TIMESTAMP => Some(3),
        _ => None,
    };
    Facts {
        data_type: t.sql_type,
        column_size: Some(clamp(t.size)),
        buffer_length: Some(clamp(buffer)),
        decimal_digits: if exact || matches!(t.sql_type, SQL_TYPE_TIME | SQL_TYPE_TIMESTAMP) {
            Some(t.decimals)
        } else if t.sql_type == SQL_TYPE_DATE {
            Some(0)
        } else {
            None
        },
        radix: if !t.unsigned { Some(10) } else { None },
        sql_data_type: if datetime_sub.is_some() {
            SQL_DATETIME
        } else {
            t.sql_type
        },
        datetime_sub,
        char_octet_length: if chars || binary {
            Some(clamp(buffer))
        } else {
            None
        },
    }
}

fn s<T: ToString>(v: Option<T>) -> Option<String> {
    v.map(|v| v.to_string())
}

/// One row of the ODBC result from row `r` of the query's result.
pub fn map_row(rows: Rows, rs: &ResultSet, r: usize, width: usize) -> Vec<Option<String>> {
    let v = |c: usize| rs.value(r, c).map(str::to_string);
    let num = |c: usize| rs.value(r, c).and_then(|x| x.parse::<i64>().ok());
    match rows {
        Rows::Copy => (0..width).map(v).collect(),
        Rows::Columns => {
            let f = facts(num(4).unwrap_or(0) as u32, num(5).unwrap_or(-1) as i32);
            let notnull = rs.value(r, 7) == Some("t");
            vec![
                v(0),
                v(1),
                v(2),
                v(3),
                s(Some(f.data_type)),
                v(6),
                s(f.column_size),
                s(f.buffer_length),
                s(f.decimal_digits),
                s(f.radix),
                Some(if notnull { "0" } else { "1" }.into()),
                v(8),
                v(9),
                s(Some(f.sql_data_type)),
                s(f.datetime_sub),
                s(f.char_octet_length),
                v(10),
                Some(if notnull { "NO" } else { "YES" }.into()),
            ]
        }
        Rows::Special => {
            let f = facts(num(2).unwrap_or(0) as u32, num(3).unwrap_or(-1) as i32);
            vec![
                v(0),
                v(1),
                s(Some(f.data_type)),
                v(4),
                s(f.column_size),
                s(f.buffer_length),
                s(f.decimal_digits),
                v(5),
            ]
        }
        Rows::ProcColumns => {
            let f = facts(num(5).unwrap_or(0) as u32, -1);
            vec![
                v(0),
                v(1),
                v(2),
                v(3),
                v(4),
                s(Some(f.data_type)),
                v(6),
                s(f.column_size),
                s(f.buffer_length),
                s(f.decimal_digits),
                s(f.radix),
                Some("2".into()), // SQL_NULLABLE_UNKNOWN
                None,
                None,
                s(Some(f.sql_data_type)),
                s(f.datetime_sub),
                s(f.char_octet_length),
                v(7),
                Some(String::new()),
            ]
        }
    }
}

/// The query's result as the ODBC result set `shape`.
pub fn reshape(rs: &ResultSet, shape: &[Col], rows: Rows) -> ResultSet {
    let mut out = ResultSet::with_tag(&format!("SELECT {}", rs.rows()));
    for (name, t) in shape {
        out.push_column(name.as_bytes(), t.meta());
    }
    for r in 0..rs.rows() {
        let row = map_row(rows, rs, r, shape.len());
        out.push_row(row.iter().map(|v| v.as_deref().map(str::as_bytes)));
    }
    if let Some(server) = rs.server {
        out.set_server(server);
    }
    out
}

// ---------------------------------------------------------------------
// SQLGetTypeInfo

/// The types SQLGetTypeInfo lists (every type `types::describe` maps),
/// with what it says of each beyond `describe`.
pub struct TypeRow {
    pub oid: u32,
    prefix: Option<&'static str>,
    create_params: Option<&'static str>,
    /// MINIMUM_SCALE, MAXIMUM_SCALE.
    scale: Option<(i16, i16)>,
}

const fn tr(
    oid: u32,
    prefix: Option<&'static str>,
    create_params: Option<&'static str>,
    scale: Option<(i16, i16)>,
) -> TypeRow {
    TypeRow {
        oid,
        prefix,
        create_params,
        scale,
    }
}

const Q1: Option<&str> = Some("'");

/// In order of closeness within one SQL type (timestamp before
/// timestamptz; varchar before name).
pub const TYPE_ROWS: &[TypeRow] = &[
    tr(16, Q1, None, None),
    tr(21, None, None, Some((0, 0))),
    tr(23, None, None, Some((0, 0))),
    tr(20, None, None, Some((0, 0))),
    tr(1700, None, Some("precision,scale"), Some((0, 1000))),
    tr(700, None, None, None),
    tr(701, None, None, None),
    tr(1042, Q1, Some("length"), None),
    tr(1043, Q1, Some("max length"), None),
    tr(19, Q1, None, None),
    tr(25, Q1, None, None),
    tr(17, Some("'\\x"), None, None),
    tr(1082, Q1, None, None),
    tr(1083, Q1, Some("precision"), Some((0, 6))),
    tr(1114, Q1, Some("precision"), Some((0, 6))),
    tr(1184, Q1, Some("precision"), Some((0, 6))),
    tr(2950, Q1, None, None),
];

pub const SQL_ALL_TYPES: i16 = 0;

/// ODBC 2's datetime type numbers, which ODBC 3 renumbered.
fn odbc3_type(t: i16) -> i16 {
    match t {
        9 => types::SQL_TYPE_DATE,
        10 => types::SQL_TYPE_TIME,
        11 => types::SQL_TYPE_TIMESTAMP,
        t => t,
    }
}

/// SQLGetTypeInfo for `data_type` (SQL_ALL_TYPES for every type), sorted
/// by DATA_TYPE and then by how closely each type fits it.
pub fn type_info(data_type: i16) -> Plan {
    let want = odbc3_type(data_type);
    let mut rows: Vec<(i16, usize, Vec<Option<String>>)> = Vec::new();
    for (i, r) in TYPE_ROWS.iter().enumerate() {
        let t = types::describe(r.oid, -1);
        if want != SQL_ALL_TYPES && t.sql_type != want {
            continue;
        }
        let f = facts_of(&t);
        let chars = matches!(
            t.sql_type,
            types::SQL_CHAR | types::SQL_VARCHAR | types::SQL_LONGVARCHAR
        );
        let number = !t.unsigned;
        let suffix = r.prefix.map(|_| "'");
        rows.push((
            t.sql_type,
            i,
            vec![
                Some(t.type_name.into()),
                s(Some(t.sql_type)),
                s(f.column_size),
                s(r.prefix),
                s(suffix),
                s(r.create_params),
                Some("1".into()),                             // SQL_NULLABLE
                Some(if chars { "1" } else { "0" }.into()),   // CASE_SENSITIVE
                Some(if chars { "3" } else { "2" }.into()),   // SEARCHABLE / PRED_BASIC
                if number { Some("0".into()) } else { None }, // UNSIGNED_ATTRIBUTE
                Some("0".into()),                             // FIXED_PREC_SCALE
                if number { Some("0".into()) } else { None }, // AUTO_UNIQUE_VALUE
                None,                                         // LOCAL_TYPE_NAME
                s(r.scale.map(|x| x.0)),
                s(r.scale.map(|x| x.1)),
                s(Some(f.sql_data_type)),
                s(f.datetime_sub),
                s(f.radix),
                None,
            ],
        ));
    }
    rows.sort_by_key(|r| (r.0, r.1));
    ready(TYPE_INFO, rows.into_iter().map(|r| r.2).collect())
}
