//! What a PostgreSQL column (type OID and modifier) is in ODBC's terms.

/// The largest value PostgreSQL stores in one field (1 GB less one):
/// the size of types without a length limit (text, bytea, unbounded
/// varchar), so that nothing is truncated to an invented length.
pub const UNBOUNDED: usize = 1_073_741_823;

pub const SQL_CHAR: i16 = 1;
pub const SQL_NUMERIC: i16 = 2;
pub const SQL_INTEGER: i16 = 4;
pub const SQL_SMALLINT: i16 = 5;
pub const SQL_REAL: i16 = 7;
pub const SQL_DOUBLE: i16 = 8;
pub const SQL_VARCHAR: i16 = 12;
pub const SQL_TYPE_DATE: i16 = 91;
pub const SQL_TYPE_TIME: i16 = 92;
pub const SQL_TYPE_TIMESTAMP: i16 = 93;
pub const SQL_LONGVARCHAR: i16 = -1;
pub const SQL_LONGVARBINARY: i16 = -4;
pub const SQL_BIGINT: i16 = -5;
pub const SQL_BIT: i16 = -7;
pub const SQL_GUID: i16 = -11;

/// One column described for SQLDescribeCol / SQLColAttribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SqlType {
    pub sql_type: i16,
    /// Column size: characters for character types, digits for numbers.
    pub size: usize,
    pub decimals: i16,
    /// Characters needed to show any value.
    pub display: usize,
    /// Whether the type's values compare without regard to case / are
    /// signed numbers.
    pub unsigned: bool,
    pub type_name: &'static str,
}

fn t(sql_type: i16, size: usize, decimals: i16, display: usize, name: &'static str) -> SqlType {
    SqlType {
        sql_type,
        size,
        decimals,
        display,
        unsigned: !matches!(
            sql_type,
            SQL_NUMERIC | SQL_INTEGER | SQL_SMALLINT | SQL_REAL | SQL_DOUBLE | SQL_BIGINT
        ),
        type_name: name,
    }
}

/// The ODBC description of a column of type `oid` with modifier `typmod`
/// (-1 for none). Types pgtc does not know are SQL_VARCHAR, unbounded.
pub fn describe(oid: u32, typmod: i32) -> SqlType {
    // For char(n)/varchar(n) the modifier is n + 4 (the varlena header).
    let chars = if typmod >= 4 {
        (typmod - 4) as usize
    } else {
        UNBOUNDED
    };
    match oid {
        16 => t(SQL_BIT, 1, 0, 1, "bool"),
        20 => t(SQL_BIGINT, 19, 0, 20, "int8"),
        21 => t(SQL_SMALLINT, 5, 0, 6, "int2"),
        23 => t(SQL_INTEGER, 10, 0, 11, "int4"),
        700 => t(SQL_REAL, 7, 0, 14, "float4"),
        701 => t(SQL_DOUBLE, 15, 0, 24, "float8"),
        1700 => {
            // numeric(p, s): ((p << 16) | s) + 4; without one, any
            // precision PostgreSQL allows before the point.
            let (p, s) = if typmod >= 4 {
                let m = typmod - 4;
                (((m >> 16) & 0xffff) as usize, (m & 0xffff) as i16)
            } else {
                (1000, 0)
            };
            t(SQL_NUMERIC, p, s, p + 2, "numeric")
        }
        25 => t(SQL_LONGVARCHAR, UNBOUNDED, 0, UNBOUNDED, "text"),
        1043 => t(SQL_VARCHAR, chars, 0, chars, "varchar"),
        1042 => t(SQL_CHAR, chars, 0, chars, "bpchar"),
        19 => t(SQL_VARCHAR, 63, 0, 63, "name"),
        17 => t(SQL_LONGVARBINARY, UNBOUNDED, 0, UNBOUNDED, "bytea"),
        1082 => t(SQL_TYPE_DATE, 10, 0, 10, "date"),
        1083 => {
            let p = frac(typmod);
            t(
                SQL_TYPE_TIME,
                8 + frac_width(p),
                p,
                8 + frac_width(p),
                "time",
            )
        }
        1114 | 1184 => {
            let p = frac(typmod);
            let name = if oid == 1114 {
                "timestamp"
            } else {
                "timestamptz"
            };
            t(
                SQL_TYPE_TIMESTAMP,
                19 + frac_width(p),
                p,
                19 + frac_width(p),
                name,
            )
        }
        2950 => t(SQL_GUID, 36, 0, 36, "uuid"),
        _ => t(SQL_VARCHAR, UNBOUNDED, 0, UNBOUNDED, "unknown"),
    }
}

/// Fractional second digits of a time/timestamp modifier (6 without one).
fn frac(typmod: i32) -> i16 {
    if (0..=6).contains(&typmod) {
        typmod as i16
    } else {
        6
    }
}

fn frac_width(p: i16) -> usize {
    if p > 0 {
        p as usize + 1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_and_sizes() {
        assert_eq!(describe(16, -1).sql_type, SQL_BIT);
        assert_eq!(describe(23, -1).size, 10);
        assert_eq!(describe(20, -1).sql_type, SQL_BIGINT);
        let v = describe(1043, 14);
        assert_eq!((v.sql_type, v.size), (SQL_VARCHAR, 10));
        assert_eq!(describe(1043, -1).size, UNBOUNDED);
        assert_eq!(describe(25, -1).size, UNBOUNDED);
        let n = describe(1700, ((10 << 16) | 2) + 4);
        assert_eq!((n.sql_type, n.size, n.decimals), (SQL_NUMERIC, 10, 2));
        let ts = describe(1114, -1);
        assert_eq!(
            (ts.sql_type, ts.size, ts.decimals),
            (SQL_TYPE_TIMESTAMP, 26, 6)
        );
        assert_eq!(describe(1114, 0).size, 19);
        assert_eq!(describe(1083, 3).size, 12);
        assert_eq!(describe(1082, -1).sql_type, SQL_TYPE_DATE);
        assert_eq!(describe(17, -1).sql_type, SQL_LONGVARBINARY);
        assert_eq!(describe(123456, -1).sql_type, SQL_VARCHAR);
        assert!(!describe(23, -1).unsigned);
        assert!(describe(25, -1).unsigned);
    }
}
