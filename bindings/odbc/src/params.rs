//! Parameters: ODBC's `?` markers turned into PostgreSQL's `$n`, the
//! PostgreSQL type each SQL type is sent as, and the conversion of one
//! bound C value (SQLBindParameter's buffer, or what SQLPutData sent) into
//! the bytes the server gets. Values are always sent as bind values,
//! never put into the SQL text.

use std::collections::HashMap;

use pgtc::session::Statement;

use crate::handle::{ParamBind, StmtAttrs};

/// A conversion failure: SQLSTATE and message.
pub type Fail = (&'static str, String);

// C types (sqlext.h).
pub use crate::sys::c_types::*;

// Indicator values.
pub const SQL_NULL_DATA: isize = -1;
pub const SQL_DATA_AT_EXEC: isize = -2;
pub const SQL_NTS: isize = -3;
/// SQL_LEN_DATA_AT_EXEC(n) is this less n.
pub const SQL_LEN_DATA_AT_EXEC_OFFSET: isize = -100;

/// Type OIDs.
pub const BOOL: u32 = 16;
pub const BYTEA: u32 = 17;
pub const INT8: u32 = 20;
pub const INT2: u32 = 21;
pub const INT4: u32 = 23;
pub const FLOAT4: u32 = 700;
pub const FLOAT8: u32 = 701;
pub const DATE: u32 = 1082;
pub const TIME: u32 = 1083;
pub const TIMESTAMP: u32 = 1114;
pub const INTERVAL: u32 = 1186;
pub const NUMERIC: u32 = 1700;
pub const UUID: u32 = 2950;

// ---------------------------------------------------------------------------
// The lexical scanner
// ---------------------------------------------------------------------------

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

/// Where a string constant, quoted identifier, dollar-quoted string or
/// comment that starts at `i` ends (the index after it; the end of the
/// text when it is not closed), as PostgreSQL's lexer reads them with
/// `standard_conforming_strings` on: `'…'` (`''` is a quote), `E'…'`
/// (backslash escapes too), `"…"`, `$tag$…$tag$`, `-- …` to the end of
/// the line and nested `/* … */`. None when none starts at `i`.
pub fn literal_end(b: &[u8], i: usize) -> Option<usize> {
    let after_ident = i > 0 && is_ident(b[i - 1]);
    let next = b.get(i + 1).copied();
    match b[i] {
        b'\'' => Some(quoted(b, i + 1, b'\'', false)),
        b'"' => Some(quoted(b, i + 1, b'"', false)),
        b'e' | b'E' if !after_ident && next == Some(b'\'') => Some(quoted(b, i + 2, b'\'', true)),
        b'-' if next == Some(b'-') => Some(
            b[i..]
                .iter()
                .position(|&c| c == b'\n' || c == b'\r')
                .map_or(b.len(), |p| i + p + 1),
        ),
        b'/' if next == Some(b'*') => {
            let mut depth = 0usize;
            let mut j = i;
            while j + 1 < b.len() {
                if b[j] == b'/' && b[j + 1] == b'*' {
                    depth += 1;
                    j += 2;
                } else if b[j] == b'*' && b[j + 1] == b'/' {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        return Some(j);
                    }
                } else {
                    j += 1;
                }
            }
            Some(b.len())
        }
        b'$' if !after_ident => {
            // $tag$ with a tag that does not start with a digit ($1 is a
            // parameter), or $$.
            let mut j = i + 1;
            if b.get(j).is_some_and(|c| c.is_ascii_digit()) {
                return None;
            }
            while j < b.len() && b[j] != b'$' && is_ident(b[j]) {
                j += 1;
            }
            if b.get(j) != Some(&b'$') {
                return None;
            }
            let tag = &b[i..=j];
            let body = j + 1;
            Some(
                b[body..]
                    .windows(tag.len())
                    .position(|w| w == tag)
                    .map_or(b.len(), |p| body + p + tag.len()),
            )
        }
        _ => None,
    }
}

fn quoted(b: &[u8], mut j: usize, q: u8, backslash: bool) -> usize {
    while j < b.len() {
        if backslash && b[j] == b'\\' {
            j += 2;
        } else if b[j] == q {
            if b.get(j + 1) == Some(&q) {
                j += 2;
            } else {
                return j + 1;
            }
        } else {
            j += 1;
        }
    }
    b.len()
}

