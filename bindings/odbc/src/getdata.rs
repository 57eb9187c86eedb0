//! C-type conversions of one value (PostgreSQL's text output format) for
//! SQLGetData and bound columns, and the piecewise reads of long values.
//!
//! A value is first planned (`convert`): fixed-size C types are converted
//! whole into a small inline buffer; character and binary data stay in
//! the result's cell and are copied out piece by piece (`put`), so the
//! common types cost no allocation. Only SQL_C_WCHAR keeps a converted
//! copy (UTF-16).

pub use crate::sys::c_types::*;

const BOOL: u32 = 16;
const BYTEA: u32 = 17;
const DATE: u32 = 1082;
const TIME: u32 = 1083;
const TIMETZ: u32 = 1266;

/// A conversion failure: SQLSTATE and message.
pub type Fail = (&'static str, String);

/// A fixed-size C value (the largest, SQL_NUMERIC_STRUCT, is 19 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fixed {
    pub buf: [u8; 24],
    pub len: usize,
    /// A fraction (or time of day) was cut off: 01S07.
    pub cut: bool,
}

impl Fixed {
    fn of(bytes: &[u8], cut: bool) -> Fixed {
        let mut buf = [0u8; 24];
        buf[..bytes.len()].copy_from_slice(bytes);
        Fixed {
            buf,
            len: bytes.len(),
            cut,
        }
    }

    pub fn bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// A value planned for the application, before any chunking.
#[derive(Debug, Clone, PartialEq)]
pub enum Converted {
    /// Character data: the cell's bytes from `skip` on, NUL-terminated.
    Chars {
        skip: usize,
    },
    /// Character data that is not the cell's text (bool as "1"/"0").
    Static(&'static [u8]),
    /// UTF-16 (SQL_C_WCHAR); the unit is a code unit.
    Wide(Vec<u16>),
    /// bytea decoded from the cell's hex digits (after `\x`).
    Hex,
    /// The cell's bytes as binary.
    Raw,
    Fixed(Fixed),
    /// SQL NULL (already reported).
    Null,
}

/// The C type SQL_C_DEFAULT stands for, for a column of this SQL type.
pub fn default_c_type(sql_type: i16) -> i16 {
    use crate::types::*;
    match sql_type {
        SQL_BIT => SQL_C_BIT,
        SQL_SMALLINT => SQL_C_SSHORT,
        SQL_INTEGER => SQL_C_SLONG,
        SQL_BIGINT => SQL_C_SBIGINT,
        SQL_REAL => SQL_C_FLOAT,
        SQL_DOUBLE => SQL_C_DOUBLE,
        SQL_TYPE_DATE => SQL_C_TYPE_DATE,
        SQL_TYPE_TIME => SQL_C_TYPE_TIME,
        SQL_TYPE_TIMESTAMP => SQL_C_TYPE_TIMESTAMP,
        SQL_GUID => SQL_C_GUID,
        -4..=-2 => SQL_C_BINARY,
        -10..=-8 => SQL_C_WCHAR,
        _ => SQL_C_CHAR,
    }
}

/// The size of a fixed-size C type (its element size in a column-wise
/// array); None for character and binary types.
pub fn fixed_size(c: i16) -> Option<usize> {
    Some(match c {
        SQL_C_BIT | SQL_C_TINYINT | SQL_C_STINYINT | SQL_C_UTINYINT => 1,
        SQL_C_SHORT | SQL_C_SSHORT | SQL_C_USHORT => 2,
        SQL_C_LONG | SQL_C_SLONG | SQL_C_ULONG | SQL_C_FLOAT => 4,
        SQL_C_SBIGINT | SQL_C_UBIGINT | SQL_C_DOUBLE => 8,
        SQL_C_NUMERIC => 19,
        SQL_C_DATE | SQL_C_TIME | SQL_C_TYPE_DATE | SQL_C_TYPE_TIME => 6,
        SQL_C_TIMESTAMP | SQL_C_TYPE_TIMESTAMP | SQL_C_GUID => 16,
        _ => return None,
    })
}

/// Whether `c` is a C type this driver converts to.
pub fn known(c: i16) -> bool {
    fixed_size(c).is_some() || matches!(c, SQL_C_CHAR | SQL_C_WCHAR | SQL_C_BINARY)
}

fn bool_of(oid: u32, text: &[u8]) -> Option<bool> {
    match (oid, text) {
        (BOOL, b"t") => Some(true),
        (BOOL, b"f") => Some(false),
        _ => None,
    }
}

fn short(text: &[u8]) -> String {
    String::from_utf8_lossy(text).chars().take(40).collect()
}

fn nan(text: &[u8]) -> Fail {
    ("22018", format!("value {:?} is not a number", short(text)))
}

fn range(text: &[u8], what: &str) -> Fail {
    (
        "22003",
        format!("value {} is out of range for {}", short(text), what),
    )
}

fn trim(t: &[u8]) -> &[u8] {
    let s = t
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(t.len());
    let e = t
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(s, |e| e + 1);
    &t[s..e.max(s)]
}

/// A decimal number's parts: sign, digits before and after the point.
struct Decimal<'a> {
    neg: bool,
    int: &'a [u8],
    frac: &'a [u8],
}

fn decimal(t: &[u8]) -> Option<Decimal<'_>> {
    let t = trim(t);
    let (neg, t) = match t.first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (int, frac) = match t.iter().position(|&b| b == b'.') {
        Some(p) => (&t[..p], &t[p + 1..]),
        None => (t, &t[..0]),
    };
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return None;
    }
    Some(Decimal { neg, int, frac })
}

