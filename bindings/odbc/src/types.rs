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
pub const SQL_VARBINARY: i16 = -3;
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

/// The connection options that change how types are described: psqlODBC's
/// keys of the same names (see README, "ODBC: connecting, attributes and
/// transactions"). The defaults describe every type as it is, with no
/// size invented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// `BoolsAsChar=1`: bool is SQL_VARCHAR of 5 characters (its values
    /// still read '1'/'0', as psqlODBC gives them); else SQL_BIT.
    pub bools_as_char: bool,
    /// `MaxVarcharSize`: the size of a varchar without a length, and the
    /// largest varchar(n) reported as SQL_VARCHAR (longer ones are
    /// SQL_LONGVARCHAR). None: no limit.
    pub max_varchar: Option<usize>,
    /// `MaxLongVarcharSize`: the size of text and other unbounded
    /// SQL_LONGVARCHAR columns. None: PostgreSQL's limit (`UNBOUNDED`).
    pub max_longvarchar: Option<usize>,
    /// `TextAsLongVarchar` (default on): text is SQL_LONGVARCHAR, else
    /// SQL_VARCHAR.
    pub text_as_longvarchar: bool,
    /// `UnknownsAsLongVarchar`: types without an ODBC match are
    /// SQL_LONGVARCHAR, else SQL_VARCHAR.
    pub unknowns_as_longvarchar: bool,
    /// `ByteaAsLongVarBinary` (default on): bytea is SQL_LONGVARBINARY,
    /// else SQL_VARBINARY.
    pub bytea_as_longvarbinary: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            bools_as_char: false,
            max_varchar: None,
            max_longvarchar: None,
            text_as_longvarchar: true,
            unknowns_as_longvarchar: false,
            bytea_as_longvarbinary: true,
        }
    }
}

/// The ODBC description of a column of type `oid` with modifier `typmod`
/// (-1 for none), with the default options. Types pgtc does not know are
/// SQL_VARCHAR, unbounded.
#[allow(dead_code)] // for callers without a connection's options
pub fn describe(oid: u32, typmod: i32) -> SqlType {
    describe_with(oid, typmod, &Options::default())
}

/// `describe` under a connection's options.
pub fn describe_with(oid: u32, typmod: i32, o: &Options) -> SqlType {
    let d = describe_plain(oid, typmod);
    let long = o.max_longvarchar.unwrap_or(UNBOUNDED);
    let varchar = |size: usize, name| {
        let size = size.min(o.max_varchar.unwrap_or(UNBOUNDED));
        t(SQL_VARCHAR, size, 0, size, name)
    };
    match oid {
        16 if o.bools_as_char => t(SQL_VARCHAR, 5, 0, 5, "bool"),
        25 if o.text_as_longvarchar => t(SQL_LONGVARCHAR, long, 0, long, "text"),
        25 => varchar(UNBOUNDED, "text"),
        1043 => match o.max_varchar {
            Some(m) if d.size != UNBOUNDED && d.size > m => {
                t(SQL_LONGVARCHAR, d.size, 0, d.size, "varchar")
            }
            _ => varchar(d.size, "varchar"),
        },
        17 if !o.bytea_as_longvarbinary => t(SQL_VARBINARY, UNBOUNDED, 0, UNBOUNDED, "bytea"),
        _ if d.type_name == "unknown" && o.unknowns_as_longvarchar => {
            t(SQL_LONGVARCHAR, long, 0, long, "unknown")
        }
        _ if d.type_name == "unknown" => varchar(UNBOUNDED, "unknown"),
        _ => d,
    }
}

fn describe_plain(oid: u32, typmod: i32) -> SqlType {
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

    #[test]
    fn options_change_the_mapping_as_psqlodbc_keys_do() {
        let d = Options::default();
        assert_eq!(describe_with(16, -1, &d), describe(16, -1));
        let o = Options {
            bools_as_char: true,
            max_varchar: Some(255),
            max_longvarchar: Some(8190),
            ..d
        };
        let b = describe_with(16, -1, &o);
        assert_eq!((b.sql_type, b.size), (SQL_VARCHAR, 5));
        let v = describe_with(1043, -1, &o);
        assert_eq!((v.sql_type, v.size), (SQL_VARCHAR, 255));
        let v = describe_with(1043, 100 + 4, &o);
        assert_eq!((v.sql_type, v.size), (SQL_VARCHAR, 100));
        let v = describe_with(1043, 1000 + 4, &o);
        assert_eq!((v.sql_type, v.size), (SQL_LONGVARCHAR, 1000));
        let t = describe_with(25, -1, &o);
        assert_eq!((t.sql_type, t.size), (SQL_LONGVARCHAR, 8190));
        let plain_text = Options {
            text_as_longvarchar: false,
            ..o
        };
        let t = describe_with(25, -1, &plain_text);
        assert_eq!((t.sql_type, t.size), (SQL_VARCHAR, 255));
        let u = describe_with(
            600,
            -1,
            &Options {
                unknowns_as_longvarchar: true,
                ..d
            },
        );
        assert_eq!(u.sql_type, SQL_LONGVARCHAR);
        let b = describe_with(
            17,
            -1,
            &Options {
                bytea_as_longvarbinary: false,
                ..d
            },
        );
        assert_eq!(b.sql_type, SQL_VARBINARY);
        // Types the options do not touch stay as they are.
        assert_eq!(describe_with(23, -1, &o), describe(23, -1));
    }
}