/// Calls `f` with the index of every byte of `sql` outside literals and
/// comments (see `literal_end`); `f` returns how many bytes it took.
pub fn code_bytes(b: &[u8], mut f: impl FnMut(usize) -> usize) {
    let mut i = 0;
    while i < b.len() {
        match literal_end(b, i) {
            Some(e) => i = e,
            None => i += f(i).max(1),
        }
    }
}

/// `sql` with every `?` outside literals and comments replaced by `$1`,
/// `$2`, …, and the number of markers. As in psqlODBC, every such `?` is a
/// marker, so PostgreSQL's operators containing `?` (jsonb's `?`, `?|`,
/// `?&`, the geometric `?-`, `?|`, `?#`…) cannot be written in a text
/// with parameters: use their functions (`jsonb_exists`,
/// `jsonb_exists_any`, `jsonb_exists_all`, …).
pub fn markers(sql: &str) -> (String, usize) {
    let b = sql.as_bytes();
    let mut out = Vec::with_capacity(b.len() + 8);
    let mut n = 0;
    let mut copied = 0;
    code_bytes(b, |i| {
        if b[i] == b'?' {
            out.extend_from_slice(&b[copied..i]);
            n += 1;
            out.extend_from_slice(format!("${}", n).as_bytes());
            copied = i + 1;
        }
        1
    });
    out.extend_from_slice(&b[copied..]);
    (String::from_utf8(out).expect("only ASCII was inserted"), n)
}

/// Number of `?` markers outside literals and comments.
pub fn count_markers(sql: &str) -> usize {
    let b = sql.as_bytes();
    let mut n = 0;
    code_bytes(b, |i| {
        n += usize::from(b[i] == b'?');
        1
    });
    n
}

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

/// The type OID a parameter of SQL type `sql_type` is declared with in the
/// Parse (0: the server infers it, as psqlODBC lets it for character
/// types). An SQL type ODBC does not define is HY004.
pub fn oid_of(sql_type: i16) -> Result<u32, Fail> {
    Ok(match sql_type {
        // CHAR, VARCHAR, LONGVARCHAR, WCHAR, WVARCHAR, WLONGVARCHAR
        1 | 12 | -1 | -8 | -9 | -10 => 0,
        2 | 3 => NUMERIC,
        4 => INT4,
        5 | -6 => INT2,
        -5 => INT8,
        6 | 8 => FLOAT8,
        7 => FLOAT4,
        -7 => BOOL,
        -4..=-2 => BYTEA,
        9 | 91 => DATE,
        10 | 92 => TIME,
        11 | 93 => TIMESTAMP,
        -11 => UUID,
        // The interval types.
        101..=113 => INTERVAL,
        _ => {
            return Err((
                "HY004",
                format!("invalid SQL data type {} for a parameter", sql_type),
            ))
        }
    })
}

/// The C type SQL_C_DEFAULT stands for with a parameter of `sql_type`.
pub fn default_c_type(sql_type: i16) -> i16 {
    match sql_type {
        -10..=-8 => SQL_C_WCHAR,
        -7 => SQL_C_BIT,
        -6 => SQL_C_STINYINT,
        5 => SQL_C_SSHORT,
        4 => SQL_C_SLONG,
        -5 => SQL_C_SBIGINT,
        7 => SQL_C_FLOAT,
        6 | 8 => SQL_C_DOUBLE,
        -4..=-2 => SQL_C_BINARY,
        9 | 91 => SQL_C_TYPE_DATE,
        10 | 92 => SQL_C_TYPE_TIME,
        11 | 93 => SQL_C_TYPE_TIMESTAMP,
        -11 => SQL_C_GUID,
        _ => SQL_C_CHAR,
    }
}

/// The size of a value of a fixed-size C type; None for character and
/// binary types (their length is the indicator's), Err for a C type ODBC
/// does not define (HY003).
pub fn fixed_size(c_type: i16) -> Result<Option<usize>, Fail> {
    Ok(Some(match c_type {
        SQL_C_CHAR | SQL_C_WCHAR | SQL_C_BINARY => return Ok(None),
        SQL_C_SLONG | SQL_C_ULONG | SQL_C_LONG | SQL_C_FLOAT => 4,
        SQL_C_SSHORT | SQL_C_USHORT | SQL_C_SHORT => 2,
        SQL_C_STINYINT | SQL_C_UTINYINT | SQL_C_TINYINT | SQL_C_BIT => 1,
        SQL_C_SBIGINT | SQL_C_UBIGINT | SQL_C_DOUBLE => 8,
        SQL_C_DATE | SQL_C_TYPE_DATE | SQL_C_TIME | SQL_C_TYPE_TIME => 6,
        SQL_C_TIMESTAMP | SQL_C_TYPE_TIMESTAMP => 16,
        SQL_C_NUMERIC => 19,
        SQL_C_GUID => 16,
        _ => {
            return Err((
                "HY003",
                format!("invalid application buffer type {}", c_type),
            ))
        }
    }))
}

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