/// An integer from any numeric text, truncated toward zero (the bool is
/// whether a fraction was cut).
fn integer(oid: u32, text: &[u8], min: i128, max: i128, what: &str) -> Result<(i128, bool), Fail> {
    if let Some(b) = bool_of(oid, text) {
        return Ok((b as i128, false));
    }
    let (v, cut) = match decimal(text) {
        Some(d) => {
            let mut v: i128 = 0;
            for &c in d.int {
                v = v
                    .checked_mul(10)
                    .and_then(|v| v.checked_add((c - b'0') as i128))
                    .ok_or_else(|| range(text, what))?;
            }
            (
                if d.neg { -v } else { v },
                d.frac.iter().any(|&c| c != b'0'),
            )
        }
        None => {
            let f = float(oid, text)?;
            if !f.is_finite() {
                return Err(range(text, what));
            }
            if f.abs() >= 1e38 {
                return Err(range(text, what));
            }
            (f.trunc() as i128, f.fract() != 0.0)
        }
    };
    if v < min || v > max {
        return Err(range(text, what));
    }
    Ok((v, cut))
}

fn float(oid: u32, text: &[u8]) -> Result<f64, Fail> {
    if let Some(b) = bool_of(oid, text) {
        return Ok(b as u8 as f64);
    }
    std::str::from_utf8(trim(text))
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .ok_or_else(|| nan(text))
}

/// SQL_NUMERIC_STRUCT from numeric text. `ps`: the ARD's precision and
/// scale when the application set them; otherwise the value's own.
fn numeric(text: &[u8], ps: Option<(u8, i8)>) -> Result<Fixed, Fail> {
    let d = decimal(text).ok_or_else(|| {
        if trim(text).eq_ignore_ascii_case(b"nan") {
            nan(text)
        } else if let Ok(f) = float(0, text) {
            if f.is_infinite() {
                range(text, "SQL_C_NUMERIC")
            } else {
                (
                    "07006",
                    "exponent notation does not convert to SQL_C_NUMERIC".into(),
                )
            }
        } else {
            nan(text)
        }
    })?;
    let int = {
        let s = d.int.iter().position(|&c| c != b'0').unwrap_or(d.int.len());
        &d.int[s..]
    };
    let (precision, scale) = match ps {
        Some(ps) => ps,
        None => {
            let frac = {
                let e = d.frac.iter().rposition(|&c| c != b'0').map_or(0, |e| e + 1);
                &d.frac[..e]
            };
            let p = (int.len() + frac.len()).clamp(1, 255);
            (p as u8, frac.len().min(127) as i8)
        }
    };
    if scale < 0 {
        return Err(("HY104", format!("invalid numeric scale {}", scale)));
    }
    let scale_u = scale as usize;
    // The digits of value * 10^scale; the digits cut off beyond the scale.
    let kept = d.frac.len().min(scale_u);
    let cut = d.frac[kept..].iter().any(|&c| c != b'0');
    let mut v: u128 = 0;
    let push = |v: &mut u128, c: u8| -> Option<()> {
        *v = v.checked_mul(10)?.checked_add((c - b'0') as u128)?;
        Some(())
    };
    for &c in int.iter().chain(&d.frac[..kept]) {
        push(&mut v, c).ok_or_else(|| range(text, "SQL_C_NUMERIC"))?;
    }
    for _ in kept..scale_u {
        push(&mut v, b'0').ok_or_else(|| range(text, "SQL_C_NUMERIC"))?;
    }
    if ps.is_some() && int.len() > (precision as usize).saturating_sub(scale_u) {
        return Err(range(text, "the numeric precision"));
    }
    let mut out = [0u8; 19];
    out[0] = precision;
    out[1] = scale as u8;
    out[2] = if d.neg && v != 0 { 0 } else { 1 };
    out[3..19].copy_from_slice(&v.to_le_bytes());
    Ok(Fixed::of(&out, cut))
}

/// Date, time and timestamp parts of PostgreSQL's ISO output.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    year: i32,
    month: u16,
    day: u16,
    hour: u16,
    minute: u16,
    second: u16,
    nanos: u32,
    has_date: bool,
    has_time: bool,
}

fn num(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |v, &c| v * 10 + (c - b'0') as u32))
}