/// One parameter value as it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    /// Text format (format 0): PostgreSQL's input syntax, UTF-8.
    Text(String),
    /// Raw bytes: binary format (1) for a bytea parameter, text otherwise.
    Bytes(Vec<u8>),
}

fn conv<T>(what: &str) -> Result<T, Fail> {
    Err((
        "22018",
        format!("invalid character value for cast: {}", what),
    ))
}

fn datetime_err<T>(what: String) -> Result<T, Fail> {
    Err(("22007", format!("invalid datetime format: {}", what)))
}

fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_ne_bytes([b[i], b[i + 1]])
}

fn year(y: i16) -> String {
    if y > 0 {
        format!("{:04}", y)
    } else {
        // Year 0 is 1 BC in ODBC's proleptic calendar.
        format!("{:04}", 1 - y as i32)
    }
}

fn date(b: &[u8]) -> Result<(String, bool), Fail> {
    let (y, m, d) = (i16::from_ne_bytes([b[0], b[1]]), u16_at(b, 2), u16_at(b, 4));
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return datetime_err(format!("date {}-{}-{}", y, m, d));
    }
    Ok((format!("{}-{:02}-{:02}", year(y), m, d), y <= 0))
}

fn time(h: u16, m: u16, s: u16) -> Result<String, Fail> {
    if h > 23 || m > 59 || s > 60 {
        return datetime_err(format!("time {}:{}:{}", h, m, s));
    }
    Ok(format!("{:02}:{:02}:{:02}", h, m, s))
}

/// SQL_NUMERIC_STRUCT's value (precision, scale, sign 1 = positive, and a
/// 128-bit little-endian unsigned magnitude) as exact decimal text.
pub fn numeric_text(b: &[u8]) -> String {
    let scale = b[1] as i8;
    let positive = b[2] != 0;
    let mut v = [0u8; 16];
    v.copy_from_slice(&b[3..19]);
    let digits = u128::from_le_bytes(v).to_string();
    let mut s = if scale > 0 {
        let scale = scale as usize;
        let d = if digits.len() <= scale {
            format!("{}{}", "0".repeat(scale + 1 - digits.len()), digits)
        } else {
            digits
        };
        let (int, frac) = d.split_at(d.len() - scale);
        format!("{}.{}", int, frac)
    } else if scale < 0 && digits != "0" {
        format!("{}{}", digits, "0".repeat((-(scale as i16)) as usize))
    } else {
        digits
    };
    if !positive && s.bytes().any(|c| (b'1'..=b'9').contains(&c)) {
        s.insert(0, '-');
    }
    s
}

/// SQLGUID (Data1 u32, Data2 u16, Data3 u16 in the machine's order, then
/// 8 bytes) as a uuid's text.
pub fn guid_text(b: &[u8]) -> String {
    let d1 = u32::from_ne_bytes([b[0], b[1], b[2], b[3]]);
    let d2 = u16_at(b, 4);
    let d3 = u16_at(b, 6);
    let mut s = format!("{:08x}-{:04x}-{:04x}-", d1, d2, d3);
    for (i, x) in b[8..16].iter().enumerate() {
        if i == 2 {
            s.push('-');
        }
        s.push_str(&format!("{:02x}", x));
    }
    s
}

fn float(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else {
        // Debug: the shortest text that reads back as the same value.
        format!("{:?}", v)
    }
}

/// Converts one value of C type `c_type` (SQL_C_DEFAULT resolved) whose
/// bytes are `b` (exactly the value: a fixed-size type's whole buffer,
/// character data without its terminator) into what is sent.
pub fn convert(c_type: i16, b: &[u8]) -> Result<Value, Fail> {
    let need = fixed_size(c_type)?;
    if let Some(n) = need {
        if b.len() < n {
            return Err((
                "HY090",
                format!(
                    "a value of C type {} needs {} bytes, got {}",
                    c_type,
                    n,
                    b.len()
                ),
            ));
        }
    }
    let a = |n: usize| -> [u8; 8] {
        let mut x = [0u8; 8];
        x[..n].copy_from_slice(&b[..n]);
        x
    };
    Ok(Value::Text(match c_type {
        SQL_C_CHAR => match std::str::from_utf8(b) {
            Ok(s) => s.to_string(),
            Err(_) => return conv("character data is not valid UTF-8"),
        },
        SQL_C_WCHAR => {
            if b.len() % 2 != 0 {
                return conv("UTF-16 data has an odd number of bytes");
            }
            let units: Vec<u16> = b
                .chunks(2)
                .map(|p| u16::from_le_bytes([p[0], p[1]]))
                .collect();
            match String::from_utf16(&units) {
                Ok(s) => s,
                Err(_) => return conv("wide character data is not valid UTF-16"),
            }
        }
        SQL_C_BINARY => return Ok(Value::Bytes(b.to_vec())),
        SQL_C_SLONG | SQL_C_LONG => i32::from_ne_bytes([b[0], b[1], b[2], b[3]]).to_string(),
        SQL_C_ULONG => u32::from_ne_bytes([b[0], b[1], b[2], b[3]]).to_string(),
        SQL_C_SSHORT | SQL_C_SHORT => i16::from_ne_bytes([b[0], b[1]]).to_string(),
        SQL_C_USHORT => u16_at(b, 0).to_string(),
        SQL_C_STINYINT | SQL_C_TINYINT => (b[0] as i8).to_string(),
        SQL_C_UTINYINT => b[0].to_string(),
        SQL_C_SBIGINT => i64::from_ne_bytes(a(8)).to_string(),
        SQL_C_UBIGINT => u64::from_ne_bytes(a(8)).to_string(),
        SQL_C_DOUBLE => float(f64::from_ne_bytes(a(8))),
        SQL_C_FLOAT => {
            let f = f32::from_ne_bytes([b[0], b[1], b[2], b[3]]);
            if f.is_finite() {
                format!("{:?}", f)
            } else {
                float(f as f64)
            }
        }
        SQL_C_BIT => match b[0] {
            0 => "0".into(),
            1 => "1".into(),
            v => return Err(("22003", format!("bit value {} is neither 0 nor 1", v))),
        },
        SQL_C_DATE | SQL_C_TYPE_DATE => {
            let (d, bc) = date(b)?;
            if bc {
                format!("{} BC", d)
            } else {
                d
            }
        }
        SQL_C_TIME | SQL_C_TYPE_TIME => time(u16_at(b, 0), u16_at(b, 2), u16_at(b, 4))?,
        SQL_C_TIMESTAMP | SQL_C_TYPE_TIMESTAMP => {
            let (d, bc) = date(b)?;
            let t = time(u16_at(b, 6), u16_at(b, 8), u16_at(b, 10))?;
            let ns = u32::from_ne_bytes([b[12], b[13], b[14], b[15]]);
            if ns > 999_999_999 {
                return datetime_err(format!("fraction {} is more than a second", ns));
            }
            let mut s = format!("{} {}", d, t);
            if ns > 0 {
                let f = format!("{:09}", ns);
                s.push('.');
                s.push_str(f.trim_end_matches('0'));
            }
            if bc {
                s.push_str(" BC");
            }
            s
        }
        SQL_C_NUMERIC => numeric_text(b),
        SQL_C_GUID => guid_text(b),
        _ => unreachable!("fixed_size checked the type"),
    }))
}

/// Where one parameter's value of row `row` of a parameter array is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    Value,
    Null,
    /// SQL_DATA_AT_EXEC or SQL_LEN_DATA_AT_EXEC(n): SQLPutData sends it.
    AtExec,
}

/// The addresses of row `row` of a bound parameter: its value and its
/// length/indicator (0 when NULL), as the binding orientation and the
/// bind offset say.
///
/// # Safety
/// `a.param_bind_offset_ptr`, when not 0, points to a readable SQLLEN.
pub unsafe fn addresses(p: &ParamBind, a: &StmtAttrs, row: usize) -> Result<(usize, usize), Fail> {
    let offset = if a.param_bind_offset_ptr != 0 {
        (a.param_bind_offset_ptr as *const isize).read_unaligned()
    } else {
        0
    };
    let (vstride, istride) = if a.param_bind_type == 0 {
        let c = resolve(p.c_type, p.sql_type);
        let v = match fixed_size(c)? {
            Some(n) => n,
            None => p.buffer_len.max(0) as usize,
        };
        (v, std::mem::size_of::<isize>())
    } else {
        (a.param_bind_type, a.param_bind_type)
    };
    let at = |base: usize, stride: usize| {
        if base == 0 {
            0
        } else {
            (base as isize + offset + (row * stride) as isize) as usize
        }
    };
    Ok((at(p.ptr, vstride), at(p.ind_ptr, istride)))
}