/// "HH:MM:SS[.fff…]" (an offset after it is left out: PostgreSQL has
/// already rendered the value in the session's time zone).
fn time_of(t: &[u8], s: &mut Stamp) -> Option<()> {
    let end = t
        .iter()
        .position(|&c| c == b'+' || c == b'-')
        .unwrap_or(t.len());
    let t = &t[..end];
    let (hms, frac) = match t.iter().position(|&c| c == b'.') {
        Some(p) => (&t[..p], &t[p + 1..]),
        None => (t, &t[..0]),
    };
    let mut parts = hms.split(|&c| c == b':');
    s.hour = num(parts.next()?)? as u16;
    s.minute = num(parts.next()?)? as u16;
    s.second = num(parts.next()?)? as u16;
    if parts.next().is_some() || !frac.iter().all(u8::is_ascii_digit) || frac.len() > 9 {
        return None;
    }
    let mut n = 0u32;
    for i in 0..9 {
        n = n * 10 + frac.get(i).map_or(0, |&c| (c - b'0') as u32);
    }
    s.nanos = n;
    s.has_time = true;
    Some(())
}

fn date_of(t: &[u8], s: &mut Stamp) -> Option<()> {
    let mut parts = t.split(|&c| c == b'-');
    s.year = num(parts.next()?)? as i32;
    s.month = num(parts.next()?)? as u16;
    s.day = num(parts.next()?)? as u16;
    if parts.next().is_some() || !(1..=12).contains(&s.month) || !(1..=31).contains(&s.day) {
        return None;
    }
    s.has_date = true;
    Some(())
}

fn stamp(oid: u32, text: &[u8]) -> Result<Stamp, Fail> {
    let t = trim(text);
    let lower = |w: &[u8]| t.eq_ignore_ascii_case(w);
    if lower(b"infinity") || lower(b"-infinity") {
        return Err((
            "22008",
            format!(
                "{} has no date or time an ODBC structure can hold",
                short(t)
            ),
        ));
    }
    if t.ends_with(b" BC") {
        return Err((
            "22008",
            format!(
                "{} is before the year 1, outside ODBC's date range",
                short(t)
            ),
        ));
    }
    let bad = || {
        (
            "22018",
            format!("value {:?} is not a date or time", short(text)),
        )
    };
    let mut s = Stamp::default();
    let ok = match oid {
        TIME | TIMETZ => time_of(t, &mut s),
        _ => match t.iter().position(|&c| c == b' ' || c == b'T') {
            Some(p) => date_of(&t[..p], &mut s).and_then(|_| time_of(&t[p + 1..], &mut s)),
            None if t.contains(&b':') => time_of(t, &mut s),
            None => date_of(t, &mut s),
        },
    };
    ok.ok_or_else(bad)?;
    if s.year > i16::MAX as i32 {
        return Err((
            "22008",
            format!("year of {} does not fit SQL_DATE_STRUCT", short(t)),
        ));
    }
    Ok(s)
}

fn date_struct(s: &Stamp) -> [u8; 6] {
    let mut b = [0u8; 6];
    b[0..2].copy_from_slice(&(s.year as i16).to_ne_bytes());
    b[2..4].copy_from_slice(&s.month.to_ne_bytes());
    b[4..6].copy_from_slice(&s.day.to_ne_bytes());
    b
}

fn time_struct(s: &Stamp) -> [u8; 6] {
    let mut b = [0u8; 6];
    b[0..2].copy_from_slice(&s.hour.to_ne_bytes());
    b[2..4].copy_from_slice(&s.minute.to_ne_bytes());
    b[4..6].copy_from_slice(&s.second.to_ne_bytes());
    b
}

/// Today's date in UTC (a time converted to a timestamp takes it, as
/// ODBC specifies).
fn today() -> Stamp {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    // Days since 1970-01-01 to a civil date (proleptic Gregorian).
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u16;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u16;
    let year = (yoe + era * 400 + (month <= 2) as i64) as i32;
    Stamp {
        year,
        month,
        day,
        has_date: true,
        ..Stamp::default()
    }
}

fn datetime(oid: u32, text: &[u8], c: i16) -> Result<Fixed, Fail> {
    if matches!(oid, BOOL | BYTEA | 20 | 21 | 23 | 700 | 701 | 1700 | 2950) {
        return Err((
            "07006",
            format!("a value of type {} does not convert to a date or time", oid),
        ));
    }
    let mut s = stamp(oid, text)?;
    Ok(match c {
        SQL_C_TYPE_DATE | SQL_C_DATE => {
            if !s.has_date {
                return Err(("07006", "a time has no date".into()));
            }
            let cut = s.has_time && (s.hour, s.minute, s.second, s.nanos) != (0, 0, 0, 0);
            Fixed::of(&date_struct(&s), cut)
        }
        SQL_C_TYPE_TIME | SQL_C_TIME => {
            if !s.has_time {
                return Err(("07006", "a date has no time of day".into()));
            }
            Fixed::of(&time_struct(&s), s.nanos != 0)
        }
        _ => {
            if !s.has_date {
                let t = today();
                (s.year, s.month, s.day) = (t.year, t.month, t.day);
            }
            let mut b = [0u8; 16];
            b[0..6].copy_from_slice(&date_struct(&s));
            b[6..12].copy_from_slice(&time_struct(&s));
            b[12..16].copy_from_slice(&s.nanos.to_ne_bytes());
            Fixed::of(&b, false)
        }
    })
}

/// SQLGUID (Data1 u32, Data2 u16, Data3 u16, Data4 [u8; 8]) from
/// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (braces and no dashes, as
/// PostgreSQL's uuid input takes them, too).
fn guid(text: &[u8]) -> Result<Fixed, Fail> {
    let bad = || ("22018", format!("value {:?} is not a GUID", short(text)));
    let t = trim(text);
    let t = t
        .strip_prefix(b"{")
        .and_then(|t| t.strip_suffix(b"}"))
        .unwrap_or(t);
    let mut raw = [0u8; 16];
    let mut n = 0;
    let mut half = None;
    for &c in t {
        if c == b'-' {
            continue;
        }
        let v = (c as char).to_digit(16).ok_or_else(bad)? as u8;
        match half.take() {
            None => half = Some(v),
            Some(h) => {
                if n == 16 {
                    return Err(bad());
                }
                raw[n] = h << 4 | v;
                n += 1;
            }
        }
    }
    if n != 16 || half.is_some() {
        return Err(bad());
    }
    let d1 = u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]);
    let d2 = u16::from_be_bytes([raw[4], raw[5]]);
    let d3 = u16::from_be_bytes([raw[6], raw[7]]);
    let mut b = [0u8; 16];
    b[0..4].copy_from_slice(&d1.to_ne_bytes());
    b[4..6].copy_from_slice(&d2.to_ne_bytes());
    b[6..8].copy_from_slice(&d3.to_ne_bytes());
    b[8..16].copy_from_slice(&raw[8..16]);
    Ok(Fixed::of(&b, false))
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Checks bytea's hex text form (`\x…`) without decoding it.
fn check_bytea(text: &[u8]) -> Result<(), Fail> {
    let h = text.strip_prefix(b"\\x").ok_or_else(|| {
        (
            "22018",
            "bytea value is not in hex format (set bytea_output = hex)".to_string(),
        )
    })?;
    if h.len() % 2 != 0 {
        return Err((
            "22018",
            "bytea value has an odd number of hex digits".into(),
        ));
    }
    if !h.iter().all(|&c| hex(c).is_some()) {
        return Err((
            "22018",
            "bytea value has a character that is not hex".into(),
        ));
    }
    Ok(())
}

macro_rules! int_to {
    ($oid:expr, $text:expr, $t:ty, $name:expr) => {{
        let (v, cut) = integer($oid, $text, <$t>::MIN as i128, <$t>::MAX as i128, $name)?;
        Fixed::of(&(v as $t).to_ne_bytes(), cut)
    }};
}

/// Plans one non-NULL value (`text` without its NUL) of a column of type
/// `oid` for C type `c`. `ps`: the ARD's numeric precision and scale.
pub fn convert(oid: u32, text: &[u8], c: i16, ps: Option<(u8, i8)>) -> Result<Converted, Fail> {
    Ok(Converted::Fixed(match c {
        SQL_C_CHAR => {
            return Ok(match (oid, bool_of(oid, text)) {
                (_, Some(true)) => Converted::Static(b"1"),
                (_, Some(false)) => Converted::Static(b"0"),
                (BYTEA, _) if text.starts_with(b"\\x") => Converted::Chars { skip: 2 },
                _ => Converted::Chars { skip: 0 },
            })
        }
        SQL_C_WCHAR => {
            let t: &[u8] = match (oid, bool_of(oid, text)) {
                (_, Some(true)) => b"1",
                (_, Some(false)) => b"0",
                (BYTEA, _) => text.strip_prefix(b"\\x").unwrap_or(text),
                _ => text,
            };
            return Ok(Converted::Wide(
                String::from_utf8_lossy(t).encode_utf16().collect(),
            ));
        }
        SQL_C_BINARY => {
            return Ok(if oid == BYTEA {
                check_bytea(text)?;
                Converted::Hex
            } else {
                Converted::Raw
            })
        }
        SQL_C_SLONG | SQL_C_LONG => int_to!(oid, text, i32, "SQL_C_SLONG"),
        SQL_C_ULONG => int_to!(oid, text, u32, "SQL_C_ULONG"),
        SQL_C_SSHORT | SQL_C_SHORT => int_to!(oid, text, i16, "SQL_C_SSHORT"),
        SQL_C_USHORT => int_to!(oid, text, u16, "SQL_C_USHORT"),
        SQL_C_STINYINT | SQL_C_TINYINT => int_to!(oid, text, i8, "SQL_C_STINYINT"),
        SQL_C_UTINYINT => int_to!(oid, text, u8, "SQL_C_UTINYINT"),
        SQL_C_SBIGINT => int_to!(oid, text, i64, "SQL_C_SBIGINT"),
        SQL_C_UBIGINT => int_to!(oid, text, u64, "SQL_C_UBIGINT"),
        SQL_C_BIT => {
            // ODBC: 0 or 1 (a fraction between is cut, 01S07); else 22003.
            let (v, cut) = integer(oid, text, 0, 1, "SQL_C_BIT (a bit is 0 or 1)")?;
            Fixed::of(&[v as u8], cut)
        }
        SQL_C_DOUBLE => Fixed::of(&float(oid, text)?.to_ne_bytes(), false),
        SQL_C_FLOAT => {
            let v = float(oid, text)?;
            let f = v as f32;
            if v.is_finite() && f.is_infinite() {
                return Err(range(text, "SQL_C_FLOAT"));
            }
            Fixed::of(&f.to_ne_bytes(), false)
        }
        SQL_C_NUMERIC => {
            if let Some(b) = bool_of(oid, text) {
                numeric(if b { b"1" } else { b"0" }, ps)?
            } else {
                numeric(text, ps)?
            }
        }
        SQL_C_TYPE_DATE | SQL_C_DATE | SQL_C_TYPE_TIME | SQL_C_TIME | SQL_C_TYPE_TIMESTAMP
        | SQL_C_TIMESTAMP => datetime(oid, text, c)?,
        SQL_C_GUID => {
            if matches!(
                oid,
                BOOL | BYTEA | 20 | 21 | 23 | 700 | 701 | 1700 | DATE | TIME
            ) {
                return Err((
                    "07006",
                    format!("a value of type {} does not convert to a GUID", oid),
                ));
            }
            guid(text)?
        }
        _ if known(c) => unreachable!("every known C type is handled"),
        _ => {
            return Err((
                "HY003",
                format!("C type {} is not supported by this driver", c),
            ))
        }
    }))
}