/// The C type a binding's SQL_C_DEFAULT stands for.
pub fn resolve(c_type: i16, sql_type: i16) -> i16 {
    if c_type == SQL_C_DEFAULT {
        default_c_type(sql_type)
    } else {
        c_type
    }
}

/// Whether row `row` of a bound parameter sends its data at execution
/// (its indicator is SQL_DATA_AT_EXEC or SQL_LEN_DATA_AT_EXEC(n)).
///
/// # Safety
/// As `read`.
pub unsafe fn at_exec(p: &ParamBind, a: &StmtAttrs, row: usize) -> Result<bool, Fail> {
    let (_, ind) = addresses(p, a, row)?;
    if ind == 0 {
        return Ok(false);
    }
    let len = (ind as *const isize).read_unaligned();
    Ok(len == SQL_DATA_AT_EXEC || len <= SQL_LEN_DATA_AT_EXEC_OFFSET)
}

/// Reads one value of a bound parameter at row `row`.
///
/// # Safety
/// The application's buffers must be what it bound (ODBC's contract).
pub unsafe fn read(p: &ParamBind, a: &StmtAttrs, row: usize) -> Result<(Read, Value), Fail> {
    let (ptr, ind) = addresses(p, a, row)?;
    let c = resolve(p.c_type, p.sql_type);
    let len = if ind != 0 {
        (ind as *const isize).read_unaligned()
    } else if c == SQL_C_BINARY {
        p.buffer_len
    } else {
        SQL_NTS
    };
    if len == SQL_NULL_DATA {
        return Ok((Read::Null, Value::Null));
    }
    if len == SQL_DATA_AT_EXEC || len <= SQL_LEN_DATA_AT_EXEC_OFFSET {
        return Ok((Read::AtExec, Value::Null));
    }
    if ptr == 0 {
        return Err(("HY009", "the parameter's value pointer is NULL".into()));
    }
    let bytes = match fixed_size(c)? {
        Some(n) => std::slice::from_raw_parts(ptr as *const u8, n),
        None if len == SQL_NTS => {
            let cap = if p.buffer_len > 0 {
                p.buffer_len as usize
            } else {
                usize::MAX
            };
            let n = if c == SQL_C_WCHAR {
                let w = ptr as *const u16;
                let mut n = 0;
                while n * 2 + 1 < cap && w.add(n).read_unaligned() != 0 {
                    n += 1;
                }
                n * 2
            } else {
                let s = ptr as *const u8;
                let mut n = 0;
                while n < cap && *s.add(n) != 0 {
                    n += 1;
                }
                n
            };
            std::slice::from_raw_parts(ptr as *const u8, n)
        }
        None if len >= 0 => std::slice::from_raw_parts(ptr as *const u8, len as usize),
        None => return Err(("HY090", format!("invalid string or buffer length {}", len))),
    };
    Ok((Read::Value, convert(c, bytes)?))
}

// ---------------------------------------------------------------------------
// Statement state
// ---------------------------------------------------------------------------

/// A statement of SQLPrepare: its text as sent and the server's statement.
pub struct Prepared {
    pub sql: String,
    /// None when the text cannot be prepared as one statement (several
    /// statements, no markers): SQLExecute runs it as text.
    pub stmt: Option<Statement>,
    /// The type OIDs it was prepared with (0: inferred).
    pub types: Vec<u32>,
    /// Markers in the text.
    pub markers: usize,
    /// 1 for `{? = call …}`: parameter 1 is the return value, and the
    /// markers of the text are parameters 2, 3, …
    pub skip: usize,
    /// Bound types the server refused to prepare the text with.
    pub refused: Option<Vec<u32>>,
}

/// What an execution waiting for data at execution runs.
pub enum Pending {
    Prepared,
    /// The text, its markers and its `skip` (see `Prepared`).
    Direct(String, usize, usize),
}

/// A parameter of one parameter set: (set, parameter index), 0-based.
pub type Key = (usize, usize);

/// What SQLPutData sent, by parameter of a set (None: SQL_NULL_DATA).
pub type Put = HashMap<Key, Option<Vec<u8>>>;

/// SQL_NEED_DATA: the parameters whose data SQLPutData sends, in order
/// (set by set, parameter by parameter).
pub struct NeedData {
    pub what: Pending,
    /// The parameters still to send.
    pub todo: std::collections::VecDeque<Key>,
    /// The parameter SQLPutData is sending now.
    pub current: Option<Key>,
    pub data: Put,
}