/// What one piece wrote and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    /// Bytes written to the buffer (a terminator included).
    pub written: usize,
    /// The indicator: bytes left from the start of this piece.
    pub remaining: usize,
    /// How far the read advances, in the value's units.
    pub advance: usize,
    /// Whether the piece is cut short (01004).
    pub truncated: bool,
}

/// The length of `v` in its units; `cell` is the value's text without
/// its NUL; `max` is SQL_ATTR_MAX_LENGTH (0: none), which cuts character
/// and binary data silently.
pub fn units(v: &Converted, cell: &[u8], max: usize) -> usize {
    let cap = |n: usize| if max > 0 { n.min(max) } else { n };
    match v {
        Converted::Chars { skip } => cap(cell.len().saturating_sub(*skip)),
        Converted::Static(s) => s.len(),
        Converted::Wide(w) => {
            if max > 0 {
                w.len().min(max / 2)
            } else {
                w.len()
            }
        }
        Converted::Hex => cap(cell.len().saturating_sub(2) / 2),
        Converted::Raw => cap(cell.len()),
        Converted::Fixed(_) | Converted::Null => 1,
    }
}

/// Writes the next piece of `v` from unit `offset` into `target`, a
/// buffer of `cap` bytes (NULL writes nothing).
///
/// # Safety
/// `target` must be NULL or valid for `cap` bytes (for a fixed-size
/// type, for the type's size).
pub unsafe fn put(
    v: &Converted,
    cell: &[u8],
    offset: usize,
    cap: usize,
    max: usize,
    target: *mut u8,
) -> Piece {
    let total = units(v, cell, max);
    let write = |src: &[u8], at: usize| {
        if !target.is_null() {
            std::ptr::copy_nonoverlapping(src.as_ptr(), target.add(at), src.len());
        }
    };
    match v {
        Converted::Chars { .. } | Converted::Static(_) | Converted::Raw => {
            let data: &[u8] = match v {
                Converted::Chars { skip } => &cell[(*skip).min(cell.len())..],
                Converted::Static(s) => s,
                _ => cell,
            };
            let data = &data[..total];
            let rest = &data[offset.min(total)..];
            let term = usize::from(!matches!(v, Converted::Raw));
            let n = rest.len().min(cap.saturating_sub(term));
            write(&rest[..n], 0);
            if term == 1 && cap > 0 {
                write(&[0], n);
            }
            Piece {
                written: n + if cap > 0 { term } else { 0 },
                remaining: rest.len(),
                advance: n,
                truncated: n < rest.len(),
            }
        }
        Converted::Hex => {
            let h = &cell[2.min(cell.len())..];
            let start = offset.min(total);
            let left = total - start;
            let n = left.min(cap);
            if !target.is_null() {
                for i in 0..n {
                    let p = 2 * (start + i);
                    let b = hex(h[p]).unwrap_or(0) << 4 | hex(h[p + 1]).unwrap_or(0);
                    *target.add(i) = b;
                }
            }
            Piece {
                written: n,
                remaining: left,
                advance: n,
                truncated: n < left,
            }
        }
        Converted::Wide(w) => {
            let rest = &w[offset.min(total)..total];
            let mut n = rest.len().min((cap / 2).saturating_sub(1));
            // Never end a piece between the two halves of a surrogate pair.
            if n > 0 && n < rest.len() && (0xD800..0xDC00).contains(&rest[n - 1]) {
                n -= 1;
            }
            if !target.is_null() {
                for (i, u) in rest[..n].iter().enumerate() {
                    write(&u.to_le_bytes(), 2 * i);
                }
                if cap >= 2 {
                    write(&[0, 0], 2 * n);
                }
            }
            Piece {
                written: 2 * n + if cap >= 2 { 2 } else { 0 },
                remaining: rest.len() * 2,
                advance: n,
                truncated: n < rest.len(),
            }
        }
        Converted::Fixed(f) => {
            write(f.bytes(), 0);
            Piece {
                written: f.len,
                remaining: f.len,
                advance: 1,
                truncated: false,
            }
        }
        Converted::Null => Piece {
            written: 0,
            remaining: 0,
            advance: 1,
            truncated: false,
        },
    }
}

/// Whether every piece of `v` has been read from `offset` on.
pub fn exhausted(v: &Converted, cell: &[u8], offset: usize, max: usize) -> bool {
    offset >= units(v, cell, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIMESTAMP: u32 = 1114;
    const TIMESTAMPTZ: u32 = 1184;

    fn piece(v: &Converted, cell: &[u8], off: usize, cap: usize) -> (Vec<u8>, Piece) {
        let mut buf = vec![0xAAu8; cap];
        let p = unsafe { put(v, cell, off, cap, 0, buf.as_mut_ptr()) };
        buf.truncate(p.written);
        (buf, p)
    }

    /// Reads the whole value in pieces of `cap` bytes, checking each
    /// piece's indicator, and returns the data without terminators.
    fn read_all(v: &Converted, cell: &[u8], cap: usize, unit: usize, term: usize) -> Vec<u8> {
        let mut off = 0;
        let mut out = Vec::new();
        let mut first = true;
        while first || !exhausted(v, cell, off, 0) {
            first = false;
            let (bytes, p) = piece(v, cell, off, cap);
            let data = &bytes[..bytes.len() - term];
            assert!(bytes.len() <= cap);
            assert_eq!(p.truncated, data.len() < p.remaining);
            out.extend_from_slice(data);
            assert_eq!(p.advance * unit, data.len());
            off += p.advance;
            if p.advance == 0 {
                break;
            }
        }
        out
    }

    fn fixed(oid: u32, t: &str, c: i16) -> Result<Fixed, Fail> {
        match convert(oid, t.as_bytes(), c, None)? {
            Converted::Fixed(f) => Ok(f),
            other => panic!("not fixed: {:?}", other),
        }
    }

    #[test]
    fn char_pieces_are_exact_at_every_size() {
        let text = "héllo, wörld — 😀!";
        let cell = text.as_bytes();
        let v = convert(25, cell, SQL_C_CHAR, None).unwrap();
        for cap in 2..=text.len() + 2 {
            assert_eq!(read_all(&v, cell, cap, 1, 1), cell, "cap {}", cap);
        }
        let (b, p) = piece(&v, cell, 0, 5);
        assert_eq!(b, b"h\xc3\xa9l\0");
        assert_eq!(p.remaining, text.len());
        assert!(p.truncated);
        assert!(!piece(&v, cell, 0, text.len() + 1).1.truncated);
        assert!(piece(&v, cell, 0, text.len()).1.truncated);
        // MAX_LENGTH cuts silently.
        let p = unsafe { put(&v, cell, 0, 100, 3, std::ptr::null_mut()) };
        assert_eq!((p.remaining, p.truncated), (3, false));
    }

    #[test]
    fn wide_pieces_never_split_a_surrogate_pair() {
        let text = "a😀b😀😀c";
        let units: Vec<u16> = text.encode_utf16().collect();
        let v = convert(25, text.as_bytes(), SQL_C_WCHAR, None).unwrap();
        for cap in 6..=units.len() * 2 + 4 {
            let got = read_all(&v, b"", cap, 2, 2);
            let back: Vec<u16> = got
                .chunks(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            assert_eq!(back, units, "cap {}", cap);
        }
        assert_eq!(piece(&v, b"", 1, 6).1.advance, 2);
        let p = piece(&v, b"", 0, 6).1;
        assert_eq!(p.advance, 1, "a, and the pair waits for the next piece");
        assert_eq!(p.remaining, units.len() * 2);
    }

    #[test]
    fn bytea_decodes_exactly_at_every_piece_size() {
        let cell = b"\\x00ff10abCD7e";
        let v = convert(BYTEA, cell, SQL_C_BINARY, None).unwrap();
        let want = [0u8, 0xff, 0x10, 0xab, 0xcd, 0x7e];
        for cap in 1..=8 {
            assert_eq!(read_all(&v, cell, cap, 1, 0), want, "cap {}", cap);
        }
        let (b, p) = piece(&v, cell, 1, 3);
        assert_eq!((b.as_slice(), p.remaining), (&want[1..4], 5));
        for bad in [&b"\\x0g"[..], b"\\x0", b"00"] {
            assert_eq!(
                convert(BYTEA, bad, SQL_C_BINARY, None).unwrap_err().0,
                "22018"
            );
        }
        let v = convert(BYTEA, cell, SQL_C_CHAR, None).unwrap();
        assert_eq!(read_all(&v, cell, 100, 1, 1), b"00ff10abCD7e");
    }

    #[test]
    fn integers_of_every_width() {
        assert_eq!(
            fixed(23, "42", SQL_C_SLONG).unwrap().bytes(),
            42i32.to_ne_bytes()
        );
        let f = fixed(1700, "2.5", SQL_C_SLONG).unwrap();
        assert_eq!((f.bytes(), f.cut), (&2i32.to_ne_bytes()[..], true));
        let f = fixed(1700, "-2.50", SQL_C_SSHORT).unwrap();
        assert_eq!((f.bytes(), f.cut), (&(-2i16).to_ne_bytes()[..], true));
        assert!(!fixed(1700, "7.000", SQL_C_SLONG).unwrap().cut);
        assert_eq!(fixed(20, "9000000000", SQL_C_SLONG).unwrap_err().0, "22003");
        assert_eq!(
            fixed(20, "9000000000", SQL_C_SBIGINT).unwrap().bytes(),
            9_000_000_000i64.to_ne_bytes()
        );
        assert_eq!(
            fixed(1700, "18446744073709551615", SQL_C_UBIGINT)
                .unwrap()
                .bytes(),
            u64::MAX.to_ne_bytes()
        );
        assert_eq!(fixed(23, "-1", SQL_C_ULONG).unwrap_err().0, "22003");
        assert_eq!(fixed(23, "-1", SQL_C_USHORT).unwrap_err().0, "22003");
        assert_eq!(
            fixed(23, "65535", SQL_C_USHORT).unwrap().bytes(),
            65535u16.to_ne_bytes()
        );
        assert_eq!(fixed(23, "32768", SQL_C_SSHORT).unwrap_err().0, "22003");
        assert_eq!(fixed(23, "-128", SQL_C_STINYINT).unwrap().bytes(), [0x80]);
        assert_eq!(fixed(23, "128", SQL_C_TINYINT).unwrap_err().0, "22003");
        assert_eq!(fixed(23, "255", SQL_C_UTINYINT).unwrap().bytes(), [255]);
        assert_eq!(fixed(23, "256", SQL_C_UTINYINT).unwrap_err().0, "22003");
        assert_eq!(
            fixed(701, "1e3", SQL_C_SLONG).unwrap().bytes(),
            1000i32.to_ne_bytes()
        );
        assert_eq!(fixed(701, "Infinity", SQL_C_SLONG).unwrap_err().0, "22003");
        assert_eq!(fixed(25, "abc", SQL_C_SLONG).unwrap_err().0, "22018");
        assert_eq!(
            fixed(
                1700,
                "1234567890123456789012345678901234567890",
                SQL_C_SBIGINT
            )
            .unwrap_err()
            .0,
            "22003"
        );
        assert_eq!(fixed(16, "t", SQL_C_BIT).unwrap().bytes(), [1]);
        assert_eq!(
            fixed(16, "f", SQL_C_SLONG).unwrap().bytes(),
            0i32.to_ne_bytes()
        );
        assert_eq!(fixed(23, "2", SQL_C_BIT).unwrap_err().0, "22003");
        assert_eq!(convert(23, b"1", 12345, None).unwrap_err().0, "HY003");
        assert_eq!(
            convert(16, b"f", SQL_C_CHAR, None).unwrap(),
            Converted::Static(b"0")
        );
    }

    #[test]
    fn floats() {
        assert_eq!(
            fixed(701, "1.5", SQL_C_DOUBLE).unwrap().bytes(),
            1.5f64.to_ne_bytes()
        );
        assert_eq!(
            fixed(700, "0.25", SQL_C_FLOAT).unwrap().bytes(),
            0.25f32.to_ne_bytes()
        );
        assert_eq!(fixed(701, "1e300", SQL_C_FLOAT).unwrap_err().0, "22003");
        let inf = fixed(701, "-Infinity", SQL_C_DOUBLE).unwrap();
        assert_eq!(inf.bytes(), f64::NEG_INFINITY.to_ne_bytes());
        let n = fixed(701, "NaN", SQL_C_DOUBLE).unwrap();
        assert!(f64::from_ne_bytes(n.bytes().try_into().unwrap()).is_nan());
        assert_eq!(fixed(25, "x1", SQL_C_DOUBLE).unwrap_err().0, "22018");
    }

    fn numeric_parts(f: &Fixed) -> (u8, i8, u8, u128) {
        let b = f.bytes();
        (
            b[0],
            b[1] as i8,
            b[2],
            u128::from_le_bytes(b[3..19].try_into().unwrap()),
        )
    }

    #[test]
    fn numeric_struct() {
        let n = |t: &str, ps| match convert(1700, t.as_bytes(), SQL_C_NUMERIC, ps).unwrap() {
            Converted::Fixed(f) => (numeric_parts(&f), f.cut),
            _ => unreachable!(),
        };
        assert_eq!(n("123.45", None), ((5, 2, 1, 12345), false));
        assert_eq!(n("-0.50", None), ((1, 1, 0, 5), false));
        assert_eq!(n("0", None), ((1, 0, 1, 0), false));
        assert_eq!(n("-0.000", None), ((1, 0, 1, 0), false));
        assert_eq!(n("123.456", Some((10, 2))), ((10, 2, 1, 12345), true));
        assert_eq!(n("7", Some((10, 3))), ((10, 3, 1, 7000), false));
        let big = "99999999999999999999999999999999999999";
        assert_eq!(n(big, None).0 .3, 10u128.pow(38) - 1);
        let e = |t: &str, ps| {
            convert(1700, t.as_bytes(), SQL_C_NUMERIC, ps)
                .unwrap_err()
                .0
        };
        assert_eq!(e("12345.6", Some((4, 1))), "22003");
        assert_eq!(e(&format!("{}0000", big), None), "22003");
        assert_eq!(e("NaN", None), "22018");
        assert_eq!(e("abc", None), "22018");
        assert_eq!(e("Infinity", None), "22003");
    }

    fn stamp_of(f: &Fixed) -> (i16, u16, u16, u16, u16, u16, u32) {
        let b = f.bytes();
        let u = |i: usize| u16::from_ne_bytes([b[i], b[i + 1]]);
        (
            i16::from_ne_bytes([b[0], b[1]]),
            u(2),
            u(4),
            u(6),
            u(8),
            u(10),
            u32::from_ne_bytes(b[12..16].try_into().unwrap()),
        )
    }

    #[test]
    fn dates_times_and_timestamps() {
        let ts = fixed(
            TIMESTAMP,
            "2024-02-29 13:14:15.123456",
            SQL_C_TYPE_TIMESTAMP,
        )
        .unwrap();
        assert_eq!(stamp_of(&ts), (2024, 2, 29, 13, 14, 15, 123_456_000));
        let tz = fixed(TIMESTAMPTZ, "2024-02-29 13:14:15.5+05:30", SQL_C_TIMESTAMP).unwrap();
        assert_eq!(stamp_of(&tz), (2024, 2, 29, 13, 14, 15, 500_000_000));
        let d = fixed(DATE, "1999-12-31", SQL_C_TYPE_TIMESTAMP).unwrap();
        assert_eq!(stamp_of(&d), (1999, 12, 31, 0, 0, 0, 0));
        let d = fixed(DATE, "1999-12-31", SQL_C_TYPE_DATE).unwrap();
        assert_eq!(d.bytes()[..2], 1999i16.to_ne_bytes());
        assert_eq!((d.len, d.cut), (6, false));
        let d = fixed(TIMESTAMP, "2000-01-02 03:04:05", SQL_C_DATE).unwrap();
        assert!(d.cut, "the time of day is cut: 01S07");
        let t = fixed(TIME, "23:59:58.25", SQL_C_TYPE_TIME).unwrap();
        assert_eq!(
            t.bytes(),
            [
                23u16.to_ne_bytes(),
                59u16.to_ne_bytes(),
                58u16.to_ne_bytes()
            ]
            .concat()
        );
        assert!(t.cut);
        let t = fixed(TIMETZ, "10:00:00-07", SQL_C_TIME).unwrap();
        assert_eq!(
            (t.bytes()[..2].to_vec(), t.cut),
            (10u16.to_ne_bytes().to_vec(), false)
        );
        let t = fixed(TIME, "10:00:00", SQL_C_TYPE_TIMESTAMP).unwrap();
        let today = today();
        assert_eq!(stamp_of(&t).0 as i32, today.year);
        assert!((1..=12).contains(&today.month) && (1..=31).contains(&today.day));
        assert_eq!(
            fixed(25, "2024-01-02", SQL_C_TYPE_DATE).unwrap().bytes()[2..4],
            1u16.to_ne_bytes()
        );
        assert_eq!(
            fixed(TIMESTAMP, "infinity", SQL_C_TYPE_TIMESTAMP)
                .unwrap_err()
                .0,
            "22008"
        );
        assert_eq!(
            fixed(DATE, "-infinity", SQL_C_TYPE_DATE).unwrap_err().0,
            "22008"
        );
        assert_eq!(
            fixed(DATE, "0044-03-15 BC", SQL_C_TYPE_DATE).unwrap_err().0,
            "22008"
        );
        assert_eq!(
            fixed(DATE, "40000-01-01", SQL_C_TYPE_DATE).unwrap_err().0,
            "22008"
        );
        assert_eq!(fixed(25, "soon", SQL_C_TYPE_DATE).unwrap_err().0, "22018");
        assert_eq!(
            fixed(TIME, "10:00:00", SQL_C_TYPE_DATE).unwrap_err().0,
            "07006"
        );
        assert_eq!(fixed(23, "1", SQL_C_TYPE_DATE).unwrap_err().0, "07006");
    }

    #[test]
    fn guids() {
        let g = fixed(2950, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", SQL_C_GUID).unwrap();
        let b = g.bytes();
        assert_eq!(u32::from_ne_bytes(b[0..4].try_into().unwrap()), 0xa0eebc99);
        assert_eq!(u16::from_ne_bytes([b[4], b[5]]), 0x9c0b);
        assert_eq!(u16::from_ne_bytes([b[6], b[7]]), 0x4ef8);
        assert_eq!(&b[8..], [0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11]);
        assert_eq!(fixed(25, "a0eebc99", SQL_C_GUID).unwrap_err().0, "22018");
        assert_eq!(fixed(23, "1", SQL_C_GUID).unwrap_err().0, "07006");
    }

    #[test]
    fn every_known_type_has_a_size_or_is_variable() {
        for c in [SQL_C_CHAR, SQL_C_WCHAR, SQL_C_BINARY] {
            assert!(known(c) && fixed_size(c).is_none());
        }
        assert_eq!(fixed_size(SQL_C_NUMERIC), Some(19));
        assert_eq!(fixed_size(SQL_C_TYPE_TIMESTAMP), Some(16));
        assert_eq!(default_c_type(crate::types::SQL_SMALLINT), SQL_C_SSHORT);
        assert_eq!(default_c_type(crate::types::SQL_NUMERIC), SQL_C_CHAR);
    }
}