/// SQLCancel while a statement waits for data at execution: the
/// execution is abandoned. True when there was one.
#[allow(dead_code)] // called by SQLCancel
pub fn cancel_need_data(st: &mut crate::handle::StmtState) -> bool {
    st.need_data.take().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_outside_literals() {
        let cases: &[(&str, &str, usize)] = &[
            ("SELECT ?", "SELECT $1", 1),
            ("SELECT ?, ?::int", "SELECT $1, $2::int", 2),
            ("SELECT '?', ?", "SELECT '?', $1", 1),
            ("SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1),
            ("SELECT E'\\'?', ?", "SELECT E'\\'?', $1", 1),
            ("SELECT e'a\\\\', ?", "SELECT e'a\\\\', $1", 1),
            (
                "SELECT \"a?\" FROM t WHERE x=?",
                "SELECT \"a?\" FROM t WHERE x=$1",
                1,
            ),
            ("SELECT $$?$$, ?", "SELECT $$?$$, $1", 1),
            ("SELECT $q$ $$ ? $q$, ?", "SELECT $q$ $$ ? $q$, $1", 1),
            ("SELECT 1 -- ?\n, ?", "SELECT 1 -- ?\n, $1", 1),
            (
                "SELECT /* ? /* ? */ ? */ ?",
                "SELECT /* ? /* ? */ ? */ $1",
                1,
            ),
            ("SELECT a$b, ?", "SELECT a$b, $1", 1),
            ("SELECT $1, ?", "SELECT $1, $1", 1),
            (
                "SELECT x FROM t WHERE a ?| ?",
                "SELECT x FROM t WHERE a $1| $2",
                2,
            ),
            ("SELECT 'unterminated ?", "SELECT 'unterminated ?", 0),
            ("SELECT 'é', ?", "SELECT 'é', $1", 1),
        ];
        for (i, o, n) in cases {
            assert_eq!(markers(i), (o.to_string(), *n), "{}", i);
            assert_eq!(count_markers(i), *n, "{}", i);
        }
        // A standard string ends at a backslash-quote: the quote closes it.
        assert_eq!(markers("SELECT 'a\\', ?").1, 1);
        // 'E' ending an identifier does not start an E'…' string.
        assert_eq!(markers("SELECT x FROM tE'?'").1, 0);
    }

    #[test]
    fn types() {
        assert_eq!(oid_of(4), Ok(INT4));
        assert_eq!(oid_of(-5), Ok(INT8));
        assert_eq!(oid_of(12), Ok(0));
        assert_eq!(oid_of(-9), Ok(0));
        assert_eq!(oid_of(93), Ok(TIMESTAMP));
        assert_eq!(oid_of(-7), Ok(BOOL));
        assert_eq!(oid_of(-3), Ok(BYTEA));
        assert_eq!(oid_of(2), Ok(NUMERIC));
        assert_eq!(oid_of(-11), Ok(UUID));
        assert_eq!(oid_of(8), Ok(FLOAT8));
        assert_eq!(oid_of(7), Ok(FLOAT4));
        assert_eq!(oid_of(91), Ok(DATE));
        assert_eq!(oid_of(92), Ok(TIME));
        assert_eq!(oid_of(0).unwrap_err().0, "HY004");
        assert_eq!(oid_of(1234).unwrap_err().0, "HY004");
        assert_eq!(fixed_size(1234).unwrap_err().0, "HY003");
        assert_eq!(default_c_type(4), SQL_C_SLONG);
        assert_eq!(default_c_type(-9), SQL_C_WCHAR);
    }

    fn text(c: i16, b: &[u8]) -> String {
        match convert(c, b).unwrap() {
            Value::Text(s) => s,
            v => panic!("{:?}", v),
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(text(SQL_C_SLONG, &(-42i32).to_ne_bytes()), "-42");
        assert_eq!(text(SQL_C_ULONG, &u32::MAX.to_ne_bytes()), "4294967295");
        assert_eq!(text(SQL_C_SSHORT, &(-7i16).to_ne_bytes()), "-7");
        assert_eq!(text(SQL_C_USHORT, &65535u16.to_ne_bytes()), "65535");
        assert_eq!(text(SQL_C_STINYINT, &[0xff]), "-1");
        assert_eq!(text(SQL_C_UTINYINT, &[0xff]), "255");
        assert_eq!(
            text(SQL_C_SBIGINT, &i64::MIN.to_ne_bytes()),
            i64::MIN.to_string()
        );
        assert_eq!(
            text(SQL_C_UBIGINT, &u64::MAX.to_ne_bytes()),
            u64::MAX.to_string()
        );
        assert_eq!(text(SQL_C_DOUBLE, &0.1f64.to_ne_bytes()), "0.1");
        assert_eq!(text(SQL_C_DOUBLE, &1e300f64.to_ne_bytes()), "1e300");
        assert_eq!(text(SQL_C_DOUBLE, &f64::NAN.to_ne_bytes()), "NaN");
        assert_eq!(
            text(SQL_C_DOUBLE, &f64::NEG_INFINITY.to_ne_bytes()),
            "-Infinity"
        );
        assert_eq!(text(SQL_C_FLOAT, &1.5f32.to_ne_bytes()), "1.5");
        assert_eq!(text(SQL_C_BIT, &[1]), "1");
        assert_eq!(convert(SQL_C_BIT, &[2]).unwrap_err().0, "22003");
        assert_eq!(convert(SQL_C_SLONG, &[1, 2]).unwrap_err().0, "HY090");
    }

    fn num(precision: u8, scale: i8, sign: u8, v: u128) -> String {
        let mut b = vec![precision, scale as u8, sign];
        b.extend_from_slice(&v.to_le_bytes());
        text(SQL_C_NUMERIC, &b)
    }

    #[test]
    fn numeric_struct() {
        assert_eq!(num(5, 2, 1, 12345), "123.45");
        assert_eq!(num(5, 2, 0, 12345), "-123.45");
        assert_eq!(num(3, 3, 1, 5), "0.005");
        assert_eq!(num(1, 0, 1, 0), "0");
        assert_eq!(num(1, 2, 0, 0), "0.00");
        assert_eq!(num(3, -2, 1, 7), "700");
        assert_eq!(num(38, 0, 1, u128::MAX), u128::MAX.to_string());
        assert_eq!(
            num(38, 10, 0, 123_456_789_012_345_678_901_234_567_890),
            "-12345678901234567890.1234567890"
        );
    }

    #[test]
    fn guid_and_dates() {
        let mut g = Vec::new();
        g.extend_from_slice(&0x1234_5678u32.to_ne_bytes());
        g.extend_from_slice(&0x9abcu16.to_ne_bytes());
        g.extend_from_slice(&0xdef0u16.to_ne_bytes());
        g.extend_from_slice(&[0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef]);
        assert_eq!(text(SQL_C_GUID, &g), "12345678-9abc-def0-0123-456789abcdef");

        let d = |y: i16, m: u16, dd: u16| {
            let mut b = y.to_ne_bytes().to_vec();
            b.extend_from_slice(&m.to_ne_bytes());
            b.extend_from_slice(&dd.to_ne_bytes());
            b
        };
        assert_eq!(text(SQL_C_TYPE_DATE, &d(2024, 2, 29)), "2024-02-29");
        assert_eq!(text(SQL_C_DATE, &d(0, 1, 1)), "0001-01-01 BC");
        assert_eq!(
            convert(SQL_C_TYPE_DATE, &d(2024, 13, 1)).unwrap_err().0,
            "22007"
        );
        let t = |h: u16, m: u16, s: u16| {
            let mut b = h.to_ne_bytes().to_vec();
            b.extend_from_slice(&m.to_ne_bytes());
            b.extend_from_slice(&s.to_ne_bytes());
            b
        };
        assert_eq!(text(SQL_C_TYPE_TIME, &t(23, 5, 9)), "23:05:09");
        assert_eq!(convert(SQL_C_TIME, &t(24, 0, 0)).unwrap_err().0, "22007");
        let mut ts = d(1999, 12, 31);
        ts.extend_from_slice(&t(23, 59, 58));
        ts.extend_from_slice(&123_456_000u32.to_ne_bytes());
        assert_eq!(
            text(SQL_C_TYPE_TIMESTAMP, &ts),
            "1999-12-31 23:59:58.123456"
        );
        ts[12..16].copy_from_slice(&0u32.to_ne_bytes());
        assert_eq!(text(SQL_C_TIMESTAMP, &ts), "1999-12-31 23:59:58");
        ts[12..16].copy_from_slice(&1_000_000_000u32.to_ne_bytes());
        assert_eq!(convert(SQL_C_TYPE_TIMESTAMP, &ts).unwrap_err().0, "22007");
    }

    #[test]
    fn characters() {
        assert_eq!(text(SQL_C_CHAR, "héllo".as_bytes()), "héllo");
        assert_eq!(convert(SQL_C_CHAR, &[0xff]).unwrap_err().0, "22018");
        let w: Vec<u8> = "h€\u{1F600}"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(text(SQL_C_WCHAR, &w), "h€\u{1F600}");
        // A lone high surrogate, and an odd byte count.
        assert_eq!(convert(SQL_C_WCHAR, &[0x00, 0xd8]).unwrap_err().0, "22018");
        assert_eq!(convert(SQL_C_WCHAR, &[0x41]).unwrap_err().0, "22018");
        assert_eq!(
            convert(SQL_C_BINARY, &[0, 1, 0]).unwrap(),
            Value::Bytes(vec![0, 1, 0])
        );
    }

    /// Column-wise and row-wise arrays with a bind offset, read through
    /// the same addresses the driver reads at execution.
    #[test]
    fn arrays() {
        let vals: [i32; 3] = [10, 20, 30];
        let inds: [isize; 3] = [4, SQL_NULL_DATA, 4];
        let p = ParamBind {
            io_type: 1,
            c_type: SQL_C_SLONG,
            sql_type: 4,
            ptr: vals.as_ptr() as usize,
            ind_ptr: inds.as_ptr() as usize,
            ..ParamBind::default()
        };
        let a = StmtAttrs {
            paramset_size: 3,
            ..StmtAttrs::default()
        };
        let got: Vec<_> = (0..3)
            .map(|r| unsafe { read(&p, &a, r) }.unwrap())
            .collect();
        assert_eq!(got[0], (Read::Value, Value::Text("10".into())));
        assert_eq!(got[1], (Read::Null, Value::Null));
        assert_eq!(got[2], (Read::Value, Value::Text("30".into())));

        #[repr(C)]
        struct Row {
            id: i32,
            id_ind: isize,
            name: [u8; 8],
            name_ind: isize,
        }
        let rows = [
            Row {
                id: 1,
                id_ind: 0,
                name: *b"one\0\0\0\0\0",
                name_ind: SQL_NTS,
            },
            Row {
                id: 2,
                id_ind: 0,
                name: *b"two!\0\0\0\0",
                name_ind: 2,
            },
        ];
        let size = std::mem::size_of::<Row>();
        // The offset moves the bindings from a zeroed decoy to the rows.
        let decoy = 0usize;
        let base = &decoy as *const usize as usize;
        let offset: isize = rows.as_ptr() as isize - base as isize;
        let a = StmtAttrs {
            paramset_size: 2,
            param_bind_type: size,
            param_bind_offset_ptr: &offset as *const isize as usize,
            ..StmtAttrs::default()
        };
        let id = ParamBind {
            c_type: SQL_C_SLONG,
            sql_type: 4,
            ptr: base,
            ind_ptr: base + std::mem::offset_of!(Row, id_ind),
            ..ParamBind::default()
        };
        let name = ParamBind {
            c_type: SQL_C_CHAR,
            sql_type: 12,
            ptr: base + std::mem::offset_of!(Row, name),
            buffer_len: 8,
            ind_ptr: base + std::mem::offset_of!(Row, name_ind),
            ..ParamBind::default()
        };
        let r = |p: &ParamBind, row| unsafe { read(p, &a, row) }.unwrap().1;
        assert_eq!(r(&id, 0), Value::Text("1".into()));
        assert_eq!(r(&id, 1), Value::Text("2".into()));
        assert_eq!(r(&name, 0), Value::Text("one".into()));
        assert_eq!(r(&name, 1), Value::Text("tw".into()));
    }

    #[test]
    fn at_exec_indicators() {
        let inds: [isize; 2] = [SQL_DATA_AT_EXEC, SQL_LEN_DATA_AT_EXEC_OFFSET - 10];
        let p = ParamBind {
            c_type: SQL_C_CHAR,
            sql_type: 12,
            ptr: 1,
            ind_ptr: inds.as_ptr() as usize,
            ..ParamBind::default()
        };
        let a = StmtAttrs::default();
        assert_eq!(unsafe { read(&p, &a, 0) }.unwrap().0, Read::AtExec);
        assert_eq!(unsafe { read(&p, &a, 1) }.unwrap().0, Read::AtExec);
        let bad: isize = -7;
        let p = ParamBind {
            ind_ptr: &bad as *const isize as usize,
            ..p
        };
        assert_eq!(unsafe { read(&p, &a, 0) }.unwrap_err().0, "HY090");
    }
}
